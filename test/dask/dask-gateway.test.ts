import { Duration, Testing } from 'cdk8s';
import { SecretRef, ClusterProfile, DaskClusterOptions, DaskGateway, DaskGatewayAuth, JupyterHubValues } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';
import { admits } from './policy-eval';

/** The acceptance options: cores 1–8 default 2, memory 1–32 GiB default 4, image from 2 choices (the second marked). */
const ACCEPTANCE: DaskClusterOptions = {
  workerCores: { min: 1, max: 8, default: 2 },
  workerMemoryGiB: { min: 1, max: 32, default: 4 },
  image: { choices: [{ value: 'ghcr.io/dask/dask-gateway:2026.3.0' }, { value: 'ghcr.io/acme/dask-geo:2026.3.0-1', default: true, contents: { dask: '2026.3.0', daskGateway: '2026.3.0' } }] },
};

const T4 = ClusterProfile.gke({ gpuClasses: [{ name: 't4', type: 'nvidia-tesla-t4' }, { name: 'l4', type: 'nvidia-l4', gpusPerNode: 2 }] });

function gateway(clusterOptions: DaskClusterOptions = ACCEPTANCE, extra: object = {}) {
  const chart = testChart(T4);
  const gw = new DaskGateway(chart, 'gw', { namespace: 'dask-gateway', clusterNamespace: 'team-a', clusterOptions, ...extra });
  return { chart, gw, docs: byKind(chart) };
}

/** The gateway config as it is in the synthesized ConfigMap. */
function configOf(docs: Record<string, any[]>): string {
  return docs.ConfigMap.find((c) => c.metadata.name === 'gw').data['dask_gateway_config.py'];
}

/** The field declarations inside `c.Backend.cluster_options = Options(...)`. */
function declaredOptions(config: string): string[] {
  const start = config.indexOf('c.Backend.cluster_options = Options(\n');
  expect(start).toBeGreaterThanOrEqual(0);
  const body = config.slice(start).split('\n').slice(1);
  return body.slice(0, body.indexOf(')')).map((l) => l.trim()).filter((l) => l !== 'handler=_mlscale_options_handler,');
}

