/**
 * The gates over the whole charts-out/ folder, run by every `npm test`:
 *  1. schema gate: every document is valid against the pinned Kubernetes 1.32 / CRD schemas (strict);
 *  2. drift check: synthesizing the default app now gives exactly the committed charts-out.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MlscaleApp, SchemaValidator, loadManifests, packageRoot } from '../constructs';
import { buildApp } from '../examples/apps/main';

const CHARTS_OUT = path.join(packageRoot(), 'charts-out');

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe('charts-out schema gate', () => {
  const docs = loadManifests(CHARTS_OUT);
  const validator = new SchemaValidator();

  test('charts-out has documents', () => {
    expect(docs.length).toBeGreaterThan(0);
  });

  test.each(docs.map((d) => [`${path.relative(CHARTS_OUT, d.file)}#${d.index} ${d.doc.kind}/${d.doc.metadata?.name}`, d]))('%s', (_label, d) => {
    const r = validator.validate(d.doc);
    expect(r.schema).toBeDefined();
    expect(r.violations).toEqual([]);
  });
});

describe('charts-out drift check', () => {
  test('synthesizing the default app reproduces the committed charts-out byte for byte', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-drift-')), 'charts-out');
    const app = new MlscaleApp({ outdir: out });
    buildApp(app);
    app.synth();
    const fresh = listFiles(out);
    expect(fresh).toEqual(listFiles(CHARTS_OUT));
    const stale = fresh.filter((f) => fs.readFileSync(path.join(out, f), 'utf-8') !== fs.readFileSync(path.join(CHARTS_OUT, f), 'utf-8'));
    if (stale.length) throw new Error(`charts-out is stale (run \`npm run synth\` and commit): ${stale.join(', ')}`);
  });
});
