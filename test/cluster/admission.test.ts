/**
 * The cluster model, part 2: pods as admitted (with the containers operators inject) and the
 * operators' webhook and CEL rules. Each failure the issue lists is reproduced first with the
 * upstream default configuration, then shown fixed by mlscale's.
 */
import { ApiObject } from 'cdk8s';
import {
  ADDON_CATALOG, ClusterModel, HyperparameterSweep, MANIFEST_ADDONS, Pipeline, PipelineStep, PyTorchJob, Team, TorchDistributedRuntime, TrainJob,
} from '../../constructs';
import { modelApp, modelMessages, restrictedNamespace } from './model-fixtures';

const IMAGE = 'ghcr.io/acme/mnist:1.0.0';
const small = { cpu: 1, memory: '2Gi' };
const pytorch = (scope: any, id: string, extra: Record<string, unknown> = {}) => new PyTorchJob(scope, id, {
  namespace: 'team-a', image: IMAGE, master: { resources: small }, worker: { replicas: 2, resources: small }, ...extra,
});
/** The problems' first part (path, field, problem), for compact assertions. */
const heads = (messages: string[]) => messages.map((m) => m.split('; got ')[0]);

describe('Argo Workflows: the executor\'s init and wait containers', () => {
  const pipeline = (c: any) => new Pipeline(c, 'etl', {
    namespace: 'team-a',
    steps: [PipelineStep.container('extract', { image: 'python:3.12-slim', command: ['python', '-c', 'print(1)'] })],
  });

  test('with the chart\'s defaults (no executor.securityContext) every workflow pod is rejected', () => {
    const argo = { ...ADDON_CATALOG['argo-workflows']!, values: { images: { tag: 'v4.1.2' } } };
    const { app, chart } = modelApp({ catalog: { ...ADDON_CATALOG, 'argo-workflows': argo } });
    const c = chart('pipes');
    restrictedNamespace(c, 'team-a');
    pipeline(c);
    const found = heads(modelMessages(app));
    expect(found).toContain('pipes/etl/Resource: [WorkflowTemplate team-a/etl] spec.templates[1](extract) → pod spec.initContainers[0].securityContext.allowPrivilegeEscalation '
      + 'does not forbid privilege escalation (Pod Security check allowPrivilegeEscalation; container init is injected by argo-workflows)');
    expect(found).toContain('pipes/etl/Resource: [WorkflowTemplate team-a/etl] spec.templates[1](extract) → pod spec.containers[0].securityContext.capabilities.drop '
      + 'does not drop ALL capabilities (Pod Security check capabilities_restricted; container wait is injected by argo-workflows)');
    expect(found.every((m) => /container (init|wait) is injected by argo-workflows/.test(m))).toBe(true);
  });

  test('mlscale\'s argo-workflows values: the pods are admitted, init and wait counted as injected', () => {
    const { app, chart } = modelApp();
    const c = chart('pipes');
    restrictedNamespace(c, 'team-a');
    pipeline(c);
    app.prepare();
    const [root] = ClusterModel.evaluate(app);
    expect(root.problems).toEqual([]);
    expect(root.report.namespaces.find((n) => n.name === 'team-a')).toMatchObject({ enforce: 'restricted:v1.32', injected: ['init (argo-workflows)', 'wait (argo-workflows)'] });
  });
});

