import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems, checkLabelValue, checkName, k8sObject } from '../core';
import * as k8s from '../imports/k8s';

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
 * A PodDisruptionBudget for a long-running service (gateway, TensorBoard, model server):
 * voluntary disruptions (node drains, autoscaler scale-down) take down at most one pod at a
 * time (`maxUnavailable: 1`): a replicated service keeps serving, and a single-replica service
 * never blocks a drain (a `minAvailable: 1` budget on one replica would wedge node upgrades).
 * `unhealthyPodEvictionPolicy: AlwaysAllow` keeps a crash-looping pod from blocking drains.
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

    this.apiObject = k8sObject(this, 'Resource', k8s.KubePodDisruptionBudget, {
      metadata: { name, namespace: props.namespace },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
