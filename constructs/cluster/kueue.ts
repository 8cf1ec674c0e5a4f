/**
 * Kueue v0.19.2 facts: which job integrations its Helm chart enables, read from the add-on values
 * the way the chart reads them (kubernetes-sigs/kueue v0.19.2 charts/kueue: the manager
 * Configuration is the YAML string `managerConfig.controllerManagerConfigYaml`; the webhook
 * template reads `.integrations.frameworks` from it).
 */
import * as YAML from 'yaml';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The frameworks the chart's default Configuration enables (charts/kueue/values.yaml at v0.19.2;
 * `kubeflow.org/pytorchjob`, `kubeflow.org/tfjob`, `xgboostjob`, `paddlejob`, `jaxjob` are commented out there).
 */
export const KUEUE_CHART_DEFAULT_FRAMEWORKS: readonly string[] = [
  'batch/job', 'kubeflow.org/mpijob', 'ray.io/rayjob', 'ray.io/rayservice', 'ray.io/raycluster', 'jobset.x-k8s.io/jobset',
  'workload.codeflare.dev/appwrapper', 'trainer.kubeflow.org/trainjob', 'pod', 'deployment', 'statefulset', 'leaderworkerset.x-k8s.io/leaderworkerset',
];

/** Kueue framework name → the `group/Kind` it manages (pkg/controller/jobs/*: each integration's GVK). */
export const KUEUE_FRAMEWORK_KINDS: Readonly<Record<string, string>> = {
  'batch/job': 'batch/Job',
  'jobset.x-k8s.io/jobset': 'jobset.x-k8s.io/JobSet',
  'kubeflow.org/mpijob': 'kubeflow.org/MPIJob',
  'kubeflow.org/pytorchjob': 'kubeflow.org/PyTorchJob',
  'kubeflow.org/tfjob': 'kubeflow.org/TFJob',
  'kubeflow.org/xgboostjob': 'kubeflow.org/XGBoostJob',
  'kubeflow.org/paddlejob': 'kubeflow.org/PaddleJob',
  'kubeflow.org/jaxjob': 'kubeflow.org/JAXJob',
  'trainer.kubeflow.org/trainjob': 'trainer.kubeflow.org/TrainJob',
  'ray.io/rayjob': 'ray.io/RayJob',
  'ray.io/rayservice': 'ray.io/RayService',
  'ray.io/raycluster': 'ray.io/RayCluster',
  'workload.codeflare.dev/appwrapper': 'workload.codeflare.dev/AppWrapper',
  'pod': '/Pod',
  'deployment': 'apps/Deployment',
  'statefulset': 'apps/StatefulSet',
  'leaderworkerset.x-k8s.io/leaderworkerset': 'leaderworkerset.x-k8s.io/LeaderWorkerSet',
};

/** The integrations a Kueue installation enables. */
export interface KueueIntegrations {
  /** Framework names as configured. */
  readonly names: readonly string[];
  /** The `group/Kind`s they manage. */
  readonly frameworks: ReadonlySet<string>;
}

/** The integrations of the kueue add-on with these Helm values. */
export function kueueIntegrations(values: Json): KueueIntegrations {
  const text = values?.managerConfig?.controllerManagerConfigYaml;
  let names: readonly string[] = KUEUE_CHART_DEFAULT_FRAMEWORKS;
  if (typeof text === 'string') {
    const configured = (YAML.parse(text) ?? {})?.integrations?.frameworks;
    // an empty list means the code default: batch/job only (apis/config/v1beta2/defaults.go)
    names = Array.isArray(configured) && configured.length > 0 ? configured.map(String) : ['batch/job'];
  }
  return { names, frameworks: new Set(names.map((n) => KUEUE_FRAMEWORK_KINDS[n]).filter((k): k is string => k !== undefined)) };
}
