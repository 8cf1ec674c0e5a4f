/** A small NetworkPolicy evaluator for tests (Kubernetes semantics: union of allows, per direction). */

export interface Endpoint {
  /** A pod: namespace + labels. */
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  /** Or an address outside the cluster. */
  readonly ip?: string;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

function selects(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (e.operator === 'In' && !(has && e.values!.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values!.includes(labels[e.key])) return false;
  }
  return true;
}

function ipNum(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNum(ip) / size) === Math.floor(ipNum(base) / size);
}

function peerMatches(peer: any, policyNamespace: string, e: Endpoint): boolean {
  if (peer.ipBlock) return e.ip !== undefined && inCidr(e.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x: string) => inCidr(e.ip!, x));
  if (e.ip !== undefined) return false;
  const nsLabels = { 'kubernetes.io/metadata.name': e.namespace! };
  const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, nsLabels) : e.namespace === policyNamespace;
  return nsOk && selects(peer.podSelector, e.labels ?? {});
}

function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port || (p.endPort !== undefined && port >= p.port && port <= p.endPort)));
}

/** Whether `policies` let `from` open a connection to `to` on `port`/`protocol`. */
export function allowed(policies: any[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  const direction = (pod: Endpoint, type: 'Egress' | 'Ingress', other: Endpoint): boolean => {
    if (pod.ip !== undefined) return true; // outside the cluster: not governed
    const applying = policies.filter((p) => p.metadata.namespace === pod.namespace && (p.spec.policyTypes ?? ['Ingress']).includes(type)
      && selects(p.spec.podSelector, pod.labels ?? {}));
    if (applying.length === 0) return true;
    return applying.some((p) => ((type === 'Egress' ? p.spec.egress : p.spec.ingress) ?? []).some((rule: any) => {
      const peers = type === 'Egress' ? rule.to : rule.from;
      return (!peers || peers.length === 0 || peers.some((peer: any) => peerMatches(peer, p.metadata.namespace, other))) && portMatches(rule.ports, port, protocol);
    }));
  };
  return direction(from, 'Egress', to) && direction(to, 'Ingress', from);
}
