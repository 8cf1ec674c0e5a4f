import { IConstruct } from 'constructs';
import {
  DASK_POOL_TAINT, GKE_ACCELERATOR_LABEL, GKE_GPU_PARTITION_LABEL, GKE_SPOT_LABEL, LABEL_GPU_CLASS, LABEL_POOL, RESOURCE_NVIDIA_GPU,
} from './constants';
import type { ISecret } from './refs';
import { Problems } from './errors';
import { isDnsLabel, isDnsSubdomain, byCodeUnit } from './names';

/** GPU models mlscale knows, named as GKE names its accelerators. */
export type GpuType =
  | 'nvidia-tesla-t4'
  | 'nvidia-l4'
  | 'nvidia-tesla-v100'
  | 'nvidia-tesla-a100'
  | 'nvidia-a100-80gb'
  | 'nvidia-h100-80gb';

/** Facts about one GPU model. */
export interface GpuTypeInfo {
  /** The GKE accelerator name (also the value of `cloud.google.com/gke-accelerator`). */
  readonly type: GpuType;
  /** GPU memory per device, GiB. */
  readonly memoryGiB: number;
  /** GPUs per node that GKE machine shapes offer for this model. */
  readonly countsPerNode: readonly number[];
  /** GKE machine type per GPU count (the smallest shape that carries that many). */
  readonly machineTypes: Readonly<Record<number, string>>;
  /** MIG partition sizes GKE supports on this model; empty when the GPU has no MIG. */
  readonly migPartitions: readonly string[];
}

/** The GPU catalog: one source of truth for GPU facts, used by cdk8s constructs and Pulumi stacks. */
export const GPU_TYPES: Readonly<Record<GpuType, GpuTypeInfo>> = {
  'nvidia-tesla-t4': {
    type: 'nvidia-tesla-t4', memoryGiB: 16, countsPerNode: [1, 2, 4],
    machineTypes: { 1: 'n1-standard-8', 2: 'n1-standard-16', 4: 'n1-standard-32' }, migPartitions: [],
  },
  'nvidia-l4': {
    type: 'nvidia-l4', memoryGiB: 24, countsPerNode: [1, 2, 4, 8],
    machineTypes: { 1: 'g2-standard-8', 2: 'g2-standard-24', 4: 'g2-standard-48', 8: 'g2-standard-96' }, migPartitions: [],
  },
  'nvidia-tesla-v100': {
    type: 'nvidia-tesla-v100', memoryGiB: 16, countsPerNode: [1, 2, 4, 8],
    machineTypes: { 1: 'n1-standard-8', 2: 'n1-standard-16', 4: 'n1-standard-32', 8: 'n1-standard-64' }, migPartitions: [],
  },
  'nvidia-tesla-a100': {
    type: 'nvidia-tesla-a100', memoryGiB: 40, countsPerNode: [1, 2, 4, 8, 16],
    machineTypes: { 1: 'a2-highgpu-1g', 2: 'a2-highgpu-2g', 4: 'a2-highgpu-4g', 8: 'a2-highgpu-8g', 16: 'a2-megagpu-16g' },
    migPartitions: ['1g.5gb', '2g.10gb', '3g.20gb', '7g.40gb'],
  },
  'nvidia-a100-80gb': {
    type: 'nvidia-a100-80gb', memoryGiB: 80, countsPerNode: [1, 2, 4, 8],
    machineTypes: { 1: 'a2-ultragpu-1g', 2: 'a2-ultragpu-2g', 4: 'a2-ultragpu-4g', 8: 'a2-ultragpu-8g' },
    migPartitions: ['1g.10gb', '2g.20gb', '3g.40gb', '7g.80gb'],
  },
  'nvidia-h100-80gb': {
    type: 'nvidia-h100-80gb', memoryGiB: 80, countsPerNode: [1, 2, 4, 8],
    machineTypes: { 1: 'a3-highgpu-1g', 2: 'a3-highgpu-2g', 4: 'a3-highgpu-4g', 8: 'a3-highgpu-8g' },
    migPartitions: ['1g.10gb', '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb'],
  },
};

/** All known GPU types, sorted. */
export const GPU_TYPE_NAMES: readonly GpuType[] = Object.keys(GPU_TYPES).sort() as GpuType[];

