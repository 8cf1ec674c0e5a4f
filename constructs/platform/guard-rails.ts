import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  ANNOTATION_PSS_EXEMPTION, ClusterProfile, DEFAULT_GPU_TAINT, GKE_ACCELERATOR_LABEL, GpuClass, GpuTaint, LABEL_GPU_CLASS, MlscaleApp,
  MlscaleValidationError, Problem, Problems, RESOURCE_NVIDIA_GPU, checkImage, isGpuType,
} from '../core';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Volume types Pod Security `restricted` allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
/** Sysctls Pod Security `baseline` (and so `restricted`) allows. */
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const SECCOMP_OK = new Set(['RuntimeDefault', 'Localhost']);
const REQUIRED_RESOURCES = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];
const CONTAINER_KINDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

const ENABLED = new WeakSet<MlscaleApp>();

/**
 * Guard rails checked at synth over the WHOLE app, whoever wrote the construct: every pod spec
 * in every document (Pods, workload templates, and pod templates embedded in custom resources,
 * found by walking each document for objects with `containers`)
 * - meets Pod Security `restricted`, or carries the annotation `mlscale.io/pod-security-exemption` with a reason;
 * - sets requests and limits of CPU and memory on every container;
 * - uses pinned images (a tag other than latest, or a digest);
 * - when it asks for GPUs: selects (nodeSelector) a GPU class of the ClusterProfile and tolerates its taint;
 * and no Secret carries `data` or `stringData`. All violations are reported in one
 * MlscaleValidationError, each naming the construct path, the document and the field.
 */
export class GuardRails {
  /** Runs the guard rails before every synth of `app` (idempotent). The default app enables them in apps/teams.ts. */
  public static enable(app: MlscaleApp): void {
    if (ENABLED.has(app)) return;
    ENABLED.add(app);
    app.addSynthHook((a) => GuardRails.verify(a));
  }

  /** Throws one MlscaleValidationError listing every violation under `root`. */
  public static verify(root: IConstruct): void {
    const problems = GuardRails.check(root);
    if (problems.length > 0) throw new MlscaleValidationError(problems);
  }

  /** Every violation under `root` (all ApiObjects, in tree order). */
  public static check(root: IConstruct): Problem[] {
    const profile = ClusterProfile.of(root);
    const out: Problem[] = [];
    for (const obj of root.node.findAll()) {
      if (!ApiObject.isApiObject(obj)) continue;
      const doc = obj.toJson();
      const problems = new Problems(obj.node.path);
      checkDocument(problems, `[${doc.kind} ${doc.metadata?.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata?.name}]`, doc, profile);
      out.push(...problems.all);
    }
    return out;
  }
}

/** Walks one document: pod specs and Secrets anywhere inside it. */
function checkDocument(problems: Problems, docId: string, doc: Json, profile: ClusterProfile): void {
  const walk = (node: Json, path: string, holder: Json): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, `${path}[${i}]`, undefined));
      return;
    }
    if (node.kind === 'Secret' && (nonEmpty(node.data) || nonEmpty(node.stringData))) {
      problems.add(`${docId} ${path || '.'}`, 'is a Secret with values', [...Object.keys(node.data ?? {}), ...Object.keys(node.stringData ?? {})].sort(),
        'no data or stringData in charts-out: reference a Secret created outside git (External Secrets, Sealed Secrets, a CSI driver)');
    }
    if (Array.isArray(node.containers)) {
      checkPodSpec(problems, docId, path, node, holder?.metadata?.annotations ?? {}, profile);
      return;
    }
    if (Array.isArray(node.templates)) checkArgoTemplates(problems, docId, path, node, profile);
    for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k, node);
  };
  walk(doc, '', undefined);
}

/**
 * Argo Workflows templates run one pod each with a single `container` or `script` (plus
 * `initContainers`/`sidecars`); their pod settings merge the template's over the workflow spec's.
 * Each template's effective pod spec gets the same checks as any other pod spec.
 */
