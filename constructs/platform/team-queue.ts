import { ApiObject } from 'cdk8s';
import { k8sObject } from '../core/pod';
import { Construct } from 'constructs';
import {
  ClusterProfile, LABEL_MANAGED_BY, LABEL_TEAM, MANAGED_BY, Problems, RESOURCE_NVIDIA_GPU, checkName, cpuQuantity, memoryBytes,
} from '../core';
import {
  ClusterQueueV1Beta2, ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesBorrowingLimit as BorrowingLimit,
  ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesNominalQuota as NominalQuota, ClusterQueueV1Beta2SpecPreemptionReclaimWithinCohort,
  ClusterQueueV1Beta2SpecPreemptionWithinClusterQueue, ClusterQueueV1Beta2SpecQueueingStrategy, CohortV1Beta2, LocalQueueV1Beta2,
} from '../imports/kueue-kueue.x-k8s.io';
import { CPU_FLAVOR, DEFAULT_COHORT, NAMESPACE_NAME_LABEL } from './constants';

/** Nominal quota of a team's queue: what it is guaranteed. */
export interface QueueQuota {
  /**
   * CPU cores (`32`) or a quantity (`"32000m"`).
   * @default 32
   */
  readonly cpu?: number | string;
  /**
   * Memory, a quantity with a unit.
   * @default '128Gi'
   */
  readonly memory?: string;
  /**
   * Whole GPUs per GPU class of the ClusterProfile, e.g. `{ t4: 4, a100: 8 }`.
   * @default - no guaranteed GPUs (GPUs can still be borrowed)
   */
  readonly gpus?: Readonly<Record<string, number>>;
}

/** How much a team may borrow on top of its nominal quota from idle quota of its cohort. */
export interface QueueBorrowing {
  /**
   * CPU cores.
   * @default - the nominal CPU (a team can at most double its CPU)
   */
  readonly cpu?: number | string;
  /**
   * Memory.
   * @default - the nominal memory
   */
  readonly memory?: string;
  /**
   * GPUs per GPU class.
   * @default - the class's whole capacity (gpusPerNode × maxNodes) minus the nominal quota
   */
  readonly gpus?: Readonly<Record<string, number>>;
}

/** A validated queue quota, as quantities. */
export interface ResolvedQueueQuota {
  readonly cpu: string;
  readonly memory: string;
  readonly cpuBorrowing: string;
  readonly memoryBorrowing: string;
  /** Per GPU class of the profile (all classes, in profile order): nominal and borrowing limit. */
  readonly gpus: ReadonlyArray<{ readonly gpuClass: string; readonly nominal: number; readonly borrowing: number }>;
}

