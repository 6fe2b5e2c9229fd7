// The rule fixture harness: inline `^^^` expectations in the fixture's own comment
// syntax, a real scan through the engine, and fixes applied and re-checked.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { computeFix, scan, type ScanOutcome } from '../server/src/engine/index';
import type { Rule } from '../server/src/engine/rule';
import { applyEdits } from '../server/src/engine/text';
import type { Finding } from '../server/src/engine/types';

export interface Expectation {
  file: string;
  line: number;
  column: number;
  /** Present when the marker says where the span ends on a single line. */
  endColumn: number;
  ruleId: string;
  messageId?: string;
}

const MARKER_TAIL = /^(\^+)\s+([a-z0-9-]+\/[a-z0-9-]+)(?:\s+([A-Za-z0-9_-]+))?\s*$/;

/** Comment tokens a marker line may start with, by file name. */
export function commentTokens(fileName: string): string[] {
  const lower = fileName.toLowerCase();
  if (/\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(lower)) return ['//'];
  if (lower.endsWith('.tf')) return ['#', '//'];
  return ['#'];
}

/**
 * Splits a fixture into clean text and expectations. A marker line is a comment whose
 * rest is a caret run, a rule id and optionally a message id. Carets mark columns of the
 * nearest non-marker line above. Written right after the comment token (`#^^^`), the
 * run includes the token's own columns, so that spans starting at column 1 can be marked.
 */
export function parseMarkers(fileName: string, source: string): { text: string; expected: Expectation[] } {
  const tokens = commentTokens(fileName);
  const newline = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(newline);
  const kept: string[] = [];
  const expected: Expectation[] = [];
  for (const raw of lines) {
    const trimmed = raw.trimStart();
    const indent = raw.length - trimmed.length;
    const token = tokens.find((t) => trimmed.startsWith(t));
    let marker: RegExpExecArray | null = null;
    let caretStart = -1;
    if (token) {
      const rest = trimmed.slice(token.length);
      const glued = rest.startsWith('^');
      marker = MARKER_TAIL.exec(rest.trimStart());
      if (marker) caretStart = glued ? indent : raw.indexOf('^');
      if (marker && glued) marker[1] = '^'.repeat(token.length) + marker[1];
    }
    if (!marker) {
      kept.push(raw);
      continue;
    }
    if (kept.length === 0) throw new Error(`${fileName}: a marker line has no line above it`);
    expected.push({
      file: fileName,
      line: kept.length,
      column: caretStart + 1,
      endColumn: caretStart + 1 + marker[1]!.length,
      ruleId: marker[2]!,
      messageId: marker[3],
    });
  }
  return { text: kept.join(newline), expected };
}

export interface Actual {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  messageId: string;
}

function actualOf(f: Finding): Actual {
  return { file: f.file, line: f.range.start.line, column: f.range.start.column, endLine: f.range.end.line, endColumn: f.range.end.column, ruleId: f.ruleId, messageId: f.messageId };
}

