// The call-up board: flash new calls, announce them (a chime and, where the server makes
// speech, the number and room spoken in the visitor's language), and keep every call on
// screen by shrinking the text when many or long lines would not fit. The sound switch is
// kept per board, in this screen's own storage.
(function () {
  "use strict";

  var KEY = "mittelpunkt-board-sound";
  var NEW_MS = 3000; // how long a new call flashes (board-flash in board.css: 3 × 1 s)
  var button = document.getElementById("board-sound");
  var box = document.getElementById("board-calls");
  var soundOn = window.localStorage.getItem(KEY) !== "off";
  var speechOn = button ? button.dataset.speech === "on" : false;
  var seen = new Map(callIds().map(function (id) { return [id, 0]; }));
  var queue = [];
  var playing = false;
  var audio = null;

  function calls() { return Array.prototype.slice.call(document.querySelectorAll("#board-calls [data-call]")); }
  function callIds() { return calls().map(function (el) { return el.dataset.call; }); }

  function showChoice() {
    if (!button) { return; }
    button.setAttribute("aria-pressed", soundOn ? "true" : "false");
    button.querySelector("span").textContent = soundOn ? button.dataset.on : button.dataset.off;
  }

  // Two soft tones made on the spot, for a board whose server has no speech.
  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.35].forEach(function (delay, index) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.frequency.value = index === 0 ? 660 : 880;
        gain.gain.setValueAtTime(0.0001, audio.currentTime + delay);
        gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + delay + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + delay + 0.6);
        tone.connect(gain).connect(audio.destination);
        tone.start(audio.currentTime + delay);
        tone.stop(audio.currentTime + delay + 0.7);
      });
    } catch (e) { /* no audio device: the flash still shows the call */ }
  }

  // Call-outs one after another, oldest first, so two calls close together are both heard.
  function playNext() {
    if (playing || !queue.length) { return; }
    var url = queue.shift();
    if (!url) { chime(); playNext(); return; }
    playing = true;
    var sound = new Audio(url);
    var done = function () { playing = false; playNext(); };
    sound.addEventListener("ended", done);
    sound.addEventListener("error", function () { chime(); done(); });
    var started = sound.play();
    if (started && started.catch) { started.catch(function () { chime(); done(); }); }
  }

  function announce(el) {
    if (!soundOn) { return; }
    queue.push(speechOn ? el.dataset.speech || "" : "");
    playNext();
  }

  // Shrink the board's text step by step until no call overflows the screen.
  function overflowing() {
    if (!box) { return false; }
    if (box.scrollHeight > box.clientHeight + 1) { return true; }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) { return true; }
    return calls().some(function (el) { return el.scrollWidth > el.clientWidth + 1; });
  }

  function fit() {
    if (!box) { return; }
    box.style.removeProperty("--board-size");
    var size = parseFloat(window.getComputedStyle(box).fontSize);
    for (var step = 0; step < 40 && overflowing() && size > 8; step += 1) {
      size *= 0.92;
      box.style.setProperty("--board-size", size.toFixed(1) + "px");
    }
  }

  if (button) {
    button.addEventListener("click", function () {
      soundOn = !soundOn;
      window.localStorage.setItem(KEY, soundOn ? "on" : "off");
      showChoice();
    });
    showChoice();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.target || event.target.id !== "board-calls") { return; }
    var now = Date.now();
    var shown = callIds();
    var fresh = [];
    calls().forEach(function (el) {
      var id = el.dataset.call;
      if (!seen.has(id)) {
        seen.set(id, now);
        fresh.push(el);
      }
      if (now - seen.get(id) < NEW_MS) { el.classList.add("is-new"); }
    });
    seen.forEach(function (_time, id) {
      if (shown.indexOf(id) < 0) { seen.delete(id); }
    });
    fit();
    fresh.reverse().forEach(announce);
  });
  window.addEventListener("resize", fit);
  fit();
}());
