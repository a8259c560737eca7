// A windowed list: only the rows in view (and a few around) are in the
// document, so 10,000 hits or entries scroll as smoothly as ten. Rows
// have one fixed height; the list is a scrollable region reachable by
// keyboard.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';

export function VirtualList({ items, rowHeight = 40, height = 480, renderRow, label, header }) {
  const ref = useRef(null);
  const [top, setTop] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    let frame = 0;
    const on = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setTop(el.scrollTop);
      });
    };
    el.addEventListener('scroll', on, { passive: true });
    return () => {
      el.removeEventListener('scroll', on);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);
  const over = 6;
  const first = Math.max(0, Math.floor(top / rowHeight) - over);
  const count = Math.ceil(height / rowHeight) + 2 * over;
  const last = Math.min(items.length, first + count);
  const rows = [];
  for (let i = first; i < last; i++) rows.push(renderRow(items[i], i));
  return html`<div class="vlist" role="region" aria-label=${label} tabindex="0" ref=${ref}
      style=${{ height: `${Math.min(height, items.length * rowHeight + (header ? rowHeight : 0)) + 2}px` }}>
    ${header}
    <div class="vlist-space" style=${{ height: `${items.length * rowHeight}px` }}>
      <div class="vlist-rows" style=${{ transform: `translateY(${first * rowHeight}px)` }}>${rows}</div>
    </div>
  </div>`;
}
