/**
 * A model of Kueue's quota tree, for admission tests: ClusterQueues and Cohorts (kueue.x-k8s.io/v1beta2)
 * read from synthesized documents, and the arithmetic of kueue v0.19.2
 * pkg/cache/scheduler/resource_node.go (SubtreeQuota, localQuota, available, addUsage), per
 * (flavor, resource) pair. Admission is the "Fit" test of the flavor assigner: every request at most
 * what `available` gives (pkg/scheduler/flavorassigner). `pods` is requested only when the
 * ClusterQueue covers it (flavorassigner.go). Preemption is not modelled.
 */
import { cpuMillis, memoryBytes } from '../../constructs';

type FR = string; // `${flavor}/${resource}`
interface Quota { nominal: number; borrowingLimit?: number; lendingLimit?: number }
interface Node {
  readonly name: string;
  readonly kind: 'ClusterQueue' | 'Cohort';
  parent?: Node;
  readonly children: Node[];
  readonly quotas: Map<FR, Quota>;
  readonly usage: Map<FR, number>;
  /** ClusterQueues: the flavors of each covered resource, in order. */
  readonly flavorsOf: Map<string, string[]>;
}

/** A quantity of `resource` as a number: CPU in millicores, memory in bytes, counts as they are. */
function amount(resource: string, v: unknown): number {
  if (resource === 'cpu') return cpuMillis(String(v));
  if (resource === 'memory') return memoryBytes(String(v)) ?? NaN;
  return Number(v);
}

/** A workload's requests: resource → total (CPU in m, memory in bytes), and the pods' node selector. */
export interface WorkloadRequests {
  readonly requests: Readonly<Record<string, number>>;
  readonly pods: number;
  readonly nodeSelector: Readonly<Record<string, string>>;
}

export class KueueQuotaTree {
  private readonly nodes = new Map<string, Node>();
  private readonly flavorLabels = new Map<string, Record<string, string>>();

  constructor(docs: readonly any[]) {
    const node = (kind: Node['kind'], name: string): Node => {
      const key = `${kind}/${name}`;
      if (!this.nodes.has(key)) this.nodes.set(key, { name, kind, children: [], quotas: new Map(), usage: new Map(), flavorsOf: new Map() });
      return this.nodes.get(key)!;
    };
    const link = (child: Node, parentName: string | undefined) => {
      if (!parentName) return;
      const parent = node('Cohort', parentName); // an implicit Cohort when nothing creates it (pkg/cache/hierarchy/manager.go)
      child.parent = parent;
      parent.children.push(child);
    };
    for (const d of docs) {
      if (!d?.apiVersion?.startsWith('kueue.x-k8s.io/')) continue;
      if (d.kind === 'ResourceFlavor') this.flavorLabels.set(d.metadata.name, d.spec?.nodeLabels ?? {});
      if (d.kind !== 'ClusterQueue' && d.kind !== 'Cohort') continue;
      const n = node(d.kind, d.metadata.name);
      for (const g of d.spec?.resourceGroups ?? []) {
        for (const f of g.flavors) {
          for (const r of f.resources) {
            n.quotas.set(`${f.name}/${r.name}`, {
              nominal: amount(r.name, r.nominalQuota),
              ...(r.borrowingLimit !== undefined ? { borrowingLimit: amount(r.name, r.borrowingLimit) } : {}),
              ...(r.lendingLimit !== undefined ? { lendingLimit: amount(r.name, r.lendingLimit) } : {}),
            });
          }
        }
        for (const res of g.coveredResources) n.flavorsOf.set(res, g.flavors.map((f: any) => f.name));
      }
      link(n, d.kind === 'ClusterQueue' ? d.spec?.cohortName : d.spec?.parentName);
    }
  }

  private cq(name: string): Node {
    const n = this.nodes.get(`ClusterQueue/${name}`);
    if (!n) throw new Error(`no ClusterQueue ${name}`);
    return n;
  }

  /** SubtreeQuota: the node's nominal plus what its children lend (their subtree minus their localQuota). */
  private subtree(n: Node, fr: FR): number {
    return (n.quotas.get(fr)?.nominal ?? 0) + n.children.reduce((s, c) => s + this.subtree(c, fr) - this.localQuota(c, fr), 0);
  }

