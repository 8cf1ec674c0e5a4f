/**
 * What the operators' webhooks and CEL rules reject (or silently never run), checked on the
 * documents before they are applied. Each rule cites the upstream file at the pinned version.
 */
import { ClusterEnvironment, ModelDocument } from './environment';
import { LABEL_KATIB_METRICS_INJECTION } from '../core/constants';
import { katibConfigOf } from '../platform/kubeflow-addons';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

type Add = (d: ModelDocument, field: string, problem: string, value: unknown, expected: string) => void;

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME = 63;

/**
 * Runs every operator rule on the environment's documents, given its namespace labels and Trainer
 * runtimes (`namespaceLabelsOf` and `trainingRuntimesOf` of the same documents).
 */
export function checkOperatorRules(env: ClusterEnvironment, add: Add, namespaceLabels: ReadonlyMap<string, Record<string, string>>, runtimes: ReadonlyMap<string, Json>): void {
  const docs = env.documents;
  const katibAddon = env.addons.find((a) => a.name === 'katib');
  const katib = katibAddon !== undefined;
  const katibConfig = katibAddon && (katibAddon.values?.patches ?? []).length > 0 ? katibConfigOf(katibAddon.values) : undefined;
  for (const d of docs) {
    const { apiVersion, kind } = d.doc ?? {};
    if (apiVersion === 'kubeflow.org/v1' && (kind === 'PyTorchJob' || kind === 'TFJob')) trainingOperatorJob(d, add);
    else if (apiVersion === 'kubeflow.org/v1beta1' && kind === 'Experiment') experiment(d, add, katib, namespaceLabels, katibConfig);
    else if (apiVersion === 'trainer.kubeflow.org/v1alpha1' && kind === 'TrainJob') trainJob(d, add, runtimes);
    else if (apiVersion === 'argoproj.io/v1alpha1' && kind === 'CronWorkflow') cronWorkflow(d, add);
    if (apiVersion === 'argoproj.io/v1alpha1' && ['Workflow', 'WorkflowTemplate', 'CronWorkflow', 'ClusterWorkflowTemplate'].includes(kind)) {
      dagTaskNames(d, add, kind === 'CronWorkflow' ? d.doc.spec?.workflowSpec : d.doc.spec, kind === 'CronWorkflow' ? 'spec.workflowSpec' : 'spec');
    }
  }
}

/**
 * kubeflow/trainer v1.9.4 pkg/webhooks/{pytorch,tensorflow}/*_webhook.go: the name is a DNS-1035
 * label; the operator creates a headless Service `<job>-<replica type>-<index>` per replica
 * (pkg/controller.v1/common/service.go), which must fit in 63 characters too.
 */
function trainingOperatorJob(d: ModelDocument, add: Add): void {
  const name: string = d.doc.metadata?.name ?? '';
  if (!DNS1035.test(name) || name.length > MAX_NAME) {
    add(d, 'metadata.name', `is rejected by the training operator's webhook (a ${d.doc.kind} name must be a DNS-1035 label)`, name,
      'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters');
    return;
  }
  const specs = d.doc.spec?.pytorchReplicaSpecs ?? d.doc.spec?.tfReplicaSpecs ?? {};
  for (const [type, s] of Object.entries<Json>(specs)) {
    const service = `${name}-${type.toLowerCase()}-${Math.max(0, (s?.replicas ?? 1) - 1)}`;
    if (service.length > MAX_NAME) {
      add(d, 'metadata.name', `is too long for the Service the training operator creates per ${type} replica ("${service}", ${service.length} characters)`, name,
        `a name of at most ${MAX_NAME - service.length + name.length} characters`);
    }
  }
}

/**
 * kubeflow/katib v0.19.0 pkg/webhook/v1beta1/experiment/validator/validator.go (after the defaulter:
 * parallelTrialCount 3, pkg/apis/controller/experiments/v1beta1/experiment_defaults.go); and the
 * metrics collector is injected only in labelled namespaces (manifests/v1beta1/components/webhook/webhooks.yaml).
 */
