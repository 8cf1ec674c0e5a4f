import { checkPodSecurity } from '../../constructs/cluster/pod-security';
import { ADDON_CATALOG, AddonName, KUBEFLOW_TRAINING_OPERATOR_V1, addonsInInstallOrder, mergeValues, withAddonValues } from '../../constructs/platform/addons';
import { isDnsLabel } from '../../constructs/core/names';
import { UPSTREAM_PROJECTS } from '../../constructs/upstream/sources';

/** The operator versions pinned in constructs/upstream/sources.ts, by project name. */
function sourcesVersions(): Record<string, string> {
  return Object.fromEntries(Object.values(UPSTREAM_PROJECTS).map((p) => [p.name, p.version]));
}

describe('the add-on catalog', () => {
  const sources = sourcesVersions();
  const pinned: Array<[AddonName, string]> = [
    ['argo-workflows', 'Argo Workflows'],
    ['kubeflow-trainer', 'Kubeflow Trainer v2'],
    ['dask-kubernetes-operator', 'Dask Kubernetes operator'],
    ['kueue', 'Kueue'],
    ['argo-cd', 'Argo CD'],
  ];

  test.each(pinned)('%s installs the version sources.ts pins (%s)', (name, project) => {
    expect(sources[project]).toBeDefined();
    expect(ADDON_CATALOG[name]!.appVersion.replace(/^v/, '')).toBe(sources[project].replace(/^v/, ''));
  });

  test('the Training Operator v1 (kustomize only) is pinned to the sources.ts tag', () => {
    expect(KUBEFLOW_TRAINING_OPERATOR_V1.appVersion).toBe(sources['Kubeflow Training Operator v1']);
    expect(KUBEFLOW_TRAINING_OPERATOR_V1.kustomization).toContain(`/tree/${sources['Kubeflow Training Operator v1']}/`);
    expect(ADDON_CATALOG['kubeflow-training-operator']).toBeUndefined();
  });

  test('every entry: exact version, https or oci repository, DNS-label namespace, name = key', () => {
    for (const [key, spec] of Object.entries(ADDON_CATALOG)) {
      expect(spec!.name).toBe(key);
      expect(spec!.version).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(spec!.repository).toMatch(/^(https|oci):\/\//);
      expect(isDnsLabel(spec!.namespace)).toBe(true);
    }
  });

  test('no secret values in the catalog values', () => {
    expect(JSON.stringify(Object.values(ADDON_CATALOG).map((s) => s!.values))).not.toMatch(/password|secretKey|token/i);
  });

  test('install order: sync waves, CRD-installing operators before UIs', () => {
    expect(addonsInInstallOrder().map((s) => s.name)).toEqual([
      'argo-cd', 'cluster-autoscaler', 'metrics-server', 'minio', 'nfs-subdir-external-provisioner', 'nvidia-gpu-operator',
      'kueue', 'argo-workflows', 'dask-kubernetes-operator', 'kubeflow-trainer', 'jupyterhub',
    ]);
  });
});

describe('argo-cd add-on', () => {
  test('carries the Application health check, so app-of-apps sync waves gate on child health', () => {
    const cm = (ADDON_CATALOG['argo-cd']!.values as { configs: { cm: Record<string, string> } }).configs.cm;
    const lua = cm['resource.customizations.health.argoproj.io_Application'];
    // Argo CD health scripts return a table with status (Healthy, Progressing, Degraded, ...) and message
    expect(lua).toContain('verdict.status = reported.status');
    expect(lua).toContain('local reported = obj.status and obj.status.health');
    expect(lua.trim().split('\n').pop()).toBe('return verdict');
  });
});

describe('app-computed add-on values', () => {
  test('mergeValues merges objects deeply; arrays and scalars of the override replace', () => {
    expect(mergeValues({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3], e: true }, d: 'y' }))
      .toEqual({ a: { b: 1, c: [3], e: true }, d: 'y' });
  });

  test('withAddonValues keeps chart and version, merges values, leaves the catalog untouched', () => {
    const merged = withAddonValues(ADDON_CATALOG, 'jupyterhub', { hub: { config: { x: 1 } } });
    expect(merged.jupyterhub).toMatchObject({ chart: 'jupyterhub', version: ADDON_CATALOG.jupyterhub!.version });
    expect(merged.jupyterhub!.values).toMatchObject({ hub: { networkPolicy: { enabled: true }, config: { x: 1 } } });
    expect((ADDON_CATALOG.jupyterhub!.values as { hub: Record<string, unknown> }).hub.config).toBeUndefined();
    expect(() => withAddonValues({}, 'jupyterhub', {})).toThrow('add-on "jupyterhub" is not in the catalog');
  });
});

describe('minio add-on', () => {
  test('its pods, as minio chart 5.4.0 renders them from these values, meet Pod Security restricted v1.32; no default user', () => {
    const v = ADDON_CATALOG.minio!.values as { securityContext: Record<string, unknown>; containerSecurityContext: Record<string, unknown>; users: unknown[] };
    // templates/statefulset.yaml and deployment.yaml: the pod context is `securityContext` without `enabled`, the container's `containerSecurityContext`
    const { enabled, ...podContext } = v.securityContext;
    expect(enabled).toBe(true);
    const pod = { spec: { securityContext: podContext, containers: [{ name: 'minio', image: 'quay.io/minio/minio', securityContext: v.containerSecurityContext }] } };
    expect(checkPodSecurity('restricted', pod, 'v1.32')).toEqual([]);
    // the chart's own contexts (runAsUser/runAsGroup/fsGroup only) do not
    const chartDefault = { spec: { securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 }, containers: [{ name: 'minio', image: 'quay.io/minio/minio', securityContext: { readOnlyRootFilesystem: false } }] } };
    expect(checkPodSecurity('restricted', chartDefault, 'v1.32').map((x) => x.check).sort()).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
    // the chart's default `users` (console/console123) would run a post-install Job with no security context
    expect(v.users).toEqual([]);
  });
});

