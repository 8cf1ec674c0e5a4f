/**
 * The documented escape hatch, `apiObject.addJsonPatch(...)`, keeps patched quantities and
 * int-or-strings given as plain values on every kind of construct (issue 18, item 4). Built on the
 * typed cdk8s bindings (`new k8s.KubeJob(...)`), the patched JSON went through the binding's
 * converter again, which dropped them (a Job's patched CPU limit vanished).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { ContainerJob, DaskGateway, GpuQueues, PyTorchJob, SharedVolume, Team } from '../../constructs';
import { testChart } from '../util';

function patched(build: (chart: ReturnType<typeof testChart>) => ApiObject, ...patches: JsonPatch[]): any {
  const chart = testChart();
  const obj = build(chart);
  obj.addJsonPatch(...patches);
  return Testing.synth(chart).find((d: any) => d.kind === obj.kind && d.metadata.name === obj.name);
}

describe('addJsonPatch on every kind of construct', () => {
  test('a Job (ContainerJob): a patched CPU limit and an added ephemeral-storage limit are kept', () => {
    const job = patched((c) => new ContainerJob(c, 'j', { namespace: 'a', container: { image: 'busybox:1.36.1' } }).apiObject,
      JsonPatch.replace('/spec/template/spec/containers/0/resources/limits/cpu', '2'),
      JsonPatch.add('/spec/template/spec/containers/0/resources/limits/ephemeral-storage', '1Gi'));
    expect(job.spec.template.spec.containers[0].resources.limits).toEqual({ 'cpu': '2', 'memory': '2Gi', 'ephemeral-storage': '1Gi' });
  });

  test('a Deployment and a Service (DaskGateway): replicas-free quantities and a numeric targetPort', () => {
    const chart = testChart();
    const gw = new DaskGateway(chart, 'gw', { namespace: 'dask-gateway', clusterNamespace: 'ml' });
    const deployment = gw.node.findAll().find((n) => ApiObject.isApiObject(n) && (n as ApiObject).kind === 'Deployment' && (n as ApiObject).name === 'gw-proxy') as ApiObject;
    const service = gw.node.findAll().find((n) => ApiObject.isApiObject(n) && (n as ApiObject).kind === 'Service' && (n as ApiObject).name === 'gw-proxy') as ApiObject;
    deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/resources/limits/memory', '1Gi'));
    service.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 8000));
    const docs = Testing.synth(chart);
    expect(docs.find((d: any) => d.kind === 'Deployment' && d.metadata.name === 'gw-proxy').spec.template.spec.containers[0].resources.limits.memory).toBe('1Gi');
    expect(docs.find((d: any) => d.kind === 'Service' && d.metadata.name === 'gw-proxy').spec.ports[0].targetPort).toBe(8000);
  });

  test('a PersistentVolumeClaim (SharedVolume) and a ResourceQuota (Team): patched storage and quota', () => {
    const pvc = patched((c) => new SharedVolume(c, 'v', { namespace: 'a', size: '10Gi' }).apiObject, JsonPatch.replace('/spec/resources/requests/storage', '20Gi'));
    expect(pvc.spec.resources.requests.storage).toBe('20Gi');
    const quota = patched((c) => {
      new GpuQueues(c, 'flavors');
      return new Team(c, 'team-a', { quota: { cpu: 8, memory: '32Gi' } }).resourceQuota;
    }, JsonPatch.add('/spec/hard/requests.ephemeral-storage', '100Gi'));
    expect(quota.spec.hard['requests.ephemeral-storage']).toBe('100Gi');
  });

  test('a custom resource (PyTorchJob) keeps them too', () => {
    const job = patched((c) => new PyTorchJob(c, 't', { namespace: 'a', image: 'ghcr.io/acme/t:1' }).apiObject,
      JsonPatch.replace('/spec/pytorchReplicaSpecs/Master/template/spec/containers/0/resources/limits/cpu', '3'));
    expect(job.spec.pytorchReplicaSpecs.Master.template.spec.containers[0].resources.limits.cpu).toBe('3');
  });

  test('Kueue objects (a Team\'s ClusterQueue): a patched nominal quota, given as a plain number, is kept', () => {
    const chart = testChart();
    new GpuQueues(chart, 'flavors');
    const team = new Team(chart, 'team-a', { quota: { cpu: 8, memory: '32Gi' } });
    team.queue.clusterQueue.addJsonPatch(JsonPatch.replace('/spec/resourceGroups/0/flavors/0/resources/0/nominalQuota', 16));
    const cq = Testing.synth(chart).find((d: any) => d.kind === 'ClusterQueue');
    expect(cq.spec.resourceGroups[0].flavors[0].resources[0]).toMatchObject({ name: 'cpu', nominalQuota: 16 });
  });

  test('Traefik objects (the gateway\'s IngressRoute): a patched int-or-string port is kept', () => {
    const chart = testChart();
    new DaskGateway(chart, 'gw', { namespace: 'dask-gateway', clusterNamespace: 'ml' });
    const route = chart.node.findAll().find((n) => ApiObject.isApiObject(n) && (n as ApiObject).kind === 'IngressRoute') as ApiObject;
    route.addJsonPatch(JsonPatch.replace('/spec/routes/0/services/0/port', 8001));
    const doc = Testing.synth(chart).find((d: any) => d.kind === 'IngressRoute');
    expect(doc.spec.routes[0].services[0].port).toBe(8001);
  });

  test('no construct or app builds a kind with quantities or int-or-strings through its typed binding (k8sObject instead)', () => {
    const risky = /new (k8s\.Kube(Job|Deployment|Service|PersistentVolumeClaim|ResourceQuota|LimitRange|PodDisruptionBudget|NetworkPolicy|Ingress|StatefulSet|DaemonSet|Pod|HorizontalPodAutoscaler)|\w+V1Beta2|traefik\.\w+)\(/;
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== 'imports') walk(p);
        } else if (e.name.endsWith('.ts')) {
          fs.readFileSync(p, 'utf8').split('\n').forEach((l, i) => {
            if (risky.test(l) && !/^\s*(\*|\/\/)/.test(l)) found.push(`${path.relative(path.resolve(__dirname, '..', '..'), p)}:${i + 1}`);
          });
        }
      }
    };
    for (const d of ['constructs', 'examples']) walk(path.resolve(__dirname, '..', '..', d));
    expect(found).toEqual([]);
  });
});
