/**
 * mlscale as a package other repositories use (issue 19): `npm pack`, the tarball installed into a
 * new project of its own (dependencies from the registry), and there: CommonJS and ESM imports, an
 * app with a notebook and a KFP component named by relative paths synthesized with `mlscale synth`,
 * `mlscale validate`, `check` and `diff`; then `mlscale init` and the starter's own `npm test` and
 * synth. The tarball's file list and size are printed and bounded.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-package-'));
const log: string[] = [];

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const started = Date.now();
  try {
    const out = execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000, env: { ...process.env, ...env } });
    log.push(`${cmd} ${args.join(' ')} (${path.relative(work, cwd) || '.'}): ${Date.now() - started} ms`);
    return out;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number };
    throw new Error(`${cmd} ${args.join(' ')} in ${cwd} exited ${err.status}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** The exit code and output of a command that may fail. */
function status(cmd: string, args: string[], cwd: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number };
    return { code: err.status ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

const npmEnv = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_prefer_offline: 'true' };
let tarball = '';
let files: Array<{ path: string; size: number }> = [];
const user = path.join(work, 'user');

beforeAll(() => {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT, npmEnv))[0];
  tarball = path.join(work, packed.filename);
  files = packed.files;
  console.log(`tarball ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.entryCount} files:\n`
    + files.map((f) => `  ${f.path} ${f.size}`).join('\n'));
  fs.mkdirSync(path.join(user, 'apps', 'notebooks'), { recursive: true });
  fs.mkdirSync(path.join(user, 'apps', 'components', 'count'), { recursive: true });
  // an ESM project ("type": "module"): mlscale synth bundles its TypeScript app as CommonJS (.cjs) all the same
  fs.writeFileSync(path.join(user, 'package.json'), JSON.stringify({ name: 'acme-platform', private: true, version: '1.0.0', type: 'module' }, null, 2));
  run('npm', ['install', tarball], user, npmEnv);
}, 600_000);

