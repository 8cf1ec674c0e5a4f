import { RecordedOptions, isSecret, ofType, one, optionsRecorder, recorded, resolve, settle } from './pulumi-mocks';
import { ClusterProfile, GpuClass } from '../../constructs/core/gpu';
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
    gke = new GkeCluster('main', { ...base, daskPool: {}, controlPlanePorts: [9443, 8443, 9443], artifactBucket: { workloadServiceAccounts: ['team-a/artifacts'] } });
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

  test('the spot high-CPU Dask pool, tainted so only Dask workers with its placement land there', () => {
    const dask = one(POOL, 'main-dask').inputs;
    expect(dask.nodeConfig.machineType).toBe('n1-highcpu-32');
    expect(dask.nodeConfig.spot).toBe(true);
    expect(dask.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 10, locationPolicy: 'ANY' });
    expect(dask.nodeConfig.labels).toEqual({ 'mlscale.io/pool': 'dask' });
    expect(dask.nodeConfig.taints).toEqual([
      { key: 'mlscale.io/pool', value: 'dask', effect: 'NO_SCHEDULE' },
      { key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NO_SCHEDULE' },
    ]);
    // the cdk8s placement tolerates exactly these taints and selects the label
    const placement = ClusterProfile.gke({ daskPool: true }).daskWorkerPlacement()!;
    expect(placement.nodeSelector).toEqual(dask.nodeConfig.labels);
    expect(placement.tolerations.map((t) => `${t.key}=${t.value}:${t.effect}`)).toEqual(['mlscale.io/pool=dask:NoSchedule', 'cloud.google.com/gke-spot=true:NoSchedule']);
  });

  test('the APIs of a fresh project are enabled, and kept on destroy', () => {
    const apis = ofType('gcp:projects/service:Service', 'main-api-');
    expect(apis.map((a) => a.inputs.service).sort()).toEqual([
      'cloudresourcemanager.googleapis.com', 'compute.googleapis.com', 'container.googleapis.com', 'containerfilesystem.googleapis.com',
      'dns.googleapis.com', 'file.googleapis.com', 'iam.googleapis.com', 'iamcredentials.googleapis.com', 'storage.googleapis.com',
    ]);
    for (const a of apis) expect(a.inputs).toMatchObject({ project: 'acme-ml', disableOnDestroy: false });
  });

  test('a firewall rule from the control-plane range to the webhook ports, on the nodes\' service account', () => {
    expect(one('gcp:compute/firewall:Firewall', 'main-control-plane-webhooks').inputs).toMatchObject({
      network: 'default', direction: 'INGRESS', sourceRanges: ['172.16.0.0/28'],
      targetServiceAccounts: ['mlscale-nodes@acme-ml.iam.gserviceaccount.com'], allows: [{ protocol: 'tcp', ports: ['8443', '9443'] }],
    });
  });

  test('GPU pools in the zones of the region that offer their GPU (stacks/gpu-zones.ts)', () => {
    expect(one(POOL, 'main-gpu-t4').inputs.nodeLocations).toEqual(['europe-west4-a', 'europe-west4-b', 'europe-west4-c']);
    expect(one(POOL, 'main-gpu-a100').inputs.nodeLocations).toEqual(['europe-west4-a', 'europe-west4-b']);
    expect(one(POOL, 'main-system').inputs.nodeLocations).toBeUndefined();
  });

  test('Google APIs on private.googleapis.com for the private nodes (the /30 the team policies allow)', () => {
    expect(one('gcp:dns/managedZone:ManagedZone', 'main-googleapis').inputs).toMatchObject({
      dnsName: 'googleapis.com.', visibility: 'private',
      privateVisibilityConfig: { networks: [{ networkUrl: 'https://www.googleapis.com/compute/v1/projects/acme-ml/global/networks/default' }] },
    });
    expect(one('gcp:dns/recordSet:RecordSet', 'main-googleapis-private').inputs).toMatchObject({ type: 'A', rrdatas: ['199.36.153.8', '199.36.153.9', '199.36.153.10', '199.36.153.11'] });
    expect(one('gcp:dns/recordSet:RecordSet', 'main-googleapis-wildcard').inputs).toMatchObject({ name: '*.googleapis.com.', type: 'CNAME', rrdatas: ['private.googleapis.com.'] });
  });

  test('artifact bucket: private, versioned, Workload-Identity-bound service account', () => {
    const b = one('gcp:storage/bucket:Bucket', 'main-artifacts').inputs;
    expect(b).toMatchObject({ name: 'acme-ml-mlscale-artifacts', location: 'EUROPE-WEST4', uniformBucketLevelAccess: true, publicAccessPrevention: 'enforced' });
    expect(one('gcp:serviceaccount/account:Account', 'main-artifacts-team-a').inputs).toMatchObject({ accountId: 'mlscale-team-a' });
    expect(one('gcp:storage/bucketIAMMember:BucketIAMMember', 'main-artifacts-team-a-objects').inputs).toMatchObject({
      member: 'serviceAccount:mlscale-team-a@acme-ml.iam.gserviceaccount.com', role: 'roles/storage.objectAdmin',
      condition: { expression: expect.stringContaining('resource.name.startsWith("projects/_/buckets/acme-ml-mlscale-artifacts/objects/team-a/")') },
    });
    expect(one('gcp:serviceaccount/iAMMember:IAMMember', 'main-wi-team-a-artifacts').inputs).toMatchObject({
      serviceAccountId: 'projects/acme-ml/serviceAccounts/mlscale-team-a@acme-ml.iam.gserviceaccount.com',
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

describe('GkeCluster ordering', () => {
  test('every Google resource waits for the APIs (a new project has none enabled)', async () => {
    const seen: RecordedOptions[] = [];
    const gke = new GkeCluster('order', base, { transformations: [optionsRecorder(seen)] });
    await settle();
    const apis = new Set(gke.apis);
    const google = seen.filter((r) => r.type.startsWith('gcp:') && r.type !== 'gcp:projects/service:Service');
    expect(google.length).toBeGreaterThan(10);
    for (const r of google) {
      const deps = ([] as unknown[]).concat(r.opts.dependsOn ?? []);
      // directly, or through the cluster / a service account that waits for them
      const direct = deps.some((d) => apis.has(d as never));
      const viaCluster = deps.includes(gke.cluster);
      expect(`${r.type} ${r.name}: ${direct || viaCluster}`).toBe(`${r.type} ${r.name}: true`);
    }
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

  test('a public endpoint open to every address', () => {
    const open = 'GkeCluster bad: controlPlaneAllowList leaves the public control-plane endpoint open to every address; ';
    const expected = 'expected at least one CIDR, none of them 0.0.0.0/0 (your office, VPN or CI range: where `pulumi up` and kubectl run)';
    expect(check({ ...base, controlPlaneAllowList: [] })).toEqual([`${open}got [], ${expected}`]);
    expect(check({ ...base, controlPlaneAllowList: [{ cidr: '0.0.0.0/0' }] })).toEqual([`${open}got [{"cidr":"0.0.0.0/0"}], ${expected}`]);
  });

  test('a GPU class in a zone, or a region, without its GPU model', () => {
    expect(check({ ...base, gpuZones: { a100: ['europe-west4-c'], h100: ['europe-west4-b'] } })).toEqual([
      'GkeCluster bad: gpuZones.h100 is not a GPU class of the stack; got "h100", expected one of a100, t4',
      'GkeCluster bad: gpuZones.a100[0] does not offer nvidia-tesla-a100 in the cluster\'s region europe-west4; got "europe-west4-c", expected one of europe-west4-a, europe-west4-b',
    ]);
    expect(check({ ...base, location: 'europe-west1' })).toEqual([
      'GkeCluster bad: gpuClasses[1].type is not offered in any zone of europe-west1 (the cluster\'s region); got "nvidia-tesla-a100", expected a GPU model of europe-west1: '
      + 'nvidia-h100-80gb, nvidia-l4, nvidia-tesla-t4; nvidia-tesla-a100 is offered in asia-northeast1, asia-northeast3, asia-southeast1, europe-west4, me-west1, us-central1, us-east1, us-west1, us-west3, us-west4 (stacks/gpu-zones.ts)',
    ]);
  });

  test('node auto-provisioning limits below what the declared pools reach', () => {
    // system 3 × e2-standard-4 (12 vCPU, 48 GB) + T4 8 × n1-standard-8 (64, 240) + A100 2 × a2-highgpu-8g (192, 1360)
    // and a GPU limit below the A100 pool's 2 nodes × 8 GPUs
    expect(check({ ...base, nodeAutoProvisioning: { maxCpu: 512, maxMemoryGb: 2048, maxGpus: { 'nvidia-tesla-a100': 8 } } })).toEqual([
      'GkeCluster bad: nodeAutoProvisioning.maxGpus.nvidia-tesla-a100 is below the 16 GPUs the declared nvidia-tesla-a100 pools reach at their maxNodes; got 8, expected at least 16',
    ]);
    expect(check({ ...base, nodeAutoProvisioning: { maxCpu: 256, maxMemoryGb: 1024 } })).toEqual([
      'GkeCluster bad: nodeAutoProvisioning.maxCpu is below the 268 vCPUs the declared pools reach at their maxNodes (GKE counts every pool against it); got 256, expected at least 268',
      'GkeCluster bad: nodeAutoProvisioning.maxMemoryGb is below the 1648 GB the declared pools reach at their maxNodes (GKE counts every pool against it); got 1024, expected at least 1648',
    ]);
  });

  test('an empty control-plane allow-list with a private endpoint', () => {
    expect(check({ ...base, privateEndpoint: true, controlPlaneAllowList: [] })).toEqual([
      'GkeCluster bad: controlPlaneAllowList is empty but privateEndpoint is true; got [], '
      + 'expected at least one CIDR (your VPN, bastion or CI range) that may reach the private control plane',
    ]);
  });

  test('a namespace whose Google service account id would be too long', () => {
    expect(check({ ...base, artifactBucket: { workloadServiceAccounts: ['machine-learning-research/workload'] } })).toEqual([
      'GkeCluster bad: artifactBucket.workloadServiceAccounts[0] needs the Google service account "mlscale-machine-learning-research", longer than 30 characters; '
      + 'got "machine-learning-research/workload", expected a namespace and cluster name whose "<cluster>-<namespace>" has at most 30 characters',
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
