// The readiness tree as plain data: report → nodes. No `vscode` here, so that the shape of
// the tree (order, counts, icons, filtering, grouping) is unit-tested without an editor;
// tree.ts only turns these nodes into TreeItems.
import * as path from 'node:path';
import type { JsonCheck, JsonEvidence, JsonFinding, JsonReport } from '../../server/src/cli/format/json';
import { CATEGORIES, CATEGORY_LABELS, type Severity, type Status } from '../../server/src/engine/types';

export type NodeKind = 'overall' | 'category' | 'check' | 'finding' | 'evidence' | 'file' | 'errors' | 'error';
export type GroupBy = 'category' | 'file';

export interface ViewOptions {
  /** Only checks that fail or pass partly (and the categories holding them). */
  filterFailing: boolean;
  groupBy: GroupBy;
}

export const DEFAULT_VIEW_OPTIONS: ViewOptions = { filterFailing: false, groupBy: 'category' };

/** A codicon id and an optional theme colour id. */
export interface NodeIcon {
  id: string;
  color?: string;
}

/** 0-based, end exclusive: what VS Code's Range wants. */
export interface NodeRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface NodeLocation {
  /** Absolute path of the file. */
  path: string;
  range?: NodeRange;
}

export interface TreeNode {
  /** Unique in the tree and stable across reports, so expansion state survives a refresh. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon; nodes without one but with `resourcePath` show the file's icon. */
  icon?: NodeIcon;
  /** For file nodes: the file, so that the file icon theme and decorations apply. */
  resourcePath?: string;
  /** Where a click takes the user. */
  location?: NodeLocation;
  /** Checks and findings: the rule, for "Show documentation". */
  ruleId?: string;
  expanded?: boolean;
  children: TreeNode[];
}

export { CATEGORY_LABELS };

export const STATUS_ICONS: Readonly<Record<Status, NodeIcon>> = {
  pass: { id: 'pass', color: 'testing.iconPassed' },
  partial: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  fail: { id: 'error', color: 'problemsErrorIcon.foreground' },
  'not-applicable': { id: 'circle-slash', color: 'disabledForeground' },
};

