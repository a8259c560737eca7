// One object for people: its properties rendered (references named and
// linked), its versions with what changed between two, who may see it
// and why, its relationships and sightings, and, where the server has
// early warning, its correlations with hit / no-hit and access requests.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { enc, get, post } from '../api.js';
import { fmtTime, t, tv } from '../i18n.js';
import { href } from '../router.js';
import { offers } from '../pages.js';
import { Field, Loading, Notice, PageTitle, Select, Tlp, TypeTag, errorText, useLoad } from '../components/ui.js';
import { diff } from '../diff.js';

const HEAD = new Set(['type', 'id', 'spec_version', 'name', 'description']);

function Ref({ id, names }) {
  const n = names[id];
  return html`<a href=${href('object', [id])}>${n && n.name ? n.name : id}</a>${n && n.name ? html` <span class="muted">(${n.type})</span>` : null}`;
}

function Value({ k, v, names }) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' && (k.endsWith('_ref') || /^[a-z0-9-]+--[0-9a-f-]{36}$/.test(v))) return html`<${Ref} id=${v} names=${names} />`;
  if (Array.isArray(v)) {
    if (!v.length) return '';
    return html`<ul class="plain">${v.map((x) => html`<li><${Value} k=${k.endsWith('_refs') ? '_ref' : k} v=${x} names=${names} /></li>`)}</ul>`;
  }
  if (typeof v === 'object')
    return html`<dl class="nested">${Object.entries(v).map(([kk, vv]) => html`<dt>${kk}</dt><dd><${Value} k=${kk} v=${vv} names=${names} /></dd>`)}</dl>`;
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  return String(v);
}

function Properties({ obj, names }) {
  const keys = Object.keys(obj).filter((k) => !HEAD.has(k));
  return html`<dl class="props">
    ${keys.map((k) => html`<dt>${k}</dt><dd><${Value} k=${k} v=${obj[k]} names=${names} /></dd>`)}
  </dl>`;
}

function Access({ a }) {
  const you = a.you;
  return html`<section aria-labelledby="h-access" class="card">
    <h2 id="h-access">${t('access.title')}</h2>
    <p>${t('access.owner', { org: a.owner || '?' })} ${t(`access.scope.${a.scope}`, { group: a.group || '' })}</p>
    <p>${a.tlp ? t('access.tlp', { level: tv('tlp', a.tlp) }) : t('access.noTlp')}
      ${a.tlp === 'red' ? ` ${t('access.red')}` : ''}</p>
    <p>${a.classification ? t('access.classified', { level: a.classification }) : t('access.unclassified')}</p>
    <p>${t('access.roles', { roles: a.roles.map((r) => tv('role', r)).join(', ') })}</p>
    <h3>${t('access.orgs')}</h3>
    <ul class="audience">
      ${a.audience.map((o) => html`<li class=${o.in ? 'in' : 'out'}>
        <span class="mark" aria-hidden="true">${o.in ? '✔' : '✘'}</span>
        <span>${o.in ? t('access.in', { org: o.org }) : t('access.out', { org: o.org })}: ${tv('reason', o.reason)}</span></li>`)}
    </ul>
    <h3>${t('access.you')}</h3>
    <ul class="plain">
      <li>${you.role ? t('access.step.role.ok') : t('access.step.role.no')}</li>
      <li>${you.clearance ? t('access.step.clearance.ok') : t('access.step.clearance.no')}</li>
      <li>${['owner', 'hub-wide', 'group-member'].includes(you.audience)
        ? t('access.step.audience.in', { reason: tv('reason', you.audience) })
        : t('access.step.audience.out', { reason: tv('reason', you.audience) })}</li>
    </ul>
  </section>`;
}

