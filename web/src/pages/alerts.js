// Watches and alerts (early warning): make, change and remove watches of
// every kind the API takes, read alerts as they arrive (server-sent events over
// the session's cookie: no key in the URL; a reconnect sends the last id
// seen, so nothing is lost), acknowledge them. Thousands of alerts stay
// smooth in a windowed list.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../html.js';
import { del, get, patch, post, qs } from '../api.js';
import { fmtNum, fmtTime, t, tv } from '../i18n.js';
import { href } from '../router.js';
import { Field, Loading, Notice, PageTitle, Select, errorText, useLoad } from '../components/ui.js';
import { VirtualList } from '../components/vlist.js';

const KINDS = ['value', 'name', 'document', 'pattern', 'object', 'query'];
const QUERY = ['types', 'labels', 'sectors', 'countries', 'locations'];
const PAGE = 1000;
const MOST = 100000; // alerts kept in the page

const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

// The body of POST /api/v1/watches from the form.
function watchBody(w) {
  const b = { kind: w.kind, name: w.name || undefined, shared: w.shared };
  if (w.kind === 'query') {
    const q = {};
    for (const k of QUERY) if (list(w[k] || '').length) q[k] = list(w[k]);
    b.term = q;
  } else b.term = w.term;
  if (w.kind === 'name') {
    b.name_kind = w.nameKind;
    if (w.threshold) b.threshold = Number(w.threshold);
  }
  if (w.webhook) b.webhook = w.webhook;
  return b;
}

function termText(x) {
  if (x.kind !== 'query') return x.term;
  try {
    const q = JSON.parse(x.term);
    return QUERY.filter((k) => q[k]).map((k) => `${t(`alerts.q.${k}`)}: ${q[k].join(', ')}`).join('; ');
  } catch {
    return x.term;
  }
}

// The form of a watch as listed, for a change.
function editForm(x) {
  const f = { name: x.name, term: x.kind === 'query' ? '' : x.term, shared: !!x.shared, threshold: x.threshold === undefined ? '' : String(x.threshold), webhook: x.webhook || '', dropHook: false };
  let q = {};
  if (x.kind === 'query') {
    try {
      q = JSON.parse(x.term);
    } catch {
      q = {};
    }
  }
  for (const k of QUERY) f[k] = (q[k] || []).join(', ');
  return f;
}

// The body of PATCH /api/v1/watches/ID: only what differs from the watch.
function changeBody(x, f) {
  const was = editForm(x);
  const b = {};
  if (f.name !== was.name) b.name = f.name;
  if (x.kind === 'query') {
    if (QUERY.some((k) => f[k] !== was[k])) {
      const q = {};
      for (const k of QUERY) if (list(f[k]).length) q[k] = list(f[k]);
      b.term = q;
    }
  } else if (f.term !== was.term) b.term = f.term;
  if (x.kind === 'name' && f.threshold !== was.threshold) b.threshold = f.threshold === '' ? 0 : Number(f.threshold);
  if (f.shared !== was.shared) b.shared = f.shared;
  if (f.dropHook && x.webhook) b.webhook = null;
  else if (!f.dropHook && f.webhook && f.webhook !== was.webhook) b.webhook = f.webhook;
  return b;
}

