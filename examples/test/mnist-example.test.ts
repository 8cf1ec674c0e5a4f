/** The MNIST examples run the upstream example as it is (kubeflow/trainer v1.9.4 examples/pytorch/mnist). */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { packageRoot } from '../../constructs';

/** The options mnist.py (v1.9.4) defines with argparse: a fact recorded here, from the upstream file. */
const MNIST_FLAGS = ['--batch-size', '--test-batch-size', '--epochs', '--lr', '--momentum', '--no-cuda', '--seed', '--log-interval', '--save-model', '--dir', '--backend'];
const IMAGE = 'ghcr.io/acme/pytorch-dist-mnist:1.9.4';

const out = path.join(packageRoot(), 'charts-out');
const docs = fs.readdirSync(out).filter((f) => f.startsWith('training-') && f.endsWith('.k8s.yaml'))
  .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf-8')).map((d) => d.toJS()));

/** Every pod spec of the training objects, with its containers (Experiment trial templates included). */
function podSpecs(d: any): any[] {
  const spec = d.kind === 'Experiment' ? d.spec.trialTemplate.trialSpec.spec : d.spec;
  if (spec?.pytorchReplicaSpecs) return Object.values<any>(spec.pytorchReplicaSpecs).map((r) => r.template.spec);
  if (d.kind === 'TrainingRuntime') return d.spec.template.spec.replicatedJobs.map((j: any) => j.template.spec.template.spec);
  return [];
}

describe('the MNIST examples', () => {
  const specs = docs.flatMap(podSpecs).filter((s) => s.containers.some((c: any) => c.image === IMAGE));
  const trainJobs = docs.filter((d) => d.kind === 'TrainJob' && d.spec.trainer?.image === IMAGE);

  test('every MNIST container passes only flags mnist.py has', () => {
    expect(specs.length).toBeGreaterThanOrEqual(4);
    const args = [...specs.flatMap((s) => s.containers.flatMap((c: any) => c.args ?? [])), ...trainJobs.flatMap((j) => j.spec.trainer.args ?? [])];
    const flags = args.filter((a: string) => a.startsWith('--'));
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.filter((f: string) => !MNIST_FLAGS.includes(f))).toEqual([]);
  });

  test('its pods run as GID 0 (the image\'s /opt/mnist is writable by group 0 only), still non-root', () => {
    for (const s of specs) expect(s.securityContext).toMatchObject({ runAsGroup: 0, runAsNonRoot: true, runAsUser: 1000 });
  });
});
