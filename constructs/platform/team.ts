import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterProfile, LABEL_MANAGED_BY, LABEL_TEAM, MANAGED_BY, Problems, checkName, cpuMillis, cpuQuantity, memoryBytes, k8sObject
} from '../core';
import * as k8s from '../imports/k8s';
import { LABEL_KATIB_METRICS_INJECTION } from '../core/constants';
import type { IServiceAccount } from '../core/refs';
import { PSA_PREFIX, PSA_VERSION } from './constants';
import { TeamAccess, TeamMembers, TEAM_SERVICE_ACCOUNTS } from './team-access';
import { ObjectStoreEndpoint, TeamNetworkPolicy } from './team-network-policy';
import { QueueBorrowing, QueueQuota, ResolvedQueueQuota, TeamQueue, resolveQueueQuota } from './team-queue';

/** A team's quota: the Kueue nominal quota (CPU, memory, GPUs per class) plus namespace limits. */
export interface TeamQuota extends QueueQuota {
  /**
   * Total storage requested by the team's PersistentVolumeClaims.
   * @default '1Ti'
   */
  readonly storage?: string;
  /**
   * Object counts (pods, services, persistentVolumeClaims, configMaps, secrets, jobs).
   * @default - pods 500, services 50, persistentVolumeClaims 50, configMaps 200, secrets 100, jobs 500
   */
  readonly objects?: ObjectCounts;
}

/** Maximum numbers of objects in a team namespace. */
export interface ObjectCounts {
  /** @default 500 */
  readonly pods?: number;
  /** @default 50 */
  readonly services?: number;
  /** @default 50 */
  readonly persistentVolumeClaims?: number;
  /** @default 200 */
  readonly configMaps?: number;
  /** @default 100 */
  readonly secrets?: number;
  /** @default 500 */
  readonly jobs?: number;
}

/** Requests (and equal limits) a container gets when it declares none. */
export interface ContainerDefaults {
  /**
   * CPU request and limit.
   * @default '500m'
   */
  readonly cpu?: number | string;
  /**
   * Memory request and limit.
   * @default '1Gi'
   */
  readonly memory?: string;
}

/** Props of a Team. */
export interface TeamProps {
  /**
   * The team's namespace (and queue) name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Members bound to the `team-member` Role.
   * @default - nobody
   */
  readonly members?: TeamMembers;
  /**
   * Quota.
   * @default - 32 CPUs, 128Gi, no guaranteed GPUs, 1Ti storage, default object counts
   */
  readonly quota?: TeamQuota;
  /**
   * What the team may borrow from idle quota of its cohort.
   * @default - see QueueBorrowing
   */
  readonly borrowingLimit?: QueueBorrowing;
  /**
   * Kueue cohort.
   * @default 'mlscale'
   */
  readonly cohort?: string;
  /**
   * Requests and limits of containers that declare none (LimitRange).
   * @default - 500m CPU, 1Gi memory
   */
  readonly containerDefaults?: ContainerDefaults;
  /**
   * The object store the team's pods may reach.
   * @default { namespace: 'minio', port: 9000 }
   */
  readonly objectStore?: ObjectStoreEndpoint;
  /**
   * Address block of the Kubernetes API server, for the Argo executor.
   * @default '0.0.0.0/0' (only from workflow pods, only on 443/6443)
   */
  readonly kubernetesApiCidr?: string;
  /**
   * Namespaces of Dask controllers that reach the team's Dask schedulers.
   * @default ['dask-gateway', 'dask-operator']
   */
  readonly daskControllerNamespaces?: readonly string[];
  /**
   * Label the namespace `katib.kubeflow.org/metrics-collector-injection: enabled`, so Katib's
   * webhook adds its metrics collector to trial pods (Katib v0.19.0 injects nothing elsewhere, and
   * an Experiment's trials then report no metrics). The webhook is fail-closed: while Katib is
   * down, pod creation in the namespace fails, so it is opt-in.
   * @default false
   */
  readonly katibMetricsCollection?: boolean;
  /**
   * GKE Workload Identity: the Google service account the team's ServiceAccounts act as (see
   * TeamAccess); the team's pods may then reach the GKE metadata server.
   * @default - none
   */
  readonly googleServiceAccount?: string;
}