/** True when `value` is a GPU type in the catalog. */
export function isGpuType(value: unknown): value is GpuType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(GPU_TYPES, value);
}

/** How a GPU class shares its GPUs between pods. */
export type GpuSharing =
  | { readonly strategy: 'time-sharing' | 'mps'; readonly maxSharedClientsPerGpu: number }
  | { readonly strategy: 'mig'; readonly partitionSize: string };

/** A taint on GPU nodes. */
export interface GpuTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** The taint every mlscale GPU node pool carries. */
export const DEFAULT_GPU_TAINT: GpuTaint = { key: RESOURCE_NVIDIA_GPU, value: 'present', effect: 'NoSchedule' };

/**
 * A class of GPU nodes the platform offers: declared once, used by the Pulumi node pools and by
 * every cdk8s workload that asks for GPUs (node selector, tolerations, limits).
 */
export interface GpuClass {
  /** Class name (a DNS label), e.g. `t4`, `a100-spot`. */
  readonly name: string;
  /** GPU model. */
  readonly type: GpuType;
  /**
   * GPUs per node; must be a count the model's machine shapes offer.
   * @default 1
   */
  readonly gpusPerNode?: number;
  /**
   * Spot/preemptible nodes.
   * @default false
   */
  readonly spot?: boolean;
  /**
   * GPU sharing (time-sharing, MPS or a MIG partition).
   * @default - no sharing: one pod per GPU
   */
  readonly sharing?: GpuSharing;
  /**
   * Extra node labels of the class (also used as node selectors by workloads).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Taint of the class's nodes.
   * @default DEFAULT_GPU_TAINT (nvidia.com/gpu=present:NoSchedule)
   */
  readonly taint?: GpuTaint;
  /**
   * Minimum nodes of the pool (0 = scale from zero).
   * @default 0
   */
  readonly minNodes?: number;
  /**
   * Maximum nodes of the pool.
   * @default 4
   */
  readonly maxNodes?: number;
  /**
   * Machine type of the pool.
   * @default - the catalog's machine type for the model and gpusPerNode
   */
  readonly machineType?: string;
}

/**
 * Checks a node-count range (`<field>.minNodes`, `<field>.maxNodes`): whole numbers, min ≥ 0,
 * max ≥ 1, min ≤ max. Used for GPU classes and for the Pulumi node pools.
 */
export function checkNodeRange(problems: Problems, field: string, min: number, max: number): void {
  problems.check(Number.isInteger(min) && min >= 0, `${field}.minNodes`, 'must be a whole number ≥ 0', min, 'an integer ≥ 0');
  problems.check(Number.isInteger(max) && max >= 1, `${field}.maxNodes`, 'must be a whole number ≥ 1', max, 'an integer ≥ 1');
  problems.check(!(min > max), `${field}.minNodes`, `is greater than maxNodes (${max})`, min, 'minNodes ≤ maxNodes');
}

/**
 * Checks GPU class definitions (shared by Pulumi config validation and ClusterProfile).
 * `where` is the path used in messages (a construct path or `config:gpuClasses`).
 */
export function checkGpuClasses(problems: Problems, field: string, classes: readonly GpuClass[]): void {
  const seen = new Set<string>();
  classes.forEach((c, i) => {
    const f = `${field}[${i}]`;
    problems.check(isDnsLabel(c.name), `${f}.name`, 'is not a valid class name', c.name, 'a DNS-1123 label');
    problems.check(!seen.has(c.name), `${f}.name`, 'is used by two GPU classes', c.name, 'unique class names');
    seen.add(c.name);
    if (!problems.check(isGpuType(c.type), `${f}.type`, 'is not a known GPU type', c.type, `one of ${GPU_TYPE_NAMES.join(', ')}`)) return;
    const info = GPU_TYPES[c.type];
    const count = c.gpusPerNode ?? 1;
    problems.check(info.countsPerNode.includes(count), `${f}.gpusPerNode`, `is not offered for ${c.type}`, count,
      `one of ${info.countsPerNode.join(', ')}`);
    checkNodeRange(problems, f, c.minNodes ?? 0, c.maxNodes ?? 4);
    const s = c.sharing;
    if (s?.strategy === 'mig') {
      problems.check(info.migPartitions.length > 0, `${f}.sharing.partitionSize`, `is a MIG partition but ${c.type} has no MIG`, s.partitionSize,
        'MIG only on nvidia-tesla-a100, nvidia-a100-80gb, nvidia-h100-80gb');
      if (info.migPartitions.length > 0) {
        problems.check(info.migPartitions.includes(s.partitionSize), `${f}.sharing.partitionSize`, `is not a MIG partition of ${c.type}`,
          s.partitionSize, `one of ${info.migPartitions.join(', ')}`);
      }
    } else if (s) {
      problems.check(Number.isInteger(s.maxSharedClientsPerGpu) && s.maxSharedClientsPerGpu >= 2 && s.maxSharedClientsPerGpu <= 48,
        `${f}.sharing.maxSharedClientsPerGpu`, 'is out of range', s.maxSharedClientsPerGpu, 'an integer from 2 to 48');
    }
  });
}

