// The console's pages of early warning and federation in a real browser
// (Debian's chromium, headless, playwright-core) against a real `vigil
// serve` with the demo hub and a second hub as its partner: the
// dashboard, the graph, watches and alerts, correlations on the object
// page and the partners page, for every role with only what the role may
// see; the XSS string as text; a watch made in the console and its alert
// arriving live; a watch changed and its new term alerting live;
// acknowledgement; 10,000 alerts in a windowed list;
// thousands of graph nodes; axe-core on every page; screenshots in the
// three languages; the first load's size.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Server, XSS, http, makeHub, vigil } from './hub.mjs';

const CHROMIUM = process.env.VIGIL_CHROMIUM || '/usr/bin/chromium';
const MODULES = process.env.VIGIL_UI_MODULES;
const SHOTS = process.env.VIGIL_SCREENSHOTS;
const require = createRequire(join(MODULES, 'noop.js'));
const { chromium } = require('playwright-core');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const SIGN_IN = { en: 'Sign in', fr: 'Se connecter', ar: 'دخول' };
const USER = { en: 'User name', fr: "Nom d'utilisateur", ar: 'اسم المستخدم' };
const KEY = { en: 'API key', fr: "Clé d'API", ar: 'مفتاح API' };
const ROLES = ['admin', 'alpha-reader', 'alpha-analyst', 'alpha-admin', 'bravo-analyst', 'auditor'];
const PRIVATE_NAME = 'Alpha private secret operation';
const ts = (m) => `2026-0${m}-01T00:00:00.000Z`;

let hub;
let partner; // the second hub, 'hub-p', that this hub pulls from
let partnerDir;
let pKey; // the key hub-p uses here
let browser;
let star; // a malware that thousands of notes refer to
const timings = {};

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium is missing at ${CHROMIUM}: run 'make deps' (apt-get install chromium)`);
  mkdirSync(SHOTS, { recursive: true });
  partnerDir = mkdtempSync(join(tmpdir(), 'vigil-ui-p-'));
  const pdata = join(partnerDir, 'data');
  vigil(pdata, ['init', '--json', '--hub-name', 'hub-p']);
  // hub-p lets this hub pull from it: the key this hub uses there
  const forMain = JSON.parse(vigil(pdata, ['partner', 'add', 'main', '--url', 'http://127.0.0.1:9/taxii2/hub/', '--direction', 'push', '--json'])).key;
  partner = await Server.start(pdata);
  hub = await makeHub({
    beforeServe: (data) => {
      pKey = JSON.parse(vigil(data, ['partner', 'add', 'hub-p', '--url', `${partner.base}/taxii2/hub/`, '--direction', 'pull', '--interval', '2', '--secret-file', '-', '--json'], forMain)).key;
    },
  });
  star = `malware--${crypto.randomUUID()}`;
  await hub.post(hub.keys.admin, 'community', [{ type: 'malware', spec_version: '2.1', id: star, created: ts(3), modified: ts(3), name: 'Star loader', is_family: true }]);
  await notes(2000);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  if (browser) await browser.close();
  if (hub) await hub.close();
  if (partner) await partner.stop();
  if (partnerDir) rmSync(partnerDir, { recursive: true, force: true });
  writeFileSync(join(SHOTS, 'timings-warn.json'), JSON.stringify(timings, null, 1));
});

// n notes that refer to the star, posted by the hub admin, 1,000 a request
async function notes(n) {
  for (let i = 0; i < n; i += 1000) {
    const objs = [];
    for (let j = i; j < Math.min(n, i + 1000); j++)
      objs.push({ type: 'note', spec_version: '2.1', id: `note--${crypto.randomUUID()}`, created: ts(4), modified: ts(4), content: `note ${j}`, object_refs: [star] });
    await hub.post(hub.keys.admin, 'community', objs);
  }
}

async function newPage(lang = 'en') {
  const ctx = await browser.newContext({ locale: lang === 'en' ? 'en-GB' : lang === 'fr' ? 'fr-FR' : 'ar', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  page.problems = [];
  page.on('dialog', async (d) => {
    page.problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) page.problems.push(`csp: ${m.text()}`);
  });
  return page;
}

async function signIn(page, user, lang = 'en') {
  await page.goto(`${hub.server.base}/ui/`);
  await page.getByLabel(USER[lang]).fill(user);
  await page.getByLabel(KEY[lang]).fill(hub.keys[user]);
  await page.getByRole('button', { name: SIGN_IN[lang] }).click();
  await page.waitForSelector('nav.menu');
}

async function visit(page, route, ready, name) {
  const t0 = Date.now();
  await page.goto(`${hub.server.base}/ui/${route}`);
  await page.waitForSelector(ready, { timeout: 15000 });
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

// nothing of alpha's private object in what the page shows or holds
async function nothingPrivate(page, where) {
  const text = await page.evaluate(() => document.body.innerText + document.body.innerHTML);
  assert.ok(!text.includes(PRIVATE_NAME), `${where}: alpha's private name is shown`);
  assert.ok(!text.includes(hub.ids.alphaPrivate), `${where}: alpha's private id is shown`);
}