const DEFAULT_OBJECTS: Required<ObjectCounts> = { pods: 500, services: 50, persistentVolumeClaims: 50, configMaps: 200, secrets: 100, jobs: 500 };

/**
 * A team: its own namespace with everything a careful platform engineer sets up.
 * - Pod Security admission `restricted` (enforce, audit, warn; version pinned);
 * - a ResourceQuota: CPU, memory, total GPUs (`requests.nvidia.com/gpu`), PVC storage, object counts,
 *   no LoadBalancer/NodePort services. A ResourceQuota cannot tell GPU models apart: the quota per
 *   GPU type is the team's Kueue ClusterQueue (one flavor per GPU class, see `TeamQueue`), and the
 *   namespace quota caps the total at what the queue could ever admit (nominal + borrowing);
 * - a LimitRange so a container without requests still gets sane ones;
 * - default-deny NetworkPolicies with exactly the platform's flows (`TeamNetworkPolicy`);
 * - RBAC for members and per-workload ServiceAccounts (`TeamAccess`);
 * - a Kueue ClusterQueue + LocalQueue (`queueName`), in a cohort for borrowing.
 */
export class Team extends Construct {
  /** The namespace. */
  public readonly namespace: string;
  /** The team's LocalQueue: workloads pass the team itself as their `queue` (label kueue.x-k8s.io/queue-name). */
  public readonly queueName: string;
  /** The LocalQueue's namespace (the team's): a Team is an ILocalQueue. */
  public readonly queueNamespace: string;
  /** The team's ServiceAccounts, for a workload's `serviceAccount` (the team creates them). */
  public readonly serviceAccounts: Readonly<Record<keyof typeof TEAM_SERVICE_ACCOUNTS, IServiceAccount>>;
  /** The resolved queue quota. */
  public readonly quota: ResolvedQueueQuota;
  /** The Namespace (escape hatch). */
  public readonly apiObject: k8s.KubeNamespace;
  /** The ResourceQuota (escape hatch). */
  public readonly resourceQuota: ApiObject;
  /** The team's queues. */
  public readonly queue: TeamQueue;

  constructor(scope: Construct, id: string, props: TeamProps = {}) {
    super(scope, id);
    const problems = new Problems(this);
    const name = props.name ?? id;
    checkName(problems, 'name', name);
    const profile = ClusterProfile.of(this);
    const quota = resolveQueueQuota(problems, 'quota', profile, props.quota, props.borrowingLimit);
    const storage = props.quota?.storage ?? '1Ti';
    problems.check(memoryBytes(storage) !== undefined, 'quota.storage', 'is not a valid quantity', storage, 'a quantity with a unit, e.g. "500Gi"');
    const objects = { ...DEFAULT_OBJECTS, ...props.quota?.objects };
    for (const [k, v] of Object.entries(objects)) {
      problems.check(Number.isInteger(v) && v >= 0 && v <= 1_000_000, `quota.objects.${k}`, 'must be a whole number', v, 'an integer from 0 to 1000000');
    }
    const defCpu = cpuQuantity(props.containerDefaults?.cpu ?? '500m');
    problems.check(defCpu !== undefined, 'containerDefaults.cpu', 'is not a valid CPU quantity', props.containerDefaults?.cpu, 'a positive number of cores or a quantity');
    const defMemory = props.containerDefaults?.memory ?? '1Gi';
    problems.check(memoryBytes(defMemory) !== undefined, 'containerDefaults.memory', 'is not a valid memory quantity', defMemory, 'a quantity with a unit, e.g. "1Gi"');
    problems.throwIfAny();

    this.namespace = name;
    this.serviceAccounts = {
      workload: { serviceAccountName: TEAM_SERVICE_ACCOUNTS.workload, serviceAccountNamespace: name },
      workflow: { serviceAccountName: TEAM_SERVICE_ACCOUNTS.workflow, serviceAccountNamespace: name },
      daskClient: { serviceAccountName: TEAM_SERVICE_ACCOUNTS.daskClient, serviceAccountNamespace: name },
    };
    this.quota = quota;
    const labels = { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TEAM]: name };
    const katib: Record<string, string> = props.katibMetricsCollection ? { [LABEL_KATIB_METRICS_INJECTION]: 'enabled' } : {};
    this.apiObject = new k8s.KubeNamespace(this, 'namespace', { metadata: { name, labels: { ...labels, ...podSecurityLabels(), ...katib } } });

