/**
 * The cluster model, part 3: references and identity. Each failure the issue lists, reproduced by
 * a small app; then the declared-external path and the report of what to provide.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { SecretRef,
  ClusterModel, ClusterProfile, DaskCluster, Externals, GitOpsApplication, JupyterHubValues, MlscaleApp, KubeflowNotebook, ObjectStore, Pipeline, PipelineStep, SharedVolume, TensorBoard, packageRoot,
} from '../../constructs';
import { problemMessages } from '../util';
import { modelApp, modelMessages, restrictedNamespace } from './model-fixtures';

const heads = (messages: string[]) => messages.map((m) => m.split('; got ')[0]);
const job = (scope: any, id: string, spec: Record<string, unknown>, namespace = 'team-a') => new ApiObject(scope, id, {
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: id, namespace },
  spec: {
    template: {
      spec: {
        restartPolicy: 'Never', securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'main', image: 'python:3.12-slim', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
        ...spec,
      },
    },
  },
});

describe('claims', () => {
  test('the team-a-shared claim mounted by a pipeline step and a Kubeflow notebook, but never created', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    restrictedNamespace(c, 'team-a');
    new Pipeline(c, 'nightly', {
      namespace: 'team-a',
      // a mount written by hand (not from a SharedVolume): the model still finds the claim nobody creates
      steps: [PipelineStep.container('train', { image: 'python:3.12-slim', mounts: [{ volume: { name: 'team-a-shared', persistentVolumeClaim: { claimName: 'team-a-shared' } }, volumeMount: { name: 'team-a-shared', mountPath: '/mnt/shared' } }] })],
    });
    new KubeflowNotebook(c, 'rapids', { namespace: 'team-a', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', mounts: [{ volume: { name: 'team-a-shared', persistentVolumeClaim: { claimName: 'team-a-shared' } }, volumeMount: { name: 'team-a-shared', mountPath: '/home/jovyan/shared' } }] });
    const found = heads(modelMessages(app)).filter((m) => m.includes('team-a-shared') || m.includes('PersistentVolumeClaim'));
    expect(found).toEqual([
      'a/nightly/WorkflowTemplate: [WorkflowTemplate team-a/nightly] spec.templates[1](train) → pod spec.volumes[0](volume-0).persistentVolumeClaim.claimName names a PersistentVolumeClaim '
      + 'that nothing creates in namespace team-a (the pod mounts it; a claim of another namespace cannot be mounted)',
      'a/rapids/Resource: [Notebook team-a/rapids] spec.template → pod spec.volumes[0](team-a-shared).persistentVolumeClaim.claimName names a PersistentVolumeClaim '
      + 'that nothing creates in namespace team-a (the pod mounts it; a claim of another namespace cannot be mounted)',
    ].map((m) => m.replace('a/nightly/WorkflowTemplate', heads(modelMessages(app)).find((x) => x.includes('WorkflowTemplate team-a/nightly'))!.split(':')[0])));
  });

  test('created as a SharedVolume, the claim resolves (and its StorageClass must exist or be declared)', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    restrictedNamespace(c, 'team-a');
    const shared = new SharedVolume(c, 'shared', { name: 'team-a-shared', namespace: 'team-a', size: '10Gi' });
    new KubeflowNotebook(c, 'rapids', { namespace: 'team-a', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', mounts: [shared.mount('/data')] });
    expect(heads(modelMessages(app))).toEqual([
      `a/shared/Resource: [PersistentVolumeClaim team-a/team-a-shared] spec.storageClassName names a StorageClass that nothing creates (the claim is provisioned by it)`,
    ]);
    Externals.declare(app, { kind: 'StorageClass', name: (shared as any).storageClass ?? 'standard-rwx', reason: 'created by the cluster stack' });
    expect(modelMessages(app)).toEqual([]);
  });

  test('a TensorBoard in team-b mounting a team-a volume: a claim of another namespace cannot be mounted', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    restrictedNamespace(c, 'team-a');
    restrictedNamespace(c, 'team-b');
    Externals.declare(app, { kind: 'StorageClass', name: 'standard-rwx', reason: 'GKE' });
    const vol = new SharedVolume(c, 'models', { namespace: 'team-a', size: '10Gi' });
    // the construct knows the claim's namespace and refuses at synth
    expect(problemMessages(() => new TensorBoard(c, 'refused', { namespace: 'team-b', logs: vol.mount('/logs') }))).toEqual([
      'a/refused: pod.mounts[0] is a claim of namespace team-a; got "models", expected a claim of namespace team-b (a pod mounts claims of its own namespace only)',
    ]);
    // a mount that does not say its namespace gets past the construct; the model still finds it
    const { claimNamespace: _ns, ...anonymous } = vol.mount('/logs');
    new TensorBoard(c, 'tb', { namespace: 'team-b', logs: anonymous });
    expect(heads(modelMessages(app))).toEqual([
      'a/tb/Deployment: [Deployment team-b/tb] spec.template → pod spec.volumes[0](models).persistentVolumeClaim.claimName names a PersistentVolumeClaim '
      + 'that nothing creates in namespace team-b (the pod mounts it; a claim of another namespace cannot be mounted)',
    ].map((m) => m.replace('a/tb/Deployment', heads(modelMessages(app))[0].split(':')[0])));
  });

  test('JupyterHub servers run in the hub\'s namespace: its values may only name claims there', () => {
    const { app, chart } = modelApp();
    const c = chart('nb');
    const values = new JupyterHubValues(c, 'jupyterhub', {
      profiles: [{ displayName: 'CPU', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', resources: { cpu: 1, memory: '2Gi' }, default: true }],
      // a mount written by hand, without its namespace: the construct cannot tell, the model can
      sharedVolume: { volume: { name: 'team-a-shared', persistentVolumeClaim: { claimName: 'team-a-shared' } }, volumeMount: { name: 'team-a-shared', mountPath: '/home/jovyan/shared' } },
    });
    const { ADDON_CATALOG, GitOpsApplication, withAddonValues } = require('../../constructs');
    const env = app.addEnvironment('hub');
    new GitOpsApplication(env, 'gitops', { repoURL: 'https://git.example.com/platform.git', catalog: withAddonValues(ADDON_CATALOG, 'jupyterhub', values.values), addons: ['jupyterhub'] });
    expect(heads(modelMessages(app)).filter((m) => m.includes('extraVolumes'))).toEqual([
      'gitops/addon-jupyterhub: [Application argocd/mlscale-hub-addon-jupyterhub] spec.source.helm.valuesObject.singleuser.storage.extraVolumes[0].persistentVolumeClaim.claimName '
      + 'names a PersistentVolumeClaim that nothing creates in namespace jupyterhub (every jupyterhub server mounts it, in the add-on\'s namespace jupyterhub)',
    ]);
  });
});

describe('identity and other references', () => {
  test('serviceAccountName "Bad_SA" and a namespace nothing creates', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    restrictedNamespace(c, 'team-a');
    job(c, 'bad-sa', { serviceAccountName: 'Bad_SA' });
    job(c, 'nowhere', {}, 'team-q');
    expect(heads(modelMessages(app))).toEqual([
      'a/nowhere: [Job team-q/nowhere] metadata.namespace is a namespace nothing creates in this environment (the sync would fail)',
      'a/bad-sa: [Job team-a/bad-sa] spec.template → pod spec.serviceAccountName names a ServiceAccount that nothing creates in namespace team-a (the pod runs as it)',
    ]);
  });

  test('on-prem: the StorageClass of a claim is the one the NFS provisioner add-on creates, or nothing creates it', () => {
    const build = (nfs: boolean) => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-nfs-')), 'charts-out');
      const app = new MlscaleApp({ outdir: out });
      ClusterProfile.use(app, ClusterProfile.onPrem({ infrastructure: { metricsServer: 'provided', ...(nfs ? { nfs: { server: '10.0.0.5', path: '/srv' } } : {}) } }));
      ClusterModel.enable(app);
      new GitOpsApplication(app, 'gitops', { repoURL: 'https://git.example.com/platform.git' });
      const c = new Chart(app, 'a');
      restrictedNamespace(c, 'team-a');
      new SharedVolume(c, 'shared', { name: 'shared', namespace: 'team-a', size: '10Gi' });
      return modelMessages(app);
    };
    expect(heads(build(false))).toEqual([
      'a/shared/Resource: [PersistentVolumeClaim team-a/shared] spec.storageClassName names a StorageClass that nothing creates (the claim is provisioned by it)',
    ]);
    expect(build(true)).toEqual([]);
  });

  test('a Secret nobody provides, then declared external: resolved, and listed with its keys', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    restrictedNamespace(c, 'team-a');
    job(c, 'reads', { containers: [{ name: 'main', image: 'python:3.12-slim', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }] }] });
    expect(heads(modelMessages(app))).toEqual([
      'a/reads: [Job team-a/reads] spec.template → pod spec.containers[0](main).env[0](TOKEN).valueFrom.secretKeyRef.name names a Secret that nothing creates in namespace team-a (the container reads key token)',
    ]);
    Externals.declare(c, { kind: 'Secret', name: 'api', namespace: 'team-a', keys: ['token'], reason: 'the API token, from the vault' });
    expect(modelMessages(app)).toEqual([]);
    const [root] = ClusterModel.evaluate(app);
    expect(root.report.externals.filter((e) => e.namespace === 'team-a')).toEqual([{ kind: 'Secret', name: 'api', namespace: 'team-a', keys: ['token'], reason: 'the API token, from the vault' }]);
    // this Secret only: the minio add-on (whose root-credentials Secret is external too) is installed
    // only by an on-prem profile that asks for it
    expect(root.report.referencesExternal).toBe(1);
  });

  test('constructs that take a Secret name declare it external with the keys they read (ObjectStore, DaskCluster notebook token, Pipeline Slack)', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    restrictedNamespace(c, 'team-a');
    new ObjectStore(c, 'store', { namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'team-a', credentials: { secret: SecretRef.fromName('team-a-minio') } });
    new Pipeline(c, 'p', {
      namespace: 'team-a', steps: [PipelineStep.container('s', { image: 'python:3.12-slim' })],
      notifySlack: { webhookSecret: SecretRef.fromName('team-a-slack').key('webhook-url') },
    } as any);
    expect(Externals.of(app).filter((e) => e.namespace === 'team-a').map((e) => [e.kind, e.namespace, e.name, e.keys])).toEqual([
      ['Secret', 'team-a', 'team-a-minio', ['accessKey', 'secretKey']],
      ['Secret', 'team-a', 'team-a-slack', ['webhook-url']],
    ]);
    // and the bucket itself: not a Kubernetes object, but something to provide all the same
    expect(Externals.of(app).find((e) => e.kind === 'Bucket')).toMatchObject({ name: 'http://minio.minio.svc:9000/team-a' });
  });

  test('Externals.declare rejects a declaration without a reason, a namespace for a cluster-scoped kind, or none for a namespaced one', () => {
    const { app } = modelApp();
    expect(problemMessages(() => Externals.declare(app, { kind: 'Secret', name: 'x', reason: ' ' }))).toEqual([
      ': namespace is required for a Secret; got nothing, expected the namespace the object lives in',
      ': reason must say why the object is not in charts-out and who provides it; got " ", expected a non-empty reason',
    ]);
    expect(problemMessages(() => Externals.declare(app, { kind: 'StorageClass', name: 'x', namespace: 'a', reason: 'y' }))).toEqual([
      ': namespace must not be set for a StorageClass; got "a", expected no namespace',
    ]);
  });

  test('KFP/container steps with file outputs need an artifact repository; an ObjectStore provides one', () => {
    const steps = [PipelineStep.container('make', { image: 'python:3.12-slim', outputs: { model: { kind: 'artifact', path: '/tmp/model' } } } as any)];
    const without = modelApp();
    const c = without.chart('a');
    restrictedNamespace(c, 'team-a');
    new Pipeline(c, 'p', { namespace: 'team-a', steps });
    expect(heads(modelMessages(without.app)).filter((m) => m.includes('artifact'))).toEqual([
      `${heads(modelMessages(without.app))[0].split(':')[0]}: [WorkflowTemplate team-a/p] spec.artifactRepositoryRef is unset and no artifact repository is configured: steps with artifacts fail when Argo saves their outputs`,
    ]);
    const withStore = modelApp();
    const d = withStore.chart('a');
    restrictedNamespace(d, 'team-a');
    const store = new ObjectStore(d, 'store', { namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'team-a', credentials: { secret: SecretRef.fromName('team-a-minio') } });
    new Pipeline(d, 'p', { namespace: 'team-a', steps, objectStore: store });
    expect(modelMessages(withStore.app)).toEqual([]);
  });

  test('DaskCluster takes the chart\'s namespace for its addresses (it used to dial …default.svc…)', () => {
    const { app } = modelApp();
    const c = new Chart(app, 'dask', { namespace: 'team-a' });
    new DaskCluster(c, 'static', { workers: { replicas: 1, resources: { cpu: 1, memory: '2Gi' } }, notebook: {} } as any);
    app.prepare();
    const nb = c.toJson().find((d: any) => d.kind === 'Deployment');
    const env = nb.spec.template.spec.containers[0].env.find((e: any) => e.name === 'DASK_SCHEDULER_ADDRESS');
    expect(env.value).toBe('tcp://static-scheduler.team-a.svc.cluster.local:8786');
  });
});

describe('the default platform', () => {
  const readme = fs.readFileSync(path.join(packageRoot(), 'charts-out', 'README.md'), 'utf-8');

  test('charts-out/README.md lists, per environment, what to provide before syncing, with the keys', () => {
    expect(readme).toContain('### Provide before syncing (the root environment)');
    expect(readme).toContain('| Secret | team-a | team-a-gcs-hmac | `accessKey`, `secretKey` |');
    // MinIO is on-prem only: its root credentials are the lab's to provide
    expect(readme).toContain('### Provide before syncing (environment `lab`)');
    expect(readme).toContain('| Secret | minio | minio-root | `rootPassword`, `rootUser` |');
    expect(readme).toContain('### Provide before syncing (environment `prod`)');
    expect(readme).toMatch(/\| Secret \| team-a \| sentiment-tls \| `tls\.crt`, `tls\.key` \| TLS certificate of sentiment\.ml\.acme\.example/);
  });

  test('and, per namespace, the Pod Security level and the containers operators inject there', () => {
    expect(readme).toMatch(/\| team-a \| restricted:v1\.32 \| \d+ \| init \(argo-workflows\), init-pytorch \(kubeflow-training-operator\), metrics-logger-and-collector \(katib\), suggestion \(katib\), wait \(argo-workflows\) \|/);
    expect(readme).toContain('| kubeflow.org/v1/PyTorchJob | 8 | kubeflow-training-operator | kubeflow-training-operator |');
  });

  test('externals.json beside the charts lists what the model resolved as external (npm run check reads it)', () => {
    const externals = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'externals.json'), 'utf-8'));
    expect(externals.map((e: any) => `${e.kind}/${e.namespace ?? ''}/${e.name}`)).toEqual(expect.arrayContaining([
      'Secret/team-a/team-a-gcs-hmac', 'StorageClass//mlscale-rwx', 'Bucket//https://storage.googleapis.com/acme-ml-platform-mlscale-artifacts',
    ]));
    const [root] = ClusterModel.evaluateFolder(path.join(packageRoot(), 'charts-out'));
    expect(root.report.externals).toEqual(externals);
    // the lab (on-prem, MinIO asked for by its profile) must provide MinIO's root credentials
    const lab = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'environments', 'lab', 'externals.json'), 'utf-8'));
    expect(lab).toContainEqual(expect.objectContaining({ kind: 'Secret', name: 'minio-root', namespace: 'minio', keys: ['rootPassword', 'rootUser'] }));
  });
});
