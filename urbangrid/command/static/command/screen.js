/* The big screen: the live map in the centre, today's figures, lists and trends around it.
 * Case and supervisor events move the map at once; the figures follow a few seconds later
 * (one reload for a burst of events), and every minute regardless. */
(function () {
  "use strict";

  const { cfg, T, STATE, LIGHT, escapeHtml, getJson, makeMap, addStreets, gridLayer, CaseLayer, SupervisorLayer, DensityLayer, caseCard, stream } = window.UGCommand;
  const map = makeMap(document.getElementById("map"), { attributionControl: false, zoomSnap: 0.25 });
  addStreets(map, { color: "#3c89e8", weight: 2, fill: false, opacity: 0.9 }).catch(console.error);
  gridLayer(map, { color: "#2b5d9c", weight: 0.6, fill: false, opacity: 0.7 }, 14);

  function rem(n) { return n * parseFloat(getComputedStyle(document.documentElement).fontSize); }

  async function openCard(c, marker) {
    const card = await caseCard(c.number);
    // On the map, not the marker: the layer redraws its markers when the popup pans the map.
    L.popup({ maxWidth: 360 }).setLatLng(marker.getLatLng()).setContent(card.html).openOn(map);
  }

  const cases = new CaseLayer(map, { onClick: openCard, radius: Math.round(rem(0.45)) });
  const people = new SupervisorLayer(map);
  const density = new DensityLayer(map);
  document.getElementById("toggle-density").addEventListener("change", (e) => density.toggle(e.target.checked));

  // ------------------------------------------------------------ legend and clock

  document.getElementById("scr-legend").innerHTML = `<div class="cmd-legend">
    <span><i style="background:${LIGHT.green}"></i>${escapeHtml(T.onSchedule)}</span>
    <span><i style="background:${LIGHT.yellow}"></i>${escapeHtml(T.warning)}</span>
    <span><i style="background:${LIGHT.red}"></i>${escapeHtml(T.overdue)}</span>
    <span><i style="background:#13c2c2"></i>${escapeHtml(T.supervisorsOnDuty)}</span></div>
    <div class="cmd-legend">${cfg.states.filter((s) => s.value !== "closed").map((s) =>
      `<span><i style="background:none;border:2px solid ${s.colour}"></i>${escapeHtml(s.label)}</span>`).join("")}</div>`;

  const clockEl = document.getElementById("scr-clock");
  const offset = Date.parse(cfg.now) - Date.now(); // the application's clock (the demo may run it fast)
  setInterval(() => { clockEl.textContent = new Date(Date.now() + offset).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }); }, 1000);

  // ------------------------------------------------------------ figures

  const AXIS = { axisLine: { lineStyle: { color: "#3d5a80" } }, axisLabel: { color: "#91caff", fontSize: rem(0.75) }, splitLine: { lineStyle: { color: "rgba(145,202,255,.1)" } } };
  const charts = {};
  function chart(id) {
    if (!charts[id]) charts[id] = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
    return charts[id];
  }
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));

  function bars(id, names, values, colour) {
    chart(id).setOption({
      grid: { left: rem(6.5), right: rem(2), top: rem(0.3), bottom: rem(0.3) },
      xAxis: { type: "value", ...AXIS, axisLabel: { show: false } },
      yAxis: { type: "category", data: names, inverse: true, ...AXIS, axisLabel: { ...AXIS.axisLabel, width: rem(6), overflow: "truncate" } },
      series: [{ type: "bar", data: values, barMaxWidth: rem(0.9), itemStyle: { color: colour, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: "right", color: "#fff", fontSize: rem(0.75) } }],
    });
  }

  function lines(id, trend) {
    chart(id).setOption({
      grid: { left: rem(2.2), right: rem(0.8), top: rem(1.8), bottom: rem(1.6) },
      legend: { textStyle: { color: "#91caff", fontSize: rem(0.75) }, itemHeight: rem(0.6), top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: trend.days, ...AXIS },
      yAxis: { type: "value", minInterval: 1, ...AXIS },
      series: [
        { name: T.reported, type: "line", data: trend.reported, color: "#40a9ff", areaStyle: { opacity: 0.15 } },
        { name: T.closed, type: "line", data: trend.closed, color: "#73d13d" },
      ],
    });
  }

  function tile(label, value, cls) {
    return `<div class="scr-tile ${cls || ""}"><b>${escapeHtml(value ?? "–")}</b><span>${escapeHtml(label)}</span></div>`;
  }

  function list(id, rows) {
    document.getElementById(id).innerHTML = rows.length
      ? rows.map((r, i) => `<tr><td class="rank">${i + 1}</td><td>${escapeHtml(r.name)}</td><td class="n">${escapeHtml(r.score)}</td><td>${escapeHtml(r.grade)}</td></tr>`).join("")
      : `<tr><td>${escapeHtml(T.noData)}</td></tr>`;
  }

  async function loadBoard() {
    const b = await getJson(`${cfg.api}/board`);
    const t = b.today;
    document.getElementById("scr-today").innerHTML = [
      tile(T.reported, t.reported), tile(T.filed, t.filed), tile(T.dispatched, t.dispatched),
      tile(T.closed, t.closed, "good"), tile(T.onTimeRate, t.on_time_rate == null ? "–" : `${t.on_time_rate}%`),
      tile(T.overdueNow, t.overdue, t.overdue ? "alarm" : ""),
    ].join("");
    const channels = t.channels.filter((c) => c.n > 0 || ["supervisor", "public", "hotline_12319"].includes(c.source));
    bars("chart-channels", channels.map((c) => c.label), channels.map((c) => c.n), "#36cfc9");
    bars("chart-types", b.top_types.map((r) => r.name), b.top_types.map((r) => r.n), "#597ef7");
    list("list-red", b.lists.red);
    list("list-black", b.lists.black);
    lines("chart-trend7", b.trend7);
    lines("chart-trend30", b.trend30);
  }

  let boardTimer = null;
  function boardSoon() {
    clearTimeout(boardTimer);
    boardTimer = setTimeout(() => loadBoard().catch(console.error), 3000);
  }

  // ------------------------------------------------------------ live

  const replay = window.UGReplay.attach(map, { live: [cases.group, people.group] });
  const statusEl = document.getElementById("scr-status");
  function reloadAll() {
    if (!replay.active()) { cases.refresh().catch(console.error); people.refresh().catch(console.error); }
    loadBoard().catch(console.error);
  }
  stream({
    case(ev) { if (!replay.active()) cases.apply(ev); boardSoon(); },
    supervisor(ev) { if (!replay.active()) people.apply(ev); },
    resync: reloadAll,
    status(live) {
      statusEl.dataset.live = live ? "1" : "0";
      statusEl.textContent = live ? T.connected : T.reconnecting;
    },
  });
  replay.onBack(reloadAll);
  reloadAll();
  setInterval(() => loadBoard().catch(console.error), 60000);
  document.body.dataset.ready = "1";
  window.ugScreen = { cases, people, density, STATE };
})();
