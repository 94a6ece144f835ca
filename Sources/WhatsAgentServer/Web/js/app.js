// The single-page shell: auth gate, hash router, workspace switcher, nav with badges, live toasts/notifications.
import { api, authState, setCsrfToken, getCsrfToken, wsPath } from './api.js';
import * as events from './events.js';
import { ui, h, clear, toast, notify } from './ui.js';
import { installShortcuts } from './shortcuts.js';

const NAV = [
  { id: 'agents', label: 'Agents', icon: '◉' },
  { id: 'messages', label: 'Messages', icon: '✉' },
  { id: 'channels', label: 'Channels', icon: '#' },
  { id: 'board', label: 'Board', icon: '▦' },
  { id: 'epics', label: 'Epics', icon: '◆' },
  { id: 'archive', label: 'Archive', icon: '▤' },
  { id: 'workspaces', label: 'Workspaces', icon: '▣' },
  { id: 'settings', label: 'Settings', icon: '⚙' },
];
// Pages that work without a current workspace.
const WORKSPACE_FREE = new Set(['workspaces', 'settings']);
// Hash route → page module. `terminal` is not in the nav (reached from Agents).
const PAGES = new Set([...NAV.map((item) => item.id), 'terminal']);

const state = {
  workspaces: [],
  workspace: null, // id of the current workspace
  badges: {},
  attention: new Set(),
  page: null, // {dispose, scope, name}
  routeToken: 0,
  started: false,
};

const main = () => document.getElementById('main');

// ---------------------------------------------------------------- theme

const THEME_KEY = 'whatsagent.theme';
const THEMES = ['auto', 'light', 'dark'];

function applyTheme(theme) {
  const root = document.documentElement;
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
  const button = document.getElementById('theme-toggle');
  if (button) {
    const label = theme === 'auto' ? 'Theme: follow the system' : `Theme: ${theme}`;
    button.setAttribute('aria-label', label);
    button.title = label;
    button.textContent = theme === 'light' ? '☀' : theme === 'dark' ? '☾' : '◐';
  }
}

function currentTheme() {
  return localStorage.getItem(THEME_KEY) || 'auto';
}

export function setTheme(theme) {
  localStorage.setItem(THEME_KEY, theme);
  applyTheme(theme);
}

// ---------------------------------------------------------------- nav

function renderNav() {
  const nav = document.getElementById('nav');
  const route = parseHash();
  clear(nav, h('ul', { class: 'nav-list' }, NAV.map((item) => {
    const count = state.badges[item.id] || 0;
    const active = route.page === item.id || (item.id === 'agents' && route.page === 'terminal');
    return h('li', null, h('a', {
      href: `#/${item.id}`, class: ['nav-link', active && 'active'], 'aria-current': active ? 'page' : null,
      dataset: { nav: item.id },
    },
    h('span', { class: 'nav-icon', 'aria-hidden': 'true' }, item.icon),
    h('span', { class: 'nav-label' }, item.label),
    count ? h('span', { class: 'badge badge-accent nav-badge', 'aria-label': `${count} new` }, count > 99 ? '99+' : String(count)) : null));
  })),
  h('p', { class: 'nav-status', id: 'stream-status' }, events.isConnected() ? '' : 'Connecting…'));
}

/** Sets a nav badge (0 hides it). Pages may call ctx.setBadge. */
export function setBadge(id, count) {
  state.badges[id] = Math.max(0, count | 0);
  renderNav();
}

function setNavOpen(open) {
  document.body.classList.toggle('nav-open', open);
  document.getElementById('nav-toggle').setAttribute('aria-expanded', String(open));
}

// ---------------------------------------------------------------- workspaces

async function loadWorkspaces() {
  const list = await api.get('/api/v1/workspaces');
  state.workspaces = list.workspaces || [];
  const active = state.workspaces.filter((ws) => ws.status === 'active');
  const current = active.find((ws) => ws.id === list.currentWorkspaceId) || active.find((ws) => ws.isCurrent) || active[0] || null;
  const changed = (current ? current.id : null) !== state.workspace;
  state.workspace = current ? current.id : null;
  renderSwitcher();
  return changed;
}

export function currentWorkspace() {
  return state.workspaces.find((ws) => ws.id === state.workspace) || null;
}

