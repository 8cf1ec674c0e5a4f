/**
 * The stack configuration: read ONCE at the program entry (stacks/index.ts) into a typed,
 * validated object. Components never read config. Every problem is reported together, before
 * any resource is declared, as `config: <key> <problem>; got <value>, expected <allowed>`.
 */
import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../constructs/core/errors';
import { GpuClass, checkGpuClasses } from '../constructs/core/gpu';
import { DEFAULT_PLATFORM_ADDONS } from '../constructs/platform/addons';
import { GkeClusterArgs, checkGkeClusterArgs } from './gke-cluster';
import { OnPremClusterArgs, checkOnPremClusterArgs } from './onprem-cluster';
import { PlatformAddonsArgs, checkPlatformAddonsArgs } from './platform-addons';

/** Where the platform runs. */
export type StackTarget = 'gke' | 'onprem';

/** Applying charts-out/ from the stack. */
export interface ChartsOutConfig {
  /**
   * Apply charts-out/ after the add-ons.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The folder of synthesized manifests.
   * @default 'charts-out'
   */
  readonly directory?: string;
}

/** The typed, validated stack configuration. */
export interface StackConfig {
  /** The target (config key `mlscale:target`). */
  readonly target: StackTarget;
  /** The GPU classes, shared with the cdk8s app (default: PLATFORM_GPU_CLASSES of apps/platform.ts). */
  readonly gpuClasses: readonly GpuClass[];
  /** The add-ons. */
  readonly addons: PlatformAddonsArgs;
  /**
   * The charts-out folder to apply.
   * @default - not applied (`mlscale:chartsOut.enabled: false`); the parser fills in 'charts-out' otherwise
   */
  readonly chartsOutDirectory?: string;
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
   * `mlscale:addons`.
   * @default DEFAULT_PLATFORM_ADDONS
   */
  readonly addons?: unknown;
  /**
   * `mlscale:trainingOperatorV1`.
   * @default false
   */
  readonly trainingOperatorV1?: unknown;
  /**
   * `mlscale:chartsOut` ({enabled, directory}).
   * @default - enabled, 'charts-out'
   */
  readonly chartsOut?: unknown;
  /**
   * `mlscale:gke` (GkeClusterArgs without gpuClasses).
   * @default - unset (an error for target gke)
   */
  readonly gke?: unknown;
  /**
   * `mlscale:onprem` (OnPremClusterArgs without gpuClasses and secrets).
   * @default - unset (an error for target onprem)
   */
  readonly onprem?: unknown;
  /**
   * Secret config `mlscale:kubeconfig`.
   * @default - unset (an error for target onprem)
   */
  readonly kubeconfig?: pulumi.Output<string>;
  /**
   * Secret config `mlscale:minioRootPassword`.
   * @default - unset (an error when on-prem MinIO is enabled)
   */
  readonly minioRootPassword?: pulumi.Output<string>;
}

/** Keys of `mlscale:gke` (GkeClusterArgs without the shared gpuClasses). */
export const GKE_CONFIG_KEYS: readonly string[] = [
  'project', 'location', 'name', 'releaseChannel', 'network', 'subnetwork', 'cloudNat', 'privateEndpoint', 'masterIpv4CidrBlock',
  'controlPlaneAllowList', 'autoscalingProfile', 'systemPool', 'gpuDriverVersion', 'gpuNodeLocations', 'daskPool',
  'nodeAutoProvisioning', 'artifactBucket', 'rwxStorage', 'deletionProtection',
];
/** Keys of `mlscale:onprem` (OnPremClusterArgs without gpuClasses and the secrets, which have their own keys). */
export const ONPREM_CONFIG_KEYS: readonly string[] = ['clusterName', 'nfs', 'gpuSupport', 'metricsServer', 'minio', 'autoscaling'];

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
 * cdk8s app (apps/platform.ts); `mlscale:gpuClasses` overrides it only for stacks that do not
 * deploy that app. Throws one MlscaleValidationError listing every problem.
 */
export function parseStackConfig(raw: RawStackConfig, defaults: { readonly gpuClasses: readonly GpuClass[] }): StackConfig {
  const problems = new Problems('config');
  const target = raw.target;
  problems.check(target === 'gke' || target === 'onprem', 'target', 'is not a supported target', target, '"gke" or "onprem"');
  const gpuClasses = (raw.gpuClasses ?? defaults.gpuClasses) as readonly GpuClass[];
  const classesOk = problems.check(Array.isArray(gpuClasses), 'gpuClasses', 'must be a list of GPU classes', gpuClasses,
    'a list of {name, type, gpusPerNode, ...} objects');
  const addons: PlatformAddonsArgs = {
    addons: (raw.addons ?? DEFAULT_PLATFORM_ADDONS) as PlatformAddonsArgs['addons'],
    trainingOperatorV1: raw.trainingOperatorV1 === true,
  };
  if (problems.check(Array.isArray(addons.addons), 'addons', 'must be a list of add-on names', raw.addons, 'e.g. ["argo-cd", "kueue"]')) {
    checkPlatformAddonsArgs(problems, '', addons);
  }
  const chartsOut = raw.chartsOut === undefined ? {} : checkObject(problems, 'chartsOut', raw.chartsOut, ['enabled', 'directory']) as ChartsOutConfig;

  let gke: GkeClusterArgs | undefined;
  let onprem: OnPremClusterArgs | undefined;
  if (target === 'gke' && classesOk) {
    gke = { ...checkObject(problems, 'gke', raw.gke, GKE_CONFIG_KEYS), gpuClasses } as unknown as GkeClusterArgs;
    checkGkeClusterArgs(problems, 'gke.', gke);
  } else if (target === 'onprem' && classesOk) {
    const o = checkObject(problems, 'onprem', raw.onprem, ONPREM_CONFIG_KEYS) as Partial<OnPremClusterArgs>;
    onprem = {
      ...o, gpuClasses, kubeconfig: raw.kubeconfig, nfs: o.nfs ?? ({} as OnPremClusterArgs['nfs']),
      minio: { ...o.minio, rootPassword: raw.minioRootPassword },
    };
    checkOnPremClusterArgs(problems, 'onprem.', onprem, 'kubeconfig');
  } else if (classesOk) {
    checkGpuClasses(problems, 'gpuClasses', gpuClasses);
  }
  problems.throwIfAny();
  return {
    target: target as StackTarget,
    gpuClasses,
    addons,
    chartsOutDirectory: chartsOut.enabled === false ? undefined : chartsOut.directory ?? 'charts-out',
    gke,
    onprem,
  };
}

/** Reads every `mlscale:*` config key once and parses it (see parseStackConfig). */
export function loadStackConfig(config: pulumi.Config, defaults: { readonly gpuClasses: readonly GpuClass[] }): StackConfig {
  return parseStackConfig({
    target: config.get('target'),
    gpuClasses: config.getObject('gpuClasses'),
    addons: config.getObject('addons'),
    trainingOperatorV1: config.getBoolean('trainingOperatorV1'),
    chartsOut: config.getObject('chartsOut'),
    gke: config.getObject('gke'),
    onprem: config.getObject('onprem'),
    kubeconfig: config.getSecret('kubeconfig'),
    minioRootPassword: config.getSecret('minioRootPassword'),
  }, defaults);
}
