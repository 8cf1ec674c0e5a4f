/** Label, annotation and resource-name constants used across mlscale (one place, no magic strings). */

/** Recommended labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_VERSION = 'app.kubernetes.io/version';

/** The value of app.kubernetes.io/managed-by on everything mlscale synthesizes. */
export const MANAGED_BY = 'mlscale';

/** mlscale's own label/annotation prefix. */
export const MLSCALE_PREFIX = 'mlscale.io';
/** Pod annotation that documents why a workload is exempt from Pod Security `restricted`. */
export const ANNOTATION_PSS_EXEMPTION = `${MLSCALE_PREFIX}/pod-security-exemption`;
/** Pod label naming the GPU class a workload was placed on. */
export const LABEL_GPU_CLASS = `${MLSCALE_PREFIX}/gpu-class`;
/** Node label naming the role of an mlscale-managed node pool (`system`, `gpu-<class>`, `dask`). */
export const LABEL_POOL = `${MLSCALE_PREFIX}/pool`;
/**
 * The taint of the Dask pool (GKE stack `daskPool`): only pods that tolerate it (Dask workers given
 * the `daskPool` placement) land on its spot nodes.
 */
export const DASK_POOL_TAINT = { key: LABEL_POOL, value: 'dask', effect: 'NoSchedule' } as const;
/** Label naming the team that owns a workload. */
export const LABEL_TEAM = `${MLSCALE_PREFIX}/team`;

/** Kueue: the label that submits a workload to a LocalQueue. */
export const LABEL_KUEUE_QUEUE = 'kueue.x-k8s.io/queue-name';
/**
 * Annotation on a Deployment in charts-out that runs a controller for kinds no add-on controls
 * (a DaskGateway's controller and Traefik proxy): comma-separated `group/Kind`; the cluster model reads it.
 */
export const ANNOTATION_CONTROLLER_FOR = `${MLSCALE_PREFIX}/controller-for`;
/** Kueue: the label that sets a workload's WorkloadPriorityClass. */
export const LABEL_KUEUE_PRIORITY = 'kueue.x-k8s.io/priority-class';

/** Extended resource name of NVIDIA GPUs (device plugin / GPU operator). */
export const RESOURCE_NVIDIA_GPU = 'nvidia.com/gpu';
/** Node label GKE sets on GPU nodes. */
export const GKE_ACCELERATOR_LABEL = 'cloud.google.com/gke-accelerator';
/** Node label the NVIDIA GPU feature discovery sets (on-prem default). */
export const NVIDIA_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** Node label GKE uses for MIG partition size. */
export const GKE_GPU_PARTITION_LABEL = 'cloud.google.com/gke-gpu-partition-size';
/** Node label GKE uses for spot VMs. */
export const GKE_SPOT_LABEL = 'cloud.google.com/gke-spot';

/** Katib's namespace label that turns on its metrics-collector injection (katib v0.19.0 manifests/v1beta1/components/webhook/webhooks.yaml). */
export const LABEL_KATIB_METRICS_INJECTION = 'katib.kubeflow.org/metrics-collector-injection';

/**
 * private.googleapis.com: the addresses Private Google Access serves Google APIs on to private nodes
 * (Google Cloud docs, vpc/docs/configure-private-google-access: private.googleapis.com 199.36.153.8/30).
 * The GKE stack points *.googleapis.com there (a private DNS zone), so pods reach GCS through one /30.
 */
export const PRIVATE_GOOGLE_APIS_CIDR = '199.36.153.8/30';
/** The S3-compatible endpoint of Cloud Storage (XML API with HMAC keys). */
export const GCS_S3_ENDPOINT = 'https://storage.googleapis.com';
