/* sigap charts: draw every <div data-chart="ID"> with Apache ECharts (served from our own static
 * files) from the option in <script id="chart-ID-option" type="application/json">.
 * Without JavaScript, or if ECharts did not load, the chart stays hidden and the table under it
 * carries the same numbers. No inline scripts, no network calls. */
(function () {
  "use strict";
  var charts = [];

  function draw(el) {
    var holder = document.getElementById("chart-" + el.dataset.chart + "-option");
    if (!holder) { return; }
    var option;
    try { option = JSON.parse(holder.textContent); } catch (e) { return; }
    el.hidden = false;
    // SVG: crisp in print and screenshots, and its text is selectable.
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  function init() {
    if (!window.echarts) { return; }
    var nodes = document.querySelectorAll("div[data-chart]");
    for (var i = 0; i < nodes.length; i++) { draw(nodes[i]); }
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () {
        for (var j = 0; j < charts.length; j++) { charts[j].resize(); }
      }, 150);
    });
    // Print at the paper's width, then back.
    window.addEventListener("beforeprint", function () {
      for (var j = 0; j < charts.length; j++) { charts[j].resize(); }
    });
    window.addEventListener("afterprint", function () {
      for (var j = 0; j < charts.length; j++) { charts[j].resize(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
