import { isSecret, ofType, one, recorded, resolve, settle } from './pulumi-mocks';
import { GpuClass } from '../../constructs/core/gpu';
import { GkeCluster, GkeClusterArgs } from '../../stacks/gke-cluster';
import { problemMessages } from '../util';

const POOL = 'gcp:container/nodePool:NodePool';
const CLUSTER = 'gcp:container/cluster:Cluster';

const T4: GpuClass = { name: 't4', type: 'nvidia-tesla-t4', gpusPerNode: 1, maxNodes: 8 };
const A100: GpuClass = { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 8, spot: true, maxNodes: 2 };

const base: GkeClusterArgs = {
  project: 'acme-ml',
  location: 'europe-west4',
  gpuClasses: [T4, A100],
  controlPlaneAllowList: [{ cidr: '203.0.113.0/24', name: 'office' }],
};

describe('GkeCluster with T4 and A100 classes', () => {
  let gke: GkeCluster;
  beforeAll(async () => {
    gke = new GkeCluster('main', { ...base, daskPool: {}, artifactBucket: { workloadServiceAccounts: ['team-a/artifacts'] } });
    await settle();
  });

  test('resource graph snapshot', () => {
    const mine = recorded.filter((r) => r.name.startsWith('main')).map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))
      .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
    expect(mine).toMatchSnapshot();
  });

  test('one pool per GPU class, autoscaling from 0', () => {
    expect(ofType(POOL, 'main-gpu').map((p) => p.inputs.name).sort()).toEqual(['gpu-a100', 'gpu-t4']);
    for (const name of ['main-gpu-t4', 'main-gpu-a100']) {
      expect(one(POOL, name).inputs.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: name.endsWith('t4') ? 8 : 2, locationPolicy: 'ANY' });
      expect(one(POOL, name).inputs.initialNodeCount).toBe(0);
    }
  });

  test('accelerator type and count, managed driver install, machine type from the GPU catalog', () => {
    const t4 = one(POOL, 'main-gpu-t4').inputs.nodeConfig;
    const a100 = one(POOL, 'main-gpu-a100').inputs.nodeConfig;
    expect(t4.guestAccelerators).toEqual([{ type: 'nvidia-tesla-t4', count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: 'DEFAULT' } }]);
    expect(a100.guestAccelerators).toEqual([{ type: 'nvidia-tesla-a100', count: 8, gpuDriverInstallationConfig: { gpuDriverVersion: 'DEFAULT' } }]);
    expect(t4.machineType).toBe('n1-standard-8');
    expect(a100.machineType).toBe('a2-highgpu-8g');
  });

  test('the nvidia.com/gpu taint; spot flag and spot taint only on the spot class', () => {
    const t4 = one(POOL, 'main-gpu-t4').inputs.nodeConfig;
    const a100 = one(POOL, 'main-gpu-a100').inputs.nodeConfig;
    expect(t4.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }]);
    expect(t4.spot).toBe(false);
    expect(a100.spot).toBe(true);
    expect(a100.taints).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' },
      { key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NO_SCHEDULE' },
    ]);
  });

  test('pool labels carry the GPU class the cdk8s placement selects', () => {
    expect(one(POOL, 'main-gpu-a100').inputs.nodeConfig.labels).toEqual({ 'mlscale.io/pool': 'gpu-a100', 'mlscale.io/gpu-class': 'a100' });
  });

  test('nodes: Workload Identity metadata, shielded, image streaming, least-privilege service account', () => {
    const nc = one(POOL, 'main-system').inputs.nodeConfig;
    expect(nc.workloadMetadataConfig).toEqual({ mode: 'GKE_METADATA' });
    expect(nc.shieldedInstanceConfig).toEqual({ enableSecureBoot: true, enableIntegrityMonitoring: true });
    expect(nc.gcfsConfig).toEqual({ enabled: true });
    expect(nc.serviceAccount).toBe('mlscale-nodes@acme-ml.iam.gserviceaccount.com');
    expect(ofType('gcp:projects/iAMMember:IAMMember', 'main-nodes-').map((m) => m.inputs.role)).toContain('roles/logging.logWriter');
  });

  test('cluster: Workload Identity, private nodes, allow-list, shielded nodes, Dataplane V2, Filestore CSI, no default pool', () => {
    const c = one(CLUSTER, 'main').inputs;
    expect(c.workloadIdentityConfig).toEqual({ workloadPool: 'acme-ml.svc.id.goog' });
    expect(c.privateClusterConfig).toEqual({ enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: '172.16.0.0/28' });
    expect(c.masterAuthorizedNetworksConfig).toEqual({ cidrBlocks: [{ cidrBlock: '203.0.113.0/24', displayName: 'office' }] });
    expect(c.enableShieldedNodes).toBe(true);
    expect(c.datapathProvider).toBe('ADVANCED_DATAPATH');
    expect(c.addonsConfig.gcpFilestoreCsiDriverConfig).toEqual({ enabled: true });
    expect(c.removeDefaultNodePool).toBe(true);
    expect(c.releaseChannel).toEqual({ channel: 'REGULAR' });
    expect(c.nodePoolDefaults).toEqual({ nodeConfigDefaults: { gcfsConfig: { enabled: true } } });
    expect(c.clusterAutoscaling).toEqual({ autoscalingProfile: 'OPTIMIZE_UTILIZATION', enabled: false });
  });

  test('Cloud NAT lets the private nodes pull public images', () => {
    expect(one('gcp:compute/router:Router', 'main-nat').inputs).toMatchObject({ name: 'mlscale-nat', region: 'europe-west4', network: 'default' });
    expect(one('gcp:compute/routerNat:RouterNat', 'main-nat').inputs).toMatchObject({
      router: 'mlscale-nat', natIpAllocateOption: 'AUTO_ONLY', sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    });
  });

  test('the spot high-CPU Dask pool', () => {
    const dask = one(POOL, 'main-dask').inputs;
    expect(dask.nodeConfig.machineType).toBe('n1-highcpu-32');
    expect(dask.nodeConfig.spot).toBe(true);
    expect(dask.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 10, locationPolicy: 'ANY' });
  });

  test('artifact bucket: private, versioned, Workload-Identity-bound service account', () => {
    const b = one('gcp:storage/bucket:Bucket', 'main-artifacts').inputs;
    expect(b).toMatchObject({ name: 'acme-ml-mlscale-artifacts', location: 'EUROPE-WEST4', uniformBucketLevelAccess: true, publicAccessPrevention: 'enforced' });
    expect(one('gcp:storage/bucketIAMMember:BucketIAMMember', 'main-artifacts-object-admin').inputs.member)
      .toBe('serviceAccount:mlscale-artifacts@acme-ml.iam.gserviceaccount.com');
    expect(one('gcp:serviceaccount/iAMMember:IAMMember', 'main-wi-team-a-artifacts').inputs).toMatchObject({
      role: 'roles/iam.workloadIdentityUser', member: 'serviceAccount:acme-ml.svc.id.goog[team-a/artifacts]',
    });
  });

  test('Filestore RWX StorageClass', () => {
    expect(one('kubernetes:storage.k8s.io/v1:StorageClass', 'main-rwx').inputs).toMatchObject({
      metadata: { name: 'mlscale-rwx' }, provisioner: 'filestore.csi.storage.gke.io',
      parameters: { tier: 'standard', network: 'default' }, volumeBindingMode: 'WaitForFirstConsumer',
    });
  });

  test('outputs: secret kubeconfig, cluster name, pool names, StorageClass name', async () => {
    expect(await isSecret(gke.kubeconfig)).toBe(true);
    const kc = await resolve(gke.kubeconfig);
    expect(kc).toContain('server: https://203.0.113.10');
    expect(kc).toContain('command: gke-gcloud-auth-plugin');
    expect(await resolve(gke.clusterName)).toBe('mlscale');
    expect(await resolve(gke.nodePoolNames)).toEqual(['system', 'gpu-t4', 'gpu-a100', 'dask']);
    expect(await resolve(gke.storageClassName)).toBe('mlscale-rwx');
  });

  test('the Kubernetes provider receives the kubeconfig as a secret', () => {
    const kc = one('pulumi:providers:kubernetes', 'main').inputs.kubeconfig;
    expect(kc['4dabf18193072939515e22adb298388d']).toBe('1b47061264138c4ac30d75fd1eb44270'); // Pulumi's secret signature
  });

  test('children are parented to the component', async () => {
    expect(await resolve(gke.gpuPools.t4.urn)).toContain('mlscale:clusters:GkeCluster$gcp:container/nodePool:NodePool::main-gpu-t4');
    expect(await resolve(gke.cluster.urn)).toContain('mlscale:clusters:GkeCluster$gcp:container/cluster:Cluster::main');
  });
});

