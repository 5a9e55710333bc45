// The phone's own store (IndexedDB): the outbox of submissions with their photos, and the
// positions taken while on duty. One database per user, so that a shared phone never sends
// one supervisor's queue under another's login.

const VERSION = 1;
let opened = null;
let dbName = "urbangrid-field";

export function useUser(username) {
  dbName = `urbangrid-field-${username}`;
  opened = null;
}

function db() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const req = indexedDB.open(dbName, VERSION);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("outbox", { keyPath: "id" });
        req.result.createObjectStore("positions", { autoIncrement: true });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opened;
}

async function run(storeName, mode, work) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const tx = database.transaction(storeName, mode);
    const result = work(tx.objectStore(storeName));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const put = (storeName, value) => run(storeName, "readwrite", (s) => s.put(value));
export const add = (storeName, value) => run(storeName, "readwrite", (s) => s.add(value));
export const remove = (storeName, key) => run(storeName, "readwrite", (s) => s.delete(key));
export const get = (storeName, key) => run(storeName, "readonly", (s) => s.get(key));
export const all = (storeName) => run(storeName, "readonly", (s) => s.getAll());
export const count = (storeName) => run(storeName, "readonly", (s) => s.count());

// The first `limit` rows with their keys, oldest first.
export async function firstRows(storeName, limit) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const rows = [];
    const tx = database.transaction(storeName, "readonly");
    tx.objectStore(storeName).openCursor().onsuccess = (event) => {
      const cursor = event.target.result;
      if (cursor && rows.length < limit) {
        rows.push({ key: cursor.key, value: cursor.value });
        cursor.continue();
      }
    };
    tx.oncomplete = () => resolve(rows);
    tx.onerror = () => reject(tx.error);
  });
}

export const removeRange = (storeName, first, last) =>
  run(storeName, "readwrite", (s) => s.delete(IDBKeyRange.bound(first, last)));
