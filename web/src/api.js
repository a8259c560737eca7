// Every call the console makes: vigil's own /api/v1 and TAXII endpoints,
// same origin, with the session cookie (HttpOnly: never seen here) and,
// on every change, the session's CSRF token. Nothing is kept in local or
// session storage; the token lives in this module's memory only.
let csrf = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.description || body.title)) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

export function setCsrf(token) {
  csrf = token || null;
}

// Called when the server says the session is gone (expired, signed out
// elsewhere, key revoked).
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

export async function api(method, path, { json, body, type, quiet401 } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let payload;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    headers['Content-Type'] = type || 'application/octet-stream';
    payload = body;
  }
  const res = await fetch(path, {
    method,
    headers,
    body: payload,
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
  });
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { description: text.slice(0, 200) };
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !quiet401) onSignedOut(data);
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, json, opts) => api('POST', path, { ...opts, json });
export const del = (path, opts) => api('DELETE', path, opts);
export const patch = (path, json, opts) => api('PATCH', path, { ...opts, json });

// A query string from an object, leaving out empty values.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export const enc = encodeURIComponent;
