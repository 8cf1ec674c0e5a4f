/**
 * ManifestDiff: the acceptance test makes two commits of a sample app in a temp git repo (change
 * replicas, add a job, remove a service) and checks the summary names exactly those changes,
 * through the API and through the CLI (`npm run diff -- <ref>` runs constructs/cli/diff.ts).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { ContainerJob, ManifestDiff, MlscaleApp, k8s, packageRoot, readablePath } from '../../constructs';

const ROOT = packageRoot();

interface SampleOptions {
  readonly workers: number;
  readonly withService: boolean;
  readonly withEvalJob: boolean;
}

function pytorchSpec(replicas: number) {
  const template = { spec: { containers: [{ name: 'pytorch', image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime' }] } };
  return { pytorchReplicaSpecs: { Master: { replicas: 1, template }, Worker: { replicas, template } } };
}

/** The sample app: a PyTorchJob, optionally a Service and an evaluation Job. */
function buildSample(app: MlscaleApp, o: SampleOptions): void {
  const chart = new Chart(app, 'training');
  new ApiObject(chart, 'mnist', { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'mnist', namespace: 'team-a' }, spec: pytorchSpec(o.workers) });
  if (o.withService) {
    new k8s.KubeService(chart, 'tensorboard', { metadata: { name: 'tensorboard', namespace: 'team-a' }, spec: { ports: [{ port: 6006 }] } });
  }
  if (o.withEvalJob) {
    new ContainerJob(chart, 'mnist-eval', { namespace: 'team-a', container: { image: 'python:3.12-slim', command: ['python', 'eval.py'] } });
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function commitSample(repo: string, o: SampleOptions, message: string): void {
  const app = new MlscaleApp({ outdir: path.join(repo, 'charts-out') });
  buildSample(app, o);
  app.synth();
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', message);
}

function sampleRepo(): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-diff-'));
  git(repo, 'init', '-q', '-b', 'main');
  commitSample(repo, { workers: 1, withService: true, withEvalJob: false }, 'first');
  commitSample(repo, { workers: 4, withService: false, withEvalJob: true }, 'second');
  return repo;
}

