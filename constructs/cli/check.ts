/**
 * `npm run check [-- <folder>]`: runs the cluster model over a folder of manifests (default
 * charts-out/): the folder is one environment and each `environments/<name>/` below it another;
 * an environment's add-ons are those its Argo CD Applications install. Exits 1 on any problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel } from '../cluster/cluster-model';
import { formatProblem } from '../core/errors';

/** `mlscale check [<folder>]`; returns the exit code (0 no problems, 1 problems, 2 bad usage). */
export function checkCommand(argv: readonly string[]): number {
  const arg = argv[0];
  if (arg === '--help' || arg === '-h') {
    console.log('usage: mlscale check [<folder>]   (default: charts-out)\n  the cluster model: served kinds and controllers, admission as admitted, references, flows; exits 1 on any problem');
    return 0;
  }
  const dir = path.resolve(arg ?? 'charts-out');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`check: ${dir} is not a folder of manifests`);
    return 2;
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
  return problems > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = checkCommand(process.argv.slice(2));