function checkArgoTemplates(problems: Problems, docId: string, path: string, wf: Json, profile: ClusterProfile): void {
  (wf.templates as Json[]).forEach((t: Json, i: number) => {
    const main = t?.container ?? t?.script;
    if (!main || typeof main !== 'object') return;
    const spec = {
      initContainers: t.initContainers,
      containers: [{ name: main.name ?? 'main', ...main }, ...(t.sidecars ?? [])],
      securityContext: t.securityContext ?? wf.securityContext,
      nodeSelector: { ...(wf.nodeSelector ?? {}), ...(t.nodeSelector ?? {}) },
      tolerations: [...(wf.tolerations ?? []), ...(t.tolerations ?? [])],
      volumes: [...(wf.volumes ?? []), ...(t.volumes ?? [])],
    };
    const annotations = { ...(wf.podMetadata?.annotations ?? {}), ...(t.metadata?.annotations ?? {}) };
    checkPodSpec(problems, docId, `${path ? `${path}.` : ''}templates[${i}](${t.name})`, spec, annotations, profile);
  });
}

function nonEmpty(v: Json): boolean {
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0;
}

interface ContainerAt {
  readonly field: string;
  readonly c: Json;
  readonly kind: typeof CONTAINER_KINDS[number];
}

function checkPodSpec(problems: Problems, docId: string, path: string, spec: Json, annotations: Json, profile: ClusterProfile): void {
  const at = (f: string) => `${docId} ${path}.${f}`;
  const containers: ContainerAt[] = CONTAINER_KINDS.flatMap((kind) =>
    (Array.isArray(spec[kind]) ? spec[kind] : []).map((c: Json, i: number) => ({ field: `${kind}[${i}]`, c: c ?? {}, kind })));
  const exemption = annotations[ANNOTATION_PSS_EXEMPTION];
  if (!(typeof exemption === 'string' && exemption.trim().length > 0)) checkRestricted(problems, at, spec, containers);
  for (const { field, c, kind } of containers) {
    checkImage(problems, at(`${field}.image`), c.image);
    if (kind === 'ephemeralContainers') continue;
    const r = c.resources ?? {};
    const missing = REQUIRED_RESOURCES.filter((k) => { const [a, b] = k.split('.'); return r[a]?.[b] === undefined; });
    problems.check(missing.length === 0, at(`${field}.resources`), `lacks ${missing.join(', ')}`, c.resources, 'requests and limits of cpu and memory on every container');
  }
  const gpus = Math.max(0, ...containers.map(({ c }) => Number(c.resources?.limits?.[RESOURCE_NVIDIA_GPU] ?? c.resources?.requests?.[RESOURCE_NVIDIA_GPU] ?? 0)));
  if (gpus > 0) checkGpuPlacement(problems, at, spec, profile);
}

