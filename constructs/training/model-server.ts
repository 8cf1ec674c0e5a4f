import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Workload } from '../core/workload';
import { Resources, WorkloadPodProps } from '../core/pod';
import * as k8s from '../imports/k8s';
import { SharedVolumeMount } from '../storage/shared-volume';
import { ServiceClient, servedDeployment } from './served-deployment';

/** TF Serving's gRPC port. */
export const MODEL_SERVER_GRPC_PORT = 8500;
/** TF Serving's REST port. */
export const MODEL_SERVER_REST_PORT = 8501;

/** Props of a ModelServer. */
export interface ModelServerProps extends WorkloadPodProps {
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
  /** The model's name in the serving API (`/v1/models/<modelName>`). */
  readonly modelName: string;
  /**
   * Where the SavedModel versions are (`<path>/1/`, `<path>/2/`...): a SharedVolume mount,
   * mounted read-only; TF Serving's `--model_base_path` is its path.
   */
  readonly model: SharedVolumeMount;
  /**
   * Pinned TF Serving image (use a `-gpu` tag with GPU resources).
   * @default 'tensorflow/serving:2.18.0'
   */
  readonly image?: string;
  /**
   * Replicas (the PodDisruptionBudget keeps all but one up during drains).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Resources of each replica.
   * @default { cpu: 1, memory: '4Gi' }
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
 * A TF Serving-style model server for a SavedModel on a SharedVolume: a Deployment (Pod Security
 * `restricted`, readiness probe on `/v1/models/<modelName>` so a pod gets traffic only once the
 * model is loaded), a ClusterIP Service (gRPC 8500, REST 8501) and a PodDisruptionBudget.
 */
export class ModelServer extends Workload {
  /** The Service's name. */
  public readonly serviceName: string;
  /** The REST URL of the model inside the cluster (namespace-relative host). */
  public readonly restUrl: string;
  /** The Deployment (escape hatch). */
  public readonly deployment: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: ModelServerProps) {
    super(scope, id, props, { appName: 'model-server' });
    const { problems, name, namespace } = this;
    problems.check(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(props.modelName), 'modelName', 'is not a valid model name', props.modelName,
      'letters, digits, "_", "." and "-", starting with a letter or digit');
    const built = servedDeployment(this, problems, {
      name,
      namespace,
      appName: 'model-server',
      replicas: props.replicas ?? 2,
      resourceDefaults: { cpu: 1, memory: '4Gi' },
      clients: props.clients,
      pod: props,
      priorityFor: 'service',
      mounts: [{ ...props.model, volumeMount: { ...props.model.volumeMount, readOnly: true } }],
      ports: [{ name: 'grpc', port: MODEL_SERVER_GRPC_PORT }, { name: 'http', port: MODEL_SERVER_REST_PORT }],
      container: {
        name: 'serving',
        image: props.image ?? 'tensorflow/serving:2.18.0',
        command: ['tensorflow_model_server'], // not the image's entrypoint script, which adds its own flags
        args: [
          `--model_name=${props.modelName}`,
          `--model_base_path=${props.model.volumeMount.mountPath}`,
          `--port=${MODEL_SERVER_GRPC_PORT}`,
          `--rest_api_port=${MODEL_SERVER_REST_PORT}`,
        ],
        resources: props.resources,
        readinessProbe: {
          httpGet: { path: `/v1/models/${props.modelName}`, port: k8s.IntOrString.fromString('http') },
          initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3,
        },
        livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('grpc') }, initialDelaySeconds: 30, periodSeconds: 20 },
      },
    });
    this.serviceName = name;
    this.restUrl = `http://${name}:${MODEL_SERVER_REST_PORT}/v1/models/${props.modelName}`;
    this.deployment = built.deployment;
    this.service = built.service;
  }
}
