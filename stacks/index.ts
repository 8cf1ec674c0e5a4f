/**
 * The Pulumi program (Pulumi.yaml → main: stacks/). Reads the `mlscale:*` config once, with the
 * GPU classes of examples/apps/platform.ts (the same list the cdk8s app targets) as the default, and
 * declares the platform. The exports below are the stack outputs. Library users import
 * stacks/lib.ts instead.
 */
import * as pulumi from '@pulumi/pulumi';
import { PLATFORM_GPU_CLASSES } from '../examples/apps/platform';
import { deployPlatform, loadStackConfig } from './lib';

const platform = deployPlatform(loadStackConfig(new pulumi.Config('mlscale'), { gpuClasses: PLATFORM_GPU_CLASSES }));

export const kubeconfig = platform.kubeconfig;
export const clusterName = platform.clusterName;
export const nodePoolNames = platform.nodePoolNames;
export const storageClassName = platform.storageClassName;
export const argocdVersion = platform.argocdVersion;
export const rootApplication = platform.rootApplication;
export const gitopsAddons = platform.gitopsAddons;
export const controlPlanePorts = platform.controlPlanePorts;
export const artifactBucketName = platform.artifactBucketName;
export const artifactServiceAccounts = platform.artifactServiceAccounts;
export const nodeServiceAccountEmail = platform.nodeServiceAccountEmail;
