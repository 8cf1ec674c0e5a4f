/**
 * Training examples (issue #3): the MNIST PyTorchJob, distributed TensorFlow with TensorBoard and
 * a model server on a shared volume, Trainer v2, and hyperparameter sweeps. Workloads run in team-a.
 */
import { Chart } from 'cdk8s';
import type { PlatformTeams } from './teams';
import { HyperparameterSweep, MlscaleApp, ModelServer, PodSecurity, PyTorchJob, PyTorchJobProps, SharedVolume, SweepTrial, TensorBoard, TfJob, TorchDistributedRuntime, TrainJob } from '../../constructs';

/** Namespace of the example workloads. */
const TEAM = 'team-a' as const;

/**
 * The upstream MNIST example (kubeflow/trainer v1.9.4 examples/pytorch/mnist: mnist.py and its
 * Dockerfile), built and pinned by the team (upstream publishes it only as `:latest`). Its flags are
 * mnist.py's: --batch-size, --test-batch-size, --epochs, --lr, --momentum, --no-cuda, --seed,
 * --log-interval, --save-model, --dir (summary logs), --backend. ENTRYPOINT python /opt/mnist/src/mnist.py.
 */
const MNIST_IMAGE = 'ghcr.io/acme/pytorch-dist-mnist:1.9.4';
/** Its Dockerfile makes /opt/mnist writable by group 0 only (chgrp -R 0), where it downloads the dataset (../data) and writes logs: run as GID 0 (still non-root, as `restricted` requires). */
const MNIST_POD = { podSecurity: PodSecurity.restricted({ runAsGroup: 0, fsGroup: 0 }) };

