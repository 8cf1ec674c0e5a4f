import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from './errors';
import { recommendedLabels } from './labels';
import { checkName } from './names';

/** The name and namespace every workload construct takes. */
export interface WorkloadProps {
  /**
   * Name of the workload's main object (a DNS label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/** How a workload construct checks its name and namespace. */
export interface WorkloadOptions {
  /** `app.kubernetes.io/name` of the workload's objects. */
  readonly appName: string;
  /**
   * Longest name allowed (names that the operator extends with suffixes are shorter).
   * @default 63
   */
  readonly maxNameLength?: number;
  /**
   * A namespace must come from the props or the chart (the construct names objects after it, or
   * checks references against it).
   * @default false
   */
  readonly namespaceRequired?: boolean;
  /**
   * The namespace when the props set none (e.g. a notebook job's object store's).
   * @default - the chart's namespace
   */
  readonly defaultNamespace?: string;
}

/**
 * The shared beginning of every construct that makes a workload: its problems (reported with the
 * construct path), its name (the prop, else the id; checked), its namespace (the prop, else the
 * chart's; checked: the chart's is what cdk8s writes into objects that set none) and its
 * recommended labels. Subclasses collect further problems in `problems` and throw them once.
 */
export abstract class Workload extends Construct {
  /** The workload's name. */
  public readonly name: string;
  /** Its namespace: the prop, else the chart's; undefined when neither is set. */
  public readonly namespace?: string;
  /** Problems of this construct's props, thrown together (`problems.throwIfAny()`). */
  protected readonly problems: Problems;
  /** `app.kubernetes.io/name` of its objects. */
  protected readonly appName: string;

  protected constructor(scope: Construct, id: string, props: WorkloadProps, options: WorkloadOptions) {
    super(scope, id);
    this.problems = new Problems(this);
    this.appName = options.appName;
    this.name = props.name ?? id;
    checkName(this.problems, 'name', this.name, options.maxNameLength ?? 63);
    this.namespace = props.namespace ?? options.defaultNamespace ?? Chart.of(this).namespace;
    if (options.namespaceRequired) {
      this.problems.check(this.namespace !== undefined, 'namespace', 'is required', this.namespace, "a namespace, from the props or the chart's namespace");
    }
    if (props.namespace !== undefined) checkName(this.problems, 'namespace', props.namespace);
  }

  /** The recommended labels of the workload's objects (`component` for one part of it). */
  protected labels(component?: string): Record<string, string> {
    return recommendedLabels({ name: this.appName, instance: this.name, ...(component ? { component } : {}) });
  }
}
