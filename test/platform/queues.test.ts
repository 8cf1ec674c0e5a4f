import { Testing } from 'cdk8s';
import { ClusterProfile, GpuQueues, PriorityClasses, ServiceDisruptionBudget, TeamQueue } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

const profile = () => ClusterProfile.gke({
  gpuClasses: [
    { name: 't4', type: 'nvidia-tesla-t4' },
    { name: 'a100-spot', type: 'nvidia-tesla-a100', gpusPerNode: 8, spot: true, maxNodes: 2, taint: { key: 'gpu', value: 'a100', effect: 'NoSchedule' } },
  ],
});

describe('GpuQueues', () => {
  test('one ResourceFlavor per GPU class (its node labels and taint tolerations) plus an empty CPU flavor', () => {
    const chart = testChart(profile());
    const q = new GpuQueues(chart, 'flavors');
    const docs = Testing.synth(chart);
    expect(docs).toMatchSnapshot();
    expect(docs.map((d) => `${d.apiVersion} ${d.kind} ${d.metadata.name}`)).toEqual([
      'kueue.x-k8s.io/v1beta2 ResourceFlavor cpu', 'kueue.x-k8s.io/v1beta2 ResourceFlavor t4', 'kueue.x-k8s.io/v1beta2 ResourceFlavor a100-spot',
    ]);
    expect(docs[0].spec).toBeUndefined();
    expect(docs[1].spec).toEqual({
      nodeLabels: { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4', 'mlscale.io/gpu-class': 't4' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(docs[2].spec).toEqual({
      nodeLabels: { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100', 'cloud.google.com/gke-spot': 'true', 'mlscale.io/gpu-class': 'a100-spot' },
      tolerations: [
        { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      ],
    });
    expect(q.gpuFlavors.map((f) => f.name)).toEqual(['t4', 'a100-spot']);
  });

  test('a GPU class named like the CPU flavor is rejected', () => {
    expect(problemMessages(() => new GpuQueues(testChart(ClusterProfile.gke({ gpuClasses: [{ name: 'cpu', type: 'nvidia-l4' }] })), 'f'))).toEqual([
      'test/f: gpuClasses[0].name clashes with the CPU flavor; got "cpu", expected a class name other than "cpu"',
    ]);
  });
});

describe('TeamQueue', () => {
  test('defaults: 32 CPUs, 128Gi, no GPUs but borrowable up to each class capacity, in the team\'s cohort under mlscale', () => {
    const chart = testChart(profile());
    new TeamQueue(chart, 'q', { namespace: 'ml' });
    const [cohort, cq, lq] = Testing.synth(chart);
    expect(cohort.kind).toBe('Cohort');
    expect(cohort.metadata.name).toBe('ml');
    expect(cohort.spec.parentName).toBe('mlscale');
    expect(cq.spec.cohortName).toBe('ml');
    // the team's cohort owns nothing and bounds what the team and its sweeps borrow together
    expect(cohort.spec.resourceGroups[0].flavors[0].resources).toEqual([
      { name: 'cpu', nominalQuota: '0', borrowingLimit: '32' },
      { name: 'memory', nominalQuota: '0', borrowingLimit: '128Gi' },
    ]);
    expect(cohort.spec.resourceGroups[1].flavors[1]).toEqual({ name: 'a100-spot', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 0, borrowingLimit: 16 }] });
    expect(cq.spec.resourceGroups[0].flavors[0].resources).toEqual([
      { name: 'cpu', nominalQuota: '32', borrowingLimit: '32' },
      { name: 'memory', nominalQuota: '128Gi', borrowingLimit: '128Gi' },
    ]);
    expect(cq.spec.resourceGroups[1].flavors).toEqual([
      { name: 't4', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 0, borrowingLimit: 4 }] },
      { name: 'a100-spot', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 0, borrowingLimit: 16 }] },
    ]);
    expect(lq.spec).toEqual({ clusterQueue: 'ml' });
  });

  test('no GPU classes: no GPU resource group; bad names are rejected', () => {
    const chart = testChart();
    new TeamQueue(chart, 'q', { namespace: 'ml', borrowingLimit: { cpu: 0, memory: '0' } });
    const [, cq] = Testing.synth(chart);
    expect(cq.spec.resourceGroups).toHaveLength(1);
    expect(cq.spec.resourceGroups[0].flavors[0].resources.map((r: any) => r.borrowingLimit)).toEqual(['0', '0']);
    expect(problemMessages(() => new TeamQueue(testChart(), 'q', { namespace: 'ml', name: 'Q', cohort: '' }))).toEqual([
      'test/q: name is not a valid Kubernetes name; got "Q", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'test/q: cohort is not a valid Kubernetes name; got "", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
    ]);
  });
});

describe('PriorityClasses', () => {
  test('interactive above batch; batch never preempts; Kueue classes mirror the values', () => {
    const chart = testChart();
    new PriorityClasses(chart, 'p');
    const docs = byKind(chart);
    expect(docs.PriorityClass.map((p) => [p.apiVersion, p.metadata.name, p.value, p.preemptionPolicy, p.globalDefault])).toEqual([
      ['scheduling.k8s.io/v1', 'mlscale-service', 100000, 'PreemptLowerPriority', false],
      ['scheduling.k8s.io/v1', 'mlscale-interactive', 10000, 'PreemptLowerPriority', false],
      ['scheduling.k8s.io/v1', 'mlscale-batch', 1000, 'Never', false],
    ]);
    expect(docs.WorkloadPriorityClass.map((p) => [p.apiVersion, p.metadata.name, p.value])).toEqual([
      ['kueue.x-k8s.io/v1beta2', 'mlscale-interactive', 10000],
      ['kueue.x-k8s.io/v1beta2', 'mlscale-batch', 1000],
    ]);
  });

  test('values are checked', () => {
    expect(problemMessages(() => new PriorityClasses(testChart(), 'p', { values: { service: 2e9, interactive: 10, batch: 10 } }))).toEqual([
      'test/p: values.service is out of range; got 2000000000, expected an integer from 0 to 1000000000',
      'test/p: values.batch must be below values.interactive (10); got 10, expected batch < interactive',
    ]);
  });
});

describe('ServiceDisruptionBudget', () => {
  test('at most one pod down at a time; unhealthy pods never block drains', () => {
    const chart = testChart();
    new ServiceDisruptionBudget(chart, 'tensorboard', { namespace: 'team-a', selector: { 'app.kubernetes.io/name': 'tensorboard' } });
    const [pdb] = Testing.synth(chart);
    expect(pdb).toEqual({
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'tensorboard', namespace: 'team-a' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'tensorboard' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
  });

  test('bad input', () => {
    expect(problemMessages(() => new ServiceDisruptionBudget(testChart(), 'x', { name: 'X', selector: {} }))).toEqual([
      'test/x: name is not a valid Kubernetes name; got "X", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'test/x: selector must not be empty; got {}, expected the labels of the service\'s pods',
    ]);
  });

  test('a team named like the shared cohort is refused (its Cohort would be its own parent)', () => {
    expect(problemMessages(() => new TeamQueue(testChart(), 'q', { namespace: 'mlscale' }))).toEqual([
      'test/q: cohort is the name of the team\'s own Cohort; got "mlscale", expected a shared cohort other than "mlscale"',
    ]);
  });
});
