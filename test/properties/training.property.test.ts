/**
 * Bad-input hardening of the training constructs (≥ 200 runs each), with the shared harness:
 * random props give schema-valid, guard-rail-clean output or an MlscaleValidationError.
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  HyperparameterSweep, ModelServer, PyTorchJob, SharedVolume, TensorBoard, TfJob, TorchDistributedRuntime, TrainJob, LocalQueueRef,
} from '../../constructs';
import { count, cpu, gpuType, image, memory, name, opt } from './arbitraries';
import { propertyCase, runPropertyCases } from './harness';

const resources = () => fc.record({
  cpu: opt(cpu()), memory: opt(memory()), gpus: opt(count(4)), gpuType: opt(gpuType()),
}, { requiredKeys: [] });

const replica = () => fc.record({
  replicas: opt(count(4)), resources: opt(resources()),
  restartPolicy: opt(fc.constantFrom('OnFailure' as const, 'Never' as const, 'Always' as const, 'ExitCode' as const)),
}, { requiredKeys: [] });

const hyperparameters = () => opt(fc.dictionary(fc.stringMatching(/^[a-z_]{0,6}$/), fc.oneof(fc.double({ noNaN: false }), fc.string({ maxLength: 4 }), fc.boolean()), { maxKeys: 3 }));

const CASES = [
  propertyCase('PyTorchJob', fc.record({
    name: opt(name()), image: image(), resources: opt(resources()), master: opt(replica()), worker: opt(replica()),
    nprocPerNode: opt(fc.oneof(count(8), fc.constantFrom('gpu' as const, 'auto' as const, 'cpu' as const))),
    queue: opt(name()), hyperparameters: hyperparameters(),
  }), (app, p) => {
    new PyTorchJob(new Chart(app, 'train'), 'job', { namespace: 'team-a', ...p, queue: p.queue === undefined ? undefined : LocalQueueRef.fromName('team-a', p.queue) });
  }),

  propertyCase('TfJob', fc.record({
    image: image(), chief: opt(replica()), ps: opt(replica()), worker: opt(replica()), resources: opt(resources()),
  }), (app, p) => {
    new TfJob(new Chart(app, 'train'), 'tf', { namespace: 'team-a', ...p });
  }),

  propertyCase('HyperparameterSweep', fc.record({
    parameters: fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), fc.oneof(
      { weight: 3, arbitrary: fc.record({ values: fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }) }) },
      fc.record({ values: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', '')), { maxLength: 4 }) }),
      fc.record({ min: fc.double({ min: -1, max: 1, noNaN: true }), max: fc.double({ min: -1, max: 2, noNaN: true }),
        scale: opt(fc.constantFrom('linear' as const, 'log' as const)), integer: opt(fc.boolean()) }),
    ), { minKeys: 1, maxKeys: 2 }),
    algorithm: opt(fc.constantFrom('grid' as const, 'grid' as const, 'random' as const, 'bayesianoptimization' as const)),
    trials: opt(fc.oneof(count(30), fc.constant(2001))), seed: opt(count(100)), maxParallel: opt(count(5)),
  }), (app, p) => {
    new HyperparameterSweep(new Chart(app, 'sweep'), 'sweep', {
      namespace: 'team-a', ...p,
      job: (t) => ({ image: 'ghcr.io/acme/train:1.2.3', args: Object.entries(t.parameters).flat(), resources: { cpu: 1, memory: '2Gi' } }),
    });
  }),

  propertyCase('SharedVolume + TensorBoard + ModelServer', fc.record({
    size: opt(memory()), storageClass: opt(name()), mountPath: fc.constantFrom('/models', '/mnt/shared/x', 'relative', '/', '/a/../b'),
    subPath: opt(fc.constantFrom('ok/dir', '../escape', '/abs', '')), modelName: fc.oneof(name(), fc.constant('Bad Name')),
    replicas: opt(count(4)), image: opt(image()),
  }), (app, p) => {
    const chart = new Chart(app, 'serve');
    const volume = new SharedVolume(chart, 'models', { namespace: 'team-a', size: p.size, storageClass: p.storageClass });
    const mount = volume.mount(p.mountPath, { subPath: p.subPath });
    new TensorBoard(chart, 'tb', { namespace: 'team-a', logs: mount, image: p.image });
    new ModelServer(chart, 'serving', { namespace: 'team-a', modelName: p.modelName, model: mount, replicas: p.replicas, image: p.image });
  }),

  propertyCase('TorchDistributedRuntime + TrainJob', fc.record({
    image: image(), numNodes: opt(count(8)), resourcesPerNode: opt(resources()), clusterWide: opt(fc.boolean()), maxRestarts: opt(count(5)),
    jobNodes: opt(count(8)), numProcPerNode: opt(count(8)), queue: opt(name()),
  }), (app, p) => {
    const chart = new Chart(app, 'trainer');
    const runtime = new TorchDistributedRuntime(chart, 'torch', {
      namespace: p.clusterWide ? undefined : 'team-a', clusterWide: p.clusterWide, image: p.image, numNodes: p.numNodes,
      resourcesPerNode: p.resourcesPerNode, maxRestarts: p.maxRestarts, script: 'train.py',
    });
    new TrainJob(chart, 'train', { namespace: 'team-a', runtime, numNodes: p.jobNodes, numProcPerNode: p.numProcPerNode, queue: p.queue === undefined ? undefined : LocalQueueRef.fromName('team-a', p.queue) });
  }),
];

describe('bad-input hardening of the training constructs (fast-check)', () => {
  runPropertyCases(CASES);
});
