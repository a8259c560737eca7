// Hash routes (#/search?q=x, #/object/ID): the server serves one page,
// and nothing of a route reaches its logs.
import { useEffect, useState } from 'preact/hooks';

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || '', rest: parts.slice(1), params: new URLSearchParams(query) };
}

export function useRoute() {
  const [route, setRoute] = useState(parseHash());
  useEffect(() => {
    const on = () => setRoute(parseHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function href(page, rest = [], params = null) {
  const path = [page, ...rest.map((p) => encodeURIComponent(p))].join('/');
  const q = params ? new URLSearchParams(params).toString() : '';
  return `#/${path}${q ? `?${q}` : ''}`;
}

export function go(page, rest, params) {
  location.hash = href(page, rest, params);
}
