// Partners (federation), for hub admins: each partner hub's status and
// lag, a preview of what would be shared with it and, for what would
// not, the rule that holds it back; and what was quarantined from it.
import { useMemo, useState } from 'preact/hooks';
import { html } from '../html.js';
import { enc, get, post, qs } from '../api.js';
import { fmtLag, fmtNum, fmtTime, t, tv } from '../i18n.js';
import { href } from '../router.js';
import { offers } from '../pages.js';
import { Field, Loading, Notice, PageTitle, errorText, useLoad } from '../components/ui.js';
import { VirtualList } from '../components/vlist.js';

function why(o) {
  const k = tv('egress', o.rule);
  return k === o.rule ? o.reason || o.rule : k;
}

function Preview({ name }) {
  const [id, setId] = useState('');
  const [asked, setAsked] = useState({ id: '' });
  const [heldOnly, setHeldOnly] = useState(false);
  const [st] = useLoad(() => get(`/api/v1/partners/${enc(name)}/preview${qs({ id: asked.id })}`), [name, asked]);
  const rows = st.data ? st.data.objects : [];
  const sent = rows.reduce((n, o) => n + (o.sent ? 1 : 0), 0);
  const shown = useMemo(() => (heldOnly ? rows.filter((o) => !o.sent) : rows), [rows, heldOnly]);
  const hid = `held-only-${name}`;
  return html`<section class="preview" aria-label=${t('partners.previewOf', { name })}>
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); setAsked({ id: id.trim() }); }}>
      <${Field} label=${t('partners.previewId')} value=${id} onInput=${setId} dir="ltr" hint=${t('partners.previewIdHint')} />
      <button type="submit">${t('partners.previewShow')}</button>
    </form>
    ${st.loading ? html`<${Loading} />` : null}
    ${st.error ? html`<${Notice} kind="error">${errorText(st.error)}<//>` : null}
    ${st.data
      ? html`<p class="preview-counts">${t('partners.previewCounts', { sent: fmtNum(sent), held: fmtNum(rows.length - sent) })}</p>
        <div class="check"><input id=${hid} type="checkbox" checked=${heldOnly} onChange=${(e) => setHeldOnly(e.currentTarget.checked)} />
          <label for=${hid}>${t('partners.heldOnly')}</label></div>
        ${shown.length
          ? html`<${VirtualList} label=${t('partners.previewOf', { name })} items=${shown} rowHeight=${40} height=${400}
              renderRow=${(o, i) => html`<div class="vrow" key=${`${o.id}|${o.version}|${o.collection}|${i}`}><span class="rowbtn">
                <span class=${o.sent ? 'verdict sent' : 'verdict held'}>${o.sent ? t('partners.sent') : t('partners.held')}</span>
                <a href=${href('object', [o.id])} class="who">${o.id}</a><span class="muted">${o.collection}</span>
                <span class="why">${o.sent ? '' : why(o)}</span></span></div>`} />`
          : html`<p>${t('partners.previewNone')}</p>`}`
      : null}
  </section>`;
}

function Quarantine({ name, session }) {
  const [st, reload] = useLoad(() => get(`/api/v1/partners/${enc(name)}/quarantine`), [name]);
  const [msg, setMsg] = useState(null);
  const acts = offers(session, 'POST api/v1/partners/*/quarantine/drop') && offers(session, 'POST api/v1/partners/*/quarantine/retry');
  const act = async (what, id) => {
    try {
      const r = await post(`/api/v1/partners/${enc(name)}/quarantine/${what}`, id ? { id } : {});
      setMsg({ kind: 'ok', text: what === 'drop' ? t('partners.dropped', { n: r.dropped }) : t('partners.retried', { stored: r.stored, still: r.still }) });
      reload();
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    }
  };
  if (st.loading && !st.data) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${errorText(st.error)}<//>`;
  const rows = st.data.quarantine || [];
  return html`<div class="quarantine">
    <${Notice} kind=${msg && msg.kind}>${msg && msg.text}<//>
    ${rows.length
      ? html`<table class="list"><caption>${t('partners.quarantineOf', { name })}</caption>
        <thead><tr><th scope="col">${t('partners.object')}</th><th scope="col">${t('object.version')}</th><th scope="col">${t('object.collection')}</th><th scope="col">${t('partners.reason')}</th>
          ${acts ? html`<th scope="col"><span class="sr-only">${t('common.actions')}</span></th>` : null}</tr></thead>
        <tbody>${rows.map((q) => html`<tr><td dir="ltr">${q.object_id}</td><td>${q.version}</td><td>${q.collection}</td><td>${q.reason}</td>
          ${acts
            ? html`<td class="buttons"><button type="button" class="secondary small" onClick=${() => act('retry', q.id)}>${t('partners.retry', { id: q.id })}</button>
                <button type="button" class="secondary small" onClick=${() => act('drop', q.id)}>${t('partners.drop', { id: q.id })}</button></td>`
            : null}</tr>`)}</tbody></table>
        ${acts
          ? html`<div class="buttons"><button type="button" class="secondary" onClick=${() => act('retry')}>${t('partners.retryAll')}</button>
              <button type="button" class="secondary" onClick=${() => act('drop')}>${t('partners.dropAll')}</button></div>`
          : null}`
      : html`<p>${t('partners.quarantineNone')}</p>`}
  </div>`;
}

