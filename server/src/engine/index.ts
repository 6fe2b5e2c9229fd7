// The engine's front door: scan roots → ScanResult; compute a fix's edits on demand.
// The CLI and the language server are thin adapters over these functions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE, loadConfig, type ConfigIssue, type ReadinessConfig } from './config';
import { discover } from './discover';
import { extractForPool, factsKey, MemoryFactsCache, type FactsCache, type PoolResult } from './extract';
import { defaultWorkerCount, defaultWorkerScript, extractInPool, SPAWN_THRESHOLD } from './pool';
import { preparePython, pythonPrepareError } from './parse/routes-py';
import { parseYamlDocuments } from './parse/yaml';
import type { FixContext, Rule } from './rule';
import { runRoot, type Tally } from './run';
import { checkOf, scoreChecks } from './score';
import { detectServices, serviceLookup } from './services';
import { contentHash, decode, offsetToPos } from './text';
import type { Category, ErrorEntry, FileFacts, Finding, Fix, Level, ScanResult, Severity, SkippedEntry, SourceFile, SuppressedFinding } from './types';

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

export interface ScanOutcome extends ScanResult {
  configIssues: ConfigIssue[];
  /** Per-root effective config (same order as roots). */
  configs: ReadinessConfig[];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function readSource(absPath: string, overlays?: ReadonlyMap<string, string>): { text: string } | { skip: string } {
  const overlay = overlays?.get(absPath);
  if (overlay !== undefined) return { text: overlay };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absPath);
  } catch (e) {
    return { skip: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const d = decode(bytes);
  return d.ok ? { text: d.text } : { skip: d.reason };
}

/** Files listed as patches by a kustomization: partial objects, not complete workloads. */
function kustomizePatches(files: readonly SourceFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    if (!f.facts.kinds.includes('kustomization')) continue;
    const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '';
    for (const doc of f.facts.yaml?.docs ?? []) {
      const v = doc.value as Record<string, unknown> | null;
      if (!v || typeof v !== 'object') continue;
      const entries: unknown[] = [...((v.patchesStrategicMerge as unknown[]) ?? []), ...((v.patches as unknown[]) ?? [])];
      for (const e of entries) {
        const p = typeof e === 'string' ? e : e && typeof e === 'object' ? (e as Record<string, unknown>).path : undefined;
        if (typeof p === 'string') out.add(path.posix.normalize(dir ? `${dir}/${p}` : p));
      }
    }
  }
  return out;
}

export function rootPrefix(root: string, rootCount: number): string {
  if (rootCount <= 1) return '';
  return toPosix(path.normalize(root)).replace(/\/+$/, '');
}

