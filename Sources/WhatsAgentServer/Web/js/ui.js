// DOM helpers shared by every page. Nothing here parses HTML: text always becomes text nodes, so data from the
// daemon (agent names, message bodies, summaries) can never inject markup. See README.md for the conventions.

const SVG_NS = 'http://www.w3.org/2000/svg';
const booleanAttributes = new Set(['disabled', 'checked', 'selected', 'required', 'readonly', 'hidden', 'multiple', 'autofocus', 'open', 'draggable']);

/**
 * h(tag, attrs, ...children) builds an element.
 * attrs: `class` (string or array, falsy entries skipped), `dataset` {k: v}, `style` {prop: value} (CSSOM, allowed by
 * the CSP), `on<Event>` functions (addEventListener), `value`/`checked` as properties, booleans as presence, `ref`
 * (called with the element), any other attribute as setAttribute. `innerHTML` is refused.
 * children: strings/numbers (text nodes), Nodes, arrays (flattened), null/undefined/false (skipped).
 * `tag` may be 'svg:rect' for SVG elements.
 */
export function h(tag, attrs, ...children) {
  if (attrs && (attrs instanceof Node || typeof attrs !== 'object' || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  const element = tag.startsWith('svg:') ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'innerHTML' || key === 'outerHTML') throw new Error('h(): innerHTML is not allowed');
    if (key === 'class' || key === 'className') {
      const names = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
      if (names) element.setAttribute('class', names);
    } else if (key === 'dataset') {
      for (const [name, data] of Object.entries(value)) if (data !== undefined && data !== null) element.dataset[name] = String(data);
    } else if (key === 'style' && typeof value === 'object') {
      for (const [prop, css] of Object.entries(value)) {
        if (prop.startsWith('--')) element.style.setProperty(prop, String(css));
        else element.style[prop] = css;
      }
    } else if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'ref' && typeof value === 'function') {
      value(element);
    } else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'indeterminate') {
      element[key] = value;
    } else if (booleanAttributes.has(key)) {
      if (value) element.setAttribute(key, '');
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends children (same rules as h()). */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all children of `parent`. */
export function clear(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/**
 * Replaces the children of `parent` like clear(), but keeps each child that equals (same tag, attributes and
 * content) its replacement at the same position. A live update then never swaps the node under the pointer or the
 * keyboard focus: a click whose press and release straddle a redraw still lands. A kept node keeps its old
 * handlers, so handlers must read current state (e.g. look the agent up by address), not what they captured.
 */
export function reconcile(parent, ...children) {
  const next = [...frag(...children).childNodes];
  next.forEach((node, index) => {
    const current = parent.childNodes[index];
    if (!current) parent.appendChild(node);
    else if (!current.isEqualNode(node)) parent.replaceChild(node, current);
  });
  while (parent.childNodes.length > next.length) parent.lastChild.remove();
  return parent;
}

/** A DocumentFragment of the children. */
export function frag(...children) {
  return append(document.createDocumentFragment(), children);
}

// ---------------------------------------------------------------- Markdown (safe subset)

function safeURL(href) {
  try {
    const url = new URL(href, location.href);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    /* not a URL */
  }
  return null;
}

function link(href, children) {
  const url = safeURL(href);
  if (!url) return null;
  return h('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, children);
}

const trailingPunctuation = /[.,;:!?)\]'"]+$/;

/** Inline Markdown → array of nodes: `code`, **strong**, __strong__, *em*, _em_, [text](http…), bare http(s) URLs, \escapes. */
export function inline(text, depth = 0) {
  const out = [];
  let buffer = '';
  const flush = () => { if (buffer) { out.push(document.createTextNode(buffer)); buffer = ''; } };
  // Where a search for a closing marker already failed: no later opener of the same marker can find one either, so
  // hostile bodies (thousands of unclosed `*`, `_`, `**` or backtick runs) render in linear time, not quadratic.
  const unclosedFrom = new Map();
  const closerAfter = (marker, from, search) => {
    if (unclosedFrom.has(marker) && from >= unclosedFrom.get(marker)) return -1;
    const found = search();
    if (found === -1) unclosedFrom.set(marker, from);
    return found;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const rest = text.slice(i);
    if (c === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!>~|]/.test(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)[0];
      const end = closerAfter(run, i, () => text.indexOf(run, i + run.length));
      if (end > i) {
        flush();
        out.push(h('code', null, text.slice(i + run.length, end)));
        i = end + run.length;
        continue;
      }
      buffer += run;
      i += run.length;
      continue;
    }
    if (depth < 4 && (rest.startsWith('**') || rest.startsWith('__'))) {
      const marker = rest.slice(0, 2);
      const end = closerAfter(marker, i, () => text.indexOf(marker, i + 2));
      if (end > i + 2 && !/\s/.test(text[i + 2])) {
        flush();
        out.push(h('strong', null, inline(text.slice(i + 2, end), depth + 1)));
        i = end + 2;
        continue;
      }
    }
    if (depth < 4 && (c === '*' || c === '_')) {
      const before = i > 0 ? text[i - 1] : ' ';
      const okStart = text[i + 1] && !/\s/.test(text[i + 1]) && (c === '*' || !/\w/.test(before));
      if (okStart) {
        const end = closerAfter(c, i, () => {
          let at = i + 1;
          while ((at = text.indexOf(c, at)) !== -1) {
            const after = text[at + 1] || ' ';
            if (!/\s/.test(text[at - 1]) && (c === '*' || !/\w/.test(after))) return at;
            at += 1;
          }
          return -1;
        });
        if (end > i + 1) {
          flush();
          out.push(h('em', null, inline(text.slice(i + 1, end), depth + 1)));
          i = end + 1;
          continue;
        }
      }
    }
    if (c === '[') {
      // Link text and target are bounded, so a body of thousands of `[` costs linear time, not quadratic.
      const match = /^\[([^\]\n]{1,500})\]\(\s*([^)\s]{1,2000})\s*\)/.exec(rest);
      if (match) {
        const anchor = link(match[2], inline(match[1], depth + 1));
        flush();
        out.push(anchor || document.createTextNode(match[0]));
        i += match[0].length;
        continue;
      }
    }
    if ((c === 'h' || c === 'H') && /^https?:\/\//i.test(rest) && (i === 0 || /[\s(<]/.test(text[i - 1]))) {
      let url = /^\S+/.exec(rest)[0];
      const tail = trailingPunctuation.exec(url);
      if (tail) url = url.slice(0, -tail[0].length);
      const anchor = link(url, url);
      if (anchor) {
        flush();
        out.push(anchor);
        i += url.length;
        continue;
      }
    }
    buffer += c;
    i += 1;
  }
  flush();
  return out;
}

