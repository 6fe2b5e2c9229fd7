// The data/* and config/* workspace rules beyond their fixtures' findings: the multi-service
// fixtures roll up to partial with evidence naming every subject, passes cite the file that
// proved them, and the facts they read (env reads, env names, Terraform resources) are exact.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import backups from '../rules/data/backups';
import migrations from '../rules/data/migrations';
import persistence from '../rules/data/persistence';
import envExample from '../rules/config/env-example';
import lockfile from '../rules/config/lockfile';
import { scan } from '../server/src/engine/index';
import type { Rule } from '../server/src/engine/rule';
import { envNames } from '../server/src/engine/parse/env-names';
import { secretFacts } from '../server/src/engine/parse/secrets';
import { terraformFacts } from '../server/src/engine/parse/terraform';
import type { Check } from '../server/src/engine/types';
import { runFixture, tempDir, writeTree } from './harness';

const FIXTURES = path.join(__dirname, 'rules');

async function checkOf(rule: Rule, which: 'valid' | 'invalid'): Promise<Check> {
  const run = await runFixture(path.join(FIXTURES, rule.meta.id, which), [rule]);
  const check = run.outcome.checks.find((c) => c.id === rule.meta.id);
  assert.ok(check, `${rule.meta.id} ran on the ${which} fixture`);
  return check;
}

async function scanTree(files: Record<string, string>, rule: Rule): Promise<{ check: Check | undefined; findings: string[] }> {
  const dir = tempDir();
  writeTree(dir, new Map(Object.entries(files)));
  const outcome = await scan({ roots: [dir], rules: [rule], strictConfig: true });
  return { check: outcome.checks.find((c) => c.id === rule.meta.id), findings: outcome.findings.map((f) => `${f.file}:${f.range.start.line} ${f.messageId}: ${f.message}`) };
}

describe('data and config rules: roll-up and evidence', () => {
  const cases: [Rule, string[], number][] = [
    [persistence, ["service 'cart'", "service 'users'", "service 'catalog'"], 3],
    [migrations, ["service 'api'", "service 'billing'", "service 'events'", "service 'ledger'", "service 'shop'"], 5],
    [backups, ["compose service 'db'", "compose service 'orders-db'", "StatefulSet 'catalog-db'", 'google_sql_database_instance.reports', 'aws_db_instance.audit', 'aws_rds_cluster.search'], 6],
    [envExample, ["service 'api'", "service 'billing'", "service 'web'"], 3],
    [lockfile, ["service 'orders'", "service 'mailer'", "service 'ml'", "service 'search'"], 4],
  ];
  for (const [rule, names, subjects] of cases) {
    it(`${rule.meta.id}: the multi-service fixture is partial, and its evidence names each subject`, async () => {
      const check = await checkOf(rule, 'invalid');
      assert.equal(check.status, 'partial');
      assert.equal(check.subjects, subjects);
      assert.ok(check.failing > 0 && check.failing < subjects, 'some pass, some do not');
      for (const n of names) assert.ok(check.evidence.some((e) => e.note.includes(n)), `evidence names ${n}:\n${check.evidence.map((e) => e.note).join('\n')}`);
      // A failing subject's evidence says what was looked for.
      assert.ok(check.evidence.some((e) => /looked for/.test(e.note)));
    });
  }

  it('passes cite the file and line that proved them', async () => {
    const mig = await checkOf(migrations, 'valid');
    const cited = mig.evidence.filter((e) => e.file).map((e) => e.file);
    assert.ok(cited.includes('services/billing/migrations/versions/20240501_create_invoices.py'));
    assert.ok(cited.includes('services/api/prisma/migrations/20240501120000_init/migration.sql'));
    assert.ok(cited.includes('services/shop/orders/migrations/0001_initial.py'));
    const bk = await checkOf(backups, 'valid');
    const cron = bk.evidence.find((e) => e.note.includes("CronJob 'sessions-db-dump'"));
    assert.equal(cron?.file, 'k8s/backup.yaml');
    const tf = bk.evidence.find((e) => e.note.startsWith('aws_db_instance.ledger'));
    assert.deepEqual([tf?.file, (tf as { range?: { start: { line: number } } }).range?.start.line], ['infra/main.tf', 4]);
    const lock = await checkOf(lockfile, 'valid');
    assert.ok(lock.evidence.some((e) => e.file === 'billing/poetry.lock'));
  });
});

