/* Branch page: a branch's total and rank over the published quarters (Chart.js, no inline script). */
(function () {
  "use strict";
  var canvas = document.getElementById("board-history-chart");
  var source = document.getElementById("board-history-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.totalLabel, data: data.totals.map(Number), borderColor: "#c8161d", backgroundColor: "#c8161d", yAxisID: "total", tension: 0.2 },
        { label: data.rankLabel, data: data.ranks, borderColor: "#1f5fae", backgroundColor: "#1f5fae", yAxisID: "rank", borderDash: [4, 4], tension: 0.2 }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        total: { type: "linear", position: "left", title: { display: true, text: data.totalLabel } },
        rank: { type: "linear", position: "right", reverse: true, min: 1, ticks: { precision: 0 }, grid: { drawOnChartArea: false }, title: { display: true, text: data.rankLabel } }
      }
    }
  });
})();
