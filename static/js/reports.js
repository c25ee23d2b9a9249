/* Export job page: poll the job's status and show the download link when the file is ready. */
(function () {
  "use strict";
  var box = document.getElementById("reports-job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var statusEl = document.getElementById("reports-job-status");
  var progressEl = document.getElementById("reports-job-progress");
  var bar = progressEl.querySelector(".progress-bar");
  var errorEl = document.getElementById("reports-job-error");
  var link = document.getElementById("reports-job-download");
  var wait = document.getElementById("reports-job-wait");
  var delay = 1000;

  function show(state) {
    statusEl.textContent = state.status_display;
    progressEl.setAttribute("aria-valuenow", state.progress);
    bar.style.width = state.progress + "%";
    bar.textContent = state.progress + "%";
    if (state.finished) {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      wait.classList.add("d-none");
    }
    if (state.error) {
      errorEl.textContent = state.error;
      errorEl.classList.remove("d-none");
      bar.classList.add("bg-danger");
    }
    if (state.download_url) {
      link.setAttribute("href", state.download_url);
      link.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }

  // The server renders the bar's value; its width is set here (no inline styles under the CSP).
  bar.style.width = progressEl.getAttribute("aria-valuenow") + "%";
  if (wait && !wait.classList.contains("d-none")) { poll(); }
}());
