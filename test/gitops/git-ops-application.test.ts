import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { AddonName, AddonSpec, ClusterProfile, ContainerJob, GitOpsApplication, GuardRails, MlscaleApp, SchemaValidator, UPSTREAM_PROJECTS, k8s, LocalQueueRef, SecretRef } from '../../constructs';
import { problemMessages } from '../util';

/** A catalog fixture (the real catalog is filled by another issue). */
const CATALOG: Partial<Record<AddonName, AddonSpec>> = {
  'metrics-server': {
    name: 'metrics-server', repository: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.12.2',
    appVersion: '0.7.2', namespace: 'kube-system', values: {}, syncWave: -1, installsCrds: false, clusters: ['onprem'],
  },
  'kueue': {
    name: 'kueue', repository: 'oci://registry.k8s.io/kueue/charts', chart: 'kueue', version: '0.14.1',
    appVersion: 'v0.14.1', namespace: 'kueue-system', values: { controllerManager: { replicas: 2 } }, syncWave: -3, installsCrds: true, clusters: ['gke', 'onprem'],
  },
};

function tmpOut(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-gitops-')), 'charts-out');
}

function readDocs(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJS());
}

/** An app with a foundation chart (namespace) and a workload chart (a queued job), synthesized. */
function synthApp(props: Partial<ConstructorParameters<typeof GitOpsApplication>[2]> = {}) {
  const out = tmpOut();
  const app = new MlscaleApp({ outdir: out });
  // on-prem with kubelet certificates signed: metrics-server is infrastructure, with the catalog's values
  ClusterProfile.use(app, ClusterProfile.onPrem({ infrastructure: { metricsServer: 'signed-kubelet-certs' } }));
  // the fixture's queue and team-b namespace are made up: the cluster model would (rightly) reject them
  const gitops = new GitOpsApplication(app, 'gitops-argocd', { repoURL: 'https://git.example.com/ml/platform.git', catalog: CATALOG, addons: ['kueue'], clusterModel: false, ...props });
  const teams = new Chart(app, 'teams');
  new k8s.KubeNamespace(teams, 'team-a', { metadata: { name: 'team-a' } });
  const training = new Chart(app, 'training');
  new ContainerJob(training, 'train', { namespace: 'team-a', container: { image: 'python:3.12-slim' }, queue: LocalQueueRef.fromName('team-a', 'team-a') });
  new ContainerJob(training, 'etl', { namespace: 'team-b', container: { image: 'python:3.12-slim' } });
  new Chart(app, 'empty');
  app.synth();
  const docs = readDocs(path.join(out, 'gitops-argocd.k8s.yaml'));
  const rootDocs = readDocs(path.join(out, 'gitops-argocd-root.k8s.yaml'));
  const byName = Object.fromEntries([...rootDocs, ...docs].map((d) => [`${d.kind}/${d.metadata.name}`, d]));
  return { out, app, gitops, docs, rootDocs, byName };
}

