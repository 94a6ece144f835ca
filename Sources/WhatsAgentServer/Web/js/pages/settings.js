// Settings: topology and peer rules, roles and grants, RBAC mode, audit log, runtimes, colleague protocol,
// messaging (chat retention, limits), account (password, sessions, recovery code, notifications, theme).
import { DETECTION_KEY } from './agents.js';
import { h, clear, markdown, pageHeader, tabs, notice, badge, timeEl, field, formValues, toast, showError, confirmDialog, formDialog, loading, busy, copyButton, requestNotifications, notificationPermission, emptyState, useStyles } from '../ui.js';
import { withQuery } from '../api.js';

const SECTIONS = [
  { id: 'topology', label: 'Topology', needsWorkspace: true },
  { id: 'roles', label: 'Roles & RBAC', needsWorkspace: true },
  { id: 'audit', label: 'Audit log', needsWorkspace: true },
  { id: 'messaging', label: 'Messaging', needsWorkspace: true },
  { id: 'runtimes', label: 'Runtimes' },
  { id: 'protocol', label: 'Colleague protocol' },
  { id: 'account', label: 'Account' },
];

const GRANT_KINDS = {
  tool_family: ['messaging', 'channel-read', 'channel-write', 'summary', 'kanban-read', 'kanban-comment', 'kanban-status', 'kanban-admin'],
  kanban_action: ['create_task', 'create_epic', 'update_task', 'update_epic', 'archive_task', 'archive_epic', 'update_task_status', 'update_epic_status', 'request_epic_close', 'cancel_epic_close', 'comment_task', 'comment_epic'],
  comment_type: ['progress', 'note', 'blocker', 'verdict_go', 'verdict_no_go', 'verdict_needs_revision'],
  channel_action: ['post_channel_message', 'reply_channel_thread', 'read_channel_messages', 'search_channel_messages', 'broadcast_message', 'create_channel'],
  audit_grant: ['audit_read', 'audit_admin'],
  meta: ['is_operator_surrogate'],
};
const GRANT_LABELS = { tool_family: 'Tool families', kanban_action: 'Board actions', comment_type: 'Comment types', channel_action: 'Channel actions', audit_grant: 'Audit', meta: 'Meta' };
const SCOPES = [['any', 'any'], ['own_assignment', 'own'], ['created_by_self', 'created by self']];
const UNSCOPED_CREATE = new Set(['create_task', 'create_epic']);

export async function render(root, ctx) {
  useStyles('/css/settings.css');
  const available = SECTIONS.filter((s) => !s.needsWorkspace || ctx.workspace);
  const section = available.find((s) => s.id === ctx.params.id) ? ctx.params.id : available[0].id;
  const body = h('div', { class: 'settings-body', 'data-testid': `settings-${section}` });
  clear(root,
    pageHeader('Settings', { subtitle: ctx.workspaceInfo && SECTIONS.find((s) => s.id === section).needsWorkspace ? `Workspace ${ctx.workspaceInfo.name}` : null }),
    tabs(available.map((s) => ({ id: s.id, label: s.label, href: `#/settings/${s.id}` })), section, 'Settings sections'),
    body);
  root.querySelector('.tabs .tab.active')?.scrollIntoView({ block: 'nearest', inline: 'center' });
  const renderers = { topology, roles, audit, messaging, runtimes, protocol, account };
  clear(body, loading());
  return renderers[section](body, ctx);
}

const card = (title, ...children) => h('section', { class: 'card' }, h('h2', null, title), children);

// ---------------------------------------------------------------- topology and peer rules

