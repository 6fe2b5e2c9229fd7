// Per-file parse + fact extraction, cached by content hash. Files no rule can care about
// are never parsed (the cheap pre-filter is classification plus a content sniff).
import { kindsByName, mayBeKubernetes } from './classify';
import { MAY_HOLD_CODE_PY, MAY_HOLD_CODE_TS, procfileEntries } from './parse/code-facts';
import { codeFactsPyOf } from './parse/code-py';
import { mayHoldTsDebug, PY_DEBUG_HINT, pythonDebugFlagsOf, tsDebugFlagsOf } from './parse/debug';
import { envNames } from './parse/env-names';
import { manifestFacts } from './parse/manifest';
import { ciProviderOf, jenkinsFacts, renovateFacts, yamlCiFacts } from './parse/ci';
import { addDockerFacts } from './parse/dockerfile';
import { documentFacts, wantsMarkdownFacts } from './parse/markdown';
import { mayBeOpenApiYaml, openApiFromJson, openApiFromYaml } from './parse/openapi';
import { MAY_HOLD_ROUTES, pythonReady, pythonRouteFactsOf, withPythonTree } from './parse/routes-py';
import { mayHoldRoutes } from './parse/routes-ts-filter';
import { secretFacts } from './parse/secrets';
import { terraformFacts } from './parse/terraform';
import { compactStrings } from './compact';
import { YamlReuse, yamlFactsReusing, yamlFacts } from './parse/yaml';
import { findDirectives } from './suppress';
import { contentHash, lineStartsOf } from './text';
import type { ArtifactKind, FileFacts, ParseError } from './types';
import type { SourceFile as TsSourceFile } from 'typescript';

/** Bump when extraction changes shape: old cache entries are then ignored. */
export const EXTRACTOR_VERSION = 13;

const YAML_PARSED: ReadonlySet<ArtifactKind> = new Set(['compose', 'ci', 'kustomization', 'helm-values', 'lockfile']);

function needsYaml(kinds: readonly ArtifactKind[], text: string): boolean {
  if (!kinds.includes('yaml')) return false;
  if (kinds.includes('lockfile')) return false;
  return kinds.some((k) => YAML_PARSED.has(k)) || mayBeKubernetes(text) || mayBeOpenApiYaml(text);
}

function isKubernetesObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.apiVersion === 'string' && typeof v.kind === 'string';
}

/** Python files worth parsing for routes: the pre-filter, or a package `__init__` (its imports re-export guards and routers). */
function mayHoldPyRoutes(relPath: string, text: string): boolean {
  return MAY_HOLD_ROUTES.test(text) || (/(^|\/)__init__\.py$/.test(relPath) && /\bimport\b/.test(text));
}

/**
 * Big YAML files keep their documents' facts for the next parse of the same path, which then
 * parses only the documents whose text changed: in the editor a keystroke changes one.
 */
const YAML_REUSE_MIN = 8 * 1024;
const yamlReuse = new YamlReuse();

