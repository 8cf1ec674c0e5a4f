/**
 * Dask examples: a gateway with CPU and GPU cluster options, a static CPU cluster with a notebook,
 * a RAPIDS GPU cluster with an autoscaler, and a DaskJob. Workloads run in team-a; the gateway
 * has its own namespace.
 */
import { Chart, Duration } from 'cdk8s';
import { DaskCluster, DaskDashboardAuth, DaskGateway, DaskGatewayAuth, DaskJob, MlscaleApp, SecretRef, k8s } from '../../constructs';
import { KUBERNETES_API_CIDR } from './platform';
import type { PlatformTeams } from './teams';

/** Namespace of the gateway server, controller and proxy. */
export const DASK_GATEWAY_NAMESPACE = 'dask-gateway';
/** Namespace of the example workloads. */
const TEAM = 'team-a';

/** Adds the `dask-*` charts; returns the gateway (notebook servers point at it). */
export function addDask(app: MlscaleApp, teams: PlatformTeams): DaskGateway {
  // the gateway's CRDs (DaskCluster, Traefik) are the `dask-gateway-crds` manifest add-on: installed
  // by reference from the pinned upstream folder (Argo CD Application / Pulumi), before the gateway
  const gatewayChart = new Chart(app, 'dask-gateway');
  new k8s.KubeNamespace(gatewayChart, 'namespace', {
    metadata: {
      name: DASK_GATEWAY_NAMESPACE,
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.32' },
    },
  });
  const gateway = new DaskGateway(gatewayChart, 'dask-gateway', {
    namespace: DASK_GATEWAY_NAMESPACE,
    // JupyterHub groups → the team whose namespace, quota and bounds a member's clusters get
    teams: [
      { team: teams['team-a'], groups: ['team-a'] },
      { team: teams['team-b'], groups: ['team-b'], maxWorkerCores: 4, maxWorkerGpus: 0, clusterLimits: { maxWorkers: 8, maxCores: 32, maxMemoryGiB: 128 } },
    ],
    auth: DaskGatewayAuth.jupyterHub({
      apiUrl: 'http://hub.jupyterhub.svc.cluster.local:8081/hub/api',
      apiTokenSecret: SecretRef.fromName('dask-gateway-jupyterhub').key('api-token'),
    }),
    clusterOptions: {
      workerCores: { min: 1, max: 8, default: 2, label: 'Worker cores' },
      workerMemoryGiB: { min: 1, max: 32, default: 4, label: 'Worker memory (GiB)' },
      image: {
        label: 'Image',
        choices: [
          { value: 'ghcr.io/dask/dask-gateway:2026.3.0', default: true },
          // the platform team's builds on the same dask and dask-gateway: geospatial libraries; CUDA with dask-cuda
          { value: 'ghcr.io/acme/dask-geo:2026.3.0-1', contents: { dask: '2026.3.0', daskGateway: '2026.3.0' } },
          { value: 'ghcr.io/acme/dask-gateway-cuda:2026.3.0-cuda12.8', contents: { dask: '2026.3.0', daskGateway: '2026.3.0', cuda: true } },
        ],
      },
      workerGpus: { min: 0, max: 1, default: 0, gpuType: 'nvidia-tesla-t4', label: 'GPUs per worker (T4)' },
      environment: { defaults: { MALLOC_TRIM_THRESHOLD_: '65536' } },
    },
    kubernetesApiCidr: KUBERNETES_API_CIDR,
    idleTimeout: Duration.minutes(30),
    clusterLimits: { maxWorkers: 32, maxCores: 128, maxMemoryGiB: 512 },
    // dashboard links users can click: https://dask.ml.acme.example/clusters/<namespace>.<cluster>/status
    publicAddress: { host: 'dask.ml.acme.example', tlsSecret: SecretRef.fromName('dask-gateway-tls') },
    // dashboards behind the hub's login: members of the cluster's team (and hub admins) only
    dashboardAuth: DaskDashboardAuth.jupyterHub({
      hubUrl: 'https://jupyter.ml.acme.example',
      apiTokenSecret: SecretRef.fromName('dask-gateway-dashboards-jupyterhub').key('api-token'),
    }),
  });

  new DaskCluster(new Chart(app, 'dask-static-cluster'), 'static-cpu', {
    namespace: TEAM,
    workers: { replicas: 4, resources: { cpu: 2, memory: '8Gi' } },
    notebook: { tokenSecret: SecretRef.fromName('static-cpu-jupyter').key('token') },
    dashboardProxy: gateway,
  });

  new DaskCluster(new Chart(app, 'dask-rapids-gpu'), 'rapids', {
    namespace: TEAM,
    image: 'nvcr.io/nvidia/rapidsai/base:25.04-cuda12.8-py3.12',
    workers: { replicas: 1, resources: { cpu: 4, memory: '24Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' } },
    autoscaler: { minimum: 1, maximum: 4 },
    idleTimeout: Duration.hours(2),
    dashboardProxy: gateway,
  });

  new DaskJob(new Chart(app, 'dask-job'), 'array-mean', {
    namespace: TEAM,
    workers: { replicas: 3, resources: { cpu: 2, memory: '8Gi' } },
    job: {
      script: [
        'import dask.array as da',
        'from dask.distributed import Client',
        '',
        'client = Client()  # DASK_SCHEDULER_ADDRESS is set by the operator',
        'x = da.random.random((20000, 20000), chunks=(2000, 2000))',
        'print("mean:", x.mean().compute())',
        '',
      ].join('\n'),
    },
  });
  return gateway;
}
