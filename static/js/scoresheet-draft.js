/* 评分表本机草稿: every change to the score sheet is kept in this browser (localStorage) until the
   server has it, so a connection that drops on site loses nothing. On reload the kept input is put
   back — only onto the same version of the sheet it was typed on. If the sheet has moved on since
   (someone else saved), nothing is restored by itself: the inspector may restore it, and the form
   then posts the old version, so the server's optimistic lock reports what the others changed
   instead of overwriting it. Served as a static file (no inline script). */
(function () {
  "use strict";

  var form = document.getElementById("score-form");
  var notice = document.getElementById("draft-notice");
  if (!form || !window.localStorage) {
    return;
  }
  var KEY = "scoresheet-draft:" + form.getAttribute("action");
  if (!notice) {
    window.localStorage.removeItem(KEY); // read-only (submitted, or not scoring): nothing to keep
    return;
  }
  var versionInput = form.querySelector("input[name='version']");
  var pageVersion = versionInput ? versionInput.value : "";
  var SKIP = /^(csrfmiddlewaretoken|version|action|problem-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)$/;
  var text = notice.querySelector(".js-draft-text");
  var restoreButton = document.getElementById("draft-restore");
  var discardButton = document.getElementById("draft-discard");
  var addButton = document.getElementById("add-problem");
  var totalForms = form.querySelector("input[name='problem-TOTAL_FORMS']");

  function editable() {
    return form.querySelector(".js-score:not([disabled])") !== null;
  }

  function snapshot() {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP.test(el.name) || el.disabled || el.type === "submit" || el.type === "button") {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        fields[el.name + "=" + el.value] = el.checked;
      } else {
        fields[el.name] = el.value;
      }
    });
    return fields;
  }

  // As the server stores it: "9" and "9.0" are the same score, notes are trimmed.
  function norm(key, value) {
    if (typeof value !== "string") {
      return value;
    }
    var text = value.trim();
    if (/^score_/.test(key) && /^\d+([.。．]\d*)?$/.test(text)) {
      return String(Number(text.replace(/[。．]/, ".")));
    }
    return text;
  }

  function same(a, b) {
    var keys = Object.keys(a).concat(Object.keys(b));
    for (var i = 0; i < keys.length; i += 1) {
      var k = keys[i];
      var x = norm(k, a[k] === undefined ? (typeof b[k] === "boolean" ? false : "") : a[k]);
      var y = norm(k, b[k] === undefined ? (typeof a[k] === "boolean" ? false : "") : b[k]);
      if (x !== y) {
        return false;
      }
    }
    return true;
  }

  function read() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;
    }
  }

  function forget() {
    window.localStorage.removeItem(KEY);
  }

  function show(message, buttons) {
    text.textContent = message;
    restoreButton.classList.toggle("d-none", buttons.indexOf("restore") < 0);
    discardButton.classList.toggle("d-none", buttons.indexOf("discard") < 0);
    notice.classList.remove("d-none");
  }

  function hide() {
    notice.classList.add("d-none");
  }

  function ensureProblemRows(fields) {
    var highest = -1;
    Object.keys(fields).forEach(function (k) {
      var match = /^problem-(\d+)-/.exec(k);
      if (match) {
        highest = Math.max(highest, parseInt(match[1], 10));
      }
    });
    while (addButton && totalForms && parseInt(totalForms.value, 10) <= highest) {
      addButton.click();
    }
  }

  function apply(fields) {
    ensureProblemRows(fields);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP.test(el.name) || el.disabled) {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        var key = el.name + "=" + el.value;
        if (key in fields) {
          el.checked = fields[key];
          el.dispatchEvent(new Event("change", { bubbles: true }));
        }
      } else if (el.name in fields) {
        el.value = fields[el.name];
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  function save() {
    if (!editable()) {
      return;
    }
    // The version the form will post is the one the lock compares against: keep it with the input.
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ version: versionInput.value, fields: snapshot(), at: Date.now() }));
    } catch (e) {
      /* storage full or disabled: the server copy is all there is */
    }
  }

  var draft = read();
  var olderShown = false;
  if (!editable() || document.getElementById("stale-warning")) {
    forget(); // read-only, or the server has just merged the input with the others' changes
  } else if (draft && draft.fields) {
    if (same(draft.fields, snapshot())) {
      forget(); // the server has it all (a save went through)
    } else if (draft.version === pageVersion) {
      apply(draft.fields);
      show(notice.getAttribute("data-restored"), ["discard"]);
    } else {
      show(notice.getAttribute("data-older"), ["restore", "discard"]);
      olderShown = true;
    }
  }

  function changed() {
    if (olderShown) {
      olderShown = false; // typing on the current version replaces the older input
      hide();
    }
    save();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("click", function (event) {
    if (event.target.closest("#add-problem, .js-drop-new-problem")) {
      window.setTimeout(save, 0);
    }
  });

  restoreButton.addEventListener("click", function () {
    var kept = read();
    if (!kept) {
      return hide();
    }
    olderShown = false;
    versionInput.value = kept.version; // the server reports what changed since, instead of overwriting
    apply(kept.fields);
    hide();
  });
  discardButton.addEventListener("click", function () {
    forget();
    window.location.reload();
  });

  // Offline, the sticky total bar says so: it stays in view and covers nothing.
  var offlineFlag = document.getElementById("offline-flag");
  function offline(on) {
    if (offlineFlag) {
      offlineFlag.classList.toggle("d-none", !on);
    }
  }
  window.addEventListener("offline", function () {
    save();
    offline(true);
  });
  window.addEventListener("online", function () {
    offline(false);
  });
  form.addEventListener("submit", function (event) {
    save();
    if (navigator.onLine === false) {
      event.preventDefault();
      offline(true);
    }
  });
})();
