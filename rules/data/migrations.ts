// data/migrations: where a service uses an ORM or a SQL database, a migration tool is set up
// and holds migrations, so that schema changes are versioned and applied the same way
// everywhere. Decided from manifests and file layout, never from names alone: an Alembic
// setup with an empty `versions/` is "configured, no migrations" (partial), a Prisma schema
// without `prisma/migrations` is partial, a Django app with models.py but no migrations is
// partial.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence, SourceFile, Span } from '../../server/src/engine/types';
import { storeDeps } from '../lib/data';
import { baseName, dirOf, filesByService, nameList, serviceReportAt, serviceSubject } from '../lib/services';

const START: Span = { start: 0, end: 0 };

interface Outcome {
  tool: string;
  status: 'pass' | 'partial' | 'fail';
  evidence: Evidence[];
}

const NODE_MIGRATING = new Set(['TypeORM', 'Sequelize', 'Knex', 'Drizzle', 'MikroORM', 'Objection', 'Kysely']);

function under(f: SourceFile, dir: string): boolean {
  return dir === '' || f.path.startsWith(dir + '/');
}

function first<T>(list: readonly T[]): T | undefined {
  return list[0];
}

/** Alembic: an environment (`env.py` beside `script.py.mako`, or alembic.ini) and revision scripts in `versions/`. */
function alembic(files: readonly SourceFile[], declared: boolean): Outcome | undefined {
  const ini = files.filter((f) => baseName(f.path) === 'alembic.ini');
  const envDirs = files.filter((f) => baseName(f.path) === 'env.py' && files.some((g) => g.path === (dirOf(f.path) ? `${dirOf(f.path)}/script.py.mako` : 'script.py.mako'))).map((f) => dirOf(f.path));
  if (ini.length === 0 && envDirs.length === 0 && !declared) return undefined;
  const versions = files.filter((f) => /(^|\/)versions\/[^/]+\.py$/.test(f.path) && baseName(f.path) !== '__init__.py' && (envDirs.length === 0 || envDirs.some((d) => under(f, d))));
  const setup = first(ini) ?? files.find((f) => envDirs.includes(dirOf(f.path)) && baseName(f.path) === 'env.py');
  if (versions.length > 0) {
    return { tool: 'Alembic', status: 'pass', evidence: [{ file: versions[0]!.path, span: START, note: `Alembic revision scripts: ${versions.length} in '${dirOf(versions[0]!.path)}/' (first: '${baseName(versions[0]!.path)}')` }] };
  }
  const where = setup ? `'${setup.path}'` : 'alembic among the dependencies';
  const dir = envDirs[0] !== undefined ? `'${envDirs[0] ? envDirs[0] + '/' : ''}versions/'` : "a 'versions/' directory";
  return { tool: 'Alembic', status: 'partial', evidence: [{ ...(setup ? { file: setup.path, span: START } : {}), note: `Alembic configured (${where}), no migrations: ${dir} holds no revision script` }] };
}

/** Django: every app with models.py has migrations (`<app>/migrations/0001_*.py`). */
function django(files: readonly SourceFile[]): Outcome | undefined {
  const apps = files.filter((f) => baseName(f.path) === 'models.py').map((f) => dirOf(f.path));
  if (apps.length === 0) return undefined;
  const migrated = apps.filter((a) => files.some((f) => f.path.startsWith(a ? `${a}/migrations/` : 'migrations/') && /^\d{4}_\w*\.py$/.test(baseName(f.path))));
  const missing = apps.filter((a) => !migrated.includes(a));
  const evidence: Evidence[] = [];
  for (const a of migrated.slice(0, 6)) {
    const m = files.find((f) => f.path.startsWith(a ? `${a}/migrations/` : 'migrations/') && /^\d{4}_/.test(baseName(f.path)))!;
    evidence.push({ file: m.path, span: START, note: `Django app '${a || '.'}': migration '${baseName(m.path)}'` });
  }
  for (const a of missing.slice(0, 6)) evidence.push({ file: a ? `${a}/models.py` : 'models.py', span: START, note: `Django app '${a || '.'}' has models.py but no migrations (looked for '${a ? a + '/' : ''}migrations/0001_*.py')` });
  return { tool: 'Django migrations', status: missing.length === 0 ? 'pass' : 'partial', evidence };
}

/** Prisma: a schema and `migrations/<timestamp>_<name>/migration.sql` beside it. */
function prisma(files: readonly SourceFile[], declared: boolean): Outcome | undefined {
  const schemas = files.filter((f) => baseName(f.path) === 'schema.prisma');
  if (schemas.length === 0 && !declared) return undefined;
  const dirs = schemas.map((s) => dirOf(s.path));
  const migrations = files.filter((f) => /(^|\/)migrations\/[^/]+\/migration\.sql$/.test(f.path) && (dirs.length === 0 || dirs.some((d) => under(f, d))));
  if (migrations.length > 0) return { tool: 'Prisma Migrate', status: 'pass', evidence: [{ file: migrations[0]!.path, span: START, note: `Prisma migrations: ${migrations.length} (first: '${migrations[0]!.path}')` }] };
  const schema = schemas[0];
  return {
    tool: 'Prisma Migrate',
    status: 'partial',
    evidence: [{ ...(schema ? { file: schema.path, span: START } : {}), note: `Prisma ${schema ? `schema '${schema.path}'` : 'among the dependencies'} without migrations (looked for '${schema ? (dirOf(schema.path) ? dirOf(schema.path) + '/' : '') : 'prisma/'}migrations/*/migration.sql'; \`prisma db push\` does not version the schema)` }],
  };
}