async function topology(body, ctx) {
  const { api } = ctx;
  async function load() {
    const [ws, rules, holds, agents] = await Promise.all([
      api.get(ctx.wsPath('')), api.get(ctx.wsPath('/peer-rules')), api.get(ctx.wsPath('/message-holds')), api.get(ctx.wsPath('/agents')),
    ]);
    if (!ctx.isCurrent()) return;
    const addresses = agents.agents.map((a) => a.address);
    const topologySelect = field({ name: 'topology', label: 'Topology', type: 'select', value: ws.topology, id: 'set-topology', options: [
      { value: 'star', label: 'Star — through the main agent' }, { value: 'p2p', label: 'Peer-to-peer — direct, peer rules apply' }, { value: 'channel', label: 'Channel — channels only' }] });
    const saveTopology = h('button', { type: 'submit', class: 'button primary' }, 'Save');
    const topologyForm = h('form', { class: 'inline-form' }, topologySelect, saveTopology);
    topologyForm.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(saveTopology, async () => { await api.patch(ctx.wsPath(''), { topology: topologyForm.elements.topology.value }); await ctx.reloadWorkspaces(); await load(); }, { success: 'Topology saved' });
    });

    const modeSelect = field({ name: 'mode', label: 'Peer rule mode', type: 'select', value: rules.mode, id: 'peer-mode', options: [
      { value: 'deny-list', label: 'Deny list — every pair may talk except the listed ones' }, { value: 'allow-list', label: 'Allow list — only the listed pairs may talk' }] });
    const saveMode = h('button', { type: 'submit', class: 'button' }, 'Save mode');
    const modeForm = h('form', { class: 'inline-form' }, modeSelect, saveMode);
    modeForm.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(saveMode, async () => { await api.put(ctx.wsPath('/peer-rules/mode'), { mode: modeForm.elements.mode.value }); await load(); }, { success: 'Mode saved' });
    });
    const options = addresses.map((a) => ({ value: a, label: a }));
    const addForm = h('form', { class: 'inline-form' },
      field({ name: 'a', label: 'Agent', type: 'select', options, id: 'peer-a' }),
      field({ name: 'b', label: 'Agent', type: 'select', options, value: addresses[1], id: 'peer-b' }),
      h('button', { type: 'submit', class: 'button', disabled: addresses.length < 2 }, 'Add rule'));
    addForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const v = formValues(addForm);
      busy(addForm.querySelector('button'), async () => { await api.post(ctx.wsPath('/peer-rules'), { agents: [v.a, v.b] }); await load(); }, { success: 'Rule added' });
    });
    clear(body,
      card('Topology', h('p', { class: 'muted' }, 'Who may message whom in this workspace.'), topologyForm),
      card('Peer rules',
        rules.active ? null : notice('info', 'Peer rules only apply in the peer-to-peer topology.'),
        modeForm,
        rules.rules.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
          h('thead', null, h('tr', null, h('th', null, 'Pair'), h('th', null, 'Added'), h('th', null, ''))),
          h('tbody', null, rules.rules.map((rule) => h('tr', null,
            h('td', { class: 'mono' }, rule.agents.join(' ↔ ')), h('td', null, timeEl(rule.createdAt)),
            h('td', null, h('button', { type: 'button', class: 'button small subtle', onClick: async (e) => {
              await busy(e.currentTarget, () => api.del(ctx.wsPath(`/peer-rules/${encodeURIComponent(rule.agents[0])}/${encodeURIComponent(rule.agents[1])}`)), { success: 'Rule removed' });
              load();
            } }, 'Remove'))))))) : h('p', { class: 'muted' }, 'No rules.'),
        h('h3', null, 'Add a rule'), addForm),
      card('Loop guard holds',
        holds.holds.length ? holds.holds.map((hold) => h('div', { class: 'hold' },
          h('p', null, h('strong', { class: 'mono' }, hold.agents.join(' ↔ ')), ' held ', timeEl(hold.heldAt), ` · ${hold.messages.length} message${hold.messages.length === 1 ? '' : 's'} waiting`),
          h('button', { type: 'button', class: 'button small', onClick: async (e) => {
            await busy(e.currentTarget, () => api.post(ctx.wsPath('/message-holds/release'), { agents: hold.agents }), { success: 'Released' });
            load();
          } }, 'Release'))) : h('p', { class: 'muted' }, 'No pair is held. The loop guard holds two agents that message each other too fast.')));
  }
  ctx.events.on('loop_held', load);
  ctx.events.on('loop_released', load);
  ctx.events.on('workspaces', load);
  await load();
}

// ---------------------------------------------------------------- roles, grants, RBAC mode

