/** Names and keys used by the Pulumi components (one place, no magic strings). */

export { LABEL_POOL } from '../constructs/core/constants';
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
/** The clusterapi provider's GPU node label (cluster-autoscaler 1.32 cloudprovider/clusterapi/clusterapi_provider.go GPULabel). */
export const CAPI_GPU_LABEL = 'cluster-api/accelerator';
/** Cluster API group/version of MachineDeployments. */
export const CAPI_API_VERSION = 'cluster.x-k8s.io/v1beta1';

/**
 * The Google Cloud APIs the GKE stack uses, each enabled by a `gcp.projects.Service` before any
 * resource that needs it: GKE (container), its networking, firewall, router and NAT (compute),
 * service accounts (iam) and the tokens Workload Identity mints (iamcredentials), project IAM
 * members (cloudresourcemanager), the artifact bucket (storage), the Filestore CSI driver (file),
 * image streaming (containerfilesystem) and the private.googleapis.com zone (dns). Service Usage itself must be on already (it is on a
 * new project): it is the API that enables the others.
 */
export const GKE_APIS: readonly string[] = [
  'cloudresourcemanager.googleapis.com',
  'compute.googleapis.com',
  'container.googleapis.com',
  'dns.googleapis.com',
  'containerfilesystem.googleapis.com',
  'file.googleapis.com',
  'iam.googleapis.com',
  'iamcredentials.googleapis.com',
  'storage.googleapis.com',
];
export { GKE_SERVICE_ACCOUNT_ANNOTATION } from '../constructs/platform/team-access';
export { PRIVATE_GOOGLE_APIS_CIDR } from '../constructs/core/constants';
/** The four addresses of PRIVATE_GOOGLE_APIS_CIDR (the A records of private.googleapis.com). */
export const PRIVATE_GOOGLE_APIS_ADDRESSES: readonly string[] = ['199.36.153.8', '199.36.153.9', '199.36.153.10', '199.36.153.11'];