/** Compares findings with expectations; multi-line spans are compared by their start. */
export function compare(actual: Actual[], expected: Expectation[]): void {
  const fmt = (x: { file: string; line: number; column: number; endColumn?: number; ruleId: string; messageId?: string }): string =>
    `${x.file}:${x.line}:${x.column}${x.endColumn !== undefined ? `-${x.endColumn}` : ''} ${x.ruleId}${x.messageId ? ` ${x.messageId}` : ''}`;
  const project = (a: Actual, e: Expectation | undefined): string =>
    fmt({ file: a.file, line: a.line, column: a.column, endColumn: a.endLine === a.line ? a.endColumn : e?.endColumn, ruleId: a.ruleId, messageId: e?.messageId === undefined ? undefined : a.messageId });
  const remaining = [...expected];
  const unexpected: string[] = [];
  for (const a of actual) {
    const i = remaining.findIndex((e) => project(a, e) === fmt(e));
    if (i >= 0) remaining.splice(i, 1);
    else unexpected.push(`${fmt({ ...a })} (${a.endLine}:${a.endColumn})`);
  }
  if (unexpected.length > 0 || remaining.length > 0) {
    assert.fail(
      [
        unexpected.length ? `unexpected findings:\n  ${unexpected.join('\n  ')}` : '',
        remaining.length ? `expected but not found:\n  ${remaining.map(fmt).join('\n  ')}` : '',
        `all findings:\n  ${actual.map((a) => fmt(a)).join('\n  ') || '(none)'}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
}

export function tempDir(prefix = 'readiness-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Reads a fixture (a file or a directory tree) into {relative path → content}. */
export function readTree(fixture: string): Map<string, string> {
  const out = new Map<string, string>();
  if (fs.statSync(fixture).isFile()) {
    out.set(path.basename(fixture), fs.readFileSync(fixture, 'utf8'));
    return out;
  }
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(fixture, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(fixture);
  return out;
}

export function writeTree(root: string, files: Map<string, string>): void {
  for (const [rel, content] of files) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** Renames a single-file fixture (`invalid.yaml` → the name the rule family needs, e.g. `docker-compose.yaml`). */
export function targetName(fixtureFile: string, fileName: string | undefined): string {
  if (!fileName) return fixtureFile;
  return fileName;
}

export interface FixtureRun {
  dir: string;
  outcome: ScanOutcome;
  expected: Expectation[];
  files: Map<string, string>;
}

/** Writes a fixture (markers stripped) to a temp workspace and scans it with the given rules. */
export async function runFixture(fixture: string, rules: Rule[], fileName?: string): Promise<FixtureRun> {
  const tree = readTree(fixture);
  const single = fs.statSync(fixture).isFile();
  const files = new Map<string, string>();
  const expected: Expectation[] = [];
  for (const [rel, content] of tree) {
    const name = single ? targetName(rel, fileName) : rel;
    if (name === 'expected.json') continue;
    const parsed = parseMarkers(name, content);
    files.set(name, parsed.text);
    expected.push(...parsed.expected);
  }
  if (!single && tree.has('expected.json')) expected.push(...(JSON.parse(tree.get('expected.json')!) as Expectation[]));
  const dir = tempDir();
  writeTree(dir, files);
  const outcome = await scan({ roots: [dir], rules, strictConfig: true });
  return { dir, outcome, expected, files };
}

/** What an editor session's run and a fresh scan of the same state must agree on (everything but timings). */
export function comparableOutcome(o: ScanOutcome): unknown {
  return {
    findings: o.findings,
    suppressed: o.suppressed,
    checks: o.checks,
    overall: o.overall,
    grade: o.grade,
    categories: o.categories,
    services: o.services,
    errors: o.errors,
    skipped: o.skipped,
    configIssues: o.configIssues,
    files: o.files.map((f) => [f.path, f.hash, f.size]),
  };
}

export function findingsOf(outcome: ScanOutcome, ruleIds: readonly string[]): Actual[] {
  return outcome.findings.filter((f) => ruleIds.includes(f.ruleId)).map(actualOf);
}

/**
 * Applies fixes one at a time, re-scanning after each, as an editor's "fix all" does,
 * until no finding offers a fix that has not been applied. Returns the files' contents.
 */
export async function applyAllFixes(dir: string, rules: Rule[], ruleIds: readonly string[]): Promise<{ applied: Finding[] }> {
  const applied: Finding[] = [];
  const tried = new Set<string>();
  for (let round = 0; round < 100; round++) {
    const outcome = await scan({ roots: [dir], rules, strictConfig: true });
    const next = outcome.findings.find((f) => ruleIds.includes(f.ruleId) && f.fixes.length > 0 && !tried.has(f.fingerprint));
    if (!next) return { applied };
    tried.add(next.fingerprint);
    const fix = computeFix(rules, next, 0, outcome.roots);
    const byFile = new Map<string, typeof fix.edits>();
    for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const [file, edits] of byFile) {
      const abs = path.join(dir, file);
      const before = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '';
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, applyEdits(before, edits));
    }
    applied.push(next);
  }
  throw new Error('fixes did not converge after 100 rounds');
}

const FIXTURES = path.join(__dirname, 'rules');


export interface FixtureSet {
  valid?: string;
  invalid?: string;
  fixed?: string;
  fileName?: string;
}

export function fixturesOf(ruleId: string): FixtureSet {
  const dir = path.join(FIXTURES, ruleId);
  const set: FixtureSet = {};
  if (!fs.existsSync(dir)) return set;
  for (const name of fs.readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (name === 'fixture.json') set.fileName = (JSON.parse(fs.readFileSync(abs, 'utf8')) as { fileName?: string }).fileName;
    else if (name === 'valid' || name.startsWith('valid.')) set.valid = abs;
    else if (name === 'invalid.fixed' || name.startsWith('invalid.fixed.')) set.fixed = abs;
    else if (name === 'invalid' || name.startsWith('invalid.')) set.invalid = abs;
  }
  return set;
}

/** A Kubernetes Deployment of two replicas running one container named like it. */
export function deployment(name: string, image = 'nginx:latest'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;
}
