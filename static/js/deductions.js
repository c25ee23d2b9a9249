/* 扣分标准 on the score sheet: the proposed score (maximum − deductions, never below 0) of each
   indicator that has problems recorded against its deduction items, updated as problems are added,
   removed or counted. Served as a static file; the server computes and checks the same again
   (a score that differs from the proposal needs a note). Amounts are in tenths of a point. */
(function () {
  "use strict";

  var form = document.getElementById("score-form");
  var data = document.getElementById("deduction-rules");
  if (!form || !data) {
    return;
  }
  var table = JSON.parse(data.getAttribute("data-table"));
  var rules = table.rules; // deduction id → {indicator, points, per, cap} (tenths; cap may be null)
  var maxima = table.maxima; // indicator id → maximum (tenths)
  var autoFilled = {}; // indicator id → the value this script last put in the score box

  function fmt(tenths) {
    return (tenths / 10).toFixed(1);
  }

  function parseTenths(text) {
    var match = /^\s*(\d{1,3})(?:[.。．](\d))?\s*$/.exec(text || "");
    if (!match) {
      return null;
    }
    return parseInt(match[1], 10) * 10 + (match[2] ? parseInt(match[2], 10) : 0);
  }

  function found() {
    // deduction id → occurrences, from the problems kept and the new rows
    var counts = {};
    function add(ruleId, count) {
      if (!rules[ruleId]) {
        return;
      }
      counts[ruleId] = (counts[ruleId] || 0) + Math.max(count || 1, 1);
    }
    form.querySelectorAll(".js-existing-problem[data-deduction]").forEach(function (row) {
      var removed = row.querySelector(".js-remove-problem");
      if (removed && removed.checked) {
        return;
      }
      add(row.getAttribute("data-deduction"), parseInt(row.getAttribute("data-count"), 10));
    });
    form.querySelectorAll(".js-new-problem").forEach(function (row) {
      var select = row.querySelector("select");
      var count = row.querySelector(".js-problem-count");
      var value = select ? select.value : "";
      var parts = value.split(":");
      if (parts.length === 2) {
        add(parts[1], count ? parseInt(count.value, 10) : 1);
      }
    });
    return counts;
  }

  function refreshCountBoxes() {
    form.querySelectorAll(".js-new-problem").forEach(function (row) {
      var select = row.querySelector("select");
      var box = row.querySelector(".js-problem-count-wrap");
      if (!select || !box) {
        return;
      }
      var parts = select.value.split(":");
      var rule = parts.length === 2 ? rules[parts[1]] : null;
      box.classList.toggle("d-none", !(rule && rule.per));
    });
  }

  function recompute(fill) {
    var counts = found();
    var deducted = {};
    Object.keys(counts).forEach(function (ruleId) {
      var rule = rules[ruleId];
      var amount = rule.per ? rule.points * counts[ruleId] : rule.points;
      if (rule.cap !== null && amount > rule.cap) {
        amount = rule.cap;
      }
      deducted[rule.indicator] = (deducted[rule.indicator] || 0) + amount;
    });
    form.querySelectorAll(".js-proposed").forEach(function (hint) {
      var indicator = hint.getAttribute("data-indicator");
      var input = document.getElementById("id_score_" + indicator);
      if (!(indicator in deducted)) {
        hint.classList.add("d-none");
        return;
      }
      var proposed = Math.max(maxima[indicator] - deducted[indicator], 0);
      hint.classList.remove("d-none");
      hint.querySelector(".js-proposed-value").textContent = fmt(proposed);
      hint.querySelector(".js-deducted-value").textContent = fmt(deducted[indicator]);
      hint.setAttribute("data-proposed", String(proposed));
      if (fill && input && !input.disabled) {
        var current = parseTenths(input.value);
        // Fill the box only when it is empty or still holds what this script put there.
        if (input.value.trim() === "" || current === autoFilled[indicator]) {
          if (current !== proposed) {
            input.value = fmt(proposed);
            autoFilled[indicator] = proposed;
            input.dispatchEvent(new Event("input", { bubbles: true }));
          }
        }
      }
      flagOverride(indicator);
    });
  }

  function flagOverride(indicator) {
    var hint = form.querySelector(".js-proposed[data-indicator='" + indicator + "']");
    var input = document.getElementById("id_score_" + indicator);
    var note = document.getElementById("id_note_" + indicator);
    if (!hint || !input) {
      return;
    }
    var warning = hint.querySelector(".js-override-warning");
    var proposed = parseInt(hint.getAttribute("data-proposed"), 10);
    var value = parseTenths(input.value);
    var differs = !hint.classList.contains("d-none") && value !== null && value !== proposed;
    var noted = note && note.value.trim() !== "";
    if (warning) {
      warning.classList.toggle("d-none", !(differs && !noted));
    }
  }

  form.addEventListener("click", function (event) {
    var use = event.target.closest(".js-use-proposed");
    if (!use) {
      return;
    }
    var hint = use.closest(".js-proposed");
    var indicator = hint.getAttribute("data-indicator");
    var input = document.getElementById("id_score_" + indicator);
    if (input && !input.disabled) {
      var proposed = parseInt(hint.getAttribute("data-proposed"), 10);
      input.value = fmt(proposed);
      autoFilled[indicator] = proposed;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      flagOverride(indicator);
    }
  });

  form.addEventListener("change", function (event) {
    if (event.target.closest(".js-new-problem") || event.target.classList.contains("js-remove-problem")) {
      refreshCountBoxes();
      recompute(true);
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("js-problem-count")) {
      recompute(true);
      return;
    }
    var match = /^id_(score|note)_(\d+)$/.exec(event.target.id || "");
    if (match) {
      flagOverride(match[2]);
    }
  });
  // Rows dropped from the new problems ("移除") change the deductions too.
  new MutationObserver(function () {
    refreshCountBoxes();
    recompute(true);
  }).observe(document.getElementById("new-problems") || form, { childList: true });

  // On load the boxes hold what was saved (or restored): show the proposals, change no box.
  refreshCountBoxes();
  recompute(false);
})();
