/**
 * Property-test harness: for random props, synthesizing an app either writes documents that pass
 * the schema gate (and the guard rails) or throws MlscaleValidationError and leaves the previous
 * charts-out exactly as it was (no partial output, no temp folder left behind). Anything else fails.
 *
 * Adding a construct is a few lines: `propertyCase('Name', arbitrary, (app, input) => { ...build... })`
 * in a `*.property.test.ts` file, then `runPropertyCases([...])`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { ClusterProfile, GuardRails, MlscaleApp, MlscaleValidationError, SchemaValidator, loadManifests } from '../../constructs';

/** One construct under test: how to generate its input and how to add it to an app. */
export interface PropertyCase<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Adds charts to `app` from `input` (may throw MlscaleValidationError). */
  readonly build: (app: MlscaleApp, input: T) => void;
  /** @default 200 */
  readonly numRuns?: number;
}

/** Declares a property case (keeps the input type inferred). */
export function propertyCase<T>(name: string, arbitrary: fc.Arbitrary<T>, build: (app: MlscaleApp, input: T) => void, numRuns = 200): PropertyCase<T> {
  return { name, arbitrary, build, numRuns };
}

/** The profile the generated apps target unless a case sets its own. */
export const PROPERTY_PROFILE = (): ClusterProfile => ClusterProfile.gke({
  gpuClasses: [
    { name: 't4', type: 'nvidia-tesla-t4', gpusPerNode: 4 },
    { name: 'a100', type: 'nvidia-tesla-a100', gpusPerNode: 8, maxNodes: 2 },
    { name: 'a100-mig', type: 'nvidia-tesla-a100', sharing: { strategy: 'mig', partitionSize: '1g.5gb' } },
  ],
});

/** Counts of one case: runs that synthesized valid output, runs rejected with MlscaleValidationError. */
export interface CaseCounts { valid: number; rejected: number }

function readTree(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
}

/** Runs the property for one case and returns its counts. */
export function checkCase<T>(c: PropertyCase<T>, validator: SchemaValidator): CaseCounts {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-prop-'));
  const out = path.join(parent, 'charts-out');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'previous.k8s.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: previous\n');
  const counts: CaseCounts = { valid: 0, rejected: 0 };
  try {
    fc.assert(fc.property(c.arbitrary, (input) => {
      const before = readTree(out);
      const app = new MlscaleApp({ outdir: out });
      ClusterProfile.use(app, PROPERTY_PROFILE());
      GuardRails.enable(app);
      try {
        c.build(app, input);
        app.synth();
      } catch (e) {
        if (!(e instanceof MlscaleValidationError)) throw e;
        if (JSON.stringify(readTree(out)) !== JSON.stringify(before)) throw new Error('a failed synth changed charts-out');
        if (fs.readdirSync(parent).join() !== 'charts-out') throw new Error(`a failed synth left files behind: ${fs.readdirSync(parent).join(', ')}`);
        counts.rejected++;
        return;
      }
      const docs = loadManifests(out);
      if (docs.length === 0) throw new Error('synth wrote no documents');
      for (const d of docs) {
        const r = validator.validate(d.doc);
        if (r.violations.length > 0) throw new Error(`${r.id} violates its schema: ${JSON.stringify(r.violations)}`);
      }
      counts.valid++;
    }), { numRuns: c.numRuns ?? 200, seed: 8_2026, endOnFailure: true, includeErrorInReport: true });
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
  return counts;
}

/** Registers one jest test per case (≥ 200 runs each) and prints the counts at the end. */
export function runPropertyCases(cases: ReadonlyArray<PropertyCase<any>>): void {
  const validator = new SchemaValidator();
  const report: string[] = [];
  afterAll(() => console.log(`property runs (valid / rejected with MlscaleValidationError):\n${report.join('\n')}`));
  test.each(cases.map((c) => [c.name, c] as const))('%s: valid manifests or MlscaleValidationError, never partial output', (_name, c) => {
    const counts = checkCase(c, validator);
    report.push(`  ${c.name}: ${counts.valid + counts.rejected} runs = ${counts.valid} valid + ${counts.rejected} rejected`);
    expect(counts.valid + counts.rejected).toBeGreaterThanOrEqual(c.numRuns ?? 200);
    // both outcomes must be exercised, or the generator is too narrow to mean anything
    expect(counts.valid).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });
}
