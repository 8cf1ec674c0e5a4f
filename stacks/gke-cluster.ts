import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { LABEL_GPU_CLASS } from '../constructs/core/constants';
import { Problems } from '../constructs/core/errors';
import { DASK_POOL_TAINT } from '../constructs/core/constants';
import { DEFAULT_GPU_TAINT, GPU_TYPES, GPU_TYPE_NAMES, GpuClass, GpuTaint, GpuType, checkGpuClasses, checkNodeRange, isGpuType } from '../constructs/core/gpu';
import { isDnsLabel } from '../constructs/core/names';
import { checkOneOf, checkRequiredString, isIpv4Cidr } from './checks';
import { MACHINE_TYPES, gpuRegions, gpuZonesIn } from './gpu-zones';
import {
  CLOUD_PLATFORM_SCOPE, FILESTORE_CSI_PROVISIONER, GKE_APIS, GKE_SERVICE_ACCOUNT_ANNOTATION, LABEL_POOL, MANAGED_BY_LABELS, NODE_SERVICE_ACCOUNT_ROLES,
  PRIVATE_GOOGLE_APIS_ADDRESSES,
} from './constants';
import { byCodeUnit } from '../constructs';

/** A CIDR block allowed to reach the GKE control plane. */
export interface ControlPlaneCidr {
  /** IPv4 CIDR, e.g. `203.0.113.0/24`. */
  readonly cidr: string;
  /**
   * Display name.
   * @default - the CIDR
   */
  readonly name?: string;
}

/** An autoscaled CPU node pool. */
export interface CpuPoolOptions {
  /**
   * Machine type.
   * @default 'e2-standard-4' (system pool), 'n1-highcpu-32' (Dask pool)
   */
  readonly machineType?: string;
  /**
   * Minimum nodes (whole pool, all zones).
   * @default 1 (system pool), 0 (Dask pool)
   */
  readonly minNodes?: number;
  /**
   * Maximum nodes (whole pool, all zones).
   * @default 3 (system pool), 10 (Dask pool)
   */
  readonly maxNodes?: number;
  /**
   * Spot VMs.
   * @default false (system pool), true (Dask pool)
   */
  readonly spot?: boolean;
}

/** Limits of node auto-provisioning (NAP): GKE may create pools of its own up to these totals. */
export interface NodeAutoProvisioningOptions {
  /** Maximum vCPUs in the whole cluster. */
  readonly maxCpu: number;
  /** Maximum memory in the whole cluster, GB. */
  readonly maxMemoryGb: number;
  /**
   * Maximum GPUs per GPU type NAP may provision.
   * @default - none: NAP creates no GPU nodes
   */
  readonly maxGpus?: Readonly<Partial<Record<GpuType, number>>>;
}

/** The GCS bucket for artifacts and notebook outputs. */
export interface ArtifactBucketOptions {
  /**
   * Bucket name (globally unique).
   * @default '<project>-<cluster name>-artifacts'
   */
  readonly name?: string;
  /**
   * Bucket location.
   * @default - the cluster's region
   */
  readonly location?: string;
  /**
   * Kubernetes service accounts (`namespace/name`) that get the bucket through Workload Identity.
   * Each namespace gets its own Google service account (`<cluster>-<namespace>`), which may read and
   * write only objects under `<namespace>/` (an IAM condition on the bucket binding), so one team's
   * credentials never reach another team's data.
   * @default []
   */
  readonly workloadServiceAccounts?: readonly string[];
}

/** The Filestore-backed ReadWriteMany StorageClass. */
export interface RwxStorageOptions {
  /**
   * StorageClass name (GKE's own `standard-rwx` is left alone).
   * @default 'mlscale-rwx'
   */
  readonly storageClassName?: string;
  /**
   * Filestore tier.
   * @default 'standard'
   */
  readonly tier?: 'standard' | 'premium' | 'enterprise' | 'zonal';
}

