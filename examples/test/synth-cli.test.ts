/**
 * Acceptance of the synth command as a user runs it: a bad construct makes synth exit non-zero
 * with a message naming the construct path and field, and the previous output stays as it was.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packageRoot } from '../../constructs';

const ROOT = packageRoot();

function synthApp(source: string, outdir: string) {
  const dir = path.join(ROOT, '.mlscale', 'test-apps');
  fs.mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, `app-${process.pid}-${Math.abs(hash(source))}.ts`);
  fs.writeFileSync(entry, source);
  const bundle = entry.replace(/\.ts$/, '.js');
  const esbuild = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'esbuild'),
    [entry, '--bundle', '--platform=node', '--packages=external', '--log-level=warning', `--outfile=${bundle}`], { encoding: 'utf-8' });
  expect(esbuild.status).toBe(0);
  return spawnSync(process.execPath, [bundle], { encoding: 'utf-8', env: { ...process.env, MLSCALE_OUTDIR: outdir } });
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

const app = (name: string, image: string) => `
import { Chart } from 'cdk8s';
import { ContainerJob, MlscaleApp } from '${ROOT}/constructs';
MlscaleApp.run((app) => {
  const chart = new Chart(app, 'jobs');
  new ContainerJob(chart, ${JSON.stringify(name)}, { container: { image: ${JSON.stringify(image)} } });
});
`;

describe('npm run synth with bad input', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-cli-')), 'charts-out');

  test('a good app synthesizes', () => {
    const r = synthApp(app('ok', 'python:3.12-slim'), out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/synthesized 1 charts \(1 objects\)/);
  });

  test.each([
    ['an unpinned image', app('etl', 'busybox'), 'jobs/etl: pod.containers[0].image is not pinned (no tag or digest); got "busybox"'],
    ['a bad name', app('ETL Job', 'python:3.12-slim'), 'jobs/ETL Job: name is not a valid Kubernetes name; got "ETL Job"'],
  ])('%s: exit 1, message names path and field, charts-out unchanged', (_what, source, message) => {
    const before = fs.readFileSync(path.join(out, 'jobs.k8s.yaml'), 'utf-8');
    const r = synthApp(source, out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('synth failed; charts-out was left unchanged');
    expect(r.stderr).toContain(message);
    expect(fs.readdirSync(out)).toEqual(['jobs.k8s.yaml']);
    expect(fs.readFileSync(path.join(out, 'jobs.k8s.yaml'), 'utf-8')).toBe(before);
  });
});
