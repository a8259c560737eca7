// What changed between two versions of an object: properties added,
// removed or changed, by path (nested objects compared key by key,
// arrays as wholes), values shown as JSON text.
export function diff(a, b, path = '') {
  const out = [];
  const keys = new Set([...Object.keys(a || {}), ...Object.keys(b || {})]);
  for (const k of [...keys].sort()) {
    const p = path ? `${path}.${k}` : k;
    const x = a ? a[k] : undefined;
    const y = b ? b[k] : undefined;
    if (x === undefined) out.push({ path: p, kind: 'added', before: '', after: JSON.stringify(y) });
    else if (y === undefined) out.push({ path: p, kind: 'removed', before: JSON.stringify(x), after: '' });
    else if (isObj(x) && isObj(y)) out.push(...diff(x, y, p));
    else if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path: p, kind: 'changed', before: JSON.stringify(x), after: JSON.stringify(y) });
  }
  return out;
}

function isObj(v) {
  return v && typeof v === 'object' && !Array.isArray(v);
}
