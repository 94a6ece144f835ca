// Cards and the column grid of the board: one column per status, optionally one lane per assignee.

import { el, slug } from './dom.js';
import { PRIORITY_HINTS, EFFORT_HINTS, STATUSES, assigneeKey, assigneeLabel, isDone } from './model.js';

/** One task card: focusable, draggable; Enter opens it, Alt+←/→ moves it, the ⋯ button opens the move menu. */
export function taskCard(task, { byId, showAssignee }) {
  const unfinished = (task.dependsOnTaskIds || []).filter((id) => {
    const dependency = byId.get(id);
    return dependency ? !isDone(dependency) : false;
  });
  const move = el('button', { type: 'button', class: 'bd-card-move', 'aria-label': `Move ${task.displayId}`, 'aria-haspopup': 'menu', dataset: { action: 'move' } }, '⋯');
  return el(
    'article',
    {
      class: ['bd-card', `bd-priority-edge-${slug(task.priority)}`],
      tabindex: 0,
      draggable: 'true',
      'aria-roledescription': 'task card',
      'aria-label': `${task.displayId}: ${task.title}. ${task.status}, ${task.priority}, ${task.assignee ? `assigned to ${task.assignee}` : 'unassigned'}.`,
      'aria-keyshortcuts': 'Enter Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown',
      title: 'Enter opens it · Alt+← / Alt+→ moves it · or drag it',
      'data-testid': 'task-card',
      dataset: { taskId: task.displayId, status: task.status },
    },
    el('div', { class: 'bd-card-top' }, el('span', { class: 'bd-id' }, task.displayId), move),
    el('p', { class: 'bd-card-title' }, task.title),
    el(
      'div',
      { class: 'bd-card-pills' },
      el('span', { class: ['bd-pill', `bd-priority-${slug(task.priority)}`], title: PRIORITY_HINTS[task.priority] }, task.priority),
      el('span', { class: 'bd-pill', title: `Effort ${EFFORT_HINTS[task.effort] || task.effort}` }, task.effort),
      task.epicId ? el('span', { class: 'bd-pill bd-epic-pill', title: 'Epic' }, task.epicId) : null,
      task.githubNumber ? el('span', { class: 'bd-pill', title: task.githubTitle || 'GitHub' }, `#${task.githubNumber}`) : null,
      task.dependsOnTaskIds?.length
        ? el(
            'span',
            {
              class: ['bd-pill', unfinished.length ? 'bd-pill-warning' : null],
              title: unfinished.length ? `Waits for ${unfinished.join(', ')}` : `Depends on ${task.dependsOnTaskIds.join(', ')} (all done)`,
            },
            unfinished.length ? `⚠ ${unfinished.length}/${task.dependsOnTaskIds.length} deps` : `${task.dependsOnTaskIds.length} deps ✓`,
          )
        : null,
    ),
    showAssignee ? el('p', { class: ['bd-card-assignee', task.assignee ? null : 'muted'] }, assigneeLabel(assigneeKey(task))) : null,
  );
}

function column(status, tasks, lane, options) {
  const cards = tasks.map((task) => taskCard(task, options));
  return el(
    'section',
    {
      class: ['bd-column', `bd-column-${slug(status)}`],
      'aria-label': lane ? `${status} — ${assigneeLabel(lane)}` : status,
      'data-testid': 'board-column',
      dataset: { dropStatus: status, dropLane: lane || undefined },
    },
    el('div', { class: 'bd-column-cards' }, cards.length ? cards : el('p', { class: 'bd-column-empty' }, 'Drop here')),
  );
}

/**
 * The grid: a header row (status names and counts) and either one row of columns or one per lane (assignee).
 * `tasks` are already filtered. `lanes` is a list of assignee keys (UNASSIGNED for the tasks of nobody) or null.
 */
export function boardGrid(tasks, { lanes, byId, onAdd }) {
  const byStatus = new Map(STATUSES.map((status) => [status, []]));
  for (const task of tasks) byStatus.get(task.status)?.push(task);
  const grid = el('div', { class: ['bd-grid', lanes ? 'bd-grid-lanes' : null] });
  for (const status of STATUSES) {
    const add = el('button', { type: 'button', class: 'icon-button bd-column-add', 'aria-label': `New task in ${status}`, title: `New task in ${status}` }, '+');
    add.addEventListener('click', () => onAdd(status));
    grid.append(
      el(
        'header',
        { class: ['bd-column-head', `bd-column-head-${slug(status)}`] },
        el('h2', { class: 'bd-column-title' }, status),
        el('span', { class: 'bd-count', 'aria-label': `${byStatus.get(status).length} tasks` }, String(byStatus.get(status).length)),
        add,
      ),
    );
  }
  if (!lanes) {
    for (const status of STATUSES) grid.append(column(status, byStatus.get(status), null, { byId, showAssignee: true }));
    return grid;
  }
  for (const lane of lanes) {
    const laneTasks = tasks.filter((task) => assigneeKey(task) === lane);
    grid.append(
      el(
        'div',
        { class: 'bd-lane-head', role: 'heading', 'aria-level': 2, 'data-testid': 'board-lane', dataset: { lane } },
        el('span', { class: 'bd-lane-name' }, assigneeLabel(lane), el('span', { class: 'bd-count' }, String(laneTasks.length))),
      ),
    );
    for (const status of STATUSES) {
      grid.append(column(status, laneTasks.filter((task) => task.status === status), lane, { byId, showAssignee: false }));
    }
  }
  return grid;
}