/** Arguments of a GkeCluster. */
export interface GkeClusterArgs {
  /** GCP project id. */
  readonly project: string;
  /** A region (`europe-west4`: regional cluster) or a zone (`europe-west4-a`: zonal cluster). */
  readonly location: string;
  /**
   * Cluster name.
   * @default 'mlscale'
   */
  readonly name?: string;
  /**
   * GKE release channel.
   * @default 'REGULAR'
   */
  readonly releaseChannel?: 'RAPID' | 'REGULAR' | 'STABLE';
  /**
   * VPC network.
   * @default 'default'
   */
  readonly network?: string;
  /**
   * Subnetwork.
   * @default 'default'
   */
  readonly subnetwork?: string;
  /**
   * Create a Cloud Router with Cloud NAT in the cluster's region, so the private nodes can pull
   * public images (operators come from quay.io, ghcr.io, registry.k8s.io). Turn off when the VPC
   * already has NAT.
   * @default true
   */
  readonly cloudNat?: boolean;
  /**
   * Serve Google APIs to the private nodes on private.googleapis.com (199.36.153.8/30): a private
   * Cloud DNS zone for googleapis.com on the network maps `*.googleapis.com` there, so pods reach
   * GCS through that /30 (their NetworkPolicy names it) instead of the whole Internet. Turn off when
   * the VPC already has such a zone.
   * @default true
   */
  readonly privateGoogleApis?: boolean;
  /**
   * Private control-plane endpoint only (nodes are always private).
   * @default false
   */
  readonly privateEndpoint?: boolean;
  /**
   * Control-plane CIDR of the private cluster (a /28).
   * @default '172.16.0.0/28'
   */
  readonly masterIpv4CidrBlock?: string;
  /**
   * Networks allowed to reach the control plane (authorized networks); include the network
   * `pulumi up` runs from. Required: with a public endpoint an empty list would let any address
   * reach the API server, with a private one nothing outside the VPC could.
   */
  readonly controlPlaneAllowList: readonly ControlPlaneCidr[];
  /**
   * Pod ports the control plane must reach on the nodes: the webhooks and APIServices of the
   * add-ons Argo CD installs (the program derives them from the charts-out folder and the add-on
   * facts). GKE's own rule allows only 443 and 10250 from the control plane of a private cluster.
   * @default [] - no extra firewall rule
   */
  readonly controlPlanePorts?: readonly number[];
  /**
   * Cluster autoscaler profile.
   * @default 'OPTIMIZE_UTILIZATION'
   */
  readonly autoscalingProfile?: 'BALANCED' | 'OPTIMIZE_UTILIZATION';
  /**
   * The CPU system pool.
   * @default - e2-standard-4, 1 to 3 nodes, on-demand
   */
  readonly systemPool?: CpuPoolOptions;
  /** GPU classes: one autoscaled node pool (min 0 by default) per class. */
  readonly gpuClasses: readonly GpuClass[];
  /**
   * GPU driver GKE installs on GPU nodes.
   * @default 'DEFAULT'
   */
  readonly gpuDriverVersion?: 'DEFAULT' | 'LATEST';
  /**
   * Zones of each GPU class's pool, by class name. Every zone must offer the class's GPU model
   * (stacks/gpu-zones.ts) and lie in the cluster's region.
   * @default - every zone of the cluster's region that offers the class's GPU model (a zonal cluster: its zone)
   */
  readonly gpuZones?: Readonly<Record<string, readonly string[]>>;
  /**
   * A spot high-CPU pool for Dask workers: nodes labelled and tainted `mlscale.io/pool=dask`, so
   * only pods with the matching placement land there (CPU Dask workers of an app whose profile is `ClusterProfile.gke({ daskPool: true })`).
   * @default - no Dask pool
   */
  readonly daskPool?: CpuPoolOptions;
  /**
   * Node auto-provisioning limits.
   * @default - NAP off (only the declared pools scale)
   */
  readonly nodeAutoProvisioning?: NodeAutoProvisioningOptions;
  /**
   * The artifact bucket and its Workload-Identity-bound service account.
   * @default - a bucket named after project and cluster, no Kubernetes service account bound
   */
  readonly artifactBucket?: ArtifactBucketOptions;
  /**
   * The Filestore RWX StorageClass.
   * @default - 'mlscale-rwx', standard tier
   */
  readonly rwxStorage?: RwxStorageOptions;
  /**
   * Protect the cluster from `pulumi destroy`.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

const RELEASE_CHANNELS = ['RAPID', 'REGULAR', 'STABLE'] as const;
const AUTOSCALING_PROFILES = ['BALANCED', 'OPTIMIZE_UTILIZATION'] as const;
const DRIVER_VERSIONS = ['DEFAULT', 'LATEST'] as const;
const FILESTORE_TIERS = ['standard', 'premium', 'enterprise', 'zonal'] as const;
const REGION = /^[a-z]+-[a-z]+\d+$/;
const ZONE = /^[a-z]+-[a-z]+\d+-[a-z]$/;
const SYSTEM_POOL_DEFAULTS = { machineType: 'e2-standard-4', minNodes: 1, maxNodes: 3, spot: false };
const DASK_POOL_DEFAULTS = { machineType: 'n1-highcpu-32', minNodes: 0, maxNodes: 10, spot: true };

/**
 * Checks GkeCluster arguments; `prefix` is prepended to field names (`gke.` in stack config).
 * GPU classes are checked under `gpuClasses`, the field shared with the cdk8s ClusterProfile.
 */
export function checkGkeClusterArgs(problems: Problems, prefix: string, a: GkeClusterArgs): void {
  checkRequiredString(problems, `${prefix}project`, a.project, 'a GCP project id');
  problems.check(typeof a.location === 'string' && (REGION.test(a.location) || ZONE.test(a.location)), `${prefix}location`,
    'is not a GCP region or zone', a.location, 'a region such as "europe-west4" (regional cluster) or a zone such as "europe-west4-a" (zonal)');
  if (a.name !== undefined) {
    problems.check(isDnsLabel(a.name, 20), `${prefix}name`, 'is not a valid cluster name', a.name,
      'a DNS label of at most 20 characters (service account ids are derived from it)');
  }
  checkOneOf(problems, `${prefix}releaseChannel`, a.releaseChannel, RELEASE_CHANNELS);
  checkOneOf(problems, `${prefix}autoscalingProfile`, a.autoscalingProfile, AUTOSCALING_PROFILES);
  checkOneOf(problems, `${prefix}gpuDriverVersion`, a.gpuDriverVersion, DRIVER_VERSIONS);
  checkOneOf(problems, `${prefix}rwxStorage.tier`, a.rwxStorage?.tier, FILESTORE_TIERS);
  if (a.masterIpv4CidrBlock !== undefined) {
    problems.check(isIpv4Cidr(a.masterIpv4CidrBlock) && a.masterIpv4CidrBlock.endsWith('/28'), `${prefix}masterIpv4CidrBlock`,
      'is not a /28 IPv4 CIDR', a.masterIpv4CidrBlock, 'a /28 such as "172.16.0.0/28"');
  }
  const allow = a.controlPlaneAllowList ?? [];
  allow.forEach((c, i) => problems.check(isIpv4Cidr(c?.cidr), `${prefix}controlPlaneAllowList[${i}].cidr`, 'is not an IPv4 CIDR', c?.cidr,
    'a CIDR such as "203.0.113.0/24"'));
  if (a.privateEndpoint === true) {
    problems.check(allow.length > 0, `${prefix}controlPlaneAllowList`, 'is empty but privateEndpoint is true', allow,
      'at least one CIDR (your VPN, bastion or CI range) that may reach the private control plane');
  } else {
    problems.check(allow.length > 0 && allow.every((c) => c?.cidr !== '0.0.0.0/0'), `${prefix}controlPlaneAllowList`,
      'leaves the public control-plane endpoint open to every address', a.controlPlaneAllowList ?? [],
      'at least one CIDR, none of them 0.0.0.0/0 (your office, VPN or CI range: where `pulumi up` and kubectl run)');
  }
  (a.controlPlanePorts ?? []).forEach((p, i) => problems.check(Number.isInteger(p) && p >= 1 && p <= 65535, `${prefix}controlPlanePorts[${i}]`,
    'is not a port', p, 'an integer from 1 to 65535'));
  const sys = { ...SYSTEM_POOL_DEFAULTS, ...a.systemPool };
  checkNodeRange(problems, `${prefix}systemPool`, sys.minNodes, sys.maxNodes);
  if (a.daskPool) {
    const dask = { ...DASK_POOL_DEFAULTS, ...a.daskPool };
    checkNodeRange(problems, `${prefix}daskPool`, dask.minNodes, dask.maxNodes);
  }
  const nap = a.nodeAutoProvisioning;
  if (nap) {
    problems.check(nap.maxCpu > 0, `${prefix}nodeAutoProvisioning.maxCpu`, 'must be positive', nap.maxCpu, 'a number of vCPUs > 0');
    problems.check(nap.maxMemoryGb > 0, `${prefix}nodeAutoProvisioning.maxMemoryGb`, 'must be positive', nap.maxMemoryGb, 'a number of GB > 0');
    for (const type of Object.keys(nap.maxGpus ?? {})) {
      problems.check(isGpuType(type), `${prefix}nodeAutoProvisioning.maxGpus`, 'names an unknown GPU type', type, `GPU types of the catalog: ${Object.keys(GPU_TYPES).sort().join(', ')}`);
    }
    checkNapLimits(problems, prefix, a);
  }
  checkGpuZones(problems, prefix, a);
  (a.artifactBucket?.workloadServiceAccounts ?? []).forEach((ksa, i) => {
    const [ns, sa, extra] = String(ksa).split('/');
    if (!problems.check(isDnsLabel(ns) && isDnsLabel(sa) && extra === undefined, `${prefix}artifactBucket.workloadServiceAccounts[${i}]`,
      'is not a Kubernetes service account reference', ksa, '"<namespace>/<service account name>"')) return;
    const id = `${a.name ?? 'mlscale'}-${ns}`;
    problems.check(id.length <= 30, `${prefix}artifactBucket.workloadServiceAccounts[${i}]`, `needs the Google service account "${id}", longer than 30 characters`, ksa,
      'a namespace and cluster name whose "<cluster>-<namespace>" has at most 30 characters');
  });
  checkGpuClasses(problems, 'gpuClasses', a.gpuClasses ?? []);
  (a.gpuClasses ?? []).forEach((c, i) => problems.check(typeof c.name !== 'string' || c.name.length <= 36, `gpuClasses[${i}].name`,
    'is too long for a GKE node pool name', c.name, 'at most 36 characters (the pool is named "gpu-<class>")'));
}

/** The machine type of a GPU class's nodes: its own, or the catalog's for its GPU count (undefined for an unknown type or count). */
function gpuMachineType(c: GpuClass): string | undefined {
  return c.machineType ?? (isGpuType(c.type) ? GPU_TYPES[c.type].machineTypes[c.gpusPerNode ?? 1] : undefined);
}

/** The pools of a cluster as node-count × machine type (what the NAP limits must cover). */
function poolMaxima(a: GkeClusterArgs): Array<{ field: string; machineType: string; maxNodes: number }> {
  const sys = { ...SYSTEM_POOL_DEFAULTS, ...a.systemPool };
  const out = [{ field: 'systemPool.machineType', machineType: sys.machineType, maxNodes: sys.maxNodes }];
  (a.gpuClasses ?? []).forEach((c, i) => {
    const machineType = gpuMachineType(c);
    // an unknown type or GPU count is reported by checkGpuClasses
    if (machineType !== undefined) out.push({ field: `gpuClasses[${i}].machineType`, machineType, maxNodes: c.maxNodes ?? 4 });
  });
  if (a.daskPool) {
    const d = { ...DASK_POOL_DEFAULTS, ...a.daskPool };
    out.push({ field: 'daskPool.machineType', machineType: d.machineType, maxNodes: d.maxNodes });
  }
  return out;
}

/**
 * GKE enforces the NAP cpu and memory limits on the whole cluster, declared pools included
 * (GKE docs, concepts/node-auto-provisioning: "limits ... based on the total CPU and memory across
 * all node pools"): limits below the pools' own maximum would stop them scaling before their maxNodes.
 */
function checkNapLimits(problems: Problems, prefix: string, a: GkeClusterArgs): void {
  const nap = a.nodeAutoProvisioning!;
  let cpu = 0;
  let memory = 0;
  for (const p of poolMaxima(a)) {
    const m = MACHINE_TYPES[p.machineType];
    if (!problems.check(m !== undefined, `${prefix}${p.field}`, 'is not in the machine-type table, so the node auto-provisioning limits cannot be checked', p.machineType,
      `one of ${Object.keys(MACHINE_TYPES).sort().join(', ')} (stacks/gpu-zones.ts MACHINE_TYPES), or no nodeAutoProvisioning`)) continue;
    cpu += m.vcpus * p.maxNodes;
    memory += m.memoryGb * p.maxNodes;
  }
  memory = Math.ceil(memory);
  problems.check(nap.maxCpu >= cpu, `${prefix}nodeAutoProvisioning.maxCpu`, `is below the ${cpu} vCPUs the declared pools reach at their maxNodes (GKE counts every pool against it)`, nap.maxCpu, `at least ${cpu}`);
  problems.check(nap.maxMemoryGb >= memory, `${prefix}nodeAutoProvisioning.maxMemoryGb`, `is below the ${memory} GB the declared pools reach at their maxNodes (GKE counts every pool against it)`, nap.maxMemoryGb, `at least ${memory}`);
  // a GPU limit, when given, is a cluster-wide cap on that model too
  for (const [type, max] of Object.entries(nap.maxGpus ?? {})) {
    const pools = (a.gpuClasses ?? []).filter((c) => c.type === type);
    const gpus = pools.reduce((n, c) => n + (c.gpusPerNode ?? 1) * (c.maxNodes ?? 4), 0);
    problems.check((max as number) >= gpus, `${prefix}nodeAutoProvisioning.maxGpus.${type}`, `is below the ${gpus} GPUs the declared ${type} pools reach at their maxNodes`, max, `at least ${gpus}`);
  }
}

/** The zones of a GPU class's pool: given, or every zone of the cluster's region offering its GPU. */
export function gpuPoolZones(a: GkeClusterArgs, c: GpuClass): string[] {
  const given = a.gpuZones?.[c.name];
  if (given) return [...given];
  const region = regionOf(a.location);
  const offered = isGpuType(c.type) ? gpuZonesIn(c.type, region) : [];
  return ZONE.test(a.location) && offered.includes(a.location) ? [a.location] : offered;
}

function checkGpuZones(problems: Problems, prefix: string, a: GkeClusterArgs): void {
  if (typeof a.location !== 'string' || !(REGION.test(a.location) || ZONE.test(a.location))) return;
  const region = regionOf(a.location);
  const names = new Set((a.gpuClasses ?? []).map((c) => c.name));
  for (const name of Object.keys(a.gpuZones ?? {})) {
    problems.check(names.has(name), `${prefix}gpuZones.${name}`, 'is not a GPU class of the stack', name, `one of ${[...names].sort().join(', ')}`);
  }
  (a.gpuClasses ?? []).forEach((c, i) => {
    if (!isGpuType(c.type)) return;
    const offered = gpuZonesIn(c.type, region);
    const given = a.gpuZones?.[c.name];
    if (given === undefined) {
      problems.check(offered.length > 0, `gpuClasses[${i}].type`, `is not offered in any zone of ${region} (the cluster's region)`, c.type,
        `a GPU model of ${region}: ${GPU_TYPE_NAMES.filter((t) => gpuZonesIn(t, region).length > 0).join(', ') || 'none'}; ${c.type} is offered in ${gpuRegions(c.type).join(', ')} (stacks/gpu-zones.ts)`);
      return;
    }
    problems.check(Array.isArray(given) && given.length > 0, `${prefix}gpuZones.${c.name}`, 'is empty', given, `zones of ${region} offering ${c.type}: ${offered.join(', ') || 'none'}`);
    (Array.isArray(given) ? given : []).forEach((z, j) => problems.check(offered.includes(z), `${prefix}gpuZones.${c.name}[${j}]`,
      `does not offer ${c.type} in the cluster's region ${region}`, z, offered.length ? `one of ${offered.join(', ')}` : `none in ${region}: ${c.type} is offered in ${gpuRegions(c.type).join(', ')}`));
  });
}

/** The Google service account of a namespace's artifacts (`<cluster>-<namespace>@<project>.iam.gserviceaccount.com`). */
export function artifactServiceAccountEmailOf(a: GkeClusterArgs, namespace: string): string {
  return `${a.name ?? 'mlscale'}-${namespace}@${a.project}.iam.gserviceaccount.com`;
}

/** The artifact bucket's name. */
export function artifactBucketNameOf(a: GkeClusterArgs): string {
  return a.artifactBucket?.name ?? `${a.project}-${a.name ?? 'mlscale'}-artifacts`;
}

/**
 * The IAM condition that limits a namespace's binding to its prefix: object names under
 * `<namespace>/`, and listings of that prefix (Cloud Storage docs, IAM Conditions: object
 * `resource.name` is `projects/_/buckets/<bucket>/objects/<object>`; a list request is checked on
 * the bucket, with its prefix in the `storage.googleapis.com/objectListPrefix` API attribute).
 */
export function prefixCondition(bucket: string, namespace: string): string {
  return `resource.name.startsWith("projects/_/buckets/${bucket}/objects/${namespace}/") || `
    + `api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("${namespace}/")`;
}

/**
 * Workload Identity end to end: every Kubernetes service account the bucket's Google service
 * account trusts (`artifactBucket.workloadServiceAccounts`) must exist in the charts-out folder
 * Argo CD syncs, annotated `iam.gke.io/gcp-service-account: <that account>`; otherwise its pods
 * get the node's identity (GKE docs, how-to/workload-identity).
 */
export function checkWorkloadIdentityAccounts(problems: Problems, field: string, docs: readonly any[], a: GkeClusterArgs): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const accounts = new Map(docs.filter((d) => d?.apiVersion === 'v1' && d.kind === 'ServiceAccount')
    .map((d) => [`${d.metadata?.namespace ?? 'default'}/${d.metadata?.name}`, d]));
  (a.artifactBucket?.workloadServiceAccounts ?? []).forEach((ksa, i) => {
    const sa = accounts.get(ksa);
    const email = artifactServiceAccountEmailOf(a, String(ksa).split('/')[0]);
    const at = `gke.artifactBucket.workloadServiceAccounts[${i}]`;
    if (!problems.check(sa !== undefined, at, `names a ServiceAccount that ${field} does not create`, ksa,
      `a ServiceAccount of the charts-out folder annotated ${GKE_SERVICE_ACCOUNT_ANNOTATION}: ${email} (e.g. Team googleServiceAccount)`)) return;
    const got = sa.metadata?.annotations?.[GKE_SERVICE_ACCOUNT_ANNOTATION];
    problems.check(got === email, `${at} (${field})`, `is not annotated ${GKE_SERVICE_ACCOUNT_ANNOTATION} with its namespace's Google service account`, got ?? null, email);
  });
}

