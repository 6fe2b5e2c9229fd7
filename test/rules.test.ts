// Every rule against its fixtures: valid files yield nothing, invalid files yield exactly
// the findings marked inline, and fixes turn invalid into invalid.fixed, byte for byte.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import type { Rule } from '../server/src/engine/rule';
import { applyAllFixes, compare, findingsOf, fixturesOf, readTree, runFixture, writeTree } from './harness';

function describeRule(rule: Rule): void {
  const id = rule.meta.id;
  const set = fixturesOf(id);
  describe(id, () => {
    it('reports nothing on the valid fixture, which it does inspect', async () => {
      assert.ok(set.valid, `missing test/rules/${id}/valid.*`);
      const run = await runFixture(set.valid, [rule], set.fileName);
      assert.deepEqual(run.outcome.errors, [], 'the valid fixture parses');
      compare(findingsOf(run.outcome, [id]), []);
      assert.deepEqual(run.expected, [], 'a valid fixture carries no markers');
      if (rule.meta.weight > 0) {
        const check = run.outcome.checks.find((c) => c.id === id);
        assert.ok(check && check.subjects > 0, 'the valid fixture has subjects for the rule');
        assert.equal(check.status, 'pass');
      }
    });

    it('reports exactly the marked findings on the invalid fixture', async () => {
      assert.ok(set.invalid, `missing test/rules/${id}/invalid.*`);
      const run = await runFixture(set.invalid, [rule], set.fileName);
      assert.deepEqual(run.outcome.errors, [], 'the invalid fixture parses');
      assert.ok(run.expected.length > 0, 'the invalid fixture marks at least one finding');
      compare(findingsOf(run.outcome, [id]), run.expected);
      for (const f of run.outcome.findings) assert.ok(f.message.length > 0 && !/\{\w+\}/.test(f.message), `message is filled: ${f.message}`);
    });

    if (set.fixed) {
      const fixed = set.fixed;
      it('fixes the invalid fixture into invalid.fixed, and the fixes are idempotent', async () => {
        const run = await runFixture(set.invalid!, [rule], set.fileName);
        const { applied } = await applyAllFixes(run.dir, [rule], [id]);
        assert.ok(applied.length > 0, 'at least one fix was applied');
        const expectedTree = readTree(fixed);
        const single = fs.statSync(fixed).isFile();
        const actualTree = readTree(single ? path.join(run.dir, [...run.files.keys()][0]!) : run.dir);
        for (const [rel, content] of expectedTree) {
          const actual = single ? [...actualTree.values()][0] : actualTree.get(rel);
          assert.equal(actual, content, `fixed content of ${single ? [...run.files.keys()][0] : rel}`);
        }
        // The findings the fixes addressed are gone.
        const after = await runFixture(fixed, [rule], set.fileName);
        const remaining = new Set(after.outcome.findings.map((f) => f.subjectKey.slice(f.subjectKey.indexOf('#')) + f.messageId));
        for (const f of applied) assert.ok(!remaining.has(f.subjectKey.slice(f.subjectKey.indexOf('#')) + f.messageId), `fixed finding is gone: ${f.message}`);
        // Applying the fixes again changes nothing.
        const before = readTree(after.dir);
        await applyAllFixes(after.dir, [rule], [id]);
        assert.deepEqual(readTree(after.dir), before, 'a second round of fixes changes nothing');
        writeTree(after.dir, new Map());
      });
    }
  });
}

describe('rules on their fixtures', () => {
  for (const rule of allRules) describeRule(rule);
});
