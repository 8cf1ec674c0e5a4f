/**
 * The pods the cluster will create from a document, as admission will see them: the pod templates
 * of built-in workloads and of the operators' kinds, with the containers the operators inject
 * (derived from the installed add-on and the configuration mlscale gives it).
 */
import { LABEL_KATIB_METRICS_INJECTION } from '../core/constants';
import { argoTemplatePods } from '../platform/argo-pods';
import { katibConfigOf, pytorchInitContainers } from '../platform/kubeflow-addons';
import { ClusterEnvironment, InstalledAddon, ModelDocument } from './environment';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One container an operator adds to a pod. */
export interface InjectedContainer {
  /** Container name. */
  readonly name: string;
  /** Who adds it (an add-on name). */
  readonly by: string;
}

/** One pod as the cluster creates it. */
export interface CreatedPod {
  /** Where its template is in the document (e.g. `spec.pytorchReplicaSpecs.Worker.template`). */
  readonly field: string;
  /** Namespace it is created in. */
  readonly namespace: string;
  /** The pod: metadata (annotations) and spec, injected containers included. */
  readonly pod: { readonly metadata: Json; spec: Json };
  /** Containers operators add. */
  readonly injected: readonly InjectedContainer[];
}

/** Everything the model needs to expand documents into pods. */
export interface PodContext {
  readonly env: ClusterEnvironment;
  /** Namespace labels by namespace name (Namespace documents of the environment). */
  readonly namespaceLabels: ReadonlyMap<string, Record<string, string>>;
  /** TrainingRuntimes (`<ns>/<name>`) and ClusterTrainingRuntimes (`/<name>`) of the environment. */
  readonly runtimes: ReadonlyMap<string, Json>;
}


/**
 * The ClusterTrainingRuntimes the kubeflow-trainer chart v2.3.0 installs (`runtimes.defaultEnabled`,
 * charts/kubeflow-trainer/files/runtimes/): container `node`, no security context (deepspeed and mlx
 * set only fsGroup/runAsUser 1000, which `restricted` does not accept as enough).
 */
const TRAINER_DEFAULT_RUNTIMES: Readonly<Record<string, string>> = {
  'torch-distributed': 'torchDistributed', 'deepspeed-distributed': 'deepspeedDistributed', 'mlx-distributed': 'mlxDistributed',
  'jax-distributed': 'jaxDistributed', 'xgboost-distributed': 'xgboostDistributed',
  'torchtune-llama3.2-1b': 'torchtuneDistributed.llama3_2_1B', 'torchtune-llama3.2-3b': 'torchtuneDistributed.llama3_2_3B',
  'torchtune-qwen2.5-1.5b': 'torchtuneDistributed.qwen2_5_1_5B',
};

function addon(env: ClusterEnvironment, name: string): InstalledAddon | undefined {
  return env.addons.find((a) => a.name === name);
}

function clone<T>(x: T): T {
  return x === undefined ? x : JSON.parse(JSON.stringify(x));
}

const template = (field: string, namespace: string, t: Json): CreatedPod => ({
  field, namespace, pod: { metadata: t?.metadata ?? {}, spec: clone(t?.spec ?? {}) }, injected: [],
});

/** The pods a document makes the cluster create (empty for kinds that create none). */
export function createdPods(d: ModelDocument, ctx: PodContext): CreatedPod[] {
  const doc = d.doc;
  const ns: string = doc?.metadata?.namespace ?? 'default';
  return podsOf(doc, ns, ctx, '');
}

