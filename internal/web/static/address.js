// A refused form is the answer to a POST; its page can also be asked for
// with GET at the address in data-address (see refused.go). Showing that
// address makes reload and the language switch keep the form. The page
// then brings the first problem into view: the field at fault (focused),
// or the message beside the section it is about, since the form may sit
// far down a long page.
(function () {
  var s = document.currentScript;
  var a = s && s.getAttribute("data-address");
  if (a && a.charAt(0) === "/" && window.history && history.replaceState) {
    history.replaceState(null, "", a);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var bad = document.querySelector("main [aria-invalid=true]");
    var msg = document.querySelector("main .field-error");
    var target = bad || msg;
    if (!target || !target.scrollIntoView) {
      return;
    }
    target.scrollIntoView({ block: "center" });
    if (bad && bad.focus) {
      bad.focus({ preventScroll: true });
    }
  });
})();
