/**
 * The generated dask_gateway_config.py, run by python3 against stand-ins of dask_gateway_server.options
 * (test/dask/python: not the real package, named as such), gives the handler results a data
 * scientist gets: their team's namespace and limits, refusals with the handler's message.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { GATEWAY_CONFIG_SECTIONS, packageRoot } from '../../constructs';

const HARNESS = path.join(__dirname, 'python');

/** Runs `config` with `cases` (user + options) and returns the sections it sets and the handler's results. */
function run(config: string, cases: unknown[]): { sections: Record<string, string[]>; results: Array<{ config?: any; error?: string }> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-gateway-'));
  fs.writeFileSync(path.join(dir, 'dask_gateway_config.py'), config);
  fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(cases));
  const out = execFileSync('python3', [path.join(HARNESS, 'run_gateway_config.py'), path.join(dir, 'dask_gateway_config.py'), path.join(dir, 'cases.json')],
    { env: { ...process.env, PYTHONPATH: HARNESS }, encoding: 'utf8' });
  return JSON.parse(out);
}

/** The gateway's two configs as committed in charts-out (the API server's and the controller's). */
function committedConfigs(): Record<string, string> {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'dask-gateway.k8s.yaml'), 'utf8')).map((d) => d.toJS());
  return Object.fromEntries(docs.filter((d) => d?.kind === 'ConfigMap' && d.data?.['dask_gateway_config.py']).map((d) => [d.metadata.name, d.data['dask_gateway_config.py']]));
}

const GIB = 2 ** 30;
const alice = { name: 'alice', groups: ['team-a', 'everyone'] };
const bob = { name: 'bob', groups: ['team-b'] };

