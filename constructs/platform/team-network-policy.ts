import { Construct } from 'constructs';
import { LABEL_MANAGED_BY, LABEL_TEAM, MANAGED_BY, Problems, checkName, isIpv4Cidr, k8sObject } from '../core';
import { FlowParty, Flows } from '../cluster/flows';
import * as k8s from '../imports/k8s';
import {
  ARGO_WORKFLOW_LABEL, DASK_COMPONENT_LABEL, DASK_DASHBOARD_PORT, DASK_GATEWAY_API_PORT, DASK_SCHEDULER_PORT, DASK_WORKER_PORT_RANGE,
  DASK_WORKER_SAMPLE_PORT, GATEWAY_DASK_COMPONENT_LABEL, JOBSET_NAME_LABEL, PYTORCH_MASTER_PORT, TORCHRUN_PORT,
  KUBERNETES_API_PORTS, KUBE_DNS_LABEL, NAMESPACE_NAME_LABEL, TRAINING_OPERATOR_JOB_LABEL,
} from './constants';

/** Where the object store (S3-compatible, GCS) is reached. Set `namespace` (in-cluster) or `cidr` (outside). */
export interface ObjectStoreEndpoint {
  /**
   * Namespace of an in-cluster object store (e.g. MinIO).
   * @default - none: `cidr` must be set
   */
  readonly namespace?: string;
  /**
   * Labels of the object store's pods in `namespace`.
   * @default - every pod of the namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Address block of an object store outside the cluster (e.g. GCS via Private Google Access: 199.36.153.8/30).
   * @default - none: `namespace` must be set
   */
  readonly cidr?: string;
  /** TCP port of the object store API (MinIO 9000, HTTPS 443). */
  readonly port: number;
}

/** Props of TeamNetworkPolicy. */
export interface TeamNetworkPolicyProps {
  /** The team namespace. */
  readonly namespace: string;
  /**
   * The object store the team's pods may reach.
   * @default { namespace: 'minio', port: 9000 } (the in-cluster MinIO add-on)
   */
  readonly objectStore?: ObjectStoreEndpoint;
  /**
   * Address block of the Kubernetes API server (control plane endpoint), reached by the Argo
   * executor of workflow pods on ports 443/6443. The API server is not a pod, so an ipBlock is the
   * only way to name it; set the control plane range (GKE private clusters: the master CIDR).
   * @default '0.0.0.0/0' (any address, but only from Argo workflow pods and only on 443/6443)
   */
  readonly kubernetesApiCidr?: string;
  /**
   * Namespaces of the Dask controllers that connect to the team's Dask schedulers
   * (the dask-kubernetes operator, the Dask Gateway proxy).
   * @default ['dask-gateway', 'dask-operator']
   */
  readonly daskControllerNamespaces?: readonly string[];
  /**
   * GKE Workload Identity: let every pod reach the GKE metadata server, which hands out the Google
   * credentials of its ServiceAccount: 169.254.169.254/32 on 80 (the address pods use), and
   * 169.254.169.252/32 on 988, where GKE Dataplane V2 serves it (GKE's Workload Identity how-to,
   * network policy restrictions; that page could not be re-read for this version: check it when
   * a pod gets no credentials).
   * @default false
   */
  readonly googleMetadataServer?: boolean;
}

/** The GKE metadata server as pods reach it (169.254.169.254:80) and as Dataplane V2 serves it (169.254.169.252:988). */
export const GKE_METADATA_SERVER: ReadonlyArray<{ readonly cidr: string; readonly port: number }> = [
  { cidr: '169.254.169.254/32', port: 80 },
  { cidr: '169.254.169.252/32', port: 988 },
];

type Selector = k8s.LabelSelector;
const ALL: Selector = {};
const exists = (key: string): Selector => ({ matchExpressions: [{ key, operator: 'Exists' }] });
const tcp = (...ports: number[]): k8s.NetworkPolicyPort[] => ports.map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) }));

/**
 * The network policies of a team namespace: deny all ingress and egress, then allow exactly
 * - every pod → cluster DNS (kube-system, k8s-app=kube-dns) on UDP/TCP 53;
 * - every pod of the team and the Dask controllers → the team's Dask schedulers on 8786 (comm) and 8787 (dashboard);
 * - the team's Dask pods → the team's Dask workers on TCP 1024-65535 (workers bind random ports);
 * - pods of one distributed training job (training-operator or JobSet) ↔ each other, any port (NCCL/Gloo);
 * - Argo workflow pods (the executor) → the Kubernetes API on 443/6443;
 * - every pod → the object store.
 */
