import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ENVIRONMENTS_FOLDER } from '../core/app';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Files of a charts-out tree: path relative to charts-out → content. */
export type ChartsOutFiles = Readonly<Record<string, string>>;

/** One resource of charts-out. */
export interface ResourceRef {
  /** Environment (`environments/<env>/…`), or undefined for the root app. */
  readonly environment?: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** File it is in, relative to charts-out. */
  readonly file: string;
}

/** One changed field of a changed resource. */
export interface FieldChange {
  /** Readable path, e.g. `Worker.replicas`, `containers[trainer].image`. */
  readonly path: string;
  /** Value before, or undefined when the field was added. */
  readonly before?: unknown;
  /** Value after, or undefined when the field was removed. */
  readonly after?: unknown;
}

/** A resource present on both sides with different content. */
export interface ChangedResource extends ResourceRef {
  readonly changes: readonly FieldChange[];
}

/** Options of ManifestDiff.againstGitRef. */
export interface GitRefDiffOptions {
  /**
   * charts-out folder (the current, freshly synthesized side).
   * @default 'charts-out' in the current directory
   */
  readonly dir?: string;
  /**
   * Working directory of git.
   * @default process.cwd()
   */
  readonly cwd?: string;
}

/** At most this many field changes are listed per resource. */
const MAX_CHANGES_PER_RESOURCE = 25;

/**
 * A review summary of how charts-out changed: resources added, removed and changed (matched by
 * environment, apiVersion, kind, namespace and name), and for changed ones the changed fields
 * in readable paths (`PyTorchJob team-a/mnist: Worker.replicas 1 → 4`). Non-manifest files
 * (README.md, pipeline diagrams) are listed as changed files. `npm run diff -- <git-ref>` prints it.
 */
export class ManifestDiff {
  /** Compares two charts-out trees given as files. */
  public static between(before: ChartsOutFiles, after: ChartsOutFiles): ManifestDiff {
    return new ManifestDiff(before, after);
  }

  /** Compares charts-out at a git ref (read with `git ls-tree` / `git show`) with the folder on disk. */
  public static againstGitRef(ref: string, options: GitRefDiffOptions = {}): ManifestDiff {
    const cwd = options.cwd ?? process.cwd();
    const dir = path.resolve(cwd, options.dir ?? 'charts-out');
    return new ManifestDiff(readChartsOutAtRef(ref, dir), readChartsOutFolder(dir));
  }

  /** Resources only in the new tree. */
  public readonly added: readonly ResourceRef[];
  /** Resources only in the old tree. */
  public readonly removed: readonly ResourceRef[];
  /** Resources in both, with their changed fields. */
  public readonly changed: readonly ChangedResource[];
  /** Other files (not Kubernetes manifests) added, removed or changed. */
  public readonly otherFiles: readonly string[];

  private constructor(before: ChartsOutFiles, after: ChartsOutFiles) {
    const old = indexResources(before);
    const now = indexResources(after);
    this.added = [...now.keys()].filter((k) => !old.has(k)).sort().map((k) => now.get(k)!.ref);
    this.removed = [...old.keys()].filter((k) => !now.has(k)).sort().map((k) => old.get(k)!.ref);
    this.changed = [...now.keys()].filter((k) => old.has(k)).sort()
      .map((k) => ({ ...now.get(k)!.ref, changes: diffValues(old.get(k)!.doc, now.get(k)!.doc, []) }))
      .filter((c) => c.changes.length > 0);
    const others = new Set([...Object.keys(before), ...Object.keys(after)].filter((f) => !isManifest(f)));
    this.otherFiles = [...others].filter((f) => before[f] !== after[f]).sort();
  }

  /** True when nothing changed. */
  public get empty(): boolean {
    return this.added.length + this.removed.length + this.changed.length + this.otherFiles.length === 0;
  }

