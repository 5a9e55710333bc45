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
        // Point labels only while they can be read: with many lines they overlap.
        label: { show: data.series.length <= 3, position: "top", formatter: function (p) { return p.value == null ? "" : p.value + "%"; } } };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
  window.ugTrendChart = chart;
})();

/* The area trend, problem types and channels charts of the period (ECharts). */
(function () {
  if (!window.echarts) return;
  var PALETTE = ["#0b5cad", "#e03131", "#2f9e44", "#f08c00", "#7048e8", "#1098ad", "#d6336c", "#5c940d", "#868e96", "#e8590c"];

  function draw(id, dataId, isEmpty, option) {
    var el = document.getElementById(id);
    var src = document.getElementById(dataId);
    if (!el || !src) return null;
    var data = JSON.parse(src.textContent);
    if (isEmpty(data)) {
      el.classList.add("empty");
      el.textContent = el.dataset.empty || "—";
      return null;
    }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign({ animation: false, color: PALETTE }, option(data)));
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  window.ugAreaTrendChart = draw("area-trend-chart", "area-trend-data", function (d) { return !d.series.length; }, function (d) {
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v.toFixed(2) + "%"; } },
      legend: { type: "scroll", top: 0, left: 0, right: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 28 },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: d.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, connectNulls: true, symbolSize: 8, showAllSymbol: true };
      }),
    };
  });

  window.ugTypesChart = draw("types-chart", "types-data", function (d) { return !d.length; }, function (d) {
    var rows = d.slice().reverse(); // the most frequent at the top
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
        axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), barMaxWidth: 18,
        label: { show: true, position: "right" } }],
    };
  });

  window.ugChannelsChart = draw("channels-chart", "channels-data", function (d) { return !d.length; }, function (d) {
    return {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", bottom: 0, left: 0, right: 0 },
      series: [{ type: "pie", radius: ["35%", "62%"], center: ["50%", "45%"],
        data: d.map(function (r) { return { name: r.name, value: r.value }; }),
        label: { formatter: "{b}\n{c}", fontSize: 11 } }],
    };
  });
})();
