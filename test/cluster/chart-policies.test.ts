/**
 * The NetworkPolicies the jupyterhub chart (4.3.3) renders, as the cluster model evaluates them:
 * the chart's defaults deny the flows mlscale needs, the values JupyterHubValues writes allow them.
 */
import { Chart } from 'cdk8s';
import { JupyterHubValues, MlscaleApp } from '../../constructs';
import { jupyterhubPodLabels, jupyterhubPolicies } from '../../constructs/cluster/chart-policies';
import { evaluateFlow, policySetOf } from '../../constructs/cluster/network-policy';

const servers = { namespace: 'jupyterhub', labels: { ...jupyterhubPodLabels('singleuser-server'), 'hub.jupyter.org/network-access-hub': 'true' } };
const hub = { namespace: 'jupyterhub', labels: jupyterhubPodLabels('hub'), ports: [{ name: 'http', containerPort: 8081 }] };
const gatewayProxy = { namespace: 'dask-gateway', labels: { 'app.kubernetes.io/name': 'dask-gateway', 'app.kubernetes.io/component': 'proxy' } };
const gatewayApi = { namespace: 'dask-gateway', labels: { 'app.kubernetes.io/component': 'api' } };
const minio = { namespace: 'minio', labels: { app: 'minio' } };

function setOf(values: unknown) {
  return policySetOf([
    ...['jupyterhub', 'dask-gateway', 'minio'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    ...jupyterhubPolicies(values, 'jupyterhub'),
  ]);
}

describe('jupyterhub chart policies', () => {
  test('chart defaults: servers reach the hub and public addresses, not private ones (the gateway, MinIO)', () => {
    const set = setOf({});
    expect(evaluateFlow(set, servers, hub, 8081).allowed).toBe(true);
    expect(evaluateFlow(set, servers, { ip: '151.101.1.1' }, 443).allowed).toBe(true);
    expect(evaluateFlow(set, servers, { ip: '10.4.0.7' }, 443).allowed).toBe(false);
    expect(evaluateFlow(set, servers, { ip: '169.254.169.254' }, 80).allowed).toBe(false);
    const toProxy = evaluateFlow(set, servers, gatewayProxy, 8000);
    expect(toProxy.allowed).toBe(false);
    expect(toProxy.egress.isolatedBy).toEqual(['jupyterhub/singleuser']);
    expect(evaluateFlow(set, servers, minio, 9000).allowed).toBe(false);
    // DNS stays open (kube-system and private addresses on 53)
    expect(evaluateFlow(set, servers, { ip: '10.0.0.10' }, 53, 'UDP').allowed).toBe(true);
  });

  test('chart defaults: the hub admits only pods labelled for hub access, on its named http port', () => {
    const set = setOf({});
    const ingress = evaluateFlow(set, gatewayApi, hub, 8081);
    expect(ingress.allowed).toBe(false);
    expect(ingress.ingress.isolatedBy).toEqual(['jupyterhub/hub']);
    expect(evaluateFlow(set, { ...gatewayApi, labels: { 'hub.jupyter.org/network-access-hub': 'true' } }, hub, 8081).allowed).toBe(false); // other namespace: podSelector alone is namespace-local
    expect(evaluateFlow(set, servers, hub, 8081).allowed).toBe(true);
    expect(evaluateFlow(set, servers, { ...hub, ports: [] }, 8081).allowed).toBe(false); // the named port resolves against the hub container
  });

  test('interNamespaceAccessLabels: accept admits labelled pods of other namespaces; allowedIngressPorts opens ports to anyone', () => {
    const labelled = { ...gatewayApi, labels: { ...gatewayApi.labels, 'hub.jupyter.org/network-access-hub': 'true' } };
    expect(evaluateFlow(setOf({}), labelled, hub, 8081).allowed).toBe(false);
    expect(evaluateFlow(setOf({ hub: { networkPolicy: { interNamespaceAccessLabels: 'accept' } } }), labelled, hub, 8081).allowed).toBe(true);
    expect(evaluateFlow(setOf({ hub: { networkPolicy: { interNamespaceAccessLabels: 'accept' } } }), gatewayApi, hub, 8081).allowed).toBe(false);
    const open = setOf({ singleuser: { networkPolicy: { allowedIngressPorts: [8888] } } });
    const server = { ...servers, ports: [{ name: 'notebook-port', containerPort: 8888 }] };
    expect(evaluateFlow(setOf({}), { ip: '203.0.113.9' }, server, 8888).allowed).toBe(false);
    expect(evaluateFlow(open, { ip: '203.0.113.9' }, server, 8888).allowed).toBe(true);
  });

  test('disabled policies isolate nothing', () => {
    const set = setOf({ singleuser: { networkPolicy: { enabled: false } }, hub: { networkPolicy: { enabled: false } } });
    expect(evaluateFlow(set, servers, gatewayProxy, 8000).allowed).toBe(true);
    expect(evaluateFlow(set, gatewayApi, hub, 8081).allowed).toBe(true);
  });

  test('the values JupyterHubValues writes open the gateway, MinIO and hub flows, and declare them', () => {
    const app = new MlscaleApp({ outdir: require('os').tmpdir() });
    const values = new JupyterHubValues(new Chart(app, 'notebooks-jupyter'), 'hub', {
      profiles: [{ displayName: 'CPU', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', resources: { cpu: 2, memory: '8Gi' }, default: true }],
      daskGateway: { address: 'http://traefik-dask-gateway.dask-gateway.svc', proxyPodLabels: gatewayProxy.labels },
      objectStores: [{ endpoint: 'http://minio.minio.svc:9000' }],
    }).values;
    const set = setOf(values);
    expect(evaluateFlow(set, servers, gatewayProxy, 8000).allowed).toBe(true);
    expect(evaluateFlow(set, servers, gatewayProxy, 8786).allowed).toBe(true);
    expect(evaluateFlow(set, servers, gatewayProxy, 9999).allowed).toBe(false);
    expect(evaluateFlow(set, servers, minio, 9000).allowed).toBe(true);
    expect(evaluateFlow(set, gatewayApi, hub, 8081).allowed).toBe(true);
    expect(evaluateFlow(set, { namespace: 'minio', labels: {} }, hub, 8081).allowed).toBe(false);
    const { Flows } = require('../../constructs');
    const declared = Flows.of(app).map((f: { from: { name: string }; to: { name: string }; port: number }) => `${f.from.name} -> ${f.to.name}:${f.port}`);
    expect(declared).toEqual(expect.arrayContaining(['JupyterHub servers -> gateway proxy:8000', 'JupyterHub servers -> gateway proxy:8786', 'JupyterHub servers -> object store:9000']));
  });
});
