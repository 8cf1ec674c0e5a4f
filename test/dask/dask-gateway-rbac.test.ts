/**
 * The gateway's RBAC: cluster-wide only the reads its informers need (dask-gateway-server 2026.3.0
 * backends/kubernetes/{backend,controller}.py list across namespaces), every write and every Secret
 * read in the namespaces its clusters run in, and Traefik limited to those namespaces plus nodes.
 */
import { ClusterProfile, DaskGateway } from '../../constructs';
import { byKind, testChart } from '../util';

const docs = (() => {
  const chart = testChart(ClusterProfile.gke());
  new DaskGateway(chart, 'gw', { namespace: 'dask-gateway', clusterNamespace: 'team-a' });
  return byKind(chart);
})();
const rules = (kind: 'ClusterRole' | 'Role', name: string, namespace?: string) =>
  docs[kind].find((r) => r.metadata.name === name && r.metadata.namespace === namespace)?.rules;
const verbsOn = (kind: 'ClusterRole' | 'Role', name: string, namespace?: string) =>
  (rules(kind, name, namespace) ?? []).flatMap((r: any) => r.resources.map((res: string) => `${res}:${r.verbs.join(',')}`)).sort();

describe('DaskGateway RBAC', () => {
  test('cluster-wide: reads only, and nodes for Traefik', () => {
    expect(verbsOn('ClusterRole', 'gw-api')).toEqual(['daskclusters:get,list,watch']);
    expect(verbsOn('ClusterRole', 'gw-controller')).toEqual(['daskclusters:get,list,watch', 'endpoints:get,list,watch', 'pods:get,list,watch']);
    expect(verbsOn('ClusterRole', 'gw-proxy')).toEqual(['nodes:get,list,watch']);
    for (const r of docs.ClusterRole) for (const rule of r.rules) expect(rule.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
    expect(docs.ClusterRole.flatMap((r) => r.rules.flatMap((x: any) => x.resources))).not.toContain('secrets');
  });

  test('writes and Secret reads: Roles in the clusters\' namespace', () => {
    expect(verbsOn('Role', 'gw-api', 'team-a')).toEqual(['daskclusters:get,create,update,patch,delete', 'secrets:get']);
    expect(verbsOn('Role', 'gw-controller', 'team-a')).toEqual([
      'daskclusters/status:get,update,patch,delete', 'daskclusters:get,update,patch,delete', 'ingressroutes:get,create,delete', 'ingressroutetcps:get,create,delete',
      'pods:create,delete', 'secrets:get,create,delete', 'services:get,create,delete',
    ]);
    // no write anywhere else: the gateway's own namespace gets the proxy's reads only
    expect(docs.Role.filter((r) => r.metadata.namespace === 'dask-gateway').map((r) => r.metadata.name)).toEqual(['gw-proxy']);
    for (const b of docs.RoleBinding) expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: b.metadata.name });
  });

  test('Traefik watches only the gateway\'s and the clusters\' namespaces, with namespaced reads there', () => {
    const proxy = docs.Deployment.find((d) => d.metadata.name === 'gw-proxy').spec.template.spec.containers[0];
    expect(proxy.args).toContain('--providers.kubernetescrd.namespaces=dask-gateway,team-a');
    for (const ns of ['dask-gateway', 'team-a']) {
      expect(verbsOn('Role', 'gw-proxy', ns)).toEqual(expect.arrayContaining(['services:get,list,watch', 'secrets:get,list,watch', 'endpointslices:list,watch', 'ingressroutes:get,list,watch']));
      expect(verbsOn('Role', 'gw-proxy', ns)).not.toContain('endpoints:get,list,watch');
    }
  });

  test('the servers keep their image\'s tini entrypoint: args, no command', () => {
    for (const name of ['gw-api', 'gw-controller']) {
      const c = docs.Deployment.find((d) => d.metadata.name === name).spec.template.spec.containers[0];
      expect(c.command).toBeUndefined();
      expect(c.args[0]).toBe('dask-gateway-server');
    }
  });
});
