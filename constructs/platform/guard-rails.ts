import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PssLevel, PssViolation, checkPodSecurity, namespacePodSecurity } from '../cluster/pod-security';
import {
  ANNOTATION_PSS_EXEMPTION, ClusterProfile, DEFAULT_GPU_TAINT, GKE_ACCELERATOR_LABEL, GpuClass, GpuTaint, LABEL_GPU_CLASS, MlscaleApp,
  MlscaleValidationError, Problem, Problems, RESOURCE_NVIDIA_GPU, checkImage, isGpuType,
} from '../core';
import { PSA_VERSION } from './constants';
import { argoTemplatePods } from './argo-pods';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const REQUIRED_RESOURCES = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];
const CONTAINER_KINDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
/** What mlscale asks of every pod spec without a documented exemption. */
const MLSCALE_PSS = `Pod Security "restricted", or the annotation ${ANNOTATION_PSS_EXEMPTION} with a reason`;

const ENABLED = new WeakSet<MlscaleApp>();

/**
 * Guard rails checked at synth over the WHOLE app, whoever wrote the construct: every pod spec
 * in every document (Pods, workload templates, and pod templates embedded in custom resources,
 * found by walking each document for objects with `containers`)
 * - meets Pod Security `restricted` (v1.32), or carries the annotation `mlscale.io/pod-security-exemption` with a reason;
 * - whatever the annotation, meets the level Pod Security admission enforces in its namespace (the annotation
 *   documents an exception to mlscale's rule; it does not exempt a pod from admission). The level comes from
 *   the `pod-security.kubernetes.io/enforce` labels of the Namespace documents in the app (no label: admission's
 *   default, privileged); a namespace the app does not define, or a document without a namespace, is treated
 *   as enforcing `restricted:v1.32`, which is what every mlscale Team namespace enforces;
 * - sets requests and limits of CPU and memory on every container;
 * - uses pinned images (a tag other than latest, or a digest);
 * - when it asks for GPUs: selects (nodeSelector) a GPU class of the ClusterProfile and tolerates its taint;
 * and no Secret carries `data` or `stringData`. All violations are reported in one
 * MlscaleValidationError, each naming the construct path, the document and the field.
 *
 * The Pod Security rules are those of Pod Security admission v1.32 (`checkPodSecurity`, constructs/cluster).
 * Argo Workflows templates are checked as the pod Argo creates: the workflow's pod settings (securityContext,
 * hostNetwork, volumes, …) merged in and its `podSpecPatch`es (workflow, then template) applied; the init
 * and wait containers Argo's controller adds are not modelled.
 */
export class GuardRails {
  /**
   * Runs the guard rails at every synth of `app` (idempotent), once the tree is final (every synth
   * hook ran, so the objects hooks add are checked too). The default app enables them in examples/apps/teams.ts.
   */
  public static enable(app: MlscaleApp): void {
    if (ENABLED.has(app)) return;
    ENABLED.add(app);
    app.addSynthCheck((a) => GuardRails.verify(a), { stage: 'objects' });
  }

  /** Throws one MlscaleValidationError listing every violation under `root`. */
  public static verify(root: IConstruct): void {
    const problems = GuardRails.check(root);
    if (problems.length > 0) throw new MlscaleValidationError(problems);
  }

  /** Every violation under `root` (all ApiObjects, in tree order). */
  public static check(root: IConstruct): Problem[] {
    const profile = ClusterProfile.of(root);
    const docs = root.node.findAll().filter(ApiObject.isApiObject).map((obj) => ({ obj, doc: obj.toJson() }));
    const namespaces = new Map<string, Record<string, string>>();
    for (const { doc } of docs) {
      if (doc?.apiVersion === 'v1' && doc.kind === 'Namespace' && typeof doc.metadata?.name === 'string') namespaces.set(doc.metadata.name, doc.metadata.labels ?? {});
    }
    const out: Problem[] = [];
    for (const { obj, doc } of docs) {
      const problems = new Problems(obj.node.path);
      const ctx: DocContext = {
        problems, profile, admission: admissionPolicy(doc.metadata?.namespace, namespaces),
        docId: `[${doc.kind} ${doc.metadata?.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata?.name}]`,
      };
      checkDocument(ctx, doc);
      out.push(...problems.all);
    }
    return out;
  }
}

