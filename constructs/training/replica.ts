import { Chart, Duration } from 'cdk8s';
import { Flows } from '../cluster/flows';
import { Construct, IConstruct } from 'constructs';
import { LABEL_COMPONENT, LABEL_KUEUE_QUEUE } from '../core/constants';
import { resolveFailurePolicy } from '../core/container-job';
import { Problems } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { checkName, isIpv4Cidr } from '../core/names';
import { IPriorityClass, priorityClassName } from '../core/priority';
import { ILocalQueue, queueLabel } from '../core/queue';
import { BuiltPodTemplate, ContainerOptions, EnvValue, PodTemplateOptions, Resources, WorkloadPodProps, buildPodTemplate, k8sObject } from '../core/pod';
import * as k8s from '../imports/k8s';
import type { PyTorchJobSpecPytorchReplicaSpecs, PyTorchJobSpecRunPolicy } from '../imports/training-operator-kubeflow.org';
import { Plain, embedded } from '../core/cr-spec';
import { MAX_REPLICAS } from './constants';

/** How the training-operator restarts the pods of one replica type. */
export type ReplicaRestartPolicy = 'OnFailure' | 'Never' | 'Always' | 'ExitCode';

/** One replica type (Master, Worker, Chief, PS...) of a training job. */
export interface ReplicaOptions {
  /**
   * Number of pods of this type.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Image of this replica type.
   * @default - the job's `image`
   */
  readonly image?: string;
  /** @default - the job's `command` */
  readonly command?: readonly string[];
  /** @default - the job's `args` */
  readonly args?: readonly string[];
  /**
   * Extra environment, merged over the job's `env`.
   * @default - the job's `env` only
   */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /**
   * Resources of each pod (GPUs: whole numbers, with a GPU type unless the ClusterProfile has one class).
   * The memory limit equals the request, so an OOM kills this pod only.
   * @default - the job's `resources`
   */
  readonly resources?: Resources;
  /**
   * Restart policy of this replica type (`ExitCode`: restart on retryable exit codes 128+ only).
   * @default 'OnFailure'
   */
  readonly restartPolicy?: ReplicaRestartPolicy;
}

/** Failure handling of a kubeflow.org/v1 training job (`spec.runPolicy`). */
export interface RunPolicyOptions {
  /**
   * Restarts of the whole job before it is marked failed.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Wall-clock limit of the job.
   * @default Duration.hours(24)
   */
  readonly activeDeadline?: Duration;
  /**
   * How long a finished job is kept. Unset by default, like ContainerJob: Argo CD self-heal
   * re-creates (and so re-runs) a job its TTL deleted; without a TTL the job stays until it is
   * removed from git.
   * @default - no TTL
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * Which pods to delete when the job finishes: `Running` deletes pods still running (e.g.
   * parameter servers, which never exit) and keeps finished pods and their logs.
   * @default 'Running'
   */
  readonly cleanPodPolicy?: 'None' | 'Running' | 'All';
}

/** Props shared by PyTorchJob and TfJob. */
export interface TrainingJobProps extends RunPolicyOptions, WorkloadPodProps {
  /**
   * Job name (DNS label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Pinned image of every replica (a replica type may override it). */
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's cmd */
  readonly args?: readonly string[];
  /**
   * Default resources of every replica type.
   * @default { cpu: 1, memory: '2Gi' }
   */
  readonly resources?: Resources;
  /**
   * Kueue LocalQueue to submit the job to (it is created suspended until admitted).
   * @default - not queued
   */
  readonly queue?: ILocalQueue;
  /**
   * PriorityClass of every pod (Kueue orders the queued job by it too).
   * @default - the batch class of the app's PriorityClasses (`mlscale-batch`) when the app has them, else none
   */
  readonly priorityClass?: IPriorityClass;
  /**
   * Connections the job's pods open outside the cluster (e.g. a dataset download): each becomes an
   * egress rule for the job's pods (their namespace denies egress by default) and a declared flow.
   * @default - none
   */
  readonly egress?: readonly JobEgress[];
  /**
   * Annotations of every pod, e.g. `{ 'sidecar.istio.io/inject': 'false' }`.
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Extra labels of the job and of every pod.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Hyperparameters, written as JSON into a ConfigMap `<name>-hyperparameters` that is mounted
   * read-only into every replica; the env var `MLSCALE_HYPERPARAMETERS` holds the file's path.
   * @default - none
   */
  readonly hyperparameters?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Pod options of every replica (service account, security, shared memory, extra volumes...).
   * @default - mlscale's defaults (restricted, no token, /dev/shm on GPU pods)
   */
  readonly pod?: Omit<PodTemplateOptions, 'containers' | 'restartPolicy' | 'labels' | 'annotations'>;
}

