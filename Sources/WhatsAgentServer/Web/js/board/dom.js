// Small DOM helpers for the board pages. Everything is built with createElement / createElementNS and textContent:
// no HTML strings, no inline styles from markup (the CSP is self-only; styles are classes or CSSOM).

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function assign(node, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'style') throw new Error('set styles with classes or el.style, not a style attribute');
    if (key === 'class') {
      const names = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      if (names) node.setAttribute('class', names);
    } else if (key === 'on') {
      for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
    } else if (key === 'dataset') {
      for (const [name, data] of Object.entries(value)) if (data !== undefined && data !== null) node.dataset[name] = data;
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      node[key] = value;
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
}

/** `el('button', {class: 'x', on: {click}}, 'text', child)` → an HTML element. */
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  assign(node, props);
  append(node, children);
  return node;
}

/** The SVG counterpart of `el`. */
export function svg(tag, props, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  assign(node, props);
  append(node, children);
  return node;
}

/** A `<label>` holding a caption and a control. */
export function field(caption, control, hint) {
  return el('label', { class: 'bd-field' }, el('span', { class: 'bd-field-caption' }, caption), control, hint ? el('small', { class: 'bd-hint' }, hint) : null);
}

export function select(options, value, props = {}) {
  const node = el('select', props);
  for (const option of options) {
    const [optionValue, label] = Array.isArray(option) ? option : [option, option];
    node.append(el('option', { value: optionValue, selected: optionValue === value }, label));
  }
  node.value = value ?? '';
  return node;
}

