/**
 * The NetworkPolicies a Helm add-on renders from its values, as the cluster model needs them to
 * prove flows to and from the chart's pods. Facts of the pinned chart versions, written here.
 *
 * zero-to-jupyterhub 4.3.3 (jupyterhub/templates/{hub,singleuser}/netpol.yaml and
 * _helpers-netpol.tpl): legacy match labels `component`, `app` (the chart name) and `release`;
 * the single-user policy admits pods labelled `hub.jupyter.org/network-access-singleuser` and lets
 * servers reach the hub (8081), the proxy (8000), autohttps (8080, 8443) and what `egressAllowRules`
 * turn on (single-user defaults: DNS, non-private addresses; no private addresses); the hub policy
 * admits pods labelled `hub.jupyter.org/network-access-hub` on its `http` port and reaches the
 * proxy API (8001), the servers (8888) and everything the hub's egressAllowRules allow (all on by
 * default). `…networkPolicy.ingress` / `.egress` values are appended; `allowedIngressPorts` opens
 * those ports to anyone; `interNamespaceAccessLabels: accept` honours the access labels on pods of
 * other namespaces and on namespaces. Read at tag 4.3.3 (values.yaml defaults included).
 */

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
const METADATA_IP = '169.254.169.254';

/** The chart's egressAllowRules defaults (values.yaml at 4.3.3). */
const SINGLEUSER_ALLOW = { cloudMetadataServer: false, dnsPortsCloudMetadataServer: true, dnsPortsKubeSystemNamespace: true, dnsPortsPrivateIPs: true, nonPrivateIPs: true, privateIPs: false };
const HUB_ALLOW = { cloudMetadataServer: true, dnsPortsCloudMetadataServer: true, dnsPortsKubeSystemNamespace: true, dnsPortsPrivateIPs: true, nonPrivateIPs: true, privateIPs: true };

/** The labels the chart's pods are matched by. */
export function jupyterhubPodLabels(component: 'hub' | 'singleuser-server' | 'proxy' | 'autohttps', release = 'jupyterhub'): Record<string, string> {
  return { component, app: 'jupyterhub', release };
}

function allowRules(allow: Record<string, boolean>): Json[] {
  const rules: Json[] = [];
  const block = (cidr: string, except?: string[]) => ({ ipBlock: { cidr, ...(except ? { except } : {}) } });
  if (allow.dnsPortsCloudMetadataServer || allow.dnsPortsKubeSystemNamespace || allow.dnsPortsPrivateIPs) {
    rules.push({
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      to: [
        ...(allow.dnsPortsCloudMetadataServer ? [block(`${METADATA_IP}/32`)] : []),
        ...(allow.dnsPortsKubeSystemNamespace ? [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }] : []),
        ...(allow.dnsPortsPrivateIPs ? PRIVATE.map((c) => block(c)) : []),
      ],
    });
  }
  if (allow.nonPrivateIPs) rules.push({ to: [block('0.0.0.0/0', [...PRIVATE, `${METADATA_IP}/32`])] });
  if (allow.privateIPs) rules.push({ to: PRIVATE.map((c) => block(c)) });
  if (allow.cloudMetadataServer) rules.push({ to: [block(`${METADATA_IP}/32`)] });
  return rules;
}

/** The hub and single-user NetworkPolicies of the jupyterhub add-on with these values. */
export function jupyterhubPolicies(values: Json, namespace: string, release = 'jupyterhub'): Json[] {
  const policy = (name: string, spec: Json) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
  const pods = (c: 'hub' | 'singleuser-server' | 'proxy' | 'autohttps') => ({ podSelector: { matchLabels: jupyterhubPodLabels(c, release) } });
  // one policy per component: ingress from pods with the access label on its port, egress to the chart's
  // own pods and what egressAllowRules allow; the values' `ingress` / `egress` appended
  const component = (name: string, c: 'hub' | 'singleuser-server', netpol: Json, port: string, egress: Json[], allow: Record<string, boolean>, access = `hub.jupyter.org/network-access-${name}`): Json[] => (netpol.enabled === false ? [] : [policy(name, {
    podSelector: { matchLabels: jupyterhubPodLabels(c, release) }, policyTypes: ['Ingress', 'Egress'],
    ingress: [
      // allowedIngressPorts: from anywhere on those ports
      ...((netpol.allowedIngressPorts ?? []).length > 0 ? [{ ports: netpol.allowedIngressPorts.map((p: number | string) => ({ port: p })) }] : []),
      {
        ports: [{ port }],
        from: netpol.interNamespaceAccessLabels === 'accept'
          // the access label on pods of any namespace, or on a namespace
          ? [{ podSelector: { matchLabels: { [access]: 'true' } }, namespaceSelector: { matchLabels: {} } }, { namespaceSelector: { matchLabels: { [access]: 'true' } } }]
          : [{ podSelector: { matchLabels: { [access]: 'true' } } }],
      },
      ...(netpol.ingress ?? []),
    ],
    egress: [...egress, ...allowRules({ ...allow, ...(netpol.egressAllowRules ?? {}) }), ...(netpol.egress ?? [])],
  })]);
  const out: Json[] = [
    ...component('singleuser', 'singleuser-server', values?.singleuser?.networkPolicy ?? {}, 'notebook-port', [
      { to: [pods('hub')], ports: [{ port: 8081 }] },
      { to: [pods('proxy')], ports: [{ port: 8000 }] },
      { to: [pods('autohttps')], ports: [{ port: 8080 }, { port: 8443 }] },
    ], SINGLEUSER_ALLOW),
    ...component('hub', 'hub', values?.hub?.networkPolicy ?? {}, 'http', [
      { to: [pods('proxy')], ports: [{ port: 8001 }] },
      { to: [pods('singleuser-server')], ports: [{ port: 8888 }] },
    ], HUB_ALLOW),
  ];
  return out;
}
