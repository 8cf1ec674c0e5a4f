import { k8sObject } from '../core/pod';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Flows } from '../cluster/flows';
import { Problems } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { checkName } from '../core/names';
import { cpuMillis, memoryBytes } from '../core/quantity';
import { ClusterQueueV1Beta2, LocalQueueV1Beta2, ResourceFlavorV1Beta2 } from '../imports/kueue-kueue.x-k8s.io';
import type { ClusterQueueV1Beta2Spec } from '../imports/kueue-kueue.x-k8s.io';
import type { Plain } from '../core/cr-spec';
import { CPU_FLAVOR } from '../platform/constants';
import type { Team } from '../platform/team';
import { ANNOTATION_TRIAL_PARAMETERS, LABEL_SWEEP, LABEL_TRIAL, MAX_SWEEP_TRIALS, PYTORCH_CONTAINER } from './constants';
import { PyTorchJob, PyTorchJobManifest, PyTorchJobProps, buildPyTorchJob } from './pytorch-job';

/**
 * One named hyperparameter: either a list of `values` (grid: every value; random: one drawn per
 * trial) or a range `min`..`max` (random and Katib only).
 */
export interface SweepParameter {
  /**
   * The values to try.
   * @default - none: give `min` and `max`
   */
  readonly values?: ReadonlyArray<string | number>;
  /**
   * Lower bound of a range.
   * @default - none: give `values`
   */
  readonly min?: number;
  /**
   * Upper bound of a range.
   * @default - none: give `values`
   */
  readonly max?: number;
  /**
   * How a range is sampled: `log` draws log-uniformly (learning rates), and needs min > 0.
   * @default 'linear'
   */
  readonly scale?: 'linear' | 'log';
  /**
   * Draw whole numbers from the range.
   * @default false
   */
  readonly integer?: boolean;
}

