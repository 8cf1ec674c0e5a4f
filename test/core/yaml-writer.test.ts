/**
 * The fast YAML writer charts are written with (issue 19, item 3) gives exactly the bytes of
 * `yaml`'s `YAML.stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' })`, the call
 * cdk8s writes charts with: over every document of charts-out, and over random JSON documents whose
 * strings mix YAML's indicator characters, spaces, newlines, numbers-as-text and 1.1 words.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { FastYamlWriter } from '../../constructs/core/yaml-writer';

const OPTS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };
const OUT = path.resolve(__dirname, '..', '..', 'charts-out');

describe('FastYamlWriter', () => {
  test('every document of charts-out comes out byte-identical to yaml\'s', () => {
    const files = (fs.readdirSync(OUT, { recursive: true }) as string[]).filter((f) => f.endsWith('.k8s.yaml'));
    const docs = files.flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(OUT, f), 'utf8')).map((d) => d.toJS()));
    expect(docs.length).toBeGreaterThan(250);
    const w = new FastYamlWriter();
    const differ = docs.filter((d) => w.stringify(d) !== YAML.stringify(d, OPTS)).map((d) => `${d.kind}/${d.metadata?.name}`);
    expect(differ).toEqual([]);
  });

  test('random documents: the same bytes as yaml (property, 2,000 runs)', () => {
    const tricky = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', '_', '.', '/', ':', '#', ' ', '\n', '"', "'", '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?', '~', '$', '\t', 'é') , maxLength: 12 }),
      fc.constantFrom('yes', 'No', 'on', 'OFF', 'null', '~', 'true', '1.5', '0x1F', '1_000', '1:20', '2026-12-02', '.inf', '-', '- a', 'a: b', 'a #b', ' lead', 'trail ', 'x\n', 'x\n\n', '\ny', '', '500m', '2Gi', 'nvidia.com/gpu', 'E0', 'e5', '1e5', '0b1', '017', '12:30', '2026-1-2', '<<', 'Yes', 'n', '_1', '0.5'),
    );
    const scalar = fc.oneof(tricky, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
    const key = fc.oneof(fc.constantFrom('name', 'app.kubernetes.io/name', '$patch', '1', 'true', 'a b', 'x:y'), fc.string({ maxLength: 6 }));
    const doc = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
      top: fc.oneof(fc.dictionary(key, tie('node'), { maxKeys: 5 }), fc.array(tie('node'), { maxLength: 4 })),
    })).top;
    const w = new FastYamlWriter();
    fc.assert(fc.property(doc, (d) => w.stringify(d) === YAML.stringify(d, OPTS)), { numRuns: 2000, seed: 20261202 });
  });

  test('what it does not lay out itself (undefined, class instances) is written by yaml', () => {
    const w = new FastYamlWriter();
    for (const d of [{ a: undefined }, { a: [1, undefined] }, { d: new Date(0) }, 'top-level scalar']) expect(w.stringify(d)).toBe(YAML.stringify(d, OPTS));
  });
});
