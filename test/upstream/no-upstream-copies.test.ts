/**
 * Nothing of another project's files is in the repository: no byte-identical copy of any pinned
 * upstream file, no CRD document, no schema that carries upstream prose, no file named like an
 * upstream CRD or component, and no upstream prose in the generated bindings.
 */
import { createHash } from 'crypto';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { UPSTREAM_FILES, packageRoot } from '../../constructs';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = packageRoot();

/** The files of the working tree git would commit: tracked, plus untracked files that are not ignored. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf-8', maxBuffer: 64 << 20 });
  return out.split('\0').filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile());
}

const files = repositoryFiles();
const structured = files.filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('package-lock.json'));

/** The names of the Kubeflow Pipelines components pinned as upstream test data (facts of the manifest). */
const UPSTREAM_COMPONENT_NAMES = [
  'nuclio delete', 'Remove header', 'Xgboost predict', 'Xgboost train', 'Pandas Transform DataFrame in CSV format',
  'Calculate regression metrics from csv', 'Split table into folds', 'Xgboost train and cv regression on csv',
];
const JSON_SCHEMA_TYPES = new Set(['string', 'object', 'array', 'integer', 'number', 'boolean', 'null']);
const SCHEMA_KEYS = ['properties', 'items', '$ref', 'allOf', 'anyOf', 'oneOf', 'additionalProperties', 'x-kubernetes-preserve-unknown-fields'];

function documentsOf(file: string): Json[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf-8');
  if (file.endsWith(".json")) return [JSON.parse(text.replace(/^\s*\/\/.*$/gm, ""))]; // projen writes JSONC headers
  return YAML.parseAllDocuments(text).map((d) => d.toJS());
}

/** Pointers of schema nodes (JSON-schema shaped objects) whose description is longer than 40 characters. */
function proseInSchemas(doc: Json): string[] {
  const out: string[] = [];
  const walk = (node: Json, at: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
    const schemaShaped = SCHEMA_KEYS.some((k) => k in node) || (typeof node.type === 'string' && JSON_SCHEMA_TYPES.has(node.type));
    if (schemaShaped && typeof node.description === 'string' && node.description.length > 40) out.push(`${at}/description`);
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
  };
  walk(doc, '');
  return out;
}

describe('no upstream copies in the repository', () => {
  test('the walk sees the repository (sanity: it finds this test and the generated schemas)', () => {
    expect(files).toContain('test/upstream/no-upstream-copies.test.ts');
    expect(structured).toContain('constructs/upstream/schemas/index.json');
  });

  test('no file is byte-identical to a pinned upstream file (sha256 against the manifest)', () => {
    const upstream = new Map(UPSTREAM_FILES.map((f) => [f.sha256, f.mirror]));
    const copies = files.map((f) => ({ f, digest: createHash('sha256').update(fs.readFileSync(path.join(ROOT, f))).digest('hex') }))
      .filter(({ digest }) => upstream.has(digest)).map(({ f, digest }) => `${f} = ${upstream.get(digest)}`);
    expect(copies).toEqual([]);
  });

  test('no YAML/JSON document is a CRD or carries schema descriptions longer than 40 characters', () => {
    const found: string[] = [];
    for (const f of structured) {
      documentsOf(f).forEach((doc, i) => {
        if (doc?.kind === 'CustomResourceDefinition') found.push(`${f}#${i}: a CustomResourceDefinition`);
        for (const p of proseInSchemas(doc)) found.push(`${f}#${i}: ${p}`);
      });
    }
    expect(found).toEqual([]);
  });

  test('the check catches what it is meant to catch', () => {
    expect(proseInSchemas({ type: 'object', properties: { a: { type: 'string', description: 'x'.repeat(41) } } })).toEqual(['/properties/a/description']);
    expect(proseInSchemas({ type: 'object', properties: { a: { type: 'string', description: 'short' } } })).toEqual([]);
    // a field named "description" is a field, not prose; KFP input types are not JSON-schema types
    expect(proseInSchemas({ properties: { description: { type: 'string' } } })).toEqual([]);
    expect(proseInSchemas({ name: 'x', type: 'String', description: 'y'.repeat(60) })).toEqual([]);
  });

  test('no file is named like an upstream CRD, OpenAPI document or component folder', () => {
    const upstreamNames = new Set(UPSTREAM_FILES.filter((f) => f.role !== 'kfp-component').map((f) => path.basename(f.mirror)));
    const componentFolders = new Set(UPSTREAM_FILES.filter((f) => f.role === 'kfp-component').map((f) => path.basename(path.dirname(f.mirror))));
    const bad = files.filter((f) => upstreamNames.has(path.basename(f))
      || /^[a-z0-9.-]+\.[a-z]+_[a-z]+\.ya?ml$/.test(path.basename(f)) // <group>_<plural>.yaml, the controller-gen CRD name
      || f.split('/').some((seg) => componentFolders.has(seg)));
    expect(bad).toEqual([]);
  });

  test('no component.yaml is one of the known upstream components (by name)', () => {
    const bad = structured.filter((f) => path.basename(f) === 'component.yaml')
      .filter((f) => UPSTREAM_COMPONENT_NAMES.includes(String(documentsOf(f)[0]?.name)));
    expect(bad).toEqual([]);
  });

  test('the generated bindings carry no upstream prose: every comment line is one of the generator\'s own shapes', () => {
    const allowed = [
      /^\/\*\*$/, /^\*\/$/, /^\*$/, /^\* @schema \S+$/, /^\* @param \w+ (initialization props|the scope in which to define this object|a scope-local name for the object)$/,
      /^\* Converts an object of type '\w+' to JSON representation\.$/, /^\/\/ filter undefined values$/, /^\/\/ generated by cdk8s$/,
      /^\* This can be used to inline resource manifests inside other objects \(e\.g\. as templates\)\.$/, /^\* Returns the apiVersion and kind for "[\w.-]+"$/,
      /^\* Renders the object to Kubernetes JSON\.$/, /^\* Renders a Kubernetes manifest for "[\w.-]+"\.$/, /^\* Defines a "[\w.-]+" API object$/,
      /^\/\/ Generated by `npm run import` .* Do not edit\.$/, /^\* @default \S.*$/,
    ];
    /** `/** <value> *\/` directly above the enum member whose value it is. */
    const enumValueDoc = (line: string, next: string): boolean => {
      const m = /^\/\*\* (.*) \*\/$/.exec(line);
      const member = /^[A-Z0-9_]+ = "(.*)",?$/.exec(next.trim());
      return m !== null && member !== null && JSON.parse(`"${member[1]}"`) === m[1];
    };
    const bindings = files.filter((f) => f.startsWith('constructs/imports/') && f.endsWith('.ts'));
    expect(bindings.length).toBeGreaterThan(5);
    const bad: string[] = [];
    for (const f of bindings) {
      const lines = fs.readFileSync(path.join(ROOT, f), 'utf-8').split('\n');
      lines.forEach((raw, i) => {
        const line = raw.trim();
        if (!/^(\/\*\*|\*|\/\/)/.test(line)) return;
        if (!allowed.some((re) => re.test(line)) && !enumValueDoc(line, lines[i + 1] ?? '')) bad.push(`${f}:${i + 1}: ${line.slice(0, 120)}`);
      });
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});
