import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { SecretRef, Artifacts, KfpComponent, MlscaleApp, NotebookSource, ObjectStore, Pipeline, PipelineStep, SharedVolume } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

/** A KFP v1 component written for mlscale's tests (test/fixtures/kfp-components/). */
const GBM_TRAIN = 'test/fixtures/kfp-components/mlscale-gbm-train/component.yaml';
const IMAGE = 'ghcr.io/acme/papermill-datascience:2025.01.2';

function store(chart: Chart) {
  return new ObjectStore(chart, 'artifacts', { namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'team-a', credentials: { secret: SecretRef.fromName('minio') } });
}

/** The 4-step pipeline: prep notebook → features notebook → KFP GBM train → evaluation notebook. */
function fourSteps(chart: Chart, overrides: Partial<Record<'features' | 'train', object>> = {}) {
  return new Pipeline(chart, 'tips', {
    namespace: 'team-a',
    objectStore: store(chart),
    parameters: { source_uri: 's3://team-a/tips.csv' },
    steps: [
      PipelineStep.notebook('prep', {
        notebook: NotebookSource.fromFile('examples/apps/notebooks/prep.ipynb'), image: IMAGE,
        parameters: { source_uri: Pipeline.parameter('source_uri') }, outputs: { clean: { kind: 'artifact', type: 'CSV' } },
      }),
      PipelineStep.notebook('features', {
        dependsOn: ['prep'], notebook: NotebookSource.fromFile('examples/apps/notebooks/features.ipynb'), image: IMAGE,
        parameters: { clean: Pipeline.outputOf('prep', 'clean'), label: 'tip' }, outputs: { training_data: { kind: 'artifact', type: 'CSV' } },
        ...overrides.features,
      }),
      PipelineStep.kfp('train', KfpComponent.fromFile(GBM_TRAIN), {
        dependsOn: ['features'], resources: { cpu: 4, memory: '16Gi' },
        arguments: { train_csv: Pipeline.outputOf('features', 'training_data'), rounds: 300 },
        ...overrides.train,
      }),
      PipelineStep.notebook('evaluate', {
        dependsOn: ['train'], notebook: NotebookSource.fromFile('examples/apps/notebooks/evaluate.ipynb'), image: IMAGE,
        parameters: { model: Pipeline.outputOf('train', 'model'), test_data: Pipeline.outputOf('features', 'training_data') },
      }),
    ],
  });
}

const container = (name: string, dependsOn: string[] = []) => PipelineStep.container(name, { image: 'python:3.12-slim', command: ['true'], dependsOn });

