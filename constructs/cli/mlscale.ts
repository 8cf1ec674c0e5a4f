#!/usr/bin/env node
/**
 * The `mlscale` command (package.json `bin`): synth, validate, check, diff and init, each with
 * `--help`. Exit codes: 0 success, 1 the command's own failure (invalid documents, problems, a failed
 * synth), 2 bad usage.
 */
import * as fs from 'fs';
import * as nodeModule from 'module';
import { createRequire } from 'module';
import * as path from 'path';
import { checkCommand } from './check';
import { diffCommand } from './diff';
import { initCommand } from './init';
import { validateCommand } from './validate';
import { packageRoot, projectRoot } from '../core/paths';

const USAGE = `usage: mlscale <command> [options]

commands:
  synth [<app>] [--out <folder>]   synthesize an app into charts-out (atomic: a failed synth leaves it as it was)
                                    <app>: a .ts or .js module exporting buildApp(app) or a default function
                                    (default: apps/main.ts)
  validate [<folder or file>]      schema-check the manifests (default: charts-out)
  check [<folder>]                 run the cluster model over the manifests (default: charts-out)
  diff <git-ref> [--markdown]      what changed in charts-out against a git ref
  init [<folder>]                  create a platform repository that uses mlscale (default: .)

  mlscale <command> --help for a command's options`;

const SYNTH_USAGE = `usage: mlscale synth [<app>] [--out <folder>]
  <app>   a module (.ts, .js) exporting buildApp(app: MlscaleApp) or a default function of it
          (default: apps/main.ts); TypeScript is bundled with esbuild, mlscale and node_modules stay external
  --out   the charts-out folder (default: charts-out, or $MLSCALE_OUTDIR)
  paths the app names (NotebookSource.fromFile, KfpComponent.fromFile) resolve against the project root
  (the nearest folder with a package.json at or above the working directory, or $MLSCALE_PROJECT_ROOT)`;

/** `mlscale synth`: loads the app module and synthesizes it with MlscaleApp.run. */
export function synthCommand(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(SYNTH_USAGE);
    return 0;
  }
  const args = argv.flatMap((a) => (a.startsWith('--out=') ? ['--out', a.slice('--out='.length)] : [a]));
  const outAt = args.indexOf('--out');
  if (outAt >= 0 && !args[outAt + 1]) {
    console.error(`mlscale synth: --out needs a folder\n${SYNTH_USAGE}`);
    return 2;
  }
  const unknown = args.filter((a, i) => a.startsWith('-') && a !== '--out' && i !== outAt + 1);
  if (unknown.length > 0) {
    console.error(`mlscale synth: unknown option ${unknown[0]}\n${SYNTH_USAGE}`);
    return 2;
  }
  const positional = args.filter((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1));
  if (positional.length > 1) {
    console.error(`mlscale synth: one app module, got ${positional.length}\n${SYNTH_USAGE}`);
    return 2;
  }
  // the default app is the project's, wherever in the project the command runs
  const entry = positional[0] !== undefined ? path.resolve(positional[0]) : path.join(projectRoot(), 'apps', 'main.ts');
  if (!fs.existsSync(entry) || !fs.statSync(entry).isFile()) {
    console.error(`mlscale synth: ${path.relative(process.cwd(), entry) || entry} does not exist (expected the app module: a .ts or .js file exporting buildApp)`);
    return 2;
  }
  let mod: Record<string, unknown>;
  let loadedFrom = entry;
  try {
    ({ mod, loadedFrom } = loadModule(entry));
  } catch (e) {
    console.error(`mlscale synth: cannot load ${path.relative(process.cwd(), entry)}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const build = (typeof mod.buildApp === 'function' ? mod.buildApp : typeof mod.default === 'function' ? mod.default
    : typeof mod === 'function' ? mod : undefined) as ((app: unknown) => void) | undefined;
  if (!build) {
    console.error(`mlscale synth: ${path.relative(process.cwd(), entry)} exports no buildApp function (nor a default one): export function buildApp(app: MlscaleApp): void { ... }`);
    return 2;
  }
  // the app's own copy of mlscale, so that its constructs and this MlscaleApp are one module instance
  const { MlscaleApp } = requireFrom(loadedFrom, 'mlscale', () => require('../core/app')) as typeof import('../core/app');
  const before = process.exitCode;
  process.exitCode = 0;
  MlscaleApp.run(build as (app: import('../core/app').MlscaleApp) => void, outAt >= 0 ? { outdir: args[outAt + 1] } : {});
  const code = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return code;
}

/**
 * Requires `id` as the module at `from` would (createRequire: a require inside this package would
 * resolve `mlscale` to itself), else `fallback()` (this package's own copy).
 */
function requireFrom(from: string, id: string, fallback: () => unknown): unknown {
  try {
    return createRequire(from)(id);
  } catch {
    return fallback();
  }
}

/**
 * A .js module as it is; a .ts module bundled by esbuild (node_modules external) into the project's
 * .mlscale/ as CommonJS (`.cjs`, so a `"type": "module"` project runs it too). Returns the module and
 * the file its own `require`s resolve from.
 */
function loadModule(entry: string): { mod: Record<string, unknown>; loadedFrom: string } {
  if (!/\.[cm]?ts$/.test(entry)) return { mod: require(entry), loadedFrom: entry };
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outfile = path.join(projectRoot(), '.mlscale', `${path.basename(entry).replace(/\.[cm]?ts$/, '')}.app.cjs`);
  esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', sourcemap: 'inline', outfile, logLevel: 'error' });
  process.setSourceMapsEnabled(true);
  return { mod: require(outfile), loadedFrom: outfile };
}

/** Runs `mlscale <argv>`; returns the exit code. */
export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'synth': return synthCommand(rest);
    case 'validate': return validateCommand(rest);
    case 'check': return checkCommand(rest);
    case 'diff': return diffCommand(rest);
    case 'init': return initCommand(rest);
    case '--help': case '-h': case 'help':
      console.log(USAGE);
      return 0;
    case '--version':
      console.log(JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version);
      return 0;
    default:
      console.error(command === undefined ? USAGE : `mlscale: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  // Node 22.1+ keeps V8's compiled code of the modules loaded from here on (the app's bundle,
  // mlscale's constructs) under the project's .mlscale/, for the next run; Node 20 has no module
  // compile cache (this repository's own commands use vm.Script cachedData: scripts/run-ts.cjs)
  (nodeModule as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache?.(path.join(projectRoot(), '.mlscale', 'compile-cache'));
  process.exitCode = main(process.argv.slice(2));
}
