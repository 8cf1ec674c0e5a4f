import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import { BuiltPodTemplate } from '../core/pod';
import { TfJob as TfJobBinding } from '../imports/training-operator-kubeflow.org';
import type { TfJobSpec } from '../imports/training-operator-kubeflow.org';
import type { Plain } from '../core/cr-spec';
import { TENSORFLOW_CONTAINER } from './constants';
import { ReplicaInput, ReplicaOptions, TrainingJobProps, buildTrainingJob, createHyperparameters, jobEgress } from './replica';

/** Props of a TfJob. */
export interface TfJobProps extends TrainingJobProps {
  /**
   * The Chief replica (coordinates training, writes checkpoints and summaries; exactly one pod).
   * @default - one pod with the job's image, args and resources
   */
  readonly chief?: ReplicaOptions;
  /**
   * Parameter servers (ParameterServerStrategy). They never exit, so the default cleanPodPolicy
   * `Running` deletes them when the job finishes.
   * @default - no parameter servers
   */
  readonly ps?: ReplicaOptions;
  /**
   * Workers.
   * @default - no workers
   */
  readonly worker?: ReplicaOptions;
  /**
   * `AllWorkers`: the job succeeds only when every worker finished.
   * @default - the operator's default: the job succeeds when the chief (or worker 0) finished
   */
  readonly successPolicy?: 'AllWorkers';
}

/**
 * A Kubeflow TFJob (training-operator v1.9, `kubeflow.org/v1`): Chief, parameter servers (PS) and
 * Workers; the operator sets `TF_CONFIG`. **Deprecated upstream**: Kubeflow Trainer v2 (TrainJob)
 * replaces the v1 job kinds and has no TensorFlow runtime; TfJob is kept for existing TensorFlow
 * code. Defaults as PyTorchJob: restartPolicy `OnFailure` per replica type, backoffLimit 2,
 * activeDeadline 24 h, cleanPodPolicy `Running`, no TTL, requests = limits.
 */
export class TfJob extends Construct {
  /** The job's name. */
  public readonly name: string;
  /** The underlying TFJob (escape hatch). */
  public readonly apiObject: ApiObject;
  /** The pod template of each replica type (`Chief`, `PS`, `Worker`). */
  public readonly pods: Readonly<Record<string, BuiltPodTemplate>>;

  constructor(scope: Construct, id: string, props: TfJobProps) {
    super(scope, id);
    const problems = new Problems(this);
    const replicas: ReplicaInput[] = [{ type: 'Chief', field: 'chief', options: props.chief ?? {}, exactly: 1 }];
    if (props.ps) replicas.push({ type: 'PS', field: 'ps', options: props.ps });
    if (props.worker) replicas.push({ type: 'Worker', field: 'worker', options: props.worker });
    const built = buildTrainingJob(this, problems, id, 'tfjob', TENSORFLOW_CONTAINER, props, replicas);
    problems.throwIfAny();
    this.name = built.name;
    this.pods = built.pods;
    const spec: Plain<TfJobSpec> = {
      tfReplicaSpecs: built.replicaSpecs, runPolicy: built.runPolicy, ...(props.successPolicy ? { successPolicy: props.successPolicy } : {}),
    };
    createHyperparameters(this, built);
    this.apiObject = new ApiObject(this, 'Resource', { ...TfJobBinding.GVK, metadata: built.metadata, spec });
    jobEgress(this, problems, built.name, props.namespace, props.egress);
  }
}
