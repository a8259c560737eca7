// The web console in a real browser (Debian's chromium, headless, driven
// by playwright-core) against a real `vigil serve` on loopback: sign in
// and out, an expired session, CSRF refused, every page for every role
// with only what the role may see, the XSS string as text everywhere, a
// screening upload with a disposition, 10,000 hits in a windowed list,
// the Arabic layout, axe-core on every page, and screenshots of every
// page in the three languages (written under the build folder).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Server, XSS, http, makeHub } from './hub.mjs';

const CHROMIUM = process.env.VIGIL_CHROMIUM || '/usr/bin/chromium';
const MODULES = process.env.VIGIL_UI_MODULES;
const SHOTS = process.env.VIGIL_SCREENSHOTS;
const require = createRequire(join(MODULES, 'noop.js'));
const { chromium } = require('playwright-core');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let hub;
let browser;
const timings = {};
const LANG_NAMES = { en: 'English', fr: 'Français', ar: 'العربية' };
const SIGN_IN = { en: 'Sign in', fr: 'Se connecter', ar: 'دخول' };
const USER = { en: 'User name', fr: "Nom d'utilisateur", ar: 'اسم المستخدم' };
const KEY = { en: 'API key', fr: "Clé d'API", ar: 'مفتاح API' };

before(async () => {
  // no browser is a failure, never a skip: make deps installs it
  assert.ok(existsSync(CHROMIUM), `chromium is missing at ${CHROMIUM}: run 'make deps' (apt-get install chromium)`);
  mkdirSync(SHOTS, { recursive: true });
  hub = await makeHub();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  if (browser) await browser.close();
  if (hub) await hub.close();
  writeFileSync(join(SHOTS, 'timings.json'), JSON.stringify(timings, null, 1));
});

