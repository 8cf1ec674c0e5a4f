/**
 * References and identity: every object a document uses (claims, Secrets, ConfigMaps, service
 * accounts, priority and storage classes, namespaces, the Argo artifact repository) exists in the
 * same environment (and namespace), or is declared external on purpose (Externals.declare).
 */
import { ClusterEnvironment, ModelDocument } from './environment';
import { ExternalObject } from './externals';
import { CreatedPod } from './pods';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

type Add = (d: ModelDocument, field: string, problem: string, value: unknown, expected: string) => void;

/** What exists in an environment, by `Kind/namespace/name` (`Kind//name` for cluster-scoped kinds). */
export class Inventory {
  private readonly present = new Set<string>();
  private readonly externals = new Set<string>();

  constructor(env: ClusterEnvironment, externals: readonly ExternalObject[], addonNamespaces: readonly string[]) {
    for (const { doc } of env.documents) {
      const kind = doc?.kind;
      const name = doc?.metadata?.name;
      if (typeof kind !== 'string' || typeof name !== 'string') continue;
      const scoped = kind === 'Namespace' || kind === 'StorageClass' || kind === 'PriorityClass' || kind === 'ClusterRole';
      this.present.add(`${kind}/${scoped ? '' : (doc.metadata.namespace ?? 'default')}/${name}`);
    }
    for (const ns of addonNamespaces) this.present.add(`Namespace//${ns}`);
    // what the add-ons' charts create from their values (e.g. the NFS provisioner's StorageClass)
    for (const addon of env.addons) {
      for (const o of addon.facts.creates?.(addon.values, addon.namespace) ?? []) this.present.add(`${o.kind}/${o.namespace ?? ''}/${o.name}`);
    }
    for (const e of externals) this.externals.add(`${e.kind}/${e.namespace ?? ''}/${e.name}`);
  }

  /** `created`, `external` or undefined. */
  public find(kind: string, namespace: string | undefined, name: string): 'created' | 'external' | undefined {
    const key = `${kind}/${namespace ?? ''}/${name}`;
    if (this.present.has(key)) return 'created';
    if (this.externals.has(key)) return 'external';
    return undefined;
  }

  /** Namespaces that exist (documents, add-ons, externals). */
  public namespaceExists(ns: string): boolean {
    return this.find('Namespace', undefined, ns) !== undefined;
  }
}

/** Objects every namespace or cluster has without anyone creating them. */
const BUILT_IN: ReadonlySet<string> = new Set([
  'ServiceAccount/*/default', 'ConfigMap/*/kube-root-ca.crt',
  'PriorityClass//system-cluster-critical', 'PriorityClass//system-node-critical',
  'Namespace//default', 'Namespace//kube-system', 'Namespace//kube-public', 'Namespace//kube-node-lease',
]);

function builtIn(kind: string, namespace: string | undefined, name: string): boolean {
  return BUILT_IN.has(`${kind}/${namespace === undefined ? '' : '*'}/${name}`);
}

/** Counts of the reference check (for the report). */
export interface ReferenceCounts {
  readonly resolved: number;
  readonly external: number;
}