describe('Training Operator v1: init-pytorch on every Worker of a job with a Master', () => {
  test('upstream\'s built-in template (no securityContext) is rejected in a restricted namespace', () => {
    const bare = { ...MANIFEST_ADDONS['kubeflow-training-operator'], patches: [] };
    const { app, chart } = modelApp({ manifestAddons: [bare] });
    const c = chart('training');
    restrictedNamespace(c, 'team-a');
    pytorch(c, 'mnist');
    const found = heads(modelMessages(app));
    expect(found).toContain('training/mnist/Resource: [PyTorchJob team-a/mnist] spec.pytorchReplicaSpecs.Worker.template → pod spec.initContainers[0].securityContext.allowPrivilegeEscalation '
      + 'does not forbid privilege escalation (Pod Security check allowPrivilegeEscalation; container init-pytorch is injected by kubeflow-training-operator)');
    // the Master gets none
    expect(found.some((m) => m.includes('Master'))).toBe(false);
  });

  test('mlscale\'s template (annotation → downwardAPI file → flag): admitted, and the init container is the patched one', () => {
    const { app, chart } = modelApp();
    const c = chart('training');
    restrictedNamespace(c, 'team-a');
    pytorch(c, 'mnist');
    app.prepare();
    const [root] = ClusterModel.evaluate(app);
    expect(root.problems).toEqual([]);
    expect(root.report.namespaces.find((n) => n.name === 'team-a')!.injected).toEqual(['init-pytorch (kubeflow-training-operator)']);
  });

  test('a job without a Master gets no init container', () => {
    const bare = { ...MANIFEST_ADDONS['kubeflow-training-operator'], patches: [] };
    const { app, chart } = modelApp({ manifestAddons: [bare] });
    const c = chart('training');
    restrictedNamespace(c, 'team-a');
    new ApiObject(c, 'w', {
      apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'workers-only', namespace: 'team-a' },
      spec: { pytorchReplicaSpecs: { Worker: { replicas: 2, template: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'pytorch', image: IMAGE, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] } } } } },
    });
    expect(modelMessages(app)).toEqual([]);
  });
});

