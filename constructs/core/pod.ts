import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../imports/k8s';
import { Problems } from './errors';
import { ClusterProfile, GpuPlacement, GpuType } from './gpu';
import { checkImage } from './image';
import { checkName } from './names';
import { cpuMillis, cpuQuantity, memoryBytes } from './quantity';
import { mergePlacements, Placement } from './placement';
import { AppPriorityClasses, IPriorityClass, podPriorityClass, priorityClassName } from './priority';
import { ConfigMapKey, SecretKey, SecretLike, ServiceAccountLike, resolveRef } from './refs';
import { PodSecurity } from './security';

/** Compute resources of one container. Requests are always set, and so are limits. */
export interface Resources {
  /**
   * CPU request, in cores (`2`, `0.5`) or as a quantity string (`"500m"`).
   * @default - the construct's default (usually 1 core)
   */
  readonly cpu?: number | string;
  /**
   * Memory request, as a quantity with a unit (`"4Gi"`).
   * @default - the construct's default (usually 2Gi)
   */
  readonly memory?: string;
  /**
   * CPU limit.
   * @default - equal to `cpu`
   */
  readonly cpuLimit?: number | string;
  /**
   * Memory limit. Equal to the request by default so that an out-of-memory kills this
   * container, never a neighbour or the node.
   * @default - equal to `memory`
   */
  readonly memoryLimit?: string;
  /**
   * Whole GPUs (nvidia.com/gpu).
   * @default 0
   */
  readonly gpus?: number;
  /**
   * GPU model; required with `gpus` unless the ClusterProfile has exactly one GPU class.
   * @default - the only GPU class of the ClusterProfile
   */
  readonly gpuType?: GpuType;
  /**
   * GPU class of the ClusterProfile to run on (e.g. a spot class).
   * @default - the on-demand class offering `gpuType`
   */
  readonly gpuClass?: string;
  /**
   * Ephemeral storage request and limit.
   * @default - not set
   */
  readonly ephemeralStorage?: string;
}

/** Default requests a construct applies when the user gives none. */
export interface ResourceDefaults {
  readonly cpu: number | string;
  readonly memory: string;
}

/** Resources after validation, as Kubernetes quantities. */
export interface ResolvedResources {
  readonly cpu: string;
  readonly memory: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
  readonly memoryLimitBytes: number;
  readonly gpus: number;
  readonly gpuType?: GpuType;
  readonly gpuClass?: string;
  readonly ephemeralStorage?: string;
}

/** Validates resources and fills in defaults; problems are recorded under `field`. */
export function resolveResources(problems: Problems, field: string, r: Resources = {}, defaults: ResourceDefaults = { cpu: 1, memory: '2Gi' }): ResolvedResources {
  const cpu = cpuQuantity(r.cpu ?? defaults.cpu);
  problems.check(cpu !== undefined, `${field}.cpu`, 'is not a valid CPU quantity', r.cpu, 'a positive number of cores (0.5, 2) or a quantity ("500m")');
  const cpuLimit = r.cpuLimit === undefined ? cpu : cpuQuantity(r.cpuLimit);
  if (r.cpuLimit !== undefined) {
    problems.check(cpuLimit !== undefined, `${field}.cpuLimit`, 'is not a valid CPU quantity', r.cpuLimit, 'a positive number of cores or a quantity');
  }
  const memory = r.memory ?? defaults.memory;
  const memBytes = typeof memory === 'string' ? memoryBytes(memory) : undefined;
  problems.check(memBytes !== undefined, `${field}.memory`, 'is not a valid memory quantity', r.memory, 'a positive quantity with a unit, e.g. "512Mi", "4Gi"');
  const memoryLimit = r.memoryLimit ?? memory;
  const memLimitBytes = typeof memoryLimit === 'string' ? memoryBytes(memoryLimit) : undefined;
  if (r.memoryLimit !== undefined) {
    problems.check(memLimitBytes !== undefined, `${field}.memoryLimit`, 'is not a valid memory quantity', r.memoryLimit, 'a positive quantity with a unit');
  }
  if (cpu && cpuLimit) {
    problems.check(cpuMillis(cpuLimit) >= cpuMillis(cpu), `${field}.cpuLimit`, `is below the CPU request (${cpu})`, r.cpuLimit, 'a limit ≥ the request');
  }
  if (memBytes !== undefined && memLimitBytes !== undefined) {
    problems.check(memLimitBytes >= memBytes, `${field}.memoryLimit`, `is below the memory request (${memory})`, r.memoryLimit, 'a limit ≥ the request');
  }
  const gpus = r.gpus ?? 0;
  problems.check(Number.isInteger(gpus) && gpus >= 0 && gpus <= 16, `${field}.gpus`, 'must be a whole number of GPUs', gpus, 'an integer from 0 to 16 (fractional GPUs: use a GPU class with sharing)');
  if (r.ephemeralStorage !== undefined) {
    problems.check(memoryBytes(r.ephemeralStorage) !== undefined, `${field}.ephemeralStorage`, 'is not a valid quantity', r.ephemeralStorage, 'a quantity with a unit, e.g. "20Gi"');
  }
  return {
    cpu: cpu ?? '1', memory: memory ?? '1Gi', cpuLimit: cpuLimit ?? '1', memoryLimit: memoryLimit ?? '1Gi',
    memoryLimitBytes: memLimitBytes ?? 0, gpus: Number.isInteger(gpus) && gpus > 0 ? gpus : 0,
    gpuType: r.gpuType, gpuClass: r.gpuClass, ephemeralStorage: r.ephemeralStorage,
  };
}

