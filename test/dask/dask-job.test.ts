import { Testing } from 'cdk8s';
import { DaskJob } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';
import { admits } from './policy-eval';

describe('DaskJob', () => {
  const job = () => {
    const chart = testChart();
    const j = new DaskJob(chart, 'nightly', {
      namespace: 'team-a',
      workers: { replicas: 2, resources: { cpu: 2, memory: '8Gi' } },
      job: { script: 'from dask.distributed import Client\nprint(Client())\n', resources: { cpu: 0.5, memory: '1Gi' } },
    });
    return { chart, j, docs: byKind(chart) };
  };

  test('synthesizes the job (snapshot)', () => {
    expect(Testing.synth(job().chart)).toMatchSnapshot();
  });

  test('the runner runs the script from a ConfigMap against its own cluster, once, restricted', () => {
    const { docs, j } = job();
    expect(j.runnerPodName).toBe('nightly-runner');
    expect(j.schedulerServiceName).toBe('nightly-scheduler');
    expect(docs.ConfigMap[0]).toMatchObject({ metadata: { name: 'nightly-script', namespace: 'team-a' }, data: { 'main.py': 'from dask.distributed import Client\nprint(Client())\n' } });
    const runner = docs.DaskJob[0].spec.job;
    expect(runner.metadata.labels).toMatchObject({ 'mlscale.io/dask-cluster': 'nightly', 'app.kubernetes.io/component': 'job-runner' });
    expect(runner.spec.restartPolicy).toBe('Never');
    expect(runner.spec.automountServiceAccountToken).toBe(false);
    const c = runner.spec.containers[0];
    expect(c.command).toEqual(['python', '/opt/mlscale/job/main.py']);
    expect(c.volumeMounts).toEqual([{ name: 'script', mountPath: '/opt/mlscale/job', readOnly: true }]);
    expect(runner.spec.volumes).toEqual([{ name: 'script', configMap: { name: 'nightly-script' } }]);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true });
    expect(c.resources.limits).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  test('the job embeds its own cluster spec (scheduler + workers)', () => {
    const spec = job().docs.DaskJob[0].spec.cluster.spec;
    expect(spec.scheduler.service.selector).toEqual({ 'dask.org/cluster-name': 'nightly', 'dask.org/component': 'scheduler' });
    expect(spec.worker.replicas).toBe(2);
    expect(spec.worker.spec.containers[0].args.slice(0, 2)).toEqual(['dask', 'worker']);
  });

  test.each([
    ['the runner', 'team-a', { 'mlscale.io/dask-cluster': 'nightly', 'dask.org/component': 'job-runner' }, 8786, true],
    ['the operator', 'dask-operator', {}, 8787, true],
    ['another pod', 'team-a', { app: 'x' }, 8786, false],
  ])('scheduler NetworkPolicy: %s from %s on %d → %s', (_who, namespace, labels, port, allowed) => {
    const policy = job().docs.NetworkPolicy[0];
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'dask.org/cluster-name': 'nightly', 'dask.org/component': 'scheduler' });
    expect(admits(policy, { namespace, labels }, port)).toBe(allowed);
  });

  test('a command instead of a script: no ConfigMap', () => {
    const chart = testChart();
    new DaskJob(chart, 'cmd', { job: { command: ['python', '-m', 'etl.run'], image: 'ghcr.io/acme/etl:1.2.0' } });
    const docs = byKind(chart);
    expect(docs.ConfigMap).toBeUndefined();
    expect(docs.DaskJob[0].spec.job.spec.containers[0]).toMatchObject({ command: ['python', '-m', 'etl.run'], image: 'ghcr.io/acme/etl:1.2.0' });
  });

  test('exactly one of command and script', () => {
    expect(problemMessages(() => new DaskJob(testChart(), 'j', { job: {} }))).toEqual([
      'test/j: job must set exactly one of command and script; got [], expected either `command` or `script`',
    ]);
    expect(problemMessages(() => new DaskJob(testChart(), 'j', { job: { command: ['x'], script: 'y' } }))).toEqual([
      'test/j: job must set exactly one of command and script; got ["command","script"], expected either `command` or `script`',
    ]);
  });
});