describe('data/migrations: never from names alone', () => {
  it('an Alembic setup with an empty versions/ is configured, no migrations (partial)', async () => {
    const { check, findings } = await scanTree({ 'requirements.txt': 'flask==3.0.3\nsqlalchemy==2.0.30\nalembic==1.13.1\n', 'alembic/env.py': 'from alembic import context\n', 'alembic/script.py.mako': '"""${message}"""\n', 'alembic/versions/.gitkeep': '' }, migrations);
    assert.equal(check?.status, 'partial');
    assert.match(findings[0]!, /Alembic configured .* no migrations/);
  });

  it('SQLAlchemy without any migration tool fails; with a repository-level Flyway directory it passes', async () => {
    const bare = await scanTree({ 'api/requirements.txt': 'fastapi==0.111.0\nsqlalchemy==2.0.30\n' }, migrations);
    assert.equal(bare.check?.status, 'fail');
    const flyway = await scanTree({ 'api/requirements.txt': 'fastapi==0.111.0\nsqlalchemy==2.0.30\n', 'db/migration/V1__init.sql': 'create table t (id int);\n' }, migrations);
    assert.equal(flyway.check?.status, 'pass');
  });

  it('is not applicable to a service that uses only MongoDB or Redis', async () => {
    const { check } = await scanTree({ 'package.json': '{"dependencies": {"express": "^4", "mongoose": "^8", "ioredis": "^5"}}' }, migrations);
    assert.equal(check?.status, 'not-applicable');
  });
});

describe('data/persistence and data/backups: applicability', () => {
  it('a stateless service (no write routes, no store) is not applicable to data/persistence', async () => {
    const { check } = await scanTree({ 'package.json': '{"dependencies": {"express": "^4"}}', 'src/routes.js': "const { Router } = require('express');\nconst r = Router();\nr.get('/x', (q, s) => s.send('ok'));\nmodule.exports = r;\n" }, persistence);
    assert.equal(check?.status, 'not-applicable');
  });

  it('a service that only connects to a database it does not deploy is not asked for backups', async () => {
    const { check } = await scanTree({ 'docker-compose.yml': 'services:\n  api:\n    image: registry.example.test/api:1.0\n    environment:\n      DATABASE_URL: ${DATABASE_URL}\n' }, backups);
    assert.equal(check?.status, 'not-applicable');
  });
});

describe('config/lockfile: lockfiles the scan skips still count', () => {
  it('a package-lock.json over maxFileSize is found', async () => {
    const { check, findings } = await scanTree({ '.readiness.yaml': 'maxFileSize: 200\n', 'package.json': '{"name": "x", "dependencies": {"pg": "^8"}}', 'package-lock.json': `{"lockfileVersion": 3, "pad": "${'x'.repeat(400)}"}` }, lockfile);
    assert.deepEqual(findings, []);
    assert.equal(check?.status, 'pass');
  });

  it('a member that its workspace root does not list has no lockfile', async () => {
    const { findings } = await scanTree({ 'package.json': '{"workspaces": ["apps/*"], "devDependencies": {"typescript": "5.4.5"}}', 'package-lock.json': '{}', 'apps/web/package.json': '{"dependencies": {"react": "^18"}}', 'tools/gen/package.json': '{"dependencies": {"yaml": "^2"}}' }, lockfile);
    assert.deepEqual(findings.map((f) => f.split(' ')[0]), ['tools/gen/package.json:1']);
  });
});

