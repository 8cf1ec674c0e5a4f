import { isSecret, ofType, one, recorded, resolve, settle, RecordedResource } from './pulumi-mocks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { Chart } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { GKE_CLUSTER, GKE_PROJECT, KUBERNETES_API_CIDR, PLATFORM_GPU_CLASSES } from '../../examples/apps/platform';
import { ClusterProfile, GitOpsApplication, MlscaleApp } from '../../constructs';
import { RawStackConfig, deployPlatform, loadStackConfig, parseStackConfig, readGitOpsFolder } from '../../stacks/lib';
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
  return { target: c.get('target'), gpuClasses: c.getObject('gpuClasses'), gitops: c.getObject('gitops'), gke: c.getObject('gke'), onprem: c.getObject('onprem'), ...extra };
}

function docsOf(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((d) => d !== null);
}

const key = (d: any) => `${d.kind}/${d.metadata?.namespace ?? ''}/${d.metadata?.name}`;

/**
 * Who owns what: the Kubernetes objects the stack declares (Helm releases by namespace/name, the
 * documents of the files it applies, its own objects) against what the Argo CD Applications of the
 * folder sync (the files their directory sources include, the releases of the Helm add-ons).
 */
function owners(stack: RecordedResource[], directory: string): { pulumi: Set<string>; argo: Set<string>; unowned: string[]; unknown: string[] } {
  const pulumiOwned = new Set<string>();
  const unknown: string[] = [];
  for (const r of stack) {
    if (r.type === 'kubernetes:helm.sh/v3:Release') pulumiOwned.add(`helm/${r.inputs.namespace}/${r.inputs.name}`);
    else if (r.type === 'kubernetes:yaml/v2:ConfigFile') for (const d of docsOf(r.inputs.file)) pulumiOwned.add(key(d));
    else if (r.type.startsWith('kubernetes:') && r.inputs.metadata) pulumiOwned.add(`${r.type.split(':')[2]}/${r.inputs.metadata.namespace ?? ''}/${r.inputs.metadata.name}`);
    else if (r.type.startsWith('kubernetes:')) unknown.push(`${r.type} ${r.name}`);
  }
  const folder = readGitOpsFolder(directory);
  const argo = new Set<string>();
  const synced = new Set<string>();
  for (const docs of Object.values(folder.documents)) {
    for (const d of docs) {
      if (d.kind !== 'Application' || d.spec.source.repoURL !== folder.rootApplication.spec.source.repoURL) continue;
      const include = d.spec.source.directory?.include;
      const file = path.join(directory, include);
      synced.add(file);
      for (const x of docsOf(file)) argo.add(key(x));
    }
  }
  for (const a of folder.addons) if (a.releaseName) argo.add(`helm/${a.namespace}/${a.releaseName}`);
  const unowned = folder.files.filter((f) => !synced.has(f) && f !== folder.rootFile);
  return { pulumi: pulumiOwned, argo, unowned, unknown };
}

