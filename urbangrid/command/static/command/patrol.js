/* The patrol view: the supervisors' tracks of a day over their responsibility grids, walked
 * grids green, unwalked red, with the distance and the coverage of each. */
(function () {
  "use strict";

  const { cfg, T, escapeHtml, getJson, localTime, makeMap, addStreets } = window.UGCommand;
  const COLOURS = ["#1677ff", "#722ed1", "#eb2f96", "#fa8c16", "#13c2c2", "#2f54eb", "#a0d911", "#f5222d"];
  const map = makeMap(document.getElementById("map"));
  addStreets(map, { color: "#0b5cad", weight: 2, fill: false }).catch(console.error);
  const form = document.getElementById("patrol-form");
  const grids = L.featureGroup().addTo(map);
  const walks = L.featureGroup().addTo(map);

  async function gridShapes(codes) {
    const wanted = new Set(codes);
    const shapes = [];
    for (let offset = 0; wanted.size && offset < 20000; offset += 1000) {
      const page = await getJson(`${cfg.geoApi}/grids?simplify_m=1&limit=1000&offset=${offset}`);
      shapes.push(...page.items.filter((g) => wanted.has(g.code)));
      if (offset + 1000 >= page.count) break;
    }
    return shapes;
  }

  async function load() {
    const params = new URLSearchParams(new FormData(form));
    const data = await getJson(`${cfg.api}/patrol?${params}`);
    grids.clearLayers();
    walks.clearLayers();
    const walked = new Set(data.tracks.flatMap((t) => t.walked));
    const own = [...new Set(data.tracks.flatMap((t) => t.grids))];
    for (const g of await gridShapes([...new Set([...own, ...walked])])) {
      const yes = walked.has(g.code);
      L.geoJSON(g.geometry, { pane: "grids", interactive: false, style: { color: yes ? "#389e0d" : "#cf1322", weight: 1, fillColor: yes ? "#52c41a" : "#ff7875", fillOpacity: 0.28 } }).addTo(grids);
    }
    data.tracks.forEach((t, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const line = L.polyline(t.points.map((p) => [p[2], p[1]]), { color: colour, weight: 3, opacity: 0.85 }).addTo(walks);
      line.bindTooltip(`${escapeHtml(t.name)} ${escapeHtml(localTime(t.points[0][0]))}–${escapeHtml(localTime(t.points[t.points.length - 1][0]))}`, { sticky: true });
      t.colour = colour;
    });
    if (walks.getLayers().length) map.fitBounds(walks.getBounds().pad(0.15));
    document.getElementById("patrol-table").innerHTML = data.tracks.length
      ? `<tr><th>${escapeHtml(T.assignee)}</th><th>${escapeHtml(T.km)}</th><th>${escapeHtml(T.coverage)}</th></tr>` +
        data.tracks.map((t) => `<tr><td><i style="background:${t.colour}"></i>${escapeHtml(t.name)}</td><td class="n">${t.km}</td><td class="n">${t.coverage == null ? "–" : `${t.coverage}%`}</td></tr>`).join("")
      : `<tr><td>${escapeHtml(T.noTracks)}</td></tr>`;
    document.body.dataset.tracks = String(data.tracks.length);
  }

  form.addEventListener("submit", () => load().catch(console.error));
  load().catch(console.error);
})();
