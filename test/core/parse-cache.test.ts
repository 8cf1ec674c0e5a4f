/**
 * The parse cache (constructs/core/parse-cache.ts): a parse is done once per text and parser, across
 * processes, and a hit is never stale or shared.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

type Module = typeof import('../../constructs/core/parse-cache');

/** a fresh copy of the module (an empty in-process memo), as a new synth process has */
function freshModule(): Module {
  let m: Module | undefined;
  jest.isolateModules(() => {
    m = require('../../constructs/core/parse-cache');
  });
  return m!;
}

let root: string;
const saved = { ...process.env };
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-parse-cache-'));
  process.env.MLSCALE_PROJECT_ROOT = root;
  delete process.env.MLSCALE_PARSE_CACHE;
});
afterEach(() => {
  process.env = { ...saved };
  fs.rmSync(root, { recursive: true, force: true });
});

const cacheFiles = () => {
  const dir = path.join(root, '.mlscale', 'cache', 'parsed');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('cachedParse', () => {
  const parser = { name: 'test-json', sources: ['v1'] };

  test('the second process reads the stored result instead of parsing; each caller gets its own copy', () => {
    const parse = jest.fn((t: string) => JSON.parse(t));
    expect(freshModule().cachedParse(parser, '{"a":[1,"x"]}', parse)).toEqual({ a: [1, 'x'] });
    expect(parse).toHaveBeenCalledTimes(1);
    expect(cacheFiles()).toHaveLength(1);

    const m = freshModule();
    const first = m.cachedParse(parser, '{"a":[1,"x"]}', parse) as any;
    expect(parse).toHaveBeenCalledTimes(1);
    first.a.push('changed');
    expect(m.cachedParse(parser, '{"a":[1,"x"]}', parse)).toEqual({ a: [1, 'x'] });
    expect(parse).toHaveBeenCalledTimes(1);
  });

  test('another text, or a parser whose source changed, parses again', () => {
    const parse = jest.fn((t: string) => JSON.parse(t));
    freshModule().cachedParse(parser, '{"a":1}', parse);
    freshModule().cachedParse(parser, '{"a":2}', parse);
    freshModule().cachedParse({ name: 'test-json', sources: ['v2'] }, '{"a":1}', parse);
    expect(parse).toHaveBeenCalledTimes(3);
    expect(cacheFiles()).toHaveLength(3);
    // the same name and sources with another parse function (e.g. new options) is another parser
    // (a plain function: every jest.fn has the same source text)
    const other = (t: string) => ({ ...JSON.parse(t), other: true });
    expect(freshModule().cachedParse(parser, '{"a":1}', other)).toEqual({ a: 1, other: true });
    expect(cacheFiles()).toHaveLength(4);
  });

  test('results JSON does not keep exactly (NaN, -0, binary, class instances) are never stored', () => {
    const values: unknown[] = [{ x: Number.NaN }, [-0], { b: new Uint8Array([1]) }, { d: new Date(0) }, [1, , 2]];
    for (const v of values) {
      const parse = jest.fn(() => v);
      expect(freshModule().cachedParse(parser, `text ${String(values.indexOf(v))}`, parse)).toBe(v);
      freshModule().cachedParse(parser, `text ${String(values.indexOf(v))}`, parse);
      expect(parse).toHaveBeenCalledTimes(2);
    }
    expect(cacheFiles()).toEqual([]);
  });

  test('a cut-short cache file is parsed again and replaced; a failed parse is not stored', () => {
    const parse = jest.fn((t: string) => JSON.parse(t));
    freshModule().cachedParse(parser, '{"a":1}', parse);
    const [file] = cacheFiles();
    fs.writeFileSync(path.join(root, '.mlscale', 'cache', 'parsed', file), '{"a":');
    expect(freshModule().cachedParse(parser, '{"a":1}', parse)).toEqual({ a: 1 });
    expect(parse).toHaveBeenCalledTimes(2);
    expect(JSON.parse(fs.readFileSync(path.join(root, '.mlscale', 'cache', 'parsed', file), 'utf8'))).toEqual({ a: 1 });

    expect(() => freshModule().cachedParse(parser, '{bad', parse)).toThrow(SyntaxError);
    expect(cacheFiles()).toEqual([file]);
  });

  test('MLSCALE_PARSE_CACHE=off stores nothing; a project that cannot be written still parses', () => {
    process.env.MLSCALE_PARSE_CACHE = 'off';
    const parse = jest.fn((t: string) => JSON.parse(t));
    freshModule().cachedParse(parser, '{"a":1}', parse);
    expect(cacheFiles()).toEqual([]);
    delete process.env.MLSCALE_PARSE_CACHE;
    fs.writeFileSync(path.join(root, '.mlscale'), 'a file where the cache folder would be');
    expect(freshModule().cachedParse(parser, '{"a":1}', parse)).toEqual({ a: 1 });
    expect(parse).toHaveBeenCalledTimes(2);
  });

  test('KfpComponent.fromFile: the same component twice in two processes is parsed by yaml once', () => {
    const dir = path.join(root, 'components', 'echo');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'component.yaml'), 'name: Echo\ninputs:\n- {name: n, type: Float, default: 1e3}\nimplementation:\n  container:\n    image: python:3.12-slim\n    command: [echo, {inputValue: n}]\n');
    const load = () => {
      let spec: unknown;
      jest.isolateModules(() => {
        const yaml = require('yaml');
        const spy = jest.spyOn(yaml, 'parse');
        const { KfpComponent } = require('../../constructs/pipelines/kfp-component');
        const c = KfpComponent.fromFile('components/echo/component.yaml');
        spec = { component: { name: c.name, inputs: c.inputs, container: c.container }, yamlParses: spy.mock.calls.length };
        spy.mockRestore();
      });
      return spec as { component: any; yamlParses: number };
    };
    const first = load();
    const second = load();
    expect(first.yamlParses).toBe(1);
    expect(second.yamlParses).toBe(0);
    expect(second.component).toEqual(first.component);
    // PyYAML reads 1e3 (no dot) as a string: the cached result keeps what the parser decided
    expect(first.component.inputs[0].default).toBe('1e3');
  });
});
