/**
 * The cluster model at synth: `ClusterModel.enable(app)` checks every environment of the app (the
 * root and each `app.addEnvironment(...)`) once its tree is final; any problem fails the synth
 * (nothing is written). The results feed the per-environment report in charts-out/README.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Artifacts, MlscaleApp } from '../core/app';
import { MlscaleValidationError, Problem } from '../core/errors';
import { ENVIRONMENTS_FOLDER } from '../core/app';
import { ClusterEnvironment, documentsOfApp, documentsOfFolder, environmentOf } from './environment';
import { EXTERNALS_FILE, ExternalObject, Externals } from './externals';
import { DeclaredFlow, Flows } from './flows';
import { FLOWS_DATA_FILE, FLOWS_FILE, renderFlows } from './flow-report';
import { ModelResult, checkEnvironment } from './model';

const RESULTS = new WeakMap<MlscaleApp, readonly ModelResult[]>();
const DURATION = new WeakMap<MlscaleApp, number>();

/** The cluster model of an app. */
export class ClusterModel {
  /** Checks every environment of `app` at synth (idempotent). The default app enables it in examples/apps/main.ts. */
  public static enable(app: MlscaleApp): void {
    const root = app.rootApp;
    if (RESULTS.has(root)) return;
    RESULTS.set(root, []);
    root.addSynthCheck((a) => {
      const started = process.hrtime.bigint();
      const results = ClusterModel.evaluate(a);
      DURATION.set(a, Number(process.hrtime.bigint() - started) / 1e6);
      RESULTS.set(a, results);
      // the flow table of each environment, beside its charts
      [a, ...a.environments].forEach((envApp, i) => {
        Artifacts.of(envApp).add(FLOWS_FILE, () => renderFlows(results[i]));
        const flows = Flows.of(envApp).map(({ declaredBy, ...f }) => ({ ...f, declaredBy }));
        if (flows.length > 0) Artifacts.of(envApp).add(FLOWS_DATA_FILE, () => `${JSON.stringify(flows, null, 2)}\n`);
      });
      const problems = results.flatMap((r) => r.problems);
      if (problems.length > 0) throw new MlscaleValidationError(problems);
    });
  }

  /** True when the model is enabled on the app (or its root). */
  public static isEnabled(app: MlscaleApp): boolean {
    return RESULTS.has(app.rootApp);
  }

  /** How long the model took at the last synth, in ms (undefined when it did not run). */
  public static durationOf(app: MlscaleApp): number | undefined {
    return DURATION.get(app.rootApp);
  }

  /** The results of the last synth (root environment first), or none. */
  public static resultsOf(app: MlscaleApp): readonly ModelResult[] {
    return RESULTS.get(app.rootApp) ?? [];
  }

  /** Evaluates the root app and each environment (in the order they were added). */
  public static evaluate(app: MlscaleApp): ModelResult[] {
    const root = app.rootApp;
    return [root, ...root.environments].map((a) => checkEnvironment(environmentOf(a.environmentName ?? '', documentsOfApp(a), Externals.of(a), Flows.of(a))));
  }

  /**
   * Evaluates a folder of manifests the way synth does: the folder is one environment and each
   * `environments/<name>/` below it another (the layout of charts-out).
   */
  public static evaluateFolder(dir: string): ModelResult[] {
    const read = <T>(d: string, file: string): T[] => (fs.existsSync(path.join(d, file)) ? JSON.parse(fs.readFileSync(path.join(d, file), 'utf-8')) : []);
    const externalsOf = (d: string) => read<ExternalObject>(d, EXTERNALS_FILE);
    const flowsOf = (d: string) => read<DeclaredFlow>(d, FLOWS_DATA_FILE);
    const envs: ClusterEnvironment[] = [environmentOf('', documentsOfFolder(dir), externalsOf(dir), flowsOf(dir))];
    const envDir = path.join(dir, ENVIRONMENTS_FOLDER);
    if (fs.existsSync(envDir)) {
      for (const name of fs.readdirSync(envDir).sort()) {
        const d = path.join(envDir, name);
        if (fs.statSync(d).isDirectory()) envs.push(environmentOf(name, documentsOfFolder(d, dir), externalsOf(d), flowsOf(d)));
      }
    }
    return envs.map(checkEnvironment);
  }
}

/** All problems of a set of results. */
export function problemsOf(results: readonly ModelResult[]): Problem[] {
  return results.flatMap((r) => r.problems);
}
