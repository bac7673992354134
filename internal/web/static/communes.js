// Commune suggestions for address forms. The server fills the datalist with
// the chosen province's communes, so the form works without this file; with
// it, the list follows the province select and, while typing, offers
// suggestions from GET /api/v1/communes (former communes included, marked).
(function () {
  "use strict";
  var input = document.getElementById("est-commune");
  if (!input || !window.fetch) { return; }
  var select = document.getElementById(input.getAttribute("data-province"));
  var list = document.getElementById(input.getAttribute("list"));
  var former = input.getAttribute("data-former") || "former, now in";
  if (!select || !list) { return; }
  var timer = null, seq = 0;

  function fill(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (it) {
      var o = document.createElement("option");
      o.value = it.name;
      var label = it.province_name || "";
      if (it.former && it.successors && it.successors.length) {
        label = "(" + former + " " + it.successors.map(function (s) { return s.name; }).join(", ") + ") " + label;
      }
      o.textContent = label;
      list.appendChild(o);
    });
  }

  function load() {
    var mine = ++seq;
    var q = input.value.trim();
    if (!select.value && !q) { fill([]); return; }
    var url = "/api/v1/communes?province=" + encodeURIComponent(select.value) + "&q=" + encodeURIComponent(q);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (body) { if (mine === seq) { fill(body.items || []); } })
      .catch(function () {});
  }

  select.addEventListener("change", function () { input.value = ""; load(); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(load, 200);
  });
})();
