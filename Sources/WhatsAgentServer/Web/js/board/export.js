// Export buttons: JSON (re-importable), CSV and Markdown, downloaded as the server wrote them.

import { download, el, toast } from './dom.js';

const FORMATS = [
  { format: 'json', label: 'JSON', extension: 'json' },
  { format: 'csv', label: 'CSV', extension: 'csv' },
  { format: 'markdown', label: 'Markdown', extension: 'md' },
];

async function fetchExport(ctx, client, format) {
  const response = await fetch(client.exportPath(format), { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) {
    let message = `Export failed (HTTP ${response.status}).`;
    try {
      const body = await response.json();
      message = body?.error?.message || message;
    } catch {
      // not JSON: keep the generic message
    }
    if (response.status === 401) window.dispatchEvent(new CustomEvent('wa:unauthorized'));
    throw new Error(message);
  }
  return response.blob();
}

/** A group of export buttons for the workspace's board. */
export function exportButtons(ctx, client) {
  const buttons = FORMATS.map(({ format, label, extension }) => {
    const button = el('button', { type: 'button', class: 'button small', 'data-export': format, title: `Download the board as ${label}` }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const blob = await fetchExport(ctx, client, format);
        const stamp = new Date().toISOString().slice(0, 10);
        download(blob, `board-${String(ctx.workspaceName || ctx.workspace).replace(/[^A-Za-z0-9_-]+/g, '_')}-${stamp}.${extension}`);
      } catch (failure) {
        toast(ctx, failure.message, 'error');
      } finally {
        button.disabled = false;
      }
    });
    return button;
  });
  return el('div', { class: 'bd-export', role: 'group', 'aria-label': 'Export the board' }, el('span', { class: 'muted bd-small' }, 'Export'), buttons);
}