/** A pod field as an environment value, e.g. `{ fieldPath: 'metadata.name' }`. */
export interface PodFieldRef {
  readonly fieldPath: string;
}

/**
 * An environment variable value: a literal, a Secret key (`SecretRef.fromName('creds').key('token')`
 * or `{ secret: plusSecret, key }`: the value never enters charts-out), a ConfigMap key, or a pod field.
 */
export type EnvValue = string | SecretKey | ConfigMapKey | PodFieldRef;

/**
 * A volume mounted into a workload's main container: what `SharedVolume#mount` (and an imported
 * claim's) returns. Every pod-making construct takes a list of them as `mounts`.
 */
export interface PodMount {
  /** The pod volume. */
  readonly volume: k8s.Volume;
  /** The container's volumeMount. */
  readonly volumeMount: k8s.VolumeMount;
  /** The claim's namespace, when known: a pod of another namespace cannot mount it. */
  readonly claimNamespace?: string;
}

/**
 * What every pod-making construct takes the same way (jobs, training replicas and runtimes, sweeps,
 * notebook jobs and steps, pipeline steps, Dask schedulers, workers and runners, TensorBoard, model
 * servers, Kubeflow notebooks): volumes to mount, where to run, and the main container's environment.
 */
export interface WorkloadPodProps {
  /**
   * Volumes mounted into the main container: `volume.mount('/mnt/data', { readOnly: true })`, of a
   * `SharedVolume` or `SharedVolume.fromClaimName(...)`; a claim of another namespace fails synth.
   * @default - none
   */
  readonly mounts?: readonly PodMount[];
  /**
   * Where the pods run (`Placement.spot()`, `Placement.daskPool()`, `Placement.onNodes(...)`), in
   * addition to the GPU class's nodes of a GPU pod. For CPU Dask workers it replaces their default,
   * the Dask pool of a cluster that has one (`.and(Placement.daskPool())` keeps it).
   * @default - anywhere the scheduler fits them (CPU Dask workers: the Dask pool, when the cluster has one)
   */
  readonly placement?: Placement;
  /**
   * Environment variables of the main container: literals, Secret keys
   * (`SecretRef.fromName('creds').key('token')`, `{ secret: plusSecret, key }`), ConfigMap keys, pod fields.
   * @default - none
   */
  readonly env?: Readonly<Record<string, EnvValue>>;
}

