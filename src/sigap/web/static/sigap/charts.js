/* sigap charts: draw every <div data-chart="ID"> with Apache ECharts (served from our own static
 * files) from the option in <script id="chart-ID-option" type="application/json">.
 * Without JavaScript, or if ECharts did not load, the chart stays hidden and the table under it
 * carries the same numbers. No inline scripts, no network calls.
 *
 * Numbers: the server (sigap.web.charts, through sigap.web.formatting) writes every point's
 * label in the page's language, exactly as the table prints it (option.sigap.labels); the point
 * labels and the tooltip show those strings. Only the axis ticks, which ECharts chooses, are
 * formatted here, with the separators and affixes the server sent (option.sigap.axis). */
(function () {
  "use strict";

  // The ECharts texts we may show, in Indonesian (ECharts ships English and Chinese only;
  // what is left out falls back to English).
  var ID_LOCALE = {
    time: {
      month: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
        "September", "Oktober", "November", "Desember"],
      monthAbbr: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
        "Des"],
      dayOfWeek: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
      dayOfWeekAbbr: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"]
    },
    legend: { selector: { all: "Semua", inverse: "Balik" } }
  };

  // 1234.5 → "1.234,5" with the separators of the page's language; a tick keeps the decimals
  // it has (ECharts picks round ticks), at most six.
  function tick(value, axis) {
    var text = String(Math.abs(Number(value.toFixed(6))));
    var parts = text.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, axis.group);
    var digits = parts.length > 1 ? whole + axis.decimal + parts[1] : whole;
    return axis.prefix + (value < 0 && text !== "0" ? "-" : "") + digits + axis.suffix;
  }

  function withFormatters(option) {
    var sigap = option.sigap;
    if (!sigap) { return option; }
    var labels = sigap.labels;
    option.yAxis.axisLabel.formatter = function (value) { return tick(value, sigap.axis); };
    for (var i = 0; i < option.series.length; i++) {
      option.series[i].label.formatter = function (p) { return labels[p.seriesIndex][p.dataIndex]; };
    }
    option.tooltip.formatter = function (params) {
      var lines = [params.length ? params[0].axisValueLabel : ""];
      for (var j = 0; j < params.length; j++) {
        var p = params[j];
        lines.push(p.marker + p.seriesName + ": " + labels[p.seriesIndex][p.dataIndex]);
      }
      return lines.join("\n");
    };
    delete option.sigap;
    return option;
  }

  function draw(el) {
    var holder = document.getElementById("chart-" + el.dataset.chart + "-option");
    if (!holder) { return null; }
    var option;
    try { option = JSON.parse(holder.textContent); } catch (e) { return null; }
    el.hidden = false;
    var locale = option.sigap && option.sigap.lang === "id" ? ID_LOCALE : "EN";
    // SVG: crisp in print and screenshots, and its text is selectable.
    var chart = window.echarts.init(el, null, { renderer: "svg", locale: locale });
    chart.setOption(withFormatters(option));
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
