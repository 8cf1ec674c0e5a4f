import { IConstruct } from 'constructs';
import { ClusterProfile, GpuPlacement, GpuType, Problems, checkImage } from '../core';
import { DaskImageContents, daskImageContents } from './images';
import { PyValue, pyFloat, pyLiteral, pyString } from './python';

/** A whole-number option users pick within bounds (e.g. worker cores). */
export interface IntegerOption {
  /** Smallest value a user may pick. */
  readonly min: number;
  /** Largest value a user may pick. */
  readonly max: number;
  /** The value used when the user picks nothing (within min..max). */
  readonly default: number;
  /**
   * Label shown to users (the options widget, `Gateway().cluster_options()`).
   * @default - a label derived from the option, e.g. "Worker cores"
   */
  readonly label?: string;
}

/** A decimal option users pick within bounds (e.g. worker memory in GiB). */
export interface FloatOption {
  /** Smallest value a user may pick. */
  readonly min: number;
  /** Largest value a user may pick. */
  readonly max: number;
  /** The value used when the user picks nothing (within min..max). */
  readonly default: number;
  /**
   * Label shown to users.
   * @default - a label derived from the option, e.g. "Worker memory (GiB)"
   */
  readonly label?: string;
}

/** One allowed value of a select option. */
export interface SelectChoice {
  /** The value (for the image option: a pinned image reference). */
  readonly value: string;
  /**
   * Marks the default choice; exactly one choice is marked when there are several.
   * @default false
   */
  readonly default?: boolean;
  /**
   * For the image option: what the image holds (dask, dask-gateway, CUDA). The gateway requires the
   * same dask-gateway as its server and one dask version across its images; only CUDA images run
   * GPU workers.
   * @default - the entry of KNOWN_DASK_IMAGES (an image not there must declare it)
   */
  readonly contents?: DaskImageContents;
}

/** An option users pick from a fixed list (e.g. the worker image). */
export interface SelectOption {
  /** The allowed values, in the order users see them. */
  readonly choices: readonly SelectChoice[];
  /**
   * Label shown to users.
   * @default - a label derived from the option, e.g. "Image"
   */
  readonly label?: string;
}

/** GPUs per worker: an integer option plus the GPU model the GPU workers are placed on. */
export interface GpuOption extends IntegerOption {
  /**
   * GPU model of GPU workers (node selector and tolerations come from the ClusterProfile).
   * @default - the only GPU class of the ClusterProfile; required otherwise
   */
  readonly gpuType?: GpuType;
  /**
   * GPU class of the ClusterProfile to run on.
   * @default - the on-demand class offering `gpuType`
   */
  readonly gpuClass?: string;
}

/** Extra environment variables users may set on their schedulers and workers. */
export interface EnvironmentOption {
  /**
   * Label shown to users.
   * @default "Environment variables"
   */
  readonly label?: string;
  /**
   * Variables pre-filled in the option (users may change or remove them).
   * @default - none
   */
  readonly defaults?: Readonly<Record<string, string>>;
}

/**
 * The cluster options users choose from when they create a cluster. Only the options declared
 * here are offered; the others are fixed by the gateway's configuration.
 */
export interface DaskClusterOptions {
  /**
   * Cores per worker (requests and limits, and the worker's thread count).
   * @default - not offered: every worker gets `workerDefaults.cpu`
   */
  readonly workerCores?: IntegerOption;
  /**
   * Memory per worker in GiB (requests, limits and the worker's memory limit).
   * @default - not offered: every worker gets `workerDefaults.memory`
   */
  readonly workerMemoryGiB?: FloatOption;
  /**
   * Image of schedulers and workers, from an allowed list of pinned images.
   * @default - not offered: the gateway's `image`
   */
  readonly image?: SelectOption;
  /**
   * GPUs per worker; GPU workers run `dask-cuda-worker`, are placed on the GPU type's nodes and get /dev/shm.
   * @default - not offered: CPU workers only
   */
  readonly workerGpus?: GpuOption;
  /**
   * Environment variables users may add.
   * @default - not offered
   */
  readonly environment?: EnvironmentOption;
}

/** A validated option, as it is rendered. */
export interface ResolvedOption {
  /** The Python field class: Integer, Float, Select or Mapping. */
  readonly kind: 'Integer' | 'Float' | 'Select' | 'Mapping';
  /** The option's keyword (what users pass to `new_cluster`). */
  readonly field: string;
  readonly label: string;
  readonly default: number | string | Readonly<Record<string, string>>;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  /** Select `image`: the choices that are CUDA images. */
  readonly cudaChoices?: readonly string[];
  /** Select `image`: what each choice holds (undefined: unknown). */
  readonly contents?: ReadonlyArray<DaskImageContents | undefined>;
}

/** Validated options plus what the handler needs. */
export interface ResolvedClusterOptions {
  /** In a fixed order: worker_cores, worker_memory, worker_gpus, image, environment. */
  readonly options: readonly ResolvedOption[];
  /** GPU placement of GPU workers (when the GPU option is offered). */
  readonly gpu?: GpuPlacement;
}

function checkBounds(problems: Problems, field: string, o: IntegerOption | FloatOption, integer: boolean, floor: number): void {
  const kind = integer ? 'an integer' : 'a number';
  for (const k of ['min', 'max', 'default'] as const) {
    const v = o[k];
    const ok = typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v)) && v >= floor;
    problems.check(ok, `${field}.${k}`, integer ? 'must be a whole number' : 'must be a finite number', v, `${kind} ≥ ${floor}`);
  }
  if (o.min > o.max) {
    problems.add(`${field}.min`, `is greater than max (${o.max})`, o.min, 'min ≤ max');
  } else if (o.default < o.min || o.default > o.max) {
    problems.add(`${field}.default`, 'is outside the bounds', o.default, `a value from ${o.min} to ${o.max}`);
  }
}

