/**
 * Sweeps inside the team's quota: the synthesized Cohorts and ClusterQueues run through a model of
 * Kueue's quota arithmetic (./kueue-quota.ts, from kueue v0.19.2 resource_node.go).
 */
import { ClusterProfile, GpuQueues, HyperparameterSweep, PyTorchJobProps, SweepTrial, Team } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';
import { KueueQuotaTree, WorkloadRequests, pyTorchJobRequests } from './kueue-quota';

const PROFILE = () => ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4', gpusPerNode: 1, maxNodes: 8 }] });

/** team-a (8 CPUs, borrowing at most 4 more, 4 T4s, borrowing none) and team-b (8 idle CPUs) in the shared cohort, and a sweep of team-a. */
function platform(job: (t: SweepTrial) => PyTorchJobProps, parameters: Record<string, { values: Array<string | number> }>, maxParallel: number) {
  const chart = testChart(PROFILE());
  new GpuQueues(chart, 'flavors');
  const a = new Team(chart, 'team-a', { quota: { cpu: 8, memory: '64Gi', gpus: { t4: 4 } }, borrowingLimit: { cpu: 4, memory: '32Gi', gpus: { t4: 0 } } });
  new Team(chart, 'team-b', { quota: { cpu: 8, memory: '64Gi' } });
  const sweep = new HyperparameterSweep(chart, 'sweep', { namespace: 'team-a', team: a, parameters, maxParallel, job });
  const docs = Object.values(byKind(chart)).flat();
  const trials = docs.filter((d) => d.kind === 'PyTorchJob').map(pyTorchJobRequests);
  return { tree: new KueueQuotaTree(docs), trials, sweep, docs, team: a };
}

const cpuTrial = (cpu: (t: SweepTrial) => number, workers: (t: SweepTrial) => number = () => 0) => (t: SweepTrial): PyTorchJobProps => ({
  image: 'ghcr.io/acme/train:1.0.0', resources: { cpu: cpu(t), memory: '2Gi' }, ...(workers(t) > 0 ? { worker: { replicas: workers(t) } } : {}),
});
/** A team-a job outside the sweep, submitted to the team's own queue. */
const teamJob = (cpu: number, gpus = 0): WorkloadRequests => ({ requests: { cpu: cpu * 1000, memory: 2 ** 30, ...(gpus ? { 'nvidia.com/gpu': gpus } : {}) }, pods: 1, nodeSelector: gpus ? { 'mlscale.io/gpu-class': 't4' } : {} });

/** Admits the trials in order until one does not fit; returns how many were admitted. */
function admitInOrder(tree: KueueQuotaTree, trials: readonly WorkloadRequests[]): number {
  let n = 0;
  while (n < trials.length && tree.admit('team-a-sweep', trials[n])) n++;
  return n;
}

