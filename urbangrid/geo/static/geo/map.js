/* The map page: divisions, unit grids, gazetteer roads and components on Leaflet.
 *
 * Grids, divisions and roads are vector layers fetched for the view from /api/v1/geo/.
 * Components can number in the millions, so they come per 256-px tile from the server,
 * already clustered at low zoom, and are painted on one canvas per tile (L.GridLayer);
 * a click is matched against the painted points of the tile under the cursor.
 */
(function () {
  "use strict";

  const cfg = JSON.parse(document.getElementById("map-config").textContent);
  const T = cfg.strings;
  const STATUS = Object.fromEntries(cfg.statuses.map((s) => [s.value, s]));
  const el = document.getElementById("map");
  const map = L.map(el, { zoomControl: true, minZoom: 3, maxZoom: 20 });
  window.ugMap = map; // for tests and for other pages' scripts

  // Roads lie over the grids' pale fill so they stay readable, and let clicks through to them.
  const panes = { grids: 400, roads: 410, divisions: 420, components: 450 };
  for (const [name, z] of Object.entries(panes)) map.createPane(name).style.zIndex = z;
  map.getPane("roads").style.pointerEvents = "none";

  if (cfg.basemap.url) {
    L.tileLayer(cfg.basemap.url, { attribution: cfg.basemap.attribution, maxZoom: 20 }).addTo(map);
  } else {
    el.classList.add("plain-basemap");
  }

  // ------------------------------------------------------------ helpers

  function escapeHtml(text) {
    return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${url}`);
    return response.json();
  }

  function bboxParam() {
    const b = map.getBounds().pad(0.25);
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
  }

  function metresPerPixel() {
    const lat = map.getCenter().lat;
    return (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (256 * 2 ** map.getZoom());
  }

  async function fetchAll(path, params, maxItems) {
    const items = [];
    let count = 0;
    for (let offset = 0; ; offset += 1000) {
      const query = new URLSearchParams({ ...params, limit: 1000, offset });
      const page = await getJson(`${cfg.api}${path}?${query}`);
      count = page.count;
      if (count > maxItems) return { count, items: null };
      items.push(...page.items);
      if (items.length >= count || !page.items.length) return { count, items };
    }
  }

  function table(rows) {
    return "<table>" + rows.filter((r) => r[1] !== undefined && r[1] !== null && r[1] !== "")
      .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("") + "</table>";
  }

  function zoomClass() {
    const z = map.getZoom();
    el.classList.toggle("z-low", z < 15);
    el.classList.toggle("z-mid", z >= 15 && z < cfg.gridCodeZoom);
    el.classList.toggle("z-high", z >= cfg.gridCodeZoom);
  }

  // ------------------------------------------------------------ hint box

  const Hint = L.Control.extend({
    options: { position: "bottomright" },
    onAdd() {
      this.div = L.DomUtil.create("div", "ug-hint");
      return this.div;
    },
    set(text) { this.div.textContent = text || ""; },
  });
  const hint = new Hint().addTo(map);

  // ------------------------------------------------------------ divisions

  const streets = L.featureGroup();
  const communities = L.featureGroup();

  async function loadDivisions() {
    const simplify = 5;
    for (const [level, group, style, labelClass] of [
      ["street", streets, { color: "#0b5cad", weight: 3, fill: false }, "street-label"],
      ["community", communities, { color: "#364fc7", weight: 1.5, dashArray: "6 4", fill: false }, "community-label"],
    ]) {
      const { items } = await fetchAll("/divisions", { level, simplify_m: simplify }, 100000);
      for (const d of items) {
        const layer = L.geoJSON(d.geometry, { pane: "divisions", interactive: false, style });
        layer.addTo(group);
        const center = layer.getBounds().getCenter();
        L.tooltip({ permanent: true, direction: "center", className: `ug-label ${labelClass}`, pane: "tooltipPane" })
          .setLatLng(center).setContent(escapeHtml(d.name)).addTo(group);
      }
    }
  }

  // ------------------------------------------------------------ unit grids

  const grids = L.featureGroup();
  const gridLayers = new Map(); // code → layer, so panning only adds what is new
  const gridRenderer = L.svg({ pane: "grids" });
  let gridRequest = 0;

  function gridStyle(item) {
    return {
      renderer: gridRenderer,
      color: "#5c7cfa",
      weight: 1,
      fillColor: cfg.landUseColours[item.land_use] || "#f8f9fa",
      fillOpacity: 0.55,
      className: "ug-grid",
    };
  }

  async function loadGrids() {
    const ticket = ++gridRequest;
    if (!map.hasLayer(grids)) return;
    if (map.getZoom() < cfg.gridMinZoom) {
      grids.clearLayers();
      gridLayers.clear();
      hint.set(T.zoomForGrids);
      return;
    }
    const { count, items } = await fetchAll("/grids", { bbox: bboxParam(), simplify_m: metresPerPixel().toFixed(2) }, 3000);
    if (ticket !== gridRequest) return; // a newer view has asked since
    if (items === null) {
      hint.set(`${T.tooManyGrids} (${count})`);
      return;
    }
    hint.set("");
    const wanted = new Set(items.map((g) => g.code));
    for (const [code, layer] of gridLayers) {
      if (!wanted.has(code)) {
        grids.removeLayer(layer);
        gridLayers.delete(code);
      }
    }
    for (const item of items) {
      if (gridLayers.has(item.code)) continue;
      const layer = L.geoJSON(item.geometry, { style: () => gridStyle(item), pane: "grids" });
      layer.on("click", (e) => {
        L.DomEvent.stop(e);
        onMapClick(e.latlng, item);
      });
      // The serial (last 3 digits) reads at middle zooms, the whole code once there is room.
      const label = `<span class="code-full">${escapeHtml(item.code)}</span><span class="code-serial">${escapeHtml(item.code.slice(-3))}</span>`;
      layer.bindTooltip(label, { permanent: true, direction: "center", className: "ug-label grid-label" });
      layer.addTo(grids);
      gridLayers.set(item.code, layer);
    }
  }

  function gridPopup(latlng, g) {
    const dept = g.responsible_department ? g.responsible_department.name : T.territorial;
    const html = `<div class="ug-popup"><h3>${escapeHtml(g.code)}</h3>` + table([
      [T.community, `${g.community.name} (${g.community.code})`],
      [T.street, `${g.street.name} (${g.street.code})`],
      [T.area, `${Math.round(g.area_m2).toLocaleString()} ${T.m2}`],
      [T.landUse, g.land_use_name],
      [T.managementLevel, g.management_level_name],
      [T.responsible, dept],
      [T.place, T.loading],
    ]) + "</div>";
    const popup = L.popup().setLatLng(latlng).setContent(html).openOn(map);
    const cell = popup.getElement().querySelector("tr:last-child td");
    cell.dataset.describe = "";
    getJson(`${cfg.api}/describe?lon=${latlng.lng}&lat=${latlng.lat}`)
      .then((d) => { cell.textContent = d.description; })
      .catch(() => { cell.textContent = "-"; });
  }

  // ------------------------------------------------------------ roads (our own basemap)

  const roads = L.featureGroup();
  const roadRenderer = L.canvas({ pane: "roads" });
  const ROAD_WIDTH = { arterial: 9, secondary: 7, branch: 5, lane: 3 };
  let roadRequest = 0;

  async function loadRoads() {
    const ticket = ++roadRequest;
    if (!cfg.hasRoads || !map.hasLayer(roads) || map.getZoom() < 13) {
      roads.clearLayers();
      return;
    }
    const { items } = await fetchAll("/roads", { bbox: bboxParam(), simplify_m: metresPerPixel().toFixed(2) }, 20000);
    if (ticket !== roadRequest || items === null) return;
    roads.clearLayers();
    const scale = Math.max(0.4, Math.min(1.6, (map.getZoom() - 12) / 4));
    for (const casing of [true, false]) {
      for (const r of items) {
        const w = (ROAD_WIDTH[r.kind] || 4) * scale;
        L.geoJSON(r.geometry, {
          pane: "roads",
          interactive: false,
          style: { renderer: roadRenderer, color: casing ? "#aeb6c1" : "#ffffff", weight: casing ? w + 2 : w, lineCap: "round" },
        }).addTo(roads);
      }
    }
    const placed = [];
    const byRank = [...items].sort((a, b) => (ROAD_WIDTH[b.kind] || 0) - (ROAD_WIDTH[a.kind] || 0));
    for (const r of byRank) {
      const at = labelPoint(r.geometry, placed);
      if (!at) continue;
      placed.push(map.latLngToContainerPoint(at));
      L.tooltip({ permanent: true, direction: "center", className: "ug-label road-label" })
        .setLatLng(at).setContent(escapeHtml(r.name)).addTo(roads);
    }
  }

  // Where a road's name goes: on the part of the line in view, preferably its middle, but
  // not on top of a name placed already (crossing roads share their middles at junctions).
  const LABEL_CLEARANCE_PX = 70;
  function labelPoint(geometry, placed) {
    for (const share of [0.5, 0.3, 0.7, 0.15, 0.85]) {
      const at = alongVisible(geometry, share);
      if (!at) return null;
      const p = map.latLngToContainerPoint(at);
      if (placed.every((q) => q.distanceTo(p) > LABEL_CLEARANCE_PX)) return at;
    }
    return null;
  }

  // The point at `share` of the length of a line that lies in view.
  function alongVisible(geometry, share) {
    const lines = geometry.type === "LineString" ? [geometry.coordinates] : geometry.coordinates;
    const size = map.getSize();
    const view = L.bounds([0, 0], [size.x, size.y]);
    const pieces = [];
    let total = 0;
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        const a = map.latLngToContainerPoint([line[i - 1][1], line[i - 1][0]]);
        const b = map.latLngToContainerPoint([line[i][1], line[i][0]]);
        const clipped = L.LineUtil.clipSegment(a, b, view, false, true);
        if (!clipped) continue;
        const length = clipped[0].distanceTo(clipped[1]);
        pieces.push([clipped[0], clipped[1], length]);
        total += length;
      }
    }
    if (total < 80) return null; // too little of it in view to carry a name
    let left = total * share;
    for (const [a, b, length] of pieces) {
      if (left <= length) {
        const t = length ? left / length : 0;
        return map.containerPointToLatLng(L.point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t));
      }
      left -= length;
    }
    return null;
  }

  // ------------------------------------------------------------ components (canvas tiles)

  const tileData = new Map(); // "z/x/y" → {mode, clusters, points}
  const filters = { type: "", status: "" };
  let componentsBroken = false;

  const ComponentTiles = L.GridLayer.extend({
    createTile(coords, done) {
      const size = this.getTileSize();
      const ratio = window.devicePixelRatio || 1;
      const canvas = L.DomUtil.create("canvas", "ug-component-tile");
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      const key = `${coords.z}/${coords.x}/${coords.y}`;
      const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      getJson(`${cfg.componentsApi}/tiles/${key}?${query}`)
        .then((data) => {
          tileData.set(key, data);
          paint(canvas, coords, data, ratio);
          done(null, canvas);
        })
        .catch((err) => {
          if (!componentsBroken) {
            componentsBroken = true;
            hint.set(T.componentsUnavailable);
          }
          done(null, canvas);
          console.warn(err);
        });
      return canvas;
    },
  });

  function tilePixel(coords, lon, lat) {
    const p = map.project([lat, lon], coords.z);
    return [p.x - coords.x * 256, p.y - coords.y * 256];
  }

  function shortCount(n) {
    if (n >= 10000) return `${Math.round(n / 1000)}k`;
    if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
    return String(n);
  }

  function paint(canvas, coords, data, ratio) {
    const ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    if (data.mode === "clusters") {
      for (const c of data.clusters || []) {
        const [x, y] = tilePixel(coords, c.lon, c.lat);
        const r = 9 + 4 * Math.log10(Math.max(1, c.count));
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = "rgba(11, 92, 173, 0.75)";
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = "#fff";
        ctx.stroke();
        ctx.fillStyle = "#fff";
        ctx.font = "bold 11px sans-serif";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(shortCount(c.count), x, y);
      }
      return;
    }
    const radius = coords.z >= 18 ? 5 : 4;
    for (const p of data.points || []) {
      const [x, y] = tilePixel(coords, p.lon, p.lat);
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
      ctx.fillStyle = (STATUS[p.status] || { colour: "#495057" }).colour;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#fff";
      ctx.stroke();
    }
  }

  const components = new ComponentTiles({ pane: "components", tileSize: 256, updateWhenZooming: false, keepBuffer: 1 });
  components.on("tileunload", (e) => tileData.delete(`${e.coords.z}/${e.coords.x}/${e.coords.y}`));

  function componentAt(latlng) {
    if (!map.hasLayer(components)) return null;
    const z = map.getZoom();
    const p = map.project(latlng, z);
    const coords = { z, x: Math.floor(p.x / 256), y: Math.floor(p.y / 256) };
    const data = tileData.get(`${coords.z}/${coords.x}/${coords.y}`);
    if (!data) return null;
    const px = [p.x - coords.x * 256, p.y - coords.y * 256];
    let best = null;
    let bestDistance = Infinity;
    const items = data.mode === "clusters" ? data.clusters || [] : data.points || [];
    for (const item of items) {
      const [x, y] = tilePixel(coords, item.lon, item.lat);
      const reach = data.mode === "clusters" ? 9 + 4 * Math.log10(Math.max(1, item.count)) : 8;
      const d = Math.hypot(x - px[0], y - px[1]);
      if (d <= reach && d < bestDistance) {
        best = item;
        bestDistance = d;
      }
    }
    return best && { mode: data.mode, item: best };
  }

  async function componentPopup(latlng, item) {
    const popup = L.popup().setLatLng([item.lat, item.lon]).setContent(`<div class="ug-popup">${escapeHtml(T.loading)}</div>`).openOn(map);
    try {
      const c = await getJson(`${cfg.componentsApi}/${encodeURIComponent(item.code)}`);
      const status = STATUS[c.status] ? STATUS[c.status].label : c.status;
      const typeName = c.type_name || item.type_name || c.type;
      const dept = c.competent_department && (c.competent_department.name || c.competent_department);
      popup.setContent(`<div class="ug-popup"><h3>${escapeHtml(c.code)}</h3>` + table([
        [T.type, typeName],
        [T.status, status],
        [T.department, dept],
        [T.grid, c.grid_code],
      ]) + "</div>");
    } catch (err) {
      popup.setContent(`<div class="ug-popup"><h3>${escapeHtml(item.code)}</h3>${table([[T.type, item.type_name], [T.status, (STATUS[item.status] || {}).label]])}</div>`);
    }
  }

  function onMapClick(latlng, gridItem) {
    const hit = componentAt(latlng);
    if (hit && hit.mode === "clusters") {
      map.setView([hit.item.lat, hit.item.lon], Math.min(map.getZoom() + 2, map.getMaxZoom()));
    } else if (hit) {
      componentPopup(latlng, hit.item);
    } else if (gridItem) {
      gridPopup(latlng, gridItem);
    }
  }
  map.on("click", (e) => onMapClick(e.latlng, null));

  // ------------------------------------------------------------ filter panel and legend

  const Filters = L.Control.extend({
    options: { position: "topright" },
    onAdd() {
      const div = L.DomUtil.create("div", "ug-panel ug-filters");
      div.innerHTML =
        `<strong>${escapeHtml(T.components)}</strong>` +
        `<label>${escapeHtml(T.type)}<select name="type"><option value="">${escapeHtml(T.allTypes)}</option></select></label>` +
        `<label>${escapeHtml(T.status)}<select name="status"><option value="">${escapeHtml(T.allStatuses)}</option>` +
        cfg.statuses.map((s) => `<option value="${escapeHtml(s.value)}">${escapeHtml(s.label)}</option>`).join("") +
        "</select></label><div class=\"ug-legend\">" +
        cfg.statuses.map((s) => `<div><i style="background:${s.colour}"></i>${escapeHtml(s.label)}</div>`).join("") +
        "</div>";
      L.DomEvent.disableClickPropagation(div);
      for (const select of div.querySelectorAll("select")) {
        select.addEventListener("change", () => {
          filters[select.name] = select.value;
          components.redraw();
        });
      }
      getJson(`${cfg.catalogApi}/types?kind=component&limit=1000`)
        .then((page) => {
          const select = div.querySelector("select[name=type]");
          for (const t of page.items || []) {
            const option = document.createElement("option");
            option.value = t.code;
            option.textContent = `${t.code} ${t.name}`;
            select.appendChild(option);
          }
        })
        .catch(() => {});
      return div;
    },
  });

  // ------------------------------------------------------------ address search

  const Search = L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      const div = L.DomUtil.create("div", "ug-panel ug-search");
      div.innerHTML = `<input type="search" placeholder="${escapeHtml(T.search)}" aria-label="${escapeHtml(T.search)}"><ul></ul>`;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      const input = div.querySelector("input");
      const list = div.querySelector("ul");
      input.addEventListener("keydown", async (e) => {
        if (e.key !== "Enter" || !input.value.trim()) return;
        const page = await getJson(`${cfg.api}/geocode?q=${encodeURIComponent(input.value.trim())}&limit=8`);
        list.innerHTML = page.items.length ? "" : `<li>${escapeHtml(T.noResults)}</li>`;
        for (const c of page.items) {
          const li = document.createElement("li");
          const where = c.location ? `${c.location.community.name} · ${c.location.grid.code}` : "";
          li.innerHTML = `${escapeHtml(c.label)}<small>${escapeHtml([where, c.note].filter(Boolean).join(" · "))}</small>`;
          li.addEventListener("click", () => {
            map.setView([c.lat, c.lon], Math.max(map.getZoom(), 18));
            L.popup().setLatLng([c.lat, c.lon]).setContent(`<div class="ug-popup"><h3>${escapeHtml(c.label)}</h3>${escapeHtml(where)}</div>`).openOn(map);
          });
          list.appendChild(li);
        }
      });
      return div;
    },
  });

  // ------------------------------------------------------------ assembly

  new Search().addTo(map);
  new Filters().addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  const overlays = {};
  overlays[T.streets] = streets;
  overlays[T.communities] = communities;
  overlays[T.grids] = grids;
  if (cfg.hasRoads) overlays[T.roads] = roads;
  overlays[T.components] = components;
  for (const layer of Object.values(overlays)) layer.addTo(map);
  L.control.layers(null, overlays, { collapsed: false, position: "bottomleft" }).addTo(map);

  if (cfg.extent) {
    map.fitBounds(cfg.extent);
  } else {
    map.setView([35, 105], 4);
  }

  let pending = null;
  function refresh() {
    zoomClass();
    clearTimeout(pending);
    pending = setTimeout(() => {
      loadGrids().catch((err) => console.warn(err));
      loadRoads().catch((err) => console.warn(err));
    }, 150);
  }
  map.on("moveend", refresh);
  map.on("overlayadd", refresh);
  loadDivisions().catch((err) => console.warn(err));
  refresh();
})();