describe('DaskGateway', () => {
  test('synthesizes the gateway (snapshot)', () => {
    expect(Testing.synth(gateway().chart)).toMatchSnapshot();
  });

  test('the options config declares exactly the declared options, bounds and defaults', () => {
    expect(declaredOptions(configOf(gateway().docs))).toEqual([
      'Integer("worker_cores", default=2, min=1, max=8, label="Worker cores"),',
      'Float("worker_memory", default=4.0, min=1.0, max=32.0, label="Worker memory (GiB)"),',
      'Select("image", ["ghcr.io/dask/dask-gateway:2026.3.0", "ghcr.io/acme/dask-geo:2026.3.0-1"], default="ghcr.io/acme/dask-geo:2026.3.0-1", label="Image"),',
    ]);
  });

  test('the select default is the marked choice, wherever it is in the list', () => {
    const contents = { dask: '2026.3.0', daskGateway: '2026.3.0' };
    const first = declaredOptions(configOf(gateway({ image: { choices: [{ value: 'a/b:1', default: true, contents }, { value: 'a/c:1', contents }, { value: 'a/d:1', contents }] } }).docs));
    const last = declaredOptions(configOf(gateway({ image: { choices: [{ value: 'a/b:1', contents }, { value: 'a/c:1', contents }, { value: 'a/d:1', default: true, contents }] } }).docs));
    expect(first).toEqual(['Select("image", ["a/b:1", "a/c:1", "a/d:1"], default="a/b:1", label="Image"),']);
    expect(last).toEqual(['Select("image", ["a/b:1", "a/c:1", "a/d:1"], default="a/d:1", label="Image"),']);
  });

  test('the handler maps options to KubeClusterConfig; fixed values follow the option defaults', () => {
    const config = configOf(gateway().docs);
    expect(config).toContain('    config["worker_cores"] = options.worker_cores\n');
    expect(config).toContain('    memory = int(options.worker_memory * 2**30)\n');
    expect(config).toContain('    config["image"] = options.image\n');
    expect(config).toContain('c.KubeClusterConfig.worker_cores = 2.0\n');
    expect(config).toContain(`c.KubeClusterConfig.worker_memory = ${4 * 2 ** 30}\n`);
    expect(config).toContain('c.KubeClusterConfig.namespace = "team-a"\n');
    expect(config).not.toContain('worker_gpus');
  });

  test('labels with quotes, backslashes and newlines stay inside one Python string literal', () => {
    const label = 'Cores ("big" \\ o\'clock)\nimport os';
    const [decl] = declaredOptions(configOf(gateway({ workerCores: { min: 1, max: 4, default: 1, label } }).docs));
    expect(decl).toBe('Integer("worker_cores", default=1, min=1, max=4, label="Cores (\\"big\\" \\\\ o\'clock)\\nimport os"),');
  });

  test('GPU option: dask-cuda-worker, GPU placement from the ClusterProfile, /dev/shm, GPU limits', () => {
    const { docs } = gateway({ workerGpus: { min: 0, max: 2, default: 0, gpuType: 'nvidia-l4' }, image: { choices: [{ value: 'ghcr.io/acme/dask-cuda:2026.3.0', contents: { dask: '2026.3.0', daskGateway: '2026.3.0', cuda: true } }] } });
    const config = configOf(docs);
    expect(declaredOptions(config)).toEqual([
      'Integer("worker_gpus", default=0, min=0, max=2, label="GPUs per worker"),',
      'Select("image", ["ghcr.io/acme/dask-cuda:2026.3.0"], default="ghcr.io/acme/dask-cuda:2026.3.0", label="Image"),',
    ]);
    expect(config).toContain('_CUDA_IMAGES = ["ghcr.io/acme/dask-cuda:2026.3.0"]');
    expect(config).toContain('_GPU_POD_EXTRA = {"nodeSelector": {"cloud.google.com/gke-accelerator": "nvidia-l4", "mlscale.io/gpu-class": "l4"}, '
      + '"tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]}');
    expect(config).toContain('        config["worker_cmd"] = "dask-cuda-worker"\n');
    expect(config).toContain('"resources": {"requests": {"nvidia.com/gpu": gpus}, "limits": {"nvidia.com/gpu": gpus}}');
    expect(config).toContain('"volumes": [{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": shm}}]');
  });

  test('schedulers and workers get the restricted security contexts; limits, idle timeout and auth are rendered', () => {
    const { docs } = gateway(ACCEPTANCE, {
      idleTimeout: Duration.minutes(45), clusterLimits: { maxWorkers: 10, maxCores: 32 },
      auth: DaskGatewayAuth.jupyterHub({ apiUrl: 'http://hub.jhub:8081/hub/api', apiTokenSecret: SecretRef.fromName('hub-token').key('token') }),
    });
    const config = configOf(docs);
    expect(config).toContain('_POD_EXTRA = {"securityContext": {"fsGroup": 1000, "runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000, '
      + '"seccompProfile": {"type": "RuntimeDefault"}}, "automountServiceAccountToken": False}');
    expect(config).toContain('"capabilities": {"drop": ["ALL"]}');
    expect(config).toContain('c.KubeClusterConfig.worker_extra_pod_config = _POD_EXTRA\n');
    expect(config).toContain('c.KubeClusterConfig.idle_timeout = 2700.0\n');
    expect(config).toContain('c.KubeClusterConfig.cluster_max_workers = 10\nc.KubeClusterConfig.cluster_max_cores = 32\n');
    expect(config).not.toContain('UserLimits');
    expect(config).toContain('c.DaskGateway.authenticator_class = "dask_gateway_server.auth.JupyterHubAuthenticator"\n');
    expect(config).toContain('c.JupyterHubAuthenticator.jupyterhub_api_url = "http://hub.jhub:8081/hub/api"\n');
    const api = docs.Deployment.find((d) => d.metadata.name === 'gw-api').spec.template.spec;
    expect(api.containers[0].env).toEqual([{ name: 'JUPYTERHUB_API_TOKEN', valueFrom: { secretKeyRef: { name: 'hub-token', key: 'token' } } }]);
    expect(api.serviceAccountName).toBe('gw-api');
  });

  test('simple auth takes the password from a Secret reference, never a value', () => {
    const { docs } = gateway(ACCEPTANCE, { auth: DaskGatewayAuth.simple({ passwordSecret: SecretRef.fromName('gw-password').key('password') }) });
    expect(configOf(docs)).toContain('c.SimpleAuthenticator.password = os.environ["DASK_GATEWAY_PASSWORD"]\n');
    const env = docs.Deployment.find((d) => d.metadata.name === 'gw-api').spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'DASK_GATEWAY_PASSWORD', valueFrom: { secretKeyRef: { name: 'gw-password', key: 'password' } } }]);
  });

  test('every gateway pod is PSS restricted with requests and limits; the proxy watches only this instance', () => {
    const { docs } = gateway();
    expect(docs.Deployment.map((d) => d.metadata.name)).toEqual(['gw-api', 'gw-controller', 'gw-proxy']);
    for (const d of docs.Deployment) {
      const spec = d.spec.template.spec;
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of spec.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
        expect(c.image).toMatch(/:(2026\.3\.0|v3\.3\.5)$/);
      }
    }
    const traefik = docs.Deployment[2].spec.template.spec.containers[0];
    expect(traefik.args).toContain('--providers.kubernetescrd.labelselector=gateway.dask.org/instance=gw');
    const route = docs.IngressRoute[0];
    expect(route.metadata.labels['gateway.dask.org/instance']).toBe('gw');
    expect(route.spec.routes[0]).toMatchObject({ match: 'PathPrefix(`/`)', services: [{ name: 'gw-api', port: 8000 }] });
    expect(docs.Middleware[0].spec).toEqual({ stripPrefixRegex: { regex: ['/clusters/[a-zA-Z0-9.-]+'] } });
    expect(docs.ConfigMap.find((c) => c.metadata.name === 'gw-controller').data['dask_gateway_config.py'])
      .toContain('c.KubeController.proxy_web_middlewares = [{"name": "gw-clusters-prefix", "namespace": "dask-gateway"}]');
  });

  describe('scheduler NetworkPolicy', () => {
    const policy = gateway().docs.NetworkPolicy.find((p: any) => p.metadata.name === 'gw-schedulers');
    const clusterPod = { 'gateway.dask.org/instance': 'gw', 'gateway.dask.org/cluster': 'c1', 'app.kubernetes.io/component': 'dask-worker' };
    const proxy = { 'app.kubernetes.io/name': 'dask-gateway', 'app.kubernetes.io/instance': 'gw', 'app.kubernetes.io/component': 'proxy' };
    const api = { 'app.kubernetes.io/name': 'dask-gateway', 'app.kubernetes.io/instance': 'gw', 'app.kubernetes.io/component': 'api' };
    test('selects the instance schedulers in the cluster namespace', () => {
      expect(policy.metadata.namespace).toBe('team-a');
      expect(policy.spec.podSelector.matchLabels).toEqual({ 'gateway.dask.org/instance': 'gw', 'app.kubernetes.io/component': 'dask-scheduler' });
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
    });
    test.each([
      ['a cluster pod', 'team-a', clusterPod, 8786, true],
      ['a cluster pod', 'team-a', clusterPod, 8787, true],
      ['the proxy', 'dask-gateway', proxy, 8786, true],
      ['the proxy', 'dask-gateway', proxy, 8787, true],
      ['the API server', 'dask-gateway', api, 8788, true],
      ['the API server', 'dask-gateway', api, 8786, false],
      ['another pod of team-a', 'team-a', { app: 'x' }, 8786, false],
      ['another pod of team-a', 'team-a', { app: 'x' }, 8787, false],
      ['proxy-labelled pod in another namespace', 'team-b', proxy, 8787, false],
      ['a cluster-labelled pod in another namespace', 'team-b', clusterPod, 8786, false],
    ])('%s from %s on %d → %s', (_who, namespace, labels, port, allowed) => {
      expect(admits(policy, { namespace, labels }, port)).toBe(allowed);
    });
  });

  describe('bad input is rejected with every problem', () => {
    test('default outside bounds and min > max', () => {
      expect(problemMessages(() => gateway({
        workerCores: { min: 1, max: 8, default: 9 },
        workerMemoryGiB: { min: 32, max: 1, default: 4 },
      }))).toEqual([
        'test/gw: clusterOptions.workerCores.default is outside the bounds; got 9, expected a value from 1 to 8',
        'test/gw: clusterOptions.workerMemoryGiB.min is greater than max (1); got 32, expected min ≤ max',
      ]);
    });

    test('empty image list', () => {
      expect(problemMessages(() => gateway({ image: { choices: [] } }))).toEqual([
        'test/gw: clusterOptions.image.choices must not be empty; got [], expected at least one pinned image',
      ]);
    });

    test('unpinned images and no marked default among several', () => {
      const contents = { dask: '2026.3.0', daskGateway: '2026.3.0' };
      expect(problemMessages(() => gateway({ image: { choices: [{ value: 'a/b:1', contents }, { value: 'a/c', contents }] } }))).toEqual([
        'test/gw: clusterOptions.image.choices[1].value is not pinned (no tag or digest); got "a/c", expected a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"',
        'test/gw: clusterOptions.image.choices must mark exactly one choice as the default; got 0, expected exactly one choice with `default: true`',
      ]);
    });

    test('a GPU option without a GPU type', () => {
      expect(problemMessages(() => gateway({ workerGpus: { min: 0, max: 1, default: 0 } }))).toEqual([
        'test/gw: clusterOptions.workerGpus.gpuType is required when GPUs are requested; got nothing, expected one of nvidia-l4, nvidia-tesla-t4',
        'test/gw: clusterOptions.workerGpus is offered but no image choice is a CUDA image; got [], expected an `image` option with at least one choice whose contents have `cuda: true` (an image with dask-gateway, CUDA and dask-cuda)',
      ]);
    });

    test('a GPU option whose type no GPU class offers, and fractional cores', () => {
      expect(problemMessages(() => gateway({ workerCores: { min: 1, max: 4, default: 1.5 }, workerGpus: { min: 0, max: 1, default: 0, gpuType: 'nvidia-h100-80gb' } }))).toEqual([
        'test/gw: clusterOptions.workerCores.default must be a whole number; got 1.5, expected an integer ≥ 1',
        'test/gw: clusterOptions.workerGpus.gpuType is not offered by any GPU class of the cluster; got "nvidia-h100-80gb", expected one of nvidia-l4, nvidia-tesla-t4',
        'test/gw: clusterOptions.workerGpus is offered but no image choice is a CUDA image; got [], expected an `image` option with at least one choice whose contents have `cuda: true` (an image with dask-gateway, CUDA and dask-cuda)',
      ]);
    });

    test('limits and auth', () => {
      expect(problemMessages(() => gateway(ACCEPTANCE, {
        clusterLimits: { maxWorkers: 0, maxMemoryGiB: -1 }, idleTimeout: Duration.seconds(10),
        auth: DaskGatewayAuth.jupyterHub({ apiUrl: 'hub:8081', apiTokenSecret: SecretRef.fromName('t').key('k') }),
      }))).toEqual([
        'test/gw: idleTimeout is too short; got 10, expected a whole number of seconds ≥ 60',
        'test/gw: clusterLimits.maxWorkers must be a whole number ≥ 1; got 0, expected an integer ≥ 1',
        'test/gw: clusterLimits.maxMemoryGiB must be positive; got -1, expected a number of GiB > 0',
        'test/gw: auth.apiUrl is not an http(s) URL; got "hub:8081", expected e.g. "http://hub.jupyterhub.svc:8081/hub/api"',
      ]);
    });
  });

  test('cluster images: unknown contents, another dask-gateway than the server, mixed dask versions', () => {
    expect(problemMessages(() => gateway({ image: { choices: [
      { value: 'ghcr.io/dask/dask-gateway:2026.3.0', default: true },
      { value: 'pangeo/pangeo-notebook:2025.04.01' },
      { value: 'ghcr.io/acme/old:1', contents: { dask: '2024.1.0', daskGateway: '2024.1.0' } },
    ] } }))).toEqual([
      'test/gw: clusterOptions.image.choices[1].contents is unknown: what the image holds must be declared; got "pangeo/pangeo-notebook:2025.04.01", '
      + 'expected contents: { dask, daskGateway: \'2026.3.0\' } on the choice, or an image of KNOWN_DASK_IMAGES (ghcr.io/dask/dask-gateway:2026.3.0)',
      'test/gw: clusterOptions.image.choices[2].contents has dask-gateway 2024.1.0, but the gateway server is 2026.3.0; got "ghcr.io/acme/old:1", '
      + 'expected an image with dask-gateway 2026.3.0 (the scheduler\'s preload talks to the server)',
      'test/gw: clusterOptions.image.choices mix dask versions; got ["2026.3.0","2024.1.0"], expected one dask version for every cluster image (the notebooks\' client must match it)',
    ]);
  });

  test('JupyterHub profiles must carry the gateway clusters\' dask and dask-gateway', () => {
    const { gw, chart } = gateway();
    expect(gw.daskVersion).toBe('2026.3.0');
    expect(problemMessages(() => new JupyterHubValues(chart, 'hub', {
      profiles: [
        { displayName: 'ok', image: 'ghcr.io/acme/nb:1', contents: { dask: '2026.3.0', daskGateway: '2026.3.0' }, default: true },
        { displayName: 'no client', image: 'quay.io/jupyter/scipy-notebook:2025-01-13' },
      ],
      daskGateway: { address: gw.address, daskVersion: gw.daskVersion },
    }))).toEqual([
      'test/hub: profiles[1].contents does not match the Dask Gateway\'s clusters; got "quay.io/jupyter/scipy-notebook:2025-01-13", '
      + 'expected an image with dask 2026.3.0 and dask-gateway 2026.3.0 (declare its contents; the client in the notebook must match the clusters)',
    ]);
  });

  test('a fixed image of your own declares what it holds', () => {
    expect(() => gateway({}, { image: 'ghcr.io/acme/dask:2026.3.0', imageContents: { dask: '2026.3.0', daskGateway: '2026.3.0' } })).not.toThrow();
    expect(problemMessages(() => gateway({}, { image: 'ghcr.io/acme/dask:2026.3.0' }))).toEqual([
      'test/gw: imageContents is unknown: what the image holds must be declared; got "ghcr.io/acme/dask:2026.3.0", '
      + 'expected contents: { dask, daskGateway: \'2026.3.0\' } on the choice, or an image of KNOWN_DASK_IMAGES (ghcr.io/dask/dask-gateway:2026.3.0)',
    ]);
  });
});
