/**
 * JupyterHub profiles per team: the hub configuration the values carry, run by python3 with a
 * stand-in for the hub's `c` and a spawner whose user has JupyterHub groups, offers each user the
 * profiles of their groups.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterProfile, JupyterHubValues, packageRoot } from '../../constructs';
import { problemMessages, testChart } from '../util';

const RUN = [
  'import json, sys',
  'from types import SimpleNamespace as NS',
  'class Section(dict):',
  '    __getattr__ = dict.__getitem__',
  '    def __setattr__(self, k, v): self[k] = v',
  'class Config(dict):',
  '    def __getattr__(self, k): return self.setdefault(k, Section())',
  'c = Config()',
  'exec(open(sys.argv[1]).read(), {"c": c})',
  'out = {}',
  'for user, groups in json.loads(sys.argv[2]).items():',
  '    spawner = NS(user=NS(name=user, groups=[NS(name=g) for g in groups]))',
  '    out[user] = [p["display_name"] for p in c.KubeSpawner.profile_list(spawner)]',
  'print(json.dumps(out))',
].join('\n');

describe('JupyterHub profiles per team (the default app)', () => {
  const values = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'notebooks-jupyter.jupyterhub-values.json'), 'utf8'));

  test('each user is offered the profiles of their groups: the GPU profile is team-a\'s', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-hub-'));
    fs.writeFileSync(path.join(dir, 'profiles.py'), values.hub.extraConfig['mlscale-profiles']);
    fs.writeFileSync(path.join(dir, 'run.py'), RUN);
    const users = { alice: ['team-a'], bob: ['team-b'], eve: [] };
    const offered = JSON.parse(execFileSync('python3', [path.join(dir, 'run.py'), path.join(dir, 'profiles.py'), JSON.stringify(users)], { encoding: 'utf8' }));
    expect(offered).toEqual({
      alice: ['CPU · 2 cores · 8 GiB', 'GPU · NVIDIA L4 · 8 cores · 32 GiB'],
      bob: ['CPU · 2 cores · 8 GiB'],
      eve: ['CPU · 2 cores · 8 GiB'],
    });
    // the static list is not set too (the callable replaces it)
    expect(values.singleuser.profileList).toBeUndefined();
  });
});

describe('JupyterHubValues profile groups', () => {
  test('an empty group list is refused (no groups means everyone)', () => {
    const chart = testChart(ClusterProfile.gke());
    expect(problemMessages(() => new JupyterHubValues(chart, 'hub', {
      profiles: [{ displayName: 'CPU', image: 'quay.io/jupyter/scipy-notebook:2025-01-13', default: true, groups: [] }],
    }))).toEqual(['test/hub: profiles[0].groups must name at least one JupyterHub group; got [], expected e.g. ["team-a"], or no groups for everyone']);
  });
});
