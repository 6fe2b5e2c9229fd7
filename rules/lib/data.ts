// What the data rules know about stores: database clients and ORMs by package name, the
// files that configure them, the environment variables that point at them, and whether a
// service writes state through its HTTP routes.
import type { SourceFile, Span } from '../../server/src/engine/types';
import { baseName, depKey, serviceDeps, type FoundDep } from './services';

export type StoreKind = 'sql' | 'orm' | 'document' | 'key-value' | 'search' | 'wide-column';

export interface StoreLib {
  label: string;
  kind: StoreKind;
  /** Import names that show the library in use (default: the package name). */
  modules?: string[];
}

/** npm packages, by exact name. */
export const NPM_STORES: Readonly<Record<string, StoreLib>> = {
  prisma: { label: 'Prisma', kind: 'orm', modules: ['@prisma/client'] },
  '@prisma/client': { label: 'Prisma', kind: 'orm' },
  typeorm: { label: 'TypeORM', kind: 'orm' },
  sequelize: { label: 'Sequelize', kind: 'orm' },
  'sequelize-typescript': { label: 'Sequelize', kind: 'orm' },
  knex: { label: 'Knex', kind: 'sql' },
  'drizzle-orm': { label: 'Drizzle', kind: 'orm' },
  '@mikro-orm/core': { label: 'MikroORM', kind: 'orm' },
  objection: { label: 'Objection', kind: 'orm' },
  kysely: { label: 'Kysely', kind: 'sql' },
  pg: { label: 'node-postgres (pg)', kind: 'sql' },
  postgres: { label: 'postgres.js', kind: 'sql' },
  mysql: { label: 'mysql', kind: 'sql' },
  mysql2: { label: 'mysql2', kind: 'sql' },
  'better-sqlite3': { label: 'better-sqlite3', kind: 'sql' },
  sqlite3: { label: 'sqlite3', kind: 'sql' },
  mssql: { label: 'mssql', kind: 'sql' },
  mongoose: { label: 'Mongoose', kind: 'document' },
  mongodb: { label: 'MongoDB driver', kind: 'document' },
  redis: { label: 'redis', kind: 'key-value' },
  ioredis: { label: 'ioredis', kind: 'key-value' },
  '@aws-sdk/client-dynamodb': { label: 'DynamoDB', kind: 'key-value' },
  '@aws-sdk/lib-dynamodb': { label: 'DynamoDB', kind: 'key-value' },
  '@google-cloud/firestore': { label: 'Firestore', kind: 'document' },
  'cassandra-driver': { label: 'Cassandra driver', kind: 'wide-column' },
  '@elastic/elasticsearch': { label: 'Elasticsearch client', kind: 'search' },
};

/** Python distributions, by PEP 503-normalised name. */
export const PY_STORES: Readonly<Record<string, StoreLib>> = {
  sqlalchemy: { label: 'SQLAlchemy', kind: 'orm' },
  'flask-sqlalchemy': { label: 'Flask-SQLAlchemy', kind: 'orm', modules: ['flask_sqlalchemy'] },
  sqlmodel: { label: 'SQLModel', kind: 'orm' },
  django: { label: 'Django ORM', kind: 'orm' },
  peewee: { label: 'peewee', kind: 'orm' },
  'tortoise-orm': { label: 'Tortoise ORM', kind: 'orm', modules: ['tortoise'] },
  'pony': { label: 'Pony ORM', kind: 'orm' },
  ormar: { label: 'ormar', kind: 'orm' },
  piccolo: { label: 'Piccolo', kind: 'orm' },
  psycopg: { label: 'psycopg', kind: 'sql' },
  'psycopg-binary': { label: 'psycopg', kind: 'sql', modules: ['psycopg'] },
  psycopg2: { label: 'psycopg2', kind: 'sql' },
  'psycopg2-binary': { label: 'psycopg2', kind: 'sql', modules: ['psycopg2'] },
  asyncpg: { label: 'asyncpg', kind: 'sql' },
  pymysql: { label: 'PyMySQL', kind: 'sql' },
  mysqlclient: { label: 'mysqlclient', kind: 'sql', modules: ['MySQLdb'] },
  aiomysql: { label: 'aiomysql', kind: 'sql' },
  aiosqlite: { label: 'aiosqlite', kind: 'sql' },
  databases: { label: 'databases', kind: 'sql' },
  pymongo: { label: 'PyMongo', kind: 'document' },
  motor: { label: 'Motor', kind: 'document' },
  mongoengine: { label: 'MongoEngine', kind: 'document' },
  beanie: { label: 'Beanie', kind: 'document' },
  odmantic: { label: 'ODMantic', kind: 'document' },
  redis: { label: 'redis-py', kind: 'key-value' },
  'cassandra-driver': { label: 'Cassandra driver', kind: 'wide-column', modules: ['cassandra'] },
  elasticsearch: { label: 'Elasticsearch client', kind: 'search' },
};

export interface StoreDep extends FoundDep {
  lib: StoreLib;
}

