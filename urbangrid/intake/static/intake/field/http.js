// Same-origin calls with the login session; POSTs carry the CSRF token Django expects.

function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.split("=")[1]) : document.querySelector("meta[name=csrf-token]").content;
}

// A network failure gives {offline: true}; any answer gives {status, body}.
export async function request(url, { method = "GET", json, form } = {}) {
  const headers = { Accept: "application/json" };
  let body;
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let resp;
  try {
    resp = await fetch(url, { method, headers, body, credentials: "same-origin" });
  } catch {
    return { offline: true };
  }
  let data = {};
  try {
    data = await resp.json();
  } catch {
    data = {};
  }
  return { status: resp.status, ok: resp.ok, body: data };
}
