/**
 * The cluster model: what the API server, admission and the operators of one environment will do
 * with its documents, checked before anything is applied. Pure: documents and add-ons in,
 * problems (in the usual format) and a report out.
 */
import { ANNOTATION_CONTROLLER_FOR, LABEL_KUEUE_QUEUE, LABEL_MANAGED_BY, MANAGED_BY } from '../core/constants';
import { Problem } from '../core/errors';
import { isDnsLabel } from '../core/names';
import { KindIndexEntry, byCodeUnit, kindEntry } from '../upstream/store';
import { ADDON_FACTS, controlsKind } from './addon-facts';
import { ClusterEnvironment, InstalledAddon, ModelDocument, kindsOf, namespaceLabelsOf, trainingRuntimesOf } from './environment';
import { kueueIntegrations } from './kueue';
import { PssLevel, checkPodSecurity, namespacePodSecurity } from './pod-security';
import { ExternalObject } from './externals';
import { checkOperatorRules } from './operator-rules';
import { Inventory, checkReferences } from './references';
import { isPods, partyName } from './flows';
import { FlowEnd, evaluateFlow, hasDefaultDeny, policySetOf, selectorMatches } from './network-policy';
import { CreatedPod, PodContext, createdPods } from './pods';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any


/** Who serves and reconciles one kind in an environment. */
export interface KindRow {
  /** `apiVersion/Kind`. */
  readonly kind: string;
  /** Number of documents of the kind. */
  readonly count: number;
  /** `Kubernetes 1.32`, or the add-on that installs the CRD. */
  readonly servedBy: string;
  /** `Kubernetes 1.32`, the add-on, or the object (annotation) that runs the controller. */
  readonly controller: string;
}

/** One namespace: the Pod Security level it enforces and the containers operators add to its pods. */
export interface NamespaceRow {
  readonly name: string;
  /** `restricted:v1.32`, or `privileged (no label)`. */
  readonly enforce: string;
  /** Pods of the environment created in it (templates, as admitted). */
  readonly pods: number;
  /** Injected containers admitted there: `<container> (<add-on>)`, sorted, unique. */
  readonly injected: readonly string[];
}

/** What the model found in one environment (the report of charts-out/README.md). */
export interface EnvironmentReport {
  readonly name: string;
  readonly documents: number;
  readonly addons: readonly string[];
  readonly kinds: readonly KindRow[];
  readonly namespaces: readonly NamespaceRow[];
  /** Pod templates checked as admitted, and the injected containers added to them. */
  readonly podsChecked: number;
  readonly injectedContainers: number;
  /** References resolved to objects of the environment, and to declared externals. */
  readonly referencesResolved: number;
  readonly referencesExternal: number;
  /** The declared externals (what to provide before syncing). */
  readonly externals: readonly ExternalObject[];
  /** Every declared flow and whether the NetworkPolicies allow it. */
  readonly flows: readonly FlowRow[];
  /** Namespaces whose pods are not all isolated (no default-deny) in a direction. */
  readonly withoutDefaultDeny: readonly string[];
  /** Pairs of team namespaces proven isolated (a pod of one cannot reach a pod of the other). */
  readonly isolatedTeamPairs: number;
}

/** A declared flow as evaluated. */
export interface FlowRow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: string;
  readonly why: string;
  readonly allowed: boolean;
  /** The policies that allow it (source egress + destination ingress), or that isolate the side that denies it. */
  readonly policies: readonly string[];
}

/** The model's result for one environment. */
export interface ModelResult {
  readonly problems: readonly Problem[];
  readonly report: EnvironmentReport;
}

interface Ctx {
  readonly env: ClusterEnvironment;
  readonly problems: Problem[];
}

