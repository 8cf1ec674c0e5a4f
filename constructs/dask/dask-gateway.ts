import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { ANNOTATION_CONTROLLER_FOR } from '../core/constants';
import { jupyterhubPodLabels } from '../cluster/chart-policies';
import { FlowParty, Flows } from '../cluster/flows';
import { DASK_WORKER_SAMPLE_PORT } from '../platform/constants';
import {
  ClusterProfile, EnvValue, GpuPlacement, Problems, ResolvedPlacement, SecretKey, SecretLike, WorkloadPodProps, checkMountNamespaces, envList, mergePlacements, resolveRef, buildPodTemplate, checkImage, checkName, recommendedLabels, secretKeyName, selectorLabels, k8sObject,
} from '../core';
import type { Team } from '../platform/team';
import { DaskClusterOptions, ResolvedOption, renderOptionField, resolveClusterOptions } from './cluster-options';
import { DaskImageContents, KNOWN_DASK_IMAGES, daskImageContents } from './images';
import {
  DASHBOARD_PORT, DASK_GATEWAY_CLUSTER_IMAGE, DASK_GATEWAY_SERVER_IMAGE, DASK_GATEWAY_VERSION, GATEWAY_API_PORT, LABEL_GATEWAY_INSTANCE,
  SCHEDULER_PORT, TRAEFIK_IMAGE, TRAEFIK_PING_PORT, WORKER_DASHBOARD_PORT,
} from './constants';
import { deploymentOf, serviceOf } from '../core/deployment';
import { PyValue, pyFloat, pyLiteral, pyString } from './python';
import { schedulerNetworkPolicy } from './scheduler-network-policy';
import { DASHBOARD_AUTH_IMAGE, DASHBOARD_AUTH_PORT, DASHBOARD_AUTH_PREFIX, DASHBOARD_AUTH_PY, DaskDashboardAuth } from './dashboard-auth';
import { forwardAuthMiddleware, stripPrefixMiddleware, traefikRoute } from './traefik';

/** Options of JupyterHub service authentication. */
export interface JupyterHubAuthOptions {
  /** JupyterHub's API URL, e.g. `http://hub.jupyterhub.svc:8081/hub/api`. */
  readonly apiUrl: string;
  /** Secret key holding the API token of the `dask-gateway` JupyterHub service. */
  readonly apiTokenSecret: SecretKey;
  /**
   * The gateway's JupyterHub service name: only tokens with `access:services!service=<name>` may use
   * the gateway (dask-gateway-server auth.py: `jupyterhub_service_name` turns on the service access
   * scope check). `JupyterHubValues` registers the service and grants users and their servers the scope.
   * @default 'dask-gateway'
   */
  readonly serviceName?: string;
}

/** Options of the shared-password authentication. */
export interface SimpleAuthOptions {
  /**
   * Secret key holding the shared password.
   * @default - no password: any user name is accepted (development clusters only)
   */
  readonly passwordSecret?: SecretKey;
}

/** How users authenticate to the gateway. */
export class DaskGatewayAuth {
  /** Shared password (or none): for development clusters. */
  public static simple(options: SimpleAuthOptions = {}): DaskGatewayAuth {
    const lines = ['c.DaskGateway.authenticator_class = "dask_gateway_server.auth.SimpleAuthenticator"'];
    const env: Record<string, EnvValue> = {};
    if (options.passwordSecret) {
      lines.push('c.SimpleAuthenticator.password = os.environ["DASK_GATEWAY_PASSWORD"]');
      env.DASK_GATEWAY_PASSWORD = options.passwordSecret;
    }
    return new DaskGatewayAuth('simple', lines, env);
  }

  /** JupyterHub service authentication: users sign in with their JupyterHub token (production). */
  public static jupyterHub(options: JupyterHubAuthOptions): DaskGatewayAuth {
    const service = options.serviceName ?? 'dask-gateway';
    return new DaskGatewayAuth('jupyterhub', [
      'c.DaskGateway.authenticator_class = "dask_gateway_server.auth.JupyterHubAuthenticator"',
      `c.JupyterHubAuthenticator.jupyterhub_api_url = ${pyString(options.apiUrl)}`,
      '# only tokens allowed to access this JupyterHub service may use the gateway',
      `c.JupyterHubAuthenticator.jupyterhub_service_name = ${pyString(service)}`,
      '# the API token is read from $JUPYTERHUB_API_TOKEN (a Secret reference)',
    ], { JUPYTERHUB_API_TOKEN: options.apiTokenSecret }, options.apiUrl, service);
  }

  private constructor(
    /** `simple` or `jupyterhub`. */
    public readonly kind: 'simple' | 'jupyterhub',
    /** @internal */ public readonly _lines: readonly string[],
    /** @internal */ public readonly _env: Readonly<Record<string, EnvValue>>,
    private readonly apiUrl?: string,
    /** The JupyterHub service name tokens must be allowed to access (JupyterHub auth only). */
    public readonly jupyterHubServiceName?: string,
  ) {}

  /** @internal The JupyterHub API URL (JupyterHub auth). */
  public get _apiUrl(): string | undefined {
    return this.apiUrl;
  }

  /** @internal The JupyterHub API's namespace and port (for the gateway's egress), when the URL names a cluster Service. */
  public get _hubEndpoint(): { namespace: string; port: number } | undefined {
    const m = this.apiUrl ? /^https?:\/\/[a-z0-9-]+\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?(?::(\d+))?(?:\/|$)/.exec(this.apiUrl) : null;
    if (!m) return undefined;
    return { namespace: m[1], port: m[2] ? Number(m[2]) : this.apiUrl!.startsWith('https') ? 443 : 80 };
  }

  /** @internal */
  public _check(problems: Problems, field: string): void {
    if (this.apiUrl !== undefined) {
      problems.check(/^https?:\/\/[^\s/]+(\/\S*)?$/.test(this.apiUrl), `${field}.apiUrl`, 'is not an http(s) URL', this.apiUrl, 'e.g. "http://hub.jupyterhub.svc:8081/hub/api"');
    }
  }
}

/**
 * Limits of one cluster, as dask-gateway-server 2026.3.0 enforces them (backends/base.py ClusterConfig
 * `cluster_max_workers`, `cluster_max_cores`, `cluster_max_memory`: scale and adapt requests are
 * capped, routes.py). dask-gateway has no per-user limits (no `UserLimits` class at that version).
 */
export interface DaskGatewayClusterLimits {
  /**
   * Workers of one cluster.
   * @default 20
   */
  readonly maxWorkers?: number;
  /**
   * Cores of one cluster, scheduler included.
   * @default - unlimited
   */
  readonly maxCores?: number;
  /**
   * Memory of one cluster in GiB, scheduler included.
   * @default - unlimited
   */
  readonly maxMemoryGiB?: number;
}

/** A team whose members' clusters run in the team's namespace, with the team's bounds. */
export interface DaskGatewayTeam {
  /** The team: its namespace is where its members' schedulers and workers run (its network policy admits gateway clusters). */
  readonly team: Team;
  /** JupyterHub groups whose members belong to the team (the first team with a group of the user wins). */
  readonly groups: readonly string[];
  /**
   * Cluster limits of the team's clusters.
   * @default - the gateway's `clusterLimits`
   */
  readonly clusterLimits?: DaskGatewayClusterLimits;
  /**
   * Largest cores per worker a member may pick (below the option's `max`).
   * @default - the option's max
   */
  readonly maxWorkerCores?: number;
  /**
   * Largest GPUs per worker a member may pick (0: no GPU workers for the team).
   * @default - the option's max
   */
  readonly maxWorkerGpus?: number;
}

/** The gateway's public HTTPS address. */
export interface DaskGatewayPublicAddress {
  /** Host name, e.g. `dask.ml.acme.example`. */
  readonly host: string;
  /**
   * Secret (type kubernetes.io/tls) in the gateway's namespace with the certificate of `host`:
   * `SecretRef.fromName('dask-gateway-tls')` (provided before syncing) or a `kplus.Secret`.
   */
  readonly tlsSecret: SecretLike;
  /**
   * Ingress class.
   * @default - the cluster's default class (on GKE: the external Application Load Balancer)
   */
  readonly ingressClassName?: string;
}