describe('a sweep in the team\'s quota', () => {
  test('the objects: the team\'s Cohort under the shared one, the sweep\'s ClusterQueue in it with only a pods quota of its own', () => {
    const { docs } = platform(cpuTrial(() => 1), { x: { values: [1, 2, 3] } }, 2);
    const cohort = docs.find((d) => d.kind === 'Cohort' && d.metadata.name === 'team-a');
    expect(cohort.spec.parentName).toBe('mlscale');
    const cq = docs.find((d) => d.kind === 'ClusterQueue' && d.metadata.name === 'team-a-sweep');
    expect(cq.spec.cohortName).toBe('team-a');
    expect(cq.spec.resourceGroups).toEqual([{
      coveredResources: ['cpu', 'memory', 'pods'],
      flavors: [{ name: 'cpu', resources: [
        { name: 'cpu', nominalQuota: 0, borrowingLimit: '2000m' },
        { name: 'memory', nominalQuota: 0, borrowingLimit: '4096Mi' },
        { name: 'pods', nominalQuota: 2, borrowingLimit: 0, lendingLimit: 0 },
      ] }],
    }]);
    expect(docs.filter((d) => d.kind === 'ResourceFlavor').map((d) => d.metadata.name)).toEqual(['cpu', 't4']); // the sweep adds none
  });

  test('equal trials: exactly maxParallel run, the next one starts when one finishes', () => {
    const { tree, trials } = platform(cpuTrial(() => 2, () => 1), { x: { values: [1, 2, 3, 4, 5] } }, 3);
    expect(trials.map((t) => t.pods)).toEqual([2, 2, 2, 2, 2]);
    expect(admitInOrder(tree, trials)).toBe(3);
    tree.finish('team-a-sweep', trials[0]);
    expect(tree.admit('team-a-sweep', trials[3])).toBe(true);
    expect(tree.admit('team-a-sweep', trials[4])).toBe(false);
  });

  test('mixed trials: small trials never exceed maxParallel (the pods quota is maxParallel × the smallest trial)', () => {
    // trials of 1 pod × 1 CPU and 2 pods × 3 CPUs; maxParallel 2
    const { tree, trials } = platform(cpuTrial((t) => (t.parameters.size === 'small' ? 1 : 3), (t) => (t.parameters.size === 'small' ? 0 : 1)),
      { size: { values: ['small', 'large'] }, seed: { values: [1, 2, 3] } }, 2);
    const small = trials.filter((t) => t.pods === 1);
    const large = trials.filter((t) => t.pods === 2);
    expect([small.length, large.length]).toEqual([3, 3]);
    // three small trials fit the CPU bound (2 × 6 CPUs) but not the count
    expect(tree.admit('team-a-sweep', small[0])).toBe(true);
    expect(tree.admit('team-a-sweep', small[1])).toBe(true);
    expect(tree.admit('team-a-sweep', small[2])).toBe(false);
    tree.finish('team-a-sweep', small[0]);
    tree.finish('team-a-sweep', small[1]);
    // one large trial takes the two pods: one at a time (fewer large trials run at once, never more)
    expect(tree.admit('team-a-sweep', large[0])).toBe(true);
    expect(tree.admit('team-a-sweep', large[1])).toBe(false);
    expect(tree.admit('team-a-sweep', small[2])).toBe(false);
  });

  test('a full team quota: the sweep gets only what the team may still borrow, then nothing', () => {
    const { tree, trials } = platform(cpuTrial(() => 2), { x: { values: [1, 2, 3, 4] } }, 4);
    expect(tree.admit('team-a', teamJob(8))).toBe(true); // the team's nominal 8 CPUs are in use
    // team-b's 8 CPUs are idle, but team-a and its sweeps together borrow at most 4: two 2-CPU trials
    expect(admitInOrder(tree, trials)).toBe(2);
    expect(tree.admit('team-a', teamJob(1))).toBe(false); // the team's borrowing limit is used up by its sweep
    expect(tree.admit('team-b', teamJob(4))).toBe(true); // team-b still has its own 4 idle CPUs
  });

  test('an idle team: the sweep runs on the team\'s nominal quota, GPUs included, without borrowing', () => {
    const gpuTrial = (): PyTorchJobProps => ({ image: 'ghcr.io/acme/train:1.0.0', resources: { cpu: 1, memory: '4Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' }, worker: { replicas: 1 } });
    const { tree, trials, docs } = platform(gpuTrial, { x: { values: [1, 2, 3] } }, 3);
    const cq = docs.find((d) => d.kind === 'ClusterQueue' && d.metadata.name === 'team-a-sweep');
    expect(cq.spec.resourceGroups[1]).toEqual({ coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 't4', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 0, borrowingLimit: 6 }] }] });
    // 2 GPUs per trial, 4 T4s in the team's quota and no T4 borrowing: two trials, although maxParallel is 3
    expect(admitInOrder(tree, trials)).toBe(2);
    expect(tree.admit('team-a', teamJob(1, 1))).toBe(false); // the team's T4s are all in its sweep
  });

  test('without a team the sweep owns its quota, outside every team (the documented fallback)', () => {
    const chart = testChart(PROFILE());
    new HyperparameterSweep(chart, 'solo', { namespace: 'team-a', parameters: { x: { values: [1, 2] } }, maxParallel: 2, job: cpuTrial(() => 1) });
    const cq = byKind(chart).ClusterQueue[0];
    expect(cq.spec.cohortName).toBeUndefined();
    expect(cq.spec.resourceGroups[0].flavors[0].resources).toEqual([
      { name: 'cpu', nominalQuota: '2000m' }, { name: 'memory', nominalQuota: '4096Mi' }, { name: 'nvidia.com/gpu', nominalQuota: 0 }, { name: 'pods', nominalQuota: 2 },
    ]);
  });

  test('bad input: a team of another namespace, a trial too large for maxParallel, a GPU class the team has no quota for', () => {
    const chart = testChart(PROFILE());
    const b = new Team(chart, 'team-b', { quota: { cpu: 8, memory: '64Gi' }, borrowingLimit: { gpus: { t4: 0 } } });
    expect(problemMessages(() => new HyperparameterSweep(chart, 's1', { namespace: 'team-a', team: b, parameters: { x: { values: [1] } }, job: cpuTrial(() => 1) })))
      .toEqual(['test/s1: team is the team of another namespace; got "team-b", expected the team of namespace team-a (a sweep\'s trials run in the sweep\'s namespace)']);
    expect(problemMessages(() => new HyperparameterSweep(chart, 's2', { namespace: 'team-b', team: b, maxParallel: 1, parameters: { w: { values: [0, 2] } }, job: cpuTrial(() => 1, (t) => Number(t.parameters.w)) })))
      .toEqual(['test/s2: maxParallel lets no trial of 3 pods start: Kueue counts trials by their pods, and the smallest trial has 1; got 1, expected at least 3, or trials of equal replica counts']);
    const gpu = (): PyTorchJobProps => ({ image: 'ghcr.io/acme/train:1.0.0', resources: { cpu: 1, memory: '4Gi', gpus: 1 } });
    expect(problemMessages(() => new HyperparameterSweep(chart, 's3', { namespace: 'team-b', team: b, parameters: { x: { values: [1] } }, job: gpu })))
      .toEqual(['test/s3: team has no quota and no borrowing for the trials\' GPU class t4; got "team-b", expected a team whose quota or borrowingLimit has gpus.t4 (its trials could never be admitted)']);
  });
});

