/**
 * The cluster model, part 1: served kinds and controllers, Kueue integrations and queues, object
 * identity. Each case is a failure the issue lists, reproduced by a small app.
 */
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import {
  ADDON_CATALOG, ClusterModel, ContainerJob, KUEUE_CHART_DEFAULT_FRAMEWORKS, MANIFEST_ADDONS, PyTorchJob, checkEnvironment, environmentOf,
  Externals, LocalQueueRef, Team, kueueIntegrations, packageRoot,
} from '../../constructs';
import { problemMessages } from '../util';
import { catalogWithout, modelApp, modelMessages, restrictedNamespace } from './model-fixtures';

const IMAGE = 'ghcr.io/acme/mnist:1.0.0';
const pytorch = (scope: any, id: string, extra: Record<string, unknown> = {}) => new PyTorchJob(scope, id, {
  namespace: 'team-a', image: IMAGE, master: { resources: { cpu: 1, memory: '2Gi' } }, worker: { replicas: 1, resources: { cpu: 1, memory: '2Gi' } }, ...extra,
});

describe('served kinds and controllers', () => {
  test('a PyTorchJob with no Training Operator in the environment: "no matches for kind", naming the add-on', () => {
    const { app, chart } = modelApp({ manifestAddons: [MANIFEST_ADDONS['dask-gateway-crds']] });
    const c = chart('training');
    restrictedNamespace(c, 'team-a');
    pytorch(c, 'mnist');
    expect(modelMessages(app)).toEqual([
      'training/mnist/Resource: [PyTorchJob team-a/mnist] apiVersion/kind is not served in the root environment: no add-on installs the CRD '
      + 'pytorchjobs.kubeflow.org ("no matches for kind"); got "kubeflow.org/v1/PyTorchJob", expected an Argo CD Application of the add-on '
      + 'that installs it (kubeflow-training-operator) in the same environment',
    ]);
  });

  test.each([
    ['TFJob', 'kubeflow.org/v1', 'tfjobs.kubeflow.org', 'kubeflow-training-operator'],
    ['Experiment', 'kubeflow.org/v1beta1', 'experiments.kubeflow.org', 'katib'],
    ['Notebook', 'kubeflow.org/v1', 'notebooks.kubeflow.org', 'kubeflow-notebook-controller'],
    ['DaskCluster', 'kubernetes.dask.org/v1', 'daskclusters.kubernetes.dask.org', 'dask-kubernetes-operator'],
  ])('a %s with no add-on serving it', (kind, apiVersion, crd, addon) => {
    const { catalogWithout: without } = require('./model-fixtures');
    const { app, chart } = modelApp({ manifestAddons: [], catalog: without('dask-kubernetes-operator') });
    const c = chart('x');
    restrictedNamespace(c, 'team-a');
    new ApiObject(c, 'obj', { apiVersion, kind, metadata: { name: 'obj', namespace: 'team-a' }, spec: {} });
    expect(modelMessages(app)).toEqual([
      `x/obj: [${kind} team-a/obj] apiVersion/kind is not served in the root environment: no add-on installs the CRD ${crd} ("no matches for kind"); `
      + `got "${apiVersion}/${kind}", expected an Argo CD Application of the add-on that installs it (${addon}) in the same environment`,
    ]);
  });

  test('an add-on pinned to another version than the model knows', () => {
    const kueue = { ...ADDON_CATALOG.kueue!, version: '0.20.0' };
    const { app } = modelApp({ catalog: { ...ADDON_CATALOG, kueue }, addons: ['kueue'] });
    expect(modelMessages(app)).toEqual([
      'gitops/addon-kueue: [Application argocd/mlscale-addon-kueue] spec.source.targetRevision installs kueue at a version the cluster model has no facts for '
      + '(its CRDs, controllers and injected containers may differ); got "0.20.0", expected 0.19.2, the version pinned in constructs/upstream/sources.ts and the add-on catalog (upgrade both, then npm run import)',
    ]);
  });

  test('by default GitOpsApplication installs the Training Operator for an app with PyTorchJobs, and the model is satisfied', () => {
    const { app, chart } = modelApp();
    const c = chart('training');
    restrictedNamespace(c, 'team-a');
    pytorch(c, 'mnist');
    expect(modelMessages(app)).toEqual([]);
    const [root] = ClusterModel.evaluate(app);
    expect(root.report.kinds.find((k) => k.kind === 'kubeflow.org/v1/PyTorchJob')).toEqual({
      kind: 'kubeflow.org/v1/PyTorchJob', count: 1, servedBy: 'kubeflow-training-operator', controller: 'kubeflow-training-operator',
    });
    expect(root.report.kinds.find((k) => k.kind === 'v1/Namespace')).toMatchObject({ servedBy: 'Kubernetes 1.32', controller: 'Kubernetes 1.32' });
  });

  test('a CRD installed without its controller (the gateway CRDs without a DaskGateway): no controller', () => {
    const { app, chart } = modelApp();
    restrictedNamespace(chart('ns'), 'dask-gateway');
    new ApiObject(chart('routes'), 'r', { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'r', namespace: 'dask-gateway' }, spec: { routes: [] } });
    expect(modelMessages(app)).toEqual([
      'routes/r: [IngressRoute dask-gateway/r] apiVersion/kind has no controller in the root environment: its CRD is installed (dask-gateway-crds) '
      + 'but nothing reconciles it; got "traefik.io/v1alpha1/IngressRoute", expected an add-on whose controller reconciles traefik.io/IngressRoute, '
      + 'or a Deployment annotated mlscale.io/controller-for',
    ]);
  });

  test('a kind nobody serves at all', () => {
    const { app, chart } = modelApp();
    new ApiObject(chart('x'), 'thing', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' } });
    expect(modelMessages(app)).toEqual([
      'x/thing: [Thing t] apiVersion/kind is not served by Kubernetes 1.32 nor by any pinned CRD; got "example.com/v1/Thing", '
      + 'expected a built-in kind of Kubernetes 1.32 or a kind of a CRD pinned in constructs/upstream/sources.ts',
    ]);
  });
});

