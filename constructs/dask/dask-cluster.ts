import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as dk from '../imports/dask-kubernetes-kubernetes.dask.org';
import { Plain, Problems, Resources, SecretKey, WorkloadPodProps, embedded, buildPodTemplate, checkName, recommendedLabels, secretKeyName, selectorLabels } from '../core';
import {
  BuiltDaskClusterSpec, DaskClusterSpecOptions, DaskWorkerOptions, OperatorDaskWorkload, SchedulerClient, buildDaskClusterSpec, buildWorkerGroup, daskPodLabels,
  operatorSchedulerLabels, operatorSchedulerPolicy, schedulerServiceName,
} from './cluster-spec';
import { DASHBOARD_PORT, DASK_IMAGE, DASK_NOTEBOOK_IMAGE, NOTEBOOK_PORT, SCHEDULER_PORT } from './constants';
import { DaskGateway } from './dask-gateway';
import { podsEgressPolicy } from '../core/egress-policy';
import { deploymentOf, serviceOf } from '../core/deployment';
import { traefikRoute } from './traefik';

/** Worker autoscaling between bounds (a DaskAutoscaler on the default worker group). */
export interface DaskAutoscalerOptions {
  /** Fewest workers. */
  readonly minimum: number;
  /** Most workers. */
  readonly maximum: number;
}

/** A Jupyter server beside the cluster, with DASK_SCHEDULER_ADDRESS pointing at it. */
export interface DaskNotebookOptions extends WorkloadPodProps {
  /**
   * Jupyter image (pinned; same Dask version as the cluster).
   * @default DASK_NOTEBOOK_IMAGE (ghcr.io/dask/dask-notebook, pinned)
   */
  readonly image?: string;
  /**
   * Resources of the notebook server.
   * @default { cpu: 1, memory: '4Gi' }
   */
  readonly resources?: Resources;
  /**
   * Secret key holding the Jupyter token (JUPYTER_TOKEN).
   * @default - Jupyter generates a token and prints it in the pod log
   */
  readonly tokenSecret?: SecretKey;
}

/** Props of a DaskCluster. */
export interface DaskClusterProps extends DaskClusterSpecOptions {
  /**
   * Cluster name (DNS label); the scheduler Service is `<name>-scheduler`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Scale the default worker group between bounds on the scheduler's demand.
   * @default - fixed `workers.replicas`
   */
  readonly autoscaler?: DaskAutoscalerOptions;
  /**
   * The operator deletes the cluster after it has been idle this long.
   * @default - never
   */
  readonly idleTimeout?: Duration;
  /**
   * Run a Jupyter server beside the cluster (the "scheduler + workers + notebook" layout).
   * @default - no notebook
   */
  readonly notebook?: DaskNotebookOptions;
  /**
   * Serve the dashboard through this gateway's Traefik proxy at `/dask/<namespace>/<name>/`.
   * @default - no route (use `kubectl port-forward svc/<name>-scheduler 8787`)
   */
  readonly dashboardProxy?: DaskGateway;
  /**
   * Namespace of the dask-kubernetes operator (it calls the scheduler to scale and to check idleness).
   * @default DASK_OPERATOR_NAMESPACE ('dask-operator')
   */
  readonly operatorNamespace?: string;
  /**
   * Who else may use the cluster (its scheduler on 8786 and dashboard 8787): a `Team`, a
   * `KubeflowNotebook` in another namespace, or a namespace with optional pod labels. Each gets a
   * scheduler ingress rule, an egress policy in its namespace, and declared flows.
   * @default - the cluster's own pods only
   */
  readonly clients?: readonly SchedulerClient[];
}

/**
 * A Dask cluster run by the dask-kubernetes operator (kubernetes.dask.org/v1): a scheduler with
 * its Service (8786 comm, 8787 dashboard), a default worker group (CPU `dask worker` or GPU
 * `dask-cuda-worker` with GPU placement and /dev/shm), an optional DaskAutoscaler, an optional
 * Jupyter server, an optional dashboard route, and a NetworkPolicy that admits only the cluster's
 * own pods, the operator and the dashboard proxy to the scheduler.
 */
