/**
 * Pod Security Standards checks against upstream's own test cases, re-expressed as TS data.
 *
 * Source: k8s.io/pod-security-admission v0.32.13 (commit b314c21f381785a2f50f2b327d9403acdc89440d,
 * the staging copy of kubernetes v1.32.13; policy/ and test/ are identical to v0.32.0):
 * - UNIT: the cases of policy/check_*_test.go. Those call one check function directly, so each
 *   case here evaluates the level/version where that function is in force, keeps the violations
 *   of that check, and sees the pod without API defaulting. The fields expected are the ones
 *   upstream's expectDetail names.
 * - FIXTURES: the pass/fail pods of test/fixtures_*.go (a minimal valid pod per level/version,
 *   tweaked), the set upstream serializes to test/testdata/{baseline,restricted}/v1.32/, plus
 *   the versioned generators at the versions they were written for (sysctls v1.0/v1.27/v1.29,
 *   seccomp annotations up to v1.18). Admission runs those against an API server, so they are
 *   evaluated whole, with API defaulting; a pass pod yields nothing, a fail pod exactly the
 *   violations listed.
 * Every case asserts exact `check field` pairs.
 */
import { PssCheckId, PssOptions, PssPod, checkPodSecurity, namespacePodSecurity, podSecurityChecks, pssVersionMinor } from '../../constructs';

type Json = any;
type Level = 'baseline' | 'restricted';

interface UnitCase {
  /** upstream test function / case name */
  readonly src: string;
  readonly check: PssCheckId;
  readonly level: Level;
  readonly version: string;
  readonly pod: PssPod;
  readonly options?: PssOptions;
  /** `field` of each violation of `check`, in order (empty: allowed) */
  readonly fields: readonly string[];
}

interface FixtureCase {
  /** upstream fixture file, pass/fail and index */
  readonly src: string;
  readonly level: Level;
  readonly version: string;
  readonly pod: PssPod;
  /** `check field` of every violation, in order (empty: a pass fixture) */
  readonly violations: readonly string[];
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const pod = (spec: Json, annotations?: Record<string, string>): PssPod => ({ metadata: annotations ? { annotations } : {}, spec });
const named = (...names: string[]) => names.map((name) => ({ name }));
const withSc = (name: string, securityContext: Json) => ({ name, securityContext });

// ------------------------------------------------------------------------------------------------
// UNIT cases (policy/check_*_test.go)
// ------------------------------------------------------------------------------------------------

const c = (i: number, f: string) => `spec.containers[${i}].securityContext.${f}`;
const ic = (i: number, f: string) => `spec.initContainers[${i}].securityContext.${f}`;
const ann = (k: string) => `metadata.annotations[${JSON.stringify(k)}]`;
const AA = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_C = 'container.seccomp.security.alpha.kubernetes.io/';
const sysctlPod = (...names: string[]) => pod({ securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) } });
const seccomp = (type: string) => ({ seccompProfile: { type } });
const apeMixed = [named('a')[0], withSc('b', {}), withSc('c', { allowPrivilegeEscalation: true }), withSc('d', { allowPrivilegeEscalation: false })];
const capsMixed = [
  withSc('a', { capabilities: { add: ['FOO', 'BAR'] } }), withSc('b', { capabilities: { add: ['BAR', 'BAZ'] } }),
  withSc('c', { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] } }),
];
const capsMixedFields = [c(0, 'capabilities.drop'), c(0, 'capabilities.add'), c(1, 'capabilities.drop'), c(1, 'capabilities.add'), c(2, 'capabilities.add')];
const seccompMixed = [named('a')[0], withSc('b', {}), withSc('c', seccomp('Unconfined')), withSc('d', seccomp('Unconfined')),
  withSc('e', seccomp('RuntimeDefault')), withSc('f', seccomp('RuntimeDefault'))];
const seccompFallthrough = [named('a')[0], withSc('b', {}), withSc('d', seccomp('RuntimeDefault')), withSc('e', seccomp('RuntimeDefault'))];
const selinuxContainers = [
  withSc('a', { seLinuxOptions: { type: 'container_t' } }), withSc('b', { seLinuxOptions: { type: 'container_init_t' } }),
  withSc('c', { seLinuxOptions: { type: 'container_kvm_t' } }), withSc('d', { seLinuxOptions: { type: 'container_engine_t' } }),
];
const selinuxBadContainers = [...selinuxContainers, withSc('e', { seLinuxOptions: { type: 'bar' } }), withSc('f', { seLinuxOptions: { user: 'bar' } }),
  withSc('g', { seLinuxOptions: { role: 'baz' } })];
const badPodSelinux = { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } };
const RESTRICTED_TYPES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];
const ALLOWED_TYPES = ['emptyDir', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'configMap', 'projected', 'csi', 'ephemeral'];

