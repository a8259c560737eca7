// Any JSON value shown as text: objects as definition lists, arrays as
// lists. For answers whose shape a page does not know in detail.
import { html } from '../html.js';

export function KV({ v }) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return html`<ul class="plain">${v.map((x) => html`<li><${KV} v=${x} /></li>`)}</ul>`;
  if (typeof v === 'object') return html`<dl class="nested">${Object.entries(v).map(([k, x]) => html`<dt>${k}</dt><dd><${KV} v=${x} /></dd>`)}</dl>`;
  return String(v);
}
