import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Problems, byCodeUnit, projectRelative, projectRoot } from '../core';
import { KFP_INPUTS_DIR, KFP_OUTPUTS_DIR, KFP_PARAMETER_TYPES } from './constants';
import { findCycle } from './dag';
import { cachedParse } from '../core/parse-cache';

/** One input of a KFP v1 component. */
export interface KfpInput {
  readonly name: string;
  /** KFP type name (`CSV`, `Integer`, …); undefined when untyped. */
  readonly type?: string;
  /** Default value (as KFP writes it: a string). */
  readonly default?: string;
  readonly optional: boolean;
  readonly description?: string;
}

/** One output of a KFP v1 component. */
export interface KfpOutput {
  readonly name: string;
  readonly type?: string;
  readonly description?: string;
}

/** The container implementation: image, command and args with KFP placeholders. */
export interface KfpContainer {
  readonly image: string;
  readonly command: readonly unknown[];
  readonly args: readonly unknown[];
  readonly env: Readonly<Record<string, string>>;
  /**
   * Outputs the program writes to a fixed path (the v1 spec's `fileOutputs`: output name → absolute
   * path in the container), collected from there as KFP does, instead of an `outputPath` placeholder.
   */
  readonly fileOutputs: Readonly<Record<string, string>>;
}

/** One task of a graph component, with its resolved sub-component. */
export interface KfpGraphTask {
  readonly id: string;
  readonly component: KfpComponent;
  /** By input name: a constant, `{graphInput: {inputName}}` or `{taskOutput: {taskId, outputName}}`. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The task's `isEnabled` predicate, as written. */
  readonly isEnabled?: unknown;
  /** The task's `executionOptions` (retryStrategy, cachingStrategy), as written. */
  readonly executionOptions?: unknown;
}

/** Options of KfpComponent.fromFile. */
export interface KfpFromFileOptions {
  /**
   * Folder of component.yaml files (any depth) that graph components' `componentRef`s are
   * resolved from, matched by the sha256 `digest` of the file (never fetched from the network).
   * Relative to the package root.
   * @default - the folder of the component file's parent (its siblings)
   */
  readonly catalog?: string;
}

/** How a component input reaches the container. */
export type KfpInputKind = 'parameter' | 'artifact';

/**
 * A Kubeflow Pipelines v1 component (component.yaml): name, typed inputs and outputs with
 * defaults, and either a container with placeholders or a graph of sub-components whose
 * `componentRef`s are resolved from a local catalog by digest. Use it as a pipeline step with
 * `PipelineStep.kfp(...)`.
 */
export class KfpComponent {
  /**
   * Parses a component.yaml. Throws an MlscaleValidationError naming the file and every problem
   * (malformed fields, unresolvable `componentRef`s).
   * @param file path relative to the project root (projectRoot(): the app's repository), or absolute
   */
  public static fromFile(file: string, options: KfpFromFileOptions = {}): KfpComponent {
    const root = projectRoot();
    const abs = path.resolve(root, file);
    const problems = new Problems(file);
    if (!problems.check(fs.existsSync(abs), 'file', 'does not exist', file, `a component.yaml, relative to the project root ${root}`)) problems.throwIfAny();
    const catalogDir = path.resolve(root, options.catalog ?? path.dirname(path.dirname(abs)));
    // what reaches charts-out is relative to the project root, so it is the same on every machine
    const component = KfpComponent.parse(problems, fs.readFileSync(abs), projectRelative(abs), new Catalog(catalogDir, projectRelative(catalogDir)));
    problems.throwIfAny();
    return component!;
  }

