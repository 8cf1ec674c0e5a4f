import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as dk from '../imports/dask-kubernetes-kubernetes.dask.org';
import * as k8s from '../imports/k8s';
import { Plain, WorkloadPodProps, embedded, Resources, buildPodTemplate } from '../core';
import {
  DaskClusterSpecOptions, OperatorDaskWorkload, buildDaskClusterSpec, daskPodLabels, metadataAndSpec, operatorSchedulerPolicy, schedulerServiceName,
} from './cluster-spec';
import { DASK_IMAGE } from './constants';

/** The job runner: a pod that runs once against the job's own cluster (DASK_SCHEDULER_ADDRESS is set). */
export interface DaskJobRunnerOptions extends WorkloadPodProps {
  /**
   * Runner image (pinned; same Dask version as the cluster).
   * @default - the cluster's `image`
   */
  readonly image?: string;
  /**
   * Command to run, e.g. `['python', '-m', 'etl.run']`. Exactly one of `command` and `script`.
   * @default - none
   */
  readonly command?: readonly string[];
  /**
   * Inline Python script, shipped in a ConfigMap and run with `python`. Exactly one of `command` and `script`.
   * @default - none
   */
  readonly script?: string;
  /**
   * Resources of the runner.
   * @default { cpu: 1, memory: '2Gi' }
   */
  readonly resources?: Resources;
}

/** Props of a DaskJob. */
export interface DaskJobProps extends DaskClusterSpecOptions {
  /**
   * Job name; the job's cluster has the same name.
   * @default - the construct id
   */
  readonly name?: string;
  /** What the job runs. */
  readonly job: DaskJobRunnerOptions;
  /**
   * Namespace of the dask-kubernetes operator.
   * @default DASK_OPERATOR_NAMESPACE ('dask-operator')
   */
  readonly operatorNamespace?: string;
}

/** Where an inline script is mounted. */
const SCRIPT_DIR = '/opt/mlscale/job';

/**
 * A DaskJob (kubernetes.dask.org/v1): the operator creates a cluster of the same name and a runner
 * pod (`<name>-runner`) that runs the command or script against it; when the runner succeeds or
 * fails, the operator deletes the cluster. Runner, scheduler and workers are PSS restricted, and
 * the scheduler admits only the job's own pods and the operator.
 */
export class DaskJob extends OperatorDaskWorkload {
  /** Name of the runner pod the operator creates. */
  public readonly runnerPodName: string;
  /** Name of the scheduler Service of the job's cluster. */
  public readonly schedulerServiceName: string;
  /** The DaskJob object (escape hatch). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: DaskJobProps) {
    super(scope, id, props);
    const { problems, name, namespace, operatorNamespace } = this;
    const j = props.job;
    const given = (['command', 'script'] as const).filter((k) => j[k] !== undefined);
    problems.check(given.length === 1, 'job', 'must set exactly one of command and script', given, 'either `command` or `script`');
    if (j.command) problems.check(j.command.length > 0, 'job.command', 'must not be empty', j.command, 'a command and its arguments');
    const cluster = buildDaskClusterSpec(this, problems, name, props);
    const scriptMap = `${name}-script`;
    const runner = buildPodTemplate(this, problems, 'job.pod', {
      namespace,
      mounts: j.mounts,
      placement: j.placement,
      labels: daskPodLabels(name, 'job-runner'),
      restartPolicy: 'Never',
      volumes: j.script !== undefined ? [{ name: 'script', configMap: { name: scriptMap } }] : undefined,
      containers: [{
        name: 'job',
        image: j.image ?? props.image ?? DASK_IMAGE,
        command: j.script !== undefined ? ['python', `${SCRIPT_DIR}/main.py`] : j.command,
        env: j.env,
        resources: j.resources,
        volumeMounts: j.script !== undefined ? [{ name: 'script', mountPath: SCRIPT_DIR, readOnly: true }] : undefined,
      }],
    });
    problems.throwIfAny();

    this.runnerPodName = `${name}-runner`;
    this.schedulerServiceName = schedulerServiceName(name);
    const labels = this.labels('job');
    if (j.script !== undefined) {
      new k8s.KubeConfigMap(this, 'Script', { metadata: { name: scriptMap, namespace, labels }, data: { 'main.py': j.script } });
    }
    // the runner's pod spec is buildPodTemplate's
    const spec: Plain<dk.DaskJobSpec> = { cluster: { spec: cluster.spec }, job: embedded(metadataAndSpec(runner.json)) };
    this.apiObject = new ApiObject(this, 'Resource', {
      ...dk.DaskJob.GVK,
      metadata: { name, namespace, labels },
      spec,
    });
    operatorSchedulerPolicy(this, name, namespace, operatorNamespace);
  }
}
