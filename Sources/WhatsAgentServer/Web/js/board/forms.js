// The task / epic form shared by the create dialogs and the drawer: title, details, status, assignee, priority,
// effort, epic and dependencies (tasks), GitHub link. `read()` returns a create body or a field patch.

import { el, field, select } from './dom.js';
import { EFFORTS, EFFORT_HINTS, PRIORITIES, PRIORITY_HINTS, STATUSES, UNASSIGNED } from './model.js';

/** Checkbox list of tasks with a filter box; `value()` is the list of chosen display ids. */
export function dependencyPicker(tasks, chosen = [], excludeId = null) {
  const picked = new Set(chosen);
  const filter = el('input', { type: 'search', class: 'bd-input', placeholder: 'Filter tasks', 'aria-label': 'Filter dependency candidates' });
  const list = el('div', { class: 'bd-dep-list', role: 'group', 'aria-label': 'Dependencies' });
  const candidates = tasks.filter((task) => task.displayId !== excludeId);
  const rows = candidates.map((task) => {
    const box = el('input', { type: 'checkbox', value: task.displayId, checked: picked.has(task.displayId) });
    box.addEventListener('change', () => (box.checked ? picked.add(task.displayId) : picked.delete(task.displayId)));
    const row = el('label', { class: 'bd-dep-option' }, box, el('span', { class: 'bd-id' }, task.displayId), ' ', task.title);
    row.dataset.search = `${task.displayId} ${task.title}`.toLowerCase();
    return row;
  });
  for (const id of picked) {
    if (!candidates.some((task) => task.displayId === id)) {
      const box = el('input', { type: 'checkbox', value: id, checked: true });
      box.addEventListener('change', () => (box.checked ? picked.add(id) : picked.delete(id)));
      rows.push(el('label', { class: 'bd-dep-option' }, box, el('span', { class: 'bd-id' }, id), ' (archived or hidden)'));
    }
  }
  if (rows.length === 0) list.append(el('p', { class: 'muted' }, 'No other tasks yet.'));
  list.append(...rows);
  filter.addEventListener('input', () => {
    const text = filter.value.trim().toLowerCase();
    for (const row of rows) row.hidden = Boolean(text) && !(row.dataset.search || '').includes(text);
  });
  const node = el('fieldset', { class: 'bd-fieldset' }, el('legend', {}, 'Depends on'), filter, list);
  return { node, value: () => [...picked] };
}

/** The assignee choices: the agents (and a current assignee that is no agent any more); tasks may be unassigned. */
function agentOptions(agents, current, { unassigned }) {
  const addresses = agents.map((agent) => agent.address);
  if (current && !addresses.includes(current)) addresses.unshift(current);
  const options = addresses.map((address) => [address, address]);
  return unassigned ? [[UNASSIGNED, 'Unassigned'], ...options] : options;
}

/**
 * The fields of a task (`kind` 'task') or epic ('epic'). With `item` the form edits it and `read()` returns only the
 * changed fields; without, `read()` returns a create body.
 */
