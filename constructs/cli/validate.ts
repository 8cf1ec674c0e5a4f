/**
 * `npm run validate [-- <folder or file>]`: validates every YAML document under a folder (default
 * charts-out/), or of one file, against the pinned Kubernetes 1.32 OpenAPI and CRD schemas, strictly (unknown
 * fields are errors). Exits 1 if any document is invalid or has no schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SchemaValidator, loadManifests } from '../schema';

/** `mlscale validate [<folder or file>]`; returns the exit code (0 valid, 1 invalid or nothing found, 2 bad usage). */
export function validateCommand(argv: readonly string[]): number {
  if (argv[0] === '--help' || argv[0] === '-h') {
    console.log('usage: mlscale validate [<folder or file>]   (default: charts-out)\n  every YAML document against the pinned Kubernetes 1.32 and CRD schemas, strictly; exits 1 on an invalid document');
    return 0;
  }
  const dir = path.resolve(argv[0] ?? 'charts-out');
  const started = Date.now();
  if (!fs.existsSync(dir)) {
    console.error(`validate: ${argv[0] ?? 'charts-out'} does not exist (expected a folder of YAML files or one YAML file; run \`npm run synth\` first for charts-out)`);
    return 2;
  }
  let docs;
  try {
    docs = loadManifests(dir);
  } catch (e) {
    console.error(`validate: ${(e as Error).message}`); // a file that is no YAML: named, without a stack trace
    return 2;
  }
  const validator = new SchemaValidator();
  let bad = 0;
  for (const { file, index, doc } of docs) {
    const r = validator.validate(doc);
    if (r.violations.length > 0) {
      bad++;
      console.error(`✗ ${path.relative(process.cwd(), file)}#${index} ${r.id}`);
      for (const v of r.violations.slice(0, 20)) console.error(`    ${v.pointer || '/'}: ${v.message}`);
    }
  }
  console.log(`validated ${docs.length} documents (${validator.kindsCompiled} kinds) in ${dir} in ${Date.now() - started} ms: ${docs.length - bad} valid, ${bad} invalid`);
  if (docs.length === 0) console.error('no documents found');
  return bad > 0 || docs.length === 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = validateCommand(process.argv.slice(2));
