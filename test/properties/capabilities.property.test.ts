/**
 * Bad-input hardening of the Dask, notebook, pipeline, storage and GitOps constructs (≥ 200 runs
 * each), with the shared harness: random props give schema-valid, guard-rail-clean output or an
 * MlscaleValidationError — never another exception, an invalid manifest or partial output.
 */
import * as path from 'path';
import { Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { SecretRef, SharedVolume,
  DaskCluster, DaskGateway, DaskJob, GitOpsApplication, JupyterHubValues, KfpComponent, KubeflowNotebook, NotebookJob, NotebookSource,
  ObjectStore, Pipeline, PipelineStep, packageRoot,
} from '../../constructs';
import { count, cpu, gpuType, image, memory, name, opt } from './arbitraries';
import { propertyCase, runPropertyCases } from './harness';

const resources = () => fc.record({ cpu: opt(cpu()), memory: opt(memory()), gpus: opt(count(2)), gpuType: opt(gpuType()) }, { requiredKeys: [] });
const store = (chart: Chart) => new ObjectStore(chart, 'store', {
  namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'team-a', credentials: { secret: SecretRef.fromName('team-a-minio') },
});
const GBM_TRAIN = path.join(packageRoot(), 'test', 'fixtures', 'kfp-components', 'mlscale-gbm-train', 'component.yaml');
const gbmTrain = KfpComponent.fromFile(GBM_TRAIN);
const integerOption = () => fc.record({ min: fc.integer({ min: -2, max: 8 }), max: fc.integer({ min: -1, max: 16 }), default: fc.integer({ min: -2, max: 16 }), label: opt(fc.string({ maxLength: 8 })) }, { requiredKeys: ['min', 'max', 'default'] });

const CASES = [
  propertyCase('DaskCluster', fc.record({
    name: opt(name()), image: opt(image()), workers: opt(fc.record({ replicas: opt(count(6)), resources: opt(resources()), threads: opt(count(8)) }, { requiredKeys: [] })),
    scheduler: opt(fc.record({ resources: opt(resources()) }, { requiredKeys: [] })),
    autoscaler: opt(fc.record({ minimum: count(5), maximum: count(10) })), idleMinutes: opt(fc.integer({ min: 0, max: 120 })), notebook: fc.boolean(), // a negative Duration cannot even be constructed
  }), (app, p) => {
    new DaskCluster(new Chart(app, 'dask'), 'cluster', {
      namespace: 'team-a', name: p.name, image: p.image, workers: p.workers, scheduler: p.scheduler, autoscaler: p.autoscaler,
      idleTimeout: p.idleMinutes === undefined ? undefined : Duration.minutes(p.idleMinutes), notebook: p.notebook ? {} : undefined,
    });
  }),

  propertyCase('DaskJob', fc.record({
    name: opt(name()), script: opt(fc.string({ maxLength: 30 })), command: opt(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 })),
    runnerImage: opt(image()), workers: opt(fc.record({ replicas: opt(count(4)), resources: opt(resources()) }, { requiredKeys: [] })),
  }), (app, p) => {
    new DaskJob(new Chart(app, 'dask'), 'job', {
      namespace: 'team-a', name: p.name, workers: p.workers, job: { script: p.script, command: p.command, image: p.runnerImage },
    });
  }),

  propertyCase('DaskGateway', fc.record({
    workerCores: opt(integerOption()), workerGpus: opt(fc.record({ min: count(2), max: count(4), default: count(4), gpuType: opt(gpuType()) }, { requiredKeys: ['min', 'max', 'default'] })),
    images: opt(fc.array(fc.record({ value: image(), default: opt(fc.boolean()) }), { maxLength: 3 })),
    label: fc.string({ maxLength: 12 }), idleMinutes: opt(fc.integer({ min: 0, max: 60 })),
  }), (app, p) => {
    new DaskGateway(new Chart(app, 'gw'), 'gateway', {
      namespace: 'dask-gateway', clusterNamespace: 'team-a',
      clusterOptions: {
        workerCores: p.workerCores ? { ...p.workerCores, label: p.label } : undefined, workerGpus: p.workerGpus,
        image: p.images ? { label: p.label, choices: p.images } : undefined,
      },
      idleTimeout: p.idleMinutes === undefined ? undefined : Duration.minutes(p.idleMinutes),
    });
  }),

  propertyCase('ObjectStore + NotebookJob', fc.record({
    endpoint: fc.constantFrom('http://minio.minio.svc:9000', 'https://storage.googleapis.com', 'minio:9000', 'ftp://x'),
    bucket: fc.oneof(name(), fc.constant('B')), image: image(), resources: opt(resources()),
    source: fc.constantFrom('volume', 'store', 'badvolume'),
    parameters: opt(fc.dictionary(fc.stringMatching(/^[a-z_1-]{0,6}$/), fc.oneof(fc.string({ maxLength: 8 }), fc.double(), fc.boolean(),
      fc.array(fc.integer(), { maxLength: 3 })), { maxKeys: 3 })),
  }), (app, p) => {
    const chart = new Chart(app, 'nb');
    const out = new ObjectStore(chart, 'store', { namespace: 'team-a', endpoint: p.endpoint, bucket: p.bucket, credentials: { secret: SecretRef.fromName('team-a-minio') } });
    const notebook = p.source === 'store' ? NotebookSource.fromObjectStore(out, 'in/train.ipynb')
      : NotebookSource.fromVolume(SharedVolume.fromClaimName(chart, 'shared', 'team-a', p.source === 'volume' ? 'team-a-shared' : 'Bad Claim'), 'notebooks/train.ipynb');
    new NotebookJob(chart, 'job', { namespace: 'team-a', notebook, image: p.image, resources: p.resources, parameters: p.parameters as never, output: out });
  }),

  propertyCase('KubeflowNotebook + JupyterHubValues', fc.record({
    image: image(), resources: opt(resources()), profiles: fc.array(fc.record({ displayName: fc.string({ maxLength: 10 }), image: image(), resources: opt(resources()), default: opt(fc.boolean()) }), { maxLength: 3 }),
  }), (app, p) => {
    const chart = new Chart(app, 'jupyter');
    new KubeflowNotebook(chart, 'nb', { namespace: 'team-a', image: p.image, resources: p.resources });
    new JupyterHubValues(chart, 'hub', { profiles: p.profiles });
  }),

  propertyCase('Pipeline (random DAGs, container and KFP steps)', fc.record({
    steps: fc.array(fc.record({
      deps: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }), // an index ≥ own index makes a forward edge: cycles
      image: image(), resources: opt(resources()),
      kind: fc.constantFrom('container', 'container', 'container', 'kfp'),
      badName: fc.constantFrom(false, false, false, false, false, false, false, true), unknownDep: fc.constantFrom(false, false, false, false, false, true),
    }), { minLength: 1, maxLength: 4 }),
    cron: opt(fc.constantFrom('0 2 * * *', '0 2 * * *', '61 * * * *', 'nightly')), timezone: opt(fc.constantFrom('Europe/Berlin', 'Mars/Base')),
  }), (app, p) => {
    const chart = new Chart(app, 'pipe');
    const names = p.steps.map((s, i) => (s.badName ? `Step ${i}` : `s${i}`));
    new Pipeline(chart, 'pipe', {
      namespace: 'team-a', objectStore: store(chart),
      schedule: p.cron ? { cron: p.cron, timezone: p.timezone } : undefined,
      steps: p.steps.map((s, i) => {
        const dependsOn = [...new Set(s.deps.filter((d) => d < p.steps.length && d !== i).map((d) => names[d]))];
        if (s.unknownDep) dependsOn.push('nowhere');
        return s.kind === 'kfp'
          ? PipelineStep.kfp(names[i], gbmTrain, { dependsOn, resources: s.resources, arguments: { rounds: 300 } }) // train_csv unbound: rejected
          : PipelineStep.container(names[i], { dependsOn, image: s.image, resources: s.resources, command: ['python', '-c', 'print(1)'] });
      }),
    });
  }),

  propertyCase('GitOpsApplication', fc.record({
    repoURL: fc.constantFrom('https://github.com/acme/ml-platform.git', 'git@github.com:acme/x.git', 'not a url', ''),
    targetRevision: opt(fc.constantFrom('main', 'v1.2.3', '', 'a b')), autoSync: opt(fc.oneof(fc.constant(false as const), fc.record({ prune: opt(fc.boolean()), selfHeal: opt(fc.boolean()) }, { requiredKeys: [] }))),
    // 0.19.2: the version the cluster model has facts for (another one is reported by the model)
    version: fc.constantFrom('1.2.3', '^1.2', 'latest', '0.19.2'), wave: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(0.5)),
  }), (app, p) => {
    new GitOpsApplication(app, 'gitops-argocd', {
      repoURL: p.repoURL, targetRevision: p.targetRevision, autoSync: p.autoSync,
      catalog: { kueue: { name: 'kueue', repository: 'oci://registry.k8s.io/kueue/charts', chart: 'kueue', version: p.version, appVersion: 'v0.19.2', namespace: 'kueue-system', values: {}, syncWave: p.wave, installsCrds: true, clusters: ['gke', 'onprem'] } },
    });
  }),
];

describe('bad-input hardening of the capability constructs (fast-check)', () => {
  runPropertyCases(CASES);
});
