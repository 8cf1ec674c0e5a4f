/**
 * GitOps for the default platform app: the Argo CD app-of-apps (GitOpsApplication), the
 * charts-out index (README.md), and two environments (dev / prod) built by the same function
 * with different values, synthesized into charts-out/environments/<env>/ by the same
 * `npm run synth`. Each environment has its own Argo CD objects, for the Argo CD of its cluster.
 */
import { Chart } from 'cdk8s';
import {
  ADDON_CATALOG, ChartsOutIndex, GitOpsApplicationProps, ClusterProfile, ContainerJob, Externals, Flows, GitOpsApplication, NamespaceIsolation, GpuType, MlscaleApp, Problems, SecretRef, SharedVolume,
  buildPodTemplate, deploymentOf, k8s, recommendedLabels, selectorLabels, serviceOf, k8sObject
} from '../../constructs';
import { PLATFORM_GPU_CLASSES, PLATFORM_REPOSITORY } from './platform';


/** A source of the model server's requests (the load balancer or ingress in front of it). */
export interface IngressSource {
  readonly cidr: string;
  readonly name: string;
}

/** What differs between environments: the values a platform team sets per environment. */
export interface InferenceValues {
  /** The environment's cluster: GKE or on-prem, its GPU classes and what it lacks. */
  readonly profile: ClusterProfile;
  /** GPU type of the model server. */
  readonly gpuType: GpuType;
  /** Model server replicas. */
  readonly replicas: number;
  /** Public host name of the model server. */
  readonly host: string;
  /** Where the requests come from (the Ingress's data path). */
  readonly ingressSources: readonly IngressSource[];
}

/** Google Cloud's load balancer and health-check source ranges (GCP documentation: firewall rules for load balancing). */
const GCLB_SOURCES: readonly IngressSource[] = ['130.211.0.0/22', '35.191.0.0/16'].map((cidr) => ({ cidr, name: 'Google Cloud load balancer' }));

/**
 * The lab: a kubespray cluster with an NFS server, T4 nodes whose drivers the GPU operator installs,
 * kubelets with self-signed serving certificates (kubespray's default), MinIO, and no Cluster API
 * (so no autoscaler). Its ingress controller runs on the host network of three edge nodes.
 */
export const LAB_PROFILE = ClusterProfile.onPrem({
  gpuClasses: PLATFORM_GPU_CLASSES.filter((g) => g.name === 't4'),
  rwxStorageClass: 'nfs-client',
  infrastructure: {
    nfs: { server: 'nfs.lab.internal', path: '/srv/nfs/k8s' },
    gpuSoftware: 'operator',
    metricsServer: 'self-signed-kubelet-certs',
    minio: { rootCredentialsSecret: SecretRef.fromName('minio-root'), size: '500Gi' },
  },
});

/** The environments of the reference platform. */
export const ENVIRONMENTS: Readonly<Record<string, InferenceValues>> = {
  dev: {
    profile: ClusterProfile.gke({ gpuClasses: PLATFORM_GPU_CLASSES.filter((g) => g.name === 't4') }),
    gpuType: 'nvidia-tesla-t4', replicas: 1, host: 'sentiment.dev.ml.acme.example', ingressSources: GCLB_SOURCES,
  },
  lab: {
    profile: LAB_PROFILE, gpuType: 'nvidia-tesla-t4', replicas: 1, host: 'sentiment.lab.internal',
    ingressSources: [{ cidr: '10.20.0.0/29', name: 'lab edge nodes (host-network ingress controller)' }],
  },
  prod: {
    profile: ClusterProfile.gke({ gpuClasses: PLATFORM_GPU_CLASSES.filter((g) => g.name !== 't4') }),
    gpuType: 'nvidia-l4', replicas: 4, host: 'sentiment.ml.acme.example', ingressSources: GCLB_SOURCES,
  },
};

const NAMESPACE = 'team-a';
const IMAGE = 'ghcr.io/acme/sentiment-server:1.4.2';
const PORT = 8080;

/**
 * Adds the GitOps objects, the index and the environments to the default app. `catalog`: the
 * add-ons of the root app's Argo CD (default: ADDON_CATALOG), e.g. with app-computed values.
 */
