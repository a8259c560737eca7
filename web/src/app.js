import { html } from './html.js';
export function App() { return html`<main><h1>vigil</h1></main>`; }
