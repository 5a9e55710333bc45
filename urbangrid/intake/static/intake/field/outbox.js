// The outbox: every submission (a report, a verification, a check) is stored on the phone with
// its photos before it is sent, and leaves the phone only when the server has accepted it.
// Each carries its own id, which the server uses to recognise a resend. A submission the server
// refuses stays, marked with the server's message, until the supervisor fixes or deletes it.

import { request } from "./http.js";
import * as store from "./store.js";

const STORE = "outbox";

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Outbox {
  constructor({ onChange, onSent }) {
    this.onChange = onChange;
    this.onSent = onSent;
    this.flushing = null;
  }

  async list() {
    return (await store.all(STORE)).sort((a, b) => a.created - b.created);
  }

  async add(entry) {
    await store.put(STORE, { ...entry, status: "pending", error: "", created: Date.now() });
    this.onChange();
    return this.flush();
  }

  async addPhotos(id, blobs) {
    const entry = await store.get(STORE, id);
    entry.photos = [...entry.photos, ...blobs];
    await store.put(STORE, entry);
    this.onChange();
  }

  async removePhoto(id, index) {
    const entry = await store.get(STORE, id);
    entry.photos = entry.photos.filter((_, i) => i !== index);
    await store.put(STORE, entry);
    this.onChange();
  }

  async retry(id) {
    const entry = await store.get(STORE, id);
    await store.put(STORE, { ...entry, status: "pending", error: "" });
    this.onChange();
    return this.flush();
  }

  async discard(id) {
    await store.remove(STORE, id);
    this.onChange();
  }

  // One flush at a time; a call during a flush waits for it and then flushes again.
  flush() {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    // A second tab of the app must not send the same submission at the same moment.
    const send = () => this.sendAll();
    const sending = navigator.locks ? navigator.locks.request("urbangrid-field-outbox", send) : send();
    this.flushing = sending.finally(() => {
      this.flushing = null;
      this.onChange();
      if (this.again) {
        this.again = false;
        this.flush();
      }
    });
    return this.flushing;
  }

  async sendAll() {
    for (const entry of await this.list()) {
      if (entry.status !== "pending") continue;
      if ((await this.send(entry)) === "offline") return;
    }
  }

  async send(entry) {
    const form = new FormData();
    for (const [name, value] of Object.entries(entry.fields)) form.append(name, value);
    entry.photos.forEach((blob, i) => form.append("photos", blob, `photo-${i + 1}.jpg`));
    const reply = await request(entry.url, { method: "POST", form });
    if (reply.offline) return "offline";
    if (reply.ok) {
      await store.remove(STORE, entry.id);
      this.onSent(entry, reply.body);
      return "sent";
    }
    const message = reply.body.message || `HTTP ${reply.status}`;
    if (reply.status === 401 || reply.status === 429 || reply.status >= 500) {
      // Not this submission's fault (logged out, server trouble): keep it waiting.
      await store.put(STORE, { ...entry, error: message });
      return "offline";
    }
    await store.put(STORE, { ...entry, status: "refused", error: message, code: reply.body.code || "" });
    return "refused";
  }
}
