// Runs a TypeScript entry of this repository (npm run synth, validate, check, diff, bench): bundles
// it with esbuild, in this process, into .mlscale/ (node_modules stay external) unless the bundle is
// newer than every .ts file it could contain, then runs the bundle here. No npm-in-npm, no projen, no
// child process: `npm run synth` is node start-up, one stat per source file and the synth itself.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.cjs <entry.ts> [args...]');
  process.exit(2);
}
const out = path.join(root, '.mlscale', `${entry.replace(/[\\/]/g, '_').replace(/\.ts$/, '')}.js`);

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of ['constructs', 'apps', 'stacks']) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  return newest;
}

let fresh = false;
try {
  fresh = fs.statSync(out).mtimeMs > newestSource() && fs.statSync(out).mtimeMs > fs.statSync(__filename).mtimeMs;
} catch {
  fresh = false;
}
if (!fresh) {
  require('esbuild').buildSync({
    entryPoints: [path.join(root, entry)], bundle: true, platform: 'node', target: 'node20', packages: 'external',
    sourcemap: true, outfile: out, logLevel: 'warning',
  });
}
process.setSourceMapsEnabled(true);
process.argv = [process.argv[0], out, ...args];
require(out);
