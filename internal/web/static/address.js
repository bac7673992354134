// A refused form is the answer to a POST; its page can also be asked for
// with GET at the address in data-address (see refused.go). Showing that
// address makes reload and the language switch keep the form.
(function () {
  var s = document.currentScript;
  var a = s && s.getAttribute("data-address");
  if (a && a.charAt(0) === "/" && window.history && history.replaceState) {
    history.replaceState(null, "", a);
  }
})();