describe('Pipeline', () => {
  test('4-step pipeline: snapshot, DAG edges equal the declared dependencies', () => {
    const chart = testChart();
    fourSteps(chart);
    const docs = byKind(chart);
    expect(docs).toMatchSnapshot();
    const wt = docs.WorkflowTemplate[0];
    const tasks = wt.spec.templates.find((t: any) => t.name === 'main').dag.tasks;
    const edges = tasks.flatMap((t: any) => (t.dependencies ?? []).map((d: string) => `${d}->${t.name}`));
    expect(edges).toEqual(['prep->features', 'features->train', 'train->evaluate']);
    expect(tasks.map((t: any) => t.template)).toEqual(['prep', 'features', 'train', 'evaluate']);
  });

  test('parameters and artifacts flow between steps', () => {
    const chart = testChart();
    fourSteps(chart);
    const wt = byKind(chart).WorkflowTemplate[0];
    const tasks = Object.fromEntries(wt.spec.templates[0].dag.tasks.map((t: any) => [t.name, t]));
    expect(tasks.features.arguments).toEqual({ artifacts: [{ name: 'clean', from: '{{tasks.prep.outputs.artifacts.clean}}' }] });
    expect(tasks.train.arguments.artifacts).toEqual([{ name: 'train_csv', from: '{{tasks.features.outputs.artifacts.training_data}}' }]);
    expect(tasks.evaluate.arguments.artifacts).toEqual([
      { name: 'model', from: '{{tasks.train.outputs.artifacts.model}}' },
      { name: 'test_data', from: '{{tasks.features.outputs.artifacts.training_data}}' },
    ]);
    const features = wt.spec.templates.find((t: any) => t.name === 'features');
    expect(features.inputs).toEqual({ artifacts: [{ name: 'clean', path: '/mlscale/inputs/clean' }] });
    expect(features.outputs).toEqual({
      artifacts: [
        { name: 'training_data', path: '/mlscale/outputs/training_data' },
        // the executed notebook and its HTML export, as files in the artifact repository (the HTML export may fail)
        { name: 'executed-notebook', path: '/mlscale/work/out/features.ipynb', archive: { none: {} } },
        { name: 'executed-html', path: '/mlscale/work/out/features.html', archive: { none: {} }, optional: true },
      ],
    });
    // no storage credentials and no upload in the user's container: Argo saves the outputs
    expect(features.container.env.map((e: any) => e.name)).toEqual(['MLSCALE_NOTEBOOK', 'MLSCALE_OUTPUT_NAME', 'MLSCALE_WORK']);
    expect(features.container.args).toEqual(['-r', 'label', 'tip', '-r', 'clean', '/mlscale/inputs/clean', '-r', 'training_data', '/mlscale/outputs/training_data']);
    expect(wt.spec.artifactRepositoryRef).toEqual({ configMap: 'artifacts-artifact-repository', key: 'artifact-repository' });
    expect(wt.spec.arguments).toEqual({ parameters: [{ name: 'source_uri', value: 's3://team-a/tips.csv' }] });
  });

  test('every template has requests and limits and PSS restricted; workflow-level securityContext too', () => {
    const chart = testChart();
    fourSteps(chart);
    const wt = byKind(chart).WorkflowTemplate[0];
    expect(wt.spec.securityContext).toEqual({ fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    for (const t of wt.spec.templates.filter((x: any) => x.container)) {
      expect(t.securityContext).toEqual(wt.spec.securityContext);
      expect(t.container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
      expect(Object.keys(t.container.resources.requests)).toEqual(['cpu', 'memory']);
      expect(t.container.resources.limits).toEqual(t.container.resources.requests);
    }
    expect(wt.spec.templates.find((t: any) => t.name === 'train').container.resources.limits).toEqual({ cpu: '4', memory: '16Gi' });
  });

  test('service account with only what the Argo executor needs', () => {
    const chart = testChart();
    fourSteps(chart);
    const docs = byKind(chart);
    expect(docs.WorkflowTemplate[0].spec.serviceAccountName).toBe('tips-workflow');
    expect(docs.ServiceAccount.map((s) => s.metadata.name)).toEqual(['tips-workflow']);
    expect(docs.Role[0].rules).toEqual([{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }]);
    expect(docs.RoleBinding[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'tips-workflow', namespace: 'team-a' }]);
    expect(docs.ConfigMap.map((c) => c.metadata.name)).toEqual(['artifacts-artifact-repository', 'tips-prep-notebook', 'tips-features-notebook', 'tips-evaluate-notebook']);
  });

  test('fan-out, NFS volume, nightly schedule and a Slack exit handler with the URL from a Secret', () => {
    const chart = testChart();
    new Pipeline(chart, 'nightly', {
      namespace: 'team-a',
      schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin' },
      notifySlack: { webhookSecret: SecretRef.fromName('slack').key('url') },
      steps: [
        PipelineStep.container('list', { image: 'python:3.12-slim', command: ['python', '-c', 'print(1)'], outputs: { models: { kind: 'parameter', path: '/tmp/models.json' } } }),
        PipelineStep.container('train', {
          dependsOn: ['list'], image: 'python:3.12-slim', command: ['python', 'train.py', '{{inputs.parameters.model}}'],
          fanOut: { items: [{ model: 'xgboost' }, { model: 'lightgbm' }] },
          inputs: { model: { kind: 'parameter', value: Pipeline.item('model') } },
          mounts: [SharedVolume.fromClaimName(chart, 'shared', 'team-a', 'team-a-shared').mount('/mnt/shared')],
        }),
        PipelineStep.container('score', {
          dependsOn: ['list'], image: 'python:3.12-slim', command: ['true'], fanOut: { param: Pipeline.outputOf('list', 'models') },
          inputs: { model: { kind: 'parameter', value: Pipeline.item() } },
        }),
      ],
    });
    const docs = byKind(chart);
    const wt = docs.WorkflowTemplate[0];
    const tasks = wt.spec.templates[0].dag.tasks;
    expect(tasks[1]).toMatchObject({ withItems: [{ model: 'xgboost' }, { model: 'lightgbm' }], arguments: { parameters: [{ name: 'model', value: '{{item.model}}' }] } });
    expect(tasks[2]).toMatchObject({ withParam: '{{tasks.list.outputs.parameters.models}}', arguments: { parameters: [{ name: 'model', value: '{{item}}' }] } });
    const train = wt.spec.templates.find((t: any) => t.name === 'train');
    expect(train.volumes).toEqual([{ name: 'volume-0', persistentVolumeClaim: { claimName: 'team-a-shared' } }]);
    expect(wt.spec.onExit).toBe('exit-handler');
    const exit = wt.spec.templates.find((t: any) => t.name === 'exit-handler');
    expect(exit.container.env).toContainEqual({ name: 'SLACK_WEBHOOK_URL', valueFrom: { secretKeyRef: { name: 'slack', key: 'url' } } });
    expect(exit.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(docs.CronWorkflow[0].spec).toEqual({
      schedules: ['0 2 * * *'], timezone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3,
      workflowSpec: { workflowTemplateRef: { name: 'nightly' } },
    });
  });

  test('a Mermaid diagram per pipeline is written beside the chart', () => {
    const chart = testChart();
    fourSteps(chart);
    const files = Object.fromEntries(Artifacts.of(chart).all);
    expect(files['test.pipelines.md']).toMatchSnapshot();
    expect(files['test.pipelines.md']).toContain('  s0 --> s1\n  s1 --> s2\n  s2 --> s3\n');
  });

  describe('bad input: exact synth errors', () => {
    test('cycle (named), unknown dependency, duplicate step name', () => {
      expect(problemMessages(() => new Pipeline(testChart(), 'p', {
        namespace: 'team-a',
        steps: [container('a', ['c']), container('b', ['a']), container('c', ['b']), container('b'), container('d', ['nope'])],
      }))).toEqual([
        'test/p: steps.b.name is used by two steps; got "b", expected unique step names',
        'test/p: steps.d.dependsOn names an unknown step; got "nope", expected one of "a", "b", "c", "d"',
        'test/p: steps have a dependency cycle: a → c → b → a; got ["a","c","b"], expected dependencies that form a DAG (no cycles)',
      ]);
    });

    test('type mismatch between a connected output and input', () => {
      expect(problemMessages(() => fourSteps(testChart(), { features: { outputs: { training_data: { kind: 'artifact', type: 'TSV' } } } }))).toEqual([
        'test/tips: steps.train.inputs.train_csv has type "CSV" but is connected to output "features.training_data" of another type; got "TSV", expected an output of type "CSV" (or an untyped one)',
      ]);
    });

    test('an artifact output connected to a parameter input', () => {
      expect(problemMessages(() => new Pipeline(testChart(), 'p', {
        namespace: 'team-a',
        steps: [
          PipelineStep.container('a', { image: 'python:3.12-slim', outputs: { data: { kind: 'artifact', path: '/tmp/d' } } }),
          PipelineStep.kfp('b', KfpComponent.fromFile(GBM_TRAIN), { dependsOn: ['a'], arguments: { train_csv: 'x', loss: Pipeline.outputOf('a', 'data') } }),
        ],
      }))).toEqual([
        'test/p: steps.b.inputs.loss is a parameter but is connected to the artifact output "a.data"; got "artifact", expected a parameter output (or make the input a file)',
      ]);
    });

    test('missing required component input; binding an input that does not exist lists the real inputs', () => {
      expect(problemMessages(() => fourSteps(testChart(), { train: { arguments: { rounds: 300, learning_rate: 0.1 } } }))).toEqual([
        'test/tips: steps.train.arguments.learning_rate is not an input of component "mlscale GBM train"; got "learning_rate", expected one of "train_csv", "warm_start", "target_column", "rounds", "extra_params", "loss", "tree_method", "eta", "subsample", "depth"',
        'test/tips: steps.train.arguments misses required inputs of component "mlscale GBM train": "train_csv"; got ["rounds","learning_rate"], expected every input without a default bound',
      ]);
    });

    test('using an output of a step it does not depend on; unknown outputs and parameters', () => {
      expect(problemMessages(() => new Pipeline(testChart(), 'p', {
        namespace: 'team-a',
        steps: [
          PipelineStep.container('a', { image: 'python:3.12-slim', outputs: { n: { kind: 'parameter', path: '/tmp/n' } } }),
          PipelineStep.container('b', {
            image: 'python:3.12-slim',
            inputs: {
              x: { kind: 'parameter', value: Pipeline.outputOf('a', 'n') },
              y: { kind: 'parameter', value: Pipeline.outputOf('a', 'm') },
              z: { kind: 'parameter', value: Pipeline.parameter('date') },
            },
          }),
        ],
      }))).toEqual([
        'test/p: steps.b.inputs.x uses an output of step "a" but does not depend on it; got [], expected "a" among the step\'s dependencies (directly or through other steps)',
        'test/p: steps.b.inputs.y refers to an unknown output of step "a"; got "m", expected one of "n"',
        'test/p: steps.b.inputs.z refers to an unknown pipeline parameter; got "date", expected a parameter declared in the pipeline\'s parameters',
      ]);
    });

    test('a failed synth writes nothing: charts-out stays as it was', () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-pipe-')), 'charts-out');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'previous.k8s.yaml'), 'kind: Previous\n');
      const errors: string[] = [];
      const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => { errors.push(m); });
      try {
        MlscaleApp.run((app) => {
          new Pipeline(new Chart(app, 'pipelines-bad'), 'p', { namespace: 'team-a', steps: [container('a', ['b']), container('b', ['a'])] });
        }, { outdir: out });
      } finally {
        spy.mockRestore();
      }
      expect(process.exitCode).toBe(1);
      process.exitCode = 0;
      expect(errors.join('\n')).toContain('pipelines-bad/p: steps have a dependency cycle: a → b → a');
      expect(fs.readdirSync(out)).toEqual(['previous.k8s.yaml']);
      expect(fs.readFileSync(path.join(out, 'previous.k8s.yaml'), 'utf-8')).toBe('kind: Previous\n');
    });

    test('fan-out over an output of a step it does not depend on', () => {
      expect(problemMessages(() => new Pipeline(testChart(), 'p', {
        namespace: 'team-a',
        steps: [
          PipelineStep.container('a', { image: 'python:3.12-slim', outputs: { n: { kind: 'parameter', path: '/tmp/n' } } }),
          PipelineStep.container('b', { image: 'python:3.12-slim', fanOut: { param: Pipeline.outputOf('a', 'n') } }),
        ],
      }))).toEqual([
        'test/p: steps.b.fanOut.param uses an output of step "a" but does not depend on it; got [], expected "a" among the step\'s dependencies (directly or through other steps)',
      ]);
    });

    test('schedule and literal values Argo would expand', () => {
      const chart = testChart();
      expect(problemMessages(() => new Pipeline(chart, 'p', {
        namespace: 'team-a', objectStore: store(chart),
        schedule: { cron: 'every night', timezone: 'Mars/Olympus' },
        steps: [PipelineStep.notebook('n', { notebook: NotebookSource.fromFile('examples/apps/notebooks/prep.ipynb'), image: IMAGE, parameters: { t: '{{workflow.name}}' } })],
      }))).toEqual([
        'test/p: schedule.cron is not a cron expression; got "every night", expected five fields, e.g. "0 2 * * *"',
        'test/p: schedule.timezone is not a known time zone; got "Mars/Olympus", expected an IANA time zone, e.g. "Europe/Berlin"',
        'test/p: steps.n.parameters.t contains "{{", which Argo would expand; got "{{workflow.name}}", expected a literal without "{{"',
      ]);
    });
  });

  test('time zones: canonical IANA names and the aliases Go\'s time.LoadLocation also knows are accepted; others are not', () => {
    const zone = (timezone: string) => () => new Pipeline(testChart(), 'p', {
      namespace: 'team-a', objectStore: store(testChart()),
      schedule: { cron: '0 2 * * *', timezone },
      steps: [PipelineStep.notebook('n', { notebook: NotebookSource.fromFile('examples/apps/notebooks/prep.ipynb'), image: IMAGE })],
    });
    for (const ok of ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'US/Pacific', 'Asia/Kolkata', 'UTC']) expect(zone(ok)).not.toThrow();
    for (const bad of ['Europe/Berlinn', 'berlin', 'EST5EDT/x']) {
      expect(problemMessages(zone(bad))).toEqual([`test/p: schedule.timezone is not a known time zone; got "${bad}", expected an IANA time zone, e.g. "Europe/Berlin"`]);
    }
  });

  test('synthesis is deterministic', () => {
    const once = () => {
      const chart = testChart();
      fourSteps(chart);
      return JSON.stringify(Testing.synth(chart));
    };
    expect(once()).toBe(once());
  });

  test('KFP fileOutputs: an output the program writes to a fixed path is collected from that path', () => {
    const chart = testChart();
    const component = KfpComponent.fromFile('test/fixtures/kfp-file-outputs/mlscale-file-outputs/component.yaml');
    expect(component.container!.fileOutputs).toEqual({ model: '/tmp/outputs/model/data', metrics: '/app/metrics.json' });
    new Pipeline(chart, 'fixed', {
      namespace: 'team-a', objectStore: store(chart),
      steps: [
        PipelineStep.container('data', { image: 'python:3.12-slim', command: ['true'], outputs: { csv: { kind: 'artifact', path: '/tmp/data.csv' } } }),
        PipelineStep.kfp('train', component, { dependsOn: ['data'], arguments: { training_data: Pipeline.outputOf('data', 'csv') } }),
      ],
    });
    const template = byKind(chart).WorkflowTemplate[0].spec.templates.find((t: any) => t.name === 'train');
    // JsonObject is a parameter type, XGBoostModel an artifact
    expect(template.outputs).toEqual({
      parameters: [{ name: 'metrics', valueFrom: { path: '/app/metrics.json' } }],
      artifacts: [{ name: 'model', path: '/tmp/outputs/model/data' }],
    });
  });

  test('KFP fileOutputs naming no output, or a relative path, is rejected', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-kfp-'));
    const file = path.join(dir, 'component.yaml');
    fs.writeFileSync(file, [
      'name: bad', 'outputs:', '- {name: model}', 'implementation:', '  container:', '    image: a/b:1', '    fileOutputs:', '      modell: /tmp/m', '      model: out/m', '',
    ].join('\n'));
    const rel = path.relative(process.cwd(), file);
    expect(problemMessages(() => KfpComponent.fromFile(rel, { catalog: dir }))).toEqual([
      `${rel}: implementation.container.fileOutputs.modell is not an output of the component; got "modell", expected one of "model"`,
      `${rel}: implementation.container.fileOutputs.model is not an absolute path; got "out/m", expected e.g. "/tmp/outputs/model"`,
    ]);
  });
});


