/* 交叉互查评分表: running total, problem rows added and removed in place, confirmations.
   Served as a static file (no inline script). The server validates everything again. */
(function () {
  "use strict";

  // Buttons that ask before acting (submit a sheet, close a quarter, delete an item). The sheet's
  // submit button asks only when the sheet is complete: an incomplete one is sent without a
  // question, and the server names the indicators still to score.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (!button || (button.hasAttribute("data-confirm-if-complete") && !sheetComplete())) {
      return;
    }
    if (!window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // --- the sticky total never hides the focused field ----------------------------------------
  // Tabbing (Shift+Tab upwards above all) may leave a field partly or wholly under the sticky
  // total bar: Chromium scrolls a focused element into view only when it is out of the viewport,
  // ignoring the bar (and `scroll-padding` for a field partly visible). So on every focus the
  // field is measured against the bar and the page scrolled by exactly the overlap plus a margin,
  // instantly (Bootstrap makes scrolling smooth, which would leave the field mid-way under the bar
  // until the animation ends). Measured again after the browser's own scroll, in case it moved.
  var bar = document.querySelector(".scoring-total-bar");
  var FOCUS_MARGIN = 8;

  function uncover(el) {
    if (!bar || !el || el === document.body || bar.contains(el) || !el.getClientRects().length) {
      return;
    }
    var barRect = bar.getBoundingClientRect();
    if (barRect.top > 1) {
      return; // the bar is not stuck to the top: it covers nothing
    }
    var overlap = barRect.bottom + FOCUS_MARGIN - el.getBoundingClientRect().top;
    if (overlap > 0) {
      window.scrollBy({ top: -overlap, left: 0, behavior: "instant" });
    }
  }

  document.addEventListener("focusin", function (event) {
    var el = event.target;
    uncover(el);
    window.requestAnimationFrame(function () {
      if (document.activeElement === el) {
        uncover(el);
      }
    });
  });

  var form = document.getElementById("score-form");
  if (!form) {
    return;
  }

  // --- running total, in tenths so that 0.1 + 0.2 stays 0.3 -------------------------------------
  // The score rule is the server's (static/js/score-text.js).
  var totalEl = document.getElementById("running-total");
  var countEl = document.getElementById("scored-count");
  var invalidEl = document.getElementById("total-invalid");

  function parsed(input) {
    return window.ScoreText.parse(input.value, input.getAttribute("data-max"));
  }

  function sheetComplete() {
    var boxes = form.querySelectorAll(".js-score");
    return Array.prototype.every.call(boxes, function (input) {
      return parsed(input).tenths !== undefined;
    });
  }

  function recompute() {
    var total = 0;
    var scored = 0;
    var invalid = 0;
    form.querySelectorAll(".js-score").forEach(function (input) {
      var value = parsed(input);
      if (value.empty) {
        input.classList.remove("is-invalid-client");
        return;
      }
      if (value.tenths === undefined) {
        invalid += 1;
        input.classList.add("is-invalid-client");
        return;
      }
      input.classList.remove("is-invalid-client");
      total += value.tenths;
      scored += 1;
    });
    if (totalEl) {
      totalEl.textContent = (total / 10).toFixed(1);
    }
    if (countEl) {
      countEl.textContent = String(scored);
    }
    if (invalidEl) {
      invalidEl.classList.toggle("d-none", invalid === 0);
    }
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("js-score")) {
      // The server's message under the box described the old value; the new one is checked on save.
      event.target.classList.remove("is-invalid");
      event.target.parentNode.querySelectorAll(".invalid-feedback").forEach(function (el) {
        el.classList.add("d-none");
      });
      recompute();
    }
  });
  recompute();

  // --- problems: add a row from the empty form, drop a new row, mark an existing one removed ----
  var addButton = document.getElementById("add-problem");
  var template = document.getElementById("problem-empty-form");
  var body = document.getElementById("new-problems");
  var totalForms = form.querySelector("input[name='problem-TOTAL_FORMS']");

  if (addButton && template && body && totalForms) {
    addButton.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      totalForms.value = String(index + 1);
      var rows = body.querySelectorAll(".js-new-problem");
      var select = rows[rows.length - 1].querySelector("select");
      if (select) {
        select.focus();
      }
    });
  }

  form.addEventListener("click", function (event) {
    var drop = event.target.closest(".js-drop-new-problem");
    if (drop) {
      // The formset tolerates the gap: a missing row posts nothing and is skipped.
      drop.closest("tr").remove();
    }
  });

  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("js-remove-problem")) {
      event.target.closest("tr").classList.toggle("scoring-problem-removed", event.target.checked);
    }
  });
  form.querySelectorAll(".js-remove-problem:checked").forEach(function (box) {
    box.closest("tr").classList.add("scoring-problem-removed");
  });
})();
