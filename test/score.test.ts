// Scoring as the design says: shares of subjects, binary occurrence rules, workspace
// means, weighted categories, rounding half up at the end, not-applicable, suppression.
import * as assert from 'node:assert/strict';
import { scan } from '../server/src/engine/index';
import { defineRule, type Rule } from '../server/src/engine/rule';
import { gradeOf, percent, scoreChecks } from '../server/src/engine/score';
import type { Category, Check } from '../server/src/engine/types';
import { tempDir, writeTree } from './harness';

/** A test rule over YAML files: each top-level key of each document is a subject; keys named `bad*` fail. */
function keyRule(id: string, category: Category, weight: number, extra: Partial<Rule['meta']> = {}): Rule {
  return defineRule({
    meta: {
      id,
      category,
      weight,
      severity: 'warning',
      scope: 'location',
      title: id,
      summary: id,
      appliesTo: ['k8s'],
      subjects: { singular: 'key', plural: 'keys', passing: 'are good' },
      messages: { bad: "Key '{key}' is bad" },
      ...extra,
    },
    check(ctx) {
      for (const f of ctx.filesOf('k8s')) {
        for (const doc of f.facts.yaml!.docs) {
          for (const key of Object.keys(doc.value as object)) {
            const span = doc.spans['/' + key]!.k!;
            const subject = { key: `${f.path}#${key}`, file: f.path };
            if (key.startsWith('bad')) ctx.report({ subject, messageId: 'bad', data: { key }, file: f.path, span: { start: span[0], end: span[1] } });
            else ctx.subject(subject);
          }
        }
      }
    },
  });
}

function workspaceRule(id: string, statuses: ('pass' | 'partial' | 'fail')[]): Rule {
  return defineRule({
    meta: { id, category: 'observability', weight: 4, severity: 'warning', scope: 'workspace', title: id, summary: id, appliesTo: ['k8s'], subjects: { singular: 'service', plural: 'services', passing: 'expose metrics' }, messages: { missing: 'no metrics' } },
    check(ctx) {
      const f = ctx.filesOf('k8s')[0]!;
      statuses.forEach((status, i) =>
        ctx.verdict({ subject: { key: `svc${i}` }, status, evidence: [{ note: `looked at svc${i}` }], report: status === 'pass' ? undefined : { messageId: 'missing', file: f.path, span: { start: 0, end: 1 } } }),
      );
    },
  });
}

const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\ngood1: 1\nbad1: 2\ngood2: 3\n';

async function scanWith(rules: Rule[], files: Record<string, string> = { 'a.yaml': MANIFEST }, extra: Partial<Parameters<typeof scan>[0]> = {}) {
  const dir = tempDir();
  writeTree(dir, new Map(Object.entries(files)));
  return scan({ roots: [dir], rules, strictConfig: true, ...extra });
}

