/**
 * `npm run bench [-- <case> ...]`: synthesis benchmark. Each case runs in a fresh Node process
 * (so peak RSS is the case's own) and reports wall time (build + synth), peak RSS and objects/s.
 * With the default app it also times `npm run synth` against `kubectl kustomize` over the same
 * charts-out. This is a benchmark, not a test: nothing here asserts a time.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { buildApp } from '../../examples/apps/main';
import { ClusterModel } from '../cluster/cluster-model';
import { ContainerJob, MlscaleApp, packageRoot } from '../core';
import { HyperparameterSweep } from '../training';

/** A benchmark case: builds an app. */
export interface BenchCase {
  readonly description: string;
  readonly build: (app: MlscaleApp) => void;
}

/** 10,000 Jobs in 20 charts: the "large generated app". */
function generated(objects: number, charts = 20): (app: MlscaleApp) => void {
  return (app) => {
    const perChart = Math.ceil(objects / charts);
    for (let c = 0; c < charts; c++) {
      const chart = new Chart(app, `gen-${c}`);
      for (let i = 0; i < perChart && c * perChart + i < objects; i++) {
        new ContainerJob(chart, `job-${i}`, { container: { image: 'python:3.12-slim', args: ['-c', `print(${i})`], resources: { cpu: 0.5, memory: '1Gi' } } });
      }
    }
  };
}

/** A random sweep of `trials` two-pod GPU PyTorchJobs in one chart (linearity of the sweep). */
function sweep(trials: number): (app: MlscaleApp) => void {
  return (app) => {
    new HyperparameterSweep(new Chart(app, 'sweep'), 'bench', {
      namespace: 'team-a',
      algorithm: 'random',
      trials,
      seed: 1,
      parameters: { lr: { min: 1e-5, max: 1e-1, scale: 'log' }, layers: { min: 1, max: 8, integer: true } },
      job: (t) => ({
        image: 'ghcr.io/acme/mnist-simple:1.0.0',
        args: ['--lr', t.parameters.lr, '--hidden-layers', t.parameters.layers],
        resources: { cpu: 2, memory: '8Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
        worker: { replicas: 1 },
      }),
    });
  };
}

export const BENCH_CASES: Record<string, BenchCase> = {
  'default-app': { description: 'the default platform app (examples/apps/main.ts)', build: buildApp },
  'generated-1000': { description: '1,000 ContainerJobs in 20 charts', build: generated(1000) },
  'generated-10000': { description: '10,000 ContainerJobs in 20 charts', build: generated(10000) },
  'sweep-500': { description: 'HyperparameterSweep, 500 random trials (PyTorchJobs)', build: sweep(500) },
  'sweep-1000': { description: 'HyperparameterSweep, 1,000 random trials (PyTorchJobs)', build: sweep(1000) },
  'sweep-2000': { description: 'HyperparameterSweep, 2,000 random trials (PyTorchJobs)', build: sweep(2000) },
};

interface Result {
  readonly objects: number;
  readonly wallMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** The cluster model's share of synthMs (apps that enable it). */
  readonly modelMs?: number;
  readonly peakRssMiB: number;
}

function runCase(name: string): Result {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-bench-')), 'charts-out');
  const t0 = process.hrtime.bigint();
  const app = new MlscaleApp({ outdir: out });
  BENCH_CASES[name].build(app);
  const t1 = process.hrtime.bigint();
  const objects = app.synth();
  const t2 = process.hrtime.bigint();
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return {
    objects,
    wallMs: Number(t2 - t0) / 1e6,
    buildMs: Number(t1 - t0) / 1e6,
    synthMs: Number(t2 - t1) / 1e6,
    modelMs: ClusterModel.durationOf(app),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Wall time of a command, in ms (its output discarded). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf-8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `npm run synth` (node scripts/run-ts.cjs examples/apps/synth.ts, the bundle cached) against `kubectl
 * kustomize` over the same charts-out (its root environment's *.k8s.yaml as one kustomization):
 * `runs` paired runs, whole processes, median ratio. Skipped when kubectl is not on PATH.
 */
function versusKustomize(runs = 5): void {
  if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf-8' }).status !== 0) {
    console.log('\nkubectl is not on PATH: no kustomize comparison');
    return;
  }
  const root = packageRoot();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-bench-kz-'));
  const out = path.join(tmp, 'charts-out');
  const synth = () => timed(process.execPath, [path.join(root, 'scripts', 'run-ts.cjs'), 'examples/apps/synth.ts'], { MLSCALE_OUTDIR: out });
  synth(); // builds the bundle if a source changed, as the first `npm run synth` after an edit does
  const kz = path.join(tmp, 'kustomize');
  fs.mkdirSync(kz);
  const files = fs.readdirSync(out).filter((f) => f.endsWith('.k8s.yaml')).sort();
  for (const f of files) fs.copyFileSync(path.join(out, f), path.join(kz, f));
  fs.writeFileSync(path.join(kz, 'kustomization.yaml'), `resources:\n${files.map((f) => `- ${f}`).join('\n')}\n`);
  const s: number[] = [];
  const k: number[] = [];
  for (let i = 0; i < runs; i++) {
    s.push(synth());
    k.push(timed('kubectl', ['kustomize', kz]));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const ratios = s.map((x, i) => x / k[i]);
  console.log(`\nnpm run synth vs kubectl kustomize over the same ${files.length} files (${runs} paired runs, whole processes):`);
  console.log(`  synth ms:     ${s.map((x) => x.toFixed(0)).join(' ')} (median ${median(s).toFixed(0)})`);
  console.log(`  kustomize ms: ${k.map((x) => x.toFixed(0)).join(' ')} (median ${median(k).toFixed(0)})`);
  console.log(`  ratio: median ${median(ratios).toFixed(2)} (target ≤ 1.5)`);
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(JSON.stringify(runCase(args[1])));
    return;
  }
  const names = args.length ? args : Object.keys(BENCH_CASES);
  const unknown = names.filter((n) => !BENCH_CASES[n]);
  if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')}; cases: ${Object.keys(BENCH_CASES).join(', ')}`);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs; each case in a fresh process\n`);
  console.log('case                     objects   wall ms  build ms  synth ms  model ms  peak RSS MiB   objects/s');
  for (const name of names) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', name], { encoding: 'utf-8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`case ${name} failed:\n${child.stderr}`);
    const r: Result = JSON.parse(child.stdout);
    console.log(`${name.padEnd(24)} ${String(r.objects).padStart(7)} ${r.wallMs.toFixed(0).padStart(9)} ${r.buildMs.toFixed(0).padStart(9)} ${r.synthMs.toFixed(0).padStart(9)} ${(r.modelMs === undefined ? '-' : r.modelMs.toFixed(0)).padStart(9)} ${r.peakRssMiB.toFixed(0).padStart(13)} ${(r.objects / (r.wallMs / 1000)).toFixed(0).padStart(11)}`);
  }
  if (names.includes('default-app')) versusKustomize();
}

main();
