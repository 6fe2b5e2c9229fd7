// Running the rules over one root's files: subjects, findings, verdicts, suppression,
// and the per-check tallies that scoring rolls up.
import type { CheckContext, Rule, RuleSettings } from './rule';
import { sharedIn, type FileMemoEntry, type RuleMemo, type RuleOutput } from './rule-memo';
import { directiveSubjectKey } from './suppress';
import { shortHash, spanToRange } from './text';
import type {
  ArtifactKind,
  Evidence,
  Finding,
  Range,
  ReportInit,
  ServiceInfo,
  Severity,
  SourceFile,
  Subject,
  SuppressedFinding,
  VerdictInit,
} from './types';

export const META_UNUSED = 'meta/unused-suppression';
export const META_REASON = 'meta/suppression-reason';

/** Evidence with a resolved range, as the reports print it. */
export interface ResolvedEvidence extends Evidence {
  range?: Range;
}

/** One rule's tally for one root; tallies of several roots add up. */
export interface Tally {
  rule: Rule;
  subjects: number;
  /** Sum of the subjects' scores (1 pass, 0.5 partial, 0 fail, credit for partial findings). */
  scoreSum: number;
  failing: number;
  passing: number;
  evidence: ResolvedEvidence[];
}

export interface RootRun {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  tallies: Map<string, Tally>;
}

interface PendingReport extends ReportInit {
  ruleId: string;
}

export interface RunOptions {
  root: string;
  /** Prefix for paths in the output ("" for a single root). */
  prefix: string;
  files: SourceFile[];
  rules: Rule[];
  levels: Map<string, Severity | 'off'>;
  /** Rule ids whose level was set explicitly (config or flags); those override per-finding severities. */
  explicit: Set<string>;
  settings: RuleSettings;
  /** Files whose Kubernetes kind is withdrawn (Kustomize patches: partial objects). */
  notKubernetes: Set<string>;
  serviceOf(path: string): string | undefined;
  services: readonly ServiceInfo[];
  /** Paths the walk found but did not analyse (too large, binary, unreadable), relative to the root. */
  skippedPaths?: ReadonlySet<string>;
  /** The editor's memo of rule outputs between runs (rule-memo.ts); none: every rule runs. */
  memo?: RuleMemo;
}

function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (data && data[k] !== undefined ? String(data[k]) : m));
}

/** Everything besides the files that rules can see: a memo's output stands only while this is the same. */
function ruleInputs(opts: RunOptions): string {
  return JSON.stringify({
    root: opts.root,
    prefix: opts.prefix,
    rules: opts.rules.map((r) => r.meta.id),
    levels: [...opts.levels],
    explicit: [...opts.explicit],
    settings: opts.settings,
    notKubernetes: [...opts.notKubernetes],
    services: opts.services,
    skipped: [...(opts.skippedPaths ?? [])],
  });
}

/**
 * Findings of replayed reports (rule-memo.ts): the same report object in a file whose
 * SourceFile (as given, not its wrapper) is the same gives the same finding, so an editor run does not rebuild (and
 * re-hash) the findings of every rule it replayed. Only reports a memo kept come back.
 */
const findingOfReport = new WeakMap<object, { file: SourceFile | undefined; finding: Finding }>();

