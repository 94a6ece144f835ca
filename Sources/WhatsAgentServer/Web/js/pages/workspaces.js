// Workspaces: create, rename, switch, topology, RBAC mode, trash / restore / purge.
import { h, clear, pageHeader, badge, timeEl, emptyState, formDialog, confirmDialog, toast, showError, loading, notice } from '../ui.js';

const TOPOLOGIES = [
  { value: 'star', label: 'Star — agents talk through the main agent' },
  { value: 'p2p', label: 'Peer-to-peer — agents talk directly (peer rules apply)' },
  { value: 'channel', label: 'Channel — agents talk in channels only' },
];
const RBAC_MODES = [
  { value: 'enforce', label: 'Enforce — denied actions are refused' },
  { value: 'soft', label: 'Soft — denied actions are logged, not refused' },
  { value: 'off', label: 'Off — no role checks' },
];

export async function render(root, ctx) {
  const { api } = ctx;
  const list = h('div', { class: 'grid', 'data-testid': 'workspace-list' });
  const trashed = h('div');
  clear(root,
    pageHeader('Workspaces', {
      subtitle: 'Each workspace has its own repos, agents, messages, board and roles.',
      actions: [h('button', { type: 'button', class: 'button primary', 'data-testid': 'create-workspace', onClick: create }, 'New workspace')],
    }),
    list, trashed);

  async function load() {
    clear(list, loading());
    let data;
    try {
      data = await api.get('/api/v1/workspaces');
    } catch (error) {
      clear(list, notice('error', `Could not load the workspaces: ${ctx.ui.errorText(error)}`));
      return;
    }
    if (!ctx.isCurrent()) return;
    const active = data.workspaces.filter((ws) => ws.status === 'active');
    const gone = data.workspaces.filter((ws) => ws.status !== 'active');
    clear(list, active.length ? active.map((ws) => card(ws, ws.id === data.currentWorkspaceId || ws.isCurrent)) :
      emptyState('No workspace yet', 'Create one to add repos and agents.', h('button', { type: 'button', class: 'button primary', onClick: create }, 'New workspace')));
    clear(trashed, gone.length ? [h('h2', { class: 'section-title' }, 'Trash'), h('div', { class: 'grid' }, gone.map(trashCard))] : null);
  }

  function card(ws, isCurrent) {
    return h('article', { class: ['card', 'workspace-card', isCurrent && 'current'], dataset: { workspace: ws.name } },
      h('div', { class: 'card-head' },
        h('h2', null, ws.name),
        isCurrent ? badge('current', 'soft') : h('button', { type: 'button', class: 'button small', onClick: (e) => use(ws, e.currentTarget) }, 'Use')),
      h('dl', { class: 'kv' },
        h('dt', null, 'Topology'), h('dd', null, ws.topology),
        h('dt', null, 'RBAC'), h('dd', null, ws.rbacMode),
        h('dt', null, 'Board prefixes'), h('dd', null, `${ws.kanbanPrefix} / ${ws.epicPrefix}`),
        h('dt', null, 'Repos · agents · live'), h('dd', null, `${ws.repoCount} · ${ws.agentCount} · ${ws.liveSessionCount}`),
        h('dt', null, 'Created'), h('dd', null, timeEl(ws.createdAt))),
      h('div', { class: 'row card-actions' },
        h('button', { type: 'button', class: 'button small', onClick: () => edit(ws) }, 'Edit'),
        h('button', { type: 'button', class: 'button small subtle', onClick: () => trash(ws) }, 'Move to trash')));
  }

  function trashCard(ws) {
    return h('article', { class: 'card workspace-card trashed', dataset: { workspace: ws.name } },
      h('div', { class: 'card-head' }, h('h3', null, ws.name), badge(ws.status, 'warn')),
      h('p', { class: 'muted small-text' }, 'Trashed ', timeEl(ws.trashedAt), ws.purgeAfter ? [' · purged automatically ', timeEl(ws.purgeAfter)] : null),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'button small', onClick: (e) => restore(ws, e.currentTarget) }, 'Restore'),
        h('button', { type: 'button', class: 'button small danger', onClick: () => purge(ws) }, 'Delete forever')));
  }

  async function use(ws, button) {
    button.disabled = true;
    try {
      await ctx.useWorkspace(ws.id);
      toast(`Now using ${ws.name}`, { kind: 'ok', timeout: 2500 });
      await load();
    } catch (error) {
      showError(error);
      button.disabled = false;
    }
  }

  async function create() {
    const result = await formDialog({
      title: 'New workspace',
      submitLabel: 'Create',
      fields: [
        { name: 'name', label: 'Name', required: true, placeholder: 'my-project', help: 'Letters, digits, - and _.', id: 'ws-name' },
        { name: 'topology', label: 'Topology', type: 'select', options: TOPOLOGIES, value: 'star' },
        { name: 'rbacMode', label: 'RBAC mode', type: 'select', options: RBAC_MODES, value: 'enforce' },
        { name: 'kanbanPrefix', label: 'Task id prefix (optional)', placeholder: 'WA', maxlength: 10 },
      ],
      onSubmit: (values) => {
        const body = { name: values.name.trim(), topology: values.topology, rbacMode: values.rbacMode };
        if (values.kanbanPrefix.trim()) body.kanbanPrefix = values.kanbanPrefix.trim();
        return api.post('/api/v1/workspaces', body);
      },
    });
    if (!result) return;
    toast(`Workspace ${result.name} created`, { kind: 'ok', timeout: 2500 });
    try {
      await ctx.useWorkspace(result.id);
    } catch (error) {
      showError(error);
    }
    await load();
  }

  async function edit(ws) {
    const result = await formDialog({
      title: `Edit ${ws.name}`,
      fields: [
        { name: 'name', label: 'Name', required: true, value: ws.name },
        { name: 'topology', label: 'Topology', type: 'select', options: TOPOLOGIES, value: ws.topology },
        { name: 'rbacMode', label: 'RBAC mode', type: 'select', options: RBAC_MODES, value: ws.rbacMode },
        { name: 'kanbanPrefix', label: 'Task id prefix', value: ws.kanbanPrefix, maxlength: 10 },
        { name: 'epicPrefix', label: 'Epic id prefix', value: ws.epicPrefix, maxlength: 10 },
      ],
      onSubmit: (values) => {
        const body = {};
        for (const key of ['name', 'topology', 'rbacMode', 'kanbanPrefix', 'epicPrefix']) {
          const value = values[key].trim();
          if (value && value !== ws[key]) body[key] = value;
        }
        return Object.keys(body).length ? api.patch(`/api/v1/workspaces/${encodeURIComponent(ws.id)}`, body) : ws;
      },
    });
    if (!result) return;
    toast('Saved', { kind: 'ok', timeout: 2000 });
    await ctx.reloadWorkspaces();
    await load();
  }

  async function trash(ws) {
    if (!(await confirmDialog(`Move ${ws.name} to the trash? It can be restored until it is purged.`, { confirmLabel: 'Move to trash', danger: true }))) return;
    try {
      await api.post(`/api/v1/workspaces/${encodeURIComponent(ws.id)}/trash`, { force: false });
    } catch (error) {
      if (error.code !== 'live_sessions') { showError(error); return; }
      if (!(await confirmDialog(`${error.message} Stop them and trash the workspace?`, { confirmLabel: 'Stop sessions and trash', danger: true }))) return;
      try {
        await api.post(`/api/v1/workspaces/${encodeURIComponent(ws.id)}/trash`, { force: true });
      } catch (err) {
        showError(err);
        return;
      }
    }
    toast(`${ws.name} moved to the trash`, { kind: 'ok' });
    await ctx.reloadWorkspaces();
    await load();
  }

  async function restore(ws, button) {
    button.disabled = true;
    try {
      await api.post(`/api/v1/workspaces/${encodeURIComponent(ws.id)}/restore`);
      toast(`${ws.name} restored`, { kind: 'ok' });
      await ctx.reloadWorkspaces();
      await load();
    } catch (error) {
      showError(error);
      button.disabled = false;
    }
  }

  async function purge(ws) {
    if (!(await confirmDialog(`Delete ${ws.name} and all its data forever? This cannot be undone.`, { confirmLabel: 'Delete forever', danger: true }))) return;
    try {
      await api.post(`/api/v1/workspaces/${encodeURIComponent(ws.id)}/purge`);
      toast(`${ws.name} deleted`, { kind: 'ok' });
      await load();
    } catch (error) {
      showError(error);
    }
  }

  ctx.events.on('workspaces', load);
  ctx.events.on('agents', load);
  ctx.events.on('resync', load);
  await load();
}