/** One trial: its index, its job name and its parameter values (as strings, like Katib's). */
export interface SweepTrial {
  readonly index: number;
  readonly name: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** The search algorithm of a sweep. */
export type SweepAlgorithm = 'grid' | 'random' | 'bayesianoptimization';

/** A Katib objective (the metric the trials print, `name=value`, on stdout). */
export interface KatibObjective {
  /** Metric name, e.g. `accuracy`. */
  readonly metric: string;
  /** Whether higher or lower is better. */
  readonly goal: 'maximize' | 'minimize';
  /**
   * Stop the experiment once a trial reaches this value.
   * @default - run every trial
   */
  readonly target?: number;
}

/** Options of a sweep run by Katib instead of as one job per trial. */
export interface KatibOptions {
  /** What to optimise. */
  readonly objective: KatibObjective;
  /**
   * Failed trials after which the experiment fails.
   * @default 3
   */
  readonly maxFailedTrials?: number;
}

/** Props of a HyperparameterSweep. */
export interface HyperparameterSweepProps {
  /**
   * Sweep name (DNS label, at most 58 characters: trial jobs are named `<name>-NNNN`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the trials (required, from here or the chart: the sweep's Kueue queues are named after it).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The named parameters, e.g. `{ lr: { values: [0.1, 0.01] }, layers: { values: [2, 4] } }`. */
  readonly parameters: Readonly<Record<string, SweepParameter>>;
  /**
   * Search algorithm. `bayesianoptimization` needs `katib`.
   * @default 'grid'
   */
  readonly algorithm?: SweepAlgorithm;
  /**
   * Number of trials of a random or Bayesian search (a grid has one trial per point; leave unset).
   * @default 10
   */
  readonly trials?: number;
  /**
   * Seed of the random search: the same seed gives the same trials.
   * @default 0
   */
  readonly seed?: number;
  /**
   * Trials running at once. Jobs: enforced by Kueue, which counts the trials' pods (a LocalQueue +
   * ClusterQueue of the sweep admitting `maxParallel` × the smallest trial's pods, and borrowing at
   * most `maxParallel` × the largest trial's CPU, memory and GPUs); Katib: `parallelTrialCount`.
   * With trials of different replica counts, fewer large trials run at once.
   * @default 4
   */
  readonly maxParallel?: number;
  /**
   * Run the sweep as one Katib Experiment (random or Bayesian search driven by a metric).
   * Katib reads the metric with its default StdOut collector: its webhook injects a
   * metrics-collector sidecar into each trial's Master pod, only in namespaces labelled
   * `katib.kubeflow.org/metrics-collector-injection: enabled` (`Team` `katibMetricsCollection`).
   * With mlscale's katib add-on (injectSecurityContext) the sidecar copies the trial container's
   * `restricted` security context; the cluster model checks it as admitted.
   * @default - one PyTorchJob per trial, generated at synth
   */
  readonly katib?: KatibOptions;
  /**
   * The team whose quota the trials use. Jobs: the sweep's ClusterQueue joins the team's Kueue
   * Cohort with no quota of its own (only the trial count, as pods), so trials run on the team's
   * idle nominal quota and what the team may borrow, the team's own workloads reclaim it, and the
   * team's borrowing limits bound the team and its sweeps together. Katib: the trials are submitted
   * to the team's queue. The team's namespace must be the sweep's.
   * @default - no team: the sweep's ClusterQueue owns a quota of its own (`maxParallel` trials), outside every team's quota
   */
  readonly team?: Team;
  /**
   * The job of one trial, from its parameters. With Katib the parameters are Katib placeholders
   * (`${trialParameters.lr}`); use them as strings in args or env. The sweep sets each job's
   * `name`, `namespace` and `queue` (and adds its labels).
   */
  readonly job: (trial: SweepTrial) => PyTorchJobProps;
}

const PARAMETER_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const TRIAL_DIGITS = String(MAX_SWEEP_TRIALS - 1).length;

/** A deterministic PRNG (mulberry32), uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The i-th point of the grid (mixed radix, the last parameter varying fastest). */
function gridPoint(names: readonly string[], values: ReadonlyArray<readonly string[]>, i: number): Record<string, string> {
  const point: Record<string, string> = {};
  for (let p = names.length - 1; p >= 0; p--) {
    point[names[p]] = values[p][i % values[p].length];
    i = Math.floor(i / values[p].length);
  }
  return Object.fromEntries(names.map((n) => [n, point[n]]));
}

/** A value drawn from a range. */
function draw(p: SweepParameter, r: number): string {
  const min = p.min!, max = p.max!;
  const x = p.scale === 'log' ? Math.exp(Math.log(min) + r * (Math.log(max) - Math.log(min))) : min + r * (max - min);
  return String(p.integer ? Math.min(max, Math.floor(p.scale === 'log' ? x : min + r * (max - min + 1))) : Number(x.toPrecision(4)));
}

/**
 * A hyperparameter sweep over named parameters. By default it generates one PyTorchJob per trial
 * at synth (grid: every point, in a stable order; random: `trials` draws from a seeded generator,
 * distinct points), named `<sweep>-0000`, `<sweep>-0001`..., labelled `mlscale.io/sweep` and
 * `mlscale.io/trial`, with the parameter values in the `mlscale.io/trial-parameters` annotation.
 * At most `maxParallel` trials run at once: the trials are submitted (suspended) to a Kueue
 * LocalQueue of the sweep whose ClusterQueue admits `maxParallel` × the smallest trial's pods and
 * at most `maxParallel` × the largest trial's CPU, memory and GPUs; with `team`, that ClusterQueue
 * is in the team's Cohort and owns no CPU, memory or GPUs, so the trials run on the team's quota.
 * At most MAX_SWEEP_TRIALS (2,000) trials.
 * With `katib`, it is one Katib Experiment instead (random, grid or Bayesian optimisation).
 */
export class HyperparameterSweep extends Construct {
  /** The sweep's name. */
  public readonly name: string;
  /** The trials generated at synth (empty with Katib, which generates them at run time). */
  public readonly trials: readonly SweepTrial[];
  /** One job per trial (empty with Katib). */
  public readonly jobs: readonly PyTorchJob[];
  /** The Kueue LocalQueue the trials are submitted to (undefined with Katib). */
  public readonly queueName?: string;
  /** The Katib Experiment, when `katib` is set. */
  public readonly experiment?: ApiObject;

