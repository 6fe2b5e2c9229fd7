// `.readiness.yaml`: the schema (zod), loading with positioned errors, and defaults.
// The same zod schema validates the file here and generates the JSON schema that the
// editor uses (scripts/gen-schema.ts), so the two never disagree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { inspectDocument, parseYamlDocuments, YamlLimitError } from './parse/yaml';
import { z } from 'zod';
import { decode, lineStartsOf, offsetToPos } from './text';
import { CATEGORIES, DEFAULT_CATEGORY_WEIGHTS, type Category, type Level } from './types';

export interface ReadinessConfig {
  rules: Record<string, Level>;
  include: string[];
  ignore: string[];
  maxFileSize: number;
  publicRoutes: string[];
  authGuards: string[];
  weights: Partial<Record<Category, number>>;
  failUnder?: number;
}

export interface ConfigIssue {
  file: string;
  /** Dotted path of the offending key, e.g. "rules.k8s/probes" ("" for the whole file). */
  key: string;
  /** 1-based; 0 when the problem has no place in the file (a missing file). */
  line: number;
  /** 1-based, UTF-16 code units; 0 with line 0. */
  column: number;
  /** End of the offending key or value (exclusive), when known. */
  endLine?: number;
  endColumn?: number;
  message: string;
}

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
export const CONFIG_FILE_NAME = '.readiness.yaml';
/** Names looked for at a root, in order. */
export const CONFIG_FILE_NAMES = [CONFIG_FILE_NAME, '.readiness.yml'] as const;

