/**
 * The Kubernetes Pod Security Standards (`baseline`, `restricted`) as Pod Security admission
 * evaluates them, check by check and version by version, for pods given as plain JSON.
 *
 * Follows k8s.io/pod-security-admission v0.32.13 (the staging copy of kubernetes v1.32.13,
 * `staging/src/k8s.io/pod-security-admission/policy/`; its policy and test folders are unchanged
 * from v0.32.0), so `latest` and any version above v1.32 evaluate the v1.32 rules, as a 1.32 API
 * server does (policy/registry.go caps the requested version at the newest one it knows).
 *
 * Differences in form, not in outcome: upstream reports one result per check naming the bad
 * containers; this reports one violation per offending field (`spec.containers[0].securityContext.privileged`),
 * so a pod is rejected exactly when the list is non-empty. Where upstream returns early (an
 * explicitly bad value hides the "unset" containers in runAsNonRoot / seccompProfile_restricted),
 * this reports the same fields upstream names.
 */

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Pod Security level (the value of the `pod-security.kubernetes.io/enforce` label). */
export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** The check IDs of k8s.io/pod-security-admission (policy/check_*.go). */
export type PssCheckId =
  | 'appArmorProfile' | 'capabilities_baseline' | 'hostNamespaces' | 'hostPathVolumes' | 'hostPorts' | 'privileged' | 'procMount'
  | 'seLinuxOptions' | 'seccompProfile_baseline' | 'sysctls' | 'windowsHostProcess'
  | 'allowPrivilegeEscalation' | 'capabilities_restricted' | 'restrictedVolumes' | 'runAsNonRoot' | 'runAsUser' | 'seccompProfile_restricted';

/** One field of a pod that a Pod Security check forbids. */
export interface PssViolation {
  /** Upstream check ID, e.g. `capabilities_restricted`. */
  readonly check: PssCheckId;
  /** The level the check belongs to. */
  readonly level: 'baseline' | 'restricted';
  /** Path in the pod, e.g. `spec.initContainers[0].securityContext.runAsNonRoot` or `metadata.annotations["…"]`. */
  readonly field: string;
  /** The offending value (`undefined` when the check requires a value that is missing). */
  readonly value: unknown;
  /** What is wrong, e.g. `runs a privileged container`. */
  readonly problem: string;
  /** What the check allows. */
  readonly allowed: string;
}

/** A pod, or a pod template: metadata (annotations are read) and a PodSpec, as JSON. */
export interface PssPod {
  readonly metadata?: { readonly annotations?: Record<string, string> } | null;
  readonly spec: Json;
}

/** Evaluation options (both default to what a stock 1.32 API server does). */
export interface PssOptions {
  /**
   * Feature gate UserNamespacesPodSecurityStandards (alpha in 1.32, off by default): when on, pods
   * with `hostUsers: false` skip procMount, runAsNonRoot and runAsUser (policy/helpers.go).
   * @default false
   */
  readonly relaxPolicyForUserNamespacePods?: boolean;
  /**
   * Evaluate the pod as admission sees it, after API defaulting: a volume naming no volume source
   * becomes `emptyDir` (core/v1 SetDefaults_Volume), as in upstream's fixture restrictedvolumes0.
   * `false` evaluates the JSON as given (upstream's unit tests call the checks directly).
   * @default true
   */
  readonly apiServerDefaults?: boolean;
}

/** The newest policy version of the implemented upstream release. */
export const PSS_NEWEST_VERSION = 'v1.32';
const NEWEST_MINOR = 32;

