/**
 * Every TypeScript snippet of the README compiles against the package (DEVELOPERS: "every snippet
 * compiles"). Each ```ts block becomes a module: its own imports (paths made relative to the
 * package), every runtime export of `constructs` and cdk8s's Chart/Duration/JsonPatch otherwise, and
 * the names the README's prose gives the reader (`app`, `chart`, `models`, …) declared with their
 * types. The snippet's body runs inside a function, so a snippet may declare one of those names again.
 */
import * as fs from 'fs';

import * as path from 'path';
import * as ts from 'typescript';
import * as constructs from '../constructs';

const ROOT = path.resolve(__dirname, '..');

/** The ```ts blocks of the README, dedented (some are inside list items). */
export function readmeSnippets(text: string): Array<{ line: number; code: string }> {
  const out: Array<{ line: number; code: string }> = [];
  const re = /^( *)```ts\n([\s\S]*?)^\1```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const indent = m[1].length;
    const code = m[2].split('\n').map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n');
    out.push({ line: text.slice(0, m.index).split('\n').length + 1, code });
  }
  return out;
}

/** What the prose around the snippets calls by name, typed. */
const CONTEXT = `
declare const app: MlscaleApp;
declare const chart: Chart;
declare const gatewayChart: Chart;
declare const models: SharedVolume;
declare const teamA: Team;
declare const teamB: Team;
declare const teams: Readonly<Record<'team-a' | 'team-b', Team>>;
declare const gateway: DaskGateway;
declare const artifacts: ObjectStore;
declare const image: string;
declare const workers: NonNullable<NonNullable<ConstructorParameters<typeof DaskCluster>[2]>['workers']>;
declare const NOTEBOOK_IMAGE: string;
`;

function moduleOf(code: string, dir: string): string {
  const importRe = /^import[\s\S]*?from\s+'([^']+)';\s*$/gm;
  const own: string[] = [];
  const ownNames = new Set<string>();
  const body = code.replace(importRe, (stmt: string, from: string) => {
    const resolved = from.startsWith('.') ? path.relative(dir, path.join(ROOT, 'apps', from)).split(path.sep).join('/') : from;
    own.push(from.startsWith('.') ? stmt.replace(`'${from}'`, `'${resolved.startsWith('.') ? resolved : `./${resolved}`}'`) : stmt);
    for (const n of /\{([^}]*)\}/.exec(stmt)?.[1].split(',') ?? []) ownNames.add(n.trim().split(/\s+as\s+/).pop()!);
    return '';
  });
  const rel = (p: string) => path.relative(dir, path.join(ROOT, p)).split(path.sep).join('/');
  const values = Object.keys(constructs).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && !ownNames.has(k));
  const cdk8s = ['Chart', 'Duration', 'JsonPatch'].filter((k) => !ownNames.has(k));
  const apps = ['ARTIFACT_BUCKET', 'PLATFORM_GPU_CLASSES', 'PLATFORM_REPOSITORY'].filter((k) => !ownNames.has(k));
  return [
    '/* eslint-disable */',
    ...own,
    `import { ${values.join(', ')} } from '${rel('constructs')}';`,
    `import { ${cdk8s.join(', ')} } from 'cdk8s';`,
    `import { ${apps.join(', ')} } from '${rel('examples/apps/platform')}';`,
    `import { ENVIRONMENTS, addInference } from '${rel('examples/apps/gitops')}';`,
    CONTEXT,
    // a snippet may export (an app module): those stay top-level, the rest runs in a function
    /^export /m.test(body) ? body : `export function snippet(): void {\n${body}\n}`,
    '',
  ].join('\n');
}

describe('README snippets', () => {
  const snippets = readmeSnippets(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));

  test('the README has TypeScript snippets for every capability section', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(12);
  });

  test('every one type-checks against the package', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.snippets-'));
    try {
      const files = snippets.map((s, i) => {
        const file = path.join(dir, `snippet-${i}.ts`);
        fs.writeFileSync(file, moduleOf(s.code, dir));
        return { file, line: s.line };
      });
      const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.dev.json'), ts.sys.readFile);
      const options = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
      const program = ts.createProgram(files.map((f) => f.file), { ...options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false });
      const problems = ts.getPreEmitDiagnostics(program)
        .filter((d) => d.file && files.some((f) => f.file === d.file!.fileName))
        .map((d) => {
          const f = files.find((x) => x.file === d.file!.fileName)!;
          const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
          return `README snippet at line ${f.line} (generated line ${line + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        });
      expect(problems).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