describe('Kubeflow Trainer v2: a TrainJob on the chart\'s torch-distributed runtime', () => {
  test('as upstream installs it (no securityContext): the node pods are rejected', () => {
    const { app, chart } = modelApp();
    const c = chart('trainer');
    restrictedNamespace(c, 'team-a');
    new ApiObject(c, 'tj', {
      apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', metadata: { name: 'mnist', namespace: 'team-a' },
      spec: { runtimeRef: { apiGroup: 'trainer.kubeflow.org', kind: 'ClusterTrainingRuntime', name: 'torch-distributed' }, trainer: { image: IMAGE } },
    });
    expect(heads(modelMessages(app))).toContain('trainer/tj: [TrainJob team-a/mnist] spec.runtimeRef (ClusterTrainingRuntime torch-distributed: replicatedJobs[0] node), '
      + 'installed by kubeflow-trainer → pod spec.containers[0].securityContext.allowPrivilegeEscalation does not forbid privilege escalation (Pod Security check allowPrivilegeEscalation)');
  });

  test('the TrainJob construct patches the runtime\'s node pods to restricted (runtimePatches); its own runtime needs none', () => {
    const { app, chart } = modelApp();
    const c = chart('trainer');
    restrictedNamespace(c, 'team-a');
    const tj = new TrainJob(c, 'mnist', { namespace: 'team-a', runtime: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' }, image: IMAGE, script: 'train.py' });
    const runtime = new TorchDistributedRuntime(c, 'rt', { namespace: 'team-a', image: IMAGE, script: 'train.py', resourcesPerNode: small } as any);
    const own = new TrainJob(c, 'own', { namespace: 'team-a', runtime });
    expect(modelMessages(app)).toEqual([]);
    expect((tj.apiObject.toJson() as any).spec.runtimePatches[0].manager).toBe('mlscale.io/train-job');
    expect((own.apiObject.toJson() as any).spec.runtimePatches).toBeUndefined();
  });
});

describe('Katib: metrics collector and suggestion pods', () => {
  const sweep = (c: any, extra: Record<string, unknown> = {}) => new HyperparameterSweep(c, 'mnist-bayes', {
    namespace: 'team-a', algorithm: 'bayesianoptimization', trials: 6, maxParallel: 2,
    parameters: { lr: { min: 0.0001, max: 0.1, scale: 'log' } },
    katib: { objective: { metric: 'accuracy', goal: 'maximize' } },
    job: (t: any) => ({ image: IMAGE, args: ['--lr', t.parameters.lr], resources: small, worker: { replicas: 1 } }),
    ...extra,
  } as any);

  test('a namespace without the injection label: the trials report no metrics', () => {
    const { app, chart } = modelApp();
    const c = chart('katib');
    restrictedNamespace(c, 'team-a');
    sweep(c);
    expect(modelMessages(app)).toEqual([
      'katib/mnist-bayes/Experiment: [Experiment team-a/mnist-bayes] metadata.namespace has no katib.kubeflow.org/metrics-collector-injection: enabled label, '
      + 'so Katib injects no StdOut metrics collector and the trials report no metrics; got "team-a", expected a namespace labelled '
      + 'katib.kubeflow.org/metrics-collector-injection: enabled (Team: katibMetricsCollection: true), or a Push collector',
    ]);
  });

  test('labelled, with upstream\'s katib-config: the sidecar and the suggestion container are rejected', () => {
    const bare = { ...MANIFEST_ADDONS.katib, patches: [] };
    const { app, chart } = modelApp({ manifestAddons: [bare, MANIFEST_ADDONS['kubeflow-training-operator']] });
    const c = chart('katib');
    new Team(c, 'team-a', { katibMetricsCollection: true });
    sweep(c);
    const found = heads(modelMessages(app));
    expect(found).toContain('katib/mnist-bayes/Experiment: [Experiment team-a/mnist-bayes] spec.trialTemplate.trialSpec.spec.pytorchReplicaSpecs.Master.template → pod '
      + 'spec.containers[1].securityContext.allowPrivilegeEscalation does not forbid privilege escalation (Pod Security check allowPrivilegeEscalation; '
      + 'container metrics-logger-and-collector is injected by katib)');
    expect(found).toContain('katib/mnist-bayes/Experiment: [Experiment team-a/mnist-bayes] spec.algorithm (the Suggestion Deployment of algorithm bayesianoptimization) → pod '
      + 'spec.containers[0].securityContext.allowPrivilegeEscalation does not forbid privilege escalation (Pod Security check allowPrivilegeEscalation; container suggestion is injected by katib)');
    // the Worker is not the primary pod: no sidecar there
    expect(found.some((m) => m.includes('Worker.template → pod spec.containers[1]'))).toBe(false);
  });

  test('labelled, with mlscale\'s katib-config (injectSecurityContext, restricted suggestions): admitted', () => {
    const { app, chart } = modelApp();
    const c = chart('katib');
    new Team(c, 'team-a', { katibMetricsCollection: true });
    sweep(c);
    app.prepare();
    const [root] = ClusterModel.evaluate(app);
    expect(root.problems).toEqual([]);
    expect(root.report.namespaces.find((n) => n.name === 'team-a')!.injected)
      .toEqual(['init-pytorch (kubeflow-training-operator)', 'metrics-logger-and-collector (katib)', 'suggestion (katib)']);
  });
});

describe('webhook and CEL rules', () => {
  const experiment = (c: any, name: string, spec: Record<string, unknown>) => new ApiObject(c, name, {
    apiVersion: 'kubeflow.org/v1beta1', kind: 'Experiment', metadata: { name, namespace: 'team-a' },
    spec: { objective: { type: 'maximize', objectiveMetricName: 'accuracy' }, algorithm: { algorithmName: 'random' }, parameters: [], metricsCollectorSpec: { collector: { kind: 'Push' } }, ...spec },
  });

  test('Katib: more failed or parallel trials than trials (the old defaults 3 and 4 on a 2-trial sweep), and names over 40', () => {
    const { app, chart } = modelApp();
    const c = chart('k');
    restrictedNamespace(c, 'team-a');
    experiment(c, 'two', { maxTrialCount: 2, maxFailedTrialCount: 3, parallelTrialCount: 4 });
    experiment(c, 'defaulted', { maxTrialCount: 2 });
    experiment(c, 'a'.repeat(41), { maxTrialCount: 5 });
    expect(modelMessages(app)).toEqual([
      'k/two: [Experiment team-a/two] spec.maxFailedTrialCount is rejected by Katib\'s webhook: more failed trials than trials; got 3, expected at most maxTrialCount (2)',
      'k/two: [Experiment team-a/two] spec.parallelTrialCount is rejected by Katib\'s webhook: more parallel trials than trials; got 4, expected at most maxTrialCount (2)',
      'k/defaulted: [Experiment team-a/defaulted] spec.parallelTrialCount is rejected by Katib\'s webhook: more parallel trials than trials (unset: Katib defaults it to 3); got 3, expected at most maxTrialCount (2)',
      `k/${'a'.repeat(41)}: [Experiment team-a/${'a'.repeat(41)}] metadata.name is rejected by Katib's webhook; got "${'a'.repeat(41)}", expected a name starting with a lower-case letter, at most 40 characters`,
    ]);
  });

  test('HyperparameterSweep with Katib on 2 trials now emits counts Katib accepts', () => {
    const { app, chart } = modelApp();
    const c = chart('k');
    new Team(c, 'team-a', { katibMetricsCollection: true });
    const s = new HyperparameterSweep(c, 'small', {
      namespace: 'team-a', parameters: { lr: { values: [0.1, 0.01] } }, katib: { objective: { metric: 'accuracy', goal: 'maximize' } },
      job: (t: any) => ({ image: IMAGE, args: ['--lr', t.parameters.lr], resources: small, worker: { replicas: 1 } }),
    } as any);
    expect(modelMessages(app)).toEqual([]);
    const e = (s as any).node.findAll().find((x: any) => x instanceof ApiObject && x.kind === 'Experiment').toJson();
    expect([e.spec.maxTrialCount, e.spec.parallelTrialCount, e.spec.maxFailedTrialCount]).toEqual([2, 2, 2]);
  });

  test('Bayesian optimisation on a double whose range starts at 0', () => {
    const { app, chart } = modelApp();
    const c = chart('k');
    restrictedNamespace(c, 'team-a');
    experiment(c, 'bayes', { maxTrialCount: 5, parallelTrialCount: 1, algorithm: { algorithmName: 'bayesianoptimization' }, parameters: [{ name: 'lr', parameterType: 'double', feasibleSpace: { min: '0', max: '0.1' } }] });
    expect(modelMessages(app)).toEqual([
      'k/bayes: [Experiment team-a/bayes] spec.parameters[0].feasibleSpace.min cannot be sampled by bayesianoptimization, which samples every double log-uniformly; got "0", expected a minimum > 0',
    ]);
  });

  test('PyTorchJob and TrainJob names must start with a letter (TrainJob\'s CEL rule rejects "1-mnist") and leave room for the names the operators derive', () => {
    const { app, chart } = modelApp();
    const c = chart('t');
    restrictedNamespace(c, 'team-a');
    pytorch(c, '1-mnist');
    new TrainJob(c, 'tj', { name: '1-mnist', namespace: 'team-a', runtime: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' }, image: IMAGE, script: 'train.py' } as any);
    pytorch(c, 'long', { name: `m${'x'.repeat(54)}` });
    new TrainJob(c, 'tj-ok', { name: `t${'x'.repeat(47)}`, namespace: 'team-a', runtime: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' }, image: IMAGE, script: 'train.py', numNodes: 2 } as any);
    new TrainJob(c, 'tj-long', { name: `t${'x'.repeat(48)}`, namespace: 'team-a', runtime: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' }, image: IMAGE, script: 'train.py', numNodes: 2 } as any);
    expect(heads(modelMessages(app))).toEqual([
      't/1-mnist/Resource: [PyTorchJob team-a/1-mnist] metadata.name is rejected by the training operator\'s webhook (a PyTorchJob name must be a DNS-1035 label)',
      't/tj/Resource: [TrainJob team-a/1-mnist] metadata.name is rejected by the TrainJob CRD\'s validation rule (metadata.name must be an RFC 1035 DNS label)',
      `t/long/Resource: [PyTorchJob team-a/m${'x'.repeat(54)}] metadata.name is too long for the Service the training operator creates per Master replica ("m${'x'.repeat(54)}-master-0", 64 characters)`,
      `t/long/Resource: [PyTorchJob team-a/m${'x'.repeat(54)}] metadata.name is too long for the Service the training operator creates per Worker replica ("m${'x'.repeat(54)}-worker-1", 64 characters)`,
      // 49 + "-node-0-1-abcde" = 64 > 63; one character less (tj-ok) fits
      `t/tj-long/Resource: [TrainJob team-a/t${'x'.repeat(48)}] metadata.name is too long for the pods JobSet creates for replicated job node ("t${'x'.repeat(48)}-node-0-1-abcde", 64 characters; JobSet's webhook rejects it)`,
    ]);
  });

  test('a CronWorkflow name over 52 characters never runs; DAG task names starting with a digit are rejected when the DAG has dependencies', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    restrictedNamespace(c, 'team-a');
    new ApiObject(c, 'cron', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name: 'n'.repeat(53), namespace: 'team-a' },
      spec: { schedules: ['0 1 * * *'], workflowSpec: { workflowTemplateRef: { name: 'etl' } } },
    });
    new ApiObject(c, 'wt', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'etl', namespace: 'team-a' },
      spec: {
        entrypoint: 'main',
        templates: [
          // upstream validate.go: `(usingDepends || len(task.Dependencies) > 0) && leading digit`
          { name: 'main', dag: { tasks: [{ name: '1st', template: 'x' }, { name: '2nd', template: 'x', dependencies: ['1st'] }] } },
          { name: 'other', dag: { tasks: [{ name: '3rd', template: 'x' }, { name: 'fourth', template: 'x', depends: '3rd' }] } },
        ],
      },
    });
    expect(modelMessages(app)).toEqual([
      `a/cron: [CronWorkflow team-a/${'n'.repeat(53)}] metadata.name is longer than 52 characters: Argo's cron controller refuses to submit it (it fails silently, as a SpecError condition); got "${'n'.repeat(53)}", expected at most 52 characters`,
      'a/wt: [WorkflowTemplate team-a/etl] spec.templates[0](main).dag.tasks[1].name is rejected by Argo: a task name cannot begin with a digit when the DAG uses depends or dependencies; got "2nd", expected a name starting with a letter',
      'a/wt: [WorkflowTemplate team-a/etl] spec.templates[1](other).dag.tasks[0].name is rejected by Argo: a task name cannot begin with a digit when the DAG uses depends or dependencies; got "3rd", expected a name starting with a letter',
    ]);
  });
});

describe('Pipeline and PodSecurity.exempt', () => {
  test('the exemption annotation reaches the workflow pods, so an exempted pipeline passes the guard rails in a namespace that admits it', () => {
    const { GuardRails, PodSecurity, k8s } = require('../../constructs');
    const { app, chart } = modelApp();
    GuardRails.enable(app);
    const c = chart('p');
    new k8s.KubeNamespace(c, 'ns', { metadata: { name: 'gpu-tools', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
    const p = new Pipeline(c, 'driver-check', {
      namespace: 'gpu-tools',
      podSecurity: PodSecurity.exempt({ reason: 'reads the GPU driver state on the host', containerSecurityContext: { privileged: true } }),
      steps: [PipelineStep.container('check', { image: 'nvcr.io/nvidia/cuda:12.6.3-base-ubuntu24.04', command: ['nvidia-smi'] })],
    });
    expect(p.apiObject.toJson().spec.podMetadata.annotations).toEqual({ 'mlscale.io/pod-security-exemption': 'reads the GPU driver state on the host' });
    app.prepare();
    expect(GuardRails.check(app).filter((x: any) => x.path.startsWith('p/'))).toEqual([]);
  });
});

describe('the operator facts follow the add-on configuration', () => {
  test('an init-container template whose file the flag does not reach: the operator falls back to its built-in one', () => {
    const patches = MANIFEST_ADDONS['kubeflow-training-operator'].patches!.map((p) => ({
      ...p, patch: p.patch.replace('--pytorch-init-container-template-file=/etc/mlscale/pytorch-init/initContainer.yaml', '--pytorch-init-container-template-file=/etc/elsewhere/initContainer.yaml'),
    }));
    const { app, chart } = modelApp({ manifestAddons: [{ ...MANIFEST_ADDONS['kubeflow-training-operator'], patches }] });
    const c = chart('training');
    restrictedNamespace(c, 'team-a');
    pytorch(c, 'mnist');
    expect(heads(modelMessages(app)).some((m) => m.includes('container init-pytorch is injected by kubeflow-training-operator'))).toBe(true);
  });

  test('a Katib algorithm the installed KatibConfig does not know, and early stopping (none configured)', () => {
    const { app, chart } = modelApp();
    const c = chart('k');
    restrictedNamespace(c, 'team-a');
    new ApiObject(c, 'e', {
      apiVersion: 'kubeflow.org/v1beta1', kind: 'Experiment', metadata: { name: 'e', namespace: 'team-a' },
      spec: {
        maxTrialCount: 4, parallelTrialCount: 1, objective: { type: 'maximize', objectiveMetricName: 'accuracy' }, algorithm: { algorithmName: 'enas' },
        earlyStopping: { algorithmName: 'medianstop' }, parameters: [], metricsCollectorSpec: { collector: { kind: 'Push' } },
      },
    });
    expect(heads(modelMessages(app))).toEqual([
      'k/e: [Experiment team-a/e] spec.algorithm.algorithmName is rejected by Katib\'s webhook: the installed KatibConfig has no suggestion for it',
      'k/e: [Experiment team-a/e] spec.earlyStopping.algorithmName is rejected by Katib\'s webhook: the installed KatibConfig has no early stopping for it',
    ]);
  });

  test('trainer runtimes: a runtime is installed when its own toggle or defaultEnabled is on', () => {
    const trainer = (values: Record<string, unknown>) => ({ ...ADDON_CATALOG['kubeflow-trainer']!, values });
    const tj = (c: any) => new ApiObject(c, 'tj', {
      apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', metadata: { name: 'mnist', namespace: 'team-a' },
      spec: { runtimeRef: { apiGroup: 'trainer.kubeflow.org', kind: 'ClusterTrainingRuntime', name: 'jax-distributed' }, trainer: { image: IMAGE } },
    });
    const podsChecked = (values: Record<string, unknown>) => {
      const { app, chart } = modelApp({ catalog: { ...ADDON_CATALOG, 'kubeflow-trainer': trainer(values) } });
      const c = chart('t');
      restrictedNamespace(c, 'team-a');
      tj(c);
      app.prepare();
      return ClusterModel.evaluate(app)[0].report.namespaces.find((n) => n.name === 'team-a')?.pods ?? 0;
    };
    expect(podsChecked({ runtimes: { defaultEnabled: true, jaxDistributed: { enabled: false } } })).toBe(1);
    expect(podsChecked({ runtimes: { jaxDistributed: { enabled: true } } })).toBe(1);
    expect(podsChecked({ runtimes: {} })).toBe(0);
  });

  test('a Katib Custom collector is the user\'s container as given: no securityContext is copied onto it', () => {
    const { app, chart } = modelApp();
    const c = chart('k');
    new Team(c, 'team-a', { katibMetricsCollection: true });
    const s = new HyperparameterSweep(c, 'custom', {
      namespace: 'team-a', maxParallel: 1, parameters: { lr: { values: [0.1, 0.01] } }, katib: { objective: { metric: 'accuracy', goal: 'maximize' } },
      job: (t: any) => ({ image: IMAGE, args: ['--lr', t.parameters.lr], resources: small, worker: { replicas: 1 } }),
    } as any);
    const exp = (s as any).node.findAll().find((x: any) => x instanceof ApiObject && x.kind === 'Experiment');
    exp.addJsonPatch(require('cdk8s').JsonPatch.add('/spec/metricsCollectorSpec', { collector: { kind: 'Custom', customCollector: { name: 'my-collector', image: 'ghcr.io/acme/collector:1.0' } } }));
    expect(heads(modelMessages(app))).toContain('k/custom/Experiment: [Experiment team-a/custom] spec.trialTemplate.trialSpec.spec.pytorchReplicaSpecs.Master.template → pod '
      + 'spec.containers[1].securityContext.allowPrivilegeEscalation does not forbid privilege escalation (Pod Security check allowPrivilegeEscalation; container my-collector is injected by katib)');
  });
});