const PAGES = {
  dashboard: ['#/dashboard', '#h-dash-trends'],
  graph: ['#/graph', '.graph[data-ready]'],
  alerts: ['#/alerts', '#h-watches'],
  partners: ['#/partners', 'h1'],
};

test('the first load stays under 300 KB compressed; the graph and chart libraries load with their pages', async () => {
  const page = await newPage();
  const sizes = [];
  page.on('response', async (r) => {
    const len = Number(r.headers()['content-length'] || 0);
    sizes.push({ url: r.url(), len, gzip: r.headers()['content-encoding'] === 'gzip' });
  });
  await page.goto(`${hub.server.base}/ui/`);
  await page.getByLabel('User name').waitFor();
  await page.waitForLoadState('networkidle');
  const total = sizes.reduce((a, s) => a + s.len, 0);
  assert.ok(sizes.every((s) => s.gzip || s.len < 2048), `every file of the first load is gzipped: ${JSON.stringify(sizes)}`);
  assert.ok(total < 300 * 1024, `the first load is ${total} bytes`);
  timings['first load bytes'] = total;
  const report = JSON.parse(readFileSync(join(MODULES, '..', 'ui-size.json'), 'utf8'));
  assert.ok(report.firstLoadGzip < 300 * 1024, `ui-size.json: ${report.firstLoadGzip}`);
  // what the sign-in page fetched holds neither Cytoscape nor uPlot
  for (const s of sizes.filter((x) => x.url.endsWith('.js'))) {
    const body = await (await fetch(s.url)).text();
    assert.ok(!/cytoscape|uPlot/.test(body), `${s.url} is loaded first and holds a page's library`);
  }
  await clean(page, 'first load');
  await page.context().close();
});

for (const user of ROLES) {
  test(`the new pages for ${user}: only what the role may see`, async () => {
    const page = await newPage();
    await signIn(page, user);
    const links = await menu(page);
    const reads = user !== 'auditor';
    for (const p of ['dashboard', 'graph', 'alerts']) assert.equal(links.includes(`#/${p}`), reads, `${user}: ${p} in the menu`);
    assert.equal(links.includes('#/partners'), user === 'admin', `${user}: partners in the menu`);
    for (const [name, [route, ready]] of Object.entries(PAGES)) {
      if (!links.includes(route)) {
        // not offered: the address answers that the page is not for them
        await page.goto(`${hub.server.base}/ui/${route}`);
        await page.getByText('This page is not available here.').waitFor();
        continue;
      }
      await visit(page, route, ready, `${route} (${user})`);
      await axe(page, `${name} as ${user}`);
      await nothingPrivate(page, `${name} as ${user}`);
    }
    if (reads) {
      // the graph around the shared actor, three steps out
      await visit(page, `#/graph?id=${hub.ids.xssActor}`, '.graph[data-nodes]', '#/graph?id');
      await page.getByText(/\d+ objects, \d+ links/).waitFor();
      await page.locator('.graph-nodes summary').click();
      await page.locator('.graph-nodes').getByText(XSS, { exact: true }).first().waitFor();
      // alpha's private object: a graph for alpha, no such object for others
      const g = await page.evaluate((id) => fetch(`/api/v1/graph/neighbours?id=${id}&depth=2`).then((r) => r.status), hub.ids.alphaPrivate);
      assert.equal(g, user.startsWith('alpha') ? 200 : 404);
      if (user === 'bravo-analyst') {
        await nothingPrivate(page, 'graph of the actor as bravo');
        await visit(page, `#/search?q=${encodeURIComponent('Alpha private')}`, 'main form', 'search private');
        await nothingPrivate(page, 'search as bravo');
        const a = await page.evaluate(() => fetch('/api/v1/alerts?limit=1000').then((r) => r.text()));
        assert.ok(!a.includes(hub.ids.alphaPrivate) && !a.includes(PRIVATE_NAME));
      }
    }
    await clean(page, user);
    await page.context().close();
  });
}

