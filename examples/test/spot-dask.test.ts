/** The spot Dask example (examples/apps/examples/spot-dask.ts): workers on the stack's Dask pool, scheduler and notebook on standard nodes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterModel, MlscaleApp, cpuMillis, formatProblem, memoryBytes } from '../../constructs';
import { SPOT_DASK_TEAM, SPOT_WORKER, buildSpotDaskApp } from '../apps/examples/spot-dask';
import { MACHINE_TYPES } from '../../stacks/gpu-zones';

const POOL_SELECTOR = { 'mlscale.io/pool': 'dask' };
const SPOT_TOLERATION = { key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' };

function build() {
  const app = new MlscaleApp({ outdir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-spot-')), 'charts-out') });
  const built = buildSpotDaskApp(app);
  app.prepare();
  const docs = app.charts.flatMap((c) => c.toJson());
  return { app, docs, ...built };
}

describe('the spot Dask example', () => {
  const { app, docs, gateway } = build();
  const cluster = docs.find((d) => d.kind === 'DaskCluster' && d.metadata.name === 'spot');
  const notebook = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'spot-notebook');

  test('the operator cluster\'s workers select the pool and tolerate its taint and the spot taint', () => {
    const worker = cluster.spec.worker.spec;
    expect(worker.nodeSelector).toEqual(POOL_SELECTOR);
    expect(worker.tolerations).toContainEqual({ key: 'mlscale.io/pool', operator: 'Equal', value: 'dask', effect: 'NoSchedule' });
    expect(worker.tolerations).toContainEqual(SPOT_TOLERATION);
  });

  test('the scheduler and the notebook stay on standard nodes (no pool selector, no spot toleration)', () => {
    for (const spec of [cluster.spec.scheduler.spec, notebook.spec.template.spec]) {
      expect(JSON.stringify(spec.nodeSelector ?? {})).not.toContain('mlscale.io/pool');
      expect(JSON.stringify(spec.tolerations ?? [])).not.toContain('gke-spot');
    }
  });

  test('the gateway\'s clusters: CPU workers get the pool, schedulers do not', () => {
    expect(gateway.config).toContain('c.KubeClusterConfig.worker_extra_pod_config = {**_POD_EXTRA, **_DASK_POOL}');
    expect(gateway.config).toContain('c.KubeClusterConfig.scheduler_extra_pod_config = _POD_EXTRA\n');
  });

  test('a worker fits the pool\'s machine type (n1-highcpu-32) twice, after what GKE keeps for the node', () => {
    const machine = MACHINE_TYPES['n1-highcpu-32'];
    const limits = cluster.spec.worker.spec.containers[0].resources.limits;
    expect(cpuMillis(limits.cpu)).toBe(SPOT_WORKER.cpu * 1000);
    // GKE's allocatable: CPU minus 6%/1%/0.5%/0.25% tiers, memory minus 25%/20%/10%/6% tiers and 100 MiB eviction
    // (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes, memory and CPU reservations)
    const cpu = machine.vcpus * 1000 - (60 + 10 + 2 * 5 + (machine.vcpus - 4) * 2.5);
    const gib = machine.memoryGb * 1e9 / 2 ** 30;
    const reserved = 0.25 * 4 + 0.2 * 4 + 0.1 * 8 + 0.06 * (Math.min(gib, 128) - 16) + 0.1;
    expect(2 * cpuMillis(limits.cpu)).toBeLessThanOrEqual(cpu);
    expect(2 * memoryBytes(limits.memory)!).toBeLessThanOrEqual((gib - reserved) * 2 ** 30);
  });

  test('the autoscaler scales from 0 workers, and the cluster model admits every environment', () => {
    const autoscaler = docs.find((d) => d.kind === 'DaskAutoscaler');
    expect(autoscaler.spec).toMatchObject({ minimum: 0, maximum: 8 });
    expect(cluster.metadata.namespace).toBe(SPOT_DASK_TEAM);
    expect(ClusterModel.evaluate(app).flatMap((r) => r.problems.map(formatProblem))).toEqual([]);
  });
});
