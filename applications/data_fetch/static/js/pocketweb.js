// Small page behaviours for the welcome scaffold; no external libraries.
(function () {
  "use strict";
  // Ask before following links or submitting buttons marked with data-confirm.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Let a flash message be dismissed with a click.
  var flash = document.querySelector(".flash");
  if (flash) {
    flash.addEventListener("click", function () { flash.textContent = ""; });
  }
  // Focus the first field marked autofocus even when the browser skipped it.
  var first = document.querySelector("[autofocus]");
  if (first) { first.focus(); }
})();
