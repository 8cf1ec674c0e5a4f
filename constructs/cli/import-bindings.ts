/**
 * `npm run import`: regenerate the cdk8s bindings in constructs/imports/ from the pinned
 * schemas in constructs/crds/, offline. Also writes constructs/crds/index.json, the
 * apiVersion/kind → schema-file index the schema gate uses.
 *
 * The cdk8s CLI can import CRDs from files, but it only fetches the Kubernetes schema from the
 * internet; here the Kubernetes 1.32 swagger.json shipped in constructs/crds/ is fed to the
 * CLI's own importer instead, so `k8s.ts` is what `cdk8s import k8s@1.32.0` would produce.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { packageRoot } from '../core/paths';

const ROOT = packageRoot();
const CRDS = path.join(ROOT, 'constructs', 'crds');
const OUT = path.join(ROOT, 'constructs', 'imports');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');

/**
 * Binding modules: module name → CRD files (under constructs/crds/). The generated file is
 * `<module>-<api group>.ts`. Only what the constructs use is imported; the schema gate can
 * validate every CRD in constructs/crds/ regardless.
 */
export const CRD_IMPORTS: Record<string, string[]> = {
  'training-operator': ['kubeflow-training-operator/kubeflow.org_pytorchjobs.yaml', 'kubeflow-training-operator/kubeflow.org_tfjobs.yaml'],
  'trainer': [
    'kubeflow-trainer/trainer.kubeflow.org_trainjobs.yaml',
    'kubeflow-trainer/trainer.kubeflow.org_trainingruntimes.yaml',
    'kubeflow-trainer/trainer.kubeflow.org_clustertrainingruntimes.yaml',
  ],
  'katib': ['katib/experiment.yaml'],
  'argo-workflows': ['argo-workflows/argoproj.io_workflowtemplates.yaml', 'argo-workflows/argoproj.io_cronworkflows.yaml'],
  'argo-cd': ['argo-cd/application-crd.yaml', 'argo-cd/appproject-crd.yaml', 'argo-cd/applicationset-crd.yaml'],
  'dask-kubernetes': [
    'dask-kubernetes/daskcluster.yaml',
    'dask-kubernetes/daskworkergroup.yaml',
    'dask-kubernetes/daskjob.yaml',
    'dask-kubernetes/daskautoscaler.yaml',
  ],
  'traefik': ['dask-gateway/traefik.yaml'],
  'kubeflow-notebooks': ['kubeflow-notebooks/kubeflow.org_notebooks.yaml'],
  'kueue': [
    'kueue/kueue.x-k8s.io_clusterqueues.yaml',
    'kueue/kueue.x-k8s.io_localqueues.yaml',
    'kueue/kueue.x-k8s.io_resourceflavors.yaml',
    'kueue/kueue.x-k8s.io_workloadpriorityclasses.yaml',
    'kueue/kueue.x-k8s.io_cohorts.yaml',
  ],
};

function importKubernetes(): Promise<void> {
  // cdk8s-cli restricts deep imports through package "exports"; load its files by absolute path.
  const cliLib = path.join(path.dirname(require.resolve('cdk8s-cli/package.json', { paths: [ROOT] })), 'lib');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const util = require(path.join(cliLib, 'util.js'));
  const swagger = path.join(CRDS, 'kubernetes-openapi', 'v1.32', 'swagger.json');
  const definitions = JSON.parse(fs.readFileSync(swagger, 'utf-8')).definitions;
  // As in cdk8s's own kubernetes-schemas: Quantity and IntOrString are unions, so that the
  // bindings get `Quantity.fromNumber()` / `IntOrString.fromNumber()` (swagger.json says "string",
  // which would render `targetPort: "8080"`, a named port).
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { oneOf: [{ type: 'string' }, { type: 'number' }] };
  definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  util.download = async () => JSON.stringify({ definitions });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ImportKubernetesApi } = require(path.join(cliLib, 'import', 'k8s.js'));
  return new ImportKubernetesApi({ apiVersion: '1.32.0' }).import({ targetLanguage: 'typescript', outdir: OUT, save: false });
}

function importCrds(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-import-'));
  try {
    for (const [name, files] of Object.entries(CRD_IMPORTS)) {
      // one multi-document file per module, so that one module holds all its kinds
      const combined = path.join(tmp, `${name}.yaml`);
      fs.writeFileSync(combined, files.map((f) => fs.readFileSync(path.join(CRDS, f), 'utf-8')).join('\n---\n'));
      execFileSync(CDK8S, ['import', '--language', 'typescript', '--output', OUT, '--no-save', '--no-check-upgrade', `${name}:=${combined}`], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

interface IndexEntry {
  readonly file: string;
  readonly document: number;
  readonly version: number;
}

/** apiVersion/kind → location of its openAPIV3Schema for every CRD shipped in constructs/crds/. */
function writeCrdIndex(): void {
  const index: Record<string, IndexEntry> = {};
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(CRDS).filter((f) => f.endsWith('.yaml') && !f.includes(`${path.sep}kustomize${path.sep}`))) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJS());
    docs.forEach((doc, di) => {
      if (doc?.kind !== 'CustomResourceDefinition') return;
      (doc.spec.versions as Array<{ name: string; served: boolean }>).forEach((v, vi) => {
        if (!v.served) return;
        index[`${doc.spec.group}/${v.name}/${doc.spec.names.kind}`] = { file: path.relative(CRDS, file).split(path.sep).join('/'), document: di, version: vi };
      });
    });
  }
  const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(path.join(CRDS, 'index.json'), JSON.stringify(sorted, null, 2) + '\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  await importKubernetes();
  importCrds();
  writeCrdIndex();
  const files = fs.readdirSync(OUT).sort();
  for (const f of files) console.log(`  ${f} (${Math.round(fs.statSync(path.join(OUT, f)).size / 1024)} KiB)`);
  console.log(`imported ${files.length} binding modules in ${Date.now() - started} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
