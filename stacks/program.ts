/** The platform program: one cluster (GKE or on-prem), its add-ons, then charts-out/. */
import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../constructs/core/errors';
import { ChartsOutDeployment, ChartsOutDeploymentArgs, checkChartsOutDeploymentArgs } from './charts-out-deployment';
import { StackConfig } from './config';
import { GkeCluster } from './gke-cluster';
import { OnPremCluster } from './onprem-cluster';
import { PlatformAddons } from './platform-addons';

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
  /** Installed add-on chart versions. */
  readonly addonChartVersions: pulumi.Output<Record<string, string>>;
  /** The chart files applied from charts-out/ (empty when disabled). */
  readonly chartsOutFiles: readonly string[];
}

/**
 * Declares the platform for a validated config. Everything is checked (config, and the GPU node
 * selectors of charts-out/ against the GPU classes) before the first resource is declared.
 */
export function deployPlatform(cfg: StackConfig, name = 'mlscale'): PlatformOutputs {
  const chartsOutArgs: ChartsOutDeploymentArgs | undefined = cfg.chartsOutDirectory === undefined ? undefined
    : { directory: cfg.chartsOutDirectory, clusterProvider: cfg.target, gpuClasses: cfg.gpuClasses };
  if (chartsOutArgs) {
    const problems = new Problems(`ChartsOutDeployment ${name}`);
    checkChartsOutDeploymentArgs(problems, chartsOutArgs);
    problems.throwIfAny();
  }

  const cluster = cfg.target === 'gke' ? new GkeCluster(name, cfg.gke!) : new OnPremCluster(name, cfg.onprem!);
  const k8sOpts = { providers: [cluster.provider] };
  const addons = new PlatformAddons(name, cfg.addons, { ...k8sOpts, dependsOn: [cluster] });
  const chartsOut = chartsOutArgs ? new ChartsOutDeployment(name, { ...chartsOutArgs, after: [cluster, addons] }, k8sOpts) : undefined;
  return {
    kubeconfig: cluster.kubeconfig,
    clusterName: cluster.clusterName,
    nodePoolNames: cluster.nodePoolNames,
    storageClassName: cluster.storageClassName,
    addonChartVersions: addons.chartVersions,
    chartsOutFiles: chartsOut?.files ?? [],
  };
}
