// Project form: shows the state support allowed as the budget is typed,
// computed by the server (GET /api/v1/support-preview). Without JS the
// "recompute" button does the same with a form post.
(function () {
  "use strict";
  var form = document.querySelector("form.project-form");
  var out = document.getElementById("support-preview");
  if (!form || !out || !window.fetch) { return; }
  var sources = ["national", "local", "reciprocal", "credit", "science", "trade", "other"];
  var timer = null;
  function value(name) {
    var el = form.elements[name];
    return el ? el.value : "";
  }
  function render(p) {
    while (out.firstChild) { out.removeChild(out.firstChild); }
    var head = document.createElement("p");
    head.textContent = p.rule_set + " (" + p.legal_basis + "): " + p.total_cost_text;
    out.appendChild(head);
    var ul = document.createElement("ul");
    (p.caps || []).forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = c.funding_source_name + ": ≤ " + c.allowed_text + " (" + c.requested_text + ")";
      ul.appendChild(li);
    });
    out.appendChild(ul);
    if (p.error) {
      var e = document.createElement("p");
      e.className = "error";
      e.textContent = p.error;
      out.appendChild(e);
    }
  }
  function update() {
    var q = new URLSearchParams();
    q.set("activity_type", value("activity_type"));
    q.set("area_category", value("area_category"));
    q.set("project", form.getAttribute("data-project") || "");
    q.set("lang", document.documentElement.lang || "vi");
    sources.forEach(function (s) { q.set(s, value("budget_" + s)); });
    if (!q.get("activity_type")) { return; }
    fetch("/api/v1/support-preview?" + q.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) { if (p) { render(p); } })
      .catch(function () {});
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
})();