const UNIT: UnitCase[] = [
  // check_allowPrivilegeEscalation_test.go
  { src: 'TestAllowPrivilegeEscalation_1_25/multiple containers', check: 'allowPrivilegeEscalation', level: 'restricted', version: 'v1.25',
    pod: pod({ containers: apeMixed }), fields: [0, 1, 2].map((i) => c(i, 'allowPrivilegeEscalation')) },
  { src: 'TestAllowPrivilegeEscalation_1_25/windows pod, admit without checking privilegeEscalation', check: 'allowPrivilegeEscalation', level: 'restricted',
    version: 'v1.25', pod: pod({ os: { name: 'windows' }, containers: named('a') }), fields: [] },
  { src: 'TestAllowPrivilegeEscalation_1_25/linux pod, reject if security context is not set', check: 'allowPrivilegeEscalation', level: 'restricted',
    version: 'v1.25', pod: pod({ os: { name: 'linux' }, containers: named('a') }), fields: [c(0, 'allowPrivilegeEscalation')] },
  { src: 'TestAllowPrivilegeEscalation_1_8/multiple containers', check: 'allowPrivilegeEscalation', level: 'restricted', version: 'v1.8',
    pod: pod({ containers: apeMixed }), fields: [0, 1, 2].map((i) => c(i, 'allowPrivilegeEscalation')) },

  // check_appArmorProfile_test.go
  { src: 'TestCheckAppArmor_Allowed/container with default AppArmor + extra annotations', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({}, { [`${AA}test`]: 'runtime/default', 'env': 'prod' }), fields: [] },
  { src: 'TestCheckAppArmor_Allowed/container with local AppArmor + extra annotations', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({}, { [`${AA}test`]: 'localhost/sec-profile01', 'env': 'dev' }), fields: [] },
  { src: 'TestCheckAppArmor_Allowed/container with no AppArmor annotations', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({}, { env: 'dev' }), fields: [] },
  { src: 'TestCheckAppArmor_Allowed/container with no annotations', check: 'appArmorProfile', level: 'baseline', version: 'v1.32', pod: pod({}), fields: [] },
  { src: 'TestCheckAppArmor_Allowed/pod with runtime default', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }), fields: [] },
  { src: 'TestCheckAppArmor_Allowed/container with localhost profile', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({ containers: [withSc('foo', { appArmorProfile: { type: 'RuntimeDefault' } })] }), fields: [] },
  { src: 'TestCheckAppArmor_Forbidden/unconfined pod', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }), fields: ['spec.securityContext.appArmorProfile.type'] },
  { src: 'TestCheckAppArmor_Forbidden/unconfined container', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [withSc('foo', { appArmorProfile: { type: 'Unconfined' } })] }),
    fields: [c(0, 'appArmorProfile.type')] },
  { src: 'TestCheckAppArmor_Forbidden/unconfined init container', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({
      securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: named('foo'),
      initContainers: [withSc('bar', { appArmorProfile: { type: 'Unconfined' } })],
    }),
    fields: [ic(0, 'appArmorProfile.type')] },
  { src: 'TestCheckAppArmor_Forbidden/multiple containers', check: 'appArmorProfile', level: 'baseline', version: 'v1.32',
    pod: pod({}, {
      [AA]: 'bogus', [`${AA}a`]: '', [`${AA}b`]: 'runtime/default', [`${AA}c`]: 'localhost/', [`${AA}d`]: 'localhost/foo', [`${AA}e`]: 'unconfined',
      [`${AA}f`]: 'unknown',
    }),
    fields: [ann(AA), ann(`${AA}e`), ann(`${AA}f`)] },

  // check_capabilities_baseline_test.go
  { src: 'TestCapabilitiesBaseline/multiple containers', check: 'capabilities_baseline', level: 'baseline', version: 'v1.32',
    pod: pod({ containers: capsMixed.slice(0, 2) }), fields: [c(0, 'capabilities.add'), c(1, 'capabilities.add')] },

  // check_capabilities_restricted_test.go
  { src: 'TestCapabilitiesRestricted_1_25/multiple containers', check: 'capabilities_restricted', level: 'restricted', version: 'v1.25',
    pod: pod({ containers: capsMixed }), fields: capsMixedFields },
  { src: 'TestCapabilitiesRestricted_1_25/windows pod, admit without checking capabilities', check: 'capabilities_restricted', level: 'restricted',
    version: 'v1.25', pod: pod({ os: { name: 'windows' }, containers: named('a') }), fields: [] },
  { src: 'TestCapabilitiesRestricted_1_25/linux pod, reject if security context is not set', check: 'capabilities_restricted', level: 'restricted',
    version: 'v1.25', pod: pod({ os: { name: 'linux' }, containers: named('a') }), fields: [c(0, 'capabilities.drop')] },
  { src: 'TestCapabilitiesRestricted_1_22/multiple containers', check: 'capabilities_restricted', level: 'restricted', version: 'v1.22',
    pod: pod({ containers: capsMixed }), fields: capsMixedFields },

  // check_hostNamespaces_test.go
  { src: 'TestHostNamespaces/multiple host namespaces', check: 'hostNamespaces', level: 'baseline', version: 'v1.32',
    pod: pod({ hostNetwork: true, hostIPC: true, hostPID: true }), fields: ['spec.hostNetwork', 'spec.hostPID', 'spec.hostIPC'] },

  // check_hostPathVolumes_test.go
  { src: 'TestHostPathVolumes/host path volumes', check: 'hostPathVolumes', level: 'baseline', version: 'v1.32',
    pod: pod({ volumes: [{ name: 'a', hostPath: {} }, { name: 'b', hostPath: {} }, { name: 'c', emptyDir: {} }] }),
    fields: ['spec.volumes[0].hostPath', 'spec.volumes[1].hostPath'] },

  // check_hostPorts_test.go
  { src: 'TestHostPort/one container, one host port', check: 'hostPorts', level: 'baseline', version: 'v1.32',
    pod: pod({ containers: [{ name: 'a', ports: [{ hostPort: 0 }] }, { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 20 }] }] }),
    fields: ['spec.containers[1].ports[1].hostPort'] },
  { src: 'TestHostPort/multiple containers, multiple host port', check: 'hostPorts', level: 'baseline', version: 'v1.32',
    pod: pod({
      containers: [{ name: 'a', ports: [{ hostPort: 0 }] }, { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] },
        { name: 'c', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] }],
    }),
    fields: ['spec.containers[1].ports[1].hostPort', 'spec.containers[1].ports[2].hostPort', 'spec.containers[2].ports[1].hostPort',
      'spec.containers[2].ports[2].hostPort'] },

  // check_privileged_test.go
  { src: 'TestPrivileged/privileged', check: 'privileged', level: 'baseline', version: 'v1.32',
    pod: pod({ containers: [named('a')[0], withSc('b', {}), withSc('c', { privileged: false }), withSc('d', { privileged: true }), withSc('e', { privileged: true })] }),
    fields: [c(3, 'privileged'), c(4, 'privileged')] },

  // check_procMount_test.go
  ...[false, true].map((relax): UnitCase => ({
    src: `TestProcMount/procMount (relaxForUserNS=${relax})`, check: 'procMount', level: 'baseline', version: 'v1.32',
    options: { relaxPolicyForUserNamespacePods: relax },
    pod: pod({
      hostUsers: false,
      containers: [named('a')[0], withSc('b', {}), withSc('c', { procMount: 'Default' }), withSc('d', { procMount: 'Unmasked' }), withSc('e', { procMount: 'other' })],
    }),
    fields: relax ? [] : [c(3, 'procMount'), c(4, 'procMount')],
  })),

  // check_restrictedVolumes_test.go (a volume with no source is "unknown" when the check is called directly)
  { src: 'TestRestrictedVolumes/host path volumes', check: 'restrictedVolumes', level: 'restricted', version: 'v1.32', options: { apiServerDefaults: false },
    pod: pod({
      volumes: [
        ...ALLOWED_TYPES.map((t, i) => ({ name: `a${i + 1}`, [t]: {} })),
        ...RESTRICTED_TYPES.map((t, i) => ({ name: `b${i + 1}`, [t]: {} })),
        { name: 'c1' },
      ],
    }),
    fields: [...RESTRICTED_TYPES.map((t, i) => `spec.volumes[${i + 8}].${t}`), 'spec.volumes[29]'] },

  // check_runAsNonRoot_test.go
  { src: 'TestRunAsNonRoot/no explicit runAsNonRoot', check: 'runAsNonRoot', level: 'restricted', version: 'v1.32',
    pod: pod({ containers: named('a') }), fields: [c(0, 'runAsNonRoot')] },
  { src: 'TestRunAsNonRoot/pod runAsNonRoot=false', check: 'runAsNonRoot', level: 'restricted', version: 'v1.32',
    pod: pod({ securityContext: { runAsNonRoot: false }, containers: named('a') }), fields: ['spec.securityContext.runAsNonRoot'] },
  { src: 'TestRunAsNonRoot/containers runAsNonRoot=false', check: 'runAsNonRoot', level: 'restricted', version: 'v1.32',
    pod: pod({
      securityContext: { runAsNonRoot: true },
      containers: [named('a')[0], withSc('b', {}), withSc('c', { runAsNonRoot: false }), withSc('d', { runAsNonRoot: false }), withSc('e', { runAsNonRoot: true }),
        withSc('f', { runAsNonRoot: true })],
    }),
    fields: [c(2, 'runAsNonRoot'), c(3, 'runAsNonRoot')] },
  { src: 'TestRunAsNonRoot/pod nil, container fallthrough', check: 'runAsNonRoot', level: 'restricted', version: 'v1.32',
    pod: pod({ containers: [named('a')[0], withSc('b', {}), withSc('d', { runAsNonRoot: true }), withSc('e', { runAsNonRoot: true })] }),
    fields: [c(0, 'runAsNonRoot'), c(1, 'runAsNonRoot')] },
  { src: 'TestRunAsNonRoot/UserNamespacesPodSecurityStandards enabled without HostUsers', check: 'runAsNonRoot', level: 'restricted', version: 'v1.32',
    options: { relaxPolicyForUserNamespacePods: true }, pod: pod({ hostUsers: false }), fields: [] },
  { src: 'TestRunAsNonRoot/UserNamespacesPodSecurityStandards enabled with HostUsers', check: 'runAsNonRoot', level: 'restricted', version: 'v1.32',
    options: { relaxPolicyForUserNamespacePods: true }, pod: pod({ hostUsers: true, containers: named('a') }), fields: [c(0, 'runAsNonRoot')] },

  // check_runAsUser_test.go
  { src: 'TestRunAsUser/pod runAsUser=0', check: 'runAsUser', level: 'restricted', version: 'v1.23',
    pod: pod({ securityContext: { runAsUser: 0 }, containers: named('a') }), fields: ['spec.securityContext.runAsUser'] },
  { src: 'TestRunAsUser/pod runAsUser=non-zero', check: 'runAsUser', level: 'restricted', version: 'v1.23',
    pod: pod({ securityContext: { runAsUser: 1000 }, containers: named('a') }), fields: [] },
  { src: 'TestRunAsUser/pod runAsUser=nil', check: 'runAsUser', level: 'restricted', version: 'v1.23',
    pod: pod({ securityContext: {}, containers: named('a') }), fields: [] },
  { src: 'TestRunAsUser/containers runAsUser=0', check: 'runAsUser', level: 'restricted', version: 'v1.32',
    pod: pod({
      securityContext: { runAsUser: 1000 },
      containers: [named('a')[0], withSc('b', {}), withSc('c', { runAsUser: 0 }), withSc('d', { runAsUser: 0 }), withSc('e', { runAsUser: 1 }), withSc('f', { runAsUser: 1 })],
    }),
    fields: [c(2, 'runAsUser'), c(3, 'runAsUser')] },
  { src: 'TestRunAsUser/containers runAsUser=non-zero', check: 'runAsUser', level: 'restricted', version: 'v1.32',
    pod: pod({ containers: [1, 2, 3, 4].map((u, i) => withSc('cdef'[i], { runAsUser: u })) }), fields: [] },
  { src: 'TestRunAsUser/UserNamespacesPodSecurityStandards enabled without HostUsers', check: 'runAsUser', level: 'restricted', version: 'v1.32',
    options: { relaxPolicyForUserNamespacePods: true }, pod: pod({ hostUsers: false }), fields: [] },
  { src: 'TestRunAsUser/UserNamespacesPodSecurityStandards enabled with HostUsers', check: 'runAsUser', level: 'restricted', version: 'v1.32',
    options: { relaxPolicyForUserNamespacePods: true }, pod: pod({ hostUsers: true, securityContext: { runAsUser: 0 }, containers: named('a') }),
    fields: ['spec.securityContext.runAsUser'] },

  // check_seLinuxOptions_test.go (seLinuxOptions1_31)
  { src: 'TestSELinuxOptions/invalid pod and containers', check: 'seLinuxOptions', level: 'baseline', version: 'v1.31',
    pod: pod({ securityContext: badPodSelinux, containers: selinuxBadContainers }),
    fields: ['spec.securityContext.seLinuxOptions.type', 'spec.securityContext.seLinuxOptions.user', 'spec.securityContext.seLinuxOptions.role',
      c(4, 'seLinuxOptions.type'), c(5, 'seLinuxOptions.user'), c(6, 'seLinuxOptions.role')] },
  { src: 'TestSELinuxOptions/invalid pod', check: 'seLinuxOptions', level: 'baseline', version: 'v1.31',
    pod: pod({ securityContext: badPodSelinux, containers: selinuxContainers }),
    fields: ['spec.securityContext.seLinuxOptions.type', 'spec.securityContext.seLinuxOptions.user', 'spec.securityContext.seLinuxOptions.role'] },
  { src: 'TestSELinuxOptions/invalid containers', check: 'seLinuxOptions', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: { seLinuxOptions: {} }, containers: selinuxBadContainers }),
    fields: [c(4, 'seLinuxOptions.type'), c(5, 'seLinuxOptions.user'), c(6, 'seLinuxOptions.role')] },
  { src: 'TestSELinuxOptions/bad type', check: 'seLinuxOptions', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: { seLinuxOptions: { type: 'bad' } } }), fields: ['spec.securityContext.seLinuxOptions.type'] },
  { src: 'TestSELinuxOptions/bad user', check: 'seLinuxOptions', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: { seLinuxOptions: { user: 'bad' } } }), fields: ['spec.securityContext.seLinuxOptions.user'] },
  { src: 'TestSELinuxOptions/bad role', check: 'seLinuxOptions', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: { seLinuxOptions: { role: 'bad' } } }), fields: ['spec.securityContext.seLinuxOptions.role'] },

  // check_seccompProfile_baseline_test.go
  { src: 'TestSeccompProfileBaseline_1_0/pod seccomp invalid', check: 'seccompProfile_baseline', level: 'baseline', version: 'v1.18',
    pod: pod({}, { [SECCOMP_POD]: 'unconfined' }), fields: [ann(SECCOMP_POD)] },
  { src: 'TestSeccompProfileBaseline_1_0/containers seccomp invalid', check: 'seccompProfile_baseline', level: 'baseline', version: 'v1.0',
    pod: pod({ containers: named('a', 'b', 'c') }, { [`${SECCOMP_C}a`]: 'unconfined', [`${SECCOMP_C}b`]: 'unknown' }),
    fields: [ann(`${SECCOMP_C}a`), ann(`${SECCOMP_C}b`)] },
  { src: 'TestSeccompProfileBaseline_1_0/pod and containers seccomp invalid', check: 'seccompProfile_baseline', level: 'baseline', version: 'v1.0',
    pod: pod({ containers: named('a', 'b', 'c') }, { [SECCOMP_POD]: 'unconfined', [`${SECCOMP_C}a`]: 'unconfined', [`${SECCOMP_C}b`]: 'unknown' }),
    fields: [ann(`${SECCOMP_C}a`), ann(`${SECCOMP_C}b`), ann(SECCOMP_POD)] },
  { src: 'TestSeccompProfileBaseline_1_19/pod seccomp invalid', check: 'seccompProfile_baseline', level: 'baseline', version: 'v1.19',
    pod: pod({ securityContext: seccomp('Unconfined'), containers: named('a') }), fields: ['spec.securityContext.seccompProfile.type'] },
  { src: 'TestSeccompProfileBaseline_1_19/containers seccomp invalid', check: 'seccompProfile_baseline', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: seccomp('RuntimeDefault'), containers: seccompMixed }), fields: [c(2, 'seccompProfile.type'), c(3, 'seccompProfile.type')] },
  { src: 'TestSeccompProfileBaseline_1_19/pod and containers seccomp invalid', check: 'seccompProfile_baseline', level: 'baseline', version: 'v1.32',
    pod: pod({ securityContext: seccomp('Unconfined'), containers: seccompMixed }),
    fields: ['spec.securityContext.seccompProfile.type', c(2, 'seccompProfile.type'), c(3, 'seccompProfile.type')] },

  // check_seccompProfile_restricted_test.go
  ...(['v1.25', 'v1.19'] as const).flatMap((version): UnitCase[] => {
    const fn = version === 'v1.25' ? 'TestSeccompProfileRestricted_1_25' : 'TestSeccompProfileRestricted_1_19';
    const base = { check: 'seccompProfile_restricted' as const, level: 'restricted' as const, version };
    return [
      { ...base, src: `${fn}/no explicit seccomp`, pod: pod({ containers: named('a') }), fields: [c(0, 'seccompProfile.type')] },
      ...(version === 'v1.25' ? [
        { ...base, src: `${fn}/no explicit seccomp, windows Pod`, pod: pod({ os: { name: 'windows' }, containers: named('a') }), fields: [] },
        { ...base, src: `${fn}/no explicit seccomp, linux pod`, pod: pod({ os: { name: 'linux' }, containers: named('a') }), fields: [c(0, 'seccompProfile.type')] },
      ] : []),
      { ...base, src: `${fn}/pod seccomp invalid`, pod: pod({ securityContext: seccomp('Unconfined'), containers: named('a') }),
        fields: ['spec.securityContext.seccompProfile.type'] },
      { ...base, src: `${fn}/containers seccomp invalid`, pod: pod({ securityContext: seccomp('RuntimeDefault'), containers: seccompMixed }),
        fields: [c(2, 'seccompProfile.type'), c(3, 'seccompProfile.type')] },
      { ...base, src: `${fn}/pod nil, container fallthrough`, pod: pod({ containers: seccompFallthrough }),
        fields: [c(0, 'seccompProfile.type'), c(1, 'seccompProfile.type')] },
    ];
  }),

  // check_sysctls_test.go
  { src: 'TestSysctls/forbidden sysctls', check: 'sysctls', level: 'baseline', version: 'v1.0', pod: sysctlPod('a', 'b'),
    fields: ['spec.securityContext.sysctls[0].name', 'spec.securityContext.sysctls[1].name'] },
  ...['net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'].map((n): UnitCase => ({
    src: `TestSysctls/new supported sysctls not supported: ${n}`, check: 'sysctls', level: 'baseline', version: 'v1.0', pod: sysctlPod(n),
    fields: ['spec.securityContext.sysctls[0].name'],
  })),
  { src: 'TestSysctls_1_27/forbidden sysctls', check: 'sysctls', level: 'baseline', version: 'v1.27', pod: sysctlPod('a', 'b'),
    fields: ['spec.securityContext.sysctls[0].name', 'spec.securityContext.sysctls[1].name'] },
  { src: 'TestSysctls_1_27/new supported sysctls', check: 'sysctls', level: 'baseline', version: 'v1.27', pod: sysctlPod('net.ipv4.ip_local_reserved_ports'), fields: [] },
  { src: 'TestSysctls_1_29/forbidden sysctls', check: 'sysctls', level: 'baseline', version: 'v1.29', pod: sysctlPod('a', 'b'),
    fields: ['spec.securityContext.sysctls[0].name', 'spec.securityContext.sysctls[1].name'] },
  ...['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'].map((n): UnitCase => ({
    src: `TestSysctls_1_29/new supported sysctls: ${n}`, check: 'sysctls', level: 'baseline', version: 'v1.29', pod: sysctlPod(n), fields: [],
  })),
  { src: 'TestSysctls_1_32/forbidden sysctls', check: 'sysctls', level: 'baseline', version: 'v1.32', pod: sysctlPod('a', 'b'),
    fields: ['spec.securityContext.sysctls[0].name', 'spec.securityContext.sysctls[1].name'] },
  { src: 'TestSysctls_1_32/new supported sysctls: net.ipv4.tcp_rmem', check: 'sysctls', level: 'baseline', version: 'v1.32', pod: sysctlPod('net.ipv4.tcp_rmem'), fields: [] },
  { src: 'TestSysctls_1_32/new supported sysctls: net.ipv4.tcp_wmem', check: 'sysctls', level: 'baseline', version: 'v1.32', pod: sysctlPod('net.ipv4.tcp_wmem'), fields: [] },

  // check_windowsHostProcess_test.go
  { src: 'TestWindowsHostProcess/host process', check: 'windowsHostProcess', level: 'baseline', version: 'v1.32',
    pod: pod({
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [named('a')[0], withSc('b', {}), withSc('c', { windowsOptions: {} }), withSc('d', { windowsOptions: { hostProcess: false } }),
        withSc('e', { windowsOptions: { hostProcess: true } }), withSc('f', { windowsOptions: { hostProcess: true } })],
    }),
    fields: ['spec.securityContext.windowsOptions.hostProcess', c(4, 'windowsOptions.hostProcess'), c(5, 'windowsOptions.hostProcess')] },
];

