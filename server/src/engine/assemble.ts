// From analysed files to a ScanResult: what scan() and the editor session share once every
// root's files have facts — parse errors, services, rule levels, the rule run per root,
// tallies merged across roots, scores, and the sort order of the output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigIssue, ReadinessConfig } from './config';
import type { Rule } from './rule';
import type { RuleMemo } from './rule-memo';
import { runRoot, type Tally } from './run';
import { checkOf, scoreChecks } from './score';
import { detectServices, serviceLookup } from './services';
import { decode, offsetToPos } from './text';
import type { Category, ErrorEntry, Finding, Level, ScanResult, Severity, SkippedEntry, SourceFile, SuppressedFinding } from './types';

export interface ScanOutcome extends ScanResult {
  configIssues: ConfigIssue[];
  /** Per-root effective config (same order as roots). */
  configs: ReadinessConfig[];
}

/** A file's text: the editor's unsaved text when there is one, else the disk's, decoded; binary and unreadable files are skipped with the reason. */
export function readSource(absPath: string, overlays?: ReadonlyMap<string, string>): { text: string } | { skip: string } {
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

const NOT_ANALYSED: Record<string, string> = { '.go': 'go', '.java': 'java', '.rb': 'ruby', '.php': 'php', '.cs': 'csharp', '.kt': 'kotlin', '.rs': 'rust', '.scala': 'scala' };

function notAnalysedLanguage(p: string): string | undefined {
  const dot = p.lastIndexOf('.');
  return dot < 0 ? undefined : NOT_ANALYSED[p.slice(dot).toLowerCase()];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface RootRunInput {
  root: string;
  absRoot: string;
  /** Prefix of output paths ("" for a single root). */
  prefix: string;
  config: ReadinessConfig;
  /** The root's analysed files, in discovery order. */
  files: SourceFile[];
  /** Root-relative paths discovery or reading skipped (rules may ask whether they exist). */
  skippedPaths: Set<string>;
  /** The editor session's rule memo for this root (rule-memo.ts). */
  memo?: RuleMemo;
}

/** Collects every root's results and turns them into one ScanOutcome. */
export class ResultBuilder {
  readonly errors: ErrorEntry[] = [];
  readonly skipped: SkippedEntry[] = [];
  private readonly findings: Finding[] = [];
  private readonly suppressed: SuppressedFinding[] = [];
  private readonly allFiles: SourceFile[] = [];
  private readonly services: ScanResult['services'] = [];
  private readonly configIssues: ConfigIssue[] = [];
  private readonly configs: ReadinessConfig[] = [];
  private readonly merged = new Map<string, Tally>();
  private readonly notAnalysed: Record<string, number> = {};
  private weights: Partial<Record<Category, number>> = {};

  constructor(private readonly opts: { rules: Rule[]; editorRules?: Record<string, Level>; ruleOverrides?: Record<string, Level> }) {}

  /** A root's effective config and its problems; the first root's weights win. */
  addConfig(config: ReadinessConfig, issues: readonly ConfigIssue[]): void {
    this.configIssues.push(...issues);
    this.configs.push(config);
    this.weights = { ...config.weights, ...this.weights };
  }

  /** Runs the rules over one root's files and merges what they found. */
  runRoot(input: RootRunInput): void {
    const { root, absRoot, prefix, config, files } = input;
    const out = (p: string): string => (prefix ? `${prefix}/${p}` : p);
    for (const f of files) {
      for (const err of f.facts.errors) {
        const pos = err.offset !== undefined ? offsetToPos(f.facts.lineStarts, err.offset) : undefined;
        this.errors.push({ file: out(f.path), ...(pos ? { line: pos.line } : {}), message: err.message });
      }
      const lang = notAnalysedLanguage(f.path);
      if (lang) this.notAnalysed[lang] = (this.notAnalysed[lang] ?? 0) + 1;
    }
    this.allFiles.push(...files);

    const rootServices = detectServices(files, path.basename(absRoot));
    for (const s of rootServices) {
      this.services.push({
        ...s,
        root: s.root === '.' && prefix ? prefix : prefix ? `${prefix}/${s.root}` : s.root,
        entry: s.entry ? out(s.entry) : undefined,
        manifest: s.manifest ? out(s.manifest) : undefined,
        anchor: s.anchor ? { ...s.anchor, file: out(s.anchor.file) } : undefined,
      });
    }

    const levels = new Map<string, Severity | 'off'>();
    const explicit = new Set<string>();
    for (const r of this.opts.rules) levels.set(r.meta.id, r.meta.severity);
    for (const layer of [this.opts.editorRules, config.rules, this.opts.ruleOverrides]) {
      for (const [id, level] of Object.entries(layer ?? {})) {
        levels.set(id, level);
        explicit.add(id);
      }
    }
    const run = runRoot({
      root,
      prefix,
      files,
      rules: this.opts.rules,
      levels,
      explicit,
      settings: { publicRoutes: config.publicRoutes, authGuards: config.authGuards },
      notKubernetes: kustomizePatches(files),
      serviceOf: serviceLookup(rootServices),
      services: rootServices,
      skippedPaths: input.skippedPaths,
      memo: input.memo,
    });
    this.findings.push(...run.findings);
    this.suppressed.push(...run.suppressed);
    for (const [id, t] of run.tallies) {
      const m = this.merged.get(id);
      const evidence = prefix ? t.evidence.map((e) => (e.file ? { ...e, file: out(e.file) } : e)) : t.evidence;
      if (!m) this.merged.set(id, { ...t, evidence });
      else {
        m.subjects += t.subjects;
        m.scoreSum += t.scoreSum;
        m.failing += t.failing;
        m.passing += t.passing;
        m.evidence.push(...evidence);
      }
    }
  }

  /** Files analysed so far, over every root. */
  get fileCount(): number {
    return this.allFiles.length;
  }

  /** Checks, scores and the output in its stable order. */
  finish(roots: string[], started: number, cacheHits: number): ScanOutcome {
    const checks = this.opts.rules.filter((r) => this.merged.has(r.meta.id)).map((r) => checkOf(this.merged.get(r.meta.id)!));
    const scores = scoreChecks(checks, this.weights);
    const order = (a: Finding, b: Finding): number =>
      cmp(a.file, b.file) || a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || cmp(a.ruleId, b.ruleId) || cmp(a.message, b.message);
    this.findings.sort(order);
    this.suppressed.sort(order);
    this.errors.sort((a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0));
    this.skipped.sort((a, b) => cmp(a.file, b.file));
    return {
      roots,
      overall: scores.overall,
      grade: scores.grade,
      categories: scores.categories,
      checks,
      findings: this.findings,
      suppressed: this.suppressed,
      services: this.services,
      errors: this.errors,
      skipped: this.skipped,
      stats: { files: this.allFiles.length, skipped: this.skipped.length, durationMs: Date.now() - started, notAnalysed: this.notAnalysed, cacheHits },
      files: this.allFiles,
      configIssues: this.configIssues,
      configs: this.configs,
    };
  }
}
