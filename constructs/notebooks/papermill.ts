/**
 * The papermill runner shared by NotebookJob and pipeline notebook steps. It runs inside the
 * user's image, which must provide (the image contract):
 *  - `/bin/sh`, `python3` with `papermill` and `nbconvert` (`jupyter nbconvert`), and a Jupyter
 *    kernel for the notebook (`ipykernel`, kernel `python3` unless another is named);
 *  - the AWS CLI v2, 2.13 or later (`aws`, reads `AWS_ENDPOINT_URL`), for object storage;
 *  - a user with UID 1000 or a writable `$HOME` for it (pods run as non-root UID 1000).
 * Parameters are passed as separate argv elements (never through a shell), so any value is safe.
 */
import { EnvValue, Problems } from '../core';
import { ObjectStore } from '../storage/object-store';
import { NOTEBOOK_WORK_DIR, RUNNER_ENV_PREFIXES } from './constants';

/** A notebook parameter: typed values are injected into the notebook's `parameters` cell. */
export type NotebookParameterValue = string | number | boolean | readonly (string | number | boolean)[];

/** The runner script; dynamic values come from environment variables and "$@", never from the text. */
export const PAPERMILL_SCRIPT = [
  'set -u',
  'mkdir -p "$MLSCALE_WORK/out"',
  'in="$MLSCALE_NOTEBOOK"',
  'if [ -n "${MLSCALE_INPUT_URI:-}" ]; then',
  '  in="$MLSCALE_WORK/input.ipynb"',
  '  aws s3 cp --only-show-errors "$MLSCALE_INPUT_URI" "$in" || exit 1',
  'fi',
  'out="$MLSCALE_WORK/out/$MLSCALE_OUTPUT_NAME.ipynb"',
  'papermill "$in" "$out" --log-output "$@"',
  'rc=$?',
  'jupyter nbconvert --to html "$out" || echo "mlscale: the HTML export failed" >&2',
  'aws s3 cp --only-show-errors --recursive "$MLSCALE_WORK/out" "$MLSCALE_OUTPUT_URI/$MLSCALE_RUN_ID/" || exit 1',
  'echo "mlscale: executed notebook and HTML export in $MLSCALE_OUTPUT_URI/$MLSCALE_RUN_ID/"',
  'exit $rc',
  '',
].join('\n');

/** argv[0] of the script (shown in `ps`). */
const SCRIPT_NAME = 'mlscale-papermill';

/** `command` of the runner container; papermill options follow as `args`. */
export function papermillCommand(): string[] {
  return ['/bin/sh', '-c', PAPERMILL_SCRIPT, SCRIPT_NAME];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield']);

/** Checks that a parameter name is a Python identifier (papermill assigns it as a variable). */
export function checkParameterName(problems: Problems, field: string, name: string): boolean {
  return problems.check(IDENTIFIER.test(name) && !PY_KEYWORDS.has(name), field, 'is not a valid notebook parameter name', name,
    'a Python identifier that is not a keyword, e.g. "learning_rate"');
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * papermill options for literal parameters: strings raw (`-r`, never re-typed), numbers and booleans
 * typed (`-p`), lists as YAML flow sequences (`-y`, JSON). Records problems for bad names or values.
 */
export function papermillArgs(problems: Problems, field: string, parameters: Readonly<Record<string, NotebookParameterValue>>): string[] {
  const args: string[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    const f = `${field}.${name}`;
    if (!checkParameterName(problems, f, name)) continue;
    if (Array.isArray(value)) {
      if (problems.check(value.every(isScalar), f, 'must be a list of strings, finite numbers or booleans', value, 'e.g. ["a", "b"] or [0.1, 0.01]')) {
        args.push('-y', JSON.stringify({ [name]: value }));
      }
    } else if (typeof value === 'string') {
      args.push('-r', name, value);
    } else if (problems.check(isScalar(value), f, 'is not a supported parameter value', value, 'a string, a finite number, a boolean or a list of those')) {
      args.push(...papermillTyped(name, String(value)));
    }
  }
  return args;
}

/** papermill options for a typed scalar (`-p name value`); booleans must be given as true/false. */
export function papermillTyped(name: string, value: string): string[] {
  return ['-p', name, value === 'true' ? 'True' : value === 'false' ? 'False' : value];
}

/** Inputs of the runner environment. */
export interface RunnerEnvOptions {
  /** Path of the notebook in the container ('' when downloaded from `inputUri`). */
  readonly notebookPath: string;
  /** Object store URI to download the notebook from. */
  readonly inputUri?: string;
  /** Where results go: `<outputUri>/<pod name>/<outputName>.ipynb` and `.html`. */
  readonly store: ObjectStore;
  readonly outputUri: string;
  readonly outputName: string;
}

/** Environment of the runner: its inputs, the run id from the downward API (pod name) and the store's AWS settings. */
export function runnerEnv(o: RunnerEnvOptions): Record<string, EnvValue> {
  return {
    MLSCALE_NOTEBOOK: o.notebookPath,
    ...(o.inputUri ? { MLSCALE_INPUT_URI: o.inputUri } : {}),
    MLSCALE_OUTPUT_URI: o.outputUri,
    MLSCALE_OUTPUT_NAME: o.outputName,
    MLSCALE_RUN_ID: { fieldPath: 'metadata.name' },
    MLSCALE_WORK: NOTEBOOK_WORK_DIR,
    ...o.store.awsEnv(),
  };
}

/** Rejects user environment variables that would shadow the runner's. */
export function checkUserEnv(problems: Problems, field: string, env: Readonly<Record<string, EnvValue>>): void {
  for (const k of Object.keys(env)) {
    problems.check(!RUNNER_ENV_PREFIXES.some((p) => k.startsWith(p)), `${field}.${k}`, 'is reserved for the notebook runner', k,
      `a name not starting with ${RUNNER_ENV_PREFIXES.join(' or ')}`);
  }
}
