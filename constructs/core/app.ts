import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, Yaml, YamlOutputType } from 'cdk8s';
import { frozenRendering } from './render';
import { FastYamlWriter } from './yaml-writer';
import { IConstruct } from 'constructs';
import { MlscaleValidationError, Problems } from './errors';
import { checkName, byCodeUnit } from './names';

/** The content of an artifact: text, or a function computed at synth after every hook ran. */
export type ArtifactContent = string | (() => string);

const ARTIFACTS = new WeakMap<IConstruct, Map<string, ArtifactContent>>();

/** Folder under the output folder that holds one sub-folder per environment. */
export const ENVIRONMENTS_FOLDER = 'environments';

/**
 * Extra files synthesized beside the charts (pipeline diagrams, the charts-out index).
 * Constructs add them with `Artifacts.of(this).add(name, content)`.
 */
export class Artifacts {
  /** The artifact set of the app that `scope` belongs to. */
  public static of(scope: IConstruct): Artifacts {
    const root = scope.node.root;
    let files = ARTIFACTS.get(root);
    if (!files) {
      files = new Map();
      ARTIFACTS.set(root, files);
    }
    return new Artifacts(files);
  }

  private constructor(private readonly files: Map<string, ArtifactContent>) {}

  /**
   * Adds (or replaces) a file, relative to the output folder. A function as content is called
   * at synth, after every synth hook ran (e.g. an index of everything synthesized).
   */
  public add(fileName: string, content: ArtifactContent): void {
    if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(fileName) || fileName.split('/').includes('..')) {
      throw new Error(`artifact file name ${JSON.stringify(fileName)} must be a relative path of [A-Za-z0-9._-] segments`);
    }
    this.files.set(fileName, content);
  }

  /** All files, sorted by name (lazy contents are computed). */
  public get all(): ReadonlyArray<[string, string]> {
    return [...this.files.entries()].sort(([a], [b]) => byCodeUnit(a, b))
      .map(([name, content]) => [name, typeof content === 'function' ? content() : content]);
  }

  /** The file names, sorted (without computing lazy contents). */
  public get names(): readonly string[] {
    return [...this.files.keys()].sort(byCodeUnit);
  }
}

/** Props of an MlscaleApp. */
export interface MlscaleAppProps {
  /**
   * Folder the charts are synthesized into.
   * @default - $MLSCALE_OUTDIR, else $CDK8S_OUTDIR, else 'charts-out'
   */
  readonly outdir?: string;
}

/** Hooks run on the whole tree right before synthesis, and may still add to it (e.g. the GitOps Applications of every chart). */
export type SynthHook = (app: MlscaleApp) => void;

/**
 * Checks run after every hook of the app and of its environments (the tree is final), before
 * anything is written; a check throws (MlscaleValidationError) to fail the synth.
 */
export type SynthCheck = (app: MlscaleApp) => void;

/** Options of a synth check. */
export interface SynthCheckOptions {
  /**
   * `objects` checks (each object on its own, e.g. the guard rails) run before `system` checks (the
   * objects together, e.g. the cluster model), so that a bad object is reported as itself first.
   * @default 'system'
   */
  readonly stage?: 'objects' | 'system';
}

/**
 * A cdk8s App whose synth is atomic: charts are written into a temporary folder beside the
 * output folder and swapped in only when everything succeeded, so a failed synth leaves the
 * previous charts-out untouched. One `<chart>.k8s.yaml` per chart, plus artifacts.
 */
export class MlscaleApp extends App {
  /**
   * Builds an app with `build`, synthesizes it, and reports the result on stdout. On failure
   * it prints the error (all problems of MlscaleValidationError) and sets exit code 1.
   */
  public static run(build: (app: MlscaleApp) => void, props: MlscaleAppProps = {}): void {
    const started = process.hrtime.bigint();
    try {
      const app = new MlscaleApp(props);
      build(app);
      const count = app.synth();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const charts = [app, ...app.environments].reduce((n, a) => n + a.charts.length, 0);
      const envs = app.environments.length > 0 ? `, ${app.environments.length} environments` : '';
      console.log(`mlscale: synthesized ${charts} charts (${count} objects${envs}) into ${app.targetDir} in ${ms.toFixed(0)} ms`);
    } catch (e) {
      const message = e instanceof MlscaleValidationError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
      console.error(`mlscale: synth failed; charts-out was left unchanged.\n${message}`);
      process.exitCode = 1;
    }
  }