  private static parse(problems: Problems, bytes: Buffer, source: string, catalog: Catalog): KfpComponent | undefined {
    let doc: any;
    try {
      doc = cachedParse(PY_YAML_PARSER, bytes.toString('utf-8'), parseLikePyYaml);
    } catch (e) {
      problems.add('file', 'is not valid YAML', (e as Error).message.split('\n')[0], 'a KFP v1 component.yaml');
      return undefined;
    }
    if (!problems.check(typeof doc === 'object' && doc !== null && typeof doc.name === 'string', 'name', 'is missing', doc?.name, 'a component name')) return undefined;
    const inputs = listOf(problems, 'inputs', doc.inputs).map((i: any): KfpInput => ({
      name: String(i.name), type: typeName(i.type), default: i.default === undefined ? undefined : kfpStr(i.default),
      optional: i.optional === true || i.default !== undefined, description: i.description,
    }));
    const outputs = listOf(problems, 'outputs', doc.outputs).map((o: any): KfpOutput => ({ name: String(o.name), type: typeName(o.type), description: o.description }));
    checkUnique(problems, 'inputs', inputs.map((i) => i.name));
    checkUnique(problems, 'outputs', outputs.map((o) => o.name));
    const impl = doc.implementation ?? {};
    let container: KfpContainer | undefined;
    let graph: KfpGraphTask[] | undefined;
    const graphOutputs: Record<string, { taskId: string; outputName: string }> = {};
    if (impl.container) {
      const c = impl.container;
      problems.check(typeof c.image === 'string', 'implementation.container.image', 'is missing', c.image, 'an image');
      const fileOutputs: Record<string, string> = {};
      if (c.fileOutputs !== undefined) {
        if (problems.check(typeof c.fileOutputs === 'object' && c.fileOutputs !== null && !Array.isArray(c.fileOutputs), 'implementation.container.fileOutputs',
          'is not a mapping', c.fileOutputs, 'output name → absolute path in the container')) {
          for (const [name, p] of Object.entries(c.fileOutputs as Record<string, unknown>)) {
            problems.check(outputs.some((o) => o.name === name), `implementation.container.fileOutputs.${name}`, 'is not an output of the component', name,
              `one of ${outputs.map((o) => JSON.stringify(o.name)).join(', ') || 'its outputs (it has none)'}`);
            if (problems.check(typeof p === 'string' && p.startsWith('/'), `implementation.container.fileOutputs.${name}`, 'is not an absolute path', p, 'e.g. "/tmp/outputs/model"')) fileOutputs[name] = p as string;
          }
        }
      }
      container = { image: c.image, command: c.command ?? [], args: c.args ?? [], env: c.env ?? {}, fileOutputs };
    } else if (impl.graph) {
      const tasks = impl.graph.tasks ?? {};
      graph = Object.entries<any>(tasks).map(([id, t]) => ({
        id, component: catalog.resolve(problems, `implementation.graph.tasks[${JSON.stringify(id)}].componentRef`, t.componentRef), arguments: t.arguments ?? {},
        isEnabled: t.isEnabled, executionOptions: t.executionOptions,
      })).filter((t) => t.component !== undefined) as KfpGraphTask[];
      // the checks of KFP v1's GraphSpec and ComponentSpec (sdk/python/kfp/components/_structures.py at 1.8.22)
      for (const [id, t] of Object.entries<any>(tasks)) {
        for (const [arg, v] of Object.entries<any>(t.arguments ?? {})) {
          const ref = v?.taskOutput?.taskId;
          if (ref !== undefined) {
            problems.check(ref in tasks, `implementation.graph.tasks[${JSON.stringify(id)}].arguments.${arg}`, 'references a task the graph does not have', ref,
              `one of ${Object.keys(tasks).map((k) => JSON.stringify(k)).join(', ')}`);
          }
          const input = v?.graphInput?.inputName;
          if (input !== undefined) {
            problems.check(inputs.some((i) => i.name === input), `implementation.graph.tasks[${JSON.stringify(id)}].arguments.${arg}`, 'references an input the component does not have', input,
              `one of ${inputs.map((i) => JSON.stringify(i.name)).join(', ') || 'its inputs (it has none)'}`);
          }
        }
      }
      const cycle = graphCycle(tasks);
      if (cycle) problems.add('implementation.graph.tasks', `have a dependency cycle: ${cycle.join(' → ')}`, cycle.slice(0, -1), 'tasks whose taskOutput references form a DAG');
      for (const [name, v] of Object.entries<any>(impl.graph.outputValues ?? {})) {
        const f = `implementation.graph.outputValues.${name}`;
        problems.check(outputs.some((o) => o.name === name), f, 'is not an output of the component', name, `one of ${outputs.map((o) => JSON.stringify(o.name)).join(', ') || 'its outputs (it has none)'}`);
        if (problems.check(typeof v?.taskOutput?.taskId === 'string' && v.taskOutput.taskId in tasks && typeof v.taskOutput.outputName === 'string', f,
          'is not the output of a task of the graph', v, '{taskOutput: {taskId, outputName}}')) graphOutputs[name] = { taskId: v.taskOutput.taskId, outputName: v.taskOutput.outputName };
      }
    } else {
      problems.add('implementation', 'has no container and no graph', Object.keys(impl), 'implementation.container or implementation.graph');
    }
    const digest = kfpDigest(bytes);
    return new KfpComponent(doc.name, doc.description, inputs, outputs, digest, source, container, graph, graph ? graphOutputs : undefined);
  }

