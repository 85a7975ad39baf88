// The staff queue: a message about an action stays until it is dismissed (the polled list
// below it is swapped every two seconds, the message box never).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (!button) { return; }
    var message = button.closest(".queue-message");
    if (message) { message.remove(); }
  });
}());
