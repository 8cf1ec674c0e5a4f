/**
 * One pod model (issue 18): every construct that makes pods takes `mounts`, `placement` and `env`
 * the same way (WorkloadPodProps), and each reaches every pod the construct makes. One table, one
 * row per pod-making construct; each row builds the construct with the same volume, placement and
 * Secret key and the test reads the pods back from the synthesized objects (for the Dask Gateway:
 * from the pods its controller would create, see test/dask/python/run_gateway_config.py).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  ClusterProfile, ContainerJob, DaskCluster, DaskGateway, DaskJob, Externals, HyperparameterSweep, KfpComponent, KubeflowNotebook, ModelServer, NotebookJob, NotebookSource,
  ObjectStore, Pipeline, PipelineStep, Placement, PodMount, PyTorchJob, SecretRef, SharedVolume, TensorBoard, TfJob, TorchDistributedRuntime, TrainJob,
  WorkloadPodProps, strategicMergePod,
} from '../../constructs';
import { problemMessages, testChart } from '../util';

/** The user's image in every row: the pods to check are the ones running it. */
const IMAGE = 'ghcr.io/acme/pod-model:1.0.0';
const DASK = 'ghcr.io/dask/dask-gateway:2026.3.0';
const NS = 'team-a';
const PLACEMENT = Placement.onNodes({ 'example.com/pool': 'ml' }, [{ key: 'example.com/pool', value: 'ml', effect: 'NoSchedule' }]);
const TOKEN = SecretRef.fromName('creds').key('token');
const COMPONENT = 'test/fixtures/kfp-components/mlscale-drop-first-line/component.yaml';

/** What a row is given: one mount, the placement, the env. */
interface Given extends WorkloadPodProps {
  readonly mounts: readonly PodMount[];
}

/** A pod as far as this test reads it: its spec (or Argo template) and its main container. */
interface Pod {
  readonly where: string;
  readonly spec: any;
  readonly main: any;
}

interface Row {
  readonly construct: string;
  /** Builds the construct in `chart` (namespace team-a). */
  readonly build: (chart: Chart, p: Given) => void;
  /** How many pods run the user's image. */
  readonly pods: number;
  /** Reads the pods (default: every pod spec or Argo template whose container runs IMAGE). */
  readonly read?: (chart: Chart) => Pod[];
}

function store(chart: Chart): ObjectStore {
  return new ObjectStore(chart, 'store', { namespace: NS, endpoint: 'http://minio.minio.svc:9000', bucket: 'ml-results', credentials: { secret: SecretRef.fromName('minio') } });
}

