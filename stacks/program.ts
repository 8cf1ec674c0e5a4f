/** The platform program: one cluster (GKE or on-prem), then the hand-off to Argo CD. */
import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../constructs/core/errors';
import { ChartsOutFolder, checkChartsOutFolder, controlPlanePorts, readGitOpsFolder } from './charts-out';
import { StackConfig } from './config';
import { GitOpsBootstrap } from './gitops-bootstrap';
import { GkeCluster, checkWorkloadIdentityAccounts } from './gke-cluster';
import { OnPremCluster } from './onprem-cluster';

/** The stack outputs. */
export interface PlatformOutputs {
  /** Kubeconfig of the cluster (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** Cluster name. */
  readonly clusterName: pulumi.Output<string>;
  /** Node pools (GKE) or autoscaled node groups (on-prem). */
  readonly nodePoolNames: pulumi.Output<string[]>;
  /** The RWX StorageClass. */
  readonly storageClassName: pulumi.Output<string>;
  /** Chart version of the Argo CD the stack installs (empty when GitOps is off). */
  readonly argocdVersion: string;
  /** Name of the root Application the stack applies (empty when GitOps is off). */
  readonly rootApplication: string;
  /** The add-ons Argo CD installs from the charts-out folder (not the stack). */
  readonly gitopsAddons: readonly string[];
  /** Pod ports opened from the control plane for webhooks and APIServices (GKE; empty on-prem). */
  readonly controlPlanePorts: readonly number[];
  /**
   * GKE: the artifact bucket.
   * @default - none on-prem
   */
  readonly artifactBucketName?: pulumi.Output<string>;
  /**
   * GKE: the Google service account of each namespace's artifacts (Workload Identity maps its KSAs to it), by namespace.
   * @default - none on-prem
   */
  readonly artifactServiceAccounts?: pulumi.Output<Record<string, string>>;
  /**
   * GKE: the nodes' Google service account.
   * @default - none on-prem
   */
  readonly nodeServiceAccountEmail?: pulumi.Output<string>;
}

/**
 * Declares the platform for a validated config. Everything is checked first (the config, then the
 * charts-out folder against the cluster: GPU node selectors, add-on placement, Cluster API), and
 * only then is the first resource declared.
 */
export function deployPlatform(cfg: StackConfig, name = 'mlscale'): PlatformOutputs {
  let folder: ChartsOutFolder | undefined;
  if (cfg.gitops) {
    const problems = new Problems('config');
    folder = readGitOpsFolder(cfg.gitops.directory);
    const field = `gitops (${cfg.gitops.directory})`;
    checkChartsOutFolder(problems, field, folder, {
      clusterProvider: cfg.target, gpuClasses: cfg.gpuClasses, clusterApi: cfg.onprem?.provisioner === 'cluster-api', daskPool: cfg.gke?.daskPool !== undefined,
    });
    if (cfg.gke) checkWorkloadIdentityAccounts(problems, field, Object.values(folder.documents).flat(), cfg.gke);
    problems.throwIfAny();
  }
  const ports = folder ? controlPlanePorts(folder) : [];
  const gke = cfg.target === 'gke' ? new GkeCluster(name, { ...cfg.gke!, controlPlanePorts: ports }) : undefined;
  const cluster = gke ?? new OnPremCluster(name, cfg.onprem!);
  const bootstrap = folder ? new GitOpsBootstrap(name, { folder }, { providers: [cluster.provider], dependsOn: [cluster] }) : undefined;
  return {
    kubeconfig: cluster.kubeconfig,
    clusterName: cluster.clusterName,
    nodePoolNames: cluster.nodePoolNames,
    storageClassName: cluster.storageClassName,
    argocdVersion: bootstrap?.argocdVersion ?? '',
    rootApplication: bootstrap?.rootApplicationName ?? '',
    gitopsAddons: folder ? folder.addons.map((a) => a.name) : [],
    controlPlanePorts: gke ? ports : [],
    artifactBucketName: gke?.artifactBucketName,
    artifactServiceAccounts: gke?.artifactServiceAccounts,
    nodeServiceAccountEmail: gke?.nodeServiceAccountEmail,
  };
}