describe('facts the rules read', () => {
  it('env reads: every upper-case name read by code, with exact spans, not only secret ones', () => {
    const text = 'const port = process.env.PORT ?? 3000;\nconst url = process.env["DATABASE_URL"];\nconst x = config("not_env");\n';
    const reads = secretFacts(text, ['ts'], 'a.ts')!.envReads;
    assert.deepEqual(reads.map((r) => [r.name, text.slice(r.span[0], r.span[1])]), [['PORT', 'PORT'], ['DATABASE_URL', 'DATABASE_URL']]);
    const py = 'import os\nA = os.getenv("REDIS_URL")\nB = os.environ.get("QUEUE_NAME", "jobs")\n';
    assert.deepEqual(secretFacts(py, ['python'], 'a.py')!.envReads.map((r) => py.slice(r.span[0], r.span[1])), ['REDIS_URL', 'QUEUE_NAME']);
    assert.equal(secretFacts('env:\n  - name: PORT\n', ['yaml'], 'a.yaml'), undefined, 'YAML is not code');
  });

  it('env names: template keys and README upper-case words, first occurrence each, never values', () => {
    const tpl = '# comment\nexport PORT=8080\nDATABASE_URL = postgres://u:p@h/db\nPORT=9090\n';
    const names = envNames('.env.example', ['dotenv'], tpl)!;
    assert.deepEqual(names.map((n) => [n.name, tpl.slice(n.span[0], n.span[1])]), [['PORT', 'PORT'], ['DATABASE_URL', 'DATABASE_URL']]);
    assert.ok(!JSON.stringify(names).includes('postgres://'));
    const readme = 'Set `API_TOKEN` and PORT.\n';
    assert.deepEqual(envNames('README.md', ['markdown'], readme)!.map((n) => n.name), ['API_TOKEN', 'PORT']);
    assert.equal(envNames('docs/guide.md', ['markdown'], readme), undefined);
  });

  it('terraform: resources, nested and one-line blocks, comments, strings and heredocs, exact spans', () => {
    const text = [
      'resource "aws_db_instance" "main" {',
      '  engine = "postgres" # backup_retention_period = 0',
      '  /* backup_retention_period = 0',
      '  */',
      '  tags = { Name = "a}b" }',
      '  backup_retention_period = var.retention',
      '}',
      'resource "google_sql_database_instance" "r" {',
      '  settings {',
      '    backup_configuration { enabled = true }',
      '  }',
      '  policy = <<EOT',
      '  backup_configuration {',
      'EOT',
      '}',
      'resource "aws_s3_bucket" "ignored" {}',
    ].join('\n');
    const { facts, errors } = terraformFacts(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(facts!.resources.map((r) => `${r.type}.${r.name}`), ['aws_db_instance.main', 'google_sql_database_instance.r']);
    const [db, sql] = facts!.resources;
    assert.equal(text.slice(db!.span[0], db!.span[1]), 'resource "aws_db_instance" "main"');
    const retention = db!.attrs.filter((a) => a.path === 'backup_retention_period');
    assert.deepEqual(retention.map((a) => [a.value, text.slice(a.span[0], a.span[1])]), [['var.retention', 'var.retention']]);
    const enabled = sql!.attrs.find((a) => a.path === 'settings.backup_configuration.enabled');
    assert.equal(enabled?.value, 'true');
    assert.equal(text.slice(enabled!.span[0], enabled!.span[1]), 'true');
    assert.deepEqual(sql!.blocks, ['settings', 'settings.backup_configuration']);
  });

  it('terraform: keeps the values of backup attributes only, never of others (facts are cached on disk)', () => {
    const text = 'resource "aws_db_instance" "db" {\n  engine = "mysql"\n  password = "Zq8wLp2Xc7Vb4Nm1"\n  backup_retention_period = 7\n  tags = { backup_key = "Zq8wLp2Xc7Vb4Nm1" }\n}\n';
    const r = terraformFacts(text).facts!.resources[0]!;
    assert.deepEqual(r.attrs.map((a) => a.path), ['engine', 'backup_retention_period']);
    assert.ok(!JSON.stringify(r).includes('Zq8wLp2Xc7Vb4Nm1'));
  });

  it('terraform: bad input never throws', () => {
    for (const bad of ['resource "aws_db_instance" "x" {{{{', '}}}}\nresource "aws_db_instance" "y" {\n  a = "\n', 'resource "aws_db_instance" "z" {\n  p = <<EOT\n', '/* resource "aws_db_instance" "c" {']) {
      assert.doesNotThrow(() => terraformFacts(bad));
    }
  });
});
