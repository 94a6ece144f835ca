// Keyboard shortcuts of the shell: `?` lists them, `/` focuses the page's search (an element marked
// `data-page-search`), `c` creates a task on the board, `g` then a letter goes to a page. Keys typed into a field, a
// terminal or a dialog are left alone.
import { h, dialog } from './ui.js';

export const GO_TO = { a: ['agents', 'Agents'], m: ['messages', 'Messages'], b: ['board', 'Board'], e: ['epics', 'Epics'], s: ['settings', 'Settings'] };
const SEQUENCE_MS = 1500;

function typing(target) {
  if (!(target instanceof Element)) return false;
  return !!target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], .xterm, dialog[open]');
}

function showHelp() {
  if (document.querySelector('dialog[open]')) return;
  const row = (keys, what) => h('tr', null, h('td', null, keys.map((k, i) => [i ? ' then ' : '', h('kbd', null, k)])), h('td', null, what));
  dialog({
    title: 'Keyboard shortcuts',
    body: h('table', { class: 'table shortcuts', 'data-testid': 'shortcuts' }, h('tbody', null,
      row(['?'], 'Show these shortcuts'),
      row(['/'], 'Search on this page'),
      row(['c'], 'New task (on the board)'),
      Object.entries(GO_TO).map(([key, [, label]]) => row(['g', key], `Go to ${label}`)),
      row(['Esc'], 'Close a dialog, a menu or the search results'))),
  });
}

/** Installs the shortcuts; `navigate(page)` goes to a route, `currentPage()` names the routed page. */
export function installShortcuts({ navigate, currentPage }) {
  let pendingG = 0;
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target)) return;
    const key = event.key;
    if (pendingG && Date.now() - pendingG < SEQUENCE_MS && GO_TO[key.toLowerCase()]) {
      pendingG = 0;
      event.preventDefault();
      navigate(GO_TO[key.toLowerCase()][0]);
      return;
    }
    pendingG = 0;
    if (key === '?') {
      event.preventDefault();
      showHelp();
    } else if (key === '/') {
      const search = document.querySelector('main [data-page-search]');
      if (!search) return;
      event.preventDefault();
      search.closest('details')?.setAttribute('open', '');
      search.focus();
      search.select?.();
    } else if (key === 'g') {
      pendingG = Date.now();
    } else if (key === 'c' && currentPage() === 'board') {
      const create = document.querySelector('main [data-action="new-task"]');
      if (create) { event.preventDefault(); create.click(); }
    }
  });
}
