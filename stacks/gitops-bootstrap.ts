import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ADDON_CATALOG } from '../constructs/platform/addons';
import { addonRelease } from './addon-release';
import { ChartsOutFolder } from './charts-out';

/** Arguments of a GitOpsBootstrap. */
export interface GitOpsBootstrapArgs {
  /** The charts-out folder Argo CD syncs (read and checked by the program: readGitOpsFolder). */
  readonly folder: ChartsOutFolder;
}

/**
 * The one hand-off from Pulumi to Argo CD. Ownership, one owner per object:
 *
 * - **Pulumi** owns the cluster and its cloud resources, Argo CD (the `argo-cd` Helm release of the
 *   add-on catalog, the only add-on Pulumi installs) and the root Application (the folder's
 *   `gitops-argocd-root.k8s.yaml`, which no Application syncs);
 * - **Argo CD** owns everything else: every add-on (its Applications are in `gitops-argocd.k8s.yaml`,
 *   which the root Application syncs) and every chart of charts-out.
 *
 * So Pulumi applies no Job, workload or add-on of charts-out, and waits for none of them.
 */
export class GitOpsBootstrap extends pulumi.ComponentResource {
  /** The Argo CD Helm release. */
  public readonly argocd: k8s.helm.v3.Release;
  /** The root Application, applied from the folder. */
  public readonly rootApplication: k8s.yaml.v2.ConfigFile;
  /** Name of the root Application. */
  public readonly rootApplicationName: string;
  /** Chart version of Argo CD. */
  public readonly argocdVersion: string;

  constructor(name: string, args: GitOpsBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlscale:gitops:GitOpsBootstrap', name, {}, opts);
    const spec = ADDON_CATALOG['argo-cd']!;
    this.argocd = addonRelease(name, spec, { parent: this });
    this.rootApplication = new k8s.yaml.v2.ConfigFile(`${name}-root-application`, { file: args.folder.rootFile! }, { parent: this, dependsOn: [this.argocd] });
    this.rootApplicationName = args.folder.rootApplication.metadata.name;
    this.argocdVersion = spec.version;
    this.registerOutputs({ rootApplicationName: this.rootApplicationName, argocdVersion: this.argocdVersion });
  }
}
