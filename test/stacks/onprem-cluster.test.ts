import { isSecret, ofType, one, recorded, resolve, settle } from './pulumi-mocks';
import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../../constructs/core/errors';
import { ClusterProfile, GpuClass } from '../../constructs/core/gpu';
import { OnPremCluster, OnPremClusterArgs, capacityAnnotations } from '../../stacks/onprem-cluster';
import { problemMessages } from '../util';

const PATCH = 'kubernetes:cluster.x-k8s.io/v1beta1:MachineDeploymentPatch';

const T4: GpuClass = { name: 't4', type: 'nvidia-tesla-t4', gpusPerNode: 2, maxNodes: 6 };
const A100: GpuClass = { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 8, maxNodes: 2, labels: { 'example.com/rack': 'r1' } };

const base: OnPremClusterArgs = {
  kubeconfig: pulumi.secret('apiVersion: v1\nkind: Config\n'),
  gpuClasses: [T4, A100],
};

describe('OnPremCluster with Cluster API', () => {
  let onprem: OnPremCluster;
  beforeAll(async () => {
    onprem = new OnPremCluster('lab', {
      ...base,
      provisioner: 'cluster-api',
      clusterApi: {
        namespace: 'capi-lab',
        nodeGroups: [
          { gpuClass: 't4', machineDeployment: 'lab-md-t4', cpu: 16, memory: '64Gi' },
          { gpuClass: 'a100', machineDeployment: 'lab-md-a100', cpu: '96', memory: '1024Gi', ephemeralDisk: '500Gi', maxPods: 64 },
        ],
      },
    });
    await settle();
  });

  test('no add-on: only the provider and the capacity patches (Argo CD installs the infrastructure)', () => {
    const mine = recorded.filter((r) => r.name.startsWith('lab')).map((r) => `${r.type} ${r.name}`).sort();
    expect(mine).toEqual([
      `${PATCH} lab-lab-md-a100-capacity`,
      `${PATCH} lab-lab-md-t4-capacity`,
      'mlscale:clusters:OnPremCluster lab',
      'pulumi:providers:kubernetes lab',
    ]);
  });

  test('scale-from-zero capacity annotations on each GPU MachineDeployment, with the clusterapi GPU label', () => {
    expect(one(PATCH, 'lab-lab-md-a100-capacity').inputs.metadata).toEqual({
      name: 'lab-md-a100',
      namespace: 'capi-lab',
      annotations: {
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '0',
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '2',
        'capacity.cluster-autoscaler.kubernetes.io/cpu': '96',
        'capacity.cluster-autoscaler.kubernetes.io/memory': '1024Gi',
        'capacity.cluster-autoscaler.kubernetes.io/ephemeral-disk': '500Gi',
        'capacity.cluster-autoscaler.kubernetes.io/maxPods': '64',
        'capacity.cluster-autoscaler.kubernetes.io/gpu-type': 'nvidia.com/gpu',
        'capacity.cluster-autoscaler.kubernetes.io/gpu-count': '8',
        // cluster-autoscaler 1.32 cloudprovider/clusterapi: GPULabel = "cluster-api/accelerator"
        'capacity.cluster-autoscaler.kubernetes.io/labels': 'cluster-api/accelerator=nvidia-tesla-a100,example.com/rack=r1,mlscale.io/gpu-class=a100,mlscale.io/gpu-type=nvidia-tesla-a100',
        'capacity.cluster-autoscaler.kubernetes.io/taints': 'nvidia.com/gpu=present:NoSchedule',
      },
    });
  });

  test('outputs: secret kubeconfig, StorageClass, node groups', async () => {
    expect(await isSecret(onprem.kubeconfig)).toBe(true);
    expect(await resolve(onprem.storageClassName)).toBe('nfs-client');
    expect(await resolve(onprem.nodePoolNames)).toEqual(['lab-md-t4', 'lab-md-a100']);
  });

  test('the capacity labels carry every node selector the cdk8s on-prem placement uses (one GPU contract)', () => {
    const profile = ClusterProfile.onPrem({ gpuClasses: [T4, A100] });
    for (const c of [T4, A100]) {
      const placement = profile.placeGpus(new Problems('job'), 'resources', 1, undefined, c.name)!;
      const annotations = capacityAnnotations(c, { gpuClass: c.name, machineDeployment: 'md', cpu: 8, memory: '32Gi' }, profile.gpuTypeLabel);
      expect(annotations['capacity.cluster-autoscaler.kubernetes.io/labels'].split(',')).toEqual(expect.arrayContaining(Object.entries(placement.nodeSelector).map(([k, v]) => `${k}=${v}`)));
      expect(placement.tolerations.map((t) => `${t.key}:${t.effect}`)).toContain(annotations['capacity.cluster-autoscaler.kubernetes.io/taints'].replace(/=.*:/, ':'));
    }
  });
});

describe('OnPremCluster built by kubespray', () => {
  test('a provider and nothing else', async () => {
    new OnPremCluster('ks', base);
    await settle();
    expect(recorded.filter((r) => r.name.startsWith('ks')).map((r) => r.type).sort()).toEqual(['mlscale:clusters:OnPremCluster', 'pulumi:providers:kubernetes']);
    expect(ofType(PATCH, 'ks')).toEqual([]);
  });
});

describe('OnPremCluster validation (nothing is declared)', () => {
  const check = (args: OnPremClusterArgs) => {
    const before = recorded.length;
    const messages = problemMessages(() => new OnPremCluster('bad', args));
    expect(recorded.length).toBe(before);
    return messages;
  };

  test('a missing kubeconfig', () => {
    expect(check({ ...base, kubeconfig: undefined })).toEqual([
      'OnPremCluster bad: kubeconfig is required for an on-prem cluster; got nothing, expected the kubeconfig of the existing cluster, '
      + 'as a secret: `pulumi config set --secret mlscale:kubeconfig < kubeconfig.yaml`',
    ]);
  });

  test('Cluster API node groups on a kubespray cluster (no MachineDeployments to scale)', () => {
    expect(check({ ...base, clusterApi: { nodeGroups: [{ gpuClass: 't4', machineDeployment: 'md', cpu: 8, memory: '32Gi' }] } })).toEqual([
      'OnPremCluster bad: clusterApi needs a cluster whose machines Cluster API manages; got "kubespray", expected provisioner "cluster-api"; a kubespray cluster has no MachineDeployments to scale',
    ]);
  });

  test('node-group and provisioner problems are reported together', () => {
    expect(check({
      ...base, provisioner: 'cluster-api', storageClassName: 'NFS',
      clusterApi: { nodeGroups: [{ gpuClass: 'h100', machineDeployment: 'md', cpu: 0, memory: 'lots' }] },
    })).toEqual([
      'OnPremCluster bad: storageClassName is not a valid StorageClass name; got "NFS", expected a DNS-1123 subdomain',
      'OnPremCluster bad: clusterApi.nodeGroups[0].gpuClass is not a GPU class of the cluster; got "h100", expected one of a100, t4',
      'OnPremCluster bad: clusterApi.nodeGroups[0].cpu is not a CPU quantity; got 0, expected vCPUs of one node, e.g. 32 or "32"',
      'OnPremCluster bad: clusterApi.nodeGroups[0].memory is not a memory quantity; got "lots", expected memory of one node, e.g. "256Gi"',
    ]);
    expect(check({ ...base, provisioner: 'metal' as never })).toEqual(['OnPremCluster bad: provisioner is not supported; got "metal", expected one of kubespray, cluster-api']);
  });
});