/** Validates a queue quota against the ClusterProfile and fills in the documented defaults. */
export function resolveQueueQuota(problems: Problems, field: string, profile: ClusterProfile, q: QueueQuota = {}, b: QueueBorrowing = {}): ResolvedQueueQuota {
  const cpu = cpuQuantity(q.cpu ?? 32);
  problems.check(cpu !== undefined, `${field}.cpu`, 'is not a valid CPU quantity', q.cpu, 'a positive number of cores or a quantity ("500m")');
  const memory = q.memory ?? '128Gi';
  problems.check(memoryBytes(memory) !== undefined, `${field}.memory`, 'is not a valid memory quantity', q.memory, 'a positive quantity with a unit, e.g. "64Gi"');
  const cpuBorrowing = b.cpu === undefined ? cpu : zeroOr(b.cpu, cpuQuantity);
  problems.check(cpuBorrowing !== undefined || b.cpu === undefined, 'borrowingLimit.cpu', 'is not a valid CPU quantity', b.cpu, 'a number of cores ≥ 0 or a quantity');
  const memoryBorrowing = b.memory === undefined ? memory : zeroOr(b.memory, (m) => (memoryBytes(m) !== undefined ? m : undefined));
  problems.check(memoryBorrowing !== undefined, 'borrowingLimit.memory', 'is not a valid memory quantity', b.memory, 'a quantity with a unit, or "0"');
  const classes = profile.gpuClasses.map((c) => c.name);
  const known = (what: string, rec: Readonly<Record<string, number>> | undefined): void => {
    for (const [name, n] of Object.entries(rec ?? {})) {
      problems.check(classes.includes(name), `${what}.${name}`, 'is not a GPU class of the cluster', name,
        classes.length ? `one of ${classes.join(', ')}` : 'a class declared in the ClusterProfile (it declares none)');
      problems.check(Number.isInteger(n) && n >= 0 && n <= 100_000, `${what}.${name}`, 'must be a whole number of GPUs', n, 'an integer from 0 to 100000');
    }
  };
  known(`${field}.gpus`, q.gpus);
  known('borrowingLimit.gpus', b.gpus);
  const gpus = profile.gpuClasses.map((c) => {
    const nominal = validCount(q.gpus?.[c.name]);
    const capacity = (c.gpusPerNode ?? 1) * (c.maxNodes ?? 4);
    return { gpuClass: c.name, nominal, borrowing: b.gpus?.[c.name] !== undefined ? validCount(b.gpus[c.name]) : Math.max(0, capacity - nominal) };
  });
  return {
    cpu: cpu ?? '1', memory, cpuBorrowing: cpuBorrowing ?? '0', memoryBorrowing: memoryBorrowing ?? '0', gpus,
  };
}

/** `"0"` for zero, else the parsed quantity (undefined when invalid). */
function zeroOr<T extends number | string>(value: T, parse: (v: T) => string | undefined): string | undefined {
  return value === 0 || value === '0' ? '0' : parse(value);
}

function validCount(n: number | undefined): number {
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : 0;
}

/** Props of a TeamQueue. */
export interface TeamQueueProps {
  /** The team's namespace: the LocalQueue lives there and the ClusterQueue admits only its workloads. */
  readonly namespace: string;
  /**
   * Name of the ClusterQueue and the LocalQueue.
   * @default - the namespace
   */
  readonly name?: string;
  /**
   * Nominal (guaranteed) quota.
   * @default - 32 CPUs, 128Gi, no GPUs
   */
  readonly quota?: QueueQuota;
  /**
   * Borrowing limits from the cohort.
   * @default - see QueueBorrowing
   */
  readonly borrowingLimit?: QueueBorrowing;
  /**
   * The shared Kueue cohort: the teams' cohorts under it lend each other their idle quota.
   * @default 'mlscale'
   */
  readonly cohort?: string;
}

/**
 * A team's Kueue queues (kueue.x-k8s.io/v1beta2): a ClusterQueue holding the team's nominal quota
 * per flavor (the `cpu` flavor for CPU/memory, one flavor per GPU class for `nvidia.com/gpu`),
 * in the team's own Cohort (under the shared cohort, so idle quota is borrowed and reclaimed
 * between teams, and the team's sweeps draw on the team's quota), and a LocalQueue in the team namespace
 * that workloads name with the label `kueue.x-k8s.io/queue-name` (`queueName`).
 * Needs the flavors of `GpuQueues` in the cluster.
 */
export class TeamQueue extends Construct {
  /** The LocalQueue name workloads submit to. */
  public readonly queueName: string;
  /** The LocalQueue's namespace: a TeamQueue is an ILocalQueue. */
  public readonly queueNamespace: string;
  /** The ClusterQueue name. */
  public readonly clusterQueueName: string;
  /** The resolved quota. */
  public readonly quota: ResolvedQueueQuota;
  /** The team's Kueue Cohort (named like the queue, under the shared cohort): sweeps' ClusterQueues join it. */
  public readonly cohortName: string;
  /** The ClusterQueue (escape hatch). */
  public readonly clusterQueue: ApiObject;
  /** The team's Cohort (escape hatch). */
  public readonly cohort: ApiObject;
  /** The LocalQueue (escape hatch). */
  public readonly localQueue: ApiObject;

