/**
 * Parsed files remembered between synths.
 *
 * `yaml` parses ~15 kB of component.yaml in ~40 ms in a fresh process (its parser is not yet
 * compiled by V8), which was an eighth of `npm run synth`. A parse is a pure function of the text, so
 * its result is kept as JSON under `<project root>/.mlscale/cache/parsed/`, named by the sha256 of
 * the parser's identity and the text: a changed file, parser (its source text is part of the
 * identity) or `yaml` version is a different name, never a stale hit. Only results JSON keeps
 * exactly are stored (no NaN, Infinity, -0, binary or class instances); a failed parse is not
 * stored (the error comes again next time). `MLSCALE_PARSE_CACHE=off` turns the cache off; a cache
 * folder that cannot be written only costs the next synth its parse.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from './paths';

/** What identifies a parser besides the parse function itself: a name and the functions (or other values) it calls whose text decides its result. */
export interface ParserIdentity {
  readonly name: string;
  readonly sources: readonly unknown[];
}

const IDS = new Map<string, string>();
const MEMO = new Map<string, string>();

function yamlVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return String(require('yaml/package.json').version);
  } catch {
    return '';
  }
}

/** The hash of what decides a parse's result: the parser's name and sources, the parse function's own text, `yaml`'s version. */
function parserId(p: ParserIdentity, parse: (text: string) => unknown): string {
  const material = [p.name, yamlVersion(), ...p.sources.map(String), String(parse)].join('\0');
  let id = IDS.get(material);
  if (id === undefined) {
    id = createHash('sha256').update(material).digest('hex');
    IDS.set(material, id);
  }
  return id;
}

/** `parse(text)`, from the cache when this parser parsed this text before (in this process or a synth before). */
export function cachedParse<T>(parser: ParserIdentity, text: string, parse: (text: string) => T): T {
  const key = createHash('sha256').update(parserId(parser, parse)).update('\0').update(text).digest('hex');
  // a fresh copy for every caller: callers may change what they get
  const memo = MEMO.get(key);
  if (memo !== undefined) return JSON.parse(memo) as T;
  const enabled = process.env.MLSCALE_PARSE_CACHE !== 'off';
  const file = path.join(projectRoot(), '.mlscale', 'cache', 'parsed', `${key}.json`);
  if (enabled) {
    try {
      const json = fs.readFileSync(file, 'utf8');
      const value = JSON.parse(json) as T;
      MEMO.set(key, json);
      return value;
    } catch {
      // not cached yet (or unreadable, or cut short): parse
    }
  }
  const value = parse(text);
  if (jsonExact(value)) {
    const json = JSON.stringify(value);
    MEMO.set(key, json);
    if (enabled) store(file, json);
  }
  return value;
}

function store(file: string, json: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, json);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only project: no cache
  }
}

/** Whether JSON.parse(JSON.stringify(v)) gives back exactly v. */
export function jsonExact(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonExact(v[i])) return false;
    return true;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    // a __proto__ key is left to the parser every time (not worth the doubt)
    return Object.keys(v).every((k) => k !== '__proto__' && jsonExact((v as Record<string, unknown>)[k]));
  }
  return false;
}