/** The service's runtime dependencies that are database clients or ORMs. */
export function storeDeps(files: readonly SourceFile[]): StoreDep[] {
  const out: StoreDep[] = [];
  for (const d of serviceDeps(files)) {
    if (d.dev) continue;
    const key = depKey(d);
    const lib = d.file.facts.manifest?.format === 'npm' ? NPM_STORES[key] : PY_STORES[key.replace(/\[.*$/, '')];
    if (lib) out.push({ ...d, lib });
  }
  return out;
}

export interface Seen {
  file: string;
  span: Span;
  note: string;
}

/** Imports of a store library in the service's code, from the route facts where a file has them. */
export function storeImports(files: readonly SourceFile[], deps: readonly StoreDep[]): Seen[] {
  const out: Seen[] = [];
  const ts = new Map<string, string>();
  const py = new Map<string, string>();
  for (const d of deps) {
    const mods = d.lib.modules ?? [d.dep.name];
    for (const m of mods) (d.file.facts.manifest?.format === 'npm' ? ts : py).set(d.file.facts.manifest?.format === 'npm' ? m : m.toLowerCase().replace(/-/g, '_'), d.lib.label);
  }
  for (const f of files) {
    for (const i of f.facts.routesTs?.imports ?? []) {
      const label = ts.get(i.module) ?? ts.get(i.module.split('/').slice(0, i.module.startsWith('@') ? 2 : 1).join('/'));
      if (label && !i.typeOnly) out.push({ file: f.path, span: i.span, note: `${label} imported` });
    }
    for (const i of f.facts.routesPy?.imports ?? []) {
      const label = py.get(i.module.split('.')[0]!.toLowerCase());
      if (label) out.push({ file: f.path, span: i.span, note: `${label} imported` });
    }
  }
  return out;
}

/** Files whose presence shows a store configured: ORM schemas and configs, Django models. */
export function storeConfigFiles(files: readonly SourceFile[], deps: readonly StoreDep[]): Seen[] {
  const out: Seen[] = [];
  const django = deps.some((d) => d.lib.label === 'Django ORM');
  for (const f of files) {
    const name = baseName(f.path);
    const at = { file: f.path, span: { start: 0, end: 0 } };
    if (name === 'schema.prisma') out.push({ ...at, note: 'Prisma schema' });
    else if (/^knexfile\.[cm]?[jt]s$/.test(name)) out.push({ ...at, note: 'Knex configuration' });
    else if (/^ormconfig\.(json|[cm]?[jt]s|ya?ml)$/.test(name) || /^data-source\.[cm]?[jt]s$/.test(name)) out.push({ ...at, note: 'TypeORM data source' });
    else if (name === '.sequelizerc') out.push({ ...at, note: 'Sequelize configuration' });
    else if (/^drizzle\.config\.[cm]?[jt]s$/.test(name)) out.push({ ...at, note: 'Drizzle configuration' });
    else if (/^mikro-orm\.config\.[cm]?[jt]s$/.test(name)) out.push({ ...at, note: 'MikroORM configuration' });
    else if (name === 'alembic.ini') out.push({ ...at, note: 'Alembic configuration' });
    else if (name === 'models.py' && django) out.push({ ...at, note: 'Django models' });
  }
  return out;
}

const STORE_ENV = /^(DATABASE_URL|DB_URL|DB_HOST|DB_URI|DATABASE_HOST|SQLALCHEMY_DATABASE_URI|POSTGRES_(URL|HOST|DSN|URI)|PG_?HOST|PGHOST|PG_?URL|MYSQL_(URL|HOST)|MONGO(DB)?_(URL|URI|HOST)|MONGO_URL|REDIS_(URL|HOST|URI)|ELASTICSEARCH_URL|DYNAMODB_TABLE|[A-Z0-9]+_DATABASE_URL)$/;

/** Environment variables that point the service at a store, read by its code. */
export function storeEnvReads(files: readonly SourceFile[]): Seen[] {
  const out: Seen[] = [];
  for (const f of files) {
    for (const r of f.facts.secrets?.envReads ?? []) {
      if (STORE_ENV.test(r.name) && !out.some((o) => o.note.includes(`'${r.name}'`))) out.push({ file: f.path, span: { start: r.span[0], end: r.span[1] }, note: `connection setting '${r.name}' read` });
    }
  }
  return out;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WRITE_VIEW_BASES = /(ModelViewSet|CreateAPIView|UpdateAPIView|DestroyAPIView|ListCreateAPIView|RetrieveUpdateAPIView|RetrieveUpdateDestroyAPIView|CreateView|UpdateView|DeleteView|FormView)$/;

/** Routes that change state: POST/PUT/PATCH/DELETE handlers, Django views that write. */
export function writeRoutes(files: readonly SourceFile[]): Seen[] {
  const out: Seen[] = [];
  for (const f of files) {
    const ts = f.facts.routesTs;
    for (const r of ts?.routes ?? []) if (WRITE_METHODS.has(r.method.toUpperCase())) out.push({ file: f.path, span: r.span, note: `${r.method.toUpperCase()} ${r.path ?? '(dynamic path)'}` });
    for (const c of ts?.nest?.controllers ?? []) for (const m of c.methods) if (WRITE_METHODS.has(m.method.toUpperCase())) out.push({ file: f.path, span: m.span, note: `${m.method.toUpperCase()} ${m.path ?? ''} (${c.name})` });
    for (const m of ts?.next?.methods ?? []) if (WRITE_METHODS.has(m.name)) out.push({ file: f.path, span: m.span, note: `${m.name} ${ts?.next?.route ?? ''}` });
    const py = f.facts.routesPy;
    for (const r of py?.routes ?? []) {
      const methods = [r.method, ...r.methods].map((m) => m.toUpperCase()).filter((m) => WRITE_METHODS.has(m));
      if (methods.length > 0) out.push({ file: f.path, span: r.span, note: `${methods[0]} ${r.path ?? '(dynamic path)'}` });
    }
    for (const c of py?.classes ?? []) {
      const writes = c.methods.some((m) => WRITE_METHODS.has(m.name.toUpperCase())) || c.bases.some((b) => WRITE_VIEW_BASES.test(b));
      if (writes) out.push({ file: f.path, span: c.nameSpan, note: `view ${c.name} writes` });
    }
  }
  return out;
}