  private constructor(
    /** Component name. */
    public readonly name: string,
    /** Description. */
    public readonly description: string | undefined,
    /** Inputs, in file order. */
    public readonly inputs: readonly KfpInput[],
    /** Outputs, in file order. */
    public readonly outputs: readonly KfpOutput[],
    /** sha256 of the component file. */
    public readonly digest: string,
    /** Where the component was read from. */
    public readonly source: string,
    /** The container implementation, if any. */
    public readonly container?: KfpContainer,
    /** The graph implementation (resolved tasks), if any. */
    public readonly graph?: readonly KfpGraphTask[],
    /** A graph's outputs: the task output each one is (`outputValues`). */
    public readonly graphOutputs?: Readonly<Record<string, { readonly taskId: string; readonly outputName: string }>>,
  ) {}

  /** The input of that name. */
  public input(name: string): KfpInput | undefined {
    return this.inputs.find((i) => i.name === name);
  }

  /** Inputs without a default that are not optional: they must be bound at use. */
  public get requiredInputs(): KfpInput[] {
    return this.inputs.filter((i) => !i.optional && i.default === undefined);
  }

  /**
   * Inputs used through `inputPath` are artifacts (files); the others are parameters (values). A
   * graph's input is an artifact when a task of the graph takes it as one.
   */
  public inputKind(name: string): KfpInputKind {
    if (this.graph) {
      return this.graph.some((t) => Object.entries(t.arguments).some(([arg, v]) => (v as any)?.graphInput?.inputName === name && t.component.inputKind(arg) === 'artifact'))
        ? 'artifact' : 'parameter';
    }
    return this.container && usesPlaceholder([...this.container.command, ...this.container.args], 'inputPath', name) ? 'artifact' : 'parameter';
  }

  /**
   * Outputs of a primitive type (String, Integer, Float, Boolean, JsonObject, …) are parameters; the
   * rest artifacts. A graph's output is what the task output it maps to is.
   */
  public outputKind(name: string): KfpInputKind {
    const mapped = this.graphOutputs?.[name];
    if (mapped) {
      const task = this.graph!.find((t) => t.id === mapped.taskId);
      if (task) return task.component.outputKind(mapped.outputName);
    }
    const type = this.outputs.find((o) => o.name === name)?.type;
    return type !== undefined && KFP_PARAMETER_TYPES.includes(type) ? 'parameter' : 'artifact';
  }
}