  /** The capacity lending limits keep inside the node's subtree. */
  private localQuota(n: Node, fr: FR): number {
    const ll = n.quotas.get(fr)?.lendingLimit;
    return ll === undefined ? 0 : Math.max(0, this.subtree(n, fr) - ll);
  }

  private used(n: Node, fr: FR): number {
    return n.usage.get(fr) ?? 0;
  }

  /** resource_node.go available(): local capacity plus what the parent gives, within the borrowing limit. */
  public available(n: Node, fr: FR): number {
    const local = Math.max(0, this.localQuota(n, fr) - this.used(n, fr));
    if (!n.parent) return this.subtree(n, fr) - this.used(n, fr);
    let parent = this.available(n.parent, fr);
    const bl = n.quotas.get(fr)?.borrowingLimit;
    if (bl !== undefined) {
      const lq = this.localQuota(n, fr);
      const stored = this.subtree(n, fr) - lq;
      const usedInParent = Math.max(0, this.used(n, fr) - lq);
      parent = Math.min(stored - usedInParent + bl, parent);
    }
    return local + parent;
  }

  /** resource_node.go addUsage(): usage beyond the node's local capacity is stored in its parent. */
  private addUsage(n: Node, fr: FR, v: number): void {
    const local = Math.max(0, this.localQuota(n, fr) - this.used(n, fr));
    n.usage.set(fr, this.used(n, fr) + v);
    if (n.parent && v > local) this.addUsage(n.parent, fr, v - local);
  }

  private removeUsage(n: Node, fr: FR, v: number): void {
    const stored = this.used(n, fr) - this.localQuota(n, fr);
    n.usage.set(fr, this.used(n, fr) - v);
    if (stored <= 0 || !n.parent) return;
    this.removeUsage(n.parent, fr, Math.min(v, stored));
  }

  /** The (flavor, resource) requests of a workload in `cq`, with the first flavor whose node labels the pods select. */
  private assign(cq: Node, w: WorkloadRequests): Map<FR, number> | undefined {
    const out = new Map<FR, number>();
    const requests: Record<string, number> = { ...w.requests, ...(cq.flavorsOf.has('pods') ? { pods: w.pods } : {}) };
    for (const [res, v] of Object.entries(requests)) {
      if (v === 0) continue;
      const flavor = (cq.flavorsOf.get(res) ?? []).find((f) => Object.entries(this.flavorLabels.get(f) ?? {}).every(([k, val]) => w.nodeSelector[k] === val));
      if (flavor === undefined) return undefined; // a resource the ClusterQueue does not cover: never admitted
      out.set(`${flavor}/${res}`, v);
    }
    return out;
  }

  /** Admits the workload into `clusterQueue` when it fits (and records its usage); returns whether it did. */
  public admit(clusterQueue: string, w: WorkloadRequests): boolean {
    const cq = this.cq(clusterQueue);
    const frs = this.assign(cq, w);
    if (!frs) return false;
    for (const [fr, v] of frs) if (v > this.available(cq, fr)) return false;
    for (const [fr, v] of frs) this.addUsage(cq, fr, v);
    return true;
  }

  /** Releases an admitted workload's usage (it finished). */
  public finish(clusterQueue: string, w: WorkloadRequests): void {
    const cq = this.cq(clusterQueue);
    for (const [fr, v] of this.assign(cq, w)!) this.removeUsage(cq, fr, v);
  }
}

/** The requests of a PyTorchJob document as Kueue sums them (every replica's containers). */
export function pyTorchJobRequests(job: any): WorkloadRequests {
  const requests: Record<string, number> = {};
  let pods = 0;
  let nodeSelector: Record<string, string> = {};
  for (const spec of Object.values<any>(job.spec.pytorchReplicaSpecs)) {
    pods += spec.replicas;
    nodeSelector = { ...nodeSelector, ...(spec.template.spec.nodeSelector ?? {}) };
    for (const c of spec.template.spec.containers) {
      for (const [res, v] of Object.entries(c.resources?.requests ?? {})) {
        requests[res] = (requests[res] ?? 0) + spec.replicas * amount(res, v);
      }
    }
  }
  return { requests, pods, nodeSelector };
}