function podsOf(doc: Json, ns: string, ctx: PodContext, prefix: string): CreatedPod[] {
  const gk = `${doc?.apiVersion?.includes('/') ? doc.apiVersion.split('/')[0] : ''}/${doc?.kind}`;
  const spec = doc?.spec ?? {};
  switch (gk) {
    case '/Pod':
      return [{ field: `${prefix}spec`, namespace: ns, pod: { metadata: doc.metadata ?? {}, spec: clone(spec) }, injected: [] }];
    case 'apps/Deployment': case 'apps/StatefulSet': case 'apps/DaemonSet': case 'apps/ReplicaSet': case 'batch/Job':
      return [template(`${prefix}spec.template`, ns, spec.template)];
    case 'batch/CronJob':
      return [template(`${prefix}spec.jobTemplate.spec.template`, ns, spec.jobTemplate?.spec?.template)];
    case 'kubeflow.org/PyTorchJob':
      return pytorchPods(doc, ns, ctx, prefix);
    case 'kubeflow.org/TFJob':
      return Object.entries<Json>(spec.tfReplicaSpecs ?? {}).map(([r, s]) => template(`${prefix}spec.tfReplicaSpecs.${r}.template`, ns, s?.template));
    case 'jobset.x-k8s.io/JobSet':
      return (spec.replicatedJobs ?? []).map((j: Json, i: number) => template(`${prefix}spec.replicatedJobs[${i}].template.spec.template`, ns, j?.template?.spec?.template));
    case 'trainer.kubeflow.org/TrainJob':
      return trainJobPods(doc, ns, ctx, prefix);
    case 'kubeflow.org/Experiment':
      return experimentPods(doc, ns, ctx, prefix);
    case 'kubernetes.dask.org/DaskCluster':
      return daskClusterPods(spec, ns, `${prefix}spec`);
    case 'kubernetes.dask.org/DaskWorkerGroup':
      return [daskPod(`${prefix}spec.worker.spec`, ns, spec.worker)];
    case 'kubernetes.dask.org/DaskJob':
      return [daskPod(`${prefix}spec.job.spec`, ns, spec.job), ...daskClusterPods(spec.cluster?.spec ?? {}, ns, `${prefix}spec.cluster.spec`)];
    case 'kubeflow.org/Notebook':
      return [notebookPod(doc, ns, prefix)];
    case 'argoproj.io/Workflow': case 'argoproj.io/WorkflowTemplate':
      return workflowPods(spec, ns, ctx, `${prefix}spec`);
    case 'argoproj.io/CronWorkflow':
      return workflowPods(spec.workflowSpec ?? {}, ns, ctx, `${prefix}spec.workflowSpec`);
    default:
      return [];
  }
}

/** kubeflow/trainer v1.9.4: Worker pods of a job with a Master get the `init-pytorch` init container(s). */
function pytorchPods(doc: Json, ns: string, ctx: PodContext, prefix: string): CreatedPod[] {
  const replicas = doc.spec?.pytorchReplicaSpecs ?? {};
  const operator = addon(ctx.env, 'kubeflow-training-operator');
  return Object.entries<Json>(replicas).map(([r, s]) => {
    const p = template(`${prefix}spec.pytorchReplicaSpecs.${r}.template`, ns, s?.template);
    if (r === 'Worker' && replicas.Master && operator) {
      const init = pytorchInitContainers(operator.values, `${doc.metadata?.name}-master-0`);
      p.pod.spec.initContainers = [...(p.pod.spec.initContainers ?? []), ...init];
      return { ...p, injected: init.map((c) => ({ name: c.name, by: operator.name })) };
    }
    return p;
  });
}

/** A TrainJob's pods are its runtime's node pods, with the TrainJob's runtime patches applied. */
function trainJobPods(doc: Json, ns: string, ctx: PodContext, prefix: string): CreatedPod[] {
  const ref = doc.spec?.runtimeRef ?? {};
  const key = ref.kind === 'ClusterTrainingRuntime' ? `/${ref.name}` : `${ns}/${ref.name}`;
  let runtime = ctx.runtimes.get(key);
  const trainer = addon(ctx.env, 'kubeflow-trainer');
  let by: string | undefined;
  if (!runtime && ref.kind === 'ClusterTrainingRuntime' && trainer && chartInstallsRuntime(trainer.values, ref.name)) {
    runtime = { spec: { template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: { template: { spec: { containers: [{ name: 'node' }] } } } } }] } } } };
    by = 'kubeflow-trainer';
  }
  if (!runtime) return [];
  const patches: Json[] = doc.spec?.runtimePatches ?? [];
  return (runtime.spec?.template?.spec?.replicatedJobs ?? []).map((j: Json, i: number) => {
    const p = template(`${prefix}spec.runtimeRef (${ref.kind} ${ref.name}: replicatedJobs[${i}] ${j?.name})`, ns, j?.template?.spec?.template);
    for (const patch of patches) {
      const pj = (patch?.trainingRuntimeSpec?.template?.spec?.replicatedJobs ?? []).find((x: Json) => x?.name === j?.name);
      const ps = pj?.template?.spec?.template?.spec;
      if (ps) p.pod.spec = strategicMergePod(p.pod.spec, ps);
    }
    return by ? { ...p, field: `${p.field}, installed by ${by}` } : p;
  });
}