describe('fan-in and conditions', () => {
  const score = (name: string, extra: Record<string, unknown> = {}) => PipelineStep.container(name, {
    image: 'busybox:1.36.1', command: ['sh', '-c', 'echo 0.9 > /tmp/score'], outputs: { score: { kind: 'parameter', type: 'Float', path: '/tmp/score' } }, ...extra,
  });

  test('Pipeline.collect: the step after a fan-out gets every copy\'s value as one JSON list (Argo parameter aggregation)', () => {
    const chart = testChart();
    new Pipeline(chart, 'p', {
      namespace: 'team-a', steps: [
        score('train', { fanOut: { items: ['a', 'b', 'c'] } }),
        PipelineStep.container('pick', {
          dependsOn: ['train'], image: 'busybox:1.36.1', command: ['echo', '{{inputs.parameters.scores}}'],
          inputs: { scores: { kind: 'parameter', type: 'JsonArray', value: Pipeline.collect('train', 'score') } },
          outputs: { best: { kind: 'parameter', path: '/tmp/best' } },
        }),
        PipelineStep.container('publish', { dependsOn: ['pick'], image: 'busybox:1.36.1', command: ['true'], when: Pipeline.when(Pipeline.outputOf('pick', 'best'), '!=', 'none') }),
        PipelineStep.container('alert', { dependsOn: ['pick'], image: 'busybox:1.36.1', command: ['true'], when: Pipeline.when(Pipeline.outputOf('pick', 'best'), '<', 0.5) }),
      ],
    });
    const tasks = byKind(chart).WorkflowTemplate[0].spec.templates[0].dag.tasks;
    expect(tasks[1].arguments).toEqual({ parameters: [{ name: 'scores', value: '{{tasks.train.outputs.parameters.score}}' }] });
    expect(tasks[2].when).toBe('\'{{tasks.pick.outputs.parameters.best}}\' != \'none\'');
    expect(tasks[3].when).toBe('{{tasks.pick.outputs.parameters.best}} < 0.5');
  });

  test('bad input: an output of a fan-out without collect, collect of a step without fan-out, a condition on a step not depended on', () => {
    expect(problemMessages(() => new Pipeline(testChart(), 'p', {
      namespace: 'team-a', steps: [
        score('train', { fanOut: { items: ['a', 'b'] } }),
        score('single'),
        PipelineStep.container('use', {
          dependsOn: ['train', 'single'], image: 'busybox:1.36.1',
          inputs: { s: { kind: 'parameter', value: Pipeline.outputOf('train', 'score') }, t: { kind: 'parameter', value: Pipeline.collect('single', 'score') } },
        }),
        PipelineStep.container('late', { image: 'busybox:1.36.1', when: Pipeline.when(Pipeline.outputOf('single', 'score'), '>', 1) }),
      ],
    }))).toEqual([
      'test/p: steps.use.inputs.s uses an output of the fanned-out step "train"; got "score", expected Pipeline.collect("train", "score") for the list of every copy\'s value, or a step without fanOut',
      'test/p: steps.use.inputs.t collects the output of step "single", which is not fanned out; got "score", expected Pipeline.outputOf for a step without fanOut',
      'test/p: steps.late.when.value uses an output of step "single" but does not depend on it; got [], expected "single" among the step\'s dependencies (directly or through other steps)',
    ]);
  });
});