  /** The folder the charts end up in. */
  public readonly targetDir: string;
  private readonly hooks: SynthHook[] = [];
  private readonly checks: Array<{ check: SynthCheck; stage: 'objects' | 'system' }> = [];
  private prepared = false;
  private readonly envs: MlscaleApp[] = [];
  private envName?: string;
  private parentApp?: MlscaleApp;

  constructor(props: MlscaleAppProps = {}) {
    const target = path.resolve(props.outdir ?? process.env.MLSCALE_OUTDIR ?? process.env.CDK8S_OUTDIR ?? 'charts-out');
    super({ outdir: target, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.k8s.yaml' });
    this.targetDir = target;
  }

  /** Registers a hook that runs on the whole tree before synthesis. */
  public addSynthHook(hook: SynthHook): void {
    this.hooks.push(hook);
  }

  /** Registers a check that runs once the whole tree (and every environment) is final, before writing. */
  public addSynthCheck(check: SynthCheck, options: SynthCheckOptions = {}): void {
    this.checks.push({ check, stage: options.stage ?? 'system' });
  }

  /**
   * Adds an environment: a separate app (its own construct tree, ClusterProfile and artifacts)
   * synthesized by this app's `synth()` into `<outdir>/environments/<name>/`. Build the same
   * charts into several environments with different values (GPU types, replicas, hosts).
   */
  public addEnvironment(name: string): MlscaleApp {
    const problems = new Problems(this.node.path || 'app');
    checkName(problems, 'environment', name);
    problems.check(!this.envName, 'environment', 'cannot be nested in another environment', name, `an environment of the root app (this is environment "${this.envName}")`);
    problems.check(!this.envs.some((e) => e.envName === name), 'environment', 'is defined twice', name, 'unique environment names');
    problems.throwIfAny();
    const env = new MlscaleApp({ outdir: path.join(this.targetDir, ENVIRONMENTS_FOLDER, name) });
    env.envName = name;
    env.parentApp = this;
    this.envs.push(env);
    return env;
  }

  /** The environments of this app, in the order they were added. */
  public get environments(): readonly MlscaleApp[] {
    return [...this.envs];
  }

  /** The environment name, or undefined for the root app. */
  public get environmentName(): string | undefined {
    return this.envName;
  }

  /** The root app (this app unless it is an environment). */
  public get rootApp(): MlscaleApp {
    return this.parentApp ?? this;
  }

  /** Where this app's files go, relative to the root output folder ('' for the root app). */
  public get outputPrefix(): string {
    return this.envName ? `${ENVIRONMENTS_FOLDER}/${this.envName}/` : '';
  }

  /** The file a chart of this app is written to, relative to this app's output folder. */
  public chartFileName(chart: Chart): string {
    return `${Names.toDnsLabel(chart)}.k8s.yaml`;
  }

  /**
   * Synthesizes every chart and artifact (and every environment) into a temporary folder, then
   * swaps it in place of the target folder. Returns the number of API objects written.
   */
  public synth(): number {
    this.prepare();
    // the tree is final: every chart and object renders once for the checks, the index and the files
    return frozenRendering([this, ...this.envs], () => this.checkAndWrite());
  }

  private checkAndWrite(): number {
    // by stage; in a stage, environments' checks first, as their hooks ran first
    for (const stage of ['objects', 'system'] as const) {
      for (const app of [...this.envs, this]) for (const c of app.checks) if (c.stage === stage) c.check(app);
    }
    const parent = path.dirname(this.targetDir);
    fs.mkdirSync(parent, { recursive: true });
    checkTarget(this.targetDir);
    removeStaleTemporaries(this.targetDir);
    // the pid in the name tells a later synth whether this one is still running
    const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(this.targetDir)}-${process.pid}-`));
    fs.chmodSync(tmp, 0o755); // mkdtemp makes 0700; charts-out is a normal folder
    killPoint('created');
    try {
      this.writeInto(tmp);
      killPoint('written');
      swapDirectory(tmp, this.targetDir);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return [this, ...this.envs].reduce((n, a) => n + a.node.findAll().filter((c) => ApiObject.isApiObject(c)).length, 0);
  }

  /**
   * Runs the synth hooks of every environment, then this app's, once: afterwards the tree is what
   * synth writes (e.g. the GitOps Applications of every chart exist). `synth()` calls it.
   */
  public prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    // environments' hooks first, so the root's hooks (e.g. an index) see their final charts
    for (const env of this.envs) env.prepare();
    for (const hook of this.hooks) hook(this);
  }

  private writeInto(dir: string): void {
    const self = this as unknown as { outdir: string };
    // cdk8s writes every chart through Yaml.stringify: the same bytes, from the faster writer
    const cdk8sStringify = Yaml.stringify;
    const writer = new FastYamlWriter();
    try {
      self.outdir = dir;
      Yaml.stringify = (...docs: any[]) => docs.map((d) => (d === undefined ? '\n' : writer.stringify(d))).join('---\n');
      super.synth();
      killPoint('charts');
      for (const env of this.envs) env.writeInto(path.join(dir, ENVIRONMENTS_FOLDER, env.envName!));
      for (const [name, content] of Artifacts.of(this).all) {
        const file = path.join(dir, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
    } finally {
      self.outdir = this.targetDir;
      Yaml.stringify = cdk8sStringify;
    }
  }
}

/**
 * Refuses a target synth could not replace as it is, before anything is written: a symbolic link
 * (the swap would replace the link by a folder) or a folder whose parent or itself is not writable
 * (the renames would fail half-way).
 */
function checkTarget(target: string): void {
  const problems = new Problems('synth');
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(target);
  } catch {
    stat = undefined;
  }
  if (stat?.isSymbolicLink()) {
    problems.add('outdir', `is a symbolic link (to ${fs.readlinkSync(target)}): synth replaces the folder, which would replace the link`, target,
      'a real folder: point outdir (MLSCALE_OUTDIR) at the folder the link names');
  } else if (stat && !stat.isDirectory()) {
    problems.add('outdir', 'is not a folder', target, 'a folder (or nothing: synth creates it)');
  }
  for (const dir of [path.dirname(target), ...(stat?.isDirectory() ? [target] : [])]) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      problems.add('outdir', `cannot be replaced: ${dir} is not writable`, target, 'a writable folder and parent folder');
    }
  }
  problems.throwIfAny();
}

/**
 * Cleans up after an interrupted synth, beside the target: `.<name>-<pid>-XXXXXX` temporary folders
 * and their `.old` trees whose synth process is gone (another synth running now keeps its own). A
 * synth killed between its two renames left no target but its `.old` tree: that is put back first.
 */
function removeStaleTemporaries(target: string): void {
  const parent = path.dirname(target);
  const prefix = `.${path.basename(target)}-`;
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const stale = fs.readdirSync(parent).map((entry) => ({ entry, m: /^(\d+)-[A-Za-z0-9]{6}(\.old)?$/.exec(entry.slice(prefix.length)) }))
    .filter(({ entry, m }) => entry.startsWith(prefix) && m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1])));
  const old = stale.find(({ m }) => m![2] !== undefined);
  if (!fs.existsSync(target) && old) fs.renameSync(path.join(parent, old.entry), target);
  for (const { entry } of stale) {
    if (entry !== old?.entry || fs.existsSync(path.join(parent, entry))) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

/** Replaces `target` by `source` with two renames (the old tree is removed afterwards). */
function swapDirectory(source: string, target: string): void {
  const old = `${source}.old`;
  const hadTarget = fs.existsSync(target);
  if (hadTarget) fs.renameSync(target, old);
  killPoint('between-renames');
  try {
    fs.renameSync(source, target);
  } catch (e) {
    if (hadTarget) fs.renameSync(old, target);
    throw e;
  }
  killPoint('swapped');
  if (hadTarget) fs.rmSync(old, { recursive: true, force: true });
}

/**
 * The kill tests' seam (test/core/synth-kill.test.ts): with MLSCALE_SYNTH_KILL_AT=<point>, the synth
 * process SIGKILLs itself there, as a power cut or an OOM kill would. Unset, it does nothing.
 */
function killPoint(point: 'created' | 'charts' | 'written' | 'between-renames' | 'swapped'): void {
  if (process.env.MLSCALE_SYNTH_KILL_AT === point) process.kill(process.pid, 'SIGKILL');
}
