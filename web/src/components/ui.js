// Small building blocks shared by the pages. Every server string is
// passed as a child or attribute value, which Preact sets as text: no
// markup from the server is ever parsed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, tv } from '../i18n.js';

let uid = 0;
export function useId(prefix = 'f') {
  const ref = useRef(null);
  if (!ref.current) ref.current = `${prefix}-${++uid}`;
  return ref.current;
}

export function Field({ label, value, onInput, type = 'text', required, hint, autocomplete, name, placeholder, dir }) {
  const id = useId();
  const hid = hint ? `${id}-hint` : undefined;
  return html`<div class="field">
    <label for=${id}>${label}${required ? html`<span class="req" aria-hidden="true"> *</span>` : null}</label>
    <input id=${id} name=${name} type=${type} value=${value} required=${required} autocomplete=${autocomplete || 'off'}
      placeholder=${placeholder} dir=${dir} aria-describedby=${hid}
      onInput=${(e) => onInput(e.currentTarget.value)} />
    ${hint ? html`<p class="hint" id=${hid}>${hint}</p>` : null}
  </div>`;
}

export function TextArea({ label, value, onInput, rows = 3, maxlength }) {
  const id = useId();
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <textarea id=${id} rows=${rows} maxlength=${maxlength} value=${value} onInput=${(e) => onInput(e.currentTarget.value)}></textarea>
  </div>`;
}

export function Select({ label, value, onChange, options }) {
  const id = useId();
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
    </select>
  </div>`;
}

// A message for the user; errors are announced by screen readers.
export function Notice({ kind = 'info', children }) {
  if (!children) return null;
  return html`<div class=${`notice notice-${kind}`} role=${kind === 'error' ? 'alert' : 'status'}>${children}</div>`;
}

export function errorText(e) {
  if (!e) return '';
  if (e.status === 403) return t('error.forbidden');
  if (e.status === 404) return t('error.notfound');
  if (e.status === 400 && e.body && e.body.title === 'purpose required') return t('error.purpose');
  if (e.status === 0 || e instanceof TypeError) return t('error.network');
  return t('error.server', { status: e.status || '?', text: e.message || '' });
}

export function Loading() {
  return html`<p class="loading" role="status">${t('common.loading')}</p>`;
}

export function Tlp({ tlp }) {
  if (!tlp) return null;
  return html`<span class=${`tlp tlp-${tlp.replace('+', '-')}`}>${t('tlp.label', { level: tv('tlp', tlp) })}</span>`;
}

export function TypeTag({ type }) {
  return html`<span class="type-tag">${type}</span>`;
}

// The data a page loads, with its error: [data, error, reload].
export function useLoad(fn, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve()
      .then(fn)
      .then(
        (data) => live && setState({ data, error: null, loading: false }),
        (error) => live && setState({ data: null, error, loading: false }),
      );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return [state, () => setN((x) => x + 1)];
}

// A page that the caller's role may not use.
export function NotForRole() {
  return html`<${Notice} kind="info">${t('error.role')}<//>`;
}

export function PageTitle({ children }) {
  const ref = useRef(null);
  useEffect(() => {
    // a new page: its title takes the focus (keyboard and screen readers)
    if (ref.current) ref.current.focus();
  }, []);
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`;
}