/** Parses a Pod Security version (`latest` or `v1.N`, api/helpers.go ParseVersion) to the 1.x minor evaluated. */
export function pssVersionMinor(version: string): number {
  if (version === 'latest') return NEWEST_MINOR;
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(version);
  if (!m) throw new Error(`Pod Security version must be "latest" or "v1.x"; got ${JSON.stringify(version)}`);
  return Math.min(Number(m[1]), NEWEST_MINOR);
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

interface ContainerAt { readonly path: string; readonly c: Json }

interface Ctx {
  readonly spec: Json;
  readonly annotations: Record<string, string>;
  readonly containers: readonly ContainerAt[];
  readonly options: PssOptions;
  add(field: string, value: unknown, problem: string, allowed: string): void;
}

type CheckFn = (ctx: Ctx) => void;

function obj(v: Json): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function list(v: Json): Json[] {
  return Array.isArray(v) ? v : [];
}

function present(v: Json): boolean {
  return v !== undefined && v !== null;
}

// policy/visitor.go: init containers, containers, then ephemeral containers.
function visitContainers(spec: Json): ContainerAt[] {
  return (['initContainers', 'containers', 'ephemeralContainers'] as const)
    .flatMap((kind) => list(spec[kind]).map((c, i) => ({ path: `spec.${kind}[${i}]`, c: obj(c) ?? {} })));
}

function podSc(ctx: Ctx): Json | undefined {
  return obj(ctx.spec.securityContext);
}

function sc(c: Json): Json | undefined {
  return obj(c.securityContext);
}

// pod.spec.os.name=windows exempts a pod from several restricted checks from v1.25 on.
function isWindows(spec: Json): boolean {
  return obj(spec.os)?.name === 'windows';
}

// policy/helpers.go relaxPolicyForUserNamespacePod
function relaxedForUserNamespace(ctx: Ctx): boolean {
  return ctx.options.relaxPolicyForUserNamespacePods === true && ctx.spec.hostUsers === false;
}

function quoteAll(items: Iterable<string>): string {
  return [...items].map((x) => JSON.stringify(x)).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Baseline checks
// ---------------------------------------------------------------------------------------------

// upstream: policy/check_privileged.go (privileged_1_0)
const privileged_1_0: CheckFn = (ctx) => {
  for (const { path, c } of ctx.containers) {
    if (sc(c)?.privileged === true) ctx.add(`${path}.securityContext.privileged`, true, 'runs a privileged container', 'false or unset');
  }
};

// upstream: policy/check_hostNamespaces.go (hostNamespaces_1_0)
const hostNamespaces_1_0: CheckFn = (ctx) => {
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (ctx.spec[k] === true) ctx.add(`spec.${k}`, true, 'shares a host namespace', 'false or unset');
  }
};

// upstream: policy/check_hostPathVolumes.go (hostPathVolumes_1_0)
const hostPathVolumes_1_0: CheckFn = (ctx) => {
  list(ctx.spec.volumes).forEach((v, i) => {
    if (present(obj(v)?.hostPath)) ctx.add(`spec.volumes[${i}].hostPath`, v.hostPath, 'mounts a hostPath volume', 'no hostPath volumes');
  });
};

// upstream: policy/check_hostPorts.go (hostPorts_1_0)
const hostPorts_1_0: CheckFn = (ctx) => {
  for (const { path, c } of ctx.containers) {
    list(c.ports).forEach((p, j) => {
      const hp = obj(p)?.hostPort;
      if (present(hp) && hp !== 0) ctx.add(`${path}.ports[${j}].hostPort`, hp, 'binds a host port', '0 or unset');
    });
  }
};

const CAPABILITIES_ALLOWED_1_0 = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT'];

// upstream: policy/check_capabilities_baseline.go (capabilitiesBaseline_1_0)
const capabilitiesBaseline_1_0: CheckFn = (ctx) => {
  const allowed = new Set(CAPABILITIES_ALLOWED_1_0);
  for (const { path, c } of ctx.containers) {
    const caps = obj(sc(c)?.capabilities);
    if (!caps) continue;
    const bad = list(caps.add).filter((x) => !allowed.has(x));
    if (bad.length > 0) {
      ctx.add(`${path}.securityContext.capabilities.add`, bad, 'adds capabilities beyond the default set', `only capabilities of ${quoteAll(CAPABILITIES_ALLOWED_1_0)}`);
    }
  }
};

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const APPARMOR_TYPES = new Set(['RuntimeDefault', 'Localhost']);

// upstream: policy/check_appArmorProfile.go (appArmorProfile_1_0: the field and the deprecated beta annotation)
const appArmorProfile_1_0: CheckFn = (ctx) => {
  const allowedType = '"RuntimeDefault" or "Localhost" (or no appArmorProfile)';
  const pod = obj(podSc(ctx)?.appArmorProfile);
  if (present(podSc(ctx)?.appArmorProfile) && !APPARMOR_TYPES.has(pod?.type)) {
    ctx.add('spec.securityContext.appArmorProfile.type', pod?.type, 'sets a forbidden AppArmor profile', allowedType);
  }
  for (const { path, c } of ctx.containers) {
    const p = sc(c)?.appArmorProfile;
    if (present(p) && !APPARMOR_TYPES.has(obj(p)?.type)) {
      ctx.add(`${path}.securityContext.appArmorProfile.type`, obj(p)?.type, 'sets a forbidden AppArmor profile', allowedType);
    }
  }
  for (const k of Object.keys(ctx.annotations).sort()) {
    const v = ctx.annotations[k];
    if (!k.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
    const ok = v === '' || v === undefined || v === null || v === 'runtime/default' || (typeof v === 'string' && v.startsWith('localhost/'));
    if (!ok) ctx.add(`metadata.annotations[${JSON.stringify(k)}]`, v, 'sets a forbidden AppArmor profile', '"runtime/default", "localhost/<profile>" or empty');
  }
};

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

function validSeccompAnnotation(v: unknown): boolean {
  return v === 'runtime/default' || v === 'docker/default' || (typeof v === 'string' && v.startsWith('localhost/'));
}

// upstream: policy/check_seccompProfile_baseline.go (seccompProfileBaseline_1_0: the alpha annotations, up to v1.18)
const seccompProfileBaseline_1_0: CheckFn = (ctx) => {
  const bad: Array<[string, unknown]> = [];
  if (SECCOMP_POD_ANNOTATION in ctx.annotations && !validSeccompAnnotation(ctx.annotations[SECCOMP_POD_ANNOTATION])) {
    bad.push([SECCOMP_POD_ANNOTATION, ctx.annotations[SECCOMP_POD_ANNOTATION]]);
  }
  for (const { c } of ctx.containers) {
    const k = SECCOMP_CONTAINER_ANNOTATION_PREFIX + (c.name ?? '');
    if (k in ctx.annotations && !validSeccompAnnotation(ctx.annotations[k]) && !bad.some(([b]) => b === k)) bad.push([k, ctx.annotations[k]]);
  }
  for (const [k, v] of bad.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    ctx.add(`metadata.annotations[${JSON.stringify(k)}]`, v, 'sets a forbidden seccomp profile', '"runtime/default", "docker/default" or "localhost/<profile>"');
  }
};

// upstream: policy/check_seccompProfile_baseline.go (seccompProfileBaseline_1_19: the fields, from v1.19)
const seccompProfileBaseline_1_19: CheckFn = (ctx) => {
  const allowed = '"RuntimeDefault" or "Localhost" (or no seccompProfile)';
  const pod = podSc(ctx)?.seccompProfile;
  if (present(pod) && !SECCOMP_TYPES.has(obj(pod)?.type)) ctx.add('spec.securityContext.seccompProfile.type', obj(pod)?.type, 'sets a forbidden seccomp profile', allowed);
  for (const { path, c } of ctx.containers) {
    const p = sc(c)?.seccompProfile;
    if (present(p) && !SECCOMP_TYPES.has(obj(p)?.type)) ctx.add(`${path}.securityContext.seccompProfile.type`, obj(p)?.type, 'sets a forbidden seccomp profile', allowed);
  }
};

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

// upstream: policy/check_seLinuxOptions.go (seLinuxOptions1_0, seLinuxOptions1_31 adds container_engine_t)
function seLinuxOptions(types: readonly string[]): CheckFn {
  const allowedTypes = new Set(types);
  const allowedText = `unset or one of ${quoteAll(types.filter((t) => t !== ''))}`;
  return (ctx) => {
    const one = (base: string, o: Json) => {
      const opts = obj(o) ?? {};
      const type = opts.type ?? '';
      if (!allowedTypes.has(type)) ctx.add(`${base}.seLinuxOptions.type`, opts.type, 'sets a forbidden SELinux type', allowedText);
      if (typeof opts.user === 'string' && opts.user.length > 0) ctx.add(`${base}.seLinuxOptions.user`, opts.user, 'sets an SELinux user', 'unset or empty');
      if (typeof opts.role === 'string' && opts.role.length > 0) ctx.add(`${base}.seLinuxOptions.role`, opts.role, 'sets an SELinux role', 'unset or empty');
    };
    if (present(podSc(ctx)?.seLinuxOptions)) one('spec.securityContext', podSc(ctx).seLinuxOptions);
    for (const { path, c } of ctx.containers) {
      if (present(sc(c)?.seLinuxOptions)) one(`${path}.securityContext`, sc(c).seLinuxOptions);
    }
  };
}

// upstream: policy/check_procMount.go (procMount_1_0)
const procMount_1_0: CheckFn = (ctx) => {
  if (relaxedForUserNamespace(ctx)) return;
  for (const { path, c } of ctx.containers) {
    const pm = sc(c)?.procMount;
    if (present(pm) && pm !== 'Default') ctx.add(`${path}.securityContext.procMount`, pm, 'sets a non-default procMount', '"Default" or unset');
  }
};

const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start'];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

// upstream: policy/check_sysctls.go (sysctlsV1Dot0, V1Dot27, V1Dot29, V1Dot32)
function sysctls(names: readonly string[]): CheckFn {
  const safe = new Set(names);
  return (ctx) => {
    list(podSc(ctx)?.sysctls).forEach((s, i) => {
      const n = obj(s)?.name;
      if (!safe.has(n)) ctx.add(`spec.securityContext.sysctls[${i}].name`, n, 'is not a safe sysctl', `one of ${quoteAll(names)}`);
    });
  };
}

// upstream: policy/check_windowsHostProcess.go (windowsHostProcess_1_0)
const windowsHostProcess_1_0: CheckFn = (ctx) => {
  if (obj(podSc(ctx)?.windowsOptions)?.hostProcess === true) {
    ctx.add('spec.securityContext.windowsOptions.hostProcess', true, 'runs Windows HostProcess containers', 'false or unset');
  }
  for (const { path, c } of ctx.containers) {
    if (obj(sc(c)?.windowsOptions)?.hostProcess === true) {
      ctx.add(`${path}.securityContext.windowsOptions.hostProcess`, true, 'runs a Windows HostProcess container', 'false or unset');
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Restricted checks
// ---------------------------------------------------------------------------------------------

// upstream: policy/check_allowPrivilegeEscalation.go (allowPrivilegeEscalation_1_8)
const allowPrivilegeEscalation_1_8: CheckFn = (ctx) => {
  for (const { path, c } of ctx.containers) {
    const v = sc(c)?.allowPrivilegeEscalation;
    if (v !== false) ctx.add(`${path}.securityContext.allowPrivilegeEscalation`, v, 'does not forbid privilege escalation', 'false');
  }
};

// upstream: policy/check_allowPrivilegeEscalation.go (allowPrivilegeEscalation_1_25: pods with spec.os.name=windows pass)
const allowPrivilegeEscalation_1_25: CheckFn = (ctx) => {
  if (!isWindows(ctx.spec)) allowPrivilegeEscalation_1_8(ctx);
};

// upstream: policy/check_capabilities_restricted.go (capabilitiesRestricted_1_22)
const capabilitiesRestricted_1_22: CheckFn = (ctx) => {
  for (const { path, c } of ctx.containers) {
    const caps = obj(sc(c)?.capabilities);
    if (!caps) {
      ctx.add(`${path}.securityContext.capabilities.drop`, undefined, 'does not drop ALL capabilities', 'a list including "ALL"');
      continue;
    }
    if (!list(caps.drop).includes('ALL')) ctx.add(`${path}.securityContext.capabilities.drop`, caps.drop, 'does not drop ALL capabilities', 'a list including "ALL"');
    const added = list(caps.add).filter((x) => x !== 'NET_BIND_SERVICE');
    if (added.length > 0) ctx.add(`${path}.securityContext.capabilities.add`, added, 'adds capabilities other than NET_BIND_SERVICE', 'only "NET_BIND_SERVICE" (or nothing)');
  }
};

// upstream: policy/check_capabilities_restricted.go (capabilitiesRestricted_1_25: pods with spec.os.name=windows pass)
const capabilitiesRestricted_1_25: CheckFn = (ctx) => {
  if (!isWindows(ctx.spec)) capabilitiesRestricted_1_22(ctx);
};

/** Inline volume sources `restricted` allows (check_restrictedVolumes.go at v1.32: `image` is not one of them; it is from 1.33). */
export const PSS_RESTRICTED_VOLUME_TYPES: readonly string[] = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
// The restricted types upstream names, in the order it tests them.
const NAMED_RESTRICTED_VOLUME_TYPES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];
// Every core/v1 VolumeSource field of Kubernetes 1.32 (a volume with none of them is defaulted to emptyDir).
const VOLUME_SOURCE_FIELDS = new Set([...PSS_RESTRICTED_VOLUME_TYPES, ...NAMED_RESTRICTED_VOLUME_TYPES, 'image']);

// upstream: policy/check_restrictedVolumes.go (restrictedVolumes_1_0)
const restrictedVolumes_1_0: CheckFn = (ctx) => {
  list(ctx.spec.volumes).forEach((vol, i) => {
    const v = obj(vol) ?? {};
    if (PSS_RESTRICTED_VOLUME_TYPES.some((t) => present(v[t]))) return;
    const sources = Object.keys(v).filter((k) => k !== 'name' && present(v[k]));
    if (ctx.options.apiServerDefaults !== false && !sources.some((k) => VOLUME_SOURCE_FIELDS.has(k))) return; // defaulted to emptyDir
    const named = NAMED_RESTRICTED_VOLUME_TYPES.find((t) => present(v[t]));
    const type = named ?? sources.find((k) => VOLUME_SOURCE_FIELDS.has(k)) ?? sources[0];
    ctx.add(type ? `spec.volumes[${i}].${type}` : `spec.volumes[${i}]`, type ?? 'unknown',
      named ? 'is a volume type restricted pods may not use' : 'is a volume type restricted pods may not use (Pod Security v1.32 counts it as unknown)',
      `one of ${PSS_RESTRICTED_VOLUME_TYPES.join(', ')}`);
  });
};

// upstream: policy/check_runAsNonRoot.go (runAsNonRoot_1_0)
const runAsNonRoot_1_0: CheckFn = (ctx) => {
  if (relaxedForUserNamespace(ctx)) return;
  const explicit: Array<[string, unknown, string]> = [];
  const pod = podSc(ctx)?.runAsNonRoot;
  const podTrue = pod === true;
  if (pod === false) explicit.push(['spec.securityContext.runAsNonRoot', false, 'true, or unset with runAsNonRoot: true on every container']);
  const implicit: string[] = [];
  for (const { path, c } of ctx.containers) {
    const v = sc(c)?.runAsNonRoot;
    if (present(v)) {
      if (v === false) explicit.push([`${path}.securityContext.runAsNonRoot`, false, 'true, or unset with runAsNonRoot: true on the pod']);
    } else if (!podTrue) {
      implicit.push(`${path}.securityContext.runAsNonRoot`);
    }
  }
  if (explicit.length > 0) {
    for (const [f, v, allowed] of explicit) ctx.add(f, v, 'allows running as root (runAsNonRoot: false)', allowed);
    return;
  }
  for (const f of implicit) ctx.add(f, undefined, 'is unset and the pod does not set runAsNonRoot: true', 'true here or on the pod');
};

// upstream: policy/check_runAsUser.go (runAsUser_1_23)
const runAsUser_1_23: CheckFn = (ctx) => {
  if (relaxedForUserNamespace(ctx)) return;
  if (podSc(ctx)?.runAsUser === 0) ctx.add('spec.securityContext.runAsUser', 0, 'runs as root', 'a non-zero UID or unset');
  for (const { path, c } of ctx.containers) {
    if (sc(c)?.runAsUser === 0) ctx.add(`${path}.securityContext.runAsUser`, 0, 'runs as root', 'a non-zero UID or unset');
  }
};

// upstream: policy/check_seccompProfile_restricted.go (seccompProfileRestricted_1_19)
const seccompProfileRestricted_1_19: CheckFn = (ctx) => {
  const explicit: Array<[string, unknown]> = [];
  const pod = podSc(ctx)?.seccompProfile;
  let podSet = false;
  if (present(pod)) {
    if (!SECCOMP_TYPES.has(obj(pod)?.type)) explicit.push(['spec.securityContext.seccompProfile.type', obj(pod)?.type]);
    else podSet = true;
  }
  const implicit: string[] = [];
  for (const { path, c } of ctx.containers) {
    const p = sc(c)?.seccompProfile;
    if (present(p)) {
      if (!SECCOMP_TYPES.has(obj(p)?.type)) explicit.push([`${path}.securityContext.seccompProfile.type`, obj(p)?.type]);
    } else if (!podSet) {
      implicit.push(`${path}.securityContext.seccompProfile.type`);
    }
  }
  if (explicit.length > 0) {
    for (const [f, v] of explicit) ctx.add(f, v, 'sets a forbidden seccomp profile', '"RuntimeDefault" or "Localhost"');
    return;
  }
  for (const f of implicit) ctx.add(f, undefined, 'is unset and the pod sets no allowed seccomp profile', '"RuntimeDefault" or "Localhost" here or on the pod');
};

// upstream: policy/check_seccompProfile_restricted.go (seccompProfileRestricted_1_25: pods with spec.os.name=windows pass)
const seccompProfileRestricted_1_25: CheckFn = (ctx) => {
  if (!isWindows(ctx.spec)) seccompProfileRestricted_1_19(ctx);
};

// ---------------------------------------------------------------------------------------------
// Registry (policy/registry.go)
// ---------------------------------------------------------------------------------------------

interface CheckDef {
  readonly id: PssCheckId;
  readonly level: 'baseline' | 'restricted';
  /** Implementations by minimum 1.x minor version, ascending. */
  readonly versions: ReadonlyArray<readonly [number, CheckFn]>;
  /** Baseline checks this restricted check replaces while it applies. */
  readonly overrides?: readonly PssCheckId[];
}

const CHECKS: readonly CheckDef[] = [
  { id: 'appArmorProfile', level: 'baseline', versions: [[0, appArmorProfile_1_0]] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [[0, capabilitiesBaseline_1_0]] },
  { id: 'hostNamespaces', level: 'baseline', versions: [[0, hostNamespaces_1_0]] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [[0, hostPathVolumes_1_0]] },
  { id: 'hostPorts', level: 'baseline', versions: [[0, hostPorts_1_0]] },
  { id: 'privileged', level: 'baseline', versions: [[0, privileged_1_0]] },
  { id: 'procMount', level: 'baseline', versions: [[0, procMount_1_0]] },
  { id: 'seLinuxOptions', level: 'baseline', versions: [[0, seLinuxOptions(SELINUX_TYPES_1_0)], [31, seLinuxOptions(SELINUX_TYPES_1_31)]] },
  { id: 'seccompProfile_baseline', level: 'baseline', versions: [[0, seccompProfileBaseline_1_0], [19, seccompProfileBaseline_1_19]] },
  { id: 'sysctls', level: 'baseline', versions: [[0, sysctls(SYSCTLS_1_0)], [27, sysctls(SYSCTLS_1_27)], [29, sysctls(SYSCTLS_1_29)], [32, sysctls(SYSCTLS_1_32)]] },
  { id: 'windowsHostProcess', level: 'baseline', versions: [[0, windowsHostProcess_1_0]] },
  { id: 'allowPrivilegeEscalation', level: 'restricted', versions: [[8, allowPrivilegeEscalation_1_8], [25, allowPrivilegeEscalation_1_25]] },
  {
    id: 'capabilities_restricted', level: 'restricted', versions: [[22, capabilitiesRestricted_1_22], [25, capabilitiesRestricted_1_25]],
    overrides: ['capabilities_baseline'],
  },
  { id: 'restrictedVolumes', level: 'restricted', versions: [[0, restrictedVolumes_1_0]], overrides: ['hostPathVolumes'] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [[0, runAsNonRoot_1_0]] },
  { id: 'runAsUser', level: 'restricted', versions: [[23, runAsUser_1_23]] },
  {
    id: 'seccompProfile_restricted', level: 'restricted', versions: [[19, seccompProfileRestricted_1_19], [25, seccompProfileRestricted_1_25]],
    overrides: ['seccompProfile_baseline'],
  },
];

/** The implementation of `check` in force at 1.`minor`, if the check exists there. */
function implAt(check: CheckDef, minor: number): CheckFn | undefined {
  let fn: CheckFn | undefined;
  for (const [since, f] of check.versions) if (since <= minor) fn = f;
  return fn;
}

function byId(a: CheckDef, b: CheckDef): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The checks that apply at a level and version, in upstream's order (baseline IDs sorted, then restricted IDs sorted). */
function checksAt(level: PssLevel, minor: number): Array<[CheckDef, CheckFn]> {
  if (level === 'privileged') return [];
  const active = (c: CheckDef) => implAt(c, minor) !== undefined;
  const restricted = level === 'restricted' ? CHECKS.filter((c) => c.level === 'restricted' && active(c)) : [];
  const overridden = new Set(restricted.flatMap((c) => c.overrides ?? []));
  const baseline = CHECKS.filter((c) => c.level === 'baseline' && active(c) && !overridden.has(c.id));
  return [...baseline.sort(byId), ...restricted.sort(byId)].map((c) => [c, implAt(c, minor)!]);
}

/** The check IDs Pod Security admission runs for `level` at `version` (`latest` or `v1.N`). */
export function podSecurityChecks(level: PssLevel, version: string = PSS_NEWEST_VERSION): PssCheckId[] {
  return checksAt(level, pssVersionMinor(version)).map(([c]) => c.id);
}

/**
 * Every field of `pod` that Pod Security `level` at `version` forbids; empty when admission
 * would accept the pod. `privileged` allows everything.
 */
export function checkPodSecurity(level: PssLevel, pod: PssPod, version: string = PSS_NEWEST_VERSION, options: PssOptions = {}): PssViolation[] {
  const minor = pssVersionMinor(version);
  const spec = obj(pod.spec) ?? {};
  const annotations = obj(obj(pod.metadata)?.annotations) ?? {};
  const containers = visitContainers(spec);
  const out: PssViolation[] = [];
  for (const [def, fn] of checksAt(level, minor)) {
    fn({
      spec, annotations, containers, options,
      add: (field, value, problem, allowed) => out.push({ check: def.id, level: def.level, field, value, problem, allowed }),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Namespace labels (api/helpers.go PolicyToEvaluate)
// ---------------------------------------------------------------------------------------------

/** A level and the version it is pinned to (`latest` or `v1.N`). */
export interface PssLevelVersion {
  readonly level: PssLevel;
  readonly version: string;
}

/** The Pod Security policy of a namespace, as admission reads it from the labels. */
export interface NamespacePodSecurity {
  readonly enforce: PssLevelVersion;
  readonly audit: PssLevelVersion;
  readonly warn: PssLevelVersion;
  /** Labels admission could not parse (it still evaluates, as described on each mode). */
  readonly errors: readonly string[];
}

const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';
const LEVELS: readonly PssLevel[] = ['privileged', 'baseline', 'restricted'];
const STRICTNESS: Record<PssLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/**
 * The policy admission evaluates for a namespace with `labels`, given the cluster defaults
 * (the AdmissionConfiguration's; upstream's default is privileged:latest for all three modes).
 * An unparseable enforce level means `restricted`; an unparseable audit/warn level `privileged`;
 * an unparseable version `latest`; warn follows a stricter explicit enforce unless set itself.
 */
export function namespacePodSecurity(labels: Record<string, string> | undefined,
  defaults: PssLevelVersion = { level: 'privileged', version: 'latest' }): NamespacePodSecurity {
  const errors: string[] = [];
  const l = labels ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(l, PSA_LABEL_PREFIX + k);
  const parseLevel = (k: string, onError: PssLevel): PssLevel => {
    const v = l[PSA_LABEL_PREFIX + k];
    if ((LEVELS as readonly string[]).includes(v)) return v as PssLevel;
    errors.push(`${PSA_LABEL_PREFIX}${k}=${JSON.stringify(v)}: must be one of ${LEVELS.join(', ')}`);
    return onError;
  };
  const parseVersion = (k: string): string => {
    const v = l[PSA_LABEL_PREFIX + k];
    if (v === 'latest' || /^v1\.(0|[1-9][0-9]*)$/.test(v)) return v;
    errors.push(`${PSA_LABEL_PREFIX}${k}=${JSON.stringify(v)}: must be "latest" or "v1.x"`);
    return 'latest';
  };
  let enforce = { ...defaults };
  let audit = { ...defaults };
  let warn = { ...defaults };
  let enforceLevelOk = false;
  if (has('enforce')) {
    const before = errors.length;
    enforce = { ...enforce, level: parseLevel('enforce', 'restricted') };
    enforceLevelOk = errors.length === before;
  }
  if (has('enforce-version')) enforce = { ...enforce, version: parseVersion('enforce-version') };
  if (has('audit')) audit = { ...audit, level: parseLevel('audit', 'privileged') };
  if (has('audit-version')) audit = { ...audit, version: parseVersion('audit-version') };
  if (has('warn')) warn = { ...warn, level: parseLevel('warn', 'privileged') };
  if (has('warn-version')) warn = { ...warn, version: parseVersion('warn-version') };
  if (!has('warn') && enforceLevelOk && STRICTNESS[enforce.level] > STRICTNESS[warn.level]) {
    warn = { level: enforce.level, version: has('warn-version') ? warn.version : enforce.version };
  }
  return { enforce, audit, warn, errors };
}
