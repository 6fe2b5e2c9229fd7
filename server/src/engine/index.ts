// The engine's front door: scan roots → ScanResult; compute a fix's edits on demand.
// The CLI and the language server are thin adapters over these functions.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResultBuilder, readSource, type ScanOutcome } from './assemble';
import { DEFAULT_MAX_FILE_SIZE, loadConfig, type ConfigIssue, type ReadinessConfig } from './config';
import { discover } from './discover';
import { EXTRACTOR_VERSION, extractFacts, extractForPool, factsKey, MemoryFactsCache, type FactsCache, type PoolResult } from './extract';
import { defaultWorkerCount, defaultWorkerScript, extractInPool, SPAWN_THRESHOLD } from './pool';
import { preparePython, pythonPrepareError } from './parse/routes-py';
import { parseYamlDocuments } from './parse/yaml';
import type { FixContext, Rule } from './rule';
import { contentHash } from './text';
import type { FileFacts, Finding, Fix, Level, SourceFile } from './types';

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.key ? `${i.key}: ` : ''}${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export interface ScanOptions {
  roots: string[];
  rules: Rule[];
  /** Replaces each root's `.readiness.yaml`. */
  configFile?: string;
  /** Rule levels from flags: the highest precedence. */
  ruleOverrides?: Record<string, Level>;
  /** Rule levels from editor settings: below the config file. */
  editorRules?: Record<string, Level>;
  /** Throw ConfigError on config problems (CLI); otherwise carry on with defaults and report them. */
  strictConfig?: boolean;
  /** Unsaved editor contents by absolute path. */
  overlays?: ReadonlyMap<string, string>;
  cache?: FactsCache;
  onProgress?: (done: number, total: number) => void;
  /** Extra ignore globs from editor settings (added to the config's). */
  editorIgnore?: string[];
  /** Max file size from editor settings, used when the config file does not set one. */
  editorMaxFileSize?: number;
  /** Polled between files; a cancelled scan throws ScanCancelled. */
  isCancelled?: () => boolean;
  /**
   * Worker threads for fact extraction. Default: none for small scans, otherwise one per
   * spare core (pool.ts). 0 keeps everything on the calling thread. Results are identical either way.
   */
  workers?: number;
  /** The worker entry; default dist/worker.js beside the bundle. */
  workerScript?: string;
}

export class ScanCancelled extends Error {
  constructor() {
    super('scan cancelled');
    this.name = 'ScanCancelled';
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** A root must be an existing directory: a ConfigError (the CLI's exit 2) says what it is instead. */
export function assertRootDirectory(root: string, absRoot: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absRoot);
  } catch {
    throw new ConfigError([{ file: root, key: '', line: 0, column: 0, message: 'no such file or directory' }]);
  }
  if (!stat.isDirectory()) throw new ConfigError([{ file: root, key: '', line: 0, column: 0, message: 'not a directory' }]);
}

/** The editor's max file size applies where the config file leaves the default. */
export function effectiveMaxFileSize(config: ReadinessConfig, editorMaxFileSize: number | undefined): number {
  return editorMaxFileSize !== undefined && config.maxFileSize === DEFAULT_MAX_FILE_SIZE ? editorMaxFileSize : config.maxFileSize;
}

export function rootPrefix(root: string, rootCount: number): string {
  if (rootCount <= 1) return '';
  return toPosix(path.normalize(root)).replace(/\/+$/, '');
}

export async function scan(opts: ScanOptions): Promise<ScanOutcome> {
  const started = Date.now();
  const cache: FactsCache = opts.cache ?? new MemoryFactsCache();
  const roots = opts.roots.length > 0 ? opts.roots : ['.'];
  const result = new ResultBuilder(opts);
  const { errors, skipped } = result;
  let cacheHits = 0;

  // Discover every root first so that progress has a total.
  const plans: { root: string; absRoot: string; prefix: string; config: ReadinessConfig; issues: ConfigIssue[]; found: Awaited<ReturnType<typeof discover>> }[] = [];
  for (const root of roots) {
    const absRoot = path.resolve(root);
    const loaded = loadConfig(absRoot, opts.configFile, new Set(opts.rules.map((r) => r.meta.id)));
    if (loaded.issues.length > 0 && opts.strictConfig) throw new ConfigError(loaded.issues);
    const config = loaded.config;
    result.addConfig(config, loaded.issues);
    assertRootDirectory(root, absRoot);
    const maxFileSize = effectiveMaxFileSize(config, opts.editorMaxFileSize);
    const found = await discover(absRoot, { include: config.include, ignore: [...config.ignore, ...(opts.editorIgnore ?? [])], maxFileSize });
    plans.push({ root, absRoot, prefix: rootPrefix(root, roots.length), config, issues: loaded.issues, found });
  }
  const total = plans.reduce((s, p) => s + p.found.files.length, 0);
  const checkCancelled = (): void => {
    if (opts.isCancelled?.()) throw new ScanCancelled();
  };

  // Read and hash every file and look its facts up in the cache. When extraction stays on
  // this thread (no workers: a small machine, or asked for), a miss is extracted as soon as
  // it is read, so that only one file's text is alive at a time; otherwise the misses' texts
  // are kept and extracted next, on worker threads when there are enough of them to pay for
  // starting the workers.
  interface Pending {
    relPath: string;
    hash: string;
    key: string;
    facts?: FileFacts;
    /** Held by the cache but not decoded yet: a stored snapshot may make decoding needless. */
    deferred?: boolean;
  }
  const workerScript = opts.workerScript ?? defaultWorkerScript();
  const inline = !workerScript || opts.workers === 0 || (opts.workers === undefined && defaultWorkerCount() === 0);
  // A cache that keeps snapshots gets this scan's result under the digest of its inputs; when
  // every file's facts are already held, a stored result under the same digest is the answer.
  const snapshots = cache.snapshot !== undefined && cache.storeSnapshot !== undefined && cache.has !== undefined && !(opts.overlays && opts.overlays.size > 0);
  const digest = snapshots ? inputsDigest(opts, roots, plans) : undefined;
  let maySnapshotHit = snapshots;
  let snapshotSafe = snapshots;
  const storedHere = new Set<string>();
  const pending: Pending[][] = [];
  const misses: { entry: Pending; text: string }[] = [];
  let firstPyMiss: string | undefined;
  let pythonPrepared = false;
  let done = 0;
  const reportPython = (message: string | undefined): void => {
    if (!message || firstPyMiss === undefined) return;
    // An environment problem, not a property of the inputs: such a result is never kept.
    snapshotSafe = false;
    const plan = plans.find((p) => p.found.files.some((f) => f.path === firstPyMiss))!;
    errors.push({ file: plan.prefix ? `${plan.prefix}/${firstPyMiss}` : firstPyMiss, message: `Python route facts unavailable: tree-sitter did not load (${message})` });
  };
  const keep = (entry: Pending, r: PoolResult): void => {
    entry.facts = r.facts;
    if (r.cacheable) {
      cache.set(entry.key, r.facts);
      storedHere.add(entry.key);
    } else snapshotSafe = false;
  };
  // Files with the same content share an entry: one stored earlier in this scan is not a hit
  // (so that the count does not depend on whether extraction ran on this thread or a worker).
  const lookup = (entry: Pending): FileFacts | undefined => {
    const facts = cache.get(entry.key);
    if (facts && !storedHere.has(entry.key)) cacheHits++;
    return facts;
  };
  const progress = (): void => {
    if (done % 200 === 0 || done === total) opts.onProgress?.(done, total);
  };
  const extractHere = async (entry: Pending, text: string): Promise<void> => {
    // Python route facts need tree-sitter's wasm, which loads asynchronously (once).
    if (!pythonPrepared && entry.relPath.endsWith('.py')) {
      pythonPrepared = true;
      await preparePython();
      reportPython(pythonPrepareError());
    }
    checkCancelled();
    keep(entry, extractForPool(entry.relPath, text));
  };
  for (const [planIndex, plan] of plans.entries()) {
    const out = (p: string): string => (plan.prefix ? `${plan.prefix}/${p}` : p);
    const entries: Pending[] = [];
    for (const d of plan.found.files) {
      checkCancelled();
      const src = readSource(d.absPath, opts.overlays);
      if ('skip' in src) {
        skipped.push({ file: out(d.path), reason: src.skip });
        entries.push({ relPath: d.path, hash: '', key: '' });
        digest?.update(`skip\0${planIndex}\0${d.path}\0${src.skip}\n`);
        done++;
        if (inline) progress();
        continue;
      }
      const hash = contentHash(src.text);
      const key = factsKey(d.path, hash);
      digest?.update(`file\0${planIndex}\0${d.path}\0${d.size}\0${hash}\n`);
      const entry: Pending = { relPath: d.path, hash, key };
      entries.push(entry);
      if (maySnapshotHit && cache.has!(key)) {
        entry.deferred = true;
        done++;
        if (inline) progress();
        continue;
      }
      maySnapshotHit = false;
      entry.facts = lookup(entry);
      if (!entry.facts) {
        if (firstPyMiss === undefined && d.path.endsWith('.py')) firstPyMiss = d.path;
        if (!inline) {
          misses.push({ entry, text: src.text });
          continue;
        }
        await extractHere(entry, src.text);
      }
      done++;
      if (inline) progress();
    }
    pending.push(entries);
  }
  if (total > 0 && !inline) opts.onProgress?.(done, total);

  const snapshotKey = digest?.digest('hex');
  if (maySnapshotHit && snapshotKey !== undefined) {
    const stored = fromSnapshot(cache.snapshot!(snapshotKey)?.outcome, cache, started);
    if (stored) return stored;
  }
  // No stored result: decode what the cache holds. An entry that turns out damaged is re-read and extracted.
  for (const [planIndex, plan] of plans.entries()) {
    for (const [i, entry] of pending[planIndex]!.entries()) {
      if (!entry.deferred) continue;
      checkCancelled();
      entry.deferred = false;
      entry.facts = lookup(entry);
      if (entry.facts) continue;
      const src = readSource(plan.found.files[i]!.absPath, opts.overlays);
      if ('skip' in src) snapshotSafe = false;
      else await extractHere(entry, src.text);
    }
  }

  const workerCount = opts.workers ?? (misses.length >= SPAWN_THRESHOLD ? defaultWorkerCount() : 0);
  if (workerCount > 0 && workerScript && misses.length > 1) {
    const base = done;
    let last = 0;
    const pooled = await extractInPool(
      misses.map((m) => ({ relPath: m.entry.relPath, text: m.text })),
      {
        workers: workerCount,
        script: workerScript,
        checkCancelled,
        onDone: (n) => {
          if (n - last >= 200 || n === misses.length) {
            last = n;
            opts.onProgress?.(base + n, total);
          }
        },
      },
    );
    misses.forEach((m, i) => keep(m.entry, pooled.results[i]!));
    reportPython(pooled.pythonError);
  } else {
    for (const m of misses) {
      await extractHere(m.entry, m.text);
      done++;
      progress();
    }
  }
  misses.length = 0;

  const factKeys: string[] = [];
  for (const [planIndex, plan] of plans.entries()) {
    const { root, absRoot, prefix, config, found } = plan;
    const out = (p: string): string => (prefix ? `${prefix}/${p}` : p);
    for (const s of found.skipped) skipped.push({ ...s, file: out(s.file) });
    const files: SourceFile[] = [];
    const skippedPaths = new Set(found.skipped.map((s) => s.file));
    for (const [i, d] of found.files.entries()) {
      const { hash, key, facts } = pending[planIndex]![i]!;
      if (!facts) {
        skippedPaths.add(d.path);
        continue;
      }
      files.push({ root, path: d.path, absPath: d.absPath, hash, size: d.size, facts });
      factKeys.push(key);
    }
    result.runRoot({ root, absRoot, prefix, config, files, skippedPaths });
  }
  const outcome = result.finish(roots, started, cacheHits);
  if (snapshotKey !== undefined && snapshotSafe) cache.storeSnapshot!(snapshotKey, toSnapshot(outcome, factKeys), factKeys);
  return outcome;
}

/** JSON with Sets, Maps and RegExps spelled out, for digests. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v instanceof Map ? [...(v as Map<unknown, unknown>)] : v instanceof RegExp ? String(v) : v));
}

/**
 * The digest of a scan's inputs, before the files: the extractor version, the rules (their
 * metadata and check code), the roots, each root's effective config and its problems, the
 * options that change levels or discovery, and what discovery skipped. The files' paths,
 * sizes and content hashes (or why each was skipped) are added as they are read. The tool
 * version is the cache's own (a cache written by another version is not loaded).
 */
function inputsDigest(opts: ScanOptions, roots: readonly string[], plans: readonly { absRoot: string; prefix: string; config: ReadinessConfig; issues: ConfigIssue[]; found: { skipped: unknown[] } }[]): ReturnType<typeof createHash> {
  const h = createHash('sha256');
  h.update(`readiness-scan\0${EXTRACTOR_VERSION}\n`);
  for (const r of opts.rules) h.update(`rule\0${stableJson(r.meta)}\0${String(r.check)}\0${r.fix ? String(r.fix) : ''}\n`);
  const options = {
    roots,
    configFile: opts.configFile === undefined ? null : path.resolve(opts.configFile),
    ruleOverrides: opts.ruleOverrides ?? null,
    editorRules: opts.editorRules ?? null,
    editorIgnore: opts.editorIgnore ?? null,
    editorMaxFileSize: opts.editorMaxFileSize ?? null,
    strictConfig: opts.strictConfig ?? false,
  };
  h.update(`options\0${stableJson(options)}\n`);
  for (const p of plans) h.update(`root\0${p.absRoot}\0${p.prefix}\0${stableJson(p.config)}\0${stableJson(p.issues)}\0${stableJson(p.found.skipped)}\n`);
  return h;
}

/** A file of a stored result: its facts stay in the facts cache under `factKey`. */
interface FileRef {
  root: string;
  path: string;
  absPath: string;
  hash: string;
  size: number;
  factKey: string;
}

function toSnapshot(outcome: ScanOutcome, factKeys: readonly string[]): unknown {
  const files: FileRef[] = outcome.files.map((f, i) => ({ root: f.root, path: f.path, absPath: f.absPath, hash: f.hash, size: f.size, factKey: factKeys[i]! }));
  return { ...outcome, files };
}

/**
 * A stored result as a fresh outcome: the same in every field but the duration and the cache
 * hits (every analysed file's facts came from the cache). A file's facts are decoded from the
 * cache when first asked for (re-extracted from disk should the entry be gone), since the
 * reports never look at them.
 */
function fromSnapshot(stored: unknown, cache: FactsCache, started: number): ScanOutcome | undefined {
  if (!stored || typeof stored !== 'object') return undefined;
  const o = stored as Omit<ScanOutcome, 'files'> & { files: FileRef[] };
  if (!Array.isArray(o.files) || !Array.isArray(o.findings) || !o.stats || typeof o.stats !== 'object') return undefined;
  const files = o.files.map((ref) => lazyFacts(ref, cache));
  return { ...o, files, stats: { ...o.stats, durationMs: Date.now() - started, cacheHits: files.length } };
}

function lazyFacts(ref: FileRef, cache: FactsCache): SourceFile {
  const file = { root: ref.root, path: ref.path, absPath: ref.absPath, hash: ref.hash, size: ref.size } as SourceFile;
  let facts: FileFacts | undefined;
  Object.defineProperty(file, 'facts', {
    enumerable: true,
    configurable: true,
    get: (): FileFacts => {
      if (facts === undefined) {
        facts = cache.get(ref.factKey);
        if (facts === undefined) {
          const src = readSource(ref.absPath);
          facts = extractFacts(ref.path, 'text' in src ? src.text : '');
        }
      }
      return facts;
    },
    set: (v: FileFacts) => {
      facts = v;
    },
  });
  return file;
}

export function fixContext(root: string, overlays?: ReadonlyMap<string, string>): FixContext {
  const abs = (file: string): string => path.resolve(root, file);
  const text = (file: string): string => {
    const overlay = overlays?.get(abs(file));
    if (overlay !== undefined) return overlay;
    const src = readSource(abs(file));
    if ('skip' in src) throw new Error(`cannot read ${file}: ${src.skip}`);
    return src.text;
  };
  return { text, yamlDocuments: (file) => parseYamlDocuments(text(file)) };
}

/** Strips the multi-root prefix from a finding's file: rules and fixes speak root-relative paths. */
export function rootRelative(finding: Finding, roots: readonly string[]): string {
  const prefix = rootPrefix(finding.root, roots.length);
  return prefix && finding.file.startsWith(prefix + '/') ? finding.file.slice(prefix.length + 1) : finding.file;
}

/** Computes the edits of one of a finding's fixes. Edits' `file` is relative to the finding's root. */
export function computeFix(rules: readonly Rule[], finding: Finding, fixIndex: number, roots: readonly string[], overlays?: ReadonlyMap<string, string>): Fix {
  const rule = rules.find((r) => r.meta.id === finding.ruleId);
  const offer = finding.fixes[fixIndex];
  if (!rule?.fix || !offer) throw new Error(`no fix ${fixIndex} for ${finding.ruleId}`);
  const local = { ...finding, file: rootRelative(finding, roots) };
  const edits = rule.fix(local, offer.kind, fixContext(path.resolve(finding.root), overlays));
  return { title: offer.title, safe: offer.safe, edits };
}

export type { Rule, RuleMeta, CheckContext, FixContext } from './rule';
export * from './types';
export { readSource, ResultBuilder, type ScanOutcome } from './assemble';
export { DiskFactsCache, DEFAULT_CACHE_DIR, SNAPSHOT_FILE_NAME, type DiskFactsCacheOptions, type CacheLoadResult, type CacheSaveResult } from './diskcache';
export { MemoryFactsCache, type FactsCache } from './extract';
