import { Testing } from 'cdk8s';
import { ClusterProfile, Team } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

const profile = () => ClusterProfile.gke({
  gpuClasses: [
    { name: 't4', type: 'nvidia-tesla-t4', maxNodes: 8 },
    { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 8, maxNodes: 2 },
  ],
});

function teamA() {
  const chart = testChart(profile());
  const team = new Team(chart, 'team-a', {
    members: { users: ['alice@example.com'], groups: ['team-a@example.com'] },
    quota: { cpu: 64, memory: '256Gi', gpus: { t4: 4, a100: 8 }, storage: '2Ti', objects: { pods: 300 } },
    borrowingLimit: { cpu: 16, memory: '64Gi', gpus: { a100: 0 } },
  });
  return { team, chart, docs: byKind(chart) };
}

describe('Team', () => {
  test('snapshot', () => {
    expect(Testing.synth(teamA().chart)).toMatchSnapshot();
  });

  test('namespace enforces, audits and warns Pod Security restricted at a pinned version', () => {
    const [ns] = teamA().docs.Namespace;
    expect(ns.metadata.name).toBe('team-a');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.32',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.32',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.32',
      'mlscale.io/team': 'team-a',
    });
  });

  test('ResourceQuota: nominal + borrowing, GPUs capped, storage and object counts', () => {
    const [quota] = teamA().docs.ResourceQuota;
    expect(quota.metadata.namespace).toBe('team-a');
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '80', // 64 + 16 borrowed
      'requests.memory': '320Gi', // 256Gi + 64Gi
      'requests.nvidia.com/gpu': 16, // t4: 4 + (8 nodes × 1 - 4) default borrowing = 8; a100: 8 + 0 = 8
      'requests.storage': '2Ti',
      'persistentvolumeclaims': 50,
      'pods': 300,
      'services': 50,
      'services.loadbalancers': 0,
      'services.nodeports': 0,
      'configmaps': 200,
      'secrets': 100,
      'count/jobs.batch': 500,
    });
  });

  test('LimitRange gives containers without requests sane ones', () => {
    const [lr] = teamA().docs.LimitRange;
    expect(lr.spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '500m', memory: '1Gi' }, default: { cpu: '500m', memory: '1Gi' } },
      { type: 'PersistentVolumeClaim', max: { storage: '2Ti' } },
    ]);
  });

  test('Kueue: ClusterQueue per-flavor quota with borrowing in the cohort, LocalQueue in the namespace', () => {
    const { team, docs } = teamA();
    expect(team.queueName).toBe('team-a');
    const [cq] = docs.ClusterQueue;
    expect(cq.apiVersion).toBe('kueue.x-k8s.io/v1beta2');
    expect(cq.spec.cohortName).toBe('team-a');
    expect(docs.Cohort[0].spec.parentName).toBe('mlscale');
    expect(cq.spec.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } });
    expect(cq.spec.resourceGroups).toEqual([
      {
        coveredResources: ['cpu', 'memory'],
        flavors: [{
          name: 'cpu', resources: [
            { name: 'cpu', nominalQuota: '64', borrowingLimit: '16' },
            { name: 'memory', nominalQuota: '256Gi', borrowingLimit: '64Gi' },
          ],
        }],
      },
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [
          { name: 't4', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 4, borrowingLimit: 4 }] },
          { name: 'a100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 8, borrowingLimit: 0 }] },
        ],
      },
    ]);
    expect(cq.spec.preemption).toEqual({ withinClusterQueue: 'LowerPriority', reclaimWithinCohort: 'Any' });
    const [lq] = docs.LocalQueue;
    expect(lq).toMatchObject({ apiVersion: 'kueue.x-k8s.io/v1beta2', metadata: { name: 'team-a', namespace: 'team-a' }, spec: { clusterQueue: 'team-a' } });
  });

  test('RBAC: members run jobs, pipelines and Dask clusters and read logs; no secrets, no exec', () => {
    const { docs } = teamA();
    const member = docs.Role.find((r) => r.metadata.name === 'team-member');
    const can = (group: string, resource: string, verb: string) =>
      member.rules.some((r: any) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    expect(can('batch', 'jobs', 'create')).toBe(true);
    expect(can('argoproj.io', 'workflows', 'create')).toBe(true);
    expect(can('kubernetes.dask.org', 'daskclusters', 'create')).toBe(true);
    expect(can('kubeflow.org', 'pytorchjobs', 'create')).toBe(true);
    expect(can('', 'pods/log', 'get')).toBe(true);
    expect(can('', 'secrets', 'get')).toBe(false);
    expect(can('', 'pods/exec', 'create')).toBe(false);
    expect(can('', 'pods', 'delete')).toBe(false);
    const binding = docs.RoleBinding.find((b) => b.metadata.name === 'team-member');
    expect(binding.subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice@example.com' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'team-a@example.com' },
    ]);
  });

  test('per-workload ServiceAccounts: tokens only where the API is used, least privilege', () => {
    const { team, docs } = teamA();
    expect(Object.fromEntries(docs.ServiceAccount.map((s) => [s.metadata.name, s.automountServiceAccountToken])))
      .toEqual({ 'workload': false, 'argo-workflow': true, 'dask-client': true });
    expect(team.serviceAccounts.workflow).toEqual({ serviceAccountName: 'argo-workflow', serviceAccountNamespace: team.namespace });
    const argo = docs.Role.find((r) => r.metadata.name === 'argo-workflow');
    expect(argo.rules).toEqual([{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }]);
    expect(docs.RoleBinding.find((b) => b.metadata.name === 'argo-workflow').subjects)
      .toEqual([{ kind: 'ServiceAccount', name: 'argo-workflow', namespace: 'team-a' }]);
    expect(docs.RoleBinding.map((b) => b.metadata.name).sort()).toEqual(['argo-workflow', 'dask-client', 'team-member']);
  });

  test('a team with no members binds nobody', () => {
    const chart = testChart(profile());
    new Team(chart, 'solo');
    expect(byKind(chart).RoleBinding.map((b) => b.metadata.name)).toEqual(['argo-workflow', 'dask-client']);
  });

  test('every validation rule, with the exact messages', () => {
    expect(problemMessages(() => new Team(testChart(profile()), 'Team A', {
      quota: { cpu: -1, memory: '1GB', gpus: { h100: 1, t4: 1.5 }, storage: 'lots', objects: { pods: -3 } },
      borrowingLimit: { cpu: 'x', memory: 'y', gpus: { a100: -1 } },
      containerDefaults: { cpu: 0, memory: '0' },
    }))).toEqual([
      'test/Team A: name is not a valid Kubernetes name; got "Team A", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'test/Team A: quota.cpu is not a valid CPU quantity; got -1, expected a positive number of cores or a quantity ("500m")',
      'test/Team A: quota.memory is not a valid memory quantity; got "1GB", expected a positive quantity with a unit, e.g. "64Gi"',
      'test/Team A: borrowingLimit.cpu is not a valid CPU quantity; got "x", expected a number of cores ≥ 0 or a quantity',
      'test/Team A: borrowingLimit.memory is not a valid memory quantity; got "y", expected a quantity with a unit, or "0"',
      'test/Team A: quota.gpus.h100 is not a GPU class of the cluster; got "h100", expected one of t4, a100',
      'test/Team A: quota.gpus.t4 must be a whole number of GPUs; got 1.5, expected an integer from 0 to 100000',
      'test/Team A: borrowingLimit.gpus.a100 must be a whole number of GPUs; got -1, expected an integer from 0 to 100000',
      'test/Team A: quota.storage is not a valid quantity; got "lots", expected a quantity with a unit, e.g. "500Gi"',
      'test/Team A: quota.objects.pods must be a whole number; got -3, expected an integer from 0 to 1000000',
      'test/Team A: containerDefaults.cpu is not a valid CPU quantity; got 0, expected a positive number of cores or a quantity',
      'test/Team A: containerDefaults.memory is not a valid memory quantity; got "0", expected a quantity with a unit, e.g. "1Gi"',
    ]);
  });
});
