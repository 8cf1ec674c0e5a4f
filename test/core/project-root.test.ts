/**
 * Files an app names resolve against the user's project, not the mlscale package (issue 19, item 1):
 * a company repository that depends on mlscale reads its own notebooks and components, and
 * charts-out names them relative to that repository.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SecretRef, KfpComponent, NotebookJob, NotebookSource, ObjectStore, Pipeline, PipelineStep, packageRoot, projectRelative, projectRoot } from '../../constructs';
import { byKind, testChart } from '../util';

function consumerProject(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'acme-platform-')));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "acme-platform"}');
  fs.mkdirSync(path.join(dir, 'notebooks'));
  fs.writeFileSync(path.join(dir, 'notebooks', 'churn.ipynb'), JSON.stringify({ cells: [], nbformat: 4, nbformat_minor: 5, metadata: {} }));
  fs.mkdirSync(path.join(dir, 'components', 'echo'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'components', 'echo', 'component.yaml'), 'name: acme echo\nimplementation:\n  container:\n    image: busybox:1.36.1\n    command: [echo, hi]\n');
  return dir;
}

describe('the project root', () => {
  const saved = { cwd: process.cwd(), env: process.env.MLSCALE_PROJECT_ROOT };
  afterEach(() => {
    process.chdir(saved.cwd);
    if (saved.env === undefined) delete process.env.MLSCALE_PROJECT_ROOT;
    else process.env.MLSCALE_PROJECT_ROOT = saved.env;
  });

  test('here it is the package root (so this repository\'s charts-out is unchanged)', () => {
    expect(projectRoot()).toBe(packageRoot());
  });

  test('in a consumer\'s repository (its working directory): its files are read, and named relative to it', () => {
    const dir = consumerProject();
    process.chdir(path.join(dir, 'notebooks')); // a sub-folder: the nearest package.json above wins
    expect(projectRoot()).toBe(dir);
    const chart = testChart();
    const store = new ObjectStore(chart, 'store', { namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'acme-ml', credentials: { secret: SecretRef.fromName('s') } });
    new NotebookJob(chart, 'churn', { notebook: NotebookSource.fromFile('notebooks/churn.ipynb'), image: 'ghcr.io/acme/pm:1', output: store });
    const echo = KfpComponent.fromFile(path.join(dir, 'components', 'echo', 'component.yaml')); // absolute
    expect(echo.source).toBe('components/echo/component.yaml');
    new Pipeline(chart, 'p', { namespace: 'team-a', objectStore: store, steps: [PipelineStep.notebook('nb', { notebook: NotebookSource.fromFile(path.join(dir, 'notebooks', 'churn.ipynb')), image: 'ghcr.io/acme/pm:1' })] });
    expect(byKind(chart).ConfigMap.find((c: any) => c.metadata.name === 'churn-notebook').data['notebook.ipynb']).toContain('"nbformat":4');
    expect(NotebookSource.fromFile(path.join(dir, 'notebooks', 'churn.ipynb')).description).toBe('notebooks/churn.ipynb');
  });

  test('MLSCALE_PROJECT_ROOT overrides the search', () => {
    const dir = consumerProject();
    process.env.MLSCALE_PROJECT_ROOT = dir;
    expect(projectRoot()).toBe(dir);
    expect(projectRelative(path.join(dir, 'a', 'b.yaml'))).toBe('a/b.yaml');
  });
});