describe('ManifestDiff against a git ref', () => {
  const repo = sampleRepo();

  test('names exactly the changed replicas, the added job and the removed service', () => {
    const diff = ManifestDiff.againstGitRef('HEAD~1', { cwd: repo });
    expect(diff.toText('HEAD~1')).toBe([
      'charts-out against HEAD~1: 1 added, 1 removed, 1 changed',
      '+ Job team-a/mnist-eval (training.k8s.yaml)',
      '- Service team-a/tensorboard (training.k8s.yaml)',
      '~ PyTorchJob team-a/mnist: Worker.replicas 1 → 4',
      '',
    ].join('\n'));
    expect(diff.added.map((r) => `${r.apiVersion} ${r.kind}`)).toEqual(['batch/v1 Job']);
    expect(diff.removed.map((r) => `${r.apiVersion} ${r.kind}`)).toEqual(['v1 Service']);
    expect(diff.changed).toEqual([expect.objectContaining({ kind: 'PyTorchJob', name: 'mnist', changes: [{ path: 'Worker.replicas', before: 1, after: 4 }] })]);
  });

  test('Markdown mode, for a pull-request comment', () => {
    expect(ManifestDiff.againstGitRef('HEAD~1', { cwd: repo }).toMarkdown('main~1')).toBe([
      '### charts-out changes',
      '',
      'Against `main~1`: **1 added, 1 removed, 1 changed**.',
      '',
      '#### Added',
      '',
      '- **Job** `team-a/mnist-eval` in `training.k8s.yaml`',
      '',
      '#### Removed',
      '',
      '- **Service** `team-a/tensorboard` in `training.k8s.yaml`',
      '',
      '#### Changed',
      '',
      '- **PyTorchJob** `team-a/mnist`',
      '  - `Worker.replicas`: `1` → `4`',
      '',
    ].join('\n'));
  });

  test('no changes against HEAD; an unknown ref is a clear error', () => {
    const diff = ManifestDiff.againstGitRef('HEAD', { cwd: repo });
    expect(diff.empty).toBe(true);
    expect(diff.toText('HEAD')).toBe('charts-out: no changes against HEAD\n');
    expect(diff.toMarkdown('HEAD')).toBe('### charts-out changes\n\nNo changes to charts-out against `HEAD`.\n');
    expect(() => ManifestDiff.againstGitRef('no-such-branch', { cwd: repo })).toThrow('unknown git ref "no-such-branch"');
  });

  test('the CLI prints the same summary (the bundle `npm run diff` runs)', () => {
    const bundle = path.join(ROOT, '.mlscale', 'test-diff-cli.js');
    const esbuild = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'esbuild'),
      [path.join(ROOT, 'constructs', 'cli', 'diff.ts'), '--bundle', '--platform=node', '--packages=external', '--log-level=warning', `--outfile=${bundle}`], { encoding: 'utf-8' });
    expect(esbuild.status).toBe(0);
    const text = spawnSync(process.execPath, [bundle, 'HEAD~1'], { cwd: repo, encoding: 'utf-8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('~ PyTorchJob team-a/mnist: Worker.replicas 1 → 4\n');
    const markdown = spawnSync(process.execPath, [bundle, 'HEAD~1', '--markdown'], { cwd: repo, encoding: 'utf-8' });
    expect(markdown.stdout).toContain('  - `Worker.replicas`: `1` → `4`\n');
    const usage = spawnSync(process.execPath, [bundle], { cwd: repo, encoding: 'utf-8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('usage: mlscale diff <git-ref> [--markdown] [--dir <charts-out folder>]\n'
      + '  how charts-out on disk changed against charts-out at <git-ref>: resources added, removed, changed\n');
  });
});

describe('ManifestDiff between trees', () => {
  const deployment = (image: string, env: Array<{ name: string; value: string }>, host = 'a.example') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team-b
  labels:
    app.kubernetes.io/version: "1"
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: sidecar
          image: envoy:1.31.0
        - name: app
          image: ${image}
          env: ${JSON.stringify(env)}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: team-b
spec:
  rules:
    - host: ${host}
`;

  test('named list items and labels read as names; environments are told apart', () => {
    const before = { 'web.k8s.yaml': deployment('web:1.0.0', [{ name: 'MODE', value: 'fast' }]), 'environments/prod/web.k8s.yaml': deployment('web:1.0.0', []) };
    const after = { 'web.k8s.yaml': deployment('web:1.1.0', [{ name: 'MODE', value: 'safe' }, { name: 'DEBUG', value: '1' }], 'b.example'), 'environments/prod/web.k8s.yaml': deployment('web:1.0.0', []) };
    expect(ManifestDiff.between(before, after).toText('x').split('\n')).toEqual([
      'charts-out against x: 0 added, 0 removed, 2 changed',
      '~ Deployment team-b/web: containers[app].env[MODE].value fast → safe',
      '~ Deployment team-b/web: containers[app].env[DEBUG] (none) → {"name":"DEBUG","value":"1"}',
      '~ Deployment team-b/web: containers[app].image web:1.0.0 → web:1.1.0',
      '~ Ingress team-b/web: rules[0].host a.example → b.example',
      '',
    ]);
    const prodOnly = ManifestDiff.between(before, { ...before, 'environments/prod/web.k8s.yaml': deployment('web:2.0.0', []) });
    expect(prodOnly.toText('x')).toContain('~ [prod] Deployment team-b/web: containers[app].image web:1.0.0 → web:2.0.0');
  });

  test('other files (index, pipeline diagrams) are listed when they change', () => {
    const diff = ManifestDiff.between({ 'README.md': 'a', 'p.pipelines.md': 'x' }, { 'README.md': 'b', 'p.pipelines.md': 'x', 'q.pipelines.md': 'y' });
    expect(diff.otherFiles).toEqual(['README.md', 'q.pipelines.md']);
    expect(diff.toText('x')).toBe('charts-out against x: 0 added, 0 removed, 0 changed, 2 other files changed\n* README.md\n* q.pipelines.md\n');
  });

  test.each([
    [['spec', 'pytorchReplicaSpecs', 'Worker', 'template', 'spec', 'containers', '[pytorch]', 'image'], 'Worker.containers[pytorch].image'],
    [['spec', 'tfReplicaSpecs', 'PS', 'replicas'], 'PS.replicas'],
    [['spec', 'template', 'spec', 'containers', '[app]', 'resources', 'limits', '[nvidia.com/gpu]'], 'containers[app].resources.limits[nvidia.com/gpu]'],
    [['spec', 'replicas'], 'replicas'],
    [['spec', 'replicatedJobs', '[workers]', 'replicas'], 'replicatedJobs[workers].replicas'],
    [['metadata', 'labels', '[app.kubernetes.io/version]'], 'metadata.labels[app.kubernetes.io/version]'],
    [['spec'], 'spec'],
    [['data', 'config.yaml'], 'data.config.yaml'],
  ])('readable path %j → %s', (segments, expected) => {
    expect(readablePath(segments)).toBe(expected);
  });
});
