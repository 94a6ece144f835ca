// An agent's git worktree on the agents page (issue 23): branch, ahead/behind, uncommitted changes, the diff summary
// and the full diff on demand. Every git-provided string is set as text (h() never takes HTML).
import { h, clear, badge, showError } from '../ui.js';

/** The add/edit dialog's worktree switch and branch. */
export function worktreeFields(agent) {
  const worktree = agent && agent.worktree;
  return [
    { name: 'worktree', label: 'Own git worktree (under the daemon home; the repo must be a git repository)', type: 'checkbox', value: !!(worktree && worktree.enabled), id: 'agent-worktree' },
    { name: 'worktreeBranch', label: 'Worktree branch (optional)', value: worktree ? worktree.branch : '', placeholder: 'wa/<name>', help: 'An existing branch is reused, never reset.', id: 'agent-worktree-branch' },
  ];
}

/** Adds the worktree switch and branch of the dialog's values to a create or update request. */
export function addWorktreeRequest(request, values, agent) {
  const branch = (values.worktreeBranch || '').trim();
  const before = agent && agent.worktree;
  if (!agent) {
    if (values.worktree) request.worktree = true;
    if (values.worktree && branch) request.worktreeBranch = branch;
    return request;
  }
  if (!!values.worktree !== !!(before && before.enabled)) request.worktree = !!values.worktree;
  if (branch && (!before || branch !== before.branch)) request.worktreeBranch = branch;
  return request;
}

/** The row's worktree line: branch, ahead/behind, changes, and a Diff button opening the summary. */
export function worktreeLine(agent, api, agentPath) {
  const w = agent.worktree;
  if (!w || (!w.enabled && !w.exists)) return null;
  const panel = h('div', { class: 'worktree-diff', 'data-testid': 'worktree-diff', hidden: true });
  const parts = [
    badge(`⎇ ${w.branch}`, 'neutral', { title: w.path, 'data-testid': 'worktree-branch' }),
    w.exists && w.ahead !== undefined ? h('span', { 'data-testid': 'worktree-ahead-behind' }, ` ${w.ahead} ahead · ${w.behind} behind ${w.baseBranch || 'HEAD'}`) : null,
    w.exists && w.changes !== undefined ? h('span', { 'data-testid': 'worktree-changes' }, ` · ${w.changes} uncommitted`) : null,
    !w.exists ? h('span', null, ' · created at the next launch') : null,
    !w.enabled ? h('span', null, ' · switched off') : null,
    w.problem ? h('span', { class: 'danger-text', title: w.problem }, ' · git failed') : null,
    w.exists ? h('button', { type: 'button', class: 'button small subtle', 'data-testid': 'worktree-diff-toggle', onClick: () => toggle() }, 'Diff') : null,
  ];
  async function toggle() {
    if (!panel.hidden) { panel.hidden = true; return; }
    panel.hidden = false;
    clear(panel, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const diff = await api.get(`${agentPath(agent)}/worktree/diff`);
      clear(panel, summary(diff), h('button', { type: 'button', class: 'button small', 'data-testid': 'worktree-full-diff', onClick: (e) => full(e.currentTarget) }, 'Show full diff'));
    } catch (error) {
      clear(panel);
      showError(error, 'Diff');
    }
  }
  async function full(button) {
    button.disabled = true;
    try {
      const diff = await api.get(`${agentPath(agent)}/worktree/diff?full=true`);
      button.replaceWith(h('pre', { class: 'worktree-diff-text', 'data-testid': 'worktree-diff-text' }, diff.diff || '(no changes to tracked files)'),
        diff.truncated ? h('p', { class: 'muted' }, `Cut at ${Math.round(diff.limitBytes / 1024)} KiB: run git diff in ${agent.worktree.path} for the rest.`) : null);
    } catch (error) {
      button.disabled = false;
      showError(error, 'Diff');
    }
  }
  return h('div', { class: 'agent-worktree small-text' }, h('p', { class: 'muted' }, parts), panel);
}

function summary(diff) {
  const rows = diff.files.map((f) => h('li', null,
    h('span', { class: 'diff-added' }, f.added === undefined ? 'bin' : `+${f.added}`), ' ',
    h('span', { class: 'diff-removed' }, f.removed === undefined ? '' : `−${f.removed}`), ' ', h('code', null, f.path)));
  for (const path of diff.untracked) rows.push(h('li', null, h('span', { class: 'diff-added' }, 'new'), ' ', h('code', null, path), ' (untracked)'));
  return h('div', null,
    h('p', { 'data-testid': 'worktree-diff-summary' }, `${diff.filesChanged} file${diff.filesChanged === 1 ? '' : 's'} changed, +${diff.added} −${diff.removed}`),
    rows.length ? h('ul', { class: 'worktree-files' }, rows) : null);
}
