/* sigap charts: draw every <div data-chart="ID"> with Apache ECharts (served from our own static
 * files) from the option in <script id="chart-ID-option" type="application/json">.
 * Without JavaScript, or if ECharts did not load, the chart stays hidden and the table under it
 * carries the same numbers. No inline scripts, no network calls. */
(function () {
  "use strict";

  function draw(el) {
    var holder = document.getElementById("chart-" + el.dataset.chart + "-option");
    if (!holder) { return null; }
    var option;
    try { option = JSON.parse(holder.textContent); } catch (e) { return null; }
    el.hidden = false;
    // SVG: crisp in print and screenshots, and its text is selectable.
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    return chart;
  }

  function init() {
    if (!window.echarts) { return; }
    var charts = [];
    var nodes = document.querySelectorAll("div[data-chart]");
    for (var i = 0; i < nodes.length; i++) {
      var chart = draw(nodes[i]);
      if (chart) { charts.push(chart); }
    }
    function resizeAll() {
      for (var j = 0; j < charts.length; j++) { charts[j].resize(); }
    }
    if (window.ResizeObserver) {
      // Follows the chart's own box: window resizes, print layout, a sidebar opening.
      var observer = new ResizeObserver(function (entries) {
        for (var k = 0; k < entries.length; k++) {
          var c = window.echarts.getInstanceByDom(entries[k].target);
          if (c) { c.resize(); }
        }
      });
      for (var m = 0; m < nodes.length; m++) { observer.observe(nodes[m]); }
    } else {
      window.addEventListener("resize", resizeAll);
    }
    window.addEventListener("beforeprint", resizeAll);
    window.addEventListener("afterprint", resizeAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