// ------------------------------------------------------------------------------------------------
// FIXTURES (test/fixtures*.go)
// ------------------------------------------------------------------------------------------------

/** test/fixtures.go: the minimal valid pod of a level at a version (OS neutral unless `os` is given). */
function minimalPod(level: Level, minor: number, os?: 'linux' | 'windows'): Json {
  const p: Json = { metadata: {}, spec: {
    initContainers: [{ name: 'initcontainer1', image: 'registry.k8s.io/pause' }],
    containers: [{ name: 'container1', image: 'registry.k8s.io/pause' }],
  } };
  if (level === 'baseline') return p;
  p.spec.securityContext = { runAsNonRoot: true };
  const windowsFrom125 = os === 'windows' && minor >= 25; // nothing restricted added after 1.0 applies to explicit Windows pods
  if (!windowsFrom125) {
    if (minor >= 8) for (const ctr of [p.spec.containers[0], p.spec.initContainers[0]]) ctr.securityContext = { allowPrivilegeEscalation: false };
    if (minor >= 19) p.spec.securityContext.seccompProfile = { type: 'RuntimeDefault' };
    if (minor >= 22) for (const ctr of [p.spec.containers[0], p.spec.initContainers[0]]) ctr.securityContext.capabilities = { drop: ['ALL'] };
  }
  if (os) p.spec.os = { name: os };
  return p;
}

