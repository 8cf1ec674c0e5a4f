import { Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';

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