/** The MNIST example with a trial's learning rate and momentum (a sweep's trial job). */
function mnistTrial(t: SweepTrial): PyTorchJobProps {
  return {
    image: MNIST_IMAGE,
    pod: MNIST_POD,
    args: ['--backend', 'nccl', '--lr', t.parameters.lr, '--momentum', t.parameters.momentum],
    resources: { cpu: 2, memory: '8Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
    worker: { replicas: 1 },
    podAnnotations: { 'sidecar.istio.io/inject': 'false' },
  };
}

/** Adds the `training-*` charts. */
export function addTraining(app: MlscaleApp, teams: PlatformTeams): void {
  // 4. Shared storage (RWX, NFS) for checkpoints, TensorBoard logs and exported models.
  const models = new SharedVolume(new Chart(app, 'training-storage'), 'models', { namespace: TEAM, size: '1Ti' });

  // 1. The MNIST PyTorchJob of the platform docs: 1 Master + 1 Worker, one T4 each.
  new PyTorchJob(new Chart(app, 'training-mnist'), 'pytorch-simple', {
    namespace: TEAM,
    image: MNIST_IMAGE,
    pod: MNIST_POD,
    args: ['--backend', 'nccl'],
    resources: { cpu: 2, memory: '8Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
    worker: { replicas: 1 },
    podAnnotations: { 'sidecar.istio.io/inject': 'false' },
    // the example downloads MNIST at start (the dataset host's addresses are not fixed)
    egress: [{ cidr: '0.0.0.0/0', port: 443, why: 'download the MNIST dataset over HTTPS' }],
  });

  // 3. Trainer v2: a torch distributed runtime (2 nodes × 4 A100s) and a TrainJob on it.
  const trainer = new Chart(app, 'training-trainer-v2');
  const runtime = new TorchDistributedRuntime(trainer, 'torch-a100', {
    namespace: TEAM,
    image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime',
    // every node runs `torchrun <script>`: torchrun takes world size, rank and master from the torch plugin's PET_* variables
    script: '/opt/mnist/src/mnist.py',
    numNodes: 2,
    resourcesPerNode: { cpu: 16, memory: '96Gi', gpus: 4, gpuType: 'nvidia-tesla-a100' },
    mounts: [models.mount('/mnt/shared')],
    pod: MNIST_POD,
  });
  new TrainJob(trainer, 'mnist-trainjob', {
    namespace: TEAM,
    runtime,
    image: MNIST_IMAGE,
    // mnist.py's --dir: where its TensorBoard summaries go (the shared volume, for TensorBoard)
    args: ['--backend', 'nccl', '--dir', '/mnt/shared/mnist-trainjob/logs'],
    numProcPerNode: 4,
  });
  // ...and one on the ClusterTrainingRuntime Trainer installs (`torch-distributed`).
  new TrainJob(trainer, 'mnist-trainjob-installed-runtime', {
    namespace: TEAM,
    runtime: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' },
    image: MNIST_IMAGE,
    // the chart's runtime sets no command: the job names its script (torchrun <script>) and where its GPUs are
    script: '/opt/mnist/src/mnist.py',
    numNodes: 2,
    resourcesPerNode: { cpu: 4, memory: '16Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
  });

  // 6a. Hyperparameters from a ConfigMap, mounted as a JSON file ($MLSCALE_HYPERPARAMETERS).
  new PyTorchJob(new Chart(app, 'training-hyperparameters-file'), 'mnist-configured', {
    namespace: TEAM,
    // the team's own trainer (not the upstream example): it reads its hyperparameters from the JSON file --config names
    image: 'ghcr.io/acme/mnist-configurable:1.0.0',
    args: ['--backend', 'nccl', '--config', '$(MLSCALE_HYPERPARAMETERS)'],
    resources: { cpu: 2, memory: '8Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
    worker: { replicas: 1 },
    hyperparameters: { lr: 0.01, epochs: 10, batchSize: 64, optimizer: 'adamw' },
  });

  // 6b. A grid sweep: learning rate × momentum = 6 PyTorchJobs, at most 2 running at once (Kueue).
  new HyperparameterSweep(new Chart(app, 'training-sweep'), 'mnist-grid', {
    namespace: TEAM,
    team: teams[TEAM], // trials run on team-a's quota (the team's Kueue Cohort), 2 at a time
    parameters: { lr: { values: [0.1, 0.01, 0.001] }, momentum: { values: [0.5, 0.9] } },
    maxParallel: 2,
    job: mnistTrial,
  });
  // 6c. The same search space, explored by Katib's Bayesian optimisation.
  new HyperparameterSweep(new Chart(app, 'training-katib'), 'mnist-bayes', {
    namespace: TEAM,
    team: teams[TEAM], // trials go to team-a's queue
    algorithm: 'bayesianoptimization',
    parameters: { lr: { min: 0.0001, max: 0.1, scale: 'log' }, momentum: { values: [0.5, 0.9, 0.99] } },
    trials: 12,
    maxParallel: 3,
    katib: { objective: { metric: 'accuracy', goal: 'maximize', target: 0.99 } },
    job: mnistTrial,
  });

  // 2. Distributed TensorFlow writing checkpoints and the SavedModel to the shared volume,
  //    TensorBoard reading the checkpoints, TF Serving serving the export.
  const tf = new Chart(app, 'training-tensorflow');
  new TfJob(tf, 'mnist-tf', {
    namespace: TEAM,
    image: 'ghcr.io/acme/mnist-tf:1.0.0',
    args: ['--model_dir=/mnt/shared/mnist-tf/checkpoints', '--export_dir=/mnt/shared/mnist-tf/export'],
    mounts: [models.mount('/mnt/shared')],
    resources: { cpu: 4, memory: '16Gi' },
    ps: { replicas: 2, resources: { cpu: 2, memory: '8Gi' } },
    worker: { replicas: 2, resources: { cpu: 4, memory: '16Gi', gpus: 1, gpuType: 'nvidia-l4' } },
  });
  // the team's own pods (notebooks, jobs) may open TensorBoard and call the model server
  new TensorBoard(tf, 'mnist-tf-tensorboard', { namespace: TEAM, logs: models.mount('/logs', { subPath: 'mnist-tf/checkpoints' }), clients: [{ namespace: TEAM }] });
  new ModelServer(tf, 'mnist-tf-serving', {
    namespace: TEAM,
    clients: [{ namespace: TEAM }],
    modelName: 'mnist',
    model: models.mount('/models/mnist', { subPath: 'mnist-tf/export' }),
  });
}
