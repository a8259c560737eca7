// The link graph (early warning's link analysis): start from an object,
// expand neighbours by clicking, find a shortest path between two
// objects, show connected groups. Cytoscape draws on a canvas (labels are
// drawn, never parsed as markup) and is loaded with this page only. Big
// graphs stay responsive: a linear layout past a few hundred nodes,
// straight edges without labels, labels hidden when they would be tiny,
// and the viewport moved as a texture. The same nodes are listed as text
// (a windowed list) for keyboards and screen readers.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, qs } from '../api.js';
import { fmtNum, t } from '../i18n.js';
import { go, href } from '../router.js';
import { Field, Notice, PageTitle, Select, errorText } from '../components/ui.js';
import { VirtualList } from '../components/vlist.js';

// colour and shape per STIX type; others grey circles
const STYLE = {
  'threat-actor': ['#9c1470', 'star'], 'intrusion-set': ['#6a0dad', 'star'], campaign: ['#4b0a8f', 'hexagon'],
  malware: ['#b00020', 'diamond'], tool: ['#8a1c1c', 'diamond'], indicator: ['#b34700', 'triangle'],
  'attack-pattern': ['#3a33b8', 'hexagon'], identity: ['#1d3557', 'round-rectangle'], vulnerability: ['#6a040f', 'vee'],
  location: ['#1f7a6f', 'round-rectangle'], infrastructure: ['#2f4bc4', 'rectangle'], report: ['#4a5560', 'rectangle'],
  'observed-data': ['#5c6b00', 'ellipse'], 'ipv4-addr': ['#006d77', 'ellipse'], 'domain-name': ['#006d77', 'ellipse'],
  url: ['#006d77', 'ellipse'], file: ['#505a64', 'ellipse'],
};
const TYPES = Object.keys(STYLE);
const BIG = 400; // past this many nodes, the cheap drawing
const MAXES = [200, 1000, 5000];

// Cytoscape adds a <style> element to the page unless an element with
// this id exists; the CSP refuses inline style, so style.css carries its
// one rule and an empty marker stands in for the element.
const CY_SHEET = '__________cytoscape_stylesheet';
function markSheet() {
  if (document.getElementById(CY_SHEET)) return;
  const m = document.createElement('meta');
  m.id = CY_SHEET;
  document.head.appendChild(m);
}

function styleOf(type) {
  return STYLE[type] || ['#5a6570', 'ellipse'];
}

