// Sign in with the password, or reset it with the recovery code.
import { h, clear, field, notice, copyButton, errorText } from '../ui.js';

export async function render(root, ctx) {
  showLogin(ctx.message);

  function card(...children) {
    clear(root, h('section', { class: 'card auth-card' }, children));
  }

  // The daemon locks the sign-in for 15 minutes after 5 failures within 60 s (docs/security.md). This tab counts its
  // own failures of the last minute to warn before the lock (other tabs or clients may add to the daemon's count).
  const LOCK_AFTER = 5;
  const WINDOW_MS = 60_000;
  const failures = [];

  function lockedText(err) {
    if (err.code === 'invalid_credentials') {
      const now = Date.now();
      failures.push(now);
      while (failures.length && now - failures[0] > WINDOW_MS) failures.shift();
      const left = LOCK_AFTER - failures.length;
      const warning = left > 0
        ? ` ${failures.length} of ${LOCK_AFTER} failed attempts within a minute: ${left === 1 ? 'one more' : `${left} more`} and the sign-in locks for 15 minutes.`
        : ' The sign-in may now be locked for 15 minutes.';
      return `Wrong password or code.${warning}`;
    }
    return errorText(err);
  }

  function showLogin(message) {
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'login-submit' }, 'Sign in');
    const form = h('form', { class: 'form', 'aria-label': 'Sign in' },
      field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password', id: 'login-password' }),
      error, submit);
    card(h('h1', null, 'Sign in to WhatsAgent'), message ? notice('info', message) : null, form,
      h('p', { class: 'auth-alt' }, h('button', { type: 'button', class: 'button subtle small', 'data-testid': 'use-recovery', onClick: () => showRecover() }, 'Forgot the password? Use the recovery code')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      submit.disabled = true;
      try {
        const result = await ctx.api.post(`/api/v1/auth/login${returnQuery()}`, { password: form.elements.password.value });
        await ctx.onLoggedIn(result);
      } catch (err) {
        error.textContent = lockedText(err);
        error.hidden = false;
        form.elements.password.select();
      } finally {
        submit.disabled = false;
      }
    });
    form.elements.password.focus();
  }

  function showRecover() {
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'recover-submit' }, 'Reset password and sign in');
    const form = h('form', { class: 'form', 'aria-label': 'Reset with the recovery code' },
      field({ name: 'recoveryCode', label: 'Recovery code', required: true, autocomplete: 'one-time-code', id: 'recover-code' }),
      field({ name: 'newPassword', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', help: 'At least 8 characters. Other sessions are signed out.', id: 'recover-password' }),
      error, submit);
    card(h('h1', null, 'Reset the password'), form,
      h('p', { class: 'auth-alt' }, h('button', { type: 'button', class: 'button subtle small', onClick: () => showLogin() }, 'Back to sign in')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      submit.disabled = true;
      try {
        const result = await ctx.api.post('/api/v1/auth/recover', { recoveryCode: form.elements.recoveryCode.value.trim(), newPassword: form.elements.newPassword.value });
        const code = result.recoveryCode || '';
        const cont = h('button', { type: 'button', class: 'button primary', onClick: () => ctx.onLoggedIn(result) }, 'I saved it — continue');
        card(h('h1', null, 'Your new recovery code'),
          notice('warn', 'The old code no longer works. This one is shown only once.'),
          h('div', { class: 'recovery-code' }, h('code', { 'data-testid': 'recovery-code' }, code), copyButton(code)), cont);
        cont.focus();
      } catch (err) {
        error.textContent = lockedText(err);
        error.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
    form.elements.recoveryCode.focus();
  }
}

function returnQuery() {
  const ret = new URLSearchParams(location.search).get('return');
  return ret ? `?return=${encodeURIComponent(ret)}` : '';
}
