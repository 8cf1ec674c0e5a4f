/**
 * `npm run diff -- <git-ref> [--markdown] [--dir <charts-out>]`: summarizes how charts-out/ on
 * disk (synthesize first with `npm run synth`) changed against charts-out/ at a git ref:
 * resources added, removed and changed, with the changed fields. `--markdown` renders a
 * pull-request comment. Exits 2 on bad usage or an unknown ref.
 */
import { ManifestDiff } from '../gitops/manifest-diff';

const USAGE = 'usage: mlscale diff <git-ref> [--markdown] [--dir <charts-out folder>]\n  how charts-out on disk changed against charts-out at <git-ref>: resources added, removed, changed';

/** `mlscale diff <ref> [--markdown] [--dir <folder>]`; returns the exit code (0, or 2 on bad usage or an unknown ref). */
export function diffCommand(argv: readonly string[]): number {
  if (argv[0] === '--help' || argv[0] === '-h') {
    console.log(USAGE);
    return 0;
  }
  const markdown = argv.includes('--markdown');
  const dirAt = argv.indexOf('--dir');
  const dir = dirAt >= 0 ? argv[dirAt + 1] : undefined;
  const positional = argv.filter((a, i) => !a.startsWith('--') && (dirAt < 0 || i !== dirAt + 1));
  if (positional.length !== 1 || (dirAt >= 0 && !dir)) {
    console.error(USAGE);
    return 2;
  }
  const ref = positional[0];
  let diff: ManifestDiff;
  try {
    diff = ManifestDiff.againstGitRef(ref, { dir });
  } catch (e) {
    console.error(`mlscale diff: cannot read charts-out at ${JSON.stringify(ref)}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return 2;
  }
  process.stdout.write(markdown ? diff.toMarkdown(ref) : diff.toText(ref));
  return 0;
}

if (require.main === module) process.exitCode = diffCommand(process.argv.slice(2));
