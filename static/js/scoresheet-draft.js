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

  // As the server stores it: "9", "9.0" and "９．０" are the same score (the server's rule,
  // score-text.js), notes are trimmed.
  function norm(key, value) {
    if (typeof value !== "string") {
      return value;
    }
    if (/^score_/.test(key)) {
      var score = window.ScoreText.parse(value);
      if (score.empty) {
        return "";
      }
      if (score.tenths !== undefined) {
        return "#" + score.tenths;
      }
    }
    return value.trim();
  }

  var PROBLEM = /^problem-(\d+)-(indicator|description|count)$/;
  var REMOVE = /^remove_problems=(\d+)$/;

  // A problem as the comparison sees it. The 对应指标 choice is an indicator id, or
  // "indicator:deduction item" for a problem recorded against a deduction item (扣分标准); such a
  // problem carries a count, and a blank description the server fills with the item's own text.
  function problem(choice, description, count) {
    var parts = String(choice || "").split(":");
    var deduction = parts[1] || "";
    return {
      indicator: parts[0] || "",
      deduction: deduction,
      description: String(description || "").trim(),
      count: deduction ? String(count || "").trim() || "1" : "",
    };
  }

  function sameProblem(typed, held) {
    if (typed.indicator !== held.indicator || typed.deduction !== held.deduction || typed.count !== held.count) {
      return false;
    }
    return typed.description === held.description || (typed.deduction !== "" && typed.description === "");
  }

  // The non-blank new-problem rows of a snapshot.
  function newProblems(fields) {
    var rows = {};
    Object.keys(fields).forEach(function (k) {
      var match = PROBLEM.exec(k);
      if (match) {
        rows[match[1]] = rows[match[1]] || {};
        rows[match[1]][match[2]] = fields[k];
      }
    });
    return Object.keys(rows)
      .map(function (n) {
        return problem(rows[n].indicator, rows[n].description, rows[n].count);
      })
      .filter(function (row) {
        return row.indicator !== "" || row.description !== "";
      });
  }

  // The problems the server holds, as listed on the page: id → problem.
  function savedProblems() {
    var saved = {};
    form.querySelectorAll("tr.js-existing-problem[data-problem]").forEach(function (row) {
      var deduction = row.getAttribute("data-deduction");
      saved[row.getAttribute("data-problem")] = problem(
        row.getAttribute("data-indicator") + (deduction ? ":" + deduction : ""),
        row.getAttribute("data-description"),
        row.getAttribute("data-count")
      );
    });
    return saved;
  }

  // Does the page already hold the draft's problems? Each new row typed in the draft is a problem
  // the server now lists (a save went through) or a row still on the page; each removal ticked in
  // the draft is a problem gone from the page, or ticked on it.
  function sameProblems(draft, page) {
    var saved = savedProblems();
    var pool = newProblems(page);
    Object.keys(saved).forEach(function (id) {
      if (page["remove_problems=" + id] !== true) {
        pool.push(saved[id]);
      }
    });
    var rows = newProblems(draft);
    for (var i = 0; i < rows.length; i += 1) {
      var at = -1;
      for (var p = 0; p < pool.length && at < 0; p += 1) {
        if (sameProblem(rows[i], pool[p])) {
          at = p;
        }
      }
      if (at < 0) {
        return false;
      }
      pool.splice(at, 1);
    }
    var keys = Object.keys(draft).concat(Object.keys(page));
    for (var j = 0; j < keys.length; j += 1) {
      var match = REMOVE.exec(keys[j]);
      if (match && match[1] in saved && (draft[keys[j]] === true) !== (page[keys[j]] === true)) {
        return false;
      }
    }
    return true;
  }

  function same(a, b) {
    var keys = Object.keys(a).concat(Object.keys(b));
    for (var i = 0; i < keys.length; i += 1) {
      var k = keys[i];
      if (PROBLEM.test(k) || REMOVE.test(k)) {
        continue; // compared as problems below
      }
      var x = norm(k, a[k] === undefined ? (typeof b[k] === "boolean" ? false : "") : a[k]);
      var y = norm(k, b[k] === undefined ? (typeof a[k] === "boolean" ? false : "") : b[k]);
      if (x !== y) {
        return false;
      }
    }
    return sameProblems(a, b);
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

  // The sheet as the server sent it, kept with the draft: restoring an older draft puts back only
  // what was typed on it, so what was saved since (by anyone) is not blanked out.
  var base = snapshot();

  function typedOnly(kept) {
    if (!kept.base) {
      return kept.fields; // a draft kept before drafts carried their base
    }
    var typed = {};
    Object.keys(kept.fields).forEach(function (k) {
      var was = kept.base[k] === undefined ? (typeof kept.fields[k] === "boolean" ? false : "") : kept.base[k];
      if (norm(k, kept.fields[k]) !== norm(k, was)) {
        typed[k] = kept.fields[k];
      }
    });
    // A new problem row comes back whole, with its indicator and its description.
    Object.keys(typed).forEach(function (k) {
      var match = PROBLEM.exec(k);
      if (match) {
        ["indicator", "description", "count"].forEach(function (part) {
          var key = "problem-" + match[1] + "-" + part;
          if (key in kept.fields) {
            typed[key] = kept.fields[key];
          }
        });
      }
    });
    return typed;
  }

  function save() {
    if (!editable()) {
      return;
    }
    // The version the form will post is the one the lock compares against: keep it with the input.
    try {
      window.localStorage.setItem(
        KEY,
        JSON.stringify({ version: versionInput.value, fields: snapshot(), base: draftBase, at: Date.now() })
      );
    } catch (e) {
      /* storage full or disabled: the server copy is all there is */
    }
  }

  var draft = read();
  // A draft restored on this same version keeps its own base; otherwise the base is this page.
  var draftBase = draft && draft.base && draft.version === pageVersion ? draft.base : base;
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
      // Overtaken only by the editor's own saves since (another device): say so, name no one else.
      var own = Number(draft.version) >= Number(notice.getAttribute("data-others-version") || "0");
      show(notice.getAttribute(own ? "data-own" : "data-older"), ["restore", "discard"]);
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
    // Posted with its own version: the server reports what others changed since instead of
    // overwriting it (the editor's own saves since are no conflict).
    versionInput.value = kept.version;
    draftBase = kept.base || base;
    apply(typedOnly(kept));
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
