import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { LABEL_GPU_CLASS, RESOURCE_NVIDIA_GPU } from '../constructs/core/constants';
import { Problems } from '../constructs/core/errors';
import { ClusterProfile, DEFAULT_GPU_TAINT, GpuClass, checkGpuClasses } from '../constructs/core/gpu';
import { isDnsLabel, isDnsSubdomain } from '../constructs/core/names';
import { cpuQuantity, memoryBytes } from '../constructs/core/quantity';
import { ADDON_CATALOG, AddonSpec } from '../constructs/platform/addons';
import { addonRelease, mergeValues } from './addon-release';
import { checkOneOf, checkRequiredString } from './checks';
import {
  CAPACITY_ANNOTATION_PREFIX, CAPI_API_VERSION, CAPI_MAX_SIZE_ANNOTATION, CAPI_MIN_SIZE_ANNOTATION,
} from './constants';

/** NFS storage through the nfs-subdir-external-provisioner. */
export interface NfsOptions {
  /** NFS server (host name or IP). */
  readonly server: string;
  /** Exported path on the server, e.g. `/srv/nfs/k8s`. */
  readonly path: string;
  /**
   * StorageClass name.
   * @default 'nfs-client'
   */
  readonly storageClassName?: string;
  /**
   * Keep (archive) a volume's directory when its claim is deleted.
   * @default true
   */
  readonly archiveOnDelete?: boolean;
  /**
   * NFS mount options.
   * @default - the provisioner's defaults
   */
  readonly mountOptions?: readonly string[];
}

/** MinIO, the on-prem object store. */
export interface MinioOptions {
  /**
   * Install MinIO.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Size of the MinIO volume.
   * @default '100Gi'
   */
  readonly size?: string;
  /**
   * Root user name.
   * @default 'mlscale-admin'
   */
  readonly rootUser?: string;
  /**
   * Root password (a Pulumi secret); required when MinIO is enabled.
   * @default - none (an error when MinIO is enabled)
   */
  readonly rootPassword?: pulumi.Input<string>;
}

/** A Cluster API node group (MachineDeployment) that backs a GPU class. */
export interface NodeGroupOptions {
  /** The GPU class whose nodes this MachineDeployment creates. */
  readonly gpuClass: string;
  /** MachineDeployment name. */
  readonly machineDeployment: string;
  /**
   * MachineDeployment namespace.
   * @default - autoscaling.namespace
   */
  readonly namespace?: string;
  /** vCPUs of one node (capacity annotation for scale from zero), e.g. `32`. */
  readonly cpu: string | number;
  /** Memory of one node (capacity annotation), e.g. `256Gi`. */
  readonly memory: string;
  /**
   * Ephemeral disk of one node (capacity annotation), e.g. `200Gi`.
   * @default - not announced
   */
  readonly ephemeralDisk?: string;
  /**
   * Pods per node (capacity annotation).
   * @default 110
   */
  readonly maxPods?: number;
}

/** The cluster-autoscaler. */
export interface OnPremAutoscalingOptions {
  /** Install the cluster-autoscaler. */
  readonly enabled: boolean;
  /**
   * What creates and deletes nodes. Required when enabled: an autoscaler needs a node provider,
   * and a kubespray-built cluster has none until Cluster API manages its machines.
   * @default - none (an error when enabled)
   */
  readonly nodeProvider?: 'clusterapi';
  /**
   * Cluster API cluster name (node-group auto-discovery).
   * @default - the OnPremCluster's clusterName
   */
  readonly clusterName?: string;
  /**
   * Namespace of the Cluster API objects.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * The MachineDeployments of the GPU classes; each gets the min/max and capacity annotations
   * that let the autoscaler scale it from zero.
   * @default []
   */
  readonly nodeGroups?: readonly NodeGroupOptions[];
}

