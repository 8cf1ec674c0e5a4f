/**
 * What must not compile (issue 18): a string where a typed reference is required, and a wrong field
 * or value type in a custom-resource spec. tsc runs on test/fixtures/compile-errors/wrong-use.ts
 * (excluded from the project's own type-check) with the project's compiler options; every line
 * marked `EXPECT: <text>` must carry an error containing <text>, and no other line an error.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'compile-errors', 'wrong-use.ts');

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: true, incremental: false, skipLibCheck: true, esModuleInterop: true };
}

describe('compile-time errors', () => {
  test('each marked line of the fixture fails type-checking with the expected message, and nothing else does', () => {
    const program = ts.createProgram([FIXTURE], compilerOptions());
    const sf = program.getSourceFile(FIXTURE)!;
    const errors = new Map<number, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      expect(d.file?.fileName).toBe(FIXTURE); // the library itself compiles
      const line = sf.getLineAndCharacterOfPosition(d.start!).line + 1;
      errors.set(line, [...(errors.get(line) ?? []), ts.flattenDiagnosticMessageText(d.messageText, ' ')]);
    }
    const expected = new Map<number, string>();
    sf.text.split('\n').forEach((l, i) => {
      const m = /\/\/ EXPECT: (.*)$/.exec(l);
      if (m) expected.set(i + 1, m[1].trim());
    });
    expect(expected.size).toBeGreaterThanOrEqual(18);
    const missing = [...expected].filter(([line, text]) => !(errors.get(line) ?? []).some((e) => e.includes(text))).map(([line, text]) => `line ${line}: ${text} (got ${JSON.stringify(errors.get(line) ?? [])})`);
    const unexpected = [...errors].filter(([line]) => !expected.has(line)).map(([line, e]) => `line ${line}: ${e.join('; ')}`);
    expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
  });

  test('Plain<T> uses the JSON field names: every prop a CRD binding renames is in BindingRenames, with its JSON name', () => {
    const imports = path.join(ROOT, 'constructs', 'imports');
    const renames = new Map<string, Set<string>>();
    for (const f of fs.readdirSync(imports).filter((x) => x.endsWith('.ts'))) {
      for (const m of fs.readFileSync(path.join(imports, f), 'utf8').matchAll(/^\s+'([^']+)': .*\bobj\.([A-Za-z0-9_]+)/gm)) {
        // JSON-schema keywords ($ref, $schema, x-kubernetes-*) of CRD schema types: never in a spec mlscale writes
        if (m[1] !== m[2] && !m[1].startsWith('x-kubernetes-') && !m[1].startsWith('$')) renames.set(m[2], new Set([...(renames.get(m[2]) ?? []), m[1]]));
      }
    }
    const declared = new Map([...fs.readFileSync(path.join(ROOT, 'constructs', 'core', 'cr-spec.ts'), 'utf8').matchAll(/(\w+): '([^']+)';/g)].map((m) => [m[1], m[2]]));
    expect(renames.size).toBeGreaterThan(20);
    // one JSON name per prop across the bindings (else one table could not serve them all), and the table is exactly that
    expect([...renames].filter(([, json]) => json.size > 1)).toEqual([]);
    expect(Object.fromEntries([...declared].sort())).toEqual(Object.fromEntries([...renames].map(([camel, json]) => [camel, [...json][0]]).sort()));
  });
});
