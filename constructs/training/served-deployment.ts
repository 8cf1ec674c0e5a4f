import { ApiObject, Chart } from 'cdk8s';
import { Flows } from '../cluster/flows';
import { IConstruct } from 'constructs';
import { Problems } from '../core/errors';
import { recommendedLabels, selectorLabels } from '../core/labels';
import { checkName } from '../core/names';
import { podsEgressPolicy } from '../core/egress-policy';
import { BuiltPodTemplate, ContainerOptions, ContainerPort, ResourceDefaults, WorkloadPodProps, k8sObject } from '../core/pod';
import type { AppPriorityClasses } from '../core/priority';
import { buildPodTemplate } from '../core/pod';
import { deploymentOf, disruptionBudgetOf, serviceOf } from '../core/deployment';
import * as k8s from '../imports/k8s';
import { SharedVolumeMount } from '../storage/shared-volume';

/** What a long-running service on a shared volume (TensorBoard, a model server) is made of. */
export interface ServedDeploymentOptions {
  readonly name: string;
  readonly namespace?: string;
  /** app.kubernetes.io/name. */
  readonly appName: string;
  readonly replicas: number;
  readonly container: ContainerOptions;
  readonly ports: readonly ContainerPort[];
  readonly mounts: readonly SharedVolumeMount[];
  readonly resourceDefaults: ResourceDefaults;
  /** The user's mounts, placement and env (mounted after `mounts`; env merged under the container's own). */
  readonly pod?: WorkloadPodProps;
  /** Which of the app's priority classes the pods get. */
  readonly priorityFor: keyof AppPriorityClasses;
  /** Who may connect (each gets an ingress rule and a declared flow). */
  readonly clients?: readonly ServiceClient[];
}

/**
 * A client of a service: a namespace (a `Team` is one: it has `namespace`), optionally narrowed to
 * pods with some labels. Anything with a `namespace` fits, so a Team or a KubeflowNotebook (its
 * `podLabels` are the notebook pod's) can be passed.
 */
export interface ServiceClient {
  /** The clients' namespace. */
  readonly namespace: string;
  /**
   * Labels of the client pods.
   * @default - every pod of the namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** The objects of a served Deployment. */
export interface ServedDeployment {
  readonly deployment: ApiObject;
  readonly service: ApiObject;
  readonly podDisruptionBudget: ApiObject;
  readonly pod: BuiltPodTemplate;
  /** The policy admitting the clients (when there are any). */
  readonly networkPolicy?: ApiObject;
}

/**
 * Builds a Deployment (mlscale pod defaults), a ClusterIP Service on `ports` and a
 * PodDisruptionBudget allowing one pod down at a time (so drains proceed, never all at once).
 * Throws the collected problems before creating anything.
 */
export function servedDeployment(scope: IConstruct, problems: Problems, o: ServedDeploymentOptions): ServedDeployment {
  problems.check(Number.isInteger(o.replicas) && o.replicas >= 1 && o.replicas <= 100, 'replicas', 'must be a whole number ≥ 1', o.replicas, 'an integer from 1 to 100');
  const labels = recommendedLabels({ name: o.appName, instance: o.name });
  const selector = selectorLabels({ name: o.appName, instance: o.name });
  const pod = buildPodTemplate(scope, problems, 'pod', {
    namespace: o.namespace,
    labels,
    mounts: [...o.mounts, ...(o.pod?.mounts ?? [])],
    placement: o.pod?.placement,
    priorityFor: o.priorityFor,
    resourceDefaults: o.resourceDefaults,
    containers: [{ ...o.container, env: { ...(o.pod?.env ?? {}), ...(o.container.env ?? {}) }, ports: o.ports }],
  });
  (o.clients ?? []).forEach((c, i) => checkName(problems, `clients[${i}].namespace`, c.namespace));
  problems.throwIfAny();
  const metadata = { name: o.name, namespace: o.namespace, labels };
  const clients = o.clients ?? [];
  const ns = o.namespace ?? Chart.of(scope).namespace ?? 'default';
  for (const c of clients) {
    for (const p of o.ports) {
      Flows.declare(scope, {
        from: { namespace: c.namespace, labels: { ...(c.podLabels ?? {}) }, name: `clients of ${o.name}` },
        to: { namespace: ns, labels: selector, name: o.name }, port: p.port, why: `declared client of ${o.appName} ${o.name} (${p.name})`,
      });
    }
  }
  const networkPolicy = clients.length === 0 ? undefined : k8sObject(scope, 'ClientsPolicy', k8s.KubeNetworkPolicy, {
    metadata: { name: `${o.name}-clients`, namespace: o.namespace, labels },
    spec: {
      podSelector: { matchLabels: selector }, policyTypes: ['Ingress'],
      ingress: [{
        from: clients.map((c) => ({
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.namespace } },
          podSelector: { matchLabels: { ...(c.podLabels ?? {}) } },
        })),
        ports: o.ports.map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p.port) })),
      }],
    },
  });
  // the clients' side: their namespaces deny egress by default too
  clients.forEach((c, i) => podsEgressPolicy(scope, `ClientEgress${i}`, {
    name: `to-${o.name}`, namespace: c.namespace, labels, podLabels: c.podLabels ?? {}, to: { namespace: ns, podLabels: selector }, ports: o.ports.map((p) => p.port),
  }));
  return {
    networkPolicy,
    pod,
    deployment: deploymentOf(scope, 'Deployment', { ...metadata, selector, replicas: o.replicas, template: pod.template }),
    service: serviceOf(scope, 'Service', { ...metadata, selector, ports: o.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name })) }),
    podDisruptionBudget: disruptionBudgetOf(scope, 'PodDisruptionBudget', { ...metadata, selector }),
  };
}
