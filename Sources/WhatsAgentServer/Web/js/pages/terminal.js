// Agent terminal: xterm.js over the terminal WebSocket (WEB-CONTRACT.md "Terminal stream"). Restore on connect,
// live output, input, resize (FitAddon, last writer wins), reconnect with from=<offset>, redraw, special keys with a
// sticky Ctrl, the pending-nudge prompt, and a clear message when the xterm assets are missing.
import { h, clear, badge, notice, toast, showError, loading, timeEl, useStyles } from '../ui.js';
import { getCsrfToken } from '../api.js';
import { launchError } from './agents.js';

const KEYS = [
  ['Esc', '\x1b'], ['Tab', '\t'], ['⇧Tab', '\x1b[Z'], ['↑', '\x1b[A'], ['↓', '\x1b[B'], ['←', '\x1b[D'], ['→', '\x1b[C'],
  ['PgUp', '\x1b[5~'], ['PgDn', '\x1b[6~'], ['Home', '\x1b[H'], ['End', '\x1b[F'],
];

export async function render(root, ctx) {
  useStyles('/vendor/xterm/xterm.css');
  useStyles('/css/terminal.css');
  const address = ctx.params.id;
  if (!address) {
    clear(root, notice('info', 'Pick an agent on the ', h('a', { href: '#/agents' }, 'Agents'), ' page to open its terminal.'));
    return undefined;
  }
  const agentPath = (rest = '') => ctx.wsPath(`/agents/${encodeURIComponent(address)}${rest}`);
  const statusBadge = h('span', { class: 'term-status' });
  const banners = h('div', { class: 'term-banners' });
  const screen = h('div', { class: 'term-screen', 'data-testid': 'terminal' });
  const ctrlButton = h('button', { type: 'button', class: 'key', 'aria-pressed': 'false', title: 'Sticky Ctrl: the next key is sent with Ctrl' }, 'Ctrl');
  const keysBar = h('div', { class: 'term-keys', role: 'toolbar', 'aria-label': 'Special keys' }, ctrlButton,
    KEYS.map(([label, seq]) => h('button', { type: 'button', class: 'key', dataset: { seq }, 'aria-label': label === '⇧Tab' ? 'Shift Tab' : label }, label)));
  const redrawButton = h('button', { type: 'button', class: 'button small', title: 'Toggle the size so a full-screen program redraws', 'data-testid': 'redraw' }, 'Redraw');
  const fitButton = h('button', { type: 'button', class: 'button small subtle', title: 'Resize the terminal to this window' }, 'Fit');
  const launchButton = h('button', { type: 'button', class: 'button small primary', hidden: true }, 'Launch');
  const stopButton = h('button', { type: 'button', class: 'button small', hidden: true }, 'Stop');
  clear(root, h('div', { class: 'terminal-page' },
    h('div', { class: 'term-toolbar' },
      h('a', { href: '#/agents', class: 'button small subtle', 'aria-label': 'Back to agents' }, '←'),
      h('h1', { class: 'term-title' }, address),
      statusBadge,
      h('div', { class: 'term-tools' }, launchButton, stopButton, redrawButton, fitButton,
        h('a', { class: 'button small subtle', href: `#/messages/${encodeURIComponent(address)}` }, 'Message'))),
    banners, screen, keysBar));

  // ------------------------------------------------------------ xterm assets
  let available = true;
  try {
    const assets = await ctx.api.get('/api/v1/web/assets');
    available = !!(assets && assets.xterm);
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  let xterm = null;
  if (available) {
    try {
      xterm = await import('/vendor/xterm/xterm.js');
    } catch (error) {
      console.error(error);
      available = false;
    }
  }
  if (!ctx.isCurrent()) return undefined;
  if (!available || !xterm || !xterm.Terminal) {
    clear(screen, notice('error', h('strong', null, 'The terminal component (xterm.js) is missing. '),
      'The daemon serves it from ', h('code', null, 'Sources/WhatsAgentServer/Web/vendor/xterm/'),
      ', which ', h('code', null, 'make web-assets'), ' (part of ', h('code', null, 'make build'), ') downloads. Run it and reload this page.'));
    screen.classList.add('term-missing');
    keysBar.hidden = true;
    redrawButton.disabled = true;
    fitButton.disabled = true;
    window.__waTerminalText = () => '';
    return () => { delete window.__waTerminalText; };
  }

  const narrow = window.matchMedia('(max-width: 640px)').matches;
  const restoreStyles = cspSafeStyles();
  const term = new xterm.Terminal({
    cursorBlink: true,
    convertEol: false,
    scrollback: 5000,
    fontFamily: '"DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace',
    fontSize: narrow ? 12 : 14,
    // At line height 1 the row is exactly the font's ascent + descent, rounded down at device scale 1, and the row
    // clips what sits on the descent line: underscores vanished (`snake_case` read `snake case`). A little leading
    // puts the whole glyph box inside the row.
    lineHeight: 1.15,
    theme: { background: '#111318', foreground: '#e6e6e6', cursor: '#e6e6e6', selectionBackground: '#3b4252' },
    allowProposedApi: false,
  });
  const fit = new xterm.FitAddon();
  term.loadAddon(fit);
  if (xterm.WebLinksAddon) {
    term.loadAddon(new xterm.WebLinksAddon((event, uri) => {
      if (/^https?:\/\//i.test(uri)) window.open(uri, '_blank', 'noopener,noreferrer');
    }));
  }
  term.open(screen);
  window.__waTerminalText = () => {
    const buffer = term.buffer.active;
    const lines = [];
    for (let i = 0; i < buffer.length; i += 1) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  window.__waTerminalCols = () => term.cols;

  // ------------------------------------------------------------ state
  let socket = null;
  let offset = null; // next byte offset expected; null → full restore
  let disposed = false;
  let attempt = 0;
  let retryTimer = null;
  let ended = false;
  let ctrlArmed = false;
  let remoteSize = null;
  let live = false;
  const decoderReset = () => {};

  function setStatus(text, kind) {
    clear(statusBadge, badge(text, kind, { 'data-testid': 'terminal-status' }));
  }

  function banner(id, kind, ...children) {
    let el = banners.querySelector(`[data-banner="${id}"]`);
    if (!children.length) { if (el) el.remove(); return; }
    const content = notice(kind, ...children);
    content.dataset.banner = id;
    if (el) el.replaceWith(content); else banners.append(content);
  }

  function send(object) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(object));
      return true;
    }
    return false;
  }

  function sendResize() {
    if (term.cols && term.rows) send({ type: 'resize', cols: term.cols, rows: term.rows });
  }

  function doFit(announce = true) {
    try { fit.fit(); } catch { /* not visible yet */ }
    remoteSize = null;
    if (announce) sendResize();
  }

  // ------------------------------------------------------------ connection
  function streamURL() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const from = offset === null ? '' : `&from=${offset}`;
    return `${scheme}//${location.host}${agentPath('/terminal/stream')}?csrf=${encodeURIComponent(getCsrfToken() || '')}${from}`;
  }

  function connect() {
    if (disposed || ended) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    const ws = new WebSocket(streamURL());
    ws.binaryType = 'arraybuffer';
    socket = ws;
    let subscribed = false;
    ws.addEventListener('message', (message) => {
      if (socket !== ws) return;
      if (typeof message.data !== 'string') {
        const bytes = new Uint8Array(message.data);
        term.write(bytes);
        if (offset !== null) offset += bytes.length;
        return;
      }
      let frame;
      try { frame = JSON.parse(message.data); } catch { return; }
      switch (frame.type) {
        case 'subscribed': {
          subscribed = true;
          attempt = 0;
          if (offset === null) term.reset();
          else if (frame.startOffset > offset) term.write(`\r\n\x1b[33m[${frame.startOffset - offset} bytes of output were dropped while disconnected]\x1b[0m\r\n`);
          offset = frame.startOffset;
          setStatus('live', 'ok');
          banner('reconnect');
          banner('ended');
          live = true;
          updateButtons();
          if (frame.attention) showAttention(true);
          doFit(true);
          term.focus();
          break;
        }
        case 'resized':
          if (frame.cols !== term.cols || frame.rows !== term.rows) {
            remoteSize = { cols: frame.cols, rows: frame.rows };
            term.resize(frame.cols, frame.rows);
          }
          break;
        case 'attention':
          showAttention(!!frame.attention);
          break;
        case 'exited':
          showEnded(frame.reason, frame.exitCode);
          break;
        case 'error':
          banner('error', 'error', frame.message || frame.code);
          break;
        default:
          break;
      }
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      if (disposed || ended) return;
      live = false;
      updateButtons();
      if (!subscribed) {
        // The upgrade was refused (agent not running) or the daemon is down: ask the REST API which one.
        checkAgent();
        return;
      }
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    if (disposed || ended || retryTimer) return;
    const delay = Math.min(10000, 400 * 2 ** Math.min(attempt, 5));
    attempt += 1;
    setStatus('reconnecting…', 'warn');
    banner('reconnect', 'warn', 'The connection to the terminal dropped. Reconnecting…');
    retryTimer = setTimeout(() => { retryTimer = null; connect(); }, delay);
  }

  async function checkAgent() {
    let agent;
    try {
      agent = await ctx.api.get(agentPath());
    } catch (error) {
      if (disposed) return;
      if (error.status === 404) {
        clear(screen, notice('error', `There is no agent ${address} in this workspace.`));
        setStatus('unknown agent', 'danger');
        ended = true;
        return;
      }
      scheduleReconnect();
      return;
    }
    if (disposed) return;
    const s = agent.session;
    if (s && !s.endedAt && s.kind === 'managed' && s.runnerAlive !== false) {
      if (s.pendingNudge) showNudge(true);
      scheduleReconnect();
      return;
    }
    if (s && !s.endedAt && s.kind === 'external') {
      ended = true;
      setStatus('external session', 'neutral');
      banner('ended', 'info', `${address} runs in a terminal you started yourself (connected externally), so there is no terminal to show here.`);
      updateButtons();
      return;
    }
    showEnded(s && s.endReason, s ? s.exitCode : null, s && s.endedAt, true);
    if (s && s.exitTail && offset === null) {
      term.reset();
      term.write(s.exitTail.replace(/\r?\n/g, '\r\n'));
    }
  }

  function showEnded(reason, exitCode, endedAt, neverConnected = false) {
    ended = true;
    live = false;
    showAttention(false);
    showNudge(false);
    const code = exitCode !== null && exitCode !== undefined ? ` with exit code ${exitCode}` : '';
    setStatus(neverConnected && !reason ? 'not running' : 'exited', neverConnected && !reason ? 'neutral' : 'warn');
    banner('reconnect');
    banner('ended', neverConnected && !reason ? 'info' : 'warn',
      neverConnected && !reason ? `${address} is not running.` : [`${address} exited${code}`, reason ? ` (${reason})` : '', endedAt ? [' ', timeEl(endedAt)] : '', '.'],
      ' ', h('button', { type: 'button', class: 'button small primary', onClick: launch }, 'Launch'));
    updateButtons();
  }

  function showAttention(on) {
    if (on) banner('attention', 'warn', h('strong', null, 'Waiting for approval. '), 'The agent asks for confirmation in the terminal below.');
    else banner('attention');
  }

  function showNudge(on) {
    if (!on) { banner('nudge'); return; }
    banner('nudge', 'info', h('strong', null, 'Mail is waiting for this agent. '),
      'It could not be nudged automatically (it was busy or you were typing). ',
      h('button', { type: 'button', class: 'button small primary', 'data-testid': 'insert-nudge', onClick: () => {
        if (send({ type: 'nudge' })) { showNudge(false); term.focus(); } else toast('The terminal is not connected.', { kind: 'warn' });
      } }, 'Insert the nudge'));
  }

  function updateButtons() {
    launchButton.hidden = true; // the 'not running' / 'exited' banner carries the Launch button
    stopButton.hidden = !live;
    redrawButton.disabled = !live;
  }

  async function launch() {
    launchButton.disabled = true;
    try {
      await ctx.api.post(agentPath('/launch'));
      ended = false;
      offset = null;
      attempt = 0;
      banner('ended');
      term.reset();
      connect();
    } catch (error) {
      launchError(error, address, ctx);
    } finally {
      launchButton.disabled = false;
    }
  }

  async function stop() {
    if (!(await ctx.ui.confirmDialog(`Stop ${address}?`, { confirmLabel: 'Stop', danger: true }))) return;
    stopButton.disabled = true;
    try {
      await ctx.api.post(agentPath('/stop'));
    } catch (error) {
      showError(error);
    } finally {
      stopButton.disabled = false;
    }
  }

  // ------------------------------------------------------------ input
  function sendInput(data) {
    if (ctrlArmed) {
      ctrlArmed = false;
      ctrlButton.setAttribute('aria-pressed', 'false');
      if (data.length === 1) {
        const code = data.toUpperCase().charCodeAt(0);
        if (code >= 64 && code <= 95) data = String.fromCharCode(code - 64);
        else if (data === ' ') data = '\x00';
        else if (data === '?') data = '\x7f';
      }
    }
    if (!send({ type: 'input', data })) toast('The terminal is not connected: the keys were not sent.', { kind: 'warn', timeout: 2500 });
  }
  term.onData(sendInput);
  term.onResize(() => { if (!remoteSize) sendResize(); });

  const keep = (event) => event.preventDefault(); // keep the focus (and the phone keyboard) in the terminal
  keysBar.addEventListener('mousedown', keep);
  keysBar.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button === ctrlButton) {
      ctrlArmed = !ctrlArmed;
      ctrlButton.setAttribute('aria-pressed', String(ctrlArmed));
    } else if (button.dataset.seq) {
      sendInput(button.dataset.seq);
    }
    term.focus();
  });
  redrawButton.addEventListener('click', () => { send({ type: 'redraw' }); term.focus(); });
  fitButton.addEventListener('click', () => { doFit(true); term.focus(); });
  launchButton.addEventListener('click', launch);
  stopButton.addEventListener('click', stop);

  let resizeTimer = null;
  const onWindowResize = () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => doFit(true), 120); };
  window.addEventListener('resize', onWindowResize);
  const observer = new ResizeObserver(onWindowResize);
  observer.observe(screen);

  ctx.events.on('nudge_pending', (event) => { if (event.agent === address) showNudge(!!event.pending); });
  ctx.events.on('attention', (event) => { if (event.agent === address) showAttention(!!event.attention); });
  ctx.events.on('session_ended', (event) => {
    if (event.agent === address && !ended) showEnded(event.reason, event.exitCode);
  });
  const revive = async () => {
    if (!ended || disposed) return;
    try {
      const agent = await ctx.api.get(agentPath());
      const s = agent.session;
      if (s && !s.endedAt && s.kind === 'managed' && ended && !disposed) {
        ended = false;
        offset = null;
        banner('ended');
        connect();
      }
    } catch { /* ignore */ }
  };
  ctx.events.on('agents', revive);
  ctx.events.on('resync', () => { if (!socket && !ended) { attempt = 0; connect(); } else revive(); });

  setStatus('connecting…', 'neutral');
  doFit(false);
  connect();

  return () => {
    disposed = true;
    clearTimeout(retryTimer);
    clearTimeout(resizeTimer);
    window.removeEventListener('resize', onWindowResize);
    observer.disconnect();
    if (socket) { const ws = socket; socket = null; ws.close(1000); }
    term.dispose();
    restoreStyles();
    delete window.__waTerminalText;
    delete window.__waTerminalCols;
    decoderReset();
  };
}

