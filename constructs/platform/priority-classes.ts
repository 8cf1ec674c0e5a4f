import { Construct } from 'constructs';
import { IPriorityClass, MANAGED_BY, LABEL_MANAGED_BY, Problems, registerPriorityClasses , k8sObject } from '../core';
import * as k8s from '../imports/k8s';
import { WorkloadPriorityClassV1Beta2 } from '../imports/kueue-kueue.x-k8s.io';
import { PRIORITY_BATCH, PRIORITY_INTERACTIVE, PRIORITY_SERVICE } from './constants';

/** Priority values of the platform's classes (higher is scheduled first and may preempt lower). */
export interface PriorityValues {
  /**
   * Long-running services (gateways, TensorBoard, model servers).
   * @default 100000
   */
  readonly service?: number;
  /**
   * Interactive work a person waits on (notebooks, interactive Dask clusters).
   * @default 10000
   */
  readonly interactive?: number;
  /**
   * Batch work (training, pipelines, sweeps). Never preempts other pods.
   * @default 1000
   */
  readonly batch?: number;
}

/** Props of PriorityClasses. */
export interface PriorityClassesProps {
  /**
   * The priority values.
   * @default - service 100000, interactive 10000, batch 1000
   */
  readonly values?: PriorityValues;
}

/** The largest value a user-defined PriorityClass may have (higher is reserved for system classes). */
const MAX_USER_PRIORITY = 1_000_000_000;

/**
 * The cluster's priority classes, created once per cluster: Kubernetes PriorityClasses
 * (scheduling.k8s.io/v1) for pod scheduling and preemption, and Kueue WorkloadPriorityClasses of
 * the same names and values for queue ordering (interactive before batch). Pods name them with
 * `priorityClassName`; Kueue workloads with the label `kueue.x-k8s.io/priority-class`.
 * Training pods (PyTorchJob, TfJob, TorchDistributedRuntime, sweeps' trials) of an app with
 * PriorityClasses get the batch class unless they name one.
 */
export class PriorityClasses extends Construct {
  /** Name of the interactive class (both kinds). */
  public readonly interactive = PRIORITY_INTERACTIVE;
  /** Name of the batch class (both kinds). */
  public readonly batch = PRIORITY_BATCH;
  /** Name of the service PriorityClass (Kubernetes only: services are not queued). */
  public readonly service = PRIORITY_SERVICE;
  /** The resolved values. */
  public readonly values: Required<PriorityValues>;
  /** The batch class, for a workload's `priorityClass`. */
  public readonly batchClass: IPriorityClass = { priorityClassName: PRIORITY_BATCH };
  /** The interactive class, for a workload's `priorityClass`. */
  public readonly interactiveClass: IPriorityClass = { priorityClassName: PRIORITY_INTERACTIVE };
  /** The service class, for a workload's `priorityClass`. */
  public readonly serviceClass: IPriorityClass = { priorityClassName: PRIORITY_SERVICE };

  constructor(scope: Construct, id: string, props: PriorityClassesProps = {}) {
    super(scope, id);
    const problems = new Problems(this);
    const values = { service: 100000, interactive: 10000, batch: 1000, ...props.values };
    for (const [k, v] of Object.entries(values)) {
      problems.check(Number.isInteger(v) && v >= 0 && v <= MAX_USER_PRIORITY, `values.${k}`, 'is out of range', v, `an integer from 0 to ${MAX_USER_PRIORITY}`);
    }
    problems.check(!(values.batch >= values.interactive), 'values.batch', `must be below values.interactive (${values.interactive})`, values.batch,
      'batch < interactive');
    problems.check(registerPriorityClasses(this, { batch: PRIORITY_BATCH, interactive: PRIORITY_INTERACTIVE, service: PRIORITY_SERVICE }), 'id',
      'is a second PriorityClasses of the app', id, 'one PriorityClasses per app (the classes are cluster-wide)');
    problems.throwIfAny();
    this.values = values;

    const labels = { [LABEL_MANAGED_BY]: MANAGED_BY };
    const classes: Array<[string, number, string, boolean]> = [
      [PRIORITY_SERVICE, values.service, 'Long-running platform services (gateways, TensorBoard, model servers).', false],
      [PRIORITY_INTERACTIVE, values.interactive, 'Interactive work a person waits on (notebooks, interactive Dask clusters).', false],
      [PRIORITY_BATCH, values.batch, 'Batch work (training, pipelines, sweeps); waits instead of preempting.', true],
    ];
    for (const [name, value, description, neverPreempt] of classes) {
      new k8s.KubePriorityClass(this, name, {
        metadata: { name, labels },
        value,
        description,
        globalDefault: false,
        preemptionPolicy: neverPreempt ? 'Never' : 'PreemptLowerPriority',
      });
      if (name !== PRIORITY_SERVICE) {
        k8sObject(this, `${name}-workload`, WorkloadPriorityClassV1Beta2, { metadata: { name, labels }, value, description });
      }
    }
  }
}
