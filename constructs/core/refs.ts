import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { ExternalKind } from '../cluster/externals';
import { Problems } from './errors';
import { checkName } from './names';

/**
 * A cdk8s-plus object (`kplus.Secret`, `kplus.ConfigMap`, `kplus.ServiceAccount`,
 * `kplus.PersistentVolumeClaim`), typed by the members a reference reads, so that any cdk8s-plus
 * version fits (tested with cdk8s-plus-27, the version mlscale names).
 */
export interface PlusResource {
  /** The object's kind (`Secret`, `ConfigMap`, ...). */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** Its metadata; only the namespace is read. */
  readonly metadata: { readonly namespace?: string };
}

/** A Secret a workload reads (a value never enters charts-out). */
export interface ISecret {
  readonly secretName: string;
  /** The Secret's namespace, when known (a pod reads Secrets of its own namespace only). */
  readonly secretNamespace?: string;
  /** @internal Imported by name: declared external. */
  readonly _imported?: boolean;
}

/** A Secret: a reference made with `SecretRef.fromName`, or a `kplus.Secret` of the app. */
export type SecretLike = ISecret | PlusResource;

/** One key of a Secret, e.g. as an environment value: `SecretRef.fromName('creds').key('token')` or `{ secret: plusSecret, key: 'token' }`. */
export interface SecretKey {
  readonly secret: SecretLike;
  readonly key: string;
  /**
   * The pod starts without the Secret or key.
   * @default false
   */
  readonly optional?: boolean;
}

/** A Secret not created by this app. */
export class SecretRef implements ISecret {
  /**
   * Imports an existing Secret by name. Where a construct uses it, it is declared external in
   * the namespace of that construct's pods, with the keys read from it, so charts-out/README.md
   * lists what to provide before syncing.
   */
  public static fromName(name: string): SecretRef {
    return new SecretRef(name);
  }

  /** @internal */
  public readonly _imported = true;
  public readonly secretNamespace?: string = undefined;

  private constructor(public readonly secretName: string) {}

  /** A key of this Secret. */
  public key(key: string, options: { readonly optional?: boolean } = {}): SecretKey {
    return { secret: this, key, optional: options.optional };
  }
}

/** A ConfigMap a workload reads. */
export interface IConfigMap {
  readonly configMapName: string;
  readonly configMapNamespace?: string;
  /** @internal */
  readonly _imported?: boolean;
}

/** A ConfigMap: `ConfigMapRef.fromName` or a `kplus.ConfigMap` of the app. */
export type ConfigMapLike = IConfigMap | PlusResource;

/** One key of a ConfigMap, as an environment value. */
export interface ConfigMapKey {
  readonly configMap: ConfigMapLike;
  readonly key: string;
  /** @default false */
  readonly optional?: boolean;
}

/** A ConfigMap not created by this app. */
export class ConfigMapRef implements IConfigMap {
  /** Imports an existing ConfigMap by name (declared external where it is used). */
  public static fromName(name: string): ConfigMapRef {
    return new ConfigMapRef(name);
  }

  /** @internal */
  public readonly _imported = true;
  public readonly configMapNamespace?: string = undefined;

  private constructor(public readonly configMapName: string) {}

  /** A key of this ConfigMap. */
  public key(key: string, options: { readonly optional?: boolean } = {}): ConfigMapKey {
    return { configMap: this, key, optional: options.optional };
  }
}

/** A ServiceAccount pods run as. */
export interface IServiceAccount {
  readonly serviceAccountName: string;
  readonly serviceAccountNamespace?: string;
  /** @internal */
  readonly _imported?: boolean;
}

/** A ServiceAccount: `ServiceAccountRef.fromName` or a `kplus.ServiceAccount` of the app. */
export type ServiceAccountLike = IServiceAccount | PlusResource;

/** A ServiceAccount not created by this app (e.g. one bound to a cloud identity by the platform team). */
export class ServiceAccountRef implements IServiceAccount {
  /** Imports an existing ServiceAccount by name (declared external in the namespace of the pods using it). */
  public static fromName(name: string): ServiceAccountRef {
    return new ServiceAccountRef(name);
  }

  /** @internal */
  public readonly _imported = true;
  public readonly serviceAccountNamespace?: string = undefined;

