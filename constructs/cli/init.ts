/**
 * `mlscale init [<folder>]`: creates a company's platform repository that uses mlscale as a
 * dependency: the app (one team and one example of each capability), its tests, the Pulumi stack
 * files, CI for GitHub Actions and GitLab (synth, schema gate, cluster model, a diff of the pull
 * request's charts-out, failure on drift) and the Argo CD bootstrap (a GitOpsApplication). The files
 * are written here, for mlscale; nothing is copied from another project.
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../core/paths';

const USAGE = `usage: mlscale init [<folder>] [--name <package name>] [--mlscale <dependency spec>] [--force]
  writes a platform repository into <folder> (default: .): package.json, tsconfig.json, apps/main.ts,
  a notebook and a KFP component it runs, tests, Pulumi.yaml with a stack config, CI workflows
  (.github/workflows/charts.yml, .gitlab-ci.yml); then: npm install && npm run synth && npm test
  --mlscale   what package.json depends on (default: ^<this version>; e.g. file:../mlscale-0.1.0.tgz)
  --force     write into a folder that is not empty (existing files are kept)`;

/** The files of a new platform repository, by path. */
export function starterFiles(o: { readonly name: string; readonly mlscale: string }): Record<string, string> {
  const mlscaleVersion = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8'));
  const dep = (n: string) => mlscaleVersion.dependencies?.[n] ?? mlscaleVersion.devDependencies?.[n] ?? '*';
  const pkg = {
    name: o.name,
    private: true,
    description: 'The platform: cdk8s charts for Argo CD (charts-out/) and the Pulumi stacks of the clusters, built with mlscale',
    scripts: {
      synth: 'mlscale synth apps/main.ts',
      validate: 'mlscale validate charts-out',
      check: 'mlscale check charts-out',
      diff: 'mlscale diff',
      test: 'tsc --noEmit && jest',
    },
    engines: { node: '>= 20.0.0' },
    dependencies: { 'mlscale': o.mlscale, 'cdk8s': dep('cdk8s'), 'constructs': dep('constructs'), 'yaml': dep('yaml') },
    devDependencies: {
      '@types/jest': dep('@types/jest'), '@types/node': dep('@types/node'), 'jest': dep('jest'), 'ts-jest': dep('ts-jest'), 'typescript': dep('typescript'),
    },
    jest: { preset: 'ts-jest', testEnvironment: 'node', testMatch: ['<rootDir>/test/**/*.test.ts'], testTimeout: 120000 },
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'CommonJS', moduleResolution: 'node', strict: true, esModuleInterop: true, skipLibCheck: true,
        noEmit: true, resolveJsonModule: true, types: ['node', 'jest'],
      },
      // stacks/ needs the Pulumi packages: npm install @pulumi/pulumi @pulumi/kubernetes @pulumi/gcp, then add it here
      include: ['apps/**/*.ts', 'test/**/*.ts'],
    }, null, 2)}\n`,
    '.gitignore': 'node_modules/\n.mlscale/\n/.charts-out-*\ncoverage/\n',
    'README.md': README,
    'apps/main.ts': MAIN_TS,
    'apps/notebooks/explore.ipynb': `${JSON.stringify(NOTEBOOK, null, 1)}\n`,
    'apps/components/summarize/component.yaml': COMPONENT,
    'test/app.test.ts': TEST_TS,
    'cdk8s.yaml': 'language: typescript\napp: npx mlscale synth apps/main.ts\noutput: charts-out\n',
    'Pulumi.yaml': `name: ${o.name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: stacks/\ndescription: The GKE cluster under charts-out (mlscale/stacks)\n`,
    'Pulumi.gke.yaml': PULUMI_GKE,
    'stacks/index.ts': STACK_TS,
    '.github/workflows/charts.yml': GITHUB_CI,
    '.gitlab-ci.yml': GITLAB_CI,
  };
}

/** `mlscale init`; returns the exit code. */
export function initCommand(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const flag = (f: string) => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  for (const f of ['--name', '--mlscale']) {
    if (argv.includes(f) && (flag(f) === undefined || flag(f)!.startsWith('--'))) {
      console.error(`mlscale init: ${f} needs a value\n${USAGE}`);
      return 2;
    }
  }
  const valued = new Set(['--name', '--mlscale'].flatMap((f) => (argv.includes(f) ? [argv.indexOf(f), argv.indexOf(f) + 1] : [])));
  const positional = argv.filter((a, i) => !valued.has(i) && !a.startsWith('--'));
  if (positional.length > 1) {
    console.error(`mlscale init: one folder, got ${positional.length}\n${USAGE}`);
    return 2;
  }
  const dir = path.resolve(positional[0] ?? '.');
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    console.error(`mlscale init: ${dir} is a file`);
    return 2;
  }
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0 && !argv.includes('--force')) {
    console.error(`mlscale init: ${dir} is not empty (--force writes the files that are missing)`);
    return 2;
  }
  const name = flag('--name') ?? (path.basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'platform');
  const version = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
  const files = starterFiles({ name, mlscale: flag('--mlscale') ?? `^${version}` });
  let written = 0;
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    if (fs.existsSync(file)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    written++;
  }
  console.log(`mlscale init: wrote ${written} files into ${dir}\nnext: cd ${path.relative(process.cwd(), dir) || '.'} && npm install && npm run synth && npm test`);
  return 0;
}

const MAIN_TS = `/**
 * The platform app: \`npm run synth\` (mlscale synth apps/main.ts) writes it into charts-out/, which
 * Argo CD syncs. One team, and one example of each capability; replace them with yours.
 */
import { Chart, Duration } from 'cdk8s';
import {
  ChartsOutIndex, ClusterModel, ClusterProfile, ContainerJob, DaskCluster, Externals, GitOpsApplication, GpuQueues, GuardRails, KfpComponent,
  MlscaleApp, NotebookSource, ObjectStore, Pipeline, PipelineStep, PriorityClasses, PyTorchJob, SecretRef, SharedVolume, Team,
} from 'mlscale';

/** Where Argo CD reads charts-out from: this repository. */
export const REPOSITORY = { url: 'https://git.example.com/platform/platform.git', revision: 'main' } as const;

export function buildApp(app: MlscaleApp): void {
  // the cluster: GKE with one GPU class (the Pulumi stack creates the same pool)
  ClusterProfile.use(app, ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4', maxNodes: 4 }] }));
  // every environment is checked as the cluster will take it before anything is written
  ClusterModel.enable(app);
  GuardRails.enable(app);
  Externals.declare(app, { kind: 'StorageClass', name: 'standard-rwx', reason: 'GKE Filestore CSI (enabled by the stack)' });

  const queues = new Chart(app, 'platform-queues');
  new GpuQueues(queues, 'gpu-flavors');
  new PriorityClasses(queues, 'priorities');

  const teamChart = new Chart(app, 'team-data');
  const team = new Team(teamChart, 'data', { members: { groups: ['data@example.com'] }, quota: { cpu: 32, memory: '128Gi', gpus: { t4: 2 }, storage: '1Ti' } });
  const shared = new SharedVolume(teamChart, 'shared', { namespace: team.namespace, size: '1Ti' });

  // a batch job on the team's queue
  const jobs = new Chart(app, 'data-jobs');
  new ContainerJob(jobs, 'features', {
    namespace: team.namespace, queue: team, serviceAccount: team.serviceAccounts.workload,
    container: { image: 'python:3.12-slim', command: ['python', '-c', 'print("features")'], resources: { cpu: 1, memory: '2Gi' } },
    mounts: [shared.mount('/mnt/shared')],
    activeDeadline: Duration.hours(2),
  });

  // Dask: a scheduler and two workers, scaled from a notebook
  new DaskCluster(new Chart(app, 'data-dask'), 'explore', { namespace: team.namespace, workers: { replicas: 2, resources: { cpu: 2, memory: '8Gi' } } });

  // distributed training on GPUs
  new PyTorchJob(new Chart(app, 'data-training'), 'train', {
    namespace: team.namespace, queue: team, image: 'ghcr.io/example/train:1.0.0',
    master: { resources: { cpu: 4, memory: '16Gi', gpus: 1 } }, worker: { replicas: 1, resources: { cpu: 4, memory: '16Gi', gpus: 1 } },
    mounts: [shared.mount('/mnt/checkpoints', { subPath: 'checkpoints' })],
  });

  // a notebook and a prebuilt KFP component as one pipeline on Argo Workflows (paths: from the repository root)
  const pipelines = new Chart(app, 'data-pipelines');
  const store = new ObjectStore(pipelines, 'artifacts', {
    namespace: team.namespace, endpoint: 'https://storage.googleapis.com', bucket: 'example-platform-artifacts', prefix: 'data',
    credentials: { secret: SecretRef.fromName('artifacts-hmac') },
  });
  const explore = PipelineStep.notebook('explore', {
    notebook: NotebookSource.fromFile('apps/notebooks/explore.ipynb'), image: 'ghcr.io/example/papermill:1.0.0',
    outputs: { table: { kind: 'artifact' } },
  });
  const summarize = PipelineStep.kfp('summarize', KfpComponent.fromFile('apps/components/summarize/component.yaml'), {
    dependsOn: [explore], arguments: { table: Pipeline.outputOf(explore, 'table') },
  });
  new Pipeline(pipelines, 'explore-and-summarize', { namespace: team.namespace, objectStore: store, steps: [explore, summarize] });

  // Argo CD: the app-of-apps over charts-out and the add-ons the charts need; charts-out/README.md
  new GitOpsApplication(app, 'gitops-argocd', { repoURL: REPOSITORY.url, targetRevision: REPOSITORY.revision });
  new ChartsOutIndex(app, 'gitops-index');
}
`;

const TEST_TS = `/**
 * The app as the cluster takes it: synthesized into a temporary folder (ClusterModel.enable makes a
 * problem fail the synth), every document schema-checked, and the fields that matter asserted.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { MlscaleApp, SchemaValidator, loadManifests } from 'mlscale';
import { buildApp } from '../apps/main';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
const app = new MlscaleApp({ outdir: out });
buildApp(app);
app.synth();
const docs = loadManifests(out).map((m) => m.doc as any);

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test('every document is valid against the pinned schemas', () => {
  const validator = new SchemaValidator();
  expect(docs.map((d) => ({ id: \`\${d.kind}/\${d.metadata?.name}\`, violations: validator.validate(d).violations }))
    .filter((r) => r.violations.length > 0)).toEqual([]);
});

test('the team\\'s jobs are queued and restricted', () => {
  const job = docs.find((d) => d.kind === 'Job' && d.metadata.name === 'features');
  expect(job.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('data');
  expect(job.spec.suspend).toBe(true);
  expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
});

test('the pipeline runs the notebook and the component from this repository', () => {
  const wf = docs.find((d) => d.kind === 'WorkflowTemplate');
  expect(wf.spec.templates.map((t: any) => t.name)).toEqual(expect.arrayContaining(['explore', 'summarize']));
  const notebook = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name.endsWith('explore-notebook'));
  expect(JSON.parse(Object.values(notebook.data)[0] as string).cells.length).toBeGreaterThan(0);
});

test('Argo CD syncs charts-out', () => {
  const root = YAML.parse(fs.readFileSync(path.join(out, 'gitops-argocd-root.k8s.yaml'), 'utf8'));
  expect(root.spec.source.path).toBe('charts-out');
});
`;

const NOTEBOOK = {
  cells: [
    { cell_type: 'code', execution_count: null, metadata: { tags: ['parameters'] }, outputs: [], source: ['table = "table.csv"'] },
    { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['with open(table, "w") as f:\n', '    f.write("x,y\\n1,2\\n")'] },
  ],
  metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
  nbformat: 4,
  nbformat_minor: 5,
};

const COMPONENT = `# A KFP v1 component of this platform (written by mlscale init): counts the lines of a table.
name: summarize
description: Counts the lines of a CSV table.
inputs:
- {name: table, type: String}
outputs:
- {name: lines, type: Integer}
implementation:
  container:
    image: busybox:1.36.1
    command:
    - sh
    - -ec
    - |
      mkdir -p "$(dirname "$1")"
      wc -l < "$0" > "$1"
    - {inputPath: table}
    - {outputPath: lines}
`;

const PULUMI_GKE = `# The GKE stack (mlscale/stacks): the cluster under charts-out. Keys as mlscale's Pulumi.gke-example.yaml
# (its README, "Run it on GKE"); the GPU classes are the ones apps/main.ts gives ClusterProfile.
config:
  mlscale:target: gke
  mlscale:gke:
    project: example-platform
    location: europe-west4
    name: platform
    releaseChannel: REGULAR
    network: default
    subnetwork: default
    masterIpv4CidrBlock: 172.16.0.0/28
    controlPlaneAllowList:            # who may reach the control plane: your VPN and where pulumi up runs
      - cidr: 203.0.113.0/24
        name: office-vpn
    systemPool:
      machineType: e2-standard-4
      minNodes: 1
      maxNodes: 3
`;

const STACK_TS = `// The Pulumi program (pulumi up): the cluster, its node pools and the Argo CD bootstrap of charts-out.
// Needs the Pulumi packages: npm install @pulumi/pulumi @pulumi/kubernetes @pulumi/gcp
import * as pulumi from '@pulumi/pulumi';
import { deployPlatform, loadStackConfig } from 'mlscale/stacks';

const platform = deployPlatform(loadStackConfig(new pulumi.Config('mlscale'), { gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4', maxNodes: 4 }] }));

export const kubeconfig = platform.kubeconfig;
export const rootApplication = platform.rootApplication;
`;

const GITHUB_CI = `# charts-out is built by CI and reviewed as a diff; a pull request whose charts-out is stale fails.
name: charts
on:
  pull_request:
  push:
    branches: [main]
jobs:
  charts:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm test
      - run: npm run synth
      - run: npm run validate
      - run: npm run check
      - name: charts-out is committed as synthesized (new files included)
        run: test -z "$(git status --porcelain -- charts-out)" || { git status --short -- charts-out; exit 1; }
      - name: what this pull request changes in the cluster
        if: github.event_name == 'pull_request'
        run: npx mlscale diff origin/\${{ github.base_ref }} --markdown >> "$GITHUB_STEP_SUMMARY"
`;

const GITLAB_CI = `# charts-out is built by CI and reviewed as a diff; a merge request whose charts-out is stale fails.
charts:
  image: node:20
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - npm ci
    - npm test
    - npm run synth
    - npm run validate
    - npm run check
    - test -z "$(git status --porcelain -- charts-out)" || { git status --short -- charts-out; exit 1; }
    - if [ -n "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" ]; then git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" && npx mlscale diff "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"; fi
`;

const README = `# Platform

The platform's Kubernetes side, built with [mlscale](https://www.npmjs.com/package/mlscale):
\`apps/main.ts\` is synthesized into \`charts-out/\`, which Argo CD syncs.

    npm install
    npm run synth     # charts-out/ (commit it with the change that produced it)
    npm test          # type-check, schema gate, the app's assertions
    npm run check     # the cluster model over charts-out
    npx mlscale diff main   # what a change does to the cluster

Paths the app names (\`NotebookSource.fromFile\`, \`KfpComponent.fromFile\`) are relative to this
repository's root. \`charts-out/README.md\` lists what to provide before syncing (Secrets, buckets).
The clusters: \`Pulumi.yaml\` and \`stacks/\` (install the Pulumi packages first).
`;
