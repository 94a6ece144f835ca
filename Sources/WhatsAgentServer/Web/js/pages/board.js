// The Kanban board (#/board[/<task>]): columns by status, optional lanes by assignee, filters, full-text search,
// create, the task drawer, moves by drag and drop or keyboard (Alt+←/→, the ⋯ move menu), live updates from
// `board` events, and export.

import { boardGrid } from '../board/cards.js';
import { openCreate } from '../board/create.js';
import { enableDragAndDrop } from '../board/dnd.js';
import { openDrawer } from '../board/drawer.js';
import { boardTabs, loadingNote, toolsPanel, el, ensureStyles, errorText, openMenu, select, toast } from '../board/dom.js';
import { exportButtons } from '../board/export.js';
import { PRIORITIES, STATUSES, UNASSIGNED, assigneeKey, boardClient, coalesced, onBoardEvents } from '../board/model.js';
import { searchBox } from '../board/search.js';

const LANES_KEY = 'whatsagent.board.lanes';
const TASK_LIMIT = 1000; // the listing's maximum (docs/http-api.md, Board)

function matches(task, filters) {
  if (filters.assignee && assigneeKey(task) !== filters.assignee) return false;
  if (filters.priority && task.priority !== filters.priority) return false;
  if (filters.epic === 'none' && task.epicId) return false;
  if (filters.epic && filters.epic !== 'none' && task.epicId !== filters.epic) return false;
  if (filters.text) {
    const haystack = `${task.displayId} ${task.title} ${task.details || ''} ${task.assignee || 'unassigned'}`.toLowerCase();
    if (!filters.text.split(/\s+/).every((word) => haystack.includes(word))) return false;
  }
  return true;
}