function experiment(d: ModelDocument, add: Add, katib: boolean, namespaceLabels: ReadonlyMap<string, Record<string, string>>, config?: Json): void {
  const name: string = d.doc.metadata?.name ?? '';
  const spec = d.doc.spec ?? {};
  // validator.go validateAlgorithm / validateEarlyStopping: the KatibConfig must know them
  const algorithms: string[] = (config?.runtime?.suggestions ?? []).map((s: Json) => s?.algorithmName);
  const algorithm = spec.algorithm?.algorithmName;
  if (config && typeof algorithm === 'string' && !algorithms.includes(algorithm)) {
    add(d, 'spec.algorithm.algorithmName', 'is rejected by Katib\'s webhook: the installed KatibConfig has no suggestion for it', algorithm, `one of ${algorithms.join(', ')}`);
  }
  const stopping = spec.earlyStopping?.algorithmName;
  const stoppings: string[] = (config?.runtime?.earlyStoppings ?? []).map((s: Json) => s?.algorithmName);
  if (config && typeof stopping === 'string' && !stoppings.includes(stopping)) {
    add(d, 'spec.earlyStopping.algorithmName', 'is rejected by Katib\'s webhook: the installed KatibConfig has no early stopping for it', stopping, stoppings.length ? `one of ${stoppings.join(', ')}` : 'no early stopping (mlscale\'s KatibConfig has none: its container cannot meet restricted)');
  }
  if (name.length > 40 || !/^[a-z]/.test(name)) {
    add(d, 'metadata.name', 'is rejected by Katib\'s webhook', name, 'a name starting with a lower-case letter, at most 40 characters');
  }
  const max = spec.maxTrialCount;
  const parallel = spec.parallelTrialCount ?? 3;
  if (typeof max === 'number') {
    if (typeof spec.maxFailedTrialCount === 'number' && spec.maxFailedTrialCount > max) {
      add(d, 'spec.maxFailedTrialCount', 'is rejected by Katib\'s webhook: more failed trials than trials', spec.maxFailedTrialCount, `at most maxTrialCount (${max})`);
    }
    if (parallel > max) {
      add(d, 'spec.parallelTrialCount', `is rejected by Katib's webhook: more parallel trials than trials${spec.parallelTrialCount === undefined ? ' (unset: Katib defaults it to 3)' : ''}`,
        parallel, `at most maxTrialCount (${max})`);
    }
  }
  // pkg/suggestion/v1beta1/skopt/base_service.py: every double is sampled log-uniformly
  if (spec.algorithm?.algorithmName === 'bayesianoptimization') {
    (spec.parameters ?? []).forEach((p: Json, i: number) => {
      if (p?.parameterType === 'double' && !(Number(p.feasibleSpace?.min) > 0)) {
        add(d, `spec.parameters[${i}].feasibleSpace.min`, 'cannot be sampled by bayesianoptimization, which samples every double log-uniformly', p.feasibleSpace?.min, 'a minimum > 0');
      }
    });
  }
  const collector = spec.metricsCollectorSpec?.collector?.kind ?? 'StdOut';
  const ns = d.doc.metadata?.namespace ?? 'default';
  if (katib && collector !== 'Push' && namespaceLabels.has(ns) && namespaceLabels.get(ns)?.[LABEL_KATIB_METRICS_INJECTION] !== 'enabled') {
    add(d, 'metadata.namespace', `has no ${LABEL_KATIB_METRICS_INJECTION}: enabled label, so Katib injects no ${collector} metrics collector and the trials report no metrics`, ns,
      `a namespace labelled ${LABEL_KATIB_METRICS_INJECTION}: enabled (Team: katibMetricsCollection: true), or a Push collector`);
  }
}

/**
 * kubeflow/trainer v2.3.0: the TrainJob CEL rules (pkg/apis/trainer/v1alpha1/trainjob_types.go: a
 * DNS-1035 label of at most 63), and JobSet v0.12.0's webhook (pkg/webhooks/jobset_webhook.go): the
 * pod names `<jobset>-<replicated job>-<job index>-<pod index>-<5 chars>` must fit in 63.
 */
function trainJob(d: ModelDocument, add: Add, runtimes: ReadonlyMap<string, Json>): void {
  const name: string = d.doc.metadata?.name ?? '';
  if (!DNS1035.test(name) || name.length > MAX_NAME) {
    add(d, 'metadata.name', 'is rejected by the TrainJob CRD\'s validation rule (metadata.name must be an RFC 1035 DNS label)', name,
      'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters');
    return;
  }
  const ref = d.doc.spec?.runtimeRef ?? {};
  const runtime = runtimes.get(ref.kind === 'ClusterTrainingRuntime' ? `/${ref.name}` : `${d.doc.metadata?.namespace ?? 'default'}/${ref.name}`);
  const jobs: Json[] = runtime?.spec?.template?.spec?.replicatedJobs ?? (ref.name === 'torch-distributed' ? [{ name: 'node', replicas: 1 }] : []);
  const nodes = d.doc.spec?.trainer?.numNodes ?? runtime?.spec?.mlPolicy?.numNodes ?? 1;
  for (const j of jobs) {
    const pod = `${name}-${j.name}-${Math.max(0, (j.replicas ?? 1) - 1)}-${Math.max(0, nodes - 1)}-abcde`;
    if (pod.length > MAX_NAME) {
      add(d, 'metadata.name', `is too long for the pods JobSet creates for replicated job ${j.name} ("${pod}", ${pod.length} characters; JobSet's webhook rejects it)`, name,
        `a name of at most ${MAX_NAME - pod.length + name.length} characters`);
    }
  }
}

/** argo-workflows v4.1.2 workflow/validate/validate.go: the controller appends a timestamp, so a CronWorkflow name over 52 characters never runs. */
function cronWorkflow(d: ModelDocument, add: Add): void {
  const name: string = d.doc.metadata?.name ?? '';
  if (name.length > 52) {
    add(d, 'metadata.name', 'is longer than 52 characters: Argo\'s cron controller refuses to submit it (it fails silently, as a SpecError condition)', name, 'at most 52 characters');
  }
}

/** validate.go: in a DAG using `depends` or `dependencies`, task names cannot begin with a digit. */
function dagTaskNames(d: ModelDocument, add: Add, wf: Json, prefix: string): void {
  (wf?.templates ?? []).forEach((t: Json, i: number) => {
    const tasks: Json[] = t?.dag?.tasks ?? [];
    const usesDepends = tasks.some((x) => x?.depends !== undefined);
    tasks.forEach((task, j) => {
      if ((usesDepends || (task?.dependencies?.length ?? 0) > 0) && /^[0-9]/.test(task?.name ?? '')) {
        add(d, `${prefix}.templates[${i}](${t.name}).dag.tasks[${j}].name`, 'is rejected by Argo: a task name cannot begin with a digit when the DAG uses depends or dependencies',
          task.name, 'a name starting with a letter');
      }
    });
  });
}
