// docker-compose files as the compose rules see them: projects (a base file and the
// overlays beside it, merged in compose's order), services with spans, and readers for
// the settings the rules ask about — environment (map and list forms), ports (short and
// long syntax), volumes (short and long syntax), build context and Dockerfile, database
// images. Plain reads over YAML facts; the fix writers are in compose-edit.ts.
import { memoFor, type FileMemoEntry } from '../../server/src/engine/rule-memo';
import { pointer } from '../../server/src/engine/parse/yaml';
import type { CheckContext } from '../../server/src/engine/rule';
import type { Span, SourceFile, Subject, YamlDoc } from '../../server/src/engine/types';
import { imageName, parseImageRef } from './image';
import { get, isObj, keySpanAt, spanAt, type Obj } from './k8s';
import { isSet } from './resources';
import type { Path } from './yaml-edit';

// ---------------------------------------------------------------------------------------
// Interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`,
// `${VAR:+alt}`, `${VAR+alt}`, `$VAR`, and `$$` for a literal `$` (compose's syntax).

export type InterpolationOp = '' | ':-' | '-' | ':?' | '?' | ':+' | '+';

export interface Interpolation {
  name: string;
  op: InterpolationOp;
  /** The default, error message or alternative, as written (may itself interpolate). */
  arg: string;
  start: number;
  end: number;
}