describe('GkeCluster options', () => {
  test('GPU sharing: time-sharing / MPS max clients, MIG partition; LATEST driver; zonal cluster', async () => {
    new GkeCluster('share', {
      ...base, location: 'europe-west4-b', gpuDriverVersion: 'LATEST',
      gpuClasses: [
        { name: 'l4-ts', type: 'nvidia-l4', sharing: { strategy: 'time-sharing', maxSharedClientsPerGpu: 4 } },
        { name: 'l4-mps', type: 'nvidia-l4', sharing: { strategy: 'mps', maxSharedClientsPerGpu: 8 } },
        { name: 'a100-mig', type: 'nvidia-tesla-a100', sharing: { strategy: 'mig', partitionSize: '1g.5gb' } },
      ],
    });
    await settle();
    const acc = (n: string) => one(POOL, `share-gpu-${n}`).inputs.nodeConfig.guestAccelerators[0];
    expect(acc('l4-ts')).toEqual({ type: 'nvidia-l4', count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: 'LATEST' },
      gpuSharingConfig: { gpuSharingStrategy: 'TIME_SHARING', maxSharedClientsPerGpu: 4 } });
    expect(acc('l4-mps').gpuSharingConfig).toEqual({ gpuSharingStrategy: 'MPS', maxSharedClientsPerGpu: 8 });
    expect(acc('a100-mig').gpuPartitionSize).toBe('1g.5gb');
    expect(one(CLUSTER, 'share').inputs.location).toBe('europe-west4-b');
    expect(one('gcp:storage/bucket:Bucket', 'share-artifacts').inputs.location).toBe('EUROPE-WEST4');
  });

  test('autoscaling profile and node auto-provisioning limits', async () => {
    new GkeCluster('nap', { ...base, autoscalingProfile: 'BALANCED', nodeAutoProvisioning: { maxCpu: 512, maxMemoryGb: 2048, maxGpus: { 'nvidia-l4': 16 } } });
    await settle();
    expect(one(CLUSTER, 'nap').inputs.clusterAutoscaling).toMatchObject({
      autoscalingProfile: 'BALANCED', enabled: true,
      resourceLimits: [
        { resourceType: 'cpu', minimum: 0, maximum: 512 },
        { resourceType: 'memory', minimum: 0, maximum: 2048 },
        { resourceType: 'nvidia-l4', minimum: 0, maximum: 16 },
      ],
      autoProvisioningDefaults: { serviceAccount: 'mlscale-nodes@acme-ml.iam.gserviceaccount.com' },
    });
  });
});

