// The tab's one event stream: WebSocket GET /api/v1/events?csrf=… (WEB-CONTRACT.md "Event stream").
// Subscribe with on(type, handler) — it returns an unsubscribe function. type '*' receives every event.
// Synthetic events (no workspaceId): 'open' (connected), 'close' ({code}), 'resync' (reconnected after a gap:
// refetch everything shown, events may have been missed), 'session_ended_login' (close code 4401).

const handlers = new Map();
let socket = null;
let wantOpen = false;
let attempt = 0;
let retryTimer = null;
let everOpened = false;
let csrfProvider = () => null;
let connected = false;

function emit(event) {
  for (const key of [event.type, '*']) {
    const set = handlers.get(key);
    if (!set) continue;
    for (const handler of [...set]) {
      try { handler(event); } catch (error) { console.error('event handler failed', event.type, error); }
    }
  }
}

export function on(type, handler) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(handler);
  return () => handlers.get(type)?.delete(handler);
}

export function isConnected() {
  return connected;
}

function url() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const csrf = csrfProvider() || '';
  return `${scheme}//${location.host}/api/v1/events?csrf=${encodeURIComponent(csrf)}`;
}

function scheduleReconnect() {
  if (!wantOpen || retryTimer) return;
  // Exponential backoff with jitter, 0.5 s … 15 s: a daemon restart reconnects within seconds.
  const delay = Math.min(15000, 500 * 2 ** Math.min(attempt, 5)) * (0.75 + Math.random() * 0.5);
  attempt += 1;
  retryTimer = setTimeout(() => { retryTimer = null; open(); }, delay);
}

function open() {
  if (!wantOpen) return;
  let ws;
  try {
    ws = new WebSocket(url());
  } catch (error) {
    scheduleReconnect();
    return;
  }
  socket = ws;
  ws.addEventListener('open', () => {
    if (socket !== ws) return;
    connected = true;
    attempt = 0;
    emit({ type: 'open' });
    if (everOpened) emit({ type: 'resync' });
    everOpened = true;
  });
  ws.addEventListener('message', (message) => {
    if (socket !== ws || typeof message.data !== 'string') return;
    let event;
    try { event = JSON.parse(message.data); } catch { return; }
    if (event && typeof event.type === 'string') emit(event);
  });
  ws.addEventListener('close', (close) => {
    if (socket !== ws) return;
    socket = null;
    const wasConnected = connected;
    connected = false;
    if (wasConnected) emit({ type: 'close', code: close.code });
    if (close.code === 4401) {
      wantOpen = false;
      emit({ type: 'session_ended_login' });
      return;
    }
    scheduleReconnect();
  });
}

/** Opens the stream (idempotent). csrf: a function returning the current CSRF token. */
export function connect(csrf) {
  if (csrf) csrfProvider = csrf;
  wantOpen = true;
  if (socket || retryTimer) return;
  open();
}

/** Closes the stream and stops reconnecting (logout). */
export function disconnect() {
  wantOpen = false;
  everOpened = false;
  if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
  if (socket) {
    const ws = socket;
    socket = null;
    connected = false;
    ws.close(1000);
  }
}

// Reconnect at once when the tab comes back online or visible instead of waiting for the backoff.
window.addEventListener('online', () => {
  if (wantOpen && !socket) {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    attempt = 0;
    open();
  }
});

/**
 * A page-scoped view of the stream: on() here only delivers events of `workspace` (events without a workspaceId
 * always pass), and dispose() drops every subscription made through it. The shell gives each page one as ctx.events.
 */
export function scoped(workspace) {
  const offs = [];
  return {
    on(type, handler) {
      const off = on(type, (event) => {
        if (workspace && event.workspaceId && event.workspaceId !== workspace) return;
        handler(event);
      });
      offs.push(off);
      return off;
    },
    get connected() { return connected; },
    dispose() { while (offs.length) offs.pop()(); },
  };
}

export const events = { on, connect, disconnect, scoped, isConnected };
