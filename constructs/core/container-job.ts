import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { LABEL_KUEUE_QUEUE } from './constants';
import { Problems } from './errors';
import { ILocalQueue, queueLabel } from './queue';
import { BuiltPodTemplate, ContainerOptions, PodTemplateOptions, buildPodTemplate, k8sObject } from './pod';
import { Workload, WorkloadProps } from './workload';

/** Failure handling of a batch workload; shared by jobs, notebook jobs and training jobs. */
export interface FailurePolicy {
  /**
   * Retries before the job is marked failed.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Wall-clock limit of the whole job.
   * @default Duration.hours(24)
   */
  readonly activeDeadline?: Duration;
  /**
   * How long a finished job (and its pods and logs) is kept before Kubernetes deletes it.
   * Leave it unset for objects delivered by GitOps: Argo CD self-heal re-creates (and so
   * re-runs) a job that its TTL deleted. Without a TTL a finished job stays until it is removed
   * from git, and Argo CD prunes it.
   * @default - no TTL: kept until removed from git
   */
  readonly ttlAfterFinished?: Duration;
}

/** Validated failure policy, in seconds. */
export interface ResolvedFailurePolicy {
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  readonly ttlSecondsAfterFinished?: number;
}

/** Validates a failure policy and fills in the documented defaults. */
export function resolveFailurePolicy(problems: Problems, field: string, f: FailurePolicy = {}): ResolvedFailurePolicy {
  const backoffLimit = f.backoffLimit ?? 2;
  problems.check(Number.isInteger(backoffLimit) && backoffLimit >= 0 && backoffLimit <= 100, `${field}backoffLimit`, 'is out of range', backoffLimit, 'an integer from 0 to 100');
  // Durations are read in milliseconds: Duration.toSeconds() throws on fractions of a second
  const deadline = (f.activeDeadline ?? Duration.hours(24)).toMilliseconds() / 1000;
  problems.check(Number.isInteger(deadline) && deadline >= 1, `${field}activeDeadline`, 'must be a whole number of seconds ≥ 1', deadline, 'a whole number of seconds ≥ 1');
  const ttl = f.ttlAfterFinished === undefined ? undefined : f.ttlAfterFinished.toMilliseconds() / 1000;
  if (ttl !== undefined) {
    problems.check(Number.isInteger(ttl) && ttl >= 0, `${field}ttlAfterFinished`, 'must be a whole number of seconds ≥ 0', ttl, 'a whole number of seconds ≥ 0');
  }
  return { backoffLimit, activeDeadlineSeconds: deadline, ttlSecondsAfterFinished: ttl };
}

/** Props of a ContainerJob. */
export interface ContainerJobProps extends FailurePolicy, WorkloadProps, Omit<PodTemplateOptions, 'containers' | 'restartPolicy' | 'namespace'> {
  /** The main container (its name defaults to `main`). */
  readonly container: Omit<ContainerOptions, 'name'> & { readonly name?: string };
  /**
   * Extra containers (sidecars).
   * @default - none
   */
  readonly sidecars?: readonly ContainerOptions[];
  /**
   * Restart policy of the pods.
   * @default 'Never' (a failed pod is replaced, up to backoffLimit)
   */
  readonly restartPolicy?: 'Never' | 'OnFailure';
  /**
   * Kueue LocalQueue to submit the job to (the job starts suspended until admitted).
   * @default - not queued
   */
  readonly queue?: ILocalQueue;
  /**
   * app.kubernetes.io/name of the job and its pods.
   * @default 'job'
   */
  readonly appName?: string;
  /**
   * Extra labels on the Job.
   * @default - none
   */
  readonly jobLabels?: Readonly<Record<string, string>>;
}

/**
 * A batch Job with mlscale's defaults: pinned image, requests and limits, Pod Security
 * `restricted`, GPU placement from the ClusterProfile, retries, a deadline and a TTL.
 * Other constructs (notebook jobs, Dask jobs) build on it.
 */
export class ContainerJob extends Workload {
  /** The underlying Job (escape hatch: `job.apiObject.addJsonPatch(...)`). */
  public readonly apiObject: ApiObject;
  /** The pod template that was built. */
  public readonly pod: BuiltPodTemplate;

  constructor(scope: Construct, id: string, props: ContainerJobProps) {
    super(scope, id, props, { appName: props.appName ?? 'job' });
    const { problems, name, namespace } = this;
    const failure = resolveFailurePolicy(problems, '', props);
    const queue = queueLabel(this, problems, 'queue', props.queue, namespace);
    const labels = this.labels();
    this.pod = buildPodTemplate(this, problems, 'pod', {
      ...props,
      namespace,
      labels: { ...labels, ...(props.labels ?? {}) },
      restartPolicy: props.restartPolicy ?? 'Never',
      containers: [{ ...props.container, name: props.container.name ?? 'main' }, ...(props.sidecars ?? [])],
    });
    problems.throwIfAny();

    this.apiObject = k8sObject(this, 'Resource', k8s.KubeJob, {
      metadata: {
        name,
        namespace,
        labels: { ...labels, ...(props.jobLabels ?? {}), ...(queue ? { [LABEL_KUEUE_QUEUE]: queue } : {}) },
      },
      spec: {
        backoffLimit: failure.backoffLimit,
        activeDeadlineSeconds: failure.activeDeadlineSeconds,
        ttlSecondsAfterFinished: failure.ttlSecondsAfterFinished,
        suspend: queue ? true : undefined,
        template: this.pod.template,
      },
    });
  }
}