/** The level Pod Security admission enforces where a document's pods run, and why we think so. */
interface AdmissionPolicy {
  readonly level: PssLevel;
  readonly version: string;
  readonly why: string;
}

interface DocContext {
  readonly problems: Problems;
  readonly docId: string;
  readonly profile: ClusterProfile;
  readonly admission: AdmissionPolicy;
}

function admissionPolicy(namespace: unknown, namespaces: ReadonlyMap<string, Record<string, string>>): AdmissionPolicy {
  if (typeof namespace === 'string' && namespaces.has(namespace)) {
    const { enforce } = namespacePodSecurity(namespaces.get(namespace));
    return { ...enforce, why: `namespace ${namespace} enforces "${enforce.level}:${enforce.version}"` };
  }
  const assumed = { level: 'restricted' as const, version: PSA_VERSION };
  return typeof namespace === 'string' && namespace.length > 0
    ? { ...assumed, why: `namespace ${namespace} is not defined in the app, so it is taken to enforce "restricted:${PSA_VERSION}"` }
    : { ...assumed, why: `the document names no namespace, so it is taken to enforce "restricted:${PSA_VERSION}"` };
}

/** Walks one document: pod specs and Secrets anywhere inside it. */
function checkDocument(ctx: DocContext, doc: Json): void {
  const { problems, docId } = ctx;
  const covered = new WeakSet<object>(); // Argo containerSets, checked as their template's pod
  const walk = (node: Json, path: string, holder: Json): void => {
    if (node === null || typeof node !== 'object' || covered.has(node)) return;
    if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, `${path}[${i}]`, undefined));
      return;
    }
    if (node.kind === 'Secret' && (nonEmpty(node.data) || nonEmpty(node.stringData))) {
      problems.add(`${docId} ${path || '.'}`, 'is a Secret with values', [...Object.keys(node.data ?? {}), ...Object.keys(node.stringData ?? {})].sort(),
        'no data or stringData in charts-out: reference a Secret created outside git (External Secrets, Sealed Secrets, a CSI driver)');
    }
    if (Array.isArray(node.containers)) {
      // the annotations are those of the object holding the pod spec (the Pod, the pod template)
      const metadata = path.includes('.') ? `${path.slice(0, path.lastIndexOf('.'))}.metadata` : 'metadata';
      checkPodSpec(ctx, { path, spec: node, annotations: holder?.metadata?.annotations ?? {}, annotationField: (k) => `${metadata}.annotations[${JSON.stringify(k)}]` });
      return;
    }
    if (Array.isArray(node.templates)) checkArgoTemplates(ctx, path, node).forEach((x) => covered.add(x));
    for (const [k, v] of Object.entries(node)) {
      // TrainJob runtimePatches are fragments merged into the runtime's pods, not pods (the cluster model checks the merged pods)
      if (k === 'runtimePatches') continue;
      walk(v, path ? `${path}.${k}` : k, node);
    }
  };
  walk(doc, '', undefined);
}

/**
 * Argo Workflows templates run one pod each: a single `container` or `script` (named `main`) plus
 * `initContainers`/`sidecars`, or a `containerSet`. Argo builds the pod from the template merged over
 * the workflow spec (securityContext, hostNetwork, volumes, scheduling), then applies the workflow's and
 * the template's `podSpecPatch`. Each template's resulting pod spec gets the same checks as any other.
 */
