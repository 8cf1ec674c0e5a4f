/** Small validation helpers shared by the stack config parser and the components. */
import { Problems } from '../constructs/core/errors';

/** Checks a required non-empty string. */
export function checkRequiredString(problems: Problems, field: string, value: unknown, expected: string): value is string {
  return problems.check(typeof value === 'string' && value.length > 0, field, 'is required', value, expected);
}

/** Checks that `value` is one of `allowed` (when set). */
export function checkOneOf(problems: Problems, field: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined) return;
  problems.check(typeof value === 'string' && allowed.includes(value), field, 'is not supported', value, `one of ${allowed.join(', ')}`);
}

/** True for an IPv4 CIDR such as `10.0.0.0/8`. */
export function isIpv4Cidr(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}
