/** Cross-capability wiring of the default app, read from the committed charts-out (the drift check keeps it current). */
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
    const profiles = values.singleuser.profileList;
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