/** A LocalQueue team-a/team-a and the ClusterQueue team-a it submits to. */
function queues(c: any): void {
  new ApiObject(c, 'q', { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'team-a', namespace: 'team-a' }, spec: { clusterQueue: 'team-a' } });
  new ApiObject(c, 'cq', { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ClusterQueue', metadata: { name: 'team-a' }, spec: { namespaceSelector: {}, resourceGroups: [] } });
}

describe('Kueue', () => {
  test('a LocalQueue whose ClusterQueue nothing creates', () => {
    const { app, chart } = modelApp();
    const c = chart('q');
    restrictedNamespace(c, 'team-a');
    new ApiObject(c, 'lq', { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'team-a', namespace: 'team-a' }, spec: { clusterQueue: 'gone' } });
    expect(modelMessages(app)).toEqual([
      'q/lq: [LocalQueue team-a/team-a] spec.clusterQueue names a ClusterQueue that nothing creates (its workloads would wait forever); got "gone", expected a ClusterQueue of the same environment (none defined)',
    ]);
  });

  test('the chart\'s default integrations leave PyTorchJob off: a queued PyTorchJob would stay suspended forever', () => {
    const kueue = { ...ADDON_CATALOG.kueue!, values: {} };
    const { app, chart } = modelApp({ catalog: { ...ADDON_CATALOG, kueue } });
    const c = chart('training');
    restrictedNamespace(c, 'team-a');
    queues(c);
    pytorch(c, 'mnist', { queue: LocalQueueRef.fromName('team-a', 'team-a') });
    expect(modelMessages(app)).toEqual([
      'training/mnist/Resource: [PyTorchJob team-a/mnist] metadata.labels["kueue.x-k8s.io/queue-name"] is set on a kubeflow.org/PyTorchJob, but the '
      + 'Kueue integration for it is not enabled, so Kueue never admits it (it stays suspended); got "team-a", expected a kind of an enabled '
      + 'integration (/Pod, apps/Deployment, apps/StatefulSet, batch/Job, jobset.x-k8s.io/JobSet, kubeflow.org/MPIJob, '
      + 'leaderworkerset.x-k8s.io/LeaderWorkerSet, ray.io/RayCluster, ray.io/RayJob, ray.io/RayService, trainer.kubeflow.org/TrainJob, '
      + 'workload.codeflare.dev/AppWrapper), or the integration enabled in the kueue add-on values',
    ]);
  });

  test('mlscale\'s kueue values enable exactly the kinds its constructs queue (and not the fail-closed pod webhooks)', () => {
    expect([...kueueIntegrations(ADDON_CATALOG.kueue!.values).frameworks].sort())
      .toEqual(['batch/Job', 'jobset.x-k8s.io/JobSet', 'kubeflow.org/PyTorchJob', 'kubeflow.org/TFJob', 'trainer.kubeflow.org/TrainJob']);
    expect(kueueIntegrations({}).names).toEqual(KUEUE_CHART_DEFAULT_FRAMEWORKS);
    expect(kueueIntegrations({ managerConfig: { controllerManagerConfigYaml: 'integrations:\n  frameworks: []\n' } }).names).toEqual(['batch/job']);
  });

  test('a queue label no LocalQueue backs (a raw object with queue-name "team-z"): the Job would wait suspended forever', () => {
    const { app, chart } = modelApp();
    const c = chart('jobs');
    restrictedNamespace(c, 'team-a');
    queues(c);
    // constructs take typed queues (a Team, a TeamQueue, LocalQueueRef.fromName): a label written by hand is still checked
    new ApiObject(c, 'etl', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'etl', namespace: 'team-a', labels: { 'kueue.x-k8s.io/queue-name': 'team-z' } }, spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [] } } } });
    expect(modelMessages(app)).toContainEqual(
      'jobs/etl: [Job team-a/etl] metadata.labels["kueue.x-k8s.io/queue-name"] names a LocalQueue that does not exist in namespace team-a '
      + '(the workload would wait forever); got "team-z", expected a LocalQueue of namespace team-a in the same environment (team-a)',
    );
  });

  test('typed queues: a Team\'s queue of another namespace fails synth; LocalQueueRef.fromName is an external the model resolves', () => {
    const { app, chart } = modelApp();
    const c = chart('jobs');
    restrictedNamespace(c, 'team-a');
    const teamB = new Team(c, 'team-b');
    expect(problemMessages(() => new ContainerJob(c, 'wrong', { namespace: 'team-a', container: { image: 'python:3.12-slim' }, queue: teamB }))).toEqual([
      'jobs/wrong: queue is the queue team-b of namespace team-b; got "team-b", expected a LocalQueue of namespace team-a (a LocalQueue admits its own namespace\'s workloads only)',
    ]);
    new ContainerJob(c, 'etl', { namespace: 'team-a', container: { image: 'python:3.12-slim' }, queue: LocalQueueRef.fromName('team-a', 'team-z') });
    expect(modelMessages(app).filter((m) => m.includes('queue-name'))).toEqual([]);
    expect(Externals.of(app).map((e) => `${e.kind} ${e.namespace}/${e.name}`)).toContain('LocalQueue team-a/team-z');
  });

  test('a queue name in an environment without Kueue', () => {
    const { app, chart } = modelApp({ catalog: catalogWithout('kueue') });
    const c = chart('jobs');
    restrictedNamespace(c, 'team-a');
    new ContainerJob(c, 'etl', { namespace: 'team-a', container: { image: 'python:3.12-slim' }, queue: LocalQueueRef.fromName('team-a', 'team-a') });
    expect(modelMessages(app)).toContain(
      'jobs/etl/Resource: [Job team-a/etl] metadata.labels["kueue.x-k8s.io/queue-name"] names a Kueue queue but the root environment installs no Kueue; '
      + 'got "team-a", expected the kueue add-on in the same environment',
    );
  });
});

