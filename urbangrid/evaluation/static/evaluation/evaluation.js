/* The ranking page's trend chart: 按期处置率 per department over six months (ECharts). */
(function () {
  var el = document.getElementById("trend-chart");
  var src = document.getElementById("trend-data");
  if (!el || !src || !window.echarts) return;
  var data = JSON.parse(src.textContent);
  var chart = echarts.init(el, null, { renderer: "canvas" });
  if (!data.series.length) {
    el.classList.add("empty");
    el.textContent = el.dataset.empty || "—";
    return;
  }
  chart.setOption({
    animation: false,
    color: ["#0b5cad", "#e03131", "#2f9e44", "#f08c00", "#7048e8", "#1098ad", "#d6336c", "#5c940d"],
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v.toFixed(2) + "%"; } },
    legend: { type: "scroll", top: 0, left: 0, right: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: 28 },
    xAxis: { type: "category", data: data.months, boundaryGap: true },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: data.series.map(function (s) {
      return { name: s.name, type: "line", data: s.data, connectNulls: true, symbolSize: 9, showAllSymbol: true,
        label: { show: true, position: "top", formatter: function (p) { return p.value == null ? "" : p.value + "%"; } } };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
  window.ugTrendChart = chart;
})();