describe('notebook steps: the notebook in and out as Argo artifacts', () => {
  test('a notebook from an object store is an input artifact read from that store; the executed one is an output', () => {
    const chart = testChart();
    const s = store(chart);
    new Pipeline(chart, 'p', { namespace: 'team-a', objectStore: s, steps: [PipelineStep.notebook('nb', { notebook: NotebookSource.fromObjectStore(s, 'notebooks/x.ipynb'), image: IMAGE })] });
    const t = byKind(chart).WorkflowTemplate[0].spec.templates[1];
    expect(t.inputs.artifacts).toEqual([{
      name: 'notebook-source', path: '/mlscale/source/notebook.ipynb',
      s3: { endpoint: 'minio.minio.svc:9000', bucket: 'team-a', region: 'us-east-1', insecure: true, key: 'mlscale/notebooks/x.ipynb',
        accessKeySecret: { name: 'minio', key: 'accessKey' }, secretKeySecret: { name: 'minio', key: 'secretKey' } },
    }]);
    expect(t.container.env).toContainEqual({ name: 'MLSCALE_NOTEBOOK', value: '/mlscale/source/notebook.ipynb' });
    expect(t.outputs.artifacts.map((a: any) => a.name)).toEqual(['executed-notebook', 'executed-html']);
  });
});

