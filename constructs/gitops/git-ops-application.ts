import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { LABEL_KUEUE_QUEUE } from '../core/constants';
import { MlscaleApp } from '../core/app';
import { Problems } from '../core/errors';
import { renderCharts } from '../core/render';
import { recommendedLabels } from '../core/labels';
import { checkName } from '../core/names';
import { Application, AppProject } from '../imports/argo-cd-argoproj.io';
import type { ApplicationSpec, AppProjectSpec } from '../imports/argo-cd-argoproj.io';
import type { Plain } from '../core/cr-spec';
import { ADDON_FACTS } from '../cluster/addon-facts';
import { ClusterModel } from '../cluster/cluster-model';
import { kindsOf } from '../cluster/environment';
import { Externals } from '../cluster/externals';
import { kindEntry } from '../upstream/store';
import { ClusterProfile } from '../core/gpu';
import { infrastructureAddons } from '../platform/infrastructure';
import {
  ADDON_CATALOG, AddonName, AddonSpec, MANIFEST_ADDONS, ManifestAddon, helmAddonRepoURL, manifestAddonFileNames, manifestAddonRepoURL, manifestAddonRevision, mergeValues,
} from '../platform/addons';
import {
  ADDON_SYNC_OPTIONS, ANNOTATION_SYNC_OPTIONS, ANNOTATION_SYNC_WAVE, ARGOCD_NAMESPACE, CHART_SYNC_OPTIONS, CLUSTER_SCOPED_KINDS, RECREATE_ON_CHANGE, RECREATE_SYNC_OPTIONS,
  DEFAULT_PROJECT, FINALIZER_CASCADE, IN_CLUSTER, KUEUE_MANAGED_FIELDS, SYNC_RETRY,
} from './constants';
import { byCodeUnit } from '../core';

/** Automated sync of the generated Applications. */
export interface AutoSyncOptions {
  /**
   * Delete resources that were removed from git.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Revert changes made in the cluster by hand (drift) to what git says.
   * @default true
   */
  readonly selfHeal?: boolean;
}

/** Props of a GitOpsApplication. */
export interface GitOpsApplicationProps {
  /** Git URL of the platform repository that holds charts-out (https://…, ssh://… or git@…). */
  readonly repoURL: string;
  /**
   * Git revision Argo CD follows: a branch, tag or commit.
   * @default 'main'
   */
  readonly targetRevision?: string;
  /**
   * Folder of charts-out in the repository. An environment's Applications point at
   * `<chartsOutPath>/environments/<env>`.
   * @default 'charts-out'
   */
  readonly chartsOutPath?: string;
  /**
   * Name of the root Application (the app-of-apps) and of the charts project; prefixes the
   * names of the generated Applications.
   * @default 'mlscale', or 'mlscale-<env>' in an environment
   */
  readonly name?: string;
  /**
   * Namespace Argo CD runs in (where Applications and AppProjects live).
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
  /**
   * Cluster the charts and add-ons are deployed to, as registered in Argo CD.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;
  /**
   * Where the Helm add-ons come from (chart, version, values): the entries this construct may
   * install. Which of them it installs is derived (see `addons`).
   * @default ADDON_CATALOG
   */
  readonly catalog?: Readonly<Partial<Record<AddonName, AddonSpec>>>;
  /**
   * Helm add-ons to install although no chart uses their kinds (e.g. `jupyterhub`, which serves no
   * kind). The installed set is these, plus every catalog entry whose CRDs a chart of the app uses
   * (a Workflow needs `argo-workflows`), plus the infrastructure of the app's ClusterProfile
   * (on-prem: metrics-server, the GPU operator, NFS, MinIO, the autoscaler; on GKE nothing). An
   * add-on whose `clusters` lacks the profile's provider fails synth, and so does `argo-cd`:
   * Argo CD is bootstrapped (stacks/ GitOpsBootstrap, or `helm install`), never an Application of
   * itself, so it has one owner.
   * @default []
   */
  readonly addons?: readonly AddonName[];
  /**
   * The manifest add-ons to install as git-directory Applications (pinned upstream folders, e.g.
   * the Dask Gateway CRDs).
   * @default - the entries of MANIFEST_ADDONS whose kinds a chart of the app uses (a DaskGateway's
   * IngressRoutes need `dask-gateway-crds`)
   */
  readonly manifestAddons?: readonly ManifestAddon[];
  /**
   * Check the app with the cluster model at synth (ClusterModel.enable): the add-ons this
   * construct installs are what the model knows the environment serves.
   * @default true
   */
  readonly clusterModel?: boolean;
  /**
   * Automated sync, or `false` for manual sync (review every sync in the Argo CD UI).
   * @default { prune: true, selfHeal: true }
   */
  readonly autoSync?: AutoSyncOptions | false;
  /**
   * Sync wave of a chart's Application, by chart name, overriding the derived wave.
   * @default - charts with cluster-scoped objects (namespaces, queues) in the wave after the
   * add-ons, all other charts one wave later
   */
  readonly chartWaves?: Readonly<Record<string, number>>;
}

