/**
 * Typed references (issue 18): Secrets, ConfigMaps and ServiceAccounts are `XRef.fromName(...)`
 * imports or cdk8s-plus objects of the app, never names; placements are checked against the
 * cluster profile. Each case is a failure the issue lists: a dangling or cross-namespace reference
 * that used to compile and synthesize.
 */
import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ClusterProfile, ConfigMapRef, ContainerJob, Externals, NotebookJob, NotebookSource, ObjectStore, Pipeline, PipelineStep, Placement, SecretRef,
  ServiceAccountRef, SharedVolume,
} from '../../constructs';
import { problemMessages, testChart } from '../util';

const IMAGE = 'python:3.12-slim';

function job(chart: Chart, extra: Record<string, unknown> = {}, env: Record<string, unknown> = {}) {
  return new ContainerJob(chart, 'j', { namespace: 'team-a', container: { image: IMAGE, env: env as any }, ...extra });
}

function podSpec(chart: Chart): any {
  return Testing.synth(chart).find((d) => d.kind === 'Job').spec.template.spec;
}

describe('typed references', () => {
  test('imported Secret, ConfigMap and ServiceAccount: referenced by name in the pod, listed as externals of the pod\'s namespace with the keys read', () => {
    const chart = testChart();
    job(chart, { serviceAccount: ServiceAccountRef.fromName('trainer'), imagePullSecrets: [SecretRef.fromName('registry')] },
      { TOKEN: SecretRef.fromName('creds').key('token'), MODE: ConfigMapRef.fromName('settings').key('mode', { optional: true }), POD: { fieldPath: 'metadata.name' } });
    const spec = podSpec(chart);
    expect(spec.serviceAccountName).toBe('trainer');
    expect(spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(spec.containers[0].env).toEqual([
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode', optional: true } } },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(Externals.of(chart).map((e) => [e.kind, e.namespace, e.name, e.keys])).toEqual([
      ['ConfigMap', 'team-a', 'settings', ['mode']],
      ['Secret', 'team-a', 'creds', ['token']],
      ['Secret', 'team-a', 'registry', ['.dockerconfigjson']],
      ['ServiceAccount', 'team-a', 'trainer', undefined],
    ]);
  });

  test('cdk8s-plus objects of the app are accepted as they are, and are not externals', () => {
    const chart = testChart();
    const secret = new kplus.Secret(chart, 'creds', { metadata: { namespace: 'team-a' }, stringData: {} });
    const config = new kplus.ConfigMap(chart, 'settings', { metadata: { namespace: 'team-a' }, data: { mode: 'fast' } });
    const sa = new kplus.ServiceAccount(chart, 'trainer', { metadata: { namespace: 'team-a' } });
    job(chart, { serviceAccount: sa }, { TOKEN: { secret, key: 'token' }, MODE: { configMap: config, key: 'mode' } });
    const spec = podSpec(chart);
    expect(spec.serviceAccountName).toBe(sa.name);
    expect(spec.containers[0].env).toEqual([
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: secret.name, key: 'token' } } },
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: config.name, key: 'mode' } } },
    ]);
    expect(Externals.of(chart)).toEqual([]);
  });

  test('bad references fail synth naming the field: another namespace, the wrong kind, a bare name (JavaScript callers)', () => {
    const chart = testChart();
    const theirs = new kplus.Secret(chart, 'theirs', { metadata: { name: 'theirs', namespace: 'team-b' } });
    const config = new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'cm', namespace: 'team-a' } });
    expect(problemMessages(() => job(chart, { serviceAccount: 'trainer' }, { A: { secret: theirs, key: 'k' }, B: { secret: config, key: 'k' }, C: { secret: 'creds', key: 'k' } }))).toEqual([
      'test/j: pod.containers[0].env.A.secret is the Secret theirs of namespace team-b; got "theirs", expected a Secret of namespace team-a (pods read their own namespace\'s Secrets only)',
      'test/j: pod.containers[0].env.B.secret is a ConfigMap; got "cm", expected a Secret',
      'test/j: pod.containers[0].env.C.secret is not a Secret reference; got "creds", expected SecretRef.fromName(...) or a cdk8s-plus Secret (names are not accepted: a typo would only show in the cluster)',
      'test/j: pod.serviceAccount is not a ServiceAccount reference; got "trainer", expected ServiceAccountRef.fromName(...) or a cdk8s-plus ServiceAccount (names are not accepted: a typo would only show in the cluster)',
    ]);
  });

  test('an object store\'s credentials and a notebook job\'s service account are typed references too', () => {
    const chart = testChart();
    const store = new ObjectStore(chart, 'store', { namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'results', credentials: { secret: SecretRef.fromName('minio') } });
    new NotebookJob(chart, 'nb', { notebook: NotebookSource.fromObjectStore(store, 'in/x.ipynb'), image: 'ghcr.io/acme/papermill:1.0.0', output: store, serviceAccount: ServiceAccountRef.fromName('gcs-writer') });
    expect(Externals.of(chart).filter((e) => e.kind !== 'Bucket').map((e) => [e.kind, e.namespace, e.name])).toEqual([
      ['Secret', 'team-a', 'minio'], ['ServiceAccount', 'team-a', 'gcs-writer'],
    ]);
    const team = new kplus.Secret(chart, 'b', { metadata: { namespace: 'team-b' } });
    expect(problemMessages(() => new ObjectStore(chart, 'bad', { namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'results', credentials: { secret: team } })))
      .toEqual([`test/bad: credentials.secret is the Secret ${team.name} of namespace team-b; got "${team.name}", expected a Secret of namespace team-a (pods read their own namespace's Secrets only)`]);
  });

  test('a pipeline\'s Slack webhook and pull secrets: imported Secrets listed in the pipeline\'s namespace', () => {
    const chart = testChart();
    new Pipeline(chart, 'p', {
      namespace: 'team-a', imagePullSecrets: [SecretRef.fromName('registry')], notifySlack: { webhookSecret: SecretRef.fromName('slack').key('url') },
      steps: [PipelineStep.container('a', { image: IMAGE, command: ['true'] })],
    });
    expect(Externals.of(chart).map((e) => [e.kind, e.namespace, e.name, e.keys])).toEqual([['Secret', 'team-a', 'registry', ['.dockerconfigjson']], ['Secret', 'team-a', 'slack', ['url']]]);
  });
});

