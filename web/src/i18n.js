// Languages: every string a person reads comes from a catalogue
// (i18n/*.json, the same keys in each: tests/ui/i18n.test.mjs checks),
// chosen from the browser's languages, with a switch. Arabic is laid out
// right to left (dir="rtl" on <html>).
import en from './i18n/en.json';
import fr from './i18n/fr.json';
import ar from './i18n/ar.json';

export const LANGS = { en, fr, ar };
const RTL = new Set(['ar']);
const STORE_KEY = 'vigil.lang'; // a preference, never a secret

let lang = 'en';
let cat = en;

export function pickLang() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORE_KEY);
  } catch {
    saved = null;
  }
  if (saved && LANGS[saved]) return saved;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (LANGS[base]) return base;
  }
  return 'en';
}

export function setLang(l, remember = false) {
  lang = LANGS[l] ? l : 'en';
  cat = LANGS[lang];
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.has(lang) ? 'rtl' : 'ltr';
  document.title = t('app.title');
  if (remember) {
    try {
      localStorage.setItem(STORE_KEY, lang);
    } catch {
      /* private mode: the choice lasts this page */
    }
  }
}

export function currentLang() {
  return lang;
}

// The message for key with {name} placeholders filled from vars.
export function t(key, vars) {
  let s = cat[key] ?? en[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
  return s;
}

// A catalogue entry if it exists (for values the server names: roles,
// reasons, dispositions), else the value itself.
export function tv(prefix, value) {
  if (value === null || value === undefined || value === '') return '';
  const k = `${prefix}.${value}`;
  return cat[k] ?? en[k] ?? String(value);
}

export function fmtTime(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(d) + ' UTC';
}

export function fmtNum(n) {
  return new Intl.NumberFormat(lang).format(n);
}

// Seconds as a person reads them: 42 s, 5 min, 3 h, 2 d.
export function fmtLag(s) {
  if (s === null || s === undefined) return t('common.never');
  if (s < 90) return t('time.seconds', { n: fmtNum(Math.round(s)) });
  if (s < 5400) return t('time.minutes', { n: fmtNum(Math.round(s / 60)) });
  if (s < 172800) return t('time.hours', { n: fmtNum(Math.round(s / 3600)) });
  return t('time.days', { n: fmtNum(Math.round(s / 86400)) });
}
