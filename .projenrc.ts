import { JsonFile, javascript, typescript, YamlFile } from 'projen';

/**
 * The single source of project configuration for mlscale.
 * Run `npx projen` after editing; never edit package.json, tsconfig*.json or cdk8s.yaml by hand.
 */

const project = new typescript.TypeScriptProject({
  name: 'mlscale',
  description: 'Scale-out for data scientists on Kubernetes: Dask, notebook jobs and pipelines, distributed GPU training, and the clusters underneath, as typed TypeScript (cdk8s + Pulumi).',
  license: 'Apache-2.0',
  copyrightOwner: 'mlscale authors',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  projenrcTsOptions: { projenCodeDir: '.projen' },
  tsconfigDevFile: 'tsconfig.dev.json',
  typescriptVersion: '~5.9.3',
  minNodeVersion: '20.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  srcdir: 'constructs',
  testdir: 'test',
  libdir: 'lib',
  entrypoint: 'lib/constructs/index.js',
  entrypointTypes: 'lib/constructs/index.d.ts',
  sampleCode: false,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  eslint: false,
  prettier: false,
  package: false,
  deps: [
    'cdk8s@^2.70.106',
    'cdk8s-plus-27@^2.9.5',
    'constructs@^10.4.2',
    'yaml@^2.8.1',
    'ajv@^8.17.1',
    // `mlscale synth <app>.ts` bundles the user's app (only the app: mlscale itself is precompiled)
    'esbuild@^0.25.0',
  ],
  // mlscale/stacks (Pulumi) only: optional peers, so a cdk8s-only user installs none of @pulumi
  peerDeps: [
    // 3.249+ requires Node 22; we support Node 20, 22 and 24.
    '@pulumi/pulumi@~3.248.0',
    '@pulumi/kubernetes@^4.34.2',
    '@pulumi/gcp@^9.37.0',
  ],
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    // projen's default dist-tag for @types/node does not resolve here: pin it.
    '@types/node@^20.19.0',
    'cdk8s-cli@^2.207.60',
    '@pulumi/pulumi@~3.248.0',
    '@pulumi/kubernetes@^4.34.2',
    '@pulumi/gcp@^9.37.0',
    'fast-check@^4.3.0',
    // the Mermaid diagrams in charts-out are parsed by Mermaid's own parser in a test (it needs a DOM: jsdom)
    'mermaid@^11',
    'jsdom@^26',
  ],
  jest: true,
  jestOptions: {
    jestVersion: '^29',
    // Jest 30's resolver depends on per-platform `@unrs/resolver-binding-*` packages that the
    // registry mirror here does not carry, which leaves package-lock.json unusable by `npm ci`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    coverageText: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/examples/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/.mlscale/'],
      // schema compilation of the large CRDs dominates some suites
      testTimeout: 120_000,
      maxWorkers: 2,
      collectCoverage: false,
    },
  },
  tsconfig: {
    include: ['constructs/**/*.ts', 'stacks/**/*.ts', 'examples/**/*.ts'],
    compilerOptions: {
      rootDir: '.',
      outDir: 'lib',
      isolatedModules: true,
      skipLibCheck: true,
      esModuleInterop: true,
      incremental: true,
      tsBuildInfoFile: '.mlscale/tsconfig.tsbuildinfo',
    },
  },
  tsconfigDev: {
    include: ['constructs/**/*.ts', 'stacks/**/*.ts', 'examples/**/*.ts', 'test/**/*.ts', '.projenrc.ts'],
    exclude: ['node_modules', 'lib', '.mlscale', 'charts-out', 'test/fixtures/compile-errors'],
    compilerOptions: {
      rootDir: '.',
      isolatedModules: true,
      skipLibCheck: true,
      esModuleInterop: true,
      incremental: true,
      tsBuildInfoFile: '.mlscale/tsconfig.dev.tsbuildinfo',
    },
  },
  gitignore: ['/.mlscale/', '/.charts-out-*', '/lib/', 'coverage/', '__pycache__/'],
});

