// The "New task" and "New epic" dialogs.

import { dialog, el, errorText, toast } from './dom.js';
import { itemForm } from './forms.js';

/**
 * Opens the create dialog for `kind` ('task' | 'epic'). `data` holds `{agents, epics, tasks}` for the pickers;
 * `preset` may fix fields (`{status, assignedTo, epicId}`). Calls `onCreated(item)` after the server accepted it.
 */
export function openCreate(ctx, client, kind, data, onCreated, preset = {}) {
  const form = itemForm({ kind, agents: data.agents, epics: data.epics, tasks: data.tasks });
  const controlsByName = Object.fromEntries(form.controls.map((control) => [control.name, control]));
  if (preset.status && controlsByName.status) controlsByName.status.value = preset.status;
  if (preset.assignedTo && controlsByName.assignee) controlsByName.assignee.value = preset.assignedTo;
  if (preset.epicId && controlsByName.epic) controlsByName.epic.value = preset.epicId;
  const error = el('p', { class: 'bd-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', class: 'button primary' }, kind === 'task' ? 'Create task' : 'Create epic');
  const cancel = el('button', { type: 'button', class: 'button' }, 'Cancel');
  const formNode = el('form', { class: 'bd-form', novalidate: true }, form.node, error, el('div', { class: 'bd-actions' }, cancel, submit));
  const modal = dialog({ title: kind === 'task' ? 'New task' : 'New epic', body: formNode, className: 'bd-create-dialog', testId: 'create-dialog' });
  cancel.addEventListener('click', () => modal.close());
  formNode.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = form.read();
    if (!body.title) {
      error.textContent = 'A title is needed.';
      error.hidden = false;
      form.focus();
      return;
    }
    if (kind === 'epic' && !body.assignedTo) {
      error.textContent = 'Choose an assignee (add an agent on the Agents page first).';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    try {
      const change = await client.create(kind, body);
      const item = change.task || change.epic;
      modal.close();
      toast(ctx, `${item.displayId} created.`, 'success');
      for (const warning of change.warnings || []) toast(ctx, warning, 'warning');
      onCreated?.(item);
    } catch (failure) {
      error.textContent = errorText(failure);
      error.hidden = false;
      submit.disabled = false;
      toast(ctx, errorText(failure), 'error');
    }
  });
  form.focus();
  return modal;
}