export class DaskCluster extends OperatorDaskWorkload {
  /** Name of the scheduler Service. */
  public readonly schedulerServiceName: string;
  /** In-cluster scheduler address, e.g. `tcp://etl-scheduler.team-a.svc.cluster.local:8786`. */
  public readonly schedulerAddress: string;
  /** Path of the dashboard on the gateway's proxy (when `dashboardProxy` is set). */
  public readonly dashboardPath?: string;
  /** Name of the notebook Service (when `notebook` is set). */
  public readonly notebookServiceName?: string;
  /** The DaskCluster object (escape hatch). */
  public readonly apiObject: ApiObject;
  /** The DaskAutoscaler, if any. */
  public readonly autoscaler?: ApiObject;
  private readonly image: string;
  private readonly props: DaskClusterProps;

  constructor(scope: Construct, id: string, props: DaskClusterProps = {}) {
    super(scope, id, props);
    // the namespace its objects land in: the prop, else the chart's (else Kubernetes' default)
    const { problems, name, namespace, operatorNamespace } = this;
    if (props.autoscaler) checkAutoscaler(problems, props.autoscaler);
    const built = buildDaskClusterSpec(this, problems, name, props, props.idleTimeout);
    const schedulerAddress = `tcp://${schedulerServiceName(name)}.${namespace ?? 'default'}.svc.cluster.local:${SCHEDULER_PORT}`;
    if (props.notebook?.tokenSecret) {
      secretKeyName(this, problems, 'notebook.tokenSecret', props.notebook.tokenSecret, namespace ?? 'default', `JUPYTER_TOKEN of the notebook beside DaskCluster ${name}`);
    }
    const notebookPod = props.notebook ? buildPodTemplate(this, problems, 'notebook.pod', {
      namespace,
      mounts: props.notebook.mounts,
      placement: props.notebook.placement,
      priorityFor: 'interactive',
      labels: daskPodLabels(name, 'notebook'),
      resourceDefaults: { cpu: 1, memory: '4Gi' },
      containers: [{
        name: 'notebook',
        image: props.notebook.image ?? DASK_NOTEBOOK_IMAGE,
        command: ['jupyter', 'lab', '--ip=0.0.0.0', `--port=${NOTEBOOK_PORT}`, '--no-browser'],
        env: {
          ...(props.notebook.env ?? {}),
          DASK_SCHEDULER_ADDRESS: schedulerAddress,
          ...(props.notebook.tokenSecret ? { JUPYTER_TOKEN: props.notebook.tokenSecret } : {}),
        },
        resources: props.notebook.resources,
        ports: [{ name: 'http', port: NOTEBOOK_PORT }],
      }],
    }) : undefined;
    problems.throwIfAny();

    this.props = props;
    this.image = props.image ?? DASK_IMAGE;
    this.schedulerServiceName = schedulerServiceName(name);
    this.schedulerAddress = schedulerAddress;
    const labels = recommendedLabels({ name: 'dask', instance: name });
    this.apiObject = clusterObject(this, name, namespace, labels, built);

    if (props.autoscaler) {
      this.autoscaler = new dk.DaskAutoscaler(this, 'Autoscaler', {
        metadata: { name, namespace, labels },
        spec: { cluster: name, minimum: props.autoscaler.minimum, maximum: props.autoscaler.maximum },
      });
    }

    if (notebookPod) {
      const nbLabels = recommendedLabels({ name: 'dask', instance: name, component: 'notebook' });
      const nbSelector = selectorLabels({ name: 'dask', instance: name, component: 'notebook' });
      this.notebookServiceName = `${name}-notebook`;
      deploymentOf(this, 'Notebook', { name: this.notebookServiceName, namespace, labels: nbLabels, selector: nbSelector, replicas: 1, template: notebookPod.template, recreate: true });
      serviceOf(this, 'NotebookService', {
        name: this.notebookServiceName, namespace, labels: nbLabels, selector: nbSelector, ports: [{ name: 'http', port: NOTEBOOK_PORT, targetPort: 'http' }],
      });
    }

    const proxy = props.dashboardProxy;
    if (proxy) {
      this.dashboardPath = `/dask/${namespace ?? 'default'}/${name}/`;
      traefikRoute(this, 'DashboardRoute', {
        name: `${name}-dashboard`, namespace, instance: proxy.instance, labels: recommendedLabels({ name: 'dask', instance: name, component: 'dashboard' }),
        pathPrefix: this.dashboardPath.replace(/\/$/, ''), serviceName: this.schedulerServiceName, servicePort: DASHBOARD_PORT, stripPrefix: true,
        // the gateway's login check first (with DaskDashboardAuth.jupyterHub): the team of this namespace, or hub admins
        middlewares: proxy.dashboardMiddlewares,
      });
    }
    const clients = props.clients ?? [];
    operatorSchedulerPolicy(this, name, namespace, operatorNamespace,
      proxy ? { namespace: proxy.namespace, podLabels: proxy.proxyPodLabels } : undefined, clients);
    const ns = namespace ?? 'default';
    const scheduler = { namespace: ns, podLabels: operatorSchedulerLabels(name) };
    if (proxy) {
      // the gateway namespace denies egress by default, and its proxy policy reaches only the gateway's own clusters
      podsEgressPolicy(this, 'ProxyEgress', {
        name: `proxy-to-${ns}-${name}-dashboard`, namespace: proxy.namespace, labels: recommendedLabels({ name: 'dask', instance: name, component: 'dashboard' }),
        podLabels: proxy.proxyPodLabels, to: scheduler, ports: [DASHBOARD_PORT],
      });
    }
    clients.forEach((c, i) => podsEgressPolicy(this, `ClientEgress${i}`, {
      name: `to-${name}-scheduler`, namespace: c.namespace, labels: recommendedLabels({ name: 'dask', instance: name, component: 'client' }),
      podLabels: c.podLabels ?? {}, to: scheduler, ports: [SCHEDULER_PORT, DASHBOARD_PORT],
    }));
  }

