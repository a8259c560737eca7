// Partners (federation): each partner hub's status and lag, a preview of
// what would be shared with it and why not, and what was quarantined.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { enc, get } from '../api.js';
import { t } from '../i18n.js';
import { Loading, Notice, PageTitle, errorText, useLoad } from '../components/ui.js';
import { KV } from '../components/kv.js';

function Detail({ name, what }) {
  const [st] = useLoad(() => get(`/api/v1/partners/${enc(name)}/${what}`), [name, what]);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<${Notice} kind="error">${errorText(st.error)}<//>`;
  return html`<div class="card"><${KV} v=${st.data} /></div>`;
}

export default function Partners() {
  const [st] = useLoad(() => get('/api/v1/partners/status'), []);
  const [open, setOpen] = useState(null);
  if (st.loading) return html`<${Loading} />`;
  if (st.error) return html`<section><${PageTitle}>${t('partners.title')}<//><${Notice} kind="error">${errorText(st.error)}<//></section>`;
  const rows = st.data.partners || [];
  return html`<section>
    <${PageTitle}>${t('partners.title')}<//>
    ${rows.length ? null : html`<p>${t('partners.none')}</p>`}
    ${rows.map((p) => html`<section class="card" aria-label=${p.name}>
      <h2>${p.name}</h2><${KV} v=${p} />
      <button type="button" class="secondary" onClick=${() => setOpen({ name: p.name, what: 'preview' })}>${t('partners.preview')}</button>
      <button type="button" class="secondary" onClick=${() => setOpen({ name: p.name, what: 'quarantine' })}>${t('partners.quarantine')}</button>
      ${open && open.name === p.name ? html`<${Detail} name=${open.name} what=${open.what} />` : null}
    </section>`)}
  </section>`;
}