describe('memoization', () => {
  test('a memoized step: Argo memoize with the pipeline\'s cache, no retries, and the controller may write the cache in this namespace only', () => {
    const chart = testChart();
    new Pipeline(chart, 'p', {
      namespace: 'team-a', parameters: { model: 'xgboost' }, steps: [PipelineStep.container('train', {
        image: 'busybox:1.36.1', command: ['true'], inputs: { model: { kind: 'parameter', value: Pipeline.parameter('model') } },
        memoize: { key: 'train-{{inputs.parameters.model}}', maxAge: Duration.hours(24) },
      })],
    });
    const docs = byKind(chart);
    const t = docs.WorkflowTemplate[0].spec.templates[1];
    expect(t.memoize).toEqual({ key: 'train-{{inputs.parameters.model}}', maxAge: '86400s', cache: { configMap: { name: 'p-cache' } } });
    expect(t.retryStrategy).toBeUndefined();
    const role = docs.Role.find((r: any) => r.metadata.name === 'p-cache-writer');
    expect(role.metadata.namespace).toBe('team-a');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['p-cache'], verbs: ['get', 'update'] },
    ]);
    expect(docs.RoleBinding.find((b: any) => b.metadata.name === 'p-cache-writer').subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo-workflows-workflow-controller', namespace: 'argo' }]);
  });

  test('bad input: retries with memoize, a key naming no input, a key that is no ConfigMap key', () => {
    expect(problemMessages(() => new Pipeline(testChart(), 'p', {
      namespace: 'team-a', steps: [PipelineStep.container('train', {
        image: 'busybox:1.36.1', retries: 2, memoize: { key: 'x {{workflow.name}}', maxAge: Duration.hours(1) },
      })],
    }))).toEqual([
      'test/p: steps.train.retries is set on a memoized step, which Argo does not memoize (argo-workflows issue 10426); got 2, expected 0 (the default with memoize)',
      'test/p: steps.train.memoize.key refers to something other than an input parameter of the step; got "{{workflow.name}}", expected a constant (the step has no input parameters)',
      'test/p: steps.train.memoize.key is not a ConfigMap key; got "x {{workflow.name}}", expected letters, digits, \'-\', \'_\' and \'.\' around {{inputs.parameters.<name>}}',
    ]);
  });
});

