import { RecordedOptions, ofType, one, optionsRecorder, recorded, resolve, settle } from './pulumi-mocks';
import * as pulumi from '@pulumi/pulumi';
import { ADDON_CATALOG, AddonName, DEFAULT_PLATFORM_ADDONS, ManifestAddonName } from '../../constructs/platform/addons';
import { UPSTREAM_PROJECTS } from '../../constructs/upstream/sources';
import { PlatformAddons } from '../../stacks/platform-addons';
import { problemMessages } from '../util';

const RELEASE = 'kubernetes:helm.sh/v3:Release';

describe('PlatformAddons (default set)', () => {
  const opts: RecordedOptions[] = [];
  let addons: PlatformAddons;
  beforeAll(async () => {
    addons = new PlatformAddons('p', {}, { transformations: [optionsRecorder(opts)] });
    await settle();
  });

  test('one Helm release per default add-on', () => {
    expect(ofType(RELEASE, 'p-').map((r) => r.inputs.name).sort()).toEqual([
      'argo-cd', 'argo-workflows', 'dask-kubernetes-operator', 'kubeflow-trainer', 'kueue',
    ]);
  });

  test('chart, version, namespace and values of every release equal the catalog', () => {
    for (const name of DEFAULT_PLATFORM_ADDONS) {
      const spec = ADDON_CATALOG[name]!;
      const r = one(RELEASE, `p-${name}`).inputs;
      expect({ version: r.version, namespace: r.namespace, values: r.values ?? {} })
        .toEqual({ version: spec.version, namespace: spec.namespace, values: spec.values });
    }
  });

  test('pinned charts: Helm repositories and OCI registries', () => {
    expect(one(RELEASE, 'p-argo-cd').inputs).toMatchObject({ chart: 'argo-cd', version: '10.3.3', repositoryOpts: { repo: 'https://argoproj.github.io/argo-helm' } });
    expect(one(RELEASE, 'p-argo-workflows').inputs).toMatchObject({ chart: 'argo-workflows', version: '2.0.1', values: { images: { tag: 'v4.1.2' } } });
    expect(one(RELEASE, 'p-kueue').inputs).toMatchObject({ chart: 'oci://registry.k8s.io/kueue/charts/kueue', version: '0.19.2' });
    expect(one(RELEASE, 'p-kueue').inputs.repositoryOpts).toBeUndefined();
    expect(one(RELEASE, 'p-kubeflow-trainer').inputs).toMatchObject({ chart: 'oci://ghcr.io/kubeflow/charts/kubeflow-trainer', version: '2.3.0' });
    expect(one(RELEASE, 'p-dask-kubernetes-operator').inputs.repositoryOpts).toEqual({ repo: 'https://helm.dask.org' });
    expect(one(RELEASE, 'p-dask-kubernetes-operator').inputs).toMatchObject({ chart: 'dask-kubernetes-operator', version: '2025.4.3' });
  });

  test('installed wave by wave: Kueue after Argo CD, the operators after Kueue', () => {
    const deps = (name: string) => ((opts.find((o) => o.name === `p-${name}`)!.opts.dependsOn ?? []) as pulumi.Resource[]);
    expect(deps('argo-cd')).toEqual([]);
    expect(deps('kueue')).toEqual([addons.releases['argo-cd']]);
    expect(deps('argo-workflows')).toEqual([addons.releases.kueue]);
    expect(deps('kubeflow-trainer')).toEqual([addons.releases.kueue]);
  });

  test('chart versions output and parenting', async () => {
    expect(await resolve(addons.chartVersions)).toMatchObject({ 'kueue': '0.19.2', 'argo-cd': '10.3.3' });
    expect(await resolve(addons.releases.kueue!.urn)).toContain('mlscale:addons:PlatformAddons$kubernetes:helm.sh/v3:Release::p-kueue');
  });
});

describe('PlatformAddons options', () => {
  test('explicit add-ons and the kustomize-only Training Operator v1', async () => {
    const a = new PlatformAddons('x', { addons: ['jupyterhub'], trainingOperatorV1: true });
    await settle();
    expect(ofType(RELEASE, 'x-').map((r) => r.name)).toEqual(['x-jupyterhub']);
    expect(one('kubernetes:kustomize/v2:Directory', 'x-kubeflow-training-operator').inputs.directory)
      .toBe('https://github.com/kubeflow/trainer/tree/v1.9.4/manifests/overlays/standalone');
    expect(a.resources).toHaveLength(3);
  });

  test('manifest add-ons: the Dask Gateway CRDs applied from their pinned upstream URLs, nothing else', async () => {
    const a = new PlatformAddons('m', { addons: [] });
    await settle();
    const commit = UPSTREAM_PROJECTS['dask-gateway'].commit;
    expect(one('kubernetes:yaml/v2:ConfigGroup', 'm-dask-gateway-crds').inputs.files).toEqual([
      `https://raw.githubusercontent.com/dask/dask-gateway/${commit}/resources/helm/dask-gateway/crds/daskclusters.yaml`,
      `https://raw.githubusercontent.com/dask/dask-gateway/${commit}/resources/helm/dask-gateway/crds/traefik.yaml`,
    ]);
    expect(a.resources).toEqual([a.manifests['dask-gateway-crds']]);
    const none = new PlatformAddons('n', { addons: [], manifestAddons: [] });
    await settle();
    expect(none.resources).toEqual([]);
    expect(problemMessages(() => new PlatformAddons('bad-m', { manifestAddons: ['traefik' as ManifestAddonName, 'katib'] }))).toEqual([
      'PlatformAddons bad-m: manifestAddons[0] is not a manifest add-on; got "traefik", expected one of dask-gateway-crds, katib, kubeflow-notebook-controller, kubeflow-training-operator',
      // its kustomize patches (restricted KatibConfig) are applied by the Argo CD Application only
      'PlatformAddons bad-m: manifestAddons[1] is a kustomize add-on that Argo CD installs with mlscale\'s patches (GitOpsApplication); got "katib", expected one of dask-gateway-crds',
    ]);
  });

  test('unknown add-ons, the chartless Training Operator and duplicates are rejected before anything is declared', () => {
    const before = recorded.length;
    expect(problemMessages(() => new PlatformAddons('bad', { addons: ['kueue', 'kubeflow-training-operator', 'spark' as AddonName, 'kueue'] }))).toEqual([
      'PlatformAddons bad: addons[1] has no Helm chart (the Training Operator v1 is kustomize only); got "kubeflow-training-operator", expected trainingOperatorV1: true instead',
      'PlatformAddons bad: addons[2] is not an add-on of the catalog; got "spark", expected one of argo-cd, argo-workflows, cluster-autoscaler, '
      + 'dask-kubernetes-operator, jupyterhub, kubeflow-trainer, kueue, metrics-server, minio, nfs-subdir-external-provisioner, nvidia-gpu-operator',
      'PlatformAddons bad: addons lists an add-on twice; got "kueue", expected each add-on at most once',
    ]);
    expect(recorded.length).toBe(before);
  });
});
