import { execFileSync } from 'child_process';
import { SecretRef, KfpComponent, projectRoot } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';
import { Pipeline, PipelineStep } from '../../constructs';

/**
 * KFP v1 component fixtures written for mlscale (see the header comment of each file for the
 * spec features it exercises). Upstream components are tested in kfp-upstream.test.ts, only
 * when MLSCALE_UPSTREAM_MIRROR names a local mirror of them.
 */
const FIXTURES = 'test/fixtures/kfp-components';
const GBM_TRAIN = `${FIXTURES}/mlscale-gbm-train/component.yaml`;
/** `sha256sum test/fixtures/kfp-components/mlscale-gbm-train/component.yaml` */
const GBM_TRAIN_SHA256 = '7a60e2ac3c202d7962265d3894885bb312ed692091b0d2c110d80314897b1071';
/** `sha256sum test/fixtures/kfp-components/mlscale-drop-first-line/component.yaml` */
const DROP_FIRST_LINE_SHA256 = '2499676ea42c7f62d6ecc36d563f1e68b199c2d4b71475b67fb498f5b47c0b03';
const NOT_TRANSLATED = 'expected inputValue, inputPath, outputPath, concat, if/cond/isPresent/then/else (inputUri/outputUri need KFP\'s v2 runtime)';
const UNRESOLVED = 'expected a componentRef whose digest matches the sha256 of a component.yaml in the catalog folder (mlscale never downloads components)';

