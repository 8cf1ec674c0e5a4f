/**
 * The stack configuration: read ONCE at the program entry (stacks/index.ts) into a typed,
 * validated object. Components never read config. Every problem is reported together, before
 * any resource is declared, as `config: <key> <problem>; got <value>, expected <allowed>`.
 */
import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../constructs/core/errors';
import { isDnsLabel } from '../constructs/core/names';
import { GpuClass, checkGpuClasses } from '../constructs/core/gpu';
import { GkeClusterArgs, checkGkeClusterArgs } from './gke-cluster';
import { OnPremClusterArgs, checkOnPremClusterArgs } from './onprem-cluster';

/** Where the platform runs. */
export type StackTarget = 'gke' | 'onprem';

/** The GitOps hand-off: which charts-out folder Argo CD syncs on this cluster. */
export interface GitOpsConfig {
  /**
   * Bootstrap Argo CD and the root Application.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The synthesized folder of the app.
   * @default 'charts-out'
   */
  readonly chartsOut?: string;
  /**
   * The environment of the app this cluster runs (its folder is `<chartsOut>/environments/<env>`).
   * @default - the root app
   */
  readonly environment?: string;
}

/** The typed, validated stack configuration. */
export interface StackConfig {
  /** The target (config key `mlscale:target`). */
  readonly target: StackTarget;
  /** The GPU classes, shared with the cdk8s app (default: PLATFORM_GPU_CLASSES of examples/apps/platform.ts). */
  readonly gpuClasses: readonly GpuClass[];
  /**
   * The charts-out folder Argo CD syncs (its root Application is what the stack applies).
   * @default - no GitOps (`mlscale:gitops.enabled: false`): the cluster only
   */
  readonly gitops?: { readonly directory: string };
  /**
   * GKE cluster arguments.
   * @default - set when target is gke
   */
  readonly gke?: GkeClusterArgs;
  /**
   * On-prem cluster arguments.
   * @default - set when target is onprem
   */
  readonly onprem?: OnPremClusterArgs;
}

/** The raw config values, as Pulumi returns them (untyped until checked). Unset keys are undefined. */
export interface RawStackConfig {
  /**
   * `mlscale:target`.
   * @default - unset (an error)
   */
  readonly target?: unknown;
  /**
   * `mlscale:gpuClasses`.
   * @default - the defaults passed to parseStackConfig
   */
  readonly gpuClasses?: unknown;
  /**
   * `mlscale:gitops` ({enabled, chartsOut, environment}).
   * @default - enabled, 'charts-out', the root app
   */
  readonly gitops?: unknown;
  /**
   * `mlscale:gke` (GkeClusterArgs without gpuClasses).
   * @default - unset (an error for target gke)
   */
  readonly gke?: unknown;
  /**
   * `mlscale:onprem` (OnPremClusterArgs without gpuClasses and the kubeconfig).
   * @default - unset (an error for target onprem)
   */
  readonly onprem?: unknown;
  /**
   * Secret config `mlscale:kubeconfig`.
   * @default - unset (an error for target onprem)
   */
  readonly kubeconfig?: pulumi.Output<string>;
  /**
   * Keys of earlier versions that are no longer read (`mlscale:addons`, ...), by key: each set one is an error saying what replaced it.
   * @default {}
   */
  readonly retired?: Readonly<Record<string, unknown>>;
}

/**
 * Keys earlier versions read, and what replaced them. Add-ons are Argo CD Applications derived
 * from charts-out (one owner), so the stack no longer chooses or configures any.
 */
export const RETIRED_KEYS: Readonly<Record<string, string>> = {
  'addons': 'Argo CD installs the add-ons its charts-out folder lists (GitOpsApplication derives them from the kinds used and the ClusterProfile); remove the key',
  'trainingOperatorV1': 'a PyTorchJob or TFJob in charts-out makes GitOpsApplication install the Training Operator; remove the key',
  'chartsOut': 'the stack applies only the root Application of mlscale:gitops.chartsOut (Argo CD syncs the rest); use mlscale:gitops',
  'minioRootPassword': 'MinIO reads its root credentials from a Secret you create before syncing (charts-out externals.json); remove the key',
};
/** Keys of `mlscale:gke` that were renamed. */
const RENAMED_GKE_KEYS: Readonly<Record<string, string>> = {
  gpuNodeLocations: 'gpuZones: { <class>: [zones] } (zones per GPU class, checked against where each GPU model is offered; default every zone of the region offering it)',
};
/** Keys of `mlscale:onprem` that moved into the cdk8s ClusterProfile.onPrem infrastructure (Argo CD installs them). */
const MOVED_ONPREM_KEYS: Readonly<Record<string, string>> = {
  nfs: 'infrastructure.nfs', gpuSupport: 'infrastructure.gpuSoftware', metricsServer: 'infrastructure.metricsServer',
  minio: 'infrastructure.minio', autoscaling: 'infrastructure.clusterApi (and mlscale:onprem.provisioner: cluster-api)',
};