function EditWatch({ x, onDone, onCancel }) {
  const [f, setF] = useState(() => editForm(x));
  const [msg, setMsg] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await patch(`/api/v1/watches/${x.id}`, changeBody(x, f));
      onDone({ kind: 'ok', text: t('alerts.changed', { name: r.name, n: r.retro }) + (r.retro_note ? ` ${r.retro_note}` : ''), secret: r.secret });
    } catch (err) {
      setMsg({ kind: 'error', text: err.status === 400 ? t('alerts.changeRefused', { why: err.message }) : errorText(err) });
      setBusy(false);
    }
  };
  return html`<form class="inline-form edit-watch" onSubmit=${save} aria-labelledby="h-edit-watch"><h3 id="h-edit-watch">${t('alerts.editWatch', { name: x.name })}</h3>
    <dl class="props"><dt>${t('alerts.kind')}</dt><dd class="watch-kind">${tv('watch', x.kind)}</dd></dl>
    <p class="hint">${t('alerts.kindFixed')}</p>
    <div class="grid">
      ${x.kind === 'query'
        ? null
        : html`<${Field} label=${t(`alerts.term.${x.kind}`)} value=${f.term} onInput=${set('term')} required dir="auto" hint=${t(`alerts.hint.${x.kind}`)} />`}
      <${Field} label=${t('admin.name')} value=${f.name} onInput=${set('name')} />
    </div>
    ${x.kind === 'query'
      ? html`<div class="grid">${QUERY.map((k) => html`<${Field} label=${t(`alerts.q.${k}`)} value=${f[k]} onInput=${set(k)} hint=${t('alerts.q.hint')} />`)}</div>`
      : null}
    ${x.kind === 'name'
      ? html`<div class="grid"><${Field} label=${t('alerts.threshold')} value=${f.threshold} onInput=${set('threshold')} hint=${t('alerts.thresholdHint')} /></div>`
      : null}
    <${Field} label=${t('alerts.webhookUrl')} type="url" value=${f.webhook} onInput=${set('webhook')} hint=${t('alerts.webhookNew')} dir="ltr" />
    ${x.webhook
      ? html`<div class="check"><input id="edit-drop-hook" type="checkbox" checked=${f.dropHook} onChange=${(e) => setF({ ...f, dropHook: e.currentTarget.checked })} />
          <label for="edit-drop-hook">${t('alerts.dropWebhook')}</label></div>`
      : null}
    <div class="check"><input id="edit-shared" type="checkbox" checked=${f.shared} onChange=${(e) => setF({ ...f, shared: e.currentTarget.checked })} />
      <label for="edit-shared">${t('alerts.shareWatch')}</label></div>
    <button type="submit" disabled=${busy}>${t('alerts.save')}</button>
    <button type="button" class="secondary" onClick=${onCancel}>${t('alerts.cancel')}</button>
    <${Notice} kind=${msg && msg.kind}>${msg && msg.text}<//>
  </form>`;
}

