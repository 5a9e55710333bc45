/* Quick location by address on the hotline desk: the operator types what the caller says
 * (a door plate, a road, a landmark), picks one of the gazetteer's candidates, and the report
 * map (cases/case-map.js, pick mode) takes it as if the map had been clicked there: the point,
 * its unit grid and the place text are filled in the same way.
 */
(function () {
  "use strict";

  const box = document.querySelector(".address-search");
  const map = window.ugCaseMap;
  if (!box || !map) return;
  const input = box.querySelector("#address-q");
  const hits = box.querySelector("#address-hits");
  const address = box.closest("form").querySelector("[name=address]");

  function choose(item) {
    if (address) {
      address.value = item.label;
      address.dataset.edited = "1"; // keep the caller's words, not the map's description
    }
    const latlng = L.latLng(item.lat, item.lon);
    map.setView(latlng, 18);
    map.fire("click", { latlng });
    hits.replaceChildren();
    input.value = item.label;
  }

  async function search() {
    const q = input.value.trim();
    if (!q) return;
    const response = await fetch(`${box.dataset.geocodeApi}?limit=8&q=${encodeURIComponent(q)}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const items = (await response.json()).items.filter((i) => i.location);
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = box.dataset.none;
      hits.replaceChildren(li);
      return;
    }
    hits.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "hit";
        const where = item.location ? `${item.location.street.name} · ${item.location.community.name}` : "";
        button.innerHTML = "<strong></strong><small></small>";
        button.querySelector("strong").textContent = item.label;
        button.querySelector("small").textContent = where;
        button.addEventListener("click", () => choose(item));
        li.append(button);
        return li;
      }),
    );
  }

  // The pick map redraws the grids after each move, over the chosen point: keep the point on top.
  let raise = null;
  map.on("layeradd", () => {
    clearTimeout(raise);
    raise = setTimeout(() => {
      map.eachLayer((layer) => {
        if (layer.options && layer.options.className === "case-point" && layer.bringToFront) layer.bringToFront();
      });
    }, 50);
  });

  box.querySelector("#address-go").addEventListener("click", search);
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault(); // Enter searches; it must not file the half-written report
    search();
  });
})();
