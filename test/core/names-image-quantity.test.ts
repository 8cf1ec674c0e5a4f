import { Problems, checkImage, checkName, cpuQuantity, isDnsLabel, memoryBytes, parseImage, parseQuantity } from '../../constructs';

describe('DNS-1123 names', () => {
  test.each(['a', 'mnist', 'team-a', 'x1', 'a'.repeat(63)])('accepts %s', (n) => expect(isDnsLabel(n)).toBe(true));
  test.each(['', 'Mnist', 'team_a', '-a', 'a-', 'a.b', 'a'.repeat(64), 'with space'])('rejects %j', (n) => expect(isDnsLabel(n)).toBe(false));

  test('checkName reports path, field, value and what is allowed', () => {
    const p = new Problems('training/mnist');
    expect(checkName(p, 'name', 'My Job')).toBe(false);
    expect(() => p.throwIfAny()).toThrow(
      'training/mnist: name is not a valid Kubernetes name; got "My Job", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit');
  });
});

describe('images', () => {
  test.each([
    ['busybox:1.36', { repository: 'busybox', tag: '1.36' }],
    ['docker.io/pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime', { registry: 'docker.io', repository: 'pytorch/pytorch', tag: '2.5.1-cuda12.4-cudnn9-runtime' }],
    ['localhost:5000/team/img:v1', { registry: 'localhost:5000', repository: 'team/img', tag: 'v1' }],
    ['ghcr.io/org/img@sha256:' + 'a'.repeat(64), { registry: 'ghcr.io', repository: 'org/img', digest: 'sha256:' + 'a'.repeat(64) }],
    ['gcr.io/kubeflow-images-public/tf:1.0@sha256:' + 'b'.repeat(64), { registry: 'gcr.io', tag: '1.0', digest: 'sha256:' + 'b'.repeat(64) }],
  ])('parses %s', (ref, expected) => expect(parseImage(ref)).toMatchObject(expected));

  test.each([
    ['busybox', 'is not pinned (no tag or digest)'],
    ['docker.io/library/busybox', 'is not pinned (no tag or digest)'],
    ['busybox:latest', 'uses the mutable tag "latest"'],
    ['Busybox:1.0', 'is not a valid image reference'],
    ['img@sha256:short', 'is not a valid image reference'],
    ['', 'must be an image reference'],
  ])('rejects %j: %s', (ref, problem) => {
    const p = new Problems('app/job');
    expect(checkImage(p, 'image', ref)).toBeUndefined();
    expect(p.all).toEqual([expect.objectContaining({ field: 'image', problem, value: ref })]);
  });

  test('a digest pins even the latest tag', () => {
    const p = new Problems('x');
    expect(checkImage(p, 'image', 'busybox:latest@sha256:' + 'c'.repeat(64))).toBeDefined();
    expect(p.ok).toBe(true);
  });
});

describe('quantities', () => {
  test.each([['500m', 0.5], ['2', 2], ['1.5', 1.5], ['4Gi', 4 * 2 ** 30], ['100M', 1e8], ['1Ki', 1024]])('parses %s', (q, v) => expect(parseQuantity(q)).toBeCloseTo(v));
  test.each(['', '4GB', '-1', '1.2.3', 'abc', '4 Gi'])('rejects %j', (q) => expect(parseQuantity(q)).toBeUndefined());
  test.each([[2, '2'], [0.5, '500m'], [0.25, '250m'], ['1500m', '1500m']])('cpu %j → %s', (i, o) => expect(cpuQuantity(i)).toBe(o));
  test.each([0, -1, 0.0001, NaN, Infinity, '0', 'x'])('cpu rejects %j', (i) => expect(cpuQuantity(i)).toBeUndefined());
  test('memory needs a positive size and no milli unit', () => {
    expect(memoryBytes('512Mi')).toBe(512 * 2 ** 20);
    expect(memoryBytes('0Gi')).toBeUndefined();
    expect(memoryBytes('100m')).toBeUndefined();
  });
});
