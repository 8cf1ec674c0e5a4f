/** Cross-capability wiring of the default app, read from the committed charts-out (the drift check keeps it current). */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { packageRoot } from '../../constructs';

const out = path.join(packageRoot(), 'charts-out');
const docs = (file: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(out, file), 'utf-8')).map((d) => d.toJS());

describe('default app wiring', () => {
  const hubApp = docs('gitops-argocd.k8s.yaml').find((d) => d.kind === 'Application' && d.metadata.name === 'mlscale-addon-jupyterhub');
  const values = hubApp.spec.source.helm.valuesObject;
  const gatewayProxy = docs('dask-gateway.k8s.yaml').find((d) => d.kind === 'Service' && d.metadata.name === 'dask-gateway-proxy');

  test('the jupyterhub add-on is installed with the JupyterHubValues profiles (one CPU, one GPU)', () => {
    // the profiles are offered per group: they are in the hub's extraConfig, as Python (python3 prints them as JSON)
    const script = `${values.hub.extraConfig['mlscale-profiles']}\nimport json\nprint(json.dumps([p["profile"] for p in _MLSCALE_PROFILES]))\n`;
    const profiles = JSON.parse(execFileSync('python3', ['-c', `class C:\n    def __getattr__(self, k):\n        return self\nc = C()\n${script}`], { encoding: 'utf8' }));
    expect(profiles).toHaveLength(2);
    const gpu = profiles.find((p: any) => p.kubespawner_override?.extra_resource_limits?.['nvidia.com/gpu'] !== undefined);
    expect(gpu.kubespawner_override.extra_resource_limits['nvidia.com/gpu']).toBe('1');
    expect(gpu.kubespawner_override.node_selector['cloud.google.com/gke-accelerator']).toBe('nvidia-l4');
    expect(gpu.kubespawner_override.tolerations).toContainEqual(expect.objectContaining({ key: 'nvidia.com/gpu', effect: 'NoSchedule' }));
    expect(values.hub.networkPolicy.enabled).toBe(true); // the catalog's own values survive the merge
  });

  test('notebook servers point at the Dask gateway proxy that exists', () => {
    const host = `${gatewayProxy.metadata.name}.${gatewayProxy.metadata.namespace}`;
    const tcp = gatewayProxy.spec.ports.find((p: any) => p.name === 'tcp').port;
    expect(values.singleuser.extraEnv.DASK_GATEWAY__ADDRESS).toBe(`http://${host}`);
    expect(values.singleuser.extraEnv.DASK_GATEWAY__PROXY_ADDRESS).toBe(`gateway://${host}:${tcp}`);
  });
});

describe('the Kubernetes API address block', () => {
  test('the workflow pods, the gateway and its proxy may reach only the GKE control plane range (the same as the GKE example stack)', () => {
    const { KUBERNETES_API_CIDR } = require('../apps/platform');
    const stack = YAML.parse(fs.readFileSync(path.join(packageRoot(), 'Pulumi.gke-example.yaml'), 'utf-8'));
    const found = JSON.stringify(stack).match(/"masterIpv4CidrBlock":"([^"]+)"/)?.[1];
    expect(KUBERNETES_API_CIDR).toBe(found);
    const argo = docs('teams-team-a.k8s.yaml').find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'allow-argo-kubernetes-api');
    expect(argo.spec.egress[0].to).toEqual([{ ipBlock: { cidr: KUBERNETES_API_CIDR } }]);
    const proxy = docs('dask-gateway.k8s.yaml').find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'dask-gateway-allow-proxy');
    expect(proxy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: KUBERNETES_API_CIDR } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
  });
});