describe('identity', () => {
  test('two ContainerJobs team-a/etl, in two charts: Argo CD would fight over them', () => {
    const { app, chart } = modelApp();
    restrictedNamespace(chart('ns'), 'team-a');
    new ContainerJob(chart('a'), 'etl', { namespace: 'team-a', container: { image: 'python:3.12-slim' } });
    new ContainerJob(chart('b'), 'etl', { namespace: 'team-a', container: { image: 'python:3.12-slim' } });
    expect(modelMessages(app)).toEqual([
      'b/etl/Resource: [Job team-a/etl] metadata.name is defined twice in the root environment (Argo CD would fight over it); got "etl", '
      + 'expected one object per group/kind/namespace/name; the other is a/etl/Resource',
    ]);
  });

  test('two in one chart too; the same name of another kind or namespace is fine', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    restrictedNamespace(c, 'team-a');
    restrictedNamespace(c, 'team-b');
    new ContainerJob(c, 'etl', { namespace: 'team-a', container: { image: 'python:3.12-slim' } });
    new ContainerJob(c, 'etl2', { name: 'etl', namespace: 'team-a', container: { image: 'python:3.12-slim' } } as any);
    new ContainerJob(c, 'etl3', { name: 'etl', namespace: 'team-b', container: { image: 'python:3.12-slim' } } as any);
    expect(modelMessages(app).map((m) => m.split(';')[0])).toEqual([
      'a/etl2/Resource: [Job team-a/etl] metadata.name is defined twice in the root environment (Argo CD would fight over it)',
    ]);
  });

  test('namespace "Team-A" is not a DNS-1123 label: refused by the construct, and by the model in a raw object', () => {
    const { app, chart } = modelApp();
    const c = chart('a');
    expect(problemMessages(() => new ContainerJob(c, 'refused', { namespace: 'Team-A', container: { image: 'python:3.12-slim' } }))).toEqual([
      'a/refused: namespace is not a valid Kubernetes name; got "Team-A", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
    ]);
    new ApiObject(c, 'etl', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'etl', namespace: 'Team-A' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'python:3.12-slim' }] } } } });
    expect(modelMessages(app)).toContain(
      'a/etl: [Job Team-A/etl] metadata.namespace is not a valid namespace name; got "Team-A", expected a DNS-1123 label: lower-case '
      + 'letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    );
  });
});