describe('the default app\'s sweep (charts-out)', () => {
  test('mnist-grid runs 2 trials at once on team-a\'s quota (its T4s), the third waits', () => {
    const fs = require('fs') as typeof import('fs');
    const path = require('path') as typeof import('path');
    const YAML = require('yaml') as typeof import('yaml');
    const { packageRoot } = require('../../constructs');
    const out = path.join(packageRoot(), 'charts-out');
    const docs = fs.readdirSync(out).filter((f: string) => f.endsWith('.k8s.yaml'))
      .flatMap((f: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf-8')).map((d) => d.toJS()));
    const tree = new KueueQuotaTree(docs);
    const trials = docs.filter((d) => d.kind === 'PyTorchJob' && d.metadata.labels?.['mlscale.io/sweep'] === 'mnist-grid').map(pyTorchJobRequests);
    expect(trials).toHaveLength(6);
    let n = 0;
    while (n < trials.length && tree.admit('team-a-mnist-grid', trials[n])) n++;
    expect(n).toBe(2);
    expect(tree.admit('team-a', { requests: { 'cpu': 1000, 'memory': 2 ** 30, 'nvidia.com/gpu': 1 }, pods: 1, nodeSelector: { 'mlscale.io/gpu-class': 't4' } })).toBe(false); // team-a's 4 T4s are the sweep's
  });
});

describe('a Katib sweep of a team', () => {
  test('its trials are submitted to the team\'s queue; parallelTrialCount bounds their number', () => {
    const chart = testChart(PROFILE());
    new GpuQueues(chart, 'flavors');
    const a = new Team(chart, 'team-a', { quota: { cpu: 8, memory: '64Gi' } });
    new HyperparameterSweep(chart, 'bayes', {
      namespace: 'team-a', team: a, algorithm: 'random', trials: 6, maxParallel: 2, parameters: { lr: { min: 0.001, max: 0.1, scale: 'log' } },
      katib: { objective: { metric: 'accuracy', goal: 'maximize' } }, job: cpuTrial(() => 1),
    });
    const e = byKind(chart).Experiment[0];
    expect(e.spec.parallelTrialCount).toBe(2);
    expect(e.spec.trialTemplate.trialSpec.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('team-a');
  });
});
