// First-run setup (/setup?token=…): set the password with the one-time setup token, then show the recovery code once.
import { h, clear, field, notice, copyButton, errorText } from '../ui.js';

export async function render(root, ctx) {
  const token = ctx.token || '';
  if (!ctx.setupRequired) {
    clear(root, h('section', { class: 'card auth-card' },
      h('h1', null, 'WhatsAgent is set up'),
      h('p', null, 'A password is already set. Sign in to continue.'),
      h('a', { class: 'button primary', href: '/login', 'data-testid': 'go-login' }, 'Go to sign in')));
    return;
  }
  if (!token) {
    clear(root, h('section', { class: 'card auth-card' },
      h('h1', null, 'Finish setup with your link'),
      h('p', null, 'To make sure only you can claim this instance, setup needs the one-time link that ',
        h('code', null, 'whatsagent start'), ' printed (it looks like ', h('code', { 'data-testid': 'setup-link-shape' }, `${location.origin}/setup?token=…`), ').'),
      h('p', { class: 'muted' }, 'Lost it? Run ', h('code', null, 'whatsagent auth reset-password'), ' on this machine for a new link.')));
    return;
  }
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'setup-submit' }, 'Set password');
  // Hashing the password (bcrypt, cost 12) takes a moment: say so while it runs.
  const progress = h('p', { class: 'muted setup-progress', role: 'status', hidden: true, 'data-testid': 'setup-progress' },
    'Setting the password and creating your recovery code…');
  const form = h('form', { class: 'form', 'aria-label': 'Set the password' },
    field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'new-password', help: 'At least 8 characters.', id: 'setup-password' }),
    field({ name: 'confirm', label: 'Repeat the password', type: 'password', required: true, autocomplete: 'new-password', id: 'setup-confirm' }),
    error,
    submit,
    progress);
  clear(root, h('section', { class: 'card auth-card' },
    h('h1', null, 'Welcome to WhatsAgent'),
    h('p', { class: 'muted' }, 'Choose the password that protects this browser UI.'),
    form));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const password = form.elements.password.value;
    if (password.length < 8) return showError('The password needs at least 8 characters.');
    if (password !== form.elements.confirm.value) return showError('The two passwords differ.');
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    submit.textContent = 'Setting the password…';
    progress.hidden = false;
    try {
      const result = await ctx.api.post('/api/v1/auth/setup', { token, password });
      showRecovery(result);
    } catch (err) {
      showError(err.code === 'invalid_credentials'
        ? 'This setup link is no longer valid (a newer one was printed, or setup is done). Run `whatsagent auth reset-password` for a new one.'
        : errorText(err));
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
      submit.textContent = 'Set password';
      progress.hidden = true;
    }
  });
  form.elements.password.focus();

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
  }

  function showRecovery(result) {
    const code = result.recoveryCode || '';
    const cont = h('button', { type: 'button', class: 'button primary', 'data-testid': 'setup-continue', onClick: () => ctx.onLoggedIn(result) }, 'I saved it — continue');
    clear(root, h('section', { class: 'card auth-card' },
      h('h1', null, 'Save your recovery code'),
      notice('warn', 'This code is shown only once. It resets the password if you forget it.'),
      h('div', { class: 'recovery-code' }, h('code', { 'data-testid': 'recovery-code' }, code), copyButton(code)),
      h('p', { class: 'muted' }, 'Keep it in a password manager.'),
      cont));
    cont.focus();
  }
}
