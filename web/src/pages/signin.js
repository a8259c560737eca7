// Sign in with a user name and an API key (sent once, in the body of a
// JSON POST; never put in a URL or kept by the page), and the purpose
// where the hub requires one.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { ApiError, post } from '../api.js';
import { t } from '../i18n.js';
import { Field, Notice, errorText } from '../components/ui.js';

export function SignIn({ why, onSession, LangSwitch, onLang }) {
  const [user, setUser] = useState('');
  const [key, setKey] = useState('');
  const [purpose, setPurpose] = useState('');
  const [needPurpose, setNeedPurpose] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await post('/api/v1/session', { user, key, purpose: purpose || null }, { quiet401: true });
      setKey('');
      onSession(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.body.title === 'purpose required') setNeedPurpose(true);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const message =
    error && error.status === 401 ? t('signin.failed') : error && error.status === 400 && needPurpose ? t('error.purpose') : errorText(error);
  return html`<div class="signin-page">
    <header class="top"><div class="brand"><span class="logo" aria-hidden="true">V</span><span>${t('app.title')}</span></div>
      <${LangSwitch} onChange=${onLang} /></header>
    <main id="main" class="narrow" tabindex="-1">
      <h1>${t('signin.title')}</h1>
      <p>${t('signin.intro')}</p>
      ${why === 'expired' ? html`<${Notice} kind="warn">${t('signin.expired')}<//>` : null}
      ${why === 'signedOut' ? html`<${Notice} kind="info">${t('signin.signedOut')}<//>` : null}
      <${Notice} kind="error">${message}<//>
      <form onSubmit=${submit} class="card">
        <${Field} label=${t('signin.user')} value=${user} onInput=${setUser} required autocomplete="username" name="username" dir="ltr" />
        <${Field} label=${t('signin.key')} value=${key} onInput=${setKey} type="password" required autocomplete="current-password"
          name="key" hint=${t('signin.keyHint')} dir="ltr" />
        <${Field} label=${t('signin.purpose')} value=${purpose} onInput=${setPurpose} required=${needPurpose}
          hint=${t('signin.purposeHint')} name="purpose" />
        <button type="submit" disabled=${busy}>${t('signin.submit')}</button>
      </form>
    </main>
  </div>`;
}

export function PurposeForm({ session, onSession }) {
  const [purpose, setPurpose] = useState(session.purpose || '');
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    try {
      onSession(await post('/api/v1/session/purpose', { purpose }));
    } catch (err) {
      setError(err);
    }
  };
  return html`<form onSubmit=${submit} class="inline-form">
    <${Notice} kind="error">${errorText(error)}<//>
    <${Field} label=${t('signin.purpose')} value=${purpose} onInput=${setPurpose} required=${session.purpose_required}
      hint=${t('signin.purposeHint')} />
    <button type="submit">${t('purpose.save')}</button>
  </form>`;
}
