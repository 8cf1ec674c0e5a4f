import { Chart } from 'cdk8s';
import { ModelServer, SharedVolume, TensorBoard } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

const setup = (): [Chart, SharedVolume] => {
  const chart = testChart();
  return [chart, new SharedVolume(chart, 'models', { namespace: 'team-a' })];
};

describe('TensorBoard', () => {
  test('Deployment + Service + PDB reading the shared volume read-only', () => {
    const [chart, vol] = setup();
    const tb = new TensorBoard(chart, 'tb', { namespace: 'team-a', logs: vol.mount('/logs', { subPath: 'run/ckpt' }) });
    const docs = byKind(chart);
    expect(docs).toMatchSnapshot();
    const pod = docs.Deployment[0].spec.template.spec;
    expect(pod.containers[0].args).toEqual(['--logdir=/logs', '--bind_all', '--port=6006']);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'models', mountPath: '/logs', subPath: 'run/ckpt', readOnly: true }]);
    expect(pod.volumes).toEqual([{ name: 'models', persistentVolumeClaim: { claimName: 'models' } }]);
    expect(docs.Service[0].spec.ports).toEqual([{ name: 'http', port: 6006, targetPort: 'http', protocol: 'TCP' }]);
    // one PDB builder (core/deployment.ts): a crash-looping pod does not block a drain
    expect(docs.PodDisruptionBudget[0].spec).toEqual({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: docs.Deployment[0].spec.selector.matchLabels } });
    expect(tb.serviceName).toBe('tb');
  });
});

describe('ModelServer', () => {
  test('TF Serving on the model path, readiness probe, two replicas, PDB', () => {
    const [chart, vol] = setup();
    const ms = new ModelServer(chart, 'serving', { namespace: 'team-a', modelName: 'mnist', model: vol.mount('/models/mnist', { subPath: 'export' }) });
    const docs = byKind(chart);
    expect(docs).toMatchSnapshot();
    const d = docs.Deployment[0];
    expect(d.spec.replicas).toBe(2);
    const c = d.spec.template.spec.containers[0];
    expect(c.args).toContain('--model_base_path=/models/mnist');
    expect(c.args).toContain('--model_name=mnist');
    expect(c.readinessProbe.httpGet).toEqual({ path: '/v1/models/mnist', port: 'http' });
    expect(c.volumeMounts[0]).toMatchObject({ mountPath: '/models/mnist', readOnly: true });
    expect(c.resources.limits).toEqual({ cpu: '1', memory: '4Gi' });
    expect(docs.Service[0].spec.ports.map((p: any) => p.port)).toEqual([8500, 8501]);
    expect(docs.PodDisruptionBudget).toHaveLength(1);
    expect(ms.restUrl).toBe('http://serving:8501/v1/models/mnist');
  });

  test('bad input', () => {
    const [chart, vol] = setup();
    expect(problemMessages(() => new ModelServer(chart, 'serving', { modelName: 'my model', model: vol.mount('/m'), replicas: 0 }))).toEqual([
      'test/serving: modelName is not a valid model name; got "my model", expected letters, digits, "_", "." and "-", starting with a letter or digit',
      'test/serving: replicas must be a whole number ≥ 1; got 0, expected an integer from 1 to 100',
    ]);
  });
});
