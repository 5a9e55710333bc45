// Where the supervisor is: the phone's GPS fix for the map and reports, and while on duty a
// point every `positionSeconds`, queued on the phone and sent as a batch (all at once after a
// stretch without signal).

import { request } from "./http.js";
import * as store from "./store.js";

const STORE = "positions";
const BATCH = 500;

export class Tracker {
  constructor(cfg, { onFix, onDuty, onError }) {
    this.cfg = cfg;
    this.onFix = onFix;
    this.onDuty = onDuty;
    this.onError = onError;
    this.fix = null;
    this.onDutySince = null;
    this.timer = null;
  }

  watch() {
    if (!navigator.geolocation) return;
    navigator.geolocation.watchPosition(
      (pos) => {
        this.fix = {
          lon: pos.coords.longitude,
          lat: pos.coords.latitude,
          accuracy: pos.coords.accuracy,
          at: new Date(pos.timestamp || Date.now()).toISOString(),
        };
        this.onFix(this.fix);
      },
      () => {},
      { enableHighAccuracy: true, maximumAge: 10000 },
    );
  }

  async load() {
    const reply = await request(`${this.cfg.api}/duty`);
    if (reply.ok) this.setDuty(reply.body);
  }

  setDuty({ on_duty: onDuty, since }) {
    this.onDutySince = onDuty ? since : null;
    clearInterval(this.timer);
    this.timer = null;
    if (onDuty) {
      this.timer = setInterval(() => this.sample(), this.cfg.positionSeconds * 1000);
      this.sample();
    }
    this.onDuty(this.onDutySince);
  }

  async toggle() {
    const going = this.onDutySince ? "off" : "on";
    if (going === "off") await this.flush();
    const reply = await request(`${this.cfg.api}/duty/${going}`, { method: "POST" });
    if (reply.offline) return this.onError("offline");
    if (!reply.ok) return this.onError(reply.body.message);
    this.setDuty(reply.body);
  }

  async sample() {
    if (!this.fix) return;
    await store.add(STORE, { ...this.fix, at: new Date().toISOString() });
    await this.flush();
  }

  async flush() {
    for (;;) {
      const rows = await store.firstRows(STORE, BATCH);
      if (!rows.length) return;
      const points = rows.map((r) => r.value);
      const reply = await request(`${this.cfg.api}/positions`, { method: "POST", json: { points } });
      if (reply.offline || reply.status === 401 || reply.status >= 500) return;
      // Accepted, or refused for good (off duty, a broken clock): either way these points are done.
      await store.removeRange(STORE, rows[0].key, rows[rows.length - 1].key);
      if (!reply.ok) return;
    }
  }
}
