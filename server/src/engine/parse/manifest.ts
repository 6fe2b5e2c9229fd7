// Package manifests → plain facts: what a directory depends on, how it runs, and whether its
// versions are pinned. Parsers:
// - package.json: `jsonc-parser`'s syntax tree, which keeps every node's offset, so each
//   dependency's name has its exact span;
// - pyproject.toml and Pipfile: `smol-toml` for the structure (it gives no positions), and
//   a small locator that finds each dependency in the text of its table to give it a span;
// - requirements*.txt: a small line tokenizer of our own. pip's requirement-file format is
//   PEP 508 lines plus pip options (`-r`, `-c`, `-e`, `--hash`, `\` continuations, ` #`
//   comments); no well-kept npm package parses it with positions, and the part the rules
//   read (name, version specifier, hashes) is a few lines of lexing.
//
// Shape (spans are half-open UTF-16 offsets into the file's text):
//
//   ManifestFacts
//     format           'npm' | 'requirements' | 'pyproject' | 'pipfile'
//     name             the package's name when the manifest gives one
//     dependencies[]   runtime dependencies (npm: dependencies and optionalDependencies): { name (as written), span (the name), spec? (the
//                      version specifier as written), pinned? (requirements-style: exactly one
//                      version, `==1.2.3`/`===x`), hashed? (`--hash=` given) }
//     devDependencies[] the same for development-only ones (npm devDependencies, poetry dev
//                      groups, PEP 735 dependency-groups, optional-dependencies, Pipfile dev-packages)
//     scripts[]        npm scripts and pyproject [project.scripts]/[tool.poetry.scripts]: { name, span } (no command)
//     workspaces[]     npm/yarn `workspaces` globs (array or `{ packages }`)
//     main             package.json `main`
//     includes[]       requirements files' `-r`/`-c` references: { path, span }
//     tools[]          pyproject `[tool.X]` table names (poetry, pdm, uv, hatch …)
//
// A manifest that does not parse gives a ParseError and no facts, never a throw.
import { type Node as JsonNode, type ParseError as JsonParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import type { ParseError } from '../types';

export interface ManifestDep {
  name: string;
  span: [number, number];
  spec?: string;
  pinned?: boolean;
  hashed?: boolean;
}

/** A script by name; its command is not kept (facts are cached on disk, and commands can hold tokens). */
/** The script file a start command runs: the first word that names a JS/TS file. */
export function startScriptFile(command: string): string | undefined {
  const word = command.split(/\s+/).find((w) => /^[\w./-]+\.[cm]?[jt]s$/.test(w));
  return word?.replace(/^\.\//, '');
}

export interface ManifestScript {
  name: string;
  span: [number, number];
  /** npm `start` only: the script file its command runs (`node dist/server.js` → `dist/server.js`); never the command itself. */
  startFile?: string;
}

export interface ManifestFacts {
  format: 'npm' | 'requirements' | 'pyproject' | 'pipfile';
  name?: string;
  dependencies: ManifestDep[];
  devDependencies: ManifestDep[];
  scripts: ManifestScript[];
  workspaces: string[];
  main?: string;
  includes: { path: string; span: [number, number] }[];
  tools: string[];
}

/** Bounds on what one manifest contributes, whatever its size. */
const MAX_DEPS = 2000;
const MAX_TEXT = 300;

const REQUIREMENTS_NAME = /^requirements([-_.][\w.-]*)?\.txt$/i;

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function isRequirementsFile(relPath: string): boolean {
  return REQUIREMENTS_NAME.test(basename(relPath));
}

function empty(format: ManifestFacts['format']): ManifestFacts {
  return { format, dependencies: [], devDependencies: [], scripts: [], workspaces: [], includes: [], tools: [] };
}

/** Manifest facts of a file by its name, or undefined for files that are not manifests this module reads. */
export function manifestFacts(relPath: string, text: string): { facts?: ManifestFacts; errors: ParseError[] } {
  const name = basename(relPath);
  try {
    if (name === 'package.json') return npmFacts(text);
    if (isRequirementsFile(relPath)) return { facts: requirementsFacts(text), errors: [] };
    if (name === 'pyproject.toml') return tomlFacts(text, 'pyproject');
    if (name === 'Pipfile') return tomlFacts(text, 'pipfile');
  } catch (e) {
    // No known throw: a defect here must not fail the scan.
    return { errors: [{ message: `${name}: could not read the manifest (${e instanceof Error ? e.message : String(e)})` }] };
  }
  return { errors: [] };
}

// ------------------------------------------------------------------------------ package.json

/** Bounded, and without URL credentials (`https://user:token@host` → `https://host`): facts are cached on disk. */
function clip(s: string): string {
  const bare = s.replace(/\/\/[^/@\s]+@/g, '//');
  return bare.length > MAX_TEXT ? bare.slice(0, MAX_TEXT) : bare;
}

function prop(obj: JsonNode | undefined, key: string): JsonNode | undefined {
  if (obj?.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) return p.children[1];
  return undefined;
}

/** The name's span inside its quotes. */
function keySpan(p: JsonNode): [number, number] {
  const k = p.children![0]!;
  return [k.offset + 1, k.offset + k.length - 1];
}

function npmDeps(obj: JsonNode | undefined, out: ManifestDep[]): void {
  if (obj?.type !== 'object') return;
  for (const p of obj.children ?? []) {
    const key = p.children?.[0]?.value;
    if (typeof key !== 'string' || out.length >= MAX_DEPS) continue;
    const v = p.children?.[1]?.value;
    out.push({ name: key, span: keySpan(p), ...(typeof v === 'string' ? { spec: clip(v) } : {}) });
  }
}

function npmFacts(text: string): { facts?: ManifestFacts; errors: ParseError[] } {
  const errs: JsonParseError[] = [];
  const root = parseTree(text, errs, { allowTrailingComma: false, disallowComments: true });
  if (errs.length > 0 || !root) {
    const e = errs[0];
    return { errors: [{ message: `package.json: invalid JSON (${e ? printParseErrorCode(e.error) : 'empty'})`, ...(e ? { offset: e.offset } : {}) }] };
  }
  if (root.type !== 'object') return { errors: [{ message: 'package.json: not a JSON object', offset: root.offset }] };
  const facts = empty('npm');
  const name = prop(root, 'name')?.value;
  if (typeof name === 'string') facts.name = clip(name);
  npmDeps(prop(root, 'dependencies'), facts.dependencies);
  npmDeps(prop(root, 'optionalDependencies'), facts.dependencies);
  npmDeps(prop(root, 'devDependencies'), facts.devDependencies);
  const scripts = prop(root, 'scripts');
  if (scripts?.type === 'object') {
    for (const p of scripts.children ?? []) {
      const key = p.children?.[0]?.value;
      const cmd = p.children?.[1]?.value;
      if (typeof key === 'string' && typeof cmd === 'string' && facts.scripts.length < 200) facts.scripts.push({ name: key, span: keySpan(p), ...(key === 'start' && startScriptFile(cmd) ? { startFile: clip(startScriptFile(cmd)!) } : {}) });
    }
  }
  let ws = prop(root, 'workspaces');
  if (ws?.type === 'object') ws = prop(ws, 'packages');
  if (ws?.type === 'array') for (const c of ws.children ?? []) if (typeof c.value === 'string' && facts.workspaces.length < 200) facts.workspaces.push(clip(c.value));
  const main = prop(root, 'main')?.value;
  if (typeof main === 'string') facts.main = clip(main);
  return { facts, errors: [] };
}

// ------------------------------------------------------------------------- requirements.txt

/** A PEP 508 requirement's name, extras and version specifier, as offsets into `s`. */
interface Pep508 {
  name: [number, number];
  /** The version specifier (after extras, before `;` markers), trimmed; absent when none. */
  spec?: [number, number];
  /** A direct reference (`name @ url`). */
  url: boolean;
}

const NAME_START = /[A-Za-z0-9]/;
const NAME_CHAR = /[A-Za-z0-9._-]/;

/** Reads `name[extras] (specifier) ; markers` from `s`, or undefined when it does not start with a name. */
export function readPep508(s: string): Pep508 | undefined {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  if (!NAME_START.test(s[i] ?? '')) return undefined;
  const start = i;
  while (i < s.length && NAME_CHAR.test(s[i]!)) i++;
  const name: [number, number] = [start, i];
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  if (s[i] === '[') {
    const close = s.indexOf(']', i);
    i = close < 0 ? s.length : close + 1;
  }
  const semi = s.indexOf(';', i);
  let end = semi < 0 ? s.length : semi;
  const rest = s.slice(i, end);
  if (/^\s*@/.test(rest)) return { name, url: true };
  let a = i;
  while (a < end && /\s/.test(s[a]!)) a++;
  while (end > a && /\s/.test(s[end - 1]!)) end--;
  return a < end ? { name, spec: [a, end], url: false } : { name, url: false };
}

/** Exactly one version: `==1.2.3` (no wildcard) or `===x`, optionally in parentheses. */
export function isPinnedSpec(spec: string | undefined): boolean {
  if (!spec) return false;
  const s = spec.replace(/^\(|\)$/g, '').trim();
  return /^===\s*\S+$/.test(s) || /^==\s*[^\s,*]+$/.test(s);
}

interface LogicalLine {
  /** Text with continuations joined; `offsets[i]` is the file offset of text[i]. */
  text: string;
  offsets: number[];
}

/** Physical lines joined at trailing `\`, comments (` #` or a leading `#`) removed. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let cur: LogicalLine = { text: '', offsets: [] };
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let lineEnd = nl > pos && text[nl - 1] === '\r' ? nl - 1 : nl;
    // Comments: `#` at the start or after whitespace.
    for (let k = pos; k < lineEnd; k++) {
      if (text[k] === '#' && (k === pos || /\s/.test(text[k - 1]!))) {
        lineEnd = k;
        break;
      }
    }
    let body = text.slice(pos, lineEnd);
    const continued = /\\\s*$/.test(body);
    if (continued) body = body.replace(/\\\s*$/, ' ');
    for (let k = 0; k < body.length; k++) {
      cur.text += body[k];
      cur.offsets.push(pos + k);
    }
    if (!continued) {
      if (cur.text.trim() !== '') out.push(cur);
      cur = { text: '', offsets: [] };
    }
    if (nl >= text.length) break;
    pos = nl + 1;
  }
  if (cur.text.trim() !== '') out.push(cur);
  return out;
}

function requirementsFacts(text: string): ManifestFacts {
  const facts = empty('requirements');
  for (const line of logicalLines(text)) {
    const at = (i: number): number => line.offsets[i] ?? line.offsets[line.offsets.length - 1]! + 1;
    const t = line.text;
    const lead = t.length - t.trimStart().length;
    const body = t.trimStart();
    const include = /^(-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+|(?=\S))(\S+)/.exec(body);
    if (include) {
      const p = include[2]!;
      const s = lead + include[0].length - p.length;
      facts.includes.push({ path: p, span: [at(s), at(s + p.length - 1) + 1] });
      continue;
    }
    if (body.startsWith('-e') || body.startsWith('--editable')) {
      const m = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/.exec(body);
      if (m && facts.dependencies.length < MAX_DEPS) {
        const s = lead + m[0].length - m[1]!.length;
        const egg = /#egg=([A-Za-z0-9._-]+)/.exec(m[1]!);
        facts.dependencies.push({ name: egg ? egg[1]! : clip(m[1]!), span: [at(s), at(s + m[1]!.length - 1) + 1], pinned: false });
      }
      continue;
    }
    if (body.startsWith('-')) continue; // other pip options: --index-url, --find-links, --hash on its own
    // Split off options that follow the requirement (`--hash=…`).
    const opt = /\s--?[a-z]/.exec(t);
    const req = opt ? t.slice(0, opt.index) : t;
    const parsed = readPep508(req);
    if (!parsed) continue;
    const hashed = /\s--hash[=\s]/.test(t.slice(req.length - 1));
    const name = t.slice(parsed.name[0], parsed.name[1]);
    const spec = parsed.spec ? t.slice(parsed.spec[0], parsed.spec[1]) : undefined;
    if (facts.dependencies.length >= MAX_DEPS) break;
    facts.dependencies.push({
      name,
      span: [at(parsed.name[0]), at(parsed.name[1] - 1) + 1],
      ...(spec !== undefined ? { spec: clip(spec) } : {}),
      pinned: !parsed.url && isPinnedSpec(spec),
      ...(hashed ? { hashed: true } : {}),
    });
  }
  return facts;
}

// -------------------------------------------------------------------- pyproject.toml, Pipfile

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function tableAt(root: Table, path: readonly string[]): Table | undefined {
  let cur: unknown = root;
  for (const k of path) {
    if (!isTable(cur)) return undefined;
    cur = cur[k];
  }
  return isTable(cur) ? cur : undefined;
}

/**
 * Finds where things sit in TOML text. smol-toml gives no positions, so spans come from the
 * text: a table's region starts at its `[header]` (or, for dotted keys, at the file start)
 * and runs to the next header; keys and strings are searched in it, in order.
 */
class TomlLocator {
  constructor(private readonly text: string) {}

  /** Start and end of the region of `[a.b]` (also `[a . "b"]`), or the whole file when the header is absent. */
  region(path: readonly string[]): [number, number] {
    const re = /^[ \t]*\[(?!\[)([^\]\n]*)\][ \t]*(?:#.*)?$/gm;
    let start = -1;
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.text))) {
      const parts = m[1]!.split('.').map((p) => p.trim().replace(/^["']|["']$/g, ''));
      if (start >= 0) return [start, m.index];
      if (parts.length === path.length && parts.every((p, i) => p === path[i])) start = m.index + m[0].length;
    }
    return start >= 0 ? [start, this.text.length] : [0, this.text.length];
  }

  /** The span of a key `name =` (bare or quoted) at a line start in the region, or of `name` anywhere after `from`. */
  key(region: [number, number], name: string): [number, number] | undefined {
    const slice = this.text.slice(region[0], region[1]);
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`^[ \\t]*(["']?)(${esc})\\1[ \\t]*=`, 'm').exec(slice);
    if (!m) return undefined;
    const s = region[0] + m.index + m[0].indexOf(m[2]!, m[1]!.length);
    return [s, s + name.length];
  }

  /** The first quoted string equal to `value` at or after `from` in the region; its content span. */
  string(region: [number, number], from: number, value: string): [number, number] | undefined {
    for (const q of ['"', "'"]) {
      const i = this.text.indexOf(q + value + q, from);
      if (i >= 0 && i < region[1]) return [i + 1, i + 1 + value.length];
    }
    return undefined;
  }
}

function pep508Dep(raw: string, span: [number, number] | undefined, fallback: [number, number]): ManifestDep | undefined {
  const p = readPep508(raw);
  if (!p) return undefined;
  const name = raw.slice(p.name[0], p.name[1]);
  const spec = p.spec ? raw.slice(p.spec[0], p.spec[1]) : undefined;
  return {
    name,
    span: span ? [span[0] + p.name[0], span[0] + p.name[1]] : fallback,
    ...(spec !== undefined ? { spec: clip(spec) } : {}),
    pinned: !p.url && isPinnedSpec(spec),
  };
}

/** PEP 508 strings of an array value, located in order after the key. */
function stringList(loc: TomlLocator, region: [number, number], keyName: string, list: unknown, out: ManifestDep[]): void {
  if (!Array.isArray(list)) return;
  const key = loc.key(region, keyName) ?? [region[0], region[0]];
  let from = key[1];
  for (const item of list) {
    if (typeof item !== 'string' || out.length >= MAX_DEPS) continue;
    const span = loc.string(region, from, item);
    if (span) from = span[1];
    const dep = pep508Dep(item, span, key);
    if (dep) out.push(dep);
  }
}

/** Poetry/Pipfile tables: `name = "^1.2"` or `name = { version = "…" }`. */
function keyTable(loc: TomlLocator, path: readonly string[], table: Table | undefined, out: ManifestDep[], skip: readonly string[] = []): void {
  if (!table) return;
  const region = loc.region(path);
  for (const [name, v] of Object.entries(table)) {
    if (skip.includes(name.toLowerCase()) || out.length >= MAX_DEPS) continue;
    const span = loc.key(region, name) ?? [region[0], region[0]];
    const spec = typeof v === 'string' ? v : isTable(v) && typeof v.version === 'string' ? v.version : undefined;
    out.push({ name, span, ...(spec !== undefined ? { spec: clip(spec) } : {}), pinned: spec !== undefined && /^(==)?\d[\w.+-]*$/.test(spec.trim()) });
  }
}

function scriptTable(loc: TomlLocator, path: readonly string[], table: Table | undefined, out: ManifestScript[]): void {
  if (!table) return;
  const region = loc.region(path);
  for (const [name, v] of Object.entries(table)) {
    if (typeof v !== 'string' || out.length >= 200) continue;
    out.push({ name, span: loc.key(region, name) ?? [region[0], region[0]] });
  }
}

function tomlFacts(text: string, format: 'pyproject' | 'pipfile'): { facts?: ManifestFacts; errors: ParseError[] } {
  const file = format === 'pyproject' ? 'pyproject.toml' : 'Pipfile';
  let root: Table;
  try {
    root = parseToml(text) as Table;
  } catch (e) {
    const err = e as { message?: string; line?: number; column?: number };
    const first = (err.message ?? String(e)).split('\n')[0]!;
    let offset: number | undefined;
    if (typeof err.line === 'number') {
      let o = 0;
      for (let l = 1; l < err.line && o >= 0; l++) o = text.indexOf('\n', o) < 0 ? -1 : text.indexOf('\n', o) + 1;
      if (o >= 0) offset = Math.min(text.length, o + Math.max(0, (err.column ?? 1) - 1));
    }
    return { errors: [{ message: `${file}: invalid TOML (${first})`, ...(offset !== undefined ? { offset } : {}) }] };
  }
  const facts = empty(format);
  const loc = new TomlLocator(text);
  if (format === 'pipfile') {
    keyTable(loc, ['packages'], tableAt(root, ['packages']), facts.dependencies);
    keyTable(loc, ['dev-packages'], tableAt(root, ['dev-packages']), facts.devDependencies);
    return { facts, errors: [] };
  }
  const project = tableAt(root, ['project']);
  if (project) {
    if (typeof project.name === 'string') facts.name = clip(project.name);
    const region = loc.region(['project']);
    stringList(loc, region, 'dependencies', project.dependencies, facts.dependencies);
    const optional = tableAt(root, ['project', 'optional-dependencies']);
    if (optional) {
      const r = loc.region(['project', 'optional-dependencies']);
      for (const [k, list] of Object.entries(optional)) stringList(loc, r, k, list, facts.devDependencies);
    }
    scriptTable(loc, ['project', 'scripts'], tableAt(root, ['project', 'scripts']), facts.scripts);
  }
  const groups = tableAt(root, ['dependency-groups']);
  if (groups) {
    const r = loc.region(['dependency-groups']);
    for (const [k, list] of Object.entries(groups)) stringList(loc, r, k, list, facts.devDependencies);
  }
  const tool = tableAt(root, ['tool']);
  if (tool) facts.tools = Object.keys(tool).slice(0, 50);
  const poetry = tableAt(root, ['tool', 'poetry']);
  if (poetry) {
    if (!facts.name && typeof poetry.name === 'string') facts.name = clip(poetry.name);
    keyTable(loc, ['tool', 'poetry', 'dependencies'], tableAt(poetry, ['dependencies']), facts.dependencies, ['python']);
    keyTable(loc, ['tool', 'poetry', 'dev-dependencies'], tableAt(poetry, ['dev-dependencies']), facts.devDependencies);
    const pg = tableAt(poetry, ['group']);
    for (const g of Object.keys(pg ?? {})) keyTable(loc, ['tool', 'poetry', 'group', g, 'dependencies'], tableAt(pg!, [g, 'dependencies']), facts.devDependencies);
    scriptTable(loc, ['tool', 'poetry', 'scripts'], tableAt(poetry, ['scripts']), facts.scripts);
  }
  return { facts, errors: [] };
}

/** Normalised Python distribution name (PEP 503): lowercase, runs of `-_.` as `-`. */
export function normalisePyName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
