// The item drawer: a task's or epic's details (rendered and editable), dependencies with links and a warning for
// unfinished ones, children and the close-approval banner for epics, comments with types, and the activity log.

import { dialog, el, errorText, markdown, select, slug, timeElement, toast } from './dom.js';
import { branchSection } from './branch.js';
import { itemForm } from './forms.js';
import { COMMENT_LABELS, COMMENT_TYPES, STATUSES, isDone } from './model.js';

function statusBadge(status) {
  return el('span', { class: ['bd-status', `bd-status-${slug(status)}`] }, status);
}

function parseValue(text) {
  if (text === undefined || text === null) return '';
  try {
    const value = JSON.parse(text);
    if (value === null) return '—';
    if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
    if (typeof value === 'string') return value.length > 140 ? `${value.slice(0, 140)}…` : value || '(empty)';
    return String(value);
  } catch {
    return text;
  }
}

const ACTIONS = {
  created: 'created it',
  archived: 'archived it',
  unarchived: 'unarchived it',
  close_approval_requested: 'requested the close',
  close_approval_cancelled: 'cancelled the close request',
  close_approved: 'approved the close',
};

function activityEntry(entry) {
  let what;
  if (entry.action === 'updated') {
    what = el(
      'span',
      {},
      'changed ',
      el('strong', {}, entry.field || 'a field'),
      ': ',
      el('span', { class: 'bd-before' }, parseValue(entry.before)),
      ' → ',
      el('span', { class: 'bd-after' }, parseValue(entry.after)),
    );
  } else if (entry.action === 'commented') {
    what = el('span', {}, `commented (${COMMENT_LABELS[entry.field] || entry.field})`);
  } else {
    what = el('span', {}, ACTIONS[entry.action] || entry.action);
  }
  return el('li', { class: 'bd-activity-entry' }, el('span', { class: 'bd-actor' }, entry.actor), ' ', what, ' · ', timeElement(entry.createdAt));
}

function commentEntry(ctx, comment) {
  return el(
    'li',
    { class: ['bd-comment', `bd-comment-${slug(comment.type)}`], 'data-testid': 'comment', dataset: { type: comment.type } },
    el(
      'div',
      { class: 'bd-comment-meta' },
      el('span', { class: ['bd-chip', `bd-chip-${slug(comment.type)}`] }, COMMENT_LABELS[comment.type] || comment.type),
      el('span', { class: 'bd-actor' }, comment.author),
      timeElement(comment.createdAt),
    ),
    markdown(ctx, comment.body),
  );
}

/**
 * Opens the drawer on `kind` ('task' | 'epic') `id`. `data()` returns `{agents, epics, tasks}` for the form pickers;
 * `onChange()` is called after every accepted change. Returns `{show, refresh, close, current}`.
 */