export async function scan(opts: ScanOptions): Promise<ScanOutcome> {
  const started = Date.now();
  const cache = opts.cache ?? new MemoryFactsCache();
  const roots = opts.roots.length > 0 ? opts.roots : ['.'];
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const errors: ErrorEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const allFiles: SourceFile[] = [];
  const services: ScanResult['services'] = [];
  const configIssues: ConfigIssue[] = [];
  const configs: ReadinessConfig[] = [];
  const merged = new Map<string, Tally>();
  const notAnalysed: Record<string, number> = {};
  let cacheHits = 0;
  let weights: Partial<Record<Category, number>> = {};

  // Discover every root first so that progress has a total.
  const plans: { root: string; absRoot: string; prefix: string; config: ReadinessConfig; found: Awaited<ReturnType<typeof discover>> }[] = [];
  for (const root of roots) {
    const absRoot = path.resolve(root);
    const loaded = loadConfig(absRoot, opts.configFile, new Set(opts.rules.map((r) => r.meta.id)));
    if (loaded.issues.length > 0) {
      if (opts.strictConfig) throw new ConfigError(loaded.issues);
      configIssues.push(...loaded.issues);
    }
    const config = loaded.config;
    configs.push(config);
    weights = { ...config.weights, ...weights };
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
      const file: SourceFile = { root, path: d.path, absPath: d.absPath, hash, size: d.size, facts };
      for (const err of facts.errors) {
        const pos = err.offset !== undefined ? offsetToPos(facts.lineStarts, err.offset) : undefined;
        errors.push({ file: out(d.path), ...(pos ? { line: pos.line } : {}), message: err.message });
      }
      const lang = notAnalysedLanguage(d.path);
      if (lang) notAnalysed[lang] = (notAnalysed[lang] ?? 0) + 1;
      files.push(file);
    }
    allFiles.push(...files);

    const rootServices = detectServices(files, path.basename(absRoot));
    services.push(...rootServices.map((s) => ({ ...s, root: s.root === '.' && prefix ? prefix : prefix ? `${prefix}/${s.root}` : s.root, entry: s.entry ? out(s.entry) : undefined, manifest: s.manifest ? out(s.manifest) : undefined, anchor: s.anchor ? { ...s.anchor, file: out(s.anchor.file) } : undefined })));

    const levels = new Map<string, Severity | 'off'>();
    const explicit = new Set<string>();
    for (const r of opts.rules) levels.set(r.meta.id, r.meta.severity);
    for (const layer of [opts.editorRules, config.rules, opts.ruleOverrides]) {
      for (const [id, level] of Object.entries(layer ?? {})) {
        levels.set(id, level);
        explicit.add(id);
      }
    }
    const run = runRoot({
      root,
      prefix,
      files,
      rules: opts.rules,
      levels,
      explicit,
      settings: { publicRoutes: config.publicRoutes, authGuards: config.authGuards },
      notKubernetes: kustomizePatches(files),
      serviceOf: serviceLookup(rootServices),
      services: rootServices,
      skippedPaths,
    });
    findings.push(...run.findings);
    suppressed.push(...run.suppressed);
    for (const [id, t] of run.tallies) {
      const m = merged.get(id);
      const evidence = prefix ? t.evidence.map((e) => (e.file ? { ...e, file: out(e.file) } : e)) : t.evidence;
      if (!m) merged.set(id, { ...t, evidence });
      else {
        m.subjects += t.subjects;
        m.scoreSum += t.scoreSum;
        m.failing += t.failing;
        m.passing += t.passing;
        m.evidence.push(...evidence);
      }
    }
  }

  const checks = opts.rules.filter((r) => merged.has(r.meta.id)).map((r) => checkOf(merged.get(r.meta.id)!));
  const scores = scoreChecks(checks, weights);
  const order = (a: Finding, b: Finding): number =>
    cmp(a.file, b.file) || a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || cmp(a.ruleId, b.ruleId) || cmp(a.message, b.message);
  findings.sort(order);
  suppressed.sort(order);
  errors.sort((a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0));
  skipped.sort((a, b) => cmp(a.file, b.file));
  return {
    roots,
    overall: scores.overall,
    grade: scores.grade,
    categories: scores.categories,
    checks,
    findings,
    suppressed,
    services,
    errors,
    skipped,
    stats: { files: allFiles.length, skipped: skipped.length, durationMs: Date.now() - started, notAnalysed, cacheHits },
    files: allFiles,
    configIssues,
    configs,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const NOT_ANALYSED: Record<string, string> = { '.go': 'go', '.java': 'java', '.rb': 'ruby', '.php': 'php', '.cs': 'csharp', '.kt': 'kotlin', '.rs': 'rust', '.scala': 'scala' };

function notAnalysedLanguage(p: string): string | undefined {
  const dot = p.lastIndexOf('.');
  return dot < 0 ? undefined : NOT_ANALYSED[p.slice(dot).toLowerCase()];
}

/** Reads files for fixes: unsaved editor text first, then the disk. */
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
export { DiskFactsCache, DEFAULT_CACHE_DIR, type DiskFactsCacheOptions, type CacheLoadResult, type CacheSaveResult } from './diskcache';
export { MemoryFactsCache, type FactsCache } from './extract';
