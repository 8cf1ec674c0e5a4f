/**
 * One environment as the cluster model sees it: the documents that will be applied (with where
 * each comes from), the add-ons its Argo CD Applications install (with the values given to them),
 * and the namespaces it defines.
 */
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import type { MlscaleApp } from '../core/app';
import { loadManifests } from '../schema/validator';
import {
  AddonName, ManifestAddonName, helmAddonOfSource, manifestAddonOfSource, manifestAddonRevision,
} from '../platform/addons';
import { ADDON_FACTS, AddonFacts } from './addon-facts';
import { ExternalObject } from './externals';
import { DeclaredFlow } from './flows';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A document and where it comes from (a construct path at synth, `file#index` for a folder). */
export interface ModelDocument {
  readonly doc: Json;
  readonly origin: string;
}

/** An add-on the environment installs. */
export interface InstalledAddon {
  readonly name: AddonName | ManifestAddonName;
  /** The namespace it is installed into, and whether installing it creates that namespace. */
  readonly namespace: string;
  readonly createsNamespace: boolean;
  /**
   * The Argo CD that syncs the environment's Applications, assumed installed by the bootstrap
   * (Pulumi or `kubectl apply`) because no Application of the environment installs it.
   * @default false
   */
  readonly bootstrap?: boolean;
  readonly facts: AddonFacts;
  /** Helm values (Helm add-ons) or `{}`. */
  readonly values: Json;
  /** The Application that installs it. */
  readonly origin: string;
}

/** One environment. */
export interface ClusterEnvironment {
  /** `''` for the root app, else the environment name. */
  readonly name: string;
  readonly documents: readonly ModelDocument[];
  readonly addons: readonly InstalledAddon[];
  /** Objects declared external (Externals.declare). */
  readonly externals: readonly ExternalObject[];
  /** The flows its constructs declare (Flows.declare). */
  readonly flows?: readonly DeclaredFlow[];
  /** Add-ons installed at another version than the one whose facts the model has. */
  readonly versionMismatches: readonly VersionMismatch[];
}

/** An add-on Application pinned to a version the model has no facts for. */
export interface VersionMismatch {
  readonly origin: string;
  readonly name: string;
  readonly got: unknown;
  readonly known: string;
}

/** The documents of an app (root or environment), each with its construct path. */
export function documentsOfApp(app: MlscaleApp): ModelDocument[] {
  return app.charts.flatMap((chart) => chart.node.findAll().filter(ApiObject.isApiObject)
    .map((o) => ({ doc: o.toJson(), origin: o.node.path })));
}

/** The documents of a folder of manifests (every `.yaml` below it, `environments/` excluded). */
export function documentsOfFolder(dir: string, base = dir): ModelDocument[] {
  return loadManifests(dir)
    .filter((d) => !path.relative(dir, d.file).split(path.sep).includes('environments'))
    .map((d) => ({ doc: d.doc, origin: `${path.relative(base, d.file).split(path.sep).join('/')}#${d.index}` }));
}

/** The environment of a set of documents: its add-ons are those its Argo CD Applications install. */
export function environmentOf(name: string, documents: readonly ModelDocument[], externals: readonly ExternalObject[] = [], flows: readonly DeclaredFlow[] = []): ClusterEnvironment {
  const addons: InstalledAddon[] = [];
  const versionMismatches: VersionMismatch[] = [];
  for (const { doc, origin } of documents) {
    if (doc?.apiVersion !== 'argoproj.io/v1alpha1' || doc.kind !== 'Application') continue;
    const src = doc.spec?.source ?? {};
    const helm = helmAddonOfSource(src);
    const createNamespace = (doc.spec?.syncPolicy?.syncOptions ?? []).includes('CreateNamespace=true');
    const namespace = doc.spec?.destination?.namespace ?? 'default';
    if (helm && src.targetRevision !== helm.version) versionMismatches.push({ origin, name: helm.name, got: src.targetRevision, known: helm.version });
    if (helm) {
      addons.push({ name: helm.name, facts: ADDON_FACTS[helm.name], values: src.helm?.valuesObject ?? {}, origin, namespace, createsNamespace: createNamespace });
      continue;
    }
    const manifest = manifestAddonOfSource(src);
    if (manifest && src.targetRevision !== manifestAddonRevision(manifest)) {
      versionMismatches.push({ origin, name: manifest.name, got: src.targetRevision, known: manifestAddonRevision(manifest) });
    }
    if (manifest) {
      addons.push({
        name: manifest.name, facts: ADDON_FACTS[manifest.name], values: src.kustomize ?? {}, origin, namespace,
        createsNamespace: createNamespace || ADDON_FACTS[manifest.name].shipsNamespace === true,
      });
    }
  }
  // Applications are synced by an Argo CD that is already there (the bootstrap): it serves its own kinds
  const applications = documents.filter(({ doc }) => doc?.apiVersion === 'argoproj.io/v1alpha1' && doc.kind === 'Application');
  if (applications.length > 0 && !addons.some((a) => a.name === 'argo-cd')) {
    const first = applications[0];
    addons.push({
      name: 'argo-cd', facts: ADDON_FACTS['argo-cd'], values: {}, origin: first.origin,
      namespace: first.doc.metadata?.namespace ?? 'argocd', createsNamespace: true, bootstrap: true,
    });
  }
  return { name, documents, addons, externals, versionMismatches, flows };
}

/**
 * The apiVersion/kind pairs a document makes the cluster serve: its own, and those it makes an
 * operator create from an embedded object (a Katib Experiment's trial template).
 */
export function kindsOf(doc: Json): Array<{ apiVersion: string; kind: string; field: string }> {
  const out: Array<{ apiVersion: string; kind: string; field: string }> = [];
  if (typeof doc?.apiVersion === 'string' && typeof doc?.kind === 'string') out.push({ apiVersion: doc.apiVersion, kind: doc.kind, field: 'apiVersion/kind' });
  const trial = doc?.apiVersion === 'kubeflow.org/v1beta1' && doc?.kind === 'Experiment' ? doc.spec?.trialTemplate?.trialSpec : undefined;
  if (typeof trial?.apiVersion === 'string' && typeof trial?.kind === 'string') out.push({ apiVersion: trial.apiVersion, kind: trial.kind, field: 'spec.trialTemplate.trialSpec.apiVersion/kind' });
  return out;
}

/** The labels of the Namespaces an environment defines, by name. */
export function namespaceLabelsOf(documents: readonly ModelDocument[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const { doc } of documents) {
    if (doc?.apiVersion === 'v1' && doc.kind === 'Namespace' && typeof doc.metadata?.name === 'string') out.set(doc.metadata.name, doc.metadata.labels ?? {});
  }
  return out;
}

/** The Trainer runtimes an environment defines: `<namespace>/<name>` for TrainingRuntimes, `/<name>` for ClusterTrainingRuntimes. */
export function trainingRuntimesOf(documents: readonly ModelDocument[]): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const { doc } of documents) {
    if (!doc?.apiVersion?.startsWith('trainer.kubeflow.org/')) continue;
    if (doc.kind === 'TrainingRuntime') out.set(`${doc.metadata?.namespace ?? 'default'}/${doc.metadata?.name}`, doc);
    if (doc.kind === 'ClusterTrainingRuntime') out.set(`/${doc.metadata?.name}`, doc);
  }
  return out;
}