async function roles(body, ctx) {
  const { api } = ctx;
  let selected = ctx.params.rest[1] || null;
  async function load() {
    const [list, ws] = await Promise.all([api.get(ctx.wsPath('/roles')), api.get(ctx.wsPath(''))]);
    if (!ctx.isCurrent()) return;
    if (!selected || !list.roles.some((r) => r.name === selected)) selected = list.roles[0] && list.roles[0].name;
    const role = list.roles.find((r) => r.name === selected);
    const modeForm = h('form', { class: 'inline-form' },
      field({ name: 'rbacMode', label: 'RBAC mode', type: 'select', value: ws.rbacMode, id: 'rbac-mode', options: [
        { value: 'enforce', label: 'Enforce — refuse denied actions' }, { value: 'soft', label: 'Soft — log denied actions, allow them' }, { value: 'off', label: 'Off' }] }),
      h('button', { type: 'submit', class: 'button primary' }, 'Save'));
    modeForm.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(modeForm.querySelector('button'), async () => { await api.patch(ctx.wsPath(''), { rbacMode: modeForm.elements.rbacMode.value }); await ctx.reloadWorkspaces(); }, { success: 'RBAC mode saved' });
    });
    clear(body,
      card('RBAC mode', modeForm),
      h('section', { class: 'card' },
        h('div', { class: 'card-head' }, h('h2', null, 'Roles'), h('button', { type: 'button', class: 'button small', onClick: addRole }, 'New role')),
        h('div', { class: 'role-picker', role: 'tablist', 'aria-label': 'Roles' }, list.roles.map((r) => h('button', {
          type: 'button', role: 'tab', 'aria-selected': String(r.name === selected), class: ['button', 'small', r.name === selected && 'active'],
          onClick: () => { selected = r.name; load(); },
        }, r.name, r.isBuiltin ? h('span', { class: 'muted small-text' }, ' (built-in)') : null))),
        role ? grantEditor(role) : emptyState('No roles')));
  }

  function grantEditor(role) {
    const has = (kind, value, scope) => role.grants.some((g) => g.kind === kind && g.value === value && (kind !== 'kanban_action' || (g.scope || 'any') === scope));
    const toggle = async (input, grant) => {
      input.disabled = true;
      try {
        await api.post(ctx.wsPath(`/roles/${encodeURIComponent(role.name)}/${input.checked ? 'grant' : 'revoke'}`), grant);
        toast(`${input.checked ? 'Granted' : 'Revoked'} ${grant.value}${grant.scope ? ` (${grant.scope})` : ''}`, { kind: 'ok', timeout: 1500 });
      } catch (error) {
        input.checked = !input.checked;
        showError(error);
      } finally {
        input.disabled = false;
      }
      await load();
    };
    const groups = Object.entries(GRANT_KINDS).map(([kind, values]) => {
      if (kind === 'kanban_action') {
        return h('fieldset', { class: 'grant-group' }, h('legend', null, GRANT_LABELS[kind]),
          h('div', { class: 'table-wrap' }, h('table', { class: 'table grant-table' },
            h('thead', null, h('tr', null, h('th', null, 'Action'), SCOPES.map(([, label]) => h('th', null, label)))),
            h('tbody', null, values.map((value) => h('tr', null, h('td', { class: 'mono' }, value),
              SCOPES.map(([scope, label]) => h('td', null, UNSCOPED_CREATE.has(value) && scope !== 'any' ? '—' : h('input', {
                type: 'checkbox', checked: has(kind, value, scope), 'aria-label': `${value} ${label}`,
                onChange: (e) => toggle(e.currentTarget, scope === 'any' ? { kind, value } : { kind, value, scope }),
              })))))))));
      }
      return h('fieldset', { class: 'grant-group' }, h('legend', null, GRANT_LABELS[kind]),
        h('div', { class: 'grant-checks' }, values.map((value) => h('label', { class: 'grant-check' },
          h('input', { type: 'checkbox', checked: has(kind, value), onChange: (e) => toggle(e.currentTarget, { kind, value }) }), ' ', h('span', { class: 'mono' }, value)))));
    });
    return h('div', { class: 'grant-editor', dataset: { role: role.name } },
      h('div', { class: 'row spread' }, h('p', { class: 'muted' }, role.description || 'No description.'),
        role.isBuiltin ? null : h('button', { type: 'button', class: 'button small danger', onClick: async () => {
          if (!(await confirmDialog(`Delete the role ${role.name}?`, { confirmLabel: 'Delete', danger: true }))) return;
          try { await api.del(ctx.wsPath(`/roles/${encodeURIComponent(role.name)}`)); selected = null; } catch (error) { showError(error); }
          load();
        } }, 'Delete role')),
      groups);
  }

  async function addRole() {
    const result = await formDialog({
      title: 'New role', submitLabel: 'Create',
      fields: [{ name: 'name', label: 'Name', required: true, id: 'role-name' }, { name: 'description', label: 'Description', id: 'role-description' }],
      onSubmit: (v) => api.post(ctx.wsPath('/roles'), v.description.trim() ? { name: v.name.trim(), description: v.description.trim() } : { name: v.name.trim() }),
    });
    if (result) { selected = result.name; load(); }
  }
  await load();
}

