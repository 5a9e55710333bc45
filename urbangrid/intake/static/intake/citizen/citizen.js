// The citizen pages' maps and forms (Leaflet + Alpine.js, no build step).
(function () {
  var config = JSON.parse(document.getElementById("map-config").textContent);
  function esc(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  var S = config.strings;

  function baseMap(el) {
    var map = L.map(el, { zoomControl: true, attributionControl: !!config.basemap.url });
    // The background below every report, whichever of the two answers comes first.
    map.createPane("areas").style.zIndex = 350;
    if (config.basemap.url) {
      L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution, maxZoom: 19 }).addTo(map);
    }
    fetch(config.areasUrl).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {
        style: function (f) {
          if (f.properties.road) return { color: "#ffffff", weight: f.properties.road === "arterial" ? 6 : 3, opacity: 0.95 };
          return f.properties.level === 1
            ? { color: "#0b7285", weight: 3, fill: true, fillColor: "#e9ecef", fillOpacity: config.basemap.url ? 0.08 : 1 }
            : { color: "#66a8b5", weight: 1, dashArray: "4 4", fill: false };
        },
        onEachFeature: function (f, layer) {
          if (f.properties.level === 2) layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "area-label" });
        },
        interactive: false,
        pane: "areas",
      }).addTo(map);
    });
    if (config.extent) map.fitBounds(config.extent); else map.setView([30, 120], 13);
    return map;
  }
  window.ugBaseMap = baseMap;

  document.addEventListener("alpine:init", function () {
    Alpine.data("typePicker", function (code, name) {
      return {
        code: code, name: name, q: "", found: [],
        pick: function (c, n) { this.code = c; this.name = n; this.found = []; this.q = ""; },
        search: function () {
          var self = this;
          if (!this.q.trim()) { this.found = []; return; }
          fetch(config.typesUrl + "?q=" + encodeURIComponent(this.q)).then(function (r) { return r.json(); })
            .then(function (d) { self.found = d.items; });
        },
      };
    });

    Alpine.data("reportForm", function () {
      return {
        sending: false, thumbs: [], status: "", addressQuery: "", places: [], map: null, pin: null,
        init: function () {
          var self = this;
          this.map = baseMap(document.getElementById("report-map"));
          var lon = parseFloat(this.field("lon").value), lat = parseFloat(this.field("lat").value);
          if (!isNaN(lon) && !isNaN(lat)) this.place(lat, lon, false);
          this.map.on("click", function (e) { self.place(e.latlng.lat, e.latlng.lng, false); });
          if (isNaN(lon)) this.locateMe();
        },
        field: function (name) { return this.$root.querySelector("[name=" + name + "]"); },
        place: function (lat, lon, fly) {
          var self = this;
          if (!this.pin) {
            this.pin = L.marker([lat, lon], { draggable: true, title: S.here }).addTo(this.map);
            this.pin.on("dragend", function () { var p = self.pin.getLatLng(); self.place(p.lat, p.lng, false); });
          }
          this.pin.setLatLng([lat, lon]);
          this.field("lon").value = lon.toFixed(7);
          this.field("lat").value = lat.toFixed(7);
          if (fly) this.map.setView([lat, lon], Math.max(this.map.getZoom(), 17));
          else this.map.panTo([lat, lon]);
        },
        locateMe: function () {
          var self = this;
          if (!navigator.geolocation) { this.status = S.noGps; return; }
          this.status = S.locating;
          navigator.geolocation.getCurrentPosition(
            function (pos) { self.status = ""; self.place(pos.coords.latitude, pos.coords.longitude, true); },
            function () { self.status = S.noGps; },
            { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
          );
        },
        geocode: function () {
          var self = this;
          if (!this.addressQuery.trim()) return;
          fetch(config.geocodeUrl + "?q=" + encodeURIComponent(this.addressQuery)).then(function (r) { return r.json(); })
            .then(function (d) { self.places = d.items; self.status = d.items.length ? "" : S.noResults; });
        },
        usePlace: function (p) {
          this.place(p.lat, p.lon, true);
          this.field("address").value = p.label;
          this.places = [];
        },
        preview: function (event) {
          // A new choice answers the refusal of the last one.
          event.target.closest("fieldset").querySelectorAll(".err").forEach(function (e) { e.remove(); });
          this.thumbs.forEach(function (u) { URL.revokeObjectURL(u); });
          this.thumbs = Array.prototype.map.call(event.target.files, function (f) { return URL.createObjectURL(f); });
        },
      };
    });
  });

  var publicMap = document.getElementById("public-map");
  if (publicMap) {
    var map = baseMap(publicMap);
    var colours = { received: "#868e96", in_hand: "#f08c00", done: "#2f9e44", ended: "#868e96" };
    var groups = { received: L.layerGroup().addTo(map), in_hand: L.layerGroup().addTo(map), done: L.layerGroup().addTo(map) };
    fetch(config.pointsUrl).then(function (r) { return r.json(); }).then(function (d) {
      // Done ones first, so that what is still open is drawn on top.
      var order = { done: 0, received: 1, in_hand: 2 };
      d.items.sort(function (a, b) { return order[a.stage] - order[b.stage]; }).forEach(function (it) {
        var done = it.stage === "done";
        L.circleMarker([it.lat, it.lon], {
          radius: done ? 5 : 7, color: "#fff", weight: 1.5, fillColor: colours[it.stage], fillOpacity: done ? 0.6 : 0.95,
        })
          .bindPopup("<b>" + esc(it.type) + "</b><br>" + esc(it.state) + "<br><small>" + esc(S.reported + " " + it.day) + "</small>")
          .addTo(groups[it.stage] || groups.in_hand);
      });
      var count = document.getElementById("map-count");
      if (count) count.textContent = d.items.length;
    });
    // The legend switches each kind on and off.
    document.querySelectorAll("[data-stage]").forEach(function (button) {
      button.addEventListener("click", function () {
        var group = groups[button.dataset.stage];
        var on = map.hasLayer(group);
        if (on) map.removeLayer(group); else map.addLayer(group);
        button.setAttribute("aria-pressed", on ? "false" : "true");
      });
    });
    if (navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var here = L.latLng(pos.coords.latitude, pos.coords.longitude);
        if (config.extent && L.latLngBounds(config.extent).contains(here)) map.setView(here, 16);
      }, function () {}, { timeout: 5000, maximumAge: 300000 });
    }
  }
})();