/** Where a cluster runs, which decides how GPU nodes are selected. */
export type ClusterProvider = 'gke' | 'onprem';

/** Props of a ClusterProfile. */
export interface ClusterProfileProps {
  /** The cluster provider. */
  readonly provider: ClusterProvider;
  /**
   * GPU classes the cluster offers. When set, a workload asking for a GPU type no class offers
   * fails at synth. When exactly one class is set, GPU workloads may omit the GPU type.
   * @default - any GPU type of the catalog is accepted, and GPU workloads must name one
   */
  readonly gpuClasses?: readonly GpuClass[];
  /**
   * On-prem: the node label that carries the GPU type (its value is the GpuType name).
   * @default 'mlscale.io/gpu-type'
   */
  readonly gpuTypeLabel?: string;
  /**
   * StorageClass of shared ReadWriteMany volumes (NFS).
   * @default 'standard-rwx' on GKE (Filestore CSI), 'nfs-client' on-prem (nfs-subdir provisioner)
   */
  readonly rwxStorageClass?: string;
  /**
   * On-prem: what the bare cluster lacks, which the GitOpsApplication installs as Argo CD add-ons
   * (GKE manages all of it itself, so a GKE profile refuses this).
   * @default - on-prem: metrics-server for self-signed kubelet certificates, and the NVIDIA GPU
   * operator when GPU classes are set; no NFS provisioner, MinIO or autoscaler
   */
  readonly infrastructure?: OnPremInfrastructure;
  /**
   * GKE: the cluster has the stack's Dask pool (`gke.daskPool`: spot high-CPU nodes labelled and
   * tainted `mlscale.io/pool=dask`). CPU Dask workers (DaskCluster, DaskJob, the gateway's
   * clusters) are then placed on it; GPU workers stay on their GPU pools.
   * @default false
   */
  readonly daskPool?: boolean;
}

/** An NFS export that backs the RWX StorageClass (nfs-subdir-external-provisioner). */
export interface NfsExport {
  /** NFS server (host name or IP). */
  readonly server: string;
  /** Exported directory, e.g. `/srv/nfs/k8s`. */
  readonly path: string;
  /**
   * Mount options of the volumes.
   * @default - the provisioner's defaults
   */
  readonly mountOptions?: readonly string[];
  /**
   * Keep (archive) a volume's directory when its claim is deleted.
   * @default true
   */
  readonly archiveOnDelete?: boolean;
}

