/** Synth's swap of the output folder (issue 19, item 4): what an interrupted synth left, links, locale. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { MlscaleApp, byCodeUnit, k8s } from '../../constructs';
import { validationError } from '../util';

function appIn(out: string): MlscaleApp {
  const app = new MlscaleApp({ outdir: out });
  new k8s.KubeNamespace(new Chart(app, 'ns'), 'ns', { metadata: { name: 'team-a' } });
  return app;
}

describe('synth\'s output folder', () => {
  test('temporary folders a killed synth left (.charts-out-<pid>-XXXXXX, and .old trees) are removed by the next synth; a running synth\'s are kept', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-swap-'));
    const out = path.join(dir, 'charts-out');
    const dead = spawnSync('true').pid; // a process that has exited
    const running = `.charts-out-${process.ppid}-Qq1Ww2`; // another live process: a synth running now
    for (const t of [`.charts-out-${dead}-a1B2c3`, `.charts-out-${dead}-Zz9yX8.old`, running]) fs.mkdirSync(path.join(dir, t, 'x'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.charts-out-keep-me')); // not a synth temporary: left alone
    appIn(out).synth();
    expect(fs.readdirSync(dir).sort()).toEqual(['.charts-out-keep-me', running, 'charts-out'].sort());
    expect(fs.readdirSync(out)).toEqual(['ns.k8s.yaml']);
  });

  test('a symlinked output folder is refused before anything is written, and left as it was', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-swap-'));
    const real = path.join(dir, 'real');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'old.k8s.yaml'), 'kept\n');
    const link = path.join(dir, 'charts-out');
    fs.symlinkSync(real, link);
    const e = validationError(() => appIn(link).synth());
    expect(e.message).toContain(`synth: outdir is a symbolic link (to ${real}): synth replaces the folder, which would replace the link; got "${link}"`);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readdirSync(real)).toEqual(['old.k8s.yaml']);
    expect(fs.readdirSync(dir).sort()).toEqual(['charts-out', 'real']); // no temporary left
  });

  test('a file where the folder should be is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-swap-'));
    const out = path.join(dir, 'charts-out');
    fs.writeFileSync(out, 'not a folder');
    expect(validationError(() => appIn(out).synth()).message).toContain('synth: outdir is not a folder');
    expect(fs.readFileSync(out, 'utf8')).toBe('not a folder');
  });

  // root may write into a read-only folder, so the refusal is only observable as another user
  (process.getuid?.() === 0 ? test.skip : test)('a read-only output folder is refused before anything is written', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-swap-'));
    const out = path.join(dir, 'charts-out');
    fs.mkdirSync(out);
    fs.chmodSync(dir, 0o555);
    try {
      expect(validationError(() => appIn(out).synth()).message).toContain('is not writable');
    } finally {
      fs.chmodSync(dir, 0o755);
    }
  });

  test('ordering is by code unit, whatever the locale: no localeCompare in the package\'s code', () => {
    expect(['b', 'B', 'a', '_', 'ä'].sort(byCodeUnit)).toEqual(['B', '_', 'a', 'b', 'ä']);
    const root = path.resolve(__dirname, '../..');
    const grep = spawnSync('grep', ['-rln', '--include=*.ts', '-e', '\\.localeCompare(', 'constructs', 'stacks', 'examples'], { cwd: root, encoding: 'utf8' });
    expect(grep.status).toBe(1); // grep: no match
    expect(grep.stdout).toBe('');
  });
});
