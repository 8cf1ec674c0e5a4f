/**
 * Example app: Dask workers on a preemptible high-CPU pool, scheduler and notebook elsewhere.
 *
 * The scenario (a data scientist's "ogrisel" request): a GKE cluster whose spot n1-highcpu-32 Dask
 * pool scales from zero; a team's researchers get a notebook and a scheduler on standard nodes (a
 * preempted worker loses its tasks, which the scheduler recomputes; a preempted scheduler would lose
 * the whole computation) and workers that fill the pool's nodes, either as a fixed operator cluster
 * with an autoscaler or as gateway clusters they start from the notebook.
 *
 * The pool is the GKE stack's `gke.daskPool` (stacks/gke-cluster.ts: n1-highcpu-32, spot, labelled
 * `mlscale.io/pool=dask` and tainted with it); `ClusterProfile.gke({ daskPool: true })` places every
 * CPU Dask worker there (its node selector and the pool and spot tolerations), and nothing else.
 *
 * Synthesize it (not part of the default app's charts-out):
 * `MLSCALE_OUTDIR=/tmp/spot-dask npx ts-node examples/apps/examples/spot-dask.ts`
 */
import { Chart, Duration } from 'cdk8s';
import { ClusterModel, ClusterProfile, DaskCluster, DaskGateway, DaskGatewayAuth, GitOpsApplication, MlscaleApp, SecretRef, Team, k8s } from '../../../constructs';
import { KUBERNETES_API_CIDR, PLATFORM_REPOSITORY } from '../platform';

/** The research team's namespace. */
export const SPOT_DASK_TEAM = 'research';

/**
 * A worker that fills half an n1-highcpu-32 node (32 vCPU, 28.8 GB; GKE keeps ~0.1 vCPU and ~2.6 GiB
 * for the system), so the autoscaler adds one node per two workers.
 */
export const SPOT_WORKER = { cpu: 15, memory: '11Gi' } as const;

/** Builds the example into `app`. */
export function buildSpotDaskApp(app: MlscaleApp): { gateway: DaskGateway; cluster: DaskCluster } {
  ClusterProfile.use(app, ClusterProfile.gke({ daskPool: true }));
  ClusterModel.enable(app);

  const team = new Team(new Chart(app, 'team-research'), SPOT_DASK_TEAM, {
    members: { groups: ['research@example.com'] },
    // room for 8 pool workers (4 nodes) plus notebooks and schedulers
    quota: { cpu: 136, memory: '112Gi', storage: '500Gi' },
    kubernetesApiCidr: KUBERNETES_API_CIDR,
  });

  const gatewayChart = new Chart(app, 'dask-gateway');
  new k8s.KubeNamespace(gatewayChart, 'namespace', {
    metadata: { name: 'dask-gateway', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.32' } },
  });
  const gateway = new DaskGateway(gatewayChart, 'dask-gateway', {
    namespace: 'dask-gateway',
    teams: [{ team, groups: ['research'] }],
    auth: DaskGatewayAuth.jupyterHub({
      apiUrl: 'http://hub.jupyterhub.svc.cluster.local:8081/hub/api',
      apiTokenSecret: SecretRef.fromName('dask-gateway-jupyterhub').key('api-token'),
    }),
    clusterOptions: {
      workerCores: { min: 1, max: SPOT_WORKER.cpu, default: SPOT_WORKER.cpu, label: 'Worker cores' },
      workerMemoryGiB: { min: 1, max: 11, default: 11, label: 'Worker memory (GiB)' },
    },
    kubernetesApiCidr: KUBERNETES_API_CIDR,
    idleTimeout: Duration.minutes(20),
    clusterLimits: { maxWorkers: 8 },
  });

  // the fixed layout: notebook + scheduler on standard nodes, 0–8 workers on the spot pool
  const cluster = new DaskCluster(new Chart(app, 'dask-spot'), 'spot', {
    namespace: SPOT_DASK_TEAM,
    workers: { replicas: 2, resources: SPOT_WORKER },
    autoscaler: { minimum: 0, maximum: 8 },
    idleTimeout: Duration.hours(1),
    notebook: { tokenSecret: SecretRef.fromName('spot-jupyter').key('token'), resources: { cpu: 2, memory: '8Gi' } },
    dashboardProxy: gateway,
  });
  // Argo CD installs what these charts need (the Dask operator, the gateway's CRDs, Kueue) and syncs them
  new GitOpsApplication(app, 'gitops', { repoURL: PLATFORM_REPOSITORY.url, targetRevision: PLATFORM_REPOSITORY.revision });
  return { gateway, cluster };
}

if (require.main === module) MlscaleApp.run(buildSpotDaskApp);
