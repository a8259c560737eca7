// The console's catalogues: English, French and Arabic have the same
// keys, no empty message and the same {placeholders} per key; every key
// a component asks for exists; and no component writes words of its own
// into its markup (every string a person reads is in the catalogues).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const SRC = process.env.VIGIL_UI_SRC;
const cats = Object.fromEntries(
  readdirSync(join(SRC, 'i18n')).map((f) => [f.replace('.json', ''), JSON.parse(readFileSync(join(SRC, 'i18n', f), 'utf8'))]),
);

function sources(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

test('three catalogues: English, French, Arabic', () => {
  assert.deepEqual(Object.keys(cats).sort(), ['ar', 'en', 'fr']);
});

test('the catalogues have the same keys', () => {
  const en = Object.keys(cats.en).sort();
  for (const [lang, cat] of Object.entries(cats)) {
    const keys = Object.keys(cat).sort();
    assert.deepEqual(keys.filter((k) => !cats.en[k]), [], `${lang} has keys English has not`);
    assert.deepEqual(en.filter((k) => !(k in cat)), [], `${lang} lacks keys`);
  }
});

test('no message is empty and each has the same placeholders in every language', () => {
  const ph = (s) => (s.match(/\{\w+\}/g) || []).sort().join(',');
  for (const k of Object.keys(cats.en)) {
    for (const [lang, cat] of Object.entries(cats)) {
      assert.ok(cat[k] && cat[k].trim(), `${lang} ${k} is empty`);
      assert.equal(ph(cat[k]), ph(cats.en[k]), `${lang} ${k}: placeholders differ`);
    }
  }
});

test('every key a component asks for is in the catalogues', () => {
  const missing = [];
  for (const f of sources()) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([^']+)'/g)) if (!(m[1] in cats.en)) missing.push(`${f}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

// The static text of each html`...` template (expressions left out).
function templateTexts(code) {
  const out = [];
  let i = 0;
  while ((i = code.indexOf('html`', i)) >= 0) {
    i += 5;
    let text = '';
    while (i < code.length && code[i] !== '`') {
      if (code[i] === '\\') {
        text += code[i + 1];
        i += 2;
      } else if (code[i] === '$' && code[i + 1] === '{') {
        // skip the expression, braces balanced (nested templates are
        // read on their own by the outer loop)
        let depth = 0;
        i++;
        do {
          if (code[i] === '{') depth++;
          else if (code[i] === '}') depth--;
          i++;
        } while (depth > 0 && i < code.length);
        text += '\u0000';
      } else text += code[i++];
    }
    out.push(text);
  }
  return out;
}

test('no component writes its own words into its markup', () => {
  const found = [];
  for (const f of sources()) {
    for (const t of templateTexts(readFileSync(f, 'utf8'))) {
      for (const m of t.matchAll(/>([^<>]*)</g)) {
        const words = m[1].replace(/\u0000/g, ' ').match(/\p{L}{2,}/gu);
        if (words) found.push(`${f}: ${m[1].trim()}`);
      }
    }
  }
  assert.deepEqual(found, []);
});
