/** Training pods get the batch priority class of the app's PriorityClasses (issue 17, item 3). */
import { Chart, Testing } from 'cdk8s';
import { Externals, HyperparameterSweep, PriorityClassRef, PriorityClasses, PyTorchJob, TfJob, TorchDistributedRuntime } from '../../constructs';
import { problemMessages, testChart } from '../util';

const docsOf = (chart: Chart) => Testing.synth(chart);
const podSpecs = (doc: any): any[] => {
  if (doc.kind === 'PyTorchJob') return Object.values<any>(doc.spec.pytorchReplicaSpecs).map((r) => r.template.spec);
  if (doc.kind === 'TFJob') return Object.values<any>(doc.spec.tfReplicaSpecs).map((r) => r.template.spec);
  if (doc.kind === 'TrainingRuntime') return doc.spec.template.spec.replicatedJobs.map((j: any) => j.template.spec.template.spec);
  return [];
};

function workloads(chart: Chart): void {
  new PyTorchJob(chart, 'torch', { namespace: 'team-a', image: 'ghcr.io/acme/t:1', worker: { replicas: 1 } });
  new TfJob(chart, 'tf', { namespace: 'team-a', image: 'ghcr.io/acme/t:1', worker: { replicas: 2 } });
  new TorchDistributedRuntime(chart, 'rt', { namespace: 'team-a', image: 'ghcr.io/acme/t:1', script: 'train.py' });
  new HyperparameterSweep(chart, 'sweep', { namespace: 'team-a', parameters: { x: { values: [1, 2] } }, job: () => ({ image: 'ghcr.io/acme/t:1' }) });
}

describe('priority classes of training pods', () => {
  test('with PriorityClasses in the app: every training pod is batch, even those created before the classes', () => {
    const chart = testChart();
    workloads(chart);
    new PriorityClasses(chart, 'priorities');
    const specs = docsOf(chart).flatMap(podSpecs);
    expect(specs.length).toBe(2 + 2 + 1 + 2); // replica types: PyTorchJob Master+Worker, TFJob Chief+Worker, the runtime's node job, two 1-replica trials
    for (const s of specs) expect(s.priorityClassName).toBe('mlscale-batch');
  });

  test('without PriorityClasses: none (a missing class would make the API server refuse the pods)', () => {
    const chart = testChart();
    workloads(chart);
    for (const s of docsOf(chart).flatMap(podSpecs)) expect(s.priorityClassName).toBeUndefined();
  });

  test('an explicit class wins, on the job or its pod options', () => {
    const chart = testChart();
    const classes = new PriorityClasses(chart, 'priorities');
    new PyTorchJob(chart, 'urgent', { namespace: 'team-a', image: 'ghcr.io/acme/t:1', priorityClass: classes.interactiveClass });
    new PyTorchJob(chart, 'via-pod', { namespace: 'team-a', image: 'ghcr.io/acme/t:1', pod: { priorityClass: classes.serviceClass } });
    const [urgent, viaPod] = docsOf(chart).filter((d) => d.kind === 'PyTorchJob').map(podSpecs);
    expect(urgent.map((s) => s.priorityClassName)).toEqual(['mlscale-interactive']);
    expect(viaPod.map((s) => s.priorityClassName)).toEqual(['mlscale-service']);
  });

  test('bad input: an invalid class name; a second PriorityClasses', () => {
    expect(problemMessages(() => new PyTorchJob(testChart(), 'j', { namespace: 'team-a', image: 'ghcr.io/acme/t:1', priorityClass: PriorityClassRef.fromName('Batch!') })))
      .toEqual(['test/j: priorityClass is not a valid PriorityClass name; got "Batch!", expected a DNS-1123 subdomain, e.g. "mlscale-batch"']);
    const chart = testChart();
    new PriorityClasses(chart, 'one');
    expect(problemMessages(() => new PriorityClasses(chart, 'two')))
      .toEqual(['test/two: id is a second PriorityClasses of the app; got "two", expected one PriorityClasses per app (the classes are cluster-wide)']);
  });

  test('an imported class (PriorityClassRef.fromName) is declared external (listed with what to provide)', () => {
    const chart = testChart();
    new PyTorchJob(chart, 'j', { namespace: 'team-a', image: 'ghcr.io/acme/t:1', priorityClass: PriorityClassRef.fromName('company-batch') });
    expect(Externals.of(chart).map((e) => `${e.kind} ${e.name}`)).toEqual(['PriorityClass company-batch']);
    expect(docsOf(chart).flatMap(podSpecs).map((s) => s.priorityClassName)).toEqual(['company-batch']);
  });
});