describe('the GKE example stack (Pulumi.gke-example.yaml) end to end', () => {
  let outputs: ReturnType<typeof deployPlatform>;
  const mine = () => recorded.filter((r) => r.name.startsWith('gke'));
  beforeAll(async () => {
    pulumi.runtime.setAllConfig(exampleConfig('Pulumi.gke-example.yaml'));
    outputs = deployPlatform(loadStackConfig(new pulumi.Config('mlscale'), defaults), 'gke');
    await settle();
  });

  test('one GPU pool per class of examples/apps/platform.ts (the GPU contract shared with cdk8s)', () => {
    expect(ofType('gcp:container/nodePool:NodePool', 'gke-gpu-').map((p) => p.inputs.name).sort())
      .toEqual(PLATFORM_GPU_CLASSES.map((c) => `gpu-${c.name}`).sort());
  });

  test('Pulumi installs Argo CD and the root Application, nothing else of charts-out, and no Job', () => {
    const k8sResources = mine().filter((r) => r.type.startsWith('kubernetes:'));
    expect(k8sResources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'kubernetes:helm.sh/v3:Release gke-argo-cd',
      'kubernetes:storage.k8s.io/v1:StorageClass gke-rwx',
      'kubernetes:yaml/v2:ConfigFile gke-root-application',
    ]);
    expect(one('kubernetes:yaml/v2:ConfigFile', 'gke-root-application').inputs.file).toBe('charts-out/gitops-argocd-root.k8s.yaml');
    for (const r of k8sResources) expect(r.provider).toContain('mlscale:clusters:GkeCluster$pulumi:providers:kubernetes::gke::');
    // nothing the stack applies is a Job, so `pulumi up` waits for no batch workload
    const applied = k8sResources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigFile').flatMap((r) => docsOf(r.inputs.file));
    expect(applied.map((d) => d.kind)).toEqual(['Application']);
  });

  test('ownership: no object is owned by both Pulumi and Argo CD, and every chart file has an owner', () => {
    const o = owners(mine(), 'charts-out');
    expect(o.unknown).toEqual([]);
    expect(o.unowned).toEqual([]);
    expect([...o.pulumi].filter((k) => o.argo.has(k))).toEqual([]);
    expect([...o.pulumi].sort()).toEqual(['Application/argocd/mlscale', 'StorageClass//mlscale-rwx', 'helm/argocd/argo-cd']);
    // the argo-cd release's own objects live in argocd: charts-out puts nothing there but Argo CD's custom resources
    expect([...o.argo].filter((k) => k.split('/')[1] === 'argocd' && !/^(Application|AppProject)\//.test(k))).toEqual([]);
    expect(o.argo.size).toBeGreaterThan(150);
  });

  test('the firewall opens exactly the webhook and APIService ports of the add-ons Argo CD installs', async () => {
    expect(outputs.gitopsAddons).toEqual([
      'kueue', 'argo-workflows', 'dask-kubernetes-operator', 'kubeflow-trainer', 'jupyterhub', 'dask-gateway-crds', 'katib', 'kubeflow-notebook-controller', 'kubeflow-training-operator',
    ]);
    // kueue 9443 (webhooks) + 8082 (visibility APIService), Trainer + JobSet 9443, Training Operator 9443, Katib 8443
    expect(one('gcp:compute/firewall:Firewall', 'gke-control-plane-webhooks').inputs).toMatchObject({
      sourceRanges: [KUBERNETES_API_CIDR], allows: [{ protocol: 'tcp', ports: ['8082', '8443', '9443'] }],
    });
    expect(outputs.controlPlanePorts).toEqual([8082, 8443, 9443]);
  });

  test('Workload Identity end to end: one Google account per team, limited to its prefix; the bound KSAs exist in charts-out, annotated with it', async () => {
    const bucket = `${GKE_PROJECT}-${GKE_CLUSTER}-artifacts`;
    expect(await resolve(outputs.artifactBucketName!)).toBe(bucket);
    const emails = await resolve(outputs.artifactServiceAccounts!);
    expect(emails).toEqual({ 'team-a': `mlscale-team-a@${GKE_PROJECT}.iam.gserviceaccount.com`, 'team-b': `mlscale-team-b@${GKE_PROJECT}.iam.gserviceaccount.com` });
    for (const team of ['team-a', 'team-b']) {
      // the bucket binding reaches only the team's prefix (objects, and listings of it)
      expect(one('gcp:storage/bucketIAMMember:BucketIAMMember', `gke-artifacts-${team}-objects`).inputs).toMatchObject({
        role: 'roles/storage.objectAdmin', member: `serviceAccount:${emails[team]}`,
        condition: { expression: `resource.name.startsWith("projects/_/buckets/${bucket}/objects/${team}/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("${team}/")` },
      });
      const members = ofType('gcp:serviceaccount/iAMMember:IAMMember', `gke-wi-${team}-`);
      expect(members.map((m) => m.inputs.member).sort()).toEqual([`${team}/argo-workflow`, `${team}/dask-client`, `${team}/workload`].map((k) => `serviceAccount:${GKE_PROJECT}.svc.id.goog[${k}]`));
      const accounts = docsOf(`charts-out/teams-${team}.k8s.yaml`).filter((d) => d.kind === 'ServiceAccount');
      expect(accounts.map((a) => [a.metadata.name, a.metadata.annotations?.['iam.gke.io/gcp-service-account']])).toEqual([
        ['workload', emails[team]], ['argo-workflow', emails[team]], ['dask-client', emails[team]],
      ]);
      // and the team's pods may reach the GKE metadata server that hands out those credentials
      const policy = docsOf(`charts-out/teams-${team}.k8s.yaml`).find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'allow-gke-metadata-server');
      expect(policy.spec.egress).toEqual([
        { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
        { to: [{ ipBlock: { cidr: '169.254.169.252/32' } }], ports: [{ protocol: 'TCP', port: 988 }] },
      ]);
    }
    // no bucket-wide account any more
    expect(ofType('gcp:storage/bucketIAMMember:BucketIAMMember', 'gke-').filter((m) => m.inputs.condition === undefined)).toEqual([]);
  });

  test('every Google API the stack uses is enabled by the stack (their ordering: gke-cluster.test.ts)', () => {
    expect(ofType('gcp:projects/service:Service', 'gke-api-').map((r) => r.inputs.service).sort()).toEqual([
      'cloudresourcemanager.googleapis.com', 'compute.googleapis.com', 'container.googleapis.com', 'containerfilesystem.googleapis.com',
      'dns.googleapis.com', 'file.googleapis.com', 'iam.googleapis.com', 'iamcredentials.googleapis.com', 'storage.googleapis.com',
    ]);
    // the kinds of Google resources the stack declares, and the API each needs
    const apiOf: Record<string, string> = {
      container: 'container.googleapis.com', compute: 'compute.googleapis.com', serviceaccount: 'iam.googleapis.com', projects: 'cloudresourcemanager.googleapis.com',
      storage: 'storage.googleapis.com', dns: 'dns.googleapis.com',
    };
    const used = [...new Set(recorded.filter((r) => r.name.startsWith('gke') && r.type.startsWith('gcp:') && !r.type.startsWith('gcp:projects/service')).map((r) => r.type.split(':')[1].split('/')[0]))].sort();
    expect(used).toEqual(['compute', 'container', 'dns', 'projects', 'serviceaccount', 'storage']);
    for (const m of used) expect(ofType('gcp:projects/service:Service', 'gke-api-').map((r) => r.inputs.service)).toContain(apiOf[m]);
  });

  test('stack outputs', async () => {
    expect(await isSecret(outputs.kubeconfig)).toBe(true);
    expect(outputs.argocdVersion).toBe('10.3.3');
    expect(outputs.rootApplication).toBe('mlscale');
    expect(await resolve(outputs.nodeServiceAccountEmail!)).toBe(`${GKE_CLUSTER}-nodes@${GKE_PROJECT}.iam.gserviceaccount.com`);
  });
});

describe('the on-prem example stack (Pulumi.onprem-example.yaml, the lab environment)', () => {
  let outputs: ReturnType<typeof deployPlatform>;
  const lab = 'charts-out/environments/lab';
  beforeAll(async () => {
    pulumi.runtime.setAllConfig({ ...exampleConfig('Pulumi.onprem-example.yaml'), 'mlscale:kubeconfig': 'apiVersion: v1' }, ['mlscale:kubeconfig']);
    outputs = deployPlatform(loadStackConfig(new pulumi.Config('mlscale'), defaults), 'lab');
    await settle();
  });

  test('Pulumi installs Argo CD and the lab\'s root Application; no autoscaler on a kubespray cluster', async () => {
    const mine = recorded.filter((r) => r.name.startsWith('lab') && r.type.startsWith('kubernetes:'));
    expect(mine.map((r) => `${r.type} ${r.name}`).sort()).toEqual(['kubernetes:helm.sh/v3:Release lab-argo-cd', 'kubernetes:yaml/v2:ConfigFile lab-root-application']);
    expect(await isSecret(outputs.kubeconfig)).toBe(true);
    expect(await resolve(outputs.nodePoolNames)).toEqual([]);
    expect(outputs.rootApplication).toBe('mlscale-lab');
    expect(outputs.controlPlanePorts).toEqual([]);
  });

  test('ownership: zero objects owned twice', () => {
    const o = owners(recorded.filter((r) => r.name.startsWith('lab')), lab);
    expect(o.unknown).toEqual([]);
    expect(o.unowned).toEqual([]);
    expect([...o.pulumi].filter((k) => o.argo.has(k))).toEqual([]);
    expect([...o.argo].filter((k) => k.startsWith('helm/')).sort()).toEqual([
      'helm/gpu-operator/nvidia-gpu-operator', 'helm/kube-system/metrics-server', 'helm/minio/minio', 'helm/nfs-provisioner/nfs-subdir-external-provisioner',
    ]);
  });

  test('what Argo CD installs on the lab: metrics-server for kubespray\'s self-signed kubelet certificates, MinIO with no default user', () => {
    const folder = readGitOpsFolder(lab);
    const values = (n: string) => folder.addons.find((a) => a.name === n)!.values;
    expect(values('metrics-server').args).toEqual(['--kubelet-insecure-tls']);
    expect(values('minio')).toMatchObject({ users: [], existingSecret: 'minio-root', persistence: { size: '500Gi', storageClass: 'nfs-client' } });
    // MinIO's namespace is created `restricted` (its pods meet it: the catalog's security contexts, no post-install Job)
    const minioApp = Object.values(folder.documents).flat().find((d) => d.metadata?.name === 'mlscale-lab-addon-minio');
    expect(minioApp.spec.syncPolicy.managedNamespaceMetadata).toEqual({ labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.32' } });
    expect(values('nfs-subdir-external-provisioner').nfs).toEqual({ server: 'nfs.lab.internal', path: '/srv/nfs/k8s' });
    expect(values('nvidia-gpu-operator').driver).toEqual({ enabled: true });
    const externals = JSON.parse(fs.readFileSync(path.join(lab, 'externals.json'), 'utf8'));
    expect(externals).toContainEqual(expect.objectContaining({ kind: 'Secret', name: 'minio-root', namespace: 'minio' }));
  });
});

describe('stack config validation (before any resource is declared)', () => {
  const check = (raw: RawStackConfig) => {
    const before = recorded.length;
    const messages = problemMessages(() => deployPlatform(parseStackConfig(raw, defaults), 'bad'));
    expect(recorded.length).toBe(before);
    return messages;
  };
  const gkeRaw = () => rawFrom('Pulumi.gke-example.yaml');
  const onpremRaw = (extra: Partial<RawStackConfig> = {}) => rawFrom('Pulumi.onprem-example.yaml', { kubeconfig: pulumi.secret('kc'), ...extra });

  test('a GPU count not valid for the accelerator (3 × A100), reported with the config path', () => {
    const gpuClasses = [{ name: 't4', type: 'nvidia-tesla-t4' }, { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 3 }];
    expect(check(rawFrom('Pulumi.gke-example.yaml', { gpuClasses }))).toEqual([
      'config: gke.gpuZones.l4 is not a GPU class of the stack; got "l4", expected one of a100, t4',
      'config: gpuClasses[1].gpusPerNode is not offered for nvidia-tesla-a100; got 3, expected one of 1, 2, 4, 8, 16',
    ]);
  });

  test('a GPU class in a zone without that GPU', () => {
    const raw = gkeRaw();
    expect(check({ ...raw, gke: { ...(raw.gke as object), gpuZones: { l4: ['europe-west4-a'], 'a100-80gb-spot': ['europe-west4-b'] } } })).toEqual([
      'config: gke.gpuZones.a100-80gb-spot[0] does not offer nvidia-a100-80gb in the cluster\'s region europe-west4; got "europe-west4-b", expected one of europe-west4-a',
    ]);
  });

  test('an empty allow-list with a public endpoint; a private endpoint without one; unknown keys', () => {
    const raw = gkeRaw();
    expect(check({ ...raw, gke: { ...(raw.gke as object), controlPlaneAllowList: [] } })).toEqual([
      'config: gke.controlPlaneAllowList leaves the public control-plane endpoint open to every address; got [], '
      + 'expected at least one CIDR, none of them 0.0.0.0/0 (your office, VPN or CI range: where `pulumi up` and kubectl run)',
    ]);
    const gke = { ...(raw.gke as object), privateEndpoint: true, controlPlaneAllowList: [], controlPlaneAllowlist: ['10.0.0.0/8'] };
    expect(check({ ...raw, gke })).toEqual([
      'config: gke.controlPlaneAllowlist is not a known key; got "controlPlaneAllowlist", expected one of ' + [
        'project', 'location', 'name', 'releaseChannel', 'network', 'subnetwork', 'cloudNat', 'privateGoogleApis', 'privateEndpoint', 'masterIpv4CidrBlock',
        'controlPlaneAllowList', 'autoscalingProfile', 'systemPool', 'gpuDriverVersion', 'gpuZones', 'daskPool',
        'nodeAutoProvisioning', 'artifactBucket', 'rwxStorage', 'deletionProtection'].join(', '),
      'config: gke.controlPlaneAllowList is empty but privateEndpoint is true; got [], '
      + 'expected at least one CIDR (your VPN, bastion or CI range) that may reach the private control plane',
    ]);
  });

  test('node auto-provisioning memory below the pools\' own maximum (the example before this fix: 4096 GB)', () => {
    const raw = gkeRaw();
    expect(check({ ...raw, gke: { ...(raw.gke as object), nodeAutoProvisioning: { maxCpu: 1024, maxMemoryGb: 4096 } } })).toEqual([
      'config: gke.nodeAutoProvisioning.maxMemoryGb is below the 4912 GB the declared pools reach at their maxNodes (GKE counts every pool against it); got 4096, expected at least 4912',
    ]);
  });

  test('the GPU operator with drivers on GKE: a folder synthesized for on-prem is refused', () => {
    const messages = check({ ...gkeRaw(), gitops: { environment: 'lab' } });
    expect(messages).toContain('config: gitops (charts-out/environments/lab)#Application/mlscale-lab-addon-nvidia-gpu-operator installs nvidia-gpu-operator, '
      + 'which does not belong on a gke cluster; got "nvidia-gpu-operator", expected a folder synthesized with a ClusterProfile for gke');
    expect(messages).toContain('config: gitops (charts-out/environments/lab)#Application/mlscale-lab-addon-metrics-server installs metrics-server, '
      + 'which does not belong on a gke cluster; got "metrics-server", expected a folder synthesized with a ClusterProfile for gke');
  });

  test('a Workload Identity KSA that charts-out does not create, or annotates otherwise', () => {
    const raw = gkeRaw();
    const gke = raw.gke as { artifactBucket: object; project: string };
    expect(check({ ...raw, gke: { ...gke, artifactBucket: { workloadServiceAccounts: ['team-a/workload', 'team-a/mlscale-artifacts'] } } })).toEqual([
      'config: gke.artifactBucket.workloadServiceAccounts[1] names a ServiceAccount that gitops (charts-out) does not create; got "team-a/mlscale-artifacts", '
      + `expected a ServiceAccount of the charts-out folder annotated iam.gke.io/gcp-service-account: mlscale-team-a@${GKE_PROJECT}.iam.gserviceaccount.com (e.g. Team googleServiceAccount)`,
    ]);
    expect(check({ ...raw, gke: { ...gke, project: 'other-project' } })).toEqual(['team-a', 'team-a', 'team-a', 'team-b', 'team-b', 'team-b'].map((team, i) => `config: gke.artifactBucket.workloadServiceAccounts[${i}] (gitops (charts-out)) `
      + `is not annotated iam.gke.io/gcp-service-account with its namespace's Google service account; got "mlscale-${team}@${GKE_PROJECT}.iam.gserviceaccount.com", expected mlscale-${team}@other-project.iam.gserviceaccount.com`));
  });

  test('a missing kubeconfig on-prem (the example file holds no secrets)', () => {
    expect(check(onpremRaw({ kubeconfig: undefined }))).toEqual([
      'config: kubeconfig is required for an on-prem cluster; got nothing, expected the kubeconfig of the existing cluster, '
      + 'as a secret: `pulumi config set --secret mlscale:kubeconfig < kubeconfig.yaml`',
    ]);
  });

  test('autoscaling without Cluster API: node groups on kubespray, or a charts-out folder with the autoscaler', () => {
    const raw = onpremRaw();
    expect(check({ ...raw, onprem: { ...(raw.onprem as object), clusterApi: { nodeGroups: [] } } })).toEqual([
      'config: onprem.clusterApi needs a cluster whose machines Cluster API manages; got "kubespray", expected provisioner "cluster-api"; a kubespray cluster has no MachineDeployments to scale',
    ]);
    // an environment whose profile declares Cluster API, synthesized to a temporary folder
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-capi-')), 'charts-out');
    const app = new MlscaleApp({ outdir: out });
    ClusterProfile.use(app, ClusterProfile.onPrem({ gpuClasses: PLATFORM_GPU_CLASSES, infrastructure: { clusterApi: { clusterName: 'lab' } } }));
    new GitOpsApplication(app, 'gitops-argocd', { repoURL: 'https://git.example.com/platform.git', clusterModel: false });
    new Chart(app, 'empty');
    app.synth();
    expect(check({ ...raw, gitops: { chartsOut: out } })).toEqual([
      `config: gitops (${out})#Application/mlscale-addon-cluster-autoscaler installs the Cluster API autoscaler but the stack's cluster has no Cluster API; got "cluster-autoscaler", `
      + 'expected onprem.provisioner "cluster-api" (kubespray clusters cannot add machines: drop infrastructure.clusterApi from the ClusterProfile)',
    ]);
    // with Cluster API the same folder is accepted
    expect(() => deployPlatform(parseStackConfig({ ...raw, onprem: { ...(raw.onprem as object), provisioner: 'cluster-api' }, gitops: { chartsOut: out } }, defaults), 'capi')).not.toThrow();
  });

  test('keys that moved to the ClusterProfile or were retired say where they went', () => {
    const raw = onpremRaw({ retired: { addons: ['kueue'], minioRootPassword: 'x' } });
    expect(check({ ...raw, onprem: { ...(raw.onprem as object), minio: { enabled: true }, autoscaling: { enabled: true } } })).toEqual([
      'config: addons is no longer read; got ["kueue"], expected Argo CD installs the add-ons its charts-out folder lists (GitOpsApplication derives them from the kinds used and the ClusterProfile); remove the key',
      'config: minioRootPassword is no longer read; got "x", expected MinIO reads its root credentials from a Secret you create before syncing (charts-out externals.json); remove the key',
      'config: onprem.minio moved to the cdk8s ClusterProfile (Argo CD installs it); got "minio", expected ClusterProfile.onPrem({ infrastructure.minio }) in the app whose charts-out this cluster syncs',
      'config: onprem.autoscaling moved to the cdk8s ClusterProfile (Argo CD installs it); got "autoscaling", expected ClusterProfile.onPrem({ infrastructure.clusterApi (and mlscale:onprem.provisioner: cluster-api) }) in the app whose charts-out this cluster syncs',
    ]);
  });

  test('Dask workers placed on a Dask pool the stack does not create', () => {
    const raw = gkeRaw();
    const { daskPool: _pool, ...gke } = raw.gke as Record<string, unknown>;
    const messages = check({ ...raw, gke });
    // the CPU workers of dask-job and dask-static-cluster select the pool (the gateway's are in its Python config)
    expect(messages.map((m) => m.split('#')[0])).toEqual(['config: charts-out/dask-job.k8s.yaml', 'config: charts-out/dask-static-cluster.k8s.yaml']);
    expect(messages[0]).toMatch(/nodeSelector\["mlscale\.io\/pool"\] selects the Dask pool, which the stack does not create; got "dask", expected gke\.daskPool in the stack config/);
  });

  test('a renamed key says what replaced it', () => {
    const raw = gkeRaw();
    expect(check({ ...raw, gke: { ...(raw.gke as object), gpuNodeLocations: ['europe-west4-a'] } })).toEqual([
      'config: gke.gpuNodeLocations was renamed; got "gpuNodeLocations", expected gpuZones: { <class>: [zones] } (zones per GPU class, checked against where each GPU model is offered; default every zone of the region offering it)',
    ]);
  });

  test('a missing or unknown target', () => {
    expect(check({})).toEqual(['config: target is not a supported target; got nothing, expected "gke" or "onprem"']);
  });
});

describe('the apps and the example stacks name the same cluster', () => {
  test('project, cluster name and control-plane range of Pulumi.gke-example.yaml are those of examples/apps/platform.ts', () => {
    const gke = JSON.parse(exampleConfig('Pulumi.gke-example.yaml')['mlscale:gke']);
    expect([gke.project, gke.name, gke.masterIpv4CidrBlock]).toEqual([GKE_PROJECT, GKE_CLUSTER, KUBERNETES_API_CIDR]);
  });
});

describe('stacks/index.ts (the program Pulumi.yaml runs)', () => {
  test('reads the config once and exports the stack outputs', async () => {
    pulumi.runtime.setAllConfig(exampleConfig('Pulumi.gke-example.yaml'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require('../../stacks/index') as typeof import('../../stacks/index');
    expect(await resolve(entry.clusterName)).toBe('mlscale');
    expect(await isSecret(entry.kubeconfig)).toBe(true);
    expect(entry.argocdVersion).toBe('10.3.3');
    expect(entry.controlPlanePorts).toEqual([8082, 8443, 9443]);
    await settle();
    expect(one('mlscale:clusters:GkeCluster', 'mlscale')).toBeDefined();
  });
});