/** What Argo CD needs to know about one chart of the app. */
export interface ChartApplicationInfo {
  /** Chart name (its file without `.k8s.yaml`). */
  readonly chart: string;
  /** The chart's file, relative to the app's charts-out folder. */
  readonly file: string;
  /** Namespaces of its namespaced objects ('default' when an object names none). */
  readonly namespaces: readonly string[];
  /** Cluster-scoped kinds it contains, as `group/Kind`. */
  readonly clusterKinds: readonly string[];
  /** Sync wave of its Application. */
  readonly wave: number;
}

/**
 * The Argo CD side of an MlscaleApp, as a chart (`<name>.k8s.yaml` in charts-out; named
 * GitOpsApplication because it is the one Application you bootstrap, the app-of-apps):
 *
 * - the root Application (project `default`) in a chart of its own (`<id>-root.k8s.yaml`), which
 *   syncs this chart's file: the bootstrap (stacks/ GitOpsBootstrap, or `helm install` of the
 *   argo-cd catalog entry then `kubectl apply -f charts-out/gitops-argocd-root.k8s.yaml`) applies
 *   it once, and no Application syncs it, so every object has one owner;
 * - an AppProject for the charts (source: the platform repo only; destinations: the namespaces
 *   the charts use; cluster resources: the kinds they contain) and one for the add-ons;
 * - one Helm-source Application per add-on the app needs (see `addons`; pinned chart version), in the add-on's
 *   sync wave, and one Application per chart of the app (directory source including only the
 *   chart's file), in later waves: CRDs and operators first, then namespaces and queues, then
 *   workloads.
 *
 * Chart Applications are created at synth, so charts added after this construct are included.
 * In an environment app (`app.addEnvironment('prod')`) it points at that environment's folder.
 */
export class GitOpsApplication extends Chart {
  /** True for a GitOpsApplication (cdk8s makes `instanceof` true for every Chart subclass). */
  public static isGitOpsApplication(x: unknown): x is GitOpsApplication {
    return x !== null && typeof x === 'object' && GITOPS_BRAND in x;
  }

  /** The root Application (app-of-apps), in its own chart (`<id>-root.k8s.yaml`): what the bootstrap applies. */
  public readonly rootApplication: ApiObject;
  /** The chart of the root Application (the bootstrap file; no Application syncs it, so it has one owner). */
  public readonly rootChart: Chart;
  /** The project of the chart Applications. */
  public readonly project: ApiObject;
  /** The project of the add-on Applications. */
  public readonly addonsProject: ApiObject;
  private readonly helmAddonApplications: ApiObject[] = [];
  /** Folder of this app's charts in the repository. */
  public readonly sourcePath: string;
  /** Name of the root Application and of the charts project. */
  public readonly applicationName: string;

  private readonly app: MlscaleApp;
  private readonly repoURL: string;
  private readonly targetRevision: string;
  private readonly argoNamespace: string;
  private readonly destinationServer: string;
  private readonly syncPolicy: Record<string, unknown>;
  private readonly chartWaves: Readonly<Record<string, number>>;
  private readonly catalogEntries: readonly AddonSpec[];
  private readonly extraAddons: readonly AddonName[];
  private helm?: readonly AddonSpec[];
  private readonly manifestCandidates: readonly ManifestAddon[] | undefined;
  private manifests?: readonly ManifestAddon[];
  private docs?: Map<Chart, any[]>;
  private addonProblems?: Problems;
  private used?: ReadonlySet<string>;
  private readonly manifestApps: ApiObject[] = [];
  private infos?: ChartApplicationInfo[];
  private readonly chartApps: ApiObject[] = [];