/** test/helpers.go ensureSecurityContext */
function ensureSc(p: Json): Json {
  p.spec.securityContext ??= {};
  for (const ctr of [...p.spec.containers, ...p.spec.initContainers]) ctr.securityContext ??= {};
  return p;
}

type Tweak = (p: Json) => void;
interface Generator {
  readonly check: string;
  readonly level: Level; // baseline generators also run at restricted, as upstream registers them
  readonly since: number;
  /** applied to the minimal pod before the tweaks (the ensure* helpers); may decline pass pods */
  readonly prepare?: (p: Json) => Json;
  readonly pass: (p: Json) => Tweak[];
  readonly fail: Tweak[];
  /** expected violations of the i-th fail pod at a level */
  readonly expect: (level: Level, i: number) => string[];
}

const C0 = 'spec.containers[0]';
const I0 = 'spec.initContainers[0]';
const setBoth = (f: (ctr: Json) => void): Tweak => (p) => { f(p.spec.containers[0]); f(p.spec.initContainers[0]); };
const ALL_DEFAULT_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const INDIVIDUAL_DROPS = ['SYS_TIME', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD',
  'AUDIT_WRITE', 'AUDIT_CONTROL', 'MAC_OVERRIDE', 'MAC_ADMIN', 'NET_ADMIN', 'SYSLOG', 'CHOWN', 'NET_RAW', 'DAC_OVERRIDE', 'FOWNER', 'DAC_READ_SEARCH', 'FSETID',
  'KILL', 'SETGID', 'SETUID', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'IPC_LOCK', 'IPC_OWNER', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_BOOT', 'LEASE',
  'SETFCAP', 'WAKE_ALARM', 'BLOCK_SUSPEND'];