/** What a bare on-prem (e.g. kubespray-built) cluster lacks; each item becomes an add-on Application. */
export interface OnPremInfrastructure {
  /**
   * The NFS export behind `rwxStorageClass`: installs the nfs-subdir-external-provisioner, which
   * creates that StorageClass. Every node needs an NFS client (`nfs-common` / `nfs-utils`).
   * @default - no provisioner: a claim on the RWX StorageClass then fails synth unless the class is
   * declared external (`Externals.declare(app, { kind: 'StorageClass', name, reason })`)
   */
  readonly nfs?: NfsExport;
  /**
   * GPU software of the GPU nodes: `operator` (the NVIDIA GPU operator installs driver, container
   * toolkit and device plugin), `host-drivers` (driver and toolkit are on the hosts: the operator
   * without them), `none` (GPUs are made schedulable by other means).
   * @default 'operator' when GPU classes are set, else 'none'
   */
  readonly gpuSoftware?: 'operator' | 'host-drivers' | 'none';
  /**
   * metrics-server (`kubectl top`, HPA): `self-signed-kubelet-certs` installs it with
   * `--kubelet-insecure-tls` (kubespray's kubelets serve self-signed certificates unless
   * `kubelet_rotate_server_certificates` is on); `signed-kubelet-certs` installs it verifying them;
   * `provided` installs nothing (kubespray's `metrics_server_enabled`).
   * @default 'self-signed-kubelet-certs'
   */
  readonly metricsServer?: 'self-signed-kubelet-certs' | 'signed-kubelet-certs' | 'provided';
  /**
   * MinIO, the in-cluster object store, with no user but the root one, whose credentials come from
   * a Secret you create (listed in externals.json).
   * @default - not installed
   */
  readonly minio?: MinioInstall;
  /**
   * Cluster API manages the cluster's machines: installs the cluster-autoscaler (clusterapi
   * provider). Without Cluster API nothing can add a node, so no autoscaler is installed.
   * @default - no Cluster API, no autoscaler
   */
  readonly clusterApi?: ClusterApiCluster;
}

/** MinIO of an on-prem cluster. */
export interface MinioInstall {
  /** Secret in the `minio` namespace with keys `rootUser` and `rootPassword` (you create it). */
  readonly rootCredentialsSecret: ISecret;
  /**
   * Size of the MinIO volume.
   * @default '100Gi'
   */
  readonly size?: string;
  /**
   * StorageClass of the MinIO volume (MinIO recommends local drives over NFS: name a local or block
   * class when the cluster has one).
   * @default - the profile's `rwxStorageClass` (a bare kubespray cluster has no default class)
   */
  readonly storageClass?: string;
}

/** The Cluster API objects of a cluster (node-group auto-discovery). */
export interface ClusterApiCluster {
  /** Name of the Cluster API `Cluster`. */
  readonly clusterName: string;
  /**
   * Namespace of the Cluster and its MachineDeployments.
   * @default 'default'
   */
  readonly namespace?: string;
}

const GPU_SOFTWARE = ['operator', 'host-drivers', 'none'];
const METRICS_SERVER = ['self-signed-kubelet-certs', 'signed-kubelet-certs', 'provided'];

function checkInfrastructure(problems: Problems, props: ClusterProfileProps): void {
  const i = props.infrastructure;
  if (props.daskPool && props.provider !== 'gke') {
    problems.add('daskPool', 'is the GKE stack\'s Dask node pool', props.daskPool, 'daskPool on a GKE profile only (on-prem nodes are not pooled by mlscale)');
  }
  if (i === undefined) return;
  if (props.provider === 'gke') {
    problems.add('infrastructure', 'is for on-prem clusters: GKE manages metrics-server, GPU drivers, autoscaling, Filestore and GCS itself', Object.keys(i).sort(),
      'no infrastructure on a GKE profile (ClusterProfile.onPrem for a kubespray cluster)');
    return;
  }
  if (i.nfs) {
    problems.check(typeof i.nfs.server === 'string' && /^[A-Za-z0-9.:-]+$/.test(i.nfs.server), 'infrastructure.nfs.server', 'is not a host name or IP', i.nfs.server, 'the NFS server, e.g. "nfs.lab.example.com" or "10.0.0.5"');
    problems.check(typeof i.nfs.path === 'string' && i.nfs.path.startsWith('/'), 'infrastructure.nfs.path', 'is not an absolute export path', i.nfs.path, 'the exported directory, e.g. "/srv/nfs/k8s"');
  }
  if (i.gpuSoftware !== undefined) problems.check(GPU_SOFTWARE.includes(i.gpuSoftware), 'infrastructure.gpuSoftware', 'is not supported', i.gpuSoftware, `one of ${GPU_SOFTWARE.join(', ')}`);
  if (i.metricsServer !== undefined) problems.check(METRICS_SERVER.includes(i.metricsServer), 'infrastructure.metricsServer', 'is not supported', i.metricsServer, `one of ${METRICS_SERVER.join(', ')}`);
  if (i.minio) {
    problems.check(isDnsSubdomain(i.minio.rootCredentialsSecret?.secretName), 'infrastructure.minio.rootCredentialsSecret', 'is not a Secret name', i.minio.rootCredentialsSecret?.secretName, 'SecretRef.fromName(<a DNS-1123 subdomain>)');
  }
  if (i.clusterApi) {
    problems.check(isDnsLabel(i.clusterApi.clusterName), 'infrastructure.clusterApi.clusterName', 'is not a Cluster API cluster name', i.clusterApi.clusterName, 'a DNS-1123 label');
  }
}

