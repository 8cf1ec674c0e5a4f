/**
 * The cluster model, part 4 (network): declared flows proven against the NetworkPolicies, team
 * isolation, and namespaces without a default deny.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, DaskGateway, DaskGatewayAuth, Flows, Team, packageRoot } from '../../constructs';
import { problemMessages } from '../util';
import { modelApp, modelMessages } from './model-fixtures';

function gatewayApp(removeTeamRule = false) {
  const { app, chart } = modelApp();
  const teams = chart('teams');
  const team = new Team(teams, 'team-a', {});
  new Team(teams, 'team-b', {});
  if (removeTeamRule) teams.node.findAll().filter((c) => c.node.id === 'allow-gateway-dask-peers').forEach((c) => c.node.scope!.node.tryRemoveChild(c.node.id));
  const { k8s } = require('../../constructs');
  const gw = chart('gw');
  new k8s.KubeNamespace(gw, 'ns', { metadata: { name: 'dask-gateway', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
  new DaskGateway(gw, 'dask-gateway', { namespace: 'dask-gateway', clusterNamespace: team.namespace, auth: DaskGatewayAuth.simple() });
  return app;
}

describe('declared flows', () => {
  test('a namespace that runs pods without a default deny is a problem', () => {
    const { app, chart } = modelApp();
    const { k8s, ContainerJob } = require('../../constructs');
    const c = chart('a');
    new k8s.KubeNamespace(c, 'ns', { metadata: { name: 'open', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    new ContainerJob(c, 'job', { namespace: 'open', container: { image: 'python:3.12-slim' } });
    expect(modelMessages(app)).toEqual([
      'a/ns: [Namespace open] NetworkPolicies leave pods of namespace open unisolated (ingress and egress): it runs pods but has no default deny; got "open", '
      + 'expected a NetworkPolicy selecting every pod (podSelector {}) with policyTypes Ingress and Egress (Team and NamespaceIsolation create one)',
    ]);
  });

  test('the gateway-made Dask pods in team-a, without a team rule for their labels: each blocked flow names source, destination, port and the denying policies', () => {
    const found = modelMessages(gatewayApp(true)).filter((m) => m.includes(': flow '));
    expect(found.map((m) => m.split(' is denied')[0])).toEqual([
      'gw/dask-gateway: flow dask worker (gateway) (team-a) → dask scheduler (gateway) (team-a) 8786/TCP',
      'gw/dask-gateway: flow dask scheduler (gateway) (team-a) → dask worker (gateway) (team-a) 40000/TCP',
      'gw/dask-gateway: flow dask worker (gateway) (team-a) → dask worker (gateway) (team-a) 40000/TCP',
      'gw/dask-gateway: flow dask scheduler (gateway) (team-a) → gateway API (dask-gateway) 8000/TCP',
    ]);
    // the gateway's own namespace flows are allowed by its own policies
    expect(found[0]).toContain('the egress of dask worker (gateway) (team-a) is isolated by team-a/allow-dns, team-a/allow-object-store, team-a/allow-to-dask-scheduler, team-a/default-deny and no policy there allows it (workers register with their scheduler and take tasks)');
  });

  test('with the team\'s rule for gateway clusters every gateway flow is allowed, and the two teams stay isolated', () => {
    const app = gatewayApp();
    expect(modelMessages(app)).toEqual([]);
    const [root] = ClusterModel.evaluate(app);
    expect(root.report.flows.every((f) => f.allowed)).toBe(true);
    expect(root.report.flows.filter((f) => f.to.includes('(gateway)') || f.from.includes('(gateway)')).map((f) => [f.from, f.to, f.port, f.allowed])).toEqual([
      ['dask worker (gateway) (team-a)', 'dask scheduler (gateway) (team-a)', 8786, true],
      ['dask scheduler (gateway) (team-a)', 'dask worker (gateway) (team-a)', 40000, true],
      ['dask worker (gateway) (team-a)', 'dask worker (gateway) (team-a)', 40000, true],
      ['gateway proxy (dask-gateway)', 'dask scheduler (gateway) (team-a)', 8786, true],
      ['gateway proxy (dask-gateway)', 'dask scheduler (gateway) (team-a)', 8787, true],
      ['gateway API (dask-gateway)', 'dask scheduler (gateway) (team-a)', 8788, true],
      ['dask scheduler (gateway) (team-a)', 'gateway API (dask-gateway)', 8000, true],
    ]);
    expect(root.report.flows.find((f) => f.from === 'dask worker (gateway) (team-a)')!.policies).toEqual(['team-a/allow-gateway-dask-peers', 'team-a/dask-gateway-schedulers']);
    // and the team's own flows (declared by TeamNetworkPolicy) are allowed by its policies
    expect(root.report.flows.filter((f) => f.from === 'every pod (team-a)').map((f) => [f.to, f.port, f.protocol, f.allowed])).toEqual([
      ['cluster DNS (kube-system)', 53, 'UDP', true], ['object store (minio)', 9000, 'TCP', true], ['dask scheduler (team-a)', 8786, 'TCP', true],
    ]);
    expect(root.report.isolatedTeamPairs).toBe(2);
  });

  test('a team namespace reachable from another team without a declared flow is a problem', () => {
    const app = gatewayApp();
    const { ApiObject, Chart } = require('cdk8s');
    const open = new Chart(app, 'open');
    for (const ns of ['team-a', 'team-b']) {
      new ApiObject(open, ns, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'open', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ namespaceSelector: {} }] }], egress: [{}] } });
    }
    expect(modelMessages(app).filter((m) => m.includes('ingress from namespace'))).toEqual([
      'teams/team-b/namespace: [Namespace team-b] ingress from namespace team-a is allowed although no flow between the two teams is declared; got ["team-b/open"], '
      + 'expected team namespaces isolated from each other (default deny) unless a flow is declared',
      'teams/team-a/namespace: [Namespace team-a] ingress from namespace team-b is allowed although no flow between the two teams is declared; got ["team-a/open"], '
      + 'expected team namespaces isolated from each other (default deny) unless a flow is declared',
    ]);
  });

  test('Flows.declare checks the port and the reason', () => {
    const { app } = modelApp();
    expect(problemMessages(() => Flows.declare(app, { from: { cidr: '0.0.0.0/0', name: 'x' }, to: { cidr: '0.0.0.0/0', name: 'y' }, port: 0, why: '' }))).toEqual([
      ': port is not a port; got 0, expected an integer from 1 to 65535',
      ': why must say why the flow is needed; got "", expected a non-empty reason',
    ]);
  });
});

describe('servers with declared clients (TensorBoard, ModelServer)', () => {
  function tensorboardApp(withClientPolicies: boolean) {
    const { SharedVolume, TensorBoard, Externals } = require('../../constructs');
    const { app, chart } = modelApp();
    const teams = chart('teams');
    const a = new Team(teams, 'team-a', {});
    const b = new Team(teams, 'team-b', {});
    Externals.declare(app, { kind: 'StorageClass', name: 'standard-rwx', reason: 'GKE' });
    const c = chart('tb');
    const vol = new SharedVolume(c, 'logs', { namespace: a.namespace, size: '10Gi' });
    new TensorBoard(c, 'tb', { namespace: a.namespace, logs: vol.mount('/logs'), clients: [b] });
    if (!withClientPolicies) c.node.findAll().filter((x: any) => /^(ClientsPolicy|ClientEgress0)$/.test(x.node.id)).forEach((x: any) => x.node.scope.node.tryRemoveChild(x.node.id));
    return app;
  }

  test('a Team passed as a client reaches the server (both sides\' policies), and nothing else crosses', () => {
    const app = tensorboardApp(true);
    expect(modelMessages(app)).toEqual([]);
    const [root] = ClusterModel.evaluate(app);
    expect(root.report.flows.find((f) => f.to === 'tb (team-a)')).toMatchObject({ from: 'clients of tb (team-b)', port: 6006, allowed: true, policies: ['team-a/tb-clients', 'team-b/to-tb'] });
    // the declared flow does not open the teams to each other in general
    expect(root.report.isolatedTeamPairs).toBe(2);
  });

  test('without the client policies the declared flow is denied, naming the policy that isolates the server', () => {
    const found = modelMessages(tensorboardApp(false)).filter((m) => m.includes('flow clients of tb'));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('flow clients of tb (team-b) → tb (team-a) 6006/TCP is denied: the egress of clients of tb (team-b) is isolated by');
  });
});

describe('a DaskCluster used from another namespace (a RAPIDS notebook outside the team)', () => {
  function rapidsApp(clients: boolean) {
    const { DaskCluster, KubeflowNotebook, k8s } = require('../../constructs');
    const { app, chart } = modelApp();
    const c = chart('dask');
    new Team(c, 'team-a', {});
    new k8s.KubeNamespace(c, 'nb-ns', { metadata: { name: 'notebooks', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    new k8s.KubeNetworkPolicy(c, 'nb-deny', { metadata: { name: 'default-deny', namespace: 'notebooks' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    const notebook = new KubeflowNotebook(c, 'rapids-notebook', { name: 'rapids', namespace: 'notebooks', image: 'nvcr.io/nvidia/rapidsai/notebooks:25.02-cuda12.8-py3.12' });
    new DaskCluster(c, 'rapids', { namespace: 'team-a', workers: { replicas: 1, resources: { cpu: 1, memory: '2Gi' } }, ...(clients ? { clients: [notebook] } : {}) });
    if (!clients) {
      Flows.declare(c, { from: { namespace: 'notebooks', labels: notebook.podLabels, name: 'rapids notebook' }, to: { namespace: 'team-a', labels: { 'dask.org/cluster-name': 'rapids', 'dask.org/component': 'scheduler' }, name: 'rapids scheduler' }, port: 8786, why: 'the notebook uses the cluster' });
    }
    return app;
  }

  test('a KubeflowNotebook is a typed client: its podLabels are the labels the notebook controller puts on its pod', () => {
    const { KubeflowNotebook } = require('../../constructs');
    const { createdPods } = require('../../constructs/cluster/pods');
    const { app, chart } = modelApp();
    const nb = new KubeflowNotebook(chart('n'), 'nb', { name: 'rapids', namespace: 'notebooks', image: 'quay.io/jupyter/scipy-notebook:2025-01-13' });
    expect({ namespace: nb.namespace, podLabels: nb.podLabels }).toEqual({ namespace: 'notebooks', podLabels: { 'notebook-name': 'rapids' } });
    const doc = { ...nb.apiObject.toJson(), metadata: { ...nb.apiObject.toJson().metadata, labels: { team: 'a' } } };
    const [pod] = createdPods({ doc, origin: 'n' }, { env: undefined, namespaceLabels: new Map(), runtimes: new Map() });
    // generateStatefulSet: statefulset + notebook-name, then the Notebook's own labels
    expect(pod.pod.metadata.labels).toEqual({ statefulset: 'rapids', 'notebook-name': 'rapids', team: 'a' });
    expect(pod.pod.spec.securityContext).toBeDefined();
    void app;
  });

  test('without clients the notebook cannot reach the scheduler', () => {
    expect(modelMessages(rapidsApp(false)).filter((m) => m.includes('flow rapids notebook'))).toEqual([
      expect.stringMatching(/^dask: flow rapids notebook \(notebooks\) → rapids scheduler \(team-a\) 8786\/TCP is denied: the egress of rapids notebook \(notebooks\) is isolated by notebooks\/default-deny/),
    ]);
  });

  test('with the notebook as a client: scheduler ingress, the notebook namespace\'s egress, and the flows, all allowed', () => {
    const app = rapidsApp(true);
    expect(modelMessages(app)).toEqual([]);
    const [root] = ClusterModel.evaluate(app);
    expect(root.report.flows.filter((f) => f.from === 'clients of rapids (notebooks)').map((f) => [f.to, f.port, f.allowed, f.policies]))
      // the team's own allow-dask-scheduler admits team pods and the controllers only: the cluster's policy admits the client
      .toEqual([['rapids scheduler (team-a)', 8786, true, ['notebooks/to-rapids-scheduler', 'team-a/rapids-scheduler']], ['rapids scheduler (team-a)', 8787, true, ['notebooks/to-rapids-scheduler', 'team-a/rapids-scheduler']]]);
  });
});

describe('policies and flows cannot drift: every rule mlscale writes serves a declared flow', () => {
  test('a rule no declared flow uses is a problem naming the policy, the rule and its content', () => {
    const { app, chart } = modelApp();
    const c = chart('t');
    new Team(c, 'team-a', {});
    const { k8s: k } = require('../../constructs');
    new k.KubeNetworkPolicy(c, 'extra', {
      metadata: { name: 'open-8080', namespace: 'team-a', labels: { 'app.kubernetes.io/managed-by': 'mlscale' } },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: k.IntOrString.fromNumber(8080) }] }] },
    });
    expect(modelMessages(app).filter((m) => m.includes('no declared flow'))).toEqual([
      expect.stringMatching(/^t\/extra: \[NetworkPolicy team-a\/open-8080\] spec\.ingress\[0\] allows traffic that no declared flow needs; got "\{\\"from\\":\[\{\\"namespaceSelector\\":\{\}\}\]/),
    ]);
    // the same rule with a flow that needs it is fine
    Flows.declare(c, { from: { namespace: 'team-b', labels: {}, name: 'team-b' }, to: { namespace: 'team-a', labels: {}, name: 'team-a' }, port: 8080, why: 'a test' });
    expect(modelMessages(app).filter((m) => m.includes('no declared flow'))).toEqual([]);
  });

  test('policies not written by mlscale, and policies that select no pod, are not checked', () => {
    const { app, chart } = modelApp();
    const c = chart('t');
    new Team(c, 'team-a', {});
    new Team(c, 'team-b', {}); // no gateway uses team-b: its allow-gateway-dask-peers selects nothing
    const { k8s: k } = require('../../constructs');
    new k.KubeNetworkPolicy(c, 'own', {
      metadata: { name: 'users-own', namespace: 'team-a' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: k.IntOrString.fromNumber(8443) }] }] },
    });
    expect(modelMessages(app)).toEqual([]);
  });

  test('a DaskCluster behind the gateway proxy: the proxy\'s egress to its dashboard is written with the flow (the gateway\'s own policy reaches only its clusters)', () => {
    const { DaskCluster, DaskGateway, DaskGatewayAuth, k8s: k } = require('../../constructs');
    const { app, chart } = modelApp();
    const teams = chart('teams');
    const team = new Team(teams, 'team-a', {});
    const gw = chart('gw');
    new k.KubeNamespace(gw, 'ns', { metadata: { name: 'dask-gateway', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    const gateway = new DaskGateway(gw, 'dask-gateway', { namespace: 'dask-gateway', clusterNamespace: team.namespace, auth: DaskGatewayAuth.simple() });
    const cluster = new DaskCluster(chart('dc'), 'rapids', { namespace: 'team-a', workers: { replicas: 1, resources: { cpu: 1, memory: '2Gi' } }, dashboardProxy: gateway });
    expect(modelMessages(app)).toEqual([]);
    const [root] = ClusterModel.evaluate(app);
    expect(root.report.flows.find((f) => f.from === 'gateway proxy (dask-gateway)' && f.to === 'rapids scheduler (team-a)'))
      .toMatchObject({ port: 8787, allowed: true, policies: ['dask-gateway/proxy-to-team-a-rapids-dashboard', 'team-a/allow-dask-scheduler', 'team-a/rapids-scheduler'] });
    // without the proxy's egress policy the dashboard link is blocked at the proxy
    cluster.node.tryRemoveChild('ProxyEgress');
    expect(modelMessages(app).filter((m) => m.includes(': flow '))).toEqual([
      expect.stringContaining('flow gateway proxy (dask-gateway) → rapids scheduler (team-a) 8787/TCP is denied: the egress of gateway proxy (dask-gateway) is isolated by'),
    ]);
  });
});

describe('job egress', () => {
  const job = (_app: unknown, c: any, egress: any) => {
    const { PyTorchJob } = require('../../constructs');
    return new PyTorchJob(c, 'mnist', {
      namespace: 'team-a', image: 'ghcr.io/acme/mnist:1.0.0', master: { resources: { cpu: 1, memory: '2Gi' } }, worker: { replicas: 1, resources: { cpu: 1, memory: '2Gi' } }, egress,
    });
  };

  test('a training job that downloads its dataset: the egress is allowed for its pods only, and declared', () => {
    const { app, chart } = modelApp();
    const c = chart('t');
    new Team(c, 'team-a', {});
    job(app, c, [{ cidr: '0.0.0.0/0', port: 443, why: 'download MNIST' }]);
    expect(modelMessages(app)).toEqual([]);
    const [root] = ClusterModel.evaluate(app);
    expect(root.report.flows.find((f) => f.from === 'job mnist (team-a)')).toMatchObject({ to: 'outside the cluster (0.0.0.0/0)', port: 443, allowed: true, policies: ['team-a/mnist-egress'] });
  });

  test('bad egress is rejected at synth, naming the field', () => {
    const { app, chart } = modelApp();
    expect(problemMessages(() => job(app, chart('t'), [{ cidr: '10.0.0.0', port: 70000, why: '' }]))).toEqual([
      't/mnist: egress[0].cidr is not an IPv4 CIDR; got "10.0.0.0", expected e.g. "0.0.0.0/0" or "203.0.113.0/24"',
      't/mnist: egress[0].port is not a port; got 70000, expected an integer from 1 to 65535',
      't/mnist: egress[0].why must say what the connection is for; got "", expected a non-empty reason',
    ]);
  });
});

describe('the default platform', () => {
  test('flows.md lists the declared flows and the isolated team pairs; every namespace with pods has a default deny', () => {
    const text = fs.readFileSync(path.join(packageRoot(), 'charts-out', 'flows.md'), 'utf-8');
    expect(text).toContain('| dask worker (gateway) (team-a) | dask scheduler (gateway) (team-a) | 8786/TCP | yes |');
    expect(text).toContain('Team namespace pairs proven isolated: 2.');
    expect(text).toContain('| gateway proxy (dask-gateway) | gateway API (dask-gateway) | 8000/TCP | yes | dask-gateway/dask-gateway-allow-api, dask-gateway/dask-gateway-allow-proxy |');
    expect(text).toContain('Namespaces with pods but no default deny (ingress and egress): none.');
    const prod = fs.readFileSync(path.join(packageRoot(), 'charts-out', 'environments', 'prod', 'flows.md'), 'utf-8');
    expect(prod).toContain('| Google Cloud load balancer (130.211.0.0/22) | sentiment server (team-a) | 8080/TCP | yes | team-a/sentiment-from-load-balancer |');
  });
});

describe('npm run check on the committed charts-out', () => {
  test('reads the declared flows beside the charts (flows.json) and finds them as synth does', () => {
    const { buildApp } = require('../../examples/apps/main');
    const { MlscaleApp } = require('../../constructs');
    const app = new MlscaleApp({ outdir: fs.mkdtempSync(path.join(require('os').tmpdir(), 'mlscale-flows-')) });
    buildApp(app);
    app.prepare();
    const synth = ClusterModel.evaluate(app).map((r) => r.report.flows);
    const folder = ClusterModel.evaluateFolder(path.join(packageRoot(), 'charts-out')).map((r) => r.report.flows);
    expect(folder).toEqual(synth);
    expect(folder[0].length).toBeGreaterThan(30);
    expect(folder.flat().every((f) => f.allowed)).toBe(true);
  });

  test('JupyterHub flows are proven against the policies the jupyterhub chart renders from its values', () => {
    const { buildApp } = require('../../examples/apps/main');
    const { MlscaleApp, JupyterHubValues } = require('../../constructs');
    const build = (dropEgress: boolean) => {
      const app = new MlscaleApp({ outdir: fs.mkdtempSync(path.join(require('os').tmpdir(), 'mlscale-flows-')) });
      buildApp(app);
      if (dropEgress) {
        for (const v of app.node.findAll().filter((c: unknown) => c instanceof JupyterHubValues)) {
          const values = (v as { values: { singleuser: { networkPolicy: { egress?: unknown } }; hub: { networkPolicy: { ingress: unknown[] } } } }).values;
          delete values.singleuser.networkPolicy.egress;
          values.hub.networkPolicy.ingress.length = 0;
        }
      }
      app.prepare();
      return ClusterModel.evaluate(app);
    };
    const rows = build(false)[0].report.flows.filter((f) => f.from.startsWith('JupyterHub servers'));
    // the object store is GCS (outside the cluster): the chart's default egress rules already allow public addresses
    expect(rows.map((f) => `${f.to}:${f.port}`)).toEqual(['gateway proxy (dask-gateway):8000', 'gateway proxy (dask-gateway):8786']);
    for (const f of rows) expect(f.policies).toContain('jupyterhub/singleuser');
    const hubRow = build(false)[0].report.flows.find((f) => f.to.startsWith('JupyterHub hub'))!;
    expect(hubRow).toMatchObject({ allowed: true, policies: expect.arrayContaining(['jupyterhub/hub']) });
    // without the egress values the chart's single-user policy (no private addresses) denies them
    const denied = build(true);
    const deniedRows = denied[0].report.flows.filter((f) => f.from.startsWith('JupyterHub servers'));
    expect(deniedRows.length).toBe(rows.length);
    expect(deniedRows.every((f) => !f.allowed && f.policies.includes('jupyterhub/singleuser'))).toBe(true);
    expect(denied[0].problems.filter((p) => /JupyterHub servers/.test(`${p.field} ${p.problem}`)).length).toBeGreaterThanOrEqual(rows.length);
    // and without the hub's ingress value the gateway's token check is denied at the hub
    expect(denied[0].report.flows.find((f) => f.to.startsWith('JupyterHub hub'))).toMatchObject({ allowed: false, policies: ['jupyterhub/hub'] });
    expect(denied[0].problems.map((p) => `${p.field} ${p.problem}`)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^flow gateway API \(dask-gateway\) → JupyterHub hub \(jupyterhub\) 8081\/TCP is denied: the ingress of JupyterHub hub \(jupyterhub\) is isolated by jupyterhub\/hub/),
    ]));
  });
});

