/** The default app's GitOps example: environments differ only in the values set per environment. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManifestDiff, MlscaleApp, readChartsOutFolder } from '../../constructs';
import { buildApp } from '../../apps/main';

describe('apps/gitops.ts', () => {
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
});
