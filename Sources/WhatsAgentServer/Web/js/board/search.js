// Full-text search over the board (REST `…/board/tasks|epics/search`): a form and a results panel with the
// preview snippet, where it matched, and the best matching comment.

import { el, errorText, slug } from './dom.js';
import { COMMENT_LABELS } from './model.js';

const MATCHED = { display_id: 'id', title: 'title', details: 'details', comments: 'comments' };

/** Puts `<mark>` around the words of `query` found in `text` (text nodes only). */
export function highlight(text, query) {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 1);
  if (!text || words.length === 0) return [text || ''];
  const parts = [];
  const lower = text.toLowerCase();
  let index = 0;
  while (index < text.length) {
    let best = -1;
    let length = 0;
    for (const word of words) {
      const at = lower.indexOf(word, index);
      if (at !== -1 && (best === -1 || at < best)) {
        best = at;
        length = word.length;
      }
    }
    if (best === -1) break;
    if (best > index) parts.push(text.slice(index, best));
    parts.push(el('mark', {}, text.slice(best, best + length)));
    index = best + length;
  }
  if (index < text.length) parts.push(text.slice(index));
  return parts;
}

/**
 * A search form (`kind` 'task' | 'epic') whose results open an item with `onPick(hit)`. Returns `{node, clear}`;
 * the panel shows under the form.
 */
export function searchBox(client, kind, onPick, { onInput = null } = {}) {
  const input = el('input', {
    type: 'search',
    class: 'bd-input bd-search-input',
    name: 'q',
    placeholder: kind === 'task' ? (onInput ? 'Filter cards · Enter searches comments too' : 'Search tasks and comments') : 'Search epics',
    title: onInput ? 'Typing filters the cards on the board; Enter (or Search) also searches comments, with the results listed below' : null,
    'data-page-search': '',
    'aria-label': kind === 'task' ? 'Search tasks' : 'Search epics',
    minlength: 2,
    maxlength: 200,
    autocomplete: 'off',
  });
  const archived = el('input', { type: 'checkbox', name: 'includeArchived' });
  const go = el('button', { type: 'submit', class: 'button' }, 'Search');
  const panel = el('div', { class: 'bd-search-panel', 'data-testid': 'search-results', hidden: true, role: 'region', 'aria-label': 'Search results', 'aria-live': 'polite' });
  const form = el('form', { class: 'bd-search', role: 'search' }, input, el('label', { class: 'bd-check' }, archived, 'archived too'), go);
  let generation = 0;

  function clear() {
    panel.hidden = true;
    panel.replaceChildren();
  }

  function hitRow(hit, query) {
    const open = el(
      'button',
      { type: 'button', class: 'bd-hit-open', on: { click: () => onPick(hit) } },
      el('span', { class: 'bd-id' }, hit.displayId),
      ' ',
      el('span', { class: 'bd-hit-title' }, highlight(hit.title, query)),
    );
    return el(
      'li',
      { class: ['bd-hit', hit.archived ? 'bd-hit-archived' : null] },
      el(
        'div',
        { class: 'bd-hit-head' },
        open,
        el('span', { class: ['bd-status', `bd-status-${slug(hit.status)}`] }, hit.status),
        hit.archived ? el('span', { class: 'bd-pill bd-archived-pill' }, 'archived') : null,
      ),
      el('div', { class: 'bd-hit-meta' }, 'matched in ', (hit.matchedIn || []).map((where) => el('span', { class: 'bd-chip' }, MATCHED[where] || where)), ' · ', hit.assignee || 'unassigned'),
      hit.preview ? el('p', { class: 'bd-hit-preview' }, highlight(hit.preview, query)) : null,
      hit.matchingComment
        ? el(
            'p',
            { class: 'bd-hit-comment' },
            el('span', { class: 'bd-chip' }, COMMENT_LABELS[hit.matchingComment.type] || hit.matchingComment.type),
            ` ${hit.matchingComment.author}: `,
            highlight(hit.matchingComment.body.slice(0, 240), query),
          )
        : null,
    );
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = input.value.trim();
    panel.hidden = false;
    if (query.length < 2) {
      panel.replaceChildren(el('p', { class: 'muted' }, 'Type at least 2 characters.'));
      return;
    }
    const mine = ++generation;
    panel.replaceChildren(el('p', { class: 'muted' }, 'Searching…'));
    try {
      const result = await client.search(kind, query, { includeArchived: archived.checked ? 'true' : '' });
      if (mine !== generation) return;
      const close = el('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close search results', on: { click: clear } }, '×');
      const summary = el(
        'p',
        { class: 'bd-search-summary' },
        result.total === 0 ? `Nothing matches “${query}”.` : `${result.total} match${result.total === 1 ? '' : 'es'}${result.truncated ? `, best ${result.results.length} shown` : ''}.`,
        close,
      );
      panel.replaceChildren(summary, el('ol', { class: 'bd-hits' }, result.results.map((hit) => hitRow(hit, query))));
    } catch (failure) {
      if (mine === generation) panel.replaceChildren(el('p', { class: 'bd-error', role: 'alert' }, errorText(failure)));
    }
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') clear();
  });
  if (onInput) input.addEventListener('input', () => onInput(input.value));
  const reset = () => {
    input.value = '';
    clear();
  };
  return { node: el('div', { class: 'bd-search-wrap' }, form, panel), clear, reset };
}
