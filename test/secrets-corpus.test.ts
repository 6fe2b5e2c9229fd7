// Recall and precision of secrets/hardcoded on a labelled corpus generated at test time
// (test/fixtures/secrets-corpus/generate.ts): real-format credentials in every format the
// scan reads, and traps that must not be reported. Prints a table per provider; holds the
// overall recall and precision at 95 % and every provider at 85 %.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import hardcoded from '../rules/secrets/hardcoded';
import { scan } from '../server/src/engine/index';
import type { Finding } from '../server/src/engine/types';
import { generateCorpus, type Case } from './fixtures/secrets-corpus/generate';
import { tempDir, writeTree } from './harness';

const SEED = Number(process.env.SECRETS_CORPUS_SEED ?? 20241122);
const MIN_OVERALL = 0.95;
const MIN_PROVIDER = 0.85;

interface Tally {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`.padStart(7);
}

describe('secrets corpus', function () {
  this.timeout(120_000);
  const cases = generateCorpus(SEED);
  let byCase: Map<string, Finding[]>;
  let dir: string;

  before(async () => {
    dir = tempDir('readiness-secrets-corpus-');
    const files = new Map<string, string>();
    for (const c of cases) files.set(`${c.id}/${c.file}`, c.text);
    writeTree(dir, files);
    const outcome = await scan({ roots: [dir], rules: [hardcoded] });
    byCase = new Map();
    for (const f of outcome.findings) {
      const id = f.file.slice(0, f.file.indexOf('/'));
      byCase.set(id, [...(byCase.get(id) ?? []), f]);
    }
  });

  /** Where the case's credential sits in its file (the first occurrence). */
  function secretSpan(c: Case): { start: number; end: number } {
    const start = c.text.indexOf(c.secret!);
    assert.ok(start >= 0, `${c.id}: the secret is in the text`);
    return { start, end: start + c.secret!.length };
  }

  function overlaps(f: Finding, s: { start: number; end: number }): boolean {
    return f.span.start < s.end && s.start < f.span.end;
  }

  it(`has at least 150 positive and 150 negative cases (seed ${SEED})`, () => {
    const positives = cases.filter((c) => c.label === 'secret').length;
    const negatives = cases.filter((c) => c.label !== 'secret').length;
    assert.ok(positives >= 150, `${positives} positives`);
    assert.ok(negatives >= 150, `${negatives} negatives`);
    assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
  });

  it('reaches 95% recall and precision overall and 85% per provider', () => {
    const tallies = new Map<string, Tally>();
    const misses: string[] = [];
    for (const c of cases) {
      const t = tallies.get(c.provider) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
      tallies.set(c.provider, t);
      const reported = (byCase.get(c.id) ?? []).filter((f) => f.severity !== 'info');
      if (c.label === 'secret') {
        const span = secretSpan(c);
        if (reported.some((f) => overlaps(f, span))) t.tp++;
        else {
          t.fn++;
          misses.push(`missed   ${c.id} ${c.provider} ${c.file}`);
        }
        // Anything else reported in a positive case's file is a false positive.
        const others = (c.others ?? []).map((o) => ({ start: c.text.indexOf(o), end: c.text.indexOf(o) + o.length }));
        for (const f of reported) {
          if (overlaps(f, span) || others.some((o) => overlaps(f, o))) continue;
          t.fp++;
          misses.push(`spurious ${c.id} ${c.provider} ${c.file}:${f.range.start.line} ${f.messageId}`);
        }
      } else if (reported.length > 0) {
        t.fp += reported.length;
        misses.push(`false+   ${c.id} ${c.provider} ${c.file}:${reported[0]!.range.start.line} ${reported[0]!.messageId}`);
      } else t.tn++;
    }
    const rows = [...tallies.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const total = rows.reduce((s, [, t]) => ({ tp: s.tp + t.tp, fn: s.fn + t.fn, fp: s.fp + t.fp, tn: s.tn + t.tn }), { tp: 0, fn: 0, fp: 0, tn: 0 });
    const line = (name: string, t: Tally): string => `${name.padEnd(16)} ${String(t.tp).padStart(4)} ${String(t.fn).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.tn).padStart(4)} ${pct(ratio(t.tp, t.tp + t.fn))} ${pct(ratio(t.tp, t.tp + t.fp))}`;
    const table = [`provider           TP   FN   FP   TN  recall precision`, ...rows.map(([p, t]) => line(p, t)), line('overall', total)].join('\n');
    console.log(`\n${table}\n`);
    if (misses.length > 0) console.log(misses.join('\n') + '\n');
    assert.ok(ratio(total.tp, total.tp + total.fn) >= MIN_OVERALL, `overall recall below ${MIN_OVERALL}`);
    assert.ok(ratio(total.tp, total.tp + total.fp) >= MIN_OVERALL, `overall precision below ${MIN_OVERALL}`);
    for (const [p, t] of rows) {
      assert.ok(ratio(t.tp, t.tp + t.fn) >= MIN_PROVIDER, `${p}: recall below ${MIN_PROVIDER}`);
      assert.ok(ratio(t.tp, t.tp + t.fp) >= MIN_PROVIDER, `${p}: precision below ${MIN_PROVIDER}`);
    }
  });

  it('reports documented example keys and test-fixture tokens at info, with their message', () => {
    const wrong: string[] = [];
    for (const c of cases.filter((x) => x.label === 'info')) {
      const span = secretSpan(c);
      const findings = (byCase.get(c.id) ?? []).filter((f) => overlaps(f, span));
      if (!findings.some((f) => f.severity === 'info' && f.messageId === c.messageId) || findings.some((f) => f.severity !== 'info')) {
        wrong.push(`${c.id} ${c.file}: ${findings.map((f) => `${f.severity} ${f.messageId}`).join(', ') || 'nothing'} (expected info ${c.messageId})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('reports nothing at all on the negative cases (not even at info)', () => {
    const noisy = cases.filter((c) => c.label === 'none' && (byCase.get(c.id) ?? []).length > 0).map((c) => `${c.id} ${c.provider} ${c.file}: ${(byCase.get(c.id) ?? []).map((f) => f.messageId).join(', ')}`);
    // Precision above already counts errors and warnings; info findings on traps are noise too.
    assert.ok(noisy.length <= Math.floor(cases.filter((c) => c.label === 'none').length * 0.02), noisy.join('\n'));
  });

  it('never puts a generated secret in a message', () => {
    for (const [id, findings] of byCase) {
      const c = cases.find((x) => x.id === id)!;
      if (!c.secret) continue;
      // The whole secret never; of a long one, not even the part the mask hides.
      const hidden = c.secret.length >= 16 ? c.secret.slice(4, -4) : c.secret;
      for (const f of findings) assert.ok(!f.message.includes(c.secret) && !f.message.includes(hidden), `${id}: ${f.message}`);
    }
    assert.ok(path.isAbsolute(dir));
  });
});
