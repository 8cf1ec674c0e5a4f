import { Duration, Testing } from 'cdk8s';
import { SecretRef, ClusterProfile, ContainerJob, PodSecurity, LocalQueueRef } from '../../constructs';
import { problemMessages, testChart } from '../util';

describe('ContainerJob', () => {
  const gpuJob = () => {
    const chart = testChart(ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4', gpusPerNode: 2 }] }));
    new ContainerJob(chart, 'train', {
      namespace: 'team-a',
      container: { image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime', command: ['python', 'train.py'], resources: { cpu: 4, memory: '16Gi', gpus: 2 } },
      queue: LocalQueueRef.fromName('team-a', 'team-a-gpu'),
    });
    return Testing.synth(chart);
  };

  test('GPU job: limits, placement, restricted security, failure defaults', () => {
    const [job] = gpuJob();
    expect(job).toMatchSnapshot();
    const spec = job.spec.template.spec;
    const c = spec.containers[0];
    expect(c.resources.limits).toEqual({ 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': 2 });
    expect(c.resources.requests).toEqual(c.resources.limits);
    expect(spec.nodeSelector['cloud.google.com/gke-accelerator']).toBe('nvidia-tesla-t4');
    expect(spec.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(spec.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '4096Mi' } });
    expect(c.volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 86400, suspend: true });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined(); // GitOps would re-create a TTL-deleted job
    expect(job.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('team-a-gpu');
  });

  test('CPU job: no GPU selectors, no shm, defaults applied', () => {
    const chart = testChart();
    new ContainerJob(chart, 'etl', { container: { image: 'python:3.12-slim' }, activeDeadline: Duration.minutes(30), ttlAfterFinished: Duration.hours(2) });
    const [job] = Testing.synth(chart);
    const spec = job.spec.template.spec;
    expect(spec.nodeSelector).toBeUndefined();
    expect(spec.tolerations).toBeUndefined();
    expect(spec.volumes).toBeUndefined();
    expect(spec.containers[0].resources).toEqual({ limits: { cpu: '1', memory: '2Gi' }, requests: { cpu: '1', memory: '2Gi' } });
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 7200 });
    expect(job.spec.suspend).toBeUndefined();
  });

  test('secrets are referenced, never inlined', () => {
    const chart = testChart();
    new ContainerJob(chart, 'j', { container: { image: 'python:3.12-slim', env: { TOKEN: SecretRef.fromName('creds').key('token'), MODE: 'fast' } } });
    const env = Testing.synth(chart)[0].spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }, { name: 'MODE', value: 'fast' }]);
  });

  test('a documented exemption is annotated on the pod', () => {
    const chart = testChart();
    new ContainerJob(chart, 'j', {
      container: { image: 'python:3.12-slim' },
      podSecurity: PodSecurity.exempt({ reason: 'needs root to install drivers', podSecurityContext: { runAsUser: 0 } }),
    });
    const tpl = Testing.synth(chart)[0].spec.template;
    expect(tpl.metadata.annotations).toEqual({ 'mlscale.io/pod-security-exemption': 'needs root to install drivers' });
    expect(tpl.spec.securityContext).toEqual({ runAsUser: 0 });
  });

  test('every bad input is reported at once with path, field, value and what is allowed', () => {
    expect(problemMessages(() => new ContainerJob(testChart(), 'Bad_Name', {
      container: { image: 'busybox', resources: { cpu: 0, memory: '4GB', gpus: 0.5, memoryLimit: '1Mi' } },
      backoffLimit: -1,
    }))).toEqual([
      'test/Bad_Name: name is not a valid Kubernetes name; got "Bad_Name", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'test/Bad_Name: backoffLimit is out of range; got -1, expected an integer from 0 to 100',
      'test/Bad_Name: pod.containers[0].image is not pinned (no tag or digest); got "busybox", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
      'test/Bad_Name: pod.containers[0].resources.cpu is not a valid CPU quantity; got 0, expected a positive number of cores (0.5, 2) or a quantity ("500m")',
      'test/Bad_Name: pod.containers[0].resources.memory is not a valid memory quantity; got "4GB", expected a positive quantity with a unit, e.g. "512Mi", "4Gi"',
      'test/Bad_Name: pod.containers[0].resources.gpus must be a whole number of GPUs; got 0.5, expected an integer from 0 to 16 (fractional GPUs: use a GPU class with sharing)',
    ]);
  });

  test('limits below requests and GPUs without a type are rejected', () => {
    expect(problemMessages(() => new ContainerJob(testChart(), 'j', {
      container: { image: 'python:3.12-slim', resources: { cpu: 2, cpuLimit: 1, memory: '4Gi', memoryLimit: '2Gi', gpus: 1 } },
    }))).toEqual([
      'test/j: pod.containers[0].resources.cpuLimit is below the CPU request (2); got 1, expected a limit ≥ the request',
      'test/j: pod.containers[0].resources.memoryLimit is below the memory request (4Gi); got "2Gi", expected a limit ≥ the request',
      'test/j: pod.containers[0].resources.gpuType is required when GPUs are requested; got nothing, expected one of nvidia-a100-80gb, nvidia-h100-80gb, nvidia-l4, nvidia-tesla-a100, nvidia-tesla-t4, nvidia-tesla-v100',
    ]);
  });

  test('runAsUser 0 is rejected under restricted', () => {
    expect(problemMessages(() => new ContainerJob(testChart(), 'j', {
      container: { image: 'python:3.12-slim' }, podSecurity: PodSecurity.restricted({ runAsUser: 0 }),
    }))).toEqual(['test/j: pod.podSecurity.runAsUser must be a non-root UID; got 0, expected an integer from 1 to 2147483647']);
  });

  test('sub-second durations and non-string env values are validation problems, not crashes', () => {
    expect(problemMessages(() => new ContainerJob(testChart(), 'j', {
      container: { image: 'python:3.12-slim', env: { A: null as never } },
      activeDeadline: Duration.millis(1500),
      ttlAfterFinished: Duration.millis(10),
    }))).toEqual([
      'test/j: activeDeadline must be a whole number of seconds ≥ 1; got 1.5, expected a whole number of seconds ≥ 1',
      'test/j: ttlAfterFinished must be a whole number of seconds ≥ 0; got 0.01, expected a whole number of seconds ≥ 0',
      'test/j: pod.containers[0].env.A is not an environment value; got null, expected a string, a Secret key, a ConfigMap key or { fieldPath }',
    ]);
  });
});