function renderSwitcher() {
  const host = document.getElementById('workspace-switcher');
  const active = state.workspaces.filter((ws) => ws.status === 'active');
  if (!active.length) {
    clear(host, h('a', { href: '#/workspaces', class: 'button small' }, 'Create a workspace'));
    return;
  }
  const select = h('select', {
    id: 'workspace-select', 'aria-label': 'Current workspace', onChange: async () => {
      const id = select.value;
      try {
        await api.put('/api/v1/current-workspace', { workspace: id });
        state.workspace = id;
        state.attention.clear();
        state.badges = {};
        renderNav();
        // What the page had open (a thread, a terminal, a channel, a task) belongs to the old workspace: drop it.
        const { page, rest } = parseHash();
        if (rest.length && page !== 'settings') location.hash = `#/${page}`;
        else route(true);
        refreshAttention();
      } catch (error) {
        ui.showError(error, 'Could not switch the workspace');
        renderSwitcher();
      }
    },
  }, active.map((ws) => h('option', { value: ws.id, selected: ws.id === state.workspace }, ws.name)));
  clear(host, select);
}

/** Switches the shell to workspace `id` (after the page created or selected it). */
export async function useWorkspace(id) {
  await api.put('/api/v1/current-workspace', { workspace: id });
  await loadWorkspaces();
  state.workspace = id;
  renderSwitcher();
}

// ---------------------------------------------------------------- router