  constructor(scope: Construct, id: string, props: GitOpsApplicationProps) {
    super(scope, id);
    Object.defineProperty(this, GITOPS_BRAND, { value: true });
    const app = this.node.root;
    this.catalogEntries = validate(this, props, app);
    this.extraAddons = props.addons ?? [];
    this.manifestCandidates = props.manifestAddons;
    this.app = app as MlscaleApp;
    if (props.clusterModel !== false) ClusterModel.enable(this.app);

    this.repoURL = props.repoURL;
    this.targetRevision = props.targetRevision ?? 'main';
    this.argoNamespace = props.argoNamespace ?? ARGOCD_NAMESPACE;
    this.destinationServer = props.destinationServer ?? IN_CLUSTER;
    const env = this.app.environmentName;
    this.applicationName = props.name ?? (env ? `mlscale-${env}` : 'mlscale');
    this.sourcePath = `${trimSlashes(props.chartsOutPath ?? 'charts-out')}${env ? `/${this.app.outputPrefix.replace(/\/$/, '')}` : ''}`;
    this.syncPolicy = syncPolicyOf(props.autoSync);
    this.chartWaves = props.chartWaves ?? {};

    this.rootChart = new Chart(scope, `${id}-root`);
    Object.defineProperty(this.rootChart, ROOT_BRAND, { value: true });
    this.rootApplication = this.application('root', this.applicationName, 'root', {
      project: DEFAULT_PROJECT,
      source: { repoURL: this.repoURL, targetRevision: this.targetRevision, path: this.sourcePath, directory: { include: this.app.chartFileName(this) } },
      destination: { server: IN_CLUSTER, namespace: this.argoNamespace },
      syncPolicy: { ...this.syncPolicy, retry: SYNC_RETRY },
      // deleting the root (the bootstrap's `pulumi destroy`) deletes its child Applications: the charts'
      // objects go with them (cascade finalizers); the add-ons' Applications carry none, so no CRD, and
      // with it every object of its kinds, is ever deleted by removing an Application
    }, undefined, [FINALIZER_CASCADE]);
    this.project = this.appProject('project', this.applicationName, {
      description: 'mlscale charts synthesized into charts-out/',
      sourceRepos: [this.repoURL],
      destinations: Lazy.any({ produce: () => this.chartDestinations() }),
      clusterResourceWhitelist: Lazy.any({ produce: () => this.clusterWhitelist() }),
    });
    this.addonsProject = this.appProject('addons-project', `${this.applicationName}-addons`, {
      description: 'mlscale add-ons (Helm charts of the add-on catalog, pinned upstream manifest folders)',
      sourceRepos: Lazy.any({ produce: () => [...new Set([...this.helmAddons().map(helmAddonRepoURL), ...this.manifestAddons().map(manifestAddonRepoURL)])].sort() }),
      destinations: Lazy.any({
        produce: () => [...new Set([...this.helmAddons(), ...this.manifestAddons()].map((a) => a.namespace))].sort().map((namespace) => ({ server: this.destinationServer, namespace })),
      }),
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    });

    this.app.addSynthHook(() => this.addChartApplications());
  }

  /** The add-on Applications: Helm add-ons in install order, then manifest add-ons (those are created at synth). */
  public get addonApplications(): readonly ApiObject[] {
    return [...this.helmAddonApplications, ...this.manifestApps];
  }

  /** The chart Applications (created at synth, after every chart was added). */
  public get chartApplications(): readonly ApiObject[] {
    return [...this.chartApps];
  }

  /** What each chart's Application was derived from (available after the synth hooks ran). */
  public get charts(): readonly ChartApplicationInfo[] {
    return this.infos ?? [];
  }

  /** Sync waves: known once the manifest add-ons are (at synth). */
  private get waves(): { project: number; foundation: number; workloads: number } {
    return wavesOf([...this.helmAddons(), ...this.manifestAddons()]);
  }

  /** The documents of the app's charts but the GitOps ones, resolved once at synth (toJson resolves every token). */
  private chartDocs(): ReadonlyMap<Chart, any[]> {
    // the sync-options annotations first, so the charts are serialized once, as synth writes them
    if (!this.docs) this.recreateOnChange();
    if (!this.docs) this.docs = renderCharts(this.app.charts.filter((c) => !isGitOpsChart(c)));
    return this.docs;
  }

