import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems, checkLabelValue, checkName, disruptionBudgetOf } from '../core';

/** Props of a ServiceDisruptionBudget. */
export interface ServiceDisruptionBudgetProps {
  /**
   * Name of the PodDisruptionBudget.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the service.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Labels that select the service's pods (its selector labels). */
  readonly selector: Readonly<Record<string, string>>;
}

/**
 * A PodDisruptionBudget for a long-running service of your own (mlscale's services have theirs):
 * the budget of `disruptionBudgetOf`, at most one pod down at a time, crash-looping pods evictable.
 */
export class ServiceDisruptionBudget extends Construct {
  /** The PodDisruptionBudget (escape hatch). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceDisruptionBudgetProps) {
    super(scope, id);
    const problems = new Problems(this);
    const name = props.name ?? id;
    checkName(problems, 'name', name);
    if (props.namespace !== undefined) checkName(problems, 'namespace', props.namespace);
    problems.check(Object.keys(props.selector).length > 0, 'selector', 'must not be empty', props.selector, 'the labels of the service\'s pods');
    for (const [k, v] of Object.entries(props.selector)) checkLabelValue(problems, `selector.${k}`, v);
    problems.throwIfAny();

    this.apiObject = disruptionBudgetOf(this, 'Resource', { name, namespace: props.namespace, selector: props.selector });
  }
}
