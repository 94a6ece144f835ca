// The task drawer's branch section (issue 23): the branch the task is done on and, while the task is in Review, the
// branch's diff summary with the full diff on demand — served by the daemon from the worktree of the agent on that
// branch. Every git-provided string is set as text (el() never takes HTML); the full diff is size-capped.

import { el, errorText } from './dom.js';

function summary(diff) {
  const rows = diff.files.map((file) =>
    el(
      'li',
      {},
      el('span', { class: 'bd-diff-added' }, file.added === undefined ? 'bin' : `+${file.added}`),
      ' ',
      el('span', { class: 'bd-diff-removed' }, file.removed === undefined ? '' : `−${file.removed}`),
      ' ',
      el('code', {}, file.path),
    ),
  );
  for (const path of diff.untracked) rows.push(el('li', {}, el('span', { class: 'bd-diff-added' }, 'new'), ' ', el('code', {}, path), ' (untracked)'));
  const against = diff.baseBranch ? ` against ${diff.baseBranch}` : '';
  const standing = diff.ahead !== undefined ? ` · ${diff.ahead} ahead, ${diff.behind} behind${against}` : '';
  const uncommitted = diff.uncommitted ? ` · ${diff.uncommitted} uncommitted` : '';
  return el(
    'div',
    {},
    el(
      'p',
      { 'data-testid': 'drawer-branch-diff-summary' },
      `${diff.filesChanged} file${diff.filesChanged === 1 ? '' : 's'} changed, +${diff.added} −${diff.removed}${standing}${uncommitted}`,
    ),
    el('p', { class: 'muted bd-small' }, `From the worktree of ${diff.agent}.`),
    rows.length ? el('ul', { class: 'bd-diff-files' }, rows) : null,
  );
}

/** The section for `task`, or null when it names no branch. `client` is the board client. */
export function branchSection(client, task) {
  if (!task.branch) return null;
  const section = el(
    'section',
    { class: 'bd-section', 'data-testid': 'drawer-branch' },
    el('h3', {}, 'Branch'),
    el('p', {}, '⎇ ', el('code', { 'data-testid': 'drawer-branch-name' }, task.branch)),
  );
  if (task.status !== 'Review') {
    section.append(el('p', { class: 'muted bd-small' }, 'Its diff shows here once the task is in Review.'));
    return section;
  }
  const panel = el('div', { class: 'bd-branch-diff', 'data-testid': 'drawer-branch-diff' }, el('p', { class: 'muted' }, 'Loading the diff…'));
  section.append(panel);
  client
    .branchDiff(task.displayId)
    .then((diff) => {
      const more = el('button', { type: 'button', class: 'button small', 'data-testid': 'drawer-branch-full-diff' }, 'Show full diff');
      more.addEventListener('click', async () => {
        more.disabled = true;
        try {
          const full = await client.branchDiff(task.displayId, true);
          more.replaceWith(
            el('pre', { class: 'bd-diff-text', 'data-testid': 'drawer-branch-diff-text' }, full.diff || '(no changes to tracked files)'),
            full.truncated ? el('p', { class: 'muted bd-small' }, `Cut at ${Math.round(full.limitBytes / 1024)} KiB: run git diff in the worktree for the rest.`) : '',
          );
        } catch (failure) {
          more.disabled = false;
          more.after(el('p', { class: 'bd-error', role: 'alert' }, errorText(failure)));
        }
      });
      panel.replaceChildren(summary(diff), more);
    })
    .catch((failure) => panel.replaceChildren(el('p', { class: 'muted', 'data-testid': 'drawer-branch-diff-error' }, errorText(failure))));
  return section;
}
