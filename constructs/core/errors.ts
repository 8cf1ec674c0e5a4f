import { IConstruct } from 'constructs';

/** One problem found in the props of one construct. */
export interface Problem {
  /** Construct path, e.g. `training/mnist`. */
  readonly path: string;
  /** The prop (or nested field) at fault, e.g. `workers.gpus`. */
  readonly field: string;
  /** What is wrong, e.g. `must be a whole number ≥ 0`. */
  readonly problem: string;
  /** The offending value. */
  readonly value: unknown;
  /** What is allowed, e.g. `an integer between 0 and 16`. */
  readonly expected: string;
}

/** Renders a value for an error message: strings quoted, objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return String(value);
  }
}

/** `<construct path>: <field> <problem>; got <value>, expected <what is allowed>` */
export function formatProblem(p: Problem): string {
  return `${p.path}: ${p.field} ${p.problem}; got ${formatValue(p.value)}, expected ${p.expected}`;
}

/**
 * The one error type of mlscale: thrown at synth (construction) time for bad input.
 * Carries every problem found, not just the first.
 */
export class MlscaleValidationError extends Error {
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(problems.length === 1
      ? formatProblem(problems[0])
      : `${problems.length} problems:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'MlscaleValidationError';
    this.problems = problems;
  }
}

/**
 * Collects the problems of one construct so they are reported together:
 * `const p = new Problems(this); p.check(...); p.throwIfAny();`
 */
export class Problems {
  public readonly path: string;
  private readonly list: Problem[] = [];

  /** @param where the construct (its path is used) or an explicit path */
  constructor(where: IConstruct | string) {
    this.path = typeof where === 'string' ? where : where.node.path;
  }

  /** Records a problem. */
  public add(field: string, problem: string, value: unknown, expected: string): void {
    this.list.push({ path: this.path, field, problem, value, expected });
  }

  /** Records a problem unless `ok` holds; returns `ok`. */
  public check(ok: boolean, field: string, problem: string, value: unknown, expected: string): boolean {
    if (!ok) this.add(field, problem, value, expected);
    return ok;
  }

  /** Adds the problems of another collector (e.g. of a nested spec). */
  public merge(other: Problems): void {
    this.list.push(...other.list);
  }

  /** True when nothing was recorded. */
  public get ok(): boolean {
    return this.list.length === 0;
  }

  /** The problems recorded so far. */
  public get all(): readonly Problem[] {
    return [...this.list];
  }

  /** Throws one MlscaleValidationError carrying every recorded problem. */
  public throwIfAny(): void {
    if (this.list.length > 0) throw new MlscaleValidationError(this.list);
  }
}