// ---------------------------------------------------------------- audit log

async function audit(body, ctx) {
  const { api } = ctx;
  const query = ctx.params.query;
  const form = h('form', { class: 'inline-form audit-filters', 'aria-label': 'Audit filters' },
    field({ name: 'kind', label: 'Kind', value: query.get('kind') || '', placeholder: 'e.g. rbac_denied', id: 'audit-kind' }),
    field({ name: 'agent', label: 'Agent', value: query.get('agent') || '', placeholder: 'repo:agent', id: 'audit-agent' }),
    field({ name: 'since', label: 'Since', type: 'datetime-local', value: query.get('since') || '', id: 'audit-since' }),
    field({ name: 'limit', label: 'Rows', type: 'number', value: query.get('limit') || '100', min: 1, max: 1000, id: 'audit-limit' }),
    h('button', { type: 'submit', class: 'button primary' }, 'Filter'));
  const exportLink = h('a', { class: 'button', download: 'audit.csv', 'data-testid': 'audit-export' }, 'Export CSV');
  const results = h('div');
  clear(body, h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Audit log'), exportLink), form), results);
  function filters() {
    const v = formValues(form);
    const since = v.since ? new Date(v.since).toISOString() : '';
    return { kind: v.kind.trim(), agent: v.agent.trim(), since, limit: v.limit || 100 };
  }
  async function load() {
    const f = filters();
    exportLink.href = withQuery(ctx.wsPath('/audit/export'), { kind: f.kind, agent: f.agent, since: f.since });
    clear(results, loading());
    try {
      const data = await api.get(withQuery(ctx.wsPath('/audit'), f));
      if (!ctx.isCurrent()) return;
      clear(results, h('p', { class: 'muted' }, `${data.entries.length} of ${data.total} entries`),
        data.entries.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
          h('thead', null, h('tr', null, ['When', 'Kind', 'Actor', 'Tool', 'Outcome', 'Expected grant'].map((t) => h('th', null, t)))),
          h('tbody', null, data.entries.map((e) => h('tr', null, h('td', null, timeEl(e.at)), h('td', { class: 'mono' }, e.kind), h('td', { class: 'mono' }, e.actor),
            h('td', { class: 'mono' }, e.tool || ''), h('td', null, badge(e.outcome, /deny|denied|refus/.test(e.outcome) ? 'danger' : 'neutral')), h('td', { class: 'mono' }, e.expectedGrant || ''))))))
          : emptyState('No entries', 'RBAC decisions appear here as agents use their tools.'));
    } catch (error) {
      clear(results, notice('error', ctx.ui.errorText(error)));
    }
  }
  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  await load();
}

// ---------------------------------------------------------------- messaging

async function messaging(body, ctx) {
  const { api } = ctx;
  const ws = await api.get(ctx.wsPath(''));
  if (!ctx.isCurrent()) return;
  const text = (v) => (v === undefined || v === null ? '' : String(v));
  const form = h('form', { class: 'form settings-form' },
    field({ name: 'chatRetention', label: 'Chat retention (days, or "forever")', value: text(ws.chatRetention), id: 'chat-retention', help: 'Messages and posts older than this are deleted.' }),
    field({ name: 'maxBodyChars', label: 'Longest message (characters)', type: 'number', value: ws.maxBodyChars, min: 1, id: 'max-body' }),
    field({ name: 'rateLimit', label: 'Rate limit per agent (messages per minute, or "off")', value: text(ws.rateLimit), id: 'rate-limit' }),
    field({ name: 'loopGuard', label: 'Loop guard (messages between one pair before holding, or "off")', value: text(ws.loopGuard), id: 'loop-guard' }),
    h('button', { type: 'submit', class: 'button primary' }, 'Save'));
  const parse = (value, word) => {
    const t = value.trim();
    if (t === word) return word;
    const n = Number(t);
    if (!Number.isInteger(n)) throw new Error(`Enter a whole number or "${word}".`);
    return n;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = formValues(form);
    busy(form.querySelector('button[type=submit]'), async () => {
      await api.patch(ctx.wsPath(''), {
        chatRetention: parse(v.chatRetention, 'forever'), maxBodyChars: v.maxBodyChars, rateLimit: parse(v.rateLimit, 'off'), loopGuard: parse(v.loopGuard, 'off'),
      });
      await ctx.reloadWorkspaces();
    }, { success: 'Saved' });
  });
  clear(body, card('Messaging', form));
}