export async function render(root, ctx) {
  ensureStyles(ctx);
  const client = boardClient(ctx);
  const state = { tasks: [], epics: [], agents: [], loaded: false, filters: { assignee: '', priority: '', epic: '', text: '' }, lanes: localStorage.getItem(LANES_KEY) === '1' };
  let drawer = null;
  let disposed = false;

  const live = el('p', { class: 'bd-sr-only', role: 'status', 'aria-live': 'polite', 'data-testid': 'board-announce' });
  const boardHost = el('div', { class: 'bd-board', tabindex: -1 });
  const summary = el('p', { class: 'muted bd-small bd-summary', 'data-testid': 'board-summary' });
  const filterBar = el('div', { class: 'bd-filters', role: 'group', 'aria-label': 'Filters' });
  const data = () => ({ agents: state.agents, epics: state.epics, tasks: state.tasks });

  const newTask = el('button', { type: 'button', class: 'button primary', 'data-action': 'new-task' }, '+ New task');
  newTask.addEventListener('click', () => create());
  const lanesToggle = el('button', { type: 'button', class: 'button', 'aria-pressed': String(state.lanes), 'data-action': 'toggle-lanes' }, 'Lanes by assignee');
  lanesToggle.addEventListener('click', () => {
    state.lanes = !state.lanes;
    localStorage.setItem(LANES_KEY, state.lanes ? '1' : '0');
    lanesToggle.setAttribute('aria-pressed', String(state.lanes));
    draw();
  });
  // One search box: typing filters the cards at once; Enter also searches comments (and the archive, if ticked).
  const search = searchBox(client, 'task', (hit) => openTask(hit.displayId), {
    onInput: (value) => {
      state.filters = { ...state.filters, text: value.trim().toLowerCase() };
      draw();
    },
  });

  root.append(
    el(
      'div',
      { class: 'bd-page bd-board-page' },
      boardTabs('board'),
      el(
        'header',
        { class: 'page-header bd-header' },
        el('div', { class: 'page-title' }, el('h1', {}, 'Board')),
        el('div', { class: 'page-actions bd-actions-wrap' }, newTask, lanesToggle, exportButtons(ctx, client)),
      ),
      toolsPanel(search.node, filterBar),
      summary,
      boardHost,
      el('p', { class: 'muted bd-small bd-keys' }, 'Keyboard: Tab to a card, Enter opens it, Alt+← / Alt+→ moves it one column (with lanes, Alt+↑ / Alt+↓ hands it to the lane above / below), ⋯ picks any column.'),
      live,
    ),
  );

  let filterKey = '';
  /** Rebuilds the filter bar when its choices changed (not on every refetch: the human may be typing in it). */
  function drawFilters(force = false) {
    const key = JSON.stringify([state.agents.map((agent) => agent.address), state.tasks.map((task) => task.assignee), state.epics.map((item) => [item.displayId, item.title])]);
    if (!force && key === filterKey) return;
    filterKey = key;
    const assignees = [...new Set([...state.agents.map((agent) => agent.address), ...state.tasks.map((task) => task.assignee).filter(Boolean)])].sort();
    const unassigned = state.tasks.some((task) => !task.assignee) || state.filters.assignee === UNASSIGNED ? [[UNASSIGNED, 'Unassigned']] : [];
    const assignee = select([['', 'All assignees'], ...unassigned, ...assignees.map((value) => [value, value])], state.filters.assignee, { 'aria-label': 'Filter by assignee', name: 'assignee' });
    const priority = select([['', 'All priorities'], ...PRIORITIES.map((value) => [value, value])], state.filters.priority, { 'aria-label': 'Filter by priority', name: 'priority' });
    const epic = select([['', 'All epics'], ['none', 'No epic'], ...state.epics.map((item) => [item.displayId, `${item.displayId} ${item.title}`])], state.filters.epic, { 'aria-label': 'Filter by epic', name: 'epic' });
    const reset = el('button', { type: 'button', class: 'button subtle small' }, 'Clear filters');
    const onChange = () => {
      state.filters = { ...state.filters, assignee: assignee.value, priority: priority.value, epic: epic.value };
      draw();
    };
    for (const control of [assignee, priority, epic]) control.addEventListener('change', onChange);
    reset.addEventListener('click', () => {
      state.filters = { assignee: '', priority: '', epic: '', text: '' };
      search.reset();
      drawFilters(true);
      draw();
    });
    filterBar.replaceChildren(assignee, priority, epic, reset);
  }

  function focusCard(id, selector) {
    const card = boardHost.querySelector(`[data-task-id="${CSS.escape(id)}"]`);
    const target = selector ? card?.querySelector(selector) : card;
    target?.focus({ preventScroll: false });
  }

  let drawLater = false;
  function draw() {
    if (boardHost.classList.contains('bd-drag-active')) {
      drawLater = true; // a live update during a drag: redraw once the card is dropped
      return;
    }
    drawLater = false;
    const active = document.activeElement;
    const focusedCard = active && boardHost.contains(active) ? active.closest('[data-task-id]') : null;
    const focusedId = focusedCard?.dataset.taskId;
    const focusedMove = focusedCard && active !== focusedCard;
    const visible = state.tasks.filter((task) => matches(task, state.filters));
    const byId = new Map(state.tasks.map((task) => [task.displayId, task]));
    let lanes = null;
    if (state.lanes) {
      // One lane per assignee that has a task on the board (an idle agent adds no empty lane), and an "Unassigned"
      // lane last only while some task has no assignee.
      lanes = [...new Set(visible.map(assigneeKey))].sort((a, b) => (a === UNASSIGNED) - (b === UNASSIGNED) || a.localeCompare(b));
      if (state.filters.assignee) lanes = lanes.filter((lane) => lane === state.filters.assignee);
    }
    state.laneList = lanes;
    const grid = boardGrid(visible, { lanes, byId, onAdd: (status) => create({ status }) });
    const filtered = visible.length !== state.tasks.length;
    summary.textContent = state.tasks.length === 0 ? 'No tasks yet. Create one with “New task”.' : `${visible.length} of ${state.tasks.length} tasks${filtered ? ' (filtered)' : ''}.`;
    if (state.tasks.length >= TASK_LIMIT) summary.textContent += ` Only the first ${TASK_LIMIT} are shown: archive finished work, or find the rest with Search.`;
    boardHost.replaceChildren(grid);
    if (focusedId) focusCard(focusedId, focusedMove ? '[data-action="move"]' : null);
  }

  const refetch = coalesced(async () => {
    try {
      const [tasks, epics, agents] = await Promise.all([client.tasks(), client.epics(), client.agents().catch(() => state.agents)]);
      if (disposed) return;
      Object.assign(state, { tasks, epics, agents, loaded: true });
      drawFilters();
      draw();
    } catch (failure) {
      if (disposed) return;
      if (!state.loaded) boardHost.replaceChildren(el('div', { class: 'notice notice-error', role: 'alert' }, `The board could not be loaded: ${errorText(failure)}`));
      else toast(ctx, `The board could not be refreshed: ${errorText(failure)}`, 'error');
    }
  });

  function create(preset = {}) {
    openCreate(ctx, client, 'task', data(), (task) => {
      state.tasks = [...state.tasks.filter((item) => item.displayId !== task.displayId), task];
      draw();
      refetch();
    }, preset);
  }

  function setHash(id) {
    const hash = id ? `#/board/${encodeURIComponent(id)}` : '#/board';
    // Only while this page is the one in the address bar: a drawer that closes after a navigation (its close event
    // comes a task later) must not put this page's address back over the next page's.
    if (disposed || !location.hash.startsWith('#/board')) return;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function openTask(id) {
    if (drawer?.open) {
      drawer.show('task', id);
    } else {
      drawer = openDrawer(ctx, client, {
        kind: 'task',
        id,
        data,
        onChange: () => refetch(),
        onClose: () => {
          drawer = null;
          if (!disposed) {
            setHash(null);
            focusCard(id);
          }
        },
      });
    }
    setHash(id);
  }

  /** Moves a task (and reassigns it when dropped in another lane); a refusal snaps the card back. */
  async function move(id, status, lane, { card, zone, refocus } = {}) {
    const task = state.tasks.find((item) => item.displayId === id);
    if (!task) return;
    const reassign = lane && lane !== assigneeKey(task) ? lane : null;
    if (status === task.status && !reassign) return;
    if (card && zone) {
      zone.querySelector('.bd-column-empty')?.remove();
      zone.querySelector('.bd-column-cards').append(card);
      card.dataset.status = status;
      card.classList.add('bd-pending');
      card.setAttribute('aria-busy', 'true');
      if (refocus) card.focus();
    }
    try {
      const change = reassign ? await client.patch('task', id, { status, assignedTo: reassign }) : await client.move('task', id, status);
      state.tasks = state.tasks.map((item) => (item.displayId === id ? change.task : item));
      live.textContent = `${id} moved to ${change.task.status}${reassign ? (reassign === UNASSIGNED ? ', unassigned' : `, assigned to ${reassign}`) : ''}.`;
      for (const warning of change.warnings || []) toast(ctx, warning, 'warning');
    } catch (failure) {
      toast(ctx, `${id} was not moved: ${errorText(failure)}`, 'error');
      live.textContent = `${id} was not moved.`;
    }
    if (disposed) return;
    draw();
    if (refocus) focusCard(id);
    refetch();
  }

  function moveMenu(card, anchor) {
    const task = state.tasks.find((item) => item.displayId === card.dataset.taskId);
    if (!task) return;
    const items = STATUSES.map((status) => ({ label: status === task.status ? `${status} (current)` : `Move to ${status}`, disabled: status === task.status, action: () => keyboardMove(task.displayId, status) }));
    items.push({ label: 'Open details', action: () => openTask(task.displayId) });
    openMenu(anchor, items, `Move ${task.displayId}`);
  }

  function keyboardMove(id, status, lane = null) {
    const task = state.tasks.find((item) => item.displayId === id);
    if (!task) return;
    const target = lane || assigneeKey(task);
    const zone = boardHost.querySelector(`[data-drop-status="${CSS.escape(status)}"]${state.lanes ? `[data-drop-lane="${CSS.escape(target)}"]` : ''}`);
    const card = boardHost.querySelector(`[data-task-id="${CSS.escape(id)}"]`);
    move(id, status, lane, { card, zone, refocus: true });
  }

  boardHost.addEventListener('click', (event) => {
    const card = event.target.closest('[data-task-id]');
    if (!card) return;
    const moveButton = event.target.closest('[data-action="move"]');
    if (moveButton) moveMenu(card, moveButton);
    else openTask(card.dataset.taskId);
  });
  boardHost.addEventListener('keydown', (event) => {
    const card = event.target.closest?.('[data-task-id]');
    if (!card) return;
    if (event.target === card && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      openTask(card.dataset.taskId);
    } else if (event.altKey && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      event.preventDefault();
      const index = STATUSES.indexOf(card.dataset.status);
      const next = STATUSES[index + (event.key === 'ArrowRight' ? 1 : -1)];
      if (next) keyboardMove(card.dataset.taskId, next);
      else live.textContent = `${card.dataset.taskId} is already in the ${index === 0 ? 'first' : 'last'} column.`;
    } else if (event.altKey && state.laneList && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      // Lanes: Alt+↑/↓ hands the task to the assignee of the lane above / below.
      event.preventDefault();
      const task = state.tasks.find((item) => item.displayId === card.dataset.taskId);
      const index = state.laneList.indexOf(task ? assigneeKey(task) : null);
      const lane = state.laneList[index + (event.key === 'ArrowDown' ? 1 : -1)];
      if (task && lane) keyboardMove(task.displayId, task.status, lane);
      else live.textContent = `${card.dataset.taskId} is already in the ${event.key === 'ArrowUp' ? 'first' : 'last'} lane.`;
    } else if (event.target === card && (event.key === 'm' || event.key === 'M' || event.key === 'ContextMenu')) {
      event.preventDefault();
      moveMenu(card, card.querySelector('[data-action="move"]'));
    }
  });
  const stopDrag = enableDragAndDrop(boardHost, (id, status, lane, card, zone) => move(id, status, lane, { card, zone }));
  boardHost.addEventListener('dragend', () => {
    if (drawLater) queueMicrotask(draw);
  });
  const stopEvents = onBoardEvents(ctx, (event) => {
    refetch();
    if (drawer?.open && event.type === 'board') drawer.refresh(event.itemId);
  });

  boardHost.replaceChildren(loadingNote(ctx, 'Loading the board…'));
  await refetch();
  const wanted = ctx.params?.id;
  if (wanted && !disposed) openTask(wanted);

  return () => {
    disposed = true;
    stopEvents();
    stopDrag();
    drawer?.close();
  };
}