export function itemForm({ kind, item = null, agents = [], epics = [], tasks = [] }) {
  const title = el('input', { class: 'bd-input', name: 'title', required: true, maxlength: 500, value: item?.title || '', autocomplete: 'off' });
  const details = el('textarea', { class: 'bd-input bd-textarea', name: 'details', maxlength: 16000, rows: 5, value: item?.details || '' });
  const statuses = kind === 'epic' && !(item && item.status === 'Completed') ? STATUSES.filter((status) => status !== 'Completed') : STATUSES;
  const status = select(statuses, item?.status || 'Backlog', { class: 'bd-input', name: 'status' });
  // A task may be unassigned (the API's `none`), and a new one starts so; an epic always has an assignee.
  const assignee =
    kind === 'task'
      ? select(agentOptions(agents, item?.assignee, { unassigned: true }), item?.assignee || UNASSIGNED, { class: 'bd-input', name: 'assignee' })
      : select(agentOptions(agents, item?.assignee, { unassigned: false }), item?.assignee || agents[0]?.address || '', { class: 'bd-input', name: 'assignee', required: true });
  const priority = select(PRIORITIES.map((value) => [value, PRIORITY_HINTS[value]]), item?.priority || 'P2', { class: 'bd-input', name: 'priority' });
  const effort = select(EFFORTS.map((value) => [value, EFFORT_HINTS[value]]), item?.effort || 'M', { class: 'bd-input', name: 'effort' });
  const githubUrl = el('input', { class: 'bd-input', name: 'githubUrl', type: 'url', placeholder: 'https://github.com/…', value: item?.githubUrl || '' });
  const githubNumber = el('input', { class: 'bd-input', name: 'githubNumber', type: 'number', min: 1, value: item?.githubNumber ?? '' });
  const githubTitle = el('input', { class: 'bd-input', name: 'githubTitle', maxlength: 500, value: item?.githubTitle || '' });
  let epic = null;
  let dependencies = null;
  if (kind === 'task') {
    const openEpics = epics.filter((candidate) => !candidate.archivedAt || candidate.displayId === item?.epicId);
    epic = select([['', 'No epic'], ...openEpics.map((candidate) => [candidate.displayId, `${candidate.displayId} ${candidate.title}`])], item?.epicId || '', {
      class: 'bd-input',
      name: 'epic',
    });
    dependencies = dependencyPicker(tasks, item?.dependsOnTaskIds || [], item?.displayId);
  }
  if (agents.length === 0 && !item && kind === 'epic') assignee.append(el('option', { value: '' }, 'No agents yet — add one on the Agents page'));
  const node = el(
    'div',
    { class: 'bd-form-grid' },
    field('Title', title),
    field('Details (Markdown)', details),
    el('div', { class: 'bd-form-row' }, field('Status', status), field('Assignee', assignee)),
    el('div', { class: 'bd-form-row' }, field('Priority', priority), field('Effort', effort)),
    epic ? field('Epic', epic) : null,
    dependencies ? dependencies.node : null,
    el(
      'details',
      { class: 'bd-github', open: Boolean(item?.githubUrl) },
      el('summary', {}, 'GitHub link'),
      el('div', { class: 'bd-form-row' }, field('GitHub URL', githubUrl), field('GitHub number', githubNumber)),
      field('GitHub title', githubTitle),
    ),
  );

  function values() {
    const number = githubNumber.value.trim();
    return {
      title: title.value.trim(),
      details: details.value,
      status: status.value,
      assignedTo: assignee.value,
      priority: priority.value,
      effort: effort.value,
      githubUrl: githubUrl.value.trim() || null,
      githubNumber: number ? Number(number) : null,
      githubTitle: githubTitle.value.trim() || null,
      epicId: epic ? epic.value || null : undefined,
      dependsOnTaskIds: dependencies ? dependencies.value() : undefined,
    };
  }

  function read() {
    const next = values();
    if (!item) {
      const body = {};
      for (const [key, value] of Object.entries(next)) {
        if (value === null || value === undefined || value === '') continue;
        if (Array.isArray(value) && value.length === 0) continue;
        body[key] = value;
      }
      return body;
    }
    const current = {
      title: item.title,
      details: item.details || '',
      status: item.status,
      assignedTo: item.assignee || (kind === 'task' ? UNASSIGNED : undefined),
      priority: item.priority,
      effort: item.effort,
      githubUrl: item.githubUrl || null,
      githubNumber: item.githubNumber ?? null,
      githubTitle: item.githubTitle || null,
      epicId: kind === 'task' ? item.epicId || null : undefined,
      dependsOnTaskIds: kind === 'task' ? item.dependsOnTaskIds || [] : undefined,
    };
    const patch = {};
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined) continue;
      const before = current[key];
      const same = Array.isArray(value) ? JSON.stringify([...value].sort()) === JSON.stringify([...(before || [])].sort()) : value === before;
      if (!same) patch[key] = value;
    }
    return patch;
  }

  const controls = [title, details, status, assignee, priority, effort, githubUrl, githubNumber, githubTitle, epic].filter(Boolean);
  return { node, read, focus: () => title.focus(), controls, title };
}