// ---------------------------------------------------------------- runtimes

async function runtimes(body, ctx) {
  const { api } = ctx;
  const detection = h('div');
  async function load() {
    const data = await api.get('/api/v1/runtimes');
    if (!ctx.isCurrent()) return;
    const detect = h('button', { type: 'button', class: 'button', 'data-testid': 'detect-runtimes', onClick: async (e) => {
      const result = await busy(e.currentTarget, () => api.post('/api/v1/runtimes/detect'));
      if (result) {
        localStorage.setItem(DETECTION_KEY, JSON.stringify(result.runtimes)); // the agents page marks missing runtimes
        showDetection(result.runtimes);
      }
    } }, 'Detect installed runtimes');
    clear(body,
      h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Runtimes'), detect),
        h('p', { class: 'muted' }, 'The command each runtime launches with, for every workspace. An agent can override it.'),
        detection,
        data.runtimes.map((rt) => runtimeForm(rt))));
  }
  function showDetection(list) {
    clear(detection, h('ul', { class: 'detect-list' }, list.map((d) => h('li', null,
      badge(d.runtime, 'soft'), ' ', badge(d.status.replace('_', ' '), d.status === 'found' ? 'ok' : 'warn'), ' ',
      h('span', { class: 'mono' }, d.path || d.command), d.version ? ` · ${d.version}` : '', d.message ? h('span', { class: 'muted' }, ` — ${d.message}`) : null))));
  }
  function runtimeForm(rt) {
    const form = h('form', { class: 'inline-form runtime-form', dataset: { runtime: rt.runtime } },
      h('div', { class: 'runtime-name' }, h('strong', null, rt.runtime), rt.isDefault ? h('span', { class: 'muted small-text' }, ' (default)') : null),
      field({ name: 'command', label: 'Command', value: rt.command || '', id: `rt-${rt.runtime}-command` }),
      field({ name: 'args', label: 'Arguments (space-separated)', value: rt.args.join(' '), id: `rt-${rt.runtime}-args` }),
      h('button', { type: 'submit', class: 'button' }, 'Save'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const v = formValues(form);
      busy(form.querySelector('button'), async () => {
        await api.put(`/api/v1/runtimes/${encodeURIComponent(rt.runtime)}`, { command: v.command.trim(), args: v.args.split(/\s+/).filter(Boolean) });
        await load();
      }, { success: `${rt.runtime} saved` });
    });
    return form;
  }
  await load();
}

// ---------------------------------------------------------------- colleague protocol

async function protocol(body, ctx) {
  let data;
  let own = null;
  try {
    [data, own] = await Promise.all([
      ctx.api.get('/api/v1/colleague-protocol'),
      ctx.workspace ? ctx.api.get(ctx.wsPath('/colleague-protocol')) : null,
    ]);
  } catch (error) {
    clear(body, notice('error', `The colleague protocol could not be loaded: ${ctx.ui.errorText(error)}`));
    return;
  }
  if (!ctx.isCurrent()) return;
  const notes = data.deliveryNotes ? [h('h3', null, 'Delivery notes per runtime'), Object.entries(data.deliveryNotes).map(([rt, note]) => h('details', { class: 'delivery-note' }, h('summary', null, rt), markdown(note)))] : null;
  if (!own) {
    clear(body, card('Colleague protocol',
      h('p', { class: 'muted' }, 'Every launched agent gets this text in its system prompt, followed by its persona and a note on how messages reach its runtime. Create a workspace to edit its own text.'),
      h('pre', { class: 'codebox', 'data-testid': 'protocol-text' }, data.text), notes));
    return;
  }
  clear(body, card('Colleague protocol', protocolEditor(ctx, own, (next) => { own = next; }), notes));
}

