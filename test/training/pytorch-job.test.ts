import { Duration, Testing } from 'cdk8s';
import { ClusterProfile, PyTorchJob, SharedVolume, LocalQueueRef } from '../../constructs';
import { problemMessages, testChart } from '../util';

const PROFILE = ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }, { name: 'l4', type: 'nvidia-l4' }] });

describe('PyTorchJob', () => {
  const mnist = () => {
    const chart = testChart(PROFILE);
    const gpu = { cpu: 2, memory: '8Gi', gpus: 1, gpuType: 'nvidia-tesla-t4' } as const;
    new PyTorchJob(chart, 'pytorch-simple', {
      namespace: 'team-a',
      image: 'ghcr.io/acme/mnist-simple:1.0.0',
      args: ['--backend', 'nccl'],
      master: { resources: gpu },
      worker: { replicas: 1, resources: gpu },
      podAnnotations: { 'sidecar.istio.io/inject': 'false' },
    });
    return Testing.synth(chart);
  };

  test('the MNIST job: two replica specs, 1 GPU each, OnFailure, istio annotation, nccl args', () => {
    const docs = mnist();
    expect(docs).toHaveLength(1);
    const [job] = docs;
    expect(job).toMatchSnapshot();
    expect(job.apiVersion).toBe('kubeflow.org/v1');
    expect(job.kind).toBe('PyTorchJob');
    const specs = job.spec.pytorchReplicaSpecs;
    expect(Object.keys(specs).sort()).toEqual(['Master', 'Worker']);
    for (const type of ['Master', 'Worker']) {
      const s = specs[type];
      expect(s.replicas).toBe(1);
      expect(s.restartPolicy).toBe('OnFailure');
      const pod = s.template.spec;
      const [c] = pod.containers;
      expect(c.name).toBe('pytorch');
      expect(c.image).toBe('ghcr.io/acme/mnist-simple:1.0.0');
      expect(c.args).toEqual(['--backend', 'nccl']);
      expect(c.resources.limits['nvidia.com/gpu']).toBe(1);
      expect(c.resources.limits.memory).toBe('8Gi');
      expect(s.template.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
      expect(pod.nodeSelector['cloud.google.com/gke-accelerator']).toBe('nvidia-tesla-t4');
      expect(pod.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
      expect(c.volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    }
    expect(job.spec.runPolicy).toEqual({ cleanPodPolicy: 'Running', backoffLimit: 2, activeDeadlineSeconds: 86400 });
  });

  test('run policy, queue, per-replica restart policy, shared volume, nprocPerNode', () => {
    const chart = testChart(PROFILE);
    const vol = new SharedVolume(chart, 'ckpt', { namespace: 'team-a' });
    new PyTorchJob(chart, 'big', {
      image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime',
      resources: { gpus: 1, gpuType: 'nvidia-l4', memory: '16Gi' },
      worker: { replicas: 3, restartPolicy: 'ExitCode' },
      mounts: [vol.mount('/ckpt')],
      queue: LocalQueueRef.fromName('team-a', 'team-a-gpu'),
      nprocPerNode: 'gpu',
      backoffLimit: 5,
      activeDeadline: Duration.hours(2),
      ttlAfterFinished: Duration.hours(1),
      cleanPodPolicy: 'All',
    });
    const job = Testing.synth(chart)[1];
    expect(job.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('team-a-gpu');
    expect(job.spec.runPolicy).toEqual({ cleanPodPolicy: 'All', backoffLimit: 5, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 3600, suspend: true });
    expect(job.spec.nprocPerNode).toBe('gpu');
    expect(job.spec.pytorchReplicaSpecs.Worker).toMatchObject({ replicas: 3, restartPolicy: 'ExitCode' });
    expect(job.spec.pytorchReplicaSpecs.Master.restartPolicy).toBe('OnFailure');
    const pod = job.spec.pytorchReplicaSpecs.Worker.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'ckpt', persistentVolumeClaim: { claimName: 'ckpt' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'ckpt', mountPath: '/ckpt' });
    expect(pod.nodeSelector['cloud.google.com/gke-accelerator']).toBe('nvidia-l4');
  });

  test('hyperparameters: a ConfigMap mounted as a JSON file into every replica', () => {
    const chart = testChart();
    new PyTorchJob(chart, 'cfg', { namespace: 'team-a', image: 'ghcr.io/acme/mnist-simple:1.0.0', worker: { replicas: 2 }, hyperparameters: { lr: 0.01, epochs: 10, optimizer: 'adamw' } });
    const [cm, job] = Testing.synth(chart);
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'cfg-hyperparameters', namespace: 'team-a' } });
    expect(JSON.parse(cm.data['hyperparameters.json'])).toEqual({ epochs: 10, lr: 0.01, optimizer: 'adamw' });
    for (const s of Object.values<any>(job.spec.pytorchReplicaSpecs)) {
      const pod = s.template.spec;
      expect(pod.volumes).toContainEqual({ name: 'hyperparameters', configMap: { name: 'cfg-hyperparameters' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'hyperparameters', mountPath: '/etc/mlscale/hyperparameters', readOnly: true });
      expect(pod.containers[0].env).toContainEqual({ name: 'MLSCALE_HYPERPARAMETERS', value: '/etc/mlscale/hyperparameters/hyperparameters.json' });
    }
  });

  test('bad input: replicas 0 and negative, GPUs without a type, fractional GPUs', () => {
    expect(problemMessages(() => new PyTorchJob(testChart(PROFILE), 'bad', {
      image: 'ghcr.io/acme/mnist-simple:1.0.0',
      master: { resources: { gpus: 1 } },
      worker: { replicas: 0, resources: { gpus: 0.5, gpuType: 'nvidia-tesla-t4' } },
    }))).toEqual([
      'test/bad: master.containers[0].resources.gpuType is required when GPUs are requested; got nothing, expected one of nvidia-l4, nvidia-tesla-t4',
      'test/bad: worker.replicas must be a whole number ≥ 1; got 0, expected an integer from 1 to 1000',
      'test/bad: worker.containers[0].resources.gpus must be a whole number of GPUs; got 0.5, expected an integer from 0 to 16 (fractional GPUs: use a GPU class with sharing)',
    ]);
    expect(problemMessages(() => new PyTorchJob(testChart(), 'bad', {
      image: 'ghcr.io/acme/mnist-simple:1.0.0', master: { replicas: 2 }, worker: { replicas: -1 }, nprocPerNode: 0,
    }))).toEqual([
      'test/bad: nprocPerNode must be a whole number ≥ 1; got 0, expected an integer from 1 to 16, or "gpu", "cpu", "auto"',
      'test/bad: master.replicas must be 1; got 2, expected exactly 1',
      'test/bad: worker.replicas must be a whole number ≥ 1; got -1, expected an integer from 1 to 1000',
    ]);
  });

  test('CPU training pods get /dev/shm too (a quarter of the memory limit): DataLoader workers pass batches through it', () => {
    const chart = testChart(PROFILE);
    new PyTorchJob(chart, 'cpu', { namespace: 'team-a', image: 'ghcr.io/acme/mnist-simple:1.0.0', resources: { cpu: 4, memory: '8Gi' }, worker: { replicas: 1 } });
    const job = Testing.synth(chart).find((d) => d.kind === 'PyTorchJob');
    for (const type of ['Master', 'Worker']) {
      const pod = job.spec.pytorchReplicaSpecs[type].template.spec;
      expect(pod.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '2048Mi' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
    }
  });
});

