/** CPU Dask workers go to the GKE stack's Dask pool when the ClusterProfile says the cluster has one. */
import { ClusterProfile, DaskCluster, DaskGateway } from '../../constructs';
import { byKind, testChart } from '../util';

const GPUS = [{ name: 't4', type: 'nvidia-tesla-t4' as const }];
const POOL_TOLERATIONS = [
  { key: 'mlscale.io/pool', operator: 'Equal', value: 'dask', effect: 'NoSchedule' },
  { key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
];

function build(daskPool: boolean) {
  const chart = testChart(ClusterProfile.gke({ gpuClasses: GPUS, daskPool }));
  new DaskGateway(chart, 'gw', { namespace: 'dask-gateway', clusterNamespace: 'team-a' });
  new DaskCluster(chart, 'cpu', { namespace: 'team-a', workers: { replicas: 2, resources: { cpu: 2, memory: '8Gi' } } });
  new DaskCluster(chart, 'gpu', { namespace: 'team-a', workers: { replicas: 1, resources: { cpu: 4, memory: '16Gi', gpus: 1 } } });
  const docs = byKind(chart);
  const worker = (name: string) => docs.DaskCluster.find((d) => d.metadata.name === name).spec.worker.spec;
  const config: string = docs.ConfigMap.find((c) => c.metadata.name === 'gw').data['dask_gateway_config.py'];
  return { worker, config };
}

describe('the Dask pool placement', () => {
  test('with the pool: CPU workers select it and tolerate its taint and the spot taint; GPU workers keep their GPU placement', () => {
    const { worker, config } = build(true);
    expect(worker('cpu').nodeSelector).toEqual({ 'mlscale.io/pool': 'dask' });
    expect(worker('cpu').tolerations).toEqual(POOL_TOLERATIONS);
    expect(worker('gpu').nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4', 'mlscale.io/gpu-class': 't4' });
    expect(JSON.stringify(worker('gpu').tolerations)).not.toContain('mlscale.io/pool');
    // the gateway's clusters: CPU workers get the pool, the GPU branch of the options handler replaces it
    expect(config).toContain('c.KubeClusterConfig.worker_extra_pod_config = {**_POD_EXTRA, **_DASK_POOL}');
    expect(config).toContain('_DASK_POOL = {"nodeSelector": {"mlscale.io/pool": "dask"}');
  });

  test('schedulers stay on standard nodes: no pool selector or toleration on the scheduler, operator or gateway', () => {
    const chart = testChart(ClusterProfile.gke({ gpuClasses: GPUS, daskPool: true }));
    new DaskCluster(chart, 'cpu', { namespace: 'team-a', workers: { replicas: 2, resources: { cpu: 2, memory: '8Gi' } } });
    const gw = new DaskGateway(chart, 'gw', { namespace: 'dask-gateway', clusterNamespace: 'team-a' });
    const docs = byKind(chart);
    const scheduler = docs.DaskCluster.find((d) => d.metadata.name === 'cpu').spec.scheduler.spec;
    expect(scheduler.nodeSelector).toBeUndefined();
    expect(scheduler.tolerations).toBeUndefined();
    expect(gw.config).toContain('c.KubeClusterConfig.scheduler_extra_pod_config = _POD_EXTRA\n');
    for (const d of docs.Deployment) expect(JSON.stringify(d.spec.template.spec)).not.toContain('mlscale.io/pool');
  });

  test('without the pool: no placement at all', () => {
    const { worker, config } = build(false);
    expect(worker('cpu').nodeSelector).toBeUndefined();
    expect(worker('cpu').tolerations).toBeUndefined();
    expect(config).not.toContain('_DASK_POOL');
    expect(config).toContain('c.KubeClusterConfig.worker_extra_pod_config = _POD_EXTRA');
  });

  test('an on-prem profile has no Dask pool', () => {
    expect(() => ClusterProfile.onPrem({ daskPool: true })).toThrow('ClusterProfile: daskPool is the GKE stack\'s Dask node pool; got true, expected daskPool on a GKE profile only (on-prem nodes are not pooled by mlscale)');
  });
});