export function openDrawer(ctx, client, { kind, id, data, onChange, onClose, readOnly = false }) {
  const body = el('div', { class: 'bd-drawer-content' }, el('p', { class: 'muted bd-drawer-loading' }, 'Loading…'));
  // The drawer is a modal dialog: the shell's toasts sit under its backdrop, so outcomes also show in here.
  const notice = el('div', { class: 'bd-drawer-notice', 'data-testid': 'drawer-notice', hidden: true });
  const modal = dialog({ title: id, body: [notice, body], className: 'bd-drawer', testId: 'item-drawer', onClose: () => onClose?.() });
  const titleNode = modal.querySelector('.bd-dialog-title');
  const state = { kind, id, detail: null, editing: false, history: [] };

  /** Tells the outcome of an action inside the drawer and as a toast (seen once the drawer is closed). */
  function say(text, kind = 'info') {
    notice.replaceChildren(text);
    notice.className = `bd-drawer-notice notice notice-${{ success: 'ok', warning: 'warn', error: 'error' }[kind] || 'info'}`;
    notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    notice.hidden = false;
    toast(ctx, text, kind);
  }

  async function changed(promise, success) {
    notice.hidden = true;
    try {
      const result = await promise;
      if (success) say(success, 'success');
      for (const warning of result?.warnings || []) say(warning, 'warning');
      state.editing = false;
      await load();
      onChange?.();
      return result;
    } catch (failure) {
      say(errorText(failure), 'error');
      await load(); // show the item as the server has it (a refused status change snaps back)
      return null;
    }
  }

  function itemLink(targetKind, targetId, label) {
    return el(
      'a',
      {
        href: targetKind === 'task' ? `#/board/${targetId}` : `#/epics/${targetId}`,
        class: 'bd-item-link',
        on: {
          click: (event) => {
            event.preventDefault();
            state.history.push([state.kind, state.id]);
            show(targetKind, targetId);
          },
        },
      },
      label || targetId,
    );
  }

  function pills(item) {
    return el(
      'div',
      { class: 'bd-pills' },
      statusBadge(item.status),
      el('span', { class: ['bd-pill', `bd-priority-${slug(item.priority)}`], title: 'Priority' }, item.priority),
      el('span', { class: 'bd-pill', title: 'Effort' }, item.effort),
      el('span', { class: 'bd-pill', title: 'Assignee', 'data-testid': 'drawer-assignee' }, 'assignee ', el('strong', {}, item.assignee || 'unassigned')),
      el('span', { class: 'bd-pill muted', title: 'Creator' }, 'by ', item.creator),
      item.epicId ? el('span', { class: 'bd-pill' }, 'Epic ', itemLink('epic', item.epicId)) : null,
      item.githubUrl && /^https?:\/\//i.test(item.githubUrl)
        ? el('a', { class: 'bd-pill', href: item.githubUrl, target: '_blank', rel: 'noopener noreferrer' }, item.githubNumber ? `#${item.githubNumber}` : 'GitHub', item.githubTitle ? ` ${item.githubTitle}` : '')
        : null,
      item.archivedAt ? el('span', { class: 'bd-pill bd-archived-pill' }, 'Archived by ', item.archivedBy || '?') : null,
    );
  }

  function actionsBar(item) {
    const bar = el('div', { class: 'bd-drawer-actions' });
    if (readOnly && !item.archivedAt) return bar;
    if (!item.archivedAt) {
      // An epic moved to Completed enters the close workflow (at once without open tasks, else pending approval).
      const move = select(STATUSES, item.status, { class: 'bd-input', 'aria-label': 'Move to status' });
      move.addEventListener('change', async () => {
        if (move.value === item.status) return;
        const result = await changed(client.move(state.kind, item.displayId, move.value), null);
        if (result?.closeApproval) announceClose(ctx, item, result, say);
        else if (result) say(`${item.displayId} moved to ${move.value}.`, 'success');
      });
      bar.append(el('label', { class: 'bd-inline-field' }, 'Status ', move));
      const edit = el('button', { type: 'button', class: 'button' }, 'Edit');
      edit.addEventListener('click', () => {
        state.editing = true;
        render();
      });
      bar.append(edit);
      const archive = el('button', { type: 'button', class: 'button', 'data-action': 'archive' }, 'Archive');
      archive.addEventListener('click', () => changed(client.archive(state.kind, item.displayId), `${item.displayId} archived.`));
      bar.append(archive);
    } else {
      const unarchive = el('button', { type: 'button', class: 'button' }, 'Unarchive');
      unarchive.addEventListener('click', () => changed(client.unarchive(state.kind, item.displayId), `${item.displayId} is back.`));
      bar.append(unarchive);
    }
    return bar;
  }

  function detailsSection(item) {
    if (state.editing) {
      const source = data();
      const form = itemForm({ kind: state.kind, item, agents: source.agents, epics: source.epics, tasks: source.tasks });
      const save = el('button', { type: 'submit', class: 'button primary' }, 'Save');
      const cancel = el('button', { type: 'button', class: 'button' }, 'Cancel');
      const node = el('form', { class: 'bd-form', novalidate: true }, form.node, el('div', { class: 'bd-actions' }, cancel, save));
      cancel.addEventListener('click', () => {
        state.editing = false;
        render();
      });
      node.addEventListener('submit', (event) => {
        event.preventDefault();
        const patch = form.read();
        if (Object.keys(patch).length === 0) {
          state.editing = false;
          render();
          return;
        }
        if (patch.title === '') {
          say('A title is needed.', 'error');
          return;
        }
        changed(client.patch(state.kind, item.displayId, patch), `${item.displayId} saved.`);
      });
      queueMicrotask(() => form.focus());
      return el('section', { class: 'bd-section' }, el('h3', {}, 'Edit'), node);
    }
    return el(
      'section',
      { class: 'bd-section' },
      el('h3', {}, 'Details'),
      item.details ? markdown(ctx, item.details) : el('p', { class: 'muted' }, 'No details.'),
      el('p', { class: 'muted bd-small' }, 'Created ', timeElement(item.createdAt), ' · updated ', timeElement(item.updatedAt)),
    );
  }

  function refList(refs, empty) {
    if (!refs.length) return el('p', { class: 'muted' }, empty);
    return el(
      'ul',
      { class: 'bd-ref-list' },
      refs.map((ref) =>
        el('li', { class: ['bd-ref', ref.archived ? 'bd-ref-archived' : null] }, itemLink('task', ref.displayId), ' ', ref.title, ' ', statusBadge(ref.status), ref.archived ? ' (archived)' : ''),
      ),
    );
  }

  function dependencySection(detail) {
    const unfinished = detail.dependencies.filter((ref) => !isDone(ref) && !ref.archived);
    return el(
      'section',
      { class: 'bd-section' },
      el('h3', {}, 'Dependencies'),
      unfinished.length
        ? el(
            'p',
            { class: 'bd-warning', role: 'note' },
            `⚠ ${unfinished.length} unfinished: `,
            unfinished.map((ref, index) => [index ? ', ' : '', ref.displayId, ` (${ref.status})`]),
          )
        : null,
      el('h4', {}, 'Depends on'),
      refList(detail.dependencies, 'No dependencies.'),
      el('h4', {}, 'Needed by'),
      refList(detail.dependedBy, 'Nothing depends on it.'),
    );
  }

  function closeSection(detail) {
    const epic = detail.epic;
    const section = el('section', { class: 'bd-section' }, el('h3', {}, `Tasks (${detail.children.length}, ${detail.openChildren} open)`), refList(detail.children, 'No tasks yet.'));
    if (epic.closeApproval?.status === 'pending') {
      section.prepend(approvalBanner(ctx, client, epic, detail.openChildren, () => load().then(() => onChange?.())));
    } else if (!epic.archivedAt && epic.status !== 'Completed' && !readOnly) {
      const request = el('button', { type: 'button', class: 'button' }, 'Request close');
      request.addEventListener('click', () => changed(client.closeRequest(epic.displayId), null).then((result) => announceClose(ctx, epic, result, say)));
      section.append(el('div', { class: 'bd-actions' }, request));
    }
    return section;
  }

  function commentsSection(detail, item) {
    const type = select(
      COMMENT_TYPES.map((value) => [value, COMMENT_LABELS[value]]),
      'note',
      { class: 'bd-input', 'aria-label': 'Comment type', name: 'commentType' },
    );
    const text = el('textarea', { class: 'bd-input bd-textarea', rows: 3, maxlength: 16000, 'aria-label': 'Comment', placeholder: 'Add a comment (Markdown)', name: 'comment' });
    const send = el('button', { type: 'submit', class: 'button primary' }, 'Comment');
    const form = el('form', { class: 'bd-comment-form' }, text, el('div', { class: 'bd-actions' }, type, send));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!text.value.trim()) {
        text.focus();
        return;
      }
      send.disabled = true;
      const result = await changed(client.comment(state.kind, item.displayId, type.value, text.value), 'Comment added.');
      if (!result) send.disabled = false;
    });
    return el(
      'section',
      { class: 'bd-section' },
      el('h3', {}, `Comments (${detail.comments.length})`),
      detail.comments.length ? el('ol', { class: 'bd-comments' }, detail.comments.map((comment) => commentEntry(ctx, comment))) : el('p', { class: 'muted' }, 'No comments yet.'),
      item.archivedAt ? null : form,
    );
  }

  function activitySection(detail) {
    return el(
      'section',
      { class: 'bd-section' },
      el(
        'details',
        { class: 'bd-activity' },
        el('summary', {}, el('h3', { class: 'bd-inline-heading' }, `Activity (${detail.activity.length})`)),
        el('ol', { class: 'bd-activity-list', 'data-testid': 'activity' }, [...detail.activity].reverse().map(activityEntry)),
      ),
    );
  }

  function render() {
    const detail = state.detail;
    const item = state.kind === 'task' ? detail.task : detail.epic;
    titleNode.textContent = '';
    titleNode.append(el('span', { class: 'bd-id' }, item.displayId), ' ', item.title);
    const back = state.history.length
      ? el(
          'button',
          {
            type: 'button',
            class: 'button subtle small bd-back',
            on: {
              click: () => {
                const [previousKind, previousId] = state.history.pop();
                show(previousKind, previousId);
              },
            },
          },
          '← Back',
        )
      : null;
    body.replaceChildren(
      el('div', { class: 'bd-drawer-top' }, back, pills(item), actionsBar(item)),
      detailsSection(item),
      state.kind === 'task' ? branchSection(client, item) : null,
      state.kind === 'task' ? dependencySection(detail) : closeSection(detail),
      commentsSection(detail, item),
      activitySection(detail),
    );
    modal.dataset.itemId = item.displayId;
    modal.dataset.kind = state.kind;
  }

  async function load() {
    try {
      state.detail = await client.item(state.kind, state.id);
      render();
    } catch (failure) {
      body.replaceChildren(el('p', { class: 'bd-error', role: 'alert' }, errorText(failure)));
    }
  }

  function show(nextKind, nextId) {
    state.kind = nextKind;
    state.id = nextId;
    state.editing = false;
    body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    return load();
  }

  load();
  return {
    show,
    /** Reloads when `itemId` is shown (or always without one), unless the human is editing. */
    refresh(itemId) {
      const typing = modal.querySelector('textarea[name=comment]')?.value.trim();
      if (!modal.isConnected || state.editing || typing) return;
      const shown = state.detail ? (state.kind === 'task' ? state.detail.task : state.detail.epic).displayId : state.id;
      if (!itemId || String(itemId).toUpperCase() === String(shown).toUpperCase() || state.kind === 'epic') load();
    },
    close: () => modal.isConnected && modal.close(),
    get open() {
      return modal.isConnected;
    },
    get current() {
      return { kind: state.kind, id: state.id };
    },
  };
}