/** Pod Security Standard `restricted` (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
function checkRestricted(problems: Problems, at: (f: string) => string, spec: Json, containers: readonly ContainerAt[]): void {
  const expected = `Pod Security "restricted", or the annotation ${ANNOTATION_PSS_EXEMPTION} with a reason`;
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) problems.check(spec[k] !== true, at(k), 'shares a host namespace', spec[k], expected);
  (spec.volumes ?? []).forEach((v: Json, i: number) => {
    const types = Object.keys(v ?? {}).filter((k) => k !== 'name');
    problems.check(types.every((t) => RESTRICTED_VOLUMES.has(t)), at(`volumes[${i}]`), 'is a volume type restricted pods may not use', types.join(','),
      `one of ${[...RESTRICTED_VOLUMES].join(', ')} (${expected})`);
  });
  const pod = spec.securityContext ?? {};
  problems.check(pod.runAsUser !== 0, at('securityContext.runAsUser'), 'runs as root', pod.runAsUser, expected);
  (pod.sysctls ?? []).forEach((s: Json, i: number) => problems.check(SAFE_SYSCTLS.has(s?.name), at(`securityContext.sysctls[${i}].name`), 'is not a safe sysctl',
    s?.name, expected));
  const podSeccomp = pod.seccompProfile?.type;
  problems.check(podSeccomp === undefined || SECCOMP_OK.has(podSeccomp), at('securityContext.seccompProfile.type'), 'is not allowed', podSeccomp, 'RuntimeDefault or Localhost');
  for (const { field, c } of containers) {
    const sc = c.securityContext ?? {};
    const f = (x: string) => at(`${field}.securityContext${x}`);
    problems.check(sc.privileged !== true, f('.privileged'), 'is a privileged container', sc.privileged, expected);
    problems.check(sc.allowPrivilegeEscalation === false, f('.allowPrivilegeEscalation'), 'must be false', sc.allowPrivilegeEscalation, expected);
    problems.check(sc.runAsNonRoot === true || (pod.runAsNonRoot === true && sc.runAsNonRoot !== false), f('.runAsNonRoot'), 'must be true (here or on the pod)',
      sc.runAsNonRoot, expected);
    problems.check(sc.runAsUser !== 0, f('.runAsUser'), 'runs as root', sc.runAsUser, expected);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    problems.check(SECCOMP_OK.has(seccomp), f('.seccompProfile.type'), 'must be RuntimeDefault or Localhost (here or on the pod)', seccomp, expected);
    problems.check((sc.capabilities?.drop ?? []).includes('ALL'), f('.capabilities.drop'), 'must include ALL', sc.capabilities?.drop, expected);
    const added = (sc.capabilities?.add ?? []).filter((x: string) => x !== 'NET_BIND_SERVICE');
    problems.check(added.length === 0, f('.capabilities.add'), 'adds capabilities', added, `only NET_BIND_SERVICE (${expected})`);
    problems.check(sc.procMount === undefined || sc.procMount === 'Default', f('.procMount'), 'is not allowed', sc.procMount, 'Default');
    (c.ports ?? []).forEach((p: Json, i: number) => problems.check(!p?.hostPort, at(`${field}.ports[${i}].hostPort`), 'binds a host port', p?.hostPort, expected));
  }
}

/** A GPU pod selects a GPU class of the cluster and tolerates its taint. */
function checkGpuPlacement(problems: Problems, at: (f: string) => string, spec: Json, profile: ClusterProfile): void {
  const selector: Record<string, string> = spec.nodeSelector ?? {};
  const typeLabel = profile.provider === 'gke' ? GKE_ACCELERATOR_LABEL : profile.gpuTypeLabel;
  const classes = profile.gpuClasses;
  let selected: GpuClass[];
  if (selector[LABEL_GPU_CLASS] !== undefined) {
    selected = classes.filter((c) => c.name === selector[LABEL_GPU_CLASS]);
  } else {
    selected = classes.filter((c) => c.type === selector[typeLabel]);
  }
  const ok = classes.length > 0 ? selected.length > 0 : isGpuType(selector[typeLabel]);
  problems.check(ok, at('nodeSelector'), 'does not select a GPU class of the cluster', spec.nodeSelector,
    classes.length > 0 ? `${LABEL_GPU_CLASS} (or ${typeLabel}) naming one of ${classes.map((c) => `${c.name} (${c.type})`).join(', ')}`
      : `${typeLabel} naming a known GPU type`);
  const taints: GpuTaint[] = selected.length > 0 ? selected.map((c) => c.taint ?? DEFAULT_GPU_TAINT) : [DEFAULT_GPU_TAINT];
  const tolerations: Json[] = spec.tolerations ?? [];
  for (const t of taints) {
    problems.check(tolerations.some((x) => tolerates(x, t)), at('tolerations'), `does not tolerate the GPU taint ${t.key}=${t.value}:${t.effect}`, spec.tolerations,
      `a toleration of ${t.key} (operator Exists, effect ${t.effect})`);
  }
}

function tolerates(t: Json, taint: GpuTaint): boolean {
  if (t === null || typeof t !== 'object') return false;
  const keyOk = t.key === taint.key || ((t.key === undefined || t.key === '') && t.operator === 'Exists');
  const valueOk = t.operator === 'Exists' || (t.value ?? '') === taint.value;
  return keyOk && valueOk && (t.effect === undefined || t.effect === '' || t.effect === taint.effect);
}
