/**
 * The gateway's RBAC: cluster-wide only the reads its informers need (dask-gateway-server 2026.3.0
 * backends/kubernetes/{backend,controller}.py list across namespaces), every write and every Secret
 * read in the namespaces its clusters run in, and Traefik limited to those namespaces plus nodes.
 */
import { ClusterProfile, DaskGateway, Team } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

const docs = (() => {
  const chart = testChart(ClusterProfile.gke());
  new DaskGateway(chart, 'gw', { namespace: 'dask-gateway', clusterNamespace: 'team-a' });
  return byKind(chart);
})();
const rules = (kind: 'ClusterRole' | 'Role', name: string, namespace?: string) =>
  docs[kind].find((r) => r.metadata.name === name && r.metadata.namespace === namespace)?.rules;
const verbsOn = (kind: 'ClusterRole' | 'Role', name: string, namespace?: string) =>
  (rules(kind, name, namespace) ?? []).flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups.join('|') || 'core'}/${res}:${r.verbs.join(',')}`)).sort();

describe('DaskGateway RBAC', () => {
  test('cluster-wide: the informers\' reads only; nothing for Traefik', () => {
    expect(verbsOn('ClusterRole', 'gw-api')).toEqual(['gateway.dask.org/daskclusters:get,list,watch']);
    expect(verbsOn('ClusterRole', 'gw-controller')).toEqual(['core/endpoints:get,list,watch', 'core/pods:get,list,watch', 'gateway.dask.org/daskclusters:get,list,watch']);
    expect(rules('ClusterRole', 'gw-proxy')).toBeUndefined();
    for (const r of docs.ClusterRole) for (const rule of r.rules) expect(rule.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
    expect(docs.ClusterRole.flatMap((r) => r.rules.flatMap((x: any) => x.resources))).not.toContain('secrets');
  });

  test('writes and Secret reads: Roles in the clusters\' namespace', () => {
    // the calls dask-gateway-server 2026.3.0 makes: backend.py creates and patches DaskClusters and reads their Secret;
    // controller.py creates pods, Secrets, Services and routes, patches status, deletes pods, Secrets and finished clusters
    expect(verbsOn('Role', 'gw-api', 'team-a')).toEqual(['core/secrets:get', 'gateway.dask.org/daskclusters:create,patch']);
    expect(verbsOn('Role', 'gw-controller', 'team-a')).toEqual([
      'core/pods:create,delete', 'core/secrets:create,delete', 'core/services:create',
      'gateway.dask.org/daskclusters/status:patch', 'gateway.dask.org/daskclusters:delete', 'traefik.io/ingressroutes:create', 'traefik.io/ingressroutetcps:create',
    ]);
    // no write anywhere else: the gateway's own namespace gets the proxy's reads only
    expect(docs.Role.filter((r) => r.metadata.namespace === 'dask-gateway').map((r) => r.metadata.name)).toEqual(['gw-proxy']);
    for (const b of docs.RoleBinding) expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: b.metadata.name });
  });

  test('Traefik watches only the gateway\'s and the clusters\' namespaces, with namespaced reads there', () => {
    const proxy = docs.Deployment.find((d) => d.metadata.name === 'gw-proxy').spec.template.spec.containers[0];
    expect(proxy.args).toContain('--providers.kubernetescrd.namespaces=dask-gateway,team-a');
    expect(proxy.args).toContain('--providers.kubernetescrd.disableclusterscoperesources=true');
    for (const ns of ['dask-gateway', 'team-a']) {
      expect(verbsOn('Role', 'gw-proxy', ns)).toEqual(expect.arrayContaining(['core/services:get,list,watch', 'core/secrets:get,list,watch', 'discovery.k8s.io/endpointslices:list,watch', 'traefik.io/ingressroutes:get,list,watch']));
      expect(verbsOn('Role', 'gw-proxy', ns).filter((v: string) => v.startsWith('core/endpoints:'))).toEqual([]);
    }
    // the probes (and so a GKE Ingress's health check) use /ping on the web port the Ingress serves
    expect(proxy.args).toContain('--ping.entrypoint=web');
    expect(proxy.readinessProbe.httpGet).toEqual({ path: '/ping', port: 8000 });
  });

  test('the servers keep their image\'s tini entrypoint: args, no command', () => {
    for (const name of ['gw-api', 'gw-controller']) {
      const c = docs.Deployment.find((d) => d.metadata.name === name).spec.template.spec.containers[0];
      expect(c.command).toBeUndefined();
      expect(c.args[0]).toBe('dask-gateway-server');
    }
  });
});

describe('DaskGateway teams', () => {
  const build = (extra: object = {}) => {
    const chart = testChart(ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }] }));
    const teamA = new Team(chart, 'team-a', {});
    const teamB = new Team(chart, 'team-b', {});
    const gw = new DaskGateway(chart, 'gw', {
      namespace: 'dask-gateway',
      clusterOptions: { workerCores: { min: 1, max: 8, default: 2 } },
      teams: [{ team: teamA, groups: ['team-a'] }, { team: teamB, groups: ['team-b'], maxWorkerCores: 4 }],
      ...extra,
    });
    return { gw, docs: byKind(chart), chart };
  };

  test('clusters in every team\'s namespace: Roles, scheduler policies and the proxy\'s namespaces follow', () => {
    const { gw, docs: d } = build();
    expect(gw.clusterNamespaces).toEqual(['team-a', 'team-b']);
    for (const ns of ['team-a', 'team-b']) {
      expect(d.Role.filter((r) => r.metadata.namespace === ns).map((r) => r.metadata.name).sort()).toEqual(expect.arrayContaining(['gw-api', 'gw-controller', 'gw-proxy']));
      expect(d.NetworkPolicy.find((p) => p.metadata.namespace === ns && p.metadata.name === 'gw-schedulers')).toBeDefined();
    }
    const proxy = d.Deployment.find((x) => x.metadata.name === 'gw-proxy').spec.template.spec.containers[0];
    expect(proxy.args).toContain('--providers.kubernetescrd.namespaces=dask-gateway,team-a,team-b');
    // the API server admits the schedulers' heartbeats from both namespaces
    const api = d.NetworkPolicy.find((p) => p.metadata.name === 'gw-allow-api');
    expect(api.spec.ingress[1].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['team-a', 'team-b']);
  });

  test('bad team input is reported at synth with the field and what is allowed', () => {
    const chart = testChart(ClusterProfile.gke());
    const t = new Team(chart, 'team-a', {});
    expect(problemMessages(() => new DaskGateway(chart, 'gw', {
      clusterNamespace: 'team-a', teams: [{ team: t, groups: [], maxWorkerCores: 16, maxWorkerGpus: 1 }],
      clusterOptions: { workerCores: { min: 1, max: 8, default: 2 } },
    }))).toEqual([
      'test/gw: clusterNamespace is set together with teams (their namespaces are where clusters run); got "team-a", expected either clusterNamespace or teams',
      'test/gw: teams[0].groups must name at least one JupyterHub group; got [], expected e.g. ["team-a"]',
      'test/gw: teams[0].maxWorkerCores is outside the option\'s bounds; got 16, expected an integer from 1 to 8',
      'test/gw: teams[0].maxWorkerGpus bounds the worker_gpus option, which is not offered; got 1, expected a clusterOptions.workerGpus option',
    ]);
  });
});
