// The dashboard: open alerts, trends and spikes (a uPlot chart, loaded
// with this page only), partners' sync status, recent screening runs with
// open hits; each part shown when the server offers it and the role may
// ask for it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, qs } from '../api.js';
import { fmtLag, fmtNum, fmtTime, t, tv } from '../i18n.js';
import { href } from '../router.js';
import { has, offers } from '../pages.js';
import { Loading, Notice, PageTitle, Select, errorText, useLoad } from '../components/ui.js';

const FACETS = ['type', 'label', 'actor', 'attack', 'location', 'sector', 'country', 'org'];
const PALETTE = ['#1d3557', '#c1121f', '#2a7d72', '#8d6a00', '#7209b7', '#b25400'];
const SHOWN = 6;

// Every period from since to until (the answer lists only periods with a
// count; the chart shows the quiet ones as zero).
function allPeriods(since, until, step) {
  const out = [];
  const end = Date.parse(`${until}T00:00:00Z`);
  for (let x = Date.parse(`${since}T00:00:00Z`); x <= end && out.length < 4000; x += step * 86400000) out.push(new Date(x).toISOString().slice(0, 10));
  return out;
}

function Chart({ series, periods }) {
  const box = useRef(null);
  useEffect(() => {
    let plot = null;
    let gone = false;
    if (!periods.length || !series.length) return undefined;
    import('uplot').then(({ default: UPlot }) => {
      if (gone || !box.current) return;
      const xs = periods.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
      const data = [xs].concat(
        series.map((s) => {
          const m = new Map(s.counts.map((c) => [c.period, c.count]));
          return periods.map((d) => m.get(d) || 0);
        }),
      );
      // a spike is drawn as a point on its series
      const spiky = series.map((s) => new Set(s.spikes.map((x) => x.period)));
      plot = new UPlot(
        {
          width: Math.max(320, Math.min(1000, box.current.clientWidth || 900)),
          height: 260,
          tzDate: (ts) => UPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
          series: [{}].concat(
            series.map((s, i) => ({
              label: s.label,
              stroke: PALETTE[i],
              width: 2,
              points: { show: (u, si, i0, i1) => spiky[si - 1].size > 0 && i1 - i0 < 400, size: 7, fill: PALETTE[i] },
            })),
          ),
          axes: [{}, {}],
        },
        data,
        box.current,
      );
    });
    return () => {
      gone = true;
      if (plot) plot.destroy();
    };
  }, [series, periods]);
  return html`<div ref=${box} class="chart" role="img" aria-label=${t('dash.chart')}></div>`;
}