test('watches of every kind are made and removed in the console', async () => {
  const page = await newPage();
  await signIn(page, 'alpha-analyst');
  await visit(page, '#/alerts', '#h-watches', '#/alerts');
  const form = page.locator('form.new-watch');
  const make = async (kind, fill, name) => {
    await form.getByLabel('Kind').selectOption(kind);
    await fill();
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByRole('button', { name: 'Make the watch' }).click();
    await page.getByText(/^Watch made: \d+ alerts from data already held\./).waitFor();
    await page.locator('table.watches').getByText(name, { exact: true }).waitFor();
  };
  await make('value', () => form.getByLabel(/^Value/).fill('203.0.113.0/24'), 'w-value');
  await make('name', async () => {
    await form.getByLabel('Name to watch').fill('Valdis Korsakovs');
    await form.getByLabel('The name of').selectOption('person');
    await form.getByLabel(/^Score needed/).fill('0.8');
  }, 'w-name');
  await make('document', () => form.getByLabel('Document number').fill('X-123 4567'), 'w-document');
  await make('pattern', () => form.getByLabel('STIX pattern').fill("[domain-name:value = 'watched.example.org']"), 'w-pattern');
  await make('object', () => form.getByLabel('Object id').fill(hub.ids.malware), 'w-object');
  await make('query', async () => {
    await form.getByLabel('Types').fill('malware, tool');
    await form.getByLabel('Labels').fill('ui-test');
  }, 'w-query');
  // a pattern that does not parse is refused with the server's reason
  await form.getByLabel('Kind').selectOption('pattern');
  await form.getByLabel('STIX pattern').fill('[ipv4-addr:value = ');
  await form.getByLabel('Name', { exact: true }).fill('broken');
  await form.getByRole('button', { name: 'Make the watch' }).click();
  await page.getByText(/^The watch was refused: /).waitFor();
  const r = await http(hub.server.base, 'GET', '/api/v1/watches', { key: hub.keys['alpha-analyst'] });
  const byName = Object.fromEntries(r.json.watches.map((w) => [w.name, w]));
  assert.deepEqual(['value', 'name', 'document', 'pattern', 'object', 'query'].map((k) => byName[`w-${k}`] && byName[`w-${k}`].kind), ['value', 'name', 'document', 'pattern', 'object', 'query']);
  assert.deepEqual(JSON.parse(byName['w-query'].term), { types: ['malware', 'tool'], labels: ['ui-test'] });
  assert.equal(byName['w-name'].threshold, 0.8);
  assert.ok(!byName.broken);
  // the object watch found the relationship and sighting held already
  await page.locator('.vlist').getByText(/w-object: /).first().waitFor();
  // removed
  await page.getByRole('button', { name: 'Remove w-document' }).click();
  await page.getByText('Watch w-document removed.').waitFor();
  const after = await http(hub.server.base, 'GET', '/api/v1/watches', { key: hub.keys['alpha-analyst'] });
  assert.ok(!after.json.watches.some((w) => w.name === 'w-document'));
  assert.equal(after.json.watches.length, r.json.watches.length - 1);
  await axe(page, 'alerts with watches');
  await clean(page, 'watches');
  await page.context().close();
});