  /** The upstream projects whose CRD kinds the app's charts use. */
  private usedProjects(): ReadonlySet<string> {
    if (this.used) return this.used;
    const used = new Set<string>();
    for (const docs of this.chartDocs().values()) {
      for (const d of docs) {
        for (const k of kindsOf(d)) {
          const e = kindEntry(k.apiVersion, k.kind);
          if (e?.crd !== undefined) used.add(e.source);
        }
      }
    }
    this.used = used;
    return used;
  }

  /**
   * The Helm add-ons installed (decided at synth): the catalog entries whose CRDs a chart uses, the
   * profile's infrastructure (with the values it implies) and the `addons` asked for, in install order.
   */
  private helmAddons(): readonly AddonSpec[] {
    if (this.helm) return this.helm;
    const p = new Problems(this);
    const profile = ClusterProfile.of(this);
    const byName = new Map(this.catalogEntries.map((a) => [a.name, a]));
    const chosen = new Map<AddonName, AddonSpec>();
    const used = this.usedProjects();
    for (const a of this.catalogEntries) {
      if (a.name !== 'argo-cd' && ADDON_FACTS[a.name].crdProjects.some((proj) => used.has(proj))) chosen.set(a.name, a);
    }
    for (const infra of infrastructureAddons(profile)) {
      const a = byName.get(infra.name);
      if (p.check(a !== undefined, 'catalog', `has no entry for ${infra.name}, which the ClusterProfile's ${infra.field} calls for`, [...byName.keys()].sort(), `a catalog with ${infra.name}`)) {
        chosen.set(infra.name, { ...a!, values: mergeValues(a!.values, infra.values) });
      }
    }
    this.extraAddons.forEach((name, i) => {
      const a = byName.get(name);
      if (name === 'argo-cd') {
        p.add(`addons[${i}]`, 'is the Argo CD that syncs these Applications: it is bootstrapped (stacks/ GitOpsBootstrap or `helm install`), not an Application of itself (two owners)', name, 'any other add-on');
      } else if (p.check(a !== undefined, `addons[${i}]`, 'is not an entry of the catalog', name, `one of ${[...byName.keys()].sort().join(', ')}`)) {
        if (!chosen.has(name)) chosen.set(name, a!);
      }
    });
    for (const a of chosen.values()) {
      p.check(a.clusters.includes(profile.provider), `addons.${a.name}`, `does not belong on a ${profile.provider === 'gke' ? 'GKE' : 'on-prem'} cluster${PLACEMENT_WHY[a.name] ? ` (${PLACEMENT_WHY[a.name]})` : ''}`, a.name,
        `add-ons for ${profile.provider}: ${this.catalogEntries.filter((c) => c.clusters.includes(profile.provider) && c.name !== 'argo-cd').map((c) => c.name).sort().join(', ')}`);
    }
    // reported by the synth hook (a Lazy value of this chart may ask first, e.g. while another hook serializes charts)
    this.addonProblems = p;
    this.helm = [...chosen.values()].sort((a, b) => a.syncWave - b.syncWave || byCodeUnit(a.name, b.name));
    return this.helm;
  }

  /** The manifest add-ons: as given, or those whose CRD kinds a chart of the app uses (decided at synth). */
  private manifestAddons(): readonly ManifestAddon[] {
    if (!this.manifests) {
      const used = this.usedProjects();
      this.manifests = [...(this.manifestCandidates ?? Object.values(MANIFEST_ADDONS).filter((a) => used.has(a.project)))]
        .sort((a, b) => a.syncWave - b.syncWave || (a.name < b.name ? -1 : 1));
    }
    return this.manifests;
  }