export function parseHash(hash = location.hash) {
  let text = hash.replace(/^#\/?/, '');
  let query = '';
  const q = text.indexOf('?');
  if (q >= 0) { query = text.slice(q + 1); text = text.slice(0, q); }
  const parts = text.split('/').filter((part) => part !== '').map((part) => {
    try { return decodeURIComponent(part); } catch { return part; }
  });
  return { page: parts[0] || '', rest: parts.slice(1), query: new URLSearchParams(query) };
}

/** Navigates to a hash route, e.g. navigate('terminal', 'app:dev'). Segments are percent-encoded. */
export function navigate(page, ...segments) {
  const hash = `#/${[page, ...segments.map((s) => encodeURIComponent(String(s)))].join('/')}`;
  if (location.hash === hash) route(true);
  else location.hash = hash;
}

async function disposePage() {
  const page = state.page;
  state.page = null;
  if (!page) return;
  try { page.scope.dispose(); } catch (error) { console.error(error); }
  if (typeof page.dispose === 'function') {
    try { await page.dispose(); } catch (error) { console.error('dispose failed', error); }
  }
}

async function route(force = false) {
  if (!state.started) return;
  const parsed = parseHash();
  if (!parsed.page || !PAGES.has(parsed.page)) {
    location.replace(`#/${state.workspace ? 'agents' : 'workspaces'}`);
    return;
  }
  const token = ++state.routeToken;
  document.body.dataset.page = parsed.page; // page-specific shell styles (toasts stay clear of the composer)
  setNavOpen(false);
  await disposePage();
  if (token !== state.routeToken) return;
  renderNav();
  const root = main();
  clear(root, ui.loading());
  if (parsed.page === 'messages') setBadge('messages', 0);
  if (parsed.page === 'channels') setBadge('channels', 0);
  if (parsed.page === 'epics') setBadge('epics', 0);
  if (!state.workspace && !WORKSPACE_FREE.has(parsed.page)) {
    clear(root, ui.pageHeader(NAV.find((n) => n.id === parsed.page)?.label || 'WhatsAgent'),
      ui.emptyState('No workspace yet', 'Create a workspace first: it holds your repos, agents, messages and board.',
        h('a', { class: 'button primary', href: '#/workspaces' }, 'Go to Workspaces')));
    return;
  }
  const scope = events.scoped(state.workspace);
  const ctx = {
    workspace: state.workspace,
    workspaceInfo: currentWorkspace(),
    params: { page: parsed.page, id: parsed.rest[0] ?? null, rest: parsed.rest, query: parsed.query },
    api,
    wsPath: (rest) => wsPath(state.workspace, rest),
    events: scope,
    ui,
    navigate,
    setBadge,
    useWorkspace,
    reloadWorkspaces: async () => { await loadWorkspaces(); renderNav(); },
    isCurrent: () => token === state.routeToken,
  };
  state.page = { scope, dispose: null, name: parsed.page };
  let module;
  try {
    module = await import(`./pages/${parsed.page}.js`);
  } catch (error) {
    if (token !== state.routeToken) return;
    console.error(error);
    clear(root, ui.notice('error', `This page could not be loaded (${parsed.page}.js): ${error.message}`));
    return;
  }
  if (token !== state.routeToken) { scope.dispose(); return; }
  clear(root);
  try {
    const dispose = await module.render(root, ctx);
    if (token !== state.routeToken) {
      scope.dispose();
      if (typeof dispose === 'function') dispose();
      return;
    }
    if (state.page) state.page.dispose = dispose;
  } catch (error) {
    if (token !== state.routeToken) return;
    console.error(error);
    if (error && error.status === 401) return;
    root.append(ui.notice('error', `The page failed: ${ui.errorText(error)}`));
  }
  if (!force) root.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- live notifications

let attentionTimer = null;
let attentionFetch = 0;
// Attention changes the event stream reported while a snapshot was being fetched: the snapshot may have been read
// before them, so they are applied on top of it instead of being overwritten by it.
let attentionSince = new Map();
// How many snapshot answers were handled (applied or superseded), on <nav data-attention-snapshots>: a test can wait
// for an answer to have been dealt with.
let attentionAnswers = 0;

async function refreshAttention() {
  if (!state.workspace) { setBadge('agents', 0); return; }
  const generation = ++attentionFetch;
  attentionSince = new Map();
  try {
    const list = await api.get(wsPath(state.workspace, '/agents'));
    if (generation !== attentionFetch) return; // a newer fetch answers instead
    const snapshot = new Set((list.agents || []).filter((a) => a.session && a.session.attention && !a.session.endedAt).map((a) => a.address));
    for (const [agent, waiting] of attentionSince) {
      if (waiting) snapshot.add(agent);
      else snapshot.delete(agent);
    }
    state.attention = snapshot;
    setBadge('agents', state.attention.size);
  } catch {
    /* shown by the pages */
  } finally {
    const nav = document.getElementById('nav');
    if (nav) nav.dataset.attentionSnapshots = String(++attentionAnswers);
  }
}

function setAttention(agent, waiting) {
  attentionSince.set(agent, waiting);
  if (waiting) state.attention.add(agent);
  else state.attention.delete(agent);
  setBadge('agents', state.attention.size);
}

function scheduleAttentionRefresh() {
  clearTimeout(attentionTimer);
  attentionTimer = setTimeout(refreshAttention, 400);
}

function onPage(name) {
  return state.page && state.page.name === name;
}

function wireGlobalEvents() {
  // The connection state shows in the top bar too (the nav is hidden behind the menu on phones).
  const connection = (up) => {
    const s = document.getElementById('stream-status');
    if (s) s.textContent = up ? '' : 'Reconnecting…';
    const bar = document.getElementById('conn-status');
    if (bar) bar.hidden = up;
  };
  events.on('open', () => connection(true));
  events.on('close', () => connection(false));
  events.on('resync', async () => {
    const changed = await loadWorkspaces().catch(() => false);
    refreshAttention();
    if (changed) route(true);
  });
  events.on('session_ended_login', () => { if (state.started) showLogin('Your session ended. Sign in again.'); });
  events.on('workspaces', async () => {
    const topology = currentWorkspace()?.topology;
    const changed = await loadWorkspaces().catch(() => false);
    // The messages page depends on the topology (composer or channels): it follows a change made elsewhere.
    if (changed || (topology !== currentWorkspace()?.topology && onPage('messages'))) route(true);
  });
  const mine = (event) => !event.workspaceId || event.workspaceId === state.workspace;
  // A message to the human is announced once its state is known (a refused one is not news); one at a time, in order.
  let announcing = Promise.resolve();
  const announce = async (event) => {
    const workspace = state.workspace;
    try {
      const data = await api.get(`${wsPath(workspace, '/messages')}?peer=${encodeURIComponent(event.from)}&limit=50`);
      const message = (data.messages || []).find((m) => m.id === event.messageId);
      if (!message || message.state === 'rejected' || workspace !== state.workspace) return;
    } catch {
      return;
    }
    const { page, rest } = parseHash();
    const inThread = page === 'messages' && rest[0] === event.from;
    if (page !== 'messages') setBadge('messages', (state.badges.messages || 0) + 1);
    if (!inThread) {
      toast(`New message from ${event.from}`, { action: { label: 'Open', onClick: () => navigate('messages', event.from) } });
    }
    notify(`Message from ${event.from}`, 'Open WhatsAgent to read it.', { tag: `msg-${event.from}`, onClick: () => navigate('messages', event.from) });
  };
  events.on('message', (event) => {
    if (!mine(event)) return;
    if (event.to === 'human-web' && event.from !== 'human-web') {
      announcing = announcing.then(() => announce(event));
    } else if (event.channel && event.from !== 'human-web' && !onPage('channels')) {
      setBadge('channels', (state.badges.channels || 0) + 1);
    }
  });
  events.on('attention', (event) => {
    if (!mine(event)) return;
    setAttention(event.agent, Boolean(event.attention));
    if (event.attention) {
      toast(`${event.agent} is waiting for approval`, { kind: 'warn', action: { label: 'Open terminal', onClick: () => navigate('terminal', event.agent) } });
      notify(`${event.agent} needs approval`, 'It is waiting for you in its terminal.', { tag: `att-${event.agent}`, onClick: () => navigate('terminal', event.agent) });
    }
  });
  events.on('nudge_pending', (event) => {
    if (!mine(event) || !event.pending) return;
    toast(`Mail is waiting for ${event.agent}: insert the nudge in its terminal`, { kind: 'info', action: { label: 'Open terminal', onClick: () => navigate('terminal', event.agent) } });
  });
  events.on('session_ended', (event) => {
    if (!mine(event)) return;
    setAttention(event.agent, false);
    const how = event.exitCode !== null && event.exitCode !== undefined ? ` (exit code ${event.exitCode})` : event.reason ? ` (${event.reason})` : '';
    toast(`${event.agent} exited${how}`, { kind: 'warn' });
    notify(`${event.agent} exited`, event.reason || '', { tag: `exit-${event.agent}` });
  });
  events.on('close_approval', (event) => {
    if (!mine(event)) return;
    if (!onPage('epics')) setBadge('epics', (state.badges.epics || 0) + 1);
    toast(`Epic ${event.epicId} waits for your close approval`, { kind: 'warn', action: { label: 'Review', onClick: () => navigate('epics') } });
    notify('Approval needed', `Epic ${event.epicId} is ready to close.`, { tag: `epic-${event.epicId}`, onClick: () => navigate('epics') });
  });
  events.on('loop_held', (event) => {
    if (!mine(event)) return;
    toast(`Messages between ${(event.pair || []).join(' and ')} are held by the loop guard`, { kind: 'warn', action: { label: 'Settings', onClick: () => navigate('settings', 'topology') } });
  });
  events.on('agents', (event) => { if (mine(event)) scheduleAttentionRefresh(); });
}

// ---------------------------------------------------------------- auth gate

async function showBarePage(name, options) {
  state.started = false;
  await disposePage();
  events.disconnect();
  document.body.classList.add('bare');
  document.body.classList.remove('booting');
  const root = main();
  clear(root, ui.loading());
  const module = await import(`./pages/${name}.js`);
  clear(root);
  await module.render(root, { api, ui, ...options, onLoggedIn });
}

async function showLogin(message) {
  if (location.pathname !== '/login' && location.pathname !== '/') history.replaceState(null, '', `/${location.hash}`);
  await showBarePage('login', { message });
}

async function onLoggedIn(result) {
  if (result && result.csrfToken) setCsrfToken(result.csrfToken);
  const hash = location.hash && location.hash !== '#' ? location.hash : '#/agents';
  history.replaceState(null, '', `/${hash}`);
  await startShell();
}

async function startShell() {
  document.body.classList.remove('bare', 'booting');
  state.started = true;
  state.badges = {};
  try {
    await loadWorkspaces();
  } catch (error) {
    if (error.status === 401) return;
    clear(main(), ui.notice('error', `Could not load the workspaces: ${ui.errorText(error)}`));
    return;
  }
  renderNav();
  events.connect(getCsrfToken);
  refreshAttention();
  await route();
}

async function logout() {
  state.started = false;
  events.disconnect();
  try { await api.post('/api/v1/auth/logout'); } catch { /* already gone */ }
  setCsrfToken(null);
  history.replaceState(null, '', '/login');
  await showLogin('You are signed out.');
}

async function boot() {
  applyTheme(currentTheme());
  document.getElementById('theme-toggle').addEventListener('click', () => {
    setTheme(THEMES[(THEMES.indexOf(currentTheme()) + 1) % THEMES.length]);
  });
  document.getElementById('nav-toggle').addEventListener('click', () => setNavOpen(!document.body.classList.contains('nav-open')));
  document.getElementById('nav-scrim').addEventListener('click', () => setNavOpen(false));
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape' && document.body.classList.contains('nav-open')) setNavOpen(false); });
  installShortcuts({ navigate: (page) => navigate(page), currentPage: () => parseHash().page });
  document.getElementById('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', () => route());
  window.addEventListener('wa:unauthorized', () => { if (state.started) showLogin('Your session ended. Sign in again.'); });
  wireGlobalEvents();

  let auth;
  try {
    auth = await authState();
  } catch (error) {
    document.body.classList.remove('booting');
    clear(main(), ui.notice('error', `The daemon cannot be reached: ${ui.errorText(error)}`));
    return;
  }
  const params = new URLSearchParams(location.search);
  if (location.pathname === '/setup' || auth.setupRequired) {
    await showBarePage('setup', { token: params.get('token'), setupRequired: auth.setupRequired, authenticated: auth.authenticated });
    return;
  }
  if (!auth.authenticated) {
    await showBarePage('login', {});
    return;
  }
  if (location.pathname !== '/') history.replaceState(null, '', `/${location.hash}`);
  await startShell();
}

boot();