/** A container port. */
export interface ContainerPort {
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** One container of a workload. */
export interface ContainerOptions {
  /** Container name (DNS label). */
  readonly name: string;
  /** Pinned image (tag other than latest, or digest). */
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's cmd */
  readonly args?: readonly string[];
  /** @default - none */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** @default - the construct's defaults */
  readonly resources?: Resources;
  /** @default - none */
  readonly ports?: readonly ContainerPort[];
  /** @default - none (plus /dev/shm when shared memory is on) */
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  /** @default - the image's working directory */
  readonly workingDir?: string;
  /** @default - none */
  readonly readinessProbe?: k8s.Probe;
  /** @default - none */
  readonly livenessProbe?: k8s.Probe;
  /** @default - none */
  readonly startupProbe?: k8s.Probe;
}

/** Everything a pod template is made of. */
export interface PodTemplateOptions {
  /** The containers; the first is the main one (GPU placement and shared memory follow it). */
  readonly containers: readonly ContainerOptions[];
  /** @default - none */
  readonly initContainers?: readonly ContainerOptions[];
  /**
   * The main container is the last init container (it runs to completion before `containers`, e.g.
   * a notebook before its uploader): shared memory is sized from it and mounted into it.
   * @default false
   */
  readonly mainIsInit?: boolean;
  /** @default - none */
  readonly volumes?: readonly k8s.Volume[];
  /**
   * Volumes mounted into the main container (`volume.mount('/mnt/data')`); a claim of another
   * namespace fails synth.
   * @default - none
   */
  readonly mounts?: readonly PodMount[];
  /**
   * Where the pods run, in addition to the GPU class's nodes of a GPU pod.
   * @default - anywhere the scheduler fits them
   */
  readonly placement?: Placement;
  /**
   * Namespace of the pods (references of other namespaces are refused; imported ones are declared here).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** @default - not set (the controller's default) */
  readonly restartPolicy?: 'Never' | 'OnFailure' | 'Always';
  /**
   * Service account of the pods: `ServiceAccountRef.fromName(...)` or a `kplus.ServiceAccount`.
   * @default - the namespace's default service account
   */
  readonly serviceAccount?: ServiceAccountLike;
  /**
   * Mount the service account token.
   * @default false (workloads that call the Kubernetes API opt in)
   */
  readonly automountServiceAccountToken?: boolean;
  /** @default PodSecurity.restricted() */
  readonly podSecurity?: PodSecurity;
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Size of a memory-backed /dev/shm (NCCL, PyTorch data loaders); `false` for none.
   * @default - a quarter of the main container's memory limit for GPU pods, none otherwise
   */
  readonly sharedMemory?: string | false;
  /**
   * Which pods get the default /dev/shm when `sharedMemory` is not given: `gpu` (NCCL) or `always`
   * (training code: PyTorch DataLoader workers pass batches through /dev/shm on CPU too, and the
   * container runtime's default is 64 MiB).
   * @default 'gpu'
   */
  readonly sharedMemoryFor?: 'gpu' | 'always';
  /**
   * Priority class of the pods (one of the app's `PriorityClasses`, or `PriorityClassRef.fromName`).
   * @default - the app's class for `priorityFor` work, when it has `PriorityClasses` and the construct sets it; else none
   */
  readonly priorityClass?: IPriorityClass;
  /**
   * Which of the app's priority classes the pods get when `priorityClass` is unset (set by constructs).
   * @default - none
   */
  readonly priorityFor?: keyof AppPriorityClasses;
  /**
   * Secrets to pull private images with (`kubernetes.io/dockerconfigjson`).
   * @default - none
   */
  readonly imagePullSecrets?: readonly SecretLike[];
  /** @default - the Kubernetes default (30 s) */
  readonly terminationGracePeriodSeconds?: number;
  /** Defaults for container resources. @default { cpu: 1, memory: '2Gi' } */
  readonly resourceDefaults?: ResourceDefaults;
}

/** A pod template and what was derived while building it. */
export interface BuiltPodTemplate {
  /** The pod template (k8s binding types). */
  readonly template: k8s.PodTemplateSpec;
  /** The same as plain Kubernetes JSON, for embedding in custom resources. */
  readonly json: Record<string, unknown>;
  /** GPU placement of the pod, if it asks for GPUs. */
  readonly gpu?: GpuPlacement;
  /** Resolved resources of each container, by container name. */
  readonly resources: Readonly<Record<string, ResolvedResources>>;
}

/**
 * The EnvVar of a value, resolving Secret and ConfigMap references for a pod of `namespace` (an
 * imported one is declared external with its key); problems are recorded under `field`.
 */
export function envVar(scope: IConstruct, problems: Problems, field: string, name: string, v: EnvValue, namespace?: string): k8s.EnvVar {
  if (typeof v === 'string') return { name, value: v };
  if (typeof v !== 'object' || v === null) {
    problems.add(field, 'is not an environment value', v, 'a string, a Secret key, a ConfigMap key or { fieldPath }');
    return { name };
  }
  const kinds = ['secret', 'configMap', 'fieldPath'].filter((k) => (v as unknown as Record<string, unknown>)[k] !== undefined);
  if (!problems.check(kinds.length === 1, field, 'must name exactly one source', kinds.length ? kinds : Object.keys(v),
    'a string, { secret, key } (SecretRef.fromName(...).key(...)), { configMap, key } or { fieldPath }')) return { name };
  if ('fieldPath' in v) return { name, valueFrom: { fieldRef: { fieldPath: v.fieldPath } } };
  const use = { use: `the environment variable ${name}`, keys: [v.key] };
  if ('secret' in v) {
    const r = resolveRef(scope, problems, `${field}.secret`, 'Secret', v.secret, namespace, use);
    checkKey(problems, `${field}.key`, v.key);
    return { name, valueFrom: { secretKeyRef: { name: r?.name ?? '', key: v.key, optional: v.optional || undefined } } };
  }
  const r = resolveRef(scope, problems, `${field}.configMap`, 'ConfigMap', v.configMap, namespace, use);
  checkKey(problems, `${field}.key`, v.key);
  return { name, valueFrom: { configMapKeyRef: { name: r?.name ?? '', key: v.key, optional: v.optional || undefined } } };
}

function checkKey(problems: Problems, field: string, key: unknown): void {
  problems.check(typeof key === 'string' && /^[-._a-zA-Z0-9]+$/.test(key) && key.length <= 253, field, 'is not a valid key', key, "letters, digits, '-', '_', '.'");
}

function checkEnvName(problems: Problems, field: string, k: string): void {
  problems.check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k), field, 'is not a valid environment variable name', k, "letters, digits, '_', '-', '.', not starting with a digit");
}

