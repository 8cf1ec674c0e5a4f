/** Shared test helpers. */
import { Chart, Testing } from 'cdk8s';
import { ClusterProfile, MlscaleValidationError } from '../constructs';

/** A chart in a fresh test app, optionally with a ClusterProfile. */
export function testChart(profile?: ClusterProfile): Chart {
  const app = Testing.app();
  if (profile) ClusterProfile.use(app, profile);
  return new Chart(app, 'test');
}

/** Runs `fn` and returns the MlscaleValidationError it throws (fails the test otherwise). */
export function validationError(fn: () => unknown): MlscaleValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MlscaleValidationError) return e;
    throw new Error(`expected MlscaleValidationError, got ${e instanceof Error ? e.stack : String(e)}`);
  }
  throw new Error('expected MlscaleValidationError, nothing was thrown');
}

/** The messages of the problems `fn` throws. */
export function problemMessages(fn: () => unknown): string[] {
  return validationError(fn).message.split('\n').filter((l) => !/^\d+ problems:$/.test(l)).map((l) => l.replace(/^ {2}- /, ''));
}

/** Synthesized documents of a chart, by kind. */
export function byKind(chart: Chart): Record<string, any[]> {
  const out: Record<string, any[]> = {};
  for (const d of Testing.synth(chart)) (out[d.kind] ??= []).push(d);
  return out;
}
