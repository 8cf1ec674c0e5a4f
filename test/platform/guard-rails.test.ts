import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { buildApp } from '../../apps/main';
import { ClusterProfile, ContainerJob, GuardRails, MlscaleApp, PodSecurity, k8s } from '../../constructs';
import { problemMessages } from '../util';

const GPU_PROFILE = () => ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }] });

function app(): { app: MlscaleApp; out: string } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-guard-')), 'charts-out');
  const a = new MlscaleApp({ outdir: out });
  ClusterProfile.use(a, GPU_PROFILE());
  GuardRails.enable(a);
  return { app: a, out };
}

const q = (v: string | number) => (typeof v === 'number' ? k8s.Quantity.fromNumber(v) : k8s.Quantity.fromString(v));
const goodContainer = {
  name: 'main', image: 'python:3.12-slim',
  resources: { requests: { cpu: q('1'), memory: q('1Gi') }, limits: { cpu: q('1'), memory: q('1Gi') } },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
};

describe('GuardRails', () => {
  test('workloads built with mlscale constructs pass', () => {
    const { app: a } = app();
    const chart = new Chart(a, 'ok');
    new ContainerJob(chart, 'train', { container: { image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime', resources: { gpus: 1 } } });
    expect(GuardRails.check(a)).toEqual([]);
  });

  test('a privileged container and an unpinned image anywhere fail synth with one message naming each; output untouched', () => {
    const { app: a, out } = app();
    const chart = new Chart(a, 'raw');
    new k8s.KubeDeployment(chart, 'web', {
      metadata: { name: 'web', namespace: 'team-a' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ ...goodContainer, image: 'nginx', securityContext: { ...goodContainer.securityContext, privileged: true } }] },
        },
      },
    });
    expect(problemMessages(() => a.synth())).toEqual([
      'raw/web: [Deployment team-a/web] spec.template.spec.containers[0].securityContext.privileged is a privileged container; got true, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'raw/web: [Deployment team-a/web] spec.template.spec.containers[0].image is not pinned (no tag or digest); got "nginx", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('Argo templates (single container/script) are checked with the workflow-level pod settings merged in', () => {
    const { app: a } = app();
    const chart = new Chart(a, 'argo');
    const podSecurity = { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } };
    const { securityContext: _sc, ...noSecurityContext } = goodContainer;
    new ApiObject(chart, 'wf', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'wf', namespace: 'team-a' },
      spec: {
        entrypoint: 'main',
        securityContext: podSecurity,
        templates: [
          { name: 'main', dag: { tasks: [{ name: 'a', template: 'ok' }, { name: 'b', template: 'bad' }, { name: 'c', template: 'root' }] } },
          { name: 'ok', container: { ...goodContainer } },
          { name: 'bad', script: { ...noSecurityContext, image: 'python:latest', source: 'print(1)' } },
          { name: 'root', container: { ...goodContainer }, securityContext: { ...podSecurity, runAsUser: 0 } },
        ],
      },
    });
    expect(problemMessages(() => GuardRails.verify(a))).toEqual([
      'argo/wf: [WorkflowTemplate team-a/wf] spec.templates[2](bad).containers[0].securityContext.allowPrivilegeEscalation must be false; got nothing, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'argo/wf: [WorkflowTemplate team-a/wf] spec.templates[2](bad).containers[0].securityContext.capabilities.drop must include ALL; got nothing, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'argo/wf: [WorkflowTemplate team-a/wf] spec.templates[2](bad).containers[0].image uses the mutable tag "latest"; got "python:latest", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
      'argo/wf: [WorkflowTemplate team-a/wf] spec.templates[3](root).securityContext.runAsUser runs as root; got 0, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
    ]);
  });

  test('pod templates embedded in custom resources are found generically', () => {
    const { app: a } = app();
    const chart = new Chart(a, 'crs');
    new ApiObject(chart, 'cluster', {
      apiVersion: 'kubernetes.dask.org/v1', kind: 'DaskCluster', metadata: { name: 'dc', namespace: 'team-a' },
      spec: { worker: { replicas: 2, spec: { containers: [{ name: 'worker', image: 'ghcr.io/dask/dask:latest' }] } } },
    });
    expect(problemMessages(() => GuardRails.verify(a))).toEqual([
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].securityContext.allowPrivilegeEscalation must be false; got nothing, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].securityContext.runAsNonRoot must be true (here or on the pod); got nothing, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].securityContext.seccompProfile.type must be RuntimeDefault or Localhost (here or on the pod); got nothing, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].securityContext.capabilities.drop must include ALL; got nothing, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].image uses the mutable tag "latest"; got "ghcr.io/dask/dask:latest", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].resources lacks requests.cpu, requests.memory, limits.cpu, limits.memory; got nothing, expected requests and limits of cpu and memory on every container',
    ]);
  });

  test('host namespaces, hostPath, root and host ports are caught; a documented exemption skips only the PSS checks', () => {
    const { app: a } = app();
    const chart = new Chart(a, 'pods');
    const spec = {
      hostNetwork: true, securityContext: { runAsUser: 0 }, volumes: [{ name: 'h', hostPath: { path: '/' } }],
      containers: [{ ...goodContainer, ports: [{ containerPort: 80, hostPort: 80 }] }],
    };
    new k8s.KubePod(chart, 'bad', { metadata: { name: 'bad' }, spec: spec as any });
    new k8s.KubePod(chart, 'exempt', {
      metadata: { name: 'exempt', annotations: { 'mlscale.io/pod-security-exemption': 'node agent' } },
      spec: { ...spec, containers: [{ ...goodContainer, image: 'agent' }] } as any,
    });
    expect(problemMessages(() => GuardRails.verify(a))).toEqual([
      'pods/bad: [Pod bad] spec.hostNetwork shares a host namespace; got true, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'pods/bad: [Pod bad] spec.volumes[0] is a volume type restricted pods may not use; got "hostPath", expected one of configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'pods/bad: [Pod bad] spec.securityContext.runAsUser runs as root; got 0, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'pods/bad: [Pod bad] spec.containers[0].ports[0].hostPort binds a host port; got 80, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
      'pods/exempt: [Pod exempt] spec.containers[0].image is not pinned (no tag or digest); got "agent", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
    ]);
  });

  test('PodSecurity.exempt() workloads pass the PSS checks', () => {
    const { app: a } = app();
    new ContainerJob(new Chart(a, 'ex'), 'driver', {
      container: { image: 'python:3.12-slim' },
      podSecurity: PodSecurity.exempt({ reason: 'installs drivers', podSecurityContext: { runAsUser: 0 } }),
    });
    expect(GuardRails.check(a)).toEqual([]);
  });

  test('GPU pods must select an existing GPU class and tolerate its taint', () => {
    const { app: a } = app();
    const gpu = { ...goodContainer, resources: { requests: { ...goodContainer.resources.requests, 'nvidia.com/gpu': q(1) }, limits: { ...goodContainer.resources.limits, 'nvidia.com/gpu': q(1) } } };
    new k8s.KubePod(new Chart(a, 'gpu'), 'p', {
      metadata: { name: 'p' },
      spec: { securityContext: { runAsNonRoot: true }, nodeSelector: { 'mlscale.io/gpu-class': 'h100' }, containers: [gpu as any] },
    });
    expect(problemMessages(() => GuardRails.verify(a))).toEqual([
      'gpu/p: [Pod p] spec.nodeSelector does not select a GPU class of the cluster; got {"mlscale.io/gpu-class":"h100"}, expected mlscale.io/gpu-class (or cloud.google.com/gke-accelerator) naming one of t4 (nvidia-tesla-t4)',
      'gpu/p: [Pod p] spec.tolerations does not tolerate the GPU taint nvidia.com/gpu=present:NoSchedule; got nothing, expected a toleration of nvidia.com/gpu (operator Exists, effect NoSchedule)',
    ]);
  });

  test('no Secret with values; keys are named, values never printed', () => {
    const { app: a } = app();
    new k8s.KubeSecret(new Chart(a, 's'), 'creds', { metadata: { name: 'creds', namespace: 'team-a' }, stringData: { password: 'hunter2' } });
    new k8s.KubeSecret(new Chart(a, 'ok'), 'ref', { metadata: { name: 'empty', namespace: 'team-a' } });
    const messages = problemMessages(() => GuardRails.verify(a));
    expect(messages).toEqual([
      's/creds: [Secret team-a/creds] . is a Secret with values; got ["password"], expected no data or stringData in charts-out: reference a Secret created outside git (External Secrets, Sealed Secrets, a CSI driver)',
    ]);
    expect(messages.join()).not.toContain('hunter2');
  });

  test('the default app runs the guard rails: a bad workload added anywhere fails its synth', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-guard-')), 'charts-out');
    const a = new MlscaleApp({ outdir: out });
    buildApp(a);
    new k8s.KubeJob(new Chart(a, 'someone-else'), 'j', {
      metadata: { name: 'j', namespace: 'team-a' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ ...goodContainer, securityContext: { ...goodContainer.securityContext, privileged: true } }] } } },
    });
    expect(problemMessages(() => a.synth())).toEqual([
      'someone-else/j: [Job team-a/j] spec.template.spec.containers[0].securityContext.privileged is a privileged container; got true, expected Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason',
    ]);
  });
});
