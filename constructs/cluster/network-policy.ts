/**
 * NetworkPolicy evaluation with the semantics of networking.k8s.io/v1 (Kubernetes 1.32): a pod is
 * isolated in a direction when any policy of its namespace selects it with that policy type; then
 * only what the union of those policies' rules allows passes. A connection needs both the source's
 * egress and the destination's ingress. `policyTypes` defaults to Ingress, plus Egress when the
 * policy has egress rules (pkg/apis/networking/v1/defaults.go). Peers: podSelector alone selects
 * pods of the policy's namespace; namespaceSelector (namespaces carry
 * `kubernetes.io/metadata.name`) alone all pods of the selected namespaces; both in one peer, pods
 * of those namespaces that match; ipBlock (with except) addresses outside the cluster. Ports: a
 * number (with `endPort` a range) or a named container port of the destination pod; protocol TCP
 * unless given; no ports means all.
 */

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A container port a pod serves (for named ports). */
export interface ServedPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

/** A pod, by what the policies can see of it. */
export interface PodEnd {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Its container ports (named ports in policies resolve against these). */
  readonly ports?: readonly ServedPort[];
}

/** An address outside the cluster (IPv4). */
export interface AddressEnd {
  readonly ip: string;
}

/** Either end of a connection. */
export type FlowEnd = PodEnd | AddressEnd;

/** What one direction of a connection meets. */
export interface DirectionVerdict {
  /** True when no policy isolates the pod in this direction, or a selecting policy allows the connection. */
  readonly allowed: boolean;
  /** The policies (`namespace/name`) that select the pod in this direction. */
  readonly isolatedBy: readonly string[];
  /** The policies whose rules allow it. */
  readonly allowedBy: readonly string[];
  /** The rules that allow it, as `namespace/name#ingress[i]` or `namespace/name#egress[i]`. */
  readonly rules: readonly string[];
}

/** The verdict on one connection. */
export interface FlowVerdict {
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

/** The NetworkPolicies and namespace labels of an environment. */
export interface PolicySet {
  readonly policies: readonly Json[];
  /** Labels of each namespace (`kubernetes.io/metadata.name` is added). */
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

const isPod = (e: FlowEnd): e is PodEnd => (e as PodEnd).namespace !== undefined;

/** Whether a label selector matches labels (empty or absent selector: everything). */
export function selectorMatches(sel: Json, labels: Readonly<Record<string, string>>): boolean {
  if (sel === undefined || sel === null) return true;
  for (const [k, v] of Object.entries<string>(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** `policyTypes`, defaulted as the API server does. */
export function policyTypes(policy: Json): string[] {
  const types: string[] | undefined = policy?.spec?.policyTypes;
  if (types && types.length > 0) return types;
  return ['Ingress', ...((policy?.spec?.egress ?? []).length > 0 ? ['Egress'] : [])];
}

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] * 256 + parts[1]) * 256 + parts[2]) * 256 + parts[3];
}

/** Whether an IPv4 address is inside a CIDR. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const a = ipToInt(ip);
  const b = ipToInt(base);
  const bits = Number(bitsText ?? 32);
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

function peerMatches(peer: Json, policyNamespace: string, other: FlowEnd, set: PolicySet): boolean {
  if (peer?.ipBlock) {
    // ipBlock is meant for addresses outside the cluster (pod IPs are ephemeral and not modelled)
    return !isPod(other) && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x: string) => inCidr(other.ip, x));
  }
  if (!isPod(other)) return false;
  if (peer?.namespaceSelector !== undefined) {
    const nsLabels = { ...(set.namespaceLabels.get(other.namespace) ?? {}), 'kubernetes.io/metadata.name': other.namespace };
    if (!selectorMatches(peer.namespaceSelector, nsLabels)) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return peer?.podSelector === undefined || selectorMatches(peer.podSelector, other.labels);
}

/** Whether a rule's ports admit `port`/`protocol` on `destination`. */
function portsMatch(ports: Json[] | undefined, port: number, protocol: string, destination: FlowEnd): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p?.protocol ?? 'TCP') !== protocol) return false;
    if (p?.port === undefined || p.port === null) return true;
    if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) {
      // a named port is the destination pod's container port of that name (and protocol)
      return isPod(destination) && (destination.ports ?? []).some((c) => c.name === p.port && c.containerPort === port && (c.protocol ?? 'TCP') === protocol);
    }
    const start = Number(p.port);
    const end = p.endPort !== undefined ? Number(p.endPort) : start;
    return port >= start && port <= end;
  });
}

function direction(set: PolicySet, pod: FlowEnd, type: 'Ingress' | 'Egress', other: FlowEnd, port: number, protocol: string, destination: FlowEnd): DirectionVerdict {
  if (!isPod(pod)) return { allowed: true, isolatedBy: [], allowedBy: [], rules: [] };
  const selecting = set.policies.filter((p) => (p?.metadata?.namespace ?? 'default') === pod.namespace
    && policyTypes(p).includes(type) && selectorMatches(p?.spec?.podSelector ?? {}, pod.labels));
  const id = (p: Json) => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name}`;
  if (selecting.length === 0) return { allowed: true, isolatedBy: [], allowedBy: [], rules: [] };
  const side = type === 'Egress' ? 'egress' : 'ingress';
  const rules: string[] = [];
  const allowing = selecting.filter((p) => {
    const matching = ((type === 'Egress' ? p.spec?.egress : p.spec?.ingress) ?? []).map((rule: Json, i: number) => {
      const peers: Json[] | undefined = type === 'Egress' ? rule?.to : rule?.from;
      const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, pod.namespace, other, set));
      return peerOk && portsMatch(rule?.ports, port, protocol, destination) ? `${id(p)}#${side}[${i}]` : undefined;
    }).filter((r: string | undefined): r is string => r !== undefined);
    rules.push(...matching);
    return matching.length > 0;
  });
  return { allowed: allowing.length > 0, isolatedBy: selecting.map(id).sort(), allowedBy: allowing.map(id).sort(), rules: rules.sort() };
}

/** Whether `from` may open a connection to `to` on `port`/`protocol`. */
export function evaluateFlow(set: PolicySet, from: FlowEnd, to: FlowEnd, port: number, protocol = 'TCP'): FlowVerdict {
  const egress = direction(set, from, 'Egress', to, port, protocol, to);
  const ingress = direction(set, to, 'Ingress', from, port, protocol, to);
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

/** The policy set of a list of documents (NetworkPolicies and Namespaces). */
export function policySetOf(docs: readonly Json[]): PolicySet {
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const d of docs) if (d?.apiVersion === 'v1' && d.kind === 'Namespace') namespaceLabels.set(d.metadata?.name, d.metadata?.labels ?? {});
  return { policies: docs.filter((d) => d?.apiVersion === 'networking.k8s.io/v1' && d.kind === 'NetworkPolicy'), namespaceLabels };
}

/** True when the namespace has a policy selecting every pod that isolates both directions and allows nothing by itself. */
export function hasDefaultDeny(set: PolicySet, namespace: string): { ingress: boolean; egress: boolean } {
  const all = set.policies.filter((p) => (p?.metadata?.namespace ?? 'default') === namespace
    && Object.keys(p?.spec?.podSelector?.matchLabels ?? {}).length === 0 && (p?.spec?.podSelector?.matchExpressions ?? []).length === 0);
  return {
    ingress: all.some((p) => policyTypes(p).includes('Ingress')),
    egress: all.some((p) => policyTypes(p).includes('Egress')),
  };
}
