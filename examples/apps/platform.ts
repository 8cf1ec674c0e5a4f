/**
 * The platform's shared declarations: one source of truth for both halves. The cdk8s app
 * (examples/apps/main.ts) and the Pulumi program (stacks/) import the same GPU classes, so a workload
 * asking for a GPU type no node pool offers fails at synth.
 */
import { Chart } from 'cdk8s';
import { ClusterProfile, ContainerJob, Externals, GpuClass, MlscaleApp, NamespaceIsolation, k8s } from '../../constructs';

/** GPU node classes of the reference platform (GKE pools / on-prem node groups). */
export const PLATFORM_GPU_CLASSES: readonly GpuClass[] = [
  { name: 't4', type: 'nvidia-tesla-t4', gpusPerNode: 1, maxNodes: 8 },
  { name: 'l4', type: 'nvidia-l4', gpusPerNode: 1, maxNodes: 8 },
  { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 8, maxNodes: 2 },
  { name: 'a100-80gb-spot', type: 'nvidia-a100-80gb', gpusPerNode: 4, spot: true, maxNodes: 4 },
];

/** The cluster the default app targets. */
export function platformProfile(): ClusterProfile {
  // The GKE stack creates the Filestore StorageClass `mlscale-rwx` (GKE's own `standard-rwx` is
  // tied to the `default` network); shared volumes must use the stack's class.
  // The example stack has the spot Dask pool (gke.daskPool): CPU Dask workers are placed there.
  return ClusterProfile.gke({ gpuClasses: PLATFORM_GPU_CLASSES, rwxStorageClass: 'mlscale-rwx', daskPool: true });
}

/**
 * The Git repository Argo CD syncs charts-out/ from: this repository (set yours here before the
 * first sync; README "Run it on GKE", step 1) and the revision every Application follows (a branch,
 * or a release tag to pin what the cluster runs). Every Application of charts-out names it.
 */
export const PLATFORM_REPOSITORY = { url: 'https://github.com/mlscale/mlscale.git', revision: 'main' } as const;

/**
 * The GKE project and cluster of Pulumi.gke-example.yaml (`gke.project`, `gke.name`; a test keeps
 * them equal): the artifact bucket and the teams' Google service accounts are named after them
 * (stacks/gke-cluster.ts).
 */
export const GKE_PROJECT = 'acme-ml-platform';
export const GKE_CLUSTER = 'mlscale';
/** The stack's artifact bucket (`<project>-<cluster>-artifacts`), which the teams' object stores use. */
export const ARTIFACT_BUCKET = `${GKE_PROJECT}-${GKE_CLUSTER}-artifacts`;
/**
 * The Google service account of a team's artifacts (`<cluster>-<namespace>`, created by the GKE stack
 * for `gke.artifactBucket.workloadServiceAccounts`, limited to `<namespace>/` of the bucket): the
 * team's ServiceAccounts act as it (Workload Identity).
 */
export function teamArtifactServiceAccount(namespace: string): string {
  return `${GKE_CLUSTER}-${namespace}@${GKE_PROJECT}.iam.gserviceaccount.com`;
}

/**
 * The Kubernetes API server's address block: the GKE control plane range (`masterIpv4CidrBlock` of
 * Pulumi.gke-example.yaml; a test keeps the two equal). Workflow executors, the gateway and its
 * proxy may reach only this on 443/6443, not any host.
 */
export const KUBERNETES_API_CIDR = '172.16.0.0/28';

/** Namespace of the platform's own smoke tests. */
export const PLATFORM_NAMESPACE = 'mlscale-system';

/** The `platform` chart: the platform namespace and a GPU smoke test. */
export function addPlatform(app: MlscaleApp): void {
  const chart = new Chart(app, 'platform');
  Externals.declare(app, {
    kind: 'StorageClass', name: platformProfile().rwxStorageClass,
    reason: 'the ReadWriteMany class of shared volumes, created by the GKE stack (stacks/gke-cluster.ts: Filestore CSI, gke.rwxStorage)',
  });
  new k8s.KubeNamespace(chart, 'namespace', {
    metadata: {
      name: PLATFORM_NAMESPACE,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.32',
      },
    },
  });
  // the smoke test needs no traffic at all: deny everything (DNS only)
  new NamespaceIsolation(chart, 'isolation', { namespace: PLATFORM_NAMESPACE });
  new ContainerJob(chart, 'gpu-smoke-test', {
    namespace: PLATFORM_NAMESPACE,
    container: {
      image: 'nvcr.io/nvidia/cuda:12.6.3-base-ubuntu24.04',
      command: ['nvidia-smi'],
      resources: { cpu: 0.5, memory: '512Mi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
    },
    backoffLimit: 0,
  });
}
