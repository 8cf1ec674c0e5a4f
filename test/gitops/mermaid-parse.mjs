// Parses Mermaid diagrams with Mermaid's own parser (mermaid needs a DOM: jsdom). Input: a JSON
// file of [{ name, text }]; output: JSON [{ name, ok, error?, type? }] on stdout.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const diagrams = JSON.parse(readFileSync(process.argv[2], 'utf-8'));
const results = [];
for (const d of diagrams) {
  try {
    const r = await mermaid.parse(d.text);
    results.push({ name: d.name, ok: true, type: r.diagramType });
  } catch (e) {
    results.push({ name: d.name, ok: false, error: String(e.message ?? e).split('\n').slice(0, 3).join(' ') });
  }
}
process.stdout.write(JSON.stringify(results));
