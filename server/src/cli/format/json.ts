// The JSON report, version 1 (CONTRACTS.md): a projection of the engine's ScanOutcome.
// One shape for the CLI's `--format json` and the language server's `readiness/report`.
import type { ScanOutcome } from '../../engine/index';
import type { Rule } from '../../engine/rule';
import type { ResolvedEvidence } from '../../engine/run';
import { CATEGORIES, type Category, type CategoryScore, type Check, type Evidence, type Finding, type Range, type Severity } from '../../engine/types';
import { TOOL, type ToolInfo } from '../tool';

export interface JsonEvidence {
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  note: string;
}

/** A check as the engine decides it, with evidence positions spelled out. */
export type JsonCheck = Omit<Check, 'evidence'> & { evidence: JsonEvidence[] };

export interface JsonFinding {
  ruleId: string;
  category: Category;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  service?: string;
  fingerprint: string;
  fixes: { title: string; safe: boolean }[];
}

/** A category's score: the engine's own shape. */
export type JsonCategory = CategoryScore;

/** A type alias (not an interface) so that it is assignable to `Record<string, unknown>`. */
export type JsonReport = {
  version: 1;
  tool: { name: string; version: string };
  roots: string[];
  score: { overall: number | null; grade: string; categories: Record<Category, JsonCategory> };
  checks: JsonCheck[];
  findings: JsonFinding[];
  services: { name: string; root: string; kind: string; entry?: string }[];
  suppressed: { ruleId: string; file: string; line: number; reason?: string }[];
  errors: { file: string; line?: number; message: string }[];
  skipped: { file: string; reason: string }[];
  stats: { files: number; skipped: number; durationMs: number; notAnalysed: Record<string, number> };
};

/** The evidence's range, when the engine resolved one (evidence with a file and a span). */
export function evidenceRange(e: Evidence): Range | undefined {
  return (e as ResolvedEvidence).range;
}

function jsonEvidence(e: Evidence): JsonEvidence {
  const range = evidenceRange(e);
  if (e.file === undefined) return { note: e.note };
  if (!range) return { file: e.file, note: e.note };
  return { file: e.file, line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column, note: e.note };
}

export function jsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    file: f.file,
    line: f.range.start.line,
    column: f.range.start.column,
    endLine: f.range.end.line,
    endColumn: f.range.end.column,
    message: f.message,
    fingerprint: f.fingerprint,
    fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe })),
  };
  if (f.service === undefined) return out;
  // `service` sits after `message`, as in the contract.
  const { fingerprint, fixes, ...head } = out;
  return { ...head, service: f.service, fingerprint, fixes };
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}

/**
 * Projects a scan into the JSON report. `rules` is the catalogue: checks come out in its
 * order. Internal fields (spans, subject keys, fix data, file facts, configs) stay out.
 */
export function toJsonReport(outcome: ScanOutcome, rules: readonly Rule[], tool: ToolInfo = TOOL): JsonReport {
  const order = new Map(rules.map((r, i) => [r.meta.id, i]));
  const rank = (id: string): number => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  const checks = [...outcome.checks].sort((a, b) => rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const categories = {} as Record<Category, JsonCategory>;
  for (const cat of CATEGORIES) {
    const c = outcome.categories[cat];
    categories[cat] = { score: c.score, weight: c.weight, checks: c.checks, applicable: c.applicable };
  }
  return {
    version: 1,
    tool: { name: tool.name, version: tool.version },
    roots: [...outcome.roots],
    score: { overall: outcome.overall, grade: outcome.grade, categories },
    checks: checks.map((c) => ({
      id: c.id,
      category: c.category,
      weight: c.weight,
      scope: c.scope,
      status: c.status,
      score: c.score,
      subjects: c.subjects,
      failing: c.failing,
      summary: c.summary,
      evidence: c.evidence.map(jsonEvidence),
    })),
    findings: outcome.findings.map(jsonFinding),
    services: outcome.services.map((s) => (s.entry === undefined ? { name: s.name, root: s.root, kind: s.kind } : { name: s.name, root: s.root, kind: s.kind, entry: s.entry })),
    suppressed: outcome.suppressed.map((s) => (s.reason === undefined ? { ruleId: s.ruleId, file: s.file, line: s.range.start.line } : { ruleId: s.ruleId, file: s.file, line: s.range.start.line, reason: s.reason })),
    errors: outcome.errors.map((e) => (e.line === undefined ? { file: e.file, message: e.message } : { file: e.file, line: e.line, message: e.message })),
    skipped: outcome.skipped.map((s) => ({ file: s.file, reason: s.reason })),
    stats: { files: outcome.stats.files, skipped: outcome.stats.skipped, durationMs: outcome.stats.durationMs, notAnalysed: sortedRecord(outcome.stats.notAnalysed) },
  };
}

export function formatJson(outcome: ScanOutcome, rules: readonly Rule[], tool: ToolInfo = TOOL): string {
  return JSON.stringify(toJsonReport(outcome, rules, tool), null, 2) + '\n';
}
