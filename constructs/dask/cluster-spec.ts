import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../imports/k8s';
import type { DaskClusterSpec } from '../imports/dask-kubernetes-kubernetes.dask.org';
import {
  ClusterProfile, GpuPlacement, Placement, Plain, PodSecurity, Workload, WorkloadPodProps, WorkloadProps, checkName, embedded, Problems, ResourceDefaults, Resources, buildPodTemplate, cpuMillis, recommendedLabels, resolveResources,
} from '../core';
import {
  DASHBOARD_PORT, DASK_IMAGE, DASK_OPERATOR_NAMESPACE, LABEL_DASK_CLUSTER_NAME, LABEL_DASK_COMPONENT, LABEL_MLSCALE_DASK_CLUSTER, SCHEDULER_PORT, WORKER_DASHBOARD_PORT,
} from './constants';
import { Flows } from '../cluster/flows';
import { schedulerNetworkPolicy } from './scheduler-network-policy';

/** The Dask scheduler of an operator-managed cluster. */
export interface DaskSchedulerOptions extends WorkloadPodProps {
  /**
   * Scheduler image (pinned; same Dask version as the workers).
   * @default - the cluster's `image`
   */
  readonly image?: string;
  /**
   * Scheduler resources.
   * @default { cpu: 1, memory: '2Gi' }
   */
  readonly resources?: Resources;
}

/** A group of identical Dask workers. GPU workers (`resources.gpus` > 0) run `dask-cuda-worker`. */
export interface DaskWorkerOptions extends WorkloadPodProps {
  /**
   * Number of workers (the starting count when an autoscaler is attached).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Worker image (pinned; for GPU workers an image with dask-cuda, e.g. RAPIDS).
   * @default - the cluster's `image`
   */
  readonly image?: string;
  /**
   * Resources of each worker; with `gpus` the worker lands on the GPU type's nodes and gets /dev/shm.
   * @default { cpu: 1, memory: '4Gi' }
   */
  readonly resources?: Resources;
  /**
   * Threads per worker process.
   * @default - the whole cores of `resources.cpu` (at least 1); 1 per GPU for GPU workers
   */
  readonly threads?: number;
}

/** What every operator cluster (DaskCluster, DaskJob) is made of. */
export interface DaskClusterSpecOptions extends WorkloadProps {
  /**
   * Image of the scheduler and the workers unless they set their own.
   * @default DASK_IMAGE (ghcr.io/dask/dask, pinned)
   */
  readonly image?: string;
  /**
   * The scheduler.
   * @default - one scheduler with 1 core and 2Gi
   */
  readonly scheduler?: DaskSchedulerOptions;
  /**
   * The default worker group.
   * @default - 2 CPU workers with 1 core and 4Gi each
   */
  readonly workers?: DaskWorkerOptions;
  /**
   * Pod Security of scheduler and worker pods.
   * @default PodSecurity.restricted()
   */
  readonly podSecurity?: PodSecurity;
}

/**
 * The shared beginning of the dask-kubernetes operator's workloads (DaskCluster, DaskJob): name (at
 * most 40 characters: the operator appends its suffixes), namespace, the operator's namespace.
 */
export abstract class OperatorDaskWorkload extends Workload {
  /** The dask-kubernetes operator's namespace (it calls the scheduler). */
  protected readonly operatorNamespace: string;

  protected constructor(scope: Construct, id: string, props: WorkloadProps & { readonly operatorNamespace?: string }) {
    super(scope, id, props, { appName: 'dask', maxNameLength: 40 });
    this.operatorNamespace = props.operatorNamespace ?? DASK_OPERATOR_NAMESPACE;
    checkName(this.problems, 'operatorNamespace', this.operatorNamespace);
  }
}

/** The JSON of `spec.scheduler`/`spec.worker` and what was derived. */
export interface BuiltDaskClusterSpec {
  readonly spec: Plain<DaskClusterSpec>;
  /** GPU placement of the workers, if they ask for GPUs. */
  readonly gpu?: GpuPlacement;
  /** Labels that select the scheduler pods (set by the operator). */
  readonly schedulerLabels: Record<string, string>;
}

/** Default resources of a Dask worker. */
const WORKER_RESOURCE_DEFAULTS: ResourceDefaults = { cpu: 1, memory: '4Gi' };

/** Name of the scheduler Service the operator creates for a cluster. */
export function schedulerServiceName(clusterName: string): string {
  return `${clusterName}-scheduler`;
}

/** Labels that select the scheduler pods of an operator cluster. */
export function operatorSchedulerLabels(clusterName: string): Record<string, string> {
  return { [LABEL_DASK_CLUSTER_NAME]: clusterName, [LABEL_DASK_COMPONENT]: 'scheduler' };
}

/**
 * The pod template metadata + spec of a Dask pod, as the operator CRDs embed them. Their PodSpec
 * schema is Kubernetes 1.21's as resolved upstream, where resource quantities are strings only,
 * so numeric quantities (`nvidia.com/gpu: 1`) are written as strings.
 */