/** Toasts the outcome of a close request: completed at once, or waiting for approval. */
export function announceClose(ctx, epic, result, say = (text, kind) => toast(ctx, text, kind)) {
  const outcome = result?.closeApproval;
  if (!outcome) return;
  if (outcome.status === 'pending') say(`${epic.displayId} waits for approval: ${outcome.openChildren} open task(s) (${outcome.childDisplayIds.join(', ')}).`, 'warning');
  else say(`${epic.displayId} completed.`, 'success');
}

/** The "close requested" banner with Approve / Cancel. */
export function approvalBanner(ctx, client, epic, openChildren, after) {
  const approve = el('button', { type: 'button', class: 'button primary', 'data-action': 'approve-close' }, 'Approve close');
  const cancel = el('button', { type: 'button', class: 'button', 'data-action': 'cancel-close' }, 'Cancel request');
  const problem = el('p', { class: 'bd-error bd-banner-error', role: 'alert', hidden: true });
  const run = async (call, message) => {
    approve.disabled = true;
    cancel.disabled = true;
    problem.hidden = true;
    try {
      await call(epic.displayId);
      toast(ctx, message, 'success');
      await after?.();
    } catch (failure) {
      problem.textContent = errorText(failure);
      problem.hidden = false;
      toast(ctx, errorText(failure), 'error');
      approve.disabled = false;
      cancel.disabled = false;
    }
  };
  approve.addEventListener('click', () => run(client.closeApprove, `${epic.displayId} closed.`));
  cancel.addEventListener('click', () => run(client.closeCancel, `Close request for ${epic.displayId} cancelled.`));
  const requested = epic.closeApproval || {};
  return el(
    'div',
    { class: 'bd-banner', role: 'region', 'aria-label': `Close approval for ${epic.displayId}`, 'data-testid': 'close-banner', dataset: { epicId: epic.displayId } },
    el(
      'p',
      { class: 'bd-banner-text' },
      el('strong', {}, `${epic.displayId} ${epic.title}`),
      ': close requested',
      requested.requestedBy ? ` by ${requested.requestedBy}` : '',
      requested.requestedAt ? [' · ', timeElement(requested.requestedAt)] : '',
      openChildren !== undefined && openChildren !== null ? ` — ${openChildren} task(s) still open.` : '.',
    ),
    el('div', { class: 'bd-banner-actions' }, approve, cancel),
    problem,
  );
}