describe('memoization in the cluster model', () => {
  test('a memoized pipeline passes the cluster model (its kinds served by the add-ons, its pods admitted)', () => {
    const { modelApp, modelMessages, restrictedNamespace } = require('../cluster/model-fixtures');
    const { app, chart } = modelApp();
    const c = chart('pipelines');
    restrictedNamespace(c, 'team-a');
    new Pipeline(c, 'p', {
      namespace: 'team-a', steps: [PipelineStep.container('train', { image: 'busybox:1.36.1', command: ['true'], memoize: { key: 'train', maxAge: Duration.hours(1) } })],
    });
    expect(modelMessages(app)).toEqual([]);
  });
});

describe('namespaces from the chart', () => {
  test('Pipeline and ObjectStore take the chart\'s namespace when the prop is not set; a prop wins; neither is an error', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ml', { namespace: 'team-a' });
    const s = new ObjectStore(chart, 'store', { endpoint: 'http://minio.minio.svc:9000', bucket: 'team-a', credentials: { secret: SecretRef.fromName('minio') } });
    new Pipeline(chart, 'p', { objectStore: s, steps: [PipelineStep.container('a', { image: 'busybox:1.36.1', command: ['true'] })] });
    new Pipeline(chart, 'q', { namespace: 'team-b', steps: [PipelineStep.container('a', { image: 'busybox:1.36.1', command: ['true'] })] });
    const docs = Testing.synth(chart);
    expect(s.namespace).toBe('team-a');
    expect(docs.find((d: any) => d.kind === 'WorkflowTemplate' && d.metadata.name === 'p').metadata.namespace).toBe('team-a');
    expect(docs.find((d: any) => d.kind === 'WorkflowTemplate' && d.metadata.name === 'q').metadata.namespace).toBe('team-b');
    expect(problemMessages(() => new Pipeline(testChart(), 'r', { steps: [PipelineStep.container('a', { image: 'busybox:1.36.1' })] }))).toEqual([
      'test/r: namespace is required; got nothing, expected a namespace, from the props or the chart\'s namespace',
    ]);
  });
});