/** The env list of a container from a record of values (undefined when empty). */
export function envList(scope: IConstruct, problems: Problems, field: string, env: Readonly<Record<string, EnvValue>> | undefined, namespace?: string): k8s.EnvVar[] | undefined {
  const entries = Object.entries(env ?? {});
  if (entries.length === 0) return undefined;
  return entries.map(([k, v]) => {
    checkEnvName(problems, `${field}.${k}`, k);
    return envVar(scope, problems, `${field}.${k}`, k, v, namespace);
  });
}

/** The distinct pod volumes of a list of mounts (one volume per claim, mounted at several paths). */
export function podMountVolumes(mounts: readonly PodMount[]): k8s.Volume[] {
  const seen = new Map<string, k8s.Volume>();
  for (const m of mounts) if (!seen.has(m.volume.name)) seen.set(m.volume.name, m.volume);
  return [...seen.values()];
}

/** Records a problem for each mount of a claim of another namespace than `namespace` (under `<field>[i]`). */
export function checkMountNamespaces(problems: Problems, field: string, mounts: readonly PodMount[], namespace: string | undefined): void {
  mounts.forEach((m, i) => checkMountNamespace(problems, `${field}[${i}]`, m, namespace));
}

/** Records a problem under `field` when `mount` is a claim of another namespace than `namespace`. */
export function checkMountNamespace(problems: Problems, field: string, mount: PodMount, namespace: string | undefined): void {
  problems.check(mount.claimNamespace === undefined || namespace === undefined || mount.claimNamespace === namespace, field,
    `is a claim of namespace ${mount.claimNamespace}`, mount.volume.persistentVolumeClaim?.claimName ?? mount.volume.name,
    `a claim of namespace ${namespace} (a pod mounts claims of its own namespace only)`);
}

/** Mebibytes of a quarter of a memory limit, as a quantity. */
function quarterOf(bytes: number): string {
  return `${Math.max(64, Math.floor(bytes / 4 / 2 ** 20))}Mi`;
}

/**
 * Builds a secure pod template: pinned images, requests and limits on every container,
 * Pod Security `restricted` contexts, GPU node selector/tolerations/limits from the
 * ClusterProfile, and /dev/shm for GPU pods. Problems are recorded under `field`.
 */