describe('GkeCluster validation (nothing is declared)', () => {
  const check = (args: GkeClusterArgs) => {
    const before = recorded.length;
    const messages = problemMessages(() => new GkeCluster('bad', args));
    expect(recorded.length).toBe(before);
    return messages;
  };

  test('a GPU count the accelerator does not offer (3 × A100)', () => {
    expect(check({ ...base, gpuClasses: [T4, { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 3 }] })).toEqual([
      'GkeCluster bad: gpuClasses[1].gpusPerNode is not offered for nvidia-tesla-a100; got 3, expected one of 1, 2, 4, 8, 16',
    ]);
  });

  test('min > max nodes', () => {
    expect(check({ ...base, gpuClasses: [{ ...T4, minNodes: 5, maxNodes: 2 }], systemPool: { minNodes: 4, maxNodes: 3 } })).toEqual([
      'GkeCluster bad: systemPool.minNodes is greater than maxNodes (3); got 4, expected minNodes ≤ maxNodes',
      'GkeCluster bad: gpuClasses[0].minNodes is greater than maxNodes (2); got 5, expected minNodes ≤ maxNodes',
    ]);
  });

  test('a MIG partition on a GPU without MIG', () => {
    expect(check({ ...base, gpuClasses: [{ ...T4, sharing: { strategy: 'mig', partitionSize: '1g.5gb' } }] })).toEqual([
      'GkeCluster bad: gpuClasses[0].sharing.partitionSize is a MIG partition but nvidia-tesla-t4 has no MIG; got "1g.5gb", '
      + 'expected MIG only on nvidia-tesla-a100, nvidia-a100-80gb, nvidia-h100-80gb',
    ]);
  });

  test('an empty control-plane allow-list with a private endpoint', () => {
    expect(check({ ...base, privateEndpoint: true, controlPlaneAllowList: [] })).toEqual([
      'GkeCluster bad: controlPlaneAllowList is empty but privateEndpoint is true; got [], '
      + 'expected at least one CIDR (your VPN, bastion or CI range) that may reach the private control plane',
    ]);
  });

  test('bad location, CIDR and enum values are all reported together', () => {
    expect(check({ ...base, location: 'mars', releaseChannel: 'NIGHTLY' as never, controlPlaneAllowList: [{ cidr: '10.0.0.0/33' }] })).toEqual([
      'GkeCluster bad: location is not a GCP region or zone; got "mars", expected a region such as "europe-west4" (regional cluster) or a zone such as "europe-west4-a" (zonal)',
      'GkeCluster bad: releaseChannel is not supported; got "NIGHTLY", expected one of RAPID, REGULAR, STABLE',
      'GkeCluster bad: controlPlaneAllowList[0].cidr is not an IPv4 CIDR; got "10.0.0.0/33", expected a CIDR such as "203.0.113.0/24"',
    ]);
  });
});
