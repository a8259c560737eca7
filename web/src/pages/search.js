// Search: words in names and descriptions, and filters (type, label,
// marking, organisation, dates), paged. The server answers only what the
// caller may read; the filters live in the URL, so back and forward work.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, qs } from '../api.js';
import { fmtTime, t, tv } from '../i18n.js';
import { go, href } from '../router.js';
import { Field, Loading, Notice, PageTitle, Select, Tlp, TypeTag, errorText, useLoad } from '../components/ui.js';

const TYPES = [
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator',
  'infrastructure', 'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data',
  'opinion', 'report', 'threat-actor', 'tool', 'vulnerability', 'relationship', 'sighting',
  'domain-name', 'email-addr', 'file', 'ipv4-addr', 'ipv6-addr', 'url',
];
const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'];
const FIELDS = ['q', 'type', 'label', 'marking', 'org', 'since', 'until'];
const LIMIT = 50;

export default function Search({ route }) {
  const p = route.params;
  const initial = Object.fromEntries(FIELDS.map((f) => [f, p.get(f) || '']));
  const [form, setForm] = useState(initial);
  const offset = Number(p.get('offset') || 0);
  const asked = FIELDS.some((f) => p.get(f)) || p.has('all');
  const [orgs] = useLoad(() => get('/api/v1/orgs'), []);
  const [res] = useLoad(
    () => (asked ? get(`/api/v1/search${qs({ ...initial, offset, limit: LIMIT })}`) : null),
    [p.toString()],
  );
  const set = (k) => (v) => setForm({ ...form, [k]: v });
  const submit = (e) => {
    e.preventDefault();
    const params = Object.fromEntries(Object.entries(form).filter(([, v]) => v));
    if (!Object.keys(params).length) params.all = '1';
    go('search', [], params);
  };
  const page = (o) => {
    const params = Object.fromEntries(FIELDS.filter((f) => initial[f]).map((f) => [f, initial[f]]));
    if (!Object.keys(params).length) params.all = '1';
    if (o) params.offset = String(o);
    return href('search', [], params);
  };
  const orgOptions = [{ value: '', label: t('search.anyOrg') }].concat(
    ((orgs.data && orgs.data.orgs) || []).map((o) => ({ value: o.name, label: o.name })),
  );
  return html`<section>
    <${PageTitle}>${t('search.title')}<//>
    <form class="card search-form" role="search" onSubmit=${submit}>
      <div class="grid">
        <${Field} label=${t('search.words')} value=${form.q} onInput=${set('q')} hint=${t('search.wordsHint')} />
        <${Select} label=${t('search.type')} value=${form.type} onChange=${set('type')}
          options=${[{ value: '', label: t('search.anyType') }].concat(TYPES.map((x) => ({ value: x, label: x })))} />
        <${Field} label=${t('search.label')} value=${form.label} onInput=${set('label')} />
        <${Select} label=${t('search.marking')} value=${form.marking} onChange=${set('marking')}
          options=${[{ value: '', label: t('search.anyMarking') }].concat(TLPS.map((x) => ({ value: `tlp:${x}`, label: t('tlp.label', { level: tv('tlp', x) }) })))} />
        <${Select} label=${t('search.org')} value=${form.org} onChange=${set('org')} options=${orgOptions} />
        <${Field} label=${t('search.since')} type="date" value=${form.since} onInput=${set('since')} />
        <${Field} label=${t('search.until')} type="date" value=${form.until} onInput=${set('until')} />
      </div>
      <button type="submit">${t('search.submit')}</button>
    </form>
    ${!asked ? html`<p class="hint">${t('search.start')}</p>` : null}
    ${asked && res.loading ? html`<${Loading} />` : null}
    <${Notice} kind="error">${res.error && errorText(res.error)}<//>
    ${res.data ? html`<${Results} data=${res.data} offset=${offset} page=${page} />` : null}
  </section>`;
}

function Results({ data, offset, page }) {
  const rows = data.results;
  if (!rows.length) return html`<p role="status">${t('search.none')}</p>`;
  return html`<div>
    <p role="status">${t('search.range', { from: offset + 1, to: offset + rows.length })}</p>
    <table class="list">
      <caption class="sr-only">${t('search.results')}</caption>
      <thead><tr><th scope="col">${t('search.colName')}</th><th scope="col">${t('search.colType')}</th>
        <th scope="col">${t('search.colOrg')}</th><th scope="col">${t('search.colMarking')}</th><th scope="col">${t('search.colModified')}</th></tr></thead>
      <tbody>
        ${rows.map((r) => html`<tr key=${r.id}>
          <td><a href=${href('object', [r.id])}>${r.name || r.id}</a>
            ${r.revoked ? html` <span class="badge">${t('object.revoked')}</span>` : null}
            ${r.description ? html`<div class="desc">${r.description}</div>` : null}</td>
          <td><${TypeTag} type=${r.type} /></td>
          <td>${r.org}</td>
          <td><${Tlp} tlp=${r.tlp} />${r.classification ? html` <span class="badge">${r.classification}</span>` : null}</td>
          <td>${fmtTime(r.modified || r.created)}</td>
        </tr>`)}
      </tbody>
    </table>
    <nav class="pager" aria-label=${t('search.pages')}>
      ${offset > 0 ? html`<a href=${page(Math.max(0, offset - LIMIT))}>${t('search.previous')}</a>` : null}
      ${data.more ? html`<a href=${page(offset + LIMIT)}>${t('search.next')}</a>` : null}
    </nav>
  </div>`;
}