  private addChartApplications(): void {
    if (this.infos) return;
    const helm = this.helmAddons();
    this.addonProblems?.throwIfAny();
    for (const a of helm) {
      this.helmAddonApplications.push(this.addonApplication(a));
      // what the add-ons' values make them use and nobody creates (e.g. MinIO's root credentials Secret)
      for (const e of ADDON_FACTS[a.name].requires?.(a.values, a.namespace) ?? []) Externals.declare(this, e);
    }
    for (const a of this.manifestAddons()) this.manifestApps.push(this.manifestAddonApplication(a));
    this.infos = [...this.chartDocs().entries()]
      .map(([c, docs]) => this.chartInfo(c, docs))
      .filter((i): i is ChartApplicationInfo & { docs: any[] } => i !== undefined)
      .sort((a, b) => byCodeUnit(a.chart, b.chart))
      .map((info) => {
        this.chartApps.push(this.application(`chart-${info.chart}`, `${this.applicationName}-${info.chart}`, 'chart', {
          project: this.applicationName,
          source: { repoURL: this.repoURL, targetRevision: this.targetRevision, path: this.sourcePath, directory: { include: info.file } },
          destination: { server: this.destinationServer, ...(info.namespaces.length === 1 ? { namespace: info.namespaces[0] } : {}) },
          syncPolicy: { ...this.syncPolicy, syncOptions: CHART_SYNC_OPTIONS, retry: SYNC_RETRY },
          ...ignoreDifferencesOf(info.docs),
        }, info.wave, [FINALIZER_CASCADE]));
        const { docs: _docs, ...rest } = info;
        return rest;
      });
  }

  /**
   * Workloads whose edits the cluster refuses or ignores (RECREATE_ON_CHANGE) are replaced by force
   * when their spec in git changes: a commit re-runs them with the new spec instead of a failing sync.
   * Kueue's suspend flips are ignored differences, so they alone never trigger it.
   */
  private recreateOnChange(): void {
    if (this.recreated) return;
    this.recreated = true;
    for (const chart of this.app.charts.filter((c) => !isGitOpsChart(c))) {
      for (const obj of chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c))) {
        if (RECREATE_ON_CHANGE[groupKind(obj)] !== undefined && obj.metadata.toJson().annotations?.[ANNOTATION_SYNC_OPTIONS] === undefined) {
          obj.metadata.addAnnotation(ANNOTATION_SYNC_OPTIONS, RECREATE_SYNC_OPTIONS);
        }
      }
    }
  }

  private recreated = false;

  private chartInfo(chart: Chart, docs: any[]): (ChartApplicationInfo & { docs: any[] }) | undefined {
    if (docs.length === 0) return undefined;
    const file = this.app.chartFileName(chart);
    const name = file.replace(/\.k8s\.yaml$/, '');
    const clusterKinds = new Set<string>();
    const namespaces = new Set<string>();
    for (const d of docs) {
      const gk = groupKind(d);
      if (isClusterScoped(gk)) clusterKinds.add(gk);
      else namespaces.add(d.metadata?.namespace ?? 'default');
    }
    const derived = clusterKinds.size > 0 ? this.waves.foundation : this.waves.workloads;
    return { chart: name, file, namespaces: [...namespaces].sort(), clusterKinds: [...clusterKinds].sort(), wave: this.chartWaves[name] ?? derived, docs };
  }

  private chartDestinations(): unknown[] {
    const namespaces = new Set(this.charts.flatMap((i) => i.namespaces));
    return [...namespaces].sort().map((namespace) => ({ server: this.destinationServer, namespace }));
  }

  private clusterWhitelist(): unknown[] {
    const kinds = new Set(this.charts.flatMap((i) => i.clusterKinds));
    return [...kinds].sort().map((gk) => {
      const i = gk.lastIndexOf('/');
      return { group: gk.slice(0, i), kind: gk.slice(i + 1) };
    });
  }

  private addonApplication(a: AddonSpec): ApiObject {
    const values = Object.keys(a.values).length > 0 ? { valuesObject: a.values } : {};
    return this.application(`addon-${a.name}`, `${this.applicationName}-addon-${a.name}`, 'addon', {
      project: `${this.applicationName}-addons`,
      source: {
        ...helmSource(a),
        helm: { releaseName: a.name, ...values },
      },
      destination: { server: this.destinationServer, namespace: a.namespace },
      syncPolicy: {
        ...this.syncPolicy, syncOptions: ADDON_SYNC_OPTIONS, retry: SYNC_RETRY,
        ...(a.namespaceLabels ? { managedNamespaceMetadata: { labels: { ...a.namespaceLabels } } } : {}),
      },
    }, a.syncWave, undefined, a.appVersion);
  }

  private manifestAddonApplication(a: ManifestAddon): ApiObject {
    return this.application(`addon-${a.name}`, `${this.applicationName}-addon-${a.name}`, 'addon', {
      project: `${this.applicationName}-addons`,
      source: {
        repoURL: manifestAddonRepoURL(a), targetRevision: manifestAddonRevision(a), path: a.path,
        // directory: exactly the pinned files of the folder (Argo CD's glob syntax)
        ...(a.type === 'directory' ? { directory: { include: `{${manifestAddonFileNames(a).join(',')}}` } } : {}),
        ...(a.type === 'kustomize' && a.patches?.length ? { kustomize: { patches: a.patches.map((p) => ({ target: { ...p.target }, patch: p.patch })) } } : {}),
      },
      destination: { server: this.destinationServer, namespace: a.namespace },
      // server-side: CRDs this large overflow the last-applied annotation of client-side apply
      syncPolicy: { ...this.syncPolicy, syncOptions: ['ServerSideApply=true', ...(a.createNamespace ? ['CreateNamespace=true'] : [])], retry: SYNC_RETRY },
    }, a.syncWave, undefined, a.appVersion);
  }

  private application(id: string, name: string, component: string, spec: Plain<ApplicationSpec>, wave?: number, finalizers?: string[], version?: string): ApiObject {
    return new ApiObject(component === 'root' ? this.rootChart : this, id, {
      ...Application.GVK,
      metadata: {
        name,
        namespace: this.argoNamespace,
        labels: recommendedLabels({ name: 'argocd-application', instance: name, component, version }),
        ...(wave === undefined ? {} : { annotations: { [ANNOTATION_SYNC_WAVE]: String(wave) } }),
        ...(finalizers ? { finalizers } : {}),
      },
      spec,
    });
  }

  private appProject(id: string, name: string, spec: Plain<AppProjectSpec>): ApiObject {
    return new ApiObject(this, id, {
      ...AppProject.GVK,
      metadata: {
        name,
        namespace: this.argoNamespace,
        labels: recommendedLabels({ name: 'argocd-appproject', instance: name }),
        annotations: { [ANNOTATION_SYNC_WAVE]: Lazy.any({ produce: () => String(this.waves.project) }) },
      },
      spec,
    });
  }
}