  constructor(scope: Construct, id: string, props: TeamQueueProps) {
    super(scope, id);
    const problems = new Problems(this);
    checkName(problems, 'namespace', props.namespace);
    const name = props.name ?? props.namespace;
    checkName(problems, 'name', name);
    const cohort = props.cohort ?? DEFAULT_COHORT;
    checkName(problems, 'cohort', cohort);
    // the team's Cohort is named like the queue: the shared cohort must be another one (a Cohort cannot be its own parent)
    problems.check(cohort !== name, 'cohort', 'is the name of the team\'s own Cohort', cohort, `a shared cohort other than "${name}"`);
    const quota = resolveQueueQuota(problems, 'quota', ClusterProfile.of(this), props.quota, props.borrowingLimit);
    problems.throwIfAny();
    this.quota = quota;
    this.queueName = name;
    this.queueNamespace = props.namespace;
    this.clusterQueueName = name;

    const labels = { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TEAM]: props.namespace };
    const groups = (nominal: boolean) => {
      const resourceGroups = [{
        coveredResources: ['cpu', 'memory'],
        flavors: [{
          name: CPU_FLAVOR,
          resources: [
            { name: 'cpu', nominalQuota: NominalQuota.fromString(nominal ? quota.cpu : '0'), borrowingLimit: BorrowingLimit.fromString(quota.cpuBorrowing) },
            { name: 'memory', nominalQuota: NominalQuota.fromString(nominal ? quota.memory : '0'), borrowingLimit: BorrowingLimit.fromString(quota.memoryBorrowing) },
          ],
        }],
      }];
      if (quota.gpus.length > 0) {
        resourceGroups.push({
          coveredResources: [RESOURCE_NVIDIA_GPU],
          flavors: quota.gpus.map((g) => ({
            name: g.gpuClass,
            resources: [{ name: RESOURCE_NVIDIA_GPU, nominalQuota: NominalQuota.fromNumber(nominal ? g.nominal : 0), borrowingLimit: BorrowingLimit.fromNumber(g.borrowing) }],
          })),
        });
      }
      return resourceGroups;
    };
    // The team's own cohort, under the shared one: its ClusterQueue and its sweeps' ClusterQueues
    // (HyperparameterSweep `team`) share the team's nominal quota, and the whole subtree borrows at
    // most the team's borrowing limits from the other teams. Kueue v0.19.2 applies a Cohort's
    // borrowingLimit to its subtree's usage beyond the subtree's quota (pkg/cache/scheduler/
    // resource_node.go, available()); hierarchical cohorts are GA since v0.17 (pkg/features/kube_features.go).
    this.cohortName = name;
    this.cohort = k8sObject(this, 'Cohort', CohortV1Beta2, {
      metadata: { name, labels },
      spec: { parentName: cohort, resourceGroups: groups(false) },
    });
    this.clusterQueue = k8sObject(this, 'ClusterQueue', ClusterQueueV1Beta2, {
      metadata: { name, labels },
      spec: {
        cohortName: name,
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.namespace } },
        queueingStrategy: ClusterQueueV1Beta2SpecQueueingStrategy.BEST_EFFORT_FIFO,
        preemption: {
          withinClusterQueue: ClusterQueueV1Beta2SpecPreemptionWithinClusterQueue.LOWER_PRIORITY,
          reclaimWithinCohort: ClusterQueueV1Beta2SpecPreemptionReclaimWithinCohort.ANY,
        },
        resourceGroups: groups(true),
      },
    });
    this.localQueue = k8sObject(this, 'LocalQueue', LocalQueueV1Beta2, {
      metadata: { name, namespace: props.namespace, labels },
      spec: { clusterQueue: name },
    });
  }
}
