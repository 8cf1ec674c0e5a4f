import { ADDON_CATALOG, DASK_GATEWAY_VERSION, MANIFEST_ADDONS, UPSTREAM_PROJECTS, kindEntry, manifestAddonUrls } from '../../constructs';

describe('the dask-gateway-crds manifest add-on (CRDs by reference)', () => {
  const addon = MANIFEST_ADDONS['dask-gateway-crds'];

  test('points at the upstream chart\'s crds/ folder at the pinned dask-gateway commit', () => {
    expect(addon.project).toBe('dask-gateway');
    expect(addon.path).toBe('resources/helm/dask-gateway/crds');
    expect(UPSTREAM_PROJECTS['dask-gateway']).toMatchObject({ repo: 'dask/dask-gateway', version: DASK_GATEWAY_VERSION });
    expect(addon.appVersion).toBe(DASK_GATEWAY_VERSION);
  });

  test('Pulumi applies exactly the pinned files, by URL at the commit', () => {
    const commit = UPSTREAM_PROJECTS['dask-gateway'].commit;
    expect(manifestAddonUrls(addon)).toEqual([
      `https://raw.githubusercontent.com/dask/dask-gateway/${commit}/resources/helm/dask-gateway/crds/daskclusters.yaml`,
      `https://raw.githubusercontent.com/dask/dask-gateway/${commit}/resources/helm/dask-gateway/crds/traefik.yaml`,
    ]);
  });

  test('the kinds the gateway uses are served by those CRDs (per the generated index)', () => {
    for (const [apiVersion, kind] of [['gateway.dask.org/v1alpha1', 'DaskCluster'], ['traefik.io/v1alpha1', 'IngressRoute'], ['traefik.io/v1alpha1', 'Middleware']]) {
      expect(kindEntry(apiVersion, kind)).toMatchObject({ source: 'dask-gateway', scope: 'Namespaced' });
    }
  });

  test('the gateway is not also a Helm add-on', () => {
    expect(Object.keys(ADDON_CATALOG)).not.toContain('dask-gateway');
  });
});