/** Arguments of an OnPremCluster. */
export interface OnPremClusterArgs {
  /** Kubeconfig of the existing cluster (pass a Pulumi secret). */
  readonly kubeconfig: pulumi.Input<string> | undefined;
  /**
   * Cluster name (outputs, default Cluster API cluster name).
   * @default 'mlscale'
   */
  readonly clusterName?: string;
  /** The GPU classes the cluster's nodes are labelled for. */
  readonly gpuClasses: readonly GpuClass[];
  /** NFS storage (the `nfs-client` RWX StorageClass). */
  readonly nfs: NfsOptions;
  /**
   * GPU software: the NVIDIA GPU operator with drivers, with drivers already on the hosts
   * (`device-plugin`: device plugin, feature discovery and MIG manager only), or nothing.
   * @default 'operator'
   */
  readonly gpuSupport?: 'operator' | 'device-plugin' | 'none';
  /**
   * Install metrics-server.
   * @default true
   */
  readonly metricsServer?: boolean;
  /**
   * MinIO.
   * @default - installed, 100Gi, root password required
   */
  readonly minio?: MinioOptions;
  /**
   * The cluster-autoscaler (Cluster API provider).
   * @default - no autoscaler
   */
  readonly autoscaling?: OnPremAutoscalingOptions;
}

const GPU_SUPPORT = ['operator', 'device-plugin', 'none'] as const;
const DEFAULT_STORAGE_CLASS = 'nfs-client';
const DEFAULT_MINIO_USER = 'mlscale-admin';
const MINIO_SECRET = 'minio-root';

/**
 * Checks OnPremCluster arguments; `prefix` is prepended to field names (`onprem.` in stack config).
 * `kubeconfigField` names where the kubeconfig comes from.
 */
export function checkOnPremClusterArgs(problems: Problems, prefix: string, a: OnPremClusterArgs, kubeconfigField = `${prefix}kubeconfig`): void {
  problems.check(a.kubeconfig !== undefined && a.kubeconfig !== '', kubeconfigField, 'is required for an on-prem cluster', a.kubeconfig,
    'the kubeconfig of the existing cluster, as a secret: `pulumi config set --secret mlscale:kubeconfig < kubeconfig.yaml`');
  checkRequiredString(problems, `${prefix}nfs.server`, a.nfs?.server, 'the NFS server host name or IP');
  problems.check(typeof a.nfs?.path === 'string' && a.nfs.path.startsWith('/'), `${prefix}nfs.path`, 'is not an absolute export path', a.nfs?.path,
    'the exported directory, e.g. "/srv/nfs/k8s"');
  if (a.nfs?.storageClassName !== undefined) {
    problems.check(isDnsSubdomain(a.nfs.storageClassName), `${prefix}nfs.storageClassName`, 'is not a valid StorageClass name',
      a.nfs.storageClassName, 'a DNS-1123 subdomain');
  }
  checkOneOf(problems, `${prefix}gpuSupport`, a.gpuSupport, GPU_SUPPORT);
  if (a.minio?.enabled ?? true) {
    problems.check(a.minio?.rootPassword !== undefined, `${prefix}minio.rootPassword`, 'is required when MinIO is enabled', undefined,
      'a secret: `pulumi config set --secret mlscale:minioRootPassword <password>` (or minio.enabled: false)');
  }
  checkGpuClasses(problems, 'gpuClasses', a.gpuClasses ?? []);
  const as = a.autoscaling;
  if (!as?.enabled) return;
  if (!problems.check(as.nodeProvider !== undefined, `${prefix}autoscaling.nodeProvider`, 'is required when autoscaling is enabled', as.nodeProvider,
    '"clusterapi" (Cluster API MachineDeployments create the nodes); a cluster without a node provider cannot be autoscaled')) return;
  checkOneOf(problems, `${prefix}autoscaling.nodeProvider`, as.nodeProvider, ['clusterapi']);
  const classes = new Set((a.gpuClasses ?? []).map((c) => c.name));
  (as.nodeGroups ?? []).forEach((g, i) => {
    const f = `${prefix}autoscaling.nodeGroups[${i}]`;
    problems.check(classes.has(g.gpuClass), `${f}.gpuClass`, 'is not a GPU class of the cluster', g.gpuClass, `one of ${[...classes].sort().join(', ')}`);
    problems.check(isDnsSubdomain(g.machineDeployment), `${f}.machineDeployment`, 'is not a valid MachineDeployment name', g.machineDeployment, 'a DNS-1123 subdomain');
    if (g.namespace !== undefined) problems.check(isDnsLabel(g.namespace), `${f}.namespace`, 'is not a valid namespace', g.namespace, 'a DNS-1123 label');
    problems.check(cpuQuantity(g.cpu) !== undefined, `${f}.cpu`, 'is not a CPU quantity', g.cpu, 'vCPUs of one node, e.g. 32 or "32"');
    problems.check(typeof g.memory === 'string' && memoryBytes(g.memory) !== undefined, `${f}.memory`, 'is not a memory quantity', g.memory,
      'memory of one node, e.g. "256Gi"');
  });
}

