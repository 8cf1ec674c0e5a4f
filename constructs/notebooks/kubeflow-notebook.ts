import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { EnvValue, PodSecurity, Problems, Resources, buildPodTemplate, checkName, recommendedLabels } from '../core';
import { KUBEFLOW_NOTEBOOK_GVK, KUBEFLOW_NOTEBOOK_PORT } from './constants';

/** A PersistentVolumeClaim mounted into a notebook server. */
export interface NotebookVolume {
  /** Name of an existing PersistentVolumeClaim (e.g. the team's shared NFS volume). */
  readonly claimName: string;
  /** Where it is mounted, e.g. `/home/jovyan/shared`. */
  readonly mountPath: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Props of a KubeflowNotebook. */
export interface KubeflowNotebookProps {
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
   * PersistentVolumeClaim for the home directory (`/home/jovyan`).
   * @default - none: the home directory is lost when the server stops
   */
  readonly workspaceClaim?: string;
  /**
   * More volumes (data, the team's shared volume).
   * @default - none
   */
  readonly volumes?: readonly NotebookVolume[];
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Readonly<Record<string, EnvValue>>;
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
   * Service account (Kubeflow profiles create `default-editor`).
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
  /** @default PodSecurity.restricted({ runAsGroup: 100, fsGroup: 100 }) (the jovyan user of Jupyter images) */
  readonly podSecurity?: PodSecurity;
}

const HOME = '/home/jovyan';

/**
 * A Kubeflow notebook server (kubeflow.org/v1 Notebook): image, CPU/memory/GPU with GPU placement
 * from the ClusterProfile, a workspace volume, shared volumes, Pod Security `restricted`.
 */
export class KubeflowNotebook extends Construct {
  /** Notebook name. */
  public readonly name: string;
  /** Namespace of the notebook server. */
  public readonly namespace: string;
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
    super(scope, id);
    const problems = new Problems(this);
    const name = props.name ?? id;
    checkName(problems, 'name', name);
    checkName(problems, 'namespace', props.namespace);
    const mounts = [
      ...(props.workspaceClaim ? [{ claimName: props.workspaceClaim, mountPath: HOME }] : []),
      ...(props.volumes ?? []),
    ];
    const paths = new Set<string>();
    mounts.forEach((m, i) => {
      checkName(problems, `volumes[${i}].claimName`, m.claimName, 253);
      problems.check(m.mountPath.startsWith('/') && !paths.has(m.mountPath), `volumes[${i}].mountPath`, 'must be an absolute path used once', m.mountPath,
        'a distinct absolute path, e.g. "/home/jovyan/shared"');
      paths.add(m.mountPath);
    });
    const labels = recommendedLabels({ name: 'kubeflow-notebook', instance: name });
    const built = buildPodTemplate(this, problems, 'pod', {
      serviceAccountName: props.serviceAccountName,
      podSecurity: props.podSecurity ?? PodSecurity.restricted({ runAsGroup: 100, fsGroup: 100 }),
      resourceDefaults: { cpu: 1, memory: '4Gi' },
      containers: [{
        name,
        image: props.image,
        command: props.command,
        args: props.args,
        env: props.env,
        resources: props.resources,
        ports: [{ name: 'notebook-port', port: KUBEFLOW_NOTEBOOK_PORT }],
        volumeMounts: mounts.map((m, i) => ({ name: `volume-${i}`, mountPath: m.mountPath, readOnly: m.readOnly })),
      }],
      volumes: mounts.map((m, i) => ({ name: `volume-${i}`, persistentVolumeClaim: { claimName: m.claimName, readOnly: m.readOnly } })),
    });
    problems.throwIfAny();

    this.name = name;
    this.namespace = props.namespace;
    this.podLabels = { 'notebook-name': name };
    this.apiObject = new ApiObject(this, 'Resource', {
      ...KUBEFLOW_NOTEBOOK_GVK,
      metadata: { name, namespace: props.namespace, labels },
      spec: { template: { spec: (built.json as { spec: unknown }).spec } },
    });
  }
}
