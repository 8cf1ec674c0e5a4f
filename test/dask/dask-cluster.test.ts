import { Duration, Testing } from 'cdk8s';
import { SecretRef, ClusterProfile, DaskCluster, DaskGateway } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';
import { admits } from './policy-eval';

const PROFILE = ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }] });

describe('DaskCluster', () => {
  const staticCluster = () => {
    const chart = testChart(PROFILE);
    const gw = new DaskGateway(chart, 'gw', { namespace: 'dask-gateway', clusterNamespace: 'team-a' });
    const cluster = new DaskCluster(chart, 'etl', {
      namespace: 'team-a',
      workers: { replicas: 3, resources: { cpu: 2, memory: '8Gi' } },
      notebook: { tokenSecret: SecretRef.fromName('etl-jupyter').key('token') },
      dashboardProxy: gw,
    });
    const docs = byKind(chart);
    return { chart, cluster, docs, dc: docs.DaskCluster[0] };
  };

  test('CPU cluster with notebook and dashboard route (snapshot of the cluster objects)', () => {
    const { chart } = staticCluster();
    expect(Testing.synth(chart).filter((d) => d.metadata.namespace === 'team-a' && d.metadata.labels?.['app.kubernetes.io/name'] === 'dask')).toMatchSnapshot();
  });

  test('scheduler: Service on 8786/8787 selecting the operator labels, dask scheduler command, restricted', () => {
    const { dc, cluster } = staticCluster();
    expect(cluster.schedulerServiceName).toBe('etl-scheduler');
    expect(cluster.schedulerAddress).toBe('tcp://etl-scheduler.team-a.svc.cluster.local:8786');
    const s = dc.spec.scheduler;
    expect(s.service).toEqual({
      type: 'ClusterIP',
      selector: { 'dask.org/cluster-name': 'etl', 'dask.org/component': 'scheduler' },
      ports: [
        { name: 'tcp-comm', protocol: 'TCP', port: 8786, targetPort: 'tcp-comm' },
        { name: 'http-dashboard', protocol: 'TCP', port: 8787, targetPort: 'http-dashboard' },
      ],
    });
    const c = s.spec.containers[0];
    expect(c.args).toEqual(['dask', 'scheduler', '--port', '8786', '--dashboard-address', ':8787']);
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } });
    expect(s.spec.securityContext).toEqual({ fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    expect(s.spec.automountServiceAccountToken).toBe(false);
  });

  test('CPU workers: dask worker with threads and memory limit from the resources, no GPU placement', () => {
    const w = staticCluster().dc.spec.worker;
    expect(w.replicas).toBe(3);
    const c = w.spec.containers[0];
    expect(c.args).toEqual(['dask', 'worker', '$(DASK_SCHEDULER_ADDRESS)', '--name', '$(DASK_WORKER_NAME)', '--dashboard', '--dashboard-address', '8788',
      '--nthreads', '2', '--memory-limit', String(8 * 2 ** 30)]);
    expect(c.resources.limits).toEqual({ cpu: '2', memory: '8Gi' });
    expect(w.spec.nodeSelector).toBeUndefined();
    expect(w.metadata.labels['mlscale.io/dask-cluster']).toBe('etl');
  });

  test('GPU workers with an autoscaler: dask-cuda-worker, GPU type placement, shm, string quantities', () => {
    const chart = testChart(PROFILE);
    new DaskCluster(chart, 'rapids', {
      namespace: 'team-a',
      image: 'nvcr.io/nvidia/rapidsai/base:25.04-cuda12.8-py3.12',
      workers: { replicas: 1, resources: { cpu: 4, memory: '16Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' } },
      autoscaler: { minimum: 1, maximum: 4 },
      idleTimeout: Duration.hours(1),
    });
    const docs = byKind(chart);
    expect(docs.DaskAutoscaler[0].spec).toEqual({ cluster: 'rapids', minimum: 1, maximum: 4 });
    const dc = docs.DaskCluster[0];
    expect(dc.spec.idleTimeout).toBe(3600);
    const w = dc.spec.worker.spec;
    expect(w.containers[0].args.slice(0, 2)).toEqual(['dask-cuda-worker', '$(DASK_SCHEDULER_ADDRESS)']);
    expect(w.containers[0].resources.limits).toEqual({ 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': '1' });
    expect(w.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4', 'mlscale.io/gpu-class': 't4' });
    expect(w.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(w.volumes).toEqual([{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '4096Mi' } }]);
    expect(w.containers[0].volumeMounts).toEqual([{ name: 'dshm', mountPath: '/dev/shm' }]);
    expect(dc.spec.scheduler.spec.nodeSelector).toBeUndefined();
  });

  test('the notebook runs beside the cluster with the scheduler address and a token from a Secret', () => {
    const { docs, cluster } = staticCluster();
    expect(cluster.notebookServiceName).toBe('etl-notebook');
    const nb = docs.Deployment.find((d) => d.metadata.name === 'etl-notebook');
    const c = nb.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/dask/dask-notebook:2025.4.1-py3.12');
    expect(c.env).toEqual([
      { name: 'DASK_SCHEDULER_ADDRESS', value: 'tcp://etl-scheduler.team-a.svc.cluster.local:8786' },
      { name: 'JUPYTER_TOKEN', valueFrom: { secretKeyRef: { name: 'etl-jupyter', key: 'token' } } },
    ]);
    expect(nb.spec.template.metadata.labels['mlscale.io/dask-cluster']).toBe('etl');
    expect(docs.Service.find((s) => s.metadata.name === 'etl-notebook').spec.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8888, targetPort: 'http' }]);
  });

  test('the dashboard route goes through the gateway proxy and strips its prefix', () => {
    const { docs, cluster } = staticCluster();
    expect(cluster.dashboardPath).toBe('/dask/team-a/etl/');
    const route = docs.IngressRoute.find((r) => r.metadata.name === 'etl-dashboard');
    expect(route.metadata.labels['gateway.dask.org/instance']).toBe('gw');
    expect(route.spec.routes).toEqual([{
      kind: 'Rule', match: 'PathPrefix(`/dask/team-a/etl`)',
      middlewares: [{ name: 'etl-dashboard-prefix', namespace: 'team-a' }],
      services: [{ name: 'etl-scheduler', namespace: 'team-a', port: 8787 }],
    }]);
    expect(docs.Middleware.find((m) => m.metadata.name === 'etl-dashboard-prefix').spec).toEqual({ stripPrefix: { prefixes: ['/dask/team-a/etl'] } });
  });

  describe('scheduler NetworkPolicy', () => {
    const policy = staticCluster().docs.NetworkPolicy.find((p: any) => p.metadata.name === 'etl-scheduler');
    const own = (component: string) => ({ 'mlscale.io/dask-cluster': 'etl', 'dask.org/cluster-name': 'etl', 'app.kubernetes.io/component': component });
    const proxy = { 'app.kubernetes.io/name': 'dask-gateway', 'app.kubernetes.io/instance': 'gw', 'app.kubernetes.io/component': 'proxy' };
    test('selects the scheduler pods only', () => {
      expect(policy.spec.podSelector.matchLabels).toEqual({ 'dask.org/cluster-name': 'etl', 'dask.org/component': 'scheduler' });
    });
    test.each([
      ['a worker', 'team-a', own('worker'), 8786, true],
      ['a worker', 'team-a', own('worker'), 8787, true],
      ['the notebook', 'team-a', own('notebook'), 8786, true],
      ['the operator', 'dask-operator', { 'app.kubernetes.io/name': 'dask-kubernetes-operator' }, 8786, true],
      ['the operator', 'dask-operator', { 'app.kubernetes.io/name': 'dask-kubernetes-operator' }, 8787, true],
      ['the gateway proxy', 'dask-gateway', proxy, 8787, true],
      ['the gateway proxy', 'dask-gateway', proxy, 8786, false],
      ['the gateway API server', 'dask-gateway', { ...proxy, 'app.kubernetes.io/component': 'api' }, 8787, false],
      ['a worker of another cluster', 'team-a', { 'mlscale.io/dask-cluster': 'other' }, 8786, false],
      ['an unrelated pod', 'team-a', { app: 'web' }, 8787, false],
      ['a pod with the cluster label in another namespace', 'team-b', own('worker'), 8786, false],
      ['a worker on another port', 'team-a', own('worker'), 22, false],
    ])('%s from %s on %d → %s', (_who, namespace, labels, port, allowed) => {
      expect(admits(policy, { namespace, labels }, port)).toBe(allowed);
    });
  });

  test('addWorkerGroup adds a GPU DaskWorkerGroup beside the CPU default group', () => {
    const chart = testChart(PROFILE);
    const cluster = new DaskCluster(chart, 'mixed', { namespace: 'team-a' });
    cluster.addWorkerGroup('gpu', { replicas: 2, image: 'nvcr.io/nvidia/rapidsai/base:25.04-cuda12.8-py3.12', resources: { cpu: 4, memory: '16Gi', gpus: 1 } });
    const [wg] = byKind(chart).DaskWorkerGroup;
    expect(wg.metadata.name).toBe('mixed-gpu');
    expect(wg.spec.cluster).toBe('mixed');
    expect(wg.spec.worker.replicas).toBe(2);
    expect(wg.spec.worker.spec.containers[0].args[0]).toBe('dask-cuda-worker');
    expect(wg.spec.worker.spec.nodeSelector['cloud.google.com/gke-accelerator']).toBe('nvidia-tesla-t4');
  });

  test('autoscaler minimum > maximum, bad replicas and a GPU scheduler are rejected together', () => {
    expect(problemMessages(() => new DaskCluster(testChart(PROFILE), 'c', {
      autoscaler: { minimum: 5, maximum: 2 },
      workers: { replicas: -1 },
      scheduler: { resources: { gpus: 1 } },
    }))).toEqual([
      'test/c: autoscaler.minimum is greater than maximum (2); got 5, expected minimum ≤ maximum',
      'test/c: scheduler.resources.gpus must be 0 (the scheduler does no GPU work); got 1, expected 0',
      'test/c: workers.replicas is out of range; got -1, expected an integer from 0 to 1000',
    ]);
  });

  test('GPU workers without a GPU type (and several GPU classes) are rejected', () => {
    const two = ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }, { name: 'l4', type: 'nvidia-l4' }] });
    expect(problemMessages(() => new DaskCluster(testChart(two), 'c', { workers: { resources: { gpus: 1 }, image: 'busybox' } }))).toEqual([
      'test/c: workers.pod.containers[0].image is not pinned (no tag or digest); got "busybox", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
      'test/c: workers.pod.containers[0].resources.gpuType is required when GPUs are requested; got nothing, expected one of nvidia-l4, nvidia-tesla-t4',
    ]);
  });
});