/** charts/kubeflow-trainer v2.3.0 templates/runtimes/_runtimes.tpl: a runtime is installed when its own toggle OR `runtimes.defaultEnabled` is on. */
function chartInstallsRuntime(values: Json, name: string): boolean {
  const toggle = TRAINER_DEFAULT_RUNTIMES[name];
  if (!toggle) return false;
  const own = toggle.split('.').reduce((o: Json, k) => o?.[k], values?.runtimes)?.enabled;
  return own === true || values?.runtimes?.defaultEnabled === true;
}

/**
 * Katib v0.19.0: a trial's pods (the primary ones, by `primaryPodLabels`) get the metrics-collector
 * sidecar when the namespace is labelled for injection; its securityContext is a copy of the
 * first container's only with `injectSecurityContext` (pkg/webhook/v1beta1/pod/inject_webhook.go).
 * The Experiment also makes a Suggestion Deployment in its namespace (suggestion/composer/composer.go).
 */
function experimentPods(doc: Json, ns: string, ctx: PodContext, prefix: string): CreatedPod[] {
  const katib = addon(ctx.env, 'katib');
  const trial = doc.spec?.trialTemplate?.trialSpec;
  const trialDoc = { ...(trial ?? {}), metadata: { ...(trial?.metadata ?? {}), name: `${doc.metadata?.name}-trial`, namespace: ns } };
  const pods = trial ? podsOf(trialDoc, ns, ctx, `${prefix}spec.trialTemplate.trialSpec.`) : [];
  if (!katib) return pods;
  const config = katibConfigOf(katib.values);
  const collector = doc.spec?.metricsCollectorSpec?.collector?.kind ?? 'StdOut';
  // pkg/webhook/v1beta1/pod/inject_webhook.go: Push collectors get no sidecar
  const injects = ctx.namespaceLabels.get(ns)?.[LABEL_KATIB_METRICS_INJECTION] === 'enabled' && collector !== 'Push';
  const primary: Record<string, string> | undefined = doc.spec?.trialTemplate?.primaryPodLabels;
  const withSidecar = pods.map((p) => {
    if (!injects || (primary && !matchesPrimary(p, primary))) return p;
    const first = p.pod.spec.containers?.[0];
    const name = collector === 'StdOut' || collector === 'File' ? 'metrics-logger-and-collector' : 'metrics-collector';
    const custom = collector === 'Custom' ? doc.spec?.metricsCollectorSpec?.collector?.customCollector : undefined;
    // a Custom collector is the user's container as given (no securityContext copied onto it)
    const sidecar: Json = custom ? clone({ ...custom, name: custom.name ?? name }) : { name, image: 'katib-metrics-collector' };
    if (!custom && config?.init?.controller?.injectSecurityContext === true && first?.securityContext) sidecar.securityContext = clone(first.securityContext);
    p.pod.spec.containers = [...(p.pod.spec.containers ?? []), sidecar];
    return { ...p, injected: [...p.injected, { name: sidecar.name, by: katib.name }] };
  });
  const algorithm = doc.spec?.algorithm?.algorithmName;
  const suggestion = (config?.runtime?.suggestions ?? []).find((s: Json) => s?.algorithmName === algorithm);
  // an algorithm the KatibConfig does not know is rejected by the webhook (operator rules): no Suggestion pod
  if ((config?.runtime?.suggestions ?? []).length > 0 && !suggestion) return withSidecar;
  const container: Json = { name: 'suggestion', image: suggestion?.image ?? 'katib-suggestion', ...(suggestion?.securityContext ? { securityContext: clone(suggestion.securityContext) } : {}) };
  const suggestionPod: CreatedPod = {
    field: `${prefix}spec.algorithm (the Suggestion Deployment of algorithm ${algorithm})`, namespace: ns,
    pod: { metadata: {}, spec: { containers: [container] } }, injected: [{ name: 'suggestion', by: katib.name }],
  };
  return [...withSidecar, suggestionPod];
}

/** The replica a pod template belongs to, against the operator labels (`training.kubeflow.org/job-role: master`). */
function matchesPrimary(p: CreatedPod, primary: Record<string, string>): boolean {
  const role = /pytorchReplicaSpecs\.(\w+)\./.exec(p.field)?.[1] ?? /tfReplicaSpecs\.(\w+)\./.exec(p.field)?.[1];
  const labels: Record<string, string> = { ...(p.pod.metadata?.labels ?? {}) };
  if (role) {
    labels['training.kubeflow.org/replica-type'] = role.toLowerCase();
    if (role === 'Master' || role === 'Chief') labels['training.kubeflow.org/job-role'] = 'master';
  }
  return Object.entries(primary).every(([k, v]) => labels[k] === v);
}