// A page that fails the test on any dialog (an executed alert), page
// error or CSP violation.
async function newPage(lang = 'en', base = hub.server.base) {
  const ctx = await browser.newContext({ locale: lang === 'en' ? 'en-GB' : lang === 'fr' ? 'fr-FR' : 'ar', viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(10000);
  page.problems = [];
  page.on('dialog', async (d) => {
    page.problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) page.problems.push(`csp: ${m.text()}`);
  });
  page.base = base;
  return page;
}

async function signIn(page, user, lang = 'en') {
  await page.goto(`${page.base}/ui/`);
  await page.getByLabel(USER[lang]).fill(user);
  await page.getByLabel(KEY[lang]).fill(hub.keys[user]);
  await page.getByRole('button', { name: SIGN_IN[lang] }).click();
  await page.waitForSelector('nav.menu');
}

// Load the console at a route (the session cookie signs it in); wait for
// what shows the page is ready: the time a person waits for it.
async function visit(page, route, ready, name) {
  const t0 = Date.now();
  await page.goto(`${page.base}/ui/${route}`);
  await page.waitForSelector(ready, { timeout: 10000 });
  await page.waitForFunction(() => !document.querySelector('.loading'));
  const ms = Date.now() - t0;
  if (name) timings[name] = Math.max(timings[name] || 0, ms);
  return ms;
}

async function clean(page, where) {
  assert.deepEqual(page.problems, [], `${where}: ${page.problems.join('; ')}`);
  assert.equal(await page.locator('img[src="x"]').count(), 0, `${where}: an img element was made from data`);
}

async function axe(page, where) {
  await page.evaluate(AXE);
  const v = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((x) => ({ id: x.id, impact: x.impact, help: x.help, target: x.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
  assert.deepEqual(bad, [], `${where}: accessibility violations ${JSON.stringify(bad)}`);
}

async function menu(page) {
  return page.$$eval('nav.menu a', (as) => as.map((a) => a.getAttribute('href')));
}

test('the console is served with its security headers, cached and compressed', async () => {
  const r = await fetch(`${hub.server.base}/ui/`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(r.status, 200);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  const html = await r.text();
  assert.doesNotMatch(html, /<script>|<style|style=/, 'no inline script or style');
  const js = html.match(/src="(app-[^"]+\.js)"/)[1];
  const a = await fetch(`${hub.server.base}/ui/${js}`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(a.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(a.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const etag = a.headers.get('etag');
  const again = await fetch(`${hub.server.base}/ui/${js}`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const root = await fetch(`${hub.server.base}/`, { redirect: 'manual' });
  assert.equal(root.headers.get('location'), '/ui/');
});

test('sign in and sign out', async () => {
  const page = await newPage();
  await page.goto(`${hub.server.base}/ui/`);
  await page.getByLabel('User name').fill('alpha-analyst');
  await page.getByLabel('API key').fill('vgk_0000000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The user name and key do not match a valid key.').waitFor();
  await signIn(page, 'alpha-analyst');
  const cookies = await page.context().cookies();
  const c = cookies.find((x) => x.name === 'vigil_session');
  assert.ok(c.httpOnly, 'the session cookie is HttpOnly');
  assert.equal(c.sameSite, 'Strict');
  // nothing secret in the page's storage
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.doesNotMatch(stored, /vgk_|csrf/);
  assert.ok(!(await page.evaluate(() => document.cookie)).includes('vigil_session'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
  const r = await page.evaluate(() => fetch('/api/v1/session').then((x) => x.status));
  assert.equal(r, 401);
  await clean(page, 'sign out');
  await page.context().close();
});

test('an idle session expires and the console asks to sign in again', async () => {
  const short = await Server.start(hub.data, ['session_idle_seconds=1']);
  try {
    const page = await newPage('en', short.base);
    await signIn(page, 'alpha-analyst');
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Search' }).waitFor();
    await new Promise((r) => setTimeout(r, 2200));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    await clean(page, 'expiry');
    await page.context().close();
  } finally {
    await short.stop();
  }
});

test('a change without the session CSRF token is refused and changes nothing', async () => {
  const page = await newPage();
  await signIn(page, 'alpha-admin');
  const before = (await http(hub.server.base, 'GET', '/api/v1/users', { key: hub.keys.admin })).json.users.length;
  const statuses = await page.evaluate(async () => {
    const body = JSON.stringify({ name: 'forged-user', org: 'alpha', role: 'analyst' });
    const none = await fetch('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const wrong = await fetch('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'x'.repeat(43) }, body });
    const out = await fetch('/api/v1/session', { method: 'DELETE' });
    return [none.status, wrong.status, out.status];
  });
  assert.deepEqual(statuses, [403, 403, 403]);
  const users = (await http(hub.server.base, 'GET', '/api/v1/users', { key: hub.keys.admin })).json.users;
  assert.equal(users.length, before);
  assert.ok(!users.some((u) => u.name === 'forged-user'));
  // the session is still open: the refused sign-out did not end it
  assert.equal(await page.evaluate(() => fetch('/api/v1/session').then((x) => x.status)), 200);
  await page.context().close();
});

// What each role's menu offers, the pages it renders, and that bravo
// never sees alpha's private object anywhere.
const ROLES = {
  'alpha-reader': ['#/search', '#/screening', '#/admin'],
  'alpha-analyst': ['#/search', '#/screening', '#/admin'],
  'alpha-admin': ['#/search', '#/screening', '#/admin'],
  'bravo-analyst': ['#/search', '#/screening', '#/admin'],
  admin: ['#/search', '#/screening', '#/admin'],
  auditor: ['#/audit', '#/admin'],
};
const READY = {
  '#/search': 'form[role=search]',
  '#/screening': 'input[type=file]',
  '#/admin': '#h-keys',
  '#/audit': '#h-verify',
  '#/dashboard': 'h1',
  '#/graph': '.graph',
  '#/alerts': '#h-watches',
  '#/partners': 'h1',
};

for (const [user, pages] of Object.entries(ROLES)) {
  test(`every page renders for ${user} with only what the role may see`, async () => {
    const page = await newPage();
    await signIn(page, user);
    const offered = (await menu(page)).filter((h) => READY[h]);
    assert.deepEqual(offered.filter((h) => !['#/dashboard', '#/graph', '#/alerts', '#/partners'].includes(h)), pages);
    for (const route of offered) {
      await visit(page, route, READY[route], `${route} (${user})`);
      await clean(page, `${route} as ${user}`);
      await axe(page, `${route} as ${user}`);
    }
    if (user !== 'auditor') {
      await visit(page, '#/search?q=Alpha+private', 'p[role=status]', '#/search results');
      const sees = await page.getByText('Alpha private secret operation').count();
      assert.equal(sees > 0, user.startsWith('alpha') , `${user} and alpha's private object in search`);
      await visit(page, `#/object/${hub.ids.alphaPrivate}`, 'main h1', '#/object');
      const found = (await page.getByText('for alpha only').count()) > 0;
      assert.equal(found, user.startsWith('alpha'), `${user} and alpha's private object's page`);
      if (!found) await page.getByText('Not found, or not visible to you.').waitFor();
      await visit(page, `#/object/${hub.ids.xssActor}`, '#h-access', '#/object');
      await axe(page, `object as ${user}`);
      // the graph and alerts, where this server has them
      const routes = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()).then((s) => s.routes));
      if (routes.includes('GET api/v1/graph/neighbours')) {
        const g = await page.evaluate((id) => fetch(`/api/v1/graph/neighbours?id=${id}&depth=3`).then((r) => r.text()), hub.ids.xssActor);
        assert.equal(g.includes(hub.ids.alphaPrivate), user.startsWith('alpha'));
      }
      if (routes.includes('GET api/v1/alerts')) {
        const a = await page.evaluate(() => fetch('/api/v1/alerts?limit=1000').then((r) => r.text()));
        if (!user.startsWith('alpha')) assert.ok(!a.includes(hub.ids.alphaPrivate));
      }
    } else {
      const r = await page.evaluate(() => fetch('/api/v1/search?q=x').then((x) => x.status));
      assert.equal(r, 403, 'an auditor reads no intelligence');
    }
    await clean(page, user);
    await page.context().close();
  });
}

test('the XSS string shows as text on every page', async () => {
  const page = await newPage();
  await signIn(page, 'admin');
  await visit(page, '#/search?q=img', 'table.list', 'xss search');
  assert.ok((await page.getByRole('link', { name: XSS, exact: true }).count()) >= 1, 'the name is a link text');
  await clean(page, 'search');
  await visit(page, `#/object/${hub.ids.xssActor}`, '#h-versions', 'xss object');
  await page.getByRole('heading', { name: XSS, exact: true }).waitFor();
  await page.getByText('seen again', { exact: true }).waitFor();
  // the versions compared: the description changed
  await page.getByText('description (changed)').waitFor();
  await page.getByRole('button', { name: 'Show the STIX JSON' }).click();
  await clean(page, 'object');
  // the object's relationship and sighting, seen from the malware
  await visit(page, `#/object/${hub.ids.malware}`, '#h-rels', 'xss related');
  await page.locator('#h-rels + ul').getByText(XSS).first().waitFor();
  await clean(page, 'related');
  await visit(page, '#/admin', '#h-orgs', 'xss admin');
  await page.locator('#h-orgs + table').getByText(XSS, { exact: true }).waitFor();
  await clean(page, 'admin');
  await page.context().close();
  const audit = await newPage();
  await signIn(audit, 'auditor');
  await visit(audit, '#/audit', '#h-verify', 'xss audit');
  await audit.getByLabel('Action', { exact: true }).fill('auth.fail');
  await audit.getByRole('button', { name: 'Show entries' }).click();
  await audit.locator('.vlist').getByText(XSS).first().waitFor();
  await clean(audit, 'audit');
  await audit.getByRole('button', { name: 'Verify', exact: true }).click();
  await audit.getByText(/^Intact:/).waitFor();
  await audit.context().close();
});

test('a screening upload, its hits explained, and a disposition with a note', async () => {
  const page = await newPage();
  await signIn(page, 'alpha-analyst');
  await visit(page, '#/screening', 'input[type=file]', '#/screening');
  const csv = 'surname,given_names,date_of_birth,nationality\nKORSAKOVS,Valdis,1979-05-14,LV\n' + `${XSS},Someone,1980-01-01,FR\n`;
  await page.setInputFiles('input[type=file]', { name: 'manifest.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Screen', exact: true }).click();
  await page.waitForSelector('#h-hit');
  timings['screening run'] = Date.now() - t0;
  await page.getByText('Valdis KORSAKOVS').first().waitFor();
  await page.getByText('ALi.001').waitFor();
  await page.locator('table').getByText(XSS, { exact: false }).first().waitFor();
  await page.getByLabel('Disposition').selectOption('false-positive');
  await page.getByLabel('Note').fill('born elsewhere; different passport');
  await page.getByRole('button', { name: 'Save the disposition' }).click();
  await page.getByText('Saved.').waitFor();
  await page.locator('.card.hit strong').getByText('false positive', { exact: true }).waitFor();
  await axe(page, 'screening run');
  await clean(page, 'screening');
  const run = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
  const r = await http(hub.server.base, 'GET', `/api/v1/screen/${run}`, { key: hub.keys['alpha-analyst'] });
  assert.equal(r.json.hits[0].disposition, 'false-positive');
  assert.equal(r.json.hits[0].note, 'born elsewhere; different passport');
  await page.context().close();
});

test('10,000 hits scroll in a windowed list', async () => {
  const rows = ['surname,given_names,date_of_birth,nationality'];
  for (let i = 0; i < 10000; i++) rows.push('KORSAKOVS,Valdis,1979-05-14,LV');
  const r = await http(hub.server.base, 'POST', '/api/v1/screen', { key: hub.keys['alpha-analyst'], body: rows.join('\n'), headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.hits.length, 10000);
  const page = await newPage();
  await signIn(page, 'alpha-analyst');
  const ms = await visit(page, `#/screening/${r.json.run}`, '#h-hit', 'screening run of 10,000 hits');
  const inDom = await page.locator('.vlist .vrow').count();
  assert.ok(inDom < 60, `only the rows in view are in the document (${inDom})`);
  const t0 = Date.now();
  for (let y = 0; y <= 10000 * 44; y += 44 * 500) {
    await page.locator('.vlist').evaluate((el, top) => {
      el.scrollTop = top;
    }, y);
    await page.waitForTimeout(16);
  }
  await page.locator('.vlist').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await page.waitForFunction(() => [...document.querySelectorAll('.vlist .vrow .score')].length > 0 && document.querySelector('.vlist').scrollTop > 400000);
  timings['scroll 10,000 hits'] = Date.now() - t0;
  assert.ok(ms < 5000, `the run of 10,000 hits is shown in ${ms} ms`);
  await clean(page, 'big run');
  await page.context().close();
});

test('Arabic is laid out right to left, French and English left to right, with a switch', async () => {
  const ar = await newPage('ar');
  await ar.goto(`${hub.server.base}/ui/`);
  await ar.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
  assert.equal(await ar.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await ar.getAttribute('html', 'lang'), 'ar');
  await signIn(ar, 'admin', 'ar');
  const box = await ar.locator('nav.menu a').first().boundingBox();
  assert.ok(box.x > 640, 'the menu starts on the right');
  await ar.getByLabel('اللغة').selectOption('fr');
  await ar.getByRole('link', { name: 'Recherche' }).waitFor();
  assert.equal(await ar.getAttribute('html', 'dir'), 'ltr');
  assert.equal(await ar.getAttribute('html', 'lang'), 'fr');
  await clean(ar, 'languages');
  await ar.context().close();
});

test('screenshots of every page in English, French and Arabic', async () => {
  for (const lang of ['en', 'fr', 'ar']) {
    const page = await newPage(lang);
    await page.goto(`${hub.server.base}/ui/`);
    await page.waitForSelector('form');
    await page.screenshot({ path: join(SHOTS, `${lang}-signin.png`) });
    await signIn(page, 'alpha-analyst', lang);
    const shots = [
      ['search', '#/search?q=Sandcrawler', 'table.list'],
      ['search-all', '#/search?all=1', 'table.list'],
      ['object', `#/object/${hub.ids.xssActor}`, '#h-versions'],
      ['screening', '#/screening', 'input[type=file]'],
      ['admin', '#/admin', '#h-keys'],
    ];
    for (const [name, route, ready] of shots) {
      await visit(page, route, ready, `#/${name}`);
      await page.screenshot({ path: join(SHOTS, `${lang}-${name}.png`), fullPage: true });
    }
    // a run with its hit explained
    const csv = 'surname,given_names,date_of_birth,nationality\nKORSAKOVS,Valdis,1979-05-14,LV\nLINDQVIST,Sofia,2001-09-09,SE\n';
    const r = await http(hub.server.base, 'POST', '/api/v1/screen?list=un', { key: hub.keys['alpha-analyst'], body: csv, headers: { 'Content-Type': 'text/csv' } });
    await visit(page, `#/screening/${r.json.run}`, '#h-hit', '#/screening/RUN');
    await page.screenshot({ path: join(SHOTS, `${lang}-screening-run.png`), fullPage: true });
    await clean(page, `screenshots ${lang}`);
    await page.context().close();
    const audit = await newPage(lang);
    await signIn(audit, 'auditor', lang);
    await visit(audit, '#/audit', '#h-verify', '#/audit');
    await audit.locator('form.card button[type=submit]').click();
    await audit.waitForSelector('.vlist');
    await audit.locator('.vlist .rowbtn').nth(3).click();
    await audit.screenshot({ path: join(SHOTS, `${lang}-audit.png`), fullPage: true });
    await audit.context().close();
  }
  for (const lang of Object.keys(LANG_NAMES)) assert.ok(existsSync(join(SHOTS, `${lang}-object.png`)));
});

test('every page was interactive within a second on loopback', () => {
  const slow = Object.entries(timings).filter(([k, ms]) => !/10,000|scroll|screening run$/.test(k) && ms > 1000);
  assert.deepEqual(slow, [], `pages slower than 1 s: ${JSON.stringify(slow)}`);
});
