/**
 * `npm run validate [-- <folder or file>]`: validates every YAML document under a folder (default
 * charts-out/), or of one file, against the pinned Kubernetes 1.32 OpenAPI and CRD schemas, strictly (unknown
 * fields are errors). Exits 1 if any document is invalid or has no schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SchemaValidator, loadManifests } from '../schema';

function main(): void {
  const dir = path.resolve(process.argv[2] ?? 'charts-out');
  const started = Date.now();
  if (!fs.existsSync(dir)) {
    console.error(`validate: ${process.argv[2] ?? 'charts-out'} does not exist (expected a folder of YAML files or one YAML file; run \`npm run synth\` first for charts-out)`);
    process.exitCode = 2;
    return;
  }
  let docs;
  try {
    docs = loadManifests(dir);
  } catch (e) {
    console.error(`validate: ${(e as Error).message}`); // a file that is no YAML: named, without a stack trace
    process.exitCode = 2;
    return;
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
  if (bad > 0 || docs.length === 0) process.exitCode = 1;
}

main();