export function buildPodTemplate(scope: IConstruct, problems: Problems, field: string, o: PodTemplateOptions): BuiltPodTemplate {
  const podSecurity = o.podSecurity ?? PodSecurity.restricted();
  podSecurity.check(problems, `${field}.podSecurity`);
  const namespace = o.namespace ?? Chart.of(scope).namespace;
  problems.check(o.containers.length > 0, `${field}.containers`, 'must not be empty', o.containers.length, 'at least one container');
  const names = new Set<string>();
  const resolved: Record<string, ResolvedResources> = {};
  let gpu: GpuPlacement | undefined;

  const containerOf = (c: ContainerOptions, i: number, kind: 'containers' | 'initContainers'): k8s.Container => {
    const cf = `${field}.${kind}[${i}]`;
    checkName(problems, `${cf}.name`, c.name);
    problems.check(!names.has(c.name), `${cf}.name`, 'is used by two containers of the pod', c.name, 'unique container names');
    names.add(c.name);
    checkImage(problems, `${cf}.image`, c.image);
    const r = resolveResources(problems, `${cf}.resources`, c.resources, o.resourceDefaults);
    resolved[c.name] = r;
    if (r.gpus > 0) {
      if (gpu === undefined) {
        gpu = ClusterProfile.of(scope).placeGpus(problems, `${cf}.resources`, r.gpus, r.gpuType, r.gpuClass);
      } else {
        problems.check(r.gpuType === undefined || r.gpuType === gpu.type, `${cf}.resources.gpuType`, 'differs from the GPU type of the pod', r.gpuType, gpu.type);
      }
    }
    const requests: Record<string, k8s.Quantity> = { cpu: k8s.Quantity.fromString(r.cpu), memory: k8s.Quantity.fromString(r.memory) };
    const limits: Record<string, k8s.Quantity> = { cpu: k8s.Quantity.fromString(r.cpuLimit), memory: k8s.Quantity.fromString(r.memoryLimit) };
    if (r.ephemeralStorage) {
      requests['ephemeral-storage'] = k8s.Quantity.fromString(r.ephemeralStorage);
      limits['ephemeral-storage'] = k8s.Quantity.fromString(r.ephemeralStorage);
    }
    if (r.gpus > 0) {
      requests['nvidia.com/gpu'] = k8s.Quantity.fromNumber(r.gpus);
      limits['nvidia.com/gpu'] = k8s.Quantity.fromNumber(r.gpus);
    }
    (c.ports ?? []).forEach((p, pi) => {
      problems.check(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535, `${cf}.ports[${pi}].port`, 'is not a valid port', p.port, 'an integer from 1 to 65535');
      problems.check(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name) && p.name.length <= 15 && /[a-z]/.test(p.name), `${cf}.ports[${pi}].name`,
        'is not a valid port name', p.name, 'at most 15 characters of a-z, 0-9, - with at least one letter');
    });
    return {
      name: c.name,
      image: c.image,
      command: c.command ? [...c.command] : undefined,
      args: c.args ? [...c.args] : undefined,
      workingDir: c.workingDir,
      env: envList(scope, problems, `${cf}.env`, c.env, namespace),
      ports: c.ports?.length ? c.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) : undefined,
      resources: { requests, limits },
      volumeMounts: c.volumeMounts?.length ? [...c.volumeMounts] : undefined,
      readinessProbe: c.readinessProbe,
      livenessProbe: c.livenessProbe,
      startupProbe: c.startupProbe,
      securityContext: podSecurity.containerSecurityContext() as k8s.SecurityContext,
    };
  };

  let initContainers = (o.initContainers ?? []).map((c, i) => containerOf(c, i, 'initContainers'));
  let containers = o.containers.map((c, i) => containerOf(c, i, 'containers'));

  const mainOptions = o.mainIsInit ? o.initContainers?.[o.initContainers.length - 1] : o.containers[0];
  const onMain = (f: (c: k8s.Container) => k8s.Container) => {
    if (!mainOptions) return;
    if (o.mainIsInit) initContainers = initContainers.map((c) => (c.name === mainOptions.name ? f(c) : c));
    else containers = containers.map((c, i) => (i === 0 ? f(c) : c));
  };
  const mounts = o.mounts ?? [];
  checkMountNamespaces(problems, `${field}.mounts`, mounts, namespace);
  const volumes: k8s.Volume[] = [...podMountVolumes(mounts), ...(o.volumes ?? [])];
  if (mounts.length) onMain((c) => ({ ...c, volumeMounts: [...mounts.map((m) => m.volumeMount), ...(c.volumeMounts ?? [])] }));
  const main = mainOptions ? resolved[mainOptions.name] : undefined;
  const defaultShm = main && (gpu || o.sharedMemoryFor === 'always') ? quarterOf(main.memoryLimitBytes) : undefined;
  const shm = o.sharedMemory === undefined ? defaultShm : o.sharedMemory || undefined;
  if (shm !== undefined) {
    problems.check(memoryBytes(shm) !== undefined, `${field}.sharedMemory`, 'is not a valid quantity', shm, 'a quantity with a unit, e.g. "2Gi", or false');
    volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString(shm) } });
    const withShm = (c: k8s.Container) => ({ ...c, volumeMounts: [...(c.volumeMounts ?? []), { name: 'dshm', mountPath: '/dev/shm' }] });
    if (o.mainIsInit) onMain(withShm);
    else containers = containers.map(withShm);
  }
  const volumeNames = new Set<string>();
  for (const v of volumes) {
    problems.check(!volumeNames.has(v.name), `${field}.volumes`, 'has two volumes of one name', v.name, 'distinct volume names (a mount of a claim uses the claim name)');
    volumeNames.add(v.name);
  }

  const placed = mergePlacements(problems, `${field}.placement`, [
    gpu, o.placement?.resolve(scope, problems, `${field}.placement`),
  ]);
  const serviceAccount = o.serviceAccount === undefined ? undefined
    : resolveRef(scope, problems, `${field}.serviceAccount`, 'ServiceAccount', o.serviceAccount, namespace, { use: 'the service account of the pods' })?.name;
  const pullSecrets = (o.imagePullSecrets ?? []).map((sec, i) => resolveRef(scope, problems, `${field}.imagePullSecrets[${i}]`, 'Secret', sec, namespace,
    { use: 'pulling private images', keys: ['.dockerconfigjson'] })?.name ?? '');
  const priority = priorityClassName(scope, problems, `${field}.priorityClass`, o.priorityClass);
  const annotations = { ...(o.annotations ?? {}), ...podSecurity.annotations() };
  const template: k8s.PodTemplateSpec = {
    metadata: {
      labels: o.labels && Object.keys(o.labels).length ? { ...o.labels } : undefined,
      annotations: Object.keys(annotations).length ? annotations : undefined,
    },
    spec: {
      restartPolicy: o.restartPolicy,
      serviceAccountName: serviceAccount,
      automountServiceAccountToken: o.automountServiceAccountToken ?? false,
      priorityClassName: o.priorityFor ? podPriorityClass(scope, o.priorityFor, priority) : priority,
      terminationGracePeriodSeconds: o.terminationGracePeriodSeconds,
      securityContext: podSecurity.podSecurityContext() as k8s.PodSecurityContext,
      nodeSelector: Object.keys(placed.nodeSelector).length ? placed.nodeSelector : undefined,
      tolerations: placed.tolerations.length ? placed.tolerations : undefined,
      imagePullSecrets: pullSecrets.length ? pullSecrets.map((name) => ({ name })) : undefined,
      initContainers: initContainers.length ? initContainers : undefined,
      containers,
      volumes: volumes.length ? volumes : undefined,
    },
  };
  return { template, json: k8s.toJson_PodTemplateSpec(template) as Record<string, unknown>, gpu, resources: resolved };
}

/**
 * A Kubernetes object (core or custom, from its generated binding) as a plain ApiObject:
 * `binding.manifest(props)` turns the typed props into JSON once, so JSON patches
 * (`apiObject.addJsonPatch`) apply to plain JSON. Constructed as the typed binding
 * (`new k8s.KubeJob(scope, id, props)`, `new ClusterQueueV1Beta2(...)`), cdk8s would convert the
 * patched JSON again and drop every patched quantity or int-or-string given as a plain value
 * (resources, storage, quotas, ports): the binding's toJson reads them from its own classes only.
 */
export function k8sObject<P>(scope: IConstruct, id: string, binding: { manifest(props: P): any }, props: P): ApiObject {
  return new ApiObject(scope as Construct, id, binding.manifest(props));
}
