/* global L */

// The tasks screen: the supervisor's 核实 and 核查 tasks, polled with a marker (an unchanged list
// costs one small answer), with navigation to the place and the answer form; answers go to the
// outbox like reports.

import { $, el, fmt, localTime, toast } from "./dom.js";
import { request } from "./http.js";
import { taskMarker } from "./maps.js";
import { newId } from "./outbox.js";
import { shrinkAll, thumbnails } from "./photos.js";

let cfg;
let S;
let outbox;
let show;
let mainMap;
let taskLayer;
let onNetwork;
const ui = { tasks: [], marker: "", seenTasks: null, reasons: [] };

export function setUpTasks(config, deps) {
  cfg = config;
  S = cfg.strings;
  ({ outbox, show, mainMap, onNetwork } = deps);
  taskLayer = L.layerGroup().addTo(mainMap);
  return { ui, pollTasks, renderTasks };
}

export async function pollTasks() {
  const reply = await request(`${cfg.api}/tasks?since=${encodeURIComponent(ui.marker)}`);
  onNetwork(!reply.offline);
  if (reply.offline) return;
  if (!reply.ok || !reply.body.changed) return;
  ui.marker = reply.body.marker;
  ui.reasons = reply.body.rework_reasons;
  const fresh = reply.body.tasks.filter((t) => ui.seenTasks && !ui.seenTasks.has(t.number));
  ui.seenTasks = new Set(reply.body.tasks.map((t) => t.number));
  ui.tasks = reply.body.tasks;
  await renderTasks();
  if (fresh.length) {
    toast(fmt(S.newTask, { label: S[fresh[0].task], number: fresh[0].number }), "news");
    if (navigator.vibrate) navigator.vibrate(200);
  }
}

export async function renderTasks() {
  const waiting = new Set((await outbox.list()).map((e) => e.number).filter(Boolean));
  const tasks = ui.tasks.filter((t) => !waiting.has(t.number));
  $("#task-list").replaceChildren(...tasks.map(cardFor));
  $("#no-tasks").hidden = tasks.length > 0;
  const badge = $("#task-count");
  badge.hidden = !tasks.length;
  badge.textContent = tasks.length;
  taskLayer.clearLayers();
  tasks.forEach((t) => taskMarker(t, S[t.task]).addTo(taskLayer));
}

// A card is kept while its task is unchanged, so an answer being written survives the polls.
const cards = new Map();
function cardFor(t) {
  const kept = cards.get(t.number);
  if (kept && kept.version === t.version) return kept.node;
  const node = taskCard(t);
  cards.set(t.number, { version: t.version, node });
  return node;
}

function navigateLinks(t) {
  const name = encodeURIComponent(`${t.number} ${t.address}`);
  return [
    el("a", { class: "button", href: `https://uri.amap.com/marker?position=${t.lon},${t.lat}&name=${name}&coordinate=wgs84&callnative=1` }, S.amap),
    el("a", { class: "button", href: `geo:${t.lat},${t.lon}?q=${t.lat},${t.lon}(${name})` }, S.mapApp),
    el("button", { type: "button", onclick: () => {
      show("map");
      mainMap.setView([t.lat, t.lon], 18);
    } }, S.onOurMap),
  ];
}

function taskCard(t) {
  const card = el(
    "li",
    { class: `card task ${t.task}`, "data-number": t.number },
    el("div", { class: "head" }, el("b", { class: "badge" }, S[t.task]), el("span", {}, t.number), el("small", {}, t.due_at ? `${S.due} ${localTime(t.due_at)}` : "")),
    el("p", { class: "what" }, t.type),
    el("p", { class: "where" }, t.address),
    t.description ? el("p", { class: "desc" }, t.description) : null,
    t.photos.length ? el("div", { class: "thumbs" }, ...t.photos.slice(0, 3).map((url) => el("figure", {}, el("img", { src: url, alt: "" })))) : null,
    el("div", { class: "actions" }, ...navigateLinks(t), el("button", { type: "button", class: "primary", onclick: () => answerForm(card, t) }, S.answer)),
  );
  return card;
}

function answerForm(card, t) {
  if (card.querySelector("form")) return;
  const photos = [];
  const thumbs = el("div", { class: "thumbs" });
  const redraw = () => thumbnails(thumbs, photos, (i) => { photos.splice(i, 1); redraw(); });
  const yes = t.task === "verify" ? S.confirmed : S.passed;
  const no = t.task === "verify" ? S.notFound : S.notPassed;
  const reasons = el("select", { name: "reason", hidden: true }, ...(ui.reasons || []).map((r) => el("option", { value: r.code }, r.label)));
  const error = el("p", { class: "error", hidden: true });
  const form = el(
    "form",
    { class: "answer" },
    el("label", { class: "camera" }, el("input", { type: "file", accept: "image/*", capture: "environment", multiple: true, onchange: async (e) => {
      photos.push(...(await shrinkAll(e.target.files)));
      e.target.value = "";
      error.hidden = true;
      redraw();
    } }), S.takePhotoButton),
    thumbs,
    el("div", { class: "choice" },
      el("label", {}, el("input", { type: "radio", name: "outcome", value: "1", checked: true, onchange: () => (reasons.hidden = true) }), yes),
      el("label", {}, el("input", { type: "radio", name: "outcome", value: "0", onchange: () => (reasons.hidden = t.task !== "check") }), no)),
    reasons,
    el("textarea", { name: "note", rows: 2, maxlength: 500, placeholder: S.notePlaceholder }),
    error,
    el("button", { type: "submit", class: "primary" }, S.send),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const ok = form.outcome.value === "1";
    const problem = !photos.length && (ok || t.task === "check") ? S.takePhoto : "";
    error.hidden = !problem;
    error.textContent = problem;
    if (problem) return;
    const fields = { version: String(t.version), note: form.note.value.trim() };
    if (t.task === "verify") fields.confirmed = String(ok);
    else Object.assign(fields, { passed: String(ok), reason: ok ? "" : reasons.value });
    toast(S.queued);
    await outbox.add({
      id: newId(),
      kind: t.task,
      number: t.number,
      url: `${cfg.api}/tasks/${t.number}/${t.task}`,
      title: `${S[t.task]} · ${t.number}`,
      summary: `${ok ? yes : no} · ${t.type}`,
      fields,
      photos,
    });
  });
  card.append(form);
}
