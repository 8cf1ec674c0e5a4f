import { ApiObject } from 'cdk8s';
import { Workload } from '../core/workload';
import { Construct } from 'constructs';
import { LABEL_KUEUE_QUEUE } from '../core/constants';
import { checkImage } from '../core/image';
import { checkName } from '../core/names';
import { ILocalQueue, queueLabel } from '../core/queue';
import { PodSecurity } from '../core/security';
import { Resources, WorkloadPodProps, checkMountNamespaces, envList, podMountVolumes, resolveResources } from '../core/pod';
import { mergePlacements } from '../core/placement';
import * as k8s from '../imports/k8s';
import { TrainJob as TrainJobBinding } from '../imports/trainer-trainer.kubeflow.org';
import type { TrainJobSpec, TrainJobSpecRuntimePatches } from '../imports/trainer-trainer.kubeflow.org';
import { Plain, embedded } from '../core/cr-spec';
import { checkReplicas } from './replica';
import { ClusterProfile, GpuPlacement } from '../core/gpu';
import type { PodMount } from '../core/pod';
import type { ResolvedPlacement } from '../core/placement';
import { TORCHRUN } from './constants';
import { TorchDistributedRuntime, TrainingRuntimeRef, checkTorchEnv } from './torch-distributed-runtime';