describe('GitOpsApplication: manifest add-ons (upstream folders by reference)', () => {
  function withRoute(props: Partial<ConstructorParameters<typeof GitOpsApplication>[2]> = {}) {
    const out = tmpOut();
    const app = new MlscaleApp({ outdir: out });
    new GitOpsApplication(app, 'gitops-argocd', { repoURL: 'https://git.example.com/ml/platform.git', catalog: CATALOG, clusterModel: false, ...props });
    // a Traefik IngressRoute, as a DaskGateway's proxy has: its kind is served by the dask-gateway CRDs
    new ApiObject(new Chart(app, 'proxy'), 'route', { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'r', namespace: 'dask-gateway' }, spec: { routes: [] } });
    app.synth();
    return Object.fromEntries(readDocs(path.join(out, 'gitops-argocd.k8s.yaml')).map((d) => [`${d.kind}/${d.metadata.name}`, d]));
  }

  test('an app whose charts use the gateway\'s CRD kinds gets the dask-gateway-crds Application at the pinned commit', () => {
    const byName = withRoute();
    const crds = byName['Application/mlscale-addon-dask-gateway-crds'];
    expect(crds.spec).toEqual({
      project: 'mlscale-addons',
      source: {
        repoURL: 'https://github.com/dask/dask-gateway.git', targetRevision: UPSTREAM_PROJECTS['dask-gateway'].commit,
        path: 'resources/helm/dask-gateway/crds', directory: { include: '{daskclusters.yaml,traefik.yaml}' },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'dask-gateway' },
      syncPolicy: expect.objectContaining({ syncOptions: ['ServerSideApply=true'] }),
    });
    // before the chart that uses the kinds; the add-ons project admits the repository and namespace
    const wave = (k: string) => Number(byName[k].metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('Application/mlscale-addon-dask-gateway-crds')).toBeLessThan(wave('Application/mlscale-proxy'));
    expect(byName['AppProject/mlscale-addons'].spec.sourceRepos).toContain('https://github.com/dask/dask-gateway.git');
    expect(byName['AppProject/mlscale-addons'].spec.destinations).toContainEqual({ server: 'https://kubernetes.default.svc', namespace: 'dask-gateway' });
    expect(wave('AppProject/mlscale-addons')).toBeLessThan(wave('Application/mlscale-addon-dask-gateway-crds'));
  });

  test('an app without those kinds gets none; an explicit empty list installs none', () => {
    expect(Object.keys(synthApp().byName).filter((k) => k.includes('dask-gateway-crds'))).toEqual([]);
    expect(Object.keys(withRoute({ manifestAddons: [] })).filter((k) => k.includes('dask-gateway-crds'))).toEqual([]);
  });
});

