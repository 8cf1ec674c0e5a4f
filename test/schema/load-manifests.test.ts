/** `npm run validate -- <file>` (issue 19): one file is validated as well as a folder. */
import * as path from 'path';
import { loadManifests, packageRoot } from '../../constructs';

describe('loadManifests', () => {
  test('one file: its documents; a folder: every YAML file under it', () => {
    const file = path.join(packageRoot(), 'charts-out', 'platform.k8s.yaml');
    const one = loadManifests(file);
    expect(one.map((d) => d.doc.kind)).toEqual(['Namespace', 'NetworkPolicy', 'NetworkPolicy', 'Job']);
    expect(one.every((d) => d.file === file)).toBe(true);
    expect(loadManifests(path.dirname(file)).filter((d) => d.file === file)).toHaveLength(4);
  });
});
