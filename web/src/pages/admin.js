// Administration: organisations, users, API keys and sharing groups, as
// far as the role allows (the server decides; the page offers only what
// the role may do). A new key is shown once, here, and never again.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { del, enc, get, post } from '../api.js';
import { fmtTime, t, tv } from '../i18n.js';
import { has } from '../pages.js';
import { Field, Loading, Notice, PageTitle, Select, errorText, useLoad } from '../components/ui.js';

function useAction(reload) {
  const [msg, setMsg] = useState(null);
  const run = async (fn, ok) => {
    try {
      const r = await fn();
      setMsg({ kind: 'ok', text: ok });
      reload();
      return r;
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) + (e.body && e.body.description ? ` (${e.body.description})` : '') });
      return null;
    }
  };
  return [msg, run];
}

function Orgs({ session, orgs, reload }) {
  const [name, setName] = useState('');
  const [msg, run] = useAction(reload);
  return html`<section class="card" aria-labelledby="h-orgs"><h2 id="h-orgs">${t('admin.orgs')}</h2>
    <table class="list"><thead><tr><th scope="col">${t('admin.name')}</th><th scope="col">${t('admin.identity')}</th><th scope="col">${t('admin.created')}</th></tr></thead>
      <tbody>${orgs.map((o) => html`<tr><td>${o.name}</td><td dir="ltr" class="muted">${o.identity}</td><td>${fmtTime(o.created)}</td></tr>`)}</tbody></table>
    ${has(session, 'hub-admin')
      ? html`<form class="inline-form" onSubmit=${(e) => { e.preventDefault(); run(() => post('/api/v1/orgs', { name }), t('admin.done')).then((r) => r && setName('')); }}>
          <${Field} label=${t('admin.newOrg')} value=${name} onInput=${setName} required />
          <button type="submit">${t('admin.add')}</button></form>`
      : null}
    <${Notice} kind=${msg && msg.kind}>${msg && msg.text}<//>
  </section>`;
}

const ROLES = ['reader', 'analyst', 'org-admin', 'hub-admin', 'auditor'];

function Users({ session, users, orgs, reload }) {
  const [u, setU] = useState({ name: '', org: session.org, role: 'analyst', clearance: '' });
  const [msg, run] = useAction(reload);
  const mayAdd = has(session, 'org-admin');
  const roles = has(session, 'hub-admin') ? ROLES : ROLES.slice(0, 3);
  const add = (e) => {
    e.preventDefault();
    const body = { name: u.name, org: u.org, role: u.role };
    if (u.clearance) body.clearance = u.clearance;
    run(() => post('/api/v1/users', body), t('admin.done')).then((r) => r && setU({ ...u, name: '' }));
  };
  return html`<section class="card" aria-labelledby="h-users"><h2 id="h-users">${t('admin.users')}</h2>
    <table class="list"><thead><tr><th scope="col">${t('admin.name')}</th><th scope="col">${t('admin.org')}</th><th scope="col">${t('admin.role')}</th>
      <th scope="col">${t('admin.clearance')}</th><th scope="col">${t('admin.state')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
      <tbody>${users.map((x) => html`<tr><td>${x.name}</td><td>${x.org}</td><td>${tv('role', x.role)}</td><td>${x.clearance}</td>
        <td>${x.disabled ? t('admin.disabled') : t('admin.enabled')}</td>
        <td>${mayAdd && !x.disabled && x.name !== session.user
          ? html`<button type="button" class="secondary" onClick=${() => run(() => post(`/api/v1/users/${enc(x.name)}/disable`, {}), t('admin.done'))}>${t('admin.disable', { name: x.name })}</button>`
          : null}</td></tr>`)}</tbody></table>
    ${mayAdd
      ? html`<form class="inline-form" onSubmit=${add}><h3>${t('admin.newUser')}</h3>
          <div class="grid">
            <${Field} label=${t('admin.name')} value=${u.name} onInput=${(v) => setU({ ...u, name: v })} required hint=${t('admin.userHint')} dir="ltr" />
            <${Select} label=${t('admin.org')} value=${u.org} onChange=${(v) => setU({ ...u, org: v })}
              options=${(has(session, 'hub-admin') ? orgs : orgs.filter((o) => o.name === session.org)).map((o) => ({ value: o.name, label: o.name }))} />
            <${Select} label=${t('admin.role')} value=${u.role} onChange=${(v) => setU({ ...u, role: v })} options=${roles.map((r) => ({ value: r, label: tv('role', r) }))} />
            <${Field} label=${t('admin.clearance')} value=${u.clearance} onInput=${(v) => setU({ ...u, clearance: v })} hint=${t('admin.clearanceHint')} />
          </div>
          <button type="submit">${t('admin.add')}</button></form>`
      : null}
    <${Notice} kind=${msg && msg.kind}>${msg && msg.text}<//>
  </section>`;
}