describe('GitOpsApplication', () => {
  const { docs, rootDocs, byName, gitops } = synthApp();

  test('synthesized documents', () => {
    expect([...rootDocs, ...docs]).toMatchSnapshot();
  });

  test('the root Application is alone in its own file, which no Application syncs (one owner: the bootstrap)', () => {
    expect(rootDocs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Application/mlscale']);
    expect(docs.some((d) => d.kind === 'Application' && d.metadata.name === 'mlscale')).toBe(false);
    const includes = docs.filter((d) => d.kind === 'Application').map((d) => d.spec.source.directory?.include).filter((x) => x !== undefined);
    expect(includes.length).toBeGreaterThan(0);
    expect(includes).not.toContain('gitops-argocd-root.k8s.yaml');
    expect(rootDocs[0].spec.source.directory.include).toBe('gitops-argocd.k8s.yaml');
  });

  test('every document is valid against the pinned Argo CD v3.5.1 CRDs', () => {
    const validator = new SchemaValidator();
    for (const d of docs) expect(validator.validate(d).violations).toEqual([]);
  });

  test('the root app-of-apps syncs this chart file from the platform repo, in the default project', () => {
    const root = byName['Application/mlscale'];
    expect(root.spec).toMatchObject({
      project: 'default',
      source: { repoURL: 'https://git.example.com/ml/platform.git', targetRevision: 'main', path: 'charts-out', directory: { include: 'gitops-argocd.k8s.yaml' } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    // deleting the root (the bootstrap's teardown) deletes its child Applications; add-on Applications have no
    // finalizer, so their CRDs (and every object of their kinds) survive the removal of an Application
    expect(root.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(docs.filter((d) => d.metadata.labels['app.kubernetes.io/component'] === 'addon').map((d) => d.metadata.finalizers)).toEqual([undefined, undefined]);
  });

  test('one Application per non-empty chart, including only its file, with cascade delete', () => {
    expect(docs.filter((d) => d.metadata.labels['app.kubernetes.io/component'] === 'chart').map((d) => d.metadata.name)).toEqual(['mlscale-teams', 'mlscale-training']);
    const training = byName['Application/mlscale-training'];
    expect(training.spec.source).toEqual({ repoURL: 'https://git.example.com/ml/platform.git', targetRevision: 'main', path: 'charts-out', directory: { include: 'training.k8s.yaml' } });
    expect(training.spec.project).toBe('mlscale');
    expect(training.spec.destination).toEqual({ server: 'https://kubernetes.default.svc' });
    expect(byName['Application/mlscale-teams'].spec.destination).toEqual({ server: 'https://kubernetes.default.svc' });
    expect(training.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(training.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(gitops.chartApplications).toHaveLength(2);
  });

  test('sync waves: projects, then add-ons in catalog order, then foundation charts, then workloads', () => {
    const wave = (key: string) => Number(byName[key].metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('AppProject/mlscale')).toBe(-4);
    expect(wave('AppProject/mlscale-addons')).toBe(-4);
    expect(wave('Application/mlscale-addon-kueue')).toBe(-3);
    expect(wave('Application/mlscale-addon-metrics-server')).toBe(-1);
    expect(wave('Application/mlscale-teams')).toBe(1);
    expect(wave('Application/mlscale-training')).toBe(2);
  });

  test('add-ons are Helm-source Applications with pinned versions (OCI and https repositories)', () => {
    expect(byName['Application/mlscale-addon-kueue'].spec).toMatchObject({
      project: 'mlscale-addons',
      source: { repoURL: 'oci://registry.k8s.io/kueue/charts/kueue', path: '.', targetRevision: '0.14.1', helm: { releaseName: 'kueue', valuesObject: { controllerManager: { replicas: 2 } } } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'kueue-system' },
      syncPolicy: { syncOptions: ['ServerSideApply=true', 'CreateNamespace=true'] },
    });
    expect(byName['Application/mlscale-addon-metrics-server'].spec.source).toEqual({
      repoURL: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', targetRevision: '3.12.2', helm: { releaseName: 'metrics-server' },
    });
    expect(byName['Application/mlscale-addon-kueue'].metadata.finalizers).toBeUndefined();
  });

  test('projects restrict sources, destinations and cluster resources to what is used', () => {
    expect(byName['AppProject/mlscale'].spec).toMatchObject({
      sourceRepos: ['https://git.example.com/ml/platform.git'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a' }, { server: 'https://kubernetes.default.svc', namespace: 'team-b' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    });
    expect(byName['AppProject/mlscale-addons'].spec).toMatchObject({
      sourceRepos: ['https://kubernetes-sigs.github.io/metrics-server/', 'oci://registry.k8s.io/kueue/charts/kueue'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'kube-system' }, { server: 'https://kubernetes.default.svc', namespace: 'kueue-system' }],
    });
  });

  test('queued jobs: the suspend flag Kueue flips is ignored, so self-heal does not fight Kueue', () => {
    expect(byName['Application/mlscale-training'].spec.ignoreDifferences).toEqual([{ group: 'batch', kind: 'Job', jsonPointers: ['/spec/suspend'] }]);
    expect(byName['Application/mlscale-teams'].spec.ignoreDifferences).toBeUndefined();
  });

  test('options: manual sync, no prune, a chart wave override, another revision, path and cluster', () => {
    const { byName: b } = synthApp({ autoSync: false, chartWaves: { training: 7 }, targetRevision: 'v1.2.0', chartsOutPath: 'deploy/charts-out/', destinationServer: 'https://10.0.0.1' });
    expect(b['Application/mlscale-training'].spec.syncPolicy.automated).toBeUndefined();
    expect(b['Application/mlscale-training'].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('7');
    expect(b['Application/mlscale-training'].spec.source).toMatchObject({ targetRevision: 'v1.2.0', path: 'deploy/charts-out' });
    expect(b['Application/mlscale-training'].spec.destination.server).toBe('https://10.0.0.1');
    expect(b['Application/mlscale'].spec.destination.server).toBe('https://kubernetes.default.svc');
    const { byName: c } = synthApp({ autoSync: { prune: false } });
    expect(c['Application/mlscale-teams'].spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
  });

  test('an environment app points at its own folder, with its own names', () => {
    const out = tmpOut();
    const app = new MlscaleApp({ outdir: out });
    const prod = app.addEnvironment('prod');
    new GitOpsApplication(prod, 'gitops-argocd', { repoURL: 'git@example.com:ml/platform.git', catalog: {}, clusterModel: false });
    new ApiObject(new Chart(prod, 'web'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'team-a' } });
    app.synth();
    const docs = readDocs(path.join(out, 'environments', 'prod', 'gitops-argocd.k8s.yaml'));
    const [root] = readDocs(path.join(out, 'environments', 'prod', 'gitops-argocd-root.k8s.yaml'));
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['AppProject/mlscale-prod', 'AppProject/mlscale-prod-addons', 'Application/mlscale-prod-web']);
    expect(root.metadata.name).toBe('mlscale-prod');
    expect(root.spec.source.path).toBe('charts-out/environments/prod');
    expect(docs[2].spec).toMatchObject({ project: 'mlscale-prod', source: { path: 'charts-out/environments/prod', directory: { include: 'web.k8s.yaml' } }, destination: { namespace: 'team-a' } });
  });

  test('every bad input is reported at once', () => {
    expect(problemMessages(() => new GitOpsApplication(new MlscaleApp({ outdir: tmpOut() }), 'gitops', {
      repoURL: 'github.com/acme/platform',
      targetRevision: 'my branch',
      chartsOutPath: '../charts-out',
      name: 'Platform',
      argoNamespace: 'argo_cd',
      destinationServer: 'http://10.0.0.1',
      chartWaves: { training: 1.5 },
      catalog: { kueue: { ...CATALOG.kueue!, version: '^0.14.0', repository: 'registry.k8s.io/kueue/charts', syncWave: 0.5 } },
    }))).toEqual([
      'gitops: repoURL is not a git URL; got "github.com/acme/platform", expected https://…, ssh://… or git@host:org/repo.git',
      'gitops: targetRevision is not a git revision; got "my branch", expected a branch, tag or commit without spaces',
      'gitops: chartsOutPath is not a relative folder of the repository; got "../charts-out", expected a path such as "charts-out" (no leading "/", no "." or ".." segments)',
      'gitops: name is not a valid Kubernetes name; got "Platform", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'gitops: argoNamespace is not a valid Kubernetes name; got "argo_cd", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'gitops: destinationServer is not a cluster API URL; got "http://10.0.0.1", expected https://… as registered in Argo CD',
      'gitops: chartWaves.training is not a sync wave; got 1.5, expected an integer',
      'gitops: catalog.kueue.version is not a pinned chart version; got "^0.14.0", expected an exact SemVer version such as "1.2.3" (no range)',
      'gitops: catalog.kueue.repository is not a Helm repository URL; got "registry.k8s.io/kueue/charts", expected https://… or oci://…',
      'gitops: catalog.kueue.syncWave is not a sync wave; got 0.5, expected an integer',
    ]);
  });

  test('outside an MlscaleApp it cannot create its chart Applications', () => {
    expect(problemMessages(() => new GitOpsApplication(Testing.app(), 'gitops', { repoURL: 'https://git.example.com/p.git', catalog: {} }))).toEqual([
      'gitops: scope is not in an MlscaleApp; got "App", expected a GitOpsApplication created in an MlscaleApp (or one of its environments), which synthesizes its chart Applications',
    ]);
  });
});

describe('GitOpsApplication: the add-ons an environment gets', () => {
  /** Synthesizes an app of `profile` with one chart of `docs`; returns the add-on Application names, or the problems. */
  function addonsOf(profile: ClusterProfile, docs: Array<Record<string, unknown>>, props: Partial<ConstructorParameters<typeof GitOpsApplication>[2]> = {}) {
    const out = tmpOut();
    const app = new MlscaleApp({ outdir: out });
    ClusterProfile.use(app, profile);
    new GitOpsApplication(app, 'gitops-argocd', { repoURL: 'https://git.example.com/ml/platform.git', clusterModel: false, ...props });
    const chart = new Chart(app, 'work');
    docs.forEach((d, i) => new ApiObject(chart, `d${i}`, d as any));
    app.synth();
    const apps = readDocs(path.join(out, 'gitops-argocd.k8s.yaml')).filter((d) => d.kind === 'Application' && d.metadata.labels['app.kubernetes.io/component'] === 'addon');
    return Object.fromEntries(apps.map((d) => [d.metadata.name.replace('mlscale-addon-', ''), d]));
  }
  const workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w', namespace: 'team-a' }, spec: { entrypoint: 'main', templates: [] } };
  const gpus = [{ name: 't4', type: 'nvidia-tesla-t4' as const, gpusPerNode: 1, maxNodes: 2 }];

  test('GKE: only the operators of the kinds used, never an on-prem add-on and never Argo CD itself', () => {
    expect(Object.keys(addonsOf(ClusterProfile.gke({ gpuClasses: gpus }), [workflow]))).toEqual(['argo-workflows']);
    expect(Object.keys(addonsOf(ClusterProfile.gke(), []))).toEqual([]);
  });

  test('on-prem: the infrastructure of the profile, with the values it implies', () => {
    const got = addonsOf(ClusterProfile.onPrem({
      gpuClasses: gpus,
      infrastructure: { nfs: { server: '10.0.0.5', path: '/srv/nfs' }, minio: { rootCredentialsSecret: SecretRef.fromName('minio-root') }, clusterApi: { clusterName: 'lab', namespace: 'capi' } },
    }), [workflow]);
    expect(Object.keys(got).sort()).toEqual(['argo-workflows', 'cluster-autoscaler', 'metrics-server', 'minio', 'nfs-subdir-external-provisioner', 'nvidia-gpu-operator']);
    const values = (n: string) => got[n].spec.source.helm.valuesObject;
    // kubespray's kubelets serve self-signed certificates: metrics-server is told so, its default args are kept
    expect(values('metrics-server').args).toEqual(['--kubelet-insecure-tls']);
    expect(values('metrics-server').defaultArgs).toBeUndefined();
    // no MinIO user but root (the chart's default `users` has console/console123), root from the Secret
    expect(values('minio')).toMatchObject({ users: [], existingSecret: 'minio-root' });
    expect(values('nfs-subdir-external-provisioner').nfs).toEqual({ server: '10.0.0.5', path: '/srv/nfs' });
    expect(values('nvidia-gpu-operator')).toMatchObject({ driver: { enabled: true }, toolkit: { enabled: true } });
    expect(values('cluster-autoscaler')).toMatchObject({ cloudProvider: 'clusterapi', autoDiscovery: { clusterName: 'lab', namespace: 'capi' } });
    // no Cluster API: no autoscaler; drivers on the hosts: the operator without driver and toolkit; metrics-server provided by kubespray
    const bare = addonsOf(ClusterProfile.onPrem({ gpuClasses: gpus, infrastructure: { gpuSoftware: 'host-drivers', metricsServer: 'provided' } }), []);
    expect(Object.keys(bare)).toEqual(['nvidia-gpu-operator']);
    expect(bare['nvidia-gpu-operator'].spec.source.helm.valuesObject).toMatchObject({ driver: { enabled: false }, toolkit: { enabled: false } });
  });

  test('a wrong pick fails synth, naming the add-on, why and what is allowed', () => {
    const msgs = problemMessages(() => addonsOf(ClusterProfile.gke(), [], { addons: ['nvidia-gpu-operator', 'argo-cd', 'minio', 'spark' as AddonName] }));
    expect(msgs).toEqual([
      'gitops-argocd: addons[1] is the Argo CD that syncs these Applications: it is bootstrapped (stacks/ GitOpsBootstrap or `helm install`), not an Application of itself (two owners); got "argo-cd", expected any other add-on',
      'gitops-argocd: addons[3] is not an entry of the catalog; got "spark", expected one of argo-cd, argo-workflows, cluster-autoscaler, dask-kubernetes-operator, '
      + 'jupyterhub, kubeflow-trainer, kueue, metrics-server, minio, nfs-subdir-external-provisioner, nvidia-gpu-operator',
      'gitops-argocd: addons.nvidia-gpu-operator does not belong on a GKE cluster (GKE installs the GPU driver on its GPU nodes (gpuDriverInstallationConfig); the operator\'s driver daemon set would conflict with it); got "nvidia-gpu-operator", expected add-ons for gke: argo-workflows, dask-kubernetes-operator, jupyterhub, kubeflow-trainer, kueue',
      'gitops-argocd: addons.minio does not belong on a GKE cluster (GKE stores objects in GCS (the stack\'s artifact bucket)); got "minio", expected add-ons for gke: argo-workflows, dask-kubernetes-operator, jupyterhub, kubeflow-trainer, kueue',
    ]);
    expect(() => ClusterProfile.gke({ infrastructure: { metricsServer: 'provided' } })).toThrow(/infrastructure is for on-prem clusters/);
  });

  test('the wrong pick is reported as such even when another synth hook serializes the charts first (GuardRails)', () => {
    const app = new MlscaleApp({ outdir: tmpOut() });
    GuardRails.enable(app);
    new GitOpsApplication(app, 'gitops-argocd', { repoURL: 'https://git.example.com/ml/platform.git', clusterModel: false, addons: ['minio'] });
    expect(problemMessages(() => app.synth())).toEqual([
      'gitops-argocd: addons.minio does not belong on a GKE cluster (GKE stores objects in GCS (the stack\'s artifact bucket)); got "minio", expected add-ons for gke: argo-workflows, dask-kubernetes-operator, jupyterhub, kubeflow-trainer, kueue',
    ]);
  });
});

describe('GitOpsApplication: workloads the cluster will not edit are replaced when git changes them', () => {
  test('Jobs, PyTorchJobs, TFJobs, TrainJobs and Experiments get Force=true,Replace=true; a Deployment and a set option do not change', () => {
    const out = tmpOut();
    const app = new MlscaleApp({ outdir: out });
    new GitOpsApplication(app, 'gitops-argocd', { repoURL: 'https://git.example.com/ml/platform.git', catalog: CATALOG, clusterModel: false });
    const chart = new Chart(app, 'work');
    new ContainerJob(chart, 'train', { namespace: 'team-a', container: { image: 'python:3.12-slim' } });
    for (const [apiVersion, kind] of [['kubeflow.org/v1', 'PyTorchJob'], ['kubeflow.org/v1', 'TFJob'], ['trainer.kubeflow.org/v1alpha1', 'TrainJob'], ['kubeflow.org/v1beta1', 'Experiment']]) {
      new ApiObject(chart, kind, { apiVersion, kind, metadata: { name: kind.toLowerCase(), namespace: 'team-a' }, spec: {} });
    }
    new ApiObject(chart, 'kept', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'kept', namespace: 'team-a', annotations: { 'argocd.argoproj.io/sync-options': 'Replace=true' } }, spec: {} });
    new k8s.KubeDeployment(chart, 'server', { metadata: { name: 'server', namespace: 'team-a' }, spec: { selector: {}, template: {} } });
    app.synth();
    const options = Object.fromEntries(readDocs(path.join(out, 'work.k8s.yaml')).map((d) => [`${d.kind}/${d.metadata.name}`, d.metadata.annotations?.['argocd.argoproj.io/sync-options']]));
    expect(options).toEqual({
      'Job/train': 'Force=true,Replace=true', 'PyTorchJob/pytorchjob': 'Force=true,Replace=true', 'TFJob/tfjob': 'Force=true,Replace=true',
      'TrainJob/trainjob': 'Force=true,Replace=true', 'Experiment/experiment': 'Force=true,Replace=true', 'Job/kept': 'Replace=true', 'Deployment/server': undefined,
    });
  });

  test('without a GitOpsApplication nothing is annotated', () => {
    const chart = Testing.chart();
    new ContainerJob(chart, 'train', { namespace: 'team-a', container: { image: 'python:3.12-slim' } });
    expect(Testing.synth(chart)[0].metadata.annotations).toBeUndefined();
  });
});
