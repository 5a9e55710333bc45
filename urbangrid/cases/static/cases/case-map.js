/* The small maps of the case screens, on Leaflet with our own vector layers (and the configured
 * basemap, if any):
 *  - the case page: the case point coloured by its light, its unit grid outlined, the grids
 *    around it faint, so the place reads even without a basemap;
 *  - the report desk (`pick`): the streets and grids of the jurisdiction; a click sets the
 *    point, asks /geo/locate which grid it falls in, and fills in the place description.
 */
(function () {
  "use strict";

  const el = document.getElementById("case-map");
  const cfgNode = document.getElementById("case-map-config");
  if (!el || !cfgNode || !window.L) return;
  const cfg = JSON.parse(cfgNode.textContent);
  const LIGHT = { green: "#2f9e44", yellow: "#f08c00", red: "#e03131", "": "#0b5cad" };

  const map = L.map(el, { zoomControl: true, minZoom: 10, maxZoom: 20, attributionControl: !!cfg.basemap.url });
  window.ugCaseMap = map; // for the browser tests
  if (cfg.basemap.url) {
    L.tileLayer(cfg.basemap.url, { attribution: cfg.basemap.attribution, maxZoom: 20 }).addTo(map);
  } else {
    el.classList.add("plain-basemap");
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${url}`);
    return response.json();
  }

  function bbox(lon, lat, pad) {
    return [lon - pad, lat - pad, lon + pad, lat + pad].map((v) => v.toFixed(6)).join(",");
  }

  const gridStyle = { color: "#8a9bb0", weight: 1, fillColor: "#f8fafc", fillOpacity: 0.6, className: "ug-grid" };

  async function drawGrids(lon, lat, pad, highlight) {
    const page = await getJson(`${cfg.api}/grids?bbox=${bbox(lon, lat, pad)}&limit=500`);
    const layer = L.geoJSON(
      page.items.map((g) => ({ type: "Feature", geometry: g.geometry, properties: { code: g.code } })),
      {
        style: (f) =>
          f.properties.code === highlight
            ? { color: "#0b5cad", weight: 3, fillColor: "#d0ebff", fillOpacity: 0.45, className: "ug-grid case-grid" }
            : gridStyle,
      },
    ).addTo(map);
    return layer;
  }

  // ------------------------------------------------------------ the case page

  if (!cfg.pick) {
    map.setView([cfg.lat, cfg.lon], 17);
    L.circleMarker([cfg.lat, cfg.lon], {
      radius: 9,
      color: "#fff",
      weight: 3,
      fillColor: LIGHT[cfg.light] || LIGHT[""],
      fillOpacity: 1,
      className: "case-point",
    }).addTo(map);
    drawGrids(cfg.lon, cfg.lat, 0.006, cfg.grid).catch(() => el.classList.add("map-failed"));
    return;
  }

  // ------------------------------------------------------------ the report desk

  const form = el.closest("form");
  const lonInput = form.querySelector("input[name=lon]");
  const latInput = form.querySelector("input[name=lat]");
  const address = form.querySelector("[name=address]");
  const located = document.getElementById("located");
  let marker = null;
  let grids = null;

  if (cfg.extent) map.fitBounds(cfg.extent);
  else map.setView([30, 120], 12);

  getJson(`${cfg.api}/divisions?level=street&simplify_m=2&limit=1000`)
    .then((page) => {
      L.geoJSON(
        page.items.map((d) => ({ type: "Feature", geometry: d.geometry, properties: { name: d.name } })),
        { style: { color: "#0b5cad", weight: 2, fill: false, className: "ug-street" }, interactive: false },
      )
        .eachLayer((l) => l.bindTooltip(l.feature.properties.name, { permanent: true, direction: "center", className: "street-label" }))
        .addTo(map);
    })
    .catch(() => el.classList.add("map-failed"));

  async function refreshGrids() {
    if (map.getZoom() < 15) {
      if (grids) grids.remove();
      grids = null;
      return;
    }
    const c = map.getCenter();
    const next = await drawGrids(c.lng, c.lat, 0.01, null);
    if (grids) grids.remove();
    grids = next;
  }
  map.on("moveend", () => refreshGrids().catch(() => {}));

  async function choose(lat, lon) {
    lonInput.value = lon.toFixed(7);
    latInput.value = lat.toFixed(7);
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 3, fillColor: "#e03131", fillOpacity: 1, className: "case-point" }).addTo(map);
    located.textContent = `${lat.toFixed(6)}, ${lon.toFixed(6)}`;
    try {
      const loc = await getJson(`${cfg.api}/locate?lon=${lon}&lat=${lat}`);
      located.textContent = `${loc.street.name} · ${loc.community.name} · ${loc.grid.code}`;
      located.classList.remove("error");
      if (address && loc.description && !address.dataset.edited) address.value = loc.description;
    } catch (err) {
      located.textContent = located.dataset.outside;
      located.classList.add("error");
    }
  }

  if (address) address.addEventListener("input", () => (address.dataset.edited = "1"));
  map.on("click", (event) => choose(event.latlng.lat, event.latlng.lng));
  if (lonInput.value && latInput.value) {
    choose(parseFloat(latInput.value), parseFloat(lonInput.value));
  }
})();
