import { isSecret, ofType, one, recorded, resolve, settle } from './pulumi-mocks';
import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../../constructs/core/errors';
import { ClusterProfile, GpuClass } from '../../constructs/core/gpu';
import { OnPremCluster, OnPremClusterArgs, capacityAnnotations } from '../../stacks/onprem-cluster';
import { problemMessages } from '../util';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const PATCH = 'kubernetes:cluster.x-k8s.io/v1beta1:MachineDeploymentPatch';

const T4: GpuClass = { name: 't4', type: 'nvidia-tesla-t4', gpusPerNode: 2, maxNodes: 6 };
const A100: GpuClass = { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 8, maxNodes: 2, labels: { 'example.com/rack': 'r1' } };

const base: OnPremClusterArgs = {
  kubeconfig: pulumi.secret('apiVersion: v1\nkind: Config\n'),
  gpuClasses: [T4, A100],
  nfs: { server: 'nfs.lab.example', path: '/srv/nfs/k8s' },
  minio: { rootPassword: pulumi.secret('not-a-real-password') },
};

describe('OnPremCluster', () => {
  let onprem: OnPremCluster;
  beforeAll(async () => {
    onprem = new OnPremCluster('lab', {
      ...base,
      autoscaling: {
        enabled: true, nodeProvider: 'clusterapi', clusterName: 'lab-capi', namespace: 'capi-lab',
        nodeGroups: [
          { gpuClass: 't4', machineDeployment: 'lab-md-t4', cpu: 16, memory: '64Gi' },
          { gpuClass: 'a100', machineDeployment: 'lab-md-a100', cpu: '96', memory: '1024Gi', ephemeralDisk: '500Gi', maxPods: 64 },
        ],
      },
    });
    await settle();
  });

  test('resource graph snapshot', () => {
    const mine = recorded.filter((r) => r.name.startsWith('lab') && r.type !== 'kubernetes:core/v1:Secret')
      .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))
      .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
    expect(mine).toMatchSnapshot();
  });

  test('NFS provisioner release with server, path, StorageClass nfs-client, archive on delete', () => {
    const nfs = one(RELEASE, 'lab-nfs-subdir-external-provisioner').inputs;
    expect(nfs).toMatchObject({
      chart: 'nfs-subdir-external-provisioner', version: '4.0.18', namespace: 'nfs-provisioner',
      repositoryOpts: { repo: 'https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/' },
    });
    expect(nfs.values.nfs).toEqual({ server: 'nfs.lab.example', path: '/srv/nfs/k8s' });
    expect(nfs.values.storageClass).toEqual({ name: 'nfs-client', archiveOnDelete: true, accessModes: 'ReadWriteMany', defaultClass: false });
  });

  test('metrics-server, GPU operator with drivers, MinIO from a Secret reference', () => {
    expect(one(RELEASE, 'lab-metrics-server').inputs.chart).toBe('metrics-server');
    expect(one(RELEASE, 'lab-nvidia-gpu-operator').inputs.values.driver).toEqual({ enabled: true });
    const minio = one(RELEASE, 'lab-minio').inputs.values;
    expect(minio.existingSecret).toBe('minio-root');
    expect(minio.persistence).toEqual({ size: '100Gi', storageClass: 'nfs-client' });
    expect(JSON.stringify(minio)).not.toContain('not-a-real-password');
    const root = one('kubernetes:core/v1:Secret', 'lab-minio-root').inputs.stringData;
    expect(root['4dabf18193072939515e22adb298388d']).toBe('1b47061264138c4ac30d75fd1eb44270'); // the whole stringData is a Pulumi secret
    expect(root.value.rootUser).toBe('mlscale-admin');
  });

  test('cluster-autoscaler with the clusterapi provider and node-group auto-discovery', () => {
    const ca = one(RELEASE, 'lab-cluster-autoscaler').inputs;
    expect(ca.values).toMatchObject({
      cloudProvider: 'clusterapi', clusterAPIMode: 'incluster-incluster', image: { tag: 'v1.32.5' },
      autoDiscovery: { clusterName: 'lab-capi', namespace: 'capi-lab' },
    });
  });

  test('scale-from-zero capacity annotations on each GPU MachineDeployment', () => {
    expect(ofType(PATCH).map((p) => p.name).sort()).toEqual(['lab-lab-md-a100-capacity', 'lab-lab-md-t4-capacity']);
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
        'capacity.cluster-autoscaler.kubernetes.io/labels': 'example.com/rack=r1,mlscale.io/gpu-class=a100,mlscale.io/gpu-type=nvidia-tesla-a100',
        'capacity.cluster-autoscaler.kubernetes.io/taints': 'nvidia.com/gpu=present:NoSchedule',
      },
    });
  });

  test('outputs: secret kubeconfig, StorageClass, node groups', async () => {
    expect(await isSecret(onprem.kubeconfig)).toBe(true);
    expect(await resolve(onprem.storageClassName)).toBe('nfs-client');
    expect(await resolve(onprem.nodePoolNames)).toEqual(['lab-md-t4', 'lab-md-a100']);
    expect(await resolve(onprem.releases['cluster-autoscaler'].urn)).toContain('mlscale:clusters:OnPremCluster$kubernetes:helm.sh/v3:Release::lab-cluster-autoscaler');
  });

  test('the capacity labels carry every node selector the cdk8s on-prem placement uses (one GPU contract)', () => {
    const profile = ClusterProfile.onPrem({ gpuClasses: [T4, A100] });
    for (const c of [T4, A100]) {
      const placement = profile.placeGpus(new Problems('job'), 'resources', 1, undefined, c.name)!;
      const annotated = capacityAnnotations(c, { gpuClass: c.name, machineDeployment: 'md', cpu: 8, memory: '32Gi' }, profile.gpuTypeLabel)[
        'capacity.cluster-autoscaler.kubernetes.io/labels'].split(',');
      expect(annotated).toEqual(expect.arrayContaining(Object.entries(placement.nodeSelector).map(([k, v]) => `${k}=${v}`)));
      const taint = capacityAnnotations(c, { gpuClass: c.name, machineDeployment: 'md', cpu: 8, memory: '32Gi' }, profile.gpuTypeLabel)[
        'capacity.cluster-autoscaler.kubernetes.io/taints'];
      expect(placement.tolerations.map((t) => `${t.key}:${t.effect}`)).toContain(taint.replace(/=.*:/, ':'));
    }
  });
});