describe('at synth', () => {
  test('a model problem fails the synth, names the construct path and field, and writes nothing', () => {
    const { app, chart, out } = modelApp({ manifestAddons: [] });
    const c = chart('training');
    restrictedNamespace(c, 'team-a');
    pytorch(c, 'mnist');
    expect(problemMessages(() => app.synth())).toEqual([expect.stringMatching(/^training\/mnist\/Resource: \[PyTorchJob team-a\/mnist\] apiVersion\/kind is not served/)]);
    expect(require('fs').existsSync(out)).toBe(false);
  });

  test('environments are checked apart: an environment\'s add-ons do not serve the root\'s kinds', () => {
    const { app, chart } = modelApp();
    restrictedNamespace(chart('ns'), 'team-a');
    const env = app.addEnvironment('dev');
    const { GitOpsApplication } = require('../../constructs');
    new GitOpsApplication(env, 'gitops', { repoURL: 'https://git.example.com/platform.git', manifestAddons: [] });
    const { Chart } = require('cdk8s');
    const c = new Chart(env, 'training');
    restrictedNamespace(c, 'team-a');
    pytorch(c, 'mnist');
    expect(modelMessages(app)).toEqual([expect.stringMatching(/^training\/mnist\/Resource: .* is not served in environment "dev": /)]);
  });
});

describe('a folder (npm run check) reads the same as synth', () => {
  test('environmentOf a set of documents derives the add-ons from their Argo CD Applications', () => {
    const application = (name: string, source: Record<string, unknown>) => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
      spec: { source, destination: { namespace: name === 'a' ? 'argocd' : 'kueue-system' }, syncPolicy: { syncOptions: ['CreateNamespace=true'] } },
    });
    const env = environmentOf('x', [
      { origin: 'a.yaml#0', doc: application('k', { repoURL: 'oci://registry.k8s.io/kueue/charts/kueue', path: '.', targetRevision: '0.19.2' }) },
      { origin: 'a.yaml#1', doc: application('a', { repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', targetRevision: '10.3.3' }) },
    ]);
    expect(env.addons.map((a) => a.name)).toEqual(['kueue', 'argo-cd']);
    expect(checkEnvironment(env).problems).toEqual([]);
  });

  test('the committed charts-out passes the model in every environment', () => {
    const results = ClusterModel.evaluateFolder(path.join(packageRoot(), 'charts-out'));
    expect(results.map((r) => r.report.name)).toEqual(['', 'dev', 'lab', 'prod']);
    expect(results.flatMap((r) => r.problems)).toEqual([]);
  });
});