export const LEVELS = ['off', 'info', 'warning', 'error'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ALL'] as const;

export function defaultConfig(): ReadinessConfig {
  return { rules: {}, include: [], ignore: [], maxFileSize: DEFAULT_MAX_FILE_SIZE, publicRoutes: [], authGuards: [], weights: {} };
}

export interface LoadedConfig {
  config: ReadinessConfig;
  /** Absolute path of the file that was read, if any. */
  file?: string;
  issues: ConfigIssue[];
}

// A public route: a path glob starting with `/`, optionally after an HTTP method (any case) or `*`.
// Written without regex flags so that the JSON schema's `pattern` means exactly the same.
const METHOD_ALTERNATIVES = HTTP_METHODS.flatMap((m) => [m, m.toLowerCase()]).join('|');
const PUBLIC_ROUTE = new RegExp(`^(?:(?:${METHOD_ALTERNATIVES}|\\*)[ \\t]+)?/\\S*$`);
const PUBLIC_ROUTE_MESSAGE = 'expected a path glob starting with "/" like "/webhooks/**", optionally after an HTTP method: "POST /webhooks/**"';

/** Splits a `publicRoutes` entry: `"POST /webhooks/**"` → method POST, path `/webhooks/**`; no method (or ALL, `*`) matches any. */
export function parsePublicRoute(entry: string): { method?: string; path: string } {
  const m = /^(\S+)[ \t]+(\/\S*)$/.exec(entry.trim());
  if (!m) return { path: entry.trim() };
  const method = m[1]!.toUpperCase();
  return method === 'ALL' || method === '*' ? { path: m[2]! } : { method, path: m[2]! };
}

const TOP_LEVEL_KEYS = ['rules', 'include', 'ignore', 'maxFileSize', 'publicRoutes', 'authGuards', 'weights', 'failUnder'] as const;

/** What a valid file holds (every setting optional). */
interface RawConfig {
  rules?: Record<string, Level | undefined>;
  include?: string[];
  ignore?: string[];
  maxFileSize?: number;
  publicRoutes?: string[];
  authGuards?: string[];
  weights?: Partial<Record<Category, number>>;
  failUnder?: number;
}

/**
 * The zod schema of `.readiness.yaml`. With `knownRuleIds`, `rules` accepts exactly those ids
 * (and the generated JSON schema lists them, for completion); without, any id.
 */
export function configSchema(knownRuleIds?: Iterable<string>) {
  const level = z.enum(LEVELS).meta({ description: 'off: the rule does not run and leaves the score; info, warning, error: the severity of its findings.' });
  const ids = knownRuleIds ? [...new Set(knownRuleIds)].sort() : undefined;
  const rules = ids ? z.strictObject(Object.fromEntries(ids.map((id) => [id, level.optional()]))) : z.record(z.string(), level);
  const globs = z.array(z.string().min(1));
  const weights = z.strictObject(
    Object.fromEntries(CATEGORIES.map((c) => [c, z.number().min(0).optional().meta({ description: `Weight of the ${c} category in the overall score (default ${DEFAULT_CATEGORY_WEIGHTS[c]}).` })])),
  );
  return z
    .strictObject({
      rules: rules.optional().meta({
        description: 'Rule levels by rule id (e.g. "k8s/probes: off"). They override editor settings; `--rule` on the command line overrides them.',
      }),
      include: globs.optional().meta({
        description: 'Globs of paths to scan although they are excluded by default (node_modules, dist, build, vendor, virtualenvs ...).',
        examples: [['vendor/our-lib/**']],
      }),
      ignore: globs.optional().meta({ description: 'Globs of paths never to scan, on top of .gitignore and the default excludes.', examples: [['examples/**', '**/*.generated.ts']] }),
      maxFileSize: z
        .number()
        .int()
        .positive()
        .optional()
        .meta({ description: `Files larger than this many bytes are skipped (default ${DEFAULT_MAX_FILE_SIZE}).`, default: DEFAULT_MAX_FILE_SIZE }),
      publicRoutes: z
        .array(z.string().regex(PUBLIC_ROUTE, PUBLIC_ROUTE_MESSAGE))
        .optional()
        .meta({
          description: 'Routes that need no authentication (http/route-auth): path globs, optionally prefixed by an HTTP method.',
          examples: [['/webhooks/**', 'POST /public/signup']],
        }),
      authGuards: z
        .array(z.string().min(1))
        .optional()
        .meta({ description: 'Extra middleware, decorator or dependency names that count as authentication.', examples: [['requireSession', 'verify_api_key']] }),
      weights: weights.optional().meta({ description: 'Category weights in the overall score; a category left out keeps its default.' }),
      failUnder: z
        .number()
        .min(0)
        .max(100)
        .optional()
        .meta({ description: 'The CLI exits with 1 when the overall score is below this (0-100); --fail-under overrides it.' }),
    })
    .meta({ title: 'Readiness configuration (.readiness.yaml)' });
}

/** The JSON schema of `.readiness.yaml` (draft-07, what YAML and JSON editors support best). */
export function configJsonSchema(knownRuleIds?: Iterable<string>): Record<string, unknown> {
  return z.toJSONSchema(configSchema(knownRuleIds), { target: 'draft-7' }) as Record<string, unknown>;
}

type PathSegment = string | number;

function dotted(p: readonly PathSegment[]): string {
  return p.reduce<string>((s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : s ? `${s}.${seg}` : seg), '');
}

function valueAt(value: unknown, p: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function suggestion(word: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? `; did you mean '${best}'?` : '';
}

const EXPECTED_TYPE: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** One zod issue as positioned problems (an unknown-keys issue names each key). */
function explain(issue: z.core.$ZodIssue, value: unknown, knownRuleIds: ReadonlySet<string> | undefined): { path: PathSegment[]; message: string }[] {
  const p = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const parent = dotted(p);
        let message: string;
        if (parent === 'rules') message = `unknown rule id '${key}'${suggestion(key, knownRuleIds ?? [])}`;
        else if (parent === 'weights') message = `unknown category '${key}' (expected one of ${CATEGORIES.join(', ')})${suggestion(key, CATEGORIES)}`;
        else if (parent === '') message = `unknown setting '${key}' (expected one of ${TOP_LEVEL_KEYS.join(', ')})${suggestion(key, TOP_LEVEL_KEYS)}`;
        else message = `unknown key '${key}'`;
        return { path: [...p, key], message };
      });
    case 'invalid_value':
      return [{ path: p, message: `expected one of ${issue.values.map(String).join(', ')}, got ${describeValue(valueAt(value, p))}` }];
    case 'invalid_type': {
      const expected = EXPECTED_TYPE[issue.expected] ?? issue.expected;
      return [{ path: p, message: `expected ${expected}, got ${describeValue(valueAt(value, p))}` }];
    }
    case 'too_small':
      if (issue.origin === 'string') return [{ path: p, message: 'must not be empty' }];
      return [{ path: p, message: issue.inclusive ? `must be at least ${String(issue.minimum)}` : `must be greater than ${String(issue.minimum)}` }];
    case 'too_big':
      return [{ path: p, message: issue.inclusive ? `must be at most ${String(issue.maximum)}` : `must be less than ${String(issue.maximum)}` }];
    default:
      return [{ path: p, message: issue.message }];
  }
}