export function runRoot(opts: RunOptions): RootRun {
  const memo = opts.memo;
  const objects = { settings: opts.settings, services: opts.services };
  // Under a memo: the files as wrappers, and the settings and services objects of the last run while they are equal.
  const { files, objects: stable } = memo ? memo.begin(opts.files, ruleInputs(opts), objects) : { files: opts.files, objects };
  const byPath = new Map(files.map((f) => [f.path, f]));
  /** The files as given (under a memo `files` are wrappers, one per path, whatever the text). */
  const givenByPath = memo ? new Map(opts.files.map((f) => [f.path, f])) : byPath;
  const kindIndex = new Map<ArtifactKind, SourceFile[]>();
  for (const f of files) {
    for (const k of f.facts.kinds) {
      if (k === 'k8s' && opts.notKubernetes.has(f.path)) continue;
      let list = kindIndex.get(k);
      if (!list) kindIndex.set(k, (list = []));
      list.push(f);
    }
  }
  const outPath = (p: string): string => (opts.prefix ? `${opts.prefix}/${p}` : p);
  const rangeOf = (file: string, span: { start: number; end: number }): Range | undefined => {
    const f = byPath.get(file);
    return f ? spanToRange(f.facts.lineStarts, span) : undefined;
  };

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const tallies = new Map<string, Tally>();
  const usedDirectives = new Set<string>();
  const directiveKey = (file: string, index: number, ruleId: string): string => `${file}\u0000${index}\u0000${ruleId}`;

  const toFinding = (rule: Rule, r: PendingReport): Finding => {
    const level = opts.levels.get(rule.meta.id);
    const severity: Severity = opts.explicit.has(rule.meta.id) && level && level !== 'off' ? level : (r.severity ?? (level && level !== 'off' ? level : rule.meta.severity));
    const template = rule.meta.messages[r.messageId] ?? r.messageId;
    const file = byPath.get(r.file);
    const range = file ? spanToRange(file.facts.lineStarts, r.span) : { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    const out = outPath(r.file);
    return {
      ruleId: rule.meta.id,
      category: rule.meta.category,
      severity,
      messageId: r.messageId,
      message: formatMessage(template, r.data),
      file: out,
      root: opts.root,
      span: r.span,
      range,
      subjectKey: r.subject.key,
      fingerprint: shortHash([rule.meta.id, out, r.subject.key, r.messageId]),
      service: r.subject.service ?? opts.serviceOf(r.file),
      fixes: r.fixes ?? [],
      fixData: r.fixData,
    };
  };

  /** toFinding of make()'s report in `path`, reusing the finding of a kept report (`key`) while its file is the same. */
  const findingOf = (rule: Rule, key: object, path: string, make: () => PendingReport): Finding => {
    if (!memo) return toFinding(rule, make());
    const file = givenByPath.get(path);
    const known = findingOfReport.get(key);
    if (known && known.file === file) return known.finding;
    const finding = toFinding(rule, make());
    findingOfReport.set(key, { file, finding });
    return finding;
  };

  /** Decides whether a finding is suppressed, and by what. */
  const suppression = (finding: Finding, subject: Subject, relFile: string): { via: SuppressedFinding['via']; reason?: string } | undefined => {
    if (subject.exempt && subject.exempt.rules.includes(finding.ruleId)) return { via: 'annotation', reason: subject.exempt.reason };
    const file = byPath.get(relFile);
    if (!file) return undefined;
    const line = finding.range.start.line;
    let hit: { via: SuppressedFinding['via']; reason?: string } | undefined;
    file.facts.directives.forEach((d, i) => {
      if (!d.rules.includes(finding.ruleId)) return;
      const applies = d.kind === 'file' || d.targetLine === line;
      if (!applies) return;
      usedDirectives.add(directiveKey(relFile, i, finding.ruleId));
      hit ??= { via: 'comment', reason: d.reason };
    });
    return hit;
  };

  // Phase 1: every enabled rule checks the files.
  interface RuleRun {
    rule: Rule;
    applicable: boolean;
    subjects: Map<string, Subject>;
    reports: PendingReport[];
    verdicts: VerdictInit[];
    evidence: ResolvedEvidence[];
  }
  const runs: RuleRun[] = [];
  /** Work several rules share (CheckContext.shared): in the editor kept between runs while what it read is unchanged. */
  const sharedStore = memo?.shared ?? new Map<string, FileMemoEntry<unknown>>();
  try {
    for (const rule of opts.rules) runRule(rule);
  } finally {
    memo?.end();
  }
  function runRule(rule: Rule): void {
    const id = rule.meta.id;
    if (opts.levels.get(id) === 'off') return;
    if (id === META_UNUSED) return; // decided after every other rule has run
    const applicable = rule.meta.appliesTo.some((k) => (kindIndex.get(k)?.length ?? 0) > 0);
    const check = (): RuleOutput => {
      const subjects = new Map<string, Subject>();
      const reports: PendingReport[] = [];
      const verdicts: VerdictInit[] = [];
      const evidence: ResolvedEvidence[] = [];
      const ctx: CheckContext = {
        files,
        filesOf: (kind) => {
          memo?.readKind(kind);
          return kindIndex.get(kind) ?? [];
        },
        settings: stable.settings,
        services: stable.services,
        serviceOf: opts.serviceOf,
        exists: (p) => byPath.has(p) || (opts.skippedPaths?.has(p) ?? false),
        subject: (s) => {
          if (!subjects.has(s.key)) subjects.set(s.key, s);
        },
        report: (r) => {
          if (!subjects.has(r.subject.key)) subjects.set(r.subject.key, r.subject);
          reports.push({ ...r, ruleId: id });
        },
        verdict: (v) => verdicts.push(v),
        evidence: (e) => evidence.push(e),
        shared: (key, compute) => sharedIn(sharedStore, key, compute),
      };
      if (applicable) rule.check(ctx);
      return { applicable, subjects, reports, verdicts, evidence };
    };
    const output = memo ? (memo.replay(id, applicable) ?? memo.run(id, applicable, check)) : check();
    // Later phases filter and resolve: they work on copies, so that a kept output stays as the rule gave it.
    runs.push({
      rule,
      applicable,
      subjects: output.subjects,
      reports: output.reports,
      verdicts: output.verdicts,
      evidence: output.evidence.map((e) => ({ ...e })),
    });
  }

  // Phase 2: one finding per span. A general rule stays silent where a specific rule it
  // defers to reported on an overlapping span of the same file.
  const reportedSpans = new Map<string, PendingReport[]>();
  for (const run of runs) reportedSpans.set(run.rule.meta.id, run.reports);
  for (const run of runs) {
    const owners = (run.rule.meta.defersTo ?? []).flatMap((id) => reportedSpans.get(id) ?? []);
    if (owners.length === 0) continue;
    const owned = (r: PendingReport): boolean => owners.some((o) => o.file === r.file && o.span.start < Math.max(r.span.end, r.span.start + 1) && r.span.start < Math.max(o.span.end, o.span.start + 1));
    run.reports = run.reports.filter((r) => !owned(r));
  }

  // Phase 3: suppression and tallies.
  for (const run of runs) {
    const { rule, applicable, subjects, reports, verdicts, evidence } = run;
    const id = rule.meta.id;

    // Occurrence rules: every file the rule reads is a subject; one finding fails the check.
    const occurrenceFiles = new Set<string>();
    if (rule.meta.occurrence && applicable) {
      for (const k of rule.meta.appliesTo) for (const f of kindIndex.get(k) ?? []) occurrenceFiles.add(f.path);
      for (const r of reports) occurrenceFiles.add(r.file);
    }

    const failingCredit = new Map<string, number>();
    for (const r of reports) {
      const f = findingOf(rule, r, r.file, () => r);
      const s = suppression(f, r.subject, r.file);
      if (s) {
        suppressed.push({ ...f, via: s.via, reason: s.reason });
        continue;
      }
      findings.push(f);
      const key = rule.meta.occurrence ? r.file : r.subject.key;
      failingCredit.set(key, Math.min(failingCredit.get(key) ?? 1, r.credit ?? 0));
    }
    for (const e of evidence) if (e.file && e.span) e.range = rangeOf(e.file, e.span);

    const tally: Tally = { rule, subjects: 0, scoreSum: 0, failing: 0, passing: 0, evidence };
    if (rule.meta.scope === 'workspace' && verdicts.length > 0) {
      for (const v of verdicts) {
        tally.subjects++;
        let status = v.status;
        if (status !== 'pass' && v.report) {
          const report = v.report;
          const f = findingOf(rule, v, report.file, () => ({ ...report, subject: v.subject, ruleId: id }));
          const s = suppression(f, v.subject, v.report.file);
          if (s) {
            suppressed.push({ ...f, via: s.via, reason: s.reason });
            status = 'pass';
          } else findings.push(f);
        }
        tally.scoreSum += status === 'pass' ? 1 : status === 'partial' ? 0.5 : 0;
        if (status === 'pass') tally.passing++;
        else tally.failing++;
        for (const e of v.evidence) {
          const resolved: ResolvedEvidence = { ...e };
          if (e.file && e.span) resolved.range = rangeOf(e.file, e.span);
          tally.evidence.push(resolved);
        }
      }
    } else if (rule.meta.occurrence) {
      tally.subjects = occurrenceFiles.size;
      tally.failing = failingCredit.size;
      tally.passing = tally.subjects - tally.failing;
      tally.scoreSum = tally.subjects === 0 ? 0 : tally.failing > 0 ? 0 : tally.subjects;
    } else {
      tally.subjects = subjects.size;
      for (const key of subjects.keys()) {
        const credit = failingCredit.get(key);
        if (credit === undefined) {
          tally.passing++;
          tally.scoreSum += 1;
        } else {
          tally.failing++;
          tally.scoreSum += credit;
        }
      }
    }
    tallies.set(id, tally);
  }

  // Suppression meta rules: directives without a reason, directives that suppressed nothing.
  const metaRule = (id: string): Rule | undefined => opts.rules.find((r) => r.meta.id === id && opts.levels.get(id) !== 'off');
  const unused = metaRule(META_UNUSED);
  if (unused) {
    const tally: Tally = { rule: unused, subjects: 0, scoreSum: 0, failing: 0, passing: 0, evidence: [] };
    for (const f of files) {
      f.facts.directives.forEach((d, i) => {
        tally.subjects++;
        const idle = d.rules.filter((r) => !usedDirectives.has(directiveKey(f.path, i, r)));
        if (idle.length === 0) {
          tally.passing++;
          tally.scoreSum++;
          return;
        }
        tally.failing++;
        findings.push(
          toFinding(unused, {
            ruleId: META_UNUSED,
            subject: { key: directiveSubjectKey(f.path, f.facts.directives, i), file: f.path },
            messageId: 'unused',
            data: { rules: idle.join(', ') },
            file: f.path,
            span: d.span,
          }),
        );
      });
    }
    tallies.set(META_UNUSED, tally);
  }

  return { findings, suppressed, tallies };
}
