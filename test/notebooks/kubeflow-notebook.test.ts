import { ClusterProfile, KubeflowNotebook } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

describe('KubeflowNotebook', () => {
  test('RAPIDS notebook with a GPU and the shared volume', () => {
    const chart = testChart(ClusterProfile.gke({ gpuClasses: [{ name: 'l4', type: 'nvidia-l4' }] }));
    new KubeflowNotebook(chart, 'rapids', {
      namespace: 'team-a',
      image: 'nvcr.io/nvidia/rapidsai/notebooks:25.02-cuda12.8-py3.12',
      resources: { cpu: 4, memory: '32Gi', gpus: 1 },
      workspaceClaim: 'rapids-home',
      volumes: [{ claimName: 'team-a-shared', mountPath: '/home/jovyan/shared' }],
    });
    const [nb] = byKind(chart).Notebook;
    expect(nb).toMatchSnapshot();
    expect(nb.apiVersion).toBe('kubeflow.org/v1');
    const spec = nb.spec.template.spec;
    const c = spec.containers[0];
    expect(c.name).toBe('rapids');
    expect(c.ports).toEqual([{ name: 'notebook-port', containerPort: 8888, protocol: 'TCP' }]);
    expect(c.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(spec.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4', 'mlscale.io/gpu-class': 'l4' });
    expect(c.volumeMounts).toEqual([
      { name: 'volume-0', mountPath: '/home/jovyan' },
      { name: 'volume-1', mountPath: '/home/jovyan/shared' },
      { name: 'dshm', mountPath: '/dev/shm' },
    ]);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 100 });
    expect(nb.spec.template.metadata).toBeUndefined();
  });

  test('bad volumes are rejected', () => {
    expect(problemMessages(() => new KubeflowNotebook(testChart(), 'nb', {
      namespace: 'team-a', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', volumes: [{ claimName: 'a', mountPath: 'data' }],
    }))).toEqual(['test/nb: volumes[0].mountPath must be an absolute path used once; got "data", expected a distinct absolute path, e.g. "/home/jovyan/shared"']);
  });
});
