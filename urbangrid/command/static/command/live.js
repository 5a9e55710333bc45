/* What the big screen, the command desk and the patrol view share: the map with the county's
 * streets and unit grids, the live case layer (points, or counted cells when a view holds too
 * many), the supervisors on duty, the density layer, the case card, and the event stream.
 *
 * The stream is an EventSource: the browser reconnects by itself and sends Last-Event-ID, the
 * server replays what was missed, or sends `resync` when it cannot, and the layers reload.
 */
(function () {
  "use strict";

  const cfg = JSON.parse(document.getElementById("command-config").textContent);
  const T = cfg.strings;
  const STATE = Object.fromEntries(cfg.states.map((s) => [s.value, s]));
  const LIGHT = { red: "#ff4d4f", yellow: "#fadb14", green: "#52c41a" };

  function escapeHtml(text) {
    return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${url}`);
    return response.json();
  }

  function csrfToken() {
    const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(data.message || response.status), { data });
    return data;
  }

  function localTime(iso, withDate) {
    if (!iso) return "";
    const d = new Date(iso);
    const opts = { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Shanghai" };
    if (withDate) Object.assign(opts, { month: "2-digit", day: "2-digit" });
    return d.toLocaleString("zh-CN", opts);
  }

  function caseColour(c) {
    return LIGHT[c.light] || (STATE[c.state] || {}).colour || "#8c8c8c";
  }

  // ------------------------------------------------------------ the map

  function makeMap(el, options) {
    const map = L.map(el, { zoomControl: true, minZoom: 3, maxZoom: 20, preferCanvas: false, ...options });
    window.ugMap = map; // for tests
    for (const [name, z] of Object.entries({ grids: 390, divisions: 400, density: 410, cases: 450, people: 460 })) {
      map.createPane(name).style.zIndex = z;
    }
    map.getPane("grids").style.pointerEvents = "none";
    map.getPane("divisions").style.pointerEvents = "none";
    if (cfg.basemap.url) L.tileLayer(cfg.basemap.url, { attribution: cfg.basemap.attribution, maxZoom: 20 }).addTo(map);
    if (cfg.extent) map.fitBounds(cfg.extent, { padding: [10, 10] });
    else map.setView([30, 120], 13);
    return map;
  }

  function bbox(map) {
    const b = map.getBounds().pad(0.1);
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
  }

  async function addStreets(map, style) {
    const group = L.featureGroup().addTo(map);
    const page = await getJson(`${cfg.geoApi}/divisions?level=street&simplify_m=5&limit=1000`);
    for (const d of page.items || page) {
      if (!d.geometry) continue;
      const layer = L.geoJSON(d.geometry, { pane: "divisions", interactive: false, style }).addTo(group);
      L.tooltip({ permanent: true, direction: "center", className: "cmd-street-label", pane: "tooltipPane" })
        .setLatLng(layer.getBounds().getCenter()).setContent(escapeHtml(d.name)).addTo(group);
    }
    return group;
  }

  // Unit grids: drawn once the view is close enough to tell them apart.
  function gridLayer(map, style, minZoom) {
    const group = L.featureGroup().addTo(map);
    const drawn = new Set();
    const renderer = L.canvas({ pane: "grids" });
    async function load() {
      if (map.getZoom() < minZoom) { group.clearLayers(); drawn.clear(); return; }
      for (let offset = 0; offset < 5000; offset += 1000) {
        const page = await getJson(`${cfg.geoApi}/grids?bbox=${bbox(map)}&simplify_m=2&limit=1000&offset=${offset}`);
        for (const g of page.items) {
          if (drawn.has(g.code)) continue;
          drawn.add(g.code);
          L.geoJSON(g.geometry, { renderer, interactive: false, style }).addTo(group);
        }
        if (offset + 1000 >= page.count) break;
      }
    }
    map.on("moveend", () => load().catch(console.error));
    load().catch(console.error);
    return group;
  }

  // ------------------------------------------------------------ the live cases

  class CaseLayer {
    constructor(map, { filters, onClick, onLoad, radius }) {
      this.map = map;
      this.filters = filters || (() => ({}));
      this.onClick = onClick;
      this.onLoad = onLoad;
      this.radius = radius || 7;
      this.group = L.featureGroup().addTo(map);
      this.markers = new Map();
      this.mode = "points";
      this.pending = null;
      map.on("moveend", () => this.refresh());
    }

    params() {
      const f = Object.fromEntries(Object.entries(this.filters()).filter(([, v]) => v !== "" && v != null));
      if (!f.polygon) f.bbox = bbox(this.map);
      f.zoom = this.map.getZoom();
      return new URLSearchParams(f);
    }

    async refresh() {
      const data = await getJson(`${cfg.api}/cases?${this.params()}`);
      this.group.clearLayers();
      this.markers.clear();
      this.mode = data.mode;
      if (data.mode === "points") data.cases.forEach((c) => this.upsert(c));
      else data.cells.forEach((cell) => this.cell(cell));
      if (this.onLoad) this.onLoad(data);
      return data;
    }

    refreshSoon() {
      clearTimeout(this.pending);
      this.pending = setTimeout(() => this.refresh().catch(console.error), 800);
    }

    cell(cell) {
      const r = Math.min(8 + Math.sqrt(cell.n) * 2.2, 34);
      const colour = cell.red > cell.n / 3 ? LIGHT.red : cell.red ? "#fa8c16" : "#1677ff";
      L.circleMarker([cell.lat, cell.lon], { pane: "cases", radius: r, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.75 })
        .bindTooltip(String(cell.n), { permanent: true, direction: "center", className: "cmd-count" })
        .on("click", () => this.map.setView([cell.lat, cell.lon], this.map.getZoom() + 2))
        .addTo(this.group);
    }

    upsert(c, flash) {
      const old = this.markers.get(c.number);
      if (old) this.group.removeLayer(old);
      const marker = L.circleMarker([c.lat, c.lon], {
        pane: "cases",
        radius: this.radius,
        color: (STATE[c.state] || {}).colour || "#fff",
        weight: 2.5,
        fillColor: caseColour(c),
        fillOpacity: 0.9,
        className: flash ? "cmd-flash" : "",
      });
      marker.caseData = c;
      marker.bindTooltip(`${escapeHtml(c.type_name)} · ${escapeHtml(c.state_label || (STATE[c.state] || {}).label)}`);
      marker.on("click", () => this.onClick && this.onClick(c, marker));
      marker.addTo(this.group);
      this.markers.set(c.number, marker);
    }

    remove(number) {
      const old = this.markers.get(number);
      if (old) { this.group.removeLayer(old); this.markers.delete(number); }
    }

    // A case event: move the one marker in points mode; recount the cells otherwise.
    apply(ev) {
      if (this.mode !== "points" || this.filters().polygon) { this.refreshSoon(); return; }
      const f = this.filters();
      const live = STATE[ev.state] && ev.state !== "closed";
      const matches = (!f.state || f.state === ev.state) && (!f.department || f.department === ev.department)
        && (!f.type || ev.type.startsWith(f.type)) && (!f.area || (ev.grid || "").startsWith(f.area));
      if (!live || !matches) { this.remove(ev.number); return; }
      const now = Date.now();
      const due = ev.step_due_at ? Date.parse(ev.step_due_at) : null;
      const light = due == null ? null : due <= now ? "red" : "green";
      this.upsert({ ...ev, light, state_label: STATE[ev.state].label }, true);
    }
  }

  // ------------------------------------------------------------ supervisors on duty

  class SupervisorLayer {
    constructor(map) {
      this.map = map;
      this.group = L.featureGroup().addTo(map);
      this.markers = new Map();
    }

    icon(name) {
      return L.divIcon({ className: "cmd-person", html: `<span class="dot"></span><span class="name">${escapeHtml(name)}</span>`, iconSize: null });
    }

    place(s) {
      if (s.lon == null) return;
      const old = this.markers.get(s.user);
      if (old) { old.setLatLng([s.lat, s.lon]); return; }
      const m = L.marker([s.lat, s.lon], { pane: "people", icon: this.icon(s.name), keyboard: false }).addTo(this.group);
      this.markers.set(s.user, m);
    }

    remove(user) {
      const m = this.markers.get(user);
      if (m) { this.group.removeLayer(m); this.markers.delete(user); }
    }

    async refresh() {
      const list = await getJson(`${cfg.api}/supervisors`);
      this.group.clearLayers();
      this.markers.clear();
      list.forEach((s) => this.place(s));
      return list;
    }

    apply(ev) {
      if (ev.event === "supervisor.off_duty") this.remove(ev.user);
      else if (ev.event === "supervisor.position") this.place({ user: ev.user, name: ev.name, lon: ev.lon, lat: ev.lat });
    }
  }

  // ------------------------------------------------------------ density

  class DensityLayer {
    constructor(map, filters) {
      this.map = map;
      this.filters = filters || (() => ({}));
      this.group = L.featureGroup();
      this.on = false;
      map.on("zoomend", () => this.on && this.refresh());
    }

    toggle(on) {
      this.on = on;
      if (on) { this.group.addTo(this.map); this.refresh(); } else this.group.remove();
    }

    async refresh() {
      const f = Object.fromEntries(Object.entries(this.filters()).filter(([, v]) => v));
      delete f.polygon;
      const cells = await getJson(`${cfg.api}/density?${new URLSearchParams({ ...f, zoom: this.map.getZoom() })}`);
      const max = Math.max(1, ...cells.map((c) => c.n));
      this.group.clearLayers();
      for (const c of cells) {
        const t = Math.sqrt(c.n / max);
        const [w, s, e, n] = c.box;
        L.rectangle([[s, w], [n, e]], {
          pane: "density", interactive: false, stroke: false,
          fillColor: `hsl(${Math.round(50 - 50 * t)}, 100%, 50%)`, fillOpacity: 0.18 + 0.5 * t,
        }).addTo(this.group);
      }
    }
  }

  // ------------------------------------------------------------ the case card

  async function caseCard(number) {
    const c = await getJson(`${cfg.casesApi}/${encodeURIComponent(number)}`);
    const rows = [
      [T.type, c.type.name],
      [T.state, c.state_label],
      [T.address, c.address],
      [T.department, c.department && c.department.name],
      [T.holder, c.holder],
      [T.assignee, c.assignee],
      [T.due, localTime(c.step_due_at, true)],
    ].filter((r) => r[1]);
    const photos = c.photos.slice(-4).map((p) => `<img src="${escapeHtml(p.url)}" alt="${escapeHtml(p.stage)}" loading="lazy">`).join("");
    const steps = c.timeline.slice(-6).reverse().map((a) =>
      `<li><time>${escapeHtml(localTime(a.at, true))}</time> ${escapeHtml(a.actor)} · ${escapeHtml((STATE[a.to_state] || {}).label || a.action)}${a.note ? ` — ${escapeHtml(a.note)}` : ""}</li>`).join("");
    const html = `<div class="cmd-card"><h3><a href="/cases/${escapeHtml(c.number)}/" target="_blank">${escapeHtml(c.number)}</a></h3>
      <table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>
      ${photos ? `<div class="cmd-photos">${photos}</div>` : ""}
      <h4>${escapeHtml(T.timeline)}</h4><ol class="cmd-timeline">${steps}</ol></div>`;
    return { data: c, html };
  }

  // ------------------------------------------------------------ the stream

  function stream(handlers) {
    const source = new EventSource(cfg.stream);
    const status = handlers.status || (() => {});
    source.onopen = () => status(true);
    source.onerror = () => status(false);
    source.addEventListener("resync", () => handlers.resync && handlers.resync());
    source.onmessage = (e) => {
      const ev = JSON.parse(e.data);
      const handler = ev.event.startsWith("case.") ? handlers.case : handlers.supervisor;
      if (handler) handler(ev);
    };
    return source;
  }

  window.UGCommand = { cfg, T, STATE, LIGHT, escapeHtml, getJson, postJson, localTime, makeMap, addStreets, gridLayer, CaseLayer, SupervisorLayer, DensityLayer, caseCard, stream };
})();