test('a watch made in the console and its alert arriving live, then acknowledged; bravo gets nothing of alpha', async () => {
  const alpha = await newPage();
  await signIn(alpha, 'alpha-analyst');
  await visit(alpha, '#/alerts', '#h-watches', '#/alerts');
  const bravo = await newPage();
  await signIn(bravo, 'bravo-analyst');
  await visit(bravo, '#/alerts', '#h-watches', '#/alerts (bravo)');
  for (const page of [alpha, bravo]) {
    const form = page.locator('form.new-watch');
    await form.getByLabel('Kind').selectOption('value');
    await form.getByLabel(/^Value/).fill('198.51.100.231');
    await form.getByLabel('Name', { exact: true }).fill(XSS);
    await form.getByRole('button', { name: 'Make the watch' }).click();
    await page.getByText('Watch made: 0 alerts from data already held.').waitFor();
    await page.locator('table.watches').getByText(XSS, { exact: true }).waitFor();
    await page.getByText('Live: new alerts appear as they arrive.').waitFor();
  }
  const bravoRows = await bravo.locator('.vlist .vrow').count();
  // alpha posts, in its own collection, an indicator with the address
  const id = `indicator--${crypto.randomUUID()}`;
  const t0 = Date.now();
  await hub.post(hub.keys['alpha-analyst'], 'org-alpha', [
    { type: 'indicator', spec_version: '2.1', id, created: ts(5), modified: ts(5), name: 'Alpha live private', pattern: "[ipv4-addr:value = '198.51.100.231']",
      pattern_type: 'stix', valid_from: ts(5) },
  ]);
  const row = alpha.locator('.vlist .vrow', { hasText: '198.51.100.231' }).first();
  await row.waitFor();
  timings['POST to the alert on the page'] = Date.now() - t0;
  await row.getByText(XSS).waitFor(); // the watch's name, as text
  await row.getByRole('button').click();
  await alpha.locator('.alert-detail').getByRole('link', { name: id }).waitFor();
  await alpha.locator('.alert-detail').getByText(XSS, { exact: true }).waitFor();
  await alpha.getByRole('button', { name: 'Acknowledge' }).click();
  await alpha.getByText('Acknowledged by alpha-analyst').waitFor();
  const seq = Number(await row.locator('.seq').innerText());
  const r = await http(hub.server.base, 'GET', `/api/v1/alerts?after=${seq - 1}&limit=1`, { key: hub.keys['alpha-analyst'] });
  assert.equal(r.json.alerts[0].seq, seq);
  assert.equal(r.json.alerts[0].acked_by, 'alpha-analyst');
  // after a reload, still acknowledged
  await visit(alpha, '#/alerts', '.vlist', '#/alerts (reload)');
  await alpha.locator('.vlist .vrow', { hasText: '198.51.100.231' }).first().getByText('acknowledged').waitFor();
  // bravo's page got nothing about alpha's private indicator
  await bravo.waitForTimeout(1500);
  assert.equal(await bravo.locator('.vlist .vrow').count(), bravoRows);
  const text = await bravo.evaluate(() => document.body.innerText);
  assert.ok(!text.includes(id) && !text.includes('Alpha live private'));
  await axe(alpha, 'alerts live');
  await clean(alpha, 'alerts live');
  await clean(bravo, 'alerts bravo');
  await alpha.context().close();
  await bravo.context().close();
});

