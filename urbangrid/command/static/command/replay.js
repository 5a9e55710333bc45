/* Replaying a past day on the map: the day's live cases coloured by their state at the
 * slider's minute, and where each supervisor was then. The live layers hide meanwhile. */
(function () {
  "use strict";

  const { cfg, T, STATE, escapeHtml, getJson } = window.UGCommand;
  const STALE_MS = 10 * 60 * 1000; // a supervisor silent for longer is not shown at that minute

  function attach(map, { live }) {
    const el = (id) => document.getElementById(id);
    const day = el("replay-day");
    const slider = el("replay-slider");
    const play = el("replay-play");
    const back = el("replay-back");
    const out = el("replay-time");
    const group = L.featureGroup();
    let data = null;
    let timer = null;
    let onBack = () => {};
    day.value = day.value || new Date(Date.parse(cfg.today) - 86400000).toISOString().slice(0, 10);
    day.max = cfg.today;

    function dayStart() {
      return Date.parse(`${data.day}T00:00:00+08:00`);
    }

    function stateAt(states, t) {
      let found = null;
      for (const [at, state] of states) {
        if (Date.parse(at) <= t) found = state;
        else break;
      }
      return found;
    }

    function positionAt(points, t) {
      let found = null;
      for (const p of points) {
        if (Date.parse(p[0]) <= t) found = p;
        else break;
      }
      return found && t - Date.parse(found[0]) <= STALE_MS ? found : null;
    }

    function draw() {
      const minute = Number(slider.value);
      const t = dayStart() + minute * 60000;
      out.value = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
      group.clearLayers();
      let shown = 0;
      for (const c of data.cases) {
        const state = stateAt(c.states, t);
        if (!state || !STATE[state] || state === "closed") continue;
        shown += 1;
        L.circleMarker([c.lat, c.lon], { pane: "cases", radius: 6, color: "#fff", weight: 1, fillColor: STATE[state].colour, fillOpacity: 0.9 })
          .bindTooltip(`${escapeHtml(c.number)} ${escapeHtml(c.type_name)} · ${escapeHtml(STATE[state].label)}`)
          .addTo(group);
      }
      for (const track of data.tracks) {
        const p = positionAt(track.points, t);
        if (!p) continue;
        L.marker([p[2], p[1]], { pane: "people", keyboard: false, icon: L.divIcon({ className: "cmd-person", iconSize: null,
          html: `<span class="dot"></span><span class="name">${escapeHtml(track.name)}</span>` }) }).addTo(group);
      }
      document.body.dataset.replayShown = String(shown);
    }

    async function start() {
      data = await getJson(`${cfg.api}/replay?day=${encodeURIComponent(day.value)}`);
      live.forEach((layer) => layer.remove());
      group.addTo(map);
      slider.hidden = play.hidden = back.hidden = false;
      draw();
    }

    function stop() {
      clearInterval(timer);
      timer = null;
      play.textContent = T.play;
      group.remove();
      data = null;
      live.forEach((layer) => layer.addTo(map));
      slider.hidden = play.hidden = back.hidden = true;
      out.value = "";
      onBack();
    }

    el("replay-go").addEventListener("click", () => start().catch(console.error));
    back.addEventListener("click", stop);
    slider.addEventListener("input", () => data && draw());
    play.addEventListener("click", () => {
      if (timer) { clearInterval(timer); timer = null; play.textContent = T.play; return; }
      play.textContent = T.pause;
      timer = setInterval(() => {
        slider.value = (Number(slider.value) + 5) % 1440;
        draw();
      }, 250);
    });
    return { active: () => data !== null, onBack: (fn) => { onBack = fn; } };
  }

  window.UGReplay = { attach };
})();
