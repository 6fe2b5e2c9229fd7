// The engine's front door: scan roots → ScanResult; compute a fix's edits on demand.
// The CLI and the language server are thin adapters over these functions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResultBuilder, readSource, type ScanOutcome } from './assemble';
import { DEFAULT_MAX_FILE_SIZE, loadConfig, type ConfigIssue, type ReadinessConfig } from './config';
import { discover } from './discover';
import { extractForPool, factsKey, MemoryFactsCache, type FactsCache, type PoolResult } from './extract';
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

export function rootPrefix(root: string, rootCount: number): string {
  if (rootCount <= 1) return '';
  return toPosix(path.normalize(root)).replace(/\/+$/, '');
}

export async function scan(opts: ScanOptions): Promise<ScanOutcome> {
  const started = Date.now();
  const cache = opts.cache ?? new MemoryFactsCache();
  const roots = opts.roots.length > 0 ? opts.roots : ['.'];
  const result = new ResultBuilder(opts);
  const { errors, skipped } = result;
  let cacheHits = 0;

  // Discover every root first so that progress has a total.
  const plans: { root: string; absRoot: string; prefix: string; config: ReadinessConfig; found: Awaited<ReturnType<typeof discover>> }[] = [];
  for (const root of roots) {
    const absRoot = path.resolve(root);
    const loaded = loadConfig(absRoot, opts.configFile, new Set(opts.rules.map((r) => r.meta.id)));
    if (loaded.issues.length > 0 && opts.strictConfig) throw new ConfigError(loaded.issues);
    const config = loaded.config;
    result.addConfig(config, loaded.issues);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absRoot);
    } catch {
      throw new ConfigError([{ file: root, key: '', line: 0, column: 0, message: 'no such file or directory' }]);
    }
    if (!stat.isDirectory()) throw new ConfigError([{ file: root, key: '', line: 0, column: 0, message: 'not a directory' }]);
    const maxFileSize = opts.editorMaxFileSize !== undefined && config.maxFileSize === DEFAULT_MAX_FILE_SIZE ? opts.editorMaxFileSize : config.maxFileSize;
    const found = await discover(absRoot, { include: config.include, ignore: [...config.ignore, ...(opts.editorIgnore ?? [])], maxFileSize });
    plans.push({ root, absRoot, prefix: rootPrefix(root, roots.length), config, found });
  }
  const total = plans.reduce((s, p) => s + p.found.files.length, 0);
  const checkCancelled = (): void => {
    if (opts.isCancelled?.()) throw new ScanCancelled();
  };

  // Read and hash every file and look its facts up in the cache; the misses are extracted
  // next, on worker threads when there are enough of them to pay for starting the workers.
  interface Pending {
    relPath: string;
    hash: string;
    key: string;
    facts?: FileFacts;
  }
  const pending: Pending[][] = [];
  const misses: { entry: Pending; text: string }[] = [];
  let done = 0;
  for (const plan of plans) {
    const out = (p: string): string => (plan.prefix ? `${plan.prefix}/${p}` : p);
    const entries: Pending[] = [];
    for (const d of plan.found.files) {
      checkCancelled();
      const src = readSource(d.absPath, opts.overlays);
      if ('skip' in src) {
        skipped.push({ file: out(d.path), reason: src.skip });
        entries.push({ relPath: d.path, hash: '', key: '' });
        done++;
        continue;
      }
      const hash = contentHash(src.text);
      const key = factsKey(d.path, hash);
      const facts = cache.get(key);
      const entry: Pending = { relPath: d.path, hash, key, facts };
      entries.push(entry);
      if (facts) {
        cacheHits++;
        done++;
      } else misses.push({ entry, text: src.text });
    }
    pending.push(entries);
  }
  if (total > 0) opts.onProgress?.(done, total);

  const workerScript = opts.workerScript ?? defaultWorkerScript();
  const workerCount = opts.workers ?? (misses.length >= SPAWN_THRESHOLD ? defaultWorkerCount() : 0);
  const reportPython = (message: string | undefined): void => {
    const firstPy = misses.find((m) => m.entry.relPath.endsWith('.py'));
    if (!message || !firstPy) return;
    const plan = plans.find((p) => p.found.files.some((f) => f.path === firstPy.entry.relPath))!;
    errors.push({ file: plan.prefix ? `${plan.prefix}/${firstPy.entry.relPath}` : firstPy.entry.relPath, message: `Python route facts unavailable: tree-sitter did not load (${message})` });
  };
  const keep = (m: { entry: Pending }, r: PoolResult): void => {
    m.entry.facts = r.facts;
    if (r.cacheable) cache.set(m.entry.key, r.facts);
  };
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
    misses.forEach((m, i) => keep(m, pooled.results[i]!));
    reportPython(pooled.pythonError);
  } else {
    // Python route facts need tree-sitter's wasm, which loads asynchronously (once).
    if (misses.some((m) => m.entry.relPath.endsWith('.py'))) {
      await preparePython();
      reportPython(pythonPrepareError());
    }
    for (const m of misses) {
      checkCancelled();
      keep(m, extractForPool(m.entry.relPath, m.text));
      done++;
      if (done % 200 === 0 || done === total) opts.onProgress?.(done, total);
    }
  }
  misses.length = 0;

  for (const [planIndex, plan] of plans.entries()) {
    const { root, absRoot, prefix, config, found } = plan;
    const out = (p: string): string => (prefix ? `${prefix}/${p}` : p);
    for (const s of found.skipped) skipped.push({ ...s, file: out(s.file) });
    const files: SourceFile[] = [];
    const skippedPaths = new Set(found.skipped.map((s) => s.file));
    for (const [i, d] of found.files.entries()) {
      const { hash, facts } = pending[planIndex]![i]!;
      if (!facts) {
        skippedPaths.add(d.path);
        continue;
      }
      files.push({ root, path: d.path, absPath: d.absPath, hash, size: d.size, facts });
    }
    result.runRoot({ root, absRoot, prefix, config, files, skippedPaths });
  }
  return result.finish(roots, started, cacheHits);
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
export { DiskFactsCache, DEFAULT_CACHE_DIR, type DiskFactsCacheOptions, type CacheLoadResult, type CacheSaveResult } from './diskcache';
export { MemoryFactsCache, type FactsCache } from './extract';