export type Segment = { text: string } | Interpolation;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** The `}` closing the `${` at `open`, counting nested `${…}`; -1 when unterminated. */
function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') {
      i++;
      continue;
    }
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (s[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Splits a compose value into literal text and interpolations (`$$` becomes a literal `$`). */
export function parseInterpolation(s: string): Segment[] {
  const out: Segment[] = [];
  let text = '';
  const flush = (): void => {
    if (text) out.push({ text });
    text = '';
  };
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c !== '$') {
      text += c;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = closingBrace(s, i);
      const m = close < 0 ? null : /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?|:\+|\+)([\s\S]*))?$/.exec(s.slice(i + 2, close));
      if (!m) {
        // Unterminated or malformed: compose refuses the value. The rest is kept as text,
        // which also keeps the scan linear.
        text += s.slice(i);
        break;
      }
      flush();
      out.push({ name: m[1]!, op: (m[2] ?? '') as InterpolationOp, arg: m[3] ?? '', start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = i + 2;
      while (j < s.length && NAME_CHAR.test(s[j]!)) j++;
      flush();
      out.push({ name: s.slice(i + 1, j), op: '', arg: '', start: i, end: j });
      i = j;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

export function isInterpolation(seg: Segment): seg is Interpolation {
  return 'name' in seg;
}

/** The interpolations of a value (top level; defaults may hold more). */
export function interpolationsOf(s: string): Interpolation[] {
  return parseInterpolation(s).filter(isInterpolation);
}

/**
 * The value with every interpolation replaced: by its default or alternative (resolved the
 * same way) when it has one, else by `unset(name)` (the empty string by default).
 */
export function resolveInterpolation(s: string, unset: (name: string) => string = () => '', depth = 0): string {
  return parseInterpolation(s)
    .map((seg) => {
      if (!isInterpolation(seg)) return seg.text;
      const hasDefault = seg.op === ':-' || seg.op === '-' || seg.op === ':+' || seg.op === '+';
      if (hasDefault && seg.arg !== '' && depth < 8) return resolveInterpolation(seg.arg, unset, depth + 1);
      return unset(seg.name);
    })
    .join('');
}

/** The literal defaults (and alternatives) the value's interpolations fall back to, resolved, non-empty. */
export function literalDefaults(s: string): string[] {
  return interpolationsOf(s)
    .filter((i) => (i.op === ':-' || i.op === '-' || i.op === ':+' || i.op === '+') && i.arg !== '')
    .map((i) => resolveInterpolation(i.arg))
    .filter((d) => d.trim() !== '');
}

// ---------------------------------------------------------------------------------------
// Projects and services.

/** Compose's default file names, in the order it looks for them. */
export const BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function isOverrideName(name: string): boolean {
  return /^(docker-)?compose\.override\.ya?ml$/i.test(name);
}

/** One compose file's view of a service. */
export interface Layer {
  file: SourceFile;
  doc: YamlDoc;
  /** Pointer of the service map (`/services/api`). */
  ptr: string;
  path: Path;
  value: Obj;
}

export interface ComposeService {
  name: string;
  /** Stable identity: `<file>#service/<name>`, where file is the one that reports it. */
  key: string;
  /** The file findings point into: the base file (or the first overlay that defines the service). */
  file: SourceFile;
  doc: YamlDoc;
  ptr: string;
  path: Path;
  /** The service's key (`api:`) in that file. */
  keySpan: Span;
  /** Every file's view of the service, the reporting file first, then overlays in merge order. */
  layers: Layer[];
  /** Views of the services it `extends` (recursively), the most basic first: settings it inherits. */
  inherited: Layer[];
  /** The service as compose runs it: what it extends, then its layers, merged. */
  value: Obj;
  project: ComposeProject;
}

export interface ComposeProject {
  dir: string;
  /** The base file first, then its overlays in merge order. */
  files: SourceFile[];
  services: ComposeService[];
}

function composeDoc(file: SourceFile): YamlDoc | undefined {
  const doc = file.facts.yaml?.docs[0];
  return doc && isObj(doc.value) ? doc : undefined;
}

/** `environment` as a map (list items `KEY=value` → `KEY: value`, `KEY` → `KEY: null`). */
export function envMap(env: unknown): Obj {
  if (isObj(env)) return env;
  const out: Obj = {};
  if (Array.isArray(env)) {
    for (const item of env) {
      if (typeof item !== 'string') continue;
      const eq = item.indexOf('=');
      if (eq < 0) out[item] = null;
      else out[item.slice(0, eq)] = item.slice(eq + 1);
    }
  }
  return out;
}

/** Sequences compose appends when it merges files (the rest are replaced). */
const APPENDED = new Set(['ports', 'expose', 'volumes', 'tmpfs', 'dns', 'dns_search', 'secrets', 'configs', 'external_links', 'extra_hosts', 'devices', 'cap_add', 'cap_drop', 'security_opt', 'volumes_from', 'env_file']);
/** Maps compose merges key by key although they may be written as lists. */
const MAP_LIKE = new Set(['environment', 'labels', 'annotations', 'sysctls']);

function mergeMaps(a: Obj, b: Obj, top: boolean): Obj {
  const out: Obj = { ...a };
  for (const [k, bv] of Object.entries(b)) {
    const av = out[k];
    if (top && MAP_LIKE.has(k)) out[k] = { ...envMap(av), ...envMap(bv) };
    else if (top && k === 'build' && av !== undefined && (typeof av === 'string' || isObj(av)) && (typeof bv === 'string' || isObj(bv))) out[k] = mergeMaps(typeof av === 'string' ? { context: av } : isObj(av) ? av : {}, typeof bv === 'string' ? { context: bv } : isObj(bv) ? bv : {}, false);
    else if (top && APPENDED.has(k) && Array.isArray(av) && Array.isArray(bv)) out[k] = [...(av as unknown[]), ...(bv as unknown[])];
    else if (isObj(av) && isObj(bv)) out[k] = mergeMaps(av, bv, false);
    else out[k] = bv;
  }
  return out;
}

/** The layers merged as compose merges files: maps key by key, later scalars win, port and volume lists appended. */
export function mergeLayers(values: readonly Obj[]): Obj {
  return values.reduce<Obj>((acc, v) => mergeMaps(acc, v, true), {});
}

function servicesOf(file: SourceFile): { name: string; doc: YamlDoc; value: Obj }[] {
  const doc = composeDoc(file);
  const services = doc ? get(doc.value, 'services') : undefined;
  if (!doc || !isObj(services)) return [];
  return Object.entries(services)
    .filter((e): e is [string, Obj] => isObj(e[1]))
    .map(([name, value]) => ({ name, doc, value }));
}

function layerOf(file: SourceFile, doc: YamlDoc, name: string, value: Obj): Layer {
  const path = ['services', name];
  return { file, doc, ptr: pointer(...path), path, value };
}

/**
 * Groups compose files by directory. The base file is the first of compose's default names
 * present; the other compose files of the directory (`docker-compose.override.yml` first,
 * then the rest by name: `docker-compose.prod.yml`, `compose.ci.yaml` …) are overlays merged
 * onto it. Another default-named file, or overlays in a directory without a base file,
 * stand alone.
 */
function computeProjects(files: readonly SourceFile[]): ComposeProject[] {
  // Files that services `extends` from are libraries of services, not overlays.
  const extended = new Set<string>();
  for (const f of files) {
    for (const s of servicesOf(f)) {
      const ext = s.value.extends;
      if (isObj(ext) && typeof ext.file === 'string') {
        const p = normalise([dirname(f.path), resolveInterpolation(ext.file)]);
        if (p !== undefined) extended.add(p);
      }
    }
  }
  const byDir = new Map<string, SourceFile[]>();
  for (const f of files) {
    if (!composeDoc(f)) continue;
    const d = dirname(f.path);
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  const groups: { dir: string; files: SourceFile[] }[] = [];
  for (const [dir, list] of byDir) {
    const rank = (f: SourceFile): number => (BASE_NAMES as readonly string[]).indexOf(basename(f.path).toLowerCase());
    const bases = list.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b));
    const base = bases[0];
    if (!base) {
      for (const f of list) groups.push({ dir, files: [f] });
      continue;
    }
    for (const f of list) if (rank(f) < 0 && extended.has(f.path)) groups.push({ dir, files: [f] });
    const overlays = list
      .filter((f) => rank(f) < 0 && !extended.has(f.path))
      .sort((a, b) => Number(isOverrideName(basename(b.path))) - Number(isOverrideName(basename(a.path))) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    groups.push({ dir, files: [base, ...overlays] });
    for (const other of bases.slice(1)) groups.push({ dir, files: [other] });
  }
  groups.sort((a, b) => (a.files[0]!.path < b.files[0]!.path ? -1 : 1));
  return groups.map(({ dir, files: group }) => {
    const project: ComposeProject = { dir, files: group, services: [] };
    const byName = new Map<string, Layer[]>();
    for (const f of group) {
      for (const s of servicesOf(f)) {
        const layers = byName.get(s.name) ?? [];
        layers.push(layerOf(f, s.doc, s.name, s.value));
        byName.set(s.name, layers);
      }
    }
    for (const [name, layers] of byName) {
      const home = layers[0]!;
      project.services.push({
        name,
        key: `${home.file.path}#service/${name}`,
        file: home.file,
        doc: home.doc,
        ptr: home.ptr,
        path: home.path,
        keySpan: keySpanAt(home.doc, home.ptr),
        layers,
        inherited: [],
        value: mergeLayers(layers.map((l) => l.value)),
        project,
      });
    }
    return project;
  });
}

/** The service named by `extends` (`extends: web`, `{service: web}`, `{service: web, file: common.yml}`), among the scanned compose files. */
function extendedService(s: ComposeService, all: readonly ComposeService[]): ComposeService | undefined {
  const ext = s.value.extends;
  const name = typeof ext === 'string' ? ext : isObj(ext) && typeof ext.service === 'string' ? ext.service : undefined;
  if (name === undefined) return undefined;
  if (isObj(ext) && typeof ext.file === 'string') {
    const file = normalise([dirname(s.file.path), resolveInterpolation(ext.file)]);
    return all.find((o) => o.name === name && o.layers.some((l) => l.file.path === file));
  }
  return s.project.services.find((o) => o.name === name);
}

/** Folds `extends` into each service: the extended service's settings first, the service's own on top. */
function resolveExtends(projects: readonly ComposeProject[]): void {
  const all = projects.flatMap((p) => p.services);
  const done = new Set<ComposeService>();
  const visiting = new Set<ComposeService>();
  const resolve = (s: ComposeService): void => {
    if (done.has(s) || visiting.has(s)) return;
    visiting.add(s);
    const base = extendedService(s, all);
    if (base && base !== s) {
      resolve(base);
      if (done.has(base)) {
        s.inherited = [...base.inherited, ...base.layers];
        s.value = mergeLayers([base.value, s.value]);
      }
    }
    visiting.delete(s);
    done.add(s);
  };
  for (const s of all) resolve(s);
}

const projectsMemo = new WeakMap<object, FileMemoEntry<ComposeProject[]>>();

/** Every compose project of the check's compose files (memoised per file list). */
export function composeProjects(files: readonly SourceFile[]): ComposeProject[] {
  return memoFor(projectsMemo, files, () => {
    const projects = computeProjects(files);
    resolveExtends(projects);
    return projects;
  });
}

/** Every service of every compose project. */
export function composeServices(files: readonly SourceFile[]): ComposeService[] {
  return composeProjects(files).flatMap((p) => p.services);
}

export function serviceSubject(s: ComposeService): Subject {
  return { key: s.key, file: s.file.path, span: s.keySpan };
}

/** Check-level evidence: which overlays each base file was merged with. */
export function overlayEvidence(ctx: CheckContext, files: readonly SourceFile[]): void {
  for (const p of composeProjects(files)) {
    if (p.files.length < 2) continue;
    const [base, ...overlays] = p.files;
    ctx.evidence({ file: base!.path, span: { start: 0, end: 0 }, note: `${base!.path} merged with ${overlays.map((o) => o.path).join(', ')} (compose's order); settings in either count, findings point at ${base!.path}` });
  }
}

/**
 * The services a long-running-service rule inspects, merged with their overlays. The
 * overlays and every service left out (one-off jobs) go to the check's evidence, saying
 * that `asked` (e.g. "no healthcheck asked for") does not apply to them.
 */
export function longRunningServices(ctx: CheckContext, files: readonly SourceFile[], asked: string): ComposeService[] {
  overlayEvidence(ctx, files);
  const out: ComposeService[] = [];
  for (const s of composeServices(files)) {
    const why = notLongRunning(s);
    if (why) ctx.evidence({ file: s.file.path, span: s.keySpan, note: `service '${s.name}' is not long-running (${why}): ${asked}` });
    else out.push(s);
  }
  return out;
}

/** The last layer (in merge order, inherited ones first) that sets the value at `keys`; where a setting comes from. */
export function layerSetting(s: ComposeService, ...keys: string[]): Layer | undefined {
  const layers = [...s.inherited, ...s.layers];
  for (let i = layers.length - 1; i >= 0; i--) if (isSet(get(layers[i]!.value, ...keys))) return layers[i];
  return undefined;
}

/** Evidence that a setting of the service comes from an overlay, or from a service it extends, rather than its own entry. */
export function overlayNote(ctx: CheckContext, s: ComposeService, layer: Layer | undefined, keys: string[], what: string): void {
  if (!layer || (layer.ptr === s.ptr && layer.file === s.file)) return;
  const ptr = layer.ptr + pointer(...keys);
  const from = s.inherited.includes(layer) ? `service '${String(layer.path[1])}' of ${layer.file.path}, which it extends` : layer.file.path;
  ctx.evidence({ file: layer.file.path, span: keySpanAt(layer.doc, ptr), note: `service '${s.name}' (${s.file.path}): ${what} set in ${from}` });
}

// ---------------------------------------------------------------------------------------
// Long-running services.

const SHELL_SPLIT = /\s*(?:&&|\|\||;|\|)\s*/;

function commandText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'number').join(' ');
  return '';
}

/** Why the command runs once and exits (migrations, seeding, tests), judged by the last command of a shell chain. */
export function oneOffCommand(entrypoint: unknown, command: unknown): string | undefined {
  const full = [commandText(entrypoint), commandText(command)].filter(Boolean).join(' ');
  if (!full.trim()) return undefined;
  const segments = full.split(SHELL_SPLIT).filter((x) => x.trim() !== '');
  const last = segments[segments.length - 1];
  if (!last) return undefined;
  const words = last
    .split(/\s+/)
    .map((w) => w.replace(/^['"]+|['"]+$/g, '').toLowerCase())
    .filter(Boolean);
  const base = (w: string): string => w.slice(w.lastIndexOf('/') + 1);
  if (words.some((w) => /^(?:db:)?migrate(?::[\w-]+)?$/.test(w) || /^migrations?:(?:run|up|latest|deploy)$/.test(w))) return 'runs migrations';
  if (words.some((w) => base(w) === 'alembic') && words.some((w) => w === 'upgrade' || w === 'downgrade')) return 'runs migrations';
  if (words.some((w) => base(w) === 'liquibase') && words.includes('update')) return 'runs migrations';
  if (words.some((w) => /^(?:db:)?seed(?::[\w-]+)?$/.test(w))) return 'seeds data';
  if (words.some((w) => ['pytest', 'jest', 'vitest', 'mocha'].includes(base(w)))) return 'runs tests';
  const t = words.indexOf('test');
  if (t > 0 && ['npm', 'yarn', 'pnpm', 'bun', 'go', 'run', 'cargo'].includes(base(words[t - 1]!))) return 'runs tests';
  return undefined;
}

/**
 * Why a service is not long-running, or undefined when it is: `restart: "no"` (or
 * `deploy.restart_policy.condition: none`) says it is not meant to be kept up, and a
 * command that runs migrations, seeds data or runs tests exits when done.
 */
export function notLongRunning(s: ComposeService): string | undefined {
  const restart = s.value.restart;
  if (restart === 'no' || restart === false) return 'restart: "no"';
  if (get(s.value, 'deploy', 'restart_policy', 'condition') === 'none') return 'deploy.restart_policy.condition: none';
  const why = oneOffCommand(s.value.entrypoint, s.value.command);
  return why ? `its command ${why}` : undefined;
}

// ---------------------------------------------------------------------------------------
// Environment.

export interface EnvEntry {
  name: string;
  /** The value as written; undefined when it comes from the host (`KEY` or `KEY:`). */
  value: string | undefined;
  form: 'map' | 'list';
  /** Key path of the value scalar (map) or the list item (list). */
  path: Path;
  span: Span;
  /** The span is the entry's own (not an ancestor's, as for entries merged in through `<<`). */
  exact: boolean;
}

/** The `environment` entries of one file's view of a service, in both forms. */
export function envEntries(layer: Layer): EnvEntry[] {
  const env = layer.value.environment;
  const out: EnvEntry[] = [];
  const at = (path: Path): { span: Span; exact: boolean } => {
    const ptr = pointer(...path);
    return { span: spanAt(layer.doc, ptr), exact: layer.doc.spans[ptr] !== undefined };
  };
  if (isObj(env)) {
    for (const [name, v] of Object.entries(env)) {
      if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
      const path = [...layer.path, 'environment', name];
      const value = v === null || v === undefined ? undefined : String(v);
      out.push({ name, value, form: 'map', path, ...at(path) });
    }
  } else if (Array.isArray(env)) {
    env.forEach((item, i) => {
      if (typeof item !== 'string') return;
      const eq = item.indexOf('=');
      const name = (eq < 0 ? item : item.slice(0, eq)).trim();
      if (!name) return;
      const path = [...layer.path, 'environment', i];
      out.push({ name, value: eq < 0 ? undefined : item.slice(eq + 1), form: 'list', path, ...at(path) });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Ports.

export interface PortItem {
  index: number;
  path: Path;
  span: Span;
  exact: boolean;
  long: boolean;
  raw: unknown;
  /** Host address as written (interpolation resolved to its default); undefined when none is given. */
  hostIp?: string;
  /** The host address is an interpolation without a default: unknown until run. */
  hostIpUnknown: boolean;
  published?: string;
  /** Container port (or range), without protocol. */
  target?: string;
}

/** Splits at `sep` outside `${…}` and `[…]`. */
function splitOutside(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let bracket = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      cur += '${';
      i++;
      continue;
    }
    if (c === '}' && depth > 0) depth--;
    else if (c === '[' && depth === 0) bracket = true;
    else if (c === ']' && depth === 0) bracket = false;
    else if (c === sep && depth === 0 && !bracket) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** Parses the short syntax `[[IP:]HOST:]CONTAINER[/PROTOCOL]` (IPv6 in brackets). */
export function parseShortPort(spec: string): { hostIp?: string; published?: string; target: string } {
  const noProto = splitOutside(spec.trim(), '/')[0] ?? '';
  const parts = splitOutside(noProto, ':');
  if (parts.length === 1) return { target: parts[0]! };
  if (parts.length === 2) return { published: parts[0]!, target: parts[1]! };
  const target = parts[parts.length - 1]!;
  const published = parts[parts.length - 2]!;
  let hostIp = parts.slice(0, -2).join(':');
  if (hostIp.startsWith('[') && hostIp.endsWith(']')) hostIp = hostIp.slice(1, -1);
  return { hostIp, published, target };
}

/** A container port as compose accepts it: a number, a range, or an interpolation. */
function isPortText(s: string): boolean {
  return /^\s*(?:\d{1,5}(?:-\d{1,5})?|\$\S+)\s*$/.test(s);
}

/** One `ports` item; undefined for items compose would refuse (no container port). */
function portItem(layer: Layer, index: number, raw: unknown): PortItem | undefined {
  const path = [...layer.path, 'ports', index];
  const ptr = pointer(...path);
  const base = { index, path, span: spanAt(layer.doc, ptr), exact: layer.doc.spans[ptr] !== undefined, raw };
  if (typeof raw === 'number') return { ...base, long: false, hostIpUnknown: false, target: String(raw) };
  if (typeof raw === 'string') {
    const p = parseShortPort(raw);
    if (!isPortText(p.target)) return undefined;
    const ipInterp = p.hostIp !== undefined && interpolationsOf(p.hostIp).length > 0;
    const hostIp = p.hostIp === undefined ? undefined : resolveInterpolation(p.hostIp, () => '\u0000');
    const unknown = hostIp !== undefined && hostIp.includes('\u0000');
    return { ...base, long: false, hostIp: unknown ? undefined : hostIp, hostIpUnknown: unknown || (ipInterp && hostIp === ''), published: p.published, target: p.target };
  }
  if (isObj(raw)) {
    const ip = raw.host_ip;
    const resolved = typeof ip === 'string' ? resolveInterpolation(ip, () => '\u0000') : undefined;
    const unknown = resolved !== undefined && resolved.includes('\u0000');
    const target = raw.target;
    const published = raw.published;
    if (!(typeof target === 'number' || (typeof target === 'string' && isPortText(target)))) return undefined;
    return {
      ...base,
      long: true,
      hostIp: unknown ? undefined : resolved,
      hostIpUnknown: unknown,
      published: typeof published === 'string' || typeof published === 'number' ? String(published) : undefined,
      target: typeof target === 'string' || typeof target === 'number' ? String(target) : undefined,
    };
  }
  return undefined;
}

/** The `ports` items of one file's view of a service. */
export function portItems(layer: Layer): PortItem[] {
  const ports = layer.value.ports;
  if (!Array.isArray(ports)) return [];
  return ports.flatMap((raw, i) => portItem(layer, i, raw) ?? []);
}

export function isLoopback(ip: string): boolean {
  const v = ip.trim().toLowerCase();
  return v === 'localhost' || v === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v);
}

/** True when the item publishes on every host interface: no address, `0.0.0.0` or `::`. */
export function publishesOnAllInterfaces(p: PortItem): boolean {
  if (p.hostIpUnknown) return false;
  const ip = (p.hostIp ?? '').trim();
  return ip === '' || ip === '0.0.0.0' || ip === '::' || ip === '[::]';
}

/**
 * The short-syntax port bound to the loopback interface: `5432:5432` → `127.0.0.1:5432:5432`,
 * `5432` → `127.0.0.1::5432` (a random host port, as before), `0.0.0.0:5432:5432` and
 * `[::]:5432:5432` → `127.0.0.1:5432:5432`; the protocol is kept. Undefined when the host
 * address is an interpolation (the fix would have to guess its intent).
 */
export function bindToLoopback(spec: string): string | undefined {
  const s = spec.trim();
  const slash = splitOutside(s, '/');
  const main = slash[0] ?? '';
  const proto = slash.length > 1 ? '/' + slash.slice(1).join('/') : '';
  const parts = splitOutside(main, ':');
  if (parts.length === 1) return `127.0.0.1::${main}${proto}`;
  if (parts.length === 2) return `127.0.0.1:${main}${proto}`;
  const ip = parts.slice(0, -2).join(':');
  if (interpolationsOf(ip).length > 0) return undefined;
  return `127.0.0.1:${parts.slice(-2).join(':')}${proto}`;
}

/** The first container port a service listens on (`ports`, else `expose`). */
export function firstContainerPort(service: Obj): number | undefined {
  const candidates: string[] = [];
  if (Array.isArray(service.ports)) {
    for (const raw of service.ports as unknown[]) {
      if (typeof raw === 'number') candidates.push(String(raw));
      else if (typeof raw === 'string') candidates.push(parseShortPort(raw).target);
      else if (isObj(raw) && (typeof raw.target === 'number' || typeof raw.target === 'string')) candidates.push(String(raw.target));
    }
  }
  if (Array.isArray(service.expose)) for (const raw of service.expose as unknown[]) if (typeof raw === 'number' || typeof raw === 'string') candidates.push(String(raw));
  for (const c of candidates) {
    const m = /^(\d{1,5})/.exec(resolveInterpolation(c).trim());
    if (m && Number(m[1]) > 0 && Number(m[1]) < 65536) return Number(m[1]);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Volumes.

export type MountType = 'volume' | 'bind' | 'anonymous' | 'tmpfs' | 'other';

export interface Mount {
  type: MountType;
  source?: string;
  /** Container path, normalised (no trailing slash). */
  target: string;
  layer: Layer;
  /** Key path of the item (`…/volumes/0` or `…/tmpfs/0`, or `…/tmpfs` for a single string). */
  path: Path;
  long: boolean;
}

export function normaliseContainerPath(p: string): string {
  const t = p.trim().replace(/\/+/g, '/');
  return t.length > 1 ? t.replace(/\/$/, '') : t;
}

/** Parses the short syntax `[SOURCE:]TARGET[:MODE]`. */
export function parseShortVolume(spec: string): { source?: string; target: string } {
  const s = spec.trim();
  // A Windows drive letter (`C:\data:/data`) belongs to the source.
  const drive = /^[A-Za-z]:[\\/]/.test(s) ? 2 : 0;
  const parts = splitOutside(s.slice(drive), ':');
  if (parts.length === 1) return { target: s };
  return { source: s.slice(0, drive) + parts[0]!, target: parts[1]! };
}

/** A named volume when the source is a plain name; a bind mount when it is a path (or interpolated). */
function sourceType(source: string): MountType {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) ? 'volume' : 'bind';
}

/** The mounts of a service, inherited (`extends`) ones first, then every layer's: `volumes` (both syntaxes) and `tmpfs`, in merge order. */
export function mounts(s: ComposeService): Mount[] {
  const out: Mount[] = [];
  for (const layer of [...s.inherited, ...s.layers]) {
    const vols = layer.value.volumes;
    if (Array.isArray(vols)) {
      vols.forEach((raw: unknown, i) => {
        const path = [...layer.path, 'volumes', i];
        if (typeof raw === 'string') {
          const v = parseShortVolume(raw);
          const type: MountType = v.source === undefined ? 'anonymous' : sourceType(v.source);
          out.push({ type, source: v.source, target: normaliseContainerPath(v.target), layer, path, long: false });
        } else if (isObj(raw) && typeof raw.target === 'string') {
          const source = typeof raw.source === 'string' && raw.source.trim() !== '' ? raw.source : undefined;
          const t = typeof raw.type === 'string' ? raw.type : 'volume';
          const type: MountType = t === 'tmpfs' ? 'tmpfs' : t === 'bind' ? 'bind' : t === 'volume' ? (source ? 'volume' : 'anonymous') : 'other';
          out.push({ type, source, target: normaliseContainerPath(raw.target), layer, path, long: true });
        }
      });
    }
    const tmpfs = layer.value.tmpfs;
    const list = typeof tmpfs === 'string' ? [tmpfs] : Array.isArray(tmpfs) ? tmpfs : [];
    list.forEach((raw: unknown, i) => {
      if (typeof raw !== 'string') return;
      const path = typeof tmpfs === 'string' ? [...layer.path, 'tmpfs'] : [...layer.path, 'tmpfs', i];
      out.push({ type: 'tmpfs', target: normaliseContainerPath(raw.split(':')[0]!), layer, path, long: false });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Build context and Dockerfile.

function normalise(parts: string[]): string | undefined {
  const out: string[] = [];
  for (const p of parts.join('/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(p);
  }
  return out.join('/');
}

export interface BuildInfo {
  /** The Dockerfile's path relative to the scan root, when it can be resolved. */
  dockerfile?: string;
  /** Why it cannot be resolved (a remote context, an inline Dockerfile, outside the root). */
  unresolved?: string;
  target?: string;
}

/**
 * The Dockerfile a service builds from: `build: ./dir` or `build.context` (relative to the
 * compose file's directory) plus `build.dockerfile` (relative to the context; default
 * `Dockerfile`). Undefined when the service has no `build`.
 */
export function buildOf(s: ComposeService): BuildInfo | undefined {
  const build = s.value.build;
  if (build === undefined || build === null) return undefined;
  if (typeof build !== 'string' && !isObj(build)) return undefined;
  const b: Obj = typeof build === 'string' ? { context: build } : build;
  const target = typeof b.target === 'string' ? b.target : undefined;
  if (typeof b.dockerfile_inline === 'string') return { unresolved: 'an inline Dockerfile (dockerfile_inline)', target };
  const context = resolveInterpolation(typeof b.context === 'string' ? b.context : '.');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context) || /\.git(#.*)?$/.test(context)) return { unresolved: `a remote build context (${context})`, target };
  const dockerfile = resolveInterpolation(typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile');
  const composeDir = dirname(s.file.path);
  const parts = context.startsWith('/') ? [] : [composeDir];
  const path = dockerfile.startsWith('/') ? undefined : normalise([...parts, context, dockerfile]);
  if (path === undefined || context.startsWith('/')) return { unresolved: `a build context outside the scanned root (${context})`, target };
  return { dockerfile: path, target };
}

// ---------------------------------------------------------------------------------------
// Database images.

export interface DatabaseKind {
  /** Short label for messages ("PostgreSQL"). */
  label: string;
  /** Image short names (the last path component, `imageName`). */
  names: string[];
  /** Default data directories in the official image; empty when it keeps no data (memcached). */
  dataDirs: string[];
  /** A healthcheck `test` that fits the image. */
  healthcheck?: string[];
}

export const DATABASES: Readonly<Record<string, DatabaseKind>> = {
  postgres: { label: 'PostgreSQL', names: ['postgres', 'postgresql', 'postgis', 'timescaledb', 'pgvector'], dataDirs: ['/var/lib/postgresql/data'], healthcheck: ['CMD-SHELL', 'pg_isready -U postgres'] },
  mysql: { label: 'MySQL', names: ['mysql', 'percona', 'percona-server', 'mysql-server'], dataDirs: ['/var/lib/mysql'], healthcheck: ['CMD', 'mysqladmin', 'ping', '-h', 'localhost'] },
  mariadb: { label: 'MariaDB', names: ['mariadb'], dataDirs: ['/var/lib/mysql'], healthcheck: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'] },
  mongo: { label: 'MongoDB', names: ['mongo', 'mongodb', 'mongodb-community-server'], dataDirs: ['/data/db'], healthcheck: ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping')"] },
  redis: { label: 'Redis', names: ['redis', 'redis-stack', 'redis-stack-server', 'valkey', 'keydb', 'dragonfly'], dataDirs: ['/data'], healthcheck: ['CMD', 'redis-cli', 'ping'] },
  elasticsearch: { label: 'Elasticsearch', names: ['elasticsearch'], dataDirs: ['/usr/share/elasticsearch/data'], healthcheck: ['CMD-SHELL', 'curl -fsS http://localhost:9200/_cluster/health || exit 1'] },
  opensearch: { label: 'OpenSearch', names: ['opensearch'], dataDirs: ['/usr/share/opensearch/data'] },
  memcached: { label: 'Memcached', names: ['memcached'], dataDirs: [] },
  cassandra: { label: 'Cassandra', names: ['cassandra', 'scylla'], dataDirs: ['/var/lib/cassandra', '/var/lib/scylla'] },
  rabbitmq: { label: 'RabbitMQ', names: ['rabbitmq'], dataDirs: ['/var/lib/rabbitmq'], healthcheck: ['CMD', 'rabbitmq-diagnostics', '-q', 'ping'] },
  clickhouse: { label: 'ClickHouse', names: ['clickhouse', 'clickhouse-server'], dataDirs: ['/var/lib/clickhouse'] },
  couchdb: { label: 'CouchDB', names: ['couchdb'], dataDirs: ['/opt/couchdb/data'] },
  neo4j: { label: 'Neo4j', names: ['neo4j'], dataDirs: ['/data'] },
  influxdb: { label: 'InfluxDB', names: ['influxdb'], dataDirs: ['/var/lib/influxdb2', '/var/lib/influxdb'] },
  mssql: { label: 'SQL Server', names: [], dataDirs: ['/var/opt/mssql'] },
  cockroach: { label: 'CockroachDB', names: ['cockroach'], dataDirs: ['/cockroach/cockroach-data'] },
};

export interface Database {
  kind: string;
  db: DatabaseKind;
  image: string;
  /** A Bitnami image (`bitnami/postgresql`), which keeps its data under `/bitnami/<name>`. */
  bitnami: boolean;
  /** The directories where a mount keeps the data. */
  dataDirs: string[];
  /** The one a fix mounts a volume at. */
  dataDir?: string;
  /** A directory a mount at or below which keeps the data (Bitnami images). */
  dataRoot?: string;
}

/** The database an image runs, recognised by its name with or without registry, namespace and tag. */
export function databaseOfImage(image: string): { kind: string; db: DatabaseKind; bitnami: boolean; name: string; tag?: string } | undefined {
  const resolved = resolveInterpolation(image).trim();
  if (!resolved) return undefined;
  const ref = parseImageRef(resolved);
  const name = imageName(resolved);
  const repo = ref.repository.toLowerCase();
  const bitnami = repo.startsWith('bitnami/');
  if (repo === 'mssql/server' || repo.endsWith('/mssql/server')) return { kind: 'mssql', db: DATABASES.mssql!, bitnami, name, tag: ref.tag };
  for (const [kind, db] of Object.entries(DATABASES)) if (db.names.includes(name)) return { kind, db, bitnami, name, tag: ref.tag };
  return undefined;
}

/**
 * The database a service runs and where it keeps its data. PostgreSQL 18 and later keep it
 * under `/var/lib/postgresql` (earlier: `/var/lib/postgresql/data`, or `PGDATA` when the
 * service sets it); tags without a version accept both.
 */
export function databaseOf(s: ComposeService): Database | undefined {
  const image = s.value.image;
  if (typeof image !== 'string') return undefined;
  const found = databaseOfImage(image);
  if (!found) return undefined;
  const { kind, db, bitnami, name, tag } = found;
  if (bitnami) return { kind, db, image, bitnami, dataDirs: [`/bitnami/${name}`], dataDir: `/bitnami/${name}`, dataRoot: `/bitnami/${name}` };
  let dataDirs = db.dataDirs;
  let dataDir = dataDirs[0];
  if (kind === 'postgres' && (name === 'postgres' || name === 'postgis')) {
    const major = /^(\d+)/.exec(tag ?? '');
    const v = major ? Number(major[1]) : undefined;
    // Untagged and `latest`/`alpine` tags are the newest major, which keeps data under /var/lib/postgresql.
    dataDirs = v === undefined ? ['/var/lib/postgresql', '/var/lib/postgresql/data'] : v >= 18 ? ['/var/lib/postgresql'] : ['/var/lib/postgresql/data'];
    dataDir = dataDirs[0];
  }
  if (kind === 'postgres') {
    const raw = envMap(s.value.environment).PGDATA;
    const pgdata = typeof raw === 'string' ? normaliseContainerPath(resolveInterpolation(raw)) : '';
    if (pgdata.startsWith('/')) {
      dataDirs = [...dataDirs, pgdata];
      dataDir = pgdata;
    }
  }
  return { kind, db, image, bitnami, dataDirs, dataDir };
}
