import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Plain, PodSecurity, Resources, ServiceAccountLike, Workload, WorkloadPodProps, buildPodTemplate, embedded } from '../core';
import type { ISharedVolume } from '../storage/shared-volume';
import type { NotebookSpec } from '../imports/kubeflow-notebooks-kubeflow.org';
import { KUBEFLOW_NOTEBOOK_GVK, KUBEFLOW_NOTEBOOK_PORT } from './constants';

/** Props of a KubeflowNotebook. */
export interface KubeflowNotebookProps extends WorkloadPodProps {
  /**
   * Notebook name (also the container name, as the notebook controller expects).
   * @default - the construct id
   */
  readonly name?: string;
  /** Namespace (a Kubeflow profile namespace). */
  readonly namespace: string;
  /** Pinned notebook server image listening on port 8888 under `$NB_PREFIX` (e.g. a Kubeflow or RAPIDS notebook image). */
  readonly image: string;
  /**
   * CPU, memory and GPUs.
   * @default { cpu: 1, memory: '4Gi' }
   */
  readonly resources?: Resources;
  /**
   * Volume of the home directory (`/home/jovyan`): a `SharedVolume` or `SharedVolume.fromClaimName(...)`.
   * @default - none: the home directory is lost when the server stops
   */
  readonly workspace?: ISharedVolume;
  /**
   * Command of the server (for images that do not honour `$NB_PREFIX` by themselves).
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Arguments of the server.
   * @default - the image's cmd
   */
  readonly args?: readonly string[];
  /**
   * Service account (Kubeflow profiles create `default-editor`: `ServiceAccountRef.fromName('default-editor')`).
   * @default - the namespace's default service account
   */
  readonly serviceAccount?: ServiceAccountLike;
  /** @default PodSecurity.restricted({ runAsGroup: 100, fsGroup: 100 }) (the jovyan user of Jupyter images) */
  readonly podSecurity?: PodSecurity;
}

const HOME = '/home/jovyan';

/**
 * A Kubeflow notebook server (kubeflow.org/v1 Notebook): image, CPU/memory/GPU with GPU placement
 * from the ClusterProfile, a workspace volume, shared volumes, Pod Security `restricted`.
 */
export class KubeflowNotebook extends Workload {
  /** Namespace of the notebook server. */
  declare public readonly namespace: string;
  /**
   * Labels the notebook controller puts on the server's pod: `statefulset` and `notebook-name`, both
   * the Notebook's name (kubeflow/notebooks v1.11.0,
   * components/notebook-controller/controllers/notebook_controller.go, generateStatefulSet). With
   * `namespace` this makes the notebook a client other constructs take, e.g. `DaskCluster`'s
   * `clients: [notebook]` or `TensorBoard`'s.
   */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The Notebook (escape hatch). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: KubeflowNotebookProps) {
    super(scope, id, props, { appName: 'kubeflow-notebook' });
    const { problems, name } = this;
    const mounts = [...(props.workspace ? [props.workspace.mount(HOME)] : []), ...(props.mounts ?? [])];
    const paths = new Set<string>();
    mounts.forEach((m, i) => {
      problems.check(!paths.has(m.volumeMount.mountPath), `mounts[${i}]`, 'mounts a second volume at one path', m.volumeMount.mountPath,
        `a distinct path${props.workspace ? ` (the workspace is mounted at ${HOME})` : ''}`);
      paths.add(m.volumeMount.mountPath);
    });
    const labels = this.labels();
    const built = buildPodTemplate(this, problems, 'pod', {
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      podSecurity: props.podSecurity ?? PodSecurity.restricted({ runAsGroup: 100, fsGroup: 100 }),
      resourceDefaults: { cpu: 1, memory: '4Gi' },
      mounts,
      placement: props.placement,
      priorityFor: 'interactive',
      containers: [{
        name,
        image: props.image,
        command: props.command,
        args: props.args,
        env: props.env,
        resources: props.resources,
        ports: [{ name: 'notebook-port', port: KUBEFLOW_NOTEBOOK_PORT }],
      }],
    });
    problems.throwIfAny();

    this.podLabels = { 'notebook-name': name };
    // the pod spec is buildPodTemplate's (typed with the core bindings)
    const spec: Plain<NotebookSpec> = { template: { spec: embedded((built.json as { spec: unknown }).spec) } };
    this.apiObject = new ApiObject(this, 'Resource', {
      ...KUBEFLOW_NOTEBOOK_GVK,
      metadata: { name, namespace: props.namespace, labels },
      spec,
    });
  }
}
