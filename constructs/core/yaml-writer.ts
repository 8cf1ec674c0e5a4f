import * as YAML from 'yaml';

/** The options cdk8s writes charts with (cdk8s lib/yaml.js `Yaml.stringify`). */
const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

/** Characters that never make `yaml` quote a string (no indicator, no space, no newline). */
const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;

/**
 * The implicit tags of yaml's YAML 1.1 schema (bool, null, int, float, timestamp...): a plain string
 * one of them would read as something else is quoted, as yaml's stringifyString.js plainString does
 * (`tag.default && tag.tag !== str && tag.test.test(value)`).
 */
const IMPLICIT: RegExp[] = (() => {
  const schema = new YAML.Document(undefined, { version: '1.1' }).schema as unknown as { tags: Array<{ default?: boolean; tag: string; test?: RegExp }>; compat?: Array<{ default?: boolean; tag: string; test?: RegExp }> };
  return [...schema.tags, ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test).map((t) => t.test!);
})();

function plain(s: string): boolean {
  return PLAIN.test(s) && !IMPLICIT.some((re) => re.test(s));
}

/** Thrown where the fast writer would not be byte-identical: the document is then written by `yaml`. */
class NotPlainJson extends Error {}

/**
 * Writes a JSON document exactly as `YAML.stringify(doc, { keepUndefined: true, lineWidth: 0,
 * version: '1.1' })` does (what cdk8s writes charts with), several times faster: maps and sequences
 * are laid out here, and every scalar that is not trivially plain is rendered once by `yaml` itself
 * (as a map value, then re-indented) and remembered. Anything else (undefined, a class instance, a key
 * `yaml` would write as a complex key) falls back to `yaml` for the whole document.
 * test/core/yaml-writer.test.ts compares the two over all of charts-out and random documents.
 */
export class FastYamlWriter {
  private readonly scalars = new Map<string, string>();
  private readonly keys = new Map<string, string>();
  private scalarDoc?: YAML.Document;
  private scalarPair?: YAML.Pair<unknown, unknown>;

  /** The YAML text of one document. */
  public stringify(doc: unknown): string {
    try {
      const out: string[] = [];
      this.node(doc, 0, out, 'top');
      return out.join('');
    } catch (e) {
      if (e instanceof NotPlainJson) return YAML.stringify(doc, CDK8S_YAML_OPTIONS);
      throw e;
    }
  }

  /** Appends `v` at `indent`; `at` says what precedes it on the line (nothing, `key:` or `- `). */
  private node(v: unknown, indent: number, out: string[], at: 'top' | 'key' | 'dash'): void {
    if (Array.isArray(v)) {
      if (v.length === 0) return void out.push(at === 'key' ? ' []\n' : '[]\n');
      // a sequence under a key goes on the next lines, indented (yaml's indentSeq); under `- ` it starts on the same line
      if (at === 'key') out.push('\n');
      const pad = ' '.repeat(indent);
      v.forEach((item, i) => {
        if (item === undefined) throw new NotPlainJson();
        out.push(at === 'dash' && i === 0 ? '- ' : `${pad}- `);
        this.item(item, indent + 2, out);
      });
      return;
    }
    if (v !== null && typeof v === 'object') {
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) throw new NotPlainJson();
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) return void out.push(at === 'key' ? ' {}\n' : '{}\n');
      if (at === 'key') out.push('\n');
      const pad = ' '.repeat(indent);
      entries.forEach(([k, value], i) => {
        if (value === undefined) throw new NotPlainJson();
        out.push(at === 'dash' && i === 0 ? '' : pad, this.key(k), ':');
        this.value(value, indent, out);
      });
      return;
    }
    // a document that is a bare scalar is no Kubernetes object: `yaml` writes it
    if (at === 'top') throw new NotPlainJson();
    out.push(' ', this.scalar(v, indent), '\n');
  }

  /** A sequence item after `- ` (its content at `indent`). */
  private item(v: unknown, indent: number, out: string[]): void {
    if (v !== null && typeof v === 'object') return this.node(v, indent, out, 'dash');
    out.push(this.scalar(v, indent - 2), '\n');
  }

  /** A map value after `key:` (the key at `indent`). */
  private value(v: unknown, indent: number, out: string[]): void {
    if (Array.isArray(v) || (v !== null && typeof v === 'object')) return this.node(v, indent + 2, out, 'key');
    out.push(' ', this.scalar(v, indent), '\n');
  }

  /** A scalar as `yaml` writes it as the value of a key at `indent` (block scalars' lines re-indented). */
  private scalar(v: unknown, indent: number): string {
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (v === null) return 'null';
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
      return this.rendered(v, indent);
    }
    if (typeof v !== 'string') throw new NotPlainJson();
    if (plain(v)) return v;
    return this.rendered(v, indent);
  }

  /** `yaml`'s own text of a scalar as a map value (`k: <text>`), remembered, re-indented from column 0 to `indent`. */
  private rendered(v: string | number, indent: number): string {
    const memoKey = typeof v === 'number' ? `n:${v}` : `s:${v}`;
    let text = this.scalars.get(memoKey);
    if (text === undefined) {
      const full = this.stringifyValue(v);
      if (!full.startsWith('k: ') || !full.endsWith('\n')) throw new NotPlainJson();
      text = full.slice(3, -1);
      this.scalars.set(memoKey, text);
    }
    if (indent === 0 || !text.includes('\n')) return text;
    const pad = ' '.repeat(indent);
    return text.split('\n').map((line, i) => (i === 0 || line === '' ? line : pad + line)).join('\n');
  }

  /**
   * `YAML.stringify({ k: v }, CDK8S_YAML_OPTIONS)` through one Document whose one pair's value is
   * replaced: the same text (stringify is `new Document(value, options).toString(options)`, yaml
   * public-api.js), without building a Document and its schema per scalar.
   */
  private stringifyValue(v: string | number): string {
    if (!this.scalarDoc) {
      this.scalarDoc = new YAML.Document({ k: '' }, CDK8S_YAML_OPTIONS);
      this.scalarPair = (this.scalarDoc.contents as YAML.YAMLMap<unknown, unknown>).items[0];
    }
    this.scalarPair!.value = this.scalarDoc.createNode(v, CDK8S_YAML_OPTIONS);
    return this.scalarDoc.toString(CDK8S_YAML_OPTIONS);
  }

  private key(k: string): string {
    if (plain(k)) return k;
    let text = this.keys.get(k);
    if (text === undefined) {
      const full = YAML.stringify({ [k]: 0 }, CDK8S_YAML_OPTIONS);
      if (!full.endsWith(': 0\n') || full.startsWith('? ') || full.slice(0, -4).includes('\n')) throw new NotPlainJson();
      text = full.slice(0, -4);
      this.keys.set(k, text);
    }
    return text;
  }
}