function Versions({ versions }) {
  const [a, setA] = useState(versions.length > 1 ? '1' : '0');
  const [b, setB] = useState('0');
  const opts = versions.map((v, i) => ({ value: String(i), label: `${fmtTime(v.version || v.date_added)}${v.revoked ? ` (${t('object.revoked')})` : ''}` }));
  const changes = diff(versions[Number(a)].object, versions[Number(b)].object);
  return html`<section aria-labelledby="h-versions" class="card">
    <h2 id="h-versions">${t('object.versions', { n: versions.length })}</h2>
    <table class="list"><thead><tr><th scope="col">${t('object.version')}</th><th scope="col">${t('object.added')}</th>
      <th scope="col">${t('object.collection')}</th><th scope="col">${t('search.colMarking')}</th></tr></thead>
      <tbody>${versions.map((v) => html`<tr><td>${fmtTime(v.version)}${v.revoked ? html` <span class="badge">${t('object.revoked')}</span>` : null}</td>
        <td>${fmtTime(v.date_added)}</td><td>${v.collection}</td><td><${Tlp} tlp=${v.tlp} /> ${v.classification || ''}</td></tr>`)}</tbody></table>
    ${versions.length > 1
      ? html`<div class="compare"><h3>${t('object.compare')}</h3>
        <div class="grid"><${Select} label=${t('object.from')} value=${a} onChange=${setA} options=${opts} />
        <${Select} label=${t('object.to')} value=${b} onChange=${setB} options=${opts} /></div>
        ${changes.length
          ? html`<table class="list diff"><thead><tr><th scope="col">${t('object.property')}</th><th scope="col">${t('object.before')}</th><th scope="col">${t('object.after')}</th></tr></thead>
            <tbody>${changes.map((c) => html`<tr class=${`diff-${c.kind}`}><td>${c.path} <span class="muted">(${t(`diff.${c.kind}`)})</span></td>
              <td><code>${c.before}</code></td><td><code>${c.after}</code></td></tr>`)}</tbody></table>`
          : html`<p>${t('object.same')}</p>`}</div>`
      : null}
  </section>`;
}

function Related({ title, id, rows, names, self }) {
  return html`<section aria-labelledby=${id} class="card">
    <h2 id=${id}>${title}</h2>
    ${rows.length
      ? html`<ul class="plain related">${rows.map((r) => html`<li>
          ${r.relationship_type
            ? html`<${Ref} id=${r.source_ref} names=${names} /> <strong>${r.relationship_type}</strong> <${Ref} id=${r.target_ref} names=${names} />`
            : html`${t('object.sighted', { count: r.count === undefined ? '?' : r.count })}
                ${(r.where_sighted_refs || []).map((w) => html` <${Ref} id=${w} names=${names} />`)}
                ${r.first_seen ? html` <span class="muted">${fmtTime(r.first_seen)} – ${fmtTime(r.last_seen)}</span>` : null}`}
          <a class="muted small" href=${href('object', [r.id])}>${t('object.open', { type: r.type })}</a>
          ${r.source_ref === self || r.target_ref === self || r.sighting_of_ref === self ? null : null}</li>`)}</ul>`
      : html`<p>${t('object.noneRelated')}</p>`}
  </section>`;
}