/**
 * xterm.js's DOM renderer writes its dynamic rules (cell sizes, colours, font) into `<style>` elements and some cell
 * colours (24-bit ones) with `setAttribute('style', …)`; the self-only CSP refuses both, and every refusal is a
 * violation report. While the terminal lives, `document.createElement` hands xterm a hidden placeholder instead of a
 * `<style>`, whose text goes into a constructed stylesheet (CSSOM, allowed by the CSP), and elements whose `style`
 * attribute is set through `style.cssText` (CSSOM too). The app creates no `<style>` of its own (the CSP forbids it).
 * Returns the function that undoes it.
 */
function cspSafeStyles() {
  if (!('adoptedStyleSheets' in document) || typeof CSSStyleSheet !== 'function') return () => {};
  const sheets = [];
  const adopt = () => {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets.filter((s) => !sheets.includes(s)), ...sheets];
  };
  const nativeSetAttribute = Element.prototype.setAttribute;
  function setAttribute(name, value) {
    if (String(name).toLowerCase() === 'style') this.style.cssText = String(value);
    else nativeSetAttribute.call(this, name, value);
  }
  const nativeCreate = Document.prototype.createElement;
  document.createElement = function createElement(tag, options) {
    if (String(tag).toLowerCase() !== 'style') {
      const element = nativeCreate.call(document, tag, options);
      element.setAttribute = setAttribute;
      return element;
    }
    const holder = nativeCreate.call(document, 'wa-xterm-style');
    holder.hidden = true;
    const sheet = new CSSStyleSheet();
    let text = '';
    Object.defineProperty(holder, 'textContent', {
      get: () => text,
      set: (value) => {
        text = String(value ?? '');
        try { sheet.replaceSync(text); } catch (error) { console.warn('terminal style', error); }
      },
    });
    sheets.push(sheet);
    adopt();
    return holder;
  };
  return () => {
    delete document.createElement;
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !sheets.includes(s));
  };
}