export function extractFacts(relPath: string, text: string): FileFacts {
  const kinds = kindsByName(relPath);
  const facts: FileFacts = { kinds, directives: [], errors: [], lineStarts: lineStartsOf(text) };
  if (needsYaml(kinds, text)) {
    const { facts: y, errors } = text.length >= YAML_REUSE_MIN ? yamlFactsReusing(text, yamlReuse, relPath) : yamlFacts(text);
    facts.yaml = y;
    facts.errors.push(...errors);
    if (!kinds.includes('compose') && !kinds.includes('kustomization') && y.docs.some((d) => isKubernetesObject(d.value))) kinds.push('k8s');
    const ci = kinds.includes('ci') ? yamlCiFacts(relPath, y.docs) : undefined;
    if (ci) facts.ci = ci;
    const openapi = openApiFromYaml(y.docs);
    if (openapi) facts.openapi = openapi;
  }
  if (kinds.includes('json')) {
    const { facts: openapi, errors } = openApiFromJson(text);
    if (openapi) facts.openapi = openapi;
    facts.errors.push(...errors);
  }
  if (kinds.includes('ci') && ciProviderOf(relPath) === 'jenkins') {
    const { facts: ci, errors } = jenkinsFacts(text);
    facts.ci = ci;
    facts.errors.push(...errors);
  }
  if (kinds.includes('json') || ciProviderOf(relPath) === 'renovate') {
    const { facts: renovate } = renovateFacts(relPath, text);
    if (renovate) facts.ci = renovate;
  }
  if (wantsMarkdownFacts(relPath)) {
    const { facts: markdown, errors } = documentFacts(relPath, text, facts.lineStarts);
    if (markdown) facts.markdown = markdown;
    facts.errors.push(...errors);
  }
  addDockerFacts(relPath, text, facts);
  if (kinds.includes('package-manifest')) {
    const { facts: manifest, errors } = manifestFacts(relPath, text);
    if (manifest) facts.manifest = manifest;
    facts.errors.push(...errors);
  }
  if (kinds.includes('terraform') && relPath.endsWith('.tf')) {
    const { facts: tf, errors } = terraformFacts(text);
    if (tf && tf.resources.length > 0) facts.terraform = tf;
    facts.errors.push(...errors);
  }
  const names = envNames(relPath, kinds, text);
  if (names) facts.envNames = names;
  const secrets = secretFacts(text, kinds, relPath);
  if (secrets) facts.secrets = secrets;
  if (kinds.includes('python')) {
    // One parse for every kind of Python fact: parsing is most of their cost.
    const routes = mayHoldPyRoutes(relPath, text);
    const code = MAY_HOLD_CODE_PY.test(text);
    const debug = PY_DEBUG_HINT.test(text);
    if (routes || code || debug) {
      withPythonTree(text, (root) => {
        const routesPy = routes ? pythonRouteFactsOf(root) : undefined;
        if (routesPy) facts.routesPy = routesPy;
        const codePy = code ? codeFactsPyOf(root) : undefined;
        if (codePy) facts.code = codePy;
        const flags = debug ? pythonDebugFlagsOf(root, text, relPath) : undefined;
        if (flags) facts.debug = flags;
      });
    }
  }
  /** The TS/JS tree, when one was parsed: the comment scan for directives reuses it. */
  let tsTree: TsSourceFile | undefined;
  if (kinds.includes('ts') || kinds.includes('js')) {
    // One syntax tree for every kind of TS fact, parsed only when a pre-filter asks for one.
    const routes = mayHoldRoutes(relPath, text);
    const code = MAY_HOLD_CODE_TS.test(text);
    const debug = mayHoldTsDebug(text);
    if (routes || code || debug) {
      // Loaded on first use: the TypeScript compiler takes about half a second to load.
      const { parseTs } = require('./parse/ts-source') as typeof import('./parse/ts-source');
      let sf: ReturnType<typeof parseTs> | undefined;
      try {
        sf = parseTs(relPath, text);
        tsTree = sf as unknown as TsSourceFile;
      } catch (e) {
        facts.errors.push({ message: `TS/JS facts: ${e instanceof Error ? e.message : String(e)}` });
      }
      if (sf && routes) {
        const { routeFactsTs } = require('./parse/routes-ts') as typeof import('./parse/routes-ts');
        const { facts: routesTs, errors } = routeFactsTs(relPath, text, sf);
        if (routesTs) facts.routesTs = routesTs;
        facts.errors.push(...errors);
      }
      if (sf && code) {
        const { codeFactsTs } = require('./parse/code-ts') as typeof import('./parse/code-ts');
        const codeFacts = codeFactsTs(relPath, text, sf);
        if (codeFacts) facts.code = codeFacts;
      }
      if (sf && debug) {
        const flags = tsDebugFlagsOf(sf);
        if (flags) facts.debug = flags;
      }
    }
  }
  if (relPath === 'Procfile' || relPath.endsWith('/Procfile')) facts.procfile = procfileEntries(text);
  if (kinds.some((k) => k !== 'text' && k !== 'lockfile' && k !== 'json')) {
    facts.directives = findDirectives(text, kinds, relPath, tsTree);
  }
  facts.errors = facts.errors.map((e) => clampError(redactSecrets(e, text, facts.secrets?.candidates)));
  return compactStrings(facts);
}

/** Parser messages may quote the offending text (a whole long line): reports keep only its start. */
export const MAX_ERROR_MESSAGE = 300;

/** Shortest tail of a secret that is masked where an error message was cut inside it. */
const MIN_SECRET_TAIL = 6;

/**
 * A parser's message may quote the line it failed on: every secret found in the file is
 * replaced by its mask there (and a message cut short inside a secret loses that tail), so
 * that no error output prints a secret whole.
 */