export const SEVERITY_ICONS: Readonly<Record<Severity, NodeIcon>> = {
  error: { id: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  info: { id: 'info', color: 'problemsInfoIcon.foreground' },
};

const STATUS_TEXT: Readonly<Record<Status, string>> = {
  pass: 'passed',
  partial: 'partial',
  fail: 'failed',
  'not-applicable': 'not applicable',
};

export function isFailing(status: Status): boolean {
  return status === 'fail' || status === 'partial';
}

/** The icon of a score (0–100): the grade thresholds, 90+ ready, 50+ gaps, below 50 not ready. */
export function scoreIcon(score: number | null): NodeIcon {
  if (score === null) return STATUS_ICONS['not-applicable'];
  if (score >= 90) return STATUS_ICONS.pass;
  if (score >= 50) return STATUS_ICONS.partial;
  return STATUS_ICONS.fail;
}

export function percent(score: number | null): string {
  return score === null ? '—' : `${score}%`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The absolute path of a report path. The server scans absolute folders: with one root,
 * paths are relative to it; with several, they already start with their (absolute) root.
 */
export function resolveReportPath(report: Pick<JsonReport, 'roots'>, file: string): string {
  if (path.isAbsolute(file)) return file;
  const root = report.roots.length === 1 ? report.roots[0]! : '';
  return path.resolve(root, file);
}

/** 1-based report positions (end column exclusive) → a 0-based editor range. */
export function toNodeRange(line: number, column: number, endLine?: number, endColumn?: number): NodeRange {
  const start = { line: Math.max(line - 1, 0), character: Math.max(column - 1, 0) };
  const end = endLine !== undefined && endColumn !== undefined ? { line: Math.max(endLine - 1, 0), character: Math.max(endColumn - 1, 0) } : start;
  return { start, end };
}

function place(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`;
}

function findingNode(report: JsonReport, f: JsonFinding, id: string, description: string): TreeNode {
  const tooltip = [`${f.message}`, `${f.severity} · ${f.ruleId}`, `${f.file}:${f.line}:${f.column}`];
  if (f.service !== undefined) tooltip.push(`service: ${f.service}`);
  if (f.fixes.length > 0) tooltip.push(`quick fix: ${f.fixes.map((x) => x.title).join('; ')}`);
  return {
    id,
    kind: 'finding',
    label: f.message,
    description,
    tooltip: tooltip.join('\n'),
    icon: SEVERITY_ICONS[f.severity],
    location: { path: resolveReportPath(report, f.file), range: toNodeRange(f.line, f.column, f.endLine, f.endColumn) },
    ruleId: f.ruleId,
    children: [],
  };
}

function evidenceNode(report: JsonReport, e: JsonEvidence, id: string): TreeNode {
  if (e.file === undefined) {
    // What was looked for and not found: a statement, nothing to open.
    return { id, kind: 'evidence', label: e.note, tooltip: e.note, icon: { id: 'search' }, children: [] };
  }
  const location: NodeLocation = { path: resolveReportPath(report, e.file) };
  if (e.line !== undefined) location.range = toNodeRange(e.line, e.column ?? 1, e.endLine, e.endColumn);
  return { id, kind: 'evidence', label: e.note, description: place(e.file, e.line), tooltip: `${e.note}\n${place(e.file, e.line)}`, icon: { id: 'location' }, location, children: [] };
}

/** Findings keyed by rule id, in report order (file, line, column). */
function findingsByRule(report: JsonReport): Map<string, JsonFinding[]> {
  const out = new Map<string, JsonFinding[]>();
  for (const f of report.findings) {
    let list = out.get(f.ruleId);
    if (!list) out.set(f.ruleId, (list = []));
    list.push(f);
  }
  return out;
}

/** Fingerprints are stable per subject; two findings may still share one, so ids count them. */
function uniqueIds(prefix: string): (key: string) => string {
  const seen = new Map<string, number>();
  return (key) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n === 0 ? `${prefix}${key}` : `${prefix}${key}#${n}`;
  };
}

function checkNode(report: JsonReport, c: JsonCheck, findings: readonly JsonFinding[]): TreeNode {
  const findingId = uniqueIds(`finding:${c.id}:`);
  const children = [
    ...findings.map((f) => findingNode(report, f, findingId(f.fingerprint), place(f.file, f.line))),
    ...c.evidence.map((e, i) => evidenceNode(report, e, `evidence:${c.id}:${i}`)),
  ];
  const score = c.score === null ? 'n/a' : `${Math.round(c.score * 100)}%`;
  const description = findings.length > 0 ? plural(findings.length, 'finding') : c.status === 'pass' || c.status === 'not-applicable' ? STATUS_TEXT[c.status] : `${STATUS_TEXT[c.status]} · ${score}`;
  return {
    id: `check:${c.id}`,
    kind: 'check',
    label: c.id,
    description,
    tooltip: `${c.summary}\n${STATUS_TEXT[c.status]} (${score}) · ${c.scope} check · weight ${c.weight}`,
    icon: STATUS_ICONS[c.status],
    ruleId: c.id,
    children,
  };
}

function byCategory(report: JsonReport, options: ViewOptions): TreeNode[] {
  const findings = findingsByRule(report);
  const out: TreeNode[] = [];
  for (const cat of CATEGORIES) {
    const checks = report.checks.filter((c) => c.category === cat && (!options.filterFailing || isFailing(c.status)));
    if (options.filterFailing && checks.length === 0) continue;
    const summary = report.score.categories[cat];
    const score = summary?.score ?? null;
    const failing = checks.filter((c) => isFailing(c.status)).length;
    out.push({
      id: `category:${cat}`,
      kind: 'category',
      label: CATEGORY_LABELS[cat],
      description: score === null ? 'not applicable' : failing > 0 ? `${score}% · ${failing} failing` : `${score}%`,
      tooltip: summary ? `${CATEGORY_LABELS[cat]}: ${percent(score)}\n${summary.applicable} of ${plural(summary.checks, 'check')} applicable · weight ${summary.weight}` : CATEGORY_LABELS[cat],
      icon: scoreIcon(score),
      children: checks.map((c) => checkNode(report, c, findings.get(c.id) ?? [])),
    });
  }
  return out;
}

function byFile(report: JsonReport): TreeNode[] {
  const files = new Map<string, JsonFinding[]>();
  for (const f of report.findings) {
    let list = files.get(f.file);
    if (!list) files.set(f.file, (list = []));
    list.push(f);
  }
  const order = (a: JsonFinding, b: JsonFinding): number => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
  return [...files.keys()].sort().map((file) => {
    const list = [...files.get(file)!].sort(order);
    const findingId = uniqueIds(`file-finding:${file}:`);
    return {
      id: `file:${file}`,
      kind: 'file' as const,
      label: file,
      description: plural(list.length, 'finding'),
      tooltip: `${file}\n${plural(list.length, 'finding')}`,
      resourcePath: resolveReportPath(report, file),
      children: list.map((f) => findingNode(report, f, findingId(`${f.ruleId}:${f.fingerprint}`), `Ln ${f.line} · ${f.ruleId}`)),
    };
  });
}

function errorsNode(report: JsonReport): TreeNode | undefined {
  if (report.errors.length === 0) return undefined;
  return {
    id: 'errors',
    kind: 'errors',
    label: 'Files that could not be read',
    description: String(report.errors.length),
    tooltip: 'Parse failures: not findings, and they do not move the score.',
    icon: { id: 'warning', color: 'problemsWarningIcon.foreground' },
    children: report.errors.map((e, i) => ({
      id: `error:${i}:${e.file}`,
      kind: 'error' as const,
      label: e.message,
      description: place(e.file, e.line),
      tooltip: `${place(e.file, e.line)}\n${e.message}`,
      icon: { id: 'file' },
      location: { path: resolveReportPath(report, e.file), range: e.line !== undefined ? toNodeRange(e.line, 1) : undefined },
      children: [],
    })),
  };
}

/** The tree's top level: the overall score (holding categories or files), then parse errors. */
export function buildTree(report: JsonReport | undefined, options: ViewOptions = DEFAULT_VIEW_OPTIONS): TreeNode[] {
  if (!report) return [];
  const { overall, grade } = report.score;
  const children = options.groupBy === 'file' ? byFile(report) : byCategory(report, options);
  const failing = report.checks.filter((c) => isFailing(c.status)).length;
  const nodes: TreeNode[] = [
    {
      id: 'overall',
      kind: 'overall',
      label: `Overall ${percent(overall)}`,
      description: grade,
      tooltip: `Overall readiness: ${percent(overall)} (${grade})\n${plural(failing, 'failing check')}, ${plural(report.findings.length, 'finding')}`,
      icon: scoreIcon(overall),
      expanded: true,
      children,
    },
  ];
  const errors = errorsNode(report);
  if (errors) nodes.push(errors);
  return nodes;
}

/** Every node below (and including) the given ones, depth first. */
export function* walk(nodes: readonly TreeNode[]): Generator<TreeNode> {
  for (const n of nodes) {
    yield n;
    yield* walk(n.children);
  }
}

export function failingChecks(report: JsonReport | undefined): number {
  return report ? report.checks.filter((c) => isFailing(c.status)).length : 0;
}

/** The status bar item: "Readiness 62%", "Readiness —" when nothing was assessed (or yet). */
export function statusBarText(report: JsonReport | undefined): { text: string; tooltip: string } {
  if (!report) return { text: 'Readiness —', tooltip: 'Readiness: analysing the workspace…' };
  const { overall, grade } = report.score;
  if (overall === null) return { text: 'Readiness —', tooltip: `Readiness: ${grade}. Nothing in the workspace could be assessed yet.` };
  return { text: `Readiness ${overall}%`, tooltip: `Readiness: ${overall}% — ${grade}\n${plural(failingChecks(report), 'failing check')}, ${plural(report.findings.length, 'finding')}. Click to open the Readiness view.` };
}
