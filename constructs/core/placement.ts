import { IConstruct } from 'constructs';
import { GKE_SPOT_LABEL } from './constants';
import { Problems } from './errors';
import { ClusterProfile } from './gpu';
import { isDnsSubdomain } from './names';

/** A taint a pod tolerates. */
export interface Toleration {
  readonly key: string;
  /** @default - 'Equal' when `value` is set, else 'Exists' */
  readonly operator?: 'Equal' | 'Exists';
  /** @default - none */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Node selector and tolerations, as a pod spec has them. */
export interface ResolvedPlacement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Array<{ key: string; operator: 'Equal' | 'Exists'; value?: string; effect?: string }>;
}

type Resolver = (scope: IConstruct, problems: Problems, field: string) => ResolvedPlacement;

/**
 * Where a workload's pods run. GPU pods are placed on their GPU class's nodes from `resources`;
 * a placement adds to that. Every pod-making construct takes it as `placement`.
 */
export class Placement {
  /** Nodes carrying all of `labels`, tolerating `tolerations` (e.g. a dedicated pool's taint). */
  public static onNodes(labels: Readonly<Record<string, string>>, tolerations: readonly Toleration[] = []): Placement {
    return new Placement((_s, problems, field) => {
      for (const [k, v] of Object.entries(labels)) {
        const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
        const prefix = k.includes('/') ? k.slice(0, k.indexOf('/')) : undefined;
        problems.check(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/.test(name) && (prefix === undefined || isDnsSubdomain(prefix)),
          `${field}.nodeSelector`, 'is not a valid label key', k, 'an optional DNS-subdomain prefix and a name of at most 63 characters');
        problems.check(typeof v === 'string' && /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/.test(v), `${field}.nodeSelector.${k}`, 'is not a valid label value', v,
          'at most 63 characters of letters, digits, -, _, . (starting and ending alphanumeric)');
      }
      tolerations.forEach((t, i) => {
        problems.check(typeof t.key === 'string' && t.key.length > 0, `${field}.tolerations[${i}].key`, 'must be set', t.key, 'the taint key');
        problems.check(!(t.operator === 'Exists' && t.value !== undefined), `${field}.tolerations[${i}].value`, 'must be unset with operator Exists', t.value, 'no value');
      });
      return {
        nodeSelector: { ...labels },
        tolerations: tolerations.map((t) => ({
          key: t.key, operator: t.operator ?? (t.value === undefined ? 'Exists' : 'Equal'),
          ...(t.value !== undefined ? { value: t.value } : {}), ...(t.effect ? { effect: t.effect } : {}),
        })),
      };
    });
  }

  /**
   * The GKE stack's Dask pool (`ClusterProfile` `daskPool`: spot high-CPU nodes labelled and
   * tainted `mlscale.io/pool=dask`). CPU Dask workers go there by default when the cluster has it.
   */
  public static daskPool(): Placement {
    return new Placement((scope, problems, field) => {
      const pool = ClusterProfile.of(scope).daskWorkerPlacement();
      problems.check(pool !== undefined, field, 'is the Dask pool, which the cluster has not', 'Placement.daskPool()',
        'a ClusterProfile with `daskPool: true` (the GKE stack\'s `gke.daskPool`), or another placement');
      return pool ?? { nodeSelector: {}, tolerations: [] };
    });
  }

  /**
   * GKE Spot VMs: selects `cloud.google.com/gke-spot=true` and tolerates the spot taint mlscale's
   * GKE node pools carry. Pods can be preempted at any time: for restartable work only.
   */
  public static spot(): Placement {
    return new Placement((scope, problems, field) => {
      problems.check(ClusterProfile.of(scope).provider === 'gke', field, 'is GKE Spot VMs, but the cluster is on-prem', 'Placement.spot()',
        'Placement.onNodes(...) with the labels of the on-prem nodes');
      return {
        nodeSelector: { [GKE_SPOT_LABEL]: 'true' },
        tolerations: [{ key: GKE_SPOT_LABEL, operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
      };
    });
  }

  private constructor(private readonly resolver: Resolver) {}

  /** This placement and `other` (their node selectors must agree). */
  public and(other: Placement): Placement {
    return new Placement((scope, problems, field) => mergePlacements(problems, field, [this.resolve(scope, problems, field), other.resolve(scope, problems, field)]));
  }

  /** Node selector and tolerations for a pod of `scope` (problems recorded under `field`). */
  public resolve(scope: IConstruct, problems: Problems, field: string): ResolvedPlacement {
    return this.resolver(scope, problems, field);
  }
}

/** Node selectors and tolerations of several sources (GPU class, placement, extra): selectors must agree; tolerations are deduplicated. */
export function mergePlacements(problems: Problems, field: string, parts: ReadonlyArray<Partial<ResolvedPlacement> | undefined>): ResolvedPlacement {
  const nodeSelector: Record<string, string> = {};
  const tolerations: ResolvedPlacement['tolerations'] = [];
  const seen = new Set<string>();
  for (const p of parts) {
    for (const [k, v] of Object.entries(p?.nodeSelector ?? {})) {
      problems.check(nodeSelector[k] === undefined || nodeSelector[k] === v, `${field}.nodeSelector.${k}`, `conflicts with ${k}=${nodeSelector[k]} of the pod's other placement (GPU class or pool)`,
        v, `${nodeSelector[k]}, or a placement without ${k}`);
      nodeSelector[k] = v;
    }
    for (const t of p?.tolerations ?? []) {
      const key = JSON.stringify([t.key, t.operator, t.value, t.effect]);
      if (!seen.has(key)) {
        seen.add(key);
        tolerations.push(t);
      }
    }
  }
  return { nodeSelector, tolerations };
}