const GITOPS_BRAND = Symbol.for('mlscale.GitOpsApplication');
const ROOT_BRAND = Symbol.for('mlscale.GitOpsApplication.root');

/** True for the charts of a GitOpsApplication (its own and its root chart): no Application syncs them as a chart. */
function isGitOpsChart(c: unknown): boolean {
  return GitOpsApplication.isGitOpsApplication(c) || (c !== null && typeof c === 'object' && ROOT_BRAND in c);
}

/** Why an add-on is refused on a cluster type (the facts behind `clusters` in the catalog). */
const PLACEMENT_WHY: Partial<Record<AddonName, string>> = {
  'nvidia-gpu-operator': 'GKE installs the GPU driver on its GPU nodes (gpuDriverInstallationConfig); the operator\'s driver daemon set would conflict with it',
  'metrics-server': 'GKE runs its own metrics-server in kube-system',
  'cluster-autoscaler': 'GKE autoscales node pools itself; this is the Cluster API autoscaler',
  'nfs-subdir-external-provisioner': 'GKE provides RWX volumes through Filestore (the stack\'s StorageClass)',
  'minio': 'GKE stores objects in GCS (the stack\'s artifact bucket)',
};
const PINNED_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Validates the props; returns the add-ons in install order. */
function validate(scope: Construct, props: GitOpsApplicationProps, app: unknown): AddonSpec[] {
  const p = new Problems(scope);
  p.check(app instanceof MlscaleApp, 'scope', 'is not in an MlscaleApp', (app as Construct).constructor.name,
    'a GitOpsApplication created in an MlscaleApp (or one of its environments), which synthesizes its chart Applications');
  p.check(/^(https:\/\/|ssh:\/\/|git@)\S+$/.test(props.repoURL), 'repoURL', 'is not a git URL', props.repoURL, 'https://…, ssh://… or git@host:org/repo.git');
  if (props.targetRevision !== undefined) {
    p.check(/^\S+$/.test(props.targetRevision), 'targetRevision', 'is not a git revision', props.targetRevision, 'a branch, tag or commit without spaces');
  }
  if (props.chartsOutPath !== undefined) {
    const segments = trimSlashes(props.chartsOutPath).split('/');
    p.check(!props.chartsOutPath.startsWith('/') && segments.every((s) => s !== '' && s !== '..' && s !== '.'), 'chartsOutPath', 'is not a relative folder of the repository', props.chartsOutPath, 'a path such as "charts-out" (no leading "/", no "." or ".." segments)');
  }
  if (props.name !== undefined) checkName(p, 'name', props.name);
  if (props.argoNamespace !== undefined) checkName(p, 'argoNamespace', props.argoNamespace);
  if (props.destinationServer !== undefined) {
    p.check(/^https:\/\/\S+$/.test(props.destinationServer), 'destinationServer', 'is not a cluster API URL', props.destinationServer, 'https://… as registered in Argo CD');
  }
  for (const [chart, wave] of Object.entries(props.chartWaves ?? {})) {
    p.check(Number.isInteger(wave), `chartWaves.${chart}`, 'is not a sync wave', wave, 'an integer');
  }
  const addons = Object.values(props.catalog ?? ADDON_CATALOG).filter((a): a is AddonSpec => a !== undefined)
    .sort((a, b) => a.syncWave - b.syncWave || byCodeUnit(a.name, b.name));
  for (const a of addons) {
    p.check(PINNED_VERSION.test(a.version), `catalog.${a.name}.version`, 'is not a pinned chart version', a.version, 'an exact SemVer version such as "1.2.3" (no range)');
    p.check(/^(https|oci):\/\/\S+$/.test(a.repository), `catalog.${a.name}.repository`, 'is not a Helm repository URL', a.repository, 'https://… or oci://…');
    p.check(Number.isInteger(a.syncWave), `catalog.${a.name}.syncWave`, 'is not a sync wave', a.syncWave, 'an integer');
  }
  p.throwIfAny();
  return addons;
}