  private constructor(public readonly serviceAccountName: string) {}
}

/** A reference as name, namespace (when known) and whether it is imported. */
export interface ResolvedRef {
  readonly name: string;
  readonly namespace?: string;
  readonly imported: boolean;
}

function isPlus(x: unknown): x is PlusResource {
  return typeof x === 'object' && x !== null && typeof (x as PlusResource).kind === 'string' && typeof (x as PlusResource).name === 'string';
}

const NAME_OF: Record<'Secret' | 'ConfigMap' | 'ServiceAccount', [string, string]> = {
  Secret: ['secretName', 'secretNamespace'],
  ConfigMap: ['configMapName', 'configMapNamespace'],
  ServiceAccount: ['serviceAccountName', 'serviceAccountNamespace'],
};

/** What a reference is used for: the externals list says it (an imported object). */
export interface RefUse {
  /** What uses it, e.g. "the environment variable TOKEN" (the reason then names the construct path). */
  readonly use?: string;
  /** The whole reason, instead of one made from `use`. */
  readonly reason?: string;
  /** Keys the object must have. */
  readonly keys?: readonly string[];
}

/** The name of a Secret key's Secret for a pod of `namespace` (imported: declared external with the key and `reason`). */
export function secretKeyName(scope: IConstruct, problems: Problems, field: string, sk: SecretKey, namespace: string | undefined, reason?: string): string {
  return resolveRef(scope, problems, `${field}.secret`, 'Secret', sk?.secret, namespace, { use: 'a Secret key', reason, keys: sk?.key ? [sk.key] : [] })?.name ?? '';
}

/**
 * Resolves a reference used by a workload of `namespace` (`scope`'s chart namespace when unset):
 * records a problem under `field` for a wrong kind, a bad name or an object of another namespace,
 * and declares an imported object external in the workload's namespace (with `keys`).
 */
export function resolveRef(scope: IConstruct, problems: Problems, field: string, kind: 'Secret' | 'ConfigMap' | 'ServiceAccount',
  ref: unknown, namespace: string | undefined, use: RefUse): ResolvedRef | undefined {
  const [nameKey, nsKey] = NAME_OF[kind];
  let resolved: ResolvedRef | undefined;
  if (isPlus(ref)) {
    if (!problems.check(ref.kind === kind, field, `is a ${ref.kind}`, ref.name, `a ${kind}`)) return undefined;
    resolved = { name: ref.name, namespace: ref.metadata?.namespace, imported: false };
  } else if (typeof ref === 'object' && ref !== null && typeof (ref as Record<string, unknown>)[nameKey] === 'string') {
    const r = ref as Record<string, unknown>;
    resolved = { name: r[nameKey] as string, namespace: r[nsKey] as string | undefined, imported: r._imported === true };
  } else {
    problems.add(field, `is not a ${kind} reference`, typeof ref === 'string' ? ref : typeof ref,
      `${kind}Ref.fromName(...) or a cdk8s-plus ${kind} (names are not accepted: a typo would only show in the cluster)`);
    return undefined;
  }
  if (!checkName(problems, field, resolved.name, 253)) return undefined;
  const ns = namespace ?? Chart.of(scope).namespace;
  if (resolved.namespace !== undefined && ns !== undefined && !problems.check(resolved.namespace === ns, field,
    `is the ${kind} ${resolved.name} of namespace ${resolved.namespace}`, resolved.name, `a ${kind} of namespace ${ns} (pods read their own namespace's ${kind}s only)`)) return undefined;
  if (resolved.imported) {
    declareImported(scope, kind, resolved.name, ns ?? 'default', use.reason ?? `${use.use} (${scope.node.path}), imported with ${kind}Ref.fromName`, use.keys);
  }
  return { ...resolved, namespace: resolved.namespace ?? ns };
}

/**
 * Declares an object imported by name as external. Required lazily: the cluster package builds
 * on core, so core cannot import it at load time.
 */
export function declareImported(scope: IConstruct, kind: ExternalKind, name: string, namespace: string | undefined, reason: string, keys?: readonly string[]): void {
  const { Externals } = require('../cluster/externals') as typeof import('../cluster/externals');
  Externals.declare(scope, { kind, name, namespace, ...(keys?.length ? { keys } : {}), reason });
}
