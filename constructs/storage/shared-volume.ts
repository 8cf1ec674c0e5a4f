import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Problems } from '../core/errors';
import { ClusterProfile } from '../core/gpu';
import { checkName } from '../core/names';
import { memoryBytes } from '../core/quantity';
import * as k8s from '../imports/k8s';
import { PlusResource, PodMount, Workload, k8sObject } from '../core';
import { Externals } from '../cluster/externals';

/** Props of a SharedVolume. */
export interface SharedVolumeProps {
  /**
   * PersistentVolumeClaim name (DNS label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the claim (pods mounting it must run in the same namespace).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Requested capacity. Filestore (GKE `standard-rwx`) provisions at least 1Ti.
   * @default '1Ti'
   */
  readonly size?: string;
  /**
   * StorageClass of the claim; it must support ReadWriteMany (NFS: Filestore CSI on GKE,
   * nfs-subdir-external-provisioner `nfs-client` on-prem).
   * @default - `ClusterProfile.of(this).rwxStorageClass`
   */
  readonly storageClass?: string;
}

/** Options of one mount of a SharedVolume. */
export interface SharedVolumeMountOptions {
  /**
   * Mount the volume read-only (readers such as TensorBoard and model servers).
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Sub-directory of the volume to mount.
   * @default - the volume root
   */
  readonly subPath?: string;
}

/** A SharedVolume mounted at one path: the pod volume and the container's volumeMount (the `mounts` every pod-making construct takes). */
export type SharedVolumeMount = PodMount;

/** A claim a workload can mount: a SharedVolume of the app, or one imported with `SharedVolume.fromClaimName`. */
export interface ISharedVolume {
  readonly claimName: string;
  readonly namespace?: string;
  /** This volume mounted at `path` (an absolute path). */
  mount(path: string, options?: SharedVolumeMountOptions): SharedVolumeMount;
}

/** A mount of `claimName` at `path`; problems (bad path or subPath) are thrown with `scope`'s path. */
function mountOf(scope: Construct, claimName: string, namespace: string | undefined, path: string, options: SharedVolumeMountOptions): SharedVolumeMount {
  const problems = new Problems(scope);
  problems.check(/^\/[^:]*$/.test(path) && path !== '/', 'mount.path', 'is not an absolute mount path', path, 'an absolute path other than "/", e.g. "/mnt/models"');
  if (options.subPath !== undefined) {
    problems.check(!options.subPath.startsWith('/') && !options.subPath.split('/').includes('..') && options.subPath.length > 0,
      'mount.subPath', 'is not a relative path inside the volume', options.subPath, 'a relative path without ".."');
  }
  problems.throwIfAny();
  return {
    volume: { name: claimName, persistentVolumeClaim: { claimName } },
    volumeMount: { name: claimName, mountPath: path, readOnly: options.readOnly ? true : undefined, subPath: options.subPath },
    claimNamespace: namespace,
  };
}

/** An existing PersistentVolumeClaim, not created by this app (declared external: provided before syncing). */
class ImportedSharedVolume extends Construct implements ISharedVolume {
  constructor(scope: Construct, id: string, public readonly namespace: string, public readonly claimName: string) {
    super(scope, id);
    Externals.declare(this, { kind: 'PersistentVolumeClaim', name: claimName, namespace, reason: `a volume imported with SharedVolume.fromClaimName (${this.node.path})` });
  }

  public mount(path: string, options: SharedVolumeMountOptions = {}): SharedVolumeMount {
    return mountOf(this, this.claimName, this.namespace, path, options);
  }
}

/**
 * A ReadWriteMany PersistentVolumeClaim (NFS) shared by training jobs (checkpoints, saved
 * models), TensorBoard (event files) and model servers (exported models). Mount it with
 * `volume.mount('/mnt/models', { readOnly: true })` and pass the mount to a construct's `mounts`.
 */
export class SharedVolume extends Workload implements ISharedVolume {
  /** Imports an existing claim of `namespace` (listed with the externals to provide; never created). */
  public static fromClaimName(scope: Construct, id: string, namespace: string, claimName: string): ISharedVolume {
    return new ImportedSharedVolume(scope, id, namespace, claimName);
  }

  /**
   * A claim the app creates with cdk8s-plus (`new kplus.PersistentVolumeClaim(...)`, typed
   * structurally: any cdk8s-plus version), to mount like a SharedVolume. Its namespace is the
   * claim's, else its chart's.
   */
  public static fromPersistentVolumeClaim(claim: PlusResource & IConstruct): ISharedVolume {
    const problems = new Problems(claim);
    problems.check(claim.kind === 'PersistentVolumeClaim', 'claim', `is a ${claim.kind}`, claim.name, 'a PersistentVolumeClaim');
    problems.throwIfAny();
    const namespace = claim.metadata.namespace ?? Chart.of(claim).namespace;
    return { claimName: claim.name, namespace, mount: (path, options = {}) => mountOf(claim as unknown as Construct, claim.name, namespace, path, options) };
  }

  /** The PersistentVolumeClaim's name. */
  public readonly claimName: string;
  /** The StorageClass the claim asks for. */
  public readonly storageClassName: string;
  /** The underlying PersistentVolumeClaim (escape hatch). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SharedVolumeProps = {}) {
    super(scope, id, props, { appName: 'shared-volume' });
    const { problems, name, namespace } = this;
    const size = props.size ?? '1Ti';
    problems.check(memoryBytes(size) !== undefined, 'size', 'is not a valid storage quantity', size, 'a quantity with a unit, e.g. "100Gi", "1Ti"');
    const storageClassName = props.storageClass ?? ClusterProfile.of(this).rwxStorageClass;
    checkName(problems, 'storageClass', storageClassName, 253);
    problems.throwIfAny();

    this.claimName = name;
    this.storageClassName = storageClassName;
    this.apiObject = k8sObject(this, 'Resource', k8s.KubePersistentVolumeClaim, {
      metadata: { name, namespace, labels: this.labels() },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(size) } },
      },
    });
  }

  /** This volume mounted at `path` (an absolute path). */
  public mount(path: string, options: SharedVolumeMountOptions = {}): SharedVolumeMount {
    return mountOf(this, this.claimName, this.namespace, path, options);
  }
}