  /** One line per added / removed resource and per changed field. */
  public toText(ref: string): string {
    if (this.empty) return `charts-out: no changes against ${ref}\n`;
    const lines = [`charts-out against ${ref}: ${this.summary()}`];
    for (const r of this.added) lines.push(`+ ${label(r)} (${r.file})`);
    for (const r of this.removed) lines.push(`- ${label(r)} (${r.file})`);
    for (const r of this.changed) {
      for (const c of shown(r.changes)) lines.push(`~ ${label(r)}: ${c.path} ${formatValue(c.before)} → ${formatValue(c.after)}`);
      if (r.changes.length > MAX_CHANGES_PER_RESOURCE) lines.push(`~ ${label(r)}: … and ${r.changes.length - MAX_CHANGES_PER_RESOURCE} more fields`);
    }
    for (const f of this.otherFiles) lines.push(`* ${f}`);
    return `${lines.join('\n')}\n`;
  }

  /** The same as Markdown, for a pull-request comment. */
  public toMarkdown(ref: string): string {
    const lines = ['### charts-out changes', ''];
    if (this.empty) return [...lines, `No changes to charts-out against \`${ref}\`.`, ''].join('\n');
    lines.push(`Against \`${ref}\`: **${this.summary()}**.`, '');
    if (this.added.length > 0) lines.push('#### Added', '', ...this.added.map((r) => `- ${mdLabel(r)} in \`${r.file}\``), '');
    if (this.removed.length > 0) lines.push('#### Removed', '', ...this.removed.map((r) => `- ${mdLabel(r)} in \`${r.file}\``), '');
    if (this.changed.length > 0) {
      lines.push('#### Changed', '');
      for (const r of this.changed) {
        lines.push(`- ${mdLabel(r)}`);
        for (const c of shown(r.changes)) lines.push(`  - \`${md(c.path)}\`: ${mdValue(c.before)} → ${mdValue(c.after)}`);
        if (r.changes.length > MAX_CHANGES_PER_RESOURCE) lines.push(`  - … and ${r.changes.length - MAX_CHANGES_PER_RESOURCE} more fields`);
      }
      lines.push('');
    }
    if (this.otherFiles.length > 0) lines.push('#### Other files', '', ...this.otherFiles.map((f) => `- \`${f}\``), '');
    return lines.join('\n');
  }

  private summary(): string {
    const parts = [`${this.added.length} added`, `${this.removed.length} removed`, `${this.changed.length} changed`];
    if (this.otherFiles.length > 0) parts.push(`${this.otherFiles.length} other files changed`);
    return parts.join(', ');
  }
}

/** The files of a folder, recursively, relative to it. */
export function readChartsOutFolder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name), 'utf-8');
    }
  };
  walk(dir, '');
  return out;
}