  constructor(scope: Construct, id: string, props: HyperparameterSweepProps) {
    super(scope, id);
    const problems = new Problems(this);
    const name = props.name ?? id;
    checkName(problems, 'name', name, 63 - TRIAL_DIGITS - 1);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    problems.check(namespace !== undefined, 'namespace', 'is required', namespace, "a namespace, from the props or the chart's namespace");
    const algorithm = props.algorithm ?? 'grid';
    const maxParallel = props.maxParallel ?? 4;
    problems.check(Number.isInteger(maxParallel) && maxParallel >= 1 && maxParallel <= MAX_SWEEP_TRIALS, 'maxParallel', 'must be a whole number ≥ 1',
      maxParallel, `an integer from 1 to ${MAX_SWEEP_TRIALS}`);
    problems.check(props.team === undefined || props.team.namespace === namespace, 'team', 'is the team of another namespace', props.team?.namespace,
      `the team of namespace ${namespace} (a sweep's trials run in the sweep's namespace)`);
    problems.check(algorithm !== 'bayesianoptimization' || props.katib !== undefined, 'algorithm', 'needs Katib', algorithm,
      '"grid" or "random", or set `katib` for "bayesianoptimization"');
    const names = Object.keys(props.parameters);
    const space = this.checkSpace(problems, props.parameters, algorithm);
    const count = this.trialCount(problems, props, space, algorithm);
    problems.throwIfAny();

    this.name = name;
    if (props.katib) {
      this.trials = [];
      this.jobs = [];
      this.experiment = this.katibExperiment(problems, name, namespace!, props, count!, maxParallel);
      problems.throwIfAny();
      return;
    }
    this.trials = algorithm === 'grid'
      ? Array.from({ length: count! }, (_, i) => this.trial(name, i, gridPoint(names, space as string[][], i)))
      : this.randomTrials(name, props, space, count!);
    const queue = name;
    this.queueName = queue;
    this.jobs = this.trials.map((t) => {
      const jobProps = props.job(t);
      const job = new PyTorchJob(this, t.name, {
        ...jobProps,
        name: t.name,
        namespace,
        // the sweep's own LocalQueue (created below): an object of this app
        queue: { queueName: queue, queueNamespace: namespace! },
        labels: { ...(jobProps.labels ?? {}), [LABEL_SWEEP]: name, [LABEL_TRIAL]: t.name.slice(name.length + 1) },
      });
      job.apiObject.metadata.addAnnotation(ANNOTATION_TRIAL_PARAMETERS, JSON.stringify(t.parameters));
      return job;
    });
    this.kueueQueues(problems, namespace!, queue, maxParallel, props);
    problems.throwIfAny();
  }

  private trial(sweep: string, index: number, parameters: Record<string, string>): SweepTrial {
    return { index, name: `${sweep}-${String(index).padStart(TRIAL_DIGITS, '0')}`, parameters };
  }

  /** Validates the parameter space; returns each parameter's values (undefined for a range). */
  private checkSpace(problems: Problems, parameters: Readonly<Record<string, SweepParameter>>, algorithm: SweepAlgorithm): Array<string[] | undefined> {
    const names = Object.keys(parameters);
    problems.check(names.length > 0, 'parameters', 'must not be empty', parameters, 'at least one named parameter');
    const lower = new Set<string>();
    return names.map((n) => {
      const f = `parameters.${n}`;
      problems.check(PARAMETER_NAME.test(n), f, 'is not a valid parameter name', n, 'a letter, then letters, digits or "_"');
      problems.check(!lower.has(n.toLowerCase()), f, 'duplicates another parameter name (case-insensitive)', n, 'distinct parameter names');
      lower.add(n.toLowerCase());
      const p = parameters[n];
      if (p.values !== undefined) {
        const values = p.values.map(String);
        problems.check(p.min === undefined && p.max === undefined, f, 'has both values and a range', p, 'either `values` or `min` and `max`');
        problems.check(values.length > 0, `${f}.values`, 'must not be empty', p.values, 'at least one value');
        const dup = values.find((v, i) => values.indexOf(v) !== i);
        problems.check(dup === undefined, `${f}.values`, `contains ${JSON.stringify(dup)} twice`, p.values, 'distinct values');
        return values;
      }
      if (!problems.check(p.min !== undefined && p.max !== undefined, f, 'has neither values nor a range', p, 'either `values` or `min` and `max`')) return undefined;
      problems.check(algorithm !== 'grid', f, 'is a range, which a grid cannot enumerate', p, '`values` for a grid, or algorithm "random"');
      problems.check(Number.isFinite(p.min) && Number.isFinite(p.max) && p.min! < p.max!, `${f}.min`, `must be below max (${p.max})`, p.min, 'min < max');
      if (p.scale === 'log') problems.check(p.min! > 0, `${f}.min`, 'must be positive on a log scale', p.min, 'min > 0');
      // Katib v0.19.0's bayesianoptimization (skopt) samples every double log-uniformly, whatever its distribution
      // (pkg/suggestion/v1beta1/skopt/base_service.py create_optimizer: skopt.space.Real(min, max, "log-uniform")):
      // a linear range would silently be searched on a log scale, and one starting at 0 breaks the suggestion
      if (algorithm === 'bayesianoptimization' && !p.integer && p.scale !== 'log') {
        problems.add(`${f}.scale`, 'is linear, but Katib\'s bayesianoptimization samples every real range log-uniformly (skopt base_service.py)', p.scale ?? 'linear',
          'scale: "log" with min > 0, integer: true, or `values`');
      }
      if (p.integer) problems.check(Number.isInteger(p.min) && Number.isInteger(p.max), f, 'has a fractional bound', p, 'whole-number min and max');
      return undefined;
    });
  }