export function addGitOps(app: MlscaleApp, catalog: GitOpsApplicationProps['catalog'] = ADDON_CATALOG): void {
  for (const [name, values] of Object.entries(ENVIRONMENTS)) {
    const env = app.addEnvironment(name);
    ClusterProfile.use(env, values.profile);
    addInference(env, values);
    // on-prem: the model server's weights on the NFS class the lab's provisioner add-on creates
    if (values.profile.provider === 'onprem') new SharedVolume(new Chart(env, 'gitops-storage'), 'models', { name: 'sentiment-models', namespace: NAMESPACE, size: '200Gi' });
    new GitOpsApplication(env, 'gitops-argocd', { repoURL: PLATFORM_REPOSITORY.url, targetRevision: PLATFORM_REPOSITORY.revision });
  }
  new GitOpsApplication(app, 'gitops-argocd', { repoURL: PLATFORM_REPOSITORY.url, targetRevision: PLATFORM_REPOSITORY.revision, catalog, addons: ['jupyterhub'] });
  new ChartsOutIndex(app, 'gitops-index');
}

/** The `gitops-inference` chart: one model server and its nightly evaluation, per environment. */
export function addInference(app: MlscaleApp, values: InferenceValues): void {
  const chart = new Chart(app, 'gitops-inference');
  new k8s.KubeNamespace(chart, 'namespace', {
    metadata: {
      name: NAMESPACE,
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.32' },
    },
  });
  const labels = recommendedLabels({ name: 'sentiment', instance: 'sentiment', component: 'server' });
  const selector = selectorLabels({ name: 'sentiment', instance: 'sentiment', component: 'server' });
  const problems = new Problems(chart);
  const pod = buildPodTemplate(chart, problems, 'server', {
    containers: [{
      name: 'server',
      image: IMAGE,
      ports: [{ name: 'http', port: PORT }],
      resources: { cpu: 2, memory: '8Gi', gpus: 1, gpuType: values.gpuType },
      readinessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(PORT) } },
    }],
    labels: selector,
  });
  problems.throwIfAny();
  deploymentOf(chart, 'server', { name: 'sentiment', namespace: NAMESPACE, labels, selector, replicas: values.replicas, template: pod.template });
  // default deny; the model server takes requests from the load balancer only (on GKE, container-native
  // load balancing sends the traffic and the health checks from Google's front-end ranges)
  new NamespaceIsolation(chart, 'isolation', { namespace: NAMESPACE });
  k8sObject(chart, 'allow-load-balancer', k8s.KubeNetworkPolicy, {
    metadata: { name: 'sentiment-from-load-balancer', namespace: NAMESPACE, labels },
    spec: {
      podSelector: { matchLabels: selector }, policyTypes: ['Ingress'],
      ingress: [{ from: values.ingressSources.map(({ cidr }) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(PORT) }] }],
    },
  });
  for (const { cidr, name } of values.ingressSources) {
    Flows.declare(chart, { from: { cidr, name }, to: { namespace: NAMESPACE, labels: selector, name: 'sentiment server' }, port: PORT, why: 'inference requests and health checks through the Ingress' });
  }
  serviceOf(chart, 'service', { name: 'sentiment', namespace: NAMESPACE, labels, selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
  Externals.declare(chart, {
    kind: 'Secret', name: 'sentiment-tls', namespace: NAMESPACE, keys: ['tls.crt', 'tls.key'],
    reason: `TLS certificate of ${values.host} (cert-manager or the platform team's certificate process)`,
  });
  k8sObject(chart, 'ingress', k8s.KubeIngress, {
    metadata: { name: 'sentiment', namespace: NAMESPACE, labels },
    spec: {
      tls: [{ hosts: [values.host], secretName: 'sentiment-tls' }],
      rules: [{
        host: values.host,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'sentiment', port: { name: 'http' } } } }] },
      }],
    },
  });
  new ContainerJob(chart, 'sentiment-eval', {
    namespace: NAMESPACE,
    container: {
      image: IMAGE,
      command: ['python', '-m', 'sentiment.evaluate'],
      resources: { cpu: 2, memory: '8Gi', gpus: 1, gpuType: values.gpuType },
    },
    backoffLimit: 1,
  });
}
