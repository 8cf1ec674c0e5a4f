/**
 * Kill tests (issue 19, item 4): a synth SIGKILLed at each point of its write and swap (the
 * MLSCALE_SYNTH_KILL_AT seam of constructs/core/app.ts) leaves the previous charts-out whole, or a
 * state the next synth repairs; after the next synth charts-out is the new one and no temporary
 * folder is left.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const POINTS = ['created', 'charts', 'written', 'between-renames', 'swapped'] as const;

/** A small app with an environment and an artifact, whose content depends on $VERSION. */
const APP = `import { Chart } from 'cdk8s';
import { Artifacts, MlscaleApp, k8s } from '${path.join(ROOT, 'constructs')}';
MlscaleApp.run((app) => {
  for (let i = 0; i < 20; i++) new k8s.KubeConfigMap(new Chart(app, 'c' + i), 'cm', { metadata: { name: 'cm-' + i, namespace: 'a' }, data: { version: process.env.VERSION! } });
  const env = app.addEnvironment('prod');
  new k8s.KubeConfigMap(new Chart(env, 'env'), 'cm', { metadata: { name: 'env', namespace: 'a' }, data: { version: process.env.VERSION! } });
  Artifacts.of(app).add('notes.md', 'version ' + process.env.VERSION + '\\n');
}, { outdir: process.env.OUT });
`;

let bundle = '';
beforeAll(() => {
  const dir = path.join(ROOT, '.mlscale');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kill-app.ts'), APP);
  bundle = path.join(dir, 'kill-app.js');
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'esbuild'), [path.join(dir, 'kill-app.ts'), '--bundle', '--platform=node', '--packages=external', '--log-level=warning', `--outfile=${bundle}`], { encoding: 'utf8' });
  expect(r.status).toBe(0);
});

function synth(out: string, version: string, killAt?: string) {
  return spawnSync(process.execPath, [bundle], { encoding: 'utf8', env: { ...process.env, OUT: out, VERSION: version, ...(killAt ? { MLSCALE_SYNTH_KILL_AT: killAt } : {}) } });
}

/** The version every file of a charts-out says, or the problems with it. */
function versionOf(out: string): string {
  const files = fs.readdirSync(out, { recursive: true }).map(String).filter((f) => /\.(yaml|md)$/.test(f) && f !== 'README.md').sort();
  const versions = new Set(files.map((f) => /version:? "?(\w+)"?/.exec(fs.readFileSync(path.join(out, f), 'utf8'))?.[1]));
  if (files.length !== 22 || versions.size !== 1) return `mixed: ${files.length} files, versions ${[...versions].join(',')}`;
  return [...versions][0]!;
}

describe('a synth killed at any point', () => {
  test.each(POINTS)('killed at %s: charts-out is whole before the next synth (or repaired by it), and the next synth leaves nothing behind', (point) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-kill-'));
    const out = path.join(dir, 'charts-out');
    expect(synth(out, 'v1').status).toBe(0);
    expect(versionOf(out)).toBe('v1');
    const killed = synth(out, 'v2', point);
    expect(killed.signal).toBe('SIGKILL');
    // what a reader (Argo CD, git) sees before the next synth
    if (point === 'between-renames') {
      // the one window of the two-rename swap (Node has no renameat2 RENAME_EXCHANGE): no charts-out, the old tree beside it
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.readdirSync(dir).some((e) => /^\.charts-out-\d+-\w{6}\.old$/.test(e))).toBe(true);
    } else {
      expect(versionOf(out)).toBe(point === 'swapped' ? 'v2' : 'v1');
    }
    expect(synth(out, 'v3').status).toBe(0);
    expect(versionOf(out)).toBe('v3');
    expect(fs.readdirSync(dir)).toEqual(['charts-out']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('without the seam, a synth is not killed (the seam is off unless asked)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-kill-'));
    const r = synth(path.join(dir, 'charts-out'), 'v1', 'no-such-point');
    expect(r.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
