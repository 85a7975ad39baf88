// The call-up board: mark new calls and play a short chime, which staff can switch off
// on the board itself (the choice is kept on this screen only).
(function () {
  "use strict";

  var KEY = "mittelpunkt-board-chime";
  var button = document.getElementById("board-chime");
  var chimeOn = window.localStorage.getItem(KEY) !== "off";
  var NEW_MS = 3000; // how long a new call flashes (board-flash in kiosk.css: 3 × 1 s)
  // When each call on the board was first seen; the list is swapped in anew every
  // second, so the flash is put back on each fresh copy until its time is up.
  var seen = new Map(callIds().map(function (id) { return [id, 0]; }));
  var audio = null;

  function callIds() {
    return Array.prototype.map.call(document.querySelectorAll("#board-calls [data-call]"),
      function (el) { return el.dataset.call; });
  }

  function showChoice() {
    if (!button) { return; }
    button.setAttribute("aria-pressed", chimeOn ? "true" : "false");
    button.querySelector("span").textContent = chimeOn ? button.dataset.on : button.dataset.off;
  }

  // Two soft tones made on the spot: no sound file, no font, no network.
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

  if (button) {
    button.addEventListener("click", function () {
      chimeOn = !chimeOn;
      window.localStorage.setItem(KEY, chimeOn ? "on" : "off");
      showChoice();
    });
    showChoice();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.target || event.target.id !== "board-calls") { return; }
    var fresh = false;
    var now = Date.now();
    var shown = callIds();
    shown.forEach(function (id) {
      if (!seen.has(id)) {
        seen.set(id, now);
        fresh = true;
      }
      if (now - seen.get(id) < NEW_MS) {
        var el = document.querySelector('#board-calls [data-call="' + id + '"]');
        if (el) { el.classList.add("is-new"); }
      }
    });
    seen.forEach(function (_time, id) {
      if (shown.indexOf(id) < 0) { seen.delete(id); }
    });
    if (fresh && chimeOn) { chime(); }
  });
}());
