import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { Artifacts, ContainerJob, MlscaleApp, MlscaleValidationError } from '../../constructs';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-app-'));
}

function snapshotDir(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
}

function build(app: MlscaleApp, image = 'python:3.12-slim'): void {
  const a = new Chart(app, 'alpha');
  new ContainerJob(a, 'one', { container: { image } });
  const b = new Chart(app, 'beta');
  new ContainerJob(b, 'two', { container: { image: 'python:3.12-slim' } });
  Artifacts.of(app).add('beta.notes.md', '# notes\n');
}

describe('MlscaleApp synth', () => {
  test('one file per chart plus artifacts; byte-identical across runs', () => {
    const out = path.join(tmpdir(), 'charts-out');
    const first = new MlscaleApp({ outdir: out });
    build(first);
    expect(first.synth()).toBe(2);
    const once = snapshotDir(out);
    expect(Object.keys(once)).toEqual(['alpha.k8s.yaml', 'beta.k8s.yaml', 'beta.notes.md']);
    const second = new MlscaleApp({ outdir: out });
    build(second);
    second.synth();
    expect(snapshotDir(out)).toEqual(once);
    expect(fs.statSync(out).mode & 0o777).toBe(0o755);
  });

  test('stale files of removed charts disappear (the folder is replaced, not merged)', () => {
    const out = path.join(tmpdir(), 'charts-out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'removed-chart.k8s.yaml'), 'old');
    const app = new MlscaleApp({ outdir: out });
    build(app);
    app.synth();
    expect(fs.existsSync(path.join(out, 'removed-chart.k8s.yaml'))).toBe(false);
  });

  test('a failing construct leaves the previous output untouched and no temp folder behind', () => {
    const parent = tmpdir();
    const out = path.join(parent, 'charts-out');
    const good = new MlscaleApp({ outdir: out });
    build(good);
    good.synth();
    const before = snapshotDir(out);
    expect(() => {
      const bad = new MlscaleApp({ outdir: out });
      build(bad, 'busybox');
      bad.synth();
    }).toThrow(MlscaleValidationError);
    expect(snapshotDir(out)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['charts-out']);
  });

  test('an error during synthesis (a failing validation) also leaves the output untouched', () => {
    const parent = tmpdir();
    const out = path.join(parent, 'charts-out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.k8s.yaml'), 'kept');
    const app = new MlscaleApp({ outdir: out });
    build(app);
    app.node.addValidation({ validate: () => ['whole-app check failed'] });
    expect(() => app.synth()).toThrow(/whole-app check failed/);
    expect(snapshotDir(out)).toEqual({ 'keep.k8s.yaml': 'kept' });
    expect(fs.readdirSync(parent)).toEqual(['charts-out']);
  });

  test('artifact names cannot escape the output folder', () => {
    const app = new MlscaleApp({ outdir: tmpdir() });
    expect(() => Artifacts.of(app).add('../evil.md', 'x')).toThrow(/relative path/);
  });
});