/** Props of a DaskGateway. */
export interface DaskGatewayProps {
  /**
   * Instance name: prefix of every object and the `gateway.dask.org/instance` label.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the gateway API server, controller and proxy.
   * @default 'dask-gateway'
   */
  readonly namespace?: string;
  /**
   * Namespace the users' schedulers and workers run in, when there are no `teams`.
   * @default - the gateway's namespace
   */
  readonly clusterNamespace?: string;
  /**
   * Teams: a user's cluster lands in the namespace of the first team one of whose `groups` the user
   * is in (JupyterHub groups, from the hub's `/user` answer), with the team's bounds; a user in no
   * team is refused with a message. The options handler does this (dask-gateway-server options.py:
   * the handler gets the user; KubeClusterConfig.namespace is a per-cluster setting).
   * @default - none: every cluster runs in `clusterNamespace`
   */
  readonly teams?: readonly DaskGatewayTeam[];
  /**
   * Scheduler and worker image when the image is not a cluster option (needs the dask-gateway package).
   * @default DASK_GATEWAY_CLUSTER_IMAGE (ghcr.io/dask/dask-gateway, the gateway's version)
   */
  readonly image?: string;
  /**
   * What `image` holds (dask, dask-gateway), when it is not in KNOWN_DASK_IMAGES.
   * @default - the KNOWN_DASK_IMAGES entry of `image`
   */
  readonly imageContents?: DaskImageContents;
  /**
   * Options users pick when they create a cluster, rendered into the gateway's Python configuration.
   * @default - no options: every cluster gets the fixed defaults
   */
  readonly clusterOptions?: DaskClusterOptions;
  /**
   * Cores and memory (GiB) of each scheduler.
   * @default { cores: 1, memoryGiB: 2 }
   */
  readonly scheduler?: { readonly cores: number; readonly memoryGiB: number };
  /**
   * Environment variables of every scheduler and worker (plain values; Secret keys go in `clusterPods.env`).
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The users' schedulers and workers: `mounts`, `placement` and `env` reach both (a placement replaces
   * the Dask pool of CPU workers; GPU workers add their GPU class's nodes to it). A mounted claim must be
   * of every cluster namespace (so: one team, or `clusterNamespace`); a Secret key of `env` is read in
   * each cluster namespace (an imported Secret is listed under the externals of each).
   * @default - none
   */
  readonly clusterPods?: WorkloadPodProps;
  /**
   * A cluster with no activity for this long is shut down.
   * @default Duration.minutes(30)
   */
  readonly idleTimeout?: Duration;
  /**
   * Limits of every cluster (a team's `clusterLimits` replace them for its members).
   * @default { maxWorkers: 20 }
   */
  readonly clusterLimits?: DaskGatewayClusterLimits;
  /**
   * Authentication.
   * @default DaskGatewayAuth.simple() (development only)
   */
  readonly auth?: DaskGatewayAuth;
  /**
   * Service type of the Traefik proxy (the address users and dashboard links use).
   * @default 'ClusterIP' (reachable from JupyterHub in the cluster; use LoadBalancer for outside access)
   */
  readonly proxyServiceType?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
  /**
   * The gateway's public HTTPS address: an Ingress for `host` routes to the proxy's web entrypoint
   * (the API and the dashboards; schedulers stay in-cluster), with TLS from `tlsSecret` (a Secret you
   * provide, listed under "Provide before syncing"). `publicAddress` is what users' dashboard links
   * point at (`JupyterHubValues` sets DASK_GATEWAY__PUBLIC_ADDRESS). dask-gateway 2026.3.0 does not
   * authenticate dashboards, so a public address needs `dashboardAuth`.
   * @default - in-cluster only
   */
  readonly publicAddress?: DaskGatewayPublicAddress;
  /**
   * Who may open dashboards on the public address (gateway clusters, and operator clusters whose
   * `dashboardProxy` is this gateway): `DaskDashboardAuth.jupyterHub(...)` (the hub login, and
   * membership in the cluster's team), or `DaskDashboardAuth.none()`, deliberately.
   * @default - required with `publicAddress`; none in-cluster
   */
  readonly dashboardAuth?: DaskDashboardAuth;
  /**
   * Address block of the Kubernetes API server, which the API server, the controller and the proxy
   * call (the API server is not a pod: only an ipBlock can name it).
   * @default '0.0.0.0/0' (only on 443/6443)
   */
  readonly kubernetesApiCidr?: string;
  /**
   * Replicas of the API server and of the proxy.
   * @default 1
   */
  readonly replicas?: number;
}

/** The fixed values when an option is not offered. */
const DEFAULT_WORKER_CORES = 1;
const DEFAULT_WORKER_MEMORY_GIB = 4;
const GIB = 2 ** 30;

/**
 * dask-gateway 2026.3.0 as native manifests: the API server, the Kubernetes controller and the
 * Traefik proxy, their RBAC, the API route, and the gateway configuration rendered from typed
 * TypeScript (cluster options with bounds and defaults, limits, idle timeout, authentication) into a
 * ConfigMap. Users' schedulers and workers are created by the controller at run time with Pod
 * Security `restricted` contexts, and a NetworkPolicy admits only their own pods and the
 * gateway to the schedulers.
 */
export class DaskGateway extends Construct {
  /** Instance name (`gateway.dask.org/instance`). */
  public readonly instance: string;
  /** Namespace of the gateway. */
  public readonly namespace: string;
  /** Namespace of the users' clusters (the first team's, with teams). */
  public readonly clusterNamespace: string;
  /** Every namespace the gateway's clusters run in (the teams' namespaces, or `clusterNamespace`). */
  public readonly clusterNamespaces: readonly string[];
  /** Name of the Traefik proxy Service: the gateway address users connect to. */
  public readonly proxyServiceName: string;
  /** The in-cluster address for `Gateway(address)`, e.g. `http://dask-gateway-proxy.dask-gateway`. */
  public readonly address: string;
  /** The scheduler (TCP) route of the proxy for `Gateway(proxy_address=...)`, e.g. `gateway://dask-gateway-proxy.dask-gateway:8786`. */
  public readonly schedulerProxyAddress: string;
  /** Labels of the proxy pods (for NetworkPolicy peers). */
  public readonly proxyPodLabels: Readonly<Record<string, string>>;
  /** The JupyterHub service the gateway checks tokens against (JupyterHub auth), for `JupyterHubValues`. */
  public readonly jupyterHubServiceName?: string;
  /** `https://<host>` when the gateway has a public address: where dashboard links point. */
  public readonly publicAddress?: string;
  /** The dask version of every image its clusters run (a notebook's client must have the same). */
  public readonly daskVersion?: string;
  /**
   * The dashboards' JupyterHub OAuth service (with `DaskDashboardAuth.jupyterHub`), for `JupyterHubValues`
   * to register: its name and redirect URI.
   */
  public readonly dashboardService?: { readonly name: string; readonly oauthRedirectUri: string };
  /** Middlewares every dashboard route of the proxy applies first (the login check, when dashboards are authenticated). */
  public readonly dashboardMiddlewares: ReadonlyArray<{ readonly name: string; readonly namespace: string }>;
  /** The rendered gateway configuration (`dask_gateway_config.py`). */
  public readonly config: string;
  /** The options users are offered, as rendered. */
  public readonly options: readonly ResolvedOption[];
  /** The ConfigMap carrying the configuration (escape hatch). */
  public readonly configMap: ApiObject;