export function metadataAndSpec(json: Record<string, unknown>): { metadata?: unknown; spec: unknown } {
  const { metadata, spec } = json as { metadata?: Record<string, unknown>; spec: { containers: Array<{ resources?: Record<string, Record<string, unknown>> }> } };
  for (const c of spec.containers) {
    for (const kind of Object.values(c.resources ?? {})) {
      for (const [k, v] of Object.entries(kind)) if (typeof v === 'number') kind[k] = String(v);
    }
  }
  return { metadata: metadata && Object.keys(metadata).length ? metadata : undefined, spec };
}

/** Labels of the pods of one role of a cluster. */
export function daskPodLabels(clusterName: string, component: string): Record<string, string> {
  return { ...recommendedLabels({ name: 'dask', instance: clusterName, component }), [LABEL_MLSCALE_DASK_CLUSTER]: clusterName };
}

/** Validates a worker group and builds its `{ metadata, spec }` (the operator adds replicas). */
export function buildWorkerGroup(scope: IConstruct, problems: Problems, field: string, clusterName: string, defaultImage: string,
  w: DaskWorkerOptions, podSecurity: PodSecurity | undefined, namespace: string | undefined): { json: { metadata?: unknown; spec: unknown }; replicas: number; gpu?: GpuPlacement } {
  const replicas = w.replicas ?? 2;
  problems.check(Number.isInteger(replicas) && replicas >= 0 && replicas <= 1000, `${field}.replicas`, 'is out of range', replicas, 'an integer from 0 to 1000');
  if (w.threads !== undefined) {
    problems.check(Number.isInteger(w.threads) && w.threads >= 1, `${field}.threads`, 'must be a whole number ≥ 1', w.threads, 'an integer ≥ 1');
  }
  // resolved here only to derive the thread count and memory limit; buildPodTemplate reports the problems
  const r = resolveResources(new Problems(field), field, w.resources, WORKER_RESOURCE_DEFAULTS);
  const threads = w.threads ?? (r.gpus > 0 ? 1 : Math.max(1, Math.floor(cpuMillis(r.cpu) / 1000)));
  // CPU workers go to the Dask pool when the cluster has one (GPU workers to their GPU pools)
  const pool = r.gpus === 0 && ClusterProfile.of(scope).daskWorkerPlacement() !== undefined ? Placement.daskPool() : undefined;
  const built = buildPodTemplate(scope, problems, `${field}.pod`, {
    namespace,
    labels: daskPodLabels(clusterName, 'worker'),
    podSecurity,
    resourceDefaults: WORKER_RESOURCE_DEFAULTS,
    mounts: w.mounts,
    placement: w.placement ?? pool,
    containers: [{
      name: 'worker',
      image: w.image ?? defaultImage,
      args: workerArgs(r.gpus, threads, Math.floor(r.memoryLimitBytes / Math.max(1, r.gpus))),
      env: w.env,
      resources: w.resources,
      ports: [{ name: 'http-dashboard', port: WORKER_DASHBOARD_PORT }],
    }],
  });
  return { json: metadataAndSpec(built.json), replicas, gpu: built.gpu };
}

/**
 * Worker command: `dask worker` for CPU workers, `dask-cuda-worker` (one process per GPU) for GPU
 * workers. The operator sets DASK_SCHEDULER_ADDRESS and DASK_WORKER_NAME in the container.
 */
function workerArgs(gpus: number, threads: number, memoryLimitBytes: number): string[] {
  const cmd = gpus > 0 ? ['dask-cuda-worker'] : ['dask', 'worker'];
  return [
    ...cmd, '$(DASK_SCHEDULER_ADDRESS)',
    '--name', '$(DASK_WORKER_NAME)',
    '--dashboard', '--dashboard-address', String(WORKER_DASHBOARD_PORT),
    '--nthreads', String(threads),
    '--memory-limit', String(memoryLimitBytes),
  ];
}

const httpProbe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
  httpGet: { path: '/health', port: k8s.IntOrString.fromString('http-dashboard') },
  initialDelaySeconds: 5, periodSeconds, failureThreshold,
});

/**
 * Validates and builds `spec` of an operator DaskCluster (also embedded in a DaskJob): a
 * scheduler with its ClusterIP Service (8786 comm, 8787 dashboard) and the default worker group,
 * every pod built by `buildPodTemplate` (pinned image, requests + limits, PSS restricted, GPU placement).
 */
