import { SchemaValidator, strictSchema } from '../../constructs';

const validator = new SchemaValidator();
const job = (extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'python:3.12-slim', ...container }] } }, ...extra },
});

describe('SchemaValidator (strict, Kubernetes 1.32 + pinned CRDs)', () => {
  test('a valid built-in object passes', () => {
    expect(validator.validate(job()).violations).toEqual([]);
  });

  test('unknown fields are rejected at any depth (kubeconform -strict)', () => {
    expect(validator.validate(job({ bogus: 1 }, { imagePolicy: 'x' })).violations).toEqual([
      { pointer: '/spec', message: 'must NOT have additional properties "bogus"' },
      { pointer: '/spec/template/spec/containers/0', message: 'must NOT have additional properties "imagePolicy"' },
    ]);
  });

  test('wrong types and missing required fields are rejected', () => {
    const v = validator.validate({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { backoffLimit: 'two', template: { spec: { containers: [{ image: 'x:1' }] } } } });
    expect(v.violations).toEqual(expect.arrayContaining([
      { pointer: '/spec/backoffLimit', message: 'must be integer' },
      { pointer: '/spec/template/spec/containers/0', message: "must have required property 'name'" },
    ]));
  });

  test('IntOrString and Quantity accept both forms', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 81, targetPort: 'http' }] } };
    expect(validator.validate(svc).violations).toEqual([]);
    expect(validator.validate(job({}, { resources: { limits: { cpu: 1, memory: '1Gi' } } })).violations).toEqual([]);
  });

  test('CRDs: PyTorchJob validated against the pinned training-operator CRD', () => {
    const pj = {
      apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'p' },
      spec: { pytorchReplicaSpecs: { Master: { replicas: 1, restartPolicy: 'OnFailure', template: { spec: { containers: [{ name: 'pytorch', image: 'x:1' }] } } } } },
    };
    const r = validator.validate(pj);
    expect(r.schema).toBe('crds/pytorchjobs.kubeflow.org.json');
    expect(r.violations).toEqual([]);
    expect(validator.validate({ ...pj, spec: { ...pj.spec, runPolicy: { backoffLimit: 'twice' } } }).violations)
      .toEqual([{ pointer: '/spec/runPolicy/backoffLimit', message: 'must be integer' }]);
  });

  test('CRD metadata is validated as real ObjectMeta', () => {
    const r = validator.validate({ apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'q', labelz: {} }, spec: { clusterQueue: 'cq' } });
    expect(r.violations).toEqual([{ pointer: '/metadata', message: 'must NOT have additional properties "labelz"' }]);
  });

  test('Katib Experiment uses the Katib OpenAPI document (the CRD has no schema)', () => {
    const r = validator.validate({ apiVersion: 'kubeflow.org/v1beta1', kind: 'Experiment', metadata: { name: 'e' }, spec: { maxTrialCount: 'many' } });
    expect(r.schema).toBe('openapi/katib.json');
    expect(r.violations).toEqual([{ pointer: '/spec/maxTrialCount', message: 'must be integer' }]);
  });

  test('Kubeflow Notebook: the kustomize validation patch (image required) is applied', () => {
    const r = validator.validate({ apiVersion: 'kubeflow.org/v1', kind: 'Notebook', metadata: { name: 'n' }, spec: { template: { spec: { containers: [{ name: 'n' }] } } } });
    expect(r.violations).toEqual([{ pointer: '/spec/template/spec/containers/0', message: "must have required property 'image'" }]);
  });

  test('shared sub-schemas ($defs) validate like the inline ones: Argo container fields deep in a WorkflowTemplate', () => {
    const wt = (container: Record<string, unknown>) => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' },
      spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'python:3.12-slim', ...container } }] },
    });
    expect(validator.validate(wt({ command: ['python'] })).violations).toEqual([]);
    expect(validator.validate(wt({ imagePullPolicy: 'Always', resources: { limits: { cpu: 1 } } })).violations).toEqual([]);
    expect(validator.validate(wt({ comand: ['python'] })).violations)
      .toEqual([{ pointer: '/spec/templates/0/container', message: 'must NOT have additional properties "comand"' }]);
    expect(validator.validate(wt({ ports: [{ containerPort: 'http' }] })).violations)
      .toEqual([{ pointer: '/spec/templates/0/container/ports/0/containerPort', message: 'must be integer' }]);
  });

  test('a kind with no schema fails, as does a wrong apiVersion for a kind', () => {
    expect(validator.validate({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } }).violations[0].message).toMatch(/^no schema for example.com\/v1 Thing/);
    expect(validator.validate({ apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'x' } }).violations[0].message).toMatch(/^no schema/);
  });

  test('strictSchema closes objects unless preserve-unknown-fields, and maps int-or-string', () => {
    expect(strictSchema({ type: 'object', properties: { a: { type: 'string', description: 'x' } } }))
      .toEqual({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false });
    expect(strictSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }).additionalProperties).toBeUndefined();
    expect(strictSchema({ type: 'object', additionalProperties: { type: 'string' } }).additionalProperties).toEqual({ type: 'string' });
    expect(strictSchema({ 'x-kubernetes-int-or-string': true }).anyOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
  });
});
