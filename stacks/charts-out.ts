/**
 * Reading a synthesized charts-out folder from the stack: which add-ons its Argo CD Applications
 * install, its root Application (what the bootstrap applies), and the preview-time checks that the
 * folder was synthesized for this cluster (GPU node selectors, add-on placement, Cluster API).
 * The stack applies none of it but the root Application: Argo CD owns the rest.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ADDON_FACTS } from '../constructs/cluster/addon-facts';
import { DASK_POOL_TAINT, GKE_ACCELERATOR_LABEL, LABEL_GPU_CLASS, LABEL_POOL } from '../constructs/core/constants';
import { Problems } from '../constructs/core/errors';
import { ClusterProfile, ClusterProvider, GpuClass } from '../constructs/core/gpu';
import { AddonName, AddonSpec, ManifestAddonName, helmAddonOfSource, manifestAddonOfSource } from '../constructs/platform/addons';

/** The label value of the root Application (GitOpsApplication writes it to `<id>-root.k8s.yaml`). */
const ROOT_COMPONENT = 'root';

/** An add-on Application of the folder. */
export interface FolderAddon {
  /** Catalog or manifest add-on name. */
  readonly name: AddonName | ManifestAddonName;
  /** The Application's name. */
  readonly application: string;
  /** Helm release name (Helm add-ons). */
  readonly releaseName?: string;
  /** Destination namespace. */
  readonly namespace: string;
  /** Helm values of the Application (Helm add-ons), else `{}`. */
  readonly values: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The catalog entry (Helm add-ons). */
  readonly spec?: AddonSpec;
}

/** What the stack reads from a charts-out folder. */
export interface ChartsOutFolder {
  /** The folder. */
  readonly directory: string;
  /** Every `*.k8s.yaml` file, sorted, relative to the working directory. */
  readonly files: readonly string[];
  /** The documents of each file. */
  readonly documents: Readonly<Record<string, readonly any[]>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The root Application file (applied by the bootstrap), when present. */
  readonly rootFile?: string;
  /** The root Application document. */
  readonly rootApplication?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The add-ons its Applications install. */
  readonly addons: readonly FolderAddon[];
}

/** Chart files of a charts-out folder, sorted. */
export function chartFiles(directory: string): string[] {
  // Spread into an array of this realm: Pulumi serializes arrays by `instanceof Array` (matters under jest's vm contexts).
  return [...fs.readdirSync(directory)].filter((f) => f.endsWith('.k8s.yaml')).sort();
}

/** Reads a charts-out folder (an app's or an environment's: `charts-out/environments/<env>`). */
export function readGitOpsFolder(directory: string): ChartsOutFolder {
  const files = fs.existsSync(directory) ? chartFiles(directory).map((f) => path.join(directory, f)) : [];
  const documents: Record<string, any[]> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const f of files) documents[f] = parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()).filter((d) => d !== null);
  // the root Application's file: found by the root label, whatever the GitOpsApplication's id
  const rootFile = files.find((f) => documents[f].some((d) => d?.kind === 'Application' && d.metadata?.labels?.['app.kubernetes.io/component'] === ROOT_COMPONENT));
  const addons: FolderAddon[] = [];
  for (const docs of Object.values(documents)) {
    for (const d of docs) {
      if (d?.kind !== 'Application' || d.metadata?.labels?.['app.kubernetes.io/component'] !== 'addon') continue;
      const src = d.spec?.source ?? {};
      const spec = helmAddonOfSource(src);
      const manifest = manifestAddonOfSource(src);
      const name = spec?.name ?? manifest?.name;
      if (!name) continue;
      addons.push({
        name, application: d.metadata.name, releaseName: src.helm?.releaseName, namespace: d.spec?.destination?.namespace ?? 'default',
        values: src.helm?.valuesObject ?? {}, spec,
      });
    }
  }
  return { directory, files, documents, rootFile, rootApplication: rootFile ? documents[rootFile][0] : undefined, addons };
}

/**
 * The pod ports the control plane must reach for the add-ons of a folder (admission and conversion
 * webhooks, aggregated APIServices), from the add-on facts, plus Argo CD's (the bootstrap). Sorted.
 */
export function controlPlanePorts(folder: ChartsOutFolder): number[] {
  const names: Array<AddonName | ManifestAddonName> = ['argo-cd', ...folder.addons.map((a) => a.name)];
  return [...new Set(names.flatMap((n) => ADDON_FACTS[n].controlPlanePorts ?? []))].sort((a, b) => a - b);
}

/** What the checks of a folder need to know about the stack. */
export interface ChartsOutCheckArgs {
  /** Where the stack runs. */
  readonly clusterProvider: ClusterProvider;
  /** The GPU classes of the stack's node pools / node groups. */
  readonly gpuClasses: readonly GpuClass[];
  /**
   * On-prem: the cluster's machines are managed by Cluster API (so an autoscaler can add nodes).
   * @default false
   */
  readonly clusterApi?: boolean;
  /**
   * GKE: the stack has the Dask pool (`gke.daskPool`), which pods selecting `mlscale.io/pool=dask` need.
   * @default false
   */
  readonly daskPool?: boolean;
}

