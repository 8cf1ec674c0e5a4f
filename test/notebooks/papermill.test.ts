import * as YAML from 'yaml';
import { ObjectStore, Problems, checkNotebookParameters, papermillParametersYaml, papermillRun } from '../../constructs';

describe('papermill run contract', () => {
  const store = ObjectStore.minio({ bucket: 'ml-outputs', credentials: { secretName: 'minio-creds' } });

  test('tricky parameter values survive the YAML round trip exactly', () => {
    const params = { quote: 'it\'s "x"', shell: '$(rm -rf /); `id` && echo $HOME', multi: 'a\nb: c', yes: 'yes', n: 0.001, flag: false, list: [1, 'two', true] };
    expect(YAML.parse(papermillParametersYaml(params))).toEqual(params);
  });

  test('user values reach the script only through the environment', () => {
    const run = papermillRun('/notebooks/train.ipynb', { lr: 0.01, name: '$(whoami)' }, { store, path: 'notebooks/team-a/train', runId: { fieldPath: "metadata.labels['job-name']" } });
    expect(run.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(run.command[2]).not.toContain('whoami');
    expect(run.command[2]).not.toContain('train');
    expect(run.env).toMatchObject({
      MLSCALE_NOTEBOOK_INPUT: '/notebooks/train.ipynb',
      MLSCALE_OUTPUT_PREFIX: 's3://ml-outputs/mlscale/notebooks/team-a/train',
      MLSCALE_RUN_ID: { fieldPath: "metadata.labels['job-name']" },
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: 'minio-creds', key: 'accessKey' } },
    });
    expect(YAML.parse(run.env.MLSCALE_PAPERMILL_PARAMETERS as string)).toEqual({ lr: 0.01, name: '$(whoami)' });
  });

  test('the executed notebook is uploaded even when the notebook fails, and the status is kept', () => {
    const script = papermillRun('/n.ipynb', {}, { store, path: 'p', runId: 'r' }).command[2];
    expect(script).toMatch(/papermill .* \|\| status=\$\?/);
    expect(script.trim().split('\n').pop()).toBe('exit $status');
  });

  test('parameter names must be Python identifiers and values scalars or flat lists', () => {
    const p = new Problems('nb');
    checkNotebookParameters(p, 'parameters', { 'learning-rate': 1, ok: 1, nested: [[1]] as never, inf: Infinity });
    expect(p.all.map((x) => `${x.field} ${x.problem}`)).toEqual([
      'parameters.learning-rate is not a valid Python identifier',
      'parameters.nested is not a supported parameter value',
      'parameters.inf is not a supported parameter value',
    ]);
  });
});