/** The region of a GCP location (a zone's region, or the region itself). */
export function regionOf(location: string): string {
  return ZONE.test(location) ? location.replace(/-[a-z]$/, '') : location;
}

/** Kubernetes taint effect → GKE node-pool taint effect. */
function gkeTaintEffect(effect: GpuTaint['effect']): string {
  return { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' }[effect];
}

/** The taints of a GPU class's pool: the class taint, plus the spot taint the cdk8s placement tolerates. */
function gpuPoolTaints(c: GpuClass): gcp.types.input.container.NodePoolNodeConfigTaint[] {
  const taint = c.taint ?? DEFAULT_GPU_TAINT;
  const taints = [{ key: taint.key, value: taint.value, effect: gkeTaintEffect(taint.effect) }];
  if (c.spot) taints.push({ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NO_SCHEDULE' });
  return taints;
}

/** The accelerator block of a GPU class's pool: type, count, managed driver, sharing. */
function gpuAccelerator(c: GpuClass, driverVersion: string): gcp.types.input.container.NodePoolNodeConfigGuestAccelerator {
  const s = c.sharing;
  return {
    type: c.type,
    count: c.gpusPerNode ?? 1,
    gpuDriverInstallationConfig: { gpuDriverVersion: driverVersion },
    gpuPartitionSize: s?.strategy === 'mig' ? s.partitionSize : undefined,
    gpuSharingConfig: s && s.strategy !== 'mig'
      ? { gpuSharingStrategy: s.strategy === 'mps' ? 'MPS' : 'TIME_SHARING', maxSharedClientsPerGpu: s.maxSharedClientsPerGpu }
      : undefined,
  };
}

/** A kubeconfig that authenticates with gke-gcloud-auth-plugin (no credentials inside). */
function gkeKubeconfig(context: string, endpoint: string, caCertificate: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: https://${endpoint}`,
    `    certificate-authority-data: ${caCertificate}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    `    user: ${context}`,
    `current-context: ${context}`,
    'users:',
    `- name: ${context}`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1beta1',
    '      command: gke-gcloud-auth-plugin',
    '      provideClusterInfo: true',
    '      installHint: Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin)',
    '',
  ].join('\n');
}

/**
 * A GKE Standard cluster for mlscale: release channel, Workload Identity, shielded nodes, private
 * nodes with a control-plane allow-list, Dataplane V2 (network policy enforcement), image
 * streaming, the Filestore CSI driver, Cloud NAT for the private nodes, and no default node pool. Pools: an autoscaled CPU system
 * pool, one pool per GPU class (autoscaling from 0, managed driver, GPU taint, spot or on-demand,
 * GPU sharing), an optional spot Dask pool. Plus a GCS artifact bucket with a
 * Workload-Identity-bound service account and a Filestore RWX StorageClass.
 */
export class GkeCluster extends pulumi.ComponentResource {
  /** The GKE cluster. */
  public readonly cluster: gcp.container.Cluster;
  /** The Google APIs the stack enables. */
  public readonly apis: readonly gcp.projects.Service[];
  /** The firewall rule from the control plane to the add-ons' webhook ports (none when no add-on has one). */
  public readonly webhookFirewall?: gcp.compute.Firewall;
  /** The CPU system pool. */
  public readonly systemPool: gcp.container.NodePool;
  /** One node pool per GPU class, keyed by class name. */
  public readonly gpuPools: Readonly<Record<string, gcp.container.NodePool>>;
  /** The Dask pool, when requested. */
  public readonly daskPool?: gcp.container.NodePool;
  /** A Kubernetes provider for this cluster. */
  public readonly provider: k8s.Provider;
  /** Kubeconfig of the cluster (a secret; authenticates with gke-gcloud-auth-plugin). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Cluster name. */
  public readonly clusterName: pulumi.Output<string>;
  /** Names of all node pools (system, GPU classes, Dask). */
  public readonly nodePoolNames: pulumi.Output<string[]>;
  /** Name of the Filestore RWX StorageClass. */
  public readonly storageClassName: pulumi.Output<string>;
  /** Name of the artifact bucket. */
  public readonly artifactBucketName: pulumi.Output<string>;
  /** Email of the Google service account bound to the artifact bucket (annotate KSAs with it). */
  public readonly artifactServiceAccounts: pulumi.Output<Record<string, string>>;
  /** Email of the nodes' Google service account (the firewall rule's target). */
  public readonly nodeServiceAccountEmail: pulumi.Output<string>;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems(`GkeCluster ${name}`);
    checkGkeClusterArgs(problems, '', args);
    problems.throwIfAny();
    super('mlscale:clusters:GkeCluster', name, {}, opts);

    const clusterName = args.name ?? 'mlscale';
    const project = args.project;
    const allow = args.controlPlaneAllowList ?? [];
    // a new project has none of these APIs on: every Google resource below waits for them
    this.apis = GKE_APIS.map((service) => new gcp.projects.Service(`${name}-api-${service.split('.')[0]}`, {
      project, service, disableOnDestroy: false,
    }, { parent: this }));
    const parent = { parent: this, dependsOn: [...this.apis] };

    const nodeSa = new gcp.serviceaccount.Account(`${name}-nodes`, {
      project, accountId: `${clusterName}-nodes`, displayName: `GKE nodes of ${clusterName} (mlscale)`,
    }, parent);
    const nodeRoles = NODE_SERVICE_ACCOUNT_ROLES.map((role) => new gcp.projects.IAMMember(`${name}-nodes-${role.split('/')[1]}`, {
      project, role, member: pulumi.interpolate`serviceAccount:${nodeSa.email}`,
    }, parent));

    if (args.cloudNat ?? true) {
      const region = regionOf(args.location);
      const router = new gcp.compute.Router(`${name}-nat`, {
        project, name: `${clusterName}-nat`, region, network: args.network ?? 'default',
      }, parent);
      new gcp.compute.RouterNat(`${name}-nat`, {
        project, name: `${clusterName}-nat`, region, router: router.name,
        natIpAllocateOption: 'AUTO_ONLY',
        sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
        logConfig: { enable: true, filter: 'ERRORS_ONLY' },
      }, parent);
    }

    const nap = args.nodeAutoProvisioning;
    this.cluster = new gcp.container.Cluster(name, {
      project,
      name: clusterName,
      location: args.location,
      network: args.network ?? 'default',
      subnetwork: args.subnetwork ?? 'default',
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: args.deletionProtection ?? true,
      releaseChannel: { channel: args.releaseChannel ?? 'REGULAR' },
      workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
      enableShieldedNodes: true,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {},
      datapathProvider: 'ADVANCED_DATAPATH',
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: args.privateEndpoint ?? false,
        masterIpv4CidrBlock: args.masterIpv4CidrBlock ?? '172.16.0.0/28',
      },
      masterAuthorizedNetworksConfig: allow.length > 0
        ? { cidrBlocks: allow.map((c) => ({ cidrBlock: c.cidr, displayName: c.name ?? c.cidr })) }
        : undefined,
      addonsConfig: {
        gcpFilestoreCsiDriverConfig: { enabled: true },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
      },
      nodePoolDefaults: { nodeConfigDefaults: { gcfsConfig: { enabled: true } } },
      clusterAutoscaling: {
        autoscalingProfile: args.autoscalingProfile ?? 'OPTIMIZE_UTILIZATION',
        enabled: nap !== undefined,
        resourceLimits: nap ? [
          { resourceType: 'cpu', minimum: 0, maximum: nap.maxCpu },
          { resourceType: 'memory', minimum: 0, maximum: nap.maxMemoryGb },
          ...Object.entries(nap.maxGpus ?? {}).sort(([a], [b]) => byCodeUnit(a, b))
            .map(([type, max]) => ({ resourceType: type, minimum: 0, maximum: max as number })),
        ] : undefined,
        autoProvisioningDefaults: nap ? {
          serviceAccount: nodeSa.email,
          oauthScopes: [CLOUD_PLATFORM_SCOPE],
          management: { autoRepair: true, autoUpgrade: true },
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        } : undefined,
      },
      resourceLabels: { ...MANAGED_BY_LABELS },
    }, { ...parent, dependsOn: [...this.apis, ...nodeRoles] });
    this.clusterName = this.cluster.name;

    if (args.privateGoogleApis ?? true) {
      const network = args.network ?? 'default';
      const zone = new gcp.dns.ManagedZone(`${name}-googleapis`, {
        project, name: `${clusterName}-googleapis`, dnsName: 'googleapis.com.', visibility: 'private',
        description: 'mlscale: Google APIs on private.googleapis.com for the private nodes',
        privateVisibilityConfig: { networks: [{ networkUrl: `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/${network}` }] },
        labels: { ...MANAGED_BY_LABELS },
      }, parent);
      new gcp.dns.RecordSet(`${name}-googleapis-private`, {
        project, managedZone: zone.name, name: 'private.googleapis.com.', type: 'A', ttl: 300, rrdatas: [...PRIVATE_GOOGLE_APIS_ADDRESSES],
      }, parent);
      new gcp.dns.RecordSet(`${name}-googleapis-wildcard`, {
        project, managedZone: zone.name, name: '*.googleapis.com.', type: 'CNAME', ttl: 300, rrdatas: ['private.googleapis.com.'],
      }, parent);
    }

    // the control plane calls the add-ons' webhooks and APIServices on their pod ports; GKE's own rule
    // (gke-<cluster>-<hash>-master) allows only 443 and 10250 from it (GKE docs, concepts/firewall-rules)
    const ports = [...new Set(args.controlPlanePorts ?? [])].sort((a, b) => a - b);
    if (ports.length > 0) {
      this.webhookFirewall = new gcp.compute.Firewall(`${name}-control-plane-webhooks`, {
        project,
        name: `${clusterName}-control-plane-webhooks`,
        description: 'mlscale: the GKE control plane to the admission webhooks and APIServices of the add-ons Argo CD installs',
        network: args.network ?? 'default',
        direction: 'INGRESS',
        priority: 1000,
        sourceRanges: [args.masterIpv4CidrBlock ?? '172.16.0.0/28'],
        targetServiceAccounts: [nodeSa.email],
        allows: [{ protocol: 'tcp', ports: ports.map(String) }],
      }, parent);
    }

    const poolCommon = (pool: string, c: {
      machineType: string; spot: boolean; min: number; max: number; diskSizeGb: number;
      labels: Record<string, string>; taints?: gcp.types.input.container.NodePoolNodeConfigTaint[];
      guestAccelerators?: gcp.types.input.container.NodePoolNodeConfigGuestAccelerator[]; locationPolicy: string; nodeLocations?: readonly string[];
    }): gcp.container.NodePool => new gcp.container.NodePool(`${name}-${pool}`, {
      project,
      name: pool,
      cluster: this.cluster.name,
      location: args.location,
      nodeLocations: c.nodeLocations ? [...c.nodeLocations] : undefined,
      initialNodeCount: c.min > 0 ? 1 : 0,
      autoscaling: { totalMinNodeCount: c.min, totalMaxNodeCount: c.max, locationPolicy: c.locationPolicy },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: c.machineType,
        spot: c.spot,
        imageType: 'COS_CONTAINERD',
        diskType: 'pd-balanced',
        diskSizeGb: c.diskSizeGb,
        serviceAccount: nodeSa.email,
        oauthScopes: [CLOUD_PLATFORM_SCOPE],
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        gcfsConfig: { enabled: true },
        gvnic: { enabled: true },
        metadata: { 'disable-legacy-endpoints': 'true' },
        labels: { [LABEL_POOL]: pool, ...c.labels },
        resourceLabels: { ...MANAGED_BY_LABELS },
        taints: c.taints,
        guestAccelerators: c.guestAccelerators,
      },
    }, { parent: this, dependsOn: [...this.apis], deleteBeforeReplace: true });

    const sys = { ...SYSTEM_POOL_DEFAULTS, ...args.systemPool };
    this.systemPool = poolCommon('system', {
      machineType: sys.machineType, spot: sys.spot, min: sys.minNodes, max: sys.maxNodes, diskSizeGb: 50, labels: {}, locationPolicy: 'BALANCED',
    });

    const driver = args.gpuDriverVersion ?? 'DEFAULT';
    const gpuPools: Record<string, gcp.container.NodePool> = {};
    for (const c of args.gpuClasses) {
      gpuPools[c.name] = poolCommon(`gpu-${c.name}`, {
        machineType: gpuMachineType(c)!,
        spot: c.spot ?? false,
        min: c.minNodes ?? 0,
        max: c.maxNodes ?? 4,
        diskSizeGb: 200,
        labels: { [LABEL_GPU_CLASS]: c.name, ...c.labels },
        taints: gpuPoolTaints(c),
        guestAccelerators: [gpuAccelerator(c, driver)],
        locationPolicy: 'ANY',
        nodeLocations: gpuPoolZones(args, c),
      });
    }
    this.gpuPools = gpuPools;

    if (args.daskPool) {
      const dask = { ...DASK_POOL_DEFAULTS, ...args.daskPool };
      const taints: gcp.types.input.container.NodePoolNodeConfigTaint[] = [{ key: DASK_POOL_TAINT.key, value: DASK_POOL_TAINT.value, effect: gkeTaintEffect(DASK_POOL_TAINT.effect) }];
      if (dask.spot) taints.push({ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NO_SCHEDULE' });
      this.daskPool = poolCommon('dask', {
        machineType: dask.machineType, spot: dask.spot, min: dask.minNodes, max: dask.maxNodes, diskSizeGb: 100, labels: {}, locationPolicy: 'ANY', taints,
      });
    }
    const pools = [this.systemPool, ...Object.values(gpuPools), ...(this.daskPool ? [this.daskPool] : [])];
    this.nodePoolNames = pulumi.all(pools.map((p) => p.name));

    this.kubeconfig = pulumi.secret(pulumi.all([this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth])
      .apply(([n, endpoint, auth]) => gkeKubeconfig(`gke_${project}_${args.location}_${n}`, endpoint, auth.clusterCaCertificate ?? '')));
    this.provider = new k8s.Provider(name, { kubeconfig: this.kubeconfig }, { ...parent, dependsOn: [this.systemPool] });

    const rwx = args.rwxStorage ?? {};
    const storageClass = new k8s.storage.v1.StorageClass(`${name}-rwx`, {
      metadata: { name: rwx.storageClassName ?? 'mlscale-rwx', labels: { 'app.kubernetes.io/managed-by': 'mlscale' } },
      provisioner: FILESTORE_CSI_PROVISIONER,
      parameters: { tier: rwx.tier ?? 'standard', network: args.network ?? 'default' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Retain',
    }, { ...parent, provider: this.provider });
    this.storageClassName = storageClass.metadata.name;

    const bucketArgs = args.artifactBucket ?? {};
    const bucketName = artifactBucketNameOf(args);
    const bucket = new gcp.storage.Bucket(`${name}-artifacts`, {
      project,
      name: bucketName,
      location: (bucketArgs.location ?? regionOf(args.location)).toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      labels: { ...MANAGED_BY_LABELS },
    }, parent);
    // one Google service account per namespace, bound to the bucket for its own prefix only
    const namespaceAccounts: Record<string, gcp.serviceaccount.Account> = {};
    for (const ns of [...new Set((bucketArgs.workloadServiceAccounts ?? []).map((k) => k.split('/')[0]))].sort()) {
      const account = new gcp.serviceaccount.Account(`${name}-artifacts-${ns}`, {
        project, accountId: `${clusterName}-${ns}`, displayName: `Artifacts of ${ns} on ${clusterName} (mlscale)`,
      }, parent);
      new gcp.storage.BucketIAMMember(`${name}-artifacts-${ns}-objects`, {
        bucket: bucket.name, role: 'roles/storage.objectAdmin', member: pulumi.interpolate`serviceAccount:${account.email}`,
        condition: { title: `${ns}/ only`, description: `mlscale: ${ns} reads and writes ${bucketName}/${ns}/ only`, expression: prefixCondition(bucketName, ns) },
      }, parent);
      namespaceAccounts[ns] = account;
    }
    for (const ksa of bucketArgs.workloadServiceAccounts ?? []) {
      const [ns, sa] = ksa.split('/');
      new gcp.serviceaccount.IAMMember(`${name}-wi-${ns}-${sa}`, {
        serviceAccountId: namespaceAccounts[ns].name,
        role: 'roles/iam.workloadIdentityUser',
        member: `serviceAccount:${project}.svc.id.goog[${ns}/${sa}]`,
      }, { ...parent, dependsOn: [this.cluster] });
    }
    this.artifactBucketName = bucket.name;
    this.artifactServiceAccounts = pulumi.all(Object.fromEntries(Object.entries(namespaceAccounts).map(([ns, a]) => [ns, a.email])));
    this.nodeServiceAccountEmail = nodeSa.email;

    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      clusterName: this.clusterName,
      nodePoolNames: this.nodePoolNames,
      storageClassName: this.storageClassName,
      artifactBucketName: this.artifactBucketName,
      artifactServiceAccounts: this.artifactServiceAccounts,
      nodeServiceAccountEmail: this.nodeServiceAccountEmail,
    });
  }
}
