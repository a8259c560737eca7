// htm bound to Preact: tagged templates instead of JSX, so the sources
// run as they are and server strings are always text, never markup.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
