import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Workload } from '../core/workload';
import { Resources, WorkloadPodProps } from '../core/pod';
import * as k8s from '../imports/k8s';
import { SharedVolumeMount } from '../storage/shared-volume';
import { ServiceClient, servedDeployment } from './served-deployment';

/** TensorBoard's HTTP port. */
export const TENSORBOARD_PORT = 6006;

/** Props of a TensorBoard. */
export interface TensorBoardProps extends WorkloadPodProps {
  /**
   * Name of the Deployment, Service and PodDisruptionBudget.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace (the SharedVolume's).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Where the event files are: a SharedVolume mount; TensorBoard's `--logdir` is its path.
   * It is mounted read-only.
   */
  readonly logs: SharedVolumeMount;
  /**
   * Pinned TensorBoard image (it must have `tensorboard` on the PATH).
   * @default 'tensorflow/tensorflow:2.18.0'
   */
  readonly image?: string;
  /**
   * Resources.
   * @default { cpu: 0.5, memory: '2Gi' }
   */
  readonly resources?: Resources;
  /**
   * Who may connect: namespaces (a `Team`, or `{ namespace, podLabels }`). In a default-deny
   * namespace nothing else can reach the server (port-forward aside).
   * @default - none
   */
  readonly clients?: readonly ServiceClient[];
}

/**
 * TensorBoard reading a training job's event files from a SharedVolume (read-only): a
 * Deployment (one replica, Pod Security `restricted`), a ClusterIP Service on port 6006
 * (`kubectl port-forward svc/<name> 6006`) and a PodDisruptionBudget.
 */
export class TensorBoard extends Workload {
  /** The Service's name. */
  public readonly serviceName: string;
  /** The Service's port. */
  public readonly port = TENSORBOARD_PORT;
  /** The Deployment (escape hatch). */
  public readonly deployment: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: TensorBoardProps) {
    super(scope, id, props, { appName: 'tensorboard' });
    const { problems, name, namespace } = this;
    const logDir = props.logs.volumeMount.mountPath;
    const built = servedDeployment(this, problems, {
      name,
      namespace,
      appName: 'tensorboard',
      replicas: 1,
      resourceDefaults: { cpu: 0.5, memory: '2Gi' },
      clients: props.clients,
      pod: props,
      priorityFor: 'interactive',
      mounts: [{ ...props.logs, volumeMount: { ...props.logs.volumeMount, readOnly: true } }],
      ports: [{ name: 'http', port: TENSORBOARD_PORT }],
      container: {
        name: 'tensorboard',
        image: props.image ?? 'tensorflow/tensorflow:2.18.0',
        command: ['tensorboard'],
        args: [`--logdir=${logDir}`, '--bind_all', `--port=${TENSORBOARD_PORT}`],
        env: { HOME: '/tmp' },
        resources: props.resources,
        readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('http') }, initialDelaySeconds: 5, periodSeconds: 10 },
      },
    });
    this.serviceName = name;
    this.deployment = built.deployment;
    this.service = built.service;
  }
}
