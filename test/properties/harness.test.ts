import { ApiObject, Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { ContainerJob, SchemaValidator } from '../../constructs';
import { checkCase, propertyCase } from './harness';

const validator = new SchemaValidator();

describe('property harness', () => {
  test('counts valid and rejected runs', () => {
    const c = propertyCase('job', fc.constantFrom('python:3.12-slim', 'busybox'), (app, img) => {
      new ContainerJob(new Chart(app, 'c'), 'j', { container: { image: img } });
    }, 30);
    const counts = checkCase(c, validator);
    expect(counts.valid + counts.rejected).toBe(30);
    expect(counts.valid).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  test('an exception other than MlscaleValidationError fails the property', () => {
    const c = propertyCase('boom', fc.constant(1), () => { throw new TypeError('boom'); }, 5);
    expect(() => checkCase(c, validator)).toThrow(/boom/);
  });

  test('a manifest that fails the schema gate fails the property', () => {
    const c = propertyCase('invalid', fc.constant(1), (app) => {
      new ApiObject(new Chart(app, 'c'), 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: { nope: true } });
    }, 5);
    expect(() => checkCase(c, validator)).toThrow(/violates its schema/);
  });
});

// Bugs in core found by the property tests, fixed since; kept as regression tests.
describe('core bugs found by fast-check (fixed; kept as regression tests)', () => {
  test('a sub-second activeDeadline is a validation error, not a cdk8s Error', () => {
    const c = propertyCase('deadline', fc.constant(1500), (app, ms) => {
      new ContainerJob(new Chart(app, 'c'), 'j', { container: { image: 'python:3.12-slim' }, activeDeadline: Duration.millis(ms) });
    }, 1);
    checkCase(c, validator);
  });

  test('an env value of null (from JavaScript callers) is a validation error, not a TypeError', () => {
    const c = propertyCase('env', fc.constant(null), (app, v) => {
      new ContainerJob(new Chart(app, 'c'), 'j', { container: { image: 'python:3.12-slim', env: { A: v as any } } });
    }, 1);
    checkCase(c, validator);
  });
});
