// secrets/hardcoded beyond its fixtures: suppression (line, next line, whole file), one
// finding per span with the specific rules, the test-fixture policy, and fix forms the
// fixtures do not show (Python import, shell defaults, stale text).
import * as assert from 'node:assert/strict';
import hardcoded from '../rules/secrets/hardcoded';
import k8sSecretInEnv from '../rules/k8s/secret-in-env';
import { computeFix, scan, type ScanOutcome } from '../server/src/engine/index';
import type { Rule } from '../server/src/engine/rule';
import { applyEdits } from '../server/src/engine/text';
import { Gen } from './fixtures/secrets-corpus/generate';
import { tempDir, writeTree } from './harness';

async function run(files: Record<string, string>, rules: Rule[] = [hardcoded]): Promise<{ dir: string; outcome: ScanOutcome }> {
  const dir = tempDir();
  writeTree(dir, new Map(Object.entries(files)));
  return { dir, outcome: await scan({ roots: [dir], rules }) };
}

const of = (o: ScanOutcome, id = hardcoded.meta.id): ScanOutcome['findings'] => o.findings.filter((f) => f.ruleId === id);

describe('secrets/hardcoded', () => {
  const g = new Gen(11);

  it('is suppressed by readiness-ignore-line, -next-line and -file comments', async () => {
    const { outcome } = await run({
      'a.ts': `// readiness-ignore-next-line secrets/hardcoded -- sandbox key\nconst apiKey = '${g.mixed(24)}';\nconst token = '${g.mixed(24)}'; // readiness-ignore-line secrets/hardcoded -- sandbox\nconst secret = '${g.mixed(24)}';\n`,
      'b.py': `# readiness-ignore-file secrets/hardcoded -- fake credentials for a demo\nPASSWORD = "${g.password()}"\nTOKEN = "${g.mixed(30)}"\n`,
      '.env.local': `# readiness-ignore-file secrets/hardcoded -- local only\nAPI_KEY=${g.mixed(20)}\n`,
    });
    assert.deepEqual(of(outcome).map((f) => `${f.file}:${f.range.start.line}`), ['a.ts:4']);
    assert.equal(outcome.suppressed.filter((f) => f.ruleId === hardcoded.meta.id).length, 5);
  });

  it('stays silent where k8s/secret-in-env reports the same span', async () => {
    const url = `postgres://app:${g.password()}@db/app`;
    const manifest = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: registry.example.test/api:1.0.0\n          env:\n            - name: DATABASE_URL\n              value: "${url}"\n`;
    const alone = await run({ 'deploy.yaml': manifest });
    assert.equal(of(alone.outcome).length, 1, 'alone, the general rule reports the password');
    const both = await run({ 'deploy.yaml': manifest }, [hardcoded, k8sSecretInEnv]);
    assert.equal(of(both.outcome).length, 0, 'with the specific rule, only it reports');
    assert.equal(of(both.outcome, k8sSecretInEnv.meta.id).length, 1);
  });

  it('reports structured tokens in test fixtures at info only, and nothing else there', async () => {
    const { outcome } = await run({
      'tests/test_api.py': `TOKEN = "${g.github('ghp')}"\nPASSWORD = "${g.password()}"\nJWT = "${g.jwt()}"\nAWS = "${'AKIAIOSFODNN7' + 'EXAMPLE'}"\n`,
      'src/api.spec.ts': `const fake = 'ghp_${g.mixed(36)}';\n`,
    });
    const found = of(outcome).map((f) => `${f.file}:${f.range.start.line} ${f.severity} ${f.messageId}`);
    assert.deepEqual(found, ['tests/test_api.py:1 info testFixture'], 'a checksum-less GitHub-shaped string in a spec is not reported');
  });

  it('adds `import os` after the module docstring when a Python fix needs it', async () => {
    const text = `"""Settings."""\nfrom __future__ import annotations\n\nAPI_TOKEN = "${g.mixed(28)}"\n`;
    const { dir, outcome } = await run({ 'settings.py': text });
    const f = of(outcome)[0]!;
    const fix = computeFix([hardcoded], f, 0, outcome.roots);
    assert.equal(applyEdits(text, fix.edits), '"""Settings."""\nfrom __future__ import annotations\nimport os\n\nAPI_TOKEN = os.environ["API_TOKEN"]\n');
    assert.ok(dir);
  });

  it('removes a shell default, and offers nothing once the text changed', async () => {
    const text = `services:\n  api:\n    command: ["serve", "--token=\${API_TOKEN:-${g.mixed(12)}}"]\n`;
    const { dir, outcome } = await run({ 'compose.yaml': text });
    const f = of(outcome)[0]!;
    assert.equal(f.messageId, 'fallbackDefault');
    assert.equal(applyEdits(text, computeFix([hardcoded], f, 0, outcome.roots).edits), 'services:\n  api:\n    command: ["serve", "--token=${API_TOKEN}"]\n');
    writeTree(dir, new Map([['compose.yaml', text.replace('--token', '--tokens')]]));
    assert.deepEqual(computeFix([hardcoded], f, 0, outcome.roots).edits, [], 'stale: the secret is no longer where it was');
  });

  it('reports committed Terraform state on its first line, whatever its name', async () => {
    const { outcome } = await run({ 'infra/prod.tfstate': '{\n  "version": 4\n}\n', 'infra/terraform.tfstate.backup': '{}' });
    assert.deepEqual(of(outcome).map((f) => `${f.file}:${f.range.start.line}:${f.range.start.column} ${f.messageId}`), ['infra/prod.tfstate:1:1 tfstate', 'infra/terraform.tfstate.backup:1:1 tfstate']);
  });
});
