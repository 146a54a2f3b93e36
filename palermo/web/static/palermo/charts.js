/* Draws every chart of the page (palermo/web/charts.py): each <div class="chart"> holds its figure as JSON.
   Loaded deferred after the deferred Plotly bundle, so Plotly is there when this runs. */
(function () {
  "use strict";

  function draw(element) {
    var source = element.querySelector('script[type="application/json"]');
    if (!source || element.getAttribute("data-drawn")) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    element.setAttribute("data-drawn", "true");
    window.Plotly.newPlot(element, spec.data, spec.layout, spec.config);
  }

  function drawAll() {
    if (typeof window.Plotly === "undefined") {
      return; /* the bundle did not load: the tables beside the charts hold the same figures */
    }
    document.querySelectorAll("div.chart").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
