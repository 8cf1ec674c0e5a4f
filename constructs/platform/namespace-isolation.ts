import { Construct } from 'constructs';
import { Flows } from '../cluster/flows';
import { Problems } from '../core/errors';
import { checkName } from '../core/names';
import * as k8s from '../imports/k8s';
import { KUBE_DNS_LABEL, NAMESPACE_NAME_LABEL } from './constants';
import { k8sObject } from '../core';

/** Props of NamespaceIsolation. */
export interface NamespaceIsolationProps {
  /** The namespace. */
  readonly namespace: string;
  /**
   * Let every pod resolve names (cluster DNS, kube-system k8s-app=kube-dns, UDP/TCP 53).
   * @default true
   */
  readonly dns?: boolean;
}

/**
 * The isolation every namespace that runs pods gets: a default deny of ingress and egress for all
 * its pods (and cluster DNS). Flows on top are allowed by their own policies. `Team` namespaces get
 * theirs from TeamNetworkPolicy; use this for the others (platform jobs, inference services).
 */
export class NamespaceIsolation extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceIsolationProps) {
    super(scope, id);
    const problems = new Problems(this);
    checkName(problems, 'namespace', props.namespace);
    problems.throwIfAny();
    k8sObject(this, 'default-deny', k8s.KubeNetworkPolicy, {
      metadata: { name: 'default-deny', namespace: props.namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    if (props.dns === false) return;
    k8sObject(this, 'allow-dns', k8s.KubeNetworkPolicy, {
      metadata: { name: 'allow-dns', namespace: props.namespace },
      spec: {
        podSelector: {}, policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { ...KUBE_DNS_LABEL } } }],
          ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
        }],
      },
    });
    Flows.declare(this, {
      from: { namespace: props.namespace, labels: {}, name: 'every pod' }, to: { namespace: 'kube-system', labels: { ...KUBE_DNS_LABEL }, name: 'cluster DNS' },
      port: 53, protocol: 'UDP', why: 'name resolution',
    });
  }
}
