// 城管通: the supervisor's phone app. Four screens (map, report, tasks, outbox) over one page;
// everything the supervisor submits goes through the outbox, so it survives a lost signal.

import { $, el, fmt, localTime, toast } from "./dom.js";
import { request } from "./http.js";
import { baseMap, gridLayer, meMarker, roadLayer } from "./maps.js";
import { Outbox } from "./outbox.js";
import { shrinkAll, thumbnails } from "./photos.js";
import { setUpReport } from "./report.js";
import * as store from "./store.js";
import { setUpTasks } from "./tasks.js";
import { Tracker } from "./tracking.js";

const cfg = JSON.parse(document.getElementById("field-config").textContent);
const S = cfg.strings;
store.useUser(cfg.user);

// ---- screens ---------------------------------------------------------------------------------

function show(view) {
  document.querySelectorAll(".view").forEach((s) => (s.hidden = s.dataset.view !== view));
  document.querySelectorAll(".tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === view));
  if (view === "map") mainMap.invalidateSize();
  if (view === "report") report.onShow();
}
document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => show(b.dataset.tab)));

// ---- network state ---------------------------------------------------------------------------

function setOnline(online) {
  const net = $("#net");
  net.dataset.online = online ? "1" : "0";
  net.textContent = online ? S.online : S.offline;
}
window.addEventListener("online", () => {
  setOnline(true);
  outbox.flush();
  tracker.flush();
  tasks.pollTasks();
});
window.addEventListener("offline", () => setOnline(false));

// ---- map -------------------------------------------------------------------------------------

const mainMap = baseMap("main-map", cfg);
const me = meMarker();
let gridsLayer = null;

async function loadGrids() {
  const reply = await request(`${cfg.api}/grids`);
  if (!reply.ok) return;
  gridsLayer = gridLayer(reply.body).addTo(mainMap);
  gridLayer(reply.body).addTo(report.map);
  if (!reply.body.features.length) return;
  if (!tracker.fix) mainMap.fitBounds(gridsLayer.getBounds(), { padding: [12, 12] });
  if (!cfg.basemap.url) loadRoads(gridsLayer.getBounds().pad(0.3));
}

async function loadRoads(bounds) {
  const q = new URLSearchParams({ bbox: bounds.toBBoxString(), limit: "500", simplify_m: "2" });
  const reply = await request(`${cfg.geoApi}/roads?${q}`);
  if (!reply.ok || !reply.body.items.length) return;
  roadLayer(reply.body.items).addTo(mainMap);
  roadLayer(reply.body.items).addTo(report.map);
}

$("#locate-me").addEventListener("click", () => {
  if (tracker.fix) mainMap.setView([tracker.fix.lat, tracker.fix.lon], 17);
  else if (gridsLayer) mainMap.fitBounds(gridsLayer.getBounds());
});

// ---- duty and position -----------------------------------------------------------------------

let firstFix = true;
const tracker = new Tracker(cfg, {
  onFix(fix) {
    me.setLatLng([fix.lat, fix.lon]);
    if (!mainMap.hasLayer(me)) me.addTo(mainMap);
    if (firstFix) {
      firstFix = false;
      mainMap.setView([fix.lat, fix.lon], 16);
    }
    report.followGps(fix);
  },
  onDuty(since) {
    const button = $("#duty");
    button.dataset.on = since ? "1" : "0";
    button.textContent = since ? S.goOffDuty : S.goOnDuty;
    const line = $("#duty-line");
    line.hidden = !since;
    line.textContent = since ? fmt(S.onDutySince, { time: localTime(since), seconds: cfg.positionSeconds }) : "";
  },
  onError(message) {
    toast(message === "offline" ? S.dutyNeedsNetwork : message, "bad");
  },
});
$("#duty").addEventListener("click", () => tracker.toggle());

// ---- outbox ----------------------------------------------------------------------------------

const outbox = new Outbox({
  onChange: () => renderOutbox(),
  onSent(entry, body) {
    if (entry.kind === "report") toast(fmt(S.reported, { number: body.number }), "good");
    else toast(fmt(S.answered, { number: body.number }), "good");
    if (entry.kind !== "report") tasks.pollTasks();
  },
});

let renderingOutbox = Promise.resolve();
function renderOutbox() {
  renderingOutbox = renderingOutbox.then(drawOutbox);
  return renderingOutbox;
}

async function drawOutbox() {
  const entries = await outbox.list();
  $("#outbox-list").replaceChildren(...entries.map(outboxCard));
  $("#outbox-empty").hidden = entries.length > 0;
  const badge = $("#outbox-count");
  badge.hidden = !entries.length;
  badge.textContent = entries.length;
  badge.classList.toggle("bad", entries.some((e) => e.status === "refused"));
  if (tasks.ui.tasks.length) await tasks.renderTasks();
}

function outboxCard(entry) {
  const refused = entry.status === "refused";
  const fix = el("label", { class: "camera small" }, el("input", { type: "file", accept: "image/*", capture: "environment", multiple: true, onchange: async (e) => {
    await outbox.addPhotos(entry.id, await shrinkAll(e.target.files));
  } }), S.addPhoto);
  const photos = el("div", { class: "thumbs" });
  if (refused) thumbnails(photos, entry.photos, (i) => outbox.removePhoto(entry.id, i));
  return el(
    "li",
    { class: `card outbox ${entry.status}`, "data-id": entry.id, "data-status": entry.status },
    el("div", { class: "head" }, el("b", { class: "badge" }, refused ? S.refused : S.waiting), el("span", {}, entry.title)),
    entry.summary ? el("p", {}, entry.summary) : null,
    el("p", { class: "meta" }, `${localTime(new Date(entry.created).toISOString())} · ${fmt(S.photoCount, { n: entry.photos.length })}`),
    entry.error ? el("p", { class: refused ? "error" : "meta" }, entry.error) : null,
    photos,
    el("div", { class: "actions" },
      refused ? fix : null,
      el("button", { type: "button", class: "resend", onclick: () => outbox.retry(entry.id) }, S.resend),
      refused ? el("button", { type: "button", class: "danger", onclick: () => confirm(S.confirmDelete) && outbox.discard(entry.id) }, S.delete) : null),
  );
}

const report = setUpReport(cfg, { outbox, currentFix: () => tracker.fix });
const tasks = setUpTasks(cfg, { outbox, show, mainMap, onNetwork: setOnline });

// ---- start -----------------------------------------------------------------------------------

setOnline(navigator.onLine);
tracker.watch();
renderOutbox();
Promise.all([report.loadTypes(), loadGrids(), tracker.load(), tasks.pollTasks()]).then(() => {
  document.body.dataset.ready = "1";
  outbox.flush();
});
setInterval(() => {
  tasks.pollTasks();
  outbox.flush();
  tracker.flush();
}, cfg.pollSeconds * 1000);

if ("serviceWorker" in navigator) navigator.serviceWorker.register(cfg.swUrl, { scope: "/field/" }).catch(() => {});
window.ugField = { outbox, tracker, ui: report.ui, tasks: tasks.ui, mainMap, reportMap: report.map };