function inlineLines(lines) {
  const out = [];
  lines.forEach((line, index) => {
    if (index > 0) out.push(h('br'));
    out.push(...inline(line));
  });
  return out;
}

const listItem = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const fenceOpener = /^\s*(```+|~~~+)\s*([\w+-]*)\s*$/;

/**
 * Renders a message body as safe Markdown: paragraphs (single newlines kept), fenced and indented code blocks,
 * `code`, emphasis, headings, block quotes, ordered/unordered (nested) lists, http(s) links (rel=noopener).
 * Raw HTML is shown as text. Returns a <div class="md">.
 */
export function markdown(source) {
  const root = h('div', { class: 'md' });
  renderBlocks(root, String(source ?? '').replace(/\r\n?/g, '\n').split('\n'), 0);
  return root;
}

function renderBlocks(parent, lines, depth) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i += 1; continue; }
    const fence = fenceOpener.exec(line);
    if (fence) {
      const body = [];
      i += 1;
      // Only a bare run of the same character, at least as long, closes the block ("~~~ text" is content).
      const closes = (text) => {
        const closing = /^\s*(`{3,}|~{3,})\s*$/.exec(text);
        return closing !== null && closing[1][0] === fence[1][0] && closing[1].length >= fence[1].length;
      };
      while (i < lines.length && !closes(lines[i])) { body.push(lines[i]); i += 1; }
      i += 1;
      parent.append(h('pre', null, h('code', fence[2] ? { dataset: { lang: fence[2] } } : null, body.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1].length + 2);
      parent.append(h(`h${level}`, { class: 'md-heading' }, inline(heading[2].replace(/\s+#+\s*$/, ''))));
      i += 1;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) { quoted.push(lines[i].replace(/^\s*>\s?/, '')); i += 1; }
      const quote = h('blockquote');
      if (depth < 6) renderBlocks(quote, quoted, depth + 1);
      else quote.append(...inlineLines(quoted));
      parent.append(quote);
      continue;
    }
    if (/^ {4}|^\t/.test(line)) {
      const body = [];
      while (i < lines.length && (/^ {4}|^\t/.test(lines[i]) || !lines[i].trim())) { body.push(lines[i].replace(/^ {4}|^\t/, '')); i += 1; }
      while (body.length && !body[body.length - 1].trim()) body.pop();
      parent.append(h('pre', null, h('code', null, body.join('\n'))));
      continue;
    }
    if (listItem.test(line)) {
      i = renderList(parent, lines, i, depth);
      continue;
    }
    // A paragraph runs until a line that starts another block. The first line always belongs to it, so the loop
    // moves on whatever the line holds (a line such as "``` text" is no fence and must not stop it forever).
    const paragraph = [line];
    i += 1;
    while (i < lines.length && lines[i].trim() && !listItem.test(lines[i]) && !fenceOpener.test(lines[i]) && !/^#{1,6}\s/.test(lines[i]) && !/^\s*>/.test(lines[i])) {
      paragraph.push(lines[i]);
      i += 1;
    }
    parent.append(h('p', null, inlineLines(paragraph)));
  }
}

function renderList(parent, lines, start, depth) {
  const first = listItem.exec(lines[start]);
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const list = h(ordered ? 'ol' : 'ul');
  if (ordered) {
    const number = parseInt(first[2], 10);
    if (number !== 1) list.setAttribute('start', String(number));
  }
  let i = start;
  while (i < lines.length) {
    const match = listItem.exec(lines[i]);
    if (!match || match[1].length < indent || /\d/.test(match[2]) !== ordered) {
      if (match && match[1].length > indent) { /* nested below */ } else break;
    }
    if (match && match[1].length === indent) {
      const item = h('li', null, inline(match[3]));
      list.append(item);
      i += 1;
      // continuation lines and nested lists
      const nested = [];
      while (i < lines.length && lines[i].trim() && !(listItem.test(lines[i]) && listItem.exec(lines[i])[1].length <= indent)) {
        nested.push(lines[i]);
        i += 1;
      }
      if (nested.length) {
        if (listItem.test(nested[0]) && depth < 6) {
          renderBlocks(item, nested.map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))), depth + 1);
        } else {
          for (const l of nested) item.append(h('br'), ...inline(l.trim()));
        }
      }
      if (i < lines.length && !lines[i].trim() && i + 1 < lines.length && listItem.test(lines[i + 1]) && listItem.exec(lines[i + 1])[1].length === indent) i += 1;
      continue;
    }
    break;
  }
  parent.append(list);
  return i;
}

