// REST client for /api/v1 (WEB-CONTRACT.md "js/api.js").
// Every call sends the session cookie (same-origin) and, on state-changing methods, the X-CSRF-Token header.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || 'http_error';
  }
}

let csrfToken = null;
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Remembers the CSRF token of the current login (from the session state or a login answer). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

export function getCsrfToken() {
  return csrfToken;
}

/** `GET /api/v1/auth/session`; caches the CSRF token. Never throws on 401. */
export async function authState() {
  const state = await api('GET', '/api/v1/auth/session');
  if (state && state.csrfToken) setCsrfToken(state.csrfToken);
  return state;
}

/**
 * Calls the API and returns the parsed JSON (text for non-JSON answers, null for 204).
 * Throws ApiError {status, code, message} from the `{"error":{code,message}}` envelope.
 * A 401 on a non-auth route also dispatches `wa:unauthorized` on window so the shell shows the login page.
 */
export async function api(method, path, body) {
  method = method.toUpperCase();
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (unsafeMethods.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, 'network_error', 'The daemon cannot be reached. Is it running? (whatsagent start)');
  }
  const type = response.headers.get('Content-Type') || '';
  let data = null;
  if (response.status !== 204) {
    const text = await response.text();
    if (type.includes('json') && text) {
      try { data = JSON.parse(text); } catch { data = text; }
    } else {
      data = text;
    }
  }
  if (!response.ok) {
    const envelope = data && typeof data === 'object' ? data.error : null;
    const code = envelope && typeof envelope === 'object' ? envelope.code : (typeof envelope === 'string' ? envelope : null);
    const message = envelope && typeof envelope === 'object' ? envelope.message : null;
    const error = new ApiError(response.status, code, message || (typeof data === 'string' && data ? data.slice(0, 300) : `HTTP ${response.status}`));
    if (response.status === 401 && !path.startsWith('/api/v1/auth/')) {
      window.dispatchEvent(new CustomEvent('wa:unauthorized', { detail: error }));
    }
    throw error;
  }
  return data;
}

api.get = (path) => api('GET', path);
api.post = (path, body) => api('POST', path, body === undefined ? {} : body);
api.put = (path, body) => api('PUT', path, body === undefined ? {} : body);
api.patch = (path, body) => api('PATCH', path, body === undefined ? {} : body);
api.del = (path) => api('DELETE', path);

/** `/api/v1/workspaces/<ws><rest>` with the workspace percent-encoded. */
export function wsPath(workspace, rest = '') {
  return `/api/v1/workspaces/${encodeURIComponent(workspace)}${rest}`;
}

/** Percent-encodes one path segment (agent addresses `repo:agent`, task ids, …). */
export function seg(value) {
  return encodeURIComponent(String(value));
}

/** Builds `path?query` from an object, skipping empty values. */
export function withQuery(path, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

api.wsPath = wsPath;
api.seg = seg;
api.withQuery = withQuery;
