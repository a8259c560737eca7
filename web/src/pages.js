// The console's pages: each its own module, loaded when first shown, and
// offered only when this server has the endpoints it calls (the session
// lists them, as the route table spells them) and the role has the
// action. A store without early warning answers its routes with 501, so
// the pages that need them say so instead of breaking.
export const PAGES = [
  {
    id: 'dashboard',
    needs: ['GET api/v1/alerts', 'GET api/v1/trends'],
    action: 'read',
    load: () => import('./pages/dashboard.js'),
  },
  { id: 'search', needs: ['GET api/v1/search'], action: 'read', load: () => import('./pages/search.js') },
  {
    id: 'graph',
    needs: ['GET api/v1/graph/*'],
    action: 'read',
    load: () => import('./pages/graph.js'),
  },
  {
    id: 'alerts',
    needs: ['GET api/v1/alerts', 'GET api/v1/watches', 'POST api/v1/watches', 'GET api/v1/alerts/stream'],
    action: 'read',
    load: () => import('./pages/alerts.js'),
  },
  {
    id: 'screening',
    needs: ['POST api/v1/screen', 'GET api/v1/screen/*'],
    action: 'screen',
    load: () => import('./pages/screening.js'),
  },
  {
    id: 'partners',
    needs: ['GET api/v1/partners/status', 'GET api/v1/partners/*/preview', 'GET api/v1/partners/*/quarantine'],
    action: 'hub-admin',
    load: () => import('./pages/partners.js'),
  },
  { id: 'audit', needs: ['GET api/v1/audit', 'GET api/v1/audit/verify'], action: 'audit', load: () => import('./pages/audit.js') },
  { id: 'admin', needs: ['GET api/v1/users', 'GET api/v1/keys'], action: null, load: () => import('./pages/admin.js') },
  // reached from other pages, never in the menu
  { id: 'object', needs: ['GET api/v1/objects/*'], action: 'read', hidden: true, load: () => import('./pages/object.js') },
];

export function has(session, action) {
  return !action || (session.actions || []).includes(action);
}

export function offers(session, route) {
  return (session.routes || []).includes(route);
}

export function available(session, page) {
  return page.needs.every((r) => offers(session, r)) && has(session, page.action);
}

export function homePage(session) {
  const p = PAGES.find((x) => !x.hidden && available(session, x));
  return p ? p.id : 'admin';
}
