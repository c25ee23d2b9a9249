/* Points dashboards: draws every chart whose data the page passed with json_script (no inline
   script). Each <div class="dashboard-chart" data-chart="ID"> holds a canvas; #ID holds
   {type, labels, datasets: [{label, data, colour, dash}], yTitle, reverse, integer, max, horizontal}. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function toNumber(value) { return value === null || value === undefined ? null : Number(value); }
  document.querySelectorAll(".dashboard-chart[data-chart]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-chart"));
    var canvas = box.querySelector("canvas");
    if (!source || !canvas) { return; }
    var spec = JSON.parse(source.textContent);
    var horizontal = Boolean(spec.horizontal);
    var valueAxis = {
      title: { display: Boolean(spec.yTitle), text: spec.yTitle || "" },
      reverse: Boolean(spec.reverse),
      ticks: spec.integer ? { precision: 0 } : {}
    };
    if (spec.integer && !spec.reverse) { valueAxis.beginAtZero = true; }
    if (spec.reverse) { valueAxis.min = 1; }
    if (spec.max) { valueAxis.max = spec.max; }
    var scales = horizontal ? { x: valueAxis, y: {} } : { x: {}, y: valueAxis };
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return {
            label: d.label,
            data: d.data.map(toNumber),
            borderColor: d.colour,
            backgroundColor: d.colour,
            borderDash: d.dash ? [6, 4] : [],
            spanGaps: true,
            tension: 0.2
          };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { display: spec.datasets.length > 1 || spec.type === "line" } },
        scales: scales
      }
    });
    box.setAttribute("data-drawn", "true");
  });
})();
