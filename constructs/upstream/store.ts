/**
 * Read access to the generated fact-only schemas (constructs/upstream/schemas/), the only schema
 * data the schema gate, `npm run validate` and the cluster model read at run time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../core/paths';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One entry of the kind index. */
export interface KindIndexEntry {
  /** Generated schema file, relative to the schemas folder. */
  readonly file: string;
  /** Name of the schema in the file's `components.schemas` (built-ins, substitutes). */
  readonly schema?: string;
  /** The CRD version whose schema applies (CRDs). */
  readonly version?: string;
  /** `Namespaced` or `Cluster`. */
  readonly scope: 'Namespaced' | 'Cluster';
  /** Resource name (plural). */
  readonly plural: string;
  /** The project (key of UPSTREAM_PROJECTS) that defines the kind. */
  readonly source: string;
  /** The CRD's name, for kinds served by a CustomResourceDefinition. */
  readonly crd?: string;
  /** True when the version is marked deprecated by its CRD. */
  readonly deprecated?: boolean;
}

/** The folder of the generated schemas. */
export function schemasDir(): string {
  return path.join(packageRoot(), 'constructs', 'upstream', 'schemas');
}

let index: Readonly<Record<string, KindIndexEntry>> | undefined;

/** Every apiVersion/kind served by Kubernetes 1.32 or a pinned CRD: `apps/v1/Deployment` → entry. */
export function kindIndex(): Readonly<Record<string, KindIndexEntry>> {
  index ??= JSON.parse(fs.readFileSync(path.join(schemasDir(), 'index.json'), 'utf-8')).kinds;
  return index!;
}

/** The index entry of `apiVersion` + `kind`, if the kind is served. */
export function kindEntry(apiVersion: string, kind: string): KindIndexEntry | undefined {
  return kindIndex()[`${apiVersion}/${kind}`];
}

/** One generated schema file, parsed. */
export function readSchemaFile(file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(schemasDir(), file), 'utf-8'));
}

// the comparator lives in core (every construct sorts with it); re-exported for the generators
export { byCodeUnit } from '../core/names';