describe('KfpComponent', () => {
  test('parses the GBM train component: typed inputs with defaults, optional inputs, outputs, container', () => {
    const c = KfpComponent.fromFile(GBM_TRAIN);
    expect(c.name).toBe('mlscale GBM train');
    expect(c.description).toBe('Fits a gradient-boosted tree model to a CSV table whose first row names the columns,\nthen writes the model and the training loss of every boosting round.');
    expect(c.digest).toBe(GBM_TRAIN_SHA256);
    expect(c.source).toBe(GBM_TRAIN);
    expect(c.inputs.map((i) => [i.name, i.type, i.default, i.optional])).toEqual([
      ['train_csv', 'CSV', undefined, false],
      ['warm_start', 'GBMModel', undefined, true], // type in the {GBMModel: {format: ubj}} form
      ['target_column', 'Integer', '0', true],
      ['rounds', 'Integer', '50', true], // unquoted YAML default 50; a default makes the input optional
      ['extra_params', 'JsonObject', undefined, true],
      ['loss', 'String', 'squared_error', true],
      ['tree_method', 'String', 'hist', true],
      ['eta', 'Float', '0.1', true],
      ['subsample', 'Float', '1.0', true],
      ['depth', 'Integer', '8', true],
    ]);
    expect(c.input('depth')?.description).toBe('Deepest level a tree may reach.');
    expect(c.input('tree_method')?.description).toBeUndefined();
    expect(c.input('nope')).toBeUndefined();
    expect(c.requiredInputs.map((i) => i.name)).toEqual(['train_csv']);
    expect(c.outputs.map((o) => [o.name, o.type, o.description])).toEqual([
      ['model', 'GBMModel', 'The fitted model in the trainer\'s binary format.'],
      ['loss_curve', 'JsonArray', 'Training loss after each round, as a JSON list of numbers.'],
    ]);
    expect(['train_csv', 'warm_start', 'rounds', 'extra_params'].map((n) => c.inputKind(n))).toEqual(['artifact', 'artifact', 'parameter', 'parameter']);
    expect(['model', 'loss_curve'].map((n) => c.outputKind(n))).toEqual(['artifact', 'parameter']);
    expect(c.container?.image).toBe('ghcr.io/mlscale-examples/gbm-trainer:0.3.1');
    expect(c.container?.env).toEqual({ PYTHONUNBUFFERED: '1', GBM_NUM_THREADS: '0' });
    expect(c.graph).toBeUndefined();
  });

  test('as a step: inputs/outputs become Argo parameters and artifacts, every placeholder resolved', () => {
    const chart = testChart();
    const c = KfpComponent.fromFile(GBM_TRAIN);
    new Pipeline(chart, 'p', {
      namespace: 'team-a',
      parameters: { data: 'x' },
      steps: [PipelineStep.kfp('train', c, { arguments: { train_csv: Pipeline.parameter('data'), rounds: 300, warm_start: 's3://team-a/models/previous.ubj' } })],
    });
    const wt = byKind(chart).WorkflowTemplate[0];
    const t = wt.spec.templates.find((x: any) => x.name === 'train');
    // extra_params (optional, no default, unbound) is absent; bound inputs carry no default
    expect(t.inputs).toEqual({
      parameters: [
        { name: 'target_column', default: '0' },
        { name: 'rounds' },
        { name: 'loss', default: 'squared_error' },
        { name: 'tree_method', default: 'hist' },
        { name: 'eta', default: '0.1' },
        { name: 'subsample', default: '1.0' },
        { name: 'depth', default: '8' },
      ],
      artifacts: [
        { name: 'train_csv', path: '/tmp/inputs/train_csv/data' },
        { name: 'warm_start', path: '/tmp/inputs/warm_start/data' },
      ],
    });
    expect(t.outputs).toEqual({
      artifacts: [{ name: 'model', path: '/tmp/outputs/model/data' }],
      parameters: [{ name: 'loss_curve', valueFrom: { path: '/tmp/outputs/loss_curve/data' } }],
    });
    expect(t.container.command).toEqual(['sh', '-c', 'exec python -m mlscale_examples.gbm.train "$@"', 'gbm-train']);
    expect(t.container.args).toEqual([
      '--train-csv', '/tmp/inputs/train_csv/data',
      '--warm-start', '/tmp/inputs/warm_start/data', // if/isPresent → then
      '--target-column', '{{inputs.parameters.target_column}}',
      '--rounds', '{{inputs.parameters.rounds}}',
      '--loss={{inputs.parameters.loss}}', // concat
      '--tree-method', '{{inputs.parameters.tree_method}}',
      '--eta', '{{inputs.parameters.eta}}',
      '--subsample', '{{inputs.parameters.subsample}}',
      '--depth', '{{inputs.parameters.depth}}',
      '--model-out', '/tmp/outputs/model/data',
      '--loss-curve-out', '/tmp/outputs/loss_curve/data',
    ]);
    expect([...t.container.command, ...t.container.args].every((x: unknown) => typeof x === 'string')).toBe(true);
    expect(t.container.command.slice(0, 2)).toEqual(['sh', '-c']);
    // the component's env, plus the writable HOME mlscale adds
    expect(t.container.env).toEqual([{ name: 'PYTHONUNBUFFERED', value: '1' }, { name: 'GBM_NUM_THREADS', value: '0' }, { name: 'HOME', value: '/tmp' }]);
    const task = wt.spec.templates[0].dag.tasks[0];
    expect(task.arguments).toEqual({
      parameters: [{ name: 'rounds', value: '300' }],
      artifacts: [{ name: 'train_csv', raw: { data: '{{workflow.parameters.data}}' } }, { name: 'warm_start', raw: { data: 's3://team-a/models/previous.ubj' } }],
    });
    expect(t.container.resources).toEqual({ limits: { cpu: '1', memory: '2Gi' }, requests: { cpu: '1', memory: '2Gi' } });
    expect(t.securityContext).toMatchObject({ runAsNonRoot: true });
  });

  test('if/isPresent takes the else branch for an unbound optional input; a bound optional input is passed', () => {
    const chart = testChart();
    new Pipeline(chart, 'p', {
      namespace: 'team-a',
      steps: [PipelineStep.kfp('train', KfpComponent.fromFile(GBM_TRAIN), { arguments: { train_csv: 'a,b\n1,2\n', extra_params: '{"gamma": 1}' } })],
    });
    const t = byKind(chart).WorkflowTemplate[0].spec.templates[1];
    expect(t.container.args.slice(0, 9)).toEqual([
      '--train-csv', '/tmp/inputs/train_csv/data',
      '--cold-start', // warm_start unbound: the scalar else branch
      '--target-column', '{{inputs.parameters.target_column}}',
      '--rounds', '{{inputs.parameters.rounds}}',
      '--extra-params', '{{inputs.parameters.extra_params}}',
    ]);
    expect(t.inputs.artifacts).toEqual([{ name: 'train_csv', path: '/tmp/inputs/train_csv/data' }]);
    expect(t.inputs.parameters.slice(0, 3)).toEqual([{ name: 'target_column', default: '0' }, { name: 'rounds', default: '50' }, { name: 'extra_params' }]);
  });

  test('concat, inputValue, a number and a constant if in the command (endpoint delete); the unpinned image is reported unless replaced', () => {
    const c = KfpComponent.fromFile(`${FIXTURES}/mlscale-endpoint-delete/component.yaml`);
    expect(c.inputs.map((i) => i.name)).toEqual(['endpoint', 'namespace', 'registry_url']);
    expect(c.outputs).toEqual([]);
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('del', c, { arguments: { endpoint: 'tips-v3' } })] }))).toEqual([
      'test/p: steps.del.pod.containers[0].image is not pinned (no tag or digest); got "ghcr.io/mlscale-examples/endpoint-cli", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
    ]);
    const chart = testChart();
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('del', c, { image: 'ghcr.io/mlscale-examples/endpoint-cli:0.9.2', arguments: { endpoint: 'tips-v3' } })] });
    const t = byKind(chart).WorkflowTemplate[0].spec.templates[1];
    expect(t.container.image).toBe('ghcr.io/mlscale-examples/endpoint-cli:0.9.2');
    expect(t.container.command).toEqual([
      'python', '-m', 'mlscale_examples.endpoints', 'remove', '{{inputs.parameters.endpoint}}',
      '--registry={{inputs.parameters.registry_url}}/api/v1', '--namespace', '{{inputs.parameters.namespace}}',
      '--wait-seconds', '30', // a YAML number, as a string
      '--drain-first', // `cond: false` → else
    ]);
    expect(t.container.args).toBeUndefined();
    // the empty default still makes the input present
    expect(t.inputs).toEqual({ parameters: [{ name: 'endpoint' }, { name: 'namespace', default: '' }, { name: 'registry_url', default: 'http://model-registry.serving.svc:8080' }] });
    expect(t.outputs).toBeUndefined();
  });

  test('a graph with an unresolvable sub-component: the missing one is named (the others resolve)', () => {
    expect(problemMessages(() => KfpComponent.fromFile(`${FIXTURES}/mlscale-train-and-report/component.yaml`))).toEqual([
      `${FIXTURES}/mlscale-train-and-report/component.yaml: implementation.graph.tasks["publish report"].componentRef cannot be resolved: no component with digest aeb41febe079f6945fbb635db1d711932ffc3a1640459e73d718dcbc38efb6bb in the catalog "test/fixtures/kfp-components"; got "https://example.invalid/mlscale/kfp-components/mlscale-publish-report/component.yaml", ${UNRESOLVED}`,
    ]);
  });

  test('a graph whose references all resolve by digest becomes a nested DAG at use (kfp-graph.test.ts has the details)', () => {
    const file = `${FIXTURES}/mlscale-drop-two-lines/component.yaml`;
    for (const c of [KfpComponent.fromFile(file), KfpComponent.fromFile(file, { catalog: FIXTURES })]) {
      expect(c.container).toBeUndefined();
      expect(c.graph?.map((t) => [t.id, t.component.name, t.component.digest, t.component.source])).toEqual([
        ['once', 'mlscale drop first line', DROP_FIRST_LINE_SHA256, `${FIXTURES}/mlscale-drop-first-line/component.yaml`],
        ['twice', 'mlscale drop first line', DROP_FIRST_LINE_SHA256, `${FIXTURES}/mlscale-drop-first-line/component.yaml`],
      ]);
      expect(c.graph?.map((t) => t.arguments)).toEqual([{ lines: { graphInput: { inputName: 'lines' } } }, { lines: { taskOutput: { taskId: 'once', outputName: 'rest' } } }]);
      const sub = c.graph![0].component;
      expect([sub.inputs.map((i) => [i.name, i.type, i.optional]), sub.outputs.map((o) => [o.name, o.type]), sub.inputKind('lines'), sub.outputKind('rest')])
        .toEqual([[['lines', undefined, false]], [['rest', undefined]], 'artifact', 'artifact']);
    }
    const c = KfpComponent.fromFile(file);
    const chart = testChart();
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('g', c, { arguments: { lines: 'a,b' } })] });
    const templates = byKind(chart).WorkflowTemplate[0].spec.templates;
    expect(templates.map((t: any) => t.name)).toEqual(['main', 'g', 'g-mlscale-drop-first-line']);
    expect(templates[1].dag.tasks.map((t: any) => [t.name, t.template, t.dependencies])).toEqual([['once', 'g-mlscale-drop-first-line', undefined], ['twice', 'g-mlscale-drop-first-line', ['once']]]);
  });

  test('componentRefs resolve only from the catalog folder: another catalog does not have them', () => {
    const file = `${FIXTURES}/mlscale-drop-two-lines/component.yaml`;
    const missing = `no component with digest ${DROP_FIRST_LINE_SHA256} in the catalog "test/fixtures/kfp-graph"`;
    expect(problemMessages(() => KfpComponent.fromFile(file, { catalog: 'test/fixtures/kfp-graph' }))).toEqual([
      `${file}: implementation.graph.tasks["once"].componentRef cannot be resolved: ${missing}; got "https://example.invalid/mlscale/kfp-components/mlscale-drop-first-line/component.yaml", ${UNRESOLVED}`,
      `${file}: implementation.graph.tasks["twice"].componentRef cannot be resolved: ${missing}; got {"name":"mlscale drop first line","digest":"${DROP_FIRST_LINE_SHA256}"}, ${UNRESOLVED}`,
    ]);
  });

  test('placeholders that cannot be translated faithfully are rejected', () => {
    const c = KfpComponent.fromFile('test/fixtures/kfp-graph/uri-placeholder/component.yaml');
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('u', c, { arguments: { data: 'x' } })] }))).toEqual([
      `test/p: steps.u.component.implementation.container.args[1] uses the placeholder "inputUri", which mlscale does not translate to Argo; got {"inputUri":"data"}, ${NOT_TRANSLATED}`,
    ]);
  });

  test('inputUri, outputUri and conditions on run-time values are rejected; a constant condition and a defaulted input are not', () => {
    const c = KfpComponent.fromFile(`${FIXTURES}/mlscale-export-table/component.yaml`);
    const uris = [
      `test/p: steps.u.component.implementation.container.args[1] uses the placeholder "inputUri", which mlscale does not translate to Argo; got {"inputUri":"source"}, ${NOT_TRANSLATED}`,
      `test/p: steps.u.component.implementation.container.args[3] uses the placeholder "outputUri", which mlscale does not translate to Argo; got {"outputUri":"exported"}, ${NOT_TRANSLATED}`,
    ];
    // compress left at its default 'False': decided at synth
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('u', c, { arguments: { source: 'x' } })] }))).toEqual(uris);
    expect(problemMessages(() => new Pipeline(testChart(), 'p', {
      namespace: 'team-a', parameters: { gz: 'true' }, steps: [PipelineStep.kfp('u', c, { arguments: { source: 'x', compress: Pipeline.parameter('gz') } })],
    }))).toEqual([...uris,
      'test/p: steps.u.component.implementation.container.args[4].if.cond tests an input only known at run time; got {"inputValue":"compress"}, expected {inputValue: <input>} of an input bound to a literal or left at its default (decided at synth)',
    ]);
  });

  test('a component without command: `command` names the image\'s entrypoint; imagePullSecrets reach the workflow (and the externals)', () => {
    const train = KfpComponent.fromFile('examples/apps/pipelines/components/xgboost-train/component.yaml');
    const chart = testChart();
    new Pipeline(chart, 'p', {
      namespace: 'team-a', imagePullSecrets: [SecretRef.fromName('acme-registry')],
      steps: [PipelineStep.kfp('train', train, { arguments: { training_data: 'a,b' }, command: ['/usr/local/bin/train'] })],
    });
    const spec = byKind(chart).WorkflowTemplate[0].spec;
    expect(spec.imagePullSecrets).toEqual([{ name: 'acme-registry' }]);
    expect(spec.templates[1].container.command).toEqual(['/usr/local/bin/train']);
    expect(spec.templates[1].container.args.slice(0, 2)).toEqual(['--training-data', '/tmp/inputs/training_data/data']);
    const drop = KfpComponent.fromFile(`${FIXTURES}/mlscale-drop-first-line/component.yaml`);
    expect(problemMessages(() => new Pipeline(testChart(), 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('d', drop, { arguments: { lines: 'x' }, command: ['sh'] })] }))).toEqual([
      'test/p: steps.d.command is set for a component that has a command; got ["sh"], expected no command (only components without one need the image\'s entrypoint named)',
    ]);
  });

  test('YAML is read as KFP v1\'s PyYAML reads it (YAML 1.1 implicit types, merge keys, the last of a repeated key)', () => {
    const file = `${FIXTURES}/mlscale-yaml-1-1/component.yaml`;
    const c = KfpComponent.fromFile(file);
    expect(c.description).toBe('Reads like PyYAML.');
    // the defaults as KFP turns them into text (str() of what PyYAML gives: True, 493, 90, '1e3', a date, 'n')
    expect(c.inputs.map((i) => [i.name, i.default])).toEqual([
      ['verbose', 'True'], ['mode', '493'], ['timeout', '90'], ['scale', '1e3'], ['since', '2001-12-14'], ['answer', 'n'], ['other', 'n'],
      ['ratio', '1.0'], ['big', '1e+20'], ['code', '08'],
    ]);
    // the same file through PyYAML itself, when this machine's python3 has it (Debian: python3-yaml)
    let pyyaml: string | undefined;
    try {
      pyyaml = execFileSync('python3', ['-c', 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print("|".join("%s=%s" % (i["name"], i["default"]) for i in d["inputs"]) + "|" + d["description"])', file], { encoding: 'utf8' }).trim();
    } catch {
      pyyaml = undefined; // no PyYAML: the expectations above were taken from it
    }
    if (pyyaml !== undefined) expect(pyyaml).toBe(`${c.inputs.map((i) => `${i.name}=${i.default}`).join('|')}|${c.description}`);
  });

  test('if: every cond form KFP v1 accepts, decided at synth as its strtobool does', () => {
    const c = KfpComponent.fromFile(`${FIXTURES}/mlscale-conditions/component.yaml`);
    const args = (a: Record<string, string | boolean>) => {
      const chart = testChart();
      new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('c', c, { arguments: a })] });
      return byKind(chart).WorkflowTemplate[0].spec.templates[1].container.args;
    };
    expect(args({})).toEqual(['bool-true', 'string-True', 'string-no', 'number-1', 'flag-absent', 'flag-false', 'mode-true']);
    expect(args({ flag: true, mode: 'off' })).toEqual(['bool-true', 'string-True', 'string-no', 'number-1', 'flag-present', 'flag-true']);
    expect(args({ flag: 'N' })).toContain('flag-false');
    expect(problemMessages(() => args({ mode: 'maybe' }))).toEqual([
      'test/p: steps.c.component.implementation.container.args[6].if.cond is not a truth value KFP reads (strtobool); got "maybe", expected true/false, yes/no, on/off, y/n, t/f or 1/0 (any case)',
    ]);
  });

  test('duplicate input and output names and a container without an image are reported together', () => {
    const file = `${FIXTURES}/mlscale-broken/component.yaml`;
    expect(problemMessages(() => KfpComponent.fromFile(file))).toEqual([
      `${file}: inputs[1].name is used twice; got "data", expected unique names`,
      `${file}: outputs[1].name is used twice; got "summary", expected unique names`,
      `${file}: implementation.container.image is missing; got nothing, expected an image`,
    ]);
  });

  test('the example XGBoost train component (apps/) runs the image\'s entrypoint: args only, no command in the template', () => {
    const c = KfpComponent.fromFile('examples/apps/pipelines/components/xgboost-train/component.yaml');
    expect([c.name, c.container?.image, c.container?.command]).toEqual(['mlscale-xgboost-train', 'ghcr.io/acme/xgboost-trainer:2.1.4', []]);
    expect(c.requiredInputs.map((i) => i.name)).toEqual(['training_data']);
    expect(c.outputs.map((o) => [o.name, c.outputKind(o.name)])).toEqual([['model', 'artifact'], ['metrics', 'parameter']]);
    const chart = testChart();
    new Pipeline(chart, 'p', { namespace: 'team-a', steps: [PipelineStep.kfp('train', c, { arguments: { training_data: 'a,b\n1,2\n', num_iterations: 300 } })] });
    const t = byKind(chart).WorkflowTemplate[0].spec.templates[1];
    expect(t.container.command).toBeUndefined();
    expect(t.container.args).toEqual([
      '--training-data', '/tmp/inputs/training_data/data',
      '--label-column', '{{inputs.parameters.label_column}}',
      '--num-iterations', '{{inputs.parameters.num_iterations}}',
      '--objective', '{{inputs.parameters.objective}}',
      '--learning-rate', '{{inputs.parameters.learning_rate}}',
      '--max-depth', '{{inputs.parameters.max_depth}}',
      '--eval-fraction', '{{inputs.parameters.eval_fraction}}',
      '--model', '/tmp/outputs/model/data',
      '--metrics', '/tmp/outputs/metrics/data',
    ]);
    expect(t.outputs).toEqual({ artifacts: [{ name: 'model', path: '/tmp/outputs/model/data' }], parameters: [{ name: 'metrics', valueFrom: { path: '/tmp/outputs/metrics/data' } }] });
  });

  test('a missing file is reported', () => {
    expect(problemMessages(() => KfpComponent.fromFile('nope/component.yaml'))).toEqual([
      `nope/component.yaml: file does not exist; got "nope/component.yaml", expected a component.yaml, relative to the project root ${projectRoot()}`,
    ]);
  });
});
