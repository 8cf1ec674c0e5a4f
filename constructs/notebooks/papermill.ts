import * as YAML from 'yaml';
import { Problems } from '../core/errors';
import { EnvValue } from '../core/pod';
import { ObjectStore } from '../storage/object-store';

/** A papermill parameter value. */
export type NotebookParameterValue = string | number | boolean | readonly (string | number | boolean)[];

/**
 * The image contract of notebook runs: the user's runtime image must provide `python3` with
 * `papermill`, `nbconvert` (the `jupyter nbconvert` command) and `boto3` (uploads to the object
 * store). The run script below needs only `/bin/sh`.
 */
export const NOTEBOOK_IMAGE_CONTRACT = 'python3 with papermill, nbconvert and boto3; /bin/sh';

/** Where an executed notebook is written. */
export interface NotebookRunOutput {
  /** The store the executed .ipynb and its .html export are uploaded to. */
  readonly store: ObjectStore;
  /** Key path under the store's prefix, e.g. `notebooks/team-a/train`. */
  readonly path: string;
  /** Run-specific segment (e.g. the job or workflow name from the downward API / Argo). */
  readonly runId: EnvValue;
}

/** What a container needs to run one notebook with papermill. */
export interface PapermillRun {
  readonly command: string[];
  readonly env: Record<string, EnvValue>;
}

// Runs the notebook, exports HTML, and uploads both even when the notebook failed (the executed
// notebook shows where), then exits with papermill's status. User values arrive through the
// environment only: nothing user-provided is interpolated into the script text.
const RUN_SCRIPT = `set -u
work=/tmp/mlscale-notebook
mkdir -p "$work"
out="$work/$(basename "$MLSCALE_NOTEBOOK_INPUT" .ipynb).ipynb"
status=0
printf '%s' "$MLSCALE_PAPERMILL_PARAMETERS" > "$work/parameters.yaml"
python3 -m papermill "$MLSCALE_NOTEBOOK_INPUT" "$out" -f "$work/parameters.yaml" --log-output || status=$?
python3 -m nbconvert --to html "$out" --output-dir "$work" || true
python3 - "$work" <<'PY'
import os, sys, boto3
work = sys.argv[1]
prefix = "%s/%s" % (os.environ["MLSCALE_OUTPUT_PREFIX"].rstrip("/"), os.environ["MLSCALE_RUN_ID"])
bucket, _, key = prefix[len("s3://"):].partition("/")
s3 = boto3.client("s3")
for name in sorted(os.listdir(work)):
    if name.endswith((".ipynb", ".html")):
        s3.upload_file(os.path.join(work, name), bucket, "%s/%s" % (key, name))
        print("uploaded s3://%s/%s/%s" % (bucket, key, name))
PY
exit $status
`;

/** Checks papermill parameters: Python identifiers, scalar or flat-list values. */
export function checkNotebookParameters(problems: Problems, field: string, parameters: Readonly<Record<string, NotebookParameterValue>>): void {
  for (const [name, value] of Object.entries(parameters)) {
    problems.check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(name), `${field}.${name}`, 'is not a valid Python identifier', name, 'letters, digits and _, not starting with a digit');
    const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    problems.check(scalar(value) || (Array.isArray(value) && value.every(scalar)), `${field}.${name}`, 'is not a supported parameter value', value,
      'a string, a finite number, a boolean, or a list of those');
  }
}

/** The parameters as the YAML papermill reads with `-f` (keys sorted: deterministic). */
export function papermillParametersYaml(parameters: Readonly<Record<string, NotebookParameterValue>>): string {
  const sorted = Object.fromEntries(Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b)));
  return Object.keys(sorted).length ? YAML.stringify(sorted) : '{}\n';
}

/**
 * The command and environment that run `inputPath` (a path inside the container) with papermill
 * and upload the executed notebook and its HTML export to `output.store` under
 * `<prefix>/<output.path>/<runId>/`.
 */
export function papermillRun(inputPath: string, parameters: Readonly<Record<string, NotebookParameterValue>>, output: NotebookRunOutput): PapermillRun {
  return {
    command: ['/bin/sh', '-c', RUN_SCRIPT],
    env: {
      MLSCALE_NOTEBOOK_INPUT: inputPath,
      MLSCALE_PAPERMILL_PARAMETERS: papermillParametersYaml(parameters),
      MLSCALE_OUTPUT_PREFIX: output.store.uri(output.path),
      MLSCALE_RUN_ID: output.runId,
      ...output.store.env(),
    },
  };
}