/** Runs every check of the model on one environment. */
export function checkEnvironment(env: ClusterEnvironment): ModelResult {
  const ctx: Ctx = { env, problems: [] };
  for (const m of env.versionMismatches ?? []) {
    const d = env.documents.find((x) => x.origin === m.origin)!;
    add(ctx, d, 'spec.source.targetRevision', `installs ${m.name} at a version the cluster model has no facts for (its CRDs, controllers and injected containers may differ)`, m.got,
      `${m.known}, the version pinned in constructs/upstream/sources.ts and the add-on catalog (upgrade both, then npm run import)`);
  }
  const kinds = checkServedKinds(ctx);
  checkIdentity(ctx);
  checkQueues(ctx);
  // one scan for the maps admission and the operator rules both read
  const namespaceLabels = namespaceLabelsOf(env.documents);
  const runtimes = trainingRuntimesOf(env.documents);
  const { pods, ...admission } = checkAdmission(ctx, namespaceLabels, runtimes);
  const adder = (d: ModelDocument, field: string, problem: string, value: unknown, expected: string) => add(ctx, d, field, problem, value, expected);
  checkOperatorRules(env, adder, namespaceLabels, runtimes);
  const inventory = new Inventory(env, env.externals, env.addons.filter((a) => a.createsNamespace).map((a) => a.namespace));
  const refs = checkReferences(env, inventory, pods, adder);
  const network = checkNetwork(ctx, pods);
  return {
    problems: ctx.problems,
    report: {
      name: env.name, documents: env.documents.length, addons: env.addons.map((a) => a.name).sort(byCodeUnit), kinds, ...admission,
      referencesResolved: refs.resolved, referencesExternal: refs.external, externals: env.externals, ...network,
    },
  };
}

function add(ctx: Ctx, d: ModelDocument, field: string, problem: string, value: unknown, expected: string): void {
  ctx.problems.push({ path: d.origin, field: `[${describe(d.doc)}] ${field}`, problem, value, expected });
}