/** Class-safe slug of a status or value: `In Progress` → `in-progress`. */
export function slug(value) {
  return String(value || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function timeElement(iso) {
  return el('time', { datetime: iso, title: iso }, formatTime(iso));
}

const TOAST_KINDS = { success: 'ok', ok: 'ok', warning: 'warn', warn: 'warn', error: 'error', info: 'info' };

/** Shows a toast through the shell (`ctx.ui.toast(text, {kind})`; kinds success / warning / error / info). */
export function toast(ctx, message, kind = 'info') {
  const shellToast = ctx?.ui?.toast;
  if (typeof shellToast === 'function') shellToast(message, { kind: TOAST_KINDS[kind] || 'info' });
  else console.warn(message);
}

/** The message of an `ApiError` (or any error) for a toast. */
export function errorText(error) {
  if (!error) return 'Something went wrong.';
  return error.message || String(error);
}

/** Renders Markdown safely through the shell when it offers it; plain text (pre-wrapped) otherwise. */
export function markdown(ctx, text) {
  const render = ctx?.ui?.markdown;
  if (typeof render === 'function') {
    const result = render(text || '');
    if (result instanceof Node) {
      result.classList?.add('bd-markdown');
      return result;
    }
  }
  return el('div', { class: ['bd-markdown', 'bd-plain'] }, text || '');
}

/** Adds the board stylesheet once, through the shell's `useStyles` (a same-origin `<link>` is allowed by the CSP). */
export function ensureStyles(ctx) {
  if (typeof ctx?.ui?.useStyles === 'function') {
    ctx.ui.useStyles('/css/board.css');
    return;
  }
  if (document.querySelector('link[rel="stylesheet"][href="/css/board.css"]')) return;
  document.head.append(el('link', { rel: 'stylesheet', href: '/css/board.css' }));
}

/** Starts a file download of `blob` named `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name, class: 'bd-hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  queueMicrotask(() => URL.revokeObjectURL(url));
}

/**
 * Opens a small menu of actions under `anchor`: arrow keys move, Enter picks, Escape closes and gives the focus back.
 * `items` are `{label, action, disabled?}`.
 */
export function openMenu(anchor, items, label) {
  closeMenus();
  const menu = el('div', { class: 'bd-menu', role: 'menu', 'aria-label': label || 'Actions' });
  const buttons = items.map((item) =>
    el(
      'button',
      {
        type: 'button',
        role: 'menuitem',
        class: 'bd-menu-item',
        disabled: item.disabled,
        on: {
          click: () => {
            close(false);
            item.action();
          },
        },
      },
      item.label,
    ),
  );
  menu.append(...buttons);
  const enabled = buttons.filter((button) => !button.disabled);
  function close(refocus = true) {
    menu.remove();
    document.removeEventListener('pointerdown', outside, true);
    if (refocus && anchor.isConnected) anchor.focus();
  }
  function outside(event) {
    if (!menu.contains(event.target) && event.target !== anchor) close(false);
  }
  menu.addEventListener('keydown', (event) => {
    const index = enabled.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      enabled[(index + step + enabled.length) % enabled.length]?.focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  });
  menu.closeMenu = close;
  document.body.append(menu);
  const box = anchor.getBoundingClientRect();
  const width = Math.min(240, window.innerWidth - 16);
  menu.style.minWidth = `${Math.min(180, width)}px`;
  menu.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - width - 8)) + window.scrollX}px`;
  menu.style.top = `${box.bottom + 4 + window.scrollY}px`;
  document.addEventListener('pointerdown', outside, true);
  enabled[0]?.focus();
  return menu;
}

export function closeMenus() {
  for (const menu of document.querySelectorAll('.bd-menu')) {
    if (typeof menu.closeMenu === 'function') menu.closeMenu(false);
    else menu.remove();
  }
}

/** A modal `<dialog>` with a title, body and a close button; removed from the DOM when closed. */
export function dialog({ title, body, className, onClose, labelId, testId }) {
  const id = labelId || `bd-dialog-${Math.random().toString(36).slice(2)}`;
  const close = el('button', { type: 'button', class: 'icon-button bd-dialog-close', 'aria-label': 'Close' }, '×');
  const node = el(
    'dialog',
    { class: ['bd-dialog', className], 'aria-labelledby': id, 'data-testid': testId },
    el('header', { class: 'bd-dialog-header' }, el('h2', { id, class: 'bd-dialog-title' }, title), close),
    el('div', { class: 'bd-dialog-body' }, body),
  );
  close.addEventListener('click', () => node.close());
  node.addEventListener('click', (event) => {
    if (event.target === node) node.close();
  });
  node.addEventListener('close', () => {
    node.remove();
    onClose?.();
  });
  document.body.append(node);
  node.showModal();
  return node;
}

/** The shell's loading placeholder (`main .loading` until the data is in), else a plain note. */
export function loadingNote(ctx, text) {
  return typeof ctx?.ui?.loading === 'function' ? ctx.ui.loading(text) : el('p', { class: 'muted loading' }, text);
}

/**
 * Search and filters in a `<details>`: open on wide screens (its summary hidden), folded on a phone so the board
 * starts on the first screen.
 */
export function toolsPanel(...children) {
  const query = typeof matchMedia === 'function' ? matchMedia('(max-width: 720px)') : null;
  const node = el('details', { class: 'bd-tools', open: !query?.matches }, el('summary', { class: 'bd-tools-summary' }, 'Search and filters'), children);
  const onChange = () => {
    if (!node.isConnected) query.removeEventListener('change', onChange);
    else if (!query.matches) node.open = true; // wide again: the summary is hidden, so keep it open
  };
  query?.addEventListener('change', onChange);
  return node;
}

/** The Board / Epics / Archive tab bar (the shell's `.tabs` look). */
export function boardTabs(active) {
  const views = [
    ['board', 'Board'],
    ['epics', 'Epics'],
    ['archive', 'Archive'],
  ];
  return el(
    'nav',
    { class: 'tabs bd-tabs', 'aria-label': 'Board views' },
    views.map(([id, label]) => el('a', { href: `#/${id}`, class: ['tab', id === active ? 'active' : null], 'aria-current': id === active ? 'page' : null }, label)),
  );
}
