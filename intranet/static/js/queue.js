// The staff queue: a message about an action stays until it is dismissed (the polled list
// below it is swapped whenever it changed, the message box never), and a ticket's open
// "…" menu stays open when the list is swapped under it.
(function () {
  "use strict";

  var open = [];

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (!button) { return; }
    var message = button.closest(".queue-message");
    if (message) { message.remove(); }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "queue-list") { return; }
    open = Array.prototype.map.call(
      event.detail.target.querySelectorAll("details[data-menu][open]"),
      function (menu) { return menu.dataset.menu; });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "queue-list") { return; }
    open.forEach(function (id) {
      var menu = event.detail.target.querySelector('details[data-menu="' + id + '"]');
      if (menu) { menu.open = true; }
    });
    open = [];
  });
}());
