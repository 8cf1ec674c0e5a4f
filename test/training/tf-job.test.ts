import { Testing } from 'cdk8s';
import { SharedVolume, TfJob } from '../../constructs';
import { problemMessages, testChart } from '../util';

describe('TfJob', () => {
  test('chief/PS/worker with per-type restart policy, checkpoints on a shared volume', () => {
    const chart = testChart();
    const vol = new SharedVolume(chart, 'models', { namespace: 'team-a' });
    new TfJob(chart, 'mnist-tf', {
      namespace: 'team-a',
      image: 'ghcr.io/acme/mnist-tf:1.0.0',
      args: ['--model_dir=/mnt/shared/ckpt'],
      mounts: [vol.mount('/mnt/shared')],
      ps: { replicas: 2, restartPolicy: 'Always' },
      worker: { replicas: 3, resources: { gpus: 1, gpuType: 'nvidia-l4', memory: '16Gi' } },
      successPolicy: 'AllWorkers',
    });
    const job = Testing.synth(chart)[1];
    expect(job).toMatchSnapshot();
    expect(job).toMatchObject({ apiVersion: 'kubeflow.org/v1', kind: 'TFJob' });
    const specs = job.spec.tfReplicaSpecs;
    expect(Object.keys(specs)).toEqual(['Chief', 'PS', 'Worker']);
    expect(specs.Chief).toMatchObject({ replicas: 1, restartPolicy: 'OnFailure' });
    expect(specs.PS).toMatchObject({ replicas: 2, restartPolicy: 'Always' });
    expect(specs.Worker).toMatchObject({ replicas: 3, restartPolicy: 'OnFailure' });
    for (const s of Object.values<any>(specs)) {
      expect(s.template.spec.containers[0].name).toBe('tensorflow');
      expect(s.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'models', mountPath: '/mnt/shared' });
      expect(s.template.spec.volumes).toContainEqual({ name: 'models', persistentVolumeClaim: { claimName: 'models' } });
    }
    expect(specs.Worker.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(specs.PS.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBeUndefined();
    expect(job.spec.successPolicy).toBe('AllWorkers');
    expect(job.spec.runPolicy.cleanPodPolicy).toBe('Running');
  });

  test('bad input', () => {
    expect(problemMessages(() => new TfJob(testChart(), 'tf', { image: 'ghcr.io/acme/mnist-tf:1.0.0', chief: { replicas: 0 }, ps: { replicas: 1.5 }, worker: { resources: { gpus: 2 } } }))).toEqual([
      'test/tf: chief.replicas must be 1; got 0, expected exactly 1',
      'test/tf: ps.replicas must be a whole number ≥ 1; got 1.5, expected an integer from 1 to 1000',
      'test/tf: worker.containers[0].resources.gpuType is required when GPUs are requested; got nothing, expected one of nvidia-a100-80gb, nvidia-h100-80gb, nvidia-l4, nvidia-tesla-a100, nvidia-tesla-t4, nvidia-tesla-v100',
    ]);
  });
});
