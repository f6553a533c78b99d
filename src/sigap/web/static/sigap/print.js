/* sigap: "Print" buttons (data-print). A static file, not an inline onclick, so the pages keep a
 * Content-Security-Policy without 'unsafe-inline'. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
