import { applyPodSpecPatch, parsePodSpecPatch } from '../../constructs/platform/pod-spec-patch';

describe('Argo podSpecPatch (strategic merge over a PodSpec)', () => {
  const spec = {
    hostNetwork: false,
    securityContext: { runAsNonRoot: true, sysctls: [{ name: 'a', value: '1' }] },
    containers: [
      { name: 'wait', image: 'argoexec:v3', env: [{ name: 'A', value: '1' }] },
      { name: 'main', image: 'python:3.12', ports: [{ containerPort: 80 }], securityContext: { capabilities: { drop: ['ALL'] } } },
    ],
    volumes: [{ name: 'v1', emptyDir: {} }],
    tolerations: [{ key: 'x', operator: 'Exists' }],
  };

  test('parses JSON and YAML; anything but a mapping is refused', () => {
    expect(parsePodSpecPatch('{"hostPID": true}')).toEqual({ hostPID: true });
    expect(parsePodSpecPatch('hostPID: true\n')).toEqual({ hostPID: true });
    for (const bad of ['{not: [valid', '- a\n- b', '42', '']) expect(parsePodSpecPatch(bad)).toBeUndefined();
  });

  test('containers and volumes merge by name, a container\'s lists by their keys; other lists are replaced; maps merge', () => {
    const out = applyPodSpecPatch(spec, {
      hostPID: true,
      securityContext: { sysctls: [{ name: 'b', value: '2' }] },
      containers: [{ name: 'main', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { capabilities: { add: ['NET_ADMIN'] } } },
        { name: 'extra', image: 'busybox:1.36' }],
      volumes: [{ name: 'v2', hostPath: { path: '/' } }],
      tolerations: [{ key: 'y', operator: 'Exists' }],
    });
    expect(out).toEqual({
      hostNetwork: false, hostPID: true,
      securityContext: { runAsNonRoot: true, sysctls: [{ name: 'b', value: '2' }] },
      containers: [
        spec.containers[0],
        { name: 'main', image: 'python:3.12', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } },
        { name: 'extra', image: 'busybox:1.36' },
      ],
      volumes: [{ name: 'v1', emptyDir: {} }, { name: 'v2', hostPath: { path: '/' } }],
      tolerations: [{ key: 'y', operator: 'Exists' }],
    });
    expect(spec.containers[1].securityContext?.capabilities).toEqual({ drop: ['ALL'] }); // the input is not modified
  });

  test('null deletes; $patch: replace and $patch: delete are honoured', () => {
    const out = applyPodSpecPatch(spec, {
      hostNetwork: null,
      securityContext: { $patch: 'replace', runAsUser: 0 },
      containers: [{ name: 'wait', $patch: 'delete' }, { name: 'main', securityContext: { capabilities: null } }],
      volumes: [{ $patch: 'replace' }, { name: 'v3', secret: { secretName: 's' } }],
    });
    expect(out.hostNetwork).toBeUndefined();
    expect(out.securityContext).toEqual({ runAsUser: 0 });
    expect(out.containers).toEqual([{ name: 'main', image: 'python:3.12', ports: [{ containerPort: 80 }], securityContext: {} }]);
    expect(out.volumes).toEqual([{ name: 'v3', secret: { secretName: 's' } }]);
  });
});