const ensureCaps = (p: Json) => { ensureSc(p); for (const ctr of [...p.spec.containers, ...p.spec.initContainers]) ctr.securityContext.capabilities ??= {}; return p; };
const ensureSelinux = (p: Json) => {
  ensureSc(p);
  for (const sc of [p.spec.securityContext, ...[...p.spec.containers, ...p.spec.initContainers].map((x: Json) => x.securityContext)]) sc.seLinuxOptions ??= {};
  return p;
};
const sysctlList = (names: string[]) => names.map((name) => ({ name, value: '1' }));
const S_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const S_1_27 = [...S_1_0, 'net.ipv4.ip_local_reserved_ports'];
const S_1_29 = [...S_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const sysctlsGenerator = (since: number, passNames: string[]): Generator => ({
  check: 'sysctls', level: 'baseline', since,
  prepare: (p) => { p.spec.securityContext ??= {}; return p; },
  pass: () => [(p) => { delete p.spec.securityContext.sysctls; }, (p) => { p.spec.securityContext.sysctls = sysctlList(passNames); }],
  fail: [(p) => { p.spec.securityContext.sysctls = [{ name: 'othersysctl', value: 'other' }]; }],
  expect: () => ['sysctls spec.securityContext.sysctls[0].name'],
});
const FIXTURE_VOLUMES: Array<[string, Json]> = [
  ['gcePersistentDisk', { pdName: 'test' }], ['awsElasticBlockStore', { volumeID: 'test' }], ['gitRepo', { repository: 'github.com/kubernetes/kubernetes' }],
  ['nfs', { server: 'test', path: '/test' }], ['iscsi', { targetPortal: 'test', iqn: 'iqn.2001-04.com.example:storage.kube.sys1.xyz', lun: 0 }],
  ['glusterfs', { path: 'test', endpoints: 'test' }], ['rbd', { monitors: ['test'], image: 'test' }], ['flexVolume', { driver: 'test' }],
  ['cinder', { volumeID: 'test' }], ['cephfs', { monitors: ['test'] }], ['flocker', { datasetName: 'test' }], ['fc', { wwids: ['test'] }],
  ['azureFile', { secretName: 'test', shareName: 'test' }], ['vsphereVolume', { volumePath: 'test' }], ['quobyte', { registry: 'localhost:1234', volume: 'test' }],
  ['azureDisk', { diskName: 'test', diskURI: 'https://test.blob.core.windows.net/test/test.vhd' }], ['portworxVolume', { volumeID: 'test', fsType: 'ext4' }],
  ['scaleIO', { volumeName: 'test', gateway: 'localhost', system: 'test' }], ['storageos', { volumeName: 'test' }], ['hostPath', { path: '/dev/null' }],
];

const GENERATORS: Generator[] = [
  // fixtures_allowPrivilegeEscalation.go
  { check: 'allowPrivilegeEscalation', level: 'restricted', since: 8, pass: () => [],
    fail: [
      (p) => { p.spec.containers[0].securityContext.allowPrivilegeEscalation = true; },
      (p) => { p.spec.initContainers[0].securityContext.allowPrivilegeEscalation = true; },
      (p) => { delete p.spec.containers[0].securityContext.allowPrivilegeEscalation; },
      (p) => { delete p.spec.containers[0].securityContext; },
    ],
    expect: (_l, i) => [
      [`allowPrivilegeEscalation ${C0}.securityContext.allowPrivilegeEscalation`],
      [`allowPrivilegeEscalation ${I0}.securityContext.allowPrivilegeEscalation`],
      [`allowPrivilegeEscalation ${C0}.securityContext.allowPrivilegeEscalation`],
      [`allowPrivilegeEscalation ${C0}.securityContext.allowPrivilegeEscalation`, `capabilities_restricted ${C0}.securityContext.capabilities.drop`],
    ][i] },
  // fixtures_appArmorProfile.go (upstream's pass pod writes container1's annotation twice; the second value, localhost/foo, stays)
  { check: 'appArmorProfile', level: 'baseline', since: 0,
    pass: () => [(p) => { p.metadata.annotations = { [`${AA}container1`]: 'localhost/foo' }; }],
    fail: [(p) => { p.metadata.annotations = { [`${AA}container1`]: 'unconfined' }; }, (p) => { p.metadata.annotations = { [`${AA}initcontainer1`]: 'unconfined' }; }],
    expect: (_l, i) => [`appArmorProfile ${ann(`${AA}${['container1', 'initcontainer1'][i]}`)}`] },
  // fixtures_capabilities_baseline.go
  { check: 'capabilities_baseline', level: 'baseline', since: 0,
    pass: (p) => (list(p.spec.containers[0].securityContext?.capabilities?.drop).includes('ALL') ? [] : [setBoth((x) => { x.securityContext = { capabilities: { add: [...ALL_DEFAULT_CAPS] } }; })]),
    prepare: ensureCaps,
    fail: [
      (p) => { p.spec.containers[0].securityContext.capabilities.add = ['NET_RAW']; },
      (p) => { p.spec.initContainers[0].securityContext.capabilities.add = ['NET_RAW']; },
      (p) => { p.spec.containers[0].securityContext.capabilities.add = ['chown']; },
      (p) => { p.spec.containers[0].securityContext.capabilities.add = ['CAP_CHOWN']; },
    ],
    expect: (l, i) => [`${l === 'baseline' ? 'capabilities_baseline' : 'capabilities_restricted'} ${i === 1 ? I0 : C0}.securityContext.capabilities.add`] },
  // fixtures_capabilities_restricted.go
  { check: 'capabilities_restricted', level: 'restricted', since: 22, prepare: ensureCaps,
    pass: () => [setBoth((x) => { x.securityContext.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }; })],
    fail: [
      (p) => { p.spec.containers[0].securityContext.capabilities.drop = []; },
      (p) => { p.spec.initContainers[0].securityContext.capabilities.drop = []; },
      setBoth((x) => { x.securityContext.capabilities.drop = [...INDIVIDUAL_DROPS]; }),
      setBoth((x) => { x.securityContext.capabilities = { drop: ['ALL'], add: [...ALL_DEFAULT_CAPS] }; }),
    ],
    expect: (_l, i) => [
      [`capabilities_restricted ${C0}.securityContext.capabilities.drop`],
      [`capabilities_restricted ${I0}.securityContext.capabilities.drop`],
      [`capabilities_restricted ${I0}.securityContext.capabilities.drop`, `capabilities_restricted ${C0}.securityContext.capabilities.drop`],
      [`capabilities_restricted ${I0}.securityContext.capabilities.add`, `capabilities_restricted ${C0}.securityContext.capabilities.add`],
    ][i] },
  // fixtures_hostNamespaces.go
  { check: 'hostNamespaces', level: 'baseline', since: 0, pass: () => [],
    fail: [(p) => { p.spec.hostIPC = true; }, (p) => { p.spec.hostNetwork = true; }, (p) => { p.spec.hostPID = true; }],
    expect: (_l, i) => [`hostNamespaces spec.${['hostIPC', 'hostNetwork', 'hostPID'][i]}`] },
  // fixtures_hostPathVolumes.go
  { check: 'hostPathVolumes', level: 'baseline', since: 0, pass: () => [],
    fail: [
      (p) => { p.spec.volumes = [{ name: 'volume-emptydir', emptyDir: {} }, { name: 'volume-hostpath', hostPath: { path: '/a' } }]; },
      (p) => { p.spec.volumes = [{ name: 'volume-hostpath-a', hostPath: { path: '/a' } }, { name: 'volume-hostpath-b', hostPath: { path: '/b' } }]; },
    ],
    expect: (l, i) => (i === 0 ? [1] : [0, 1]).map((v) => `${l === 'baseline' ? 'hostPathVolumes' : 'restrictedVolumes'} spec.volumes[${v}].hostPath`) },
  // fixtures_hostPorts.go
  { check: 'hostPorts', level: 'baseline', since: 0,
    pass: () => [(p) => { p.spec.containers[0].ports = [{ containerPort: 12345 }]; p.spec.initContainers[0].ports = [{ containerPort: 12346 }]; }],
    fail: [
      (p) => { p.spec.containers[0].ports = [{ containerPort: 12345, hostPort: 12345 }]; },
      (p) => { p.spec.initContainers[0].ports = [{ containerPort: 12346, hostPort: 12346 }]; },
      (p) => {
        p.spec.containers[0].ports = [{ containerPort: 12345, hostPort: 12345 }, { containerPort: 12347 }];
        p.spec.initContainers[0].ports = [{ containerPort: 12346, hostPort: 12346 }, { containerPort: 12348 }];
      },
    ],
    expect: (_l, i) => [[C0], [I0], [I0, C0]][i].map((x) => `hostPorts ${x}.ports[0].hostPort`) },
  // fixtures_privileged.go
  { check: 'privileged', level: 'baseline', since: 0, prepare: ensureSc,
    pass: () => [setBoth((x) => { x.securityContext.privileged = false; })],
    fail: [
      (p) => { p.spec.containers[0].securityContext.privileged = true; delete p.spec.containers[0].securityContext.allowPrivilegeEscalation; },
      (p) => { p.spec.initContainers[0].securityContext.privileged = true; delete p.spec.initContainers[0].securityContext.allowPrivilegeEscalation; },
    ],
    expect: (l, i) => [`privileged ${[C0, I0][i]}.securityContext.privileged`,
      ...(l === 'restricted' ? [`allowPrivilegeEscalation ${[C0, I0][i]}.securityContext.allowPrivilegeEscalation`] : [])] },
  // fixtures_procMount.go
  { check: 'procMount', level: 'baseline', since: 0, prepare: ensureSc,
    pass: () => [(p) => { setBoth((x) => { x.securityContext.procMount = 'Default'; })(p); p.spec.hostUsers = false; }],
    fail: [
      (p) => { p.spec.containers[0].securityContext.procMount = 'Unmasked'; p.spec.hostUsers = false; },
      (p) => { p.spec.initContainers[0].securityContext.procMount = 'Unmasked'; p.spec.hostUsers = false; },
    ],
    expect: (_l, i) => [`procMount ${[C0, I0][i]}.securityContext.procMount`] },
  // fixtures_restrictedVolumes.go (volume0 names no source: the API server defaults it to emptyDir)
  { check: 'restrictedVolumes', level: 'restricted', since: 0,
    pass: () => [(p) => {
      p.spec.volumes = [{ name: 'volume0' }, { name: 'volume1', emptyDir: {} }, { name: 'volume2', secret: { secretName: 'test' } },
        { name: 'volume3', persistentVolumeClaim: { claimName: 'test' } },
        { name: 'volume4', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { name: 'volume5', configMap: { name: 'test' } }, { name: 'volume6', projected: { sources: [] } }];
    }],
    fail: FIXTURE_VOLUMES.map(([t, v]) => (p: Json) => { p.spec.volumes = [{ name: 'volume1', [t]: v }]; }),
    expect: (_l, i) => [`restrictedVolumes spec.volumes[0].${FIXTURE_VOLUMES[i][0]}`] },
  // fixtures_runAsNonRoot.go
  { check: 'runAsNonRoot', level: 'restricted', since: 0, prepare: ensureSc,
    pass: () => [
      (p) => { p.spec.securityContext.runAsNonRoot = true; delete p.spec.containers[0].securityContext.runAsNonRoot; delete p.spec.initContainers[0].securityContext.runAsNonRoot; },
      (p) => { delete p.spec.securityContext.runAsNonRoot; setBoth((x) => { x.securityContext.runAsNonRoot = true; })(p); },
    ],
    fail: [
      (p) => { delete p.spec.securityContext.runAsNonRoot; delete p.spec.containers[0].securityContext.runAsNonRoot; delete p.spec.initContainers[0].securityContext.runAsNonRoot; },
      (p) => { p.spec.securityContext.runAsNonRoot = false; },
      (p) => { p.spec.containers[0].securityContext.runAsNonRoot = false; },
      (p) => { p.spec.initContainers[0].securityContext.runAsNonRoot = false; },
    ],
    expect: (_l, i) => [[I0, C0].map((x) => `${x}.securityContext.runAsNonRoot`), ['spec.securityContext.runAsNonRoot'], [`${C0}.securityContext.runAsNonRoot`],
      [`${I0}.securityContext.runAsNonRoot`]][i].map((f) => `runAsNonRoot ${f}`) },
  // fixtures_runAsUser.go
  { check: 'runAsUser', level: 'restricted', since: 23, prepare: ensureSc,
    pass: () => [(p) => { p.spec.securityContext.runAsUser = 1000; setBoth((x) => { x.securityContext.runAsUser = 1000; })(p); }],
    fail: [
      (p) => { p.spec.securityContext.runAsUser = 0; },
      (p) => { p.spec.containers[0].securityContext.runAsUser = 0; },
      (p) => { p.spec.initContainers[0].securityContext.runAsUser = 0; },
    ],
    expect: (_l, i) => [`runAsUser ${['spec', C0, I0][i]}.securityContext.runAsUser`] },
  // fixtures_seLinuxOptions.go
  { check: 'seLinuxOptions', level: 'baseline', since: 0, prepare: ensureSelinux,
    pass: () => [
      (p) => { delete p.spec.securityContext.seLinuxOptions; delete p.spec.containers[0].securityContext.seLinuxOptions; p.spec.initContainers[0].securityContext.seLinuxOptions = {}; },
      (p) => {
        p.spec.securityContext.seLinuxOptions = { type: 'container_t', level: '' };
        p.spec.containers[0].securityContext.seLinuxOptions = { type: 'container_init_t', level: 'somevalue' };
        p.spec.initContainers[0].securityContext.seLinuxOptions = { type: 'container_kvm_t' };
      },
    ],
    fail: [
      (p) => { p.spec.securityContext.seLinuxOptions.type = 'somevalue'; },
      (p) => { p.spec.containers[0].securityContext.seLinuxOptions.type = 'somevalue'; },
      (p) => { p.spec.initContainers[0].securityContext.seLinuxOptions.type = 'somevalue'; },
      (p) => { p.spec.securityContext.seLinuxOptions.user = 'somevalue'; },
      (p) => { p.spec.securityContext.seLinuxOptions.role = 'somevalue'; },
    ],
    expect: (_l, i) => [`seLinuxOptions ${['spec', C0, I0, 'spec', 'spec'][i]}.securityContext.seLinuxOptions.${['type', 'type', 'type', 'user', 'role'][i]}`] },
  // fixtures_seccompProfile_baseline.go, generator for v1.0 (the alpha annotations; in force up to v1.18)
  { check: 'seccompProfile_baseline', level: 'baseline', since: 0,
    pass: (p) => (p.metadata.annotations?.[SECCOMP_POD] === 'runtime/default' ? []
      : [(x) => { x.metadata.annotations = { [SECCOMP_POD]: 'runtime/default', [`${SECCOMP_C}container1`]: 'localhost/testing' }; }]),
    fail: [
      (p) => { p.metadata.annotations = { [SECCOMP_POD]: 'unconfined' }; },
      (p) => { p.metadata.annotations = { [`${SECCOMP_C}container1`]: 'unconfined' }; },
      (p) => { p.metadata.annotations = { [`${SECCOMP_C}initcontainer1`]: 'unconfined' }; },
    ],
    expect: (_l, i) => [`seccompProfile_baseline ${ann([SECCOMP_POD, `${SECCOMP_C}container1`, `${SECCOMP_C}initcontainer1`][i])}`] },
  // fixtures_seccompProfile_baseline.go, generator for v1.19 (the fields)
  { check: 'seccompProfile_baseline', level: 'baseline', since: 19, prepare: ensureSc,
    pass: (p) => (p.spec.securityContext?.seccompProfile?.type === 'RuntimeDefault' ? []
      : [(x) => { x.spec.securityContext.seccompProfile = { type: 'RuntimeDefault' }; x.spec.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' }; }]),
    fail: [
      (p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; },
      (p) => { p.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; },
      (p) => { p.spec.initContainers[0].securityContext.seccompProfile = { type: 'Unconfined' }; },
    ],
    expect: (l, i) => [`${l === 'baseline' ? 'seccompProfile_baseline' : 'seccompProfile_restricted'} ${['spec', C0, I0][i]}.securityContext.seccompProfile.type`] },
  // fixtures_seccompProfile_restricted.go
  { check: 'seccompProfile_restricted', level: 'restricted', since: 19, prepare: ensureSc,
    pass: () => [
      (p) => { p.spec.securityContext.seccompProfile = { type: 'RuntimeDefault' }; },
      (p) => { p.spec.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'testing' }; },
      (p) => {
        delete p.spec.securityContext.seccompProfile;
        p.spec.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
        p.spec.initContainers[0].securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'testing' };
      },
    ],
    fail: [
      (p) => { delete p.spec.securityContext.seccompProfile; },
      (p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; },
      (p) => { delete p.spec.securityContext.seccompProfile; p.spec.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' }; },
      (p) => { delete p.spec.securityContext.seccompProfile; p.spec.initContainers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' }; },
      (p) => {
        delete p.spec.securityContext.seccompProfile;
        p.spec.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
        p.spec.initContainers[0].securityContext.seccompProfile = { type: 'Unconfined' };
      },
    ],
    expect: (_l, i) => [[I0, C0], ['spec'], [I0], [C0], [I0]][i].map((x) => `seccompProfile_restricted ${x}.securityContext.seccompProfile.type`) },
  // fixtures_sysctls.go (one generator per version)
  sysctlsGenerator(0, S_1_0),
  sysctlsGenerator(27, S_1_27),
  sysctlsGenerator(29, S_1_29),
  sysctlsGenerator(32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']),
  // fixtures_windowsHostProcess.go (API validation requires hostNetwork for HostProcess pods, so the fixtures set it)
  { check: 'windowsHostProcess', level: 'baseline', since: 0,
    prepare: (p) => {
      ensureSc(p);
      for (const sc of [p.spec.securityContext, p.spec.containers[0].securityContext, p.spec.initContainers[0].securityContext]) sc.windowsOptions ??= {};
      return p;
    },
    pass: () => [],
    fail: [
      (p) => { p.spec.hostNetwork = true; p.spec.securityContext.windowsOptions.hostProcess = true; },
      (p) => { p.spec.hostNetwork = true; setBoth((x) => { x.securityContext.windowsOptions.hostProcess = true; })(p); },
    ],
    expect: (_l, i) => ['hostNamespaces spec.hostNetwork',
      ...(i === 0 ? ['spec'] : [I0, C0]).map((x) => `windowsHostProcess ${x}.securityContext.windowsOptions.hostProcess`)] },
];

function list(v: Json): Json[] {
  return Array.isArray(v) ? v : [];
}

/** The newest generator of a check at or below `minor` (test/fixtures.go getFixtures walks versions down). */
function generatorAt(check: string, level: Level, minor: number): Generator | undefined {
  return GENERATORS.filter((g) => g.check === check && g.since <= minor && (g.level === level || g.level === 'baseline'))
    .sort((a, b) => b.since - a.since)[0];
}

function fixturesAt(level: Level, minor: number): FixtureCase[] {
  const version = `v1.${minor}`;
  const out: FixtureCase[] = [];
  const bases: Array<[string, 'linux' | 'windows' | undefined]> = level === 'restricted' && minor >= 25 ? [['base', undefined], ['base_linux', 'linux'], ['base_windows', 'windows']]
    : [['base', undefined]];
  for (const [name, os] of bases) out.push({ src: `fixtures.go ${level}/${version}/pass/${name}`, level, version, pod: minimalPod(level, minor, os), violations: [] });
  // the checks upstream renders fixtures for at this level/version (overridden baseline checks included, as in test/run.go)
  const checks = [...new Set(GENERATORS.filter((g) => (g.level === 'baseline' || level === 'restricted') && g.since <= minor).map((g) => g.check))].sort();
  for (const check of checks) {
    const g = generatorAt(check, level, minor)!;
    const prepared = () => (g.prepare ?? ((p: Json) => p))(clone(minimalPod(level, minor)));
    g.pass(prepared()).forEach((tweak, i) => {
      const p = prepared(); tweak(p);
      out.push({ src: `fixtures_${check}.go ${level}/${version}/pass/${check.toLowerCase()}${i}`, level, version, pod: p, violations: [] });
    });
    g.fail.forEach((tweak, i) => {
      const p = prepared(); tweak(p);
      out.push({ src: `fixtures_${check}.go ${level}/${version}/fail/${check.toLowerCase()}${i}`, level, version, pod: p, violations: g.expect(level, i) });
    });
  }
  return out;
}

const FIXTURES: FixtureCase[] = [
  ...fixturesAt('baseline', 32),
  ...fixturesAt('restricted', 32),
  // versioned generators, at the versions they were written for (only that check's pods)
  ...fixturesAt('baseline', 18).filter((f) => f.src.startsWith('fixtures_seccompProfile_baseline')),
  ...fixturesAt('restricted', 18).filter((f) => f.src.startsWith('fixtures_seccompProfile_baseline')),
  ...[0, 27, 29].flatMap((m) => fixturesAt('baseline', m).filter((f) => f.src.startsWith('fixtures_sysctls'))),
];

// ------------------------------------------------------------------------------------------------

const unitCounts: Record<string, number> = {};
for (const u of UNIT) unitCounts[u.check] = (unitCounts[u.check] ?? 0) + 1;
const fixtureCounts: Record<string, number> = {};
for (const f of FIXTURES) { const k = f.src.split(' ')[0].replace(/^fixtures_?|\.go$/g, '') || 'base'; fixtureCounts[k] = (fixtureCounts[k] ?? 0) + 1; }

afterAll(() => {
  const fmt = (r: Record<string, number>) => Object.entries(r).sort().map(([k, n]) => `    ${k}: ${n}`).join('\n');
  console.log(`upstream cases used (k8s.io/pod-security-admission v0.32.13): ${UNIT.length + FIXTURES.length}\n`
    + `  policy/check_*_test.go cases: ${UNIT.length}\n${fmt(unitCounts)}\n`
    + `  test/fixtures_*.go pods: ${FIXTURES.length} (v1.32: ${FIXTURES.filter((f) => f.version === 'v1.32').length})\n${fmt(fixtureCounts)}`);
});

describe('checkPodSecurity: upstream unit-test cases (policy/check_*_test.go)', () => {
  test.each(UNIT.map((u) => [u.src, u] as const))('%s', (_src, u) => {
    const found = checkPodSecurity(u.level, clone(u.pod), u.version, { apiServerDefaults: false, ...u.options }).filter((v) => v.check === u.check);
    expect(found.map((v) => v.field)).toEqual(u.fields);
  });
});

describe('checkPodSecurity: upstream fixtures (test/fixtures_*.go), whole pods', () => {
  test.each(FIXTURES.map((f) => [f.src, f] as const))('%s', (_src, f) => {
    const found = checkPodSecurity(f.level, clone(f.pod), f.version);
    expect(found.map((v) => `${v.check} ${v.field}`)).toEqual(f.violations);
  });
});

describe('checkPodSecurity: tables', () => {
  test('the tables hold every upstream case counted (81 unit-test cases, 145 fixture pods, of which 128 are the v1.32 testdata set)', () => {
    expect(UNIT).toHaveLength(81);
    expect(FIXTURES).toHaveLength(145);
    expect(FIXTURES.filter((f) => f.version === 'v1.32' && f.level === 'baseline').map((f) => f.violations.length > 0))
      .toEqual(expect.arrayContaining([true, false]));
    // test/testdata/{baseline,restricted}/v1.32/{pass,fail}: 11 + 29 and 19 + 69 files
    const at = (level: Level, pass: boolean) => FIXTURES.filter((f) => f.version === 'v1.32' && f.level === level && (f.violations.length === 0) === pass).length;
    expect([at('baseline', true), at('baseline', false), at('restricted', true), at('restricted', false)]).toEqual([11, 29, 19, 69]);
  });
});

describe('checkPodSecurity: registry and versions (policy/registry.go, api/helpers.go)', () => {
  test('checks per level at v1.32: baseline IDs sorted, then restricted IDs sorted; restricted drops the baseline checks it overrides', () => {
    expect(podSecurityChecks('privileged')).toEqual([]);
    expect(podSecurityChecks('baseline', 'v1.32')).toEqual(['appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts',
      'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess']);
    expect(podSecurityChecks('restricted', 'v1.32')).toEqual(['appArmorProfile', 'hostNamespaces', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions',
      'sysctls', 'windowsHostProcess', 'allowPrivilegeEscalation', 'capabilities_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser',
      'seccompProfile_restricted']);
  });

  test('older versions: checks appear at their minimum version; overrides follow them', () => {
    expect(podSecurityChecks('restricted', 'v1.0')).toEqual(['appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPorts', 'privileged',
      'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess', 'restrictedVolumes', 'runAsNonRoot']);
    expect(podSecurityChecks('restricted', 'v1.18')).toContain('seccompProfile_baseline');
    expect(podSecurityChecks('restricted', 'v1.19')).not.toContain('seccompProfile_baseline');
    expect(podSecurityChecks('restricted', 'v1.21')).toContain('capabilities_baseline');
    expect(podSecurityChecks('restricted', 'v1.22')).toContain('capabilities_restricted');
    expect(podSecurityChecks('restricted', 'v1.22')).not.toContain('runAsUser');
    expect(podSecurityChecks('restricted', 'v1.23')).toContain('runAsUser');
  });

  test('latest and versions past v1.32 evaluate the v1.32 rules; bad versions throw', () => {
    expect(pssVersionMinor('latest')).toBe(32);
    expect(pssVersionMinor('v1.40')).toBe(32);
    expect(pssVersionMinor('v1.0')).toBe(0);
    for (const bad of ['1.32', 'v1.032', 'v2.0', 'v1.', '']) expect(() => pssVersionMinor(bad)).toThrow(/latest.*v1\.x/);
    const rmem = pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }] } });
    expect(checkPodSecurity('baseline', rmem, 'latest')).toEqual([]);
    expect(checkPodSecurity('baseline', rmem, 'v1.31').map((v) => v.field)).toEqual(['spec.securityContext.sysctls[0].name']);
  });

  test('seLinux type container_engine_t is allowed from v1.31 (seLinuxOptions1_31)', () => {
    const p = pod({ securityContext: { seLinuxOptions: { type: 'container_engine_t' } } });
    expect(checkPodSecurity('baseline', p, 'v1.31')).toEqual([]);
    expect(checkPodSecurity('baseline', p, 'v1.30').map((v) => `${v.check} ${v.field}`)).toEqual(['seLinuxOptions spec.securityContext.seLinuxOptions.type']);
  });

  test('ephemeral containers are visited after init containers and containers (policy/visitor.go)', () => {
    const p = minimalPod('restricted', 32);
    p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36', securityContext: { privileged: true } }];
    expect(checkPodSecurity('restricted', p).map((v) => `${v.check} ${v.field}`)).toEqual([
      'privileged spec.ephemeralContainers[0].securityContext.privileged',
      'allowPrivilegeEscalation spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation',
      'capabilities_restricted spec.ephemeralContainers[0].securityContext.capabilities.drop',
    ]);
  });

  test('image volumes are a restricted volume type at v1.32 (check_restrictedVolumes.go v0.32 has no case for them)', () => {
    const p = minimalPod('restricted', 32);
    p.spec.volumes = [{ name: 'model', image: { reference: 'registry.example.com/model:v1' } }];
    const [v, ...rest] = checkPodSecurity('restricted', p);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ check: 'restrictedVolumes', level: 'restricted', field: 'spec.volumes[0].image', value: 'image' });
    expect(checkPodSecurity('baseline', p)).toEqual([]);
  });

  test('violations carry the value and what is allowed', () => {
    const p = minimalPod('restricted', 32);
    p.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }];
    p.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN'];
    expect(checkPodSecurity('restricted', p)).toEqual([
      { check: 'sysctls', level: 'baseline', field: 'spec.securityContext.sysctls[0].name', value: 'kernel.msgmax', problem: 'is not a safe sysctl',
        allowed: expect.stringContaining('"net.ipv4.tcp_wmem"') },
      { check: 'capabilities_restricted', level: 'restricted', field: 'spec.containers[0].securityContext.capabilities.add', value: ['NET_ADMIN'],
        problem: 'adds capabilities other than NET_BIND_SERVICE', allowed: 'only "NET_BIND_SERVICE" (or nothing)' },
    ]);
  });
});

