/**
 * The repository's commands as `npm run` runs them (scripts/run-ts.cjs: the bundle runs as the main
 * module, so the commands' `require.main === module` entry holds), and the starter `mlscale init`
 * writes, read by mlscale's own checks.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { starterFiles } from '../../constructs/cli/init';
import { parseStackConfig } from '../../stacks/config';

const ROOT = path.resolve(__dirname, '..', '..');
const runTs = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.cjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('npm run validate / check / diff (scripts/run-ts.cjs)', () => {
  test('bad usage exits 2 with the command\'s message: the command ran', () => {
    const validate = runTs('constructs/cli/validate.ts', '/nonexistent');
    expect(validate).toMatchObject({ status: 2, stderr: expect.stringContaining('validate: /nonexistent does not exist') });
    expect(runTs('constructs/cli/check.ts', '/nonexistent')).toMatchObject({ status: 2, stderr: expect.stringContaining('check: /nonexistent is not a folder of manifests') });
    expect(runTs('constructs/cli/diff.ts')).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: mlscale diff <git-ref>') });
  });

  test('the bundle records its inputs (sources, tsconfig) and is rebuilt when one changes', () => {
    runTs('constructs/cli/check.ts', '--help');
    const inputs = JSON.parse(fs.readFileSync(path.join(ROOT, '.mlscale', 'constructs_cli_check.js.inputs.json'), 'utf8')).files;
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(['constructs/cli/check.ts', 'constructs/cluster/cluster-model.ts', 'tsconfig.json']));
    // an input whose recorded stamp no longer matches (e.g. restored with an older mtime) makes the bundle stale
    const file = path.join(ROOT, '.mlscale', 'constructs_cli_check.js.inputs.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), files: { ...inputs, 'constructs/cli/check.ts': '0:0' } }));
    const bundle = path.join(ROOT, '.mlscale', 'constructs_cli_check.js');
    const before = fs.statSync(bundle).mtimeMs;
    expect(runTs('constructs/cli/check.ts', '--help').status).toBe(0);
    expect(fs.statSync(bundle).mtimeMs).toBeGreaterThan(before);
  });
});

describe('scripts/run-ts.cjs: one bundle, compiled from V8\'s code cache', () => {
  const entry = 'test/fixtures/run-ts/throws.ts';
  const bundle = path.join(ROOT, '.mlscale', 'test_fixtures_run-ts_throws.js');
  const cache = `${bundle}.cache`;

  test('the first run writes the code cache for this bundle and Node; a cache of another bundle or a corrupt one is rewritten, never used', () => {
    fs.rmSync(cache, { force: true });
    expect(runTs(entry)).toMatchObject({ status: 0, stdout: 'main: true\n' });
    const key = fs.readFileSync(cache).subarray(0, fs.readFileSync(cache).indexOf(10)).toString();
    const s = fs.statSync(bundle);
    expect(key).toBe(`${s.size}:${s.mtimeMs}|${process.version}|${process.arch}`);
    // packages stay in node_modules (one cdk8s for cdk8s-plus-27 and the app)
    expect(fs.readFileSync(bundle, 'utf8')).not.toContain('node_modules/cdk8s/lib/chart.js');

    fs.writeFileSync(cache, Buffer.concat([Buffer.from('0:0|v0|none\n'), Buffer.from('not a code cache')]));
    expect(runTs(entry)).toMatchObject({ status: 0, stdout: 'main: true\n' });
    expect(fs.readFileSync(cache).subarray(0, key.length).toString()).toBe(key);

    fs.writeFileSync(cache, Buffer.concat([Buffer.from(`${key}\n`), Buffer.from('garbage where V8 data should be')]));
    expect(runTs(entry)).toMatchObject({ status: 0, stdout: 'main: true\n' });
    expect(fs.readFileSync(cache).subarray(key.length + 1).toString('latin1')).not.toContain('garbage where V8 data should be');
  });

  test('a stack trace names the TypeScript source line, through the bundle\'s source map', () => {
    const r = runTs(entry, '--throw');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: fixture failure function');
    expect(r.stderr).toMatch(new RegExp(`at failHere \\(${ROOT.replace(/[/\\]/g, '.')}.test.fixtures.run-ts.throws\\.ts:6:\\d+\\)`));
  });
});

describe('the starter mlscale init writes', () => {
  const files = starterFiles({ name: 'platform', mlscale: '^1.0.0' });

  test('its GKE stack config passes mlscale\'s own stack config check', () => {
    const config = YAML.parse(files['Pulumi.gke.yaml']).config;
    expect(() => parseStackConfig({ target: config['mlscale:target'], gke: config['mlscale:gke'] },
      { gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4', maxNodes: 4 }] })).not.toThrow();
  });

  test('its CI fails on any charts-out difference, new files included, and runs the tests before synth', () => {
    for (const ci of [files['.github/workflows/charts.yml'], files['.gitlab-ci.yml']]) {
      expect(ci).toContain('git status --porcelain -- charts-out');
      expect(ci.indexOf('npm test')).toBeLessThan(ci.indexOf('npm run synth'));
    }
    expect(files['.github/workflows/charts.yml']).toContain('fetch-depth: 0');
    expect(files['.gitlab-ci.yml']).toContain('merge_request_event');
  });

  test('its package depends on what its code imports', () => {
    const pkg = JSON.parse(files['package.json']);
    const imported = new Set([...Object.entries(files)].filter(([f]) => f.endsWith('.ts') && !f.startsWith('stacks/'))
      .flatMap(([, text]) => [...text.matchAll(/from '([^'./][^']*)'/g)].map((m) => m[1].split('/')[0])));
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
    expect([...imported].filter((m) => !declared.has(m) && !['fs', 'os', 'path'].includes(m))).toEqual([]);
  });
});
