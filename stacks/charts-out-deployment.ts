import * as fs from 'fs';
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { parseAllDocuments } from 'yaml';
import { GKE_ACCELERATOR_LABEL, LABEL_GPU_CLASS } from '../constructs/core/constants';
import { Problems } from '../constructs/core/errors';
import { ClusterProfile, ClusterProvider, GpuClass } from '../constructs/core/gpu';

/** Arguments of a ChartsOutDeployment. */
export interface ChartsOutDeploymentArgs {
  /**
   * The synthesized manifests: every `*.k8s.yaml` file of this folder is applied.
   * @default 'charts-out'
   */
  readonly directory?: string;
  /** Where the manifests go: decides which node label carries the GPU type. */
  readonly clusterProvider: ClusterProvider;
  /**
   * The GPU classes the cluster's node pools offer. Every GPU node selector in the manifests must
   * name a GPU type and class offered here, else the preview fails.
   */
  readonly gpuClasses: readonly GpuClass[];
  /**
   * Resources to apply after (the add-ons and their CRDs, the cluster).
   * @default []
   */
  readonly after?: readonly pulumi.Resource[];
}

/** Chart files of a charts-out folder, sorted (the apply order). */
export function chartFiles(directory: string): string[] {
  // Spread into an array of this realm: Pulumi serializes arrays by `instanceof Array` (matters under jest's vm contexts).
  return [...fs.readdirSync(directory)].filter((f) => f.endsWith('.k8s.yaml')).sort();
}

/**
 * Checks that every GPU node selector in the manifests asks for a GPU type (and class) one of
 * the cluster's GPU classes offers: the preview-time half of the one GPU contract (synth checks
 * the same against the cdk8s ClusterProfile).
 */
export function checkGpuSelectors(problems: Problems, file: string, docs: unknown[], provider: ClusterProvider, classes: readonly GpuClass[]): void {
  const typeLabel = provider === 'gke' ? GKE_ACCELERATOR_LABEL : ClusterProfile.onPrem().gpuTypeLabel;
  const types = [...new Set(classes.map((c) => c.type))].sort();
  const names = classes.map((c) => c.name).sort();
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => visit(n, `${where}[${i}]`));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      const at = `${where}.${key}`;
      if (key === 'nodeSelector' && typeof value === 'object' && value !== null) {
        const sel = value as Record<string, unknown>;
        if (provider === 'onprem') {
          problems.check(!(GKE_ACCELERATOR_LABEL in sel), `${at}["${GKE_ACCELERATOR_LABEL}"]`, 'selects a GKE node label but the stack targets onprem',
            sel[GKE_ACCELERATOR_LABEL], `manifests synthesized with ClusterProfile.onPrem() (GPU type label ${typeLabel})`);
        }
        if (typeLabel in sel) {
          problems.check((types as string[]).includes(sel[typeLabel] as string), `${at}["${typeLabel}"]`, 'is not offered by any GPU node pool of the stack',
            sel[typeLabel], types.length ? `one of ${types.join(', ')}` : 'a GPU class in the stack config');
        }
        if (LABEL_GPU_CLASS in sel) {
          problems.check(names.includes(sel[LABEL_GPU_CLASS] as string), `${at}["${LABEL_GPU_CLASS}"]`, 'is not a GPU class of the stack',
            sel[LABEL_GPU_CLASS], names.length ? `one of ${names.join(', ')}` : 'a GPU class in the stack config');
        }
      } else {
        visit(value, at);
      }
    }
  };
  docs.forEach((d) => {
    const meta = (d as { kind?: string; metadata?: { name?: string } } | null);
    visit(d, `${file}#${meta?.kind ?? '?'}/${meta?.metadata?.name ?? '?'}`);
  });
}

/**
 * Checks the charts-out folder (chart files present, GPU node selectors offered by the stack's GPU
 * classes) and returns its chart files, sorted, relative to the working directory.
 */
export function checkChartsOutDeploymentArgs(problems: Problems, args: ChartsOutDeploymentArgs): string[] {
  const directory = args.directory ?? 'charts-out';
  const files = fs.existsSync(directory) ? chartFiles(directory).map((f) => path.join(directory, f)) : [];
  problems.check(files.length > 0, 'directory', 'has no *.k8s.yaml chart files', directory, 'the output folder of `npm run synth`');
  for (const file of files) {
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    checkGpuSelectors(problems, file, docs, args.clusterProvider, args.gpuClasses);
  }
  return files;
}

/**
 * Applies the synthesized `charts-out/` with @pulumi/kubernetes after the add-ons and their CRDs,
 * so one `pulumi up` brings a new cluster all the way up. All chart files go into one
 * `yaml.v2.ConfigGroup`, which applies Namespaces and CRDs before the objects that need them,
 * across charts. Before declaring anything it checks every GPU node selector against the stack's
 * GPU classes.
 */
export class ChartsOutDeployment extends pulumi.ComponentResource {
  /** The ConfigGroup holding every chart file. */
  public readonly configGroup: k8s.yaml.v2.ConfigGroup;
  /** The chart files applied (relative to the program's working directory). */
  public readonly files: readonly string[];

  constructor(name: string, args: ChartsOutDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems(`ChartsOutDeployment ${name}`);
    const files = checkChartsOutDeploymentArgs(problems, args);
    problems.throwIfAny();
    super('mlscale:charts:ChartsOutDeployment', name, {}, opts);

    this.configGroup = new k8s.yaml.v2.ConfigGroup(`${name}-charts-out`, { files }, { parent: this, dependsOn: [...(args.after ?? [])] });
    this.files = files;
    this.registerOutputs({ files });
  }
}