function Partner({ p, info, session }) {
  const [open, setOpen] = useState(null);
  const hid = `h-partner-${p.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const toggle = (what) => setOpen(open === what ? null : what);
  return html`<section class="card partner" aria-labelledby=${hid}>
    <h2 id=${hid}>${p.name}</h2>
    ${info ? html`<p class="muted" dir="ltr">${info.url}</p>` : null}
    <dl class="props">
      <dt>${t('partners.direction')}</dt><dd>${tv('direction', p.direction)}</dd>
      ${info ? html`<dt>${t('partners.org')}</dt><dd>${info.org}</dd>` : null}
      <dt>${t('partners.lastSuccess')}</dt><dd>${p.last_success ? fmtTime(p.last_success) : t('common.never')}</dd>
      <dt>${t('partners.lagTitle')}</dt><dd>${p.last_success ? t('partners.lag', { lag: fmtLag(p.lag_seconds) }) : t('partners.neverSynced')}
        ${p.lag_objects !== null && p.lag_objects !== undefined ? ` · ${t('partners.lagObjects', { n: fmtNum(p.lag_objects) })}` : ''}
        ${p.backlog ? ` · ${t('partners.backlog')}` : ''}</dd>
      <dt>${t('partners.lastRound')}</dt><dd>${t('partners.round', { accepted: fmtNum(p.last_round_accepted || 0), duplicates: fmtNum(p.last_round_duplicates || 0), quarantined: fmtNum(p.last_round_quarantined || 0) })}</dd>
      <dt>${t('partners.rounds')}</dt><dd>${t('partners.roundsErrors', { rounds: fmtNum(p.rounds || 0), errors: fmtNum(p.errors || 0) })}</dd>
      <dt>${t('partners.quarantine')}</dt><dd>${fmtNum(p.quarantine || 0)}</dd>
      ${p.last_error ? html`<dt>${t('partners.lastError')}</dt><dd class="error-text">${p.last_error} <span class="muted">${fmtTime(p.last_error_at)}</span></dd>` : null}
    </dl>
    <div class="buttons">
      <button type="button" class="secondary" aria-expanded=${open === 'preview'} onClick=${() => toggle('preview')}>${t('partners.preview')}</button>
      <button type="button" class="secondary" aria-expanded=${open === 'quarantine'} onClick=${() => toggle('quarantine')}>${t('partners.showQuarantine')}</button>
    </div>
    ${open === 'preview' ? html`<${Preview} name=${p.name} />` : null}
    ${open === 'quarantine' ? html`<${Quarantine} name=${p.name} session=${session} />` : null}
  </section>`;
}

export default function Partners({ session }) {
  const [st] = useLoad(() => Promise.all([get('/api/v1/partners/status'), get('/api/v1/partners').catch(() => ({ partners: [] }))]), []);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<section><${PageTitle}>${t('partners.title')}<//><${Notice} kind="error">${errorText(st.error)}<//></section>`;
  const [status, list] = st.data;
  const rows = status.partners || [];
  const info = Object.fromEntries((list.partners || []).map((p) => [p.name, p]));
  return html`<section>
    <${PageTitle}>${t('partners.title')}<//>
    <p class="hint">${t('partners.hint')}</p>
    ${rows.length ? null : html`<p>${t('partners.none')}</p>`}
    ${rows.map((p) => html`<${Partner} key=${p.name} p=${p} info=${info[p.name]} session=${session} />`)}
  </section>`;
}