/** Where placeholders point inside an Argo template. */
export interface PlaceholderContext {
  /** Inputs that have a value at run time (bound or defaulted). */
  readonly present: ReadonlySet<string>;
  /** Argo name of an input or output. */
  readonly argoName: (name: string) => string;
  /**
   * The value of a present input when it is known at synth (a literal argument or the default),
   * or `undefined` when it only exists at run time (another step's output, a pipeline parameter).
   * @default - every value is a run-time value
   */
  readonly literal?: (name: string) => string | undefined;
  /**
   * Where literal text containing `{{` goes (Argo would take it for an expression and refuse the
   * workflow): returns what the command line holds instead, e.g. `$(MLSCALE_LITERAL_0)`.
   * @default - the text stays as it is
   */
  readonly keepLiteral?: (text: string) => string;
}

/**
 * Python's distutils `strtobool`, which KFP v1 applies to an `if` condition
 * (sdk/python/kfp/components/_components.py at 1.8.22: `condition_result and strtobool(condition_result)`).
 */
export function kfpStrToBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(v)) return true;
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(v)) return false;
  return undefined;
}

/** Path of an input artifact inside the container (KFP's convention). */
export function kfpInputPath(argoName: string): string {
  return `${KFP_INPUTS_DIR}/${argoName}/data`;
}

/** Path of an output file inside the container (KFP's convention). */
export function kfpOutputPath(argoName: string): string {
  return `${KFP_OUTPUTS_DIR}/${argoName}/data`;
}

/**
 * Resolves a KFP command line into plain strings with Argo expressions: `inputValue` →
 * `{{inputs.parameters.x}}`, `inputPath`/`outputPath` → files, `concat` → one string,
 * `if`/`isPresent` decided at synth (whether the input is bound or has a default). Placeholders
 * that cannot be translated faithfully (`inputUri`, `outputUri`, run-time conditions) are problems.
 */
export function resolveCommandLine(problems: Problems, field: string, items: readonly unknown[], ctx: PlaceholderContext): string[] {
  const out: string[] = [];
  items.forEach((item, i) => out.push(...resolveItem(problems, `${field}[${i}]`, item, ctx)));
  return out;
}

function resolveItem(problems: Problems, field: string, item: unknown, ctx: PlaceholderContext): string[] {
  if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
    const text = String(item);
    const risky = text.includes('{{') || ((ctx as { bracesToo?: boolean }).bracesToo === true && /[{}]/.test(text));
    return [risky && ctx.keepLiteral ? ctx.keepLiteral(text) : text];
  }
  if (typeof item !== 'object' || item === null || Object.keys(item).length !== 1) {
    problems.add(field, 'is not a KFP placeholder', item, 'a string or one of inputValue, inputPath, outputPath, concat, if');
    return [];
  }
  const [[key, value]] = Object.entries(item as Record<string, any>);
  switch (key) {
    case 'inputValue':
      return ctx.present.has(value) ? [`{{inputs.parameters.${ctx.argoName(value)}}}`] : [];
    case 'inputPath':
      return ctx.present.has(value) ? [kfpInputPath(ctx.argoName(value))] : [];
    case 'outputPath':
      return [kfpOutputPath(ctx.argoName(value))];
    case 'concat': {
      // a literal brace next to a placeholder would make `{{{`, which Argo misreads: such literals go through keepLiteral too
      const braced = { ...ctx, keepLiteral: ctx.keepLiteral, bracesToo: true };
      const parts = (Array.isArray(value) ? value : []).map((p: unknown, i: number) => resolveItem(problems, `${field}.concat[${i}]`, p, braced));
      return [parts.map((p: string[]) => p.join('')).join('')];
    }
    case 'if': {
      const cond = resolveCondition(problems, `${field}.if.cond`, value?.cond, ctx);
      if (cond === undefined) return [];
      const branch = cond ? value.then : value.else;
      return resolveCommandLine(problems, `${field}.if.${cond ? 'then' : 'else'}`, branch === undefined ? [] : Array.isArray(branch) ? branch : [branch], ctx);
    }
    default:
      problems.add(field, `uses the placeholder "${key}", which mlscale does not translate to Argo`, item,
        'inputValue, inputPath, outputPath, concat, if/cond/isPresent/then/else (inputUri/outputUri need KFP\'s v2 runtime)');
      return [];
  }
}

