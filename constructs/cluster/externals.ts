/**
 * Objects an environment uses but does not create, declared on purpose: the Secrets a platform
 * team provides (credentials never go to git), claims of volumes that already exist, storage
 * classes the cluster stack creates. The cluster model treats a reference to a declared external
 * as resolved; every external is listed in charts-out/README.md under "Provide before syncing"
 * (and in `externals.json` beside the charts, which `npm run check` reads).
 */
import { IConstruct } from 'constructs';
import { Artifacts, MlscaleApp } from '../core/app';
import { Problems } from '../core/errors';
import { checkName } from '../core/names';

/** Kinds that can be declared external. */
export type ExternalKind = 'Secret' | 'ConfigMap' | 'PersistentVolumeClaim' | 'ServiceAccount' | 'StorageClass' | 'PriorityClass' | 'Namespace' | 'LocalQueue'
  /** An object-store bucket (not a Kubernetes object: `name` is `<endpoint>/<bucket>`). */
  | 'Bucket';

/** Kinds without a namespace. */
const CLUSTER_SCOPED: readonly ExternalKind[] = ['StorageClass', 'PriorityClass', 'Namespace', 'Bucket'];

/** An object the environment expects to exist. */
export interface ExternalObject {
  readonly kind: ExternalKind;
  readonly name: string;
  /** Namespace (namespaced kinds). */
  readonly namespace?: string;
  /** Why it is not in charts-out, and who provides it. */
  readonly reason: string;
  /**
   * What it must contain (e.g. the keys of a Secret).
   * @default - nothing specific
   */
  readonly keys?: readonly string[];
}

/** The file of an app's externals, beside its charts. */
export const EXTERNALS_FILE = 'externals.json';

const DECLARED = new WeakMap<IConstruct, ExternalObject[]>();

/** Declares and lists the externals of an app (or environment). */
export class Externals {
  /**
   * Declares that `object` is provided outside charts-out, in the app (or environment) of `scope`.
   * Idempotent for the same kind/namespace/name (keys are merged).
   */
  public static declare(scope: IConstruct, object: ExternalObject): ExternalObject {
    const problems = new Problems(scope);
    if (object.kind === 'Bucket') problems.check(/^\S+$/.test(object.name), 'name', 'is not a bucket', object.name, '<endpoint>/<bucket>');
    else checkName(problems, 'name', object.name, object.kind === 'PersistentVolumeClaim' || object.kind === 'Secret' || object.kind === 'ConfigMap' ? 253 : 63);
    const scoped = CLUSTER_SCOPED.includes(object.kind);
    problems.check(scoped ? object.namespace === undefined : typeof object.namespace === 'string', 'namespace',
      scoped ? `must not be set for a ${object.kind}` : `is required for a ${object.kind}`, object.namespace, scoped ? 'no namespace' : 'the namespace the object lives in');
    if (object.namespace !== undefined) checkName(problems, 'namespace', object.namespace);
    problems.check(typeof object.reason === 'string' && object.reason.trim().length > 0, 'reason', 'must say why the object is not in charts-out and who provides it',
      object.reason, 'a non-empty reason');
    problems.throwIfAny();
    const root = scope.node.root;
    const app = root instanceof MlscaleApp ? root : undefined;
    let list = DECLARED.get(root);
    if (!list) {
      list = [];
      DECLARED.set(root, list);
      if (app) Artifacts.of(app).add(EXTERNALS_FILE, () => `${JSON.stringify(Externals.of(app), null, 2)}\n`);
    }
    const i = list.findIndex((e) => e.kind === object.kind && e.namespace === object.namespace && e.name === object.name);
    if (i >= 0) {
      const keys = [...new Set([...(list[i].keys ?? []), ...(object.keys ?? [])])].sort();
      list[i] = { ...list[i], ...(keys.length ? { keys } : {}) };
      return list[i];
    }
    const entry = { ...object, ...(object.keys ? { keys: [...object.keys].sort() } : {}) };
    list.push(entry);
    return entry;
  }

  /** The externals of the app of `scope`, sorted by kind, namespace, name. */
  public static of(scope: IConstruct): ExternalObject[] {
    return [...(DECLARED.get(scope.node.root) ?? [])].sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  }
}

function key(e: ExternalObject): string {
  return `${e.kind}/${e.namespace ?? ''}/${e.name}`;
}
