/**
 * Every Mermaid diagram in charts-out (pipeline diagrams, flow diagrams) parses with Mermaid's own
 * parser (mermaid 11, run in Node with jsdom), and a broken one is rejected by the same check.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packageRoot } from '../../constructs';

const ROOT = packageRoot();

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? markdownFiles(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
}

function diagramsOf(file: string): Array<{ name: string; text: string }> {
  const text = fs.readFileSync(file, 'utf-8');
  return [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m, i) => ({ name: `${path.relative(ROOT, file)}#${i}`, text: m[1] }));
}

function parse(diagrams: Array<{ name: string; text: string }>): Array<{ name: string; ok: boolean; error?: string; type?: string }> {
  const input = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-mermaid-')), 'diagrams.json');
  fs.writeFileSync(input, JSON.stringify(diagrams));
  const out = execFileSync(process.execPath, [path.join(__dirname, 'mermaid-parse.mjs'), input], { cwd: ROOT, encoding: 'utf-8', maxBuffer: 16 << 20 });
  return JSON.parse(out);
}

describe('Mermaid diagrams in charts-out', () => {
  const diagrams = markdownFiles(path.join(ROOT, 'charts-out')).flatMap(diagramsOf);

  test('there are pipeline and flow diagrams to check', () => {
    expect(diagrams.some((d) => d.name.includes('.pipelines.md'))).toBe(true);
    expect(diagrams.some((d) => d.name.endsWith('flows.md#0'))).toBe(true);
  });

  test('every diagram parses with Mermaid\'s own parser; a broken one does not', () => {
    const results = parse([...diagrams, { name: 'broken', text: 'flowchart LR\n  a[[[ -->' }]);
    expect(results.filter((r) => r.name !== 'broken' && !r.ok)).toEqual([]);
    expect(results.filter((r) => r.name !== 'broken').every((r) => r.type === 'flowchart-v2')).toBe(true);
    expect(results.find((r) => r.name === 'broken')).toMatchObject({ ok: false });
    console.log(`parsed ${results.length - 1} diagrams from charts-out with mermaid ${require('mermaid/package.json').version}`);
  });
});
