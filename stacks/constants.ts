/** Names and keys used by the Pulumi components (one place, no magic strings). */

/** Node label on every mlscale-managed GKE node pool naming the pool's role. */
export const LABEL_POOL = 'mlscale.io/pool';
/** GCP resource label / Kubernetes label value marking what mlscale manages. */
export const MANAGED_BY_LABELS: Readonly<Record<string, string>> = { 'managed-by': 'mlscale' };

/** OAuth scope of GKE nodes: access is governed by IAM roles, not scopes. */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Minimal roles of the GKE node service account (Google's recommended least-privilege set). */
export const NODE_SERVICE_ACCOUNT_ROLES: readonly string[] = [
  'roles/artifactregistry.reader',
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
];
/** CSI provisioner of Filestore-backed volumes on GKE. */
export const FILESTORE_CSI_PROVISIONER = 'filestore.csi.storage.gke.io';

/** Cluster API: node-group size annotations read by the cluster-autoscaler clusterapi provider. */
export const CAPI_MIN_SIZE_ANNOTATION = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
export const CAPI_MAX_SIZE_ANNOTATION = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';
/** Cluster API: the capacity annotations that let the autoscaler scale a node group up from zero. */
export const CAPACITY_ANNOTATION_PREFIX = 'capacity.cluster-autoscaler.kubernetes.io';
/** Cluster API group/version of MachineDeployments. */
export const CAPI_API_VERSION = 'cluster.x-k8s.io/v1beta1';
