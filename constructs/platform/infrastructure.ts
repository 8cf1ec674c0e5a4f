/**
 * The add-ons a cluster needs because of what it is rather than because of the kinds its charts
 * use: on-prem, what a bare kubespray cluster lacks (ClusterProfile `infrastructure`); on GKE,
 * nothing (GKE manages metrics-server, GPU drivers, autoscaling, Filestore and GCS itself).
 * Each entry carries the Helm values the profile implies, merged over the catalog's.
 */
import type { ClusterProfile } from '../core/gpu';
import type { AddonName } from './addons';

/** An add-on the cluster profile calls for, with the values it implies. */
export interface InfrastructureAddon {
  readonly name: AddonName;
  /** Helm values merged over the catalog entry's. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The profile field that calls for it (for error messages and docs). */
  readonly field: string;
}

/** The infrastructure add-ons of a profile, in a stable order. */
export function infrastructureAddons(profile: ClusterProfile): InfrastructureAddon[] {
  if (profile.provider !== 'onprem') return [];
  const i = profile.infrastructure;
  const out: InfrastructureAddon[] = [];
  const metrics = i.metricsServer ?? 'self-signed-kubelet-certs';
  if (metrics !== 'provided') {
    // metrics-server chart 3.13.0 values.yaml: `args` is appended to `defaultArgs` (templates/deployment.yaml);
    // kubespray's kubelets serve self-signed certificates unless kubelet_rotate_server_certificates is on
    out.push({ name: 'metrics-server', field: 'infrastructure.metricsServer', values: metrics === 'self-signed-kubelet-certs' ? { args: ['--kubelet-insecure-tls'] } : {} });
  }
  const gpu = i.gpuSoftware ?? (profile.gpuClasses.length > 0 ? 'operator' : 'none');
  if (gpu !== 'none') {
    out.push({
      name: 'nvidia-gpu-operator', field: 'infrastructure.gpuSoftware',
      values: gpu === 'operator' ? { driver: { enabled: true }, toolkit: { enabled: true } } : { driver: { enabled: false }, toolkit: { enabled: false } },
    });
  }
  if (i.nfs) {
    out.push({
      name: 'nfs-subdir-external-provisioner', field: 'infrastructure.nfs',
      values: {
        nfs: { server: i.nfs.server, path: i.nfs.path, ...(i.nfs.mountOptions ? { mountOptions: [...i.nfs.mountOptions] } : {}) },
        storageClass: { name: profile.rwxStorageClass, archiveOnDelete: i.nfs.archiveOnDelete ?? true },
      },
    });
  }
  if (i.minio) {
    // the catalog entry already sets `users: []` (the chart's default user is console/console123)
    out.push({
      name: 'minio', field: 'infrastructure.minio',
      values: { existingSecret: i.minio.rootCredentialsSecret.secretName, persistence: { size: i.minio.size ?? '100Gi', storageClass: i.minio.storageClass ?? profile.rwxStorageClass } },
    });
  }
  if (i.clusterApi) {
    out.push({
      name: 'cluster-autoscaler', field: 'infrastructure.clusterApi',
      values: { autoDiscovery: { clusterName: i.clusterApi.clusterName, namespace: i.clusterApi.namespace ?? 'default' } },
    });
  }
  return out;
}
