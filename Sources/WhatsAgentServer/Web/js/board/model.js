// Board values and the REST calls of the board pages (docs/http-api.md, Board). The human acts as human-web.

export const STATUSES = ['Backlog', 'Queued', 'In Progress', 'Blocked', 'Review', 'Completed'];
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'];
export const EFFORTS = ['XS', 'S', 'M', 'L', 'XL'];
export const COMMENT_TYPES = ['note', 'progress', 'blocker', 'verdict_go', 'verdict_no_go', 'verdict_needs_revision'];
export const COMMENT_LABELS = {
  note: 'Note',
  progress: 'Progress',
  blocker: 'Blocker',
  verdict_go: 'Verdict: go',
  verdict_no_go: 'Verdict: no go',
  verdict_needs_revision: 'Verdict: needs revision',
};
export const PRIORITY_HINTS = { P0: 'P0 — urgent', P1: 'P1 — high', P2: 'P2 — normal', P3: 'P3 — low' };
export const EFFORT_HINTS = { XS: 'XS — tiny', S: 'S — small', M: 'M — medium', L: 'L — large', XL: 'XL — very large' };

/** The API's word for "nobody" (issue 18): the assignee value, lane and filter of an unassigned task. */
export const UNASSIGNED = 'none';

/** A task's lane and filter key: its assignee, or UNASSIGNED. */
export function assigneeKey(task) {
  return task.assignee || UNASSIGNED;
}

/** How an assignee key reads: the address, or "Unassigned". */
export function assigneeLabel(key) {
  return key && key !== UNASSIGNED ? key : 'Unassigned';
}

export function isDone(item) {
  return item.status === 'Completed';
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The board's REST client for one workspace, on top of the shell's `api(method, path, body)`. */
export function boardClient(ctx) {
  const workspace = encodeURIComponent(ctx.workspace);
  const base = `/api/v1/workspaces/${workspace}/board`;
  const call = (method, path, body) => ctx.api(method, path, body);
  const id = (value) => encodeURIComponent(value);
  const kinds = { task: 'tasks', epic: 'epics' };
  return {
    base,
    tasks: (params) => call('GET', `${base}/tasks${query({ limit: 1000, ...params })}`).then((body) => body.tasks),
    epics: (params) => call('GET', `${base}/epics${query({ limit: 1000, ...params })}`).then((body) => body.epics),
    agents: () => call('GET', `/api/v1/workspaces/${workspace}/agents`).then((body) => body.agents),
    item: (kind, itemId) => call('GET', `${base}/${kinds[kind]}/${id(itemId)}`),
    branchDiff: (taskId, full = false) => call('GET', `${base}/tasks/${id(taskId)}/branch/diff${full ? '?full=true' : ''}`),
    create: (kind, body) => call('POST', `${base}/${kinds[kind]}`, body),
    patch: (kind, itemId, body) => call('PATCH', `${base}/${kinds[kind]}/${id(itemId)}`, body),
    move: (kind, itemId, status) => call('PUT', `${base}/${kinds[kind]}/${id(itemId)}/status`, { status }),
    comment: (kind, itemId, type, body) => call('POST', `${base}/${kinds[kind]}/${id(itemId)}/comments`, { type, body }),
    archive: (kind, itemId) => call('POST', `${base}/${kinds[kind]}/${id(itemId)}/archive`),
    unarchive: (kind, itemId) => call('POST', `${base}/${kinds[kind]}/${id(itemId)}/unarchive`),
    search: (kind, text, params) => call('GET', `${base}/${kinds[kind]}/search${query({ query: text, limit: 20, ...params })}`),
    closeRequest: (epicId) => call('POST', `${base}/epics/${id(epicId)}/close/request`),
    closeApprove: (epicId) => call('POST', `${base}/epics/${id(epicId)}/close/approve`),
    closeCancel: (epicId) => call('POST', `${base}/epics/${id(epicId)}/close/cancel`),
    exportPath: (format) => `${base}/export${query({ format })}`,
  };
}

/**
 * Calls `handler` for `board` / `close_approval` events (the shell's `ctx.events` is already scoped to the page's
 * workspace) and on `resync` (the stream reconnected: events may have been missed). Returns the unsubscribe function.
 */
export function onBoardEvents(ctx, handler, types = ['board', 'close_approval', 'resync']) {
  const on = ctx.events?.on;
  if (typeof on !== 'function') return () => {};
  const offs = types.map((type) => on.call(ctx.events, type, handler)).filter((off) => typeof off === 'function');
  return () => offs.forEach((off) => off());
}

/**
 * Runs `load` at most once at a time: calls made while one runs collapse into one more run after it (live updates
 * arrive in bursts; each refetch shows the newest state).
 */
export function coalesced(load) {
  let running = null;
  let again = false;
  return function run() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await load();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
