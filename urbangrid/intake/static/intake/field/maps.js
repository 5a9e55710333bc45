// The two maps: the overview (my responsibility grids, me, my tasks) and the report's
// location picker, whose marker follows the GPS until the supervisor drags it.

/* global L */

export function baseMap(element, cfg) {
  const map = L.map(element, { zoomControl: false, attributionControl: Boolean(cfg.basemap.url) });
  if (cfg.basemap.url) L.tileLayer(cfg.basemap.url, { attribution: cfg.basemap.attribution, maxZoom: 19 }).addTo(map);
  map.setView([30.0, 120.0], 15);
  return map;
}

export function gridLayer(geojson) {
  return L.geoJSON(geojson, {
    style: { color: "#0b5cad", weight: 1.5, fillColor: "#0b5cad", fillOpacity: 0.08 },
    onEachFeature: (f, layer) => layer.bindTooltip(`${f.properties.name} · ${f.properties.code}`, { sticky: true }),
  });
}

// Without a base map the roads of the gazetteer are what the supervisor finds the way by.
export function roadLayer(roads) {
  return L.geoJSON(
    roads.map((r) => ({ type: "Feature", geometry: r.geometry, properties: { name: r.name } })),
    {
      style: { color: "#8a94a3", weight: 3, opacity: 0.8 },
      onEachFeature: (f, layer) => f.properties.name && layer.bindTooltip(f.properties.name, { sticky: true }),
    },
  );
}

export function meMarker() {
  return L.circleMarker([0, 0], { radius: 8, color: "#fff", weight: 3, fillColor: "#1a73e8", fillOpacity: 1 });
}

export function taskMarker(task, label) {
  const colour = task.task === "verify" ? "#d97706" : "#7c3aed";
  return L.circleMarker([task.lat, task.lon], { radius: 9, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1 })
    .bindPopup(`<b>${label} ${task.number}</b><br>${escapeHtml(task.type)}<br>${escapeHtml(task.address)}`);
}

export function pickerMarker(map, onMove) {
  const marker = L.marker(map.getCenter(), { draggable: true, autoPan: true });
  marker.on("dragend", () => onMove(marker.getLatLng(), true));
  map.on("click", (e) => {
    marker.setLatLng(e.latlng);
    onMove(e.latlng, true);
  });
  return marker;
}

export function escapeHtml(text) {
  const div = document.createElement("div");
  div.textContent = text == null ? "" : String(text);
  return div.innerHTML;
}
