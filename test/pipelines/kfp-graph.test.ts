/**
 * KFP v1 graph components as nested Argo DAG templates (issue 17, item 4): the example
 * cross-validation graph (examples/apps/pipelines/components/xgboost-cross-validate, written here), nested
 * graphs, and what KFP v1 rejects or mlscale does not translate (fixtures written here).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { SecretRef, KfpComponent, NotebookSource, ObjectStore, Pipeline, PipelineStep, kfpDigest } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

const CV = 'examples/apps/pipelines/components/xgboost-cross-validate/component.yaml';
const FIXTURES = 'test/fixtures/kfp-components';

function cvPipeline() {
  const chart = testChart();
  const store = new ObjectStore(chart, 'store', { namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'team-a', credentials: { secret: SecretRef.fromName('minio') } });
  new Pipeline(chart, 'p', {
    namespace: 'team-a', objectStore: store,
    steps: [
      PipelineStep.container('fetch', { image: 'busybox:1.36.1', command: ['true'], outputs: { table: { kind: 'artifact', type: 'CSV', path: '/tmp/t.csv' } } }),
      PipelineStep.kfp('cv', KfpComponent.fromFile(CV), { dependsOn: ['fetch'], resources: { cpu: 2, memory: '8Gi' }, retries: 3, arguments: { data: Pipeline.outputOf('fetch', 'table') } }),
      PipelineStep.notebook('report', {
        dependsOn: ['cv'], notebook: NotebookSource.fromFile('examples/apps/notebooks/evaluate.ipynb'), image: 'ghcr.io/acme/papermill:1.0.0',
        parameters: { model: Pipeline.outputOf('cv', 'model'), cv_rmse: Pipeline.outputOf('cv', 'cv_rmse') },
      }),
    ],
  });
  const wt = byKind(chart).WorkflowTemplate[0];
  const templates = Object.fromEntries(wt.spec.templates.map((t: any) => [t.name, t]));
  return { wt, templates };
}

describe('the cross-validation graph component as a nested DAG', () => {
  const { templates } = cvPipeline();
  const dag = templates.cv;
  const task = (name: string) => dag.dag.tasks.find((t: any) => t.name === name);

  test('one DAG task in the pipeline, one DAG template for the graph with its 12 tasks, named from the task ids', () => {
    expect(templates.main.dag.tasks.map((t: any) => [t.name, t.template, t.dependencies])).toEqual([['fetch', 'fetch', undefined], ['cv', 'cv', ['fetch']], ['report', 'report', ['cv']]]);
    expect(templates.main.dag.tasks[1].arguments).toEqual({ artifacts: [{ name: 'data', from: '{{tasks.fetch.outputs.artifacts.table}}' }] });
    expect(dag.dag.tasks.map((t: any) => t.name)).toEqual([
      'train-on-all-rows', 'split-into-folds', 'train-fold-1', 'predict-fold-1', 'metrics-fold-1', 'train-fold-2', 'predict-fold-2', 'metrics-fold-2',
      'train-fold-3', 'predict-fold-3', 'metrics-fold-3', 'aggregate',
    ]);
  });

  test('edges are exactly the taskOutput references', () => {
    const edges = Object.fromEntries(dag.dag.tasks.map((t: any) => [t.name, t.dependencies ?? []]));
    expect(edges).toEqual({
      'train-on-all-rows': [], 'split-into-folds': [],
      'train-fold-1': ['split-into-folds'], 'predict-fold-1': ['split-into-folds', 'train-fold-1'], 'metrics-fold-1': ['predict-fold-1', 'split-into-folds'],
      'train-fold-2': ['split-into-folds'], 'predict-fold-2': ['split-into-folds', 'train-fold-2'], 'metrics-fold-2': ['predict-fold-2', 'split-into-folds'],
      'train-fold-3': ['split-into-folds'], 'predict-fold-3': ['split-into-folds', 'train-fold-3'], 'metrics-fold-3': ['predict-fold-3', 'split-into-folds'],
      'aggregate': ['metrics-fold-1', 'metrics-fold-2', 'metrics-fold-3'],
    });
  });

  test('arguments: graph inputs, task outputs (artifacts as artifacts, values as parameters) and constants', () => {
    expect(task('split-into-folds').arguments).toEqual({ artifacts: [{ name: 'table', from: '{{inputs.artifacts.data}}' }], parameters: [{ name: 'seed', value: '7' }] });
    expect(task('train-fold-2').arguments).toEqual({
      artifacts: [{ name: 'training_data', from: '{{tasks.split-into-folds.outputs.artifacts.train_2}}' }],
      parameters: [
        { name: 'label_column', value: '{{inputs.parameters.label_column}}' }, { name: 'num_iterations', value: '{{inputs.parameters.num_iterations}}' },
        { name: 'objective', value: '{{inputs.parameters.objective}}' }, { name: 'eval_fraction', value: '0.0' },
      ],
    });
    expect(task('predict-fold-3').arguments.artifacts).toEqual([
      { name: 'data', from: '{{tasks.split-into-folds.outputs.artifacts.test_3}}' }, { name: 'model', from: '{{tasks.train-fold-3.outputs.artifacts.model}}' },
    ]);
    expect(task('aggregate').arguments).toEqual({ parameters: [1, 2, 3].map((k) => ({ name: `metrics_${k}`, value: `{{tasks.metrics-fold-${k}.outputs.parameters.metrics}}` })) });
  });

  test('the graph\'s inputs (defaults of unbound ones) and outputValues are the DAG template\'s inputs and outputs', () => {
    expect(dag.inputs).toEqual({
      parameters: [{ name: 'label_column', default: '0' }, { name: 'num_iterations', default: '200' }, { name: 'objective', default: 'reg:squarederror' }],
      artifacts: [{ name: 'data' }],
    });
    expect(dag.outputs).toEqual({
      parameters: [
        { name: 'cv_metrics', valueFrom: { parameter: '{{tasks.aggregate.outputs.parameters.metrics}}' } },
        { name: 'cv_rmse', valueFrom: { parameter: '{{tasks.aggregate.outputs.parameters.rmse}}' } },
      ],
      artifacts: [{ name: 'model', from: '{{tasks.train-on-all-rows.outputs.artifacts.model}}' }],
    });
    // the notebook after it gets the model as a file and the mean RMSE as a value
    const report = templates.main.dag.tasks[2].arguments;
    expect(report.artifacts).toEqual([{ name: 'model', from: '{{tasks.cv.outputs.artifacts.model}}' }]);
    expect(report.parameters).toEqual([{ name: 'cv_rmse', value: '{{tasks.cv.outputs.parameters.cv_rmse}}' }]);
  });

  test('container templates: one per component and bound inputs (6 for 12 tasks), with the step\'s resources and retries', () => {
    const used = [...new Set(dag.dag.tasks.map((t: any) => t.template))].sort();
    expect(used).toEqual(['cv-mlscale-aggregate-metrics', 'cv-mlscale-regression-metrics', 'cv-mlscale-split-folds', 'cv-mlscale-xgboost-predict', 'cv-mlscale-xgboost-train', 'cv-mlscale-xgboost-train-2']);
    for (const name of used) {
      const t = templates[name as string];
      expect(t.container.resources).toEqual({ requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '2', memory: '8Gi' } });
      expect(t.retryStrategy).toEqual({ limit: 3, retryPolicy: 'OnFailure' });
      expect(t.container.securityContext.runAsNonRoot).toBe(true);
    }
    // train-on-all-rows keeps the component's eval_fraction default; the folds bind it
    expect(task('train-on-all-rows').template).toBe('cv-mlscale-xgboost-train');
    expect(task('train-fold-1').template).toBe('cv-mlscale-xgboost-train-2');
    expect(templates['cv-mlscale-xgboost-train'].inputs.parameters).toContainEqual({ name: 'eval_fraction', default: '0.2' });
    expect(templates['cv-mlscale-xgboost-train-2'].inputs.parameters).toContainEqual({ name: 'eval_fraction' });
    expect(templates['cv-mlscale-split-folds'].container.args).toEqual([
      '--table', '/tmp/inputs/table/data', '--seed', '{{inputs.parameters.seed}}',
      ...[1, 2, 3].flatMap((k) => [`--train-${k}`, `/tmp/outputs/train_${k}/data`, `--test-${k}`, `/tmp/outputs/test_${k}/data`]),
    ]);
  });
});

describe('graphs of graphs, and graph components KFP v1 rejects', () => {
  test('a graph of graphs: a DAG template per nested graph, one container template for all four tasks', () => {
    const chart = testChart();
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('drop4', KfpComponent.fromFile(`${FIXTURES}/mlscale-drop-four-lines/component.yaml`), { arguments: { lines: 'a\nb\nc\nd\ne' } })] });
    const templates = Object.fromEntries(byKind(chart).WorkflowTemplate[0].spec.templates.map((t: any) => [t.name, t]));
    expect(Object.keys(templates)).toEqual(['main', 'drop4', 'drop4-mlscale-drop-first-line', 'drop4-first-two', 'drop4-next-two']);
    expect(templates.drop4.dag.tasks).toEqual([
      { name: 'first-two', template: 'drop4-first-two', arguments: { artifacts: [{ name: 'lines', from: '{{inputs.artifacts.lines}}' }] } },
      { name: 'next-two', template: 'drop4-next-two', dependencies: ['first-two'], arguments: { artifacts: [{ name: 'lines', from: '{{tasks.first-two.outputs.artifacts.rest}}' }] } },
    ]);
    expect(templates['drop4-next-two'].dag.tasks.map((t: any) => [t.name, t.template])).toEqual([['once', 'drop4-mlscale-drop-first-line'], ['twice', 'drop4-mlscale-drop-first-line']]);
    expect(templates['drop4-next-two'].outputs).toEqual({ artifacts: [{ name: 'rest', from: '{{tasks.twice.outputs.artifacts.rest}}' }] });
    // a literal for a file input of the graph reaches the first task as raw data
    expect(byKind(chart).WorkflowTemplate[0].spec.templates[0].dag.tasks[0].arguments).toEqual({ artifacts: [{ name: 'lines', raw: { data: 'a\nb\nc\nd\ne' } }] });
  });

  test('one problem per mistake: run-time condition, wrong type, unbound required input, a file given as a value', () => {
    const c = KfpComponent.fromFile('test/fixtures/kfp-graph-cases/mlscale-bad-graph/component.yaml', { catalog: FIXTURES });
    const at = 'test/p: steps.g.component.implementation.graph.tasks';
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('g', c, { arguments: { labels: 'x', table: 'y' } })] }))).toEqual([
      `${at}["conditional"].isEnabled is a run-time condition of a graph task, which mlscale does not translate; got {"==":{"op1":"a","op2":"b"}}, expected a graph without isEnabled (KFP v1 itself ignores it inside graphs)`,
      `${at}["typed wrong"].arguments.train_csv has type "CSV" but is given a value of type "Text"; got "Text", expected a value of type "CSV" (or an untyped one), as KFP v1 requires`,
      `${at}["no table"].arguments misses required inputs of component "mlscale GBM train": "train_csv"; got ["rounds"], expected every input without a default bound`,
      `${at}["typed-wrong"].arguments.rounds has type "Integer" but is given a value of type "GBMModel"; got "GBMModel", expected a value of type "Integer" (or an untyped one), as KFP v1 requires`,
      `${at}["typed-wrong"].arguments.rounds is a value but is given a file (artifact); got "{{tasks.typed-wrong.outputs.artifacts.model}}", expected a parameter output or a constant`,
    ]);
  });

  test('an untyped output taken by value (KFP v1 accepts it): the producer also outputs the file as a parameter', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-kfp-'));
    const file = path.join(dir, 'component.yaml');
    fs.writeFileSync(file, [
      'name: count then train', 'inputs: [{name: table, type: CSV}]', 'outputs: []', 'implementation:', '  graph:', '    tasks:',
      '      strip: {componentRef: {digest: 2499676ea42c7f62d6ecc36d563f1e68b199c2d4b71475b67fb498f5b47c0b03}, arguments: {lines: {graphInput: {inputName: table}}}}',
      '      train: {componentRef: {digest: 7a60e2ac3c202d7962265d3894885bb312ed692091b0d2c110d80314897b1071}, arguments: {train_csv: {graphInput: {inputName: table}}, rounds: {taskOutput: {taskId: strip, outputName: rest}}}}',
      '',
    ].join('\n'));
    const c = KfpComponent.fromFile(path.relative(process.cwd(), file), { catalog: FIXTURES });
    const chart = testChart();
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('g', c, { arguments: { table: 'a,b' } })] });
    const templates = Object.fromEntries(byKind(chart).WorkflowTemplate[0].spec.templates.map((t: any) => [t.name, t]));
    expect(templates.g.dag.tasks[1].arguments.parameters).toContainEqual({ name: 'rounds', value: '{{tasks.strip.outputs.parameters.rest}}' });
    expect(templates['g-mlscale-drop-first-line'].outputs).toEqual({ parameters: [{ name: 'rest', valueFrom: { path: '/tmp/outputs/rest/data' } }], artifacts: [{ name: 'rest', path: '/tmp/outputs/rest/data' }] });
  });

  test('task ids that sanitize alike get distinct Argo names', () => {
    const c = KfpComponent.fromFile('test/fixtures/kfp-graph-cases/mlscale-bad-graph/component.yaml', { catalog: FIXTURES });
    expect(c.graph!.map((t) => t.id)).toContain('typed-wrong');
    const chart = testChart();
    // only the naming is looked at here: the other mistakes are reported above
    expect(() => new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('g', c, { arguments: { labels: 'x', table: 'y' } })] })).toThrow(/typed-wrong/);
  });

  test('a cycle and a reference to an output or task that does not exist are rejected when the file is read', () => {
    const file = 'test/fixtures/kfp-graph-cases/mlscale-cyclic-graph/component.yaml';
    expect(problemMessages(() => KfpComponent.fromFile(file, { catalog: FIXTURES }))).toEqual([
      `${file}: implementation.graph.tasks have a dependency cycle: a → b → a; got ["a","b"], expected tasks whose taskOutput references form a DAG`,
    ]);
  });

  test('digests are KFP\'s: sha256 with CRLF line ends read as LF', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-kfp-'));
    const lf = fs.readFileSync(`${FIXTURES}/mlscale-drop-first-line/component.yaml`);
    fs.writeFileSync(path.join(dir, 'crlf.yaml'), lf.toString('utf8').replace(/\n/g, '\r\n'));
    expect(kfpDigest(fs.readFileSync(path.join(dir, 'crlf.yaml')))).toBe(kfpDigest(lf));
    expect(kfpDigest(lf)).toBe('2499676ea42c7f62d6ecc36d563f1e68b199c2d4b71475b67fb498f5b47c0b03');
  });

  test('between steps too: an untyped KFP output given to a parameter input; a typed artifact still is not', () => {
    const drop = KfpComponent.fromFile(`${FIXTURES}/mlscale-drop-first-line/component.yaml`);
    const chart = testChart();
    new Pipeline(chart, 'p', {
      namespace: 'team-a', steps: [
        PipelineStep.kfp('strip', drop, { arguments: { lines: 'a\nb' } }),
        PipelineStep.container('show', { dependsOn: ['strip'], image: 'busybox:1.36.1', command: ['echo', '{{inputs.parameters.text}}'], inputs: { text: { kind: 'parameter', value: Pipeline.outputOf('strip', 'rest') } } }),
      ],
    });
    const wt = byKind(chart).WorkflowTemplate[0].spec;
    expect(wt.templates[0].dag.tasks[1].arguments).toEqual({ parameters: [{ name: 'text', value: '{{tasks.strip.outputs.parameters.rest}}' }] });
    expect(wt.templates[1].outputs.parameters).toEqual([{ name: 'rest', valueFrom: { path: '/tmp/outputs/rest/data' } }]);
    const gbm = KfpComponent.fromFile(`${FIXTURES}/mlscale-gbm-train/component.yaml`);
    expect(problemMessages(() => new Pipeline(testChart(), 'p', {
      namespace: 'team-a', steps: [
        PipelineStep.kfp('train', gbm, { arguments: { train_csv: 'a,b' } }),
        PipelineStep.container('show', { dependsOn: ['train'], image: 'busybox:1.36.1', inputs: { m: { kind: 'parameter', value: Pipeline.outputOf('train', 'model') } } }),
      ],
    }))).toEqual(['test/p: steps.show.inputs.m is a parameter but is connected to the artifact output "train.model"; got "GBMModel", expected a parameter output (or make the input a file)']);
  });
});

describe('literal braces in a component\'s program', () => {
  test('text with {{ reaches the container through a ConfigMap-backed env var the kubelet expands; Argo sees none of it', () => {
    const c = KfpComponent.fromFile(`${FIXTURES}/mlscale-braces/component.yaml`);
    const chart = testChart();
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('greet', c)] });
    const docs = byKind(chart);
    const container = docs.WorkflowTemplate[0].spec.templates[1].container;
    // braces next to a placeholder go through the ConfigMap too (`{{{` would be misread by Argo): after Argo and the kubelet, "{{world}}"
    expect(container.command).toEqual(['python3', '-c', '$(MLSCALE_LITERAL_0)', '$(MLSCALE_LITERAL_1){{inputs.parameters.who}}$(MLSCALE_LITERAL_2)', '/tmp/outputs/greeting/data']);
    expect(container.env.filter((e: any) => e.name.startsWith('MLSCALE_LITERAL_'))).toEqual([0, 1, 2].map((i) => ({ name: `MLSCALE_LITERAL_${i}`, valueFrom: { configMapKeyRef: { name: 'p-greet-literals', key: `literal-${i}` } } })));
    const cm = docs.ConfigMap.find((m: any) => m.metadata.name === 'p-greet-literals');
    expect(cm.data['literal-0']).toContain('text = f"{{hello}} {name}: {{{{ not a template }}}}"');
    expect([cm.data['literal-1'], cm.data['literal-2']]).toEqual(['{{', '}}']);
    // the only {{ … }} left in the workflow are mlscale's own expressions
    const text = JSON.stringify(docs.WorkflowTemplate[0]);
    expect(text.match(/\{\{[^}]*\}\}/g)?.every((m) => /^\{\{(inputs|tasks|workflow)\./.test(m))).toBe(true);
  });

  test('an argument value with {{ is refused (Argo would expand it)', () => {
    const c = KfpComponent.fromFile(`${FIXTURES}/mlscale-braces/component.yaml`);
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('greet', c, { arguments: { who: '{{x}}' } })] }))).toEqual([
      'test/p: steps.greet.arguments.who contains "{{", which Argo would expand; got "{{x}}", expected a literal without "{{" (or pass it in the component\'s code)',
    ]);
  });
});

describe('names Argo takes', () => {
  test('a step name starting with a digit is refused; graph task ids starting with one get a prefix; long template names are shortened with a hash to valid label values', () => {
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.container('2-train', { image: 'busybox:1.36.1' })] }))).toEqual([
      'test/p: steps.2-train.name starts with a digit, which Argo refuses for DAG tasks with dependencies; got "2-train", expected a name starting with a letter',
    ]);
    const chart = testChart();
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('cross-validate-the-tips-table-nightly', KfpComponent.fromFile(CV), { arguments: { data: 'a,b' } })] });
    const names = byKind(chart).WorkflowTemplate[0].spec.templates.map((t: any) => t.name as string);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^[a-z][-a-z0-9]*$/);
    }
    // e.g. cross-validate-the-tips-table-nightly-mlscale-xgboost-train (60 characters) → 50 characters and a hash
    expect(names.filter((n: string) => /-[0-9a-f]{8}$/.test(n)).length).toBeGreaterThan(0);
  });

  test('memoize on a graph step is refused (Argo memoizes templates, not a graph of them)', () => {
    expect(problemMessages(() => new Pipeline(testChart(), 'p', {
      namespace: 'team-a', steps: [PipelineStep.kfp('cv', KfpComponent.fromFile(CV), { arguments: { data: 'a,b' }, memoize: { key: 'cv', maxAge: Duration.hours(1) } })],
    }))).toContain('test/p: steps.cv.memoize is set on a graph component, which Argo does not memoize as a whole; got "cv", expected memoize on container steps');
  });
});
