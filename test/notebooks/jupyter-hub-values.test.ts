import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { ClusterProfile, JupyterHubValues, MlscaleApp } from '../../constructs';
import { problemMessages, testChart } from '../util';

const L4 = ClusterProfile.gke({ gpuClasses: [{ name: 'l4', type: 'nvidia-l4' }] });

describe('JupyterHubValues', () => {
  const props = {
    profiles: [
      { displayName: 'CPU', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', resources: { cpu: 2, memory: '8Gi' }, default: true },
      { displayName: 'GPU', image: 'quay.io/jupyter/pytorch-notebook:cuda12-2025-01-13', resources: { cpu: 8, memory: '32Gi', gpus: 1 } },
    ],
    sharedVolume: { volume: { name: 'team-a-shared', persistentVolumeClaim: { claimName: 'team-a-shared' } }, volumeMount: { name: 'team-a-shared', mountPath: '/home/jovyan/shared' }, claimNamespace: 'jupyterhub' },
    daskGateway: { address: 'http://traefik-dask-gateway.dask-gateway.svc' },
  };

  test('CPU and GPU profiles, shared volume, Dask Gateway env, restricted pods', () => {
    const hub = new JupyterHubValues(testChart(L4), 'hub', props);
    expect(hub.values).toMatchSnapshot();
    const single = hub.values.singleuser as any;
    expect(single.profileList.map((p: any) => p.kubespawner_override)).toEqual([
      { image: 'quay.io/jupyter/scipy-notebook:2025-01-13', cpu_guarantee: 2, cpu_limit: 2, mem_guarantee: '8192M', mem_limit: '8192M' },
      {
        image: 'quay.io/jupyter/pytorch-notebook:cuda12-2025-01-13', cpu_guarantee: 8, cpu_limit: 8, mem_guarantee: '32768M', mem_limit: '32768M',
        extra_resource_guarantees: { 'nvidia.com/gpu': '1' }, extra_resource_limits: { 'nvidia.com/gpu': '1' },
        node_selector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4', 'mlscale.io/gpu-class': 'l4' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      },
    ]);
    expect(single.extraEnv).toEqual({
      DASK_GATEWAY__ADDRESS: 'http://traefik-dask-gateway.dask-gateway.svc',
      DASK_GATEWAY__AUTH__TYPE: 'jupyterhub',
      DASK_GATEWAY__PROXY_ADDRESS: 'gateway://traefik-dask-gateway.dask-gateway.svc:80',
    });
    expect(single.storage.extraVolumeMounts).toEqual([{ name: 'shared', mountPath: '/home/jovyan/shared' }]);
    expect(single.cloudMetadata).toEqual({ blockWithIptables: false });
  });

  test('the values are written beside the charts as JSON', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-hub-')), 'charts-out');
    const app = new MlscaleApp({ outdir: out });
    ClusterProfile.use(app, L4);
    const hub = new JupyterHubValues(new Chart(app, 'notebooks-jupyter'), 'hub', props);
    app.synth();
    expect(hub.fileName).toBe('notebooks-jupyter.jupyterhub-values.json');
    expect(JSON.parse(fs.readFileSync(path.join(out, hub.fileName), 'utf-8'))).toEqual(hub.values);
  });

  test('bad profiles are reported together', () => {
    expect(problemMessages(() => new JupyterHubValues(testChart(L4), 'hub', {
      profiles: [
        { displayName: 'a', image: 'jupyter/base-notebook', default: true },
        { displayName: 'b', image: 'quay.io/jupyter/base-notebook:2025-01-13', default: true, resources: { gpus: 1, gpuType: 'nvidia-tesla-t4' } },
      ],
    }))).toEqual([
      'test/hub: profiles has more than one default profile; got 2, expected at most one profile with default: true',
      'test/hub: profiles[0].image is not pinned (no tag or digest); got "jupyter/base-notebook", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
      expect.stringContaining('test/hub: profiles[1].resources'),
    ]);
  });
});

describe('JupyterHubValues network policy values', () => {
  const { testChart } = require('../util');
  const make = (extra: Record<string, unknown>) => new JupyterHubValues(testChart(), 'jupyterhub', {
    profiles: [{ displayName: 'CPU', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', resources: { cpu: 1, memory: '2Gi' }, default: true }], ...extra,
  } as any).values as any;

  test('servers may reach the gateway proxy (web 8000 behind Service port 80, scheduler 8786) and the object stores; the hub admits the gateway on 8081', () => {
    const v = make({ daskGateway: { address: 'http://dask-gateway-proxy.dask-gateway' }, objectStores: [{ endpoint: 'http://minio.minio.svc:9000' }] });
    expect(v.singleuser.networkPolicy).toEqual({
      enabled: true,
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dask-gateway' } } }], ports: [{ port: 8000, protocol: 'TCP' }, { port: 8786, protocol: 'TCP' }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'minio' } } }], ports: [{ port: 9000, protocol: 'TCP' }] },
      ],
    });
    expect(v.hub.networkPolicy).toEqual({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dask-gateway' } } }], ports: [{ port: 8081, protocol: 'TCP' }] }] });
  });

  test('an object store outside the cluster gets no in-cluster rule; no gateway, no hub ingress', () => {
    const v = make({ objectStores: [{ endpoint: 'https://storage.googleapis.com' }] });
    expect(v.singleuser.networkPolicy).toEqual({ enabled: true });
    expect(v.hub.networkPolicy).toBeUndefined();
  });
});
