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