  constructor(scope: Construct, id: string, props: DaskGatewayProps = {}) {
    super(scope, id);
    const problems = new Problems(this);
    const name = props.name ?? id;
    checkName(problems, 'name', name, 40);
    const namespace = props.namespace ?? 'dask-gateway';
    checkName(problems, 'namespace', namespace);
    const teams = props.teams ?? [];
    problems.check(teams.length === 0 || props.clusterNamespace === undefined, 'clusterNamespace', 'is set together with teams (their namespaces are where clusters run)',
      props.clusterNamespace, 'either clusterNamespace or teams');
    teams.forEach((t, i) => problems.check(t.groups.length > 0 && t.groups.every((g) => typeof g === 'string' && g.length > 0), `teams[${i}].groups`,
      'must name at least one JupyterHub group', t.groups, 'e.g. ["team-a"]'));
    const clusterNamespaces = teams.length > 0 ? [...new Set(teams.map((t) => t.team.namespace))] : [props.clusterNamespace ?? namespace];
    problems.check(clusterNamespaces.length === teams.length || teams.length === 0, 'teams', 'names a team twice', teams.map((t) => t.team.namespace), 'each team once');
    const clusterNamespace = clusterNamespaces[0];
    checkName(problems, 'clusterNamespace', clusterNamespace);
    const image = props.image ?? DASK_GATEWAY_CLUSTER_IMAGE;
    checkImage(problems, 'image', image);
    const resolved = resolveClusterOptions(this, problems, 'clusterOptions', props.clusterOptions ?? {});
    const idle = (props.idleTimeout ?? Duration.minutes(30)).toSeconds();
    problems.check(Number.isInteger(idle) && idle >= 60, 'idleTimeout', 'is too short', idle, 'a whole number of seconds ≥ 60');
    const limits = { maxWorkers: 20, ...props.clusterLimits };
    checkClusterLimits(problems, 'clusterLimits', limits);
    teams.forEach((t, i) => {
      if (t.clusterLimits) checkClusterLimits(problems, `teams[${i}].clusterLimits`, t.clusterLimits);
      for (const [k, option] of [['maxWorkerCores', 'worker_cores'], ['maxWorkerGpus', 'worker_gpus']] as const) {
        const v = t[k];
        if (v === undefined) continue;
        const o = resolved.options.find((x) => x.field === option);
        problems.check(o !== undefined, `teams[${i}].${k}`, `bounds the ${option} option, which is not offered`, v, `a clusterOptions.${option === 'worker_cores' ? 'workerCores' : 'workerGpus'} option`);
        if (o) problems.check(Number.isInteger(v) && v >= o.min! && v <= o.max!, `teams[${i}].${k}`, 'is outside the option\'s bounds', v, `an integer from ${o.min} to ${o.max}`);
      }
    });
    const sched = props.scheduler ?? { cores: 1, memoryGiB: 2 };
    problems.check(Number.isFinite(sched.cores) && sched.cores > 0, 'scheduler.cores', 'must be positive', sched.cores, 'a number of cores > 0');
    problems.check(Number.isFinite(sched.memoryGiB) && sched.memoryGiB > 0, 'scheduler.memoryGiB', 'must be positive', sched.memoryGiB, 'a number of GiB > 0');
    for (const k of Object.keys(props.environment ?? {})) {
      problems.check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(k), `environment.${k}`, 'is not a valid environment variable name', k, "letters, digits and '_', not starting with a digit");
    }
    // every cluster image holds the server's dask-gateway and one dask version (the client in a notebook must match it)
    const imageOption = resolved.options.find((o) => o.field === 'image');
    const images = imageOption ? imageOption.choices!.map((value, i) => ({ value, contents: imageOption.contents?.[i], field: `clusterOptions.image.choices[${i}].contents` }))
      : [{ value: image, contents: daskImageContents(image, props.imageContents), field: 'imageContents' }];
    for (const im of images) {
      if (!problems.check(im.contents !== undefined, im.field, 'is unknown: what the image holds must be declared', im.value,
        `contents: { dask, daskGateway: '${DASK_GATEWAY_VERSION}' } on the choice, or an image of KNOWN_DASK_IMAGES (${Object.keys(KNOWN_DASK_IMAGES).join(', ')})`)) continue;
      problems.check(im.contents!.daskGateway === DASK_GATEWAY_VERSION, im.field, `has dask-gateway ${im.contents!.daskGateway ?? 'missing'}, but the gateway server is ${DASK_GATEWAY_VERSION}`, im.value,
        `an image with dask-gateway ${DASK_GATEWAY_VERSION} (the scheduler's preload talks to the server)`);
    }
    const daskVersions = [...new Set(images.map((im) => im.contents?.dask).filter((v): v is string => v !== undefined))];
    problems.check(daskVersions.length <= 1, imageOption ? 'clusterOptions.image.choices' : 'image', 'mix dask versions', daskVersions, 'one dask version for every cluster image (the notebooks\' client must match it)');
    const tlsSecret = props.publicAddress ? resolveRef(this, problems, 'publicAddress.tlsSecret', 'Secret', props.publicAddress.tlsSecret, namespace,
      { reason: `TLS certificate of the Dask Gateway's public address ${props.publicAddress.host}`, keys: ['tls.crt', 'tls.key'] }) : undefined;
    if (props.publicAddress) {
      problems.check(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(props.publicAddress.host), 'publicAddress.host', 'is not a DNS host name', props.publicAddress.host, 'e.g. "dask.ml.example.com"');
    }
    const dashboardAuth = props.dashboardAuth;
    problems.check(props.publicAddress === undefined || dashboardAuth !== undefined, 'dashboardAuth', 'is missing: dask-gateway does not authenticate dashboards, and publicAddress exposes them',
      undefined, 'DaskDashboardAuth.jupyterHub({ hubUrl, apiTokenSecret }) (the hub login and the cluster\'s team), or DaskDashboardAuth.none() deliberately');
    if (dashboardAuth?.kind === 'jupyterhub') {
      dashboardAuth._check(problems, 'dashboardAuth');
      problems.check(props.publicAddress !== undefined, 'dashboardAuth', 'needs publicAddress (the OAuth callback is on the public host)', 'jupyterhub', 'a publicAddress, or no dashboardAuth in-cluster');
      problems.check(props.auth?.kind === 'jupyterhub', 'dashboardAuth', 'needs JupyterHub authentication of the gateway (the service checks logins against the same hub API)',
        props.auth?.kind ?? 'simple', 'auth: DaskGatewayAuth.jupyterHub(...)');
    }
    const replicas = props.replicas ?? 1;
    problems.check(Number.isInteger(replicas) && replicas >= 1 && replicas <= 10, 'replicas', 'is out of range', replicas, 'an integer from 1 to 10');
    const auth = props.auth ?? DaskGatewayAuth.simple();
    auth._check(problems, 'auth');
    // the auth Secrets (JupyterHub API token, shared password) are provided before syncing
    for (const [env, v] of Object.entries(auth._env)) {
      if (typeof v === 'object' && 'secret' in v) secretKeyName(this, problems, `auth.${env}`, v, namespace, `${env} of the Dask Gateway API server (${auth.kind} authentication)`);
    }
    // the security contexts of the users' scheduler and worker pods come from the same builder as every other workload
    const cp = props.clusterPods ?? {};
    const clusterPod = buildPodTemplate(this, problems, 'clusterPods', { namespace: clusterNamespace, mounts: cp.mounts, containers: [{ name: 'dask', image, env: cp.env }] });
    for (const ns of clusterNamespaces.slice(1)) {
      checkMountNamespaces(problems, 'clusterPods.mounts', cp.mounts ?? [], ns);
      envList(this, problems, 'clusterPods.env', cp.env, ns);
    }
    const clusterSpec = clusterPod.json.spec as { volumes?: PyValue; containers: Array<Record<string, PyValue>> };
    const clusterContainer = clusterSpec.containers[0];
    const clusterPlacement = cp.placement?.resolve(this, problems, 'clusterPods.placement');
    const gpuPlacement = resolved.gpu ? mergePlacements(problems, 'clusterPods.placement', [resolved.gpu, clusterPlacement]) : undefined;

    const labels = (component: string) => recommendedLabels({ name: 'dask-gateway', instance: name, component, version: DASK_GATEWAY_VERSION });
    const selector = (component: string) => selectorLabels({ name: 'dask-gateway', instance: name, component });
    const apiName = `${name}-api`;
    const proxyName = `${name}-proxy`;
    const controllerName = `${name}-controller`;
    const middlewareName = `${name}-clusters-prefix`;
    const apiUrl = `http://${apiName}.${namespace}:${GATEWAY_API_PORT}/api`;
    const dashboardAuthName = `${name}-dashboard-auth`;
    const loginCheck = dashboardAuth?.kind === 'jupyterhub' && props.publicAddress && auth.kind === 'jupyterhub';

