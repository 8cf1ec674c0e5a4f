import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../constructs/core/errors';
import {
  ADDON_CATALOG, AddonName, AddonSpec, DEFAULT_PLATFORM_ADDONS, KUBEFLOW_TRAINING_OPERATOR_V1, MANIFEST_ADDONS, ManifestAddonName,
  addonsInInstallOrder, manifestAddonUrls,
} from '../constructs/platform/addons';
import { addonRelease } from './addon-release';

/** Arguments of PlatformAddons. */
export interface PlatformAddonsArgs {
  /**
   * Add-ons to install, by catalog name (chart, version and values come from the catalog).
   * @default DEFAULT_PLATFORM_ADDONS (Argo CD, Kueue, Argo Workflows, Kubeflow Trainer, Dask Gateway, Dask operator)
   */
  readonly addons?: readonly AddonName[];
  /**
   * Also install the Kubeflow Training Operator v1.9.4 (PyTorchJob, TFJob, ...) from its pinned
   * kustomization (it ships no Helm chart).
   * @default false
   */
  readonly trainingOperatorV1?: boolean;
  /**
   * Manifest add-ons to apply from their pinned upstream URLs (constructs/upstream/sources.ts).
   * @default ['dask-gateway-crds'] (the CRDs a native DaskGateway in charts-out needs)
   */
  readonly manifestAddons?: readonly ManifestAddonName[];
}

/** Checks PlatformAddons arguments; `prefix` is prepended to field names. */
export function checkPlatformAddonsArgs(problems: Problems, prefix: string, a: PlatformAddonsArgs): void {
  const charted = Object.keys(ADDON_CATALOG).sort();
  (a.addons ?? []).forEach((n, i) => {
    if (n === KUBEFLOW_TRAINING_OPERATOR_V1.name) {
      problems.add(`${prefix}addons[${i}]`, 'has no Helm chart (the Training Operator v1 is kustomize only)', n, 'trainingOperatorV1: true instead');
    } else {
      problems.check(charted.includes(n), `${prefix}addons[${i}]`, 'is not an add-on of the catalog', n, `one of ${charted.join(', ')}`);
    }
  });
  const manifests = Object.keys(MANIFEST_ADDONS).sort();
  const plain = manifests.filter((n) => MANIFEST_ADDONS[n as ManifestAddonName].type === 'directory');
  (a.manifestAddons ?? []).forEach((n, i) => {
    if (!manifests.includes(n)) problems.add(`${prefix}manifestAddons[${i}]`, 'is not a manifest add-on', n, `one of ${manifests.join(', ')}`);
    // kustomize add-ons carry mlscale's patches, which only the Argo CD Application applies
    else if (!plain.includes(n)) problems.add(`${prefix}manifestAddons[${i}]`, 'is a kustomize add-on that Argo CD installs with mlscale\'s patches (GitOpsApplication)', n, `one of ${plain.join(', ')}`);
  });
  const dup = (a.addons ?? []).find((n, i, all) => all.indexOf(n) !== i);
  problems.check(dup === undefined, `${prefix}addons`, 'lists an add-on twice', dup, 'each add-on at most once');
}

/**
 * The pinned upstream operators of the platform, as Helm releases whose chart, version and
 * values are exactly the add-on catalog's (constructs/platform/addons.ts, shared with GitOps).
 * Releases are installed wave by wave (catalog sync waves): each wave depends on the previous
 * one, so CRDs and admission webhooks exist before the operators and workloads that use them.
 */
export class PlatformAddons extends pulumi.ComponentResource {
  /** Helm releases by add-on name. */
  public readonly releases: Readonly<Partial<Record<AddonName, k8s.helm.v3.Release>>>;
  /** The Training Operator v1 kustomization, when requested. */
  public readonly trainingOperatorV1?: k8s.kustomize.v2.Directory;
  /** The manifest add-ons, by name (applied from their pinned URLs). */
  public readonly manifests: Readonly<Partial<Record<ManifestAddonName, k8s.yaml.v2.ConfigGroup>>>;
  /** Everything this component installs (for `dependsOn`). */
  public readonly resources: readonly pulumi.Resource[];
  /** Installed chart versions by add-on name (from the catalog). */
  public readonly chartVersions: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: PlatformAddonsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems(`PlatformAddons ${name}`);
    checkPlatformAddonsArgs(problems, '', args);
    problems.throwIfAny();
    super('mlscale:addons:PlatformAddons', name, {}, opts);

    const wanted = new Set<AddonName>(args.addons ?? DEFAULT_PLATFORM_ADDONS);
    const specs = addonsInInstallOrder().filter((s) => wanted.has(s.name));
    const releases: Partial<Record<AddonName, k8s.helm.v3.Release>> = {};
    let previousWave: pulumi.Resource[] = [];
    for (const wave of [...new Set(specs.map((s) => s.syncWave))]) {
      const inWave = specs.filter((s) => s.syncWave === wave).map((s: AddonSpec) => {
        const r = addonRelease(name, s, { parent: this, dependsOn: previousWave });
        releases[s.name] = r;
        return r;
      });
      previousWave = inWave;
    }
    this.releases = releases;
    const manifests: Partial<Record<ManifestAddonName, k8s.yaml.v2.ConfigGroup>> = {};
    for (const m of args.manifestAddons ?? ['dask-gateway-crds']) {
      const addon = MANIFEST_ADDONS[m];
      // Spread into an array of this realm: Pulumi serializes arrays by `instanceof Array` (matters under jest's vm contexts).
      manifests[m] = new k8s.yaml.v2.ConfigGroup(`${name}-${m}`, { files: [...manifestAddonUrls(addon)] }, { parent: this });
    }
    this.manifests = manifests;
    const resources: pulumi.Resource[] = [...Object.values(releases), ...Object.values(manifests)];
    if (args.trainingOperatorV1) {
      this.trainingOperatorV1 = new k8s.kustomize.v2.Directory(`${name}-${KUBEFLOW_TRAINING_OPERATOR_V1.name}`, {
        directory: KUBEFLOW_TRAINING_OPERATOR_V1.kustomization,
      }, { parent: this });
      resources.push(this.trainingOperatorV1);
    }
    this.resources = resources;
    this.chartVersions = pulumi.output(Object.fromEntries(specs.map((s) => [s.name, s.version])));
    this.registerOutputs({ chartVersions: this.chartVersions });
  }
}