describe('shared volumes in steps', () => {
  test('a SharedVolume of the namespace mounts (volume-<i>, read-only kept); a claim of another namespace fails synth', () => {
    const chart = testChart();
    const own = new SharedVolume(chart, 'data', { namespace: 'team-a', size: '10Gi' });
    const other = new SharedVolume(chart, 'theirs', { namespace: 'team-b', size: '10Gi' });
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.container('a', { image: 'busybox:1.36.1', command: ['true'], mounts: [own.mount('/data', { readOnly: true, subPath: 'x' })] })] });
    const t = byKind(chart).WorkflowTemplate[0].spec.templates[1];
    expect(t.volumes).toEqual([{ name: 'volume-0', persistentVolumeClaim: { claimName: 'data', readOnly: true } }]);
    expect(t.container.volumeMounts).toEqual([{ name: 'volume-0', mountPath: '/data', readOnly: true, subPath: 'x' }]);
    expect(problemMessages(() => new Pipeline(chart, 'q', { namespace: 'team-a', steps: [PipelineStep.container('a', { image: 'busybox:1.36.1', mounts: [other.mount('/data')] })] }))).toEqual([
      'test/q: steps.a.mounts[0] is a claim of namespace team-b; got "theirs", expected a claim of namespace team-a (a pod mounts claims of its own namespace only)',
    ]);
  });
});