function checkArgoTemplates(ctx: DocContext, path: string, wf: Json): object[] {
  const prefix = path ? `${path}.` : '';
  const covered: object[] = [];
  for (const t of argoTemplatePods(wf)) {
    if (t.containerSet) covered.push(t.containerSet);
    for (const bad of t.badPatches) {
      ctx.problems.add(`${ctx.docId} ${prefix}${bad.field}`, 'is not a pod spec patch', bad.text,
        'a PodSpec fragment as a JSON or YAML string (Argo applies it as a strategic merge patch)');
    }
    checkPodSpec(ctx, {
      path: `${prefix}${t.path}`, spec: t.spec, annotations: t.annotations, unpatched: t.unpatched,
      annotationField: (k) => `${prefix}${t.annotationField(k)}`,
    });
  }
  return covered;
}

function nonEmpty(v: Json): boolean {
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0;
}

interface ContainerAt {
  readonly field: string;
  readonly c: Json;
  readonly kind: typeof CONTAINER_KINDS[number];
}

/** A pod spec found in a document. */
interface PodSpecAt {
  /** Path of the pod spec in the document (`spec.template.spec`, or a virtual Argo path). */
  readonly path: string;
  readonly spec: Json;
  /** The pod annotations, and where each is set. */
  readonly annotations: Json;
  readonly annotationField: (key: string) => string;
  /** Argo: the pod spec before its podSpecPatch, to say which problems the patch introduced. */
  readonly unpatched?: Json;
}

function checkPodSpec(ctx: DocContext, pod: PodSpecAt): void {
  const { problems, docId, profile } = ctx;
  const { spec, path } = pod;
  const at = (f: string) => `${docId} ${path}.${f}`;
  const containers: ContainerAt[] = CONTAINER_KINDS.flatMap((kind) =>
    (Array.isArray(spec[kind]) ? spec[kind] : []).map((c: Json, i: number) => ({ field: `${kind}[${i}]`, c: c ?? {}, kind })));
  checkPodSecurityStandards(ctx, pod);
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

/**
 * Pod Security (https://kubernetes.io/docs/concepts/security/pod-security-standards/), as admission v1.32 checks it:
 * mlscale's rule (`restricted`, unless the pod documents an exemption), and the level admission enforces in the
 * pod's namespace, which the exemption annotation does not lift. A field both reject is reported once.
 */
function checkPodSecurityStandards(ctx: DocContext, pod: PodSpecAt): void {
  const exemption = pod.annotations[ANNOTATION_PSS_EXEMPTION];
  const exempt = typeof exemption === 'string' && exemption.trim().length > 0;
  const input = { metadata: { annotations: pod.annotations }, spec: pod.spec };
  const ours = exempt ? [] : checkPodSecurity('restricted', input, PSA_VERSION);
  const { admission } = ctx;
  const theirs = checkPodSecurity(admission.level, input, admission.version);
  const reported = new Set(ours.map((v) => v.field));
  const report = (v: PssViolation, why: string) => {
    // checker fields are `spec.…` or `metadata.annotations["<key>"]`
    const field = v.field.startsWith('spec.') ? `${pod.path}.${v.field.slice('spec.'.length)}`
      : pod.annotationField(JSON.parse(v.field.slice('metadata.annotations['.length, -1)));
    const patched = pod.unpatched !== undefined && v.field.startsWith('spec.')
      && JSON.stringify(valueAt(pod.unpatched, v.field)) !== JSON.stringify(valueAt(pod.spec, v.field));
    ctx.problems.add(`${ctx.docId} ${field}`, `${v.problem} (Pod Security check ${v.check}${patched ? ', set by podSpecPatch' : ''})`, v.value, `${v.allowed} (${why})`);
  };
  for (const v of ours) report(v, MLSCALE_PSS);
  const rejects = `Pod Security admission rejects the pod: ${admission.why}${exempt ? `; the annotation ${ANNOTATION_PSS_EXEMPTION} does not exempt it` : ''}`;
  for (const v of theirs) if (!reported.has(v.field)) report(v, rejects);
}

/** The value at a checker path such as `spec.containers[0].securityContext.privileged` in a pod spec. */
function valueAt(spec: Json, field: string): Json {
  let cur: Json = { spec };
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[m[1] ?? Number(m[2])];
  }
  return cur;
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
