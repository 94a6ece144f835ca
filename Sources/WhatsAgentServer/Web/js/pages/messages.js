// Messages: WhatsApp-style threads between human-web and each agent, delivery ticks, rejected messages, broadcast,
// search (a hit opens its thread at the message), "jump to latest" and an unread marker. The page follows the
// workspace's topology: in the channel topology direct messages are refused, so it points to the channels instead of
// offering a composer that always fails; nobody writes to human-web (that is the human).
import { h, clear, markdown, timeEl, notice, emptyState, toast, showError, formDialog, loading, useStyles } from '../ui.js';
import { presence } from './agents.js';
import { TICKS, tickTitle } from './message-ticks.js';

const HUMAN = 'human-web';

/** Where the human stopped reading a thread: the newest `sentAt` seen at the bottom of it (per browser). */
const readKey = (workspace, peer) => `whatsagent.read.${workspace}.${peer}`;
export const lastRead = (workspace, peer) => localStorage.getItem(readKey(workspace, peer));
function markRead(workspace, peer, sentAt) {
  const previous = lastRead(workspace, peer);
  if (sentAt && (!previous || sentAt > previous)) localStorage.setItem(readKey(workspace, peer), sentAt);
}

export async function render(root, ctx) {
  useStyles('/css/messages.css');
  const { api } = ctx;
  const peer = ctx.params.id;
  const hit = ctx.params.query.get('hit');
  const channelTopology = ctx.workspaceInfo?.topology === 'channel';
  const searchBox = h('input', { type: 'search', placeholder: 'Search messages', 'aria-label': 'Search messages', 'data-testid': 'message-search', 'data-page-search': '', maxlength: 200 });
  const listBody = h('div', { class: 'thread-list-body' });
  const broadcastButton = h('button', {
    type: 'button', class: 'button small', disabled: channelTopology, 'data-testid': 'broadcast',
    title: channelTopology ? 'Broadcast is only available in the star and peer-to-peer topologies' : 'Send one message to every online agent',
    onClick: () => broadcast(),
  }, 'Broadcast');
  const list = h('nav', { class: 'thread-list', 'aria-label': 'Conversations' },
    h('div', { class: 'thread-list-head' },
      h('div', { class: 'thread-list-title' }, h('h1', null, 'Messages'), broadcastButton),
      h('form', { role: 'search', class: 'thread-search', onSubmit: (e) => e.preventDefault() }, searchBox)),
    listBody);
  const pane = h('section', { class: 'thread-pane', 'aria-label': peer ? `Conversation with ${peer}` : 'Conversation' });
  clear(root, h('div', { class: ['messages-page', peer ? 'has-peer' : 'no-peer'] }, list, pane));

  let agents = [];
  let lastByPeer = new Map();
  let searching = false;

  async function loadList() {
    try {
      const [agentList, recent] = await Promise.all([api.get(ctx.wsPath('/agents')), api.get(`${ctx.wsPath('/messages')}?limit=500`)]);
      if (!ctx.isCurrent()) return;
      agents = agentList.agents || [];
      lastByPeer = new Map();
      for (const m of recent.messages || []) {
        const other = m.from === HUMAN ? m.to : m.from;
        if (other !== HUMAN) lastByPeer.set(other, m);
      }
      if (!searching) drawList();
    } catch (error) {
      if (ctx.isCurrent()) clear(listBody, notice('error', ctx.ui.errorText(error)));
    }
  }

  function drawList() {
    const peers = agents.map((a) => a.address);
    for (const other of lastByPeer.keys()) if (!peers.includes(other)) peers.push(other);
    peers.sort((a, b) => {
      const ma = lastByPeer.get(a);
      const mb = lastByPeer.get(b);
      if (ma && mb) return mb.sentAt.localeCompare(ma.sentAt);
      if (ma) return -1;
      if (mb) return 1;
      return a.localeCompare(b);
    });
    clear(listBody, peers.length ? h('ul', null, peers.map((address) => {
      const agent = agents.find((a) => a.address === address);
      const last = lastByPeer.get(address);
      const p = agent ? presence(agent) : { cls: 'offline', label: 'removed' };
      const read = lastRead(ctx.workspace, address);
      const unread = last && last.from !== HUMAN && address !== peer && (!read || last.sentAt > read);
      return h('li', null, h('a', {
        href: `#/messages/${encodeURIComponent(address)}`, class: ['thread-link', address === peer && 'active', unread && 'unread'], 'aria-current': address === peer ? 'page' : null,
        dataset: { peer: address },
      },
      h('span', { class: ['dot', p.cls], title: p.label }),
      h('span', { class: 'thread-link-text' },
        h('span', { class: 'thread-peer' }, address, agent && agent.isMain ? h('span', { class: 'badge badge-accent' }, 'main') : null,
          unread ? h('span', { class: 'badge badge-warn', 'data-testid': 'thread-unread' }, 'new') : null),
        h('span', { class: 'thread-preview muted' }, last ? `${last.from === HUMAN ? 'You: ' : ''}${last.body.slice(0, 80)}` : 'No messages yet')),
      last ? h('span', { class: 'thread-time muted' }, timeEl(last.sentAt)) : null));
    })) : emptyState('No agents', 'Add agents on the Agents page to talk to them.'));
  }

  // ------------------------------------------------------------ search
  let searchTimer = null;
  let searchToken = 0;
  async function search() {
    const q = searchBox.value.trim();
    const token = ++searchToken;
    if (q.length < 2) {
      searching = false;
      drawList();
      return;
    }
    searching = true;
    try {
      const data = await api.get(`${ctx.wsPath('/messages/search')}?q=${encodeURIComponent(q)}&limit=50`);
      if (!ctx.isCurrent() || token !== searchToken) return;
      clear(listBody,
        h('p', { class: 'muted search-summary', 'data-testid': 'search-summary' },
          data.total ? `${data.total} message${data.total === 1 ? '' : 's'}${data.truncated ? `, the best ${data.results.length} shown` : ''}` : `No message matches “${q}”.`),
        h('ul', { 'data-testid': 'search-results' }, data.results.map((r) => {
          const other = r.from === HUMAN ? r.to : r.from;
          return h('li', null, h('a', {
            href: `#/messages/${encodeURIComponent(other)}?hit=${encodeURIComponent(r.id)}`, class: 'thread-link search-hit', dataset: { message: r.id },
          }, h('span', { class: 'thread-link-text' },
            h('span', { class: 'thread-peer' }, r.from === HUMAN ? `You → ${r.to}` : `${r.from}${r.kind === 'broadcast' ? ' (broadcast)' : ''}`),
            h('span', { class: 'thread-preview search-preview' }, r.preview)),
          h('span', { class: 'thread-time muted' }, timeEl(r.sentAt))));
        })));
    } catch (error) {
      if (ctx.isCurrent() && token === searchToken) clear(listBody, notice('error', ctx.ui.errorText(error)));
    }
  }
  searchBox.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(search, 200); });
  searchBox.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && searchBox.value) { event.stopPropagation(); searchBox.value = ''; search(); }
  });

  // ------------------------------------------------------------ the open thread
  const log = h('ol', { class: 'bubbles', 'aria-live': 'polite', 'data-testid': 'thread' });
  const jumpCount = h('span', { class: 'badge badge-accent', hidden: true });
  const jumpButton = h('button', { type: 'button', class: 'button small jump-latest', hidden: true, 'data-testid': 'jump-latest' }, 'Jump to latest ↓', jumpCount);
  const input = h('textarea', { rows: 2, placeholder: 'Write a message…', title: 'Markdown. Enter sends, Shift+Enter starts a new line.', 'aria-label': 'Message', 'data-testid': 'compose', maxlength: 65536 });
  const sendButton = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'send' }, 'Send');
  const compose = h('form', { class: 'compose' }, input, sendButton);
  let unreadBefore = null; // id of the first unread message when the thread was opened (the marker stays there)
  let newest = null;
  let seenIds = new Set();
  let firstLoad = true;

  const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  function updateJump() {
    const bottom = atBottom();
    jumpButton.hidden = bottom;
    if (bottom) {
      jumpCount.hidden = true;
      jumpCount.textContent = '';
      if (newest) markRead(ctx.workspace, peer, newest);
    }
  }
  function scrollToLatest() {
    log.scrollTop = log.scrollHeight;
    updateJump();
  }
  log.addEventListener('scroll', updateJump, { passive: true });
  jumpButton.addEventListener('click', scrollToLatest);

  async function loadThread() {
    if (!peer || peer === HUMAN) return;
    try {
      const data = await api.get(`${ctx.wsPath('/messages')}?peer=${encodeURIComponent(peer)}&limit=200`);
      if (!ctx.isCurrent()) return;
      const messages = data.messages || [];
      const wasAtBottom = atBottom();
      if (firstLoad) {
        const read = lastRead(ctx.workspace, peer);
        const first = read ? messages.find((m) => m.from !== HUMAN && m.sentAt > read) : null;
        unreadBefore = first ? first.id : null;
      }
      const fresh = firstLoad ? [] : messages.filter((m) => !seenIds.has(m.id) && m.from !== HUMAN);
      seenIds = new Set(messages.map((m) => m.id));
      newest = messages.length ? messages[messages.length - 1].sentAt : null;
      clear(log, messages.length ? messages.flatMap((m) => [
        m.id === unreadBefore ? h('li', { class: 'unread-marker', role: 'separator', 'data-testid': 'unread-marker' }, h('span', null, 'Unread messages')) : null,
        bubble(m),
      ]) : h('li', { class: 'muted bubble-empty' }, 'No messages yet. Say hello.'));
      if (firstLoad) {
        firstLoad = false;
        const target = hit ? log.querySelector(`[data-id="${CSS.escape(hit)}"]`) : log.querySelector('.unread-marker');
        if (target) {
          if (hit) target.classList.add('hit');
          target.scrollIntoView({ block: 'center' });
        } else {
          if (hit) log.prepend(h('li', null, notice('info', 'That message is older than the last 200 of this conversation.')));
          log.scrollTop = log.scrollHeight;
        }
      } else if (wasAtBottom) {
        log.scrollTop = log.scrollHeight;
      } else if (fresh.length) {
        jumpCount.hidden = false;
        jumpCount.textContent = String(Number(jumpCount.textContent || 0) + fresh.length);
      }
      updateJump();
    } catch (error) {
      if (ctx.isCurrent()) clear(log, h('li', null, notice('error', ctx.ui.errorText(error))));
    }
  }

  function bubble(message) {
    const mine = message.from === HUMAN;
    const [tick] = TICKS[message.state] || [''];
    const tickLabel = tickTitle(message);
    return h('li', { class: ['bubble', mine ? 'out' : 'in', message.state === 'rejected' && 'rejected'], dataset: { id: message.id, state: message.state } },
      h('div', { class: 'bubble-body' }, markdown(message.body)),
      message.state === 'rejected' ? h('p', { class: 'bubble-rejection' }, 'Not delivered: ', message.rejection || 'refused by the workspace rules') : null,
      h('div', { class: 'bubble-meta' }, timeEl(message.sentAt),
        mine ? h('span', { class: ['tick', `tick-${message.state}`], title: tickLabel, 'aria-label': tickLabel, 'data-testid': 'tick' }, tick) : null));
  }

  async function channelLinks() {
    try {
      const data = await api.get(ctx.wsPath('/channels'));
      const names = (data.channels || []).map((c) => c.name);
      return names.length
        ? h('span', { class: 'channel-links' }, names.map((name) => h('a', { href: `#/channels/${encodeURIComponent(name)}`, class: 'button small' }, `#${name}`)))
        : h('a', { href: '#/channels', class: 'button small' }, 'Channels');
    } catch {
      return h('a', { href: '#/channels', class: 'button small' }, 'Channels');
    }
  }

  if (peer === HUMAN) {
    clear(pane, h('div', { class: 'thread-placeholder' }, emptyState('This is you',
      `${HUMAN} is your own name in WhatsAgent: agents write to it, and you cannot write to yourself. Pick an agent on the left.`)));
  } else if (peer) {
    const head = h('header', { class: 'thread-head' },
      h('a', { href: '#/messages', class: 'button small subtle thread-back', 'aria-label': 'All conversations' }, '←'),
      h('h2', null, peer),
      h('a', { href: `#/terminal/${encodeURIComponent(peer)}`, class: 'button small subtle' }, 'Terminal'));
    const logWrap = h('div', { class: 'bubbles-wrap' }, log, jumpButton);
    if (channelTopology) {
      const where = h('span', null);
      clear(pane, head, logWrap, h('div', { class: 'compose compose-off', 'data-testid': 'channel-topology-note' },
        notice('info', 'This workspace uses the channel topology: direct messages are refused. Talk to the agents in a channel: ', where)));
      channelLinks().then((links) => { if (ctx.isCurrent()) clear(where, links); });
    } else {
      clear(pane, head, logWrap, compose);
    }
    compose.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = input.value;
      if (!body.trim()) return;
      sendButton.disabled = true;
      try {
        const result = await api.post(ctx.wsPath('/messages'), { to: peer, body, clientMessageId: crypto.randomUUID() });
        input.value = '';
        if (!result.recipientOnline && result.message.state !== 'rejected') toast(`${peer} is offline: it gets the message when it connects.`, { timeout: 4000 });
      } catch (error) {
        showError(error, 'Not sent');
      } finally {
        sendButton.disabled = false;
        input.focus();
      }
      await loadThread();
      scrollToLatest();
      loadList();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        compose.requestSubmit();
      }
    });
    clear(log, loading());
  } else if (channelTopology) {
    const where = h('span', null);
    clear(pane, h('div', { class: 'thread-placeholder', 'data-testid': 'channel-topology-note' }, emptyState('This workspace talks in channels',
      'In the channel topology agents and you write in channels; direct messages are refused.', where)));
    channelLinks().then((links) => { if (ctx.isCurrent()) clear(where, links); });
  } else {
    clear(pane, h('div', { class: 'thread-placeholder' }, emptyState('Pick a conversation', 'Choose an agent on the left to read and write messages.')));
  }

  async function broadcast() {
    const result = await formDialog({
      title: 'Broadcast to every online agent',
      submitLabel: 'Broadcast',
      fields: [{ name: 'body', label: 'Message', type: 'textarea', rows: 4, required: true, id: 'broadcast-body' }],
      onSubmit: (values) => api.post(ctx.wsPath('/broadcasts'), { body: values.body }),
    });
    if (result) {
      toast(`Broadcast sent to ${result.online} online agent${result.online === 1 ? '' : 's'}`, { kind: 'ok' });
      loadThread();
      loadList();
    }
  }

  let timer = null;
  const refresh = () => { clearTimeout(timer); timer = setTimeout(() => { loadThread(); loadList(); }, 100); };
  ctx.events.on('message', (event) => {
    if (event.channel) return;
    if (event.from === HUMAN || event.to === HUMAN) refresh();
  });
  ctx.events.on('message_state', refresh);
  ctx.events.on('agents', () => { clearTimeout(timer); timer = setTimeout(loadList, 200); });
  ctx.events.on('resync', refresh);
  clear(listBody, loading());
  await Promise.all([loadList(), loadThread()]);
  if (peer && !channelTopology && peer !== HUMAN && !hit) input.focus();
  return () => { clearTimeout(timer); clearTimeout(searchTimer); };
}