// ---------------------------------------------------------------- Time

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 min ago", "yesterday", then a date. */
export function relTime(value, now = Date.now()) {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 7) return relativeFormat.format(Math.round(seconds / 86400), 'day');
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A <time> element showing relTime with the exact local time as title. */
export function timeEl(value) {
  if (!value) return h('span', { class: 'muted' }, '—');
  const date = new Date(value);
  return h('time', { datetime: date.toISOString(), title: date.toLocaleString(), class: 'reltime' }, relTime(date));
}

// Keep relative times fresh without a polling timer per page: one minute tick for the whole document.
setInterval(() => {
  for (const el of document.querySelectorAll('time.reltime[datetime]')) el.textContent = relTime(el.getAttribute('datetime'));
}, 60000);

// ---------------------------------------------------------------- Toasts and notifications

/** A toast in the corner. kind: 'info' | 'ok' | 'warn' | 'error'. action: {label, onClick}. Returns a close function. */
export function toast(text, { kind = 'info', timeout = 6000, action = null, title = null } = {}) {
  const host = document.getElementById('toasts');
  if (!host) return () => {};
  const close = () => element.remove();
  const element = h('div', { class: ['toast', `toast-${kind}`], role: kind === 'error' ? 'alert' : 'status' },
    h('div', { class: 'toast-text' }, title ? h('strong', null, title) : null, title ? h('br') : null, text),
    action ? h('button', { type: 'button', class: 'button small', onClick: () => { close(); action.onClick(); } }, action.label) : null,
    h('button', { type: 'button', class: 'icon-button toast-close', 'aria-label': 'Dismiss', onClick: close }, '×'));
  host.append(element);
  while (host.children.length > 3) host.firstElementChild.remove();
  if (timeout) setTimeout(close, kind === 'error' ? Math.max(timeout, 10000) : timeout);
  return close;
}

/** Browser notification if the user allowed them and the tab is not in front; always returns whether one was shown. */
export function notify(title, body, { tag, onClick } = {}) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return false;
  if (document.visibilityState === 'visible' && document.hasFocus()) return false;
  try {
    const n = new Notification(title, { body: body ? String(body).slice(0, 180) : undefined, tag, icon: '/favicon.svg' });
    n.onclick = () => { window.focus(); if (onClick) onClick(); n.close(); };
    return true;
  } catch {
    return false;
  }
}

