import { Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isDnsSubdomain } from './names';
import { declareImported } from './refs';

/** The priority classes an app creates (PriorityClasses registers them), by kind of work. */
export interface AppPriorityClasses {
  readonly batch: string;
  readonly interactive: string;
  readonly service: string;
}

const CLASSES = new WeakMap<IConstruct, AppPriorityClasses>();

/** Records the app's priority classes (called by PriorityClasses; one set per app). Returns false when the app has one already. */
export function registerPriorityClasses(scope: IConstruct, classes: AppPriorityClasses): boolean {
  const root = scope.node.root;
  if (CLASSES.has(root)) return false;
  CLASSES.set(root, classes);
  return true;
}

/** The app's priority classes, when it creates them. */
export function priorityClassesOf(scope: IConstruct): AppPriorityClasses | undefined {
  return CLASSES.get(scope.node.root);
}

/**
 * The `priorityClassName` of a pod doing `kind` work: `explicit` when given, else the app's class of
 * that kind, resolved at synth (so PriorityClasses may be created after the workload), else none.
 * Kueue orders queued workloads by it too when they carry no WorkloadPriorityClass label
 * (kueue v0.19.2 pkg/controller/jobframework/reconciler.go, ExtractPriority).
 */
export function podPriorityClass(scope: IConstruct, kind: keyof AppPriorityClasses, explicit?: string): string | undefined {
  if (explicit !== undefined) return explicit;
  return Lazy.any({ produce: () => priorityClassesOf(scope)?.[kind] }) as unknown as string;
}

/** The name of a typed priority class (checked; an imported one is declared external). */
export function priorityClassName(scope: IConstruct, problems: import('./errors').Problems, field: string, c: IPriorityClass | undefined): string | undefined {
  if (c === undefined) return undefined;
  if (!problems.check(isDnsSubdomain(c.priorityClassName), field, 'is not a valid PriorityClass name',
    c.priorityClassName, 'a DNS-1123 subdomain, e.g. "mlscale-batch"')) return undefined;
  if (c._imported) {
    declareImported(scope, 'PriorityClass', c.priorityClassName, undefined, `the PriorityClass of ${scope.node.path}, imported with PriorityClassRef.fromName`);
  }
  return c.priorityClassName;
}

/** A Kubernetes PriorityClass pods name: one of the app's `PriorityClasses`, or `PriorityClassRef.fromName`. */
export interface IPriorityClass {
  readonly priorityClassName: string;
  /** @internal Imported by name: declared external. */
  readonly _imported?: boolean;
}

/** A PriorityClass not created by this app. */
export class PriorityClassRef implements IPriorityClass {
  /** Imports an existing PriorityClass (listed with the externals to provide). */
  public static fromName(name: string): PriorityClassRef {
    return new PriorityClassRef(name);
  }

  /** @internal */
  public readonly _imported = true;

  private constructor(public readonly priorityClassName: string) {}
}