/**
 * An `if` condition in every form KFP v1 accepts (a bool, a string or number read by strtobool,
 * `{isPresent: x}`, `{inputValue: x}`), decided at synth; `{inputValue: x}` of a run-time value is
 * rejected (KFP v1 would test the placeholder's text, not the value).
 */
function resolveCondition(problems: Problems, field: string, cond: unknown, ctx: PlaceholderContext): boolean | undefined {
  const truth = (text: string, what: unknown): boolean | undefined => {
    const b = kfpStrToBool(text);
    problems.check(b !== undefined, field, 'is not a truth value KFP reads (strtobool)', what, 'true/false, yes/no, on/off, y/n, t/f or 1/0 (any case)');
    return b;
  };
  if (typeof cond === 'boolean') return cond;
  if (typeof cond === 'string' || typeof cond === 'number') return truth(String(cond), cond);
  if (typeof cond === 'object' && cond !== null && 'isPresent' in cond) return ctx.present.has((cond as { isPresent: string }).isPresent);
  if (typeof cond === 'object' && cond !== null && 'inputValue' in cond) {
    const name = (cond as { inputValue: string }).inputValue;
    if (!ctx.present.has(name)) return false; // KFP: a missing optional input is None, which takes `else`
    const value = ctx.literal?.(name);
    if (value !== undefined) return truth(value, value);
    problems.add(field, 'tests an input only known at run time', cond, '{inputValue: <input>} of an input bound to a literal or left at its default (decided at synth)');
    return undefined;
  }
  problems.add(field, 'is not a KFP condition', cond, 'a bool, a truth string, {isPresent: <input>} or {inputValue: <input>}');
  return undefined;
}

function usesPlaceholder(items: readonly unknown[], kind: string, name: string): boolean {
  return JSON.stringify(items).includes(JSON.stringify({ [kind]: name }));
}

function typeName(t: unknown): string | undefined {
  if (t === undefined || t === null) return undefined;
  if (typeof t === 'string') return t;
  return Object.keys(t as object)[0]; // e.g. {GCSPath: {...}}
}

function listOf(problems: Problems, field: string, v: unknown): any[] {
  if (v === undefined || v === null) return [];
  if (!problems.check(Array.isArray(v) && v.every((x) => typeof x === 'object' && x && typeof x.name === 'string'), field, 'is malformed', v,
    'a list of {name, type?, default?, optional?}')) return [];
  return v as any[];
}

function checkUnique(problems: Problems, field: string, names: string[]): void {
  names.forEach((n, i) => problems.check(names.indexOf(n) === i, `${field}[${i}].name`, 'is used twice', n, 'unique names'));
}

/**
 * The digest KFP v1 gives a component file: sha256 of its bytes with CRLF line ends made LF
 * (sdk/python/kfp/components/_components.py at 1.8.22, "Normalizing line endings").
 */