/** Asks for notification permission (call from a click). Resolves to the permission. */
export async function requestNotifications() {
  if (!('Notification' in window)) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

export function notificationPermission() {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

// ---------------------------------------------------------------- Errors, badges, small widgets

/** A readable message for an error (ApiError or other). */
export function errorText(error) {
  if (!error) return 'Something went wrong.';
  if (error.name === 'ApiError') return error.message || error.code;
  return error.message || String(error);
}

export function showError(error, prefix) {
  console.error(error);
  return toast(prefix ? `${prefix}: ${errorText(error)}` : errorText(error), { kind: 'error' });
}

/** <span class="badge badge-<kind>">text</span>. kinds: neutral, accent, ok, warn, danger. */
export function badge(text, kind = 'neutral', attrs = {}) {
  return h('span', { ...attrs, class: ['badge', `badge-${kind}`, attrs.class] }, text);
}

/** An inline notice block. kind: info | warn | error | ok. */
export function notice(kind, ...children) {
  return h('div', { class: ['notice', `notice-${kind}`], role: kind === 'error' ? 'alert' : null }, children);
}

export function emptyState(title, text, action) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), text ? h('p', { class: 'muted' }, text) : null, action || null);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'muted loading', 'aria-busy': 'true' }, text);
}

/** A button that copies `text` (or text()) to the clipboard. */
export function copyButton(text, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'button small', onClick: async () => {
    const value = typeof text === 'function' ? text() : text;
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const area = h('textarea', { class: 'offscreen', readonly: true, value });
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = label; }, 1500);
  } }, label);
  return button;
}

/** A page header: title, optional subtitle and action buttons. */
export function pageHeader(title, { subtitle, actions } = {}) {
  return h('header', { class: 'page-header' },
    h('div', { class: 'page-title' }, h('h1', null, title), subtitle ? h('p', { class: 'muted' }, subtitle) : null),
    actions ? h('div', { class: 'page-actions' }, actions) : null);
}

/** A button. variant: primary | subtle | danger | '' */
export function button(label, onClick, { variant = '', type = 'button', small = false, ...attrs } = {}) {
  return h('button', { type, class: ['button', variant, small && 'small', attrs.class], ...attrs, onClick }, label);
}

/**
 * Runs an async action with `el` (a button) disabled meanwhile; shows a toast on failure.
 * Returns the action's result or undefined on failure.
 */
export async function busy(el, action, { success } = {}) {
  if (el) el.disabled = true;
  try {
    const result = await action();
    if (success) toast(success, { kind: 'ok', timeout: 3000 });
    return result;
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    if (el) el.disabled = false;
  }
}

// ---------------------------------------------------------------- Forms

let fieldCounter = 0;

/**
 * One form control with its label. spec: {name, label, type: text|password|textarea|select|checkbox|number|email,
 * value, options: [value | {value, label}], required, placeholder, help, autocomplete, rows, min, max, maxlength, pattern}
 */
export function field(spec) {
  const id = spec.id || `f-${++fieldCounter}`;
  const type = spec.type || 'text';
  let control;
  const common = { id, name: spec.name, required: spec.required, placeholder: spec.placeholder, autocomplete: spec.autocomplete, disabled: spec.disabled };
  if (type === 'textarea') {
    control = h('textarea', { ...common, rows: spec.rows || 4, maxlength: spec.maxlength, value: spec.value ?? '' });
  } else if (type === 'select') {
    control = h('select', common, (spec.options || []).map((option) => {
      const value = typeof option === 'object' ? option.value : option;
      const label = typeof option === 'object' ? option.label : option;
      return h('option', { value, selected: String(value) === String(spec.value ?? '') }, label);
    }));
  } else if (type === 'checkbox') {
    control = h('input', { ...common, type: 'checkbox', checked: !!spec.value });
    return h('div', { class: 'field field-checkbox' }, h('label', { for: id }, control, ' ', spec.label), spec.help ? h('p', { class: 'help' }, spec.help) : null);
  } else {
    control = h('input', { ...common, type, value: spec.value ?? '', min: spec.min, max: spec.max, maxlength: spec.maxlength, pattern: spec.pattern, inputmode: spec.inputmode });
  }
  return h('div', { class: 'field' }, h('label', { for: id }, spec.label), control, spec.help ? h('p', { class: 'help' }, spec.help) : null);
}

/** The values of a form's named controls (checkboxes → booleans, number inputs → numbers or null). */
export function formValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') values[el.name] = el.checked;
    else if (el.type === 'number') values[el.name] = el.value === '' ? null : Number(el.value);
    else values[el.name] = el.value;
  }
  return values;
}

