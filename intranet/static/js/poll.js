// Polled fragments ask "changed since?": each element with data-poll-etag remembers the
// ETag of the copy it shows and sends it back, and a 304 leaves the screen untouched
// (htmx-config maps 304 to "no swap"), so an unchanged list costs no bytes and no repaint.
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (event) {
    var el = event.detail.elt;
    if (el && el.hasAttribute && el.hasAttribute("data-poll-etag") && el.dataset.pollEtag) {
      event.detail.headers["If-None-Match"] = el.dataset.pollEtag;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!el || !el.hasAttribute || !el.hasAttribute("data-poll-etag") || !xhr) { return; }
    var etag = xhr.getResponseHeader("ETag");
    if (etag && xhr.status === 200) { el.dataset.pollEtag = etag; }
  });
}());
