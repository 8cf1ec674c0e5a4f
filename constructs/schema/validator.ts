import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { KindIndexEntry, byCodeUnit, kindEntry, readSchemaFile } from '../upstream/store';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any


/** One schema violation in one document. */
export interface SchemaViolation {
  /** JSON pointer of the offending value inside the document. */
  readonly pointer: string;
  /** What the schema says. */
  readonly message: string;
}

/** The result of validating one document. */
export interface DocumentResult {
  /** `apiVersion/kind namespace/name`. */
  readonly id: string;
  /** Which schema was used (file), or undefined when none exists. */
  readonly schema?: string;
  readonly violations: readonly SchemaViolation[];
}

/**
 * Converts an OpenAPI v3 / CRD structural schema into a strict JSON schema for ajv, the way
 * `kubeconform -strict` does: objects with declared properties reject unknown fields, except
 * where the schema says `x-kubernetes-preserve-unknown-fields`. Descriptions are dropped.
 */
export function strictSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' || k === 'example' || k === 'x-kubernetes-validations') continue;
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions' || k === 'schemas' || k === '$defs') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, strictSchema(pv)]));
    } else {
      out[k] = strictSchema(v);
    }
  }
  if (node['x-kubernetes-int-or-string'] === true && !node.anyOf && !node.oneOf) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(out.properties ?? {}) };
  }
  const isObject = node.type === 'object' || (node.properties !== undefined && node.type === undefined);
  const open = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject && !open && node.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Validates Kubernetes manifests against the fact-only schemas generated from the pinned
 * Kubernetes 1.32 OpenAPI and the pinned upstream CRDs (constructs/upstream/), strictly. Schemas
 * are loaded and compiled lazily, once per kind.
 */
export class SchemaValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true });
  private readonly compiled = new Map<string, { fn?: ValidateFunction; source?: string }>();
  private readonly documents = new Set<string>();

  /** The number of distinct kinds compiled so far. */
  public get kindsCompiled(): number {
    return this.compiled.size;
  }

  /** Validates one manifest. */
  public validate(doc: Json): DocumentResult {
    const apiVersion = doc?.apiVersion;
    const kind = doc?.kind;
    const id = `${apiVersion}/${kind} ${doc?.metadata?.namespace ?? ''}${doc?.metadata?.namespace ? '/' : ''}${doc?.metadata?.name}`;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      return { id, violations: [{ pointer: '', message: 'document has no apiVersion/kind' }] };
    }
    const { fn, source } = this.schemaFor(apiVersion, kind);
    if (!fn) return { id, violations: [{ pointer: '', message: `no schema for ${apiVersion} ${kind} (not in the Kubernetes 1.32 API nor in a pinned CRD)` }] };
    const ok = fn(doc);
    return { id, schema: source, violations: ok ? [] : dedupe(fn.errors ?? []) };
  }

  private schemaFor(apiVersion: string, kind: string): { fn?: ValidateFunction; source?: string } {
    const key = `${apiVersion}/${kind}`;
    let entry = this.compiled.get(key);
    if (!entry) {
      const e = kindEntry(apiVersion, kind);
      entry = !e ? {} : e.schema ? this.loadComponent(apiVersion, kind, e) : this.loadCrd(apiVersion, kind, e);
      this.compiled.set(key, entry);
    }
    return entry;
  }

  /** A kind whose schema is one of a document's `components.schemas` (built-ins, Katib). */
  private loadComponent(apiVersion: string, kind: string, e: KindIndexEntry): { fn?: ValidateFunction; source?: string } {
    const id = this.addDocument(e.file);
    return {
      source: e.file,
      fn: this.ajv.compile({
        allOf: [{ $ref: `${id}#/components/schemas/${e.schema}` }],
        properties: { apiVersion: { const: apiVersion }, kind: { const: kind } },
        required: ['apiVersion', 'kind', 'metadata', ...(e.crd ? ['spec'] : [])],
      }),
    };
  }

  private loadCrd(apiVersion: string, kind: string, e: KindIndexEntry): { fn?: ValidateFunction; source?: string } {
    const crd = readSchemaFile(e.file);
    const versions = crd.versions as Json[];
    const version = versions.find((v) => v.name === e.version)!;
    const own = version.schema ?? versions.find((v) => v.name === version.schemaOf).schema;
    const schema = strictSchema(own);
    // The API server validates metadata itself: use the real ObjectMeta, strictly.
    schema.properties = { ...(schema.properties ?? {}), metadata: this.objectMetaSchema(), apiVersion: { const: apiVersion }, kind: { const: kind } };
    schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
    if (crd.$defs) schema.$defs = strictSchema({ $defs: crd.$defs }).$defs;
    return { source: e.file, fn: this.ajv.compile(schema) };
  }

  private objectMetaSchema(): Json {
    const id = this.addDocument(kindEntry('v1', 'Pod')!.file);
    return { $ref: `${id}#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` };
  }

  /** Registers a generated document with `components.schemas` under its own id. */
  private addDocument(file: string): string {
    const id = `mlscale:${file}`;
    if (!this.documents.has(id)) {
      this.ajv.addSchema({ $id: id, components: { schemas: strictSchema(readSchemaFile(file).components.schemas) } });
      this.documents.add(id);
    }
    return id;
  }
}

function dedupe(errors: ErrorObject[]): SchemaViolation[] {
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const e of errors) {
    // anyOf/oneOf branches produce noise; keep the concrete leaf errors
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'allOf' || e.keyword === 'if') continue;
    const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
    const message = `${e.message}${extra}`;
    const key = `${e.instancePath} ${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ pointer: e.instancePath, message });
    }
  }
  return out;
}

/** A document read from a YAML file. */
export interface LoadedDocument {
  readonly file: string;
  readonly index: number;
  readonly doc: Json;
}

/** Reads every YAML document of every `.yaml` file under `dir` (sorted). */
export function loadManifests(dir: string): LoadedDocument[] {
  // a folder (every YAML file under it) or one file
  const files = fs.existsSync(dir) && fs.statSync(dir).isFile() ? [dir] : walk(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  const out: LoadedDocument[] = [];
  for (const file of files) {
    YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8')).forEach((d, index) => {
      if (d.errors.length > 0) throw new Error(`${file}: document ${index}: ${d.errors[0].message}`);
      const doc = d.toJS();
      if (doc !== null && doc !== undefined) out.push({ file, index, doc });
    });
  }
  return out;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => byCodeUnit(a.name, b.name))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
