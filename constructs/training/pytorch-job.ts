import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Problems } from '../core/errors';
import { BuiltPodTemplate } from '../core/pod';
import { PyTorchJob as PyTorchJobBinding } from '../imports/training-operator-kubeflow.org';
import type { PyTorchJobSpec } from '../imports/training-operator-kubeflow.org';
import type { Plain } from '../core/cr-spec';
import { PYTORCH_CONTAINER } from './constants';
import { BuiltTrainingJob, ReplicaInput, ReplicaOptions, TrainingJobProps, buildTrainingJob, createHyperparameters, jobEgress } from './replica';

/** Props of a PyTorchJob. */
export interface PyTorchJobProps extends TrainingJobProps {
  /**
   * The Master replica (rank 0; always exactly one pod).
   * @default - one pod with the job's image, args and resources
   */
  readonly master?: ReplicaOptions;
  /**
   * The Worker replicas. Leave unset for a single-pod job.
   * @default - no workers
   */
  readonly worker?: ReplicaOptions;
  /**
   * Processes per pod (torchrun `--nproc-per-node`): a number, `gpu` (one per GPU) or `auto`.
   * @default - the operator's default (`auto`)
   */
  readonly nprocPerNode?: number | 'gpu' | 'auto' | 'cpu';
}

/** A PyTorchJob manifest (apiVersion, kind, metadata, spec) and its pods, built without a construct. */
export interface PyTorchJobManifest {
  readonly name: string;
  readonly manifest: { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> };
  readonly pods: Readonly<Record<string, BuiltPodTemplate>>;
  readonly replicas: Readonly<Record<string, number>>;
  /** What buildTrainingJob returned. */
  readonly built: BuiltTrainingJob;
}

/**
 * Validates `props` and builds a PyTorchJob manifest; problems are recorded, not thrown.
 * Used by PyTorchJob and by HyperparameterSweep's Katib trial template.
 */
export function buildPyTorchJob(scope: IConstruct, problems: Problems, id: string, props: PyTorchJobProps): PyTorchJobManifest {
  const replicas: ReplicaInput[] = [{ type: 'Master', field: 'master', options: props.master ?? {}, exactly: 1 }];
  if (props.worker) replicas.push({ type: 'Worker', field: 'worker', options: props.worker });
  const nproc = props.nprocPerNode;
  if (typeof nproc === 'number') {
    problems.check(Number.isInteger(nproc) && nproc >= 1 && nproc <= 16, 'nprocPerNode', 'must be a whole number ≥ 1', nproc, 'an integer from 1 to 16, or "gpu", "cpu", "auto"');
  }
  const built = buildTrainingJob(scope, problems, id, 'pytorchjob', PYTORCH_CONTAINER, props, replicas);
  const spec: Plain<PyTorchJobSpec> = {
    pytorchReplicaSpecs: built.replicaSpecs, runPolicy: built.runPolicy, ...(nproc !== undefined ? { nprocPerNode: String(nproc) } : {}),
  };
  return {
    name: built.name,
    manifest: { ...PyTorchJobBinding.GVK, metadata: built.metadata, spec },
    pods: built.pods,
    replicas: built.replicas,
    built,
  };
}

/**
 * A Kubeflow PyTorchJob (training-operator v1.9, `kubeflow.org/v1`): one Master and optional
 * Workers running `torchrun`-style distributed training (the operator sets MASTER_ADDR, RANK,
 * WORLD_SIZE). Every pod gets mlscale's defaults: pinned image, requests = limits (an OOM kills
 * one pod, not the node), Pod Security `restricted`, GPU placement and /dev/shm from the
 * ClusterProfile. Failure handling (`runPolicy`): backoffLimit 2, activeDeadline 24 h,
 * cleanPodPolicy `Running`, restartPolicy `OnFailure` per replica type, no TTL.
 */
export class PyTorchJob extends Construct {
  /** The job's name. */
  public readonly name: string;
  /** The underlying PyTorchJob (escape hatch). */
  public readonly apiObject: ApiObject;
  /** The pod template of each replica type (`Master`, `Worker`). */
  public readonly pods: Readonly<Record<string, BuiltPodTemplate>>;
  /** The number of pods of each replica type. */
  public readonly replicas: Readonly<Record<string, number>>;

  constructor(scope: Construct, id: string, props: PyTorchJobProps) {
    super(scope, id);
    const problems = new Problems(this);
    const built = buildPyTorchJob(this, problems, id, props);
    problems.throwIfAny();
    this.name = built.name;
    this.pods = built.pods;
    this.replicas = built.replicas;
    createHyperparameters(this, built.built);
    this.apiObject = new ApiObject(this, 'Resource', built.manifest);
    jobEgress(this, problems, built.name, props.namespace, props.egress);
  }
}
