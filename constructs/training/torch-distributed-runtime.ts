import { ApiObject } from 'cdk8s';
import { Workload } from '../core/workload';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import { BuiltPodTemplate, PodTemplateOptions, Resources, WorkloadPodProps, buildPodTemplate } from '../core/pod';
import { IPriorityClass } from '../core/priority';
import { ClusterTrainingRuntime, TrainingRuntime } from '../imports/trainer-trainer.kubeflow.org';
import type { TrainingRuntimeSpec } from '../imports/trainer-trainer.kubeflow.org';
import { Plain, embedded } from '../core/cr-spec';
import { LABEL_TRAINER_ANCESTOR, LABEL_TRAINER_FRAMEWORK, TORCHRUN, TORCH_PLUGIN_ENV, TRAINER_NODE_CONTAINER } from './constants';

/** The torch plugin owns the PET_* variables (the TrainJob webhook rejects them, torch.go Validate). */
export function checkTorchEnv(problems: Problems, field: string, names: readonly string[]): void {
  for (const n of names) {
    problems.check(!TORCH_PLUGIN_ENV.includes(n), `${field}.${n}`, 'is set by Trainer\'s torch plugin (and rejected by its webhook in a TrainJob)', n, `no ${TORCH_PLUGIN_ENV.join(', ')}`);
  }
}
import { checkReplicas } from './replica';

/** Props of a TorchDistributedRuntime. */
export interface TorchDistributedRuntimeProps extends WorkloadPodProps {
  /**
   * Runtime name (TrainJobs reference it).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of a namespaced TrainingRuntime (ignored when `clusterWide`).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * A ClusterTrainingRuntime, usable from every namespace, instead of a namespaced TrainingRuntime.
   * @default false
   */
  readonly clusterWide?: boolean;
  /** Pinned PyTorch image of the trainer nodes (a TrainJob may override it). */
  readonly image: string;
  /**
   * The training script every node runs under `torchrun` (command `torchrun <script>`): torchrun
   * takes world size, rank and master from the PET_* variables Trainer's torch plugin sets. A
   * TrainJob may give its own.
   * @default - none: each TrainJob gives its `script`
   */
  readonly script?: string;
  /** Arguments of the script. @default - none */
  readonly args?: readonly string[];
  /**
   * Training nodes (pods; torchrun `--nnodes`); a TrainJob may override it.
   * @default 1
   */
  readonly numNodes?: number;
  /**
   * Resources of each node: `gpus` is the GPUs per node (whole numbers), `gpuType` places the
   * nodes (required unless the ClusterProfile has one GPU class).
   * @default { cpu: 1, memory: '2Gi' }
   */
  readonly resourcesPerNode?: Resources;
  /**
   * Restarts of the whole gang (JobSet `failurePolicy.maxRestarts`) after a node failed; a failed
   * pod is never retried alone (Job backoffLimit 0), since torch distributed needs every rank.
   * @default 2
   */
  readonly maxRestarts?: number;
  /**
   * Pod annotations of every node.
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Pod options (service account, security, shared memory...).
   * @default - mlscale's defaults (restricted, no token, /dev/shm on every node)
   */
  readonly pod?: Omit<PodTemplateOptions, 'containers' | 'restartPolicy' | 'labels' | 'annotations'>;
  /**
   * PriorityClass of the trainer nodes (Kueue orders queued TrainJobs of this runtime by it too).
   * @default - the batch class of the app's PriorityClasses (`mlscale-batch`) when the app has them, else none
   */
  readonly priorityClass?: IPriorityClass;
}

/** How a TrainJob references a runtime. */
export interface TrainingRuntimeRef {
  readonly name: string;
  readonly kind: 'ClusterTrainingRuntime' | 'TrainingRuntime';
}

/**
 * A Kubeflow Trainer v2 (v2.3, `trainer.kubeflow.org/v1alpha1`) torch distributed runtime: a
 * TrainingRuntime (or ClusterTrainingRuntime) with the `torch` ML policy and one JobSet
 * replicated job `node` (the trainer ancestor, container `node`) built with mlscale's pod
 * defaults: pinned image, requests = limits, Pod Security `restricted`, GPU placement and
 * /dev/shm from the ClusterProfile. TrainJobs reference it with `runtime: this`.
 */
