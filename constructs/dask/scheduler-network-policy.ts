import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { k8sObject } from '../core/pod';

/** Who may reach a Dask scheduler, and on which ports. */
export interface SchedulerPeer {
  /**
   * Namespace of the peer pods (selected by `kubernetes.io/metadata.name`).
   * @default - the scheduler's own namespace
   */
  readonly namespace?: string;
  /**
   * Labels of the peer pods.
   * @default - every pod of `namespace`
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** TCP ports the peer may reach. */
  readonly ports: readonly number[];
}

/** Inputs of a scheduler NetworkPolicy. */
export interface SchedulerNetworkPolicyOptions {
  /** Name of the NetworkPolicy. */
  readonly name: string;
  /** Namespace of the scheduler pods. */
  readonly namespace?: string;
  /** Labels that select the scheduler pods. */
  readonly schedulerLabels: Readonly<Record<string, string>>;
  /** The only peers allowed in; every other ingress to the scheduler pods is denied. */
  readonly peers: readonly SchedulerPeer[];
  /** Labels of the NetworkPolicy object. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The Kubernetes label every namespace carries with its own name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * A NetworkPolicy that selects the scheduler pods of a Dask cluster and admits only the given
 * peers on the given ports (one ingress rule per peer, in the order given).
 */
export function schedulerNetworkPolicy(scope: Construct, id: string, o: SchedulerNetworkPolicyOptions): ApiObject {
  return k8sObject(scope, id, k8s.KubeNetworkPolicy, {
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels ? { ...o.labels } : undefined },
    spec: {
      podSelector: { matchLabels: { ...o.schedulerLabels } },
      policyTypes: ['Ingress'],
      ingress: o.peers.map((p) => ({
        from: [{
          namespaceSelector: p.namespace !== undefined ? { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } } : undefined,
          podSelector: p.podLabels !== undefined || p.namespace === undefined ? { matchLabels: { ...(p.podLabels ?? {}) } } : undefined,
        }],
        ports: p.ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
      })),
    },
  });
}