// ---------------------------------------------------------------- Dialogs

/**
 * A modal <dialog>. body: nodes; actions: [{label, variant, value, onClick}] — onClick may return false to keep it
 * open. Resolves with the chosen action's value (undefined when dismissed with Esc).
 */
export function dialog({ title, body, actions = [{ label: 'Close', value: undefined }], wide = false }) {
  return new Promise((resolve) => {
    let result;
    const el = h('dialog', { class: ['dialog', wide && 'dialog-wide'], 'aria-labelledby': 'dlg-title' },
      h('div', { class: 'dialog-head' }, h('h2', { id: 'dlg-title' }, title),
        h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onClick: () => el.close() }, '×')),
      h('div', { class: 'dialog-body' }, body),
      h('div', { class: 'dialog-actions' }, actions.map((action) => h('button', {
        type: 'button', class: ['button', action.variant], onClick: async (event) => {
          if (action.onClick && (await action.onClick(event)) === false) return;
          result = action.value;
          el.close();
        },
      }, action.label))));
    el.addEventListener('close', () => { el.remove(); resolve(result); });
    document.body.append(el);
    el.showModal();
  });
}

/** Resolves true when the user confirms. */
export async function confirmDialog(message, { title = 'Are you sure?', confirmLabel = 'Confirm', danger = false } = {}) {
  const value = await dialog({
    title,
    body: h('p', null, message),
    actions: [{ label: 'Cancel', variant: 'subtle', value: false }, { label: confirmLabel, variant: danger ? 'danger' : 'primary', value: true }],
  });
  return value === true;
}

/**
 * A modal form. fields: field() specs (or Nodes inserted as is). onSubmit(values) may be async; when it throws, the
 * error is shown in the dialog and it stays open. Resolves with onSubmit's result, or null when cancelled.
 */
export function formDialog({ title, fields, submitLabel = 'Save', onSubmit, intro, danger = false, wide = false }) {
  return new Promise((resolve) => {
    let result = null;
    const errorBox = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: ['button', danger ? 'danger' : 'primary'] }, submitLabel);
    const form = h('form', { class: 'form', novalidate: false },
      intro ? h('div', { class: 'form-intro' }, intro) : null,
      fields.map((spec) => (spec instanceof Node ? spec : field(spec))),
      errorBox,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'button subtle', onClick: () => el.close() }, 'Cancel'),
        submit));
    const el = h('dialog', { class: ['dialog', wide && 'dialog-wide'], 'aria-labelledby': 'dlg-form-title' },
      h('div', { class: 'dialog-head' }, h('h2', { id: 'dlg-form-title' }, title),
        h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onClick: () => el.close() }, '×')),
      h('div', { class: 'dialog-body' }, form));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      errorBox.hidden = true;
      submit.disabled = true;
      try {
        const values = formValues(form);
        result = onSubmit ? await onSubmit(values, form) : values;
        el.close();
      } catch (error) {
        errorBox.textContent = errorText(error);
        errorBox.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
    el.addEventListener('close', () => { el.remove(); resolve(result); });
    document.body.append(el);
    el.showModal();
    const first = form.querySelector('input:not([type=hidden]):not([disabled]), textarea, select');
    if (first) first.focus();
  });
}

/** A small tab bar; tabs: [{id, label, href}], active id. Rendered as links (hash routes). */
export function tabs(items, active, label = 'Sections') {
  return h('nav', { class: 'tabs', 'aria-label': label }, items.map((item) => h('a', {
    href: item.href, class: ['tab', item.id === active && 'active'], 'aria-current': item.id === active ? 'page' : null,
  }, item.label, item.badge ? h('span', { class: 'badge badge-accent' }, item.badge) : null)));
}

/** Short display of an agent address `repo:agent`. */
export function agentLabel(address) {
  return h('span', { class: 'agent-address' }, String(address ?? ''));
}

export const ui = {
  h, append, clear, frag, markdown, inline, relTime, timeEl, toast, notify, requestNotifications, notificationPermission,
  errorText, showError, badge, notice, emptyState, loading, copyButton, pageHeader, button, busy, field, formValues,
  dialog, confirmDialog, formDialog, tabs, agentLabel,
};

const loadedStyles = new Set();
/** Adds `<link rel="stylesheet" href>` once (page stylesheets). */
export function useStyles(href) {
  if (loadedStyles.has(href) || document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) return;
  loadedStyles.add(href);
  document.head.append(h('link', { rel: 'stylesheet', href }));
}
ui.useStyles = useStyles;
