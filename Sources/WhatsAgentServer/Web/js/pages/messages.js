// Messages: WhatsApp-style threads between human-web and each agent, delivery ticks, rejected messages, broadcast.
import { h, clear, markdown, timeEl, notice, emptyState, toast, showError, formDialog, loading, useStyles } from '../ui.js';
import { presence } from './agents.js';

const TICKS = {
  queued: ['✓', 'Sent (queued for the agent)'],
  pushed: ['✓', 'Sent (the agent was nudged)'],
  delivered: ['✓✓', 'Delivered (the agent read it)'],
  held: ['⏸', 'Held by the loop guard'],
  rejected: ['✕', 'Rejected'],
};

export async function render(root, ctx) {
  useStyles('/css/messages.css');
  const { api } = ctx;
  const peer = ctx.params.id;
  const list = h('nav', { class: 'thread-list', 'aria-label': 'Conversations' });
  const pane = h('section', { class: 'thread-pane', 'aria-label': peer ? `Conversation with ${peer}` : 'Conversation' });
  clear(root, h('div', { class: ['messages-page', peer ? 'has-peer' : 'no-peer'] }, list, pane));

  let agents = [];
  let lastByPeer = new Map();

  async function loadList() {
    try {
      const [agentList, recent] = await Promise.all([api.get(ctx.wsPath('/agents')), api.get(`${ctx.wsPath('/messages')}?limit=500`)]);
      if (!ctx.isCurrent()) return;
      agents = agentList.agents || [];
      lastByPeer = new Map();
      for (const m of recent.messages || []) {
        const other = m.from === 'human-web' ? m.to : m.from;
        lastByPeer.set(other, m);
      }
      drawList();
    } catch (error) {
      if (ctx.isCurrent()) clear(list, notice('error', ctx.ui.errorText(error)));
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
    const topology = ctx.workspaceInfo && ctx.workspaceInfo.topology;
    const canBroadcast = topology !== 'channel';
    clear(list,
      h('div', { class: 'thread-list-head' }, h('h1', null, 'Messages'),
        h('button', {
          type: 'button', class: 'button small', disabled: !canBroadcast, 'data-testid': 'broadcast',
          title: canBroadcast ? 'Send one message to every online agent' : 'Broadcast is only available in the star and peer-to-peer topologies',
          onClick: broadcast,
        }, 'Broadcast')),
      peers.length ? h('ul', null, peers.map((address) => {
        const agent = agents.find((a) => a.address === address);
        const last = lastByPeer.get(address);
        const p = agent ? presence(agent) : { cls: 'offline', label: 'removed' };
        return h('li', null, h('a', {
          href: `#/messages/${encodeURIComponent(address)}`, class: ['thread-link', address === peer && 'active'], 'aria-current': address === peer ? 'page' : null,
          dataset: { peer: address },
        },
        h('span', { class: ['dot', p.cls], title: p.label }),
        h('span', { class: 'thread-link-text' },
          h('span', { class: 'thread-peer' }, address, agent && agent.isMain ? h('span', { class: 'badge badge-accent' }, 'main') : null),
          h('span', { class: 'thread-preview muted' }, last ? `${last.from === 'human-web' ? 'You: ' : ''}${last.body.slice(0, 80)}` : 'No messages yet')),
        last ? h('span', { class: 'thread-time muted' }, timeEl(last.sentAt)) : null));
      })) : emptyState('No agents', 'Add agents on the Agents page to talk to them.'));
  }

  // ------------------------------------------------------------ the open thread
  const log = h('ol', { class: 'bubbles', 'aria-live': 'polite', 'data-testid': 'thread' });
  const input = h('textarea', { rows: 2, placeholder: 'Write a message…', title: 'Markdown. Enter sends, Shift+Enter starts a new line.', 'aria-label': 'Message', 'data-testid': 'compose', maxlength: 65536 });
  const sendButton = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'send' }, 'Send');
  const compose = h('form', { class: 'compose' }, input, sendButton);

  async function loadThread() {
    if (!peer) return;
    try {
      const data = await api.get(`${ctx.wsPath('/messages')}?peer=${encodeURIComponent(peer)}&limit=200`);
      if (!ctx.isCurrent()) return;
      const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      clear(log, data.messages.length ? data.messages.map(bubble) : h('li', { class: 'muted bubble-empty' }, 'No messages yet. Say hello.'));
      if (atBottom || log.dataset.loaded !== 'yes') log.scrollTop = log.scrollHeight;
      log.dataset.loaded = 'yes';
    } catch (error) {
      if (ctx.isCurrent()) clear(log, h('li', null, notice('error', ctx.ui.errorText(error))));
    }
  }

  function bubble(message) {
    const mine = message.from === 'human-web';
    const [tick, tickLabel] = TICKS[message.state] || ['', message.state];
    return h('li', { class: ['bubble', mine ? 'out' : 'in', message.state === 'rejected' && 'rejected'], dataset: { id: message.id, state: message.state } },
      h('div', { class: 'bubble-body' }, markdown(message.body)),
      message.state === 'rejected' ? h('p', { class: 'bubble-rejection' }, 'Not delivered: ', message.rejection || 'refused by the workspace rules') : null,
      h('div', { class: 'bubble-meta' }, timeEl(message.sentAt),
        mine ? h('span', { class: ['tick', `tick-${message.state}`], title: tickLabel, 'aria-label': tickLabel, 'data-testid': 'tick' }, tick) : null));
  }

  if (peer) {
    const agent = () => agents.find((a) => a.address === peer);
    const head = h('header', { class: 'thread-head' },
      h('a', { href: '#/messages', class: 'button small subtle thread-back', 'aria-label': 'All conversations' }, '←'),
      h('h2', null, peer),
      h('a', { href: `#/terminal/${encodeURIComponent(peer)}`, class: 'button small subtle' }, 'Terminal'));
    clear(pane, head, log, compose);
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
      loadList();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        compose.requestSubmit();
      }
    });
    void agent;
    clear(log, loading());
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
    if (event.from === 'human-web' || event.to === 'human-web') refresh();
  });
  ctx.events.on('message_state', refresh);
  ctx.events.on('agents', () => { clearTimeout(timer); timer = setTimeout(loadList, 200); });
  ctx.events.on('resync', refresh);
  clear(list, loading());
  await Promise.all([loadList(), loadThread()]);
  if (peer) input.focus();
  return () => clearTimeout(timer);
}
