/**
 * The traffic an environment's pods need, declared as data by the constructs that make the pods
 * (including pods their operators create): from, to, port, protocol and why. The cluster model
 * proves every declared flow is allowed by the NetworkPolicies end to end, and reports them.
 */
import { IConstruct } from 'constructs';
import { Problems } from '../core/errors';

/** Pods, by the labels the real pods carry (those an operator sets included). */
export interface FlowPods {
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels of the pods (a subset that identifies them). */
  readonly labels: Readonly<Record<string, string>>;
  /** Short name for reports, e.g. `dask worker (gateway)`. */
  readonly name: string;
}

/** Addresses outside the cluster. */
export interface FlowAddresses {
  /** IPv4 CIDR. */
  readonly cidr: string;
  /** Short name for reports, e.g. `Kubernetes API`. */
  readonly name: string;
}

/** Either side of a flow. */
export type FlowParty = FlowPods | FlowAddresses;

/** One connection a workload needs. */
export interface DeclaredFlow {
  readonly from: FlowParty;
  readonly to: FlowParty;
  /** Destination port. */
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** Why it is needed. */
  readonly why: string;
  /** Construct path of the declaring construct (set by Flows.declare). */
  readonly declaredBy?: string;
}

const DECLARED = new WeakMap<IConstruct, DeclaredFlow[]>();

/** Declares and lists the flows of an app (or environment). */
export class Flows {
  /** Declares that pods of `scope`'s app need `flow`. */
  public static declare(scope: IConstruct, flow: DeclaredFlow): void {
    const p = new Problems(scope);
    p.check(Number.isInteger(flow.port) && flow.port >= 1 && flow.port <= 65535, 'port', 'is not a port', flow.port, 'an integer from 1 to 65535');
    p.check(typeof flow.why === 'string' && flow.why.trim().length > 0, 'why', 'must say why the flow is needed', flow.why, 'a non-empty reason');
    p.throwIfAny();
    const root = scope.node.root;
    let list = DECLARED.get(root);
    if (!list) {
      list = [];
      DECLARED.set(root, list);
    }
    list.push({ ...flow, protocol: flow.protocol ?? 'TCP', declaredBy: scope.node.path });
  }

  /** The flows of the app of `scope`, in declaration order. */
  public static of(scope: IConstruct): DeclaredFlow[] {
    return [...(DECLARED.get(scope.node.root) ?? [])];
  }
}

/** True for a pods party. */
export function isPods(p: FlowParty): p is FlowPods {
  return (p as FlowPods).namespace !== undefined;
}

/** `name (namespace)` or `name (cidr)`. */
export function partyName(p: FlowParty): string {
  return isPods(p) ? `${p.name} (${p.namespace})` : `${p.name} (${p.cidr})`;
}
