// The audit log for auditors: entries filtered by actor, action and
// time, read a thousand at a time (a windowed list), and the chain and
// its signed checkpoints verified by the server.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, qs } from '../api.js';
import { fmtNum, fmtTime, t } from '../i18n.js';
import { Field, Loading, Notice, PageTitle, errorText } from '../components/ui.js';
import { VirtualList } from '../components/vlist.js';

const PAGE = 1000;

function Verify() {
  const [st, setSt] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      setSt({ data: await get('/api/v1/audit/verify') });
    } catch (e) {
      setSt({ error: e });
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="card" aria-labelledby="h-verify">
    <h2 id="h-verify">${t('audit.verifyTitle')}</h2>
    <p class="hint">${t('audit.verifyHint')}</p>
    <button type="button" onClick=${run} disabled=${busy}>${busy ? t('audit.verifying') : t('audit.verify')}</button>
    ${st && st.error ? html`<${Notice} kind="error">${errorText(st.error)}<//>` : null}
    ${st && st.data
      ? st.data.intact
        ? html`<${Notice} kind="ok">${t('audit.intact', { entries: fmtNum(st.data.entries), checkpoints: fmtNum(st.data.checkpoints), heads: fmtNum(st.data.heads) })}<//>`
        : html`<${Notice} kind="error">${t('audit.broken')} <span dir="ltr">${st.data.finding}</span><//>`
      : null}
  </section>`;
}

export default function Audit() {
  const [f, setF] = useState({ actor: '', action: '', since: '' });
  const [entries, setEntries] = useState(null);
  const [more, setMore] = useState(false);
  const [sel, setSel] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const load = async (after) => {
    setBusy(true);
    setError(null);
    try {
      const since = f.since ? `${f.since}T00:00:00Z` : '';
      const r = await get(`/api/v1/audit${qs({ actor: f.actor, action: f.action, since, after, limit: PAGE })}`);
      setEntries((old) => (after && old ? old.concat(r.entries) : r.entries));
      setMore(r.more);
      if (!after) setSel(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const chosen = entries && sel !== null ? entries[sel] : null;
  return html`<section>
    <${PageTitle}>${t('audit.title')}<//>
    <${Verify} />
    <form class="card" onSubmit=${(e) => { e.preventDefault(); load(0); }}>
      <h2>${t('audit.browse')}</h2>
      <div class="grid">
        <${Field} label=${t('audit.actor')} value=${f.actor} onInput=${set('actor')} />
        <${Field} label=${t('audit.action')} value=${f.action} onInput=${set('action')} hint=${t('audit.actionHint')} />
        <${Field} label=${t('audit.since')} type="date" value=${f.since} onInput=${set('since')} />
      </div>
      <button type="submit" disabled=${busy}>${t('audit.show')}</button>
    </form>
    <${Notice} kind="error">${errorText(error)}<//>
    ${busy && !entries ? html`<${Loading} />` : null}
    ${entries
      ? html`<p role="status">${t('audit.count', { n: fmtNum(entries.length) })}</p>
        <div class="audit-layout">
          <${VirtualList} label=${t('audit.entries')} items=${entries} rowHeight=${36} height=${480}
            renderRow=${(e, i) => html`<div class=${`vrow${sel === i ? ' selected' : ''}`} key=${e.seq}>
              <button type="button" class="rowbtn" aria-pressed=${sel === i} onClick=${() => setSel(i)}>
                <span class="seq">${e.seq}</span><span class="time">${fmtTime(e.time)}</span>
                <span class="actor">${e.actor}</span><span class="action">${e.action}</span><span class="target">${e.target}</span>
              </button></div>`} />
          ${chosen
            ? html`<dl class="card entry" aria-label=${t('audit.entry', { n: chosen.seq })}>
                ${['seq', 'time', 'actor', 'org', 'action', 'target', 'source', 'purpose', 'auth'].map((k) => html`<dt>${t(`audit.f.${k}`)}</dt><dd dir="auto">${String(chosen[k] ?? '')}</dd>`)}
                <dt>${t('audit.f.detail')}</dt><dd><pre dir="ltr">${typeof chosen.detail === 'string' ? chosen.detail : JSON.stringify(chosen.detail, null, 1)}</pre></dd>
              </dl>`
            : null}
        </div>
        ${more ? html`<button type="button" class="secondary" disabled=${busy} onClick=${() => load(entries[entries.length - 1].seq)}>${t('audit.more')}</button>` : null}`
      : null}
  </section>`;
}
