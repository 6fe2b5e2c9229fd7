// data/backups: where the repository deploys a database — a compose service or a Kubernetes
// StatefulSet/Deployment running a database image, or a managed database in Terraform — a
// backup exists for it: a Kubernetes CronJob, compose service or scheduled CI workflow that
// runs the engine's dump tool (pg_dump, mysqldump, mongodump …) or a backup image, a Velero
// Schedule or CloudNativePG ScheduledBackup, or the managed database's own backup settings
// (`backup_retention_period`, `point_in_time_recovery`, `backup_configuration` …). One
// subject per database; the check is the mean over them.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence, SourceFile, Span, Subject } from '../../server/src/engine/types';
import type { TfAttr, TfResource } from '../../server/src/engine/parse/terraform';
import { composeServices, databaseOf, databaseOfImage, serviceSubject as composeSubject } from '../lib/compose';
import { imageName } from '../lib/image';
import { allObjects, allWorkloads, get, isObj, workloadSubject, type Workload } from '../lib/k8s';
import { spanOf } from '../lib/services';

/** Engines whose data is worth a backup (memcached and message brokers are left out). */
const BACKED = new Set(['postgres', 'mysql', 'mariadb', 'mongo', 'redis', 'elasticsearch', 'opensearch', 'cassandra', 'clickhouse', 'couchdb', 'neo4j', 'influxdb', 'mssql', 'cockroach']);

