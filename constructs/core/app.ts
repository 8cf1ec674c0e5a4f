import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MlscaleValidationError } from './errors';

const ARTIFACTS = new WeakMap<IConstruct, Map<string, string>>();

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

  private constructor(private readonly files: Map<string, string>) {}

  /** Adds (or replaces) a file, relative to the output folder. */
  public add(fileName: string, content: string): void {
    if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(fileName) || fileName.split('/').includes('..')) {
      throw new Error(`artifact file name ${JSON.stringify(fileName)} must be a relative path of [A-Za-z0-9._-] segments`);
    }
    this.files.set(fileName, content);
  }

  /** All files, sorted by name. */
  public get all(): ReadonlyArray<[string, string]> {
    return [...this.files.entries()].sort(([a], [b]) => a.localeCompare(b));
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

/** Hooks run on the whole tree right before synthesis (e.g. guard rails, the charts-out index). */
export type SynthHook = (app: MlscaleApp) => void;

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
      console.log(`mlscale: synthesized ${app.charts.length} charts (${count} objects) into ${app.targetDir} in ${ms.toFixed(0)} ms`);
    } catch (e) {
      const message = e instanceof MlscaleValidationError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
      console.error(`mlscale: synth failed; charts-out was left unchanged.\n${message}`);
      process.exitCode = 1;
    }
  }

  /** The folder the charts end up in. */
  public readonly targetDir: string;
  private readonly hooks: SynthHook[] = [];

  constructor(props: MlscaleAppProps = {}) {
    const target = path.resolve(props.outdir ?? process.env.MLSCALE_OUTDIR ?? process.env.CDK8S_OUTDIR ?? 'charts-out');
    super({ outdir: target, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.k8s.yaml' });
    this.targetDir = target;
  }

  /** Registers a hook that runs on the whole tree before synthesis. */
  public addSynthHook(hook: SynthHook): void {
    this.hooks.push(hook);
  }

  /**
   * Synthesizes every chart and artifact into a temporary folder, then swaps it in place of
   * the target folder. Returns the number of API objects written.
   */
  public synth(): number {
    for (const hook of this.hooks) hook(this);
    const parent = path.dirname(this.targetDir);
    fs.mkdirSync(parent, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(this.targetDir)}-`));
    fs.chmodSync(tmp, 0o755); // mkdtemp makes 0700; charts-out is a normal folder
    const self = this as unknown as { outdir: string };
    try {
      self.outdir = tmp;
      super.synth();
      for (const [name, content] of Artifacts.of(this).all) {
        const file = path.join(tmp, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
      swapDirectory(tmp, this.targetDir);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    } finally {
      self.outdir = this.targetDir;
    }
    return this.node.findAll().filter((c) => ApiObject.isApiObject(c)).length;
  }
}

/** Replaces `target` by `source` with two renames (the old tree is removed afterwards). */
function swapDirectory(source: string, target: string): void {
  const old = `${source}.old`;
  const hadTarget = fs.existsSync(target);
  if (hadTarget) fs.renameSync(target, old);
  try {
    fs.renameSync(source, target);
  } catch (e) {
    if (hadTarget) fs.renameSync(old, target);
    throw e;
  }
  if (hadTarget) fs.rmSync(old, { recursive: true, force: true });
}