describe('typed step references', () => {
  test('dependsOn and outputOf take the steps themselves; a step of another pipeline is refused', () => {
    const chart = testChart();
    const a = PipelineStep.container('a', { image: 'busybox:1.36.1', command: ['true'], outputs: { n: { kind: 'parameter', path: '/tmp/n' } } });
    const b = PipelineStep.container('b', { dependsOn: [a], image: 'busybox:1.36.1', inputs: { n: { kind: 'parameter', value: Pipeline.outputOf(a, 'n') } } });
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [a, b] });
    const tasks = byKind(chart).WorkflowTemplate[0].spec.templates[0].dag.tasks;
    expect(tasks[1]).toMatchObject({ name: 'b', dependencies: ['a'], arguments: { parameters: [{ name: 'n', value: '{{tasks.a.outputs.parameters.n}}' }] } });
    const stranger = PipelineStep.container('a', { image: 'busybox:1.36.1' });
    expect(problemMessages(() => new Pipeline(testChart(), 'q', { namespace: 'team-a', steps: [a, PipelineStep.container('c', { dependsOn: [stranger], image: 'busybox:1.36.1' })] }))).toEqual([
      'test/q: steps.c.dependsOn is a step of another pipeline; got "a", expected a step of this pipeline',
    ]);
  });
});