function Keys({ session, keys, users, reload }) {
  const [user, setUser] = useState(session.user);
  const [days, setDays] = useState('');
  const [fresh, setFresh] = useState(null);
  const [msg, run] = useAction(reload);
  const make = async (e) => {
    e.preventDefault();
    const body = { user };
    if (days) body.expires_days = Number(days);
    const r = await run(() => post('/api/v1/keys', body), t('admin.keyMade'));
    if (r) setFresh(r);
  };
  return html`<section class="card" aria-labelledby="h-keys"><h2 id="h-keys">${t('admin.keys')}</h2>
    <table class="list"><thead><tr><th scope="col">${t('admin.keyId')}</th><th scope="col">${t('admin.user')}</th><th scope="col">${t('admin.created')}</th>
      <th scope="col">${t('admin.expires')}</th><th scope="col">${t('admin.state')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
      <tbody>${keys.map((k) => html`<tr><td dir="ltr"><code>${k.id}</code></td><td>${k.user}</td><td>${fmtTime(k.created)}</td><td>${k.expires ? fmtTime(k.expires) : t('admin.never')}</td>
        <td>${k.revoked ? t('admin.revoked') : t('admin.active')}</td>
        <td>${k.revoked ? null : html`<button type="button" class="secondary" onClick=${() => run(() => del(`/api/v1/keys/${enc(k.id)}`), t('admin.done'))}>${t('admin.revoke', { id: k.id })}</button>`}</td></tr>`)}</tbody></table>
    <form class="inline-form" onSubmit=${make}><h3>${t('admin.newKey')}</h3>
      <div class="grid">
        <${Select} label=${t('admin.user')} value=${user} onChange=${setUser} options=${users.map((x) => ({ value: x.name, label: x.name }))} />
        <${Field} label=${t('admin.days')} value=${days} onInput=${setDays} type="number" hint=${t('admin.daysHint')} />
      </div>
      <button type="submit">${t('admin.makeKey')}</button></form>
    ${fresh
      ? html`<div class="notice notice-warn" role="status"><p>${t('admin.keyOnce', { user: fresh.user })}</p>
          <p><code class="secret" dir="ltr">${fresh.key}</code></p>
          <button type="button" class="secondary" onClick=${() => setFresh(null)}>${t('admin.keyStored')}</button></div>`
      : null}
    <${Notice} kind=${msg && msg.kind}>${msg && msg.text}<//>
  </section>`;
}

function Groups({ session, groups, orgs, reload }) {
  const [name, setName] = useState('');
  const [member, setMember] = useState({});
  const [msg, run] = useAction(reload);
  const admin = has(session, 'hub-admin');
  return html`<section class="card" aria-labelledby="h-groups"><h2 id="h-groups">${t('admin.groups')}</h2>
    ${groups.length
      ? html`<table class="list"><thead><tr><th scope="col">${t('admin.name')}</th><th scope="col">${t('admin.members')}</th>${admin ? html`<th scope="col">${t('admin.addMember')}</th>` : null}</tr></thead>
          <tbody>${groups.map((g) => html`<tr><td>${g.name}</td>
            <td><ul class="plain">${g.members.map((m) => html`<li>${m}${admin
              ? html` <button type="button" class="link" onClick=${() => run(() => del(`/api/v1/groups/${enc(g.name)}/members/${enc(m)}`), t('admin.done'))}>${t('admin.removeMember', { org: m, group: g.name })}</button>` : null}</li>`)}</ul></td>
            ${admin
              ? html`<td><form class="row-form" onSubmit=${(e) => { e.preventDefault(); run(() => post(`/api/v1/groups/${enc(g.name)}/members/${enc(member[g.name] || '')}`, {}), t('admin.done')); }}>
                  <${Select} label=${t('admin.memberOf', { group: g.name })} value=${member[g.name] || ''} onChange=${(v) => setMember({ ...member, [g.name]: v })}
                    options=${[{ value: '', label: '—' }].concat(orgs.filter((o) => !g.members.includes(o.name)).map((o) => ({ value: o.name, label: o.name })))} />
                  <button type="submit" disabled=${!member[g.name]}>${t('admin.add')}</button></form></td>`
              : null}</tr>`)}</tbody></table>`
      : html`<p>${t('admin.noGroups')}</p>`}
    ${admin
      ? html`<form class="inline-form" onSubmit=${(e) => { e.preventDefault(); run(() => post('/api/v1/groups', { name }), t('admin.done')).then((r) => r && setName('')); }}>
          <${Field} label=${t('admin.newGroup')} value=${name} onInput=${setName} required />
          <button type="submit">${t('admin.add')}</button></form>`
      : null}
    <${Notice} kind=${msg && msg.kind}>${msg && msg.text}<//>
  </section>`;
}

export default function Admin({ session }) {
  const [st, reload] = useLoad(
    () => Promise.all([get('/api/v1/orgs'), get('/api/v1/users'), get('/api/v1/keys'), get('/api/v1/groups')]),
    [],
  );
  if (st.loading && !st.data) return html`<${Loading} />`;
  if (st.error) return html`<section><${PageTitle}>${t('admin.title')}<//><${Notice} kind="error">${errorText(st.error)}<//></section>`;
  const [o, u, k, g] = st.data;
  return html`<section>
    <${PageTitle}>${t('admin.title')}<//>
    <${Orgs} session=${session} orgs=${o.orgs} reload=${reload} />
    <${Users} session=${session} users=${u.users} orgs=${o.orgs} reload=${reload} />
    <${Keys} session=${session} keys=${k.keys} users=${u.users} reload=${reload} />
    <${Groups} session=${session} groups=${g.groups} orgs=${o.orgs} reload=${reload} />
  </section>`;
}