export function redactSecrets(e: ParseError, text: string, candidates: readonly { span: [number, number]; masked: string }[] | undefined): ParseError {
  if (!candidates || candidates.length === 0) return e;
  let message = e.message;
  for (const c of candidates) {
    const value = text.slice(c.span[0], c.span[1]);
    if (value.length < MIN_SECRET_TAIL) continue;
    if (message.includes(value)) message = message.split(value).join(c.masked);
    // The message may end part-way through the value (a parser's own cut, or ours below).
    for (let n = Math.min(value.length - 1, message.length); n >= MIN_SECRET_TAIL; n--) {
      if (message.endsWith(value.slice(0, n))) {
        message = message.slice(0, message.length - n) + c.masked;
        break;
      }
    }
  }
  return message === e.message ? e : { ...e, message };
}

function clampError(e: ParseError): ParseError {
  return e.message.length <= MAX_ERROR_MESSAGE ? e : { ...e, message: `${e.message.slice(0, MAX_ERROR_MESSAGE - 1)}…` };
}

export interface FactsCache {
  get(key: string): FileFacts | undefined;
  set(key: string, facts: FileFacts): void;
  /** Whether get(key) would probably hit, without decoding the entry (a persistent cache's index lookup). */
  has?(key: string): boolean;
  /**
   * A whole scan's stored result, when the cache keeps one: the outcome last stored under this
   * key (the digest of every input of the scan), provided every facts entry it names is still
   * held; those entries then count as used. Undefined otherwise.
   */
  snapshot?(key: string): { outcome: unknown } | undefined;
  /** Keeps a scan's result under the digest of its inputs, with the facts keys of its files. */
  storeSnapshot?(key: string, outcome: unknown, factKeys: readonly string[]): void;
  /** Forgets an entry (an editor's unsaved text that was typed over). */
  delete?(key: string): void;
}

export class MemoryFactsCache implements FactsCache {
  private readonly map = new Map<string, FileFacts>();
  get(key: string): FileFacts | undefined {
    return this.map.get(key);
  }
  set(key: string, facts: FileFacts): void {
    this.map.set(key, facts);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  get size(): number {
    return this.map.size;
  }
}

/** Cache key: the content hash, the file name (it decides the kinds) and the extractor version. */
export function factsKey(relPath: string, hash: string): string {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  // The kinds and facts of CI, Renovate and documentation files depend on their directory too.
  const dirPart = ciProviderOf(relPath) !== undefined || wantsMarkdownFacts(relPath) ? relPath : '';
  return `${EXTRACTOR_VERSION}:${hash}:${dirPart || name}`;
}

/** One file of a batch sent to a worker: its root-relative path and its text (never read by the worker). */
export interface PoolItem {
  relPath: string;
  text: string;
}

export interface PoolBatch {
  id: number;
  items: PoolItem[];
}

export interface PoolResult {
  facts: FileFacts;
  /** False for facts that must not be cached (Python facts extracted without tree-sitter). */
  cacheable: boolean;
}

export interface PoolReply {
  id: number;
  results: PoolResult[];
  /** Set when tree-sitter failed to load in the worker. */
  pythonError?: string;
  /** An unexpected exception: the batch is redone on the main thread. */
  failure?: string;
}

/** Extraction as the pool does it, on either thread: the facts and whether they may be cached. */
export function extractForPool(relPath: string, text: string): PoolResult {
  const facts = extractFacts(relPath, text);
  return { facts, cacheable: !(facts.kinds.includes('python') && !pythonReady() && mayHoldPyRoutes(relPath, text)) };
}

export function analyseText(relPath: string, text: string, cache?: FactsCache): { hash: string; facts: FileFacts; hit: boolean } {
  const hash = contentHash(text);
  const key = factsKey(relPath, hash);
  const cached = cache?.get(key);
  if (cached) return { hash, facts: cached, hit: true };
  const facts = extractFacts(relPath, text);
  // Python facts extracted before tree-sitter was ready lack their routes and code facts: never cache those.
  if (!(facts.kinds.includes('python') && !pythonReady() && (mayHoldPyRoutes(relPath, text) || MAY_HOLD_CODE_PY.test(text) || PY_DEBUG_HINT.test(text)))) cache?.set(key, facts);
  return { hash, facts, hit: false };
}