export function kfpDigest(bytes: Buffer): string {
  return createHash('sha256').update(Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')).digest('hex');
}

/** A YAML float as Python's str() writes it (PyYAML reads it as a Python float). */
class PythonFloat {
  constructor(private readonly text: string) {}
  public toString(): string {
    return this.text;
  }
  public valueOf(): number {
    return Number(this.text);
  }
  public toJSON(): number {
    return Number(this.text);
  }
}

/** Python's repr of a float: `1.0`, `0.0001`, `1e-05`, `1e+16`. */
function pythonFloatRepr(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (x !== 0 && (a >= 1e16 || a < 1e-4)) {
    const [m, e] = x.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** A YAML value as KFP v1 turns it into text: Python's str() (`True`/`False` for booleans, `1.0` for floats). */
export function kfpStr(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
}

/**
 * Parses YAML as KFP v1 does: PyYAML's SafeLoader (sdk/python/kfp/components/_yaml_utils.py at
 * 1.8.22), i.e. YAML 1.1 with PyYAML's implicit types (pyyaml resolver.py): `yes`/`no`/`on`/`off`
 * (not `y`/`n`) are booleans, `0755` octal, `1:30` base 60, merge keys `<<`, a float needs a dot,
 * dates stay text (KFP reads defaults with str(), which gives the same text), and a repeated key
 * keeps its last value.
 */
export function parseLikePyYaml(text: string): unknown {
  const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
  const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
  // pyyaml resolver.py: a float needs a dot before any digits-only exponent; a decimal int has no leading 0
  const PY_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/;
  const PY_INT = /^[-+]?(?:0|[1-9][0-9_]*)$/;
  // floats become the text Python's str() gives (`1.0`, `1e+20`): KFP passes every value on with str()
  const pyFloat: YAML.ScalarTag = {
    tag: 'tag:yaml.org,2002:float', test: PY_FLOAT, default: true,
    resolve: (s: string) => new PythonFloat(pythonFloatRepr(Number(s.replace(/_/g, '')))),
  };
  const unwrap = (v: unknown): unknown => (v instanceof PythonFloat ? v.toString() : Array.isArray(v) ? v.map(unwrap)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)])) : v);
  return unwrap(YAML.parse(text, {
    version: '1.1', merge: true, uniqueKeys: false,
    customTags: (tags) => [pyFloat, ...(tags as YAML.ScalarTag[]).filter((t) => t.tag !== 'tag:yaml.org,2002:timestamp'
      && !(t.tag === 'tag:yaml.org,2002:float' && (t.format === 'EXP' || t.format === undefined) && !String(t.test).includes('inf'))).map((t) => {
      if (t.tag === 'tag:yaml.org,2002:bool') return { ...t, test: String(t.test).includes('Y|y') ? PY_TRUE : PY_FALSE };
      if (t.tag === 'tag:yaml.org,2002:int' && t.format === undefined) return { ...t, test: PY_INT };
      return t;
    })],
  }));
}

/** parseLikePyYaml and what decides its result, for the parse cache */
const PY_YAML_PARSER = { name: 'kfp-component-yaml', sources: [parseLikePyYaml, PythonFloat, pythonFloatRepr] };

/** A cycle of taskOutput references among graph tasks (KFP rejects them), or undefined. */
function graphCycle(tasks: Record<string, any>): string[] | undefined {
  const deps = new Map(Object.keys(tasks).map((id) => [id, Object.values<any>(tasks[id]?.arguments ?? {})
    .map((v) => v?.taskOutput?.taskId).filter((x): x is string => typeof x === 'string' && x in tasks)]));
  return findCycle(Object.keys(tasks), deps);
}

/** component.yaml files of a folder, by sha256 digest. */
class Catalog {
  private byDigest?: Map<string, string>;

  constructor(private readonly dir: string, private readonly display: string) {}

  public resolve(problems: Problems, field: string, ref: any): KfpComponent | undefined {
    const digest = typeof ref?.digest === 'string' ? ref.digest : undefined;
    const file = digest ? this.files().get(digest) : undefined;
    if (!file) {
      problems.add(field, `cannot be resolved: no component with digest ${digest ?? '(none)'} in the catalog "${this.display}"`, ref?.url ?? ref,
        'a componentRef whose digest matches the sha256 of a component.yaml in the catalog folder (mlscale never downloads components)');
      return undefined;
    }
    const sub = new Problems(`${problems.path} → ${projectRelative(file)}`);
    const component = KfpComponent['parse'](sub, fs.readFileSync(file), projectRelative(file), this);
    problems.merge(sub);
    return component;
  }

  private files(): Map<string, string> {
    if (!this.byDigest) {
      this.byDigest = new Map();
      for (const f of walk(this.dir).filter((x) => x.endsWith('.yaml') || x.endsWith('.yml'))) {
        this.byDigest.set(kfpDigest(fs.readFileSync(f)), f);
      }
    }
    return this.byDigest;
  }
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodeUnit(a.name, b.name))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