/** `k=v,k2=v2`, sorted (the capacity labels annotation format). */
function labelList(labels: Record<string, string>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

/**
 * The annotations that make a Cluster API MachineDeployment an autoscaler node group able to
 * scale from zero: min/max size from the GPU class, capacity (CPU, memory, GPUs, pods), and the
 * labels and taints the new nodes will carry, so pending GPU pods are matched to the empty group.
 */
export function capacityAnnotations(c: GpuClass, g: NodeGroupOptions, gpuTypeLabel: string): Record<string, string> {
  const taint = c.taint ?? DEFAULT_GPU_TAINT;
  const a: Record<string, string> = {
    [CAPI_MIN_SIZE_ANNOTATION]: String(c.minNodes ?? 0),
    [CAPI_MAX_SIZE_ANNOTATION]: String(c.maxNodes ?? 4),
    [`${CAPACITY_ANNOTATION_PREFIX}/cpu`]: String(g.cpu),
    [`${CAPACITY_ANNOTATION_PREFIX}/memory`]: g.memory,
    [`${CAPACITY_ANNOTATION_PREFIX}/maxPods`]: String(g.maxPods ?? 110),
    [`${CAPACITY_ANNOTATION_PREFIX}/gpu-type`]: RESOURCE_NVIDIA_GPU,
    [`${CAPACITY_ANNOTATION_PREFIX}/gpu-count`]: String(c.gpusPerNode ?? 1),
    [`${CAPACITY_ANNOTATION_PREFIX}/labels`]: labelList({ [gpuTypeLabel]: c.type, [LABEL_GPU_CLASS]: c.name, ...c.labels }),
    [`${CAPACITY_ANNOTATION_PREFIX}/taints`]: `${taint.key}=${taint.value}:${taint.effect}`,
  };
  if (g.ephemeralDisk) a[`${CAPACITY_ANNOTATION_PREFIX}/ephemeral-disk`] = g.ephemeralDisk;
  return a;
}

/** The catalog entry of an add-on this component installs (present by construction of the catalog). */
function catalog(name: 'nfs-subdir-external-provisioner' | 'metrics-server' | 'nvidia-gpu-operator' | 'minio' | 'cluster-autoscaler'): AddonSpec {
  return ADDON_CATALOG[name]!;
}

/**
 * An existing (e.g. kubespray-built) cluster reached through a kubeconfig secret, completed with
 * what such a cluster lacks: NFS RWX storage (`nfs-client`), metrics-server, the NVIDIA GPU
 * operator (or device plugin only), MinIO, and optionally the cluster-autoscaler with the Cluster
 * API provider and scale-from-zero capacity annotations on the GPU node groups.
 */
export class OnPremCluster extends pulumi.ComponentResource {
  /** A Kubernetes provider for this cluster. */
  public readonly provider: k8s.Provider;
  /** The kubeconfig (a secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Cluster name. */
  public readonly clusterName: pulumi.Output<string>;
  /** Name of the NFS RWX StorageClass. */
  public readonly storageClassName: pulumi.Output<string>;
  /** The MachineDeployments the autoscaler manages (the on-prem "node pools"). */
  public readonly nodePoolNames: pulumi.Output<string[]>;
  /** Helm releases of the infrastructure add-ons, by catalog name. */
  public readonly releases: Readonly<Record<string, k8s.helm.v3.Release>>;
  /** The capacity patches of the autoscaled node groups, by MachineDeployment name. */
  public readonly nodeGroupPatches: Readonly<Record<string, k8s.apiextensions.CustomResourcePatch>>;

  constructor(name: string, args: OnPremClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems(`OnPremCluster ${name}`);
    checkOnPremClusterArgs(problems, '', args);
    problems.throwIfAny();
    super('mlscale:clusters:OnPremCluster', name, {}, opts);

    const clusterName = args.clusterName ?? 'mlscale';
    const gpuTypeLabel = ClusterProfile.onPrem().gpuTypeLabel;
    this.kubeconfig = pulumi.secret(pulumi.output(args.kubeconfig as pulumi.Input<string>));
    this.provider = new k8s.Provider(name, { kubeconfig: this.kubeconfig }, { parent: this });
    const k8sOpts = { parent: this, provider: this.provider };
    const releases: Record<string, k8s.helm.v3.Release> = {};

    const nfs = args.nfs;
    const storageClassName = nfs.storageClassName ?? DEFAULT_STORAGE_CLASS;
    const nfsSpec = catalog('nfs-subdir-external-provisioner');
    releases[nfsSpec.name] = addonRelease(name, nfsSpec, k8sOpts, mergeValues(nfsSpec.values, {
      nfs: { server: nfs.server, path: nfs.path, ...(nfs.mountOptions ? { mountOptions: [...nfs.mountOptions] } : {}) },
      storageClass: { name: storageClassName, archiveOnDelete: nfs.archiveOnDelete ?? true },
    }));

    if (args.metricsServer ?? true) {
      const spec = catalog('metrics-server');
      releases[spec.name] = addonRelease(name, spec, k8sOpts);
    }

    const gpuSupport = args.gpuSupport ?? 'operator';
    if (gpuSupport !== 'none') {
      const spec = catalog('nvidia-gpu-operator');
      const hostDrivers = { driver: { enabled: false }, toolkit: { enabled: false } };
      releases[spec.name] = addonRelease(name, spec, k8sOpts, gpuSupport === 'device-plugin' ? mergeValues(spec.values, hostDrivers) : spec.values);
    }

    if (args.minio?.enabled ?? true) {
      const spec = catalog('minio');
      const ns = new k8s.core.v1.Namespace(`${name}-minio`, {
        metadata: { name: spec.namespace, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } },
      }, k8sOpts);
      const secret = new k8s.core.v1.Secret(`${name}-minio-root`, {
        metadata: { name: MINIO_SECRET, namespace: ns.metadata.name },
        stringData: { rootUser: args.minio?.rootUser ?? DEFAULT_MINIO_USER, rootPassword: pulumi.secret(args.minio!.rootPassword!) },
      }, k8sOpts);
      releases[spec.name] = addonRelease(name, spec, { ...k8sOpts, dependsOn: [secret] },
        mergeValues(spec.values, { existingSecret: MINIO_SECRET, persistence: { size: args.minio?.size ?? '100Gi', storageClass: storageClassName } }));
    }

    const patches: Record<string, k8s.apiextensions.CustomResourcePatch> = {};
    const as = args.autoscaling;
    if (as?.enabled) {
      const capiNamespace = as.namespace ?? 'default';
      for (const g of as.nodeGroups ?? []) {
        const c = args.gpuClasses.find((x) => x.name === g.gpuClass)!;
        patches[g.machineDeployment] = new k8s.apiextensions.CustomResourcePatch(`${name}-${g.machineDeployment}-capacity`, {
          apiVersion: CAPI_API_VERSION,
          kind: 'MachineDeployment',
          metadata: { name: g.machineDeployment, namespace: g.namespace ?? capiNamespace, annotations: capacityAnnotations(c, g, gpuTypeLabel) },
        }, k8sOpts);
      }
      const spec = catalog('cluster-autoscaler');
      releases[spec.name] = addonRelease(name, spec, { ...k8sOpts, dependsOn: Object.values(patches) }, mergeValues(spec.values, {
        autoDiscovery: { clusterName: as.clusterName ?? clusterName, namespace: capiNamespace },
      }));
    }
    this.releases = releases;
    this.nodeGroupPatches = patches;
    this.clusterName = pulumi.output(clusterName);
    this.storageClassName = releases[nfsSpec.name].status.apply(() => storageClassName);
    this.nodePoolNames = pulumi.output(Object.keys(patches));

    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      clusterName: this.clusterName,
      storageClassName: this.storageClassName,
      nodePoolNames: this.nodePoolNames,
    });
  }
}