  /**
   * Adds a further worker group (a DaskWorkerGroup), e.g. GPU workers beside CPU workers. The
   * autoscaler only scales the default group.
   */
  public addWorkerGroup(id: string, options: DaskWorkerOptions): ApiObject {
    const problems = new Problems(`${this.node.path}/${id}`);
    checkName(problems, 'id', id, 20);
    const group = buildWorkerGroup(this, problems, 'workers', this.name, this.image, options, this.props.podSecurity, this.props.namespace);
    problems.throwIfAny();
    return new ApiObject(this, `WorkerGroup-${id}`, {
      ...dk.DaskWorkerGroup.GVK,
      metadata: { name: `${this.name}-${id}`, namespace: this.namespace, labels: recommendedLabels({ name: 'dask', instance: this.name, component: 'worker' }) },
      spec: workerGroupSpec(this.name, group.replicas, group.json),
    });
  }
}

/** Checks the autoscaler bounds. */
function checkAutoscaler(problems: Problems, a: DaskAutoscalerOptions): void {
  problems.check(Number.isInteger(a.minimum) && a.minimum >= 0, 'autoscaler.minimum', 'must be a whole number ≥ 0', a.minimum, 'an integer ≥ 0');
  problems.check(Number.isInteger(a.maximum) && a.maximum >= 1 && a.maximum <= 1000, 'autoscaler.maximum', 'is out of range', a.maximum, 'an integer from 1 to 1000');
  problems.check(!(a.minimum > a.maximum), 'autoscaler.minimum', `is greater than maximum (${a.maximum})`, a.minimum, 'minimum ≤ maximum');
}

/** A DaskWorkerGroup's spec (the pod spec is buildPodTemplate's). */
function workerGroupSpec(cluster: string, replicas: number, pod: unknown): Plain<dk.DaskWorkerGroupSpec> {
  return { cluster, worker: { replicas, ...embedded<Plain<dk.DaskWorkerGroupSpec['worker']>>(pod) } };
}

/** The DaskCluster object with its plain-JSON spec (the embedded PodSpecs come from buildPodTemplate). */
function clusterObject(scope: Construct, name: string, namespace: string | undefined, labels: Record<string, string>, built: BuiltDaskClusterSpec): ApiObject {
  return new ApiObject(scope, 'Resource', { ...dk.DaskCluster.GVK, metadata: { name, namespace, labels }, spec: built.spec });
}