function Correlations({ id, session }) {
  const [st] = useLoad(() => get(`/api/v1/objects/${enc(id)}/correlations`), [id]);
  const canAsk = offers(session, 'POST api/v1/access-requests');
  const [reqs, reloadReqs] = useLoad(() => (offers(session, 'GET api/v1/access-requests') ? get('/api/v1/access-requests') : null), [id]);
  const [org, setOrg] = useState('');
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState(null);
  const [error, setError] = useState(null);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${st.error.status === 501 ? t('corr.none') : errorText(st.error)}<//>`;
  const c = st.data;
  const mine = reqs.data ? (reqs.data.outgoing || []).filter((r) => r.object === id) : [];
  const ask = async (e) => {
    e.preventDefault();
    try {
      setSent(await post('/api/v1/access-requests', { object: id, org, reason: reason || undefined }));
      setError(null);
      reloadReqs();
    } catch (err) {
      setSent(null);
      setError(err);
    }
  };
  return html`<section aria-labelledby="h-corr" class="card">
    <h2 id="h-corr">${t('corr.title')}</h2>
    <h3>${t('corr.keys')}</h3>
    ${c.keys.length
      ? html`<ul class="plain keys">${c.keys.map((k) => html`<li><code>${tv('keykind', k.kind)}</code> <span dir="ltr">${k.value}</span> — ${t('corr.relatedCount', { n: k.related })}
          ${k.excluded ? html` <span class="badge">${t('corr.excluded')}</span>` : null}${k.over_budget ? html` <span class="badge">${t('corr.overBudget')}</span>` : null}</li>`)}</ul>`
      : html`<p>${t('corr.noKeys')}</p>`}
    <h3>${t('corr.related')}</h3>
    ${c.related.length
      ? html`<ul class="plain corr-related">${c.related.map((r) => html`<li><a href=${href('object', [r.id])}>${r.label || r.id}</a> <span class="muted">(${r.type})</span>
          <span class="muted"> ${t('corr.through', { keys: (r.keys || []).join(', ') })}</span></li>`)}</ul>`
      : html`<p>${t('object.noneRelated')}</p>`}
    <h3 id="h-hits">${t('corr.hits')}</h3>
    ${c.hits_withheld ? html`<${Notice} kind="warn">${t('corr.withheld')}<//>` : null}
    ${c.hits.length
      ? html`<ul class="plain hits" aria-labelledby="h-hits">${c.hits.map((h) => html`<li><strong class="hit">${t('corr.hit')}</strong> ${t('corr.heldBy', { org: h.held_by, n: h.records })}
          <span class="muted"> ${t('corr.through', { keys: (h.keys || []).join(', ') })}</span></li>`)}</ul>`
      : html`<p><strong class="nohit">${t('corr.noHit')}</strong> ${t('corr.noHits')}</p>`}
    ${c.hits.length && canAsk
      ? html`<form class="inline-form" onSubmit=${ask} aria-labelledby="h-ask"><h3 id="h-ask">${t('corr.ask')}</h3>
          <div class="grid"><${Select} label=${t('corr.askOrg')} value=${org} onChange=${setOrg}
            options=${[{ value: '', label: t('corr.choose') }].concat(c.hits.map((h) => ({ value: h.held_by, label: h.held_by })))} />
          <${Field} label=${t('corr.reason')} value=${reason} onInput=${setReason} /></div>
          <button type="submit" disabled=${!org}>${t('corr.ask')}</button>
          <${Notice} kind="error">${error && (error.status === 429 ? t('corr.withheld') : errorText(error))}<//>
          ${sent ? html`<${Notice} kind="ok">${t('corr.asked', { n: sent.records })}<//>` : null}
        </form>`
      : null}
    ${mine.length
      ? html`<h3>${t('corr.requests')}</h3><ul class="plain requests">${mine.map((r) => html`<li>${t('corr.request', { org: r.to, state: tv('reqstate', r.state) })}
          <span class="muted"> ${t('corr.requestCounts', { pending: r.pending, granted: r.granted, refused: r.refused })}</span></li>`)}</ul>`
      : null}
  </section>`;
}

export default function ObjectPage({ route, session }) {
  const id = route.rest[0] || '';
  const [st] = useLoad(() => get(`/api/v1/objects/${enc(id)}`), [id]);
  const [raw, setRaw] = useState(false);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<section><${PageTitle}>${t('object.title')}<//><${Notice} kind="error">${errorText(st.error)}<//></section>`;
  const o = st.data;
  const latest = o.versions[0];
  const obj = latest.object;
  return html`<article>
    <${PageTitle}>${obj.name || obj.value || obj.relationship_type || o.id}<//>
    <p class="meta"><${TypeTag} type=${o.type} /> <${Tlp} tlp=${latest.tlp} />
      ${latest.revoked ? html`<span class="badge">${t('object.revoked')}</span>` : null}
      <span class="muted id" dir="ltr">${o.id}</span></p>
    ${obj.description ? html`<p class="description">${obj.description}</p>` : null}
    <section aria-labelledby="h-props" class="card">
      <h2 id="h-props">${t('object.properties')}</h2>
      <${Properties} obj=${obj} names=${o.names} />
      <button type="button" class="secondary" aria-expanded=${raw} onClick=${() => setRaw(!raw)}>${t('object.raw')}</button>
      ${raw ? html`<pre class="raw" dir="ltr">${JSON.stringify(obj, null, 2)}</pre>` : null}
    </section>
    <${Access} a=${o.access} />
    <${Versions} versions=${o.versions} />
    <${Related} title=${t('object.relationships')} id="h-rels" rows=${o.relationships} names=${o.names} self=${o.id} />
    <${Related} title=${t('object.sightings')} id="h-sights" rows=${o.sightings} names=${o.names} self=${o.id} />
    ${offers(session, 'GET api/v1/objects/*/correlations') ? html`<${Correlations} id=${o.id} session=${session} />` : null}
    ${offers(session, 'GET api/v1/graph/*') ? html`<p><a href=${href('graph', [], { id: o.id })}>${t('object.graph')}</a></p>` : null}
  </article>`;
}
