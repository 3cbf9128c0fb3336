/* The API docs: Swagger UI puts a deep link inside each operation's toggle button,
   a link inside a button that keyboards and screen readers cannot tell apart. The
   button already opens the operation (and sets the address), so the inner link
   loses its href and becomes plain text. */
(function () {
  "use strict";
  function unlink(root) {
    root.querySelectorAll(".opblock-summary-control a[href]").forEach(function (link) {
      link.removeAttribute("href");
    });
  }
  var container = document.getElementById("swagger-ui");
  if (!container) { return; }
  new MutationObserver(function () { unlink(container); }).observe(container, { childList: true, subtree: true });
  unlink(container);
})();
