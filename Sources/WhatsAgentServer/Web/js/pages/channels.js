// Channels: list, the timeline of root posts with their threads, post and reply as human-web.
import { h, clear, markdown, timeEl, notice, emptyState, toast, showError, formDialog, loading, useStyles } from '../ui.js';

export async function render(root, ctx) {
  useStyles('/css/messages.css');
  const { api } = ctx;
  const list = h('nav', { class: 'thread-list', 'aria-label': 'Channels' });
  const pane = h('section', { class: 'thread-pane' });
  let current = ctx.params.id;
  let openThread = ctx.params.query.get('thread');
  clear(root, h('div', { class: ['messages-page', 'channels-page', current ? 'has-peer' : 'no-peer'] }, list, pane));

  let channels = [];

  async function loadList() {
    try {
      const data = await api.get(ctx.wsPath('/channels'));
      if (!ctx.isCurrent()) return;
      channels = data.channels || [];
      if (!current && channels.length && window.matchMedia('(min-width: 821px)').matches) {
        location.replace(`#/channels/${encodeURIComponent(channels[0].name)}`);
        return;
      }
      clear(list,
        h('div', { class: 'thread-list-head' }, h('h1', null, 'Channels'), h('button', { type: 'button', class: 'button small', onClick: create }, 'New')),
        h('ul', null, channels.map((c) => h('li', null, h('a', {
          href: `#/channels/${encodeURIComponent(c.name)}`, class: ['thread-link', c.name === current && 'active'], 'aria-current': c.name === current ? 'page' : null,
        }, h('span', { class: 'channel-hash', 'aria-hidden': 'true' }, '#'),
        h('span', { class: 'thread-link-text' }, h('span', { class: 'thread-peer' }, c.name), h('span', { class: 'thread-preview muted' }, `${c.posts} post${c.posts === 1 ? '' : 's'}`)))))));
    } catch (error) {
      if (ctx.isCurrent()) clear(list, notice('error', ctx.ui.errorText(error)));
    }
  }

  async function create() {
    const result = await formDialog({
      title: 'New channel',
      submitLabel: 'Create',
      fields: [{ name: 'name', label: 'Name', required: true, placeholder: 'design', id: 'channel-name' }],
      onSubmit: (values) => api.post(ctx.wsPath('/channels'), { name: values.name.trim().replace(/^#/, '') }),
    });
    if (result) ctx.navigate('channels', result.name);
  }

  const timeline = h('ol', { class: 'bubbles channel-timeline', 'aria-live': 'polite', 'data-testid': 'channel-posts' });
  const threadBox = h('aside', { class: 'channel-thread', hidden: true, 'aria-label': 'Thread' });

  function composer(placeholder, onSend) {
    const input = h('textarea', { rows: 2, placeholder, 'aria-label': placeholder });
    const submit = h('button', { type: 'submit', class: 'button primary' }, 'Send');
    const form = h('form', { class: 'compose' }, input, submit);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!input.value.trim()) return;
      submit.disabled = true;
      try {
        await onSend(input.value);
        input.value = '';
      } catch (error) {
        showError(error, 'Not posted');
      } finally {
        submit.disabled = false;
        input.focus();
      }
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
    });
    return form;
  }

  let posts = [];

  function postItem(post, replies) {
    return h('li', { class: ['bubble', post.from === 'human-web' ? 'out' : 'in'], dataset: { id: post.id } },
      h('div', { class: 'bubble-from' }, post.from === 'human-web' ? 'You' : post.from),
      h('div', { class: 'bubble-body' }, markdown(post.body)),
      h('div', { class: 'bubble-meta' }, timeEl(post.sentAt),
        replies !== undefined ? h('button', { type: 'button', class: 'button small subtle', onClick: () => showThread(post.id) },
          replies ? `${replies} repl${replies === 1 ? 'y' : 'ies'}` : 'Reply') : null));
  }

  function draw() {
    const roots = posts.filter((p) => !p.rootId || p.rootId === p.id);
    const counts = new Map();
    for (const p of posts) if (p.rootId && p.rootId !== p.id) counts.set(p.rootId, (counts.get(p.rootId) || 0) + 1);
    clear(timeline, roots.length ? roots.map((p) => postItem(p, counts.get(p.id) || 0)) : h('li', { class: 'muted bubble-empty' }, 'No posts yet.'));
    if (openThread) showThread(openThread, false);
  }

  // The open thread's frame (head, list, composer) is built once per thread; live updates only redraw its list, so a
  // reply being typed keeps its text and focus when another post arrives.
  let threadFrame = null;

  function showThread(rootId, scroll = true) {
    openThread = rootId;
    const rootPost = posts.find((p) => p.id === rootId);
    if (!rootPost) { threadBox.hidden = true; threadFrame = null; return; }
    const replies = posts.filter((p) => p.rootId === rootId && p.id !== rootId);
    threadBox.hidden = false;
    if (!threadFrame || threadFrame.rootId !== rootId) {
      const list = h('ol', { class: 'bubbles' });
      threadFrame = { rootId, list };
      clear(threadBox,
        h('div', { class: 'thread-head' }, h('h2', null, 'Thread'), h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close the thread', onClick: () => { openThread = null; threadFrame = null; threadBox.hidden = true; } }, '×')),
        list,
        composer('Reply in the thread', async (body) => {
          await api.post(ctx.wsPath(`/channels/${encodeURIComponent(current)}/posts`), { body, replyTo: rootId });
          await loadPosts();
        }));
    }
    clear(threadFrame.list, postItem(rootPost), replies.map((p) => postItem(p)));
    if (scroll) threadBox.scrollIntoView({ block: 'nearest' });
  }

  async function loadPosts() {
    if (!current) return;
    try {
      const data = await api.get(`${ctx.wsPath(`/channels/${encodeURIComponent(current)}/posts`)}?limit=100`);
      if (!ctx.isCurrent()) return;
      posts = (data.posts || []).slice().sort((a, b) => a.sentAt.localeCompare(b.sentAt));
      const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
      draw();
      if (atBottom || timeline.dataset.loaded !== 'yes') timeline.scrollTop = timeline.scrollHeight;
      timeline.dataset.loaded = 'yes';
    } catch (error) {
      if (ctx.isCurrent()) clear(timeline, h('li', null, notice('error', ctx.ui.errorText(error))));
    }
  }

  if (current) {
    clear(pane,
      h('header', { class: 'thread-head' }, h('a', { href: '#/channels', class: 'button small subtle thread-back', 'aria-label': 'All channels' }, '←'), h('h2', null, `#${current}`)),
      ctx.workspaceInfo && ctx.workspaceInfo.topology !== 'channel'
        ? notice('info', `This workspace uses the ${ctx.workspaceInfo.topology} topology: you can read the channels, but posting needs the channel topology (`, h('a', { href: '#/settings/topology' }, 'Settings → Topology'), ').')
        : null,
      h('div', { class: 'channel-body' }, h('div', { class: 'channel-main' }, timeline,
        composer(`Post in #${current}`, async (body) => {
          await api.post(ctx.wsPath(`/channels/${encodeURIComponent(current)}/posts`), { body });
          await loadPosts();
        })), threadBox));
    clear(timeline, loading());
  } else {
    clear(pane, h('div', { class: 'thread-placeholder' }, emptyState('Pick a channel', 'Channels are shared timelines every agent can read.')));
  }

  let timer = null;
  const refresh = () => { clearTimeout(timer); timer = setTimeout(() => { loadPosts(); loadList(); }, 100); };
  ctx.events.on('message', (event) => { if (event.channel) refresh(); });
  ctx.events.on('channels', refresh);
  ctx.events.on('resync', refresh);
  clear(list, loading());
  await Promise.all([loadList(), loadPosts()]);
  void toast;
  return () => clearTimeout(timer);
}
