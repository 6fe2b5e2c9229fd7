// secrets/secret-manager beyond its fixtures: partial when a store exists but some secrets
// are still literals, not applicable without secrets, and the stores it recognises.
import * as assert from 'node:assert/strict';
import rule from '../rules/secrets/secret-manager';
import { scan } from '../server/src/engine/index';
import { tempDir, writeTree } from './harness';

async function verdict(files: Record<string, string>): Promise<{ status: string; messageId?: string; notes: string[] }> {
  const dir = tempDir();
  writeTree(dir, new Map(Object.entries(files)));
  const outcome = await scan({ roots: [dir], rules: [rule] });
  const check = outcome.checks.find((c) => c.id === rule.meta.id);
  assert.ok(check, 'the rule ran');
  return { status: check.status, messageId: outcome.findings.find((f) => f.ruleId === rule.meta.id)?.messageId, notes: check.evidence.map((e) => e.note) };
}

describe('secrets/secret-manager', () => {
  it('is partial when a store exists but a secret is still a literal', async () => {
    const v = await verdict({
      'app.py': 'import hvac\nimport os\nclient = hvac.Client()\nTOKEN = os.environ["API_TOKEN"]\n',
      'Dockerfile': 'FROM python:3.12-slim\nENV DB_PASSWORD=Kq3zW8pT5vM1xN6b\n',
    });
    assert.equal(v.status, 'partial');
    assert.equal(v.messageId, 'partial');
    assert.ok(v.notes.some((n) => n.includes('HashiCorp Vault (hvac)')), v.notes.join('\n'));
    assert.ok(v.notes.some((n) => n.includes("'DB_PASSWORD' set as a literal")), v.notes.join('\n'));
  });

  it('is not applicable where nothing handles secrets', async () => {
    const v = await verdict({ 'app.ts': 'export const port = Number(process.env.PORT ?? 3000);\n' });
    assert.equal(v.status, 'not-applicable');
  });

  for (const [what, files, store] of [
    ['AWS Secrets Manager from TypeScript', { 'src/secrets.ts': "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';\nexport const key = process.env.API_KEY;\n" }, 'AWS Secrets Manager'],
    ['AWS Secrets Manager through boto3', { 'app.py': 'import boto3\nimport os\nsm = boto3.client("secretsmanager")\nKEY = os.environ["API_KEY"]\n' }, 'AWS Secrets Manager'],
    ['GCP Secret Manager', { 'app.py': 'from google.cloud import secretmanager\nimport os\nKEY = os.getenv("API_KEY")\n' }, 'GCP Secret Manager'],
    ['Azure Key Vault', { 'app.py': 'from azure.keyvault.secrets import SecretClient\nimport os\nKEY = os.getenv("API_KEY")\n' }, 'Azure Key Vault'],
    ['sops', { '.sops.yaml': 'creation_rules:\n  - kms: arn:aws:kms:eu-west-1:111122223333:key/abc\n', 'app.ts': 'export const k = process.env.API_KEY;\n' }, 'sops'],
    ['an ExternalSecret', { 'deploy/es.yaml': 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: api\nspec:\n  secretStoreRef: {name: vault}\n', 'app.ts': 'export const k = process.env.API_KEY;\n' }, 'ExternalSecret'],
    ['compose secrets', { 'compose.yaml': 'services:\n  api:\n    image: api:1.0\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./db_password.txt\n', 'app.ts': 'export const k = process.env.DB_PASSWORD_FILE;\n' }, 'compose secrets'],
    ['Terraform-managed secrets', { 'main.tf': 'resource "aws_secretsmanager_secret" "db" {\n  name = "db"\n}\n', 'app.ts': 'export const k = process.env.DB_PASSWORD;\n' }, 'AWS Secrets Manager'],
    ['a BuildKit secret mount', { 'Dockerfile': 'FROM node:22\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm npm ci\n' }, 'BuildKit secret mount'],
  ] as const) {
    it(`recognises ${what}`, async () => {
      const v = await verdict(files);
      assert.ok(v.notes.some((n) => n.includes(store)), `${store} in:\n${v.notes.join('\n')}`);
    });
  }
});
