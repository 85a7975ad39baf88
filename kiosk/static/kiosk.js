// The kiosk's behaviour: return to the start when a visitor walks away, a calm notice
// when the server cannot be reached (and recovery without a touch), the clock, and
// copying each swapped screen's language and direction to the document.
(function () {
  "use strict";

  var body = document.body;
  var idleTimer = null;
  var countdownTimer = null;
  var numberTimer = null;
  var retryTimer = null;
  var RETRY_MS = 3000;

  function page() { return document.getElementById("kiosk-page"); }
  function byId(id) { return document.getElementById(id); }

  function setting(name, fallback) {
    var el = page();
    var value = el ? parseInt(el.dataset[name], 10) : NaN;
    return isNaN(value) ? fallback : value;
  }

  function stopTimers() {
    clearTimeout(idleTimer);
    clearInterval(countdownTimer);
    clearTimeout(numberTimer);
    idleTimer = countdownTimer = numberTimer = null;
    var prompt = byId("kiosk-idle");
    if (prompt) { prompt.hidden = true; }
  }

  // Back to the start screen: the server forgets the visitor (session cleared), and
  // nothing of them stays in the browser: no history entries, no storage.
  function goHome() {
    stopTimers();
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    if (window.htmx) {
      window.htmx.ajax("GET", body.dataset.home,
        { target: "#kiosk-page", select: "#kiosk-page", swap: "outerHTML" });
    }
  }

  function showPrompt() {
    var prompt = byId("kiosk-idle");
    var counter = byId("kiosk-countdown");
    var left = setting("countdownSeconds", 20);
    if (!prompt) { goHome(); return; }
    prompt.hidden = false;
    var texts = {};
    try { texts = JSON.parse((counter && counter.dataset.texts) || "{}"); } catch (e) { texts = {}; }
    function show(seconds) {
      if (!counter) { return; }
      counter.dataset.left = String(seconds);
      counter.textContent = texts[String(seconds)] || String(seconds);
    }
    show(left);
    var more = byId("kiosk-more-time");
    if (more) { more.focus(); }
    countdownTimer = setInterval(function () {
      left -= 1;
      show(Math.max(left, 0));
      if (left <= 0) { goHome(); }
    }, 1000);
  }

  // (Re)start the timers that fit the screen on show now.
  function arm() {
    stopTimers();
    var el = page();
    if (!el) { return; }
    if (el.querySelector("[data-kiosk-number]")) {
      numberTimer = setTimeout(goHome, setting("numberSeconds", 15) * 1000);
      return;
    }
    var mode = el.dataset.idle;
    var seconds = setting("idleSeconds", 60) * 1000;
    if (mode === "prompt") { idleTimer = setTimeout(showPrompt, seconds); }
    if (mode === "silent") { idleTimer = setTimeout(goHome, seconds); }
  }

  function touched() {
    var prompt = byId("kiosk-idle");
    if (prompt && !prompt.hidden) { return; } // only "more time" dismisses the prompt
    if (!numberTimer) { arm(); }
  }

  function syncDocument() {
    var el = page();
    if (!el) { return; }
    document.documentElement.lang = el.getAttribute("lang") || document.documentElement.lang;
    document.documentElement.dir = el.getAttribute("dir") || "ltr";
    if (el.dataset.title) { document.title = el.dataset.title; }
  }

  // -- faults: show the notice, then ask the server every few seconds ---------------
  function showFault() {
    var fault = byId("kiosk-fault");
    if (fault) { fault.hidden = false; }
    stopTimers();
    if (retryTimer) { return; }
    retryTimer = setInterval(function () {
      fetch(body.dataset.health, { cache: "no-store" }).then(function (response) {
        if (!response.ok) { return; }
        clearInterval(retryTimer);
        retryTimer = null;
        if (page() && page().dataset.recover === "stay") {
          byId("kiosk-fault").hidden = true;
          arm();
        } else {
          goHome();
        }
      }).catch(function () { /* still unreachable: try again */ });
    }, RETRY_MS);
  }

  document.addEventListener("htmx:sendError", showFault);
  document.addEventListener("htmx:timeout", showFault);
  document.addEventListener("htmx:responseError", showFault);
  window.addEventListener("offline", showFault);

  document.addEventListener("htmx:afterSettle", function () {
    syncDocument();
    var fault = byId("kiosk-fault");
    if (fault && !retryTimer) { fault.hidden = true; }
    arm();
    tick();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("#kiosk-more-time")) { arm(); }
  });
  ["pointerdown", "keydown", "input"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true });
  });

  // The clock on the start screen, in the screen's language and the meeting point's time
  // zone (not the kiosk computer's, which may be set to anything).
  function tick() {
    var clock = byId("kiosk-clock");
    if (!clock) { return; }
    var lang = document.documentElement.lang || "de";
    var options = { hour: "2-digit", minute: "2-digit" };
    if (clock.dataset.timezone) { options.timeZone = clock.dataset.timezone; }
    try {
      clock.textContent = new Intl.DateTimeFormat(lang, options).format(new Date());
    } catch (e) { /* an unknown zone: keep the server's time */ }
  }
  setInterval(tick, 15000);

  syncDocument();
  arm();
}());
