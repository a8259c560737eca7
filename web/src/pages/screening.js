// Screening: upload travel data (PAXLST, CSV, JSON lines), read a run's
// hits with the traveller and the watchlist entry side by side and the
// score explained, and dispose of each with a note. Where the server
// lists runs and suppressions, they are shown too.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, del, enc, get, post } from '../api.js';
import { fmtTime, t, tv } from '../i18n.js';
import { go, href } from '../router.js';
import { has, offers } from '../pages.js';
import { Field, Loading, Notice, PageTitle, Select, TextArea, errorText, useLoad, useId } from '../components/ui.js';
import { VirtualList } from '../components/vlist.js';

const DISPOSITIONS = ['confirmed', 'false-positive', 'needs-review'];
const SHOWN = 200; // travellers listed under a run (the hits are all there)

function Upload() {
  const fileId = useId('file');
  const [file, setFile] = useState(null);
  const [lists, setLists] = useState('');
  const [threshold, setThreshold] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const body = await file.arrayBuffer();
      const params = new URLSearchParams();
      lists.split(',').map((s) => s.trim()).filter(Boolean).forEach((l) => params.append('list', l));
      if (threshold) params.set('threshold', threshold);
      const q = params.toString();
      const run = await api('POST', `/api/v1/screen${q ? `?${q}` : ''}`, { body, type: 'application/octet-stream' });
      go('screening', [run.run]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="card" onSubmit=${submit}>
    <h2>${t('screen.upload')}</h2>
    <p class="hint">${t('screen.formats')}</p>
    <div class="field">
      <label for=${fileId}>${t('screen.file')}</label>
      <input id=${fileId} type="file" accept=".edi,.txt,.csv,.jsonl,.json" required
        onChange=${(e) => setFile(e.currentTarget.files[0] || null)} />
    </div>
    <div class="grid">
      <${Field} label=${t('screen.lists')} value=${lists} onInput=${setLists} hint=${t('screen.listsHint')} />
      <${Field} label=${t('screen.threshold')} value=${threshold} onInput=${setThreshold} type="number" hint=${t('screen.thresholdHint')} />
    </div>
    <${Notice} kind="error">${error && (error.status === 422 ? t('screen.notTravel', { why: error.message }) : errorText(error))}<//>
    <button type="submit" disabled=${busy || !file}>${busy ? t('screen.screening') : t('screen.submit')}</button>
  </form>`;
}

function Runs() {
  const [st] = useLoad(() => get('/api/v1/screen'), []);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${errorText(st.error)}<//>`;
  const runs = st.data.runs || [];
  return html`<section class="card" aria-labelledby="h-runs"><h2 id="h-runs">${t('screen.runs')}</h2>
    ${runs.length
      ? html`<table class="list"><thead><tr><th scope="col">${t('screen.created')}</th><th scope="col">${t('screen.source')}</th>
          <th scope="col">${t('screen.travellers')}</th><th scope="col">${t('screen.hits')}</th><th scope="col">${t('screen.open')}</th></tr></thead>
          <tbody>${runs.map((r) => html`<tr><td><a href=${href('screening', [r.run])}>${fmtTime(r.created)}</a></td><td>${r.source}</td>
            <td>${r.travellers}</td><td>${r.hits}</td><td>${r.by_state ? r.by_state.open : ''}</td></tr>`)}</tbody></table>`
      : html`<p>${t('screen.noRuns')}</p>`}
  </section>`;
}

function Suppressions({ session }) {
  const [st, reload] = useLoad(() => get('/api/v1/screen/suppressions'), []);
  const [error, setError] = useState(null);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${errorText(st.error)}<//>`;
  const rows = st.data.suppressions || [];
  const withdraw = async (id) => {
    try {
      await del(`/api/v1/screen/suppressions/${enc(id)}`);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return html`<section class="card" aria-labelledby="h-supp"><h2 id="h-supp">${t('screen.suppressions')}</h2>
    <p class="hint">${t('screen.suppressionsHint')}</p>
    <${Notice} kind="error">${errorText(error)}<//>
    ${rows.length
      ? html`<table class="list"><thead><tr><th scope="col">${t('screen.traveller')}</th><th scope="col">${t('screen.entry')}</th>
          <th scope="col">${t('screen.by')}</th><th scope="col">${t('screen.note')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
          <tbody>${rows.map((s) => html`<tr><td>${s.traveller && s.traveller.name}</td><td><a href=${href('object', [s.entry])}>${s.entry}</a></td>
            <td>${s.by} ${fmtTime(s.created)}</td><td>${s.note}</td>
            <td>${!s.withdrawn_at && has(session, 'write') && offers(session, 'DELETE api/v1/screen/suppressions/*')
              ? html`<button type="button" class="secondary" onClick=${() => withdraw(s.suppression)}>${t('screen.withdraw')}</button>` : null}</td></tr>`)}</tbody></table>`
      : html`<p>${t('screen.noSuppressions')}</p>`}
  </section>`;
}

function Dispose({ run, hit, session, onDone }) {
  const [d, setD] = useState(hit.disposition && hit.disposition !== 'open' ? hit.disposition : 'needs-review');
  const [note, setNote] = useState(hit.note || '');
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  if (!has(session, 'write')) return null;
  const submit = async (e) => {
    e.preventDefault();
    try {
      await post(`/api/v1/screen/${enc(run)}/hits/${hit.hit}`, { disposition: d, note });
      setDone(true);
      setError(null);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return html`<form class="dispose" onSubmit=${submit}>
    <${Select} label=${t('screen.disposition')} value=${d} onChange=${setD} options=${DISPOSITIONS.map((x) => ({ value: x, label: tv('disp', x) }))} />
    <${TextArea} label=${t('screen.note')} value=${note} onInput=${setNote} maxlength="2000" />
    <button type="submit">${t('screen.save')}</button>
    <${Notice} kind="error">${errorText(error)}<//>
    ${done ? html`<${Notice} kind="ok">${t('screen.saved')}<//>` : null}
  </form>`;
}

function Explanation({ ex }) {
  if (!ex) return null;
  return html`<div class="explain">
    <p>${t('screen.nameScore', { score: (ex.name_score ?? 0).toFixed(2) })} — <q>${ex.query_name}</q> ~ <q>${ex.entry_name}</q>
      ${ex.entry_name_quality ? html` <span class="muted">(${tv('quality', ex.entry_name_quality)})</span>` : null}</p>
    <table class="list small"><thead><tr><th scope="col">${t('screen.part')}</th><th scope="col">${t('screen.entryPart')}</th>
      <th scope="col">${t('screen.similarity')}</th><th scope="col">${t('screen.how')}</th></tr></thead>
      <tbody>${(ex.parts || []).map((p) => html`<tr><td>${p.query}</td><td>${p.entry}</td><td>${p.similarity === undefined ? '' : Number(p.similarity).toFixed(2)}</td><td>${tv('how', p.how)}</td></tr>`)}</tbody></table>
    ${(ex.qualifiers || []).length
      ? html`<ul class="plain">${ex.qualifiers.map((q) => html`<li>${tv('qual', q.kind)} ${q.delta > 0 ? '+' : ''}${Number(q.delta).toFixed(2)}: ${q.detail}</li>`)}</ul>`
      : null}
  </div>`;
}

function Traveller({ tr }) {
  if (!tr) return null;
  return html`<dl class="person">
    <dt>${t('screen.name')}</dt><dd>${tr.name}</dd>
    ${tr.date_of_birth ? html`<dt>${t('screen.born')}</dt><dd>${tr.date_of_birth}</dd>` : null}
    ${tr.nationality ? html`<dt>${t('screen.nationality')}</dt><dd>${tr.nationality}</dd>` : null}
    ${tr.document ? html`<dt>${t('screen.document')}</dt><dd>${tr.document}</dd>` : null}
    ${tr.flight ? html`<dt>${t('screen.flight')}</dt><dd>${tr.flight}</dd>` : null}
  </dl>`;
}

function Run({ id, session }) {
  const [st, reload] = useLoad(() => get(`/api/v1/screen/${enc(id)}`), [id]);
  const [open, setOpen] = useState(null);
  if (st.loading && !st.data) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${errorText(st.error)}<//>`;
  const r = st.data;
  const hits = r.hits || [];
  const sel = open === null ? hits[0] : hits.find((h) => h.hit === open);
  return html`<section>
    <p>${t('screen.runLine', { source: r.source || '', format: r.format, n: r.travellers.length, hits: hits.length, threshold: r.threshold })}
      <span class="muted"> ${fmtTime(r.created)} · ${r.actor}</span></p>
    <div class="run-layout">
      <div>
        <h2 id="h-hits">${t('screen.hitsTitle', { n: hits.length })}</h2>
        ${hits.length
          ? html`<${VirtualList} label=${t('screen.hitsTitle', { n: hits.length })} items=${hits} rowHeight=${44} height=${440}
              renderRow=${(h) => {
                const tr = r.travellers[h.traveller] || {};
                return html`<div class=${`vrow${sel && sel.hit === h.hit ? ' selected' : ''}`} key=${h.hit}>
                  <button type="button" class="rowbtn" aria-pressed=${sel && sel.hit === h.hit} onClick=${() => setOpen(h.hit)}>
                    <span class="score">${Number(h.score).toFixed(2)}</span>
                    <span class="who">${tr.name}</span>
                    <span class=${`state state-${h.disposition}`}>${tv('disp', h.disposition)}</span>
                  </button></div>`;
              }} />`
          : html`<p>${t('screen.noHits')}</p>`}
      </div>
      ${sel
        ? html`<div class="card hit" aria-labelledby="h-hit">
            <h2 id="h-hit">${t('screen.hit', { n: sel.hit })}</h2>
            <div class="side-by-side">
              <div><h3>${t('screen.traveller')}</h3><${Traveller} tr=${r.travellers[sel.traveller]} /></div>
              <div><h3>${t('screen.entry')}</h3>
                <dl class="person"><dt>${t('screen.list')}</dt><dd>${sel.entry.list} ${sel.entry.reference_number}</dd>
                  <dt>${t('screen.name')}</dt><dd>${sel.entry.name || (sel.explanation && sel.explanation.entry_name)}</dd></dl>
                ${has(session, 'read') ? html`<a href=${href('object', [sel.entry.id])}>${t('screen.openEntry')}</a>` : null}</div>
            </div>
            <h3>${t('screen.why', { score: Number(sel.score).toFixed(2) })}</h3>
            <${Explanation} ex=${sel.explanation} />
            <p>${t('screen.state')}: <strong>${tv('disp', sel.disposition)}</strong>
              ${sel.disposed_by ? ` — ${sel.disposed_by} ${fmtTime(sel.disposed_at)}` : ''}</p>
            ${sel.note ? html`<p class="note">${sel.note}</p>` : null}
            <${Dispose} key=${sel.hit} run=${r.run} hit=${sel} session=${session} onDone=${reload} />
          </div>`
        : null}
    </div>
    <h2>${t('screen.travellersTitle', { n: r.travellers.length })}</h2>
    <table class="list"><thead><tr><th scope="col">${t('screen.line')}</th><th scope="col">${t('screen.name')}</th><th scope="col">${t('screen.born')}</th>
      <th scope="col">${t('screen.nationality')}</th><th scope="col">${t('screen.document')}</th></tr></thead>
      <tbody>${r.travellers.slice(0, SHOWN).map((x) => html`<tr><td>${x.line || x.segment || ''}</td><td>${x.name}</td><td>${x.date_of_birth}</td><td>${x.nationality}</td><td>${x.document}</td></tr>`)}</tbody></table>
    ${r.travellers.length > SHOWN ? html`<p class="hint">${t('screen.travellersCut', { shown: SHOWN, n: r.travellers.length })}</p>` : null}
  </section>`;
}

export default function Screening({ route, session }) {
  const id = route.rest[0];
  return html`<section>
    <${PageTitle}>${id ? t('screen.runTitle') : t('screen.title')}<//>
    ${id ? html`<p><a href=${href('screening')}>${t('screen.back')}</a></p><${Run} id=${id} session=${session} />`
      : html`<${Upload} />
        ${offers(session, 'GET api/v1/screen') ? html`<${Runs} />` : null}
        ${offers(session, 'GET api/v1/screen/suppressions') ? html`<${Suppressions} session=${session} />` : null}`}
  </section>`;
}