  /** The number of trials, checked against MAX_SWEEP_TRIALS. */
  private trialCount(problems: Problems, props: HyperparameterSweepProps, space: Array<string[] | undefined>, algorithm: SweepAlgorithm): number | undefined {
    const gridSize = space.every((v) => v !== undefined) ? space.reduce((n, v) => n * v!.length, 1) : Infinity;
    let count: number;
    if (algorithm === 'grid') {
      problems.check(props.trials === undefined, 'trials', 'is set for a grid', props.trials, 'no trials for a grid (one trial per point)');
      count = gridSize;
    } else {
      count = props.trials ?? 10;
      problems.check(Number.isInteger(count) && count >= 1, 'trials', 'must be a whole number ≥ 1', count, `an integer from 1 to ${MAX_SWEEP_TRIALS}`);
      if (!props.katib) {
        problems.check(count <= gridSize, 'trials', `exceeds the ${gridSize} distinct points of the parameter space`, count, `at most ${gridSize} trials`);
      }
    }
    if (!Number.isFinite(count)) return undefined; // a range in a grid, reported above
    if (count > MAX_SWEEP_TRIALS) {
      problems.add('trials', 'exceeds the maximum number of trials of a sweep', count, `at most ${MAX_SWEEP_TRIALS} (MAX_SWEEP_TRIALS); split the sweep or use Katib`);
      return undefined;
    }
    return count;
  }

  /** `count` distinct random points: a seeded shuffle of the grid, or draws from the ranges. */
  private randomTrials(sweep: string, props: HyperparameterSweepProps, space: Array<string[] | undefined>, count: number): SweepTrial[] {
    const names = Object.keys(props.parameters);
    const rand = prng(props.seed ?? 0);
    if (space.every((v) => v !== undefined)) {
      const size = space.reduce((n, v) => n * v!.length, 1);
      const order = Array.from({ length: size }, (_, i) => i);
      for (let i = 0; i < count; i++) { // partial Fisher-Yates: the first `count` of a seeded permutation
        const j = i + Math.floor(rand() * (size - i));
        [order[i], order[j]] = [order[j], order[i]];
      }
      return order.slice(0, count).map((g, i) => this.trial(sweep, i, gridPoint(names, space as string[][], g)));
    }
    return Array.from({ length: count }, (_, i) => this.trial(sweep, i, Object.fromEntries(names.map((n, p) => {
      const values = space[p];
      return [n, values ? values[Math.floor(rand() * values.length)] : draw(props.parameters[n], rand())];
    }))));
  }

