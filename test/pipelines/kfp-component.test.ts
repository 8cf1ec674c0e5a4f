import { KfpComponent } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';
import { Pipeline, PipelineStep } from '../../constructs';

const FIXTURES = 'test/fixtures/kfp-components';

describe('KfpComponent', () => {
  test('parses the XGBoost train component: typed inputs with defaults, outputs, container', () => {
    const c = KfpComponent.fromFile(`${FIXTURES}/ref-567c04c5-xgboost-train/component.yaml`);
    expect(c.name).toBe('Xgboost train');
    expect(c.digest).toBe('09b80053da29f8f51575b42e5d2e8ad4b7bdcc92a02c3744e189b1f597006b38');
    expect(c.inputs.map((i) => [i.name, i.type, i.default, i.optional])).toEqual([
      ['training_data', 'CSV', undefined, false],
      ['starting_model', 'XGBoostModel', undefined, true],
      ['label_column', 'Integer', '0', true],
      ['num_iterations', 'Integer', '10', true],
      ['booster_params', 'JsonObject', undefined, true],
      ['objective', 'String', 'reg:squarederror', true],
      ['booster', 'String', 'gbtree', true],
      ['learning_rate', 'Float', '0.3', true],
      ['min_split_loss', 'Float', '0', true],
      ['max_depth', 'Integer', '6', true],
    ]);
    expect(c.requiredInputs.map((i) => i.name)).toEqual(['training_data']);
    expect(c.outputs.map((o) => [o.name, o.type])).toEqual([['model', 'XGBoostModel'], ['model_config', 'XGBoostModelConfig']]);
    expect(c.container?.image).toBe('python:3.7');
  });

  test('as a step: inputs/outputs become Argo parameters and artifacts, every placeholder resolved', () => {
    const chart = testChart();
    const c = KfpComponent.fromFile(`${FIXTURES}/ref-567c04c5-xgboost-train/component.yaml`);
    new Pipeline(chart, 'p', {
      namespace: 'team-a',
      parameters: { data: 'x' },
      steps: [PipelineStep.kfp('train', c, { arguments: { training_data: Pipeline.parameter('data'), num_iterations: 300, starting_model: 'gs://m/model.bst' } })],
    });
    const wt = byKind(chart).WorkflowTemplate[0];
    const t = wt.spec.templates.find((x: any) => x.name === 'train');
    expect(t.inputs).toEqual({
      parameters: [
        { name: 'label_column', default: '0' },
        { name: 'num_iterations' },
        { name: 'objective', default: 'reg:squarederror' },
        { name: 'booster', default: 'gbtree' },
        { name: 'learning_rate', default: '0.3' },
        { name: 'min_split_loss', default: '0' },
        { name: 'max_depth', default: '6' },
      ],
      artifacts: [
        { name: 'training_data', path: '/tmp/inputs/training_data/data' },
        { name: 'starting_model', path: '/tmp/inputs/starting_model/data' },
      ],
    });
    expect(t.outputs).toEqual({ artifacts: [{ name: 'model', path: '/tmp/outputs/model/data' }, { name: 'model_config', path: '/tmp/outputs/model_config/data' }] });
    expect(t.container.args).toEqual([
      '--training-data', '/tmp/inputs/training_data/data',
      '--starting-model', '/tmp/inputs/starting_model/data',
      '--label-column', '{{inputs.parameters.label_column}}',
      '--num-iterations', '{{inputs.parameters.num_iterations}}',
      '--objective', '{{inputs.parameters.objective}}',
      '--booster', '{{inputs.parameters.booster}}',
      '--learning-rate', '{{inputs.parameters.learning_rate}}',
      '--min-split-loss', '{{inputs.parameters.min_split_loss}}',
      '--max-depth', '{{inputs.parameters.max_depth}}',
      '--model', '/tmp/outputs/model/data',
      '--model-config', '/tmp/outputs/model_config/data',
    ]);
    expect([...t.container.command, ...t.container.args].every((x: unknown) => typeof x === 'string')).toBe(true);
    expect(t.container.command.slice(0, 2)).toEqual(['sh', '-c']);
    const task = wt.spec.templates[0].dag.tasks[0];
    expect(task.arguments).toEqual({
      parameters: [{ name: 'num_iterations', value: '300' }],
      artifacts: [{ name: 'training_data', raw: { data: '{{workflow.parameters.data}}' } }, { name: 'starting_model', raw: { data: 'gs://m/model.bst' } }],
    });
    expect(t.container.resources).toEqual({ limits: { cpu: '1', memory: '2Gi' }, requests: { cpu: '1', memory: '2Gi' } });
    expect(t.securityContext).toMatchObject({ runAsNonRoot: true });
  });

  test('concat and inputValue in the command (nuclio delete); the unpinned image is reported unless replaced', () => {
    const c = KfpComponent.fromFile(`${FIXTURES}/nuclio-delete/component.yaml`);
    expect(c.inputs.map((i) => i.name)).toEqual(['Name', 'Namespace', 'Dashboard']);
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('del', c, { arguments: { Name: 'fn' } })] }))).toEqual([
      'test/p: steps.del.pod.containers[0].image is not pinned (no tag or digest); got "nuclio/pydeploy", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
    ]);
    const chart = testChart();
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('del', c, { image: 'nuclio/pydeploy:1.13.0', arguments: { Name: 'fn' } })] });
    const t = byKind(chart).WorkflowTemplate[0].spec.templates[1];
    expect(t.container.command).toEqual(['python', '-m', 'nuclio', 'del', '{{inputs.parameters.Name}}', '--dashboard-url', '{{inputs.parameters.Dashboard}}', '--namespace', '{{inputs.parameters.Namespace}}']);
  });

  test('the XGBoost cross-validation graph: the missing sub-component is named', () => {
    expect(problemMessages(() => KfpComponent.fromFile(`${FIXTURES}/xgboost-train-and-cross-validate-regression-from-csv/component.yaml`))).toEqual([
      `${FIXTURES}/xgboost-train-and-cross-validate-regression-from-csv/component.yaml: implementation.graph.tasks["Aggregate regression metrics from csv"].componentRef cannot be resolved: no component with digest 3e128130521eff8d43764f3dcb037316cdd6490ad2878df5adef416f7c2f3c19 in the catalog "test/fixtures/kfp-components"; got "https://raw.githubusercontent.com/kubeflow/pipelines/7ea9363fe201918d419fecdc00d1275e657ff712/components/ml_metrics/Aggregate_regression_metrics/component.yaml", expected a componentRef whose digest matches the sha256 of a component.yaml in the catalog folder (mlscale never downloads components)`,
    ]);
  });

  test('a graph whose references all resolve is rejected at use, naming the unsupported feature', () => {
    const c = KfpComponent.fromFile('test/fixtures/kfp-graph/remove-header-twice/component.yaml', { catalog: FIXTURES });
    expect(c.graph?.map((t) => [t.id, t.component.name])).toEqual([['first', 'Remove header'], ['second', 'Remove header']]);
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('g', c, { arguments: { table: 'a,b' } })] }))).toEqual([
      'test/p: steps.g.component is a graph component (implementation.graph with 2 tasks), which mlscale does not translate to Argo; got "Remove header twice", expected a container component (implementation.container); add the graph\'s sub-components as separate steps',
    ]);
  });

  test('placeholders that cannot be translated faithfully are rejected', () => {
    const c = KfpComponent.fromFile('test/fixtures/kfp-graph/uri-placeholder/component.yaml');
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('u', c, { arguments: { data: 'x' } })] }))).toEqual([
      'test/p: steps.u.component.implementation.container.args[1] uses the placeholder "inputUri", which mlscale does not translate to Argo; got {"inputUri":"data"}, expected inputValue, inputPath, outputPath, concat, if/cond/isPresent/then/else (inputUri/outputUri need KFP\'s v2 runtime)',
    ]);
  });

  test('a missing file is reported', () => {
    expect(problemMessages(() => KfpComponent.fromFile('nope/component.yaml'))).toEqual([
      'nope/component.yaml: file does not exist; got "nope/component.yaml", expected a component.yaml, relative to the package root',
    ]);
  });
});