    const apiPod = this.serverPod(problems, 'api', labels('api'), auth, ['dask-gateway-server', '--config', '/etc/dask-gateway/dask_gateway_config.py'], apiName, name, namespace);
    const controllerPod = this.serverPod(problems, 'controller', labels('controller'), undefined,
      ['dask-gateway-server', 'kube-controller', '--config', '/etc/dask-gateway/dask_gateway_config.py'], controllerName, controllerName, namespace);
    const proxyPod = buildPodTemplate(this, problems, 'proxy', {
      namespace,
      labels: labels('proxy'),
      serviceAccount: { serviceAccountName: proxyName },
      automountServiceAccountToken: true,
      terminationGracePeriodSeconds: 60,
      containers: [{
        name: 'traefik',
        image: TRAEFIK_IMAGE,
        args: [
          '--global.checknewversion=false',
          '--global.sendanonymoususage=false',
          '--ping=true',
          // /ping on the web entrypoint, which the probes use: a GKE Ingress takes its health check from the
          // serving port's readiness probe (else GET / on 8000, which the API route answers 404)
          '--ping.entrypoint=web',
          '--providers.kubernetescrd',
          `--providers.kubernetescrd.labelselector=${LABEL_GATEWAY_INSTANCE}=${name}`,
          '--providers.kubernetescrd.allowcrossnamespace=true',
          `--providers.kubernetescrd.namespaces=${[...new Set([namespace, ...clusterNamespaces])].join(',')}`,
          // no cluster-scoped lookups (nodes serve only NodePort load balancing, unused here): no ClusterRole at all
          '--providers.kubernetescrd.disableclusterscoperesources=true',
          '--providers.kubernetescrd.throttleduration=2s',
          '--log.level=WARN',
          `--entrypoints.traefik.address=:${TRAEFIK_PING_PORT}`,
          `--entrypoints.web.address=:${GATEWAY_API_PORT}`,
          `--entrypoints.tcp.address=:${SCHEDULER_PORT}`,
        ],
        ports: [{ name: 'traefik', port: TRAEFIK_PING_PORT }, { name: 'web', port: GATEWAY_API_PORT }, { name: 'tcp', port: SCHEDULER_PORT }],
        resources: { cpu: 0.5, memory: '512Mi' },
        readinessProbe: { httpGet: { path: '/ping', port: k8s.IntOrString.fromNumber(GATEWAY_API_PORT) }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 1 },
        livenessProbe: { httpGet: { path: '/ping', port: k8s.IntOrString.fromNumber(GATEWAY_API_PORT) }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
      }],
    });
    problems.throwIfAny();

    this.instance = name;
    this.namespace = namespace;
    this.clusterNamespace = clusterNamespace;
    this.clusterNamespaces = clusterNamespaces;
    this.proxyServiceName = proxyName;
    this.address = `http://${proxyName}.${namespace}`;
    this.schedulerProxyAddress = `gateway://${proxyName}.${namespace}:${SCHEDULER_PORT}`;
    this.proxyPodLabels = selector('proxy');
    this.jupyterHubServiceName = auth.jupyterHubServiceName;
    this.publicAddress = props.publicAddress ? `https://${props.publicAddress.host}` : undefined;
    this.daskVersion = daskVersions[0];
    const dashboardServiceName = dashboardAuth?._options?.serviceName ?? 'dask-gateway-dashboards';
    this.dashboardService = loginCheck ? { name: dashboardServiceName, oauthRedirectUri: `https://${props.publicAddress!.host}${DASHBOARD_AUTH_PREFIX}oauth_callback` } : undefined;
    this.dashboardMiddlewares = loginCheck ? [{ name: dashboardAuthName, namespace }] : [];
    this.options = resolved.options;
    this.config = renderGatewayConfig({
      apiUrl, instance: name, clusterNamespace, image, auth, idle, limits, sched,
      teams: teams.map((t) => ({ namespace: t.team.namespace, groups: [...t.groups], limits: { ...limits, ...t.clusterLimits }, maxWorkerCores: t.maxWorkerCores, maxWorkerGpus: t.maxWorkerGpus })),
      environment: props.environment ?? {}, options: resolved.options, gpu: resolved.gpu,
      podExtra: {
        securityContext: (clusterPod.json.spec as Record<string, PyValue>).securityContext, automountServiceAccountToken: false,
        ...(clusterSpec.volumes ? { volumes: clusterSpec.volumes } : {}),
        ...(clusterPlacement && Object.keys(clusterPlacement.nodeSelector).length ? { nodeSelector: clusterPlacement.nodeSelector } : {}),
        ...(clusterPlacement && clusterPlacement.tolerations.length ? { tolerations: clusterPlacement.tolerations as unknown as PyValue } : {}),
      },
      daskPool: clusterPlacement ? undefined : ClusterProfile.of(this).daskWorkerPlacement() as unknown as Record<string, PyValue> | undefined,
      gpuPlacement,
      containerExtra: {
        securityContext: clusterContainer.securityContext,
        ...(clusterContainer.volumeMounts ? { volumeMounts: clusterContainer.volumeMounts } : {}),
        ...(clusterContainer.env ? { env: clusterContainer.env } : {}),
      },
    });

    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name, namespace, labels: labels('api') },
      data: { 'dask_gateway_config.py': this.config },
    });
    new k8s.KubeConfigMap(this, 'ControllerConfig', {
      metadata: { name: controllerName, namespace, labels: labels('controller') },
      data: {
        'dask_gateway_config.py': [
          '# Generated by mlscale (constructs/dask/dask-gateway.ts). Do not edit.',
          `c.KubeController.address = ":${GATEWAY_API_PORT}"`,
          `c.KubeController.api_url = ${pyString(apiUrl)}`,
          `c.KubeController.gateway_instance = ${pyString(name)}`,
          'c.KubeController.proxy_prefix = ""',
          // the login check first: it sees the path before the prefix is stripped (X-Forwarded-Uri)
          `c.KubeController.proxy_web_middlewares = ${pyLiteral([...this.dashboardMiddlewares, { name: middlewareName, namespace }])}`,
          'c.KubeController.log_level = "INFO"',
          'c.KubeController.completed_cluster_max_age = 86400',
          'c.KubeController.completed_cluster_cleanup_period = 600',
          '',
        ].join('\n'),
      },
    });

    // RBAC: the upstream chart grants everything cluster-wide (resources/helm/dask-gateway/templates/*/rbac.yaml).
    // The API server's and the controller's informers list and watch across namespaces
    // (backends/kubernetes/backend.py and controller.py: list_cluster_custom_object, list_pod_for_all_namespaces,
    // list_endpoints_for_all_namespaces), so only those reads stay cluster-wide; every write, and every Secret
    // read, is a Role in the namespaces the gateway's clusters run in.
    this.serviceAccount(apiName, namespace, labels('api'), [
      { apiGroups: ['gateway.dask.org'], resources: ['daskclusters'], verbs: ['get', 'list', 'watch'] },
    ], clusterNamespaces, [
      // start_cluster creates the DaskCluster in the cluster's namespace; the credentials Secret is read there
      { apiGroups: ['gateway.dask.org'], resources: ['daskclusters'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    ]);
    this.serviceAccount(controllerName, namespace, labels('controller'), [
      { apiGroups: ['gateway.dask.org'], resources: ['daskclusters'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods', 'endpoints'], verbs: ['get', 'list', 'watch'] },
    ], clusterNamespaces, [
      // status updates, and deleting finished clusters after completed_cluster_max_age; services and routes are
      // deleted with their cluster through owner references (controller.py), so the controller only creates them
      { apiGroups: ['gateway.dask.org'], resources: ['daskclusters'], verbs: ['delete'] },
      { apiGroups: ['gateway.dask.org'], resources: ['daskclusters/status'], verbs: ['patch'] },
      { apiGroups: ['traefik.io'], resources: ['ingressroutes', 'ingressroutetcps'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['create', 'delete'] },
      { apiGroups: [''], resources: ['services'], verbs: ['create'] },
    ]);
    // Traefik watches only the gateway's and the clusters' namespaces (--providers.kubernetescrd.namespaces), with
    // cluster-scoped lookups off: namespaced reads there only (v3.1+ reads endpointslices instead of endpoints,
    // Traefik v3 migration guide "v3.0 to v3.1 Kubernetes Provider RBACs"). It reads those namespaces' Secrets too.
    this.serviceAccount(proxyName, namespace, labels('proxy'), [], [...new Set([namespace, ...clusterNamespaces])], [
      { apiGroups: [''], resources: ['services', 'secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      {
        apiGroups: ['traefik.io'],
        resources: ['ingressroutes', 'ingressroutetcps', 'ingressrouteudps', 'middlewares', 'middlewaretcps', 'serverstransports',
          'serverstransporttcps', 'tlsoptions', 'tlsstores', 'traefikservices'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);

    deploymentOf(this, 'Api', { name: apiName, namespace, labels: labels('api'), selector: selector('api'), replicas, template: apiPod });
    serviceOf(this, 'ApiService', {
      name: apiName, namespace, labels: labels('api'), selector: selector('api'),
      ports: [{ name: 'api', port: GATEWAY_API_PORT, targetPort: 'api' }],
    });
    deploymentOf(this, 'Controller', {
      name: controllerName, namespace, labels: labels('controller'), selector: selector('controller'), replicas: 1, template: controllerPod, recreate: true,
      // the cluster model: this Deployment reconciles the gateway's DaskClusters (CRD: the dask-gateway-crds add-on)
      annotations: { [ANNOTATION_CONTROLLER_FOR]: 'gateway.dask.org/DaskCluster' },
    });
    deploymentOf(this, 'Proxy', {
      name: proxyName, namespace, labels: labels('proxy'), selector: selector('proxy'), replicas, template: proxyPod.template,
      // Traefik's Kubernetes CRD provider serves the IngressRoutes and Middlewares
      annotations: { [ANNOTATION_CONTROLLER_FOR]: 'traefik.io/IngressRoute,traefik.io/Middleware' },
    });
    serviceOf(this, 'ProxyService', {
      name: proxyName, namespace, labels: labels('proxy'), selector: selector('proxy'), type: props.proxyServiceType ?? 'ClusterIP',
      ports: [{ name: 'web', port: 80, targetPort: 'web' }, { name: 'tcp', port: SCHEDULER_PORT, targetPort: 'tcp' }],
    });

    if (props.publicAddress) {
      const pub = props.publicAddress;
      const tlsSecretName = tlsSecret!.name;
      k8sObject(this, 'PublicIngress', k8s.KubeIngress, {
        metadata: { name: proxyName, namespace, labels: labels('proxy') },
        spec: {
          ingressClassName: pub.ingressClassName,
          tls: [{ hosts: [pub.host], secretName: tlsSecretName }],
          rules: [{ host: pub.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: proxyName, port: { name: 'web' } } } }] } }],
        },
      });
    }

    if (loginCheck) {
      this.dashboardAuthService({
        name: dashboardAuthName, namespace, instance: name, labels: labels('dashboard-auth'), selector: selector('dashboard-auth'), host: props.publicAddress!.host,
        options: dashboardAuth!._options!, serviceName: dashboardServiceName, hubApiUrl: auth._apiUrl!,
        teams: teams.length > 0
          ? Object.fromEntries(teams.map((t) => [t.team.namespace, [...t.groups]]))
          : Object.fromEntries(clusterNamespaces.map((ns) => [ns, ['*']])),
      });
    }

    // the API route on the proxy; the controller adds one dashboard route per cluster at run time,
    // under /clusters/<namespace>.<cluster>/, which this middleware strips before the dashboard
    traefikRoute(this, 'ApiRoute', {
      name: apiName, namespace, instance: name, labels: labels('api'), pathPrefix: '/', serviceName: apiName, servicePort: GATEWAY_API_PORT,
    });
    stripPrefixMiddleware(this, 'ClustersPrefix', {
      name: middlewareName, namespace, instance: name, labels: labels('proxy'), regex: '/clusters/[a-zA-Z0-9.-]+',
    });

    // the traffic of the clusters the gateway's controller creates in each cluster namespace (dask-gateway-server's
    // KubeBackend labels them app.kubernetes.io/component dask-scheduler / dask-worker and gateway.dask.org/instance)
    const flow = (from: FlowParty, to: FlowParty, port: number, why: string) => Flows.declare(this, { from, to, port, why });
    const schedulers: FlowParty[] = [];
    for (const ns of clusterNamespaces) {
      const scheduler = { namespace: ns, labels: { [LABEL_GATEWAY_INSTANCE]: name, 'app.kubernetes.io/component': 'dask-scheduler' }, name: 'dask scheduler (gateway)' };
      const worker = { namespace: ns, labels: { [LABEL_GATEWAY_INSTANCE]: name, 'app.kubernetes.io/component': 'dask-worker' }, name: 'dask worker (gateway)' };
      schedulers.push(scheduler);
      flow(worker, scheduler, SCHEDULER_PORT, 'workers register with their scheduler and take tasks');
      flow(scheduler, worker, DASK_WORKER_SAMPLE_PORT, 'the scheduler calls its workers (they listen on random ports 1024-65535)');
      flow(worker, worker, DASK_WORKER_SAMPLE_PORT, 'workers exchange data with each other (random ports)');
      flow({ namespace, labels: selector('proxy'), name: 'gateway proxy' }, scheduler, SCHEDULER_PORT, 'clients reach their scheduler through the proxy (TLS passthrough)');
      flow({ namespace, labels: selector('proxy'), name: 'gateway proxy' }, scheduler, DASHBOARD_PORT, 'the dashboard link goes through the proxy');
      // dask-gateway-server backends/kubernetes/controller.py starts schedulers with `--dg-api-address :8788`:
      // dask_gateway/scheduler_preload.py serves the gateway's scale, adapt and shutdown requests there
      flow({ namespace, labels: selector('api'), name: 'gateway API' }, scheduler, WORKER_DASHBOARD_PORT, 'the API server sends scale, adapt and shutdown requests to the scheduler\'s API');

      // schedulers: reachable only from the instance's own cluster pods, the proxy and the API server
      schedulerNetworkPolicy(this, clusterNamespaces.length === 1 ? 'SchedulerPolicy' : `SchedulerPolicy-${ns}`, {
        name: `${name}-schedulers`,
        namespace: ns,
        labels: labels('scheduler'),
        schedulerLabels: { [LABEL_GATEWAY_INSTANCE]: name, 'app.kubernetes.io/component': 'dask-scheduler' },
        peers: [
          { podLabels: { [LABEL_GATEWAY_INSTANCE]: name }, ports: [SCHEDULER_PORT, DASHBOARD_PORT] },
          { namespace, podLabels: selector('proxy'), ports: [SCHEDULER_PORT, DASHBOARD_PORT] },
          { namespace, podLabels: selector('api'), ports: [WORKER_DASHBOARD_PORT] },
        ],
      });
    }

    this.namespacePolicies({ namespace, clusterNamespaces, name, selector, labels, auth, apiCidr: props.kubernetesApiCidr ?? '0.0.0.0/0', flow, schedulers, dashboardAuth: !!loginCheck });
  }

  /**
   * The gateway namespace's NetworkPolicies: deny all, then exactly the gateway's own flows (each
   * declared, so the cluster model proves them): DNS; users and the proxy → API 8000; schedulers →
   * API 8000 (heartbeat); proxy → schedulers; API → JupyterHub (auth); API, controller and proxy →
   * the Kubernetes API (443/6443); anyone → the proxy (web 8000, scheduler TLS 8786).
   */
  private namespacePolicies(o: {
    namespace: string; clusterNamespaces: readonly string[]; name: string; auth: DaskGatewayAuth; apiCidr: string;
    selector: (c: string) => Record<string, string>; labels: (c: string) => Record<string, string>;
    flow: (from: FlowParty, to: FlowParty, port: number, why: string) => void; schedulers: readonly FlowParty[]; dashboardAuth: boolean;
  }): void {
    const { namespace, selector } = o;
    const api = { namespace, labels: selector('api'), name: 'gateway API' };
    const proxy = { namespace, labels: selector('proxy'), name: 'gateway proxy' };
    const controller = { namespace, labels: selector('controller'), name: 'gateway controller' };
    const k8sApi = { cidr: o.apiCidr, name: 'Kubernetes API' };
    const dns = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, name: 'cluster DNS' };
    const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
    const nsIs = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
    const hub = o.auth._hubEndpoint;
    // the gateway's cluster pods, in every namespace its clusters run in
    const clusterPods = o.clusterNamespaces.map((ns) => ({ namespaceSelector: nsIs(ns), podSelector: { matchLabels: { [LABEL_GATEWAY_INSTANCE]: o.name } } }));
    const policies: Record<string, k8s.NetworkPolicySpec> = {
      'default-deny': { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      'allow-dns': {
        podSelector: {}, policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: nsIs('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, ...tcp(53)] }],
      },
      'allow-api': {
        podSelector: { matchLabels: selector('api') }, policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ podSelector: { matchLabels: selector('proxy') } }], ports: tcp(GATEWAY_API_PORT) },
          { from: clusterPods, ports: tcp(GATEWAY_API_PORT) },
        ],
        egress: [
          { to: [{ ipBlock: { cidr: o.apiCidr } }], ports: tcp(443, 6443) },
          { to: clusterPods, ports: tcp(WORKER_DASHBOARD_PORT) },
          ...(hub ? [{ to: [{ namespaceSelector: nsIs(hub.namespace) }], ports: tcp(hub.port) }] : []),
        ],
      },
      'allow-controller': {
        podSelector: { matchLabels: selector('controller') }, policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: o.apiCidr } }], ports: tcp(443, 6443) }],
      },
      'allow-proxy': {
        podSelector: { matchLabels: selector('proxy') }, policyTypes: ['Ingress', 'Egress'],
        // users (JupyterHub servers, notebooks, a load balancer) reach the gateway through the proxy
        ingress: [{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(GATEWAY_API_PORT, SCHEDULER_PORT) }],
        egress: [
          { to: [{ podSelector: { matchLabels: selector('api') } }], ports: tcp(GATEWAY_API_PORT) },
          { to: clusterPods, ports: tcp(SCHEDULER_PORT, DASHBOARD_PORT) },
          { to: [{ ipBlock: { cidr: o.apiCidr } }], ports: tcp(443, 6443) },
          // the forwardAuth check of every dashboard request, and the OAuth callback route
          ...(o.dashboardAuth ? [{ to: [{ podSelector: { matchLabels: selector('dashboard-auth') } }], ports: tcp(DASHBOARD_AUTH_PORT) }] : []),
        ],
      },
      ...(o.dashboardAuth ? {
        'allow-dashboard-auth': {
          podSelector: { matchLabels: selector('dashboard-auth') }, policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: { matchLabels: selector('proxy') } }], ports: tcp(DASHBOARD_AUTH_PORT) }],
          egress: hub ? [{ to: [{ namespaceSelector: nsIs(hub.namespace) }], ports: tcp(hub.port) }] : [],
        } as k8s.NetworkPolicySpec,
      } : {}),
    };
    for (const [id, spec] of Object.entries(policies)) {
      k8sObject(this, `policy-${id}`, k8s.KubeNetworkPolicy, { metadata: { name: `${o.name}-${id}`, namespace, labels: o.labels('network-policy') }, spec });
    }
    for (const pods of [api, proxy, controller]) o.flow(pods, dns, 53, 'name resolution');
    // users reach the gateway through the proxy from any namespace or address (a load balancer)
    const users = { cidr: '0.0.0.0/0', name: 'users' };
    o.flow(users, proxy, GATEWAY_API_PORT, 'Gateway() and the dashboard links, from a notebook or a browser');
    o.flow(users, proxy, SCHEDULER_PORT, 'the client\'s TLS connection to its scheduler, routed by SNI');
    o.flow(proxy, api, GATEWAY_API_PORT, 'the proxy routes users\' API calls to the API server');
    for (const s of o.schedulers) o.flow(s, api, GATEWAY_API_PORT, 'the scheduler heartbeats to the gateway (scale, adapt, idle shutdown)');
    for (const pods of [api, controller, proxy]) o.flow(pods, k8sApi, 443, `${pods.name} watches and changes DaskClusters, pods and routes`);
    if (hub) o.flow(api, { namespace: hub.namespace, labels: jupyterhubPodLabels('hub'), name: 'JupyterHub hub' }, hub.port, 'users\' JupyterHub tokens are checked against the hub API');
    if (o.dashboardAuth) {
      const check = { namespace, labels: selector('dashboard-auth'), name: 'dashboard login check' };
      o.flow(check, dns, 53, 'name resolution');
      o.flow(proxy, check, DASHBOARD_AUTH_PORT, 'Traefik asks the login check about every dashboard request (forwardAuth), and routes the OAuth callback to it');
      if (hub) o.flow(check, { namespace: hub.namespace, labels: jupyterhubPodLabels('hub'), name: 'JupyterHub hub' }, hub.port, 'the OAuth code exchange and the user lookup (hub API)');
    }
  }

  /**
   * The dashboards' login check: the forwardAuth service (DASHBOARD_AUTH_PY on the z2jh hub image),
   * its ConfigMap, Deployment (one replica: OAuth states live in its memory) and Service, the
   * IngressRoute of its OAuth callback on the public host, and the forwardAuth Middleware.
   */
  private dashboardAuthService(o: {
    name: string; namespace: string; instance: string; labels: Record<string, string>; selector: Record<string, string>; host: string;
    options: { hubUrl: string; apiTokenSecret: SecretKey }; serviceName: string; hubApiUrl: string; teams: Record<string, string[]>;
  }): void {
    const problems = new Problems(this);
    secretKeyName(this, problems, 'dashboardAuth.apiTokenSecret', o.options.apiTokenSecret, o.namespace,
      `JUPYTERHUB_API_TOKEN of the dashboards' login check: the token of the JupyterHub service ${o.serviceName} (its OAuth client secret)`);
    new k8s.KubeConfigMap(this, 'DashboardAuthScript', { metadata: { name: o.name, namespace: o.namespace, labels: o.labels }, data: { 'dashboard_auth.py': DASHBOARD_AUTH_PY } });
    const health = { httpGet: { path: `${DASHBOARD_AUTH_PREFIX}health`, port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 };
    const pod = buildPodTemplate(this, problems, 'dashboardAuth', {
      namespace: o.namespace,
      labels: o.labels,
      volumes: [{ name: 'script', configMap: { name: o.name } }],
      containers: [{
        name: 'login-check',
        image: DASHBOARD_AUTH_IMAGE,
        command: ['python3', '/etc/mlscale/dashboard_auth.py'],
        // jupyterhub/services/auth.py (5.4.4) HubOAuth reads its settings from these
        env: {
          JUPYTERHUB_API_TOKEN: o.options.apiTokenSecret,
          JUPYTERHUB_API_URL: o.hubApiUrl,
          JUPYTERHUB_SERVICE_NAME: o.serviceName,
          JUPYTERHUB_CLIENT_ID: `service-${o.serviceName}`,
          JUPYTERHUB_SERVICE_PREFIX: DASHBOARD_AUTH_PREFIX,
          JUPYTERHUB_OAUTH_CALLBACK_URL: `https://${o.host}${DASHBOARD_AUTH_PREFIX}oauth_callback`,
          // browsers log in at the hub's public URL (authorize), the code is exchanged at the API URL
          JUPYTERHUB_HOST: o.options.hubUrl.replace(/\/$/, ''),
          JUPYTERHUB_BASE_URL: '/',
          JUPYTERHUB_PUBLIC_URL: `https://${o.host}${DASHBOARD_AUTH_PREFIX}`,
          JUPYTERHUB_OAUTH_ACCESS_SCOPES: JSON.stringify([`access:services!service=${o.serviceName}`]),
          // the login cookie must reach /clusters/... and /dask/..., not only the service's prefix
          JUPYTERHUB_COOKIE_OPTIONS: JSON.stringify({ path: '/', secure: true }),
          MLSCALE_DASHBOARD_TEAMS: JSON.stringify(o.teams),
          PORT: String(DASHBOARD_AUTH_PORT),
        },
        ports: [{ name: 'http', port: DASHBOARD_AUTH_PORT }],
        resources: { cpu: 0.1, memory: '256Mi' },
        volumeMounts: [{ name: 'script', mountPath: '/etc/mlscale', readOnly: true }],
        readinessProbe: health,
        livenessProbe: { ...health, failureThreshold: 3 },
      }],
    });
    problems.throwIfAny();
    deploymentOf(this, 'DashboardAuth', { name: o.name, namespace: o.namespace, labels: o.labels, selector: o.selector, replicas: 1, template: pod.template, recreate: true });
    serviceOf(this, 'DashboardAuthService', {
      name: o.name, namespace: o.namespace, labels: o.labels, selector: o.selector, ports: [{ name: 'http', port: DASHBOARD_AUTH_PORT, targetPort: 'http' }],
    });
    // the OAuth callback, on the public host (the hub redirects browsers there)
    traefikRoute(this, 'DashboardAuthRoute', {
      name: o.name, namespace: o.namespace, instance: o.instance, labels: o.labels, pathPrefix: DASHBOARD_AUTH_PREFIX, serviceName: o.name, servicePort: DASHBOARD_AUTH_PORT,
    });
    forwardAuthMiddleware(this, 'DashboardAuthMiddleware', {
      name: o.name, namespace: o.namespace, instance: o.instance, labels: o.labels,
      address: `http://${o.name}.${o.namespace}:${DASHBOARD_AUTH_PORT}${DASHBOARD_AUTH_PREFIX}auth`,
    });
  }

  /**
   * Pod template of the API server or the controller (they call the Kubernetes API). `args` replace
   * the image's CMD and keep its ENTRYPOINT (`tini -g --`, dask-gateway-server/Dockerfile at
   * 2026.3.0), so tini still reaps and forwards signals.
   */
  private serverPod(problems: Problems, field: 'api' | 'controller', labels: Record<string, string>, auth: DaskGatewayAuth | undefined,
    args: string[], serviceAccountName: string, configMap: string, namespace: string): k8s.PodTemplateSpec {
    return buildPodTemplate(this, problems, field, {
      namespace,
      labels,
      serviceAccount: { serviceAccountName },
      automountServiceAccountToken: true,
      volumes: [{ name: 'config', configMap: { name: configMap } }],
      containers: [{
        name: field === 'api' ? 'gateway' : 'controller',
        image: DASK_GATEWAY_SERVER_IMAGE,
        args,
        env: auth?._env,
        ports: [{ name: 'api', port: GATEWAY_API_PORT }],
        resources: { cpu: 0.5, memory: '512Mi' },
        volumeMounts: [{ name: 'config', mountPath: '/etc/dask-gateway', readOnly: true }],
        ...(field === 'api' ? {
          readinessProbe: { httpGet: { path: '/api/health', port: k8s.IntOrString.fromString('api') }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
          livenessProbe: { httpGet: { path: '/api/health', port: k8s.IntOrString.fromString('api') }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 6 },
        } : {}),
      }],
    }).template;
  }

  /**
   * A ServiceAccount with `clusterRules` (a ClusterRole: cluster-wide reads only) and `rules` (a Role
   * in each of `namespaces`).
   */
  private serviceAccount(name: string, namespace: string, labels: Record<string, string>, clusterRules: k8s.PolicyRule[],
    namespaces: readonly string[], rules: k8s.PolicyRule[]): void {
    new k8s.KubeServiceAccount(this, `${name}-sa`, { metadata: { name, namespace, labels }, automountServiceAccountToken: false });
    const subjects = [{ kind: 'ServiceAccount', name, namespace }];
    if (clusterRules.length > 0) {
      new k8s.KubeClusterRole(this, `${name}-role`, { metadata: { name, labels }, rules: clusterRules });
      new k8s.KubeClusterRoleBinding(this, `${name}-binding`, {
        metadata: { name, labels }, subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      });
    }
    for (const ns of namespaces) {
      new k8s.KubeRole(this, `${name}-role-${ns}`, { metadata: { name, namespace: ns, labels }, rules });
      new k8s.KubeRoleBinding(this, `${name}-binding-${ns}`, {
        metadata: { name, namespace: ns, labels }, subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      });
    }
  }
}

/** Everything the gateway configuration is rendered from. */
interface GatewayConfigInputs {
  readonly apiUrl: string;
  readonly instance: string;
  readonly clusterNamespace: string;
  readonly image: string;
  readonly auth: DaskGatewayAuth;
  readonly idle: number;
  readonly limits: DaskGatewayClusterLimits;
  readonly teams: ReadonlyArray<{ namespace: string; groups: string[]; limits: DaskGatewayClusterLimits; maxWorkerCores?: number; maxWorkerGpus?: number }>;
  readonly sched: { readonly cores: number; readonly memoryGiB: number };
  readonly environment: Readonly<Record<string, string>>;
  readonly options: readonly ResolvedOption[];
  readonly gpu?: GpuPlacement;
  readonly podExtra: Record<string, PyValue>;
  readonly containerExtra: Record<string, PyValue>;
  /** Node selector and tolerations of the Dask pool, for CPU workers (when the cluster has one and `clusterPods.placement` is unset). */
  readonly daskPool?: Record<string, PyValue>;
  /** Node selector and tolerations of GPU workers: the GPU class's and the workers' placement. */
  readonly gpuPlacement?: ResolvedPlacement;
}

/** The ClusterConfig limit traits of limits (memory in bytes). */
function limitOverrides(l: DaskGatewayClusterLimits): Record<string, number> {
  return {
    ...(l.maxWorkers !== undefined ? { cluster_max_workers: l.maxWorkers } : {}),
    ...(l.maxCores !== undefined ? { cluster_max_cores: l.maxCores } : {}),
    ...(l.maxMemoryGiB !== undefined ? { cluster_max_memory: Math.floor(l.maxMemoryGiB * GIB) } : {}),
  };
}

function checkClusterLimits(problems: Problems, field: string, l: DaskGatewayClusterLimits): void {
  if (l.maxWorkers !== undefined) problems.check(Number.isInteger(l.maxWorkers) && l.maxWorkers >= 1, `${field}.maxWorkers`, 'must be a whole number ≥ 1', l.maxWorkers, 'an integer ≥ 1');
  if (l.maxCores !== undefined) problems.check(Number.isFinite(l.maxCores) && l.maxCores > 0, `${field}.maxCores`, 'must be positive', l.maxCores, 'a number of cores > 0');
  if (l.maxMemoryGiB !== undefined) problems.check(Number.isFinite(l.maxMemoryGiB) && l.maxMemoryGiB > 0, `${field}.maxMemoryGiB`, 'must be positive', l.maxMemoryGiB, 'a number of GiB > 0');
}

/** The default of an offered option, or the fixed value. */
function fixed(options: readonly ResolvedOption[], field: string, otherwise: number): number {
  const o = options.find((x) => x.field === field);
  return o ? (o.default as number) : otherwise;
}

/**
 * Renders dask_gateway_config.py: deterministic, every user value through pyString/pyLiteral.
 * Options are declared with `Options(...)` and a handler that turns them into KubeClusterConfig
 * overrides (resources and limits, image, GPU placement and /dev/shm, environment).
 */
function renderGatewayConfig(i: GatewayConfigInputs): string {
  const has = (f: string) => i.options.some((o) => o.field === f);
  const cores = fixed(i.options, 'worker_cores', DEFAULT_WORKER_CORES);
  const memory = Math.floor(fixed(i.options, 'worker_memory', DEFAULT_WORKER_MEMORY_GIB) * GIB);
  const lines: string[] = [
    '# Generated by mlscale (constructs/dask/dask-gateway.ts) from typed TypeScript. Do not edit.',
    'import os',
    '',
    'from dask_gateway_server.options import Float, Integer, Mapping, Options, Select',
    '',
    'c.DaskGateway.log_level = "INFO"',
    `c.DaskGateway.address = ":${GATEWAY_API_PORT}"`,
    'c.DaskGateway.backend_class = "dask_gateway_server.backends.kubernetes.KubeBackend"',
    `c.KubeBackend.api_url = ${pyString(i.apiUrl)}`,
    `c.KubeBackend.gateway_instance = ${pyString(i.instance)}`,
    '',
    '# Authentication',
    ...i.auth._lines,
    '',
    '# Clusters: fixed settings (an offered option overrides its field per cluster)',
    `c.KubeClusterConfig.namespace = ${pyString(i.clusterNamespace)}`,
    `c.KubeClusterConfig.image = ${pyString(i.image)}`,
    `c.KubeClusterConfig.scheduler_cores = ${pyFloat(i.sched.cores)}`,
    `c.KubeClusterConfig.scheduler_cores_limit = ${pyFloat(i.sched.cores)}`,
    `c.KubeClusterConfig.scheduler_memory = ${Math.floor(i.sched.memoryGiB * GIB)}`,
    `c.KubeClusterConfig.scheduler_memory_limit = ${Math.floor(i.sched.memoryGiB * GIB)}`,
    `c.KubeClusterConfig.worker_cores = ${pyFloat(cores)}`,
    `c.KubeClusterConfig.worker_cores_limit = ${pyFloat(cores)}`,
    `c.KubeClusterConfig.worker_threads = ${Math.max(1, Math.floor(cores))}`,
    `c.KubeClusterConfig.worker_memory = ${memory}`,
    `c.KubeClusterConfig.worker_memory_limit = ${memory}`,
    `c.KubeClusterConfig.environment = ${pyLiteral(i.environment as PyValue)}`,
    `c.KubeClusterConfig.idle_timeout = ${pyFloat(i.idle)}`,
    '',
    '# Limits of one cluster (ClusterConfig: scale and adapt requests are capped; a team\'s replace them)',
    ...Object.entries(limitOverrides(i.limits)).map(([k, v]) => `c.KubeClusterConfig.${k} = ${pyLiteral(v)}`),
    '',
    '# Pod Security restricted for schedulers and workers',
    `_POD_EXTRA = ${pyLiteral(i.podExtra)}`,
    `_CONTAINER_EXTRA = ${pyLiteral(i.containerExtra)}`,
    'c.KubeClusterConfig.scheduler_extra_pod_config = _POD_EXTRA',
    'c.KubeClusterConfig.scheduler_extra_container_config = _CONTAINER_EXTRA',
    ...(i.daskPool
      ? ['', '# CPU workers run on the Dask pool (GPU workers get their GPU placement instead)', `_DASK_POOL = ${pyLiteral(i.daskPool)}`,
        'c.KubeClusterConfig.worker_extra_pod_config = {**_POD_EXTRA, **_DASK_POOL}']
      : ['c.KubeClusterConfig.worker_extra_pod_config = _POD_EXTRA']),
    'c.KubeClusterConfig.worker_extra_container_config = _CONTAINER_EXTRA',
  ];
  if (i.options.length === 0 && i.teams.length === 0) return `${lines.join('\n')}\n`;

  const handler: string[] = ['def _mlscale_options_handler(options, user):', '    config = {}'];
  if (i.teams.length > 0) {
    lines.push('', '# Teams: a user\'s clusters run in the namespace of the first team one of whose groups they are in, with its bounds',
      `_TEAMS = ${pyLiteral(i.teams.map((t) => ({
        namespace: t.namespace, groups: t.groups, limits: limitOverrides(t.limits),
        ...(t.maxWorkerCores !== undefined ? { max_worker_cores: t.maxWorkerCores } : {}),
        ...(t.maxWorkerGpus !== undefined ? { max_worker_gpus: t.maxWorkerGpus } : {}),
      })) as PyValue)}`,
      '',
      '',
      'def _mlscale_team(user):',
      '    for team in _TEAMS:',
      '        if set(team["groups"]) & set(user.groups):',
      '            return team',
      '    groups = sorted({g for team in _TEAMS for g in team["groups"]})',
      '    raise ValueError("%s is in no team of this gateway: ask to be added to one of the groups %s" % (user.name, ", ".join(groups)))',
    );
    handler.push('    team = _mlscale_team(user)', '    config["namespace"] = team["namespace"]', '    config.update(team["limits"])');
    if (has('worker_cores')) {
      handler.push(
        '    if options.worker_cores > team.get("max_worker_cores", options.worker_cores):',
        '        raise ValueError("worker_cores=%d is over the %d cores per worker of team %s" % (options.worker_cores, team["max_worker_cores"], team["namespace"]))',
      );
    }
    if (has('worker_gpus')) {
      handler.push(
        '    if options.worker_gpus > team.get("max_worker_gpus", options.worker_gpus):',
        '        raise ValueError("worker_gpus=%d is over the %d GPUs per worker of team %s" % (options.worker_gpus, team["max_worker_gpus"], team["namespace"]))',
      );
    }
  }
  if (has('worker_cores')) {
    handler.push('    config["worker_cores"] = options.worker_cores', '    config["worker_cores_limit"] = options.worker_cores',
      '    config["worker_threads"] = options.worker_cores');
  }
  handler.push(has('worker_memory') ? '    memory = int(options.worker_memory * 2**30)' : `    memory = ${memory}`);
  if (has('worker_memory')) handler.push('    config["worker_memory"] = memory', '    config["worker_memory_limit"] = memory');
  if (has('image')) handler.push('    config["image"] = options.image');
  if (has('environment')) handler.push('    config["environment"] = {**_ENVIRONMENT, **options.environment}');
  if (has('worker_gpus') && i.gpu) {
    const cuda = i.options.find((o) => o.field === 'image')?.cudaChoices ?? [];
    lines.push('', `# GPU workers: ${i.gpu.type}, on an image with CUDA and dask-cuda-worker`, `_GPU_POD_EXTRA = ${pyLiteral(i.gpuPlacement as unknown as PyValue)}`,
      `_CUDA_IMAGES = ${pyLiteral(cuda as PyValue)}`);
    handler.push(
      '    gpus = options.worker_gpus',
      '    if gpus > 0 and options.image not in _CUDA_IMAGES:',
      '        raise ValueError("image %s has no CUDA (no dask-cuda-worker): for GPU workers pick one of %s" % (options.image, ", ".join(_CUDA_IMAGES)))',
      '    if gpus > 0:',
      '        shm = "%dMi" % max(64, memory // 4 // 2**20)',
      '        config["worker_cmd"] = "dask-cuda-worker"',
      '        config["worker_extra_pod_config"] = {',
      '            **_POD_EXTRA,',
      '            **_GPU_POD_EXTRA,',
      `            "volumes": ${i.podExtra.volumes ? '_POD_EXTRA["volumes"] + ' : ''}[{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": shm}}],`,
      '        }',
      '        config["worker_extra_container_config"] = {',
      '            **_CONTAINER_EXTRA,',
      `            "resources": {"requests": {${pyString(i.gpu.resourceName)}: gpus}, "limits": {${pyString(i.gpu.resourceName)}: gpus}},`,
      `            "volumeMounts": ${i.containerExtra.volumeMounts ? '_CONTAINER_EXTRA["volumeMounts"] + ' : ''}[{"name": "dshm", "mountPath": "/dev/shm"}],`,
      '        }',
    );
  }
  // dask-gateway enforces only cluster_max_workers at run time (routes.py scale/adapt, backend.py heartbeat); it
  // derives it from the core and memory caps while building the cluster's config, in an order that follows
  // hash seeds when the handler overrides fields the file also sets (backends/base.py validators): compute it here
  lines.push('', '# The worker cap of a cluster from its limits and its worker size (scheduler included)',
    `_LIMITS = ${pyLiteral(limitOverrides(i.limits))}`,
    `_SCHEDULER = {"cores": ${pyFloat(i.sched.cores)}, "memory": ${Math.floor(i.sched.memoryGiB * GIB)}}`,
    '',
    '',
    'def _mlscale_max_workers(limits, cores, memory):',
    '    n = limits.get("cluster_max_workers")',
    '    if "cluster_max_cores" in limits:',
    '        k = int((limits["cluster_max_cores"] - _SCHEDULER["cores"]) // cores)',
    '        n = k if n is None else min(n, k)',
    '    if "cluster_max_memory" in limits:',
    '        k = int((limits["cluster_max_memory"] - _SCHEDULER["memory"]) // memory)',
    '        n = k if n is None else min(n, k)',
    '    return n',
  );
  handler.push(
    `    workers = _mlscale_max_workers(${i.teams.length > 0 ? 'team["limits"]' : '_LIMITS'}, ${has('worker_cores') ? 'options.worker_cores' : pyFloat(cores)}, memory)`,
    '    if workers is not None:',
    '        config["cluster_max_workers"] = workers',
    '    return config',
  );
  if (has('environment')) lines.push('', `_ENVIRONMENT = ${pyLiteral(i.environment as PyValue)}`);
  lines.push(
    '',
    '# Cluster options offered to users',
    ...handler,
    '',
    '',
    'c.Backend.cluster_options = Options(',
    ...i.options.map((o) => `    ${renderOptionField(o)},`),
    '    handler=_mlscale_options_handler,',
    ')',
  );
  return `${lines.join('\n')}\n`;
}