    const gpuCapacity = profile.gpuClasses.reduce((sum, c) => sum + (c.gpusPerNode ?? 1) * (c.maxNodes ?? 4), 0);
    const gpuCeiling = Math.min(gpuCapacity, quota.gpus.reduce((sum, g) => sum + g.nominal + g.borrowing, 0));
    const q = (v: string | number) => (typeof v === 'number' ? k8s.Quantity.fromNumber(v) : k8s.Quantity.fromString(v));
    this.resourceQuota = k8sObject(this, 'quota', k8s.KubeResourceQuota, {
      metadata: { name: 'team-quota', namespace: name, labels },
      spec: {
        hard: {
          'requests.cpu': q(millisQuantity(cpuMillis(quota.cpu) + cpuMillis(quota.cpuBorrowing))),
          'requests.memory': q(bytesQuantity(memoryBytes(quota.memory)! + (memoryBytes(quota.memoryBorrowing) ?? 0))),
          'requests.nvidia.com/gpu': q(gpuCeiling),
          'requests.storage': q(storage),
          'persistentvolumeclaims': q(objects.persistentVolumeClaims),
          'pods': q(objects.pods),
          'services': q(objects.services),
          'services.loadbalancers': q(0),
          'services.nodeports': q(0),
          'configmaps': q(objects.configMaps),
          'secrets': q(objects.secrets),
          'count/jobs.batch': q(objects.jobs),
        },
      },
    });
    k8sObject(this, 'limits', k8s.KubeLimitRange, {
      metadata: { name: 'team-defaults', namespace: name, labels },
      spec: {
        limits: [
          { type: 'Container', defaultRequest: { cpu: q(defCpu!), memory: q(defMemory) }, default: { cpu: q(defCpu!), memory: q(defMemory) } },
          { type: 'PersistentVolumeClaim', max: { storage: q(storage) } },
        ],
      },
    });
    new TeamNetworkPolicy(this, 'network', {
      namespace: name, objectStore: props.objectStore, kubernetesApiCidr: props.kubernetesApiCidr, daskControllerNamespaces: props.daskControllerNamespaces,
      googleMetadataServer: props.googleServiceAccount !== undefined,
    });
    new TeamAccess(this, 'access', { namespace: name, members: props.members, googleServiceAccount: props.googleServiceAccount });
    this.queue = new TeamQueue(this, 'queue', { namespace: name, quota: props.quota, borrowingLimit: props.borrowingLimit, cohort: props.cohort });
    this.queueName = this.queue.queueName;
    this.queueNamespace = name;
  }
}

/** Pod Security admission: enforce, audit and warn `restricted`, each pinned to the platform's Kubernetes version. */
export function podSecurityLabels(level: 'restricted' | 'baseline' | 'privileged' = 'restricted'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    out[`${PSA_PREFIX}/${mode}`] = level;
    out[`${PSA_PREFIX}/${mode}-version`] = PSA_VERSION;
  }
  return out;
}

function millisQuantity(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

function bytesQuantity(bytes: number): string {
  for (const [unit, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(Math.ceil(bytes));
}
