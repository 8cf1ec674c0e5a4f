/** The default app's GitOps example: environments differ only in the values set per environment. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { AddonSpec, ManifestDiff, MlscaleApp, helmAddonOfSource, readChartsOutFolder } from '../../constructs';
import { ENVIRONMENTS } from '../apps/gitops';
import { buildApp } from '../apps/main';
import { PLATFORM_REPOSITORY, platformProfile } from '../apps/platform';
import { packageRoot } from '../../constructs';

/** The Helm add-ons a gitops-argocd.k8s.yaml installs, by catalog entry (matched on repository and chart). */
function helmAddons(text: string): AddonSpec[] {
  const apps = YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d?.kind === 'Application' && d.spec?.source?.helm);
  return apps.map((d) => {
    const src = d.spec.source;
    const entry = helmAddonOfSource(src);
    if (!entry) throw new Error(`${d.metadata.name}: not a catalog add-on (${src.repoURL} ${src.chart ?? ''})`);
    return entry;
  });
}

describe('examples/apps/gitops.ts', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-apps-gitops-')), 'charts-out');
  const app = new MlscaleApp({ outdir: out });
  buildApp(app);
  app.synth();
  const files = readChartsOutFolder(out);

  test('dev and prod differ only in replicas, GPU type, host and the Argo CD names', () => {
    const env = (name: string) => Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith(`environments/${name}/`))
      .map(([f, c]) => [f.replace(`environments/${name}/`, ''), c.replace(new RegExp(`mlscale-${name}`, 'g'), 'mlscale-ENV').replace(new RegExp(`charts-out/environments/${name}`, 'g'), 'charts-out/environments/ENV')]));
    expect(ManifestDiff.between(env('dev'), env('prod')).toText('dev').split('\n')).toEqual([
      // the externals differ only in the host the TLS certificate is for, the flow table in its title
      'charts-out against dev: 0 added, 0 removed, 3 changed, 2 other files changed',
      '~ Deployment team-a/sentiment: replicas 1 → 4',
      '~ Deployment team-a/sentiment: nodeSelector[cloud.google.com/gke-accelerator] nvidia-tesla-t4 → nvidia-l4',
      '~ Deployment team-a/sentiment: nodeSelector[mlscale.io/gpu-class] t4 → l4',
      '~ Job team-a/sentiment-eval: nodeSelector[cloud.google.com/gke-accelerator] nvidia-tesla-t4 → nvidia-l4',
      '~ Job team-a/sentiment-eval: nodeSelector[mlscale.io/gpu-class] t4 → l4',
      '~ Ingress team-a/sentiment: rules[0].host sentiment.dev.ml.acme.example → sentiment.ml.acme.example',
      '~ Ingress team-a/sentiment: tls[0].hosts ["sentiment.dev.ml.acme.example"] → ["sentiment.ml.acme.example"]',
      '* externals.json',
      '* flows.md',
      '',
    ]);
  });

  test('the root app-of-apps manages the platform chart; each environment has its own', () => {
    expect(files['gitops-argocd.k8s.yaml']).toContain('include: platform.k8s.yaml');
    expect(files['environments/prod/gitops-argocd.k8s.yaml']).toContain('path: charts-out/environments/prod');
    expect(files['README.md']).toContain('| [gitops-inference](environments/prod/gitops-inference.k8s.yaml) | Deployment ×1, Ingress ×1, Job ×1, Namespace ×1, NetworkPolicy ×3, Service ×1 | 10 | 5 |');
  });

  test('the committed charts-out of every environment installs only add-ons of its cluster type, and never Argo CD itself', () => {
    const committed = readChartsOutFolder(path.join(packageRoot(), 'charts-out'));
    const envs: Array<[string, 'gke' | 'onprem']> = [['', platformProfile().provider], ...Object.entries(ENVIRONMENTS).map(([n, v]) => [`environments/${n}/`, v.profile.provider] as [string, 'gke' | 'onprem'])];
    const seen: Record<string, string[]> = {};
    for (const [prefix, provider] of envs) {
      const addons = helmAddons(committed[`${prefix}gitops-argocd.k8s.yaml`]);
      seen[`${prefix || '(root)'} ${provider}`] = addons.map((a) => a.name).sort();
      for (const a of addons) expect(`${prefix}: ${a.name} on ${a.clusters.join('/')}`).toBe(`${prefix}: ${a.name} on ${a.clusters.includes(provider) ? a.clusters.join('/') : `NOT ${provider}`}`);
    }
    expect(seen).toEqual({
      '(root) gke': ['argo-workflows', 'dask-kubernetes-operator', 'jupyterhub', 'kubeflow-trainer', 'kueue'],
      'environments/dev/ gke': [],
      'environments/lab/ onprem': ['metrics-server', 'minio', 'nfs-subdir-external-provisioner', 'nvidia-gpu-operator'],
      'environments/prod/ gke': [],
    });
  });

  test('every Application of charts-out syncs the repository of PLATFORM_REPOSITORY at its revision; no placeholder is left', () => {
    const committed = readChartsOutFolder(path.join(packageRoot(), 'charts-out'));
    const apps = Object.entries(committed).filter(([f]) => f.endsWith('.k8s.yaml'))
      .flatMap(([, text]) => YAML.parseAllDocuments(text).map((d) => d.toJS()))
      .filter((d) => d?.kind === 'Application' && ['root', 'chart'].includes(d.metadata.labels['app.kubernetes.io/component']));
    expect(apps.length).toBeGreaterThan(25);
    for (const a of apps) expect([a.metadata.name, a.spec.source.repoURL, a.spec.source.targetRevision]).toEqual([a.metadata.name, PLATFORM_REPOSITORY.url, PLATFORM_REPOSITORY.revision]);
    expect(Object.values(committed).filter((text) => text.includes('acme/ml-platform'))).toEqual([]);
  });
});