/** `Kind namespace/name` of a document. */
export function describe(doc: Json): string {
  const ns = doc?.metadata?.namespace;
  return `${doc?.kind} ${ns ? `${ns}/` : ''}${doc?.metadata?.name}`;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

function envName(env: ClusterEnvironment): string {
  return env.name ? `environment "${env.name}"` : 'the root environment';
}

// ---------------------------------------------------------------------------------------------
// 1. Served kinds and controllers

function checkServedKinds(ctx: Ctx): KindRow[] {
  const rows = new Map<string, { count: number; servedBy: string; controller: string }>();
  const annotated = controllersInDocuments(ctx.env.documents);
  for (const d of ctx.env.documents) {
    const kinds = kindsOf(d.doc);
    if (kinds.length === 0) add(ctx, d, 'apiVersion/kind', 'is missing', d.doc?.kind, 'a document with apiVersion and kind');
    for (const { apiVersion, kind, field } of kinds) {
      const key = `${apiVersion}/${kind}`;
      const entry = kindEntry(apiVersion, kind);
      if (!entry) {
        add(ctx, d, field, 'is not served by Kubernetes 1.32 nor by any pinned CRD', key, 'a built-in kind of Kubernetes 1.32 or a kind of a CRD pinned in constructs/upstream/sources.ts');
        continue;
      }
      const served = whoServes(ctx, d, entry, annotated, apiVersion, kind, field);
      const row = rows.get(key) ?? { count: 0, ...served };
      if (field === 'apiVersion/kind') row.count++;
      rows.set(key, row);
    }
  }
  return [...rows.entries()].sort(([a], [b]) => byCodeUnit(a, b)).map(([kind, r]) => ({ kind, ...r }));
}

function whoServes(ctx: Ctx, d: ModelDocument, e: KindIndexEntry, annotated: ReadonlyMap<string, string>, apiVersion: string, kind: string, field: string):
{ servedBy: string; controller: string } {
  if (!e.crd) return { servedBy: 'Kubernetes 1.32', controller: 'Kubernetes 1.32' };
  const group = groupOf(apiVersion);
  const installer = ctx.env.addons.find((a) => a.facts.crdProjects.includes(e.source as never));
  if (!installer) {
    const candidates = Object.entries(ADDON_FACTS).filter(([, f]) => f.crdProjects.includes(e.source as never)).map(([n]) => n).sort(byCodeUnit);
    add(ctx, d, field, `is not served in ${envName(ctx.env)}: no add-on installs the CRD ${e.crd} ("no matches for kind")`, `${apiVersion}/${kind}`,
      `an Argo CD Application of the add-on that installs it (${candidates.join(' or ') || 'none known'}) in the same environment`);
    return { servedBy: 'nothing', controller: 'nothing' };
  }
  const controller = ctx.env.addons.find((a) => controlsKind(a.facts.controls, group, kind))?.name ?? annotated.get(`${group}/${kind}`);
  if (!controller) {
    add(ctx, d, field, `has no controller in ${envName(ctx.env)}: its CRD is installed (${installer.name}) but nothing reconciles it`, `${apiVersion}/${kind}`,
      `an add-on whose controller reconciles ${group}/${kind}, or a Deployment annotated ${ANNOTATION_CONTROLLER_FOR}`);
  }
  return { servedBy: installer.name, controller: controller ?? 'nothing' };
}

/** `group/Kind` → the object that declares it runs their controller (annotation). */
function controllersInDocuments(docs: readonly ModelDocument[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { doc } of docs) {
    const value = doc?.metadata?.annotations?.[ANNOTATION_CONTROLLER_FOR];
    if (typeof value !== 'string') continue;
    for (const gk of value.split(',').map((s) => s.trim()).filter(Boolean)) out.set(gk, `${doc.kind} ${doc.metadata.namespace ?? ''}/${doc.metadata.name}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 3 (identity). Namespaces are DNS labels; one object per group/kind/namespace/name.

function checkIdentity(ctx: Ctx): void {
  const seen = new Map<string, ModelDocument>();
  for (const d of ctx.env.documents) {
    const { apiVersion, kind, metadata } = d.doc ?? {};
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    const e = kindEntry(apiVersion, kind);
    const ns = metadata?.namespace;
    if (ns !== undefined && !(typeof ns === 'string' && isDnsLabel(ns))) {
      add(ctx, d, 'metadata.namespace', 'is not a valid namespace name', ns, 'a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
    }
    if (kind === 'Namespace' && apiVersion === 'v1' && !(typeof metadata?.name === 'string' && isDnsLabel(metadata.name))) {
      add(ctx, d, 'metadata.name', 'is not a valid namespace name', metadata?.name, 'a DNS-1123 label of at most 63 characters');
    }
    const scoped = e?.scope === 'Cluster' ? '' : (ns ?? 'default');
    const key = `${groupOf(apiVersion)}/${kind}/${scoped}/${metadata?.name}`;
    const first = seen.get(key);
    if (first) {
      add(ctx, d, 'metadata.name', `is defined twice in ${envName(ctx.env)} (Argo CD would fight over it)`, metadata?.name,
        `one object per group/kind/namespace/name; the other is ${first.origin}`);
    } else {
      seen.set(key, d);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Kueue: a queued object must be of an enabled integration and name a LocalQueue of its namespace.

function checkQueues(ctx: Ctx): void {
  const localQueues = ctx.env.documents.filter(({ doc }) => doc?.apiVersion?.startsWith('kueue.x-k8s.io/') && doc.kind === 'LocalQueue');
  const queues = new Set([...localQueues.map(({ doc }) => `${doc.metadata?.namespace ?? 'default'}/${doc.metadata?.name}`),
    // LocalQueueRef.fromName: imported, provided outside charts-out
    ...ctx.env.externals.filter((e) => e.kind === 'LocalQueue').map((e) => `${e.namespace}/${e.name}`)]);
  const clusterQueues = new Set(ctx.env.documents.filter(({ doc }) => doc?.apiVersion?.startsWith('kueue.x-k8s.io/') && doc.kind === 'ClusterQueue').map(({ doc }) => doc.metadata?.name));
  for (const lq of localQueues) {
    const cq = lq.doc.spec?.clusterQueue;
    if (!clusterQueues.has(cq)) {
      add(ctx, lq, 'spec.clusterQueue', 'names a ClusterQueue that nothing creates (its workloads would wait forever)', cq, `a ClusterQueue of the same environment (${[...clusterQueues].sort(byCodeUnit).join(', ') || 'none defined'})`);
    }
  }
  const kueue: InstalledAddon | undefined = ctx.env.addons.find((a) => a.name === 'kueue');
  const enabled = kueue ? kueueIntegrations(kueue.values) : undefined;
  for (const d of ctx.env.documents) {
    const queue = d.doc?.metadata?.labels?.[LABEL_KUEUE_QUEUE];
    if (queue === undefined) continue;
    const field = `metadata.labels["${LABEL_KUEUE_QUEUE}"]`;
    const gk = `${groupOf(d.doc.apiVersion)}/${d.doc.kind}`;
    if (!enabled) {
      add(ctx, d, field, `names a Kueue queue but ${envName(ctx.env)} installs no Kueue`, queue, 'the kueue add-on in the same environment');
    } else if (!enabled.frameworks.has(gk)) {
      add(ctx, d, field, `is set on a ${gk}, but the Kueue integration for it is not enabled, so Kueue never admits it (it stays suspended)`, queue,
        `a kind of an enabled integration (${[...enabled.frameworks].sort(byCodeUnit).join(', ')}), or the integration enabled in the kueue add-on values`);
    }
    const ns = d.doc.metadata?.namespace ?? 'default';
    if (!queues.has(`${ns}/${queue}`)) {
      add(ctx, d, field, `names a LocalQueue that does not exist in namespace ${ns} (the workload would wait forever)`, queue,
        `a LocalQueue of namespace ${ns} in the same environment (${[...queues].filter((q) => q.startsWith(`${ns}/`)).map((q) => q.slice(ns.length + 1)).sort(byCodeUnit).join(', ') || 'none defined'})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Admission as admitted: every pod the cluster will create, with the containers operators
// inject, against the Pod Security level its namespace enforces.

function checkAdmission(ctx: Ctx, definedLabels: ReadonlyMap<string, Record<string, string>>, runtimes: ReadonlyMap<string, Json>): {
  namespaces: NamespaceRow[]; podsChecked: number; injectedContainers: number; pods: Array<{ d: ModelDocument; pod: CreatedPod }>;
} {
  // namespaces an add-on's sync creates (Argo CD CreateNamespace) carry no Pod Security label: privileged
  // (added to a copy: the operator rules read only the namespaces the environment defines)
  const namespaceLabels = new Map(definedLabels);
  for (const a of ctx.env.addons) if (a.createsNamespace && !namespaceLabels.has(a.namespace)) namespaceLabels.set(a.namespace, {});
  const podCtx: PodContext = { env: ctx.env, namespaceLabels, runtimes };
  const rows = new Map<string, { enforce: string; pods: number; injected: Set<string> }>();
  let podsChecked = 0;
  let injectedContainers = 0;
  const all: Array<{ d: ModelDocument; pod: CreatedPod }> = [];
  for (const d of ctx.env.documents) {
    for (const pod of createdPods(d, podCtx)) {
      all.push({ d, pod });
      const labels = namespaceLabels.get(pod.namespace);
      if (!labels) continue; // a namespace nothing creates: reported by the reference check
      const { enforce } = namespacePodSecurity(labels);
      const level = enforce.level as PssLevel;
      const row = rows.get(pod.namespace) ?? { enforce: labels['pod-security.kubernetes.io/enforce'] ? `${level}:${enforce.version}` : 'privileged (no label)', pods: 0, injected: new Set<string>() };
      row.pods++;
      for (const c of pod.injected) row.injected.add(`${c.name} (${c.by})`);
      rows.set(pod.namespace, row);
      podsChecked++;
      injectedContainers += pod.injected.length;
      reportViolations(ctx, d, pod, level, enforce.version);
    }
  }
  const namespaces = [...rows.entries()].sort(([a], [b]) => byCodeUnit(a, b))
    .map(([name, r]) => ({ name, enforce: r.enforce, pods: r.pods, injected: [...r.injected].sort(byCodeUnit) }));
  return { namespaces, podsChecked, injectedContainers, pods: all };
}

function reportViolations(ctx: Ctx, d: ModelDocument, pod: CreatedPod, level: PssLevel, version: string): void {
  const violations = checkPodSecurity(level, pod.pod, version);
  for (const v of violations) {
    const m = /^spec\.(initContainers|containers|ephemeralContainers)\[(\d+)\]/.exec(v.field);
    const container = m ? pod.pod.spec[m[1]]?.[Number(m[2])]?.name : undefined;
    const injected = pod.injected.find((c) => c.name === container);
    const where = `${pod.field} → pod ${v.field}`;
    add(ctx, d, where, `${v.problem} (Pod Security check ${v.check}${injected ? `; container ${injected.name} is injected by ${injected.by}` : ''})`, v.value,
      `${v.allowed} (namespace ${pod.namespace} enforces "${level}:${version}": Pod Security admission rejects the pod as the cluster creates it)`);
  }
}

// ---------------------------------------------------------------------------------------------
// Network: every declared flow is allowed end to end; team namespaces cannot reach each other
// unless a flow is declared; and which namespaces with pods lack a default deny.

/** The first address of a CIDR (a representative of the block). */
function addressIn(cidr: string): string {
  return cidr.split('/')[0];
}

/** The label that marks a team namespace (platform/constants.ts LABEL_TEAM). */
const TEAM_LABEL = 'mlscale.io/team';

function checkNetwork(ctx: Ctx, pods: ReadonlyArray<{ d: ModelDocument; pod: CreatedPod }>): { flows: FlowRow[]; withoutDefaultDeny: string[]; isolatedTeamPairs: number } {
  // the environment's NetworkPolicies, and those its Helm add-ons render from their values
  const set = policySetOf([...ctx.env.documents.map((d) => d.doc), ...ctx.env.addons.flatMap((a) => a.facts.networkPolicies?.(a.values, a.namespace) ?? [])]);
  const end = (p: import('./flows').FlowParty, port?: number, protocol?: string): FlowEnd => (isPods(p)
    ? { namespace: p.namespace, labels: p.labels, ports: port ? [{ containerPort: port, protocol }] : [] }
    : { ip: addressIn(p.cidr) });
  const flows: FlowRow[] = [];
  const usedRules = new Set<string>();
  for (const f of ctx.env.flows ?? []) {
    const protocol = f.protocol ?? 'TCP';
    const v = evaluateFlow(set, end(f.from), end(f.to, f.port, protocol), f.port, protocol);
    if (v.allowed) for (const r of [...v.egress.rules, ...v.ingress.rules]) usedRules.add(r);
    const denying = !v.egress.allowed ? { side: `egress of ${partyName(f.from)}`, by: v.egress.isolatedBy } : { side: `ingress of ${partyName(f.to)}`, by: v.ingress.isolatedBy };
    flows.push({
      from: partyName(f.from), to: partyName(f.to), port: f.port, protocol, why: f.why, allowed: v.allowed,
      policies: v.allowed ? [...new Set([...v.egress.allowedBy, ...v.ingress.allowedBy])].sort(byCodeUnit) : denying.by,
    });
    if (!v.allowed) {
      const origin = { doc: { kind: 'Flow', metadata: { name: `${partyName(f.from)} → ${partyName(f.to)}` } }, origin: f.declaredBy ?? 'flows' };
      ctx.problems.push({
        path: origin.origin, field: `flow ${partyName(f.from)} → ${partyName(f.to)} ${f.port}/${protocol}`,
        problem: `is denied: the ${denying.side} is isolated by ${denying.by.join(', ')} and no policy there allows it (${f.why})`, value: f.port,
        expected: 'a NetworkPolicy rule that allows this flow on both sides (the source\'s egress and the destination\'s ingress)',
      });
    }
  }
  // the other direction of drift: every rule of a policy mlscale writes serves a declared flow. A
  // policy that selects no pod (none modelled, none a flow names) is dormant, e.g. a team's rule for
  // gateway clusters in a namespace no gateway uses, and is not checked.
  const parties = (ctx.env.flows ?? []).flatMap((f) => [f.from, f.to]).filter(isPods);
  for (const d of ctx.env.documents) {
    const doc = d.doc;
    if (doc?.apiVersion !== 'networking.k8s.io/v1' || doc.kind !== 'NetworkPolicy' || doc.metadata?.labels?.[LABEL_MANAGED_BY] !== MANAGED_BY) continue;
    const ns = doc.metadata?.namespace ?? 'default';
    const selects = (labels: Readonly<Record<string, string>>) => selectorMatches(doc.spec?.podSelector ?? {}, labels);
    if (!pods.some((p) => p.pod.namespace === ns && selects(p.pod.pod.metadata?.labels ?? {})) && !parties.some((p) => p.namespace === ns && selects(p.labels))) continue;
    const id = `${ns}/${doc.metadata?.name}`;
    for (const side of ['ingress', 'egress'] as const) {
      (doc.spec?.[side] ?? []).forEach((_: unknown, i: number) => {
        if (!usedRules.has(`${id}#${side}[${i}]`)) {
          add(ctx, d, `spec.${side}[${i}]`, 'allows traffic that no declared flow needs', JSON.stringify(doc.spec[side][i]),
            'every rule of a policy mlscale writes to serve a declared flow (declare the flow with Flows.declare, or remove the rule)');
        }
      });
    }
  }
  // namespaces the environment defines (the first document of each name) and runs pods in
  const namespaceDocs = ctx.env.documents.filter(({ doc }) => doc?.apiVersion === 'v1' && doc.kind === 'Namespace');
  const defined = new Map<string, ModelDocument>();
  for (const d of namespaceDocs) if (!defined.has(d.doc.metadata?.name)) defined.set(d.doc.metadata?.name, d);
  const withPods = [...new Set(pods.map((p) => p.pod.namespace))].filter((ns) => defined.has(ns)).sort(byCodeUnit);
  const withoutDefaultDeny = withPods.filter((ns) => {
    const dd = hasDefaultDeny(set, ns);
    if (dd.ingress && dd.egress) return false;
    const d = defined.get(ns)!;
    add(ctx, d, 'NetworkPolicies', `leave pods of namespace ${ns} unisolated (${[!dd.ingress ? 'ingress' : '', !dd.egress ? 'egress' : ''].filter(Boolean).join(' and ')}): it runs pods but has no default deny`,
      ns, 'a NetworkPolicy selecting every pod (podSelector {}) with policyTypes Ingress and Egress (Team and NamespaceIsolation create one)');
    return true;
  });
  // team isolation: a pod of one team cannot open a connection to a pod of another, unless declared
  const teams = namespaceDocs.filter(({ doc }) => doc.metadata?.labels?.[TEAM_LABEL] !== undefined);
  let isolatedTeamPairs = 0;
  for (const a of teams) {
    for (const b of teams) {
      if (a === b) continue;
      const from: FlowEnd = { namespace: a.doc.metadata.name, labels: {} };
      const to: FlowEnd = { namespace: b.doc.metadata.name, labels: {}, ports: [{ containerPort: 8080 }] };
      const declared = (ctx.env.flows ?? []).some((f) => isPods(f.from) && isPods(f.to) && f.from.namespace === from.namespace && f.to.namespace === to.namespace);
      const v = evaluateFlow(set, from, to, 8080);
      if (!v.allowed) isolatedTeamPairs++;
      else if (!declared) {
        ctx.problems.push({
          path: b.origin, field: `[Namespace ${to.namespace}] ingress from namespace ${from.namespace}`, problem: 'is allowed although no flow between the two teams is declared',
          value: v.ingress.allowedBy, expected: 'team namespaces isolated from each other (default deny) unless a flow is declared',
        });
      }
    }
  }
  return { flows, withoutDefaultDeny, isolatedTeamPairs };
}
