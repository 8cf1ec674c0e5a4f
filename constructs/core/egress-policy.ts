import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { k8sObject } from './pod';

/** Inputs of an egress policy from some pods to pods of a (possibly other) namespace. */
export interface PodsEgressPolicyOptions {
  /** Name and namespace of the NetworkPolicy (the namespace of the source pods). */
  readonly name: string;
  readonly namespace?: string;
  /** Labels of the NetworkPolicy object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of the source pods (`{}`: every pod of the namespace). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The destination pods: their namespace (by `kubernetes.io/metadata.name`) and labels. */
  readonly to: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  /** TCP ports of the destination. */
  readonly ports: readonly number[];
}

/**
 * A NetworkPolicy that lets the source pods open TCP connections to the destination pods on the
 * given ports: the source side of a cross-namespace flow, where the source namespace denies egress.
 */
export function podsEgressPolicy(scope: Construct, id: string, o: PodsEgressPolicyOptions): k8s.KubeNetworkPolicy {
  return k8sObject(scope, id, k8s.KubeNetworkPolicy, {
    metadata: { name: o.name, namespace: o.namespace, labels: { ...o.labels } },
    spec: {
      podSelector: { matchLabels: { ...o.podLabels } }, policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': o.to.namespace } }, podSelector: { matchLabels: { ...o.to.podLabels } } }],
        ports: o.ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
      }],
    },
  });
}
