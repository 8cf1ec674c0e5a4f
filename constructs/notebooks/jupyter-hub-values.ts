import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { jupyterhubPodLabels } from '../cluster/chart-policies';
import { Flows } from '../cluster/flows';
import {
  Artifacts, ClusterProfile, PodMount, PodSecurity, Problems, RESOURCE_NVIDIA_GPU, Resources, checkImage, checkMountNamespace, cpuMillis, memoryBytes, resolveResources,
} from '../core';
import { DASK_GATEWAY_VERSION } from '../dask/constants';
import { DaskImageContents, daskImageContents } from '../dask/images';
import { PyValue, pyLiteral } from '../dask/python';

/** One server profile users pick when they start a JupyterHub server. */
export interface JupyterProfile {
  /** Name shown in the spawner form, e.g. "CPU · 4 cores · 16 GiB". */
  readonly displayName: string;
  /**
   * Longer description in the form.
   * @default - none
   */
  readonly description?: string;
  /** Pinned image of the single-user server. */
  readonly image: string;
  /**
   * What the image holds: with a `daskGateway`, its dask-gateway client and dask must be the gateway's.
   * @default - the entry of KNOWN_DASK_IMAGES, if any
   */
  readonly contents?: DaskImageContents;
  /**
   * CPU, memory and GPUs (GPU placement follows the app's ClusterProfile).
   * @default { cpu: 1, memory: '4Gi' }
   */
  readonly resources?: Resources;
  /**
   * Preselected in the form.
   * @default false
   */
  readonly default?: boolean;
  /**
   * JupyterHub groups whose members are offered this profile (a team's groups, as the Dask Gateway's
   * `teams` name them).
   * @default - everyone
   */
  readonly groups?: readonly string[];
}

/** The Dask Gateway the notebooks talk to. */
export interface DaskGatewayEndpoint {
  /** HTTP address of the gateway API, e.g. `http://traefik-dask-gateway.dask-gateway.svc`. */
  readonly address: string;
  /**
   * Scheduler proxy address.
   * @default - `gateway://<host of address>:80`
   */
  readonly proxyAddress?: string;
  /**
   * Labels of the gateway's proxy pods (`DaskGateway.proxyPodLabels`): the servers' flows to the proxy are declared with them.
   * @default - no flow is declared
   */
  readonly proxyPodLabels?: Readonly<Record<string, string>>;
  /**
   * The gateway's JupyterHub service (`DaskGateway.jupyterHubServiceName`): registered with the hub,
   * and users and their servers' tokens get `access:services!service=<name>`, which the gateway requires.
   * @default - not registered (a gateway with simple auth)
   */
  readonly serviceName?: string;
  /**
   * The gateway's public address (`DaskGateway.publicAddress`): dashboard links users get point there.
   * @default - in-cluster links
   */
  readonly publicAddress?: string;
  /**
   * The dashboards' OAuth service (`DaskGateway.dashboardService`): registered with the hub, and every
   * user may log in to it (which dashboards they then see is the gateway's team check).
   * @default - not registered (dashboards without the hub login)
   */
  readonly dashboardService?: { readonly name: string; readonly oauthRedirectUri: string };
  /**
   * The dask version of the gateway's cluster images (`DaskGateway.daskVersion`): every profile's
   * image must have it and the gateway's dask-gateway (a client and its clusters must agree).
   * @default - not checked
   */
  readonly daskVersion?: string;
}

/** Props of JupyterHubValues. */
export interface JupyterHubValuesProps {
  /** Server profiles (at least one; at most one default). */
  readonly profiles: readonly JupyterProfile[];
  /**
   * A shared volume mounted into every server: `volume.mount('/home/jovyan/shared')` of a
   * `SharedVolume` of the hub's namespace (the servers run there), or of `SharedVolume.fromClaimName(...)`.
   * @default - none
   */
  readonly sharedVolume?: PodMount;
  /**
   * Dask Gateway pre-set in every server through `DASK_GATEWAY__*` environment variables.
   * @default - none
   */
  readonly daskGateway?: DaskGatewayEndpoint;
  /**
   * Object stores the servers read and write (an `ObjectStore`: its endpoint's namespace and port).
   * The chart's single-user egress policy blocks private addresses by default; each store gets an
   * egress rule.
   * @default - none
   */
  readonly objectStores?: ReadonlyArray<{ readonly endpoint: string }>;
  /**
   * Namespace of the jupyterhub add-on (where the servers run).
   * @default 'jupyterhub' (the add-on catalog's)
   */
  readonly namespace?: string;
  /**
   * Name of the values file written beside the charts.
   * @default - `<chart id>.jupyterhub-values.json`
   */
  readonly fileName?: string;
}

