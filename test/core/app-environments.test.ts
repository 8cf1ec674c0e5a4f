import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { Artifacts, ClusterProfile, ContainerJob, MlscaleApp } from '../../constructs';
import { problemMessages } from '../util';

function tmpOut(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-env-')), 'charts-out');
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

function addTraining(app: MlscaleApp, gpuType: 'nvidia-tesla-t4' | 'nvidia-l4'): void {
  new ContainerJob(new Chart(app, 'training'), 'train', { namespace: 'team-a', container: { image: 'python:3.12-slim', resources: { gpus: 1, gpuType } } });
}

describe('MlscaleApp environments', () => {
  test('the same charts per environment, in environments/<env>/, with their own profile and artifacts', () => {
    const out = tmpOut();
    const app = new MlscaleApp({ outdir: out });
    addTraining(app, 'nvidia-tesla-t4');
    const prod = app.addEnvironment('prod');
    ClusterProfile.use(prod, ClusterProfile.onPrem({ gpuClasses: [{ name: 'l4', type: 'nvidia-l4', gpusPerNode: 4 }] }));
    addTraining(prod, 'nvidia-l4');
    Artifacts.of(prod).add('notes.md', () => 'prod\n');
    expect(app.synth()).toBe(2);
    expect(listFiles(out)).toEqual(['environments/prod/notes.md', 'environments/prod/training.k8s.yaml', 'training.k8s.yaml']);
    expect(fs.readFileSync(path.join(out, 'environments/prod/training.k8s.yaml'), 'utf-8')).toContain('mlscale.io/gpu-class: l4');
    expect(fs.readFileSync(path.join(out, 'training.k8s.yaml'), 'utf-8')).toContain('cloud.google.com/gke-accelerator: nvidia-tesla-t4');
    expect(prod.environmentName).toBe('prod');
    expect(prod.rootApp).toBe(app);
    expect(prod.outputPrefix).toBe('environments/prod/');
    expect(app.environments).toEqual([prod]);
  });

  test('hooks of environments run before the root hooks', () => {
    const app = new MlscaleApp({ outdir: tmpOut() });
    const dev = app.addEnvironment('dev');
    const order: string[] = [];
    app.addSynthHook(() => order.push('root'));
    dev.addSynthHook(() => order.push('dev'));
    app.synth();
    expect(order).toEqual(['dev', 'root']);
  });

  test('a failing environment leaves the whole output untouched', () => {
    const out = tmpOut();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.k8s.yaml'), 'kept');
    const app = new MlscaleApp({ outdir: out });
    app.addEnvironment('dev').node.addValidation({ validate: () => ['dev is broken'] });
    expect(() => app.synth()).toThrow(/dev is broken/);
    expect(listFiles(out)).toEqual(['keep.k8s.yaml']);
  });

  test('environment names are checked', () => {
    const app = new MlscaleApp({ outdir: tmpOut() });
    const dev = app.addEnvironment('dev');
    expect(problemMessages(() => app.addEnvironment('dev'))).toEqual(['app: environment is defined twice; got "dev", expected unique environment names']);
    expect(problemMessages(() => app.addEnvironment('Prod'))).toEqual([
      'app: environment is not a valid Kubernetes name; got "Prod", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
    ]);
    expect(problemMessages(() => dev.addEnvironment('x'))).toEqual(['app: environment cannot be nested in another environment; got "x", expected an environment of the root app (this is environment "dev")']);
  });
});
