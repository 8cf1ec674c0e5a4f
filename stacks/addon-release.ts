/**
 * The Helm release of a catalog add-on under Pulumi: used for one add-on only, `argo-cd` (the
 * bootstrap, GitOpsBootstrap); Argo CD installs every other add-on from its Application.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AddonSpec } from '../constructs/platform/addons';

/** The Helm release arguments of a catalog add-on: chart, version and namespace exactly as catalogued. */
export function addonReleaseArgs(spec: AddonSpec, values: Readonly<Record<string, unknown>> = spec.values): k8s.helm.v3.ReleaseArgs {
  const oci = spec.repository.startsWith('oci://');
  return {
    name: spec.name,
    chart: oci ? `${spec.repository}/${spec.chart}` : spec.chart,
    repositoryOpts: oci ? undefined : { repo: spec.repository },
    version: spec.version,
    namespace: spec.namespace,
    createNamespace: true,
    values: values as Record<string, pulumi.Input<unknown>>,
    atomic: true,
    cleanupOnFail: true,
    timeout: 900,
    maxHistory: 5,
  };
}

/**
 * Creates the Helm release of an add-on. The resource is named `<component>-<add-on>` and the
 * Helm release `<add-on>`, so names are stable across runs.
 */
export function addonRelease(component: string, spec: AddonSpec, opts: pulumi.CustomResourceOptions,
  values?: Readonly<Record<string, unknown>>): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(`${component}-${spec.name}`, addonReleaseArgs(spec, values), opts);
}
