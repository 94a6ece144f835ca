// Agents: repo-grouped list with presence, runtime, roles, main badge, summary, attention and pending nudges;
// add/edit agent (runtime, command, args, roles, persona), add repo, launch/stop, set main, connect external.
import { renderConnectConfigs } from '../connect-config.js';
import { worktreeFields, addWorktreeRequest, worktreeLine } from './agent-worktree.js';
import { pushBadges } from './agent-push.js';
import { h, clear, reconcile, pageHeader, badge, notice, emptyState, formDialog, confirmDialog, dialog, toast, showError, loading, copyButton, timeEl, field, useStyles } from '../ui.js';

const RUNTIMES = ['claude', 'codex', 'opencode', 'pi', 'custom'];
const PERSONA_FIELDS = [
  ['description', 'Description', 'One line: who this agent is.'],
  ['responsibilities', 'Responsibilities', ''],
  ['boundaries', 'Boundaries', 'What it must not do.'],
  ['skills', 'Skills', ''],
  ['workingStyle', 'Working style', ''],
  ['extraPrompt', 'Extra prompt', 'Added to its system prompt as is.'],
];

export function presence(agent) {
  const s = agent.session;
  if (!s || s.endedAt) return { cls: 'offline', label: s && s.endedAt ? 'stopped' : 'never started' };
  if (s.attention) return { cls: 'attention', label: 'waiting for approval' };
  if (s.online) return { cls: 'online', label: 'online' };
  if (s.kind === 'managed' && s.runnerAlive) return { cls: 'running', label: 'running, not connected to WhatsAgent' };
  return { cls: 'offline', label: s.kind === 'external' ? 'connected session, offline' : 'starting' };
}

export function isLive(agent) {
  return !!(agent.session && !agent.session.endedAt);
}