describe('OnPremCluster options', () => {
  test('device plugin only (drivers on the hosts), no metrics-server, no MinIO, no autoscaler', async () => {
    new OnPremCluster('dp', { ...base, gpuSupport: 'device-plugin', metricsServer: false, minio: { enabled: false } });
    await settle();
    const gpu = one(RELEASE, 'dp-nvidia-gpu-operator').inputs.values;
    expect(gpu.driver).toEqual({ enabled: false });
    expect(gpu.toolkit).toEqual({ enabled: false });
    expect(gpu.devicePlugin).toEqual({ enabled: true });
    expect(ofType(RELEASE, 'dp-').map((r) => r.name).sort()).toEqual(['dp-nfs-subdir-external-provisioner', 'dp-nvidia-gpu-operator']);
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

  test('autoscaling without a node provider', () => {
    expect(check({ ...base, autoscaling: { enabled: true } })).toEqual([
      'OnPremCluster bad: autoscaling.nodeProvider is required when autoscaling is enabled; got nothing, '
      + 'expected "clusterapi" (Cluster API MachineDeployments create the nodes); a cluster without a node provider cannot be autoscaled',
    ]);
  });

  test('NFS, node groups and MinIO problems are reported together', () => {
    expect(check({
      ...base, nfs: { server: '', path: 'srv/nfs' }, minio: {},
      autoscaling: { enabled: true, nodeProvider: 'clusterapi', nodeGroups: [{ gpuClass: 'h100', machineDeployment: 'md', cpu: 0, memory: 'lots' }] },
    })).toEqual([
      'OnPremCluster bad: nfs.server is required; got "", expected the NFS server host name or IP',
      'OnPremCluster bad: nfs.path is not an absolute export path; got "srv/nfs", expected the exported directory, e.g. "/srv/nfs/k8s"',
      'OnPremCluster bad: minio.rootPassword is required when MinIO is enabled; got nothing, '
      + 'expected a secret: `pulumi config set --secret mlscale:minioRootPassword <password>` (or minio.enabled: false)',
      'OnPremCluster bad: autoscaling.nodeGroups[0].gpuClass is not a GPU class of the cluster; got "h100", expected one of a100, t4',
      'OnPremCluster bad: autoscaling.nodeGroups[0].cpu is not a CPU quantity; got 0, expected vCPUs of one node, e.g. 32 or "32"',
      'OnPremCluster bad: autoscaling.nodeGroups[0].memory is not a memory quantity; got "lots", expected memory of one node, e.g. "256Gi"',
    ]);
  });
});