export class TorchDistributedRuntime extends Workload implements TrainingRuntimeRef {
  /** The runtime's kind. */
  public readonly kind: 'ClusterTrainingRuntime' | 'TrainingRuntime';
  /** The underlying runtime object (escape hatch). */
  public readonly apiObject: ApiObject;
  /** The pod template of the trainer nodes. */
  public readonly pod: BuiltPodTemplate;
  /** The script the nodes run under torchrun, if the runtime names one. */
  public readonly script?: string;
  /** The nodes' resources (a TrainJob's GPU placement is compared with them). */
  public readonly resourcesPerNode?: Resources;

  constructor(scope: Construct, id: string, props: TorchDistributedRuntimeProps) {
    // a ClusterTrainingRuntime has no namespace (its pods run in each TrainJob's)
    super(scope, id, props.clusterWide ? { name: props.name } : props, { appName: 'torch-distributed-runtime' });
    const { problems, name } = this;
    const namespace = props.clusterWide ? undefined : this.namespace;
    if (props.clusterWide) {
      // its pods run in each TrainJob's namespace: a Secret, ConfigMap, ServiceAccount or claim of one
      // namespace cannot be named here (a TrainJob takes env and mounts of its own)
      const why = 'a ClusterTrainingRuntime\'s pods run in the namespace of each TrainJob';
      for (const [k, v] of Object.entries(props.env ?? {})) {
        problems.check(typeof v !== 'object' || !('secret' in v || 'configMap' in v), `env.${k}`, `reads a Secret or ConfigMap, but ${why}`, k,
          'the value in the TrainJob\'s env, or a namespaced runtime (clusterWide: false)');
      }
      for (const [field, given] of [['mounts', (props.mounts?.length ?? 0) + (props.pod?.mounts?.length ?? 0) > 0], ['pod.serviceAccount', props.pod?.serviceAccount !== undefined],
        ['pod.imagePullSecrets', (props.pod?.imagePullSecrets?.length ?? 0) > 0]] as const) {
        problems.check(!given, field, `names objects of one namespace, but ${why}`, field, 'mounts in the TrainJob, or a namespaced runtime (clusterWide: false)');
      }
      problems.throwIfAny();
    }
    const numNodes = props.numNodes ?? 1;
    checkReplicas(problems, 'numNodes', numNodes);
    const maxRestarts = props.maxRestarts ?? 2;
    problems.check(Number.isInteger(maxRestarts) && maxRestarts >= 0 && maxRestarts <= 100, 'maxRestarts', 'is out of range', maxRestarts, 'an integer from 0 to 100');
    const mounts = props.mounts ?? [];
    const labels = this.labels();
    this.pod = buildPodTemplate(this, problems, 'node', {
      // training code needs /dev/shm on CPU nodes too (DataLoader workers)
      sharedMemoryFor: 'always',
      ...(props.pod ?? {}),
      namespace,
      mounts: [...mounts, ...(props.pod?.mounts ?? [])],
      placement: props.placement ?? props.pod?.placement,
      restartPolicy: 'Never',
      priorityClass: props.priorityClass ?? props.pod?.priorityClass,
      priorityFor: 'batch',
      annotations: props.podAnnotations,
      containers: [{
        name: TRAINER_NODE_CONTAINER, image: props.image, command: props.script ? [TORCHRUN, props.script] : undefined, args: props.args, env: props.env,
        resources: props.resourcesPerNode,
      }],
    });
    if (props.script !== undefined) problems.check(props.script.trim().length > 0, 'script', 'is empty', props.script, 'the path of the training script in the image');
    checkTorchEnv(problems, 'env', Object.keys(props.env ?? {}));
    problems.throwIfAny();

    this.script = props.script;
    this.resourcesPerNode = props.resourcesPerNode;
    this.kind = props.clusterWide ? 'ClusterTrainingRuntime' : 'TrainingRuntime';
    const gvk = props.clusterWide ? ClusterTrainingRuntime.GVK : TrainingRuntime.GVK;
    // a ClusterTrainingRuntime has the same spec type; the node pod template is buildPodTemplate's
    const spec: Plain<TrainingRuntimeSpec> = {
      mlPolicy: { numNodes, torch: {} },
      template: {
        spec: {
          failurePolicy: { maxRestarts },
          replicatedJobs: [{
            name: TRAINER_NODE_CONTAINER,
            replicas: 1,
            template: {
              metadata: { labels: { [LABEL_TRAINER_ANCESTOR]: 'trainer' } },
              spec: { backoffLimit: 0, template: embedded(this.pod.json) },
            },
          }],
        },
      },
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      ...gvk,
      metadata: {
        name,
        ...(namespace ? { namespace } : {}),
        labels: { ...labels, [LABEL_TRAINER_FRAMEWORK]: 'torch' },
      },
      spec,
    });
  }
}