/**
 * JupyterHub (zero-to-jupyterhub Helm chart) values for the notebook servers data scientists
 * use: CPU and GPU profiles, the shared volume, the Dask Gateway address, and Pod Security
 * `restricted` for the single-user pods. Delivered as Helm values through the add-on mechanism
 * (the `jupyterhub` entry of constructs/platform/addons.ts): `values` is the object to merge
 * into the entry's values, and the same JSON is written beside the charts for review (and for
 * Argo CD multi-source `valueFiles`). JSON, not YAML, so the schema gate does not read it as a manifest.
 */
export class JupyterHubValues extends Construct {
  /** The Helm values. */
  public readonly values: Record<string, unknown>;
  /** File name of the values beside the charts. */
  public readonly fileName: string;

  constructor(scope: Construct, id: string, props: JupyterHubValuesProps) {
    super(scope, id);
    const problems = new Problems(this);
    problems.check(props.profiles.length > 0, 'profiles', 'must not be empty', props.profiles.length, 'at least one profile');
    const defaults = props.profiles.filter((p) => p.default).length;
    problems.check(defaults <= 1, 'profiles', 'has more than one default profile', defaults, 'at most one profile with default: true');
    const profileList = props.profiles.map((p, i) => this.profile(problems, `profiles[${i}]`, p));
    props.profiles.forEach((p, i) => {
      if (p.groups !== undefined) problems.check(p.groups.length > 0 && p.groups.every((g) => typeof g === 'string' && g.length > 0), `profiles[${i}].groups`, 'must name at least one JupyterHub group', p.groups, 'e.g. ["team-a"], or no groups for everyone');
    });
    const perGroup = props.profiles.some((p) => p.groups !== undefined);
    const shared = props.sharedVolume;
    const sharedClaim = shared?.volume.persistentVolumeClaim?.claimName;
    if (shared) {
      problems.check(sharedClaim !== undefined, 'sharedVolume', 'is not a claim', shared.volume.name, 'a mount of a SharedVolume (volume.mount(path))');
      checkMountNamespace(problems, 'sharedVolume', shared, props.namespace ?? 'jupyterhub');
    }
    if (props.daskGateway?.daskVersion !== undefined) {
      const want = props.daskGateway.daskVersion;
      props.profiles.forEach((p, i) => {
        const c = daskImageContents(p.image, p.contents);
        problems.check(c?.daskGateway === DASK_GATEWAY_VERSION && c.dask === want, `profiles[${i}].contents`, 'does not match the Dask Gateway\'s clusters', c ?? p.image,
          `an image with dask ${want} and dask-gateway ${DASK_GATEWAY_VERSION} (declare its contents; the client in the notebook must match the clusters)`);
      });
    }
    if (props.daskGateway) {
      problems.check(/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/.*)?$/.test(props.daskGateway.address), 'daskGateway.address', 'is not an HTTP URL',
        props.daskGateway.address, 'e.g. "http://traefik-dask-gateway.dask-gateway.svc"');
    }
    problems.throwIfAny();