/** What a GPU request becomes in a pod spec. */
export interface GpuPlacement {
  readonly gpus: number;
  readonly type: GpuType;
  readonly gpuClass?: GpuClass;
  readonly resourceName: string;
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Array<{ key: string; operator: 'Exists' | 'Equal'; value?: string; effect: string }>;
}

const PROFILES = new WeakMap<IConstruct, ClusterProfile>();

/**
 * The cluster a cdk8s app targets: provider, GPU classes, storage classes. Attach one to the app
 * with `ClusterProfile.use(app, profile)`; constructs read it with `ClusterProfile.of(this)`.
 */
export class ClusterProfile {
  /** A GKE cluster profile. */
  public static gke(props: Omit<ClusterProfileProps, 'provider'> = {}): ClusterProfile {
    return new ClusterProfile({ ...props, provider: 'gke' });
  }

  /** An on-prem (e.g. kubespray) cluster profile. */
  public static onPrem(props: Omit<ClusterProfileProps, 'provider'> = {}): ClusterProfile {
    return new ClusterProfile({ ...props, provider: 'onprem' });
  }

  /** Attaches a profile to the root of `scope` (the app). */
  public static use(scope: IConstruct, profile: ClusterProfile): void {
    PROFILES.set(scope.node.root, profile);
  }

  /** The profile attached to the app of `scope`, or a GKE profile with no class restrictions. */
  public static of(scope: IConstruct): ClusterProfile {
    return PROFILES.get(scope.node.root) ?? DEFAULT_PROFILE;
  }

  public readonly provider: ClusterProvider;
  public readonly gpuClasses: readonly GpuClass[];
  public readonly gpuTypeLabel: string;
  public readonly rwxStorageClass: string;
  /** On-prem infrastructure add-ons (empty on GKE). */
  public readonly infrastructure: OnPremInfrastructure;
  /** The cluster has the Dask pool. */
  public readonly daskPool: boolean;

  constructor(props: ClusterProfileProps) {
    const problems = new Problems('ClusterProfile');
    checkGpuClasses(problems, 'gpuClasses', props.gpuClasses ?? []);
    checkInfrastructure(problems, props);
    problems.throwIfAny();
    this.infrastructure = props.infrastructure ?? {};
    this.daskPool = props.daskPool ?? false;
    this.provider = props.provider;
    this.gpuClasses = props.gpuClasses ?? [];
    this.gpuTypeLabel = props.gpuTypeLabel ?? 'mlscale.io/gpu-type';
    this.rwxStorageClass = props.rwxStorageClass ?? (props.provider === 'gke' ? 'standard-rwx' : 'nfs-client');
  }