/** The marked default of a select; records a problem unless exactly one is marked (or there is only one choice). */
function selectDefault(problems: Problems, field: string, choices: readonly SelectChoice[]): string | undefined {
  if (choices.length === 1) return choices[0].value;
  const marked = choices.filter((c) => c.default === true);
  if (!problems.check(marked.length === 1, `${field}.choices`, 'must mark exactly one choice as the default', marked.length,
    'exactly one choice with `default: true`')) return undefined;
  return marked[0].value;
}

/** Validates the declared options (all problems are recorded under `field`). */
export function resolveClusterOptions(scope: IConstruct, problems: Problems, field: string, o: DaskClusterOptions): ResolvedClusterOptions {
  const options: ResolvedOption[] = [];
  let gpu: GpuPlacement | undefined;
  if (o.workerCores) {
    checkBounds(problems, `${field}.workerCores`, o.workerCores, true, 1);
    options.push({ kind: 'Integer', field: 'worker_cores', label: o.workerCores.label ?? 'Worker cores', ...bounds(o.workerCores) });
  }
  if (o.workerMemoryGiB) {
    checkBounds(problems, `${field}.workerMemoryGiB`, o.workerMemoryGiB, false, 0.25);
    options.push({ kind: 'Float', field: 'worker_memory', label: o.workerMemoryGiB.label ?? 'Worker memory (GiB)', ...bounds(o.workerMemoryGiB) });
  }
  if (o.workerGpus) {
    const f = `${field}.workerGpus`;
    checkBounds(problems, f, o.workerGpus, true, 0);
    problems.check(o.workerGpus.max >= 1, `${f}.max`, 'must allow at least one GPU', o.workerGpus.max, 'an integer ≥ 1');
    if (o.workerGpus.max >= 1) {
      gpu = ClusterProfile.of(scope).placeGpus(problems, f, o.workerGpus.max, o.workerGpus.gpuType, o.workerGpus.gpuClass);
    }
    options.push({ kind: 'Integer', field: 'worker_gpus', label: o.workerGpus.label ?? 'GPUs per worker', ...bounds(o.workerGpus) });
  }
  if (o.image) {
    const f = `${field}.image`;
    const choices = o.image.choices;
    if (problems.check(choices.length > 0, `${f}.choices`, 'must not be empty', [], 'at least one pinned image')) {
      const seen = new Set<string>();
      choices.forEach((c, i) => {
        checkImage(problems, `${f}.choices[${i}].value`, c.value);
        problems.check(!seen.has(c.value), `${f}.choices[${i}].value`, 'is listed twice', c.value, 'distinct images');
        seen.add(c.value);
      });
      const def = selectDefault(problems, f, choices);
      options.push({
        kind: 'Select', field: 'image', label: o.image.label ?? 'Image', default: def ?? '', choices: choices.map((c) => c.value),
        cudaChoices: choices.filter((c) => daskImageContents(c.value, c.contents)?.cuda === true).map((c) => c.value),
        contents: choices.map((c) => daskImageContents(c.value, c.contents)),
      });
    }
  }
  // GPU workers run dask-cuda-worker: the gateway's own cluster image has no CUDA and no dask-cuda
  // (dask/dask-gateway 2026.3.0 dask-gateway/Dockerfile.requirements.in: dask-gateway, bokeh, numpy)
  if (o.workerGpus) {
    problems.check((o.image?.choices ?? []).some((c) => daskImageContents(c.value, c.contents)?.cuda === true), `${field}.workerGpus`, 'is offered but no image choice is a CUDA image',
      o.image?.choices.map((c) => c.value) ?? [], 'an `image` option with at least one choice whose contents have `cuda: true` (an image with dask-gateway, CUDA and dask-cuda)');
  }
  if (o.environment) {
    const defaults = o.environment.defaults ?? {};
    for (const k of Object.keys(defaults)) {
      problems.check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(k), `${field}.environment.defaults.${k}`, 'is not a valid environment variable name', k,
        "letters, digits and '_', not starting with a digit");
    }
    options.push({ kind: 'Mapping', field: 'environment', label: o.environment.label ?? 'Environment variables', default: defaults });
  }
  return { options, gpu };
}

function bounds(o: IntegerOption | FloatOption): { min: number; max: number; default: number } {
  return { min: o.min, max: o.max, default: o.default };
}

/** One `Integer(...)`, `Float(...)`, `Select(...)` or `Mapping(...)` field declaration. */
export function renderOptionField(o: ResolvedOption): string {
  const label = `label=${pyString(o.label)}`;
  switch (o.kind) {
    case 'Integer':
      return `Integer(${pyString(o.field)}, default=${o.default}, min=${o.min}, max=${o.max}, ${label})`;
    case 'Float':
      return `Float(${pyString(o.field)}, default=${pyFloat(o.default as number)}, min=${pyFloat(o.min!)}, max=${pyFloat(o.max!)}, ${label})`;
    case 'Select':
      return `Select(${pyString(o.field)}, ${pyLiteral(o.choices as PyValue)}, default=${pyString(o.default as string)}, ${label})`;
    case 'Mapping':
      return `Mapping(${pyString(o.field)}, default=${pyLiteral(o.default as PyValue)}, ${label})`;
  }
}
