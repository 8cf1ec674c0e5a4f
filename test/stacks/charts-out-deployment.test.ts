import { RecordedOptions, one, optionsRecorder, recorded, settle } from './pulumi-mocks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import { PLATFORM_GPU_CLASSES } from '../../apps/platform';
import { Problems } from '../../constructs/core/errors';
import { GpuClass } from '../../constructs/core/gpu';
import { ChartsOutDeployment, checkChartsOutDeploymentArgs } from '../../stacks/charts-out-deployment';
import { problemMessages } from '../util';

const CLASSES: GpuClass[] = [{ name: 't4', type: 'nvidia-tesla-t4' }, { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 8 }];

function job(name: string, nodeSelector: Record<string, string>): string {
  return [
    'apiVersion: batch/v1', 'kind: Job', 'metadata:', `  name: ${name}`, 'spec:', '  template:', '    spec:', '      nodeSelector:',
    ...Object.entries(nodeSelector).map(([k, v]) => `        ${k}: ${v}`), '      containers: []', '',
  ].join('\n');
}

function chartsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-charts-out-'));
  for (const [f, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), content);
  return dir;
}

describe('ChartsOutDeployment', () => {
  test('one ConfigGroup with every chart file, in name order, applied after the add-ons', async () => {
    const dir = chartsDir({
      'training.k8s.yaml': job('train', { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100', 'mlscale.io/gpu-class': 'a100' }),
      'platform.k8s.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mlscale-system\n',
      'pipeline.mmd': 'graph TD',
    });
    const addon = new k8s.helm.v3.Release('addon', { chart: 'kueue', version: '0.19.2' });
    const opts: RecordedOptions[] = [];
    const d = new ChartsOutDeployment('apply', { directory: dir, clusterProvider: 'gke', gpuClasses: CLASSES, after: [addon] },
      { transformations: [optionsRecorder(opts)] });
    await settle();
    const files = [path.join(dir, 'platform.k8s.yaml'), path.join(dir, 'training.k8s.yaml')];
    expect(d.files).toEqual(files);
    expect(one('kubernetes:yaml/v2:ConfigGroup', 'apply-charts-out').inputs).toEqual({ files });
    expect(opts.find((o) => o.name === 'apply-charts-out')!.opts.dependsOn).toEqual([addon]);
  });

  test('the committed charts-out/ asks only for GPU types the platform GPU classes offer', () => {
    const problems = new Problems('check');
    const files = checkChartsOutDeploymentArgs(problems, { clusterProvider: 'gke', gpuClasses: PLATFORM_GPU_CLASSES });
    expect(problems.all).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
  });

  test('a workload asking for a GPU type or class no pool offers fails the preview before anything is declared', () => {
    const dir = chartsDir({
      'training.k8s.yaml': job('big', { 'cloud.google.com/gke-accelerator': 'nvidia-h100-80gb', 'mlscale.io/gpu-class': 'h100' }),
    });
    const before = recorded.length;
    expect(problemMessages(() => new ChartsOutDeployment('bad', { directory: dir, clusterProvider: 'gke', gpuClasses: CLASSES }))).toEqual([
      `ChartsOutDeployment bad: ${dir}/training.k8s.yaml#Job/big.spec.template.spec.nodeSelector["cloud.google.com/gke-accelerator"] `
      + 'is not offered by any GPU node pool of the stack; got "nvidia-h100-80gb", expected one of nvidia-tesla-a100, nvidia-tesla-t4',
      `ChartsOutDeployment bad: ${dir}/training.k8s.yaml#Job/big.spec.template.spec.nodeSelector["mlscale.io/gpu-class"] `
      + 'is not a GPU class of the stack; got "h100", expected one of a100, t4',
    ]);
    expect(recorded.length).toBe(before);
  });

  test('GKE manifests on an on-prem stack are rejected', () => {
    const dir = chartsDir({ 'smoke.k8s.yaml': job('smoke', { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' }) });
    expect(problemMessages(() => new ChartsOutDeployment('onprem', { directory: dir, clusterProvider: 'onprem', gpuClasses: CLASSES }))).toEqual([
      `ChartsOutDeployment onprem: ${dir}/smoke.k8s.yaml#Job/smoke.spec.template.spec.nodeSelector["cloud.google.com/gke-accelerator"] `
      + 'selects a GKE node label but the stack targets onprem; got "nvidia-tesla-t4", '
      + 'expected manifests synthesized with ClusterProfile.onPrem() (GPU type label mlscale.io/gpu-type)',
    ]);
  });

  test('an empty or missing folder', () => {
    expect(problemMessages(() => new ChartsOutDeployment('none', { directory: '/nonexistent/charts-out', clusterProvider: 'gke', gpuClasses: CLASSES }))).toEqual([
      'ChartsOutDeployment none: directory has no *.k8s.yaml chart files; got "/nonexistent/charts-out", expected the output folder of `npm run synth`',
    ]);
  });
});
