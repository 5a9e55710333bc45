// The report screen: the type (searched by name or pinyin, the supervisor's usual ones first),
// photos, the place (GPS, or where the marker is dragged) and, for a component problem, the
// component; the finished report goes to the outbox.

import { $, el, toast } from "./dom.js";
import { request } from "./http.js";
import { baseMap, pickerMarker } from "./maps.js";
import { newId } from "./outbox.js";
import { shrinkAll, thumbnails } from "./photos.js";

let cfg;
let S;
let outbox;
let currentFix;
let reportMap;
let picker;
const ui = { types: [], type: null, photos: [], place: null, component: "" };

export function setUpReport(config, deps) {
  cfg = config;
  S = cfg.strings;
  ({ outbox, currentFix } = deps);
  reportMap = baseMap("report-map", cfg);
  picker = pickerMarker(reportMap, (ll) => setPlace(ll.lng, ll.lat, true));
  return {
    ui,
    map: reportMap,
    loadTypes,
    followGps(fix) {
      if (!ui.place || !ui.place.manual) setPlace(fix.lon, fix.lat, false);
    },
    onShow() {
      reportMap.invalidateSize();
      if (ui.place) reportMap.setView([ui.place.lat, ui.place.lon], Math.max(reportMap.getZoom(), 17));
    },
  };
}

function typeMatches(t, q) {
  return !q || t.code.includes(q) || t.name.toLowerCase().includes(q) || t.py.includes(q) || t.pinyin.includes(q);
}

function renderTypes() {
  const q = $("#type-search").value.trim().toLowerCase().replace(/\s+/g, "");
  const found = ui.types.filter((t) => typeMatches(t, q)).slice(0, q ? 30 : 10);
  $("#type-list").replaceChildren(
    ...found.map((t) =>
      el(
        "li",
        {},
        el(
          "button",
          { type: "button", "data-type": t.code, onclick: () => chooseType(t) },
          el("span", { class: "name" }, t.name),
          el("small", {}, t.major),
          t.uses ? el("em", { class: "tag" }, S.frequent) : null,
        ),
      ),
    ),
    ...(found.length ? [] : [el("li", { class: "empty" }, S.noType)]),
  );
}

function chooseType(t) {
  ui.type = t;
  const chosen = $("#type-chosen");
  chosen.querySelector("span").textContent = `${t.name}（${t.major}）`;
  chosen.hidden = false;
  $("#type-picker").hidden = true;
  $("#component-field").hidden = !t.component;
  ui.component = "";
  if (t.component) loadComponents();
}

$("#type-chosen button").addEventListener("click", () => {
  ui.type = null;
  $("#type-chosen").hidden = true;
  $("#type-picker").hidden = false;
  $("#component-field").hidden = true;
  $("#type-search").focus();
});
$("#type-search").addEventListener("input", renderTypes);

async function loadTypes() {
  const reply = await request(`${cfg.api}/types`);
  if (reply.ok) {
    ui.types = reply.body;
    localStorage.setItem(`ug-field-types-${cfg.user}`, JSON.stringify(reply.body));
  } else {
    ui.types = JSON.parse(localStorage.getItem(`ug-field-types-${cfg.user}`) || "[]");
  }
  renderTypes();
}

// ---- photos --------------------------------------------------------------------------

function renderPhotos() {
  thumbnails($("#report-thumbs"), ui.photos, (i) => {
    ui.photos.splice(i, 1);
    renderPhotos();
  });
}

$("#report-photos").addEventListener("change", async (e) => {
  ui.photos.push(...(await shrinkAll(e.target.files)));
  e.target.value = "";
  $("#report-error").hidden = true;
  renderPhotos();
});

// ---- location and component ------------------------------------------------------------------

let placeSeq = 0;

async function setPlace(lon, lat, manual) {
  ui.place = { lon, lat, manual };
  picker.setLatLng([lat, lon]);
  if (!reportMap.hasLayer(picker)) {
    picker.addTo(reportMap);
    reportMap.setView([lat, lon], 17);
  }
  const seq = ++placeSeq;
  const [where, what] = await Promise.all([
    request(`${cfg.geoApi}/locate?lon=${lon}&lat=${lat}`),
    request(`${cfg.geoApi}/describe?lon=${lon}&lat=${lat}`),
  ]);
  if (seq !== placeSeq) return; // the marker moved on meanwhile
  const line = $("#report-place");
  line.classList.toggle("bad", Boolean(where.status && !where.ok));
  if (where.offline) line.textContent = S.placeOffline;
  else if (!where.ok) line.textContent = where.body.message || S.placeUnknown;
  else {
    const b = where.body;
    ui.place.address = what.ok ? what.body.description : "";
    line.textContent = `${S.grid} ${b.grid.code} · ${b.street.name}${b.community.name}${ui.place.address ? ` · ${ui.place.address}` : ""}`;
  }
  if (ui.type?.component) loadComponents();
}

async function loadComponents() {
  const list = $("#component-list");
  if (!ui.place) return;
  const q = new URLSearchParams({ near: `${ui.place.lon},${ui.place.lat}`, radius: "100", type: ui.type.code, limit: "8" });
  const reply = await request(`${cfg.componentsApi}?${q}`);
  const items = reply.ok ? reply.body.items : [];
  list.replaceChildren(
    ...items.map((c) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            "data-component": c.code,
            class: ui.component === c.code ? "picked" : "",
            onclick: () => {
              ui.component = ui.component === c.code ? "" : c.code;
              $("#component-code").value = ui.component;
              loadComponents();
            },
          },
          el("span", { class: "name" }, c.type_name),
          el("small", {}, c.code),
          el("em", { class: "tag" }, `${Math.round(c.distance_m)}\u00a0m`),
        ),
      ),
    ),
    ...(items.length ? [] : [el("li", { class: "empty" }, reply.offline ? S.componentsOffline : S.noComponents)]),
  );
}
$("#component-code").addEventListener("input", (e) => (ui.component = e.target.value.trim()));

// ---- submit --------------------------------------------------------------------------

function reportProblem() {
  if (!ui.type) return S.chooseType;
  if (!ui.photos.length) return S.takePhoto;
  if (!ui.place) return S.waitForPosition;
  return "";
}

$("#report-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const problem = reportProblem();
  const error = $("#report-error");
  error.hidden = !problem;
  error.textContent = problem;
  if (problem) return;
  const id = newId();
  const note = $("#report-note").value.trim();
  const entry = {
    id,
    kind: "report",
    url: `${cfg.api}/reports`,
    title: `${S.reportTitle} · ${ui.type.name}`,
    summary: note || ui.place.address || "",
    fields: {
      client_id: id,
      type: ui.type.code,
      component: ui.component,
      lon: String(ui.place.lon),
      lat: String(ui.place.lat),
      address: ui.place.manual ? ui.place.address || "" : "",
      note,
    },
    photos: ui.photos,
  };
  promoteType(ui.type);
  resetReport();
  toast(S.queued);
  await outbox.add(entry);
});

// The type just used goes first in the picker, as the server will also order it next time.
function promoteType(chosen) {
  chosen.uses += 1;
  ui.types = [chosen, ...ui.types.filter((t) => t !== chosen)];
}

function resetReport() {
  ui.photos = [];
  ui.component = "";
  renderPhotos();
  $("#report-note").value = "";
  $("#component-code").value = "";
  $("#type-chosen button").click();
  $("#type-search").value = "";
  renderTypes();
  if (ui.place) ui.place.manual = false;
  const fix = currentFix();
  if (fix) setPlace(fix.lon, fix.lat, false);
}
