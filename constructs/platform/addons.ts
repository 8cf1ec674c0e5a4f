/**
 * The add-on catalog: every upstream operator mlscale installs, described once (chart, version,
 * namespace, values, the cluster types it belongs on). Argo CD installs them as Helm-source
 * Applications (GitOpsApplication); the one exception is `argo-cd` itself, which the bootstrap
 * installs (stacks/ GitOpsBootstrap, as a Pulumi Helm release of this entry). Versions match the operator versions pinned in
 * constructs/upstream/sources.ts, so the CRDs the schema gate validates against are the ones installed.
 */

import * as YAML from 'yaml';
import type { ClusterProvider } from '../core/gpu';
import { UPSTREAM_FILES, UPSTREAM_PROJECTS, UpstreamFile, UpstreamProjectId, upstreamUrl } from '../upstream/sources';
import { APPLICATION_HEALTH_LUA } from './argocd-health';
import { KustomizePatch, RESTRICTED_CONTAINER_SECURITY, katibPatches, trainingOperatorPatches } from './kubeflow-addons';
import { byCodeUnit } from '../core';

/** Names of the add-ons in the catalog. */
export type AddonName =
  | 'argo-workflows'
  | 'kubeflow-trainer'
  | 'kubeflow-training-operator'
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
  /**
   * The cluster types the add-on belongs on. GKE manages its own metrics-server, GPU drivers,
   * cluster autoscaler, RWX storage (Filestore) and object store (GCS), so those add-ons are
   * on-prem only; a GitOpsApplication refuses an add-on whose list lacks its ClusterProfile's provider.
   */
  readonly clusters: readonly ClusterProvider[];
  /**
   * Labels of the namespace Argo CD creates for the add-on (`syncPolicy.managedNamespaceMetadata`),
   * e.g. its Pod Security level.
   * @default - none (the cluster's default Pod Security level applies)
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * Where the chart/app version pairing was verified, and any deviation from the chart's own
   * appVersion (e.g. an image tag override). Documentation only.
   * @default - none
   */
  readonly notes?: string;
}

/** Sync waves: infrastructure and Argo CD first, then Kueue (its webhooks admit jobs), then the operators, then UIs. */
const WAVE_INFRA = -30;
const WAVE_QUEUEING = -20;
const WAVE_OPERATORS = -10;
const WAVE_UIS = 0;

/** The executor (`init`, `wait`) securityContext of the argo-workflows add-on: meets Pod Security `restricted`. */
export const ARGO_EXECUTOR_SECURITY_CONTEXT = { ...RESTRICTED_CONTAINER_SECURITY, runAsUser: 8737 } as const;
/** The executor resources of the argo-workflows add-on (team namespaces have quotas: every container needs them). */
export const ARGO_EXECUTOR_RESOURCES = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } } as const;

/**
 * The Kueue integrations mlscale enables: the kinds its constructs queue. The chart's default
 * Configuration (kubernetes-sigs/kueue v0.19.2 charts/kueue/values.yaml) leaves
 * `kubeflow.org/pytorchjob` and `kubeflow.org/tfjob` off, so queued PyTorchJobs would never be
 * admitted; it also turns on the `pod`, `deployment` and `statefulset` integrations, whose
 * fail-closed webhooks would reject pod creation in every managed namespace while Kueue is down.
 */
export const KUEUE_FRAMEWORKS: readonly string[] = ['batch/job', 'jobset.x-k8s.io/jobset', 'kubeflow.org/pytorchjob', 'kubeflow.org/tfjob', 'trainer.kubeflow.org/trainjob'];

/**
 * The Kueue manager Configuration (config.kueue.x-k8s.io/v1beta2). The chart takes it as one YAML
 * string and uses it whole, so the chart's other settings are restated (probe, metrics and webhook
 * ports, leader election, client rates): the Deployment's probes and Services expect them.
 */
export function kueueManagerConfig(): Record<string, unknown> {
  return {
    apiVersion: 'config.kueue.x-k8s.io/v1beta2',
    kind: 'Configuration',
    health: { healthProbeBindAddress: ':8081' },
    metrics: { bindAddress: ':8443' },
    webhook: { port: 9443 },
    leaderElection: { leaderElect: true, resourceName: 'c1f6bfd2.kueue.x-k8s.io' },
    controller: {
      groupKindConcurrency: {
        'Job.batch': 5, 'Pod': 5, 'Workload.kueue.x-k8s.io': 10, 'LocalQueue.kueue.x-k8s.io': 5, 'ClusterQueue.kueue.x-k8s.io': 5, 'ResourceFlavor.kueue.x-k8s.io': 1,
      },
    },
    clientConnection: { qps: 300, burst: 500 },
    integrations: { frameworks: [...KUEUE_FRAMEWORKS] },
  };
}