/** Dump and backup tools, with the engines they back up ('*': any). */
const TOOLS: readonly [RegExp, readonly string[]][] = [
  [/\b(pg_dump(all)?|pg_basebackup|pgbackrest|wal-g|barman(-cloud-backup)?)\b/, ['postgres']],
  [/\b(mysqldump|mariadb-dump|mariabackup|xtrabackup|mydumper|mysqlpump)\b/, ['mysql', 'mariadb']],
  [/\bmongodump\b/, ['mongo']],
  [/\bredis-cli\b.*(--rdb\b|\bbgsave\b|\bsave\b)/i, ['redis']],
  [/\b(nodetool\s+snapshot|medusa)\b/, ['cassandra']],
  [/\bcockroach\s+sql\b.*\bBACKUP\b/i, ['cockroach']],
  [/_snapshot\//, ['elasticsearch', 'opensearch']],
  [/\b(restic|kopia|borg|velero\s+backup)\b/, ['*']],
];

interface Backup {
  engines: readonly string[];
  /** Which databases it can reach: in-cluster ones, compose ones, or any. */
  platform: 'k8s' | 'compose' | 'any';
  file: string;
  span: Span;
  note: string;
}

function enginesOfText(text: string): readonly string[] | undefined {
  for (const [re, engines] of TOOLS) if (re.test(text)) return engines;
  return undefined;
}

/** A backup image (`prodrigestivill/postgres-backup-local`, `tiredofit/db-backup`): engine from its name, else any. */
function enginesOfImage(image: string): readonly string[] | undefined {
  const name = imageName(image);
  if (!/backup|dump/.test(name) && !/backup/.test(image.toLowerCase())) return undefined;
  if (/postgres|pg/.test(name)) return ['postgres'];
  if (/mysql|maria/.test(name)) return ['mysql', 'mariadb'];
  if (/mongo/.test(name)) return ['mongo'];
  return ['*'];
}

function words(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string').join(' ');
  return '';
}

function kubernetesBackups(files: readonly SourceFile[], out: Backup[]): void {
  for (const w of allWorkloads(files)) {
    if (w.kind !== 'CronJob') continue;
    for (const c of w.containers) {
      const image = typeof c.value.image === 'string' ? c.value.image : '';
      const engines = enginesOfText(`${words(c.value.command)} ${words(c.value.args)}`) ?? enginesOfImage(image);
      if (engines) out.push({ engines, platform: 'k8s', file: w.file.path, span: c.nameSpan, note: `CronJob '${w.name}' (schedule ${JSON.stringify(get(w.value, 'spec', 'schedule') ?? '?')}) runs a backup in container '${c.name}'` });
    }
  }
  for (const o of allObjects(files, 'Schedule', 'ScheduledBackup')) {
    if (o.kind === 'Schedule' && o.apiVersion.startsWith('velero.io/')) out.push({ engines: ['*'], platform: 'k8s', file: o.file.path, span: o.nameSpan, note: `Velero Schedule '${o.name}'` });
    if (o.kind === 'ScheduledBackup' && o.apiVersion.startsWith('postgresql.cnpg.io/')) out.push({ engines: ['postgres'], platform: 'k8s', file: o.file.path, span: o.nameSpan, note: `CloudNativePG ScheduledBackup '${o.name}'` });
  }
}

function composeBackups(files: readonly SourceFile[], out: Backup[]): void {
  for (const s of composeServices(files)) {
    if (databaseOf(s)) continue;
    const image = typeof s.value.image === 'string' ? s.value.image : '';
    const engines = enginesOfText(`${words(s.value.command)} ${words(s.value.entrypoint)}`) ?? enginesOfImage(image);
    if (engines) out.push({ engines, platform: 'compose', file: s.file.path, span: s.keySpan, note: `compose service '${s.name}' runs a backup${image ? ` (${image})` : ''}` });
  }
}

/** Scheduled CI workflows (GitHub Actions `on: schedule`) whose steps run a dump tool. */
function ciBackups(files: readonly SourceFile[], out: Backup[]): void {
  for (const f of files) {
    for (const doc of f.facts.yaml?.docs ?? []) {
      const v = doc.value;
      if (!isObj(v) || !isObj(v.on) || !Array.isArray(v.on.schedule) || !isObj(v.jobs)) continue;
      for (const [job, spec] of Object.entries(v.jobs)) {
        const steps = isObj(spec) && Array.isArray(spec.steps) ? spec.steps : [];
        steps.forEach((step: unknown, i) => {
          const engines = isObj(step) && typeof step.run === 'string' ? enginesOfText(step.run) : undefined;
          const at = doc.spans[`/jobs/${job}/steps/${i}/run`]?.v;
          if (engines) out.push({ engines, platform: 'any', file: f.path, span: at ? { start: at[0], end: at[1] } : { start: doc.span[0], end: doc.span[0] }, note: `scheduled CI workflow job '${job}' runs a dump` });
        });
      }
    }
  }
}

// ----------------------------------------------------------------------------- Terraform

interface TfVerdict {
  status: 'pass' | 'partial' | 'fail';
  note: string;
  attr?: TfAttr;
}

const TF_DATABASES: Readonly<Record<string, (r: TfResource) => TfVerdict>> = {
  aws_db_instance: (r) => retention(r, 'backup_retention_period', 'the provider default of 1 day'),
  aws_rds_cluster: (r) => retention(r, 'backup_retention_period', 'the provider default of 1 day'),
  aws_docdb_cluster: (r) => retention(r, 'backup_retention_period', 'the provider default of 1 day'),
  aws_neptune_cluster: (r) => retention(r, 'backup_retention_period', 'the provider default of 1 day'),
  aws_dynamodb_table: (r) => flag(r, 'point_in_time_recovery.enabled', 'point-in-time recovery'),
  google_sql_database_instance: (r) => flag(r, 'settings.backup_configuration.enabled', 'automated backups'),
  google_alloydb_cluster: (r) => block(r, 'automated_backup_policy', 'AlloyDB default continuous backup'),
  azurerm_postgresql_flexible_server: (r) => retention(r, 'backup_retention_days', 'the default of 7 days'),
  azurerm_mysql_flexible_server: (r) => retention(r, 'backup_retention_days', 'the default of 7 days'),
  azurerm_postgresql_server: (r) => retention(r, 'backup_retention_days', 'the default of 7 days'),
  azurerm_mysql_server: (r) => retention(r, 'backup_retention_days', 'the default of 7 days'),
  azurerm_mariadb_server: (r) => retention(r, 'backup_retention_days', 'the default of 7 days'),
  azurerm_mssql_database: (r) => block(r, 'short_term_retention_policy', 'the default short-term retention'),
  azurerm_cosmosdb_account: (r) => block(r, 'backup', 'the default periodic backup'),
  mongodbatlas_cluster: (r) => flag(r, 'cloud_backup', 'cloud backup', 'provider_backup_enabled'),
  mongodbatlas_advanced_cluster: (r) => flag(r, 'backup_enabled', 'cloud backup'),
  digitalocean_database_cluster: () => ({ status: 'pass', note: 'DigitalOcean managed databases are backed up daily' }),
};

function attr(r: TfResource, path: string): TfAttr | undefined {
  return r.attrs.find((a) => a.path === path);
}

function retention(r: TfResource, path: string, fallback: string): TfVerdict {
  const a = attr(r, path);
  if (!a) return { status: 'partial', note: `no ${path}: relies on ${fallback}` };
  if (/^0+$/.test(a.value)) return { status: 'fail', note: `${path} = 0 turns automated backups off`, attr: a };
  return { status: 'pass', note: `${path} = ${a.value}`, attr: a };
}

function flag(r: TfResource, path: string, what: string, alt?: string): TfVerdict {
  const a = attr(r, path) ?? (alt ? attr(r, alt) : undefined);
  if (a && a.value === 'true') return { status: 'pass', note: `${a.path} = true (${what})`, attr: a };
  if (a && a.value !== 'false') return { status: 'pass', note: `${a.path} = ${a.value} (${what}, from an expression)`, attr: a };
  return { status: 'fail', note: a ? `${a.path} = false: no ${what}` : `no ${path}: ${what} is off by default`, ...(a ? { attr: a } : {}) };
}

function block(r: TfResource, path: string, fallback: string): TfVerdict {
  if (r.blocks.includes(path)) {
    const a = r.attrs.find((x) => x.path.startsWith(path + '.'));
    return { status: 'pass', note: `${path} block set`, ...(a ? { attr: a } : {}) };
  }
  return { status: 'partial', note: `no ${path} block: relies on ${fallback}` };
}

/** The engine of a managed database, for matching it with a compose stand-in. */
function tfEngine(r: TfResource): string | undefined {
  const text = `${r.type} ${attr(r, 'engine')?.value ?? ''} ${attr(r, 'database_version')?.value ?? ''}`.toLowerCase();
  if (/postgres/.test(text)) return 'postgres';
  if (/mariadb/.test(text)) return 'mariadb';
  if (/mysql/.test(text)) return 'mysql';
  if (/docdb|mongo/.test(text)) return 'mongo';
  return undefined;
}

interface ManagedDb {
  resource: TfResource;
  file: SourceFile;
  verdict: TfVerdict;
  engine?: string;
}

function managedDatabases(files: readonly SourceFile[]): ManagedDb[] {
  const out: ManagedDb[] = [];
  const plans = files.flatMap((f) => (f.facts.terraform?.resources ?? []).filter((r) => r.type === 'aws_backup_plan').map((r) => ({ r, f })));
  for (const f of files) {
    for (const r of f.facts.terraform?.resources ?? []) {
      const decide = TF_DATABASES[r.type];
      if (!decide) continue;
      let verdict = decide(r);
      const plan = plans[0];
      if (verdict.status !== 'pass' && plan && r.type.startsWith('aws_')) verdict = { status: 'pass', note: `AWS Backup plan '${plan.r.name}' (${plan.f.path}) in the same configuration` };
      const engine = tfEngine(r);
      out.push({ resource: r, file: f, verdict, ...(engine ? { engine } : {}) });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------- the rule

interface DeployedDb {
  subject: Subject;
  engine: string;
  label: string;
  platform: 'k8s' | 'compose';
  file: string;
  span: Span;
}

function deployed(k8s: readonly SourceFile[], compose: readonly SourceFile[]): DeployedDb[] {
  const out: DeployedDb[] = [];
  for (const s of composeServices(compose)) {
    const db = databaseOf(s);
    if (!db || !BACKED.has(db.kind)) continue;
    out.push({ subject: composeSubject(s), engine: db.kind, label: `compose service '${s.name}' (${db.db.label})`, platform: 'compose', file: s.file.path, span: s.keySpan });
  }
  for (const w of allWorkloads(k8s) as Workload[]) {
    if (w.kind !== 'StatefulSet' && w.kind !== 'Deployment') continue;
    for (const c of w.containers) {
      const found = typeof c.value.image === 'string' && !c.init ? databaseOfImage(c.value.image) : undefined;
      if (!found || !BACKED.has(found.kind)) continue;
      out.push({ subject: workloadSubject(w), engine: found.kind, label: `${w.kind} '${w.name}' (${found.db.label})`, platform: 'k8s', file: w.file.path, span: w.nameSpan });
      break;
    }
  }
  return out;
}

const LOOKED = 'looked for Kubernetes CronJobs and compose services running pg_dump/mysqldump/mongodump/redis-cli --rdb or a backup image, Velero Schedules, CloudNativePG ScheduledBackups, scheduled CI workflows running a dump, and Terraform managed databases with backups';

export default defineRule({
  meta: {
    id: 'data/backups',
    category: 'data',
    weight: 3,
    severity: 'warning',
    scope: 'workspace',
    title: 'Deployed databases are backed up',
    summary: 'where a database is deployed by the repo (k8s/compose), a backup job exists (CronJob or scheduled job running pg_dump/mysqldump/mongodump, Velero schedule, managed-DB backup settings in Terraform)',
    appliesTo: ['k8s', 'compose', 'terraform'],
    subjects: { singular: 'database', plural: 'databases', passing: 'are backed up' },
    messages: {
      none: '{database} is deployed by this repository but nothing backs it up: no scheduled dump, backup job, Velero schedule or managed backup',
      managed: "Managed database '{resource}' ({type}): {detail}",
    },
  },
  check(ctx) {
    const backups: Backup[] = [];
    kubernetesBackups(ctx.filesOf('k8s'), backups);
    composeBackups(ctx.filesOf('compose'), backups);
    ciBackups(ctx.filesOf('ci'), backups);
    const managed = managedDatabases(ctx.filesOf('terraform'));

    for (const db of deployed(ctx.filesOf('k8s'), ctx.filesOf('compose'))) {
      const covering = backups.filter((b) => (b.engines.includes('*') || b.engines.includes(db.engine)) && (b.platform === 'any' || b.platform === db.platform));
      // A compose database is taken as the local stand-in of a managed database of the same engine.
      const standIn = db.platform === 'compose' ? managed.find((m) => m.engine === db.engine && m.verdict.status === 'pass') : undefined;
      const evidence: Evidence[] = covering.slice(0, 4).map((b) => ({ file: b.file, span: b.span, note: `${db.label}: ${b.note}` }));
      if (standIn) {
        const a = standIn.verdict.attr;
        evidence.push({ file: standIn.file.path, span: a ? spanOf(a.span) : spanOf(standIn.resource.span), note: `${db.label}: taken as the local stand-in of managed database '${standIn.resource.type}.${standIn.resource.name}', which is backed up (${standIn.verdict.note})` });
      }
      if (evidence.length > 0) {
        ctx.verdict({ subject: db.subject, status: 'pass', evidence });
        continue;
      }
      ctx.verdict({
        subject: db.subject,
        status: 'fail',
        evidence: [{ file: db.file, span: db.span, note: `${db.label}: ${LOOKED} for ${db.engine}; found none` }],
        report: { file: db.file, span: db.span, messageId: 'none', data: { database: db.label.charAt(0).toUpperCase() + db.label.slice(1) } },
      });
    }

    for (const m of managed) {
      const r = m.resource;
      const subject: Subject = { key: `${m.file.path}#${r.type}.${r.name}`, file: m.file.path, span: spanOf(r.span) };
      const at = m.verdict.attr ? spanOf(m.verdict.attr.span) : spanOf(r.span);
      const evidence: Evidence[] = [{ file: m.file.path, span: at, note: `${r.type}.${r.name}: ${m.verdict.note}` }];
      if (m.verdict.status === 'pass') ctx.verdict({ subject, status: 'pass', evidence });
      else ctx.verdict({ subject, status: m.verdict.status, evidence, report: { file: m.file.path, span: at, messageId: 'managed', data: { resource: r.name, type: r.type, detail: m.verdict.note } } });
    }
  },
});