export class TeamNetworkPolicy extends Construct {
  /** The policies, by name. */
  public readonly policies: Readonly<Record<string, k8s.KubeNetworkPolicy>>;

  constructor(scope: Construct, id: string, props: TeamNetworkPolicyProps) {
    super(scope, id);
    const problems = new Problems(this);
    checkName(problems, 'namespace', props.namespace);
    const store = props.objectStore ?? { namespace: 'minio', port: 9000 };
    problems.check((store.namespace === undefined) !== (store.cidr === undefined), 'objectStore', 'must set exactly one of namespace and cidr', store,
      '{ namespace, port } for an in-cluster store or { cidr, port } for an external one');
    if (store.namespace !== undefined) checkName(problems, 'objectStore.namespace', store.namespace);
    if (store.cidr !== undefined) problems.check(isIpv4Cidr(store.cidr), 'objectStore.cidr', 'is not an IPv4 CIDR', store.cidr, 'e.g. "199.36.153.8/30"');
    problems.check(Number.isInteger(store.port) && store.port >= 1 && store.port <= 65535, 'objectStore.port', 'is not a valid port', store.port, 'an integer from 1 to 65535');
    const apiCidr = props.kubernetesApiCidr ?? '0.0.0.0/0';
    problems.check(isIpv4Cidr(apiCidr), 'kubernetesApiCidr', 'is not an IPv4 CIDR', apiCidr, 'e.g. "172.16.0.0/28"');
    const controllers = props.daskControllerNamespaces ?? ['dask-gateway', 'dask-operator'];
    controllers.forEach((ns, i) => checkName(problems, `daskControllerNamespaces[${i}]`, ns));
    problems.throwIfAny();

    const namespaceIs = (name: string): Selector => ({ matchLabels: { [NAMESPACE_NAME_LABEL]: name } });
    const dask = (component: string): Selector => ({ matchLabels: { [DASK_COMPONENT_LABEL]: component } });
    const gatewayDask: Selector = { matchExpressions: [{ key: GATEWAY_DASK_COMPONENT_LABEL, operator: 'In', values: ['dask-scheduler', 'dask-worker'] }] };
    const storePeer: k8s.NetworkPolicyPeer = store.cidr !== undefined
      ? { ipBlock: { cidr: store.cidr } }
      : { namespaceSelector: namespaceIs(store.namespace!), podSelector: store.podLabels ? { matchLabels: { ...store.podLabels } } : ALL };
    const specs: Record<string, k8s.NetworkPolicySpec> = {
      'default-deny': { podSelector: ALL, policyTypes: ['Ingress', 'Egress'] },
      'allow-dns': {
        podSelector: ALL, policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: namespaceIs('kube-system'), podSelector: { matchLabels: { ...KUBE_DNS_LABEL } } }],
          ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, ...tcp(53)],
        }],
      },
      'allow-dask-scheduler': {
        podSelector: dask('scheduler'), policyTypes: ['Ingress'],
        ingress: [{
          from: [{ podSelector: ALL }, ...controllers.map((ns) => ({ namespaceSelector: namespaceIs(ns) }))],
          ports: tcp(DASK_SCHEDULER_PORT, DASK_DASHBOARD_PORT),
        }],
      },
      'allow-to-dask-scheduler': {
        podSelector: ALL, policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: dask('scheduler') }], ports: tcp(DASK_SCHEDULER_PORT, DASK_DASHBOARD_PORT) }],
      },
      'allow-dask-workers': {
        podSelector: dask('worker'), policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: exists(DASK_COMPONENT_LABEL) }], ports: [workerPorts()] }],
      },
      'allow-to-dask-workers': {
        podSelector: exists(DASK_COMPONENT_LABEL), policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: dask('worker') }], ports: [workerPorts()] }],
      },
      // Dask Gateway clusters: dask-gateway-server's KubeBackend labels their pods
      // app.kubernetes.io/component dask-scheduler / dask-worker (not the operator's dask.org/component)
      'allow-gateway-dask-peers': {
        podSelector: gatewayDask, policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: gatewayDask }], ports: [workerPorts()] }],
        egress: [
          { to: [{ podSelector: gatewayDask }], ports: [workerPorts()] },
          // the scheduler's heartbeat to the gateway API
          { to: controllers.map((ns) => ({ namespaceSelector: namespaceIs(ns) })), ports: tcp(DASK_GATEWAY_API_PORT) },
        ],
      },
      ...peers('allow-training-peers', TRAINING_OPERATOR_JOB_LABEL),
      ...peers('allow-jobset-peers', JOBSET_NAME_LABEL),
      'allow-argo-kubernetes-api': {
        podSelector: exists(ARGO_WORKFLOW_LABEL), policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: apiCidr } }], ports: tcp(...KUBERNETES_API_PORTS) }],
      },
      'allow-object-store': {
        podSelector: ALL, policyTypes: ['Egress'],
        egress: [{ to: [storePeer], ports: tcp(store.port) }],
      },
      ...(props.googleMetadataServer ? {
        'allow-gke-metadata-server': {
          podSelector: ALL, policyTypes: ['Egress'] as string[],
          egress: GKE_METADATA_SERVER.map((m) => ({ to: [{ ipBlock: { cidr: m.cidr } }], ports: tcp(m.port) })),
        },
      } : {}),
    };
    // the flows these policies exist for: the cluster model proves each is allowed
    const ns = props.namespace;
    const pods = (labels: Record<string, string>, name: string) => ({ namespace: ns, labels, name });
    const every = pods({}, 'every pod');
    const flow = (from: FlowParty, to: FlowParty, port: number, why: string, protocol: 'TCP' | 'UDP' = 'TCP') => Flows.declare(this, { from, to, port, protocol, why });
    flow(every, { namespace: 'kube-system', labels: { ...KUBE_DNS_LABEL }, name: 'cluster DNS' }, 53, 'name resolution', 'UDP');
    flow(every, store.cidr !== undefined ? { cidr: store.cidr, name: 'object store' } : { namespace: store.namespace!, labels: { ...(store.podLabels ?? {}) }, name: 'object store' },
      store.port, 'datasets, notebook outputs and pipeline artifacts');
    flow(every, pods({ [DASK_COMPONENT_LABEL]: 'scheduler' }, 'dask scheduler'), DASK_SCHEDULER_PORT, 'clients and workers reach the Dask operator clusters\' schedulers');
    flow(pods({ [DASK_COMPONENT_LABEL]: 'scheduler' }, 'dask scheduler'), pods({ [DASK_COMPONENT_LABEL]: 'worker' }, 'dask worker'), DASK_WORKER_SAMPLE_PORT, 'the scheduler calls its workers (random ports)');
    flow(pods({ [TRAINING_OPERATOR_JOB_LABEL]: 'job' }, 'training job pod'), pods({ [TRAINING_OPERATOR_JOB_LABEL]: 'job' }, 'training job pod'), PYTORCH_MASTER_PORT, 'distributed training: workers rendezvous with the master (NCCL/Gloo)');
    flow(pods({ [JOBSET_NAME_LABEL]: 'job' }, 'trainer node'), pods({ [JOBSET_NAME_LABEL]: 'job' }, 'trainer node'), TORCHRUN_PORT, 'Trainer v2: torchrun rendezvous between the nodes');
    flow(pods({ [ARGO_WORKFLOW_LABEL]: 'run' }, 'workflow pod'), { cidr: apiCidr, name: 'Kubernetes API' }, 443, 'the Argo executor reports step results and outputs');
    if (props.googleMetadataServer) {
      for (const m of GKE_METADATA_SERVER) flow(every, { cidr: m.cidr, name: 'GKE metadata server' }, m.port, 'Workload Identity: the Google credentials of the pod\'s ServiceAccount');
    }
    const labels = { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TEAM]: props.namespace };
    this.policies = Object.fromEntries(Object.entries(specs).map(([name, spec]) =>
      [name, k8sObject(this, name, k8s.KubeNetworkPolicy, { metadata: { name, namespace: props.namespace, labels }, spec })]));
  }
}

function workerPorts(): k8s.NetworkPolicyPort {
  return { protocol: 'TCP', port: k8s.IntOrString.fromNumber(DASK_WORKER_PORT_RANGE.from), endPort: DASK_WORKER_PORT_RANGE.to };
}

/** Pods carrying `label` may talk to each other on any port (both directions). */
function peers(name: string, label: string): Record<string, k8s.NetworkPolicySpec> {
  const sel = exists(label);
  return { [name]: { podSelector: sel, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: sel }] }], egress: [{ to: [{ podSelector: sel }] }] } };
}