describe('cdk8s-plus claims', () => {
  test('a kplus.PersistentVolumeClaim of the app mounts like a SharedVolume; one of another namespace is refused', () => {
    const chart = testChart();
    const pvc = new kplus.PersistentVolumeClaim(chart, 'data', { metadata: { namespace: 'team-a' }, storage: Size.gibibytes(10) });
    job(chart, { mounts: [SharedVolume.fromPersistentVolumeClaim(pvc).mount('/data', { readOnly: true })] });
    const spec = podSpec(chart);
    expect(spec.volumes).toEqual([{ name: pvc.name, persistentVolumeClaim: { claimName: pvc.name } }]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: pvc.name, mountPath: '/data', readOnly: true }]);
    expect(Externals.of(chart)).toEqual([]);
    const theirs = new kplus.PersistentVolumeClaim(chart, 'theirs', { metadata: { name: 'theirs', namespace: 'team-b' } });
    expect(problemMessages(() => new ContainerJob(chart, 'k', { namespace: 'team-a', container: { image: IMAGE }, mounts: [SharedVolume.fromPersistentVolumeClaim(theirs).mount('/data')] })))
      .toEqual(['test/k: pod.mounts[0] is a claim of namespace team-b; got "theirs", expected a claim of namespace team-a (a pod mounts claims of its own namespace only)']);
    expect(problemMessages(() => SharedVolume.fromPersistentVolumeClaim(new kplus.ConfigMap(chart, 'cm') as never)))
      .toEqual([expect.stringMatching(/claim is a ConfigMap; got ".*", expected a PersistentVolumeClaim/)]);
  });
});

describe('Placement', () => {
  test('onNodes: node selector and tolerations added to a GPU pod\'s own; a selector against the GPU class fails synth', () => {
    const chart = testChart(ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }] }));
    new ContainerJob(chart, 'j', { namespace: 'team-a', container: { image: IMAGE, resources: { gpus: 1 } }, placement: Placement.onNodes({ 'example.com/rack': 'r1' }, [{ key: 'example.com/rack' }]) });
    const spec = podSpec(chart);
    expect(spec.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4', 'mlscale.io/gpu-class': 't4', 'example.com/rack': 'r1' });
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'example.com/rack', operator: 'Exists' }]);
    expect(problemMessages(() => new ContainerJob(chart, 'k', {
      namespace: 'team-a', container: { image: IMAGE, resources: { gpus: 1 } }, placement: Placement.onNodes({ 'mlscale.io/gpu-class': 'a100' }),
    }))).toEqual([
      'test/k: pod.placement.nodeSelector.mlscale.io/gpu-class conflicts with mlscale.io/gpu-class=t4 of the pod\'s other placement (GPU class or pool); got "a100", expected t4, or a placement without mlscale.io/gpu-class',
    ]);
  });

  test('spot and the Dask pool: what the cluster has, or a clear error', () => {
    const pool = testChart(ClusterProfile.gke({ daskPool: true }));
    new ContainerJob(pool, 'j', { namespace: 'team-a', container: { image: IMAGE }, placement: Placement.daskPool().and(Placement.spot()) });
    expect(podSpec(pool).nodeSelector).toEqual({ 'mlscale.io/pool': 'dask', 'cloud.google.com/gke-spot': 'true' });
    expect(problemMessages(() => new ContainerJob(testChart(ClusterProfile.onPrem()), 'j', { namespace: 'team-a', container: { image: IMAGE }, placement: Placement.spot() }))).toEqual([
      'test/j: pod.placement is GKE Spot VMs, but the cluster is on-prem; got "Placement.spot()", expected Placement.onNodes(...) with the labels of the on-prem nodes',
    ]);
    expect(problemMessages(() => new ContainerJob(testChart(), 'j', { namespace: 'team-a', container: { image: IMAGE }, placement: Placement.daskPool() }))).toEqual([
      'test/j: pod.placement is the Dask pool, which the cluster has not; got "Placement.daskPool()", expected a ClusterProfile with `daskPool: true` (the GKE stack\'s `gke.daskPool`), or another placement',
    ]);
    expect(problemMessages(() => new ContainerJob(testChart(), 'j', { namespace: 'team-a', container: { image: IMAGE }, placement: Placement.onNodes({ 'bad key!': 'x', ok: 'not valid!' }) })))
      .toEqual([
        'test/j: pod.placement.nodeSelector is not a valid label key; got "bad key!", expected an optional DNS-subdomain prefix and a name of at most 63 characters',
        'test/j: pod.placement.nodeSelector.ok is not a valid label value; got "not valid!", expected at most 63 characters of letters, digits, -, _, . (starting and ending alphanumeric)',
      ]);
  });
});
