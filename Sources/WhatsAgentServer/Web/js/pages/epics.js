// Epics (#/epics[/<epic>]): each epic with its progress, tasks and their dependency graph; the close-approval
// banner (Approve / Cancel) for every pending close, live from `close_approval` and `board` events; request close;
// create epics; the epic drawer.

import { openCreate } from '../board/create.js';
import { announceClose, approvalBanner, openDrawer } from '../board/drawer.js';
import { boardTabs, loadingNote, toolsPanel, el, ensureStyles, errorText, slug, toast } from '../board/dom.js';
import { exportButtons } from '../board/export.js';
import { dependencyGraph } from '../board/graph.js';
import { boardClient, coalesced, onBoardEvents } from '../board/model.js';
import { searchBox } from '../board/search.js';

const GRAPH_KEY = 'whatsagent.epics.graph';

export async function render(root, ctx) {
  ensureStyles(ctx);
  const client = boardClient(ctx);
  const state = { epics: [], tasks: [], agents: [], loaded: false, graphs: localStorage.getItem(GRAPH_KEY) !== '0' };
  let drawer = null;
  let disposed = false;
  const data = () => ({ agents: state.agents, epics: state.epics, tasks: state.tasks });

  const approvals = el('div', { class: 'bd-approvals', 'aria-live': 'polite' });
  const list = el('div', { class: 'bd-epic-list' });
  const newEpic = el('button', { type: 'button', class: 'button primary', 'data-action': 'new-epic' }, '+ New epic');
  newEpic.addEventListener('click', () => openCreate(ctx, client, 'epic', data(), () => refetch()));
  const graphToggle = el('button', { type: 'button', class: 'button', 'aria-pressed': String(state.graphs), 'data-action': 'toggle-graphs' }, 'Dependency graphs');
  graphToggle.addEventListener('click', () => {
    state.graphs = !state.graphs;
    localStorage.setItem(GRAPH_KEY, state.graphs ? '1' : '0');
    graphToggle.setAttribute('aria-pressed', String(state.graphs));
    draw();
  });
  const search = searchBox(client, 'epic', (hit) => openEpic(hit.displayId));

  root.append(
    el(
      'div',
      { class: 'bd-page bd-epics-page' },
      boardTabs('epics'),
      el(
        'header',
        { class: 'page-header bd-header' },
        el('div', { class: 'page-title' }, el('h1', {}, 'Epics')),
        el('div', { class: 'page-actions bd-actions-wrap' }, newEpic, graphToggle, exportButtons(ctx, client)),
      ),
      approvals,
      toolsPanel(search.node),
      list,
    ),
  );

  function setHash(id) {
    const hash = id ? `#/epics/${encodeURIComponent(id)}` : '#/epics';
    // Only while this page is the one in the address bar: a drawer that closes after a navigation (its close event
    // comes a task later) must not put this page's address back over the next page's.
    if (disposed || !location.hash.startsWith('#/epics')) return;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function open(kind, id) {
    if (drawer?.open) {
      drawer.show(kind, id);
    } else {
      drawer = openDrawer(ctx, client, {
        kind,
        id,
        data,
        onChange: () => refetch(),
        onClose: () => {
          drawer = null;
          if (!disposed) setHash(null);
        },
      });
    }
    setHash(kind === 'epic' ? id : null);
  }
  const openEpic = (id) => open('epic', id);
  const openTask = (id) => open('task', id);

  function progress(children) {
    const done = children.filter((task) => task.status === 'Completed').length;
    const total = children.length;
    const bar = el('progress', { class: 'bd-progress', max: Math.max(total, 1), value: done, 'aria-label': `${done} of ${total} tasks completed` });
    return el('div', { class: 'bd-progress-wrap' }, bar, el('span', { class: 'bd-small muted' }, total ? `${done}/${total} done` : 'no tasks'));
  }

  function epicSection(epic, children, byId) {
    const pending = epic.closeApproval?.status === 'pending';
    const actions = el('div', { class: 'bd-epic-actions' });
    const details = el('button', { type: 'button', class: 'button small', 'data-action': 'open-epic' }, 'Details');
    details.addEventListener('click', () => openEpic(epic.displayId));
    actions.append(details);
    const addTask = el('button', { type: 'button', class: 'button small', 'data-action': 'add-task' }, '+ Task');
    addTask.addEventListener('click', () => openCreate(ctx, client, 'task', data(), () => refetch(), { epicId: epic.displayId }));
    if (epic.status !== 'Completed') actions.append(addTask);
    if (!pending && epic.status !== 'Completed') {
      const request = el('button', { type: 'button', class: 'button small', 'data-action': 'request-close' }, 'Request close');
      request.addEventListener('click', async () => {
        request.disabled = true;
        try {
          const result = await client.closeRequest(epic.displayId);
          announceClose(ctx, epic, result);
          refetch();
        } catch (failure) {
          toast(ctx, errorText(failure), 'error');
          request.disabled = false;
        }
      });
      actions.append(request);
    }
    const tasks = el(
      'ul',
      { class: 'bd-epic-tasks' },
      children.map((task) =>
        el(
          'li',
          {},
          el('a', { href: `#/board/${task.displayId}`, class: 'bd-item-link', on: { click: (event) => { event.preventDefault(); openTask(task.displayId); } } }, task.displayId),
          ' ',
          el('span', { class: 'bd-epic-task-title' }, task.title),
          ' ',
          el('span', { class: ['bd-status', `bd-status-${slug(task.status)}`] }, task.status),
        ),
      ),
    );
    return el(
      'section',
      { class: ['bd-epic', pending ? 'bd-epic-pending' : null], 'data-testid': 'epic', dataset: { epicId: epic.displayId }, 'aria-labelledby': `bd-epic-${epic.displayId}` },
      el(
        'header',
        { class: 'bd-epic-head' },
        el('h2', { id: `bd-epic-${epic.displayId}`, class: 'bd-epic-title' }, el('span', { class: 'bd-id' }, epic.displayId), ' ', epic.title),
        el(
          'div',
          { class: 'bd-pills' },
          el('span', { class: ['bd-status', `bd-status-${slug(epic.status)}`], 'data-testid': 'epic-status' }, epic.status),
          pending ? el('span', { class: 'bd-pill bd-pill-warning' }, 'close pending') : null,
          el('span', { class: ['bd-pill', `bd-priority-${slug(epic.priority)}`] }, epic.priority),
          el('span', { class: 'bd-pill' }, epic.assignee),
        ),
        progress(children),
        actions,
      ),
      children.length ? tasks : el('p', { class: 'muted bd-small' }, 'No tasks in this epic yet.'),
      state.graphs && children.length ? dependencyGraph(children, byId, openTask, `Dependencies of ${epic.displayId}`) : null,
    );
  }

  function draw() {
    const byId = new Map(state.tasks.map((task) => [task.displayId, task]));
    const pending = state.epics.filter((epic) => epic.closeApproval?.status === 'pending');
    approvals.replaceChildren(
      ...pending.map((epic) => {
        const open = state.tasks.filter((task) => task.epicId === epic.displayId && task.status !== 'Completed').length;
        return approvalBanner(ctx, client, epic, open, () => refetch());
      }),
    );
    // No epics yet: say so, and still list the tasks (all of them are without an epic).
    const sections =
      state.epics.length === 0
        ? [el('div', { class: 'empty' }, el('p', { class: 'empty-title' }, 'No epics yet'), el('p', { class: 'muted' }, 'Epics group tasks; closing one with open tasks waits for your approval.'))]
        : state.epics.map((epic) => epicSection(epic, state.tasks.filter((task) => task.epicId === epic.displayId), byId));
    const loose = state.tasks.filter((task) => !task.epicId);
    if (loose.length) {
      sections.push(
        el(
          'section',
          { class: 'bd-epic bd-epic-none' },
          el('header', { class: 'bd-epic-head' }, el('h2', { class: 'bd-epic-title' }, 'Tasks without an epic'), el('span', { class: 'muted bd-small' }, `${loose.length} task${loose.length === 1 ? '' : 's'}`)),
          el('ul', { class: 'bd-loose-tasks', 'data-testid': 'tasks-without-epic' }, loose.map((task) => el('li', {},
            el('button', { type: 'button', class: 'bd-hit-open', on: { click: () => openTask(task.displayId) } },
              el('span', { class: 'bd-id' }, task.displayId), ' ', el('span', {}, task.title)),
            ' ', el('span', { class: 'bd-status muted bd-small' }, task.status), ' ', el('span', { class: 'muted bd-small' }, task.assignee || 'unassigned')))),
          state.graphs ? dependencyGraph(loose, byId, openTask, 'Dependencies of the tasks without an epic') : null,
        ),
      );
    }
    list.replaceChildren(...sections);
  }

  const refetch = coalesced(async () => {
    try {
      const [epics, tasks, agents] = await Promise.all([client.epics(), client.tasks(), client.agents().catch(() => state.agents)]);
      if (disposed) return;
      Object.assign(state, { epics, tasks, agents, loaded: true });
      draw();
    } catch (failure) {
      if (disposed) return;
      if (!state.loaded) list.replaceChildren(el('div', { class: 'notice notice-error', role: 'alert' }, `The epics could not be loaded: ${errorText(failure)}`));
      else toast(ctx, `The epics could not be refreshed: ${errorText(failure)}`, 'error');
    }
  });

  const stopEvents = onBoardEvents(ctx, (event) => {
    refetch();
    if (drawer?.open) drawer.refresh(event.itemId || event.epicId);
  });
  list.replaceChildren(loadingNote(ctx, 'Loading the epics…'));
  await refetch();
  const wanted = ctx.params?.id;
  if (wanted && !disposed) openEpic(wanted);
  return () => {
    disposed = true;
    stopEvents();
    drawer?.close();
  };
}
