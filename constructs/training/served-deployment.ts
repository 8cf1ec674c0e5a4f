import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Problems } from '../core/errors';
import { recommendedLabels, selectorLabels } from '../core/labels';
import { checkName } from '../core/names';
import { BuiltPodTemplate, ContainerOptions, ContainerPort, ResourceDefaults } from '../core/pod';
import { buildPodTemplate } from '../core/pod';
import * as k8s from '../imports/k8s';
import { SharedVolumeMount, mountVolumes } from '../storage/shared-volume';

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
}

/** The objects of a served Deployment. */
export interface ServedDeployment {
  readonly deployment: ApiObject;
  readonly service: ApiObject;
  readonly podDisruptionBudget: ApiObject;
  readonly pod: BuiltPodTemplate;
}

/**
 * Builds a Deployment (mlscale pod defaults), a ClusterIP Service on `ports` and a
 * PodDisruptionBudget allowing one pod down at a time (so drains proceed, never all at once).
 * Throws the collected problems before creating anything.
 */
export function servedDeployment(scope: IConstruct, problems: Problems, o: ServedDeploymentOptions): ServedDeployment {
  checkName(problems, 'name', o.name);
  problems.check(Number.isInteger(o.replicas) && o.replicas >= 1 && o.replicas <= 100, 'replicas', 'must be a whole number ≥ 1', o.replicas, 'an integer from 1 to 100');
  const labels = recommendedLabels({ name: o.appName, instance: o.name });
  const selector = selectorLabels({ name: o.appName, instance: o.name });
  const pod = buildPodTemplate(scope, problems, 'pod', {
    labels,
    volumes: mountVolumes(o.mounts),
    resourceDefaults: o.resourceDefaults,
    containers: [{ ...o.container, ports: o.ports, volumeMounts: o.mounts.map((m) => m.volumeMount) }],
  });
  problems.throwIfAny();
  const metadata = { name: o.name, namespace: o.namespace, labels };
  return {
    pod,
    deployment: new k8s.KubeDeployment(scope, 'Deployment', {
      metadata,
      spec: { replicas: o.replicas, selector: { matchLabels: selector }, template: pod.template },
    }),
    service: new k8s.KubeService(scope, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: o.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' })),
      },
    }),
    podDisruptionBudget: new k8s.KubePodDisruptionBudget(scope, 'PodDisruptionBudget', {
      metadata,
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    }),
  };
}