/** Where a path points in the document: a mapping entry's key, a list item, else the nearest parent. */
function locate(doc: Document, p: readonly PathSegment[]): [number, number] | undefined {
  let node: unknown = doc.contents;
  let found: [number, number] | undefined = isScalar(node) || isMap(node) || isSeq(node) ? rangeOf(node.range) : undefined;
  for (const seg of p) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(seg));
      if (!pair) break;
      if (isScalar(pair.key) && pair.key.range) found = rangeOf(pair.key.range);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!(isScalar(item) || isMap(item) || isSeq(item))) break;
      if (item.range) found = rangeOf(item.range);
      node = item;
    } else break;
  }
  return found;
}

/** The mapping key that starts at `offset`, if any: its path and range. */
function keyAt(node: unknown, offset: number, prefix: PathSegment[] = []): { path: PathSegment[]; range: [number, number] } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const p = [...prefix, String(pair.key.value)];
      const r = pair.key.range;
      if (r && r[0] === offset) return { path: p, range: [r[0], r[1]] };
      const inner = keyAt(pair.value, offset, p);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const inner = keyAt(node.items[i], offset, [...prefix, i]);
      if (inner) return inner;
    }
  }
  return undefined;
}

function rangeOf(r: readonly [number, number, number] | null | undefined): [number, number] | undefined {
  return r ? [r[0], r[1]] : undefined;
}

/** Removes the values at the given paths (list items drop out of their lists). */
function without(value: Record<string, unknown>, paths: readonly PathSegment[][]): Record<string, unknown> {
  const copy = structuredClone(value);
  const REMOVED = Symbol('removed');
  const lists = new Set<unknown[]>();
  for (const p of paths) {
    const parent = valueAt(copy, p.slice(0, -1));
    const last = p[p.length - 1]!;
    if (Array.isArray(parent) && typeof last === 'number') {
      parent[last] = REMOVED;
      lists.add(parent);
    } else if (parent !== null && typeof parent === 'object') delete (parent as Record<string, unknown>)[last];
  }
  for (const list of lists) {
    const kept = list.filter((v) => v !== REMOVED);
    list.length = 0;
    list.push(...kept);
  }
  return copy;
}

