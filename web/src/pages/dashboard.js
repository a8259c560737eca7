// The dashboard: open alerts, trends and spikes (a uPlot chart, loaded
// with this page only), partners' sync status, recent screening runs with
// open hits; each part shown when the server offers it.
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../html.js';
import { get, qs } from '../api.js';
import { fmtTime, t } from '../i18n.js';
import { href } from '../router.js';
import { offers } from '../pages.js';
import { Loading, Notice, PageTitle, errorText, useLoad } from '../components/ui.js';

function Chart({ series }) {
  const box = useRef(null);
  useEffect(() => {
    let plot = null;
    let gone = false;
    const days = [...new Set(series.flatMap((s) => s.counts.map((c) => c.period)))].sort();
    if (!days.length) return undefined;
    import('uplot').then(({ default: UPlot }) => {
      if (gone || !box.current) return;
      const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
      const data = [xs].concat(series.slice(0, 6).map((s) => {
        const m = new Map(s.counts.map((c) => [c.period, c.count]));
        return days.map((d) => m.get(d) || 0);
      }));
      const palette = ['#1d3557', '#e63946', '#2a9d8f', '#e9c46a', '#7209b7', '#f4a261'];
      plot = new UPlot({
        width: Math.min(900, box.current.clientWidth || 900),
        height: 260,
        series: [{}].concat(series.slice(0, 6).map((s, i) => ({ label: s.label, stroke: palette[i], width: 2 }))),
        axes: [{}, {}],
      }, data, box.current);
    });
    return () => {
      gone = true;
      if (plot) plot.destroy();
    };
  }, [series]);
  return html`<div ref=${box} class="chart" role="img" aria-label=${t('dash.chart')}></div>`;
}

export default function Dashboard({ session }) {
  const [alerts] = useLoad(() => get(`/api/v1/alerts${qs({ unacked: 1, limit: 100 })}`), []);
  const [trends] = useLoad(() => get(`/api/v1/trends${qs({ facet: 'type' })}`), []);
  const [runs] = useLoad(() => (offers(session, 'GET api/v1/screen') ? get('/api/v1/screen') : null), []);
  const [partners] = useLoad(() => (offers(session, 'GET api/v1/partners/status') && (session.actions || []).includes('hub-admin') ? get('/api/v1/partners/status') : null), []);
  return html`<section>
    <${PageTitle}>${t('dash.title')}<//>
    <div class="cards">
      <section class="card" aria-labelledby="h-dash-alerts"><h2 id="h-dash-alerts">${t('dash.alerts')}</h2>
        ${alerts.loading ? html`<${Loading} />` : alerts.error ? html`<${Notice} kind="error">${errorText(alerts.error)}<//>`
          : html`<p class="big">${alerts.data.alerts.length}</p><a href=${href('alerts')}>${t('dash.seeAlerts')}</a>`}</section>
      ${runs.data ? html`<section class="card" aria-labelledby="h-dash-runs"><h2 id="h-dash-runs">${t('dash.runs')}</h2>
        <ul class="plain">${(runs.data.runs || []).slice(0, 5).map((r) => html`<li><a href=${href('screening', [r.run])}>${fmtTime(r.created)}</a> — ${t('dash.openHits', { n: r.by_state ? r.by_state.open : 0 })}</li>`)}</ul></section>` : null}
      ${partners.data ? html`<section class="card" aria-labelledby="h-dash-partners"><h2 id="h-dash-partners">${t('dash.partners')}</h2>
        <ul class="plain">${(partners.data.partners || []).map((p) => html`<li>${p.name}: ${p.state || p.status || ''}</li>`)}</ul></section>` : null}
    </div>
    <section class="card" aria-labelledby="h-dash-trends"><h2 id="h-dash-trends">${t('dash.trends')}</h2>
      ${trends.loading ? html`<${Loading} />` : trends.error ? html`<${Notice} kind="error">${errorText(trends.error)}<//>`
        : html`<${Chart} series=${trends.data.series} />
          <ul class="plain">${trends.data.series.flatMap((s) => s.spikes.map((sp) => html`<li>${t('dash.spike', { label: s.label, period: sp.period, count: sp.count })}</li>`))}</ul>`}
    </section>
  </section>`;
}
