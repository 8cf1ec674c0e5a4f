// Runs a TypeScript entry of this repository (npm run synth, validate, check, diff, bench, import).
//
// 1. Bundles it with esbuild, in this process, into .mlscale/<entry>.js (packages stay external), unless the bundle's inputs
//    (esbuild's metafile: every source file it read, tsconfig and package.json included) are unchanged
//    since. Packages are not bundled: a bundled cdk8s would be a second copy beside the one
//    cdk8s-plus-27 requires, and cdk8s's Include loads a file beside its own module.
// 2. Compiles the bundle with V8's code cache (vm.Script cachedData in .mlscale/<entry>.js.cache,
//    written after the first run, so it holds the functions that run compiled): Node 20 has no
//    module compile cache (module.enableCompileCache is Node 22.1+), and without it parsing and
//    compiling ~3 MB of JavaScript is a third of `npm run synth`. The cache is keyed by the bundle's
//    size and mtime, the Node version and the architecture; V8 refuses a cache of another V8 or
//    other flags, which is then rewritten.
// 3. Runs the bundle as the main module (`require.main === module` holds in it). Stack traces are
//    mapped through the bundle's source map only when one is formatted, not parsed on every run.
// No npm-in-npm, no projen, no child process.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

const root = path.resolve(__dirname, '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.cjs <entry.ts> [args...]');
  process.exit(2);
}
const out = path.join(root, '.mlscale', `${entry.replace(/[\\/]/g, '_').replace(/\.ts$/, '')}.js`);
const inputsFile = `${out}.inputs.json`;
const cacheFile = `${out}.cache`;
/** packages bundled into the entry (with everything they require); the others are required at run time */
const INLINE = new Set([]); // none: a package bundled here would be a second copy beside the one cdk8s-plus-27 requires, and cdk8s's Include reads a file beside its own module

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

/** writes through a temporary file and a rename, so a concurrent run never reads half a file */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** every package this repository depends on, except the inlined ones (esbuild's buildSync takes no plugins) */
function externals() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies });
  return names.filter((n) => !INLINE.has(n)).flatMap((n) => [n, `${n}/*`]);
}

if (!fresh()) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.build.js`;
  const result = require('esbuild').buildSync({
    absWorkingDir: root, entryPoints: [entry], bundle: true, platform: 'node', target: 'node20',
    external: externals(), sourcemap: 'external', outfile: tmp, write: false, logLevel: 'warning', metafile: true,
  });
  for (const f of result.outputFiles) writeAtomic(f.path.endsWith('.map') ? `${out}.map` : out, f.contents);
  fs.rmSync(cacheFile, { force: true });
  const files = {};
  for (const f of [...Object.keys(result.metafile.inputs), 'tsconfig.json', 'package.json']) files[f] = stamp(path.join(root, f));
  writeAtomic(inputsFile, JSON.stringify({ runner: stamp(__filename), files }));
}

const key = `${stamp(out)}|${process.version}|${process.arch}`;
let cached;
try {
  const data = fs.readFileSync(cacheFile);
  const n = data.indexOf(10);
  if (data.subarray(0, n).toString() === key) cached = data.subarray(n + 1);
} catch {
  cached = undefined;
}
const script = new vm.Script(Module.wrap(fs.readFileSync(out, 'utf8')), { filename: out, cachedData: cached });
if (!cached || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      writeAtomic(cacheFile, Buffer.concat([Buffer.from(`${key}\n`), script.createCachedData()]));
    } catch {
      // a cache that cannot be written (read-only checkout) only costs the next run its compile time
    }
  });
}

// map frames of the bundle through its source map, parsed when a stack is first formatted
let sourceMap;
Error.prepareStackTrace = (error, frames) => {
  const lines = frames.map((f) => {
    if (f.getFileName() === out) {
      sourceMap ??= new Module.SourceMap(JSON.parse(fs.readFileSync(`${out}.map`, 'utf8')));
      const e = sourceMap.findEntry(f.getLineNumber() - 1, f.getColumnNumber() - 1);
      if (e && e.originalSource) {
        const file = e.originalSource.startsWith('file://') ? require('url').fileURLToPath(e.originalSource) : path.resolve(path.dirname(out), e.originalSource);
        return `    at ${f.getFunctionName() ?? '<anonymous>'} (${file}:${e.originalLine + 1}:${e.originalColumn + 1})`;
      }
    }
    return `    at ${f}`;
  });
  return [`${error.name ?? 'Error'}${error.message ? `: ${error.message}` : ''}`, ...lines].join('\n');
};

// an uncaught error prints its mapped stack (Node's own report would quote the bundle's line)
process.on('uncaughtException', (error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

// run it as the main module, as `node <bundle>` would
const main = new Module(out, null);
main.filename = out;
main.paths = Module._nodeModulePaths(path.dirname(out));
main.id = '.';
process.mainModule = main;
require.cache[out] = main;
process.argv = [process.argv[0], out, ...args];
const wrapper = script.runInThisContext();
const req = (id) => main.require(id);
req.main = main;
req.resolve = (id, o) => Module._resolveFilename(id, main, false, o);
req.cache = require.cache;
wrapper.call(main.exports, main.exports, req, main, out, path.dirname(out));
main.loaded = true;