function toConfig(raw: RawConfig): ReadinessConfig {
  const config = defaultConfig();
  for (const [id, level] of Object.entries(raw.rules ?? {})) if (level !== undefined) config.rules[id] = level;
  if (raw.include) config.include = raw.include;
  if (raw.ignore) config.ignore = raw.ignore;
  if (raw.maxFileSize !== undefined) config.maxFileSize = raw.maxFileSize;
  if (raw.publicRoutes) config.publicRoutes = raw.publicRoutes;
  if (raw.authGuards) config.authGuards = raw.authGuards;
  for (const c of CATEGORIES) if (raw.weights?.[c] !== undefined) config.weights[c] = raw.weights[c];
  if (raw.failUnder !== undefined) config.failUnder = raw.failUnder;
  return config;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/**
 * Parses and validates the text of a config file. `fileLabel` names the file in issues.
 * Problems never throw: each is an issue with the offending key's line and column, and the
 * config keeps every setting that is valid (a YAML syntax error keeps none).
 */
export function parseConfigText(text: string, fileLabel: string, knownRuleIds?: ReadonlySet<string>): LoadedConfig {
  const lineStarts = lineStartsOf(text);
  const issueAt = (key: string, at: [number, number] | undefined, message: string): ConfigIssue => {
    if (!at) return { file: fileLabel, key, line: 1, column: 1, message };
    const start = offsetToPos(lineStarts, at[0]);
    const end = offsetToPos(lineStarts, Math.max(at[0], at[1]));
    return { file: fileLabel, key, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, message };
  };

  // Measure the nesting first: the library's recursive steps must never meet a hostile depth.
  try {
    const [first] = parseYamlDocuments(text);
    const problem = first && inspectDocument(first);
    // Duplicate keys are reported below, at the key, with the library's own check.
    if (problem && problem.message !== 'Map keys must be unique') return { config: defaultConfig(), issues: [issueAt('', [problem.offset, problem.offset + 1], `invalid YAML: ${problem.message}`)] };
  } catch (e) {
    if (e instanceof YamlLimitError) return { config: defaultConfig(), issues: [issueAt('', [e.offset, e.offset + 1], `invalid YAML: ${e.message}`)] };
    throw e;
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const duplicate = e.code === 'DUPLICATE_KEY' ? keyAt(doc.contents, e.pos[0]) : undefined;
      if (duplicate) return issueAt(dotted(duplicate.path), duplicate.range, `duplicate key '${String(duplicate.path[duplicate.path.length - 1])}'`);
      return issueAt('', [e.pos[0], e.pos[1]], `invalid YAML: ${firstLine(e.message)}`);
    });
    return { config: defaultConfig(), issues: sortIssues(issues) };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { config: defaultConfig(), issues: [issueAt('', rangeOf(doc.range), `invalid YAML: ${firstLine((e as Error).message)}`)] };
  }
  if (value === null || value === undefined) return { config: defaultConfig(), issues: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { config: defaultConfig(), issues: [issueAt('', locate(doc, []), `expected a mapping of settings (${TOP_LEVEL_KEYS.join(', ')}), got ${describeValue(value)}`)] };
  }
  // A key written with nothing after it (`rules:` with every entry commented out) is unset.
  let settings = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));

  const schema = configSchema(knownRuleIds);
  const issues: ConfigIssue[] = [];
  // Report every problem, then drop the offending values and validate again, so that the
  // valid rest of the file still applies.
  for (let round = 0; round < 8; round++) {
    const result = schema.safeParse(settings);
    if (result.success) return { config: toConfig(result.data as RawConfig), issues: sortIssues(issues) };
    const problems = result.error.issues.flatMap((i) => explain(i, settings, knownRuleIds));
    for (const pr of problems) {
      const key = dotted(pr.path);
      if (!issues.some((i) => i.key === key && i.message === pr.message)) issues.push(issueAt(key, locate(doc, pr.path), pr.message));
    }
    if (problems.some((pr) => pr.path.length === 0)) break;
    settings = without(settings, problems.map((pr) => pr.path));
  }
  return { config: defaultConfig(), issues: sortIssues(issues) };
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

function readText(abs: string): { text: string } | { error: string } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'config file not found' : code === 'EISDIR' ? 'config file is a directory' : `cannot read config file (${code ?? (e as Error).message})` };
  }
  const decoded = decode(bytes);
  return decoded.ok ? { text: decoded.text } : { error: `config file is not text (${decoded.reason})` };
}

/** How a root's config file is named in issues: relative to the working directory when inside it. */
function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/**
 * Loads `explicitFile` if given (relative to the working directory; it replaces the root's
 * file), else `<root>/.readiness.yaml` if present, else defaults. With `knownRuleIds`,
 * unknown rule ids under `rules` are issues.
 */
export function loadConfig(root: string, explicitFile?: string, knownRuleIds?: ReadonlySet<string>): LoadedConfig {
  if (explicitFile !== undefined) {
    const abs = path.resolve(explicitFile);
    const read = readText(abs);
    if ('error' in read) return { config: defaultConfig(), issues: [{ file: explicitFile, key: '', line: 0, column: 0, message: read.error }] };
    return { ...parseConfigText(read.text, explicitFile, knownRuleIds), file: abs };
  }
  for (const name of CONFIG_FILE_NAMES) {
    const abs = path.join(path.resolve(root), name);
    let isFile = false;
    try {
      isFile = fs.statSync(abs).isFile();
    } catch {
      continue;
    }
    if (!isFile) continue;
    const label = displayPath(abs);
    const read = readText(abs);
    if ('error' in read) return { config: defaultConfig(), issues: [{ file: label, key: '', line: 0, column: 0, message: read.error }] };
    return { ...parseConfigText(read.text, label, knownRuleIds), file: abs };
  }
  return { config: defaultConfig(), issues: [] };
}