/** A replica type to build: its key in the CRD, the props field it came from, its options. */
export interface ReplicaInput {
  readonly type: string;
  readonly field: string;
  readonly options: ReplicaOptions;
  /** Exact replica count the operator accepts, if fixed (Master, Chief: 1). */
  readonly exactly?: number;
}

/** What buildTrainingJob returns: the job's metadata and spec JSON, and each built pod. */
export interface BuiltTrainingJob {
  readonly name: string;
  readonly metadata: Record<string, unknown>;
  /** Replica specs by type (the PyTorchJob binding's shape; TFJob's is the same). */
  readonly replicaSpecs: Record<string, Plain<PyTorchJobSpecPytorchReplicaSpecs>>;
  readonly runPolicy: Plain<PyTorchJobSpecRunPolicy>;
  readonly pods: Readonly<Record<string, BuiltPodTemplate>>;
  readonly replicas: Readonly<Record<string, number>>;
  /** The hyperparameters ConfigMap to create, if any (see createHyperparameters). */
  readonly hyperparameters?: k8s.KubeConfigMapProps;
}

/** Checks a replica count: a whole number from 1 to MAX_REPLICAS (or exactly `exactly`). */
export function checkReplicas(problems: Problems, field: string, replicas: number, exactly?: number): void {
  if (exactly !== undefined) {
    problems.check(replicas === exactly, field, `must be ${exactly}`, replicas, `exactly ${exactly}`);
  } else {
    problems.check(Number.isInteger(replicas) && replicas >= 1 && replicas <= MAX_REPLICAS, field, 'must be a whole number ≥ 1', replicas,
      `an integer from 1 to ${MAX_REPLICAS}`);
  }
}

/**
 * Validates and builds a kubeflow.org/v1 training job (replica specs + runPolicy). Every
 * replica type gets a pod from buildPodTemplate, with the container named `container`.
 */
export function buildTrainingJob(scope: IConstruct, problems: Problems, id: string, kind: string, container: string,
  props: TrainingJobProps, replicas: readonly ReplicaInput[]): BuiltTrainingJob {
  const name = props.name ?? id;
  checkName(problems, 'name', name);
  const failure = resolveFailurePolicy(problems, '', props);
  const queue = queueLabel(scope, problems, 'queue', props.queue, props.namespace ?? Chart.of(scope).namespace);
  // the job's class is checked once, under its own field (each replica's pod then carries it)
  const priorityClass = priorityClassName(scope, problems, 'priorityClass', props.priorityClass) !== undefined ? props.priorityClass : undefined;
  const labels = { ...recommendedLabels({ name: kind, instance: name }), ...(props.labels ?? {}) };
  const mounts = props.mounts ?? [];
  const hp = hyperparameters(name, props);
  const replicaSpecs: Record<string, Plain<PyTorchJobSpecPytorchReplicaSpecs>> = {};
  const pods: Record<string, BuiltPodTemplate> = {};
  const counts: Record<string, number> = {};
  for (const r of replicas) {
    const count = r.options.replicas ?? 1;
    checkReplicas(problems, `${r.field}.replicas`, count, r.exactly);
    const main: ContainerOptions = {
      name: container,
      image: r.options.image ?? props.image,
      command: r.options.command ?? props.command,
      args: r.options.args ?? props.args,
      env: props.env || r.options.env || hp ? { ...(props.env ?? {}), ...(r.options.env ?? {}), ...(hp?.env ?? {}) } : undefined,
      resources: r.options.resources ?? props.resources,
      volumeMounts: hp ? [hp.volumeMount] : undefined,
    };
    const pod = buildPodTemplate(scope, problems, r.field, {
      // training code needs /dev/shm on CPU pods too (DataLoader workers)
      sharedMemoryFor: 'always',
      ...(props.pod ?? {}),
      namespace: props.namespace,
      mounts: [...mounts, ...(props.pod?.mounts ?? [])],
      placement: props.placement ?? props.pod?.placement,
      volumes: [...(hp ? [hp.volume] : []), ...(props.pod?.volumes ?? [])],
      priorityClass: priorityClass ?? props.pod?.priorityClass,
      priorityFor: 'batch',
      labels: { ...labels, [LABEL_COMPONENT]: r.type.toLowerCase() },
      annotations: props.podAnnotations,
      containers: [main],
    });
    pods[r.type] = pod;
    counts[r.type] = count;
    // the template is buildPodTemplate's (typed with the core bindings)
    replicaSpecs[r.type] = { replicas: count, restartPolicy: r.options.restartPolicy ?? 'OnFailure', template: embedded(pod.json) };
  }
  const runPolicy: Plain<PyTorchJobSpecRunPolicy> = {
    cleanPodPolicy: props.cleanPodPolicy ?? 'Running',
    backoffLimit: failure.backoffLimit,
    activeDeadlineSeconds: failure.activeDeadlineSeconds,
    ...(failure.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: failure.ttlSecondsAfterFinished } : {}),
    ...(queue ? { suspend: true } : {}),
  };
  const metadata: Record<string, unknown> = {
    name,
    labels: { ...labels, ...(queue ? { [LABEL_KUEUE_QUEUE]: queue } : {}) },
  };
  if (props.namespace) metadata.namespace = props.namespace;
  return { name, metadata, replicaSpecs, runPolicy, pods, replicas: counts, hyperparameters: hp?.configMap };
}