test('a watch changed in the console: its new term alerts live, the old one no more; bravo cannot change it', async () => {
  const made = await http(hub.server.base, 'POST', '/api/v1/watches', {
    key: hub.keys['alpha-analyst'], body: { kind: 'value', term: '198.51.100.240', name: 'w-edit' },
  });
  assert.equal(made.status, 201, made.text);
  const wid = made.json.id;
  const page = await newPage();
  await signIn(page, 'alpha-analyst');
  await visit(page, '#/alerts', '#h-watches', '#/alerts');
  await page.getByText('Live: new alerts appear as they arrive.').waitFor();
  await page.getByRole('button', { name: 'Change w-edit' }).click();
  const form = page.locator('form.edit-watch');
  await form.getByRole('heading', { name: 'Change the watch w-edit' }).waitFor();
  // prefilled; the kind shown, not a field
  assert.equal(await form.locator('.watch-kind').innerText(), await page.locator('table.watches tr', { hasText: 'w-edit' }).locator('td').nth(1).innerText());
  assert.equal(await form.locator('select').count(), 0);
  assert.equal(await form.getByLabel(/^Value/).inputValue(), '198.51.100.240');
  assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'w-edit');
  await form.screenshot({ path: join(SHOTS, 'en-watch-edit.png') });
  // refused, with the server's words as text
  await form.getByLabel(/^Value/).fill(XSS);
  await form.getByRole('button', { name: 'Save the changes' }).click();
  await form.getByText(`The change was refused: '${XSS}' is not an address, block, domain, URL, e-mail address, MAC address, AS number or hash`).waitFor();
  await form.getByLabel(/^Value/).fill('198.51.100.241');
  await form.getByRole('button', { name: 'Save the changes' }).click();
  await page.getByText('Watch w-edit changed: 0 alerts from data already held.').waitFor();
  assert.equal(await page.locator('form.edit-watch').count(), 0);
  await page.locator('table.watches').getByText('198.51.100.241', { exact: true }).waitFor();
  const r = await http(hub.server.base, 'GET', '/api/v1/watches', { key: hub.keys['alpha-analyst'] });
  const w = r.json.watches.find((x) => x.id === wid);
  assert.deepEqual([w.name, w.kind, w.term], ['w-edit', 'value', '198.51.100.241']);
  // the old term first, then the new, by TAXII: only the new one alerts
  const old = `indicator--${crypto.randomUUID()}`;
  const id = `indicator--${crypto.randomUUID()}`;
  const ind = (i, ip) => ({ type: 'indicator', spec_version: '2.1', id: i, created: ts(6), modified: ts(6), name: `edit ${ip}`, pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: ts(6) });
  await hub.post(hub.keys['alpha-analyst'], 'org-alpha', [ind(old, '198.51.100.240')]);
  await hub.post(hub.keys['alpha-analyst'], 'org-alpha', [ind(id, '198.51.100.241')]);
  const row = page.locator('.vlist .vrow', { hasText: '198.51.100.241' }).first();
  await row.waitFor();
  await row.getByText('w-edit: ').waitFor();
  assert.equal(await page.locator('.vlist .vrow', { hasText: '198.51.100.240' }).count(), 0);
  const mine = await http(hub.server.base, 'GET', '/api/v1/alerts?limit=1000', { key: hub.keys['alpha-analyst'] });
  assert.deepEqual(mine.json.alerts.filter((a) => a.watch === wid).map((a) => a.object), [id]);
  // bravo: no such watch, in the API and in its console
  const b = await http(hub.server.base, 'PATCH', `/api/v1/watches/${wid}`, { key: hub.keys['bravo-analyst'], body: { term: '198.51.100.242' } });
  assert.deepEqual([b.status, b.json.description], [404, 'no such watch']);
  const bravo = await newPage();
  await signIn(bravo, 'bravo-analyst');
  await visit(bravo, '#/alerts', '#h-watches', '#/alerts (bravo)');
  assert.equal(await bravo.getByRole('button', { name: 'Change w-edit' }).count(), 0);
  const again = await http(hub.server.base, 'GET', '/api/v1/watches', { key: hub.keys['alpha-analyst'] });
  assert.equal(again.json.watches.find((x) => x.id === wid).term, '198.51.100.241');
  await axe(page, 'alerts after a change');
  await clean(page, 'watch changed');
  await clean(bravo, 'watch changed (bravo)');
  await page.context().close();
  await bravo.context().close();
});

test('correlations on the object page: hit / no-hit and an access request', async () => {
  // alpha lets others learn that it holds its private indicator
  let r = await http(hub.server.base, 'POST', '/api/v1/disclosure', { key: hub.keys['alpha-analyst'], body: { subject: hub.ids.alphaPrivate, choice: 'yes' } });
  assert.equal(r.status, 200, r.text);
  // bravo reports the same address
  const mine = `indicator--${crypto.randomUUID()}`;
  await hub.post(hub.keys['bravo-analyst'], 'community', [
    { type: 'indicator', spec_version: '2.1', id: mine, created: ts(6), modified: ts(6), name: 'Bravo sees 203.0.113.77', pattern: "[ipv4-addr:value = '203.0.113.77']",
      pattern_type: 'stix', valid_from: ts(6) },
  ]);
  const page = await newPage();
  await signIn(page, 'bravo-analyst');
  await visit(page, `#/object/${mine}`, '#h-corr', '#/object (correlations)');
  await page.locator('ul.hits').getByText('alpha holds 1 matching records').waitFor();
  await nothingPrivate(page, 'correlations as bravo');
  await page.getByLabel('Ask this organisation').selectOption('alpha');
  await page.getByLabel('Reason').fill('same address seen at the border');
  await page.locator('#h-corr ~ form').getByRole('button', { name: 'Request access' }).click();
  await page.getByText('Request sent for 1 records.').waitFor();
  await page.getByText('Asked alpha: pending').waitFor();
  await axe(page, 'correlations');
  await clean(page, 'correlations');
  r = await http(hub.server.base, 'GET', '/api/v1/access-requests', { key: hub.keys['bravo-analyst'] });
  assert.equal(r.json.outgoing.length, 1);
  assert.equal(r.json.outgoing[0].to, 'alpha');
  assert.equal(r.json.outgoing[0].object, mine);
  // an object nobody else holds: no hit
  await visit(page, `#/object/${hub.ids.malware}`, '#h-corr', '#/object (no hit)');
  await page.getByText('No hit:').waitFor();
  await page.context().close();
  // alpha's analyst is told: a request alert, shown as text
  const alpha = await newPage();
  await signIn(alpha, 'alpha-analyst');
  await visit(alpha, '#/alerts', '.vlist', '#/alerts (request)');
  await alpha.locator('.vlist').getByText(/access request/).first().waitFor();
  await clean(alpha, 'request alert');
  await alpha.context().close();
});

