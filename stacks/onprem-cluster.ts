import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { LABEL_GPU_CLASS, RESOURCE_NVIDIA_GPU } from '../constructs/core/constants';
import { Problems } from '../constructs/core/errors';
import { ClusterProfile, DEFAULT_GPU_TAINT, GpuClass, checkGpuClasses } from '../constructs/core/gpu';
import { isDnsLabel, isDnsSubdomain } from '../constructs/core/names';
import { cpuQuantity, memoryBytes } from '../constructs/core/quantity';
import { checkOneOf } from './checks';
import {
  CAPACITY_ANNOTATION_PREFIX, CAPI_API_VERSION, CAPI_GPU_LABEL, CAPI_MAX_SIZE_ANNOTATION, CAPI_MIN_SIZE_ANNOTATION,
} from './constants';

/** A Cluster API node group (MachineDeployment) that backs a GPU class. */
export interface NodeGroupOptions {
  /** The GPU class whose nodes this MachineDeployment creates. */
  readonly gpuClass: string;
  /** MachineDeployment name. */
  readonly machineDeployment: string;
  /**
   * MachineDeployment namespace.
   * @default - clusterApi.namespace
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

/** How the cluster's machines are made. */
export type OnPremProvisioner = 'kubespray' | 'cluster-api';

/** Cluster API management of the machines (node groups the autoscaler scales). */
export interface ClusterApiOptions {
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
   * Cluster name (outputs).
   * @default 'mlscale'
   */
  readonly clusterName?: string;
  /** The GPU classes the cluster's nodes are labelled for. */
  readonly gpuClasses: readonly GpuClass[];
  /**
   * What made the cluster: `kubespray` (fixed machines: nothing can add a node, so no autoscaler)
   * or `cluster-api` (MachineDeployments the Cluster API autoscaler scales).
   * @default 'kubespray'
   */
  readonly provisioner?: OnPremProvisioner;
  /**
   * The Cluster API node groups (only with provisioner `cluster-api`).
   * @default - none
   */
  readonly clusterApi?: ClusterApiOptions;
  /**
   * The RWX StorageClass of the cluster (an output; the NFS provisioner add-on creates it).
   * @default 'nfs-client'
   */
  readonly storageClassName?: string;
}

const PROVISIONERS = ['kubespray', 'cluster-api'] as const;
const DEFAULT_STORAGE_CLASS = 'nfs-client';

/**
 * Checks OnPremCluster arguments; `prefix` is prepended to field names (`onprem.` in stack config).
 * `kubeconfigField` names where the kubeconfig comes from.
 */
export function checkOnPremClusterArgs(problems: Problems, prefix: string, a: OnPremClusterArgs, kubeconfigField = `${prefix}kubeconfig`): void {
  problems.check(a.kubeconfig !== undefined && a.kubeconfig !== '', kubeconfigField, 'is required for an on-prem cluster', a.kubeconfig,
    'the kubeconfig of the existing cluster, as a secret: `pulumi config set --secret mlscale:kubeconfig < kubeconfig.yaml`');
  checkOneOf(problems, `${prefix}provisioner`, a.provisioner, PROVISIONERS);
  if (a.storageClassName !== undefined) {
    problems.check(isDnsSubdomain(a.storageClassName), `${prefix}storageClassName`, 'is not a valid StorageClass name', a.storageClassName, 'a DNS-1123 subdomain');
  }
  checkGpuClasses(problems, 'gpuClasses', a.gpuClasses ?? []);
  if (a.clusterApi === undefined) return;
  if (!problems.check((a.provisioner ?? 'kubespray') === 'cluster-api', `${prefix}clusterApi`, 'needs a cluster whose machines Cluster API manages', a.provisioner ?? 'kubespray',
    'provisioner "cluster-api"; a kubespray cluster has no MachineDeployments to scale')) return;
  const classes = new Set((a.gpuClasses ?? []).map((c) => c.name));
  if (a.clusterApi.namespace !== undefined) problems.check(isDnsLabel(a.clusterApi.namespace), `${prefix}clusterApi.namespace`, 'is not a valid namespace', a.clusterApi.namespace, 'a DNS-1123 label');
  (a.clusterApi.nodeGroups ?? []).forEach((g, i) => {
    const f = `${prefix}clusterApi.nodeGroups[${i}]`;
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
    // the new node's labels: the GPU type and class the pods select, and the clusterapi provider's GPU label
    // (kubernetes/autoscaler cluster-autoscaler-1.32.x cloudprovider/clusterapi/clusterapi_provider.go GPULabel):
    // without it a node whose device plugin has not yet advertised its GPUs looks GPU-less and triggers more scale-ups
    [`${CAPACITY_ANNOTATION_PREFIX}/labels`]: labelList({ [gpuTypeLabel]: c.type, [LABEL_GPU_CLASS]: c.name, [CAPI_GPU_LABEL]: c.type, ...c.labels }),
    [`${CAPACITY_ANNOTATION_PREFIX}/taints`]: `${taint.key}=${taint.value}:${taint.effect}`,
  };
  if (g.ephemeralDisk) a[`${CAPACITY_ANNOTATION_PREFIX}/ephemeral-disk`] = g.ephemeralDisk;
  return a;
}

/**
 * An existing on-prem cluster (kubespray-built, or with machines managed by Cluster API) reached
 * through a kubeconfig secret. It declares the Kubernetes provider and, with Cluster API, the
 * capacity annotations of the GPU MachineDeployments that let the autoscaler scale them from zero.
 * It installs no add-on: what a bare cluster lacks (NFS provisioner, metrics-server, GPU operator,
 * MinIO, the autoscaler) is declared in the cdk8s ClusterProfile (`infrastructure`) and installed
 * by Argo CD (GitOpsBootstrap), so each object has one owner.
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

    const patches: Record<string, k8s.apiextensions.CustomResourcePatch> = {};
    const capi = args.clusterApi;
    if (capi) {
      const capiNamespace = capi.namespace ?? 'default';
      for (const g of capi.nodeGroups ?? []) {
        const c = args.gpuClasses.find((x) => x.name === g.gpuClass)!;
        // server-side apply of annotations only: Cluster API keeps owning the MachineDeployment
        patches[g.machineDeployment] = new k8s.apiextensions.CustomResourcePatch(`${name}-${g.machineDeployment}-capacity`, {
          apiVersion: CAPI_API_VERSION,
          kind: 'MachineDeployment',
          metadata: { name: g.machineDeployment, namespace: g.namespace ?? capiNamespace, annotations: capacityAnnotations(c, g, gpuTypeLabel) },
        }, k8sOpts);
      }
    }
    this.nodeGroupPatches = patches;
    this.clusterName = pulumi.output(clusterName);
    this.storageClassName = pulumi.output(args.storageClassName ?? DEFAULT_STORAGE_CLASS);
    this.nodePoolNames = pulumi.output(Object.keys(patches));

    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      clusterName: this.clusterName,
      storageClassName: this.storageClassName,
      nodePoolNames: this.nodePoolNames,
    });
  }
}