/** Where the hyperparameters file is mounted. */
export const HYPERPARAMETERS_DIR = '/etc/mlscale/hyperparameters';
/** The hyperparameters file's name. */
export const HYPERPARAMETERS_FILE = 'hyperparameters.json';

/** The ConfigMap, volume, mount and env of a job's hyperparameters file (keys sorted: stable output). */
function hyperparameters(name: string, props: TrainingJobProps) {
  if (!props.hyperparameters) return undefined;
  const configMapName = `${name}-hyperparameters`;
  const values = Object.fromEntries(Object.keys(props.hyperparameters).sort().map((k) => [k, props.hyperparameters![k]]));
  return {
    configMap: { metadata: { name: configMapName, namespace: props.namespace }, data: { [HYPERPARAMETERS_FILE]: `${JSON.stringify(values, undefined, 2)}\n` } },
    volume: { name: 'hyperparameters', configMap: { name: configMapName } } as k8s.Volume,
    volumeMount: { name: 'hyperparameters', mountPath: HYPERPARAMETERS_DIR, readOnly: true } as k8s.VolumeMount,
    env: { MLSCALE_HYPERPARAMETERS: `${HYPERPARAMETERS_DIR}/${HYPERPARAMETERS_FILE}` },
  };
}

/** Creates the hyperparameters ConfigMap of a built job (after validation), if it has one. */
export function createHyperparameters(scope: Construct, built: BuiltTrainingJob): void {
  if (built.hyperparameters) new k8s.KubeConfigMap(scope, 'Hyperparameters', built.hyperparameters);
}

/** A connection a job opens outside the cluster. */
export interface JobEgress {
  /** IPv4 address block (`0.0.0.0/0` for anywhere, when the host's addresses are not fixed). */
  readonly cidr: string;
  /** TCP port. */
  readonly port: number;
  /** What it is for (reported in flows.md). */
  readonly why: string;
}


/**
 * The egress policy of a training job's pods (selected by the operator's
 * `training.kubeflow.org/job-name` label, kubeflow/trainer v1.9.4 common/pod.go) and its flows.
 */
export function jobEgress(scope: Construct, problems: Problems, job: string, namespace: string | undefined, egress: readonly JobEgress[] | undefined): void {
  if (!egress || egress.length === 0) return;
  egress.forEach((e, i) => {
    problems.check(isIpv4Cidr(e.cidr), `egress[${i}].cidr`, 'is not an IPv4 CIDR', e.cidr, 'e.g. "0.0.0.0/0" or "203.0.113.0/24"');
    problems.check(Number.isInteger(e.port) && e.port >= 1 && e.port <= 65535, `egress[${i}].port`, 'is not a port', e.port, 'an integer from 1 to 65535');
    problems.check(typeof e.why === 'string' && e.why.trim() !== '', `egress[${i}].why`, 'must say what the connection is for', e.why, 'a non-empty reason');
  });
  problems.throwIfAny();
  const labels = { 'training.kubeflow.org/job-name': job };
  k8sObject(scope, 'EgressPolicy', k8s.KubeNetworkPolicy, {
    metadata: { name: `${job}-egress`, namespace, labels: recommendedLabels({ name: 'training-job', instance: job }) },
    spec: {
      podSelector: { matchLabels: labels }, policyTypes: ['Egress'],
      egress: egress.map((e) => ({ to: [{ ipBlock: { cidr: e.cidr } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(e.port) }] })),
    },
  });
  const ns = namespace ?? Chart.of(scope).namespace ?? 'default';
  for (const e of egress) Flows.declare(scope, { from: { namespace: ns, labels, name: `job ${job}` }, to: { cidr: e.cidr, name: 'outside the cluster' }, port: e.port, why: e.why });
}
