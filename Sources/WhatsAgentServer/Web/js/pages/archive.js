// The archive (#/archive[/<task>]): archived epics and tasks with who archived them and when; Unarchive brings one
// back (the human only). Rows open the drawer read-only.

import { openDrawer } from '../board/drawer.js';
import { boardTabs, loadingNote, el, ensureStyles, errorText, slug, timeElement, toast } from '../board/dom.js';
import { boardClient, coalesced, onBoardEvents } from '../board/model.js';

export async function render(root, ctx) {
  ensureStyles(ctx);
  const client = boardClient(ctx);
  const state = { tasks: [], epics: [], loaded: false };
  let drawer = null;
  let disposed = false;
  const host = el('div', { class: 'bd-archive' });

  root.append(
    el(
      'div',
      { class: 'bd-page bd-archive-page' },
      boardTabs('archive'),
      el(
        'header',
        { class: 'page-header bd-header' },
        el('div', { class: 'page-title' }, el('h1', {}, 'Archive')),
      ),
      el('p', { class: 'muted' }, 'Archived items are hidden from the board. Nothing is ever deleted; unarchive brings an item back.'),
      host,
    ),
  );

  function open(kind, id) {
    if (drawer?.open) drawer.show(kind, id);
    else drawer = openDrawer(ctx, client, { kind, id, data: () => ({ agents: [], epics: state.epics, tasks: state.tasks }), onChange: () => refetch(), onClose: () => (drawer = null), readOnly: true });
  }

  async function unarchive(kind, item, button) {
    button.disabled = true;
    try {
      await client.unarchive(kind, item.displayId);
      toast(ctx, `${item.displayId} is back on the board.`, 'success');
      refetch();
    } catch (failure) {
      toast(ctx, errorText(failure), 'error');
      button.disabled = false;
    }
  }

  function table(kind, items) {
    const caption = kind === 'epic' ? `Archived epics (${items.length})` : `Archived tasks (${items.length})`;
    if (items.length === 0) return el('section', { class: 'bd-archive-section' }, el('h2', {}, caption), el('p', { class: 'muted' }, 'None.'));
    const rows = items.map((item) => {
      const back = el('button', { type: 'button', class: 'button small', 'data-action': 'unarchive', 'aria-label': `Unarchive ${item.displayId}` }, 'Unarchive');
      back.addEventListener('click', () => unarchive(kind, item, back));
      const link = el('a', { href: `#/archive/${item.displayId}`, class: 'bd-item-link', on: { click: (event) => { event.preventDefault(); open(kind, item.displayId); } } }, item.displayId);
      return el(
        'tr',
        { 'data-testid': 'archive-row', dataset: { itemId: item.displayId } },
        el('td', { 'data-label': 'Id' }, link),
        el('td', { 'data-label': 'Title', class: 'bd-archive-title' }, item.title),
        el('td', { 'data-label': 'Status' }, el('span', { class: ['bd-status', `bd-status-${slug(item.status)}`] }, item.status)),
        kind === 'task' ? el('td', { 'data-label': 'Epic' }, item.epicId || '—') : null,
        el('td', { 'data-label': 'Assignee' }, item.assignee || 'unassigned'),
        el('td', { 'data-label': 'Archived' }, timeElement(item.archivedAt)),
        el('td', { 'data-label': 'By' }, item.archivedBy || '—'),
        el('td', { class: 'bd-archive-action' }, back),
      );
    });
    return el(
      'section',
      { class: 'bd-archive-section' },
      el('h2', {}, caption),
      el(
        'table',
        { class: 'bd-table', 'aria-label': caption },
        el(
          'thead',
          {},
          el('tr', {}, ['Id', 'Title', 'Status', kind === 'task' ? 'Epic' : null, 'Assignee', 'Archived', 'By', ''].filter((name) => name !== null).map((name) => el('th', { scope: 'col' }, name || el('span', { class: 'bd-sr-only' }, 'Actions')))),
        ),
        el('tbody', {}, rows),
      ),
    );
  }

  const refetch = coalesced(async () => {
    try {
      const [tasks, epics] = await Promise.all([client.tasks({ includeArchived: 'true' }), client.epics({ includeArchived: 'true' })]);
      if (disposed) return;
      Object.assign(state, { tasks, epics, loaded: true });
      const newest = (a, b) => String(b.archivedAt).localeCompare(String(a.archivedAt));
      host.replaceChildren(table('epic', epics.filter((item) => item.archivedAt).sort(newest)), table('task', tasks.filter((item) => item.archivedAt).sort(newest)));
    } catch (failure) {
      if (disposed) return;
      if (!state.loaded) host.replaceChildren(el('div', { class: 'notice notice-error', role: 'alert' }, `The archive could not be loaded: ${errorText(failure)}`));
      else toast(ctx, `The archive could not be refreshed: ${errorText(failure)}`, 'error');
    }
  });

  const stopEvents = onBoardEvents(ctx, (event) => {
    refetch();
    if (drawer?.open) drawer.refresh(event.itemId);
  });
  host.replaceChildren(loadingNote(ctx, 'Loading the archive…'));
  await refetch();
  const wanted = ctx.params?.id;
  if (wanted && !disposed) open(state.epics.some((epic) => epic.displayId.toUpperCase() === wanted.toUpperCase()) ? 'epic' : 'task', wanted);
  return () => {
    disposed = true;
    stopEvents();
    drawer?.close();
  };
}
