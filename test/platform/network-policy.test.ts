import { Testing } from 'cdk8s';
import { Team, TeamNetworkPolicy } from '../../constructs';
import { problemMessages, testChart } from '../util';
import { Endpoint, allowed } from './netpol';

const teamPolicies = (props: Partial<ConstructorParameters<typeof TeamNetworkPolicy>[2]> = {}) => {
  const chart = testChart();
  new TeamNetworkPolicy(chart, 'net', { namespace: 'team-a', ...props });
  return Testing.synth(chart);
};

const pod = (namespace: string, labels: Record<string, string> = {}): Endpoint => ({ namespace, labels });
const P = {
  job: pod('team-a', { 'app.kubernetes.io/name': 'job' }),
  scheduler: pod('team-a', { 'dask.org/component': 'scheduler' }),
  worker: pod('team-a', { 'dask.org/component': 'worker' }),
  workflow: pod('team-a', { 'workflows.argoproj.io/workflow': 'etl' }),
  torch: pod('team-a', { 'training.kubeflow.org/job-name': 'mnist' }),
  jobset: pod('team-a', { 'jobset.sigs.k8s.io/jobset-name': 'llm' }),
  dns: pod('kube-system', { 'k8s-app': 'kube-dns' }),
  kubeProxy: pod('kube-system', { 'k8s-app': 'kube-proxy' }),
  minio: pod('minio', { app: 'minio' }),
  gateway: pod('dask-gateway', { app: 'traefik' }),
  operator: pod('dask-operator', { app: 'dask-operator' }),
  otherTeam: pod('team-b', { 'dask.org/component': 'worker' }),
  api: { ip: '10.0.0.2' } as Endpoint,
  internet: { ip: '1.1.1.1' } as Endpoint,
};
type Name = keyof typeof P;

// from, to, port, protocol, allowed?
const FLOWS: Array<[Name, Name, number, string, boolean]> = [
  ['job', 'dns', 53, 'UDP', true],
  ['job', 'dns', 53, 'TCP', true],
  ['worker', 'dns', 53, 'UDP', true],
  ['job', 'scheduler', 8786, 'TCP', true],
  ['job', 'scheduler', 8787, 'TCP', true],
  ['worker', 'scheduler', 8786, 'TCP', true],
  ['gateway', 'scheduler', 8786, 'TCP', true],
  ['operator', 'scheduler', 8787, 'TCP', true],
  ['scheduler', 'worker', 40123, 'TCP', true],
  ['worker', 'worker', 8788, 'TCP', true],
  ['torch', 'torch', 23456, 'TCP', true],
  ['jobset', 'jobset', 29500, 'TCP', true],
  ['workflow', 'api', 443, 'TCP', true],
  ['workflow', 'api', 6443, 'TCP', true],
  ['job', 'minio', 9000, 'TCP', true],
  ['worker', 'minio', 9000, 'TCP', true],
  // everything else is denied
  ['job', 'dns', 80, 'TCP', false],
  ['job', 'kubeProxy', 53, 'UDP', false],
  ['job', 'scheduler', 9999, 'TCP', false],
  ['job', 'worker', 40123, 'TCP', false],
  ['job', 'job', 8080, 'TCP', false],
  ['job', 'api', 443, 'TCP', false],
  ['job', 'internet', 443, 'TCP', false],
  ['job', 'minio', 9001, 'TCP', false],
  ['workflow', 'api', 80, 'TCP', false],
  ['workflow', 'internet', 80, 'TCP', false],
  ['otherTeam', 'scheduler', 8786, 'TCP', false],
  ['scheduler', 'otherTeam', 40123, 'TCP', false],
  ['gateway', 'worker', 40123, 'TCP', false],
  ['minio', 'job', 8080, 'TCP', false],
  ['torch', 'jobset', 29500, 'TCP', false],
  ['torch', 'job', 29500, 'TCP', false],
  ['scheduler', 'worker', 80, 'TCP', false],
];

describe('TeamNetworkPolicy', () => {
  const policies = teamPolicies();

  test.each(FLOWS)('%s → %s :%d/%s allowed=%s', (from, to, port, protocol, expected) => {
    expect(allowed(policies, P[from], P[to], port, protocol)).toBe(expected);
  });

  test('default deny covers every pod in both directions', () => {
    const deny = policies.find((p) => p.metadata.name === 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies.map((p) => p.metadata.name)).toMatchSnapshot();
  });

  test('the API server CIDR narrows the executor flow', () => {
    const narrowed = teamPolicies({ kubernetesApiCidr: '10.0.0.0/28' });
    expect(allowed(narrowed, P.workflow, P.api, 443)).toBe(true);
    expect(allowed(narrowed, P.workflow, P.internet, 443)).toBe(false);
  });

  test('an external object store is reached by CIDR', () => {
    const gcs = teamPolicies({ objectStore: { cidr: '199.36.153.8/30', port: 443 } });
    expect(allowed(gcs, P.job, { ip: '199.36.153.9' }, 443)).toBe(true);
    expect(allowed(gcs, P.job, { ip: '199.36.153.12' }, 443)).toBe(false);
    expect(allowed(gcs, P.job, P.minio, 9000)).toBe(false);
  });

  test('every validation rule, with the exact messages', () => {
    expect(problemMessages(() => new TeamNetworkPolicy(testChart(), 'net', {
      namespace: 'Team_A',
      objectStore: { namespace: 'minio', cidr: '10.0.0.0/8', port: 0 },
      kubernetesApiCidr: '10.0.0.0/33',
      daskControllerNamespaces: ['ok', 'Not OK'],
    }))).toEqual([
      'test/net: namespace is not a valid Kubernetes name; got "Team_A", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'test/net: objectStore must set exactly one of namespace and cidr; got {"namespace":"minio","cidr":"10.0.0.0/8","port":0}, expected { namespace, port } for an in-cluster store or { cidr, port } for an external one',
      'test/net: objectStore.port is not a valid port; got 0, expected an integer from 1 to 65535',
      'test/net: kubernetesApiCidr is not an IPv4 CIDR; got "10.0.0.0/33", expected e.g. "172.16.0.0/28"',
      'test/net: daskControllerNamespaces[1] is not a valid Kubernetes name; got "Not OK", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
    ]);
  });

  test('a Team has the same policies in its namespace', () => {
    const chart = testChart();
    new Team(chart, 'team-b');
    const names = Testing.synth(chart).filter((d) => d.kind === 'NetworkPolicy').map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
    expect(names).toEqual(policies.map((p) => `team-b/${p.metadata.name}`));
  });
});
