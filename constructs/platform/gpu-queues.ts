import { Construct } from 'constructs';
import { ClusterProfile, GpuClass, GpuPlacement, LABEL_MANAGED_BY, MANAGED_BY, Problems , k8sObject } from '../core';
import { ResourceFlavorV1Beta2 } from '../imports/kueue-kueue.x-k8s.io';
import { CPU_FLAVOR } from './constants';

/** A Kueue ResourceFlavor of one GPU class. */
export interface GpuFlavor {
  /** The ResourceFlavor's name (the GPU class name). */
  readonly name: string;
  /** The GPU class it stands for. */
  readonly gpuClass: GpuClass;
  /** Node labels of the class's nodes (what workloads on this class select). */
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** Tolerations of the class's taints (what workloads on this class carry). */
  readonly tolerations: GpuPlacement['tolerations'];
}

/** Props of GpuQueues. */
export interface GpuQueuesProps {
  /**
   * The cluster whose GPU classes become flavors.
   * @default ClusterProfile.of(this)
   */
  readonly profile?: ClusterProfile;
}

/**
 * The cluster-wide Kueue ResourceFlavors, created once per cluster: an empty `cpu` flavor for CPU
 * and memory, and one flavor per GPU class of the ClusterProfile whose node labels are exactly the
 * node selector mlscale workloads on that class carry (so Kueue only assigns a class's quota to
 * pods that select it) and whose tolerations are those of the class's taint. Team ClusterQueues
 * (`TeamQueue`) set their quota per flavor: this is how GPU quota is enforced per GPU type.
 */
export class GpuQueues extends Construct {
  /** The ResourceFlavors of the GPU classes, in ClusterProfile order. */
  public readonly gpuFlavors: readonly GpuFlavor[];
  /** Name of the CPU/memory flavor. */
  public readonly cpuFlavor = CPU_FLAVOR;

  constructor(scope: Construct, id: string, props: GpuQueuesProps = {}) {
    super(scope, id);
    const problems = new Problems(this);
    const profile = props.profile ?? ClusterProfile.of(this);
    const flavors = gpuFlavorsOf(problems, profile);
    problems.throwIfAny();
    this.gpuFlavors = flavors;

    const labels = { [LABEL_MANAGED_BY]: MANAGED_BY };
    k8sObject(this, CPU_FLAVOR, ResourceFlavorV1Beta2, { metadata: { name: CPU_FLAVOR, labels } });
    for (const f of flavors) {
      k8sObject(this, f.name, ResourceFlavorV1Beta2, {
        metadata: { name: f.name, labels },
        spec: {
          nodeLabels: { ...f.nodeLabels },
          tolerations: f.tolerations.map((t) => ({ ...t })),
        },
      });
    }
  }
}

/** The flavor of each GPU class of `profile` (records a problem for a class named like the CPU flavor). */
export function gpuFlavorsOf(problems: Problems, profile: ClusterProfile): GpuFlavor[] {
  return profile.gpuClasses.flatMap((c, i) => {
    if (!problems.check(c.name !== CPU_FLAVOR, `gpuClasses[${i}].name`, 'clashes with the CPU flavor', c.name, `a class name other than "${CPU_FLAVOR}"`)) return [];
    const placement = profile.placeGpus(problems, `gpuClasses[${i}]`, 1, undefined, c.name);
    return placement ? [{ name: c.name, gpuClass: c, nodeLabels: placement.nodeSelector, tolerations: placement.tolerations }] : [];
  });
}