/** The files of folder `dir` (inside a git work tree) at `ref`, relative to it; none if absent there. */
export function readChartsOutAtRef(ref: string, dir: string): Record<string, string> {
  const existing = fs.existsSync(dir) ? dir : path.dirname(dir);
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf-8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const top = git(existing, 'rev-parse', '--show-toplevel').trim();
  try {
    git(top, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new Error(`unknown git ref ${JSON.stringify(ref)} (fetch it first, e.g. git fetch origin main)`);
  }
  const rel = path.relative(fs.realpathSync(top), path.join(fs.realpathSync(existing), existing === dir ? '' : path.basename(dir)));
  const prefix = rel === '' ? '' : `${rel.split(path.sep).join('/')}/`;
  const out: Record<string, string> = {};
  for (const file of git(top, 'ls-tree', '-r', '-z', '--name-only', '--full-tree', ref, '--', prefix || '.').split('\0').filter((f) => f.length > 0)) {
    out[file.slice(prefix.length)] = git(top, 'show', `${ref}:${file}`);
  }
  return out;
}

function isManifest(file: string): boolean {
  return file.endsWith('.yaml') || file.endsWith('.yml');
}

function indexResources(files: ChartsOutFiles): Map<string, { ref: ResourceRef; doc: Json }> {
  const out = new Map<string, { ref: ResourceRef; doc: Json }>();
  for (const file of Object.keys(files).filter(isManifest).sort()) {
    const env = new RegExp(`^${ENVIRONMENTS_FOLDER}/([^/]+)/`).exec(file)?.[1];
    for (const d of YAML.parseAllDocuments(files[file])) {
      const doc = d.toJS();
      if (!doc || typeof doc !== 'object' || !doc.kind) continue;
      const ref: ResourceRef = { environment: env, apiVersion: doc.apiVersion, kind: doc.kind, namespace: doc.metadata?.namespace, name: doc.metadata?.name, file };
      out.set([env ?? '', ref.apiVersion, ref.kind, ref.namespace ?? '', ref.name].join('\u0000'), { ref, doc });
    }
  }
  return out;
}

/** Keys of a named list: items are matched by this key instead of by index. */
const ITEM_KEYS = ['name', 'containerPort', 'mountPath', 'key'];
/** Path segments dropped from readable paths (a pod template's spec is implied). */
const IMPLIED = [['spec', 'template', 'spec'], ['template', 'spec'], ['spec']];
/** Maps of named replica specs: `spec.pytorchReplicaSpecs.Worker` reads as `Worker`. */
const REPLICA_SPEC_MAPS = /^(pytorch|tf|mpi|xgb|paddle|jax)?[rR]eplicaSpecs$/;

function diffValues(a: Json, b: Json, at: readonly string[]): FieldChange[] {
  if (deepEqual(a, b)) return [];
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues(a[k], b[k], [...at, escapeKey(k)]));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = ITEM_KEYS.find((k) => [...a, ...b].every((i) => isPlainObject(i) && i[k] !== undefined)
      && new Set(a.map((i) => String(i[k]))).size === a.length && new Set(b.map((i) => String(i[k]))).size === b.length);
    if (key) {
      const ids = [...new Set([...a, ...b].map((i) => String(i[key])))];
      return ids.flatMap((id) => diffValues(a.find((i) => String(i[key]) === id), b.find((i) => String(i[key]) === id), [...at, `[${id}]`]));
    }
    if (a.length === b.length && a.every((i) => isPlainObject(i))) return a.flatMap((item, i) => diffValues(item, b[i], [...at, `[${i}]`]));
  }
  return [{ path: readablePath(at), before: a, after: b }];
}

/** `spec.pytorchReplicaSpecs.Worker.template.spec.containers[pytorch].image` → `Worker.containers[pytorch].image`. */
export function readablePath(segments: readonly string[]): string {
  let s = [...segments];
  if (s[0] === 'spec' && s[1] !== undefined && REPLICA_SPEC_MAPS.test(s[1]) && s[2] !== undefined) s = s.slice(2);
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const implied = IMPLIED.find((seq) => seq.every((x, j) => s[i + j] === x) && i + seq.length < s.length);
    if (implied && (i === 0 || implied[0] === 'template')) {
      i += implied.length - 1;
      continue;
    }
    out.push(s[i]);
  }
  return out.reduce((p, seg) => (seg.startsWith('[') || p === '' ? `${p}${seg}` : `${p}.${seg}`), '');
}

function escapeKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : `[${k}]`;
}

function shown(changes: readonly FieldChange[]): readonly FieldChange[] {
  return changes.slice(0, MAX_CHANGES_PER_RESOURCE);
}

function label(r: ResourceRef): string {
  const env = r.environment ? `[${r.environment}] ` : '';
  return `${env}${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function mdLabel(r: ResourceRef): string {
  const env = r.environment ? `\`${r.environment}\` ` : '';
  return `${env}**${r.kind}** \`${r.namespace ? `${r.namespace}/` : ''}${r.name}\``;
}

function formatValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return /^[^\s"]+$/.test(v) && v.length <= 80 ? v : truncate(JSON.stringify(v));
  return truncate(JSON.stringify(v));
}

function mdValue(v: unknown): string {
  return v === undefined ? '_(none)_' : `\`${md(formatValue(v))}\``;
}

function md(s: string): string {
  return s.replace(/`/g, "'").replace(/\|/g, '\\|');
}

function truncate(s: string): string {
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

function isPlainObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepEqual(a: Json, b: Json): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: Json): Json {
  if (Array.isArray(v)) return v.map(canonical);
  if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}