/** Flyway (`V1__init.sql`), Liquibase changelogs. */
function sqlTools(files: readonly SourceFile[]): Outcome | undefined {
  const flyway = files.filter((f) => /^V\d+(?:[._]\d+)*__[^/]+\.sql$/i.test(baseName(f.path)));
  if (flyway.length > 0) return { tool: 'Flyway', status: 'pass', evidence: [{ file: flyway[0]!.path, span: START, note: `Flyway migrations: ${flyway.length} (first: '${flyway[0]!.path}')` }] };
  const liquibase = files.find((f) => /^db\.changelog[\w.-]*\.(xml|ya?ml|json|sql)$/i.test(baseName(f.path)) || /(^|\/)changelog\/[^/]+\.(xml|ya?ml|sql)$/i.test(f.path));
  if (liquibase) return { tool: 'Liquibase', status: 'pass', evidence: [{ file: liquibase.path, span: START, note: `Liquibase changelog '${liquibase.path}'` }] };
  return undefined;
}

/** Migration files in a `migrations`/`migration`/`db/migrate` directory (TypeORM, Knex, Sequelize, Drizzle, golang-migrate, dbmate …). */
function migrationDir(files: readonly SourceFile[]): Outcome | undefined {
  const found = files.filter((f) => /(^|\/)(migrations?|db\/migrate|drizzle)\/(?:[^/]+\/)?[^/]+\.(sql|[cm]?[jt]s)$/.test(f.path) && !/\.d\.ts$/.test(f.path) && !/(^|\/)migrations\/[^/]+\/migration\.sql$/.test(f.path));
  if (found.length === 0) return undefined;
  return { tool: 'migration scripts', status: 'pass', evidence: [{ file: found[0]!.path, span: START, note: `migration scripts: ${found.length} in '${dirOf(found[0]!.path)}/' (first: '${baseName(found[0]!.path)}')` }] };
}

export default defineRule({
  meta: {
    id: 'data/migrations',
    category: 'data',
    weight: 4,
    severity: 'warning',
    scope: 'workspace',
    title: 'Database schemas change through migrations',
    summary: 'where an ORM or SQL database is used, a migration tool is set up (Alembic, Django migrations, Prisma migrate, TypeORM/Knex/Sequelize migrations, Flyway/Liquibase dirs)',
    appliesTo: ['package-manifest'],
    subjects: { singular: 'service', plural: 'services', passing: 'version their schema with migrations' },
    messages: {
      none: "Service '{service}' uses {stores} but has no migration tool set up: schema changes are applied by hand or by the ORM at start-up",
      empty: "Service '{service}': {detail}",
    },
  },
  check(ctx) {
    const owned = filesByService(ctx);
    const claimed = new Set([...owned.values()].flat().map((f) => f.path));
    // Files outside every service (a repository-level `db/migrations`) serve them all.
    const shared = ctx.files.filter((f) => !claimed.has(f.path));
    for (const [service, own] of owned) {
      const files = [...own, ...shared];
      const deps = storeDeps(own).filter((d) => d.lib.kind === 'sql' || d.lib.kind === 'orm');
      const labels = new Set(deps.map((d) => d.lib.label));
      const alembicDeclared = own.some((f) => [...(f.facts.manifest?.dependencies ?? [])].some((d) => d.name.toLowerCase() === 'alembic'));
      const hasSchema = own.some((f) => baseName(f.path) === 'schema.prisma');
      if (deps.length === 0 && !hasSchema && !alembicDeclared) continue;
      const outcomes: Outcome[] = [];
      const a = alembic(files, alembicDeclared);
      if (a) outcomes.push(a);
      if (labels.has('Django ORM')) {
        const d = django(own);
        if (d) outcomes.push(d);
      }
      const p = prisma(files, labels.has('Prisma'));
      if (p) outcomes.push(p);
      const sql = sqlTools(files);
      if (sql) outcomes.push(sql);
      if (!outcomes.some((o) => o.status === 'pass') && (deps.some((d) => NODE_MIGRATING.has(d.lib.label) || d.lib.kind === 'sql') || outcomes.length === 0)) {
        const dir = migrationDir(files);
        if (dir) outcomes.push(dir);
      }
      const label = `service '${service.name}'`;
      const evidence: Evidence[] = [];
      for (const d of deps.slice(0, 4)) evidence.push({ file: d.file.path, span: { start: d.dep.span[0], end: d.dep.span[1] }, note: `${label}: uses ${d.lib.label} ('${d.dep.name}')` });
      for (const o of outcomes) for (const e of o.evidence) evidence.push({ ...e, note: `${label}: ${e.note}` });
      const subject = serviceSubject(service);
      const at = serviceReportAt(service);
      const stores = nameList([...labels].length > 0 ? [...labels] : hasSchema ? ['Prisma'] : ['Alembic']);
      if (outcomes.some((o) => o.status === 'pass') && !outcomes.some((o) => o.status === 'partial' && o.tool === 'Django migrations')) {
        ctx.verdict({ subject, status: 'pass', evidence });
        continue;
      }
      const partial = outcomes.find((o) => o.status === 'partial');
      if (partial || outcomes.some((o) => o.status === 'pass')) {
        const detail = (partial ?? outcomes[0]!).evidence.map((e) => e.note).join('; ');
        ctx.verdict({ subject, status: 'partial', evidence, report: { ...at, messageId: 'empty', data: { service: service.name, detail } } });
        continue;
      }
      const where = service.root === '.' ? 'the repository' : `'${service.root}' and the repository outside services`;
      evidence.push({ note: `${label}: looked for Alembic (alembic.ini, env.py, versions/), Django migrations, Prisma migrations, Flyway (V1__*.sql), Liquibase changelogs and migration directories (migrations/, db/migrate/) in ${where}; found none` });
      ctx.verdict({ subject, status: 'fail', evidence, report: { ...at, messageId: 'none', data: { service: service.name, stores } } });
    }
  },
});
