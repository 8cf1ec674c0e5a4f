/**
 * `npm run import [-- --mirror <dir>] [--check] [--pin]`: regenerates the fact-only schemas
 * (constructs/upstream/schemas/) and the cdk8s bindings (constructs/imports/) from the upstream
 * sources pinned in constructs/upstream/sources.ts.
 *
 * Sources come from the mirror folder given by `--mirror` or `MLSCALE_UPSTREAM_MIRROR` (relative
 * to the package root), else they are downloaded from their pinned URLs. Every sha256 is verified
 * before anything is written; a mismatch names the source, the expected and the actual sha256.
 *
 *  --check  write nothing; exit 1 when the committed files differ from what the sources give
 *  --pin    record the actual sha256 of changed sources in sources.ts (after an upgrade), then write
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../core/paths';
import { MIRROR_ENV, SourceError, driftOf, generate, resolveSources, writeGenerated } from '../upstream/generate';
import { UPSTREAM_FILES } from '../upstream/sources';

interface Args {
  readonly mirror?: string;
  readonly check: boolean;
  readonly pin: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let mirror = process.env[MIRROR_ENV] || undefined;
  let check = false;
  let pin = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mirror') mirror = argv[++i];
    else if (a === '--check') check = true;
    else if (a === '--pin') pin = true;
    else throw new SourceError(`unknown argument ${JSON.stringify(a)}; expected --mirror <dir>, --check or --pin`);
  }
  if (check && pin) throw new SourceError('--check and --pin exclude each other');
  return { mirror: mirror === undefined ? undefined : path.resolve(packageRoot(), mirror), check, pin };
}

/** Rewrites the sha256 of each changed source in sources.ts. */
function pinChecksums(root: string, pinned: ReadonlyMap<string, string>): void {
  const file = path.join(root, 'constructs', 'upstream', 'sources.ts');
  let text = fs.readFileSync(file, 'utf-8');
  for (const [mirror, sha] of pinned) {
    const old = UPSTREAM_FILES.find((f) => f.mirror === mirror)!.sha256;
    const line = text.split('\n').find((l) => l.includes(`mirror: '${mirror}'`) && l.includes(old));
    if (!line) throw new SourceError(`cannot find the manifest line of ${mirror} to pin`);
    text = text.replace(line, line.replace(old, sha));
    console.log(`pinned ${mirror}: ${old} -> ${sha}`);
  }
  fs.writeFileSync(file, text);
}

async function main(): Promise<void> {
  const started = Date.now();
  const root = packageRoot();
  const args = parseArgs(process.argv.slice(2));
  const { bytes, pinned } = await resolveSources(UPSTREAM_FILES, { mirror: args.mirror, pin: args.pin });
  const files = await generate(bytes);
  const from = args.mirror ? `the mirror ${path.relative(root, args.mirror) || '.'}` : 'the pinned URLs';
  if (args.check) {
    const drift = driftOf(root, files);
    if (drift.length > 0) {
      console.error(`generated files differ from ${from} (run \`npm run import\` and commit):\n${drift.map((d) => `  ${d}`).join('\n')}`);
      process.exitCode = 1;
      return;
    }
    console.log(`${files.schemas.size} schema files and ${files.bindings.size} binding modules match ${from} (${bytes.size} sources verified, ${Date.now() - started} ms)`);
    return;
  }
  if (pinned.size > 0) pinChecksums(root, pinned);
  writeGenerated(root, files);
  const size = (m: Map<string, string>): number => Math.round([...m.values()].reduce((n, t) => n + Buffer.byteLength(t), 0) / 1024);
  console.log(`verified ${bytes.size} sources from ${from}; wrote ${files.schemas.size} schema files (${size(files.schemas)} KiB) `
    + `and ${files.bindings.size} binding modules (${size(files.bindings)} KiB) in ${Date.now() - started} ms`);
}

main().catch((e) => {
  console.error(e instanceof SourceError ? e.message : e);
  process.exitCode = 1;
});
