import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { k8sObject } from './pod';

/**
 * The one Deployment, Service and PodDisruptionBudget builder of mlscale's long-running services (the
 * Dask Gateway's servers, a DaskCluster's notebook, TensorBoard, model servers, ServiceDisruptionBudget).
 */

/** A Deployment of a built pod template, selected by `selector` (a subset of the template's labels). */
export function deploymentOf(scope: Construct, id: string, o: {
  readonly name: string; readonly namespace?: string; readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>; readonly replicas: number; readonly template: k8s.PodTemplateSpec;
  readonly recreate?: boolean;
  readonly annotations?: Readonly<Record<string, string>>;
}): ApiObject {
  return k8sObject(scope, id, k8s.KubeDeployment, {
    metadata: { name: o.name, namespace: o.namespace, labels: { ...o.labels }, ...(o.annotations ? { annotations: { ...o.annotations } } : {}) },
    spec: {
      replicas: o.replicas,
      strategy: o.recreate ? { type: 'Recreate' } : undefined,
      selector: { matchLabels: { ...o.selector } },
      template: o.template,
    },
  });
}

/** A ClusterIP Service in front of pods selected by `selector`. */
export function serviceOf(scope: Construct, id: string, o: {
  readonly name: string; readonly namespace?: string; readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>; readonly type?: string;
  readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number; readonly targetPort: number | string }>;
}): ApiObject {
  return k8sObject(scope, id, k8s.KubeService, {
    metadata: { name: o.name, namespace: o.namespace, labels: { ...o.labels } },
    spec: {
      type: o.type ?? 'ClusterIP',
      selector: { ...o.selector },
      ports: o.ports.map((p) => ({
        name: p.name, protocol: 'TCP', port: p.port,
        targetPort: typeof p.targetPort === 'number' ? k8s.IntOrString.fromNumber(p.targetPort) : k8s.IntOrString.fromString(p.targetPort),
      })),
    },
  });
}

/**
 * A PodDisruptionBudget of a long-running service: voluntary disruptions (node drains, autoscaler
 * scale-down) take down at most one pod at a time (`maxUnavailable: 1`), so a replicated service keeps
 * serving and a single replica never blocks a drain (`minAvailable: 1` on one replica would wedge node
 * upgrades); `unhealthyPodEvictionPolicy: AlwaysAllow` keeps a crash-looping pod from blocking drains
 * (Kubernetes 1.31 GA, policy/v1 PodDisruptionBudgetSpec).
 */
export function disruptionBudgetOf(scope: Construct, id: string, o: {
  readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>; readonly selector: Readonly<Record<string, string>>;
}): ApiObject {
  return k8sObject(scope, id, k8s.KubePodDisruptionBudget, {
    metadata: { name: o.name, namespace: o.namespace, ...(o.labels ? { labels: { ...o.labels } } : {}) },
    spec: { selector: { matchLabels: { ...o.selector } }, maxUnavailable: k8s.IntOrString.fromNumber(1), unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  });
}
