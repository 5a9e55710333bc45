/* Drawing an area on a Leaflet map: click the corners, double-click (or click the first corner)
 * to finish. Calls `done([[lon, lat], ...])`. Small enough not to vendor Leaflet.draw. */
(function () {
  "use strict";

  function drawArea(map, done) {
    const points = [];
    const line = L.polyline([], { color: "#d4380d", weight: 2, dashArray: "5 4" }).addTo(map);
    const container = map.getContainer();
    container.classList.add("drawing");
    map.doubleClickZoom.disable();

    function finish() {
      map.off("click", onClick);
      map.off("dblclick", finish);
      container.classList.remove("drawing");
      setTimeout(() => map.doubleClickZoom.enable(), 0);
      line.remove();
      if (points.length >= 3) done(points.map((p) => [p.lng, p.lat]));
    }

    function onClick(e) {
      const first = points[0];
      if (first && points.length >= 3 && map.latLngToContainerPoint(first).distanceTo(e.containerPoint) < 10) {
        finish();
        return;
      }
      points.push(e.latlng);
      line.setLatLngs(points);
    }

    map.on("click", onClick);
    map.on("dblclick", finish);
    return { cancel: () => { points.length = 0; finish(); } };
  }

  window.UGDraw = { drawArea };
})();