describe('scoring', () => {
  it('scores a location rule by the share of passing subjects', async () => {
    const out = await scanWith([keyRule('t/keys', 'security', 3)]);
    const check = out.checks.find((c) => c.id === 't/keys')!;
    // apiVersion, kind, good1, good2 pass; bad1 fails.
    assert.equal(check.subjects, 5);
    assert.equal(check.failing, 1);
    assert.equal(check.score, 0.8);
    assert.equal(check.status, 'partial');
    assert.equal(check.summary, '4 of 5 keys are good');
    assert.equal(out.categories.security.score, 80);
    assert.equal(out.overall, 80);
    assert.equal(out.grade, 'Ready with gaps');
  });

  it('scores occurrence rules binary: one finding fails the check', async () => {
    const out = await scanWith([keyRule('t/leak', 'security', 5, { occurrence: true })], { 'a.yaml': MANIFEST, 'b.yaml': 'apiVersion: v1\nkind: ConfigMap\n' });
    const check = out.checks.find((c) => c.id === 't/leak')!;
    assert.equal(check.subjects, 2, 'each file the rule reads is a subject');
    assert.equal(check.summary, '1 of 2 files are good');
    assert.equal(check.score, 0);
    assert.equal(check.status, 'fail');
  });

  it('scores workspace rules by the mean of pass/partial/fail', async () => {
    const out = await scanWith([workspaceRule('t/metrics', ['pass', 'partial', 'fail', 'pass'])]);
    const check = out.checks.find((c) => c.id === 't/metrics')!;
    assert.equal(check.score, 2.5 / 4);
    assert.equal(check.failing, 2);
    assert.equal(out.findings.filter((f) => f.ruleId === 't/metrics').length, 2, 'one diagnostic per non-passing subject');
    assert.deepEqual(check.evidence.map((e) => e.note), ['looked at svc0', 'looked at svc1', 'looked at svc2', 'looked at svc3']);
  });

  it('weights checks within a category and categories overall, rounding only at the end', () => {
    const mk = (id: string, category: Category, weight: number, score: number | null): Check => ({ id, category, weight, scope: 'location', status: 'partial', score, subjects: 1, failing: 0, summary: '', evidence: [] });
    const s = scoreChecks([mk('a', 'security', 5, 1), mk('b', 'security', 3, 0), mk('c', 'delivery', 2, 0.5), mk('d', 'data', 4, null)]);
    // security = 5/8 = 0.625 → 63 (half up); delivery 0.5 → 50; data not applicable.
    assert.equal(s.categories.security.score, 63);
    assert.equal(s.categories.delivery.score, 50);
    assert.equal(s.categories.data.score, null);
    assert.equal(s.categories.data.applicable, 0);
    // overall from unrounded values: (30*0.625 + 10*0.5) / 40 = 0.59375 → 59.
    assert.equal(s.overall, 59);
    assert.equal(s.grade, 'MVP');
    const custom = scoreChecks([mk('a', 'security', 5, 1), mk('c', 'delivery', 2, 0)], { security: 1, delivery: 3 });
    assert.equal(custom.overall, 25);
  });

  it('rounds half up and grades at the documented thresholds', () => {
    assert.equal(percent(0.625), 63);
    assert.equal(percent(0.745), 75);
    assert.equal(percent(0.005), 1);
    assert.equal(percent(0.00499), 0);
    assert.deepEqual([gradeOf(90), gradeOf(89), gradeOf(75), gradeOf(74), gradeOf(50), gradeOf(49), gradeOf(null)], ['Production ready', 'Ready with gaps', 'Ready with gaps', 'MVP', 'MVP', 'Not ready', 'Not assessed']);
  });

  it('is not assessed when nothing applies, and leaves rules that are off out of checks', async () => {
    const out = await scanWith([keyRule('t/keys', 'security', 3), keyRule('t/other', 'delivery', 2)], { 'README.md': '# hi\n' });
    assert.equal(out.overall, null);
    assert.equal(out.grade, 'Not assessed');
    assert.ok(out.checks.every((c) => c.status === 'not-applicable' && c.score === null));
    const off = await scanWith([keyRule('t/keys', 'security', 3), keyRule('t/other', 'delivery', 2)], undefined, { ruleOverrides: { 't/other': 'off' } });
    assert.deepEqual(off.checks.map((c) => c.id), ['t/keys']);
  });

  it('counts suppressed subjects as passing and lists them under suppressed', async () => {
    const out = await scanWith([keyRule('t/keys', 'security', 3)], { 'a.yaml': MANIFEST.replace('bad1: 2', 'bad1: 2 # readiness-ignore-line t/keys -- intentional') });
    const check = out.checks.find((c) => c.id === 't/keys')!;
    assert.equal(out.findings.length, 0);
    assert.equal(out.suppressed.length, 1);
    assert.equal(out.suppressed[0]!.reason, 'intentional');
    assert.equal(out.suppressed[0]!.via, 'comment');
    assert.equal(check.score, 1);
  });

  it('merges several roots: paths start with the root as given, scores combine subjects', async () => {
    const a = tempDir();
    const b = tempDir();
    writeTree(a, new Map([['x.yaml', MANIFEST]]));
    writeTree(b, new Map([['y.yaml', 'apiVersion: v1\nkind: ConfigMap\nbad2: 1\nbad3: 1\n']]));
    const out = await scan({ roots: [a, b], rules: [keyRule('t/keys', 'security', 3)], strictConfig: true });
    const check = out.checks.find((c) => c.id === 't/keys')!;
    assert.equal(check.subjects, 9);
    assert.equal(check.failing, 3);
    assert.ok(out.findings.every((f) => f.file.startsWith(a) || f.file.startsWith(b)));
    assert.equal(out.findings.filter((f) => f.file === `${b}/y.yaml`).length, 2);
  });

  it('gives stable fingerprints that ignore line moves', async () => {
    const one = await scanWith([keyRule('t/keys', 'security', 3)]);
    const two = await scanWith([keyRule('t/keys', 'security', 3)], { 'a.yaml': '# a comment\n\n' + MANIFEST });
    assert.equal(one.findings[0]!.fingerprint, two.findings[0]!.fingerprint);
    assert.notEqual(one.findings[0]!.range.start.line, two.findings[0]!.range.start.line);
  });

  it('treats Kustomize patches as partial objects, not workloads', async () => {
    const out = await scanWith([keyRule('t/keys', 'security', 3)], {
      'base/kustomization.yaml': 'resources:\n  - deploy.yaml\npatches:\n  - path: patch.yaml\n',
      'base/deploy.yaml': MANIFEST,
      'base/patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nbad9: 1\n',
    });
    assert.deepEqual(out.findings.map((f) => f.file), ['base/deploy.yaml']);
  });

  it('keeps one finding per span: a general rule defers to the specific rule that reported there', async () => {
    const general = keyRule('t/general', 'security', 5, { occurrence: true, defersTo: ['t/specific'] });
    const specific = keyRule('t/specific', 'security', 5);
    const out = await scanWith([general, specific]);
    assert.deepEqual(out.findings.map((f) => f.ruleId), ['t/specific']);
    const alone = await scanWith([general, specific], undefined, { ruleOverrides: { 't/specific': 'off' } });
    assert.deepEqual(alone.findings.map((f) => f.ruleId), ['t/general'], 'with the specific rule off, the general one reports');
    assert.equal(out.checks.find((c) => c.id === 't/general')!.score, 1);
  });
});