    const security = PodSecurity.restricted({ runAsGroup: 100, fsGroup: 100 });
    this.fileName = props.fileName ?? `${Chart.of(this).node.id}.jupyterhub-values.json`;
    const gatewayNamespace = props.daskGateway ? namespaceOfHost(new URL(props.daskGateway.address).hostname) : undefined;
    // the in-cluster services the servers reach: one list for the chart's egress values and the declared flows
    // (a flow needs the destination pods' labels: for the gateway, `proxyPodLabels`)
    const targets: Array<{ namespace: string; ports: number[]; name: string; labels?: Readonly<Record<string, string>>; why: string }> = [];
    if (gatewayNamespace) {
      targets.push({ namespace: gatewayNamespace, ports: [GATEWAY_PROXY_TARGET_PORT, GATEWAY_PROXY_SCHEDULER_PORT], name: 'gateway proxy', labels: props.daskGateway?.proxyPodLabels, why: 'Gateway() and the cluster connections from a notebook server' });
    }
    for (const s of props.objectStores ?? []) {
      const url = new URL(s.endpoint);
      const ns = namespaceOfHost(url.hostname);
      if (ns) targets.push({ namespace: ns, ports: [Number(url.port || 80)], name: 'object store', labels: {}, why: 'datasets and results from a notebook server' });
    }
    const egress = targets.map((t) => ({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': t.namespace } } }], ports: t.ports.map((port) => ({ port, protocol: 'TCP' })) }));
    const service = props.daskGateway?.serviceName;
    const dashboards = props.daskGateway?.dashboardService;
    this.values = {
      hub: {
        ...(perGroup ? { extraConfig: { 'mlscale-profiles': profilesByGroup(props.profiles, profileList) } } : {}),
        // the gateway as a JupyterHub service (z2jh generates its API token into the hub Secret), and the scope
        // it requires granted to every user and to their servers' tokens (dask-gateway docs/source/authentication.rst;
        // JupyterHub's default `server` role: users:activity!user, access:servers!server)
        ...(service ? {
          services: {
            [service]: { display: false },
            // the dashboards' login check (DaskDashboardAuth.jupyterHub) is an OAuth client without a hub-side URL:
            // its redirect URI on the gateway's public host, no consent page (jupyterhub 5.4.4 app.py services config)
            ...(dashboards ? { [dashboards.name]: { display: false, oauth_no_confirm: true, oauth_redirect_uri: dashboards.oauthRedirectUri } } : {}),
          },
          loadRoles: {
            user: {
              description: dashboards ? 'Every user: themselves, the Dask Gateway and its dashboards\' login' : 'Every user: themselves, and the Dask Gateway',
              scopes: ['self', `access:services!service=${service}`, ...(dashboards ? [`access:services!service=${dashboards.name}`] : [])],
            },
            server: { description: 'A server\'s token: activity, its own server, and the Dask Gateway', scopes: ['users:activity!user', 'access:servers!server', `access:services!service=${service}`] },
          },
        } : {}),
        // the gateway checks users' tokens against the hub API (8081): the hub's ingress policy admits no other namespace by default
        ...(gatewayNamespace ? { networkPolicy: { ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': gatewayNamespace } } }], ports: [{ port: 8081, protocol: 'TCP' }] }] } } : {}),
        config: {
          KubeSpawner: {
            pod_security_context: security.podSecurityContext(),
            container_security_context: security.containerSecurityContext(),
          },
        },
      },
      singleuser: {
        uid: 1000,
        fsGid: 100,
        allowPrivilegeEscalation: false,
        // the default iptables init container needs NET_ADMIN (not `restricted`); network policy blocks metadata instead
        cloudMetadata: { blockWithIptables: false },
        // zero-to-jupyterhub's single-user policy blocks private addresses (egressAllowRules.privateIPs false):
        // allow exactly the gateway (its proxy's web and scheduler ports) and the object stores
        networkPolicy: { enabled: true, ...(egress.length > 0 ? { egress } : {}) },
        extraEnv: props.daskGateway ? daskEnv(props.daskGateway) : {},
        storage: props.sharedVolume ? {
          extraVolumes: [{ name: 'shared', persistentVolumeClaim: { claimName: sharedClaim } }],
          extraVolumeMounts: [{ name: 'shared', mountPath: shared!.volumeMount.mountPath, ...(shared!.volumeMount.readOnly ? { readOnly: true } : {}), ...(shared!.volumeMount.subPath ? { subPath: shared!.volumeMount.subPath } : {}) }],
        } : {},
        // per-group profiles: KubeSpawner.profile_list as a callable of the spawner (hub.extraConfig below)
        ...(perGroup ? {} : { profileList }),
      },
    };
    Artifacts.of(this).add(this.fileName, `${JSON.stringify(this.values, undefined, 2)}\n`);
    // the servers' flows these values open (the model proves them against the chart's own policies)
    const servers = { namespace: props.namespace ?? 'jupyterhub', labels: jupyterhubPodLabels('singleuser-server'), name: 'JupyterHub servers' };
    for (const t of targets) {
      if (!t.labels) continue;
      for (const port of t.ports) Flows.declare(this, { from: servers, to: { namespace: t.namespace, labels: { ...t.labels }, name: t.name }, port, why: t.why });
    }
  }

  /** One kubespawner profile: resources as guarantees = requests and limits, GPU placement from the ClusterProfile. */
  private profile(problems: Problems, field: string, p: JupyterProfile): Record<string, unknown> {
    checkImage(problems, `${field}.image`, p.image);
    const r = resolveResources(problems, `${field}.resources`, p.resources, { cpu: 1, memory: '4Gi' });
    const gpu = r.gpus > 0 ? ClusterProfile.of(this).placeGpus(problems, `${field}.resources`, r.gpus, r.gpuType, r.gpuClass) : undefined;
    const mib = (q: number) => `${Math.floor(q / 2 ** 20)}M`; // kubespawner's M is MiB
    const memBytes = r.memoryLimitBytes;
    return {
      display_name: p.displayName,
      ...(p.description ? { description: p.description } : {}),
      ...(p.default ? { default: true } : {}),
      kubespawner_override: {
        image: p.image,
        cpu_guarantee: cpuMillis(r.cpu) / 1000,
        cpu_limit: cpuMillis(r.cpuLimit) / 1000,
        mem_guarantee: mib(memoryBytes(r.memory) ?? memBytes),
        mem_limit: mib(memBytes),
        ...(gpu ? {
          extra_resource_guarantees: { [RESOURCE_NVIDIA_GPU]: String(r.gpus) },
          extra_resource_limits: { [RESOURCE_NVIDIA_GPU]: String(r.gpus) },
          node_selector: gpu.nodeSelector,
          tolerations: gpu.tolerations,
        } : {}),
      },
    };
  }
}

/**
 * The hub configuration that offers each profile to the groups it names: KubeSpawner's
 * `profile_list` may be a callable of the spawner (kubespawner spawner.py), and `spawner.user.groups`
 * are the user's JupyterHub groups. Rendered through pyLiteral (no user text reaches Python unquoted).
 */
function profilesByGroup(profiles: readonly JupyterProfile[], rendered: ReadonlyArray<Record<string, unknown>>): string {
  const entries = profiles.map((p, i) => ({ groups: p.groups ? [...p.groups] : null, profile: rendered[i] }));
  return [
    '# Generated by mlscale (JupyterHubValues): each profile is offered to the JupyterHub groups it names (none: everyone)',
    `_MLSCALE_PROFILES = ${pyLiteral(entries as unknown as PyValue)}`,
    '',
    '',
    'def _mlscale_profile_list(spawner):',
    '    groups = {g.name for g in spawner.user.groups}',
    '    return [p["profile"] for p in _MLSCALE_PROFILES if p["groups"] is None or groups & set(p["groups"])]',
    '',
    '',
    'c.KubeSpawner.profile_list = _mlscale_profile_list',
    '',
  ].join('\n');
}

/** DASK_GATEWAY__* settings read by dask-gateway's client config. */
function daskEnv(g: DaskGatewayEndpoint): Record<string, string> {
  const host = new URL(g.address).hostname;
  return {
    DASK_GATEWAY__ADDRESS: g.address,
    DASK_GATEWAY__AUTH__TYPE: 'jupyterhub',
    DASK_GATEWAY__PROXY_ADDRESS: g.proxyAddress ?? `gateway://${host}:80`,
    // dask-gateway client config `gateway.public_address`: the address of dashboard links
    ...(g.publicAddress ? { DASK_GATEWAY__PUBLIC_ADDRESS: g.publicAddress } : {}),
  };
}

/** The Traefik proxy's web entrypoint (Service port 80 → container 8000) and scheduler entrypoint, where policies match (destination pod ports). */
const GATEWAY_PROXY_TARGET_PORT = 8000;
const GATEWAY_PROXY_SCHEDULER_PORT = 8786;

/** The namespace of an in-cluster Service host (`svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`), if it is one. */
function namespaceOfHost(host: string): string | undefined {
  const parts = host.split('.');
  return parts.length >= 2 && (parts.length === 2 || parts[2] === 'svc') ? parts[1] : undefined;
}
