/** Label, annotation and limit constants of the training constructs (one place, no magic strings). */
import { MLSCALE_PREFIX } from '../core/constants';

/** Label on every trial job of a HyperparameterSweep: the sweep's name. */
export const LABEL_SWEEP = `${MLSCALE_PREFIX}/sweep`;
/** Label on every trial job of a HyperparameterSweep: the trial's index, zero-padded (`0007`). */
export const LABEL_TRIAL = `${MLSCALE_PREFIX}/trial`;
/** Annotation on every trial job: its parameter values as JSON (stable key order). */
export const ANNOTATION_TRIAL_PARAMETERS = `${MLSCALE_PREFIX}/trial-parameters`;

/** The most trials one HyperparameterSweep may generate (one object per trial, in git). */
export const MAX_SWEEP_TRIALS = 2000;
/** The most replicas of one replica type of a training job. */
export const MAX_REPLICAS = 1000;

/** The container name the training-operator looks for in a PyTorchJob. */
export const PYTORCH_CONTAINER = 'pytorch';
/** The container name the training-operator looks for in a TFJob. */
export const TENSORFLOW_CONTAINER = 'tensorflow';
/** The container name Trainer v2 runtimes use for the trainer node (the `node` replicated job). */
export const TRAINER_NODE_CONTAINER = 'node';
/**
 * The variables Trainer v2.3.0's torch plugin sets on the trainer node container
 * (pkg/runtime/framework/plugins/torch/torch.go, pkg/constants/constants.go): torchrun reads them
 * as its --nnodes, --nproc-per-node, --node-rank, --master-addr and --master-port. The plugin sets
 * nothing else (no command), so a node that does not run torchrun trains alone; the TrainJob
 * webhook rejects them in a job's own env.
 */
export const TORCH_PLUGIN_ENV: readonly string[] = ['PET_NNODES', 'PET_NPROC_PER_NODE', 'PET_NODE_RANK', 'PET_MASTER_ADDR', 'PET_MASTER_PORT'];
/** The launcher the torch plugin's variables are for. */
export const TORCHRUN = 'torchrun';
/** Trainer v2: the label marking the replicated job a TrainJob's `trainer` overrides. */
export const LABEL_TRAINER_ANCESTOR = 'trainer.kubeflow.org/trainjob-ancestor-step';
/** Trainer v2: the label naming a runtime's framework. */
export const LABEL_TRAINER_FRAMEWORK = 'trainer.kubeflow.org/framework';
