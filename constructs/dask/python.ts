/**
 * Rendering of Python literals for the dask-gateway configuration file. Every value that reaches
 * the generated Python goes through these functions, so user text (labels, images, environment)
 * can never end a string literal early and become code.
 */

/** A JSON-like value that can be written as a Python literal. */
export type PyValue = string | number | boolean | null | readonly PyValue[] | { readonly [key: string]: PyValue | undefined };

/**
 * A double-quoted Python string literal. Backslash, quote and every character outside printable
 * ASCII are escaped (`\\`, `\"`, `\n`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`), so the literal is one line.
 */
export function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A Python float literal (always with a decimal point or exponent, e.g. `4.0`). */
export function pyFloat(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot render ${n} as a Python float`);
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A Python literal for a JSON-like value: dict keys keep their insertion order; undefined entries are dropped. */
export function pyLiteral(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return pyString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot render ${v} as a Python number`);
    return String(v);
  }
  if (Array.isArray(v)) return `[${(v as readonly PyValue[]).map(pyLiteral).join(', ')}]`;
  const entries = Object.entries(v as Record<string, PyValue | undefined>).filter(([, x]) => x !== undefined);
  return `{${entries.map(([k, x]) => `${pyString(k)}: ${pyLiteral(x as PyValue)}`).join(', ')}}`;
}
