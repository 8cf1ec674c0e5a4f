/** Small, mostly-near-valid generators shared by the property tests. */
import * as fc from 'fast-check';

/** Names: usually valid DNS labels, sometimes not. */
export const name = (): fc.Arbitrary<string> => fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/) },
  { weight: 1, arbitrary: fc.constantFrom('', 'A', 'a_b', '-a', 'a-', 'x'.repeat(64), 'ok.dot', 'é') },
);

/** CPU: cores, quantity strings, junk. */
export const cpu = (): fc.Arbitrary<number | string> => fc.oneof(
  fc.constantFrom(0.5, 1, 2, 4, '250m', '1', '1500m'),
  fc.constantFrom(0, -1, 0.0001, Number.NaN, Infinity, '', 'm', '1.5.5', '-1', '0m', '1e3'),
  fc.double({ min: -2, max: 64, noNaN: false }),
);

/** Memory: quantities with units, junk. */
export const memory = (): fc.Arbitrary<string> => fc.oneof(
  fc.constantFrom('512Mi', '1Gi', '4Gi', '16Gi', '1.5Gi', '1000M'),
  fc.constantFrom('', '0', '4GB', '1m', '-1Gi', 'Gi', '1 Gi', '1e9'),
  fc.string({ maxLength: 6 }),
);

/** Images: pinned, unpinned, latest, digests, junk. */
export const image = (): fc.Arbitrary<string> => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('python:3.12-slim', 'ghcr.io/acme/train:1.2.3', 'localhost:5000/x/y:v1', `busybox@sha256:${'a'.repeat(64)}`) },
  { weight: 1, arbitrary: fc.constantFrom('busybox', 'busybox:latest', 'UPPER:1', 'a:b:c', `x@sha256:${'z'.repeat(64)}`, '', ':1', 'repo/:1') },
  { weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^[a-z0-9./:_@-]{1,16}$/), fc.stringMatching(/^[\w.-]{0,8}$/)).map(([r, t]) => (t ? `${r}:${t}` : r)) },
);

/** Small whole numbers, sometimes out of range or fractional. */
export const count = (max = 20): fc.Arbitrary<number> => fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, Number.NaN, 1e12) },
);

/** GPU types, mostly real. */
export const gpuType = (): fc.Arbitrary<any> => fc.constantFrom('nvidia-tesla-t4', 'nvidia-tesla-a100', 'nvidia-l4', 'nvidia-h100-80gb', 'nvidia-k80', '');

/** An optional value. */
export const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });
