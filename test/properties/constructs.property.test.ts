/**
 * Bad-input hardening: property tests over the props of every exported construct (≥ 200 runs each).
 * To cover a new construct, add one `propertyCase(...)` to CASES.
 */
import { Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ClusterProfile, ContainerJob, GpuQueues, PodSecurity, PriorityClasses, ServiceDisruptionBudget, Team, TeamNetworkPolicy, TeamQueue, LocalQueueRef,
} from '../../constructs';
import { count, cpu, gpuType, image, memory, name, opt } from './arbitraries';
import { propertyCase, runPropertyCases } from './harness';

const resources = () => fc.record({
  cpu: opt(cpu()), memory: opt(memory()), cpuLimit: opt(cpu()), memoryLimit: opt(memory()),
  gpus: opt(count(10)), gpuType: opt(gpuType()), gpuClass: opt(fc.constantFrom('t4', 'a100', 'a100-mig', 'h100')),
  ephemeralStorage: opt(memory()),
}, { requiredKeys: [] });

const CASES = [
  propertyCase('ContainerJob', fc.record({
    name: opt(name()), namespace: opt(name()), image: image(), resources: opt(resources()),
    backoffLimit: opt(count(120)), deadline: opt(fc.integer({ min: 0, max: 200_000 })), ttl: opt(fc.integer({ min: 0, max: 200_000 })),
    queue: opt(name()), restartPolicy: opt(fc.constantFrom('Never' as const, 'OnFailure' as const)),
    env: opt(fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_.-]{0,6}$/), fc.oneof(fc.string({ maxLength: 5 }),
      fc.constant({ secretKeyRef: { name: 'creds', key: 'token' } }), fc.constant({}) as fc.Arbitrary<any>), { maxKeys: 3 })),
    ports: opt(fc.array(fc.record({ name: name(), port: fc.integer({ min: -1, max: 70000 }) }), { maxLength: 2 })),
    sharedMemory: opt(fc.oneof(memory(), fc.constant(false as const))),
    sidecarImage: opt(image()),
  }), (app, p) => {
    new ContainerJob(new Chart(app, 'jobs'), 'job', {
      name: p.name, namespace: p.namespace, container: { image: p.image, resources: p.resources, env: p.env, ports: p.ports },
      backoffLimit: p.backoffLimit, activeDeadline: p.deadline === undefined ? undefined : Duration.seconds(p.deadline),
      ttlAfterFinished: p.ttl === undefined ? undefined : Duration.seconds(p.ttl), queue: p.queue === undefined ? undefined : LocalQueueRef.fromName(p.namespace ?? 'default', p.queue), restartPolicy: p.restartPolicy,
      sharedMemory: p.sharedMemory, sidecars: p.sidecarImage ? [{ name: 'sidecar', image: p.sidecarImage }] : undefined,
    });
  }),

  propertyCase('PodSecurity', fc.oneof(
    fc.record({ runAsUser: opt(count(70000)), runAsGroup: opt(count(70000)), fsGroup: opt(count(70000)), readOnlyRootFilesystem: opt(fc.boolean()) })
      .map((o) => PodSecurity.restricted(o)),
    fc.record({ reason: fc.oneof(fc.constant(''), fc.constant('  '), fc.string({ maxLength: 20 })) }).map((o) => PodSecurity.exempt(o)),
  ), (app, podSecurity) => {
    new ContainerJob(new Chart(app, 'jobs'), 'job', { container: { image: 'python:3.12-slim' }, podSecurity });
  }),

  propertyCase('resources', resources(), (app, r) => {
    new ContainerJob(new Chart(app, 'jobs'), 'job', { container: { image: 'python:3.12-slim', resources: r } });
  }),

  propertyCase('images', fc.array(image(), { minLength: 1, maxLength: 3 }), (app, images) => {
    new ContainerJob(new Chart(app, 'jobs'), 'job', {
      container: { image: images[0] }, sidecars: images.slice(1).map((img, i) => ({ name: `side-${i}`, image: img })),
    });
  }),

  propertyCase('names', fc.record({ job: name(), team: name(), queue: name() }), (app, n) => {
    const chart = new Chart(app, 'names');
    new Team(chart, 'team', { name: n.team });
    new ContainerJob(chart, 'job', { name: n.job, namespace: n.team, queue: LocalQueueRef.fromName(n.team, n.queue), container: { image: 'python:3.12-slim' } });
  }),

  propertyCase('ClusterProfile', fc.record({
    onPrem: fc.boolean(),
    classes: fc.array(fc.record({
      name: name(), type: gpuType(), gpusPerNode: opt(fc.constantFrom(1, 2, 3, 4, 8, 16)), spot: opt(fc.boolean()),
      minNodes: opt(count(5)), maxNodes: opt(count(10)),
      sharing: opt(fc.oneof(
        fc.record({ strategy: fc.constantFrom('time-sharing' as const, 'mps' as const), maxSharedClientsPerGpu: count(60) }),
        fc.record({ strategy: fc.constant('mig' as const), partitionSize: fc.constantFrom('1g.5gb', '3g.40gb', '9g.1gb') }))),
    }, { requiredKeys: ['name', 'type'] }), { maxLength: 3 }),
    gpus: count(4),
  }), (app, p) => {
    const profile = p.onPrem ? ClusterProfile.onPrem({ gpuClasses: p.classes }) : ClusterProfile.gke({ gpuClasses: p.classes });
    ClusterProfile.use(app, profile);
    const chart = new Chart(app, 'cluster');
    new GpuQueues(chart, 'flavors');
    new Team(chart, 'team-a', { quota: { gpus: Object.fromEntries(p.classes.map((c) => [c.name, 1])) } });
    new ContainerJob(chart, 'job', { container: { image: 'python:3.12-slim', resources: { gpus: p.gpus, gpuClass: p.classes[0]?.name } } });
  }),

  propertyCase('Team', fc.record({
    quota: opt(fc.record({
      cpu: opt(cpu()), memory: opt(memory()), storage: opt(memory()),
      gpus: opt(fc.dictionary(fc.constantFrom('t4', 'a100', 'a100-mig', 'v100'), count(20), { maxKeys: 3 })),
      objects: opt(fc.record({ pods: opt(count(1000)), secrets: opt(count(100)), jobs: opt(count(100)) }, { requiredKeys: [] })),
    }, { requiredKeys: [] })),
    borrowingLimit: opt(fc.record({ cpu: opt(cpu()), memory: opt(memory()), gpus: opt(fc.dictionary(fc.constantFrom('t4', 'a100'), count(20), { maxKeys: 2 })) },
      { requiredKeys: [] })),
    members: opt(fc.record({ users: opt(fc.array(fc.string({ maxLength: 12 }), { maxLength: 2 })), groups: opt(fc.array(fc.string({ maxLength: 12 }), { maxLength: 2 })) },
      { requiredKeys: [] })),
    containerDefaults: opt(fc.record({ cpu: opt(cpu()), memory: opt(memory()) }, { requiredKeys: [] })),
    cohort: opt(name()),
  }), (app, p) => {
    new Team(new Chart(app, 'teams'), 'team-a', p);
  }),

  propertyCase('TeamQueue', fc.record({ namespace: name(), name: opt(name()), cohort: opt(name()), cpu: opt(cpu()), memory: opt(memory()),
    gpus: opt(fc.dictionary(fc.constantFrom('t4', 'a100', 'x'), count(30), { maxKeys: 2 })) }), (app, p) => {
    new TeamQueue(new Chart(app, 'queues'), 'queue', { namespace: p.namespace, name: p.name, cohort: p.cohort, quota: { cpu: p.cpu, memory: p.memory, gpus: p.gpus } });
  }),

  propertyCase('TeamNetworkPolicy', fc.record({
    namespace: name(),
    objectStore: opt(fc.record({
      namespace: opt(name()), cidr: opt(fc.constantFrom('10.0.0.0/8', '199.36.153.8/30', '300.1.1.1/8', '10.0.0.0/33', '::1/128')),
      port: fc.integer({ min: -1, max: 70000 }),
    }, { requiredKeys: ['port'] })),
    kubernetesApiCidr: opt(fc.constantFrom('0.0.0.0/0', '172.16.0.0/28', 'x', '1.2.3.4')),
    daskControllerNamespaces: opt(fc.array(name(), { maxLength: 2 })),
  }), (app, p) => {
    new TeamNetworkPolicy(new Chart(app, 'net'), 'net', p);
  }),

  propertyCase('PriorityClasses + GpuQueues + ServiceDisruptionBudget', fc.record({
    values: opt(fc.record({ service: opt(count(2e9)), interactive: opt(count(100000)), batch: opt(count(100000)) }, { requiredKeys: [] })),
    pdb: fc.record({ name: opt(name()), namespace: opt(name()), selector: fc.dictionary(fc.constantFrom('app', 'app.kubernetes.io/name'), fc.string({ maxLength: 8 }), { maxKeys: 2 }) }),
  }), (app, p) => {
    const chart = new Chart(app, 'cluster');
    new PriorityClasses(chart, 'priorities', { values: p.values });
    new GpuQueues(chart, 'flavors');
    new ServiceDisruptionBudget(chart, 'pdb', p.pdb);
  }),
];

describe('bad-input hardening (fast-check)', () => {
  runPropertyCases(CASES);
});