  /**
   * Resolves a GPU request to its placement. Records a problem (and returns undefined) when the
   * type is missing where required, unknown, or not offered by any class.
   */
  public placeGpus(problems: Problems, field: string, gpus: number, type?: string, className?: string): GpuPlacement | undefined {
    let gpuClass: GpuClass | undefined;
    if (className !== undefined) {
      gpuClass = this.gpuClasses.find((c) => c.name === className);
      if (!problems.check(gpuClass !== undefined, `${field}.gpuClass`, 'is not a GPU class of the cluster', className,
        this.gpuClasses.length ? `one of ${this.gpuClasses.map((c) => c.name).join(', ')}` : 'a class declared in the ClusterProfile')) return undefined;
      if (type !== undefined && type !== gpuClass!.type) {
        problems.add(`${field}.gpuType`, `does not match GPU class "${className}" (${gpuClass!.type})`, type, gpuClass!.type);
        return undefined;
      }
      type = gpuClass!.type;
    }
    if (type === undefined) {
      if (this.gpuClasses.length === 1) {
        gpuClass = this.gpuClasses[0];
        type = gpuClass.type;
      } else {
        problems.add(`${field}.gpuType`, 'is required when GPUs are requested', type,
          this.gpuClasses.length ? `one of ${[...new Set(this.gpuClasses.map((c) => c.type))].sort().join(', ')}` : `one of ${GPU_TYPE_NAMES.join(', ')}`);
        return undefined;
      }
    }
    if (!problems.check(isGpuType(type), `${field}.gpuType`, 'is not a known GPU type', type, `one of ${GPU_TYPE_NAMES.join(', ')}`)) return undefined;
    const gpuType = type as GpuType;
    if (this.gpuClasses.length > 0 && !gpuClass) {
      const offered = this.gpuClasses.filter((c) => c.type === gpuType);
      if (!problems.check(offered.length > 0, `${field}.gpuType`, 'is not offered by any GPU class of the cluster', type,
        `one of ${[...new Set(this.gpuClasses.map((c) => c.type))].sort().join(', ')}`)) return undefined;
      gpuClass = [...offered].sort((a, b) => Number(a.spot ?? false) - Number(b.spot ?? false) || byCodeUnit(a.name, b.name))[0];
    }
    if (gpuClass && gpuClass.sharing?.strategy !== 'mig' && gpus > (gpuClass.gpusPerNode ?? 1)) {
      problems.add(`${field}.gpus`, `exceeds the GPUs per node of class "${gpuClass.name}"`, gpus, `at most ${gpuClass.gpusPerNode ?? 1} per pod`);
      return undefined;
    }
    return this.placement(gpus, gpuType, gpuClass);
  }

  /**
   * Where CPU Dask workers go: the Dask pool's node selector and the tolerations of its taint and of
   * GKE's spot taint (the pool is spot by default), or undefined when the cluster has no Dask pool.
   */
  public daskWorkerPlacement(): { nodeSelector: Record<string, string>; tolerations: Array<{ key: string; operator: 'Equal'; value: string; effect: string }> } | undefined {
    if (!this.daskPool) return undefined;
    return {
      nodeSelector: { [LABEL_POOL]: DASK_POOL_TAINT.value },
      tolerations: [
        { key: DASK_POOL_TAINT.key, operator: 'Equal', value: DASK_POOL_TAINT.value, effect: DASK_POOL_TAINT.effect },
        { key: GKE_SPOT_LABEL, operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      ],
    };
  }

  private placement(gpus: number, type: GpuType, gpuClass?: GpuClass): GpuPlacement {
    const nodeSelector: Record<string, string> = {};
    if (this.provider === 'gke') {
      nodeSelector[GKE_ACCELERATOR_LABEL] = type;
      if (gpuClass?.sharing?.strategy === 'mig') nodeSelector[GKE_GPU_PARTITION_LABEL] = gpuClass.sharing.partitionSize;
      if (gpuClass?.spot) nodeSelector[GKE_SPOT_LABEL] = 'true';
    } else {
      nodeSelector[this.gpuTypeLabel] = type;
    }
    if (gpuClass) {
      nodeSelector[LABEL_GPU_CLASS] = gpuClass.name;
      Object.assign(nodeSelector, gpuClass.labels ?? {});
    }
    const taint = gpuClass?.taint ?? DEFAULT_GPU_TAINT;
    const tolerations: GpuPlacement['tolerations'] = [{ key: taint.key, operator: 'Exists', effect: taint.effect }];
    if (taint.key !== RESOURCE_NVIDIA_GPU) tolerations.push({ key: RESOURCE_NVIDIA_GPU, operator: 'Exists', effect: 'NoSchedule' });
    if (gpuClass?.spot && this.provider === 'gke') tolerations.push({ key: GKE_SPOT_LABEL, operator: 'Equal', value: 'true', effect: 'NoSchedule' });
    return { gpus, type, gpuClass, resourceName: RESOURCE_NVIDIA_GPU, nodeSelector, tolerations };
  }
}

const DEFAULT_PROFILE = new ClusterProfile({ provider: 'gke' });
