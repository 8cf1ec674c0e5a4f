import { ClusterProfile, KubeflowNotebook, SharedVolume } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

describe('KubeflowNotebook', () => {
  test('RAPIDS notebook with a GPU and the shared volume', () => {
    const chart = testChart(ClusterProfile.gke({ gpuClasses: [{ name: 'l4', type: 'nvidia-l4' }] }));
    const shared = new SharedVolume(chart, 'shared', { name: 'team-a-shared', namespace: 'team-a' });
    new KubeflowNotebook(chart, 'rapids', {
      namespace: 'team-a',
      image: 'nvcr.io/nvidia/rapidsai/notebooks:25.02-cuda12.8-py3.12',
      resources: { cpu: 4, memory: '32Gi', gpus: 1 },
      workspace: SharedVolume.fromClaimName(chart, 'home', 'team-a', 'rapids-home'),
      mounts: [shared.mount('/home/jovyan/shared')],
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
      { name: 'rapids-home', mountPath: '/home/jovyan' },
      { name: 'team-a-shared', mountPath: '/home/jovyan/shared' },
      { name: 'dshm', mountPath: '/dev/shm' },
    ]);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 100 });
    expect(nb.spec.template.metadata).toBeUndefined();
  });

  test('bad mounts are rejected: two volumes at one path, a claim of another namespace', () => {
    const chart = testChart();
    const home = SharedVolume.fromClaimName(chart, 'home', 'team-a', 'home');
    const other = SharedVolume.fromClaimName(chart, 'other', 'team-b', 'data');
    expect(problemMessages(() => new KubeflowNotebook(chart, 'nb', {
      namespace: 'team-a', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', workspace: home, mounts: [home.mount('/home/jovyan'), other.mount('/data')],
    }))).toEqual([
      'test/nb: mounts[1] mounts a second volume at one path; got "/home/jovyan", expected a distinct path (the workspace is mounted at /home/jovyan)',
      'test/nb: pod.mounts[2] is a claim of namespace team-b; got "data", expected a claim of namespace team-a (a pod mounts claims of its own namespace only)',
    ]);
  });
});