/** Every pod spec (containers) or Argo container template (container) in the synthesized chart whose container runs IMAGE. */
function podsRunning(chart: Chart, image = IMAGE): Pod[] {
  const found: Pod[] = [];
  const walk = (x: unknown, where: string) => {
    if (Array.isArray(x)) {
      x.forEach((v, i) => walk(v, `${where}[${i}]`));
      return;
    }
    if (typeof x !== 'object' || x === null) return;
    const o = x as Record<string, any>;
    const containers = [...(o.initContainers ?? []), ...(Array.isArray(o.containers) ? o.containers : []), ...(o.container && typeof o.container === 'object' && !Array.isArray(o.container) ? [o.container] : [])];
    const main = containers.find((c: any) => c?.image === image);
    if (main && (Array.isArray(o.containers) || o.container)) {
      found.push({ where, spec: o, main });
      return;
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${where}.${k}`);
  };
  Testing.synth(chart).forEach((d, i) => walk(d, `${d.kind}/${d.metadata?.name ?? i}`));
  return found;
}

/** The gateway's scheduler and worker pods for a user's cluster, from its generated config run in python3. */
function gatewayPods(chart: Chart): Pod[] {
  const config = Testing.synth(chart).find((d) => d.kind === 'ConfigMap' && d.data?.['dask_gateway_config.py'] && d.metadata.name === 'gw').data['dask_gateway_config.py'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-pod-model-'));
  try {
    fs.writeFileSync(path.join(dir, 'config.py'), config);
    fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify([{ user: { name: 'alice', groups: [] }, options: {} }]));
    const harness = path.join(__dirname, '..', 'dask', 'python');
    const out = JSON.parse(execFileSync('python3', [path.join(harness, 'run_gateway_config.py'), path.join(dir, 'config.py'), path.join(dir, 'cases.json')],
      { env: { ...process.env, PYTHONPATH: harness }, encoding: 'utf8' }));
    const pods = out.results[0].pods;
    return ['scheduler', 'worker'].map((role) => ({ where: `gateway ${role}`, spec: pods[role], main: pods[role].containers[0] }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ROWS: Row[] = [
  {
    construct: 'ContainerJob', pods: 1,
    build: (c, p) => new ContainerJob(c, 'job', { namespace: NS, mounts: p.mounts, placement: p.placement, container: { image: IMAGE, env: p.env } }),
  },
  {
    construct: 'NotebookJob', pods: 1,
    build: (c, p) => new NotebookJob(c, 'nb', { namespace: NS, notebook: NotebookSource.fromObjectStore(store(c), 'in/x.ipynb'), image: IMAGE, output: store2(c), ...p }),
  },
  {
    construct: 'PyTorchJob (master and workers)', pods: 2,
    build: (c, p) => new PyTorchJob(c, 'pt', { namespace: NS, image: IMAGE, worker: { replicas: 2 }, ...p }),
  },
  {
    construct: 'TfJob (chief, workers, PS)', pods: 3,
    build: (c, p) => new TfJob(c, 'tf', { namespace: NS, image: IMAGE, chief: {}, worker: { replicas: 2 }, ps: { replicas: 1 }, ...p }),
  },
  {
    construct: 'HyperparameterSweep (every trial)', pods: 4,
    build: (c, p) => new HyperparameterSweep(c, 'sweep', {
      namespace: NS, parameters: { lr: { values: [0.1, 0.01] } }, job: (t) => ({ image: IMAGE, args: [`--lr=${t.parameters.lr}`], worker: { replicas: 1 }, ...p }),
    }),
  },
  {
    construct: 'TorchDistributedRuntime', pods: 1,
    build: (c, p) => new TorchDistributedRuntime(c, 'rt', { namespace: NS, image: IMAGE, script: 'train.py', ...p }),
  },
  {
    construct: 'TrainJob (on an upstream runtime: runtime patches and trainer env)', pods: 1,
    build: (c, p) => new TrainJob(c, 'tj', { namespace: NS, runtime: { name: 'torch-distributed', kind: 'ClusterTrainingRuntime' }, image: IMAGE, script: 'train.py', ...p }),
    read: (c) => {
      const job = Testing.synth(c).find((d) => d.kind === 'TrainJob');
      const patch = job.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0].template.spec.template.spec;
      // the node container is the runtime's: its volumeMounts come from the patch, its env from trainer.env
      return [{ where: 'TrainJob runtime patch + trainer', spec: patch, main: { ...patch.containers[0], image: job.spec.trainer.image, env: job.spec.trainer.env } }];
    },
  },
  {
    construct: 'Pipeline container step', pods: 1,
    build: (c, p) => new Pipeline(c, 'pl', { namespace: NS, steps: [PipelineStep.container('train', { image: IMAGE, command: ['python', 'train.py'], ...p })] }),
  },
  {
    construct: 'Pipeline notebook step', pods: 1,
    build: (c, p) => new Pipeline(c, 'pl', {
      namespace: NS, objectStore: store(c), steps: [PipelineStep.notebook('explore', { notebook: NotebookSource.fromObjectStore(store2(c), 'in/x.ipynb'), image: IMAGE, ...p })],
    }),
  },
  {
    construct: 'Pipeline KFP step', pods: 1,
    build: (c, p) => new Pipeline(c, 'pl', {
      namespace: NS, objectStore: store(c), steps: [PipelineStep.kfp('drop', KfpComponent.fromFile(COMPONENT), { image: IMAGE, arguments: { lines: 'a\nb' }, ...p })],
    }),
  },
  {
    construct: 'DaskCluster (scheduler, workers, notebook)', pods: 3,
    build: (c, p) => new DaskCluster(c, 'dc', { namespace: NS, image: IMAGE, scheduler: p, workers: { replicas: 1, ...p }, notebook: { image: IMAGE, ...p } }),
  },
  {
    construct: 'DaskJob (scheduler, workers, runner)', pods: 3,
    build: (c, p) => new DaskJob(c, 'dj', { namespace: NS, image: IMAGE, scheduler: p, workers: { replicas: 1, ...p }, job: { command: ['python', '-m', 'etl'], ...p } }),
  },
  {
    construct: 'DaskGateway (users\' schedulers and workers)', pods: 2,
    build: (c, p) => new DaskGateway(c, 'gw', { namespace: 'dask-gateway', clusterNamespace: NS, image: DASK, clusterOptions: { workerCores: { min: 1, max: 4, default: 1 } }, clusterPods: p }),
    read: gatewayPods,
  },
  {
    construct: 'TensorBoard', pods: 1,
    build: (c, p) => new TensorBoard(c, 'tb', { namespace: NS, image: IMAGE, logs: SharedVolume.fromClaimName(c, 'logs', NS, 'logs').mount('/logs'), ...p }),
  },
  {
    construct: 'ModelServer', pods: 1,
    build: (c, p) => new ModelServer(c, 'ms', { namespace: NS, image: IMAGE, modelName: 'm', model: SharedVolume.fromClaimName(c, 'models', NS, 'models').mount('/models/m'), ...p }),
  },
  {
    construct: 'KubeflowNotebook', pods: 1,
    build: (c, p) => new KubeflowNotebook(c, 'kf', { namespace: NS, image: IMAGE, ...p }),
  },
];

/** A second store for the notebook sources (the outputs' store is `store`). */
function store2(chart: Chart): ObjectStore {
  return new ObjectStore(chart, 'inputs', { namespace: NS, endpoint: 'http://minio.minio.svc:9000', bucket: 'inputs', credentials: { secret: SecretRef.fromName('minio') } });
}

describe('one pod model: mounts, placement and Secret env on every pod-making construct', () => {
  test.each(ROWS.map((r) => [r.construct, r] as const))('%s', (_name, row) => {
    const chart = testChart();
    const data = SharedVolume.fromClaimName(chart, 'data', NS, 'data');
    row.build(chart, { mounts: [data.mount('/mnt/data', { readOnly: true })], placement: PLACEMENT, env: { TOKEN } });
    const pods = (row.read ?? podsRunning)(chart);
    expect(pods.map((p) => p.where)).toHaveLength(row.pods);
    for (const { where, spec, main } of pods) {
      // the claim is a pod volume and the main container mounts it at the path asked for
      const volume = (spec.volumes ?? []).find((v: any) => v.persistentVolumeClaim?.claimName === 'data');
      expect({ where, volume: volume !== undefined }).toEqual({ where, volume: true });
      expect({ where, mounts: (main.volumeMounts ?? []).filter((m: any) => m.name === volume.name) }).toEqual({ where, mounts: [expect.objectContaining({ mountPath: '/mnt/data', readOnly: true })] });
      // the placement's node selector and toleration
      expect({ where, nodeSelector: spec.nodeSelector }).toEqual({ where, nodeSelector: expect.objectContaining({ 'example.com/pool': 'ml' }) });
      expect({ where, tolerations: spec.tolerations }).toEqual({ where, tolerations: expect.arrayContaining([{ key: 'example.com/pool', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }]) });
      // the Secret key, by reference
      expect({ where, env: main.env }).toEqual({ where, env: expect.arrayContaining([{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }]) });
    }
    // what is imported is listed for the platform team to provide, in the pods' namespace
    const externals = Externals.of(chart);
    expect(externals).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'Secret', name: 'creds', namespace: NS, keys: expect.arrayContaining(['token']) }),
      expect.objectContaining({ kind: 'PersistentVolumeClaim', name: 'data', namespace: NS }),
    ]));
  });

  test.each(ROWS.map((r) => [r.construct, r] as const))('%s: a claim of another namespace fails synth, naming the mount', (_name, row) => {
    const chart = testChart();
    const theirs = SharedVolume.fromClaimName(chart, 'theirs', 'team-b', 'theirs');
    const messages = problemMessages(() => row.build(chart, { mounts: [theirs.mount('/mnt/data')] }));
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).toMatch(/mounts\[\d+\] is a claim of namespace team-b; got "theirs", expected a claim of namespace team-a/);
  });
});

describe('Trainer v2: a TrainJob\'s placement and mounts on mlscale\'s own GPU runtime', () => {
  const T4 = () => testChart(ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }] }));

  test('the patch keeps the runtime\'s GPU toleration (tolerations are replaced by a strategic merge) and the nodes keep /dev/shm', () => {
    const chart = T4();
    const runtime = new TorchDistributedRuntime(chart, 'rt', { namespace: NS, image: IMAGE, script: 'train.py', resourcesPerNode: { cpu: 4, memory: '16Gi', gpus: 1 } });
    const data = SharedVolume.fromClaimName(chart, 'data', NS, 'data');
    new TrainJob(chart, 'tj', { namespace: NS, runtime, placement: Placement.spot(), mounts: [data.mount('/mnt/data')] });
    const docs = Testing.synth(chart);
    const job = docs.find((d) => d.kind === 'TrainJob');
    const patch = job.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0].template.spec.template.spec;
    const runtimePod = docs.find((d) => d.kind === 'TrainingRuntime').spec.template.spec.replicatedJobs[0].template.spec.template.spec;
    // as Trainer merges it (v2.3.0 mergeRuntimePatches: a strategic merge with the core/v1 patch keys)
    const pod = strategicMergePod(runtimePod, patch);
    expect(pod.tolerations).toEqual(expect.arrayContaining([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]));
    expect(pod.nodeSelector).toMatchObject({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4', 'cloud.google.com/gke-spot': 'true' });
    expect(pod.volumes.map((v: any) => v.name)).toEqual(expect.arrayContaining(['dshm', 'data']));
    expect(pod.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/dev/shm', '/mnt/data']));
  });

  test('a selector against the runtime\'s GPU class fails synth; a cluster-wide runtime refuses namespaced references', () => {
    const chart = T4();
    const runtime = new TorchDistributedRuntime(chart, 'rt', { namespace: NS, image: IMAGE, script: 'train.py', resourcesPerNode: { gpus: 1 } });
    expect(problemMessages(() => new TrainJob(chart, 'tj', { namespace: NS, runtime, placement: Placement.onNodes({ 'mlscale.io/gpu-class': 'a100' }) }))).toEqual([
      'test/tj: placement.nodeSelector.mlscale.io/gpu-class conflicts with mlscale.io/gpu-class=t4 of the pod\'s other placement (GPU class or pool); got "a100", expected t4, or a placement without mlscale.io/gpu-class',
    ]);
    expect(problemMessages(() => new TorchDistributedRuntime(chart, 'cw', {
      clusterWide: true, image: IMAGE, script: 'train.py', env: { TOKEN }, mounts: [SharedVolume.fromClaimName(chart, 'd', NS, 'd').mount('/d')],
    }))).toEqual([
      'test/cw: env.TOKEN reads a Secret or ConfigMap, but a ClusterTrainingRuntime\'s pods run in the namespace of each TrainJob; got "TOKEN", expected the value in the TrainJob\'s env, or a namespaced runtime (clusterWide: false)',
      'test/cw: mounts names objects of one namespace, but a ClusterTrainingRuntime\'s pods run in the namespace of each TrainJob; got "mounts", expected mounts in the TrainJob, or a namespaced runtime (clusterWide: false)',
    ]);
  });
});