/** Checks every reference; returns how many resolved to created objects and to declared externals. */
export function checkReferences(env: ClusterEnvironment, inventory: Inventory, pods: ReadonlyArray<{ d: ModelDocument; pod: CreatedPod }>, add: Add): ReferenceCounts {
  let resolved = 0;
  let external = 0;
  const need = (d: ModelDocument, field: string, kind: string, namespace: string | undefined, name: unknown, why: string): void => {
    if (typeof name !== 'string' || name === '') return;
    if (builtIn(kind, namespace, name)) return;
    const found = inventory.find(kind, namespace, name);
    if (found === 'created') resolved++;
    else if (found === 'external') external++;
    else {
      add(d, field, `names a ${kind} that nothing creates${namespace ? ` in namespace ${namespace}` : ''} (${why})`, name,
        `a ${kind} of the same ${namespace ? 'namespace and ' : ''}environment, or one declared external with Externals.declare (kind ${kind}${namespace ? `, namespace ${namespace}` : ''}, a reason)`);
    }
  };

  // namespaces of namespaced documents
  for (const d of env.documents) {
    const ns = d.doc?.metadata?.namespace;
    if (typeof ns === 'string' && !inventory.namespaceExists(ns) && !builtIn('Namespace', undefined, ns)) {
      add(d, 'metadata.namespace', 'is a namespace nothing creates in this environment (the sync would fail)', ns,
        'a Namespace of the same environment, an add-on\'s namespace, or one declared external with Externals.declare');
    } else if (typeof ns === 'string') {
      resolved++;
    }
  }

  for (const { d, pod } of pods) {
    const ns = pod.namespace;
    const spec = pod.pod.spec ?? {};
    const at = (f: string) => `${pod.field} → pod spec.${f}`;
    need(d, at('serviceAccountName'), 'ServiceAccount', ns, spec.serviceAccountName, 'the pod runs as it');
    need(d, at('priorityClassName'), 'PriorityClass', undefined, spec.priorityClassName, 'the pod is scheduled with it');
    (spec.imagePullSecrets ?? []).forEach((s: Json, i: number) => need(d, at(`imagePullSecrets[${i}].name`), 'Secret', ns, s?.name, 'the kubelet pulls images with it'));
    (spec.volumes ?? []).forEach((v: Json, i: number) => {
      const f = (x: string) => at(`volumes[${i}](${v?.name}).${x}`);
      if (v?.persistentVolumeClaim) need(d, f('persistentVolumeClaim.claimName'), 'PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName, 'the pod mounts it; a claim of another namespace cannot be mounted');
      if (v?.secret && v.secret.optional !== true) need(d, f('secret.secretName'), 'Secret', ns, v.secret.secretName, 'the pod mounts it');
      if (v?.configMap && v.configMap.optional !== true) need(d, f('configMap.name'), 'ConfigMap', ns, v.configMap.name, 'the pod mounts it');
      (v?.projected?.sources ?? []).forEach((src: Json, j: number) => {
        if (src?.secret && src.secret.optional !== true) need(d, f(`projected.sources[${j}].secret.name`), 'Secret', ns, src.secret.name, 'the pod mounts it');
        if (src?.configMap && src.configMap.optional !== true) need(d, f(`projected.sources[${j}].configMap.name`), 'ConfigMap', ns, src.configMap.name, 'the pod mounts it');
      });
    });
    for (const list of ['initContainers', 'containers'] as const) {
      (spec[list] ?? []).forEach((c: Json, i: number) => {
        const f = (x: string) => at(`${list}[${i}](${c?.name}).${x}`);
        (c?.env ?? []).forEach((e: Json, j: number) => {
          const s = e?.valueFrom?.secretKeyRef;
          const m = e?.valueFrom?.configMapKeyRef;
          if (s && s.optional !== true) need(d, f(`env[${j}](${e.name}).valueFrom.secretKeyRef.name`), 'Secret', ns, s.name, `the container reads key ${s.key}`);
          if (m && m.optional !== true) need(d, f(`env[${j}](${e.name}).valueFrom.configMapKeyRef.name`), 'ConfigMap', ns, m.name, `the container reads key ${m.key}`);
        });
        (c?.envFrom ?? []).forEach((e: Json, j: number) => {
          if (e?.secretRef && e.secretRef.optional !== true) need(d, f(`envFrom[${j}].secretRef.name`), 'Secret', ns, e.secretRef.name, 'the container reads it');
          if (e?.configMapRef && e.configMapRef.optional !== true) need(d, f(`envFrom[${j}].configMapRef.name`), 'ConfigMap', ns, e.configMapRef.name, 'the container reads it');
        });
      });
    }
  }

  // what the add-ons' values make them use
  for (const a of env.addons) {
    const d = env.documents.find((x) => x.origin === a.origin)!;
    for (const r of a.facts.requires?.(a.values, a.namespace) ?? []) need(d, `spec.source.helm.valuesObject (${a.name})`, r.kind, r.namespace, r.name, r.reason);
    for (const c of a.facts.claims?.(a.values) ?? []) need(d, c.field, 'PersistentVolumeClaim', a.namespace, c.claimName, `every ${a.name} server mounts it, in the add-on's namespace ${a.namespace}`);
  }

  for (const d of env.documents) {
    const { kind, spec, metadata } = d.doc ?? {};
    if (kind === 'Ingress' && d.doc.apiVersion === 'networking.k8s.io/v1') {
      (spec?.tls ?? []).forEach((t: Json, i: number) => need(d, `spec.tls[${i}].secretName`, 'Secret', metadata?.namespace ?? 'default', t?.secretName, 'the ingress controller serves its certificate'));
    }
    if (kind === 'PersistentVolumeClaim' && d.doc.apiVersion === 'v1') {
      need(d, 'spec.storageClassName', 'StorageClass', undefined, spec?.storageClassName, 'the claim is provisioned by it');
    }
    if (d.doc?.apiVersion === 'argoproj.io/v1alpha1' && (kind === 'WorkflowTemplate' || kind === 'Workflow' || kind === 'CronWorkflow')) {
      const wf = kind === 'CronWorkflow' ? spec?.workflowSpec : spec;
      artifactRepository(d, wf, metadata?.namespace ?? 'default', env, inventory, add, () => resolved++);
    }
  }
  return { resolved, external };
}

/**
 * argo-workflows v4.1.2: an artifact without its own location goes to the artifact repository
 * (`artifactRepositoryRef` ConfigMap, else the namespace's `artifact-repositories`, else the
 * controller's default); with none, the step fails saving its outputs ("artifact storage is not
 * configured", pkg/apis/workflow/v1alpha1/workflow_types.go).
 */
function artifactRepository(d: ModelDocument, wf: Json, ns: string, env: ClusterEnvironment, inventory: Inventory, add: Add, ok: () => void): void {
  const located = (a: Json) => ['s3', 'gcs', 'http', 'artifactory', 'hdfs', 'raw', 'oss', 'git', 'azure', 'plugin'].some((k) => a?.[k] !== undefined) || a?.from !== undefined || a?.fromExpression !== undefined;
  const needs = (wf?.templates ?? []).some((t: Json) => [...(t?.outputs?.artifacts ?? []), ...(t?.inputs?.artifacts ?? []).filter((a: Json) => a?.from === undefined)]
    .some((a: Json) => !located(a) && a?.optional !== true));
  if (!needs) return;
  const ref = wf?.artifactRepositoryRef;
  if (ref?.configMap) {
    if (inventory.find('ConfigMap', ns, ref.configMap) !== undefined) ok();
    else add(d, 'spec.artifactRepositoryRef.configMap', `names a ConfigMap that nothing creates in namespace ${ns} (the artifact repository)`, ref.configMap, 'the ObjectStore\'s artifact repository ConfigMap in the same namespace');
    return;
  }
  const argo = env.addons.find((a) => a.name === 'argo-workflows');
  const controllerDefault = argo?.values?.artifactRepository && Object.keys(argo.values.artifactRepository).length > 0;
  if (controllerDefault || inventory.find('ConfigMap', ns, 'artifact-repositories') !== undefined) {
    ok();
    return;
  }
  add(d, 'spec.artifactRepositoryRef', 'is unset and no artifact repository is configured: steps with artifacts fail when Argo saves their outputs', undefined,
    'an ObjectStore (Pipeline objectStore), a ConfigMap artifact-repositories in the namespace, or artifactRepository in the argo-workflows add-on values');
}
