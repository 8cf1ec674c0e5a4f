import { Chart, Testing } from 'cdk8s';
import { HyperparameterSweep, HyperparameterSweepProps, PyTorchJobProps, SweepTrial } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

const job = (t: SweepTrial): PyTorchJobProps => ({
  image: 'ghcr.io/acme/mnist-simple:1.0.0',
  args: ['--lr', t.parameters.lr, '--hidden-layers', t.parameters.layers],
  resources: { cpu: 2, memory: '8Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
  worker: { replicas: 1 },
});

const sweep = (props: Partial<HyperparameterSweepProps>, chart: Chart = testChart()) =>
  new HyperparameterSweep(chart, 'mnist-sweep', { namespace: 'team-a', parameters: { lr: { values: [0.1, 0.01, 0.001] }, layers: { values: [2, 4] } }, job, ...props });

describe('HyperparameterSweep', () => {
  test('grid: N trials for an N-point grid, distinct names and values, bounded parallelism', () => {
    const chart = testChart();
    const s = sweep({ maxParallel: 2 }, chart);
    const docs = byKind(chart);
    const jobs = docs.PyTorchJob;
    expect(jobs).toHaveLength(6);
    expect(Testing.synth(chart)).toMatchSnapshot();
    const names = jobs.map((j) => j.metadata.name);
    expect(names).toEqual(['mnist-sweep-0000', 'mnist-sweep-0001', 'mnist-sweep-0002', 'mnist-sweep-0003', 'mnist-sweep-0004', 'mnist-sweep-0005']);
    const points = jobs.map((j) => JSON.parse(j.metadata.annotations['mlscale.io/trial-parameters']));
    expect(points).toEqual([
      { lr: '0.1', layers: '2' }, { lr: '0.1', layers: '4' }, { lr: '0.01', layers: '2' },
      { lr: '0.01', layers: '4' }, { lr: '0.001', layers: '2' }, { lr: '0.001', layers: '4' },
    ]);
    expect(jobs.map((j) => j.spec.pytorchReplicaSpecs.Master.template.spec.containers[0].args))
      .toContainEqual(['--lr', '0.001', '--hidden-layers', '4']);
    expect(new Set(jobs.map((j) => j.metadata.labels['mlscale.io/trial'])).size).toBe(6);
    for (const j of jobs) {
      expect(j.metadata.labels['mlscale.io/sweep']).toBe('mnist-sweep');
      expect(j.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('mnist-sweep');
      expect(j.spec.runPolicy.suspend).toBe(true);
    }
    // the bound: 2 trials × (2 pods × 2 CPU, 8Gi, 1 GPU)
    const [cq] = docs.ClusterQueue;
    expect(cq.apiVersion).toBe('kueue.x-k8s.io/v1beta2');
    expect(cq.spec.resourceGroups[0].flavors[0]).toEqual({
      name: 'team-a-mnist-sweep',
      resources: [
        { name: 'cpu', nominalQuota: '8000m' }, { name: 'memory', nominalQuota: '32768Mi' },
        { name: 'nvidia.com/gpu', nominalQuota: 4 }, { name: 'pods', nominalQuota: 4 },
      ],
    });
    expect(docs.LocalQueue[0].spec.clusterQueue).toBe('team-a-mnist-sweep');
    expect(s.trials).toHaveLength(6);
  });

  test('random: seeded and deterministic, distinct points, ranges', () => {
    const make = (seed: number) => sweep({ algorithm: 'random', trials: 4, seed, parameters: { lr: { min: 1e-4, max: 1e-1, scale: 'log' }, layers: { values: [2, 4, 8] } } }).trials;
    expect(make(7)).toEqual(make(7));
    expect(make(7)).not.toEqual(make(8));
    for (const t of make(7)) {
      expect(Number(t.parameters.lr)).toBeGreaterThanOrEqual(1e-4);
      expect(Number(t.parameters.lr)).toBeLessThanOrEqual(1e-1);
      expect(['2', '4', '8']).toContain(t.parameters.layers);
    }
    const discrete = sweep({ algorithm: 'random', trials: 6, seed: 3 }).trials.map((t) => JSON.stringify(t.parameters));
    expect(new Set(discrete).size).toBe(6); // every grid point exactly once
  });

  test('Katib: one Experiment with a PyTorchJob trial template', () => {
    const chart = testChart();
    sweep({ algorithm: 'bayesianoptimization', trials: 12, maxParallel: 3, katib: { objective: { metric: 'accuracy', goal: 'maximize', target: 0.99 } }, parameters: { lr: { min: 0.001, max: 0.1, scale: 'log' }, layers: { values: [2, 4] } } }, chart);
    const docs = byKind(chart);
    // the Experiment, and the policy that lets Katib reach its suggestion pod and its trials reach the DB manager
    expect(Object.keys(docs)).toEqual(['NetworkPolicy', 'Experiment']);
    expect(docs.NetworkPolicy[0].spec).toEqual({
      podSelector: { matchLabels: { 'katib.kubeflow.org/experiment': 'mnist-sweep' } }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kubeflow' } }, podSelector: { matchLabels: { 'katib.kubeflow.org/component': 'controller' } } }], ports: [{ protocol: 'TCP', port: 6789 }] }],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kubeflow' } }, podSelector: { matchLabels: { 'katib.kubeflow.org/component': 'db-manager' } } }], ports: [{ protocol: 'TCP', port: 6789 }] }],
    });
    const e = docs.Experiment[0];
    expect(e).toMatchSnapshot();
    expect(e.spec).toMatchObject({
      objective: { type: 'maximize', objectiveMetricName: 'accuracy', goal: 0.99 },
      algorithm: { algorithmName: 'bayesianoptimization' },
      parallelTrialCount: 3,
      maxTrialCount: 12,
      parameters: [
        { name: 'lr', parameterType: 'double', feasibleSpace: { min: '0.001', max: '0.1', distribution: 'logUniform' } },
        { name: 'layers', parameterType: 'discrete', feasibleSpace: { list: ['2', '4'] } },
      ],
    });
    const t = e.spec.trialTemplate;
    expect(t.primaryContainerName).toBe('pytorch');
    expect(t.trialSpec.kind).toBe('PyTorchJob');
    expect(t.trialSpec.spec.pytorchReplicaSpecs.Master.template.spec.containers[0].args)
      .toEqual(['--lr', '${trialParameters.lr}', '--hidden-layers', '${trialParameters.layers}']);
  });

  test('bad input: empty and duplicated parameter space, too many trials, Bayesian without Katib', () => {
    expect(problemMessages(() => sweep({ parameters: {} }))).toEqual([
      'test/mnist-sweep: parameters must not be empty; got {}, expected at least one named parameter',
    ]);
    expect(problemMessages(() => sweep({ parameters: { lr: { values: [] }, layers: { values: [2, 4, 2] }, LR: { values: [1] } } }))).toEqual([
      'test/mnist-sweep: parameters.lr.values must not be empty; got [], expected at least one value',
      'test/mnist-sweep: parameters.layers.values contains "2" twice; got [2,4,2], expected distinct values',
      'test/mnist-sweep: parameters.LR duplicates another parameter name (case-insensitive); got "LR", expected distinct parameter names',
    ]);
    const big = Array.from({ length: 50 }, (_, i) => i);
    expect(problemMessages(() => sweep({ parameters: { a: { values: big }, b: { values: big } } }))).toEqual([
      'test/mnist-sweep: trials exceeds the maximum number of trials of a sweep; got 2500, expected at most 2000 (MAX_SWEEP_TRIALS); split the sweep or use Katib',
    ]);
    expect(problemMessages(() => sweep({ algorithm: 'bayesianoptimization', maxParallel: 0, parameters: { lr: { min: 0.1, max: 0.01 } } }))).toEqual([
      'test/mnist-sweep: maxParallel must be a whole number ≥ 1; got 0, expected an integer from 1 to 2000',
      'test/mnist-sweep: algorithm needs Katib; got "bayesianoptimization", expected "grid" or "random", or set `katib` for "bayesianoptimization"',
      'test/mnist-sweep: parameters.lr.min must be below max (0.01); got 0.1, expected min < max',
      'test/mnist-sweep: parameters.lr.scale is linear, but Katib\'s bayesianoptimization samples every real range log-uniformly (skopt base_service.py); got "linear", expected scale: "log" with min > 0, integer: true, or `values`',
    ]);
    // a range from 0 cannot be sampled log-uniformly; an integer range or a list is fine
    expect(problemMessages(() => sweep({ algorithm: 'bayesianoptimization', katib: { objective: { metric: 'loss', goal: 'minimize' } }, parameters: { dropout: { min: 0, max: 0.5, scale: 'log' }, layers: { min: 1, max: 4, integer: true } } }))).toEqual([
      'test/mnist-sweep: parameters.dropout.min must be positive on a log scale; got 0, expected min > 0',
    ]);
    expect(problemMessages(() => sweep({ algorithm: 'random', katib: { objective: { metric: 'loss', goal: 'minimize' } }, job: (t) => ({ ...job(t), hyperparameters: { lr: t.parameters.lr } }) }))).toEqual([
      'test/mnist-sweep: job.hyperparameters cannot be used with Katib (a trial template carries no ConfigMap); got {"lr":"${trialParameters.lr}"}, expected the trial parameters in args or env',
    ]);
    expect(problemMessages(() => sweep({ parameters: { lr: { min: 0.01, max: 0.1 } } }))).toEqual([
      'test/mnist-sweep: parameters.lr is a range, which a grid cannot enumerate; got {"min":0.01,"max":0.1}, expected `values` for a grid, or algorithm "random"',
    ]);
  });
});