/** The workspace's colleague protocol: a textarea, save, reset to the built-in text, and whether it is the default. */
function protocolEditor(ctx, initial, onChange) {
  let state = initial;
  const status = h('p', { class: 'protocol-status', 'data-testid': 'protocol-status', 'aria-live': 'polite' });
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'protocol-error', hidden: true });
  const area = h('textarea', { id: 'protocol-text', name: 'text', rows: 18, class: 'mono', maxlength: state.maxLength, 'data-testid': 'protocol-editor', spellcheck: false });
  const counter = h('span', { class: 'muted', 'data-testid': 'protocol-count' });
  const save = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'protocol-save' }, 'Save');
  const reset = h('button', { type: 'button', class: 'button', 'data-testid': 'protocol-reset' }, 'Reset to default');
  function show(next) {
    state = next;
    onChange(next);
    area.value = next.text;
    clear(status, next.isDefault ? badge('built-in default', 'soft') : badge('edited for this workspace', 'warn'),
      ' ', next.isDefault ? 'This workspace uses the built-in text.' : 'This workspace uses its own text.');
    reset.disabled = next.isDefault;
    count();
  }
  function count() { counter.textContent = `${area.value.length} / ${state.maxLength} characters`; }
  function failed(error) {
    errorBox.hidden = false;
    errorBox.textContent = ctx.ui.errorText(error);
  }
  area.addEventListener('input', count);
  const form = h('form', { class: 'form settings-form', 'aria-label': 'Colleague protocol' },
    h('p', { class: 'muted' }, `Every agent launched in ${ctx.workspaceInfo?.name ?? 'this workspace'} gets this text (Markdown) in its system prompt, followed by its persona and a note on how messages reach its runtime. Running agents keep the text they started with; relaunch them to apply a change.`),
    status,
    h('div', { class: 'field' }, h('label', { for: 'protocol-text' }, 'Protocol text'), area, counter),
    errorBox,
    h('div', { class: 'page-actions' }, save, reset));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    save.disabled = true;
    try {
      show(await ctx.api.put(ctx.wsPath('/colleague-protocol'), { text: area.value }));
      toast('Colleague protocol saved; new launches use it', { kind: 'ok', timeout: 3000 });
    } catch (error) {
      failed(error);
    } finally {
      save.disabled = false;
    }
  });
  reset.addEventListener('click', async () => {
    if (!await confirmDialog('Go back to the built-in colleague protocol? This workspace\'s own text is deleted.', { danger: true })) return;
    errorBox.hidden = true;
    try {
      show(await ctx.api.del(ctx.wsPath('/colleague-protocol')));
      toast('Colleague protocol reset to the built-in text', { kind: 'ok', timeout: 3000 });
    } catch (error) {
      failed(error);
    }
  });
  show(state);
  return form;
}

// ---------------------------------------------------------------- account

