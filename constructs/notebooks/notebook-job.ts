import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { ContainerJob, FailurePolicy, ILocalQueue, PodSecurity, Resources, ServiceAccountLike, Workload, WorkloadPodProps, WorkloadProps } from '../core';
import { ObjectStore } from '../storage/object-store';
import * as path from 'path';
import { NOTEBOOK_SOURCE_PATH, NOTEBOOK_WORK_DIR } from './constants';
import { NotebookSource, resolveNotebookSource } from './notebook-source';
import { AWS_CLI_IMAGE, DOWNLOAD_SCRIPT, NotebookParameterValue, UPLOAD_SCRIPT, checkUserEnv, papermillArgs, papermillCommand, runnerEnv, transferEnv } from './papermill';

/** Props of a NotebookJob. */
export interface NotebookJobProps extends FailurePolicy, WorkloadPodProps, WorkloadProps {
  /**
   * Namespace.
   * @default - the object store's namespace
   */
  readonly namespace?: string;
  /** The notebook to run. */
  readonly notebook: NotebookSource;
  /** Runtime image (pinned) with python, papermill and nbconvert (the image contract in papermill.ts; no AWS CLI needed). */
  readonly image: string;
  /**
   * CPU, memory and GPUs.
   * @default { cpu: 1, memory: '2Gi' }
   */
  readonly resources?: Resources;
  /**
   * Values for the notebook's `parameters` cell (strings stay strings; numbers, booleans and lists keep their type).
   * @default - none
   */
  readonly parameters?: Readonly<Record<string, NotebookParameterValue>>;
  /** Where the executed notebook and its HTML export are uploaded. */
  readonly output: ObjectStore;
  /**
   * Key prefix (under the store's prefix) of this job's results; each run writes to `<prefix>/<pod name>/`.
   * @default - `notebooks/<job name>`
   */
  readonly outputPrefix?: string;
  /**
   * Jupyter kernel to run the notebook with.
   * @default - the kernel named in the notebook's metadata
   */
  readonly kernel?: string;
  /**
   * Kueue LocalQueue to submit the job to.
   * @default - not queued
   */
  readonly queue?: ILocalQueue;
  /**
   * Service account of the pod (e.g. one with workload identity for the object store):
   * `ServiceAccountRef.fromName(...)` or a `kplus.ServiceAccount`.
   * @default - the namespace's default service account
   */
  readonly serviceAccount?: ServiceAccountLike;
  /** @default PodSecurity.restricted() */
  readonly podSecurity?: PodSecurity;
}

/**
 * Runs a notebook as a Kubernetes Job with papermill, inside the user's image: typed parameters,
 * CPU/memory/GPU through core, the input notebook from the repository (a ConfigMap), a volume or
 * an object store, and the executed `.ipynb` plus an `.html` export uploaded to object storage
 * under a run-specific prefix (`<outputPrefix>/<pod name>/`) by mlscale's uploader container (the
 * pinned AWS CLI image), after papermill ran as the pod's init container; the uploader exits with
 * papermill's status, so a failed notebook still has its outputs uploaded and fails the Job.
 */
export class NotebookJob extends Workload {
  /** The Job (escape hatch). */
  public readonly apiObject: ApiObject;
  /** The ConfigMap holding the notebook (repository files only). */
  public readonly notebookConfigMap?: ApiObject;
  /** `s3://…` prefix under which each run (pod) writes its results. */
  public readonly outputUri: string;
  /** The underlying ContainerJob. */
  public readonly job: ContainerJob;

  constructor(scope: Construct, id: string, props: NotebookJobProps) {
    // the namespace defaults to the object store's: its credentials Secret is there
    super(scope, id, props, { appName: 'notebook-job', defaultNamespace: props.output.namespace });
    const { problems, name } = this;
    const namespace = this.namespace!;
    const configMapName = `${name}-notebook`;
    const source = resolveNotebookSource(problems, 'notebook', props.notebook, configMapName, namespace);
    const args = papermillArgs(problems, 'parameters', props.parameters ?? {});
    if (props.kernel !== undefined) {
      problems.check(/^[A-Za-z0-9._-]+$/.test(props.kernel), 'kernel', 'is not a valid kernel name', props.kernel, 'a kernel name like "python3"');
    }
    checkUserEnv(problems, 'env', props.env ?? {});
    problems.throwIfAny();

    this.outputUri = props.output.uri(props.outputPrefix ?? `notebooks/${name}`);
    if (source.configMapData) {
      this.notebookConfigMap = new k8s.KubeConfigMap(this, 'Notebook', {
        metadata: { name: configMapName, namespace, labels: this.labels() },
        data: source.configMapData,
      });
    }
    const exitCodeFile = `${NOTEBOOK_WORK_DIR}/exit-code`;
    const work = { name: 'work', mountPath: NOTEBOOK_WORK_DIR };
    const sourceMount = { name: 'source', mountPath: path.posix.dirname(NOTEBOOK_SOURCE_PATH) };
    const transfer = { cpu: 0.1, memory: '256Mi' };
    // three containers, so the user's image needs only papermill and gets no storage credentials:
    // [download (object-store sources)] → papermill (the main one: the user's image, resources and GPUs) → uploader
    const download = source.inputUri ? [{
      name: 'download', image: AWS_CLI_IMAGE, command: ['/bin/sh', '-c', DOWNLOAD_SCRIPT], resources: transfer, volumeMounts: [sourceMount],
      env: transferEnv(source.store!, { inputUri: source.inputUri, notebookPath: NOTEBOOK_SOURCE_PATH }),
    }] : [];
    this.job = new ContainerJob(this, 'Job', {
      ...props,
      name,
      namespace,
      appName: 'notebook-job',
      initContainers: [...download, {
        name: 'papermill',
        image: props.image,
        command: papermillCommand(),
        args: [...(props.kernel ? ['-k', props.kernel] : []), ...args],
        env: { ...(props.env ?? {}), ...runnerEnv({ notebookPath: source.notebookPath, outputName: name, exitCodeFile }) },
        resources: props.resources,
        volumeMounts: [...source.volumeMounts, work, ...(download.length ? [sourceMount] : [])],
      }],
      mainIsInit: true,
      container: {
        name: 'upload',
        image: AWS_CLI_IMAGE,
        command: ['/bin/sh', '-c', UPLOAD_SCRIPT],
        env: transferEnv(props.output, { outputUri: this.outputUri, exitCodeFile }),
        resources: transfer,
        volumeMounts: [work],
      },
      volumes: [...source.volumes, { name: 'work', emptyDir: {} }, ...(download.length ? [{ name: 'source', emptyDir: {} }] : [])],
    });
    this.apiObject = this.job.apiObject;
  }
}
