/** Small apps for the cluster-model tests: an app with Argo CD (GitOpsApplication) and the model on. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { ADDON_CATALOG, AddonName, AddonSpec, ClusterModel, formatProblem, ClusterProfile, GitOpsApplication, GitOpsApplicationProps, MlscaleApp, ModelResult, k8s } from '../../constructs';

/** A fresh app with the model enabled and a GitOpsApplication installing `catalog`. */
export function modelApp(props: Partial<GitOpsApplicationProps> = {}): { app: MlscaleApp; chart: (id: string) => Chart; out: string } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-model-')), 'charts-out');
  const app = new MlscaleApp({ outdir: out });
  ClusterProfile.use(app, ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4', gpusPerNode: 1, maxNodes: 2 }] }));
  ClusterModel.enable(app);
  new GitOpsApplication(app, 'gitops', { repoURL: 'https://git.example.com/platform.git', ...props });
  return { app, out, chart: (id: string) => new Chart(app, id) };
}

/** A `restricted` namespace with a default deny, as Team and the examples create them. */
export function restrictedNamespace(chart: Chart, name: string): void {
  new k8s.KubeNamespace(chart, `ns-${name}`, {
    metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.32' } },
  });
  new k8s.KubeNetworkPolicy(chart, `deny-${name}`, { metadata: { name: 'default-deny', namespace: name }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
}

/** A catalog without one entry. */
export function catalogWithout(...names: AddonName[]): Partial<Record<AddonName, AddonSpec>> {
  return Object.fromEntries(Object.entries(ADDON_CATALOG).filter(([n]) => !names.includes(n as AddonName)));
}

/** The model's problems of an app, as messages (`<path>: <field> <problem>; got …, expected …`). */
export function modelMessages(app: MlscaleApp): string[] {
  app.prepare();
  return ClusterModel.evaluate(app).flatMap((r: ModelResult) => r.problems.map(formatProblem));
}
