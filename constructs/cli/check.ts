/**
 * `npm run check [-- <folder>]`: runs the cluster model over a folder of manifests (default
 * charts-out/): the folder is one environment and each `environments/<name>/` below it another;
 * an environment's add-ons are those its Argo CD Applications install. Exits 1 on any problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel } from '../cluster/cluster-model';
import { formatProblem } from '../core/errors';

function main(): void {
  const arg = process.argv[2];
  if (arg === '--help' || arg === '-h') {
    console.log('usage: npm run check [-- <folder>]   (default: charts-out)');
    return;
  }
  const dir = path.resolve(arg ?? 'charts-out');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`check: ${dir} is not a folder of manifests`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const results = ClusterModel.evaluateFolder(dir);
  let problems = 0;
  for (const r of results) {
    const name = r.report.name || '(root)';
    console.log(`environment ${name}: ${r.report.documents} documents, ${r.report.kinds.length} kinds, ${r.report.addons.length} add-ons, `
      + `${r.report.podsChecked} pod templates as admitted, ${r.report.flows.filter((f) => f.allowed).length}/${r.report.flows.length} declared flows allowed, ${r.problems.length} problems`);
    for (const p of r.problems) console.error(`  ✗ ${formatProblem(p)}`);
    problems += r.problems.length;
  }
  console.log(`checked ${results.length} environments in ${dir} in ${Date.now() - started} ms: ${problems} problems`);
  if (problems > 0) process.exitCode = 1;
}

main();