/**
 * Checks that a folder was synthesized for this cluster: it has chart files and the root
 * Application, every add-on it installs belongs on the cluster type, the autoscaler only where
 * Cluster API manages the machines, and every GPU node selector asks for a GPU the stack offers.
 */
export function checkChartsOutFolder(problems: Problems, field: string, folder: ChartsOutFolder, args: ChartsOutCheckArgs): void {
  if (!problems.check(folder.files.length > 0, field, 'has no *.k8s.yaml chart files', folder.directory, 'the output folder of `npm run synth` (an environment: charts-out/environments/<env>)')) return;
  const root = folder.rootApplication;
  problems.check(root !== undefined && folder.documents[folder.rootFile!].length === 1, `${field}/${folder.rootFile ? path.basename(folder.rootFile) : '<id>-root.k8s.yaml'}`,
    'is not one root Application', folder.rootFile ? folder.documents[folder.rootFile].map((d) => d.kind) : 'missing',
    'the file a GitOpsApplication writes beside its chart (`<id>-root.k8s.yaml`: exactly one Application, labelled app.kubernetes.io/component: root)');
  for (const a of folder.addons) {
    if (a.spec) {
      problems.check(a.spec.clusters.includes(args.clusterProvider), `${field}#Application/${a.application}`, `installs ${a.name}, which does not belong on a ${args.clusterProvider} cluster`,
        a.name, `a folder synthesized with a ClusterProfile for ${args.clusterProvider}`);
    }
    if (a.name === 'cluster-autoscaler') {
      problems.check(args.clusterApi === true, `${field}#Application/${a.application}`, 'installs the Cluster API autoscaler but the stack\'s cluster has no Cluster API',
        a.name, 'onprem.provisioner "cluster-api" (kubespray clusters cannot add machines: drop infrastructure.clusterApi from the ClusterProfile)');
    }
  }
  for (const file of folder.files) checkGpuSelectors(problems, file, [...folder.documents[file]], args.clusterProvider, args.gpuClasses, args.daskPool ?? false);
}

/**
 * Checks that every GPU node selector in the manifests asks for a GPU type (and class) one of
 * the cluster's GPU classes offers: the preview-time half of the one GPU contract (synth checks
 * the same against the cdk8s ClusterProfile).
 */
export function checkGpuSelectors(problems: Problems, file: string, docs: unknown[], provider: ClusterProvider, classes: readonly GpuClass[], daskPool = false): void {
  const typeLabel = provider === 'gke' ? GKE_ACCELERATOR_LABEL : ClusterProfile.onPrem().gpuTypeLabel;
  const types = [...new Set(classes.map((c) => c.type))].sort();
  const names = classes.map((c) => c.name).sort();
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => visit(n, `${where}[${i}]`));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      const at = `${where}.${key}`;
      if (key === 'nodeSelector' && typeof value === 'object' && value !== null) {
        const sel = value as Record<string, unknown>;
        if (provider === 'onprem') {
          problems.check(!(GKE_ACCELERATOR_LABEL in sel), `${at}["${GKE_ACCELERATOR_LABEL}"]`, 'selects a GKE node label but the stack targets onprem',
            sel[GKE_ACCELERATOR_LABEL], `manifests synthesized with ClusterProfile.onPrem() (GPU type label ${typeLabel})`);
        }
        if (typeLabel in sel) {
          problems.check((types as string[]).includes(sel[typeLabel] as string), `${at}["${typeLabel}"]`, 'is not offered by any GPU node pool of the stack',
            sel[typeLabel], types.length ? `one of ${types.join(', ')}` : 'a GPU class in the stack config');
        }
        if (sel[LABEL_POOL] === DASK_POOL_TAINT.value) {
          // a ClusterProfile.gke({ daskPool: true }) app places CPU Dask workers on the stack's Dask pool
          problems.check(daskPool, `${at}["${LABEL_POOL}"]`, 'selects the Dask pool, which the stack does not create', sel[LABEL_POOL],
            'gke.daskPool in the stack config, or an app synthesized without daskPool in its ClusterProfile');
        }
        if (LABEL_GPU_CLASS in sel) {
          problems.check(names.includes(sel[LABEL_GPU_CLASS] as string), `${at}["${LABEL_GPU_CLASS}"]`, 'is not a GPU class of the stack',
            sel[LABEL_GPU_CLASS], names.length ? `one of ${names.join(', ')}` : 'a GPU class in the stack config');
        }
      } else {
        visit(value, at);
      }
    }
  };
  docs.forEach((d) => {
    const meta = (d as { kind?: string; metadata?: { name?: string } } | null);
    visit(d, `${file}#${meta?.kind ?? '?'}/${meta?.metadata?.name ?? '?'}`);
  });
}