/**
 * The catalog, keyed by name. Chart versions are pinned to the chart release that ships the
 * operator version of constructs/upstream/sources.ts (see each entry's `notes` for the evidence).
 * The GitOps side iterates over whatever is here.
 *
 * `kubeflow-training-operator` (v1.9.4) has no entry: the Training Operator v1 ships no Helm
 * chart (kustomize only). Install it from {@link KUBEFLOW_TRAINING_OPERATOR_V1} instead, or use
 * Kubeflow Trainer v2 (`kubeflow-trainer`, which has a chart) for new work.
 */
export const ADDON_CATALOG: Readonly<Partial<Record<AddonName, AddonSpec>>> = {
  'argo-cd': {
    name: 'argo-cd', repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.3.3', appVersion: 'v3.5.1',
    namespace: 'argocd', syncWave: WAVE_INFRA, installsCrds: true, clusters: ['gke', 'onprem'],
    values: {
      crds: { install: true, keep: true },
      configs: {
        params: { 'server.insecure': false },
        // app-of-apps sync waves only gate when Argo CD assesses child Application health
        cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA },
      },
    },
    notes: 'argo-helm release argo-cd-10.3.3: "Update dependency argoproj/argo-cd to v3.5.1" (#4015).',
  },
  'argo-workflows': {
    name: 'argo-workflows', repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-workflows', version: '2.0.1', appVersion: 'v4.1.2',
    namespace: 'argo', syncWave: WAVE_OPERATORS, installsCrds: true, clusters: ['gke', 'onprem'],
    values: {
      crds: { install: true, keep: true }, images: { tag: 'v4.1.2' }, server: { authModes: ['client'] },
      // The executor's `init` and `wait` containers get their securityContext and resources only from the
      // controller config (argo-workflows v4.1.2 workflow/controller/workflowpod.go newExecContainer); without
      // them every workflow pod is rejected in a `restricted` namespace. argoexec runs as root unless a UID
      // is given (8737 is the UID of its -nonroot image).
      executor: { securityContext: ARGO_EXECUTOR_SECURITY_CONTEXT, resources: ARGO_EXECUTOR_RESOURCES },
    },
    notes: 'argo-helm release argo-workflows-2.0.1 ships v4.1.1 (#4020); no chart release for v4.1.2 was found, so '
      + 'images.tag pins the controller, server and executor to v4.1.2 (a patch release: same CRDs as SOURCES.md).',
  },
  'cluster-autoscaler': {
    name: 'cluster-autoscaler', repository: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.46.6', appVersion: 'v1.32.5',
    namespace: 'kube-system', syncWave: WAVE_INFRA, installsCrds: false, clusters: ['onprem'],
    values: {
      cloudProvider: 'clusterapi', clusterAPIMode: 'incluster-incluster', image: { tag: 'v1.32.5' },
      extraArgs: { 'expander': 'least-waste', 'balance-similar-node-groups': true, 'scale-down-unneeded-time': '10m' },
    },
    notes: 'On-prem only (GKE has its own autoscaler). The autoscaler minor must match Kubernetes 1.32: chart 9.46.x '
      + '(app 1.32.0) with image.tag v1.32.5 (promoted in kubernetes/k8s.io#8815). autoDiscovery.clusterName is set per stack.',
  },
  'dask-kubernetes-operator': {
    name: 'dask-kubernetes-operator', repository: 'https://helm.dask.org', chart: 'dask-kubernetes-operator', version: '2025.4.3', appVersion: '2025.4.3',
    namespace: 'dask-operator', syncWave: WAVE_OPERATORS, installsCrds: true, clusters: ['gke', 'onprem'], values: {},
    notes: 'helm.dask.org publishes dask-kubernetes-operator with chart version = release version (docs: `helm install --repo https://helm.dask.org dask-kubernetes-operator`).',
  },
  'jupyterhub': {
    name: 'jupyterhub', repository: 'https://hub.jupyter.org/helm-chart/', chart: 'jupyterhub', version: '4.3.3', appVersion: '5.4.4',
    namespace: 'jupyterhub', syncWave: WAVE_UIS, installsCrds: false, clusters: ['gke', 'onprem'],
    values: { proxy: { service: { type: 'ClusterIP' } }, hub: { networkPolicy: { enabled: true } } },
    notes: 'Chart 4.3.3 is the security release that bumps JupyterHub to 5.4.4. Optional: not in the default add-on set.',
  },
  'kubeflow-trainer': {
    name: 'kubeflow-trainer', repository: 'oci://ghcr.io/kubeflow/charts', chart: 'kubeflow-trainer', version: '2.3.0', appVersion: 'v2.3.0',
    namespace: 'kubeflow-system', syncWave: WAVE_OPERATORS, installsCrds: true, clusters: ['gke', 'onprem'],
    values: { runtimes: { defaultEnabled: true } },
    notes: 'kubeflow/trainer v2.3.0 release notes: `helm install kubeflow-trainer oci://ghcr.io/kubeflow/charts/kubeflow-trainer --version 2.3.0 '
      + '--set runtimes.defaultEnabled=true`. The chart bundles JobSet (v0.12.0 per go.mod).',
  },
  'kueue': {
    name: 'kueue', repository: 'oci://registry.k8s.io/kueue/charts', chart: 'kueue', version: '0.19.2', appVersion: 'v0.19.2',
    namespace: 'kueue-system', syncWave: WAVE_QUEUEING, installsCrds: true, clusters: ['gke', 'onprem'],
    values: { managerConfig: { controllerManagerConfigYaml: YAML.stringify(kueueManagerConfig()) } },
    notes: 'Kueue publishes its chart to registry.k8s.io with chart version = release version without the "v".',
  },
  'metrics-server': {
    name: 'metrics-server', repository: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.13.0', appVersion: 'v0.8.0',
    namespace: 'kube-system', syncWave: WAVE_INFRA, installsCrds: false, clusters: ['onprem'],
    values: { replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
    notes: 'On-prem only (GKE ships metrics-server).',
  },
  'minio': {
    name: 'minio', repository: 'https://charts.min.io/', chart: 'minio', version: '5.4.0', appVersion: 'RELEASE.2024-12-18T13-15-44Z',
    namespace: 'minio', syncWave: WAVE_INFRA, installsCrds: false, clusters: ['onprem'],
    // with the contexts below and no post-install Job (no users, buckets or policies) every MinIO pod meets `restricted`
    namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.32' },
    values: {
      mode: 'standalone', existingSecret: 'minio-root', persistence: { size: '100Gi' }, resources: { requests: { memory: '2Gi' } },
      // minio chart 5.4.0 values.yaml: `users` defaults to `console` / `console123` (made by a post-install Job,
      // the password in a ConfigMap): no user but root, whose credentials are the Secret's
      users: [],
      // the chart's contexts set only the UIDs (templates/statefulset.yaml, deployment.yaml pass them through):
      // add what Pod Security `restricted` requires
      securityContext: { enabled: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
    notes: 'On-prem object store (GKE uses a GCS bucket). Root credentials come from the Secret "minio-root" (keys rootUser, rootPassword), never from values; '
      + 'the chart defaults (distributed, 16 replicas, 16Gi, a console/console123 user) are overridden.',
  },
  'nfs-subdir-external-provisioner': {
    name: 'nfs-subdir-external-provisioner', repository: 'https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/',
    chart: 'nfs-subdir-external-provisioner', version: '4.0.18', appVersion: '4.0.2',
    namespace: 'nfs-provisioner', syncWave: WAVE_INFRA, installsCrds: false, clusters: ['onprem'],
    values: { storageClass: { name: 'nfs-client', archiveOnDelete: true, accessModes: 'ReadWriteMany', defaultClass: false } },
    notes: 'On-prem RWX storage (GKE uses Filestore). nfs.server and nfs.path are set per stack.',
  },
  'nvidia-gpu-operator': {
    name: 'nvidia-gpu-operator', repository: 'https://helm.ngc.nvidia.com/nvidia', chart: 'gpu-operator', version: 'v25.3.4', appVersion: 'v25.3.4',
    namespace: 'gpu-operator', syncWave: WAVE_INFRA, installsCrds: false, clusters: ['onprem'],
    values: { psa: { enabled: true }, driver: { enabled: true }, toolkit: { enabled: true }, devicePlugin: { enabled: true }, mig: { strategy: 'mixed' } },
    notes: 'On-prem only (GKE installs drivers via gpuDriverInstallationConfig). NVIDIA chart index: gpu-operator v25.3.4 / appVersion v25.3.4. '
      + 'Its namespace runs privileged driver daemons (psa.enabled labels it accordingly).',
  },
};

/** A kustomize-only add-on: applied from a pinned git ref rather than a Helm chart. */
export interface KustomizeAddon {
  /** Catalog name. */
  readonly name: AddonName;
  /** Remote kustomization (a pinned git ref), as `kustomize`/Pulumi `kustomize.v2.Directory` accept it. */
  readonly kustomization: string;
  /** Version of the software installed. */
  readonly appVersion: string;
  /** Namespace the kustomization installs into. */
  readonly namespace: string;
  /** Argo CD sync wave. */
  readonly syncWave: number;
}

/**
 * Kubeflow Training Operator v1.9.4 (PyTorchJob, TFJob, ...): kustomize only, no Helm chart.
 * v1.9.1–v1.9.4 live in kubeflow/trainer (branch release-1.9), see constructs/upstream/sources.ts.
 * Equivalent to `kubectl apply --server-side -k "github.com/kubeflow/trainer.git/manifests/overlays/standalone?ref=v1.9.4"`.
 */
export const KUBEFLOW_TRAINING_OPERATOR_V1: KustomizeAddon = {
  name: 'kubeflow-training-operator',
  kustomization: `https://github.com/${UPSTREAM_PROJECTS['kubeflow-training-operator'].repo}/tree/${UPSTREAM_PROJECTS['kubeflow-training-operator'].version}/manifests/overlays/standalone`,
  appVersion: UPSTREAM_PROJECTS['kubeflow-training-operator'].version,
  namespace: 'kubeflow',
  syncWave: WAVE_OPERATORS,
};

/** Names of the manifest add-ons. */
export type ManifestAddonName = 'dask-gateway-crds' | 'kubeflow-training-operator' | 'katib' | 'kubeflow-notebook-controller';

/**
 * An add-on applied by reference from a folder of plain manifests in its project's repository, at
 * the commit pinned in constructs/upstream/sources.ts: Argo CD syncs the folder (a git directory
 * source). Nothing of it is copied into charts-out.
 */
export interface ManifestAddon {
  /** Catalog name. */
  readonly name: ManifestAddonName;
  /** The pinned project (repository and commit) the manifests come from. */
  readonly project: UpstreamProjectId;
  /** Folder of the manifests in the repository. */
  readonly path: string;
  /**
   * `directory`: plain manifests (only the pinned files of the folder are applied);
   * `kustomize`: the folder is a kustomization, built with `patches`.
   */
  readonly type: 'directory' | 'kustomize';
  /**
   * Kustomize patches applied to the kustomization (Argo CD `spec.source.kustomize.patches`).
   * @default - none
   */
  readonly patches?: readonly KustomizePatch[];
  /**
   * Argo CD creates the destination namespace (when the manifests need it and no longer ship it).
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Destination namespace of the Argo CD Application. The manifests are cluster-scoped (CRDs);
   * this only has to be a namespace the add-ons project allows.
   */
  readonly namespace: string;
  /** Argo CD sync wave. */
  readonly syncWave: number;
  /** Version of the software the manifests belong to. */
  readonly appVersion: string;
}

/**
 * The manifest add-ons, keyed by name. `dask-gateway-crds`: the CRDs of a native `DaskGateway`
 * (gateway.dask.org DaskCluster and the Traefik CRDs the upstream chart bundles), from the chart's
 * crds/ folder. mlscale delivers the gateway itself as native manifests, so the upstream chart is
 * not installed (it would run a second gateway); only its CRDs are.
 */
export const MANIFEST_ADDONS: Readonly<Record<ManifestAddonName, ManifestAddon>> = {
  'dask-gateway-crds': {
    name: 'dask-gateway-crds', project: 'dask-gateway', path: 'resources/helm/dask-gateway/crds', type: 'directory',
    namespace: 'dask-gateway', syncWave: WAVE_OPERATORS, appVersion: UPSTREAM_PROJECTS['dask-gateway'].version,
  },
  // kubeflow/trainer v1.9.4 manifests/overlays/standalone (namespace kubeflow); no Helm chart exists
  'kubeflow-training-operator': {
    name: 'kubeflow-training-operator', project: 'kubeflow-training-operator', path: 'manifests/overlays/standalone', type: 'kustomize',
    patches: trainingOperatorPatches(), createNamespace: true,
    namespace: 'kubeflow', syncWave: WAVE_OPERATORS, appVersion: UPSTREAM_PROJECTS['kubeflow-training-operator'].version,
  },
  // kubeflow/katib v0.19.0 manifests/v1beta1/installs/katib-standalone (namespace kubeflow)
  'katib': {
    name: 'katib', project: 'katib', path: 'manifests/v1beta1/installs/katib-standalone', type: 'kustomize',
    patches: katibPatches(), createNamespace: true,
    namespace: 'kubeflow', syncWave: WAVE_OPERATORS, appVersion: UPSTREAM_PROJECTS.katib.version,
  },
  // kubeflow/notebooks v1.11.0 components/notebook-controller/config/overlays/standalone (USE_ISTIO=false)
  'kubeflow-notebook-controller': {
    name: 'kubeflow-notebook-controller', project: 'kubeflow-notebooks', path: 'components/notebook-controller/config/overlays/standalone', type: 'kustomize',
    namespace: 'notebook-controller-system', syncWave: WAVE_OPERATORS, appVersion: UPSTREAM_PROJECTS['kubeflow-notebooks'].version,
  },
};

/** Git URL of a manifest add-on's repository (what Argo CD clones). */
export function manifestAddonRepoURL(a: ManifestAddon): string {
  return `https://github.com/${UPSTREAM_PROJECTS[a.project].repo}.git`;
}

/** The repository URL of a Helm add-on's Argo CD source: `oci://reg/org/<chart>` (native OCI source), or the https Helm repository. */
export function helmAddonRepoURL(a: AddonSpec): string {
  return a.repository.startsWith('oci://') ? `${a.repository.replace(/\/$/, '')}/${a.chart}` : a.repository;
}

/** The catalog entry an Argo CD Application source installs (by repository, and chart for https repositories). */
export function helmAddonOfSource(src: { repoURL?: string; chart?: string }): AddonSpec | undefined {
  return (Object.values(ADDON_CATALOG) as AddonSpec[]).find((a) => src.repoURL === helmAddonRepoURL(a) && (a.repository.startsWith('oci://') || src.chart === a.chart));
}

/** The manifest add-on an Argo CD Application source installs (by repository and folder). */
export function manifestAddonOfSource(src: { repoURL?: string; path?: string }): ManifestAddon | undefined {
  return Object.values(MANIFEST_ADDONS).find((a) => src.repoURL === manifestAddonRepoURL(a) && src.path === a.path);
}

/** The pinned commit of a manifest add-on. */
export function manifestAddonRevision(a: ManifestAddon): string {
  return UPSTREAM_PROJECTS[a.project].commit;
}

/** The pinned URLs of a manifest add-on's files (the sources of its project under its folder). */
export function manifestAddonUrls(a: ManifestAddon): string[] {
  return manifestAddonFiles(a).map(upstreamUrl);
}

/** The file names, in the add-on's folder, of its pinned files (Argo CD syncs these, nothing else of the folder). */
export function manifestAddonFileNames(a: ManifestAddon): string[] {
  return manifestAddonFiles(a).map((f) => f.path.slice(a.path.length + 1));
}

function manifestAddonFiles(a: ManifestAddon): UpstreamFile[] {
  if (a.type !== 'directory') return [];
  return UPSTREAM_FILES.filter((f) => f.project === a.project && f.role === 'crd' && f.path.startsWith(`${a.path}/`));
}

/** The catalog entries, sorted by sync wave then name (the install order). */
export function addonsInInstallOrder(): AddonSpec[] {
  return (Object.values(ADDON_CATALOG) as AddonSpec[]).sort((a, b) => a.syncWave - b.syncWave || byCodeUnit(a.name, b.name));
}

type Values = Readonly<Record<string, unknown>>;

function isPlainObject(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merges Helm values: objects merge key by key; arrays and scalars of `override` replace. */
export function mergeValues(base: Values, override: Values): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeValues(out[k] as Values, v) : v;
  }
  return out;
}

/**
 * A copy of `catalog` whose `name` entry has `values` merged over its catalog values: how an app
 * feeds values it computes (e.g. JupyterHub profiles from `JupyterHubValues`) to the add-on's Argo CD
 * Application (GitOpsApplication `catalog`). The chart and version stay the catalog's.
 */
export function withAddonValues(
  catalog: Readonly<Partial<Record<AddonName, AddonSpec>>>, name: AddonName, values: Values,
): Readonly<Partial<Record<AddonName, AddonSpec>>> {
  const entry = catalog[name];
  if (!entry) throw new Error(`add-on ${JSON.stringify(name)} is not in the catalog; entries: ${Object.keys(catalog).sort().join(', ')}`);
  return { ...catalog, [name]: { ...entry, values: mergeValues(entry.values, values) } };
}
