/**
 * The add-on catalog: every upstream operator mlscale installs, described once (chart, version,
 * namespace, values) and used by both halves: Pulumi Helm releases (stacks/) and Argo CD
 * Helm-source Applications (GitOps). Versions match the operator versions pinned in
 * constructs/crds/SOURCES.md, so the CRDs the schema gate validates against are the ones installed.
 */

/** Names of the add-ons in the catalog. */
export type AddonName =
  | 'argo-workflows'
  | 'kubeflow-trainer'
  | 'kubeflow-training-operator'
  | 'dask-gateway'
  | 'dask-kubernetes-operator'
  | 'kueue'
  | 'argo-cd'
  | 'jupyterhub'
  | 'nfs-subdir-external-provisioner'
  | 'metrics-server'
  | 'nvidia-gpu-operator'
  | 'minio'
  | 'cluster-autoscaler';

/** One add-on: where its chart comes from and how it is installed. */
export interface AddonSpec {
  /** Catalog name. */
  readonly name: AddonName;
  /** Helm repository URL (https://… or oci://…). */
  readonly repository: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Pinned chart version (never a range). */
  readonly version: string;
  /** Version of the software the chart installs (what SOURCES.md pins). */
  readonly appVersion: string;
  /** Namespace the add-on is installed into. */
  readonly namespace: string;
  /** Helm values (no secret values: reference Secrets by name). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Argo CD sync wave: CRDs and operators (lower) before the workloads that use them. */
  readonly syncWave: number;
  /** True when the chart installs CRDs that charts-out objects depend on. */
  readonly installsCrds: boolean;
}

/**
 * The catalog, keyed by name. Entries are filled in and verified by the clusters issue
 * (stacks/); the GitOps side iterates over whatever is here.
 */
export const ADDON_CATALOG: Readonly<Partial<Record<AddonName, AddonSpec>>> = {};

/** The catalog entries, sorted by sync wave then name (the install order). */
export function addonsInInstallOrder(): AddonSpec[] {
  return (Object.values(ADDON_CATALOG) as AddonSpec[]).sort((a, b) => a.syncWave - b.syncWave || a.name.localeCompare(b.name));
}
