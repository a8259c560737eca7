// The application: the session (or the sign-in page), the header with
// the language switch and sign-out, the menu of the pages this role and
// this server offer, and the current page.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { del, get, setCsrf, whenSignedOut } from './api.js';
import { LANGS, currentLang, pickLang, setLang, t, tv } from './i18n.js';
import { href, useRoute } from './router.js';
import { PAGES, available, homePage } from './pages.js';
import { Loading, Notice, errorText } from './components/ui.js';
import { SignIn, PurposeForm } from './pages/signin.js';

setLang(pickLang());

function LangSwitch({ onChange }) {
  return html`<div class="lang">
    <label for="lang-select">${t('app.language')}</label>
    <select id="lang-select" value=${currentLang()} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${Object.keys(LANGS).map((l) => html`<option value=${l} lang=${l}>${LANGS[l]['lang.name']}</option>`)}
    </select>
  </div>`;
}

function Lazy({ page, session, route }) {
  const [mod, setMod] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let live = true;
    setMod(null);
    page.load().then(
      (m) => live && setMod(m),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [page.id]);
  if (error) return html`<${Notice} kind="error">${t('error.network')}<//>`;
  if (!mod) return html`<${Loading} />`;
  const Page = mod.default;
  return html`<${Page} session=${session} route=${route} />`;
}

function Shell({ session, onSignOut, onSession, onLang }) {
  const route = useRoute();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const pageId = route.page || homePage(session);
  const page = PAGES.find((p) => p.id === pageId);
  const menu = PAGES.filter((p) => !p.hidden && available(session, p));
  const signOut = async () => {
    setBusy(true);
    try {
      await del('/api/v1/session');
      onSignOut();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<div class="shell">
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>${t('app.skip')}</a>
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true">V</span><span>${t('app.title')}</span><span class="hub">${session.hub}</span></div>
      <div class="who">
        <span class="user">${t('app.signedInAs', { user: session.user, org: session.org })}</span>
        <span class="role">${tv('role', session.role)}</span>
      </div>
      <${LangSwitch} onChange=${onLang} />
      <button type="button" class="secondary" onClick=${signOut} disabled=${busy}>${t('app.signOut')}</button>
    </header>
    <nav class="menu" aria-label=${t('app.menu')}>
      <ul>
        ${menu.map((p) => html`<li><a href=${href(p.id)} aria-current=${p.id === pageId ? 'page' : undefined}>${t(`nav.${p.id}`)}</a></li>`)}
      </ul>
    </nav>
    <main id="main" tabindex="-1">
      <${Notice} kind="error">${error && errorText(error)}<//>
      ${session.purpose_required || session.purpose
        ? html`<div class="purpose-line"><span>${t('purpose.current', { purpose: session.purpose || '—' })}</span>
            <details><summary>${t('purpose.change')}</summary><${PurposeForm} session=${session} onSession=${onSession} /></details></div>`
        : null}
      ${page && available(session, page)
        ? html`<${Lazy} key=${page.id} page=${page} session=${session} route=${route} />`
        : html`<${Notice} kind="info">${t('error.nopage')}<//>`}
    </main>
  </div>`;
}

export function App() {
  const [, setLangState] = useState(currentLang());
  const [session, setSession] = useState(undefined);
  const [why, setWhy] = useState(null);
  const take = (s) => {
    setCsrf(s && s.csrf);
    setSession(s);
  };
  useEffect(() => {
    whenSignedOut(() => {
      setCsrf(null);
      setSession(null);
      setWhy('expired');
    });
    get('/api/v1/session', { quiet401: true }).then(take, () => take(null));
  }, []);
  const onLang = (l) => {
    setLang(l, true);
    setLangState(l);
  };
  if (session === undefined) return html`<${Loading} />`;
  if (!session)
    return html`<${SignIn} why=${why} onSession=${(s) => { setWhy(null); take(s); }} onLang=${onLang} LangSwitch=${LangSwitch} />`;
  if (session.purpose_required && !session.purpose)
    return html`<main id="main" class="narrow"><h1>${t('purpose.title')}</h1><${PurposeForm} session=${session} onSession=${take} /></main>`;
  return html`<${Shell} key=${currentLang()} session=${session} onSession=${take}
    onSignOut=${() => { take(null); setWhy('signedOut'); location.hash = ''; }} onLang=${onLang} />`;
}