describe('the default app\'s gateway configuration, run in python3', () => {
  const configs = committedConfigs();
  const api = configs['dask-gateway'];
  const cases = [
    { user: alice, options: {} },
    { user: bob, options: { worker_cores: 4, worker_memory: 8 } },
    { user: bob, options: { worker_cores: 6 } },
    { user: alice, options: { worker_gpus: 1 } },
    { user: alice, options: { worker_gpus: 1, image: 'ghcr.io/acme/dask-gateway-cuda:2026.3.0-cuda12.8', worker_memory: 16 } },
    { user: bob, options: { worker_gpus: 1, image: 'ghcr.io/acme/dask-gateway-cuda:2026.3.0-cuda12.8' } },
    { user: { name: 'eve', groups: ['contractors'] }, options: {} },
    { user: alice, options: { worker_cores: 9 } },
  ];
  const { sections, results } = run(api, cases);

  test('a team-a user: team-a\'s namespace, the gateway\'s cluster limits, the option defaults', () => {
    expect(results[0].config).toMatchObject({
      namespace: 'team-a', cluster_max_workers: 32, cluster_max_cores: 128, cluster_max_memory: 512 * GIB,
      worker_cores: 2, worker_threads: 2, worker_memory: 4 * GIB, image: 'ghcr.io/dask/dask-gateway:2026.3.0',
    });
    expect(results[0].config.worker_cmd).toBeUndefined();
  });

  test('a team-b user: team-b\'s namespace and its own limits', () => {
    // the worker cap follows the team's core cap: (32 - 1 scheduler core) // 4 = 7, below maxWorkers 8 and the memory cap's (128 - 2) // 8 = 15
    expect(results[1].config).toMatchObject({ namespace: 'team-b', cluster_max_workers: 7, cluster_max_cores: 32, cluster_max_memory: 128 * GIB, worker_cores: 4, worker_memory: 8 * GIB });
  });

  test('over a team bound, a GPU request with a CPU image, a user in no team: refused with the handler\'s message', () => {
    expect(results[2]).toEqual({ error: 'worker_cores=6 is over the 4 cores per worker of team team-b' });
    expect(results[3]).toEqual({ error: 'image ghcr.io/dask/dask-gateway:2026.3.0 has no CUDA (no dask-cuda-worker): for GPU workers pick one of ghcr.io/acme/dask-gateway-cuda:2026.3.0-cuda12.8' });
    expect(results[5]).toEqual({ error: 'worker_gpus=1 is over the 0 GPUs per worker of team team-b' });
    expect(results[6]).toEqual({ error: 'eve is in no team of this gateway: ask to be added to one of the groups team-a, team-b' });
    // the option's own bounds (dask-gateway validates them before the handler runs)
    expect(results[7].error).toContain('worker_cores must be <= 8');
  });

  test('a GPU worker on the CUDA image: dask-cuda-worker, the GPU limits, its placement and /dev/shm', () => {
    const c = results[4].config;
    expect(c.worker_cmd).toBe('dask-cuda-worker');
    // 16 GiB workers: (512 - 2) GiB // 16 GiB = 31 workers under team-a's (the gateway's) memory cap
    expect(c.cluster_max_workers).toBe(31);
    expect(c.worker_extra_container_config.resources).toEqual({ requests: { 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 1 } });
    expect(c.worker_extra_pod_config.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4', 'mlscale.io/gpu-class': 't4' });
    expect(c.worker_extra_pod_config.volumes).toEqual([{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '4096Mi' } }]);
  });

  test('every key the handler returns is a KubeClusterConfig trait (traitlets would drop any other silently)', () => {
    for (const r of results.filter((x) => x.config)) expect((r as { unknown: string[] }).unknown).toEqual([]);
    expect(results.filter((x) => x.config).length).toBe(3);
  });

  test('every section either config sets is one dask-gateway-server 2026.3.0 reads (no UserLimits)', () => {
    expect(Object.keys(sections).sort()).toEqual(['Backend', 'DaskGateway', 'JupyterHubAuthenticator', 'KubeBackend', 'KubeClusterConfig']);
    for (const name of Object.keys(sections)) expect(GATEWAY_CONFIG_SECTIONS).toContain(name);
    const controller = run(configs['dask-gateway-controller'], []).sections;
    expect(Object.keys(controller)).toEqual(['KubeController']);
    expect(sections.KubeClusterConfig).toEqual(expect.arrayContaining(['cluster_max_cores', 'cluster_max_memory', 'cluster_max_workers', 'idle_timeout']));
  });

  test('only tokens allowed to use the dask-gateway JupyterHub service get in, and the hub grants users and their servers that scope', () => {
    expect(api).toContain('c.JupyterHubAuthenticator.jupyterhub_service_name = "dask-gateway"\n');
    const values = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'notebooks-jupyter.jupyterhub-values.json'), 'utf8'));
    expect(values.hub.services).toEqual({
      'dask-gateway': { display: false },
      // the dashboards' login check: an OAuth client whose callback is on the gateway's public host
      'dask-gateway-dashboards': { display: false, oauth_no_confirm: true, oauth_redirect_uri: 'https://dask.ml.acme.example/dashboard-auth/oauth_callback' },
    });
    expect(values.hub.loadRoles.user.scopes).toEqual(['self', 'access:services!service=dask-gateway', 'access:services!service=dask-gateway-dashboards']);
    expect(values.hub.loadRoles.server.scopes).toEqual(['users:activity!user', 'access:servers!server', 'access:services!service=dask-gateway']);
  });

  test('the dashboard link a user can click: the public HTTPS address, through an Ingress with a TLS Secret to provide', () => {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'dask-gateway.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    const ingress = docs.find((d) => d?.kind === 'Ingress');
    expect(ingress.spec).toEqual({
      tls: [{ hosts: ['dask.ml.acme.example'], secretName: 'dask-gateway-tls' }],
      rules: [{ host: 'dask.ml.acme.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'dask-gateway-proxy', port: { name: 'web' } } } }] } }],
    });
    const values = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'notebooks-jupyter.jupyterhub-values.json'), 'utf8'));
    expect(values.singleuser.extraEnv.DASK_GATEWAY__PUBLIC_ADDRESS).toBe('https://dask.ml.acme.example');
    const externals = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'externals.json'), 'utf8'));
    expect(externals).toContainEqual(expect.objectContaining({ kind: 'Secret', name: 'dask-gateway-tls', namespace: 'dask-gateway', keys: ['tls.crt', 'tls.key'] }));
  });
});