describe('namespacePodSecurity (api/helpers.go PolicyToEvaluate)', () => {
  const L = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`pod-security.kubernetes.io/${k}`, v]));
  test('no labels: the defaults (privileged:latest)', () => {
    expect(namespacePodSecurity(undefined)).toEqual({ enforce: { level: 'privileged', version: 'latest' }, audit: { level: 'privileged', version: 'latest' },
      warn: { level: 'privileged', version: 'latest' }, errors: [] });
  });
  test('enforce and version; warn follows a stricter enforce unless set', () => {
    const p = namespacePodSecurity(L({ 'enforce': 'restricted', 'enforce-version': 'v1.30' }));
    expect(p.enforce).toEqual({ level: 'restricted', version: 'v1.30' });
    expect(p.warn).toEqual({ level: 'restricted', version: 'v1.30' });
    expect(p.audit).toEqual({ level: 'privileged', version: 'latest' });
    expect(namespacePodSecurity(L({ enforce: 'baseline', warn: 'privileged' })).warn.level).toBe('privileged');
  });
  test('a bad enforce level is restricted, a bad version latest, a bad warn/audit level privileged', () => {
    const p = namespacePodSecurity(L({ 'enforce': 'strict', 'enforce-version': '1.32', 'warn': 'x', 'audit': 'y' }));
    expect(p.enforce).toEqual({ level: 'restricted', version: 'latest' });
    expect(p.warn.level).toBe('privileged');
    expect(p.audit.level).toBe('privileged');
    expect(p.errors).toHaveLength(4);
  });
});
