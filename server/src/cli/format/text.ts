// The default human output: score and grade, category scores, findings grouped by file,
// then a summary line. Colour only when asked (the CLI asks when stdout is a terminal).
import type { ScanOutcome } from '../../engine/index';
import { CATEGORIES, type Severity } from '../../engine/types';
import { CATEGORY_LABELS, countBySeverity, plural } from './common';

export interface TextOptions {
  color?: boolean;
}

const CODES = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', green: '\x1b[32m', underline: '\x1b[4m' } as const;
type Style = Exclude<keyof typeof CODES, 'reset'>;

const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = { error: 'red', warning: 'yellow', info: 'blue' };

function scoreStyle(score: number): Style {
  if (score >= 75) return 'green';
  if (score >= 50) return 'yellow';
  return 'red';
}

export function formatText(outcome: ScanOutcome, opts: TextOptions = {}): string {
  const paint = (style: Style, s: string): string => (opts.color ? `${CODES[style]}${s}${CODES.reset}` : s);
  const out: string[] = [];

  if (outcome.overall === null) out.push(`${paint('bold', 'Readiness:')} Not assessed (no enabled check applies to this workspace)`);
  else out.push(`${paint('bold', 'Readiness:')} ${paint(scoreStyle(outcome.overall), `${outcome.overall}/100`)} — ${outcome.grade}`);
  out.push('');

  const width = Math.max(...CATEGORIES.map((c) => CATEGORY_LABELS[c].length));
  for (const cat of CATEGORIES) {
    const c = outcome.categories[cat];
    const score = c.score === null ? paint('dim', '  n/a') : paint(scoreStyle(c.score), String(c.score).padStart(5));
    const checks = c.checks === 0 ? 'no checks' : `${c.applicable} of ${plural(c.checks, 'check')} applicable`;
    out.push(`  ${CATEGORY_LABELS[cat].padEnd(width)} ${score}  ${paint('dim', `weight ${c.weight}, ${checks}`)}`);
  }

  let file: string | undefined;
  for (const f of outcome.findings) {
    if (f.file !== file) {
      file = f.file;
      out.push('', paint('underline', f.file));
    }
    const pos = `${f.range.start.line}:${f.range.start.column}`;
    out.push(`  ${pos.padEnd(8)} ${paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(7))}  ${f.message}  ${paint('dim', f.ruleId)}`);
  }

  const n = countBySeverity(outcome.findings);
  out.push('');
  const problems = `${plural(outcome.findings.length, 'problem')} (${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info)`;
  const suppressed = outcome.suppressed.length > 0 ? `, ${outcome.suppressed.length} suppressed` : '';
  out.push(outcome.findings.length === 0 ? paint('green', `No problems${suppressed}`) : paint(n.error > 0 ? 'red' : 'yellow', `${problems}${suppressed}`));
  const tail = [`${plural(outcome.stats.files, 'file')} scanned`, `${outcome.stats.skipped} skipped`, plural(outcome.errors.length, 'parse error')];
  const notAnalysed = Object.entries(outcome.stats.notAnalysed).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (notAnalysed.length > 0) tail.push(`not analysed: ${notAnalysed.map(([l, k]) => `${k} ${l}`).join(', ')}`);
  out.push(paint('dim', tail.join(', ')));
  return out.join('\n') + '\n';
}
