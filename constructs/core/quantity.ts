/** Kubernetes resource quantities: parsing for validation and comparison. */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** Parses a quantity string ("500m", "4Gi", "1.5") into its numeric value; undefined if malformed. */
export function parseQuantity(value: string): number | undefined {
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const unit = m[2] ?? '';
  const factor = BINARY[unit] ?? DECIMAL[unit];
  return Number(m[1]) * factor;
}

/** CPU as cores (number) or quantity string → canonical string ("2", "500m"); undefined if invalid. */
export function cpuQuantity(value: number | string): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    const millis = Math.round(value * 1000);
    if (millis <= 0 || Math.abs(millis - value * 1000) > 1e-6) return undefined;
    return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
  }
  const parsed = parseQuantity(value);
  if (parsed === undefined || parsed <= 0) return undefined;
  return value;
}

/** CPU quantity → millicores. */
export function cpuMillis(value: string): number {
  return Math.round((parseQuantity(value) ?? 0) * 1000);
}

/** Memory quantity (string with unit) → bytes; undefined if invalid or not positive. */
export function memoryBytes(value: string): number | undefined {
  const parsed = parseQuantity(value);
  if (parsed === undefined || parsed <= 0 || value.endsWith('m')) return undefined;
  return parsed;
}
