// The insights pages' charts: each <canvas data-chart="id"> is drawn from the JSON in the script
// element with that id (labels, datasets, and each label's link). A click on a bar or a point
// opens the rows behind it, the same link as the first cell of the table's row.
(function () {
  "use strict";
  var COLOURS = ["#2f5dbd", "#d9822b", "#3a8f5b", "#8e44ad", "#c0392b", "#5d6d7e"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = new Chart(canvas, {
      type: data.kind,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: COLOURS[i % COLOURS.length],
          };
        }),
      },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: data.datasets.length > 1 } },
        onHover: function (event, elements) {
          var linked = elements.length && data.links[elements[0].index];
          event.native.target.style.cursor = linked ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (!elements.length) return;
          var link = data.links[elements[0].index];
          if (link) window.location.assign(link);
        },
      },
    });
    canvas.dataset.drawn = "yes";
    return chart;
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