  /**
   * The sweep's Kueue objects. Kueue counts a workload's pods when its ClusterQueue covers `pods`
   * (kueue v0.19.2 pkg/scheduler/flavorassigner/flavorassigner.go), so the trial count is bounded by
   * a pods quota of `maxParallel` × the smallest trial's pods, kept local (lendingLimit 0); CPU,
   * memory and GPUs are bounded by `maxParallel` × the largest trial's.
   */
  private kueueQueues(problems: Problems, namespace: string, queue: string, maxParallel: number, props: HyperparameterSweepProps): void {
    const labels = recommendedLabels({ name: 'hyperparameter-sweep', instance: this.name });
    const clusterQueue = `${namespace}-${this.name}`;
    // each trial's requests: CPU (m), memory (bytes), pods, and GPUs by flavor (the GPU class, as GpuQueues names them)
    const trials = this.jobs.map((job) => {
      const t = { cpu: 0, memory: 0, pods: 0, gpus: {} as Record<string, number> };
      for (const [type, pod] of Object.entries(job.pods)) {
        const n = job.replicas[type];
        t.pods += n;
        for (const r of Object.values(pod.resources)) {
          t.cpu += n * cpuMillis(r.cpu);
          t.memory += n * (memoryBytes(r.memory) ?? 0);
          if (r.gpus > 0) {
            const flavor = pod.gpu?.gpuClass?.name ?? clusterQueue;
            t.gpus[flavor] = (t.gpus[flavor] ?? 0) + n * r.gpus;
          }
        }
      }
      return t;
    });
    const peak = (f: (t: typeof trials[number]) => number) => Math.max(0, ...trials.map(f));
    const minPods = Math.min(...trials.map((t) => t.pods));
    const maxPods = peak((t) => t.pods);
    const pods = maxParallel * minPods;
    problems.check(maxPods <= pods, 'maxParallel', `lets no trial of ${maxPods} pods start: Kueue counts trials by their pods, and the smallest trial has ${minPods}`,
      maxParallel, `at least ${Math.ceil(maxPods / minPods)}, or trials of equal replica counts`);
    const gpuFlavors = [...new Set(trials.flatMap((t) => Object.keys(t.gpus)))].sort();
    const cpu = `${peak((t) => t.cpu) * maxParallel}m`;
    const memory = `${Math.ceil((peak((t) => t.memory) * maxParallel) / 2 ** 20)}Mi`;
    const gpus = (f: string) => peak((t) => t.gpus[f] ?? 0) * maxParallel;
    let spec: Pick<Plain<ClusterQueueV1Beta2Spec>, 'cohortName' | 'resourceGroups'>;
    if (props.team) {
      const team = props.team;
      for (const f of gpuFlavors) {
        const q = team.quota.gpus.find((g) => g.gpuClass === f);
        problems.check(q !== undefined && q.nominal + q.borrowing > 0, 'team', `has no quota and no borrowing for the trials' GPU class ${f}`, team.namespace,
          `a team whose quota or borrowingLimit has gpus.${f} (its trials could never be admitted)`);
      }
      spec = {
        cohortName: team.queue.cohortName,
        resourceGroups: [
          {
            coveredResources: ['cpu', 'memory', 'pods'],
            flavors: [{
              name: CPU_FLAVOR,
              resources: [
                { name: 'cpu', nominalQuota: 0, borrowingLimit: cpu },
                { name: 'memory', nominalQuota: 0, borrowingLimit: memory },
                { name: 'pods', nominalQuota: pods, borrowingLimit: 0, lendingLimit: 0 },
              ],
            }],
          },
          ...(gpuFlavors.length > 0 ? [{
            coveredResources: ['nvidia.com/gpu'],
            flavors: gpuFlavors.map((f) => ({ name: f, resources: [{ name: 'nvidia.com/gpu', nominalQuota: 0, borrowingLimit: gpus(f) }] })),
          }] : []),
        ],
      };
    } else {
      // no team: a flavor of the sweep's own, with no node labels (pods keep their GPU node selectors)
      k8sObject(this, 'Flavor', ResourceFlavorV1Beta2, { metadata: { name: clusterQueue, labels }, spec: {} });
      const quota: Record<string, string | number> = {
        'cpu': cpu, 'memory': memory, 'nvidia.com/gpu': gpuFlavors.reduce((n, f) => Math.max(n, gpus(f)), 0), 'pods': pods,
      };
      spec = {
        resourceGroups: [{ coveredResources: Object.keys(quota), flavors: [{ name: clusterQueue, resources: Object.entries(quota).map(([name, q]) => ({ name, nominalQuota: q })) }] }],
      };
    }
    // written as JSON, typed with the binding (its constructor would drop the plain quantities)
    const clusterQueueSpec: Plain<ClusterQueueV1Beta2Spec> = {
      ...(spec.cohortName ? { cohortName: spec.cohortName } : {}),
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      queueingStrategy: 'BestEffortFIFO',
      resourceGroups: spec.resourceGroups,
    };
    new ApiObject(this, 'ClusterQueue', { ...ClusterQueueV1Beta2.GVK, metadata: { name: clusterQueue, labels }, spec: clusterQueueSpec });
    k8sObject(this, 'LocalQueue', LocalQueueV1Beta2, { metadata: { name: queue, namespace, labels }, spec: { clusterQueue } });
  }