function daskPod(field: string, ns: string, spec: Json): CreatedPod {
  return { field, namespace: ns, pod: { metadata: spec?.metadata ?? {}, spec: clone(spec?.spec ?? {}) }, injected: [] };
}

function daskClusterPods(spec: Json, ns: string, prefix: string): CreatedPod[] {
  return [daskPod(`${prefix}.scheduler.spec`, ns, spec.scheduler), daskPod(`${prefix}.worker.spec`, ns, spec.worker)];
}

/**
 * kubeflow/notebooks v1.11.0 notebook_controller.go (generateStatefulSet): a StatefulSet of the
 * template, its pod labelled `statefulset` and `notebook-name` (the Notebook's name) plus the
 * Notebook's own labels; `fsGroup: 100` when the pod sets no securityContext.
 */
function notebookPod(doc: Json, ns: string, prefix: string): CreatedPod {
  const spec = doc.spec ?? {};
  const p = template(`${prefix}spec.template`, ns, spec.template);
  const name = doc.metadata?.name ?? '';
  const metadata = { ...p.pod.metadata, labels: { ...(p.pod.metadata?.labels ?? {}), statefulset: name, 'notebook-name': name, ...(doc.metadata?.labels ?? {}) } };
  if (!p.pod.spec.securityContext) p.pod.spec.securityContext = { fsGroup: 100 };
  return { ...p, pod: { metadata, spec: p.pod.spec } };
}

/** Argo Workflows v4.1.2: each pod-running template gets the executor's `init` and `wait` containers (workflowpod.go). */
function workflowPods(wf: Json, ns: string, ctx: PodContext, prefix: string): CreatedPod[] {
  const argo = addon(ctx.env, 'argo-workflows');
  const executor = argo?.values?.executor ?? {};
  return argoTemplatePods(wf).map((t) => {
    const spec = clone(t.spec);
    const exec = (name: string): Json => ({
      name, image: 'quay.io/argoproj/argoexec',
      ...(executor.securityContext ? { securityContext: clone(executor.securityContext) } : {}),
      ...(executor.resources ? { resources: clone(executor.resources) } : {}),
    });
    if (argo) {
      spec.initContainers = [exec('init'), ...(spec.initContainers ?? [])];
      spec.containers = [exec('wait'), ...(spec.containers ?? [])];
    }
    return {
      field: `${prefix}.${t.path}`, namespace: ns, pod: { metadata: { annotations: t.annotations }, spec },
      injected: argo ? [{ name: 'init', by: argo.name }, { name: 'wait', by: argo.name }] : [],
    };
  });
}

/**
 * A strategic merge of a PodSpec patch as the API machinery does it with the core/v1 types'
 * patch-merge keys (k8s.io/api v0.32 core/v1/types.go): `containers`/`initContainers` and
 * `volumes` merge by name, a container's `volumeMounts` by mountPath and `env` by name; other lists
 * (`tolerations`, `args`...) are replaced; scalars and maps override.
 */
export function strategicMergePod(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries<Json>(patch ?? {})) {
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
      out[k] = mergeByKey(out[k], v, 'name', mergeContainer);
    } else if (k === 'volumes' && Array.isArray(v)) {
      out[k] = mergeByKey(out[k], v, 'name', (a, b) => ({ ...b, name: a.name }));
    } else if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object') {
      out[k] = mergeObjects(out[k], v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** A list merged by `key`: an item of the patch replaces (or merges into) the base's item of the same key, others are appended. */
function mergeByKey(base: Json, patch: Json[], key: string, merge: (a: Json, b: Json) => Json): Json[] {
  const list: Json[] = [...(Array.isArray(base) ? base : [])];
  for (const item of patch) {
    const i = list.findIndex((x) => x?.[key] === item?.[key]);
    if (i >= 0) list[i] = merge(list[i], item);
    else list.push(item);
  }
  return list;
}

function mergeContainer(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries<Json>(b ?? {})) {
    if (k === 'volumeMounts' && Array.isArray(v)) out[k] = mergeByKey(out[k], v, 'mountPath', (_x, y) => y);
    else if (k === 'env' && Array.isArray(v)) out[k] = mergeByKey(out[k], v, 'name', (_x, y) => y);
    else out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k]) ? mergeObjects(out[k], v) : v;
  }
  return out;
}

function mergeObjects(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries<Json>(b ?? {})) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k]) ? mergeObjects(out[k], v) : v;
  }
  return out;
}
