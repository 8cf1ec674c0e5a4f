/**
 * Training examples (issue #3): the MNIST PyTorchJob, distributed TensorFlow with TensorBoard and
 * a model server on a shared volume, Trainer v2, and hyperparameter sweeps. Workloads run in team-a.
 */
import { Chart } from 'cdk8s';
import { MlscaleApp, PyTorchJob, SharedVolume } from '../constructs';

/** Namespace of the example workloads. */
const TEAM = 'team-a';

/** Adds the `training-*` charts. */
export function addTraining(app: MlscaleApp): void {
  // 1. The MNIST PyTorchJob of the platform docs: 1 Master + 1 Worker, one T4 each.
  new PyTorchJob(new Chart(app, 'training-mnist'), 'pytorch-simple', {
    namespace: TEAM,
    image: 'ghcr.io/acme/mnist-simple:1.0.0',
    args: ['--backend', 'nccl'],
    resources: { cpu: 2, memory: '8Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' },
    worker: { replicas: 1 },
    podAnnotations: { 'sidecar.istio.io/inject': 'false' },
  });

  // 4. Shared storage for checkpoints, TensorBoard logs and exported models.
  new SharedVolume(new Chart(app, 'training-storage'), 'models', { namespace: TEAM, size: '1Ti' });
}