/** Keys of `mlscale:gke` (GkeClusterArgs without the shared gpuClasses). */
export const GKE_CONFIG_KEYS: readonly string[] = [
  'project', 'location', 'name', 'releaseChannel', 'network', 'subnetwork', 'cloudNat', 'privateGoogleApis', 'privateEndpoint', 'masterIpv4CidrBlock',
  'controlPlaneAllowList', 'autoscalingProfile', 'systemPool', 'gpuDriverVersion', 'gpuZones', 'daskPool',
  'nodeAutoProvisioning', 'artifactBucket', 'rwxStorage', 'deletionProtection',
];
/** Keys of `mlscale:onprem` (OnPremClusterArgs without gpuClasses and the secrets, which have their own keys). */
export const ONPREM_CONFIG_KEYS: readonly string[] = ['clusterName', 'provisioner', 'clusterApi', 'storageClassName'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks that `value` is an object with only known keys; returns it (or an empty object). */
function checkObject(problems: Problems, field: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (!problems.check(isObject(value), field, 'must be an object', value, `an object with keys ${keys.join(', ')}`)) return {};
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    problems.check(keys.includes(k), `${field}.${k}`, 'is not a known key', k, `one of ${keys.join(', ')}`);
  }
  return obj;
}

/**
 * Parses and validates the raw config. `defaults.gpuClasses` is the GPU contract shared with the
 * cdk8s app (examples/apps/platform.ts); `mlscale:gpuClasses` overrides it only for stacks that do not
 * deploy that app. Throws one MlscaleValidationError listing every problem.
 */
export function parseStackConfig(raw: RawStackConfig, defaults: { readonly gpuClasses: readonly GpuClass[] }): StackConfig {
  const problems = new Problems('config');
  const target = raw.target;
  problems.check(target === 'gke' || target === 'onprem', 'target', 'is not a supported target', target, '"gke" or "onprem"');
  for (const [key, value] of Object.entries(raw.retired ?? {})) {
    if (value !== undefined) problems.add(key, 'is no longer read', value, RETIRED_KEYS[key] ?? 'remove the key');
  }
  const gpuClasses = (raw.gpuClasses ?? defaults.gpuClasses) as readonly GpuClass[];
  const classesOk = problems.check(Array.isArray(gpuClasses), 'gpuClasses', 'must be a list of GPU classes', gpuClasses,
    'a list of {name, type, gpusPerNode, ...} objects');
  const gitops = raw.gitops === undefined ? {} : checkObject(problems, 'gitops', raw.gitops, ['enabled', 'chartsOut', 'environment']) as GitOpsConfig;
  if (gitops.environment !== undefined) {
    problems.check(isDnsLabel(gitops.environment), 'gitops.environment',
      'is not an environment name', gitops.environment, 'the name given to app.addEnvironment, e.g. "lab"');
  }

  let gke: GkeClusterArgs | undefined;
  let onprem: OnPremClusterArgs | undefined;
  if (target === 'gke' && classesOk) {
    const given = isObject(raw.gke) ? { ...raw.gke } : undefined;
    for (const [key, renamed] of Object.entries(RENAMED_GKE_KEYS)) {
      if (given && key in given) {
        problems.add(`gke.${key}`, 'was renamed', key, renamed);
        delete given[key];
      }
    }
    gke = { ...checkObject(problems, 'gke', given ?? raw.gke, GKE_CONFIG_KEYS), gpuClasses } as unknown as GkeClusterArgs;
    checkGkeClusterArgs(problems, 'gke.', gke);
  } else if (target === 'onprem' && classesOk) {
    const given = isObject(raw.onprem) ? raw.onprem : {};
    for (const [key, moved] of Object.entries(MOVED_ONPREM_KEYS)) {
      if (key in given) problems.add(`onprem.${key}`, 'moved to the cdk8s ClusterProfile (Argo CD installs it)', key, `ClusterProfile.onPrem({ ${moved} }) in the app whose charts-out this cluster syncs`);
    }
    const known = { ...given };
    for (const key of Object.keys(MOVED_ONPREM_KEYS)) delete known[key];
    const o = checkObject(problems, 'onprem', raw.onprem === undefined ? undefined : known, ONPREM_CONFIG_KEYS) as Partial<OnPremClusterArgs>;
    onprem = { ...o, gpuClasses, kubeconfig: raw.kubeconfig };
    checkOnPremClusterArgs(problems, 'onprem.', onprem, 'kubeconfig');
  } else if (classesOk) {
    checkGpuClasses(problems, 'gpuClasses', gpuClasses);
  }
  problems.throwIfAny();
  const chartsOut = gitops.chartsOut ?? 'charts-out';
  return {
    target: target as StackTarget,
    gpuClasses,
    gitops: gitops.enabled === false ? undefined : { directory: gitops.environment ? `${chartsOut}/environments/${gitops.environment}` : chartsOut },
    gke,
    onprem,
  };
}

/** Reads every `mlscale:*` config key once and parses it (see parseStackConfig). */
export function loadStackConfig(config: pulumi.Config, defaults: { readonly gpuClasses: readonly GpuClass[] }): StackConfig {
  return parseStackConfig({
    target: config.get('target'),
    gpuClasses: config.getObject('gpuClasses'),
    gitops: config.getObject('gitops'),
    gke: config.getObject('gke'),
    onprem: config.getObject('onprem'),
    kubeconfig: config.getSecret('kubeconfig'),
    retired: Object.fromEntries(Object.keys(RETIRED_KEYS).map((k) => [k, config.get(k)])),
  }, defaults);
}
