/**
 * The CI templates in .ci/templates/ parse as YAML and run only commands the project defines:
 * `npm ci`, `npm test` and `npm run <script>` with a script of package.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { packageRoot } from '../../constructs';

const ROOT = packageRoot();
const SCRIPTS = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).scripts);
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

/** Every shell line of a template: GitHub `run:` steps, GitLab `script:` entries. */
function shellLines(doc: any): string[] {
  const out: string[] = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'run' && typeof v === 'string') out.push(...v.split('\n'));
        else if (k === 'script' && Array.isArray(v)) out.push(...v.flatMap((s) => String(s).split('\n')));
        else walk(v);
      }
    }
  };
  walk(doc);
  return out.map((l) => l.trim()).filter((l) => l.length > 0);
}

function npmCommands(lines: string[]): string[] {
  return lines.flatMap((l) => [...l.matchAll(/\bnpm\s+(?:run\s+(?:--silent\s+)?([\w:-]+)|(ci|test|install)\b)/g)].map((m) => (m[1] ? `run ${m[1]}` : m[2])));
}

describe.each([
  ['github-actions.yml', (doc: any) => doc.jobs.build.steps],
  ['gitlab-ci.yml', (doc: any) => ({ mergeRequest: doc['merge-request'], main: doc.main })],
])('.ci/templates/%s', (file, steps) => {
  const text = fs.readFileSync(path.join(ROOT, '.ci', 'templates', file), 'utf-8');
  const doc = YAML.parse(text);
  const lines = shellLines(steps(doc));
  const commands = npmCommands(lines);

  test('parses as YAML', () => {
    expect(YAML.parseAllDocuments(text).every((d) => d.errors.length === 0)).toBe(true);
    expect(steps(doc)).toBeDefined();
  });

  test('runs npm ci, npm test, the synth, and the Markdown diff', () => {
    expect(commands).toEqual(expect.arrayContaining(['ci', 'test', 'run synth', 'run diff']));
    expect(lines.some((l) => /npm run --silent diff -- "[^"]+" --markdown/.test(l))).toBe(true);
    expect(commands).not.toContain('install');
  });

  test('every npm command is one the README documents', () => {
    expect(commands.length).toBeGreaterThan(0);
    for (const c of new Set(commands)) expect(README).toContain(`npm ${c}`);
  });

  test('every npm run script exists in package.json', () => {
    const scripts = commands.filter((c) => c.startsWith('run ')).map((c) => c.slice(4));
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(SCRIPTS).toContain(s);
  });

  test('fails a stale charts-out on review, commits it back on the main branch', () => {
    expect(text).toContain('charts-out/ is stale');
    expect(lines).toEqual(expect.arrayContaining(['git add -A charts-out']));
    expect(lines.some((l) => l.startsWith('git push'))).toBe(true);
    expect(text).toContain('[skip ci]');
  });
});
