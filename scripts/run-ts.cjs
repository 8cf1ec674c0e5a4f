// Runs a TypeScript entry of this repository (npm run synth, validate, check, diff, bench): bundles
// it with esbuild, in this process, into .mlscale/ (node_modules stay external) unless the bundle's
// inputs (esbuild's metafile: every source file it read, tsconfig included) are unchanged since, then
// runs the bundle as the main module (`require.main === module` holds in it). No npm-in-npm, no
// projen, no child process: `npm run synth` is node start-up, one stat per input and the synth itself.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const root = path.resolve(__dirname, '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.cjs <entry.ts> [args...]');
  process.exit(2);
}
const out = path.join(root, '.mlscale', `${entry.replace(/[\\/]/g, '_').replace(/\.ts$/, '')}.js`);
const inputsFile = `${out}.inputs.json`;

/** size and mtime of a file, or undefined when it is gone */
function stamp(file) {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function fresh() {
  try {
    const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
    if (inputs.runner !== stamp(__filename) || !fs.existsSync(out)) return false;
    return Object.entries(inputs.files).every(([file, s]) => stamp(path.join(root, file)) === s);
  } catch {
    return false;
  }
}

if (!fresh()) {
  const result = require('esbuild').buildSync({
    absWorkingDir: root, entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', packages: 'external',
    sourcemap: true, outfile: out, logLevel: 'warning', metafile: true,
  });
  const files = {};
  for (const f of [...Object.keys(result.metafile.inputs), 'tsconfig.json', 'package.json']) files[f] = stamp(path.join(root, f));
  fs.writeFileSync(inputsFile, JSON.stringify({ runner: stamp(__filename), files }));
}
process.setSourceMapsEnabled(true);
process.argv = [process.argv[0], out, ...args];
Module.runMain(out);