test('the graph: neighbours, a path, groups, and thousands of nodes staying responsive', async () => {
  const page = await newPage();
  await signIn(page, 'alpha-analyst');
  await visit(page, '#/graph', '.graph[data-ready]', '#/graph');
  await page.getByLabel('Start from object id').fill(hub.ids.xssActor);
  await page.getByRole('button', { name: 'Show neighbours' }).click();
  await page.getByText(/^\d+ objects, \d+ links/).waitFor();
  await page.locator('.graph-nodes summary').click();
  await page.locator('.graph-nodes').getByRole('link', { name: XSS, exact: true }).waitFor();
  await page.locator('.graph-nodes').getByRole('link', { name: 'Sandcrawler loader', exact: true }).waitFor();
  // the shortest path from the sighting to the malware: through the actor
  await page.getByRole('textbox', { name: 'From object id', exact: true }).fill(hub.ids.sighting);
  await page.getByRole('textbox', { name: 'To object id', exact: true }).fill(hub.ids.malware);
  await page.getByRole('button', { name: 'Shortest path' }).click();
  await page.getByRole('heading', { name: 'Path of 2 steps' }).waitFor();
  const steps = await page.locator('ol.path-steps > li a').allInnerTexts();
  assert.equal(steps.length, 3);
  assert.equal(steps[1], XSS);
  assert.equal(steps[2], 'Sandcrawler loader');
  // none between the star and the malware: said so
  await page.getByRole('textbox', { name: 'From object id', exact: true }).fill(star);
  await page.getByRole('button', { name: 'Shortest path' }).click();
  await page.getByText('No path between these two objects that you may see.').waitFor();
  // groups of threat actors
  await page.getByLabel('Objects of type').selectOption('threat-actor');
  await page.getByRole('button', { name: 'Show groups' }).click();
  await page.getByRole('heading', { name: /^\d+ groups$/ }).waitFor();
  await axe(page, 'graph');
  await clean(page, 'graph');
  // thousands of nodes: the star and the notes that refer to it
  await page.getByLabel('Start from object id').fill(star);
  await page.getByLabel('Depth').selectOption('1');
  await page.getByLabel('At most (objects)').selectOption('5000');
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Show neighbours' }).click();
  await page.getByText(/^2,001 objects, 2,000 links/).waitFor({ timeout: 30000 });
  const shown = Date.now() - t0;
  timings['graph of 2,001 nodes shown'] = shown;
  assert.ok(shown < 10000, `2,001 nodes took ${shown} ms`);
  // zooming: the frame after each wheel event, timed in the page (no
  // round trip to the test), and the longest task the redraws took
  await page.waitForTimeout(300);
  const frames = await page.evaluate(async () => {
    const el = document.querySelector('.graph canvas:last-child');
    const box = el.getBoundingClientRect();
    const long = [];
    const po = new PerformanceObserver((l) => l.getEntries().forEach((e) => long.push(e.duration)));
    po.observe({ type: 'longtask' });
    const out = [];
    for (let i = 0; i < 8; i++) {
      const t = performance.now();
      el.dispatchEvent(new WheelEvent('wheel', { deltaY: i % 2 ? 200 : -200, clientX: box.x + box.width / 2, clientY: box.y + 80, bubbles: true, cancelable: true }));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      out.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 250));
    }
    po.disconnect();
    return { frames: out.sort((a, b) => a - b), longest: Math.max(0, ...long) };
  });
  const median = frames.frames[4];
  timings['graph of 2,001 nodes: median frame after a wheel'] = Math.round(median);
  timings['graph of 2,001 nodes: longest task (a full redraw)'] = Math.round(frames.longest);
  assert.ok(median < 250, `frames after a wheel: ${frames.frames.map(Math.round)}`);
  assert.ok(frames.longest < 2000, `a redraw took ${frames.longest} ms`);
  // a drag pans the view
  const box = await page.locator('.graph').boundingBox();
  await page.mouse.move(box.x + 30, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + 130, box.y + 90, { steps: 4 });
  await page.mouse.up();
  await clean(page, 'big graph');
  await page.context().close();
});

