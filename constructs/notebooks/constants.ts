/** Paths, names and limits of the notebook runner (one place, no magic strings). */

/** Where the input notebook ConfigMap is mounted. */
export const NOTEBOOK_INPUT_DIR = '/mlscale/input';
/** Key of the notebook inside its ConfigMap. */
export const NOTEBOOK_CONFIGMAP_KEY = 'notebook.ipynb';
/** Where a notebook's PersistentVolumeClaim is mounted (read-only). */
export const NOTEBOOK_VOLUME_DIR = '/mlscale/volume';
/** Where a notebook from object storage is placed (NotebookJob: a download container; pipeline steps: an Argo input artifact). */
export const NOTEBOOK_SOURCE_PATH = '/mlscale/source/notebook.ipynb';
/** Scratch space of the runner (emptyDir): the executed notebook and HTML export (`out/`). */
export const NOTEBOOK_WORK_DIR = '/mlscale/work';
/** Where a pipeline notebook step receives its input artifacts. */
export const NOTEBOOK_INPUTS_DIR = '/mlscale/inputs';
/** Where a pipeline notebook step writes its outputs. */
export const NOTEBOOK_OUTPUTS_DIR = '/mlscale/outputs';
/** Largest ConfigMap Kubernetes accepts (data + binaryData), bytes. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;
/** Environment variable names the runner reads; users cannot set them. */
export const RUNNER_ENV_PREFIXES = ['MLSCALE_', 'AWS_'] as const;

/** kubeflow.org/v1 Notebook (as `Notebook.GVK` in imports/kubeflow-notebooks-kubeflow.org.ts; kept here to avoid loading the 1.3 MB binding). */
export const KUBEFLOW_NOTEBOOK_GVK = { apiVersion: 'kubeflow.org/v1', kind: 'Notebook' } as const;
/** Port the Kubeflow notebook controller routes to. */
export const KUBEFLOW_NOTEBOOK_PORT = 8888;