function sheet() {
  return [
    { selector: 'node', style: { label: 'data(label)', 'background-color': 'data(color)', shape: 'data(shape)', color: '#1b1f23', 'font-size': 10, 'text-wrap': 'ellipsis', 'text-max-width': 120, 'min-zoomed-font-size': 7, width: 18, height: 18 } },
    { selector: 'edge', style: { width: 1, 'line-color': '#9aa4ad', 'curve-style': 'haystack', 'haystack-radius': 0 } },
    { selector: 'edge.small', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#9aa4ad', label: 'data(label)', 'font-size': 8, 'min-zoomed-font-size': 6 } },
    { selector: ':parent', style: { 'background-color': '#eef2f6', 'background-opacity': 0.6, 'border-color': '#7b8794', label: 'data(label)', 'text-valign': 'top', 'font-size': 12, shape: 'round-rectangle' } },
    { selector: '.path', style: { 'line-color': '#d97706', 'target-arrow-color': '#d97706', width: 4, 'border-width': 4, 'border-color': '#d97706', 'z-index': 10 } },
    { selector: '.start', style: { 'border-width': 4, 'border-color': '#111827' } },
    { selector: ':selected', style: { 'border-width': 3, 'border-color': '#ffb703' } },
  ];
}

export default function Graph({ route }) {
  const box = useRef(null);
  const cy = useRef(null);
  const [start, setStart] = useState(route.params.get('id') || '');
  const [depth, setDepth] = useState('2');
  const [max, setMax] = useState('200');
  const [from, setFrom] = useState(route.params.get('from') || '');
  const [to, setTo] = useState(route.params.get('to') || '');
  const [gtype, setGtype] = useState('threat-actor');
  const [error, setError] = useState(null);
  const [info, setInfo] = useState('');
  const [nodes, setNodes] = useState([]);
  const [path, setPath] = useState(null);
  const [groups, setGroups] = useState(null);
  const [busy, setBusy] = useState(false);

  const relayout = (c, groupsOf) => {
    const n = c.nodes().length;
    if (groupsOf) {
      // each group in a cell of its own, its members on a circle: linear
      const cols = Math.max(1, Math.ceil(Math.sqrt(groupsOf.length)));
      const pos = {};
      let cx = 0;
      let cy0 = 0;
      let rowH = 0;
      groupsOf.forEach((g, gi) => {
        const r = Math.max(30, g.nodes.length * 6);
        if (gi % cols === 0 && gi) {
          cx = 0;
          cy0 += rowH + 80;
          rowH = 0;
        }
        g.nodes.forEach((nd, i) => {
          const a = (2 * Math.PI * i) / g.nodes.length;
          pos[nd.id] = { x: cx + r + r * Math.cos(a), y: cy0 + r + r * Math.sin(a) };
        });
        cx += 2 * r + 80;
        rowH = Math.max(rowH, 2 * r);
      });
      c.layout({ name: 'preset', positions: (node) => pos[node.id()], fit: true, padding: 20 }).run();
    } else if (n > BIG) {
      c.layout({ name: 'concentric', concentric: (node) => 10 - (node.data('depth') || 0), levelWidth: () => 1, minNodeSpacing: 4, animate: false }).run();
    } else {
      c.layout({ name: 'cose', animate: false, numIter: 600, nodeDimensionsIncludeLabels: false }).run();
    }
  };

  const show = (g, { reset, groupsOf, startId } = {}) => {
    const c = cy.current;
    if (!c) return;
    c.startBatch();
    if (reset) c.elements().remove();
    const small = g.nodes.length + c.nodes().length <= BIG;
    if (groupsOf)
      groupsOf.forEach((gr, i) => c.add({ data: { id: `group:${i}`, label: t('graph.group', { n: i + 1, size: gr.size }) } }));
    const adds = [];
    for (const n of g.nodes) {
      if (c.getElementById(n.id).length) continue;
      const [color, shape] = styleOf(n.type);
      adds.push({ group: 'nodes', data: { id: n.id, label: n.label || n.id, type: n.type, depth: n.depth, color, shape, parent: n.parent } });
    }
    c.add(adds);
    const eadds = [];
    const fresh = new Set();
    for (const e of g.edges || []) {
      const id = `${e.source}|${e.target}|${e.kind}|${e.label || ''}`;
      if (fresh.has(id) || c.getElementById(id).length) continue;
      fresh.add(id);
      if (!c.getElementById(e.source).length || !c.getElementById(e.target).length) continue;
      eadds.push({ group: 'edges', data: { id, source: e.source, target: e.target, label: e.label || e.kind }, classes: small ? 'small' : '' });
    }
    c.add(eadds);
    if (!small) c.edges('.small').removeClass('small');
    c.nodes('.start').removeClass('start');
    if (startId) c.getElementById(startId).addClass('start');
    c.endBatch();
    relayout(c, groupsOf);
    if (box.current) box.current.dataset.nodes = String(c.nodes().length);
    setNodes(c.nodes().filter((x) => !x.isParent()).map((x) => ({ id: x.id(), label: x.data('label'), type: x.data('type') })));
    setInfo(t('graph.counts', { nodes: fmtNum(c.nodes().filter((x) => !x.isParent()).length), edges: fmtNum(c.edges().length) }) + (g.truncated ? ` ${t('graph.truncated')}` : ''));
  };

  // what failed, so that a path's 404 says there is no path
  const run = async (fn, what) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      e.what = what;
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const neighbours = (id, d, reset) =>
    run(async () => {
      const g = await get(`/api/v1/graph/neighbours${qs({ id, depth: d, max })}`);
      if (reset) {
        setPath(null);
        setGroups(null);
      }
      show(g, { reset, startId: reset ? id : undefined });
    });
  const findPath = () =>
    run(async () => {
      setPath(null);
      setGroups(null);
      const g = await get(`/api/v1/graph/path${qs({ from, to })}`);
      show(g, { reset: true });
      const c = cy.current;
      c.elements().addClass('path');
      setPath(g);
    }, 'path');
  const findGroups = (byId) =>
    run(async () => {
      setPath(null);
      const g = await get(`/api/v1/graph/groups${byId ? qs({ id: start, depth, max }) : qs({ type: gtype, depth, max })}`);
      const flat = { nodes: g.groups.flatMap((gr, i) => gr.nodes.map((n) => ({ ...n, parent: `group:${i}` }))), edges: [], truncated: g.truncated };
      show(flat, { reset: true, groupsOf: g.groups });
      setGroups(g.groups);
    });

  useEffect(() => {
    let c = null;
    let gone = false;
    import('cytoscape').then(({ default: cytoscape }) => {
      if (gone) return;
      markSheet();
      c = cytoscape({
        container: box.current,
        style: sheet(),
        textureOnViewport: true,
        hideEdgesOnViewport: true,
        hideLabelsOnViewport: true,
        pixelRatio: 1,
        minZoom: 0.02,
        maxZoom: 4,
      });
      c.on('tap', 'node', (ev) => {
        if (!ev.target.isParent()) neighbours(ev.target.id(), 1, false);
      });
      c.on('dbltap', 'node', (ev) => {
        if (!ev.target.isParent()) go('object', [ev.target.id()]);
      });
      cy.current = c;
      box.current.dataset.ready = '1';
      if (start) neighbours(start, Number(depth), true);
      else if (from && to) findPath();
    });
    return () => {
      gone = true;
      if (c) c.destroy();
      cy.current = null;
    };
  }, []);

  const depthOpts = [1, 2, 3, 4].map((d) => ({ value: String(d), label: fmtNum(d) }));
  return html`<section>
    <${PageTitle}>${t('graph.title')}<//>
    <div class="grid">
      <form class="card" aria-labelledby="h-g-start" onSubmit=${(e) => { e.preventDefault(); neighbours(start, Number(depth), true); }}>
        <h2 id="h-g-start">${t('graph.neighbours')}</h2>
        <${Field} label=${t('graph.start')} value=${start} onInput=${setStart} required dir="ltr" />
        <div class="grid">
          <${Select} label=${t('graph.depth')} value=${depth} onChange=${setDepth} options=${depthOpts} />
          <${Select} label=${t('graph.max')} value=${max} onChange=${setMax} options=${MAXES.map((m) => ({ value: String(m), label: fmtNum(m) }))} />
        </div>
        <button type="submit" disabled=${busy}>${t('graph.show')}</button>
        <button type="button" class="secondary" disabled=${busy || !start} onClick=${() => findGroups(true)}>${t('graph.groupsAround')}</button>
      </form>
      <form class="card" aria-labelledby="h-g-path" onSubmit=${(e) => { e.preventDefault(); findPath(); }}>
        <h2 id="h-g-path">${t('graph.pathTitle')}</h2>
        <${Field} label=${t('graph.from')} value=${from} onInput=${setFrom} required dir="ltr" />
        <${Field} label=${t('graph.to')} value=${to} onInput=${setTo} required dir="ltr" />
        <button type="submit" disabled=${busy}>${t('graph.path')}</button>
      </form>
      <form class="card" aria-labelledby="h-g-groups" onSubmit=${(e) => { e.preventDefault(); findGroups(false); }}>
        <h2 id="h-g-groups">${t('graph.groupsTitle')}</h2>
        <${Select} label=${t('graph.groupType')} value=${gtype} onChange=${setGtype} options=${TYPES.map((x) => ({ value: x, label: x }))} />
        <button type="submit" disabled=${busy}>${t('graph.groups')}</button>
      </form>
    </div>
    <${Notice} kind="error">${error && (error.status === 404 && error.what === 'path' ? t('graph.noPath') : errorText(error))}<//>
    <p role="status" class="graph-info">${busy ? t('common.loading') : info}</p>
    <p class="hint">${t('graph.hint')}</p>
    <div class="graph" ref=${box} role="img" aria-label=${t('graph.canvas')}></div>
    <ul class="legend plain" aria-label=${t('graph.legend')}>
      ${TYPES.slice(0, 12).map((x) => html`<li><span class="swatch" style=${{ background: styleOf(x)[0] }} aria-hidden="true"></span>${x}</li>`)}
    </ul>
    ${path
      ? html`<section class="card" aria-labelledby="h-g-steps"><h2 id="h-g-steps">${t('graph.steps', { n: path.length })}</h2>
          <ol class="path-steps">${path.nodes.map((n, i) => html`<li><a href=${href('object', [n.id])}>${n.label || n.id}</a> <span class="muted">(${n.type})</span>
            ${i < path.edges.length ? html` <span class="via">→ ${path.edges[i].label || path.edges[i].kind}</span>` : null}</li>`)}</ol></section>`
      : null}
    ${groups
      ? html`<section class="card" aria-labelledby="h-g-list"><h2 id="h-g-list">${t('graph.groupsFound', { n: groups.length })}</h2>
          <ol class="groups">${groups.slice(0, 50).map((g, i) => html`<li>${t('graph.group', { n: i + 1, size: g.size })}:
            ${g.nodes.slice(0, 8).map((n, j) => html`${j ? ', ' : ' '}<a href=${href('object', [n.id])}>${n.label || n.id}</a>`)}${g.nodes.length > 8 ? ' …' : ''}</li>`)}</ol></section>`
      : null}
    ${nodes.length
      ? html`<details class="card graph-nodes"><summary>${t('graph.nodeList', { n: fmtNum(nodes.length) })}</summary>
          <${VirtualList} label=${t('graph.nodeList', { n: nodes.length })} items=${nodes} rowHeight=${36} height=${360}
            renderRow=${(n) => html`<div class="vrow" key=${n.id}><span class="rowbtn">
              <a href=${href('object', [n.id])}>${n.label}</a><span class="muted">${n.type}</span>
              <button type="button" class="secondary small" onClick=${() => neighbours(n.id, 1, false)}>${t('graph.expand')}</button></span></div>`} />
        </details>`
      : null}
  </section>`;
}
