// The link graph (early warning's link analysis): start from an object,
// expand neighbours by clicking, find a shortest path between two
// objects, show connected groups. Cytoscape draws on a canvas (labels are
// drawn, never parsed as markup) and is loaded with this page only.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, qs } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { Field, Notice, PageTitle, errorText } from '../components/ui.js';

const COLORS = {
  'threat-actor': '#b5179e', 'intrusion-set': '#7209b7', campaign: '#560bad', malware: '#d00000',
  indicator: '#e85d04', tool: '#9d0208', 'attack-pattern': '#3f37c9', identity: '#1d3557',
  vulnerability: '#6a040f', location: '#2a9d8f', infrastructure: '#4361ee',
};

export default function Graph({ route }) {
  const box = useRef(null);
  const cy = useRef(null);
  const [start, setStart] = useState(route.params.get('id') || '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState(null);
  const [info, setInfo] = useState('');

  const add = (g) => {
    const c = cy.current;
    c.batch(() => {
      for (const n of g.nodes) if (!c.getElementById(n.id).length)
        c.add({ data: { id: n.id, label: n.label || n.id, type: n.type, color: COLORS[n.type] || '#495057' } });
      for (const e of g.edges) {
        const id = `${e.source}|${e.target}|${e.kind}|${e.label || ''}`;
        if (!c.getElementById(id).length && c.getElementById(e.source).length && c.getElementById(e.target).length)
          c.add({ data: { id, source: e.source, target: e.target, label: e.label || e.kind } });
      }
    });
    c.layout({ name: c.nodes().length > 400 ? 'grid' : 'cose', animate: false }).run();
    setInfo(t('graph.counts', { nodes: c.nodes().length, edges: c.edges().length }) + (g.truncated ? ` ${t('graph.truncated')}` : ''));
  };
  const load = async (url, reset) => {
    setError(null);
    try {
      const g = await get(url);
      if (reset) cy.current.elements().remove();
      add(g);
    } catch (e) {
      setError(e);
    }
  };

  useEffect(() => {
    let c = null;
    import('cytoscape').then(({ default: cytoscape }) => {
      c = cytoscape({
        container: box.current,
        style: [
          { selector: 'node', style: { label: 'data(label)', 'background-color': 'data(color)', color: '#212529', 'font-size': 10, 'text-wrap': 'ellipsis', 'text-max-width': 120 } },
          { selector: 'edge', style: { width: 1.5, 'line-color': '#adb5bd', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#adb5bd', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 8 } },
          { selector: ':selected', style: { 'border-width': 3, 'border-color': '#ffb703' } },
        ],
        textureOnViewport: true,
        hideEdgesOnViewport: true,
        minZoom: 0.05,
      });
      c.on('tap', 'node', (ev) => load(`/api/v1/graph/neighbours${qs({ id: ev.target.id(), depth: 1 })}`, false));
      c.on('dbltap', 'node', (ev) => go('object', [ev.target.id()]));
      cy.current = c;
      if (start) load(`/api/v1/graph/neighbours${qs({ id: start, depth: 2 })}`, true);
    });
    return () => c && c.destroy();
  }, []);

  return html`<section>
    <${PageTitle}>${t('graph.title')}<//>
    <div class="grid">
      <form class="card" onSubmit=${(e) => { e.preventDefault(); load(`/api/v1/graph/neighbours${qs({ id: start, depth: 2 })}`, true); }}>
        <${Field} label=${t('graph.start')} value=${start} onInput=${setStart} required dir="ltr" />
        <button type="submit">${t('graph.show')}</button>
        <button type="button" class="secondary" onClick=${() => load(`/api/v1/graph/groups${qs({ id: start, depth: 2 })}`, true)}>${t('graph.groups')}</button>
      </form>
      <form class="card" onSubmit=${(e) => { e.preventDefault(); load(`/api/v1/graph/path${qs({ from, to })}`, true); }}>
        <${Field} label=${t('graph.from')} value=${from} onInput=${setFrom} required dir="ltr" />
        <${Field} label=${t('graph.to')} value=${to} onInput=${setTo} required dir="ltr" />
        <button type="submit">${t('graph.path')}</button>
      </form>
    </div>
    <${Notice} kind="error">${errorText(error)}<//>
    <p role="status">${info}</p>
    <p class="hint">${t('graph.hint')}</p>
    <div class="graph" ref=${box} role="img" aria-label=${t('graph.canvas')}></div>
  </section>`;
}