function syncPolicyOf(autoSync: AutoSyncOptions | false | undefined): Record<string, unknown> {
  if (autoSync === false) return {};
  return { automated: { prune: autoSync?.prune ?? true, selfHeal: autoSync?.selfHeal ?? true } };
}

/** Projects first, then add-ons in their waves, then foundation charts, then workloads. */
function wavesOf(addons: ReadonlyArray<{ readonly syncWave: number }>): { project: number; foundation: number; workloads: number } {
  const waves = addons.map((a) => a.syncWave);
  const foundation = Math.max(0, ...waves) + 1;
  return { project: Math.min(0, ...waves) - 1, foundation, workloads: foundation + 1 };
}

/** `oci://reg/org` + chart → native OCI source (Argo CD ≥ 3.1); https → classic Helm repo source. */
function helmSource(a: AddonSpec): Plain<ApplicationSpec['source']> & { readonly repoURL: string } {
  return a.repository.startsWith('oci://')
    ? { repoURL: helmAddonRepoURL(a), path: '.', targetRevision: a.version }
    : { repoURL: a.repository, chart: a.chart, targetRevision: a.version };
}

/** `group/Kind` of a document (`/Namespace` for the core group). */
function groupKind(doc: { apiVersion?: string; kind?: string }): string {
  const apiVersion = doc.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return `${group}/${doc.kind}`;
}

function isClusterScoped(gk: string): boolean {
  const i = gk.lastIndexOf('/');
  return (CLUSTER_SCOPED_KINDS[gk.slice(0, i)] ?? []).includes(gk.slice(i + 1));
}

/** Ignore the suspend flag Kueue flips on queued workloads, so self-heal does not fight Kueue. */
function ignoreDifferencesOf(docs: any[]): Pick<Plain<ApplicationSpec>, 'ignoreDifferences'> {
  const kinds = new Set(docs.filter((d) => d.metadata?.labels?.[LABEL_KUEUE_QUEUE] !== undefined).map(groupKind)
    .filter((gk) => KUEUE_MANAGED_FIELDS[gk] !== undefined));
  if (kinds.size === 0) return {};
  return {
    ignoreDifferences: [...kinds].sort().map((gk) => {
      const i = gk.lastIndexOf('/');
      return { group: gk.slice(0, i), kind: gk.slice(i + 1), jsonPointers: [KUEUE_MANAGED_FIELDS[gk]] };
    }),
  };
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}
