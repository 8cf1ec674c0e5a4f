/**
 * Notebook examples (charts `notebooks-*`, namespace team-a): a notebook run as a remote GPU job,
 * a Kubeflow notebook server with a GPU (RAPIDS), and the JupyterHub CPU/GPU profiles.
 */
import { Chart, Duration } from 'cdk8s';
import { DaskGateway, GCS_S3_ENDPOINT, JupyterHubValues, KubeflowNotebook, MlscaleApp, NotebookJob, NotebookSource, ObjectStore, SecretRef, SharedVolume } from '../../constructs';
import { ARTIFACT_BUCKET } from './platform';
import type { PlatformTeams } from './teams';

/** Namespace of the examples. */
const NAMESPACE = 'team-a';
/** The team's shared RWX volume (NFS). */
export const TEAM_A_SHARED_CLAIM = 'team-a-shared';
/**
 * The hub's shared volume. JupyterHub's servers run in the hub's namespace, and a claim can only be
 * mounted in its own namespace, so they cannot mount team-a's claim: the hub gets its own.
 */
export const JUPYTERHUB_SHARED_CLAIM = 'jupyterhub-shared';
/** Namespace of the jupyterhub add-on (its servers run there). */
const JUPYTERHUB_NAMESPACE = 'jupyterhub';
/**
 * The team's object store: the GKE stack's artifact bucket through the S3-compatible API of Cloud
 * Storage, under the team's prefix, with the HMAC key of the bucket's service account in a Secret
 * (`gcloud storage hmac create <teamArtifactServiceAccount('team-a')>`; listed in externals.json); the
 * key reaches only `team-a/` of the bucket (the stack's IAM condition).
 */
export const TEAM_A_OBJECT_STORE = { namespace: 'team-a', endpoint: GCS_S3_ENDPOINT, bucket: ARTIFACT_BUCKET, prefix: 'team-a', credentials: { secret: SecretRef.fromName('team-a-gcs-hmac') } } as const;

/** Adds the notebook example charts. */
export function addNotebooks(app: MlscaleApp, daskGateway: DaskGateway, teams: PlatformTeams): JupyterHubValues {
  const jobs = new Chart(app, 'notebooks-jobs');
  const results = new ObjectStore(jobs, 'notebook-results', TEAM_A_OBJECT_STORE);
  new NotebookJob(jobs, 'train-gpu', {
    notebook: NotebookSource.fromFile('examples/apps/notebooks/train-gpu.ipynb'),
    image: 'ghcr.io/acme/papermill-pytorch:2.5.1-cuda12.4',
    resources: { cpu: 4, memory: '16Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
    parameters: { epochs: 20, learning_rate: 0.0005, layers: [512, 256], run_name: 'nightly "wide" model', use_amp: true },
    output: results,
    backoffLimit: 1,
    activeDeadline: Duration.hours(4),
  });

  const jupyter = new Chart(app, 'notebooks-jupyter');
  new KubeflowNotebook(jupyter, 'rapids', {
    namespace: NAMESPACE,
    image: 'nvcr.io/nvidia/rapidsai/notebooks:25.02-cuda12.8-py3.12',
    resources: { cpu: 4, memory: '32Gi', gpus: 1, gpuType: 'nvidia-l4' },
    mounts: [teams.teamAShared.mount('/home/jovyan/shared')],
    // the RAPIDS image does not read $NB_PREFIX by itself: serve JupyterLab under the controller's prefix
    command: ['jupyter', 'lab'],
    args: ['--ip=0.0.0.0', '--port=8888', '--no-browser', '--ServerApp.base_url=$(NB_PREFIX)', '--ServerApp.token=', '--ServerApp.allow_origin=*'],
  });
  const hubShared = new SharedVolume(jupyter, 'jupyterhub-shared', { name: JUPYTERHUB_SHARED_CLAIM, namespace: JUPYTERHUB_NAMESPACE, size: '500Gi' });
  return new JupyterHubValues(jupyter, 'jupyterhub', {
    profiles: [
      // the platform team's notebook images, on the gateway clusters' dask and dask-gateway (the client must match)
      {
        displayName: 'CPU · 2 cores · 8 GiB', image: 'ghcr.io/acme/notebook-dask:2026.3.0-1', contents: { dask: '2026.3.0', daskGateway: '2026.3.0' },
        resources: { cpu: 2, memory: '8Gi' }, default: true,
      },
      {
        displayName: 'GPU · NVIDIA L4 · 8 cores · 32 GiB',
        description: 'PyTorch with CUDA on one L4 GPU; the node scales up from zero (a few minutes)',
        image: 'ghcr.io/acme/notebook-dask-pytorch:2026.3.0-cuda12.8', contents: { dask: '2026.3.0', daskGateway: '2026.3.0', cuda: true },
        // team-a's: team-b has no L4 quota (and the gateway gives its members no GPU workers)
        groups: ['team-a'],
        resources: { cpu: 8, memory: '32Gi', gpus: 1, gpuType: 'nvidia-l4' },
      },
    ],
    sharedVolume: hubShared.mount('/home/jovyan/shared'),
    daskGateway: { address: daskGateway.address, proxyAddress: daskGateway.schedulerProxyAddress, proxyPodLabels: daskGateway.proxyPodLabels, serviceName: daskGateway.jupyterHubServiceName, publicAddress: daskGateway.publicAddress, dashboardService: daskGateway.dashboardService, daskVersion: daskGateway.daskVersion },
    objectStores: [results],
  });
}
