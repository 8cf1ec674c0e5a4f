import { ANNOTATION_PSS_EXEMPTION } from './constants';
import { Problems } from './errors';

/** Options of the Pod Security Standard `restricted` profile. */
export interface RestrictedOptions {
  /**
   * UID the containers run as (must not be 0).
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * GID the containers run as.
   * @default 1000
   */
  readonly runAsGroup?: number;
  /**
   * fsGroup of the pod (group ownership of mounted volumes).
   * @default 1000
   */
  readonly fsGroup?: number;
  /**
   * Mount the root filesystem read-only.
   * @default false (notebooks and ML frameworks write caches under $HOME)
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/** A documented exemption from `restricted`. */
export interface ExemptionOptions {
  /** Why the workload cannot run restricted; written to the pod annotation mlscale.io/pod-security-exemption. */
  readonly reason: string;
  /** The pod-level security context to use instead. */
  readonly podSecurityContext?: Record<string, unknown>;
  /** The container-level security context to use instead. */
  readonly containerSecurityContext?: Record<string, unknown>;
}

/**
 * How a workload's pods meet Pod Security Standards. Every mlscale workload is `restricted` by
 * default; `PodSecurity.exempt()` is the documented opt-out and leaves an annotation naming the reason.
 */
export class PodSecurity {
  /** Pod Security Standard `restricted`: non-root, seccomp RuntimeDefault, drop ALL, no escalation. */
  public static restricted(options: RestrictedOptions = {}): PodSecurity {
    return new PodSecurity(undefined, options);
  }

  /** Opt out of `restricted` with a reason (e.g. a GPU driver daemon in its own namespace). */
  public static exempt(options: ExemptionOptions): PodSecurity {
    return new PodSecurity(options);
  }

  private constructor(private readonly exemption?: ExemptionOptions, private readonly options: RestrictedOptions = {}) {}

  /** True for the restricted profile. */
  public get isRestricted(): boolean {
    return this.exemption === undefined;
  }

  /** Validates the options (UID not 0, non-empty reason). */
  public check(problems: Problems, field: string): void {
    if (this.exemption) {
      problems.check(typeof this.exemption.reason === 'string' && this.exemption.reason.trim().length > 0, `${field}.reason`,
        'must explain the exemption', this.exemption.reason, 'a non-empty reason');
      return;
    }
    for (const k of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      const v = this.options[k];
      if (v !== undefined) {
        problems.check(Number.isInteger(v) && v >= (k === 'runAsUser' ? 1 : 0) && v <= 2147483647, `${field}.${k}`,
          k === 'runAsUser' ? 'must be a non-root UID' : 'must be a valid ID', v, k === 'runAsUser' ? 'an integer from 1 to 2147483647' : 'an integer from 0 to 2147483647');
      }
    }
  }

  /** The pod-level securityContext (JSON). */
  public podSecurityContext(): Record<string, unknown> {
    if (this.exemption) return { ...(this.exemption.podSecurityContext ?? {}) };
    return {
      fsGroup: this.options.fsGroup ?? 1000,
      runAsGroup: this.options.runAsGroup ?? 1000,
      runAsNonRoot: true,
      runAsUser: this.options.runAsUser ?? 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    };
  }

  /** The container-level securityContext (JSON). */
  public containerSecurityContext(): Record<string, unknown> {
    if (this.exemption) return { ...(this.exemption.containerSecurityContext ?? {}) };
    return {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: this.options.readOnlyRootFilesystem ?? false,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    };
  }

  /** Pod annotations that document an exemption (empty for restricted). */
  public annotations(): Record<string, string> {
    return this.exemption ? { [ANNOTATION_PSS_EXEMPTION]: this.exemption.reason } : {};
  }
}
