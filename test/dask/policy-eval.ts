/** A small NetworkPolicy evaluator for table-driven tests (ingress, matchLabels and TCP ports only). */

/** A client trying to connect. */
export interface Client {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

const matches = (selector: { matchLabels?: Record<string, string> } | undefined, labels: Readonly<Record<string, string>>): boolean =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

/** True when `policy` admits `client` to `port` of a pod it selects. */
export function admits(policy: any, client: Client, port: number): boolean {
  return (policy.spec.ingress ?? []).some((rule: any) => {
    const portOk = (rule.ports ?? []).some((p: any) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
    const peerOk = (rule.from ?? []).some((peer: any) => {
      const nsOk = peer.namespaceSelector
        ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': client.namespace })
        : client.namespace === policy.metadata.namespace;
      return nsOk && (peer.podSelector === undefined || matches(peer.podSelector, client.labels));
    });
    return portOk && peerOk;
  });
}