export async function render(root, ctx) {
  useStyles('/css/agents.css');
  const { api } = ctx;
  const body = h('div', { class: 'agents-body' });
  clear(root,
    pageHeader('Agents', {
      subtitle: ctx.workspaceInfo ? `Workspace ${ctx.workspaceInfo.name} · ${ctx.workspaceInfo.topology} topology` : null,
      actions: [
        h('button', { type: 'button', class: 'button', 'data-testid': 'add-repo', onClick: addRepo }, 'Add repo'),
        h('button', { type: 'button', class: 'button primary', 'data-testid': 'add-agent', onClick: () => editAgent(null) }, 'Add agent'),
      ],
    }),
    body);

  let repos = [];
  let agents = [];
  let menuOpen = false;
  let reloadPending = false;
  let roles = [];
  let hasMessages = false;
  const collapsed = new Set(JSON.parse(sessionStorage.getItem('whatsagent.collapsedRepos') || '[]'));

  async function load() {
    try {
      const [repoList, agentList, recent] = await Promise.all([api.get(ctx.wsPath('/repos')), api.get(ctx.wsPath('/agents')),
        hasMessages ? null : api.get(`${ctx.wsPath('/messages')}?limit=1`).catch(() => null)]);
      if (!ctx.isCurrent()) return;
      if (menuOpen) { reloadPending = true; return; }
      repos = repoList.repos || [];
      agents = agentList.agents || [];
      if (recent && (recent.messages || []).length) hasMessages = true;
      draw();
    } catch (error) {
      if (ctx.isCurrent()) clear(body, notice('error', `Could not load the agents: ${ctx.ui.errorText(error)}`));
    }
  }

  function draw() {
    const topology = ctx.workspaceInfo && ctx.workspaceInfo.topology;
    const parts = [checklist()];
    if (topology === 'star' && agents.length && !agents.some((a) => a.isMain)) {
      parts.push(mainAgentWarning());
    }
    if (!repos.length) {
      parts.push(emptyState('No repos yet', 'Register a project folder, then add agents to it.',
        h('button', { type: 'button', class: 'button primary', onClick: addRepo }, 'Add repo')));
    }
    for (const repo of repos) {
      const repoAgents = agents.filter((a) => a.repo === repo.name);
      const isCollapsed = collapsed.has(repo.name);
      parts.push(h('section', { class: 'card repo-group', dataset: { repo: repo.name } },
        h('div', { class: 'repo-head' },
          h('button', {
            type: 'button', class: 'icon-button', 'aria-expanded': String(!isCollapsed), 'aria-label': `${isCollapsed ? 'Expand' : 'Collapse'} ${repo.name}`,
            onClick: () => { if (isCollapsed) collapsed.delete(repo.name); else collapsed.add(repo.name); sessionStorage.setItem('whatsagent.collapsedRepos', JSON.stringify([...collapsed])); draw(); },
          }, isCollapsed ? '▸' : '▾'),
          h('div', { class: 'repo-title' }, h('h2', null, repo.name), h('p', { class: 'muted mono small-text' }, repo.path)),
          !repo.exists ? badge('folder missing', 'danger') : null,
          badge(`${repoAgents.length} agent${repoAgents.length === 1 ? '' : 's'}`),
          h('div', { class: 'repo-actions' },
            h('button', { type: 'button', class: 'button small', onClick: () => editAgent(null, repo.name) }, 'Add agent'),
            h('button', { type: 'button', class: 'button small subtle', onClick: () => removeRepo(repo) }, 'Remove'))),
        isCollapsed ? null : h('ul', { class: 'agent-list' }, repoAgents.length ? repoAgents.map(agentRow) :
          h('li', { class: 'muted agent-empty' }, 'No agents in this repo yet.'))));
    }
    reconcile(body, parts); // keeps unchanged nodes: a click that straddles a live redraw still lands
  }

  /** The agent as last loaded: handlers on a node that reconcile() kept must not act on an older copy. */
  const latest = (agent) => agents.find((a) => a.address === agent.address) || agent;

  /**
   * Getting started, until every step is done: workspace → repo → agent → launch or connect → first message; each
   * open step carries the action that does it.
   */
  function checklist() {
    const started = agents.find((a) => a.session);
    const first = agents[0];
    const steps = [
      ['workspace', 'Create a workspace', true, h('a', { href: '#/workspaces', class: 'button small subtle' }, 'Workspaces')],
      ['repo', 'Add a repo (a project folder)', repos.length > 0, h('button', { type: 'button', class: 'button small primary', onClick: addRepo }, 'Add repo')],
      ['agent', 'Add an agent to it', agents.length > 0,
        repos.length ? h('button', { type: 'button', class: 'button small primary', onClick: () => editAgent(null, repos[0].name) }, 'Add agent') : null],
      ['session', 'Launch it, or connect one you run yourself', !!started,
        first ? [h('button', { type: 'button', class: 'button small primary', onClick: (e) => launch(latest(first), e.currentTarget) }, `Launch ${first.address}`),
          h('button', { type: 'button', class: 'button small', onClick: () => connect(latest(first)) }, 'Connect external…')] : null],
      ['message', 'Send it a first message', hasMessages,
        first ? h('a', { href: `#/messages/${encodeURIComponent((agents.find((a) => a.isMain) || started || first).address)}`, class: 'button small primary' }, 'Write a message') : null],
    ];
    if (steps.every(([, , done]) => done)) return null;
    const next = steps.find(([, , done]) => !done)[0];
    return h('section', { class: 'card onboarding', 'data-testid': 'onboarding', 'aria-label': 'Getting started' },
      h('h2', null, 'Getting started'),
      h('ol', { class: 'onboarding-steps' }, steps.map(([id, label, done, action]) => h('li', {
        class: ['onboarding-step', done && 'done', id === next && 'next'], dataset: { step: id, done: String(done) }, 'aria-current': id === next ? 'step' : null,
      }, h('span', { class: 'onboarding-mark', 'aria-hidden': 'true' }, done ? '✓' : ''), h('span', { class: 'onboarding-label' }, label, done ? h('span', { class: 'visually-hidden' }, ' (done)') : null),
      !done && id === next && action ? h('span', { class: 'onboarding-action' }, action) : null))));
  }

  /** The star-topology warning, with the action that resolves it: pick an agent and make it the main one. */
  function mainAgentWarning() {
    const picker = h('select', { 'aria-label': 'Main agent', 'data-testid': 'main-agent-choice' },
      agents.map((a) => h('option', { value: a.address }, a.address)));
    const button = h('button', { type: 'button', class: 'button small primary', 'data-testid': 'set-main-agent', onClick: () => {
      const agent = agents.find((a) => a.address === picker.value);
      if (agent) setMain(agent);
    } }, agents.length === 1 ? `Make ${agents[0].address} the main agent` : 'Set as main agent');
    if (agents.length === 1) picker.hidden = true;
    return notice('warn', h('span', null, 'Star topology without a main agent: agents cannot message each other or you. '),
      h('span', { class: 'inline-form' }, picker, button));
  }

  const missing = missingRuntimes();
  /** Detection (Settings → Runtimes) found no program for the runtime, and the agent has no command of its own. */
  const unavailable = (agent) => !agent.command && missing.has(agent.runtime);

  function agentRow(agent) {
    const p = presence(agent);
    const s = agent.session;
    const live = isLive(agent);
    const statusText = s && s.endedAt
      ? ['stopped ', timeEl(s.endedAt), s.exitCode !== undefined ? ` · exit ${s.exitCode}` : s.exitSignal !== undefined ? ` · signal ${s.exitSignal}` : '', s.endReason ? ` · ${s.endReason}` : '']
      : s ? [p.label, ' · since ', timeEl(s.startedAt), s.kind === 'external' ? ' · external' : ''] : [p.label];
    const launchStop = live && s.kind === 'managed'
      ? h('button', { type: 'button', class: 'button small', 'data-testid': 'stop', onClick: (e) => stop(latest(agent), e.currentTarget) }, 'Stop')
      : live ? h('button', { type: 'button', class: 'button small', onClick: (e) => disconnect(latest(agent), e.currentTarget) }, 'Disconnect')
        : unavailable(agent)
          ? h('button', { type: 'button', class: 'button small', 'data-testid': 'launch', 'aria-describedby': `missing-${agent.address}`,
            title: `${agent.runtime} was not found by the last runtime detection: set its command in Settings → Runtimes`, onClick: (e) => launch(latest(agent), e.currentTarget) }, 'Launch')
          : h('button', { type: 'button', class: 'button small primary', 'data-testid': 'launch', onClick: (e) => launch(latest(agent), e.currentTarget) }, 'Launch');
    return h('li', { class: ['agent-row', `presence-${p.cls}`], dataset: { agent: agent.address } },
      avatar(agent, p),
      h('div', { class: 'agent-main' },
        h('div', { class: 'agent-line' },
          h('a', { class: 'agent-name', href: `#/terminal/${encodeURIComponent(agent.address)}`, title: 'Open the terminal' }, agent.address),
          badge(agent.runtime, 'neutral', { title: agent.command ? `command: ${agent.command} ${agent.args.join(' ')}` : 'runtime default command' }),
          agent.isMain ? badge('main', 'accent') : null,
          s && s.attention && !s.endedAt ? badge('needs approval', 'warn', { title: s.attention, 'data-testid': 'attention' }) : null,
          s && s.pendingNudge && !s.endedAt ? badge('nudge waiting', 'soft', { title: 'Mail waits: insert the nudge in its terminal' }) : null,
          agent.muted ? badge('muted', 'danger') : null,
          ...pushBadges(agent),
          !live && unavailable(agent) ? h('a', { href: '#/settings/runtimes', id: `missing-${agent.address}`, class: 'badge badge-warn', 'data-testid': 'runtime-missing' }, `${agent.runtime} not installed`) : null),
        h('div', { class: 'agent-roles' }, agent.roles.map((role) => h('span', { class: 'chip' }, role))),
        s && s.summary ? h('p', { class: 'agent-summary' }, s.summary) : null,
        agent.persona && agent.persona.description ? h('p', { class: 'agent-persona muted' }, agent.persona.description) : null,
        h('p', { class: 'agent-status muted small-text' }, h('span', { class: 'visually-hidden' }, 'Status: '), statusText),
        worktreeLine(agent, api, agentPath)),
      h('div', { class: 'agent-actions' },
        launchStop,
        h('a', { class: 'button small', href: `#/terminal/${encodeURIComponent(agent.address)}`, 'data-testid': 'open-terminal' }, 'Terminal'),
        h('a', { class: 'button small subtle', href: `#/messages/${encodeURIComponent(agent.address)}` }, 'Message'),
        moreMenu(agent)));
  }

  function moreMenu(agent) {
    const items = [
      ['Edit', () => editAgent(latest(agent))],
      agent.isMain ? ['Remove main', () => unsetMain(agent)] : ['Set as main', () => setMain(agent)],
      ['Connect external…', () => connect(latest(agent))],
      [agent.muted ? 'Unmute' : 'Mute', () => patch(agent, { muted: !agent.muted }, agent.muted ? 'Unmuted' : 'Muted')],
      [agent.pushEnabled ? 'Turn push off' : 'Turn push on', () => patch(agent, { pushEnabled: !agent.pushEnabled }, 'Saved')],
      (agent.runtime === 'codex' || agent.runtime === 'custom') && agent.nudgeEnabled !== undefined
        ? [agent.nudgeEnabled ? 'Stop typing nudges' : 'Type nudges in its terminal', () => patch(agent, { nudgeEnabled: !agent.nudgeEnabled }, 'Saved')] : null,
      ['Delete…', () => removeAgent(latest(agent)), 'danger'],
    ];
    const menu = h('div', { class: 'menu', role: 'menu', hidden: true });
    const toggle = h('button', { type: 'button', class: 'button small subtle', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-label': `More actions for ${agent.address}` }, '⋯');
    const close = () => {
      menu.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      document.removeEventListener('click', outside, true);
      menuOpen = false;
      if (reloadPending) { reloadPending = false; reload(); }
    };
    const outside = (event) => { if (!wrap.contains(event.target)) close(); };
    for (const [label, action, variant] of items.filter(Boolean)) {
      menu.append(h('button', { type: 'button', role: 'menuitem', class: ['menu-item', variant], onClick: () => { close(); action(); } }, label));
    }
    toggle.addEventListener('click', () => {
      if (!menu.hidden) { close(); return; }
      menu.hidden = false;
      menuOpen = true;
      toggle.setAttribute('aria-expanded', 'true');
      document.addEventListener('click', outside, true);
      menu.querySelector('button').focus();
    });
    menu.addEventListener('keydown', (event) => {
      const buttons = [...menu.querySelectorAll('button')];
      const index = buttons.indexOf(document.activeElement);
      if (event.key === 'Escape') { close(); toggle.focus(); }
      if (event.key === 'ArrowDown') { event.preventDefault(); buttons[(index + 1) % buttons.length].focus(); }
      if (event.key === 'ArrowUp') { event.preventDefault(); buttons[(index - 1 + buttons.length) % buttons.length].focus(); }
    });
    const wrap = h('div', { class: 'menu-wrap' }, toggle, menu);
    return wrap;
  }

  const agentPath = (agent, rest = '') => ctx.wsPath(`/agents/${encodeURIComponent(agent.address)}${rest}`);

  async function launch(agent, button) {
    button.disabled = true;
    try {
      const result = await api.post(agentPath(agent, '/launch'));
      toast(result.alreadyRunning ? `${agent.address} is already running` : `${agent.address} launched`, { kind: 'ok', timeout: 3000, action: { label: 'Terminal', onClick: () => ctx.navigate('terminal', agent.address) } });
      await load();
    } catch (error) {
      launchError(error, agent.address, ctx, agent);
      button.disabled = false;
    }
  }

  async function stop(agent, button) {
    if (!(await confirmDialog(`Stop ${agent.address}? Its process gets SIGTERM (SIGHUP after 2 s, SIGKILL at 5 s).`, { confirmLabel: 'Stop', danger: true }))) return;
    button.disabled = true;
    try {
      await api.post(agentPath(agent, '/stop'));
      toast(`${agent.address} stopped`, { kind: 'ok', timeout: 3000 });
    } catch (error) {
      showError(error);
    }
    await load();
  }

  async function disconnect(agent, button) {
    if (!(await confirmDialog(`End the external session of ${agent.address}? Its token stops working.`, { confirmLabel: 'Disconnect', danger: true }))) return;
    button.disabled = true;
    try {
      await api.post(agentPath(agent, '/disconnect'));
    } catch (error) {
      showError(error);
    }
    await load();
  }

  async function setMain(agent) {
    try {
      await api.put(ctx.wsPath('/main-agent'), { agent: agent.address });
      toast(`${agent.address} is the main agent`, { kind: 'ok', timeout: 3000 });
    } catch (error) {
      showError(error);
    }
    await load();
  }

  async function unsetMain(agent) {
    if (!(await confirmDialog(`Remove ${agent.address} as the main agent?`, { confirmLabel: 'Remove main' }))) return;
    try {
      await api.del(ctx.wsPath('/main-agent'));
    } catch (error) {
      showError(error);
    }
    await load();
  }

  async function patch(agent, change, message) {
    try {
      await api.patch(agentPath(agent), change);
      toast(message, { kind: 'ok', timeout: 2000 });
    } catch (error) {
      showError(error);
    }
    await load();
  }

  async function removeAgent(agent) {
    if (!(await confirmDialog(`Delete ${agent.address}? Its roles and peer rules go too; messages stay in the history.`, { confirmLabel: 'Delete', danger: true }))) return;
    try {
      await api.del(agentPath(agent));
    } catch (error) {
      if (error.code !== 'live_sessions') { showError(error); return; }
      if (!(await confirmDialog(`${error.message} Stop it and delete?`, { confirmLabel: 'Stop and delete', danger: true }))) return;
      try { await api.del(`${agentPath(agent)}?force=true`); } catch (err) { showError(err); return; }
    }
    toast(`${agent.address} deleted`, { kind: 'ok' });
    await load();
  }

  async function removeRepo(repo) {
    if (!(await confirmDialog(`Remove the repo ${repo.name} and its agents from the workspace? The folder on disk is not touched.`, { confirmLabel: 'Remove', danger: true }))) return;
    try {
      await api.del(ctx.wsPath(`/repos/${encodeURIComponent(repo.name)}`));
    } catch (error) {
      if (error.code !== 'live_sessions') { showError(error); return; }
      if (!(await confirmDialog(`${error.message} Stop them and remove?`, { confirmLabel: 'Stop and remove', danger: true }))) return;
      try { await api.del(ctx.wsPath(`/repos/${encodeURIComponent(repo.name)}?force=true`)); } catch (err) { showError(err); return; }
    }
    await load();
  }

  async function addRepo() {
    const result = await formDialog({
      title: 'Add repo',
      submitLabel: 'Add',
      intro: h('p', { class: 'muted' }, 'A folder on this machine where agents work (usually a git checkout).'),
      fields: [
        { name: 'path', label: 'Absolute path', required: true, placeholder: '/home/me/src/project', id: 'repo-path' },
        { name: 'name', label: 'Name (optional)', placeholder: 'defaults to the folder name', id: 'repo-name' },
      ],
      onSubmit: (values) => {
        const request = { path: values.path.trim() };
        if (values.name.trim()) request.name = values.name.trim();
        return api.post(ctx.wsPath('/repos'), request);
      },
    });
    if (result) {
      toast(`Repo ${result.name} added`, { kind: 'ok', timeout: 2500 });
      await load();
    }
  }

  async function editAgent(agent, repoName) {
    if (!roles.length) {
      try { roles = (await api.get(ctx.wsPath('/roles'))).roles.map((r) => r.name); } catch { roles = []; }
    }
    if (!repos.length) { toast('Add a repo first.', { kind: 'warn' }); return; }
    const creating = !agent;
    const persona = (agent && agent.persona) || {};
    const fields = [];
    if (creating) {
      fields.push({ name: 'repo', label: 'Repo', type: 'select', options: repos.map((r) => r.name), value: repoName || repos[0].name, id: 'agent-repo' });
      fields.push({ name: 'name', label: 'Name', required: true, placeholder: 'dev', help: 'Letters, digits, - and _. The address is repo:name.', id: 'agent-name' });
    }
    fields.push(
      { name: 'runtime', label: 'Runtime', type: 'select', options: RUNTIMES, value: agent ? agent.runtime : 'claude', id: 'agent-runtime' },
      { name: 'command', label: 'Command (optional)', value: agent ? agent.command || '' : '', placeholder: 'the runtime default', help: 'Executable to launch, e.g. bash for a custom agent.', id: 'agent-command' },
      { name: 'args', label: 'Arguments (one per line)', type: 'textarea', rows: 2, value: agent ? agent.args.join('\n') : '', id: 'agent-args' },
      { name: 'roles', label: 'Roles (comma-separated)', value: agent ? agent.roles.join(', ') : '', placeholder: creating ? 'default: pm for main, engineer otherwise' : '', help: roles.length ? `Available: ${roles.join(', ')}` : '', id: 'agent-roles' });
    if (creating) fields.push({ name: 'main', label: 'Make it the main agent', type: 'checkbox', value: false, id: 'agent-main' });
    const personaBox = h('details', { class: 'persona-fields', open: !!(persona.description || persona.extraPrompt) ? true : null },
      h('summary', null, 'Persona'),
      PERSONA_FIELDS.map(([key, label, help]) => field({ name: `persona_${key}`, label, help, type: key === 'description' ? 'text' : 'textarea', rows: 2, value: persona[key] || '', id: `agent-persona-${key}` })));
    fields.push(...worktreeFields(agent));
    fields.push(personaBox);
    const result = await formDialog({
      title: creating ? 'Add agent' : `Edit ${agent.address}`,
      submitLabel: creating ? 'Add agent' : 'Save',
      wide: true,
      fields,
      onSubmit: (values) => {
        const request = { runtime: values.runtime };
        const command = values.command.trim();
        const args = values.args.split('\n').map((a) => a.trim()).filter(Boolean);
        const roleList = values.roles.split(',').map((r) => r.trim()).filter(Boolean);
        const personaValue = {};
        for (const [key] of PERSONA_FIELDS) if (values[`persona_${key}`].trim()) personaValue[key] = values[`persona_${key}`].trim();
        if (creating) {
          request.address = `${values.repo}:${values.name.trim()}`;
          if (command) request.command = command;
          if (args.length) request.args = args;
          if (roleList.length) request.roles = roleList;
          if (values.main) request.main = true;
          if (Object.keys(personaValue).length) request.persona = personaValue;
          addWorktreeRequest(request, values, null);
          return api.post(ctx.wsPath('/agents'), request);
        }
        request.command = command;
        request.args = args;
        if (roleList.length) request.roles = roleList;
        request.persona = personaValue;
        addWorktreeRequest(request, values, agent);
        return api.patch(agentPath(agent), request);
      },
    });
    if (result) {
      toast(creating ? `Agent ${result.address} added` : 'Saved', { kind: 'ok', timeout: 2500 });
      await load();
    }
  }

  async function connect(agent) {
    let result;
    try {
      result = await api.post(agentPath(agent, '/connect'), { replace: false });
    } catch (error) {
      if (error.code !== 'session_exists' && error.status !== 409) { showError(error); return; }
      if (!(await confirmDialog(`${error.message} Replace it with a new external session?`, { confirmLabel: 'Replace' }))) return;
      try { result = await api.post(agentPath(agent, '/connect'), { replace: true }); } catch (err) { showError(err); return; }
    }
    await dialog({
      title: `Connect ${agent.address}`,
      wide: true,
      body: connectBody(result, agent.runtime),
    });
    await load();
  }

  let timer = null;
  // A live update never redraws under an open row menu: it waits until the menu closes.
  const reload = () => {
    if (menuOpen) { reloadPending = true; return; }
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  };
  for (const type of ['agents', 'attention', 'nudge_pending', 'session_ended', 'resync', 'workspaces']) ctx.events.on(type, reload);
  clear(body, loading());
  await load();
  return () => clearTimeout(timer);
}

const CONNECT_TABS = [
  ['claude', 'Claude Code', 'In the repo, run (the token stays in the session\'s 0600 MCP config file):'],
  ['codex', 'Codex', 'In a shell in the repo, paste (the token goes in the environment, never on the command line):'],
  ['opencode', 'OpenCode', 'Add this to opencode.json in the repo, then start opencode:'],
  ['json', 'Other MCP client', 'The standard mcpServers entry:'],
];

/**
 * "How do I connect Claude Code / Codex / OpenCode?": one tab per runtime with the text `whatsagent agent connect
 * --print-config <runtime>` prints, all rendered from the one connect response (the token is shown this once).
 */
function connectBody(connection, runtime) {
  const configs = renderConnectConfigs(connection);
  const first = CONNECT_TABS.some(([id]) => id === runtime) ? runtime : 'claude';
  const buttons = [];
  const panels = [];
  const select = (id) => {
    for (const b of buttons) { const on = b.dataset.tab === id; b.setAttribute('aria-selected', String(on)); b.classList.toggle('active', on); b.tabIndex = on ? 0 : -1; }
    for (const p of panels) p.hidden = p.dataset.tab !== id;
  };
  for (const [id, label, hint] of CONNECT_TABS) {
    buttons.push(h('button', { type: 'button', role: 'tab', class: 'tab', id: `connect-tab-${id}`, 'aria-controls': `connect-panel-${id}`, dataset: { tab: id }, onClick: () => select(id) }, label));
    const text = configs[id];
    panels.push(h('div', { role: 'tabpanel', id: `connect-panel-${id}`, 'aria-labelledby': `connect-tab-${id}`, dataset: { tab: id }, class: 'connect-panel' },
      text === null
        ? h('p', { class: 'muted' }, 'The daemon wrote no MCP config file for this session: use the "Other MCP client" entry.')
        : [h('p', null, hint), h('pre', { class: 'codebox', 'data-testid': `connect-config-${id}` }, text), copyButton(text, `Copy the ${label} configuration`)]));
  }
  const list = h('div', { class: 'tabs connect-tabs', role: 'tablist', 'aria-label': 'Runtime' }, buttons);
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = buttons.findIndex((b) => b.getAttribute('aria-selected') === 'true');
    const next = buttons[(index + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length];
    select(next.dataset.tab);
    next.focus();
  });
  select(first);
  return [
    h('p', null, 'Start the agent yourself, in its repo, with one of these. The token is shown once and only works for this session; ',
      h('code', null, `whatsagent agent connect ${connection.environment?.WHATSAGENT_AGENT ?? ''} --print-config <runtime>`), ' prints the same from a terminal.'),
    list, panels,
  ];
}

/**
 * The avatar: two letters of the name on a colour of its own, so agents with the same initials (dev, devops) still
 * look different. The hue comes from a hash of the whole address (CSSOM, allowed by the CSP).
 */
function avatar(agent, p) {
  let hash = 0;
  for (const char of String(agent.address)) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  const hue = hash % 360;
  return h('div', {
    class: 'agent-avatar', 'aria-hidden': 'true', 'data-testid': 'agent-avatar',
    style: { '--avatar-hue': String(hue) },
  }, agent.name.slice(0, 2).toUpperCase(), h('span', { class: ['dot', p.cls] }));
}

/** The last `Detect installed runtimes` result (Settings → Runtimes), kept by this browser. */
export const DETECTION_KEY = 'whatsagent.runtimeDetection';
function missingRuntimes() {
  try {
    const list = JSON.parse(localStorage.getItem(DETECTION_KEY) || '[]');
    return new Map(list.filter((d) => d.status === 'not_found').map((d) => [d.runtime, d]));
  } catch {
    return new Map();
  }
}

/**
 * A refused launch, said once ("Could not launch A: …", not the daemon's "cannot launch A:" again) and, when the
 * program is missing, with the way to fix it from the browser: Settings → Runtimes (or the agent's own command).
 */
export function launchError(error, address, ctx, agent = null) {
  const message = String(error.message || error);
  const prefix = `cannot launch ${address}: `;
  const detail = message.toLowerCase().startsWith(prefix.toLowerCase()) ? message.slice(prefix.length) : message;
  if (error.code !== 'command_not_found') {
    toast(`Could not launch ${address}: ${detail}`, { kind: 'error' });
    return;
  }
  const own = agent && agent.command;
  const where = own ? 'Change the agent\'s command (Edit in its ⋯ menu)' : 'Set the runtime\'s command in Settings → Runtimes';
  const program = detail.replace(/;?\s*(install it or change it with|give an absolute path).*$/i, '');
  toast(`Could not launch ${address}: ${program}. ${where}.`, {
    kind: 'error',
    action: own ? null : { label: 'Settings → Runtimes', onClick: () => ctx.navigate('settings', 'runtimes') },
  });
}
