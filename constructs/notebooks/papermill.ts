/**
 * The papermill runner shared by NotebookJob and pipeline notebook steps. It runs inside the
 * user's image, which must provide (the image contract):
 *  - `/bin/sh`, `python3` with `papermill` and `nbconvert` (`jupyter nbconvert`), and a Jupyter
 *    kernel for the notebook (`ipykernel`, kernel `python3` unless another is named);
 *  - a user with UID 1000 or a writable `$HOME` for it (pods run as non-root UID 1000).
 * Nothing else: moving notebooks to and from object storage is done by mlscale's own containers
 * (NotebookJob: a download init container and an uploader, on the pinned AWS CLI image) or by Argo
 * (pipeline steps: input and output artifacts), so the user's container gets no storage credentials.
 * Parameters are passed as separate argv elements (never through a shell), so any value is safe.
 */
import { EnvValue, Problems } from '../core';
import { ObjectStore } from '../storage/object-store';
import { NOTEBOOK_WORK_DIR, RUNNER_ENV_PREFIXES } from './constants';

/** A notebook parameter: typed values are injected into the notebook's `parameters` cell. */
export type NotebookParameterValue = string | number | boolean | readonly (string | number | boolean)[];

/** The AWS CLI image of mlscale's download and upload containers (pinned; reads `AWS_ENDPOINT_URL` since 2.13). */
export const AWS_CLI_IMAGE = 'amazon/aws-cli:2.22.35';

/**
 * The runner script; dynamic values come from environment variables and "$@", never from the text.
 * It writes the executed notebook and its HTML export to `$MLSCALE_WORK/out`. With
 * `MLSCALE_EXIT_CODE_FILE` set (NotebookJob) it records papermill's exit status there and exits 0,
 * so the uploader after it runs and then exits with that status; otherwise (pipeline steps, whose
 * outputs Argo saves whatever the exit status) it exits with papermill's status.
 */
export const PAPERMILL_SCRIPT = [
  'set -u',
  'mkdir -p "$MLSCALE_WORK/out"',
  'out="$MLSCALE_WORK/out/$MLSCALE_OUTPUT_NAME.ipynb"',
  'papermill "$MLSCALE_NOTEBOOK" "$out" --log-output "$@"',
  'rc=$?',
  'jupyter nbconvert --to html "$out" || echo "mlscale: the HTML export failed" >&2',
  'if [ -n "${MLSCALE_EXIT_CODE_FILE:-}" ]; then echo "$rc" > "$MLSCALE_EXIT_CODE_FILE"; exit 0; fi',
  'exit $rc',
  '',
].join('\n');

/** The download init container's script: the notebook from object storage into the work folder. */
export const DOWNLOAD_SCRIPT = 'set -eu\naws s3 cp --only-show-errors "$MLSCALE_INPUT_URI" "$MLSCALE_NOTEBOOK"\n';

/**
 * The uploader's script (NotebookJob): the executed notebook and HTML to `<output>/<pod name>/`,
 * the location on its log, then papermill's exit status as its own (so a failed notebook fails the Job).
 */
export const UPLOAD_SCRIPT = [
  'set -u',
  'aws s3 cp --only-show-errors --recursive "$MLSCALE_WORK/out" "$MLSCALE_OUTPUT_URI/$MLSCALE_RUN_ID/" || exit 1',
  'echo "mlscale: executed notebook and HTML export in $MLSCALE_OUTPUT_URI/$MLSCALE_RUN_ID/"',
  'exit "$(cat "$MLSCALE_EXIT_CODE_FILE")"',
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

/** Environment of the papermill runner (the user's container): where the notebook is, what to call the output. */
export function runnerEnv(o: { readonly notebookPath: string; readonly outputName: string; readonly exitCodeFile?: string }): Record<string, EnvValue> {
  return {
    MLSCALE_NOTEBOOK: o.notebookPath,
    MLSCALE_OUTPUT_NAME: o.outputName,
    MLSCALE_WORK: NOTEBOOK_WORK_DIR,
    ...(o.exitCodeFile ? { MLSCALE_EXIT_CODE_FILE: o.exitCodeFile } : {}),
  };
}

/** Environment of mlscale's AWS CLI containers: the transfer's locations, the run id (pod name) and the store's AWS settings. */
export function transferEnv(store: ObjectStore, o: { readonly inputUri?: string; readonly notebookPath?: string; readonly outputUri?: string; readonly exitCodeFile?: string }): Record<string, EnvValue> {
  return {
    ...(o.inputUri ? { MLSCALE_INPUT_URI: o.inputUri, MLSCALE_NOTEBOOK: o.notebookPath! } : {}),
    ...(o.outputUri ? { MLSCALE_OUTPUT_URI: o.outputUri, MLSCALE_RUN_ID: { fieldPath: 'metadata.name' }, MLSCALE_WORK: NOTEBOOK_WORK_DIR, MLSCALE_EXIT_CODE_FILE: o.exitCodeFile! } : {}),
    // the AWS CLI writes its cache under $HOME: the image's is root's
    HOME: '/tmp',
    ...store.awsEnv(),
  };
}

/** Rejects user environment variables that would shadow the runner's. */
export function checkUserEnv(problems: Problems, field: string, env: Readonly<Record<string, EnvValue>>): void {
  for (const k of Object.keys(env)) {
    problems.check(!RUNNER_ENV_PREFIXES.some((p) => k.startsWith(p)), `${field}.${k}`, 'is reserved for the notebook runner', k,
      `a name not starting with ${RUNNER_ENV_PREFIXES.join(' or ')}`);
  }
}
