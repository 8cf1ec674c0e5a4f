import { Testing } from 'cdk8s';
import { ClusterProfile, TorchDistributedRuntime, TrainJob, LocalQueueRef } from '../../constructs';
import { problemMessages, testChart } from '../util';

const PROFILE = ClusterProfile.gke({ gpuClasses: [{ name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 8 }, { name: 'l4', type: 'nvidia-l4' }] });

describe('TorchDistributedRuntime and TrainJob', () => {
  test('a runtime with GPUs per node and a node count; a TrainJob referencing it', () => {
    const chart = testChart(PROFILE);
    const runtime = new TorchDistributedRuntime(chart, 'torch-a100', {
      namespace: 'team-a',
      image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime',
      numNodes: 2,
      script: '/opt/mnist/mnist.py',
      resourcesPerNode: { cpu: 16, memory: '96Gi', gpus: 4, gpuType: 'nvidia-tesla-a100' },
    });
    new TrainJob(chart, 'train', { namespace: 'team-a', runtime, image: 'ghcr.io/acme/mnist-simple:1.0.0', args: ['--backend', 'nccl'], numProcPerNode: 4, queue: LocalQueueRef.fromName('team-a', 'team-a-gpu'), env: { EPOCHS: '3' } });
    const [rt, job] = Testing.synth(chart);
    expect([rt, job]).toMatchSnapshot();
    expect(rt).toMatchObject({ apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainingRuntime', metadata: { name: 'torch-a100', namespace: 'team-a' } });
    expect(rt.metadata.labels['trainer.kubeflow.org/framework']).toBe('torch');
    expect(rt.spec.mlPolicy).toEqual({ numNodes: 2, torch: {} });
    const [node] = rt.spec.template.spec.replicatedJobs;
    expect(node.name).toBe('node');
    expect(node.template.metadata.labels['trainer.kubeflow.org/trainjob-ancestor-step']).toBe('trainer');
    const pod = node.template.spec.template.spec;
    expect(pod.containers[0].name).toBe('node');
    // torchrun reads the PET_* variables the torch plugin sets: world size, rank and master come from Trainer
    expect(pod.containers[0].command).toEqual(['torchrun', '/opt/mnist/mnist.py']);
    expect(JSON.stringify(pod.containers[0].env ?? [])).not.toContain('PET_');
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe(4);
    expect(pod.nodeSelector['cloud.google.com/gke-accelerator']).toBe('nvidia-tesla-a100');
    expect(pod.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '24576Mi' } });
    expect(rt.spec.template.spec.failurePolicy).toEqual({ maxRestarts: 2 });

    expect(job).toMatchObject({ apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob' });
    expect(job.spec.runtimeRef).toEqual({ apiGroup: 'trainer.kubeflow.org', kind: 'TrainingRuntime', name: 'torch-a100' });
    expect(job.spec.trainer).toEqual({ image: 'ghcr.io/acme/mnist-simple:1.0.0', args: ['--backend', 'nccl'], env: [{ name: 'EPOCHS', value: '3' }], numProcPerNode: 4 });
    expect(job.spec.suspend).toBe(true);
    // the runtime's placement is the job's: no patch
    expect(job.spec.runtimePatches).toBeUndefined();
    expect(job.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('team-a-gpu');
  });

  test('cluster-wide runtime; TrainJob node count and resources per node', () => {
    const chart = testChart(PROFILE);
    const rt = new TorchDistributedRuntime(chart, 'torch', { clusterWide: true, namespace: 'ignored', image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime' });
    expect(rt.kind).toBe('ClusterTrainingRuntime');
    new TrainJob(chart, 't', { runtime: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' }, script: 'train.py', numNodes: 3, resourcesPerNode: { cpu: 4, memory: '16Gi', gpus: 1, gpuType: 'nvidia-l4' } });
    const [r, job] = Testing.synth(chart);
    expect(r.kind).toBe('ClusterTrainingRuntime');
    expect(r.metadata.namespace).toBeUndefined();
    // gpuType is honoured: the node pods are moved to the L4 class through the runtime patch, beside the restricted contexts
    const patched = job.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0];
    expect(patched.name).toBe('node');
    expect(patched.template.spec.template.spec.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4', 'mlscale.io/gpu-class': 'l4' });
    expect(patched.template.spec.template.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(patched.template.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(job.spec.trainer).toEqual({
      command: ['torchrun', 'train.py'],
      numNodes: 3,
      resourcesPerNode: { requests: { 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': 1 }, limits: { 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': 1 } },
    });
  });

  test('bad input', () => {
    expect(problemMessages(() => new TorchDistributedRuntime(testChart(PROFILE), 'rt', {
      image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime', numNodes: 0, resourcesPerNode: { gpus: 2 },
    }))).toEqual([
      'test/rt: numNodes must be a whole number ≥ 1; got 0, expected an integer from 1 to 1000',
      'test/rt: node.containers[0].resources.gpuType is required when GPUs are requested; got nothing, expected one of nvidia-l4, nvidia-tesla-a100',
    ]);
    expect(problemMessages(() => new TrainJob(testChart(), 'tj', {
      runtime: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' }, script: 'train.py', numNodes: -2, numProcPerNode: 0, resourcesPerNode: { gpus: 1.5 },
    }))).toEqual([
      'test/tj: numNodes must be a whole number ≥ 1; got -2, expected an integer from 1 to 1000',
      'test/tj: numProcPerNode must be a whole number ≥ 1; got 0, expected an integer from 1 to 16',
      'test/tj: resourcesPerNode.gpus must be a whole number of GPUs; got 1.5, expected an integer from 0 to 16 (fractional GPUs: use a GPU class with sharing)',
    ]);
  });

  test('a TrainJob that would not run torchrun, sets PET_* itself, or names no script for a runtime without one', () => {
    const installed = { kind: 'ClusterTrainingRuntime' as const, name: 'torch-distributed' };
    expect(problemMessages(() => new TrainJob(testChart(PROFILE), 'tj', { runtime: installed, command: ['python', 'train.py'], env: { PET_NNODES: '4' } }))).toEqual([
      'test/tj: env.PET_NNODES is set by Trainer\'s torch plugin (and rejected by its webhook in a TrainJob); got "PET_NNODES", expected no PET_NNODES, PET_NPROC_PER_NODE, PET_NODE_RANK, PET_MASTER_ADDR, PET_MASTER_PORT',
      'test/tj: command does not launch torchrun: every node would train alone (the torch plugin only sets PET_* variables for torchrun); got ["python","train.py"], expected ["torchrun", "<script>", ...] (or torchtune\'s ["tune", "run", ...]), or `script`',
    ]);
    expect(problemMessages(() => new TrainJob(testChart(PROFILE), 'tj2', { runtime: installed }))).toEqual([
      'test/tj2: script is required: the runtime launches no training script; got nothing, expected a script (the chart\'s torch-distributed runtime sets no command: manifests/base/runtimes/torch_distributed.yaml), or a runtime with a script',
    ]);
    // torchrun with its own flags, or torchtune, are launches the plugin serves
    for (const command of [['torchrun', '--no-python', 'python3', 'train.py'], ['tune', 'run', 'full_finetune_distributed']]) {
      expect(() => new TrainJob(testChart(PROFILE), 'ok', { runtime: installed, command })).not.toThrow();
    }
  });
});
