/**
 * The notebook runner's scripts, run by /bin/sh with stand-ins for papermill, jupyter and aws
 * (written here: they record their arguments and write what the real tools would), in the order
 * the NotebookJob pod runs them: papermill (init container), then the uploader.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DOWNLOAD_SCRIPT, PAPERMILL_SCRIPT, UPLOAD_SCRIPT } from '../../constructs';

function sandbox(papermillExit: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-runner-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const log = path.join(dir, 'calls.log');
  const stub = (name: string, body: string) => {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`);
    fs.chmodSync(path.join(bin, name), 0o755);
  };
  stub('papermill', `cp "$1" "$2"; exit ${papermillExit}`);
  stub('jupyter', 'cp "$4" "${4%.ipynb}.html"');
  stub('aws', 'if [ "$2" = cp ] && [ "$3" = --only-show-errors ] && [ "$4" != --recursive ]; then echo "{}" > "$5"; fi');
  const work = path.join(dir, 'work');
  const env = { PATH: `${bin}:/usr/bin:/bin`, MLSCALE_WORK: work, MLSCALE_OUTPUT_NAME: 'train', MLSCALE_EXIT_CODE_FILE: path.join(work, 'exit-code') };
  return { dir, log, work, env };
}

const sh = (script: string, env: Record<string, string>, args: string[] = []) => spawnSync('/bin/sh', ['-c', script, 'mlscale-papermill', ...args], { env, encoding: 'utf8' });

describe('the NotebookJob runner scripts', () => {
  test.each([0, 3])('papermill exits %i: the outputs are uploaded, and the uploader exits with papermill\'s status', (rc) => {
    const s = sandbox(rc);
    const nb = path.join(s.dir, 'in.ipynb');
    fs.writeFileSync(nb, '{"cells": [], "nbformat": 4}');
    const run = sh(PAPERMILL_SCRIPT, { ...s.env, MLSCALE_NOTEBOOK: nb }, ['-p', 'epochs', '20']);
    expect(run.status).toBe(0); // the init container succeeds so the uploader runs
    expect(fs.readFileSync(path.join(s.work, 'exit-code'), 'utf8').trim()).toBe(String(rc));
    expect(fs.readdirSync(path.join(s.work, 'out')).sort()).toEqual(['train.html', 'train.ipynb']);
    const up = sh(UPLOAD_SCRIPT, { ...s.env, MLSCALE_OUTPUT_URI: 's3://b/p/notebooks/train', MLSCALE_RUN_ID: 'train-abc12' });
    expect(up.status).toBe(rc);
    expect(up.stdout).toContain('mlscale: executed notebook and HTML export in s3://b/p/notebooks/train/train-abc12/');
    expect(fs.readFileSync(s.log, 'utf8').split('\n').filter(Boolean)).toEqual([
      `papermill ${nb} ${s.work}/out/train.ipynb --log-output -p epochs 20`,
      `jupyter nbconvert --to html ${s.work}/out/train.ipynb`,
      `aws s3 cp --only-show-errors --recursive ${s.work}/out s3://b/p/notebooks/train/train-abc12/`,
    ]);
  });

  test('without an exit-code file (pipeline steps) the runner exits with papermill\'s status; the download script fetches the source', () => {
    const s = sandbox(2);
    const nb = path.join(s.dir, 'source', 'notebook.ipynb');
    fs.mkdirSync(path.dirname(nb));
    const { MLSCALE_EXIT_CODE_FILE: _unused, ...stepEnv } = s.env;
    expect(sh(DOWNLOAD_SCRIPT, { ...s.env, MLSCALE_INPUT_URI: 's3://b/p/notebooks/x.ipynb', MLSCALE_NOTEBOOK: nb }).status).toBe(0);
    expect(fs.existsSync(nb)).toBe(true);
    expect(sh(PAPERMILL_SCRIPT, { ...stepEnv, MLSCALE_NOTEBOOK: nb }).status).toBe(2);
    expect(fs.existsSync(path.join(s.work, 'out', 'train.ipynb'))).toBe(true); // Argo still saves it
  });

  test('the scripts are valid POSIX sh (sh -n)', () => {
    for (const script of [PAPERMILL_SCRIPT, UPLOAD_SCRIPT, DOWNLOAD_SCRIPT]) expect(() => execFileSync('/bin/sh', ['-n', '-c', script])).not.toThrow();
  });
});