function Trends() {
  const [facet, setFacet] = useState('type');
  const [weekly, setWeekly] = useState('day');
  const [st] = useLoad(() => get(`/api/v1/trends${qs({ facet, interval: weekly })}`), [facet, weekly]);
  const d = st.data;
  const series = d ? d.series.slice().sort((a, b) => b.total - a.total).slice(0, SHOWN) : [];
  const periods = d ? allPeriods(d.since, d.until, d.interval === 'week' ? 7 : 1) : [];
  const spikes = d ? d.series.flatMap((s) => s.spikes.map((sp) => ({ ...sp, label: s.label }))) : [];
  return html`<section class="card" aria-labelledby="h-dash-trends"><h2 id="h-dash-trends">${t('dash.trends')}</h2>
    <div class="grid">
      <${Select} label=${t('dash.facet')} value=${facet} onChange=${setFacet} options=${FACETS.map((f) => ({ value: f, label: tv('facet', f) }))} />
      <${Select} label=${t('dash.interval')} value=${weekly} onChange=${setWeekly}
        options=${[{ value: 'day', label: t('dash.daily') }, { value: 'week', label: t('dash.weekly') }]} />
    </div>
    ${st.loading ? html`<${Loading} />` : null}
    ${st.error ? html`<${Notice} kind="error">${errorText(st.error)}<//>` : null}
    ${d
      ? html`<p class="hint">${t('dash.range', { since: d.since, until: d.until })}</p>
        ${series.length ? html`<${Chart} series=${series} periods=${periods} />` : html`<p>${t('dash.noTrends')}</p>`}
        <h3>${t('dash.spikes')}</h3>
        ${spikes.length
          ? html`<ul class="plain spikes">${spikes.map((sp) => html`<li>${t('dash.spike', { label: sp.label, period: sp.period, count: sp.count })}
              <span class="muted"> ${t('dash.baseline', { baseline: sp.baseline, p: Number(sp.p).toExponential(1) })}</span></li>`)}</ul>`
          : html`<p>${t('dash.noSpikes')}</p>`}`
      : null}
  </section>`;
}

function OpenAlerts() {
  const [st] = useLoad(() => get(`/api/v1/alerts${qs({ unacked: 'true', limit: 1000 })}`), []);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${errorText(st.error)}<//>`;
  const list = st.data.alerts;
  const recent = list.slice(-5).reverse();
  return html`<p class="big">${list.length >= 1000 ? t('dash.atLeast', { n: fmtNum(1000) }) : fmtNum(list.length)}</p>
    <ul class="plain">${recent.map((a) => html`<li><span class="muted">${fmtTime(a.created)}</span> ${tv('alertkind', a.kind)}${a.detail && a.detail.watch ? html` <strong>${a.detail.watch}</strong>` : null}
      ${a.object ? html` <a href=${href('object', [a.object])}>${a.matched || a.object}</a>` : a.detail && a.detail.held_by ? ` ${t('alerts.heldBy', { org: a.detail.held_by })}` : ''}</li>`)}</ul>
    <a href=${href('alerts')}>${t('dash.seeAlerts')}</a>`;
}

function Runs() {
  const [st] = useLoad(() => get(`/api/v1/screen${qs({ limit: 5 })}`), []);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${errorText(st.error)}<//>`;
  const runs = st.data.runs || [];
  if (!runs.length) return html`<p>${t('screen.noRuns')}</p>`;
  return html`<ul class="plain">${runs.map((r) => html`<li><a href=${href('screening', [r.run])}>${fmtTime(r.created)}</a>
    ${r.source ? html` <span class="muted">${r.source}</span>` : null} — ${t('dash.openHits', { n: r.by_state ? r.by_state.open : 0 })}</li>`)}</ul>`;
}

function Partners() {
  const [st] = useLoad(() => get('/api/v1/partners/status'), []);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${errorText(st.error)}<//>`;
  const rows = st.data.partners || [];
  if (!rows.length) return html`<p>${t('partners.none')}</p>`;
  return html`<ul class="plain">${rows.map((p) => html`<li><a href=${href('partners')}>${p.name}</a>${': '}${p.last_error ? html`<span class="state state-open">${t('partners.failing')}</span>` : p.last_success ? t('partners.lag', { lag: fmtLag(p.lag_seconds) }) : t('partners.neverSynced')}
    ${p.quarantine ? html` <span class="badge">${t('partners.quarantined', { n: p.quarantine })}</span>` : null}</li>`)}</ul>`;
}

export default function Dashboard({ session }) {
  const runs = offers(session, 'GET api/v1/screen') && has(session, 'screen');
  const partners = offers(session, 'GET api/v1/partners/status') && has(session, 'hub-admin');
  return html`<section>
    <${PageTitle}>${t('dash.title')}<//>
    <div class="cards">
      <section class="card" aria-labelledby="h-dash-alerts"><h2 id="h-dash-alerts">${t('dash.alerts')}</h2><${OpenAlerts} /></section>
      ${runs ? html`<section class="card" aria-labelledby="h-dash-runs"><h2 id="h-dash-runs">${t('dash.runs')}</h2><${Runs} /></section>` : null}
      ${partners ? html`<section class="card" aria-labelledby="h-dash-partners"><h2 id="h-dash-partners">${t('dash.partners')}</h2><${Partners} /></section>` : null}
    </div>
    <${Trends} />
  </section>`;
}