// npm 11 skips dependency install scripts that package.json `allowScripts` does not cover, and
// warns about each one on every `npm ci`. Record the decision for each (all denied; none is needed):
// - @pulumi/kubernetes runs `pulumi plugin install`, i.e. downloads the provider binary from
//   outside npm; the Pulumi CLI fetches the plugin itself on the user's first `pulumi up`.
// - esbuild only verifies/relinks its binary, which its per-platform optional package supplies.
// - protobufjs and backport print version notices.
// npm 10 (the default npm of Node 20 and 22) ignores the field and runs them as before, harmlessly.
// ---------------------------------------------------------------------------
// The npm package: lib/ (constructs and stacks compiled with declarations, no source maps) and the
// fact-only schemas the validator reads; nothing else (no examples, tests, charts-out or caches).
// `prepack` builds it for `npm pack`/`npm publish`; `prepare` builds it for a git dependency (it
// skips the repository's own `npm ci`, where INIT_CWD is the package folder itself).
// ---------------------------------------------------------------------------
new JsonFile(project, 'tsconfig.package.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: {
      rootDir: '.', outDir: 'lib', declaration: true, inlineSourceMap: false, inlineSources: false, sourceMap: false,
      incremental: false, types: ['node'], removeComments: false,
    },
    include: ['constructs/**/*.ts', 'stacks/**/*.ts'],
    // the repository's own Pulumi program and bench (they read examples/apps/) and the bindings generator (it needs cdk8s-cli) stay out
    exclude: ['node_modules', 'stacks/index.ts', 'constructs/cli/import.ts', 'constructs/cli/bench.ts', 'constructs/upstream/generate.ts'],
  },
});
project.package.addField('files', [
  'lib/constructs/**/*.js', 'lib/constructs/**/*.d.ts', 'lib/stacks/**/*.js', 'lib/stacks/**/*.d.ts',
  'constructs/upstream/schemas/**/*.json', 'README.md', 'LICENSE',
]);
project.package.addField('exports', {
  '.': { types: './lib/constructs/index.d.ts', default: './lib/constructs/index.js' },
  './stacks': { types: './lib/stacks/lib.d.ts', default: './lib/stacks/lib.js' },
  './package.json': './package.json',
});
project.package.addField('typesVersions', { '*': { stacks: ['lib/stacks/lib.d.ts'] } });
project.package.addField('bin', { mlscale: 'lib/constructs/cli/mlscale.js' });
project.package.addField('peerDependenciesMeta', {
  '@pulumi/pulumi': { optional: true }, '@pulumi/kubernetes': { optional: true }, '@pulumi/gcp': { optional: true },
});
project.package.setScript('prepack', 'rm -rf lib && tsc -p tsconfig.package.json');
project.package.setScript('prepare', 'node scripts/prepare.cjs');

project.package.addField('allowScripts', {
  '@pulumi/kubernetes': false,
  'backport': false,
  'esbuild': false,
  'protobufjs': false,
});

// ---------------------------------------------------------------------------
// Tasks. Everything runs transpile-only through esbuild (0.3 s for the whole tree);
// type-checking happens once, in `npm test` (typecheck step) and `npm run typecheck`.
// ---------------------------------------------------------------------------

/**
 * Run one TypeScript entry: scripts/run-ts.cjs bundles it in-process with esbuild into .mlscale/
 * (node_modules stay external; the bundle is reused while no .ts file is newer) and runs it.
 */
function runTs(entry: string, args = ''): string {
  return `node scripts/run-ts.cjs ${entry}${args ? ' ' + args : ''}`;
}

project.addTask('synth', {
  description: 'Synthesize the default platform app (examples/apps/main.ts) into charts-out/ (atomic: a failed synth leaves charts-out untouched)',
  exec: runTs('examples/apps/synth.ts'),
  receiveArgs: true,
});

project.addTask('validate', {
  description: 'Validate every YAML document under a folder (default charts-out/) against the pinned Kubernetes 1.32 / CRD schemas, strictly',
  exec: runTs('constructs/cli/validate.ts'),
  receiveArgs: true,
});

project.addTask('check', {
  description: 'Run the cluster model over a folder of manifests (default charts-out/): served kinds and controllers, admission as admitted, references; exits 1 on any problem',
  exec: runTs('constructs/cli/check.ts'),
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Benchmark synthesis: the default app and generated large apps (wall time, peak RSS, objects/s)',
  exec: runTs('constructs/cli/bench.ts'),
  receiveArgs: true,
});

project.addTask('diff', {
  description: 'Summarize how charts-out/ changed against a git ref: `npm run diff -- <ref> [--markdown]`',
  exec: runTs('constructs/cli/diff.ts'),
  receiveArgs: true,
});

project.addTask('import', {
  description: 'Regenerate the fact-only schemas (constructs/upstream/schemas/) and the bindings (constructs/imports/) from the sources pinned in constructs/upstream/sources.ts: `npm run import [-- --mirror <dir>] [--check] [--pin]` (mirror: MLSCALE_UPSTREAM_MIRROR, else the pinned URLs)',
  exec: runTs('constructs/cli/import.ts'),
  receiveArgs: true,
});

// the hot commands skip projen's start-up (~0.7 s): their npm scripts run node directly
for (const [task, entry] of [['synth', 'examples/apps/synth.ts'], ['validate', 'constructs/cli/validate.ts'], ['check', 'constructs/cli/check.ts'],
  ['diff', 'constructs/cli/diff.ts'], ['bench', 'constructs/cli/bench.ts']] as const) {
  project.package.setScript(task, runTs(entry));
}

const typecheck = project.addTask('typecheck', {
  description: 'Type-check the whole project once (tsc, incremental)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});

// `npm test`: type-check once, then jest (transpile-only via isolatedModules). Jest includes
// the unit/snapshot suites, the schema gate over charts-out and the drift check.
project.testTask.reset();
project.testTask.spawn(typecheck);
project.testTask.exec('jest --ci', { receiveArgs: true });

// projen's Jest component already provides `test:update` (jest --updateSnapshot).

// cdk8s.yaml: lets the cdk8s CLI run the app too (`npx cdk8s synth`). Bindings are generated by
// `npm run import` (constructs/cli/import-bindings.ts holds the import list), not by `cdk8s import`,
// because the CLI can only fetch the Kubernetes schema from the internet.
new YamlFile(project, 'cdk8s.yaml', {
  obj: {
    language: 'typescript',
    app: runTs('examples/apps/synth.ts'),
    output: 'charts-out',
  },
});

project.synth();
