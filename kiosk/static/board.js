// The call-up board: mark new calls and play a short chime, which staff can switch off
// on the board itself (the choice is kept on this screen only).
(function () {
  "use strict";

  var KEY = "mittelpunkt-board-chime";
  var button = document.getElementById("board-chime");
  var chimeOn = window.localStorage.getItem(KEY) !== "off";
  var seen = new Set(callIds());
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
    callIds().forEach(function (id) {
      if (!seen.has(id)) {
        seen.add(id);
        fresh = true;
        var el = document.querySelector('#board-calls [data-call="' + id + '"]');
        if (el) { el.classList.add("is-new"); }
      }
    });
    if (fresh && chimeOn) { chime(); }
  });
}());