afterAll(() => {
  console.log(log.join('\n'));
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  test('ships lib/ with declarations and the schemas, nothing else, and stays small', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['lib/constructs/index.js', 'lib/constructs/index.d.ts', 'lib/stacks/lib.js', 'lib/stacks/lib.d.ts',
      'lib/constructs/cli/mlscale.js', 'constructs/upstream/schemas/index.json', 'package.json', 'README.md', 'LICENSE']));
    expect(paths.filter((p) => !/^(lib\/(constructs|stacks)\/.*\.(js|d\.ts)|constructs\/upstream\/schemas\/.*\.json|package\.json|README\.md|LICENSE)$/.test(p))).toEqual([]);
    expect(paths.filter((p) => /(^|\/)(apps|test|charts-out|\.mlscale)\/|\.map$|tsbuildinfo/.test(p))).toEqual([]);
    expect(fs.statSync(tarball).size).toBeLessThan(3 * 2 ** 20);
    // cdk8s-only users install none of @pulumi
    expect(fs.existsSync(path.join(user, 'node_modules', '@pulumi'))).toBe(false);
  });

  test('imports from CommonJS and ESM; mlscale/stacks resolves to the Pulumi half', () => {
    expect(run('node', ['-e', "const m = require('mlscale'); console.log(typeof m.ContainerJob, typeof m.MlscaleApp, typeof m.SecretRef)"], user).trim()).toBe('function function function');
    fs.writeFileSync(path.join(user, 'esm.mjs'), "import { ContainerJob, Placement } from 'mlscale';\nconsole.log(typeof ContainerJob, typeof Placement.spot);\n");
    expect(run('node', ['esm.mjs'], user).trim()).toBe('function function');
    expect(run('node', ['-e', "console.log(require.resolve('mlscale/stacks'))"], user).trim()).toBe(path.join(fs.realpathSync(user), 'node_modules', 'mlscale', 'lib', 'stacks', 'lib.js'));
  });

  test('mlscale synth builds an app that names a notebook and a KFP component by relative paths; validate, check and diff work on it', () => {
    fs.writeFileSync(path.join(user, 'apps', 'notebooks', 'prep.ipynb'), JSON.stringify({
      cells: [{ cell_type: 'code', execution_count: null, metadata: { tags: ['parameters'] }, outputs: [], source: ['rows = 10'] }],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5,
    }));
    fs.writeFileSync(path.join(user, 'apps', 'components', 'count', 'component.yaml'), [
      '# test data written for mlscale: counts the lines of a file', 'name: count', 'inputs:', '- {name: text, type: String}', 'outputs:', '- {name: lines, type: Integer}',
      'implementation:', '  container:', '    image: busybox:1.36.1', '    command: [sh, -ec, \'wc -l < "$0" > "$1"\', {inputPath: text}, {outputPath: lines}]', '',
    ].join('\n'));
    const app = (replicas: number) => `import { Chart } from 'cdk8s';
import { DaskCluster, KfpComponent, MlscaleApp, NotebookSource, ObjectStore, Pipeline, PipelineStep, SecretRef } from 'mlscale';
export function buildApp(app: MlscaleApp): void {
  const chart = new Chart(app, 'acme');
  const store = new ObjectStore(chart, 'store', { namespace: 'data', endpoint: 'http://minio.minio.svc:9000', bucket: 'acme-ml', credentials: { secret: SecretRef.fromName('minio') } });
  const prep = PipelineStep.notebook('prep', { notebook: NotebookSource.fromFile('apps/notebooks/prep.ipynb'), image: 'ghcr.io/acme/papermill:1.0.0', outputs: { table: { kind: 'artifact' } } });
  const count = PipelineStep.kfp('count', KfpComponent.fromFile('apps/components/count/component.yaml'), { dependsOn: [prep], arguments: { text: Pipeline.outputOf(prep, 'table') } });
  new Pipeline(chart, 'nightly', { namespace: 'data', objectStore: store, steps: [prep, count] });
  new DaskCluster(chart, 'explore', { namespace: 'data', workers: { replicas: ${replicas} } });
}
`;
    fs.writeFileSync(path.join(user, 'apps', 'main.ts'), app(2));
    // from a sub-folder, with no argument: the project's apps/main.ts, and paths resolve against the project root
    const synth = run('npx', ['mlscale', 'synth'], path.join(user, 'apps'));
    expect(synth).toMatch(/mlscale: synthesized 1 charts \(\d+ objects\) into .*charts-out/);
    const out = path.join(user, 'apps', 'charts-out');
    const yaml = fs.readFileSync(path.join(out, 'acme.k8s.yaml'), 'utf8');
    expect(yaml).toContain('kind: WorkflowTemplate');
    expect(yaml).toContain('"rows = 10"');
    expect(fs.readFileSync(path.join(out, 'acme.pipelines.md'), 'utf8')).toContain('apps/notebooks/prep.ipynb');
    expect(yaml).not.toContain(fs.realpathSync(user));
    fs.renameSync(out, path.join(user, 'charts-out'));
    expect(run('npx', ['mlscale', 'validate'], user)).toMatch(/validated \d+ documents .*: \d+ valid, 0 invalid/);
    const check = status('npx', ['mlscale', 'check'], user);
    expect(check.out).toMatch(/checked 1 environments .*: \d+ problems/);
    // diff against the committed charts-out
    run('git', ['init', '-q'], user);
    run('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-q', '--allow-empty', '-m', 'empty'], user);
    run('git', ['add', 'charts-out'], user);
    run('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-q', '-m', 'charts'], user);
    fs.writeFileSync(path.join(user, 'apps', 'main.ts'), app(5));
    run('npx', ['mlscale', 'synth', 'apps/main.ts'], user);
    expect(run('npx', ['mlscale', 'diff', 'HEAD'], user)).toMatch(/DaskCluster.*explore[\s\S]*replicas/);
  });

  test('the CLI: --help for every command, exit code 2 on bad usage, 1 on a failed synth (charts-out left as it was)', () => {
    for (const c of ['synth', 'validate', 'check', 'diff', 'init']) expect(status('npx', ['mlscale', c, '--help'], user)).toMatchObject({ code: 0, out: expect.stringContaining(`mlscale ${c}`) });
    expect(status('npx', ['mlscale', 'frobnicate'], user)).toMatchObject({ code: 2, out: expect.stringContaining('unknown command "frobnicate"') });
    expect(status('npx', ['mlscale', 'synth', 'apps/missing.ts'], user)).toMatchObject({ code: 2, out: expect.stringContaining('apps/missing.ts does not exist') });
    expect(status('npx', ['mlscale', 'diff'], user).code).toBe(2);
    const before = fs.readFileSync(path.join(user, 'charts-out', 'acme.k8s.yaml'), 'utf8');
    fs.writeFileSync(path.join(user, 'apps', 'bad.ts'), "import { Chart } from 'cdk8s';\nimport { ContainerJob, MlscaleApp } from 'mlscale';\n"
      + "export function buildApp(app: MlscaleApp): void { new ContainerJob(new Chart(app, 'acme'), 'j', { namespace: 'data', container: { image: 'busybox' } }); }\n");
    const failed = status('npx', ['mlscale', 'synth', 'apps/bad.ts'], user);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('acme/j: pod.containers[0].image is not pinned');
    expect(fs.readFileSync(path.join(user, 'charts-out', 'acme.k8s.yaml'), 'utf8')).toBe(before);
  });

  test('mlscale init: the starter repository installs, tests and synthesizes on its own', () => {
    const starter = path.join(work, 'starter');
    expect(run('npx', ['mlscale', 'init', starter, '--mlscale', `file:${tarball}`], user)).toContain('mlscale init: wrote');
    run('npm', ['install'], starter, npmEnv);
    expect(run('npm', ['test'], starter)).toBeDefined();
    expect(run('npm', ['run', 'synth'], starter)).toMatch(/mlscale: synthesized \d+ charts/);
    expect(run('npx', ['mlscale', 'check'], starter)).toMatch(/: 0 problems/);
    expect(fs.existsSync(path.join(starter, 'charts-out', 'gitops-argocd-root.k8s.yaml'))).toBe(true);
  });
});