  /** One Katib Experiment whose trial template is the PyTorchJob of `props.job`. */
  private katibExperiment(problems: Problems, name: string, namespace: string, props: HyperparameterSweepProps, count: number, maxParallel: number): ApiObject {
    const names = Object.keys(props.parameters);
    const placeholders = Object.fromEntries(names.map((n) => [n, `\${trialParameters.${n}}`]));
    const trialProps = props.job({ index: 0, name, parameters: placeholders });
    // with a team, the trials are submitted to the team's queue (parallelTrialCount bounds their number)
    const jobProps = props.team && trialProps.queue === undefined ? { ...trialProps, queue: props.team } : trialProps;
    problems.check(jobProps.hyperparameters === undefined, 'job.hyperparameters', 'cannot be used with Katib (a trial template carries no ConfigMap)',
      jobProps.hyperparameters, 'the trial parameters in args or env');
    const template: PyTorchJobManifest = buildPyTorchJob(this, problems, name, { ...jobProps, name, namespace: undefined });
    const { metadata, ...trialSpec } = template.manifest;
    const katib = props.katib!;
    // Katib v0.19.0 validator.go rejects maxFailedTrialCount or parallelTrialCount above maxTrialCount
    const maxFailed = katib.maxFailedTrials ?? Math.min(3, count);
    problems.check(Number.isInteger(maxFailed) && maxFailed >= 0 && maxFailed <= count, 'katib.maxFailedTrials', 'must be a whole number from 0 to the number of trials',
      maxFailed, `an integer from 0 to ${count} (Katib rejects more failed trials than trials)`);
    problems.check(/^\S+$/.test(katib.objective.metric), 'katib.objective.metric', 'is not a metric name', katib.objective.metric, 'a non-empty name without spaces, e.g. "accuracy"');
    const algorithm = props.algorithm ?? 'grid';
    katibNetwork(this, name, namespace);
    const spec: KatibExperimentSpec = {
      objective: {
        type: katib.objective.goal,
        objectiveMetricName: katib.objective.metric,
        ...(katib.objective.target !== undefined ? { goal: katib.objective.target } : {}),
      },
      algorithm: {
        algorithmName: algorithm,
        ...(algorithm === 'grid' ? {} : { algorithmSettings: [{ name: 'random_state', value: String(props.seed ?? 0) }] }),
      },
      parallelTrialCount: Math.min(maxParallel, count),
      maxTrialCount: count,
      maxFailedTrialCount: maxFailed,
      parameters: names.map((n) => katibParameter(n, props.parameters[n])),
      trialTemplate: {
        primaryContainerName: PYTORCH_CONTAINER,
        // the Master pod reports the metrics (the training operator labels it job-role: master)
        primaryPodLabels: { 'training.kubeflow.org/job-role': 'master' },
        trialParameters: names.map((n) => ({ name: n, reference: n })),
        trialSpec: { ...trialSpec, metadata: { labels: (metadata as { labels: Record<string, string> }).labels } },
        successCondition: 'status.conditions.#(type=="Succeeded")#|#(status=="True")#',
        failureCondition: 'status.conditions.#(type=="Failed")#|#(status=="True")#',
      },
    };
    return new ApiObject(this, 'Experiment', {
      apiVersion: 'kubeflow.org/v1beta1',
      kind: 'Experiment',
      metadata: { name, namespace, labels: recommendedLabels({ name: 'hyperparameter-sweep', instance: name }) },
      spec,
    });
  }
}

/**
 * The fields of a Katib v1beta1 ExperimentSpec mlscale writes. Katib's CRDs carry no schema, so the
 * binding has no spec type; these are the fields of its OpenAPI document (katib v0.19.0
 * api/openapi-spec/swagger.json: v1beta1.ExperimentSpec, ObjectiveSpec, AlgorithmSpec,
 * ParameterSpec, FeasibleSpace, TrialTemplate, TrialParameterSpec), the one the schema check uses.
 */
interface KatibExperimentSpec {
  readonly objective: { readonly type: 'maximize' | 'minimize'; readonly objectiveMetricName: string; readonly goal?: number };
  readonly algorithm: { readonly algorithmName: string; readonly algorithmSettings?: ReadonlyArray<{ readonly name: string; readonly value: string }> };
  readonly parallelTrialCount: number;
  readonly maxTrialCount: number;
  readonly maxFailedTrialCount: number;
  readonly parameters: readonly KatibParameterSpec[];
  readonly trialTemplate: {
    readonly primaryContainerName: string;
    readonly primaryPodLabels: Readonly<Record<string, string>>;
    readonly trialParameters: ReadonlyArray<{ readonly name: string; readonly reference: string }>;
    /** A PyTorchJob, built by buildPyTorchJob (typed with its binding). */
    readonly trialSpec: Record<string, unknown>;
    readonly successCondition: string;
    readonly failureCondition: string;
  };
}

/** A Katib v1beta1 ParameterSpec (feasibleSpace values are strings). */
interface KatibParameterSpec {
  readonly name: string;
  readonly parameterType: 'discrete' | 'categorical' | 'int' | 'double';
  readonly feasibleSpace: { readonly list?: readonly string[]; readonly min?: string; readonly max?: string; readonly distribution?: 'logUniform' };
}

/** A Katib ParameterSpec. */
function katibParameter(name: string, p: SweepParameter): KatibParameterSpec {
  if (p.values !== undefined) {
    const numeric = p.values.every((v) => typeof v === 'number');
    return { name, parameterType: numeric ? 'discrete' : 'categorical', feasibleSpace: { list: p.values.map(String) } };
  }
  return {
    name,
    parameterType: p.integer ? 'int' : 'double',
    feasibleSpace: { min: String(p.min), max: String(p.max), ...(p.scale === 'log' ? { distribution: 'logUniform' } : {}) },
  };
}

/** Katib v0.19.0's namespace (manifests/v1beta1/installs/katib-standalone) and the labels of its pods. */
const KATIB_NAMESPACE = 'kubeflow';
const KATIB_COMPONENT_LABEL = 'katib.kubeflow.org/component';
/** Trial pods carry the Trial's labels (pkg/webhook/v1beta1/pod/inject_webhook.go), the Suggestion pod its own (util/labels.go): both include this. */
const KATIB_EXPERIMENT_LABEL = 'katib.kubeflow.org/experiment';
/** The suggestion service's and the DB manager's gRPC port (controller.v1beta1/consts DefaultSuggestionPort; db-manager Service). */
const KATIB_GRPC_PORT = 6789;

/**
 * The traffic of an Experiment's pods in a default-deny namespace: the Katib controller calls the
 * Suggestion service (gRPC 6789), and the metrics collector of each trial reports to the DB manager
 * (gRPC 6789). One policy allows both, for this experiment's pods only; the flows are declared.
 */
function katibNetwork(scope: Construct, experiment: string, namespace: string | undefined): void {
  const ns = namespace ?? Chart.of(scope).namespace ?? 'default';
  const pods = { matchLabels: { [KATIB_EXPERIMENT_LABEL]: experiment } };
  const katib = (component: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': KATIB_NAMESPACE } }, podSelector: { matchLabels: { [KATIB_COMPONENT_LABEL]: component } } });
  const port = [{ protocol: 'TCP', port: KATIB_GRPC_PORT }];
  new ApiObject(scope, 'KatibNetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
    metadata: { name: `${experiment}-katib`, namespace: ns, labels: recommendedLabels({ name: 'hyperparameter-sweep', instance: experiment }) },
    spec: {
      podSelector: pods, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [katib('controller')], ports: port }],
      egress: [{ to: [katib('db-manager')], ports: port }],
    },
  });
  const of = (labels: Record<string, string>, name: string, n = ns) => ({ namespace: n, labels, name });
  Flows.declare(scope, {
    from: of({ [KATIB_COMPONENT_LABEL]: 'controller' }, 'katib controller', KATIB_NAMESPACE), to: of({ [KATIB_EXPERIMENT_LABEL]: experiment, 'katib.kubeflow.org/suggestion': experiment }, `suggestion of ${experiment}`),
    port: KATIB_GRPC_PORT, why: 'the controller asks the suggestion service for the next trials',
  });
  Flows.declare(scope, {
    from: of({ [KATIB_EXPERIMENT_LABEL]: experiment }, `trials of ${experiment}`), to: of({ [KATIB_COMPONENT_LABEL]: 'db-manager' }, 'katib DB manager', KATIB_NAMESPACE),
    port: KATIB_GRPC_PORT, why: 'the metrics collector of each trial reports the metrics',
  });
}
