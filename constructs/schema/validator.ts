import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { packageRoot } from '../core/paths';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where the pinned schemas live (the project's own copy; never ../shared). */
export const CRDS_DIR = path.join(packageRoot(), 'constructs', 'crds');
const K8S_V3_DIR = path.join(CRDS_DIR, 'kubernetes-openapi', 'v1.32', 'v3');

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
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions' || k === 'schemas') {
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

interface CrdIndexEntry {
  readonly file: string;
  readonly document: number;
  readonly version: number;
}

const SUBSTITUTE_SCHEMAS: Record<string, { file: string; schema: string }> = {
  // Katib's CRDs carry no schema upstream; its OpenAPI document does.
  'kubeflow.org/v1beta1/Experiment': { file: 'katib/openapi/api_openapi-spec_swagger.json', schema: 'v1beta1.Experiment' },
};

/** Kubernetes OpenAPI v3 file name of a group/version: `apps/v1` → apis__apps__v1_openapi.json. */
function k8sFileOf(apiVersion: string): string {
  return apiVersion.includes('/') ? `apis__${apiVersion.replace('/', '__')}_openapi.json` : `api__${apiVersion}_openapi.json`;
}

/**
 * Validates Kubernetes manifests against the pinned Kubernetes 1.32 OpenAPI and the pinned
 * upstream CRDs, strictly. Schemas are loaded and compiled lazily, once per kind.
 */
export class SchemaValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true });
  private readonly compiled = new Map<string, { fn?: ValidateFunction; source?: string }>();
  private readonly k8sDocs = new Map<string, Json>();
  private crdIndex?: Record<string, CrdIndexEntry>;
  private objectMeta?: Json;

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
    if (!fn) return { id, violations: [{ pointer: '', message: `no schema for ${apiVersion} ${kind} (not in the Kubernetes 1.32 API nor in constructs/crds)` }] };
    const ok = fn(doc);
    return { id, schema: source, violations: ok ? [] : dedupe(fn.errors ?? []) };
  }

  private schemaFor(apiVersion: string, kind: string): { fn?: ValidateFunction; source?: string } {
    const key = `${apiVersion}/${kind}`;
    let entry = this.compiled.get(key);
    if (!entry) {
      entry = this.load(apiVersion, kind);
      this.compiled.set(key, entry);
    }
    return entry;
  }

  private load(apiVersion: string, kind: string): { fn?: ValidateFunction; source?: string } {
    const key = `${apiVersion}/${kind}`;
    const substitute = SUBSTITUTE_SCHEMAS[key];
    if (substitute) {
      const doc = JSON.parse(fs.readFileSync(path.join(CRDS_DIR, substitute.file), 'utf-8'));
      const id = `mlscale:${substitute.file}`;
      if (!this.ajv.getSchema(id)) this.ajv.addSchema({ $id: id, components: { schemas: strictSchema(doc.components.schemas) } });
      const [group, version] = apiVersion.split('/');
      return {
        source: substitute.file,
        fn: this.ajv.compile({
          allOf: [{ $ref: `${id}#/components/schemas/${substitute.schema}` }],
          properties: { apiVersion: { const: `${group}/${version}` }, kind: { const: kind } },
          required: ['apiVersion', 'kind', 'metadata', 'spec'],
        }),
      };
    }
    const crd = this.crds()[key];
    if (crd) return this.loadCrd(apiVersion, kind, crd);
    return this.loadBuiltin(apiVersion, kind);
  }

  private crds(): Record<string, CrdIndexEntry> {
    this.crdIndex ??= JSON.parse(fs.readFileSync(path.join(CRDS_DIR, 'index.json'), 'utf-8'));
    return this.crdIndex!;
  }

  private loadCrd(apiVersion: string, kind: string, e: CrdIndexEntry): { fn?: ValidateFunction; source?: string } {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(CRDS_DIR, e.file), 'utf-8')).map((d) => d.toJS());
    const crd = docs[e.document];
    applyKustomizePatches(e.file, crd);
    const schema = strictSchema(crd.spec.versions[e.version].schema.openAPIV3Schema);
    // The API server validates metadata itself: use the real ObjectMeta, strictly.
    schema.properties.metadata = this.objectMetaSchema();
    schema.properties.apiVersion = { const: apiVersion };
    schema.properties.kind = { const: kind };
    schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
    return { source: e.file, fn: this.ajv.compile(schema) };
  }

  private objectMetaSchema(): Json {
    if (!this.objectMeta) {
      this.ensureK8sDoc('v1');
      this.objectMeta = { $ref: `mlscale:k8s/v1#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` };
    }
    return this.objectMeta;
  }

  private ensureK8sDoc(apiVersion: string): Json | undefined {
    if (this.k8sDocs.has(apiVersion)) return this.k8sDocs.get(apiVersion);
    const file = path.join(K8S_V3_DIR, k8sFileOf(apiVersion));
    if (!fs.existsSync(file)) {
      this.k8sDocs.set(apiVersion, undefined);
      return undefined;
    }
    const doc = JSON.parse(fs.readFileSync(file, 'utf-8'));
    this.ajv.addSchema({ $id: `mlscale:k8s/${apiVersion}`, components: { schemas: strictSchema(doc.components.schemas) } });
    this.k8sDocs.set(apiVersion, doc);
    return doc;
  }

  private loadBuiltin(apiVersion: string, kind: string): { fn?: ValidateFunction; source?: string } {
    const doc = this.ensureK8sDoc(apiVersion);
    if (!doc) return {};
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const name = Object.entries(doc.components.schemas as Record<string, Json>).find(([, s]) =>
      (s['x-kubernetes-group-version-kind'] ?? []).some((g: Json) => g.group === group && g.version === version && g.kind === kind)
      && s.properties?.metadata)?.[0];
    if (!name) return {};
    return {
      source: `kubernetes-openapi/v1.32/v3/${k8sFileOf(apiVersion)}`,
      fn: this.ajv.compile({
        allOf: [{ $ref: `mlscale:k8s/${apiVersion}#/components/schemas/${name}` }],
        properties: { apiVersion: { const: apiVersion }, kind: { const: kind } },
        required: ['apiVersion', 'kind', 'metadata'],
      }),
    };
  }
}

/** The Kubeflow Notebook CRD is installed with kustomize validation patches: apply them. */
function applyKustomizePatches(file: string, crd: Json): void {
  if (!file.startsWith('kubeflow-notebooks/')) return;
  const patches = YAML.parse(fs.readFileSync(path.join(CRDS_DIR, 'kubeflow-notebooks', 'kustomize', 'validation_patches.yaml'), 'utf-8')) as Json[];
  for (const p of patches) {
    const parts = (p.path as string).split('/').slice(1);
    const last = parts.pop()!;
    let target = crd;
    for (const part of parts) target = target[part];
    if (p.op === 'add' || p.op === 'replace') target[last] = p.value;
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
  const files = walk(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
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
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
