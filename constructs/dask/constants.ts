/** Dask constants: versions, images, ports and label keys (one place, no magic strings). */

/** dask-gateway release the gateway objects are written for. */
export const DASK_GATEWAY_VERSION = '2026.3.0';
/** Image of the gateway API server and its controller. */
export const DASK_GATEWAY_SERVER_IMAGE = `ghcr.io/dask/dask-gateway-server:${DASK_GATEWAY_VERSION}`;
/** Default image of gateway-created schedulers and workers (must carry the matching dask-gateway client). */
export const DASK_GATEWAY_CLUSTER_IMAGE = `ghcr.io/dask/dask-gateway:${DASK_GATEWAY_VERSION}`;
/** Traefik release the dask-gateway chart pins (its CRDs: the `dask-gateway-crds` manifest add-on, sources in constructs/upstream/sources.ts). */
export const TRAEFIK_IMAGE = 'traefik:v3.3.5';
/** Default image of operator schedulers, CPU workers, and job runners. */
export const DASK_IMAGE = 'ghcr.io/dask/dask:2025.4.1-py3.12';
/** Default image of the Jupyter server beside a DaskCluster. */
export const DASK_NOTEBOOK_IMAGE = 'ghcr.io/dask/dask-notebook:2025.4.1-py3.12';

/** Dask scheduler comm port. */
export const SCHEDULER_PORT = 8786;
/** Dask dashboard (Bokeh + HTTP API) port of the scheduler. */
export const DASHBOARD_PORT = 8787;
/** Worker dashboard port (operator clusters) and the gateway scheduler's API port. */
export const WORKER_DASHBOARD_PORT = 8788;
/** Port of the gateway API server and of Traefik's web entrypoint inside the pod. */
export const GATEWAY_API_PORT = 8000;
/** Traefik's ping/dashboard entrypoint. */
export const TRAEFIK_PING_PORT = 9000;
/** Jupyter server port. */
export const NOTEBOOK_PORT = 8888;

/** Label the dask-kubernetes operator puts on every pod of a cluster. */
export const LABEL_DASK_CLUSTER_NAME = 'dask.org/cluster-name';
/** Label the operator uses for a pod's role: scheduler, worker, job-runner. */
export const LABEL_DASK_COMPONENT = 'dask.org/component';
/** mlscale's label on every pod that belongs to a Dask cluster (incl. the notebook); NetworkPolicy peers use it. */
export const LABEL_MLSCALE_DASK_CLUSTER = 'mlscale.io/dask-cluster';
/** dask-gateway: label naming the gateway instance (Traefik watches only objects that carry it). */
export const LABEL_GATEWAY_INSTANCE = 'gateway.dask.org/instance';

/** Namespace the dask-kubernetes operator runs in (its controller calls the scheduler's HTTP API and comm port). */
export const DASK_OPERATOR_NAMESPACE = 'dask-operator';

/**
 * The configurable classes dask-gateway-server 2026.3.0 reads from its config file (`c.<Class>.<trait>`):
 * the app (dask_gateway_server/app.py DaskGateway), the backend and its bases (backends/kubernetes/backend.py
 * KubeBackend and KubeBackendAndControllerMixin, backends/base.py Backend), the per-cluster config
 * (KubeClusterConfig, backends/base.py ClusterConfig), the authenticators (auth.py) and the controller's
 * own app (backends/kubernetes/controller.py KubeController). A section outside this list is silently
 * ignored by traitlets (the old `UserLimits` was), so the tests check every section mlscale renders.
 */
export const GATEWAY_CONFIG_SECTIONS: readonly string[] = [
  'Authenticator', 'Backend', 'ClusterConfig', 'DaskGateway', 'JupyterHubAuthenticator', 'KerberosAuthenticator', 'KubeBackend',
  'KubeBackendAndControllerMixin', 'KubeClusterConfig', 'KubeController', 'SimpleAuthenticator',
];