function Watches() {
  const [st, reload] = useLoad(() => get('/api/v1/watches'), []);
  const empty = { kind: 'value', term: '', name: '', shared: false, nameKind: 'person', threshold: '', webhook: '', types: '', labels: '', sectors: '', countries: '', locations: '' };
  const [w, setW] = useState(empty);
  const [msg, setMsg] = useState(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(null);
  const set = (k) => (v) => setW({ ...w, [k]: v });
  const make = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await post('/api/v1/watches', watchBody(w));
      setMsg({ kind: 'ok', text: t('alerts.made', { n: r.retro }) + (r.retro_note ? ` ${r.retro_note}` : ''), secret: r.secret });
      setW({ ...empty, kind: w.kind });
      reload();
    } catch (err) {
      setMsg({ kind: 'error', text: err.status === 400 ? t('alerts.refused', { why: err.message }) : errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (x) => {
    try {
      await del(`/api/v1/watches/${x.id}`);
      setMsg({ kind: 'ok', text: t('alerts.removed', { name: x.name || x.term }) });
      reload();
    } catch (err) {
      setMsg({ kind: 'error', text: errorText(err) });
    }
  };
  const rows = st.data ? st.data.watches : [];
  return html`<section class="card" aria-labelledby="h-watches"><h2 id="h-watches">${t('alerts.watches')}</h2>
    ${st.loading ? html`<${Loading} />` : null}
    ${st.error ? html`<${Notice} kind="error">${errorText(st.error)}<//>` : null}
    ${st.data && !rows.length ? html`<p>${t('alerts.noWatches')}</p>` : null}
    ${rows.length
      ? html`<table class="list watches"><thead><tr><th scope="col">${t('admin.name')}</th><th scope="col">${t('alerts.kind')}</th><th scope="col">${t('alerts.term')}</th>
          <th scope="col">${t('admin.user')}</th><th scope="col">${t('alerts.created')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
          <tbody>${rows.map((x) => html`<tr><td>${x.name}</td><td>${tv('watch', x.kind)}</td><td class="term" dir="auto">${termText(x)}</td>
            <td>${x.user}${x.shared ? ` (${t('alerts.shared')})` : ''}${x.webhook ? ` · ${t('alerts.webhook')}` : ''}</td><td>${fmtTime(x.created)}</td>
            <td><button type="button" class="secondary" onClick=${() => setEditing(x.id)} aria-expanded=${editing === x.id}>${t('alerts.edit', { name: x.name || termText(x) })}</button>
              <button type="button" class="secondary" onClick=${() => remove(x)}>${t('alerts.remove', { name: x.name || termText(x) })}</button></td></tr>`)}</tbody></table>`
      : null}
    ${editing !== null && rows.some((x) => x.id === editing)
      ? html`<${EditWatch} key=${editing} x=${rows.find((x) => x.id === editing)} onCancel=${() => setEditing(null)}
          onDone=${(m) => {
            setEditing(null);
            setMsg(m);
            reload();
          }} />`
      : null}
    <form class="inline-form new-watch" onSubmit=${make} aria-labelledby="h-new-watch"><h3 id="h-new-watch">${t('alerts.newWatch')}</h3>
      <div class="grid">
        <${Select} label=${t('alerts.kind')} value=${w.kind} onChange=${set('kind')} options=${KINDS.map((k) => ({ value: k, label: tv('watch', k) }))} />
        ${w.kind === 'query'
          ? null
          : html`<${Field} label=${t(`alerts.term.${w.kind}`)} value=${w.term} onInput=${set('term')} required dir="auto" hint=${t(`alerts.hint.${w.kind}`)} />`}
        <${Field} label=${t('admin.name')} value=${w.name} onInput=${set('name')} />
      </div>
      ${w.kind === 'query'
        ? html`<div class="grid">${QUERY.map((k) => html`<${Field} label=${t(`alerts.q.${k}`)} value=${w[k]} onInput=${set(k)} hint=${t('alerts.q.hint')} />`)}</div>`
        : null}
      ${w.kind === 'name'
        ? html`<div class="grid">
            <${Select} label=${t('alerts.nameKind')} value=${w.nameKind} onChange=${set('nameKind')}
              options=${[{ value: 'person', label: t('alerts.person') }, { value: 'entity', label: t('alerts.entity') }]} />
            <${Field} label=${t('alerts.threshold')} value=${w.threshold} onInput=${set('threshold')} hint=${t('alerts.thresholdHint')} />
          </div>`
        : null}
      <${Field} label=${t('alerts.webhookUrl')} type="url" value=${w.webhook} onInput=${set('webhook')} hint=${t('alerts.webhookHint')} dir="ltr" />
      <div class="check"><input id="watch-shared" type="checkbox" checked=${w.shared} onChange=${(e) => setW({ ...w, shared: e.currentTarget.checked })} />
        <label for="watch-shared">${t('alerts.shareWatch')}</label></div>
      <button type="submit" disabled=${busy}>${t('alerts.make')}</button>
    </form>
    <${Notice} kind=${msg && msg.kind}>${msg && msg.text}<//>
    ${msg && msg.secret ? html`<${Notice} kind="warn">${t('alerts.secret')} <code class="secret" dir="ltr">${msg.secret}</code><//>` : null}
  </section>`;
}

function what(a) {
  if (a.kind === 'match') return a.matched || a.object || '';
  if (a.kind === 'hit') return a.detail && a.detail.held_by ? t('alerts.heldBy', { org: a.detail.held_by }) : '';
  if (a.kind === 'request') return t('alerts.requestFrom', { org: (a.detail && a.detail.from) || '?' });
  if (a.kind === 'decision') return t('alerts.decision');
  return '';
}

function Detail({ a, onAck }) {
  const d = a.detail || {};
  return html`<div class="card alert-detail" aria-labelledby="h-alert"><h2 id="h-alert">${t('alerts.alert', { n: a.seq })}</h2>
    <dl class="props">
      <dt>${t('alerts.kind')}</dt><dd>${tv('alertkind', a.kind)}${a.retro ? ` (${t('alerts.retro')})` : ''}</dd>
      <dt>${t('alerts.when')}</dt><dd>${fmtTime(a.created)}</dd>
      ${d.watch ? html`<dt>${t('alerts.watch')}</dt><dd>${d.watch}</dd>` : null}
      ${d.term ? html`<dt>${t('alerts.term')}</dt><dd dir="auto">${d.kind ? `${tv('watch', d.kind)}: ` : ''}${d.term}</dd>` : null}
      ${a.matched ? html`<dt>${t('alerts.matched')}</dt><dd dir="auto">${a.matched}</dd>` : null}
      ${a.object ? html`<dt>${t('alerts.object')}</dt><dd><a href=${href('object', [a.object])}>${a.object}</a></dd>` : null}
      ${a.kind === 'hit' ? html`<dt>${t('alerts.hitTitle')}</dt><dd>${t('alerts.hitExplained', { org: d.held_by || '?' })}</dd>` : null}
      ${a.kind === 'request' ? html`<dt>${t('alerts.detail')}</dt><dd>${t('alerts.requestDetail', { by: d.by || '?', org: d.from || '?', n: d.records || 0, id: d.request || '?' })}</dd>` : null}
      ${a.kind === 'decision' ? html`<dt>${t('alerts.detail')}</dt><dd><code dir="ltr">${JSON.stringify(d)}</code></dd>` : null}
    </dl>
    ${a.acked_by
      ? html`<p>${t('alerts.ackedBy', { who: a.acked_by })} <span class="muted">${fmtTime(a.acked_at)}</span></p>`
      : html`<button type="button" onClick=${() => onAck(a)}>${t('alerts.ack')}</button>`}</div>`;
}

export default function Alerts({ session }) {
  const [alerts, setAlerts] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState(false);
  const [sel, setSel] = useState(null);
  const [openOnly, setOpenOnly] = useState(false);
  useEffect(() => {
    let es = null;
    let stop = false;
    const seen = new Set();
    const all = [];
    const load = async () => {
      let after = 0;
      for (;;) {
        const r = await get(`/api/v1/alerts${qs({ after, limit: PAGE })}`);
        for (const a of r.alerts) if (!seen.has(a.seq)) {
          seen.add(a.seq);
          all.push(a);
        }
        after = Math.max(after, r.last || 0);
        if (stop || r.alerts.length < PAGE || all.length >= MOST) return after;
      }
    };
    load().then(
      (last) => {
        if (stop) return;
        setAlerts(all.slice());
        es = new EventSource(`/api/v1/alerts/stream${qs({ after: last })}`);
        es.addEventListener('open', () => setLive(true));
        es.addEventListener('error', () => setLive(false));
        es.addEventListener('alert', (ev) => {
          let a;
          try {
            a = JSON.parse(ev.data);
          } catch {
            return; // not an alert: the stream's comments are not events
          }
          if (seen.has(a.seq)) return;
          seen.add(a.seq);
          setAlerts((old) => (old || []).concat([a]));
        });
      },
      (e) => !stop && setError(e),
    );
    return () => {
      stop = true;
      if (es) es.close();
    };
  }, []);
  const ack = async (a) => {
    try {
      await post(`/api/v1/alerts/${a.seq}/ack`, {});
      const at = new Date().toISOString();
      setAlerts((old) => old.map((x) => (x.seq === a.seq ? { ...x, acked_by: session.user, acked_at: at } : x)));
    } catch (e) {
      setError(e);
    }
  };
  const shown = useMemo(() => {
    if (!alerts) return [];
    const out = [];
    for (let i = alerts.length - 1; i >= 0; i--) if (!openOnly || !alerts[i].acked_by) out.push(alerts[i]);
    return out;
  }, [alerts, openOnly]);
  const open = alerts ? alerts.reduce((n, a) => n + (a.acked_by ? 0 : 1), 0) : 0;
  const chosen = sel !== null && alerts ? alerts.find((a) => a.seq === sel) : null;
  return html`<section>
    <${PageTitle}>${t('alerts.title')}<//>
    <p role="status" class=${live ? 'live on' : 'live'}>${live ? t('alerts.live') : t('alerts.notLive')}</p>
    <${Notice} kind="error">${errorText(error)}<//>
    ${!alerts && !error ? html`<${Loading} />` : null}
    ${alerts
      ? html`<p class="alert-counts">${t('alerts.counts', { n: fmtNum(alerts.length), open: fmtNum(open) })}</p>
        <div class="check"><input id="alerts-open" type="checkbox" checked=${openOnly} onChange=${(e) => setOpenOnly(e.currentTarget.checked)} />
          <label for="alerts-open">${t('alerts.openOnly')}</label></div>
        ${shown.length
          ? html`<div class="alert-layout"><${VirtualList} label=${t('alerts.list')} items=${shown} rowHeight=${40} height=${440}
              renderRow=${(a) => html`<div class=${`vrow${sel === a.seq ? ' selected' : ''}`} key=${a.seq}>
                <button type="button" class="rowbtn" onClick=${() => setSel(a.seq)} aria-pressed=${sel === a.seq}>
                  <span class="seq">${a.seq}</span><span class="time">${fmtTime(a.created)}</span><span class="kind">${tv('alertkind', a.kind)}</span>
                  <span class="who">${a.detail && a.detail.watch ? `${a.detail.watch}: ` : ''}${what(a)}</span>
                  <span class=${a.acked_by ? 'state' : 'state state-open'}>${a.acked_by ? t('alerts.acked') : t('alerts.open')}</span></button></div>`} />
              ${chosen ? html`<${Detail} a=${chosen} onAck=${ack} />` : html`<p class="hint">${t('alerts.pick')}</p>`}</div>`
          : html`<p>${t('alerts.none')}</p>`}`
      : null}
    <${Watches} />
  </section>`;
}
