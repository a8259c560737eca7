// For the console's browser tests: a real hub made with the vigil
// command (organisations, users of every role, demo data, a watchlist,
// objects posted over TAXII by their owners) and a real `vigil serve` on
// a free loopback port.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VIGIL = process.env.VIGIL;
export const TESTDATA = process.env.VIGIL_TESTDATA;
export const XSS = '<img src=x onerror=alert(1)>';
const TAXII = 'application/taxii+json;version=2.1';

export function vigil(data, args, input) {
  return execFileSync(VIGIL, ['--data', data, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
}

export class Server {
  static start(data, sets = []) {
    return new Promise((resolve, reject) => {
      const args = ['--data', data, 'serve', '--listen', '127.0.0.1:0'];
      for (const s of sets) args.push('--set', s);
      const proc = spawn(VIGIL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      proc.stderr.on('data', (d) => (err += d));
      proc.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) {
          const s = new Server();
          s.proc = proc;
          s.base = `http://127.0.0.1:${m[1]}`;
          resolve(s);
        }
      });
      proc.on('exit', (code) => reject(new Error(`vigil serve exited ${code}: ${err}`)));
    });
  }

  stop() {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      this.proc.on('exit', resolve);
      this.proc.kill('SIGTERM');
    });
  }
}

export async function http(base, method, path, { key, body, headers = {}, cookie } = {}) {
  const h = { Accept: path.startsWith('/taxii2') ? TAXII : 'application/json', ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  if (cookie) h.Cookie = cookie;
  if (body !== undefined && !h['Content-Type']) h['Content-Type'] = path.startsWith('/taxii2') ? TAXII : 'application/json';
  const r = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), redirect: 'manual' });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: r.status, headers: r.headers, text, json };
}

function uuid() {
  return crypto.randomUUID();
}

// The hub every browser test uses; opts.beforeServe(data) runs once the
// hub is made and before its server starts (partners are read then).
export async function makeHub(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ui-'));
  const data = join(dir, 'data');
  const admin = JSON.parse(vigil(data, ['init', '--json', '--org', 'Demo Agency'])).key;
  for (const org of ['alpha', 'bravo', XSS]) vigil(data, ['org', 'add', org]);
  const users = {
    'alpha-reader': ['alpha', 'reader'],
    'alpha-analyst': ['alpha', 'analyst'],
    'alpha-admin': ['alpha', 'org-admin'],
    'bravo-analyst': ['bravo', 'analyst'],
    auditor: ['Demo Agency', 'auditor'],
  };
  const keys = { admin };
  for (const [name, [org, role]] of Object.entries(users)) {
    vigil(data, ['user', 'add', name, '--org', org, '--role', role]);
    keys[name] = JSON.parse(vigil(data, ['key', 'new', '--user', name, '--json'])).key;
  }
  vigil(data, ['import', '-'], vigil(data, ['gen', '--seed', '7', '--count', '300']));
  vigil(data, ['watchlist', 'import', '--format', 'un', join(TESTDATA, 'alpha-private-list.xml')]);
  if (opts.beforeServe) await opts.beforeServe(data);
  const server = await Server.start(data);
  const post = async (key, coll, objects) => {
    const r = await http(server.base, 'POST', `/taxii2/hub/collections/${coll}/objects/`, { key, body: { objects } });
    if (r.status !== 202 || r.json.failure_count) throw new Error(`post to ${coll}: ${r.status} ${r.text}`);
  };
  const ts = (d) => `2026-0${d}-01T00:00:00.000Z`;
  const ids = {
    alphaPrivate: `indicator--${uuid()}`,
    xssActor: `threat-actor--${uuid()}`,
    malware: `malware--${uuid()}`,
    rel: `relationship--${uuid()}`,
    sighting: `sighting--${uuid()}`,
  };
  // alpha's own, in its private collection: nobody of bravo may see it
  await post(keys['alpha-analyst'], 'org-alpha', [
    { type: 'indicator', spec_version: '2.1', id: ids.alphaPrivate, created: ts(1), modified: ts(1),
      name: 'Alpha private secret operation', description: 'for alpha only', pattern: "[ipv4-addr:value = '203.0.113.77']",
      pattern_type: 'stix', valid_from: ts(1), labels: ['alpha-only'] },
  ]);
  // shared with the community: an actor named like an attack, in two
  // versions, a malware it uses and a sighting of it
  const actor = { type: 'threat-actor', spec_version: '2.1', id: ids.xssActor, created: ts(1), modified: ts(1), name: XSS,
    description: `described as ${XSS}`, threat_actor_types: ['terrorist'], labels: ['ui-test'] };
  await post(keys['alpha-analyst'], 'community', [
    actor,
    { type: 'malware', spec_version: '2.1', id: ids.malware, created: ts(1), modified: ts(1), name: 'Sandcrawler loader', is_family: true },
    { type: 'relationship', spec_version: '2.1', id: ids.rel, created: ts(1), modified: ts(1), relationship_type: 'uses',
      source_ref: ids.xssActor, target_ref: ids.malware },
    { type: 'sighting', spec_version: '2.1', id: ids.sighting, created: ts(2), modified: ts(2), sighting_of_ref: ids.xssActor, count: 3 },
  ]);
  await post(keys['alpha-analyst'], 'community', [{ ...actor, modified: ts(3), description: 'seen again', aliases: ['Sand viper'] }]);
  // an audit entry whose target is the attack (a Basic user name)
  await http(server.base, 'GET', '/taxii2/', { headers: { Authorization: `Basic ${Buffer.from(`${XSS}:nope`).toString('base64')}` } });
  return {
    dir, data, server, keys, ids, post,
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
