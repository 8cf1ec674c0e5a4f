import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { SecretRef, AWS_CLI_IMAGE, ClusterProfile, NotebookJob, NotebookSource, ObjectStore, PAPERMILL_SCRIPT, UPLOAD_SCRIPT, projectRoot, SharedVolume } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

const T4 = ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }] });

function store(chart = testChart(T4)) {
  return new ObjectStore(chart, 'results', { namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'team-a', credentials: { secret: SecretRef.fromName('minio') } });
}

describe('NotebookJob', () => {
  test('GPU notebook from a repository file: ConfigMap, papermill in the user image, upload under the pod name', () => {
    const chart = testChart(T4);
    new NotebookJob(chart, 'train', {
      notebook: NotebookSource.fromFile('examples/apps/notebooks/train-gpu.ipynb'),
      image: 'ghcr.io/acme/papermill-pytorch:2.5.1',
      resources: { cpu: 4, memory: '16Gi', gpus: 1 },
      parameters: { epochs: 20, learning_rate: 0.0005, layers: [512, 256], run_name: 'baseline', use_amp: true },
      output: store(chart),
    });
    const docs = byKind(chart);
    expect(docs).toMatchSnapshot();
    const cm = docs.ConfigMap.find((c) => c.metadata.name === 'train-notebook');
    expect(cm.data['notebook.ipynb']).toBe(fs.readFileSync('examples/apps/notebooks/train-gpu.ipynb', 'utf-8'));
    const job = docs.Job[0];
    // papermill runs first (the init container: the user's image, resources and GPU), then mlscale's uploader
    const spec = job.spec.template.spec;
    expect(spec.initContainers.map((x: any) => x.name)).toEqual(['papermill']);
    expect(spec.containers.map((x: any) => [x.name, x.image])).toEqual([['upload', AWS_CLI_IMAGE]]);
    const c = spec.initContainers[0];
    expect(c.image).toBe('ghcr.io/acme/papermill-pytorch:2.5.1');
    expect(c.command).toEqual(['/bin/sh', '-c', PAPERMILL_SCRIPT, 'mlscale-papermill']);
    expect(c.args).toEqual(['-p', 'epochs', '20', '-p', 'learning_rate', '0.0005', '-y', '{"layers":[512,256]}', '-r', 'run_name', 'baseline', '-p', 'use_amp', 'True']);
    expect(c.resources.limits).toEqual({ 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': 1 });
    expect(c.volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' }); // shared memory follows the notebook
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual({ MLSCALE_NOTEBOOK: '/mlscale/input/notebook.ipynb', MLSCALE_OUTPUT_NAME: 'train', MLSCALE_WORK: '/mlscale/work', MLSCALE_EXIT_CODE_FILE: '/mlscale/work/exit-code' });
    // the storage credentials are the uploader's only: the user's container needs no AWS CLI and gets no keys
    const up = Object.fromEntries(spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(up).toMatchObject({
      MLSCALE_OUTPUT_URI: 's3://team-a/mlscale/notebooks/train',
      MLSCALE_RUN_ID: { fieldRef: { fieldPath: 'metadata.name' } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: 'minio', key: 'secretKey' } },
    });
    expect(spec.containers[0].command).toEqual(['/bin/sh', '-c', UPLOAD_SCRIPT]);
    expect(spec.containers[0].resources.limits).toEqual({ cpu: '100m', memory: '256Mi' });
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'notebook', configMap: { name: 'train-notebook' } });
    expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(job.metadata.namespace).toBe('team-a');
  });

  test('tricky parameter values are passed as separate argv elements, never through a shell', () => {
    const chart = testChart();
    const tricky = `it's "quoted" $(rm -rf /) \`id\` ; echo; \n newline {{workflow.name}} -p x 1`;
    new NotebookJob(chart, 'nb', {
      notebook: NotebookSource.fromFile('examples/apps/notebooks/prep.ipynb'),
      image: 'python:3.12-slim',
      parameters: { text: tricky, looks_like_bool: 'True', looks_like_number: '42', dash: '-r', items: ['a"b', "c'd"], neg: -1.5e-7, no: false },
      output: store(chart),
    });
    const c = byKind(chart).Job[0].spec.template.spec.initContainers[0];
    expect(c.args).toEqual([
      '-r', 'text', tricky, '-r', 'looks_like_bool', 'True', '-r', 'looks_like_number', '42', '-r', 'dash', '-r',
      '-y', '{"items":["a\\"b","c\'d"]}', '-p', 'neg', '-1.5e-7', '-p', 'no', 'False',
    ]);
    // the script text never contains a value: everything dynamic comes from "$@" and the environment
    expect(c.command[2]).not.toContain('rm -rf');
    expect(c.command[2]).toContain('papermill "$MLSCALE_NOTEBOOK" "$out" --log-output "$@"');
  });

  test('notebook from a volume or from the object store', () => {
    const chart = testChart();
    const s = store(chart);
    new NotebookJob(chart, 'vol', { notebook: NotebookSource.fromVolume(SharedVolume.fromClaimName(chart, 'shared', 'team-a', 'team-a-shared'), 'projects/churn/train.ipynb'), image: 'python:3.12-slim', output: s });
    new NotebookJob(chart, 'obj', { notebook: NotebookSource.fromObjectStore(s, 'notebooks/train.ipynb'), image: 'python:3.12-slim', output: s, outputPrefix: 'runs/obj' });
    const docs = byKind(chart);
    expect(docs.ConfigMap.map((c) => c.metadata.name)).toEqual(['results-artifact-repository']);
    const [vol, obj] = docs.Job.map((j) => j.spec.template.spec);
    expect(vol.volumes).toContainEqual({ name: 'notebook', persistentVolumeClaim: { claimName: 'team-a-shared', readOnly: true } });
    expect(vol.initContainers[0].env).toContainEqual({ name: 'MLSCALE_NOTEBOOK', value: '/mlscale/volume/projects/churn/train.ipynb' });
    // from the object store: a download init container first, into a volume papermill reads
    expect(obj.initContainers.map((x: any) => [x.name, x.image])).toEqual([['download', AWS_CLI_IMAGE], ['papermill', 'python:3.12-slim']]);
    expect(obj.initContainers[0].env).toContainEqual({ name: 'MLSCALE_INPUT_URI', value: 's3://team-a/mlscale/notebooks/train.ipynb' });
    expect(obj.initContainers[1].env).toContainEqual({ name: 'MLSCALE_NOTEBOOK', value: '/mlscale/source/notebook.ipynb' });
    expect(obj.initContainers[1].volumeMounts).toContainEqual({ name: 'source', mountPath: '/mlscale/source' });
    expect(obj.containers[0].env).toContainEqual({ name: 'MLSCALE_OUTPUT_URI', value: 's3://team-a/mlscale/runs/obj' });
  });

  test('a notebook over the 1 MiB ConfigMap limit is rejected with a clear message', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-nb-'));
    const big = path.join(dir, 'big.ipynb');
    fs.writeFileSync(big, JSON.stringify({ cells: [{ cell_type: 'markdown', source: 'x'.repeat(1024 * 1024) }], nbformat: 4, nbformat_minor: 5, metadata: {} }));
    const size = fs.statSync(big).size;
    expect(problemMessages(() => new NotebookJob(testChart(), 'big', { notebook: NotebookSource.fromFile(big), image: 'python:3.12-slim', output: store() }))).toEqual([
      `test/big: notebook.file is too large for a ConfigMap (${size} bytes); got ${JSON.stringify(big)}, expected at most 1048576 bytes (1 MiB): clear its outputs (jupyter nbconvert --clear-output) or use NotebookSource.fromVolume / fromObjectStore`,
    ]);
  });

  test('bad sources, parameters and env are reported together', () => {
    expect(problemMessages(() => new NotebookJob(testChart(), 'nb', {
      notebook: NotebookSource.fromFile('examples/apps/notebooks/missing.ipynb'),
      image: 'python:3.12-slim',
      parameters: { 'learning-rate': 0.1, 'class': 'x', 'bad': Number.NaN, 'mixed': [1, { a: 1 } as any] },
      env: { AWS_PROFILE: 'x' },
      output: store(),
    }))).toEqual([
      `test/nb: notebook.file does not exist; got "examples/apps/notebooks/missing.ipynb", expected a notebook file, relative to the project root ${projectRoot()}`,
      'test/nb: parameters.learning-rate is not a valid notebook parameter name; got "learning-rate", expected a Python identifier that is not a keyword, e.g. "learning_rate"',
      'test/nb: parameters.class is not a valid notebook parameter name; got "class", expected a Python identifier that is not a keyword, e.g. "learning_rate"',
      'test/nb: parameters.bad is not a supported parameter value; got NaN, expected a string, a finite number, a boolean or a list of those',
      'test/nb: parameters.mixed must be a list of strings, finite numbers or booleans; got [1,{"a":1}], expected e.g. ["a", "b"] or [0.1, 0.01]',
      'test/nb: env.AWS_PROFILE is reserved for the notebook runner; got "AWS_PROFILE", expected a name not starting with MLSCALE_ or AWS_',
    ]);
  });

  test('a file that is not a notebook is rejected', () => {
    expect(problemMessages(() => new NotebookJob(testChart(), 'nb', { notebook: NotebookSource.fromFile('package.json'), image: 'python:3.12-slim', output: store() }))).toEqual([
      'test/nb: notebook.file is not a notebook file; got "package.json", expected a path to an .ipynb file',
    ]);
  });

  test('synthesis is deterministic', () => {
    const once = () => {
      const chart = testChart();
      new NotebookJob(chart, 'nb', { notebook: NotebookSource.fromFile('examples/apps/notebooks/prep.ipynb'), image: 'python:3.12-slim', output: store(chart) });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(once()).toBe(once());
  });
});
