import { isSecret, ofType, one, recorded, resolve, settle } from './pulumi-mocks';
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { PLATFORM_GPU_CLASSES } from '../../apps/platform';
import { RawStackConfig, deployPlatform, loadStackConfig, parseStackConfig } from '../../stacks/lib';
import { problemMessages } from '../util';

const ROOT = path.join(__dirname, '../..');
const defaults = { gpuClasses: PLATFORM_GPU_CLASSES };

/** The `config:` map of an example stack file, as `pulumi config` stores it (objects as JSON). */
function exampleConfig(file: string): Record<string, string> {
  const cfg = parse(fs.readFileSync(path.join(ROOT, file), 'utf8')).config as Record<string, unknown>;
  return Object.fromEntries(Object.entries(cfg).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function rawFrom(file: string, extra: Partial<RawStackConfig> = {}): RawStackConfig {
  pulumi.runtime.setAllConfig(exampleConfig(file));
  const c = new pulumi.Config('mlscale');
  return {
    target: c.get('target'), gpuClasses: c.getObject('gpuClasses'), addons: c.getObject('addons'), chartsOut: c.getObject('chartsOut'),
    gke: c.getObject('gke'), onprem: c.getObject('onprem'), ...extra,
  };
}

describe('the GKE example stack (Pulumi.gke-example.yaml) end to end', () => {
  beforeAll(async () => {
    pulumi.runtime.setAllConfig(exampleConfig('Pulumi.gke-example.yaml'));
    const outputs = deployPlatform(loadStackConfig(new pulumi.Config('mlscale'), defaults), 'gke');
    expect(await isSecret(outputs.kubeconfig)).toBe(true);
    expect(outputs.chartsOutFiles.length).toBeGreaterThan(0);
    await settle();
  });

  test('one GPU pool per class of apps/platform.ts (the GPU contract shared with cdk8s)', () => {
    expect(ofType('gcp:container/nodePool:NodePool', 'gke-gpu-').map((p) => p.inputs.name).sort())
      .toEqual(PLATFORM_GPU_CLASSES.map((c) => `gpu-${c.name}`).sort());
  });

  test('add-ons and charts-out go to the new cluster (its Kubernetes provider)', () => {
    const releases = ofType('kubernetes:helm.sh/v3:Release', 'gke-');
    expect(releases.map((r) => r.inputs.name).sort())
      .toEqual(['argo-cd', 'argo-workflows', 'dask-kubernetes-operator', 'kubeflow-trainer', 'kueue']);
    for (const r of releases) expect(r.provider).toContain('mlscale:clusters:GkeCluster$pulumi:providers:kubernetes::gke::');
    const charts = one('kubernetes:yaml/v2:ConfigGroup', 'gke-charts-out');
    expect(charts.inputs.files).toContain('charts-out/platform.k8s.yaml');
  });
});

describe('stack config validation (before any resource is declared)', () => {
  const check = (raw: RawStackConfig) => {
    const before = recorded.length;
    const messages = problemMessages(() => parseStackConfig(raw, defaults));
    expect(recorded.length).toBe(before);
    return messages;
  };

  test('a GPU count not valid for the accelerator (3 × A100), reported with the config path', () => {
    const gpuClasses = [{ name: 't4', type: 'nvidia-tesla-t4' }, { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 3 }];
    expect(check(rawFrom('Pulumi.gke-example.yaml', { gpuClasses }))).toEqual([
      'config: gpuClasses[1].gpusPerNode is not offered for nvidia-tesla-a100; got 3, expected one of 1, 2, 4, 8, 16',
    ]);
  });

  test('min > max nodes and a MIG partition on a GPU without MIG', () => {
    const gpuClasses = [{ name: 'l4', type: 'nvidia-l4', minNodes: 3, maxNodes: 1, sharing: { strategy: 'mig', partitionSize: '1g.5gb' } }];
    expect(check(rawFrom('Pulumi.gke-example.yaml', { gpuClasses }))).toEqual([
      'config: gpuClasses[0].minNodes is greater than maxNodes (1); got 3, expected minNodes ≤ maxNodes',
      'config: gpuClasses[0].sharing.partitionSize is a MIG partition but nvidia-l4 has no MIG; got "1g.5gb", '
      + 'expected MIG only on nvidia-tesla-a100, nvidia-a100-80gb, nvidia-h100-80gb',
    ]);
  });

  test('an empty control-plane allow-list with a private endpoint; unknown keys', () => {
    const raw = rawFrom('Pulumi.gke-example.yaml');
    const gke = { ...(raw.gke as object), privateEndpoint: true, controlPlaneAllowList: [], controlPlaneAllowlist: ['10.0.0.0/8'] };
    expect(check({ ...raw, gke })).toEqual([
      'config: gke.controlPlaneAllowlist is not a known key; got "controlPlaneAllowlist", expected one of ' + [
        'project', 'location', 'name', 'releaseChannel', 'network', 'subnetwork', 'cloudNat', 'privateEndpoint', 'masterIpv4CidrBlock',
        'controlPlaneAllowList', 'autoscalingProfile', 'systemPool', 'gpuDriverVersion', 'gpuNodeLocations', 'daskPool',
        'nodeAutoProvisioning', 'artifactBucket', 'rwxStorage', 'deletionProtection'].join(', '),
      'config: gke.controlPlaneAllowList is empty but privateEndpoint is true; got [], '
      + 'expected at least one CIDR (your VPN, bastion or CI range) that may reach the private control plane',
    ]);
  });

  test('a missing kubeconfig on-prem (the example file holds no secrets)', () => {
    expect(check(rawFrom('Pulumi.onprem-example.yaml', { minioRootPassword: pulumi.secret('x') }))).toEqual([
      'config: kubeconfig is required for an on-prem cluster; got nothing, expected the kubeconfig of the existing cluster, '
      + 'as a secret: `pulumi config set --secret mlscale:kubeconfig < kubeconfig.yaml`',
    ]);
  });

  test('on-prem autoscaling without a node provider', () => {
    const raw = rawFrom('Pulumi.onprem-example.yaml', { kubeconfig: pulumi.secret('kc'), minioRootPassword: pulumi.secret('x') });
    const onprem = raw.onprem as { autoscaling: object };
    expect(check({ ...raw, onprem: { ...onprem, autoscaling: { enabled: true } } })).toEqual([
      'config: onprem.autoscaling.nodeProvider is required when autoscaling is enabled; got nothing, '
      + 'expected "clusterapi" (Cluster API MachineDeployments create the nodes); a cluster without a node provider cannot be autoscaled',
    ]);
  });

  test('a missing or unknown target', () => {
    expect(check({})).toEqual(['config: target is not a supported target; got nothing, expected "gke" or "onprem"']);
  });
});

describe('the on-prem example stack', () => {
  test('with its secrets set, it declares the on-prem cluster and the autoscaled node groups', async () => {
    pulumi.runtime.setAllConfig({ ...exampleConfig('Pulumi.onprem-example.yaml'), 'mlscale:kubeconfig': 'apiVersion: v1', 'mlscale:minioRootPassword': 'x' },
      ['mlscale:kubeconfig', 'mlscale:minioRootPassword']);
    const cfg = loadStackConfig(new pulumi.Config('mlscale'), defaults);
    expect(cfg.chartsOutDirectory).toBeUndefined();
    const out = deployPlatform(cfg, 'lab');
    expect(await isSecret(out.kubeconfig)).toBe(true);
    expect(await resolve(out.nodePoolNames)).toEqual(['lab-gpu-t4', 'lab-gpu-l4', 'lab-gpu-a100']);
    await settle();
    expect(ofType('kubernetes:helm.sh/v3:Release', 'lab-').map((r) => r.inputs.name)).toContain('cluster-autoscaler');
  });
});

describe('stacks/index.ts (the program Pulumi.yaml runs)', () => {
  test('reads the config once and exports the stack outputs', async () => {
    pulumi.runtime.setAllConfig(exampleConfig('Pulumi.gke-example.yaml'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require('../../stacks/index') as typeof import('../../stacks/index');
    expect(await resolve(entry.clusterName)).toBe('mlscale');
    expect(await isSecret(entry.kubeconfig)).toBe(true);
    expect(await resolve(entry.addonChartVersions)).toMatchObject({ kueue: '0.19.2' });
    await settle();
    expect(one('mlscale:clusters:GkeCluster', 'mlscale')).toBeDefined();
  });
});
