// The catalogue holds together: ids equal paths, every rule has a doc whose title
// matches, valid and invalid fixtures, a fixed fixture exactly when it has a fix, and
// the generated rule table is current.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { CATEGORIES } from '../server/src/engine/types';
import { renderRuleTable } from '../scripts/rule-table';
import { fixturesOf } from './harness';

const ROOT = path.join(__dirname, '..');

function ruleFiles(): string[] {
  const out: string[] = [];
  for (const domain of fs.readdirSync(path.join(ROOT, 'rules'), { withFileTypes: true })) {
    if (!domain.isDirectory() || domain.name === 'lib') continue;
    for (const f of fs.readdirSync(path.join(ROOT, 'rules', domain.name))) if (f.endsWith('.ts')) out.push(`${domain.name}/${f.slice(0, -3)}`);
  }
  return out.sort();
}

describe('rule catalogue', () => {
  it('has unique ids, each equal to its file path and default export', async () => {
    const ids = allRules.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const rule of allRules) {
      const mod = (await import(path.join(ROOT, 'rules', rule.meta.id))) as { default: unknown };
      assert.equal(mod.default, rule, `rules/${rule.meta.id}.ts exports the rule`);
    }
    assert.deepEqual([...ids].sort(), ruleFiles(), 'every rule file is in the catalogue and vice versa');
  });

  it('has well-formed metadata', () => {
    for (const { meta } of allRules) {
      assert.ok((CATEGORIES as readonly string[]).includes(meta.category), `${meta.id}: category`);
      assert.ok(Number.isInteger(meta.weight) && meta.weight >= 0 && meta.weight <= 5, `${meta.id}: weight`);
      assert.ok(meta.title.length > 0 && meta.summary.length > 0, `${meta.id}: title and summary`);
      assert.ok(Object.keys(meta.messages).length > 0, `${meta.id}: messages`);
      assert.ok(meta.appliesTo.length > 0, `${meta.id}: appliesTo`);
      assert.ok(!/PLACEHOLDER/.test(fs.readFileSync(path.join(ROOT, 'rules', meta.id + '.ts'), 'utf8')), `${meta.id}: no placeholder left`);
    }
  });

  it('has a doc per rule whose title matches and which says how to fix and suppress', () => {
    for (const { meta } of allRules) {
      const doc = path.join(ROOT, 'rules', meta.id + '.md');
      assert.ok(fs.existsSync(doc), `rules/${meta.id}.md exists`);
      const text = fs.readFileSync(doc, 'utf8');
      assert.equal(text.split('\n')[0], `# ${meta.title}`, `${meta.id}: doc title`);
      for (const section of ['## What it checks', '## Why it matters', '## How to fix', '## How to suppress']) assert.ok(text.includes(section), `${meta.id}: doc has "${section}"`);
    }
  });

  it('has valid and invalid fixtures per rule, and a fixed fixture exactly when the rule fixes', () => {
    for (const rule of allRules) {
      const set = fixturesOf(rule.meta.id);
      assert.ok(set.valid, `${rule.meta.id}: valid fixture`);
      assert.ok(set.invalid, `${rule.meta.id}: invalid fixture`);
      assert.equal(Boolean(set.fixed), Boolean(rule.fix), `${rule.meta.id}: fixed fixture iff fix`);
      assert.equal(Boolean(rule.meta.fixable), Boolean(rule.fix), `${rule.meta.id}: meta.fixable iff fix`);
    }
  });

  it('keeps the generated rule table in docs/rules.md current (npm run gen)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
    assert.equal(committed, renderRuleTable(allRules), 'docs/rules.md is stale: run npm run gen');
  });
});
