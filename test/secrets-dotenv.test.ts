// secrets/dotenv-committed's second fix, which the fixture harness (first fix only) does
// not apply: create `.env.example` beside the committed file, keys only, values empty.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import rule, { exampleText, gitignoreEntry } from '../rules/secrets/dotenv-committed';
import { computeFix, scan } from '../server/src/engine/index';
import { applyEdits } from '../server/src/engine/text';
import { readTree, tempDir, writeTree } from './harness';

const FIXTURE = path.join(__dirname, 'rules', 'secrets', 'dotenv-committed', 'example-fix');

describe('secrets/dotenv-committed: .env.example fix', () => {
  it('creates .env.example beside the file with its keys and empty values, and is offered once', async () => {
    const dir = tempDir();
    writeTree(dir, readTree(path.join(FIXTURE, 'before')));
    const first = await scan({ roots: [dir], rules: [rule] });
    const finding = first.findings.find((f) => f.ruleId === rule.meta.id);
    assert.ok(finding, 'the committed .env is reported');
    const index = finding.fixes.findIndex((f) => f.kind === 'example');
    assert.ok(index > 0, `an example fix is offered after the .gitignore one: ${finding.fixes.map((f) => f.title).join(', ')}`);
    assert.equal(finding.fixes[index]!.safe, true);
    const fix = computeFix([rule], finding, index, first.roots);
    for (const e of fix.edits) {
      const abs = path.join(dir, e.file);
      const before = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '';
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, applyEdits(before, [e]));
    }
    for (const [rel, content] of readTree(path.join(FIXTURE, 'after'))) assert.equal(fs.readFileSync(path.join(dir, rel), 'utf8'), content, rel);
    const values = fs.readFileSync(path.join(dir, 'services/worker/.env.example'), 'utf8');
    assert.ok(!/Lp4wQ8|Yb6tN3/.test(values), 'no value is copied');
    const second = await scan({ roots: [dir], rules: [rule] });
    const again = second.findings.find((f) => f.ruleId === rule.meta.id);
    assert.ok(again, 'the .env itself is still committed');
    assert.ok(!again.fixes.some((f) => f.kind === 'example'), 'no second .env.example is offered');
  });

  it('appends to an existing .gitignore, once, keeping its last line intact', async () => {
    const dir = tempDir();
    writeTree(dir, new Map([['.gitignore', 'node_modules/'], ['.env', 'API_TOKEN=Zq8vN3kLp0Wx7Rt2\n']]));
    const outcome = await scan({ roots: [dir], rules: [rule] });
    const finding = outcome.findings.find((f) => f.ruleId === rule.meta.id)!;
    const fix = computeFix([rule], finding, 0, outcome.roots);
    assert.deepEqual(fix.edits, [{ file: '.gitignore', start: 13, end: 13, newText: '\n.env\n' }]);
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n.env\n');
    const after = await scan({ roots: [dir], rules: [rule] });
    assert.equal(after.findings.filter((f) => f.ruleId === rule.meta.id).length, 0, 'an ignored .env is not scanned');
  });

  it('names root files by name and nested files by path', () => {
    assert.equal(gitignoreEntry('.env'), '.env');
    assert.equal(gitignoreEntry('services/api/.env.local'), 'services/api/.env.local');
  });

  it('keeps keys in order, once, with export stripped and no values', () => {
    assert.equal(exampleText('A=1\nexport B="two"\n# C=3\nA=4\n  D = x\n'), '# Copy to .env and fill in the values; never commit the real ones.\nA=\nB=\nD=\n');
  });
});