test('partners: status and lag, the preview with the reasons, the quarantine', async () => {
  // the pull loop has run against hub-p
  let st;
  for (let i = 0; i < 60; i++) {
    st = (await http(hub.server.base, 'GET', '/api/v1/partners/status', { key: hub.keys.admin })).json.partners[0];
    if (st.last_success) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(st.last_success, `hub-p was never synchronised: ${JSON.stringify(st)}`);
  const page = await newPage();
  await signIn(page, 'admin');
  await visit(page, '#/partners', '.partner', '#/partners');
  const card = page.locator('section.partner', { hasText: 'hub-p' });
  await card.getByRole('heading', { name: 'hub-p' }).waitFor();
  await card.getByText(/\d+ (s|min|h|d) ago/).first().waitFor();
  await card.getByText('we pull from it').waitFor();
  await card.getByText(`${partner.base}/taxii2/hub/`).waitFor();
  await card.getByRole('button', { name: 'Preview what would be shared' }).click();
  await card.getByText(/^\d[\d,]* would be sent, \d[\d,]* held back$/).waitFor();
  await card.getByLabel('Only what is held back').check();
  await card.locator('.vlist').getByText('organisation and community scope stay on this hub').first().waitFor();
  // one object: alpha's private indicator is held back, with its reason
  await card.getByLabel(/^One object id/).fill(hub.ids.alphaPrivate);
  await card.getByRole('button', { name: 'Preview', exact: true }).click();
  await card.getByText('0 would be sent, 1 held back').waitFor();
  await axe(page, 'partners preview');
  await card.getByRole('button', { name: 'Show the quarantine' }).click();
  await card.getByText('Nothing is quarantined.').waitFor();
  // a tombstone hub-p did not sign, as hub-p sends it: quarantined
  const hubP = (await http(partner.base, 'GET', '/.well-known/vigil-hub')).json.hub_id;
  const forged = { tombstones: [{ origin: hubP, id: `indicator--${crypto.randomUUID()}`, version: '2026-01-02T03:04:05.000000000Z', sig: `${'A'.repeat(86)}==`, path: [hubP] }] };
  const tr = await http(hub.server.base, 'POST', '/api/v1/fed/tombstones', { key: pKey, body: forged });
  assert.deepEqual(tr.json, { applied: 0, refused: 1 });
  await card.getByRole('button', { name: 'Show the quarantine' }).click();
  await card.getByRole('button', { name: 'Show the quarantine' }).click();
  await card.locator('.quarantine table').getByText(/does not verify/).waitFor();
  await axe(page, 'partners quarantine');
  await card.locator('.quarantine table').getByRole('button', { name: /^Drop / }).click();
  await card.getByText('Dropped 1.').waitFor();
  await card.getByText('Nothing is quarantined.').waitFor();
  const q = await http(hub.server.base, 'GET', '/api/v1/partners/hub-p/quarantine', { key: hub.keys.admin });
  assert.deepEqual(q.json, { quarantine: [] });
  await clean(page, 'partners');
  // the dashboard shows the partner's status
  await visit(page, '#/dashboard', '#h-dash-partners', '#/dashboard (admin)');
  await page.locator('#h-dash-partners + ul').getByText('hub-p').waitFor();
  await page.context().close();
});

test('the XSS string shows as text on the dashboard, graph, alerts and object pages', async () => {
  // a watch named like an attack on the malware: its alerts (from the
  // relationship and the sighting held already) carry the name
  const w = await http(hub.server.base, 'POST', '/api/v1/watches', { key: hub.keys['alpha-analyst'], body: { kind: 'object', term: hub.ids.malware, name: XSS } });
  assert.equal(w.status, 201, w.text);
  assert.ok(w.json.retro >= 1);
  const page = await newPage();
  await signIn(page, 'alpha-analyst');
  await visit(page, '#/dashboard', '#h-dash-alerts', '#/dashboard');
  await page.locator('#h-dash-alerts ~ ul').getByText(XSS, { exact: true }).first().waitFor();
  await clean(page, 'dashboard');
  await visit(page, '#/alerts', '.vlist', '#/alerts');
  await page.locator('table.watches').getByText(XSS, { exact: true }).first().waitFor();
  await page.locator('.vlist').getByText(XSS).first().waitFor();
  await clean(page, 'alerts');
  await visit(page, `#/graph?id=${hub.ids.malware}`, '.graph[data-nodes]', '#/graph?id');
  await page.locator('.graph-nodes summary').click();
  await page.locator('.graph-nodes').getByText(XSS, { exact: true }).waitFor();
  await clean(page, 'graph');
  await visit(page, `#/object/${hub.ids.malware}`, '#h-corr', '#/object');
  await clean(page, 'object');
  await page.context().close();
});

test('10,000 alerts scroll in a windowed list', async () => {
  // the admin watches the star; 10,000 more notes refer to it
  const w = await http(hub.server.base, 'POST', '/api/v1/watches', { key: hub.keys.admin, body: { kind: 'object', term: star, name: 'star watch' } });
  assert.equal(w.status, 201, w.text);
  await notes(10000);
  const page = await newPage();
  await signIn(page, 'admin');
  const ms = await visit(page, '#/alerts', '.vlist', '#/alerts with 10,000');
  await page.getByText(/^1[0-9],[0-9]{3} alerts, /).waitFor();
  const inDom = await page.locator('.vlist .vrow').count();
  assert.ok(inDom < 60, `only the rows in view are in the document (${inDom})`);
  const t0 = Date.now();
  const height = await page.locator('.vlist').evaluate((el) => el.scrollHeight);
  for (let y = 0; y <= height; y += 40 * 500) {
    await page.locator('.vlist').evaluate((el, top) => {
      el.scrollTop = top;
    }, y);
    await page.waitForTimeout(16);
  }
  await page.locator('.vlist').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await page.waitForFunction(() => document.querySelector('.vlist').scrollTop > 390000 && document.querySelectorAll('.vlist .vrow').length > 0);
  timings['scroll 10,000 alerts'] = Date.now() - t0;
  timings['alerts page with 10,000 alerts'] = ms;
  assert.ok(ms < 8000, `10,000 alerts shown in ${ms} ms`);
  assert.ok((await page.locator('.vlist .vrow').count()) < 60);
  await page.getByLabel('Open alerts only').check();
  await page.locator('.vlist .vrow').first().waitFor();
  await clean(page, '10,000 alerts');
  await page.context().close();
});

test('screenshots of the new pages in English, French and Arabic', async () => {
  for (const lang of ['en', 'fr', 'ar']) {
    const page = await newPage(lang);
    await signIn(page, 'admin', lang);
    const shots = [
      ['dashboard', '#/dashboard', '#h-dash-trends'],
      ['graph', `#/graph?id=${hub.ids.xssActor}`, '.graph[data-nodes]'],
      ['alerts', '#/alerts', '.vlist'],
      ['partners', '#/partners', '.partner'],
    ];
    for (const [name, route, ready] of shots) {
      await visit(page, route, ready, `#/${name} (${lang}${name === 'alerts' ? ', 10,000 alerts' : ''})`);
      if (name === 'alerts') await page.locator('.vlist .rowbtn').first().click();
      if (name === 'partners') {
        await page.locator('.partner button').first().click();
        await page.locator('.preview .vlist').waitFor();
      }
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SHOTS, `${lang}-${name}.png`), fullPage: true });
    }
    await clean(page, `screenshots ${lang}`);
    await page.context().close();
    const bravo = await newPage(lang);
    await signIn(bravo, 'bravo-analyst', lang);
    const mine = (await http(hub.server.base, 'GET', '/api/v1/access-requests', { key: hub.keys['bravo-analyst'] })).json.outgoing[0].object;
    await visit(bravo, `#/object/${mine}`, '#h-corr', `#/object (${lang})`);
    await bravo.locator('#h-corr').scrollIntoViewIfNeeded();
    await bravo.locator('#h-corr').locator('..').screenshot({ path: join(SHOTS, `${lang}-correlations.png`) });
    await clean(bravo, `correlations ${lang}`);
    await bravo.context().close();
  }
  for (const lang of ['en', 'fr', 'ar']) for (const n of ['dashboard', 'graph', 'alerts', 'partners', 'correlations']) assert.ok(existsSync(join(SHOTS, `${lang}-${n}.png`)));
});

test('every new page was interactive within a second on loopback', () => {
  const slow = Object.entries(timings).filter(([k, ms]) => /^#\//.test(k) && !/10,000/.test(k) && ms > 1000);
  assert.deepEqual(slow, [], `pages slower than 1 s: ${JSON.stringify(slow)}`);
});
