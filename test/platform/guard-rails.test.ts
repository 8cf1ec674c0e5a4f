import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { buildApp } from '../../examples/apps/main';
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
      'raw/web: [Deployment team-a/web] spec.template.spec.containers[0].securityContext.privileged runs a privileged container (Pod Security check privileged); got true, expected false or unset (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'raw/web: [Deployment team-a/web] spec.template.spec.containers[0].image is not pinned (no tag or digest); got "nginx", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('objects a synth hook adds after the guard rails were enabled are checked too (they run once the tree is final)', () => {
    const { app: a, out } = app();
    new Chart(a, 'empty');
    // registered after GuardRails.enable: as a hook, the guard rails ran before it and missed its pod
    a.addSynthHook((root) => {
      const late = new Chart(root, 'late');
      new k8s.KubePod(late, 'pod', { metadata: { name: 'late', namespace: 'team-a' }, spec: { containers: [{ ...goodContainer, securityContext: { ...goodContainer.securityContext, privileged: true } }] } });
    });
    expect(problemMessages(() => a.synth())).toEqual([
      'late/pod: [Pod team-a/late] spec.containers[0].securityContext.privileged runs a privileged container (Pod Security check privileged); got true, expected false or unset (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('an environment\'s guard rails run at the root app\'s synth', () => {
    const { app: a, out } = app();
    new Chart(a, 'root-chart');
    const env = a.addEnvironment('staging');
    ClusterProfile.use(env, GPU_PROFILE());
    GuardRails.enable(env);
    const chart = new Chart(env, 'raw');
    new k8s.KubePod(chart, 'pod', { metadata: { name: 'p', namespace: 'team-a' }, spec: { containers: [{ ...goodContainer, image: 'nginx' }] } });
    expect(problemMessages(() => a.synth())).toEqual([
      'raw/pod: [Pod team-a/p] spec.containers[0].image is not pinned (no tag or digest); got "nginx", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
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
      'argo/wf: [WorkflowTemplate team-a/wf] spec.templates[2](bad).containers[0].securityContext.allowPrivilegeEscalation does not forbid privilege escalation (Pod Security check allowPrivilegeEscalation); got nothing, expected false (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'argo/wf: [WorkflowTemplate team-a/wf] spec.templates[2](bad).containers[0].securityContext.capabilities.drop does not drop ALL capabilities (Pod Security check capabilities_restricted); got nothing, expected a list including "ALL" (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'argo/wf: [WorkflowTemplate team-a/wf] spec.templates[2](bad).containers[0].image uses the mutable tag "latest"; got "python:latest", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
      'argo/wf: [WorkflowTemplate team-a/wf] spec.templates[3](root).securityContext.runAsUser runs as root (Pod Security check runAsUser); got 0, expected a non-zero UID or unset (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
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
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].securityContext.allowPrivilegeEscalation does not forbid privilege escalation (Pod Security check allowPrivilegeEscalation); got nothing, expected false (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].securityContext.capabilities.drop does not drop ALL capabilities (Pod Security check capabilities_restricted); got nothing, expected a list including "ALL" (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].securityContext.runAsNonRoot is unset and the pod does not set runAsNonRoot: true (Pod Security check runAsNonRoot); got nothing, expected true here or on the pod (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].securityContext.seccompProfile.type is unset and the pod sets no allowed seccomp profile (Pod Security check seccompProfile_restricted); got nothing, expected "RuntimeDefault" or "Localhost" here or on the pod (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].image uses the mutable tag "latest"; got "ghcr.io/dask/dask:latest", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
      'crs/cluster: [DaskCluster team-a/dc] spec.worker.spec.containers[0].resources lacks requests.cpu, requests.memory, limits.cpu, limits.memory; got nothing, expected requests and limits of cpu and memory on every container',
    ]);
  });

  test('host namespaces, hostPath, root and host ports are caught; a documented exemption lifts mlscale\'s rule, not admission\'s', () => {
    const { app: a } = app();
    const chart = new Chart(a, 'pods');
    new k8s.KubeNamespace(chart, 'agents', { metadata: { name: 'node-agents', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
    const spec = {
      hostNetwork: true, securityContext: { runAsUser: 0 }, volumes: [{ name: 'h', hostPath: { path: '/' } }],
      containers: [{ ...goodContainer, ports: [{ containerPort: 80, hostPort: 80 }] }],
    };
    new k8s.KubePod(chart, 'bad', { metadata: { name: 'bad' }, spec: spec as any });
    const exempt = { 'mlscale.io/pod-security-exemption': 'node agent' };
    new k8s.KubePod(chart, 'exempt', {
      metadata: { name: 'exempt', namespace: 'node-agents', annotations: exempt },
      spec: { ...spec, containers: [{ ...goodContainer, image: 'agent' }] } as any,
    });
    new k8s.KubePod(chart, 'exempt-elsewhere', { metadata: { name: 'exempt', namespace: 'team-x', annotations: exempt }, spec: { ...spec, volumes: [] } as any });
    const why = 'Pod Security admission rejects the pod: namespace team-x is not defined in the app, so it is taken to enforce "restricted:v1.32"; the annotation mlscale.io/pod-security-exemption does not exempt it';
    expect(problemMessages(() => GuardRails.verify(a))).toEqual([
      'pods/bad: [Pod bad] spec.hostNetwork shares a host namespace (Pod Security check hostNamespaces); got true, expected false or unset (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'pods/bad: [Pod bad] spec.containers[0].ports[0].hostPort binds a host port (Pod Security check hostPorts); got 80, expected 0 or unset (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'pods/bad: [Pod bad] spec.volumes[0].hostPath is a volume type restricted pods may not use (Pod Security check restrictedVolumes); got "hostPath", expected one of configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'pods/bad: [Pod bad] spec.securityContext.runAsUser runs as root (Pod Security check runAsUser); got 0, expected a non-zero UID or unset (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'pods/exempt: [Pod node-agents/exempt] spec.containers[0].image is not pinned (no tag or digest); got "agent", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
      `pods/exempt-elsewhere: [Pod team-x/exempt] spec.hostNetwork shares a host namespace (Pod Security check hostNamespaces); got true, expected false or unset (${why})`,
      `pods/exempt-elsewhere: [Pod team-x/exempt] spec.containers[0].ports[0].hostPort binds a host port (Pod Security check hostPorts); got 80, expected 0 or unset (${why})`,
      `pods/exempt-elsewhere: [Pod team-x/exempt] spec.securityContext.runAsUser runs as root (Pod Security check runAsUser); got 0, expected a non-zero UID or unset (${why})`,
    ]);
  });

  test('PodSecurity.exempt() workloads pass where admission allows them (a namespace labelled privileged), and are reported elsewhere', () => {
    const { app: a } = app();
    const chart = new Chart(a, 'ex');
    new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'drivers', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
    const podSecurity = PodSecurity.exempt({ reason: 'installs drivers', podSecurityContext: { runAsUser: 0 } });
    new ContainerJob(chart, 'driver', { namespace: 'drivers', container: { image: 'python:3.12-slim' }, podSecurity });
    expect(GuardRails.check(a)).toEqual([]);
    new ContainerJob(chart, 'elsewhere', { namespace: 'team-a', container: { image: 'python:3.12-slim' }, podSecurity });
    expect(GuardRails.check(a).map((p) => `${p.field} ${/check (\w+)/.exec(p.problem)?.[1]}`)).toEqual([
      '[Job team-a/elsewhere] spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation allowPrivilegeEscalation',
      '[Job team-a/elsewhere] spec.template.spec.containers[0].securityContext.capabilities.drop capabilities_restricted',
      '[Job team-a/elsewhere] spec.template.spec.containers[0].securityContext.runAsNonRoot runAsNonRoot',
      '[Job team-a/elsewhere] spec.template.spec.securityContext.runAsUser runAsUser',
      '[Job team-a/elsewhere] spec.template.spec.containers[0].securityContext.seccompProfile.type seccompProfile_restricted',
    ]);
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
      'someone-else/j: [Job team-a/j] spec.template.spec.containers[0].securityContext.privileged runs a privileged container (Pod Security check privileged); got true, expected false or unset (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
    ]);
  });
});

/**
 * Eight reported disagreements between the old guard rail and Pod Security admission v1.32
 * (k8s.io/pod-security-admission v0.32.13, policy/check_*.go). Each test asserts what admission
 * does; the guard rail must agree. Assertions are on the reported fields so they say what is
 * caught or accepted, independent of the wording.
 */
describe('GuardRails agrees with Pod Security admission v1.32', () => {
  const RESTRICTED_NS = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.32' };
  const goodPodSc = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
  /** A restricted-clean pod in namespace team-a (labelled restricted) with `tweak` applied; returns the reported fields. */
  function podFields(tweak: (pod: any) => void, nsLabels: Record<string, string> | undefined = RESTRICTED_NS): string[] {
    const { app: a } = app();
    const chart = new Chart(a, 'c');
    if (nsLabels) new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'team-a', labels: nsLabels } });
    const pod: any = { metadata: { name: 'p', namespace: 'team-a' }, spec: { securityContext: { ...goodPodSc }, containers: [JSON.parse(JSON.stringify(goodContainer))] } };
    tweak(pod);
    new ApiObject(chart, 'p', { apiVersion: 'v1', kind: 'Pod', ...pod });
    return GuardRails.check(a).map((p) => p.field);
  }

  test('1. AppArmor Unconfined is rejected, as a field (pod and container) and as the beta annotation', () => {
    expect(podFields((p) => { p.spec.securityContext.appArmorProfile = { type: 'Unconfined' }; }))
      .toEqual(['[Pod team-a/p] spec.securityContext.appArmorProfile.type']);
    expect(podFields((p) => { p.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }; }))
      .toEqual(['[Pod team-a/p] spec.containers[0].securityContext.appArmorProfile.type']);
    expect(podFields((p) => { p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' }; }))
      .toEqual(['[Pod team-a/p] metadata.annotations["container.apparmor.security.beta.kubernetes.io/main"]']);
    expect(podFields((p) => {
      p.spec.securityContext.appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-default' };
      p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/main': 'runtime/default' };
    })).toEqual([]);
  });

  test('2. SELinux type spc_t and any SELinux user (or role) are rejected', () => {
    expect(podFields((p) => { p.spec.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' }; }))
      .toEqual(['[Pod team-a/p] spec.containers[0].securityContext.seLinuxOptions.type']);
    expect(podFields((p) => { p.spec.securityContext.seLinuxOptions = { user: 'system_u', role: 'system_r' }; }))
      .toEqual(['[Pod team-a/p] spec.securityContext.seLinuxOptions.user', '[Pod team-a/p] spec.securityContext.seLinuxOptions.role']);
    expect(podFields((p) => { p.spec.securityContext.seLinuxOptions = { type: 'container_engine_t', level: 's0:c1,c2' }; })).toEqual([]);
  });

  test('3. Windows hostProcess is rejected (pod and container)', () => {
    expect(podFields((p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; }))
      .toEqual(['[Pod team-a/p] spec.securityContext.windowsOptions.hostProcess']);
    expect(podFields((p) => { p.spec.containers[0].securityContext.windowsOptions = { hostProcess: true }; }))
      .toEqual(['[Pod team-a/p] spec.containers[0].securityContext.windowsOptions.hostProcess']);
  });

  test('4. a pod runAsNonRoot: false is rejected even when every container sets true (check_runAsNonRoot.go: an explicit pod false is a bad setter)', () => {
    expect(podFields((p) => { p.spec.securityContext.runAsNonRoot = false; }))
      .toEqual(['[Pod team-a/p] spec.securityContext.runAsNonRoot']);
  });

  test('5. image volumes: Pod Security admission v1.32 rejects them too (not in the 1.32 allowed list; allowed from 1.33)', () => {
    const fields = podFields((p) => { p.spec.volumes = [{ name: 'model', image: { reference: 'registry.example.com/model:v1' } }]; });
    expect(fields).toHaveLength(1);
    expect(fields[0]).toMatch(/^\[Pod team-a\/p\] spec\.volumes\[0\]/);
  });

  test('6. the 1.32 safe sysctls net.ipv4.tcp_rmem and net.ipv4.tcp_wmem are accepted', () => {
    expect(podFields((p) => {
      p.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }, { name: 'net.ipv4.tcp_wmem', value: '4096 65536 16777216' }];
    })).toEqual([]);
    expect(podFields((p) => { p.spec.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }]; }))
      .toEqual(['[Pod team-a/p] spec.securityContext.sysctls[0].name']);
  });

  test('7. Argo: a podSpecPatch (template or workflow level, YAML or JSON) and a workflow-level hostNetwork are applied before checking', () => {
    const { app: a } = app();
    const chart = new Chart(a, 'argo');
    new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'team-a', labels: RESTRICTED_NS } });
    const wf = (name: string, spec: any) => new ApiObject(chart, name, {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name, namespace: 'team-a' },
      spec: { entrypoint: 't', securityContext: goodPodSc, ...spec },
    });
    wf('tpl-patch', { templates: [{ name: 't', container: { ...goodContainer }, podSpecPatch: 'containers:\n  - name: main\n    securityContext:\n      privileged: true\n' }] });
    wf('wf-patch', { podSpecPatch: '{"hostPID": true}', templates: [{ name: 't', container: { ...goodContainer } }] });
    wf('wf-hostnet', { hostNetwork: true, templates: [{ name: 't', container: { ...goodContainer } }] });
    expect(GuardRails.check(a).map((p) => p.field)).toEqual([
      '[WorkflowTemplate team-a/tpl-patch] spec.templates[0](t).containers[0].securityContext.privileged',
      '[WorkflowTemplate team-a/wf-patch] spec.templates[0](t).hostPID',
      '[WorkflowTemplate team-a/wf-hostnet] spec.templates[0](t).hostNetwork',
    ]);
  });

  test('7b. the message says a problem comes from a podSpecPatch; a patch that is not JSON/YAML is reported; containerSet templates are checked', () => {
    const { app: a } = app();
    const chart = new Chart(a, 'argo');
    new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'team-a', labels: RESTRICTED_NS } });
    new ApiObject(chart, 'wf', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'wf', namespace: 'team-a' },
      spec: {
        entrypoint: 'a', securityContext: goodPodSc,
        templates: [
          { name: 'a', container: { ...goodContainer }, podSpecPatch: '{"containers": [{"name": "main", "securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}]}' },
          { name: 'b', container: { ...goodContainer }, podSpecPatch: '{not: [valid' },
          { name: 'c', containerSet: { containers: [{ ...goodContainer, name: 'x' }, { ...goodContainer, name: 'y', securityContext: { ...goodContainer.securityContext, runAsUser: 0 } }] } },
        ],
      },
    });
    expect(problemMessages(() => GuardRails.verify(a))).toEqual([
      'argo/wf: [Workflow team-a/wf] spec.templates[0](a).containers[0].securityContext.capabilities.add adds capabilities other than NET_BIND_SERVICE (Pod Security check capabilities_restricted, set by podSpecPatch); got ["SYS_ADMIN"], expected only "NET_BIND_SERVICE" (or nothing) (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
      'argo/wf: [Workflow team-a/wf] spec.templates[1](b).podSpecPatch is not a pod spec patch; got "{not: [valid", expected a PodSpec fragment as a JSON or YAML string (Argo applies it as a strategic merge patch)',
      'argo/wf: [Workflow team-a/wf] spec.templates[2](c).containers[1].securityContext.runAsUser runs as root (Pod Security check runAsUser); got 0, expected a non-zero UID or unset (Pod Security "restricted", or the annotation mlscale.io/pod-security-exemption with a reason)',
    ]);
  });

  test('a namespace pinned to an older version is checked at that version too: restricted:v1.29 still rejects net.ipv4.tcp_rmem', () => {
    const fields = podFields((p) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }]; },
      { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.29' });
    expect(fields).toEqual(['[Pod team-a/p] spec.securityContext.sysctls[0].name']);
  });

  test('8. the exemption annotation does not exempt a pod from admission: a privileged pod in a restricted (or unknown) namespace is still reported', () => {
    const exempt = (p: any) => {
      p.metadata.annotations = { 'mlscale.io/pod-security-exemption': 'node agent' };
      p.spec.containers[0].securityContext.privileged = true;
    };
    expect(podFields(exempt)).toEqual(['[Pod team-a/p] spec.containers[0].securityContext.privileged']);
    expect(podFields(exempt, undefined)).toEqual(['[Pod team-a/p] spec.containers[0].securityContext.privileged']);
    expect(podFields(exempt, { 'pod-security.kubernetes.io/enforce': 'privileged' })).toEqual([]);
    expect(podFields(exempt, { 'pod-security.kubernetes.io/enforce': 'baseline' })).toEqual(['[Pod team-a/p] spec.containers[0].securityContext.privileged']);
  });
});
