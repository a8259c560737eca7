// Watches and alerts (early warning): make and remove watches of every
// kind, read alerts as they arrive (server-sent events, the session's
// cookie: no key in the URL), acknowledge them. Thousands of alerts stay
// smooth in a windowed list.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { del, get, post, qs } from '../api.js';
import { fmtTime, t, tv } from '../i18n.js';
import { href } from '../router.js';
import { Field, Loading, Notice, PageTitle, Select, errorText, useLoad } from '../components/ui.js';
import { VirtualList } from '../components/vlist.js';

const KINDS = ['value', 'name', 'document', 'pattern', 'object', 'query'];

function Watches() {
  const [st, reload] = useLoad(() => get('/api/v1/watches'), []);
  const [w, setW] = useState({ kind: 'value', term: '', name: '', shared: false });
  const [msg, setMsg] = useState(null);
  const make = async (e) => {
    e.preventDefault();
    try {
      const r = await post('/api/v1/watches', { kind: w.kind, term: w.term, name: w.name || null, shared: w.shared });
      setMsg({ kind: 'ok', text: t('alerts.made', { n: r.retro }) });
      setW({ ...w, term: '', name: '' });
      reload();
    } catch (err) {
      setMsg({ kind: 'error', text: errorText(err) });
    }
  };
  const remove = async (id) => {
    try {
      await del(`/api/v1/watches/${id}`);
      reload();
    } catch (err) {
      setMsg({ kind: 'error', text: errorText(err) });
    }
  };
  return html`<section class="card" aria-labelledby="h-watches"><h2 id="h-watches">${t('alerts.watches')}</h2>
    ${st.loading ? html`<${Loading} />` : null}
    ${st.data
      ? html`<table class="list"><thead><tr><th scope="col">${t('admin.name')}</th><th scope="col">${t('alerts.kind')}</th><th scope="col">${t('alerts.term')}</th>
          <th scope="col">${t('admin.user')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
          <tbody>${st.data.watches.map((x) => html`<tr><td>${x.name}</td><td>${tv('watch', x.kind)}</td><td>${x.term}</td><td>${x.user}${x.shared ? ` (${t('alerts.shared')})` : ''}</td>
            <td><button type="button" class="secondary" onClick=${() => remove(x.id)}>${t('alerts.remove', { name: x.name || x.term })}</button></td></tr>`)}</tbody></table>`
      : null}
    <form class="inline-form" onSubmit=${make}><h3>${t('alerts.newWatch')}</h3>
      <div class="grid">
        <${Select} label=${t('alerts.kind')} value=${w.kind} onChange=${(v) => setW({ ...w, kind: v })} options=${KINDS.map((k) => ({ value: k, label: tv('watch', k) }))} />
        <${Field} label=${t('alerts.term')} value=${w.term} onInput=${(v) => setW({ ...w, term: v })} required />
        <${Field} label=${t('admin.name')} value=${w.name} onInput=${(v) => setW({ ...w, name: v })} />
      </div>
      <div class="check"><input id="watch-shared" type="checkbox" checked=${w.shared} onChange=${(e) => setW({ ...w, shared: e.currentTarget.checked })} />
        <label for="watch-shared">${t('alerts.shareWatch')}</label></div>
      <button type="submit">${t('alerts.make')}</button>
    </form>
    <${Notice} kind=${msg && msg.kind}>${msg && msg.text}<//>
  </section>`;
}

export default function Alerts() {
  const [alerts, setAlerts] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState(false);
  const [sel, setSel] = useState(null);
  useEffect(() => {
    let es = null;
    let stop = false;
    get(`/api/v1/alerts${qs({ limit: 1000 })}`).then(
      (r) => {
        if (stop) return;
        setAlerts(r.alerts);
        es = new EventSource(`/api/v1/alerts/stream${qs({ after: r.last })}`);
        es.addEventListener('open', () => setLive(true));
        es.addEventListener('error', () => setLive(false));
        es.addEventListener('alert', (ev) => {
          try {
            const a = JSON.parse(ev.data);
            setAlerts((old) => (old || []).concat([a]));
          } catch {
            /* a line that is not an alert: ignored */
          }
        });
      },
      (e) => setError(e),
    );
    return () => {
      stop = true;
      if (es) es.close();
    };
  }, []);
  const ack = async (a) => {
    try {
      await post(`/api/v1/alerts/${a.seq}/ack`, {});
      setAlerts((old) => old.map((x) => (x.seq === a.seq ? { ...x, acked_by: 'you' } : x)));
    } catch (e) {
      setError(e);
    }
  };
  const list = alerts ? alerts.slice().reverse() : [];
  const chosen = sel !== null ? list.find((a) => a.seq === sel) : null;
  return html`<section>
    <${PageTitle}>${t('alerts.title')}<//>
    <p role="status" class=${live ? 'live on' : 'live'}>${live ? t('alerts.live') : t('alerts.notLive')}</p>
    <${Notice} kind="error">${errorText(error)}<//>
    ${!alerts && !error ? html`<${Loading} />` : null}
    ${alerts
      ? html`<div class="audit-layout"><${VirtualList} label=${t('alerts.list')} items=${list} rowHeight=${40} height=${440}
          renderRow=${(a) => html`<div class=${`vrow${sel === a.seq ? ' selected' : ''}`} key=${a.seq}>
            <button type="button" class="rowbtn" onClick=${() => setSel(a.seq)} aria-pressed=${sel === a.seq}>
              <span class="seq">${a.seq}</span><span class="time">${fmtTime(a.created)}</span><span class="who">${a.matched || a.kind}</span>
              <span class=${a.acked_by ? 'state' : 'state state-open'}>${a.acked_by ? t('alerts.acked') : t('alerts.open')}</span></button></div>`} />
          ${chosen
            ? html`<div class="card"><h2>${t('alerts.alert', { n: chosen.seq })}</h2>
                <p>${tv('alertkind', chosen.kind)}${chosen.retro ? ` (${t('alerts.retro')})` : ''}</p>
                ${chosen.object ? html`<p><a href=${href('object', [chosen.object])}>${chosen.matched || chosen.object}</a></p>` : null}
                ${chosen.acked_by ? html`<p>${t('alerts.ackedBy', { who: chosen.acked_by })}</p>` : html`<button type="button" onClick=${() => ack(chosen)}>${t('alerts.ack')}</button>`}</div>`
            : null}</div>`
      : null}
    <${Watches} />
  </section>`;
}
