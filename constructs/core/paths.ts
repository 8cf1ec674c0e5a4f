import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined;

/**
 * The root folder of the mlscale package (where its package.json is), whether the code runs
 * from source (ts-jest), from an esbuild bundle in .mlscale/, or compiled into lib/.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf-8')).name === 'mlscale') return (cached = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the mlscale package root above ${__dirname}`);
    dir = parent;
  }
}

/**
 * The root folder of the user's project, against which the files an app names are read
 * (`NotebookSource.fromFile`, `KfpComponent.fromFile`) and relative to which they are written into
 * charts-out: `$MLSCALE_PROJECT_ROOT` when set, else the nearest folder at or above the working
 * directory with a package.json (`npm run synth` runs there). In this repository that is the
 * package root; in a company repository using mlscale as a dependency, that repository's root, not
 * node_modules/mlscale.
 */
export function projectRoot(): string {
  const explicit = process.env.MLSCALE_PROJECT_ROOT;
  if (explicit) return path.resolve(explicit);
  let dir = process.cwd();
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** A path as written into charts-out: relative to the project root, with '/' separators, whatever the machine. */
export function projectRelative(file: string): string {
  return path.relative(projectRoot(), path.resolve(projectRoot(), file)).split(path.sep).join('/');
}
