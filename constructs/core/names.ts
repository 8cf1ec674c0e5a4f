import { Problems } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for an RFC 1123 DNS label of at most `maxLength` characters (Service, Namespace names). */
export function isDnsLabel(value: unknown, maxLength = 63): value is string {
  return typeof value === 'string' && value.length <= maxLength && DNS_LABEL.test(value);
}

const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

/** True for an IPv4 CIDR block, e.g. `172.16.0.0/28` (NetworkPolicy ipBlock.cidr). */
export function isIpv4Cidr(value: unknown): value is string {
  return typeof value === 'string' && IPV4_CIDR.test(value);
}

/** True for an RFC 1123 DNS subdomain (most object names). */
export function isDnsSubdomain(value: unknown, maxLength = 253): value is string {
  return typeof value === 'string' && value.length <= maxLength && DNS_SUBDOMAIN.test(value);
}

/**
 * Checks a Kubernetes object name. Names double as DNS labels of Services and pods in mlscale
 * (Dask schedulers, PyTorch masters), so the stricter DNS-1123 label rule is used everywhere.
 */
export function checkName(problems: Problems, field: string, value: unknown, maxLength = 63): value is string {
  return problems.check(isDnsLabel(value, maxLength), field, 'is not a valid Kubernetes name', value,
    `a DNS-1123 label: at most ${maxLength} characters of a-z, 0-9 and '-', starting and ending with a letter or digit`);
}

/** A label value: at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends (or empty). */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/** Checks a label value. */
export function checkLabelValue(problems: Problems, field: string, value: unknown): value is string {
  return problems.check(isLabelValue(value), field, 'is not a valid label value', value,
    "at most 63 characters of A-Z, a-z, 0-9, '-', '_' and '.', alphanumeric at both ends");
}

/** Joins name parts with '-' and checks the result fits a DNS label (used for derived names). */
export function joinName(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('-');
}

/**
 * Locale-independent ordering of strings (by UTF-16 code unit), for deterministic output:
 * `localeCompare` follows the process's locale (LANG), so charts-out could differ between machines.
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