async function account(body, ctx) {
  const { api } = ctx;
  const sessions = h('div');
  async function loadSessions() {
    const data = await api.get('/api/v1/auth/sessions');
    if (!ctx.isCurrent()) return;
    clear(sessions, h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['Browser', 'Signed in', 'Last seen', 'Expires', ''].map((t) => h('th', null, t)))),
      h('tbody', null, data.sessions.map((s) => h('tr', { dataset: { session: s.id } },
        h('td', null, s.userAgent ? shortAgent(s.userAgent) : 'unknown', s.current ? [' ', badge('this browser', 'soft')] : null),
        h('td', null, timeEl(s.createdAt)), h('td', null, timeEl(s.lastSeenAt)), h('td', null, timeEl(s.expiresAt)),
        h('td', null, s.current ? null : h('button', { type: 'button', class: 'button small subtle', onClick: async (e) => {
          await busy(e.currentTarget, () => api.del(`/api/v1/auth/sessions/${encodeURIComponent(s.id)}`), { success: 'Session revoked' });
          loadSessions();
        } }, 'Revoke'))))))));
  }
  const pw = h('form', { class: 'form settings-form', 'aria-label': 'Change password' },
    field({ name: 'currentPassword', label: 'Current password', type: 'password', required: true, autocomplete: 'current-password', id: 'pw-current' }),
    field({ name: 'newPassword', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', help: 'At least 8 characters. Your other sessions are signed out.', id: 'pw-new' }),
    field({ name: 'confirm', label: 'Repeat the new password', type: 'password', required: true, autocomplete: 'new-password', id: 'pw-confirm' }),
    h('button', { type: 'submit', class: 'button primary' }, 'Change password'));
  pw.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = formValues(pw);
    if (v.newPassword !== v.confirm) { toast('The two new passwords differ.', { kind: 'error' }); return; }
    if (v.newPassword.length < 8) { toast('The new password needs at least 8 characters.', { kind: 'error' }); return; }
    busy(pw.querySelector('button'), async () => {
      await api.post('/api/v1/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      pw.reset();
      await loadSessions();
    }, { success: 'Password changed; other sessions were signed out' });
  });
  const permission = notificationPermission();
  const notifyButton = h('button', { type: 'button', class: 'button', disabled: permission !== 'default', onClick: async () => {
    const result = await requestNotifications();
    toast(result === 'granted' ? 'Notifications are on' : 'Notifications are blocked in this browser', { kind: result === 'granted' ? 'ok' : 'warn' });
    account(body, ctx);
  } }, permission === 'granted' ? 'Notifications are on' : permission === 'denied' ? 'Blocked in the browser settings' : permission === 'unsupported' ? 'Not supported here' : 'Turn on notifications');
  const theme = localStorage.getItem('whatsagent.theme') || 'auto';
  const themeSelect = h('select', { id: 'theme-select', onChange: () => {
    const value = themeSelect.value;
    localStorage.setItem('whatsagent.theme', value);
    if (value === 'auto') delete document.documentElement.dataset.theme; else document.documentElement.dataset.theme = value;
  } }, [['auto', 'Follow the system'], ['light', 'Light'], ['dark', 'Dark']].map(([v, l]) => h('option', { value: v, selected: v === theme }, l)));
  clear(body,
    card('Password', pw),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Sessions'),
      h('button', { type: 'button', class: 'button small', 'data-testid': 'sign-out-others', onClick: async (e) => {
        const result = await busy(e.currentTarget, () => api.post('/api/v1/auth/sessions/sign-out-others'));
        if (result) toast(`Signed out ${result.revoked} other session${result.revoked === 1 ? '' : 's'}`, { kind: 'ok' });
        loadSessions();
      } }, 'Sign out other sessions')), sessions),
    card('Recovery code',
      h('p', null, 'Your recovery code was shown once when you set the password. With it you can reset a forgotten password on the sign-in page ("Forgot the password?"); that gives you a new code and the old one stops working.'),
      recoveryCodeForm(api),
      h('p', { class: 'muted' }, 'Lost both? On this machine run ', h('code', null, 'whatsagent auth reset-password'), ' for a new setup link.')),
    card('Notifications', h('p', { class: 'muted' }, 'Browser notifications for new messages, approvals and agents that exit, while this tab is in the background.'), notifyButton),
    card('Appearance', h('div', { class: 'field' }, h('label', { for: 'theme-select' }, 'Theme'), themeSelect)));
  await loadSessions();
}

/** "Generate a new recovery code": needs the current password; the new code is shown once, with a copy button. */
function recoveryCodeForm(api) {
  const result = h('div', { 'data-testid': 'new-recovery-code', hidden: true });
  const form = h('form', { class: 'form settings-form', 'aria-label': 'Generate a new recovery code' },
    field({ name: 'currentPassword', label: 'Confirm with your password', type: 'password', required: true, autocomplete: 'current-password', id: 'rc-current', help: 'A new code replaces the old one, which stops working.' }),
    h('button', { type: 'submit', class: 'button', 'data-testid': 'recovery-code-generate' }, 'Generate a new recovery code'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const { currentPassword } = formValues(form);
    busy(form.querySelector('button'), async () => {
      const { recoveryCode } = await api.post('/api/v1/auth/recovery-code', { currentPassword });
      form.reset();
      result.hidden = false;
      clear(result, notice('warn', 'Store this code somewhere safe now: it is shown only once, and the old code no longer works.'),
        h('div', { class: 'recovery-code' }, h('code', { 'data-testid': 'recovery-code' }, recoveryCode), copyButton(recoveryCode)));
    }, { success: 'New recovery code generated' });
  });
  return h('div', null, form, result);
}

function shortAgent(ua) {
  const match = /(Firefox|Edg|Chrome|Chromium|Safari)\/[\d.]+/.exec(ua);
  const os = /(Android|iPhone|iPad|Mac OS X|Windows|Linux)/.exec(ua);
  return `${match ? match[0].replace('Edg', 'Edge') : ua.slice(0, 40)}${os ? ` · ${os[1]}` : ''}`;
}
