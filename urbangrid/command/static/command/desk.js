/* The command desk: filter the live cases, draw an area to select them, and act on each from
 * the map (dispatch, urge, send the 核实/核查 task to the nearest supervisor on duty). */
(function () {
  "use strict";

  const { cfg, T, STATE, LIGHT, escapeHtml, getJson, postJson, localTime, makeMap, addStreets, gridLayer, CaseLayer, SupervisorLayer, DensityLayer, caseCard, stream } = window.UGCommand;
  const map = makeMap(document.getElementById("map"));
  addStreets(map, { color: "#0b5cad", weight: 2.5, fill: false }).catch(console.error);
  gridLayer(map, { color: "#5c7cfa", weight: 0.8, fill: false }, 15);

  const form = document.getElementById("desk-filters");
  const result = document.getElementById("desk-result");
  const list = document.getElementById("desk-selection");
  let polygon = null;
  let areaShape = null;
  let selected = new Map();
  let overrideReasons = [];
  getJson(`${cfg.casesApi}/reasons?category=override`).then((r) => { overrideReasons = r; }).catch(console.error);

  function filters() {
    const f = Object.fromEntries(new FormData(form).entries());
    for (const key of ["since", "until"]) if (f[key]) f[key] = `${f[key]}T00:00:00+08:00`;
    if (polygon) f.polygon = polygon.flat().map((v) => v.toFixed(6)).join(",");
    return f;
  }

  async function openCard(c, marker) {
    select([c], false);
    const card = await caseCard(c.number);
    L.popup({ maxWidth: 360 }).setLatLng(marker.getLatLng()).setContent(card.html).openOn(map);
  }

  const cases = new CaseLayer(map, {
    filters,
    onClick: openCard,
    onLoad(data) {
      document.getElementById("desk-count").textContent = `${data.count} ${T.casesInView}${data.mode === "cells" ? ` · ${T.zoomIn}` : ""}`;
      if (polygon && data.mode === "points") select(data.cases, true);
    },
  });
  const people = new SupervisorLayer(map);
  const density = new DensityLayer(map, filters);
  document.getElementById("toggle-density").addEventListener("change", (e) => density.toggle(e.target.checked));

  // ------------------------------------------------------------ selection and actions

  function select(items, replace) {
    if (replace) selected = new Map();
    for (const c of items) selected.set(c.number, c);
    render();
  }

  function departmentOptions(current) {
    return cfg.departments.map((d) => `<option value="${escapeHtml(d.code)}"${d.code === current ? " selected" : ""}>${escapeHtml(d.name)}</option>`).join("");
  }

  function actions(c) {
    const parts = [];
    if (c.state === "dispatching" && cfg.may.dispatch) {
      parts.push(`<select name="department" aria-label="${escapeHtml(T.department)}">${departmentOptions(c.department)}</select>
        <select name="reason" aria-label="${escapeHtml(T.reason)}"><option value="">${escapeHtml(T.reason)}</option>${overrideReasons.map((r) => `<option value="${escapeHtml(r.code)}">${escapeHtml(r.label)}</option>`).join("")}</select>
        <button type="button" data-act="dispatch">${escapeHtml(T.dispatch)}</button>`);
    }
    if (["dispatching", "disposing", "checking"].includes(c.state) && cfg.may.urge) {
      parts.push(`<button type="button" data-act="urge">${escapeHtml(T.urge)}</button>`);
    }
    if (["verifying", "checking"].includes(c.state) && cfg.may.send) {
      parts.push(`<button type="button" data-act="send">${escapeHtml(T.sendNearest)}</button>`);
    }
    return parts.join("");
  }

  function render() {
    document.getElementById("desk-selected-count").textContent = selected.size ? `(${selected.size})` : "";
    list.innerHTML = [...selected.values()].map((c) => `
      <li data-number="${escapeHtml(c.number)}" style="--light:${LIGHT[c.light] || "#8c8c8c"}">
        <div class="head"><span>${escapeHtml(c.type_name)}</span><a href="/cases/${escapeHtml(c.number)}/" target="_blank">${escapeHtml(c.number)}</a></div>
        <div class="meta">${escapeHtml((STATE[c.state] || {}).label || c.state)}${c.department_name ? ` · ${escapeHtml(c.department_name)}` : ""}${c.step_due_at ? ` · ${escapeHtml(T.due)} ${escapeHtml(localTime(c.step_due_at, true))}` : ""}</div>
        <div class="meta">${escapeHtml(c.address || "")}</div>
        <div class="acts">${actions(c)}</div>
      </li>`).join("");
  }

  function say(text, ok) {
    result.textContent = text;
    result.className = `desk-result ${ok ? "ok" : "bad"}`;
  }

  list.addEventListener("click", async (e) => {
    const button = e.target.closest("button[data-act]");
    if (!button) return;
    const li = button.closest("li");
    const c = selected.get(li.dataset.number);
    const url = `${cfg.api}/cases/${encodeURIComponent(c.number)}`;
    try {
      let done;
      if (button.dataset.act === "dispatch") {
        done = await postJson(`${url}/dispatch`, { version: c.version, department: li.querySelector("[name=department]").value, reason: li.querySelector("[name=reason]").value });
      } else if (button.dataset.act === "urge") {
        const note = window.prompt(T.urgeNote, T.urgeDefault);
        if (!note) return;
        done = await postJson(`${url}/urge`, { version: c.version, note });
      } else {
        const sent = await postJson(`${url}/send-nearest`, { version: c.version });
        say(`${T.done} ${c.number} → ${sent.name} (${sent.distance_m} ${T.metres})`, true);
        done = null;
      }
      if (done) say(`${T.done} ${c.number}: ${(STATE[done.state] || {}).label || done.state}`, true);
      await cases.refresh();
      const fresh = await getJson(`${cfg.api}/cases?${new URLSearchParams({ polygon: ringAround(c) })}`);
      for (const item of fresh.cases || []) if (item.number === c.number) selected.set(c.number, item);
      render();
    } catch (err) {
      say(`${T.failed}: ${c.number} — ${err.message}`, false);
    }
  });

  // A tiny ring around one case: the layer API then returns it alone, fresh, with its version.
  function ringAround(c) {
    const d = 0.00001;
    return [c.lon - d, c.lat - d, c.lon + d, c.lat - d, c.lon + d, c.lat + d, c.lon - d, c.lat + d].map((v) => v.toFixed(7)).join(",");
  }

  // ------------------------------------------------------------ filters and the drawn area

  form.addEventListener("submit", () => { cases.refresh().catch(console.error); if (density.on) density.refresh(); });
  const drawButton = document.getElementById("desk-draw");
  const clearButton = document.getElementById("desk-clear");
  const hint = document.getElementById("desk-hint");
  drawButton.addEventListener("click", () => {
    hint.hidden = false;
    window.UGDraw.drawArea(map, (ring) => {
      hint.hidden = true;
      polygon = ring;
      if (areaShape) areaShape.remove();
      areaShape = L.polygon(ring.map(([lon, lat]) => [lat, lon]), { color: "#d4380d", weight: 2, fillOpacity: 0.06, interactive: false }).addTo(map);
      clearButton.hidden = false;
      cases.refresh().catch(console.error);
    });
  });
  clearButton.addEventListener("click", () => {
    polygon = null;
    if (areaShape) areaShape.remove();
    clearButton.hidden = true;
    select([], true);
    cases.refresh().catch(console.error);
  });

  // ------------------------------------------------------------ live

  stream({
    case(ev) {
      cases.apply(ev);
      if (selected.has(ev.number)) {
        selected.set(ev.number, { ...selected.get(ev.number), ...ev, state_label: (STATE[ev.state] || {}).label });
        render();
      }
    },
    supervisor: (ev) => people.apply(ev),
    resync() { cases.refresh().catch(console.error); people.refresh().catch(console.error); },
  });
  cases.refresh().catch(console.error);
  people.refresh().catch(console.error);
  window.ugDesk = { cases, people, select, filters, setPolygon(ring) { polygon = ring; return cases.refresh(); } };
})();
