// The on-screen keyboard for the first name: simple-keyboard with the layout of the
// visitor's script, loaded only when the name field is on screen. A key switches between
// that script and Latin letters; keys a name never needs (tab, enter, ".com") are left out.
(function () {
  "use strict";

  var DROP = ["{tab}", "{enter}", "{lock}", ".com", "@", "\\"];
  var keyboard = null;
  var loading = null;

  function loadScript(src) {
    if (window.SimpleKeyboard) { return Promise.resolve(); }
    if (loading) { return loading; }
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  function loadStyle(href) {
    if (document.querySelector('link[href="' + href + '"]')) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.insertBefore(link, document.head.querySelector("link[rel=stylesheet]"));
  }

  // The layout's rows without the keys a name does not need, and with the script switch.
  function simplify(layout, switchKey) {
    var result = {};
    Object.keys(layout).forEach(function (name) {
      result[name] = layout[name].map(function (row) {
        return row.split(" ").filter(function (key) { return DROP.indexOf(key) < 0; }).join(" ");
      }).filter(function (row) { return row.trim() && row !== "{space}"; });
      result[name].push((switchKey ? "{script} " : "") + "{space}");
    });
    return result;
  }

  function mount(field) {
    var box = document.getElementById("kiosk-keyboard");
    if (!box || box.dataset.mounted) { return; }
    box.dataset.mounted = "1";
    var own = field.dataset.keyboard;
    var latin = field.dataset.keyboardLatin;
    var layouts = {};
    loadStyle(field.dataset.keyboardStyle);
    Promise.all([loadScript(field.dataset.keyboardScript), import(own), import(latin)])
      .then(function (loaded) {
        var switchable = own !== latin;
        layouts.own = simplify(loaded[1].default.layout, switchable);
        layouts.latin = simplify(loaded[2].default.layout, switchable);
        var current = "own";
        var shifted = false;
        var display = {
          "{bksp}": "⌫", "{space}": " ", "{shift}": "⇧",
          "{script}": field.dataset.labelLatin,
        };
        var Keyboard = window.SimpleKeyboard.default || window.SimpleKeyboard;
        keyboard = new Keyboard(box, {
          layout: layouts.own,
          layoutName: "default",
          display: display,
          maxLength: parseInt(field.getAttribute("maxlength"), 10) || 40,
          theme: "hg-theme-default kiosk-keyboard",
          disableButtonHold: true,
          onChange: function (input) {
            field.value = input;
            field.dispatchEvent(new Event("input", { bubbles: true }));
          },
          onKeyPress: function (key) {
            if (key === "{shift}") {
              shifted = !shifted;
              keyboard.setOptions({ layoutName: shifted ? "shift" : "default" });
            } else if (key === "{script}") {
              current = current === "own" ? "latin" : "own";
              display["{script}"] = current === "own" ? field.dataset.labelLatin
                : field.dataset.labelOwn;
              keyboard.setOptions({ layout: layouts[current], display: display });
            } else if (shifted) {
              shifted = false;  // one capital letter, as on a phone
              keyboard.setOptions({ layoutName: "default" });
            }
          },
        });
        keyboard.setInput(field.value);
        field.addEventListener("input", function (event) {
          if (event.isTrusted) { keyboard.setInput(field.value); }
        });
      })
      .catch(function () { box.hidden = true; });
  }

  function check() {
    var field = document.getElementById("first_name");
    if (field && field.dataset.keyboard) { mount(field); }
  }

  document.addEventListener("htmx:afterSettle", check);
  check();
}());