export function buildDaskClusterSpec(scope: IConstruct, problems: Problems, clusterName: string, o: DaskClusterSpecOptions,
  idleTimeout?: Duration): BuiltDaskClusterSpec {
  const image = o.image ?? DASK_IMAGE;
  const s = o.scheduler ?? {};
  const scheduler = buildPodTemplate(scope, problems, 'scheduler.pod', {
    namespace: o.namespace,
    mounts: s.mounts,
    placement: s.placement,
    labels: daskPodLabels(clusterName, 'scheduler'),
    podSecurity: o.podSecurity,
    resourceDefaults: { cpu: 1, memory: '2Gi' },
    containers: [{
      name: 'scheduler',
      image: s.image ?? image,
      args: ['dask', 'scheduler', '--port', String(SCHEDULER_PORT), '--dashboard-address', `:${DASHBOARD_PORT}`],
      env: s.env,
      resources: s.resources,
      ports: [{ name: 'tcp-comm', port: SCHEDULER_PORT }, { name: 'http-dashboard', port: DASHBOARD_PORT }],
      readinessProbe: httpProbe(10, 3),
      livenessProbe: httpProbe(15, 6),
    }],
  });
  problems.check(!(scheduler.resources.scheduler?.gpus > 0), 'scheduler.resources.gpus', 'must be 0 (the scheduler does no GPU work)',
    s.resources?.gpus, '0');
  const worker = buildWorkerGroup(scope, problems, 'workers', clusterName, image, o.workers ?? {}, o.podSecurity, o.namespace);
  let idle: number | undefined;
  if (idleTimeout !== undefined) {
    idle = idleTimeout.toSeconds();
    problems.check(Number.isInteger(idle) && idle >= 60, 'idleTimeout', 'is too short', idle, 'a whole number of seconds ≥ 60');
  }
  const schedulerLabels = operatorSchedulerLabels(clusterName);
  return {
    spec: {
      idleTimeout: idle,
      scheduler: {
        // the pod specs are buildPodTemplate's (typed with the core bindings)
        ...embedded<Plain<DaskClusterSpec['scheduler']>>(metadataAndSpec(scheduler.json)),
        service: {
          type: 'ClusterIP',
          selector: schedulerLabels,
          ports: [
            { name: 'tcp-comm', protocol: 'TCP', port: SCHEDULER_PORT, targetPort: 'tcp-comm' },
            { name: 'http-dashboard', protocol: 'TCP', port: DASHBOARD_PORT, targetPort: 'http-dashboard' },
          ],
        },
      },
      worker: { replicas: worker.replicas, ...embedded<Plain<DaskClusterSpec['worker']>>(worker.json) },
    },
    gpu: worker.gpu,
    schedulerLabels,
  };
}

/** The proxy that serves a cluster's dashboard (the gateway's Traefik). */
export interface DashboardProxyPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * The scheduler NetworkPolicy of an operator cluster: the cluster's own pods (workers, notebook,
 * job runner) and the operator (scaling, idle checks) reach 8786 and 8787; the dashboard proxy, if
 * any, reaches 8787 only. Everything else is denied. Each peer's flows are declared from the same
 * list the rules are written from, so the policy and the flows cannot drift apart.
 */
export function operatorSchedulerPolicy(scope: Construct, clusterName: string, namespace: string | undefined, operatorNamespace: string,
  proxy?: DashboardProxyPeer, clients: readonly SchedulerClient[] = []): ApiObject {
  const peers: Array<{ namespace?: string; podLabels?: Readonly<Record<string, string>>; ports: number[]; name: string; why: string }> = [
    { podLabels: { [LABEL_MLSCALE_DASK_CLUSTER]: clusterName }, ports: [SCHEDULER_PORT, DASHBOARD_PORT], name: `${clusterName} pods`, why: 'workers, the notebook and the job runner use their scheduler' },
    // dask-kubernetes operator (kopf): scales and retires workers through the scheduler's comm and HTTP API
    { namespace: operatorNamespace, ports: [SCHEDULER_PORT, DASHBOARD_PORT], name: 'Dask operator', why: 'the operator scales and retires workers through the scheduler' },
    ...(proxy ? [{ namespace: proxy.namespace, podLabels: proxy.podLabels, ports: [DASHBOARD_PORT], name: 'gateway proxy', why: 'the dashboard link goes through the proxy' }] : []),
    ...clients.map((c) => ({ namespace: c.namespace, podLabels: c.podLabels ?? {}, ports: [SCHEDULER_PORT, DASHBOARD_PORT], name: `clients of ${clusterName}`, why: 'a client submits work to the scheduler and opens its dashboard' })),
  ];
  const ns = namespace ?? 'default';
  for (const p of peers) {
    for (const port of p.ports) {
      Flows.declare(scope, {
        from: { namespace: p.namespace ?? ns, labels: { ...(p.podLabels ?? {}) }, name: p.name },
        to: { namespace: ns, labels: operatorSchedulerLabels(clusterName), name: `${clusterName} scheduler` }, port, why: p.why,
      });
    }
  }
  return schedulerNetworkPolicy(scope, 'SchedulerPolicy', {
    name: `${clusterName}-scheduler`,
    namespace,
    labels: recommendedLabels({ name: 'dask', instance: clusterName, component: 'scheduler' }),
    schedulerLabels: operatorSchedulerLabels(clusterName),
    peers: peers.map(({ namespace: n, podLabels, ports }) => ({ namespace: n, podLabels, ports })),
  });
}

/** A client of a Dask scheduler outside the cluster's own pods: a namespace (a `Team` is one), optionally pods by labels (a `KubeflowNotebook` has both). */
export interface SchedulerClient {
  readonly namespace: string;
  /** @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
}