/** Props of a TrainJob. */
export interface TrainJobProps extends WorkloadPodProps {
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
  /**
   * The runtime: a TorchDistributedRuntime, or a reference to an installed one, e.g.
   * `{ kind: 'ClusterTrainingRuntime', name: 'torch-distributed' }`.
   */
  readonly runtime: TrainingRuntimeRef;
  /**
   * Pinned image of the trainer nodes.
   * @default - the runtime's image
   */
  readonly image?: string;
  /**
   * The training script the nodes run under `torchrun` (command `torchrun <script>`).
   * @default - the runtime's script (required for a runtime without one, such as the chart's `torch-distributed`)
   */
  readonly script?: string;
  /**
   * A full launch command instead of `script`; it must start with `torchrun` (or be torchtune's
   * `tune run`), which reads the torch plugin's PET_* variables.
   * @default - `torchrun <script>`
   */
  readonly command?: readonly string[];
  /** @default - the runtime's args */
  readonly args?: readonly string[];
  /**
   * Training nodes.
   * @default - the runtime's `numNodes`
   */
  readonly numNodes?: number;
  /**
   * Processes per node (torchrun `--nproc-per-node`), usually the GPUs per node.
   * @default - the runtime's (torch: `auto`)
   */
  readonly numProcPerNode?: number;
  /**
   * Resources of each node, overriding the runtime's (whole GPUs only). A GPU type or class other
   * than the runtime's moves the nodes (their node selector and tolerations, as a runtime patch).
   * @default - the runtime's
   */
  readonly resourcesPerNode?: Resources;
  /**
   * Kueue LocalQueue to submit the job to (it is created suspended until admitted).
   * @default - not queued
   */
  readonly queue?: ILocalQueue;
  /**
   * Extra labels of the TrainJob.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Kubeflow Trainer v2 TrainJob (v2.3, `trainer.kubeflow.org/v1alpha1`): a training run that
 * references a (Cluster)TrainingRuntime and overrides its trainer image, command, node count and
 * resources per node. Trainer v2 replaces the v1 job kinds (PyTorchJob, TFJob).
 */
export class TrainJob extends Workload {
  /** The underlying TrainJob (escape hatch). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: TrainJobProps) {
    super(scope, id, props, { appName: 'trainjob' });
    const { problems, name, namespace } = this;
    checkName(problems, 'runtime.name', props.runtime.name, 253);
    if (props.image !== undefined) checkImage(problems, 'image', props.image);
    if (props.numNodes !== undefined) checkReplicas(problems, 'numNodes', props.numNodes);
    if (props.numProcPerNode !== undefined) {
      problems.check(Number.isInteger(props.numProcPerNode) && props.numProcPerNode >= 1 && props.numProcPerNode <= 16, 'numProcPerNode',
        'must be a whole number ≥ 1', props.numProcPerNode, 'an integer from 1 to 16');
    }
    const queue = queueLabel(this, problems, 'queue', props.queue, namespace);
    const r = props.resourcesPerNode ? resolveResources(problems, 'resourcesPerNode', props.resourcesPerNode) : undefined;
    checkTorchEnv(problems, 'env', Object.keys(props.env ?? {}));
    // the torch plugin sets only PET_* variables (Trainer v2.3.0 plugins/torch/torch.go): without torchrun each node trains alone
    const ours = props.runtime instanceof TorchDistributedRuntime ? props.runtime : undefined;
    let command: string[] | undefined;
    if (props.command !== undefined) {
      const c = props.command;
      problems.check(c[0] === TORCHRUN || (c[0] === 'tune' && c[1] === 'run'), 'command', 'does not launch torchrun: every node would train alone (the torch plugin only sets PET_* variables for torchrun)',
        c, `["${TORCHRUN}", "<script>", ...] (or torchtune's ["tune", "run", ...]), or \`script\``);
      problems.check(props.script === undefined, 'script', 'is set together with command', props.script, 'one of script and command');
      command = [...c];
    } else if (props.script !== undefined) {
      problems.check(props.script.trim().length > 0, 'script', 'is empty', props.script, 'the path of the training script in the image');
      command = [TORCHRUN, props.script];
    } else {
      problems.check(ours?.script !== undefined, 'script', 'is required: the runtime launches no training script', undefined,
        'a script (the chart\'s torch-distributed runtime sets no command: manifests/base/runtimes/torch_distributed.yaml), or a runtime with a script');
    }
    // a GPU type or class other than the runtime's: move the nodes (runtimePatches may set nodeSelector and tolerations, trainjob_types.go PodSpecPatch)
    let placement: GpuPlacement | undefined;
    if (r && r.gpus > 0 && (props.resourcesPerNode?.gpuType !== undefined || props.resourcesPerNode?.gpuClass !== undefined || !ours)) {
      const same = ours && ours.resourcesPerNode?.gpuType === props.resourcesPerNode?.gpuType && ours.resourcesPerNode?.gpuClass === props.resourcesPerNode?.gpuClass;
      if (!same) placement = ClusterProfile.of(this).placeGpus(problems, 'resourcesPerNode', r.gpus, r.gpuType, r.gpuClass);
    }
    // trainer.env holds the nodes' variables (the webhook refuses env in a patch of the node container, jobset.go Validate at v2.3.0)
    const env = envList(this, problems, 'env', props.env, namespace);
    // mounts and placement reach the nodes as runtime patches: PodSpecPatch has volumes, nodeSelector and tolerations, and
    // ContainerPatch volumeMounts (v2.3.0 pkg/apis/trainer/v1alpha1/trainjob_types.go)
    const mounts = props.mounts ?? [];
    checkMountNamespaces(problems, 'mounts', mounts, namespace);
    // the patch's tolerations replace the runtime's (Toleration has no patch-merge key, so SMP replaces the
    // list: trainingruntime.go mergeRuntimePatches at v2.3.0): with mlscale's own runtime, start from its
    // placement (GPU class included) so a placement adds to it and a selector against it is reported
    const runtimeSpec = ours && !placement ? (ours.pod.template.spec as { nodeSelector?: Record<string, string>; tolerations?: any[] }) : undefined;
    const base = placement ?? (runtimeSpec ? { nodeSelector: runtimeSpec.nodeSelector ?? {}, tolerations: runtimeSpec.tolerations ?? [] } : undefined);
    const placed = props.placement || placement ? mergePlacements(problems, 'placement', [base, props.placement?.resolve(this, problems, 'placement')]) : undefined;
    problems.throwIfAny();

    let resourcesPerNode: Record<string, unknown> | undefined;
    if (r) {
      const q: Record<string, k8s.Quantity> = { cpu: k8s.Quantity.fromString(r.cpu), memory: k8s.Quantity.fromString(r.memory) };
      const limits: Record<string, k8s.Quantity> = { cpu: k8s.Quantity.fromString(r.cpuLimit), memory: k8s.Quantity.fromString(r.memoryLimit) };
      if (r.gpus > 0) {
        q['nvidia.com/gpu'] = k8s.Quantity.fromNumber(r.gpus);
        limits['nvidia.com/gpu'] = k8s.Quantity.fromNumber(r.gpus);
      }
      resourcesPerNode = k8s.toJson_ResourceRequirements({ requests: q, limits });
    }
    const spec: Plain<TrainJobSpec> = {
      runtimeRef: { apiGroup: 'trainer.kubeflow.org', kind: props.runtime.kind, name: props.runtime.name },
      trainer: {
        image: props.image,
        command,
        args: props.args ? [...props.args] : undefined,
        env: env ? embedded(env.map((e) => k8s.toJson_EnvVar(e))) : undefined, // built by envList (k8s bindings)
        numNodes: props.numNodes,
        numProcPerNode: props.numProcPerNode,
        resourcesPerNode,
      },
      suspend: queue ? true : undefined,
      runtimePatches: runtimePatchesOf(props.runtime, placed, mounts),
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      ...TrainJobBinding.GVK,
      metadata: {
        name,
        namespace,
        labels: { ...this.labels(), ...(props.labels ?? {}), ...(queue ? { [LABEL_KUEUE_QUEUE]: queue } : {}) },
      },
      spec,
    });
  }
}

/** Field manager of mlscale's TrainJob runtime patches (a domain-prefixed path, as Trainer requires). */
export const TRAINJOB_PATCH_MANAGER = 'mlscale.io/train-job';
/** The trainer replicated job and container of the upstream runtimes (charts/kubeflow-trainer v2.3.0 files/runtimes/*). */
const UPSTREAM_TRAINER_NODE = 'node';

/**
 * A runtime mlscale did not build (e.g. the chart's `torch-distributed`) sets no security context,
 * so its pods are rejected in `restricted` namespaces: patch the trainer node pods to `restricted`
 * (TrainJob `runtimePatches`, strategic-merged onto the JobSet by Trainer v2.3.0
 * pkg/runtime/core/trainingruntime.go; only containers the runtime has may be patched: `node`).
 * mlscale's own TorchDistributedRuntime is restricted already and gets no patch.
 */
function runtimePatchesOf(runtime: TrainingRuntimeRef, placement: ResolvedPlacement | undefined, mounts: readonly PodMount[]): Array<Plain<TrainJobSpecRuntimePatches>> | undefined {
  const ours = runtime instanceof TorchDistributedRuntime;
  if (ours && !placement && mounts.length === 0) return undefined;
  const security = PodSecurity.restricted();
  const node: Record<string, unknown> = {
    name: UPSTREAM_TRAINER_NODE,
    ...(ours ? {} : { securityContext: security.containerSecurityContext() }),
    ...(mounts.length ? { volumeMounts: mounts.map((m) => k8s.toJson_VolumeMount(m.volumeMount)) } : {}),
  };
  const podPatch: Record<string, unknown> = {
    ...(ours ? {} : { securityContext: security.podSecurityContext() }),
    ...(mounts.length ? { volumes: podMountVolumes(mounts).map((v) => k8s.toJson_Volume(v)) } : {}),
    ...(Object.keys(node).length > 1 ? { containers: [node] } : {}),
    ...(placement && Object.keys(placement.nodeSelector).length ? { nodeSelector: { ...placement.nodeSelector } } : {}),
    ...(placement && placement.tolerations.length ? { tolerations: placement.tolerations.map((t) => ({ ...t })) } : {}),
  };
  return [{
    manager: TRAINJOB_PATCH_MANAGER,
    trainingRuntimeSpec: {
      template: {
        spec: {
          replicatedJobs: [{
            name: UPSTREAM_TRAINER_NODE,
            template: {
              spec: {
                template: {
                  spec: podPatch,
                },
              },
            },
          }],
        },
      },
    },
  }];
}
