// data/persistence: a service that keeps domain state keeps it in a database or store
// rather than in process memory. "Keeps domain state" is read from what the service does:
// it has routes that change state (POST/PUT/PATCH/DELETE, Django views that write), or it
// declares a store of its own. A service that only reads (a stateless proxy, a static site)
// is not applicable. Pass: a store client or ORM is a runtime dependency AND is seen in use
// (imported in code, configured by a schema/config file, or pointed at by a connection
// variable); partial: one without the other; fail: write routes and no store at all.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence } from '../../server/src/engine/types';
import { storeConfigFiles, storeDeps, storeEnvReads, storeImports, writeRoutes, type Seen } from '../lib/data';
import { filesByService, nameList, serviceReportAt, serviceSubject, spanOf } from '../lib/services';

const MAX_EVIDENCE = 8;

export default defineRule({
  meta: {
    id: 'data/persistence',
    category: 'data',
    weight: 4,
    severity: 'warning',
    scope: 'workspace',
    title: 'Services keep their state in a database',
    summary: 'a service that keeps domain state uses a database/store (ORM or driver imported and configured) rather than only process memory',
    appliesTo: ['package-manifest', 'ts', 'js', 'python'],
    subjects: { singular: 'service', plural: 'services', passing: 'keep their state in a database or store' },
    messages: {
      memory: "Service '{service}' changes state ({routes}) but uses no database or store: its data lives in process memory and is lost on restart",
      unused: "Service '{service}' declares {stores} but nothing shows it in use (no import in route code, no schema or configuration, no connection variable)",
      undeclared: "Service '{service}' configures a store ({seen}) but no database client or ORM is among its runtime dependencies",
    },
  },
  check(ctx) {
    for (const [service, files] of filesByService(ctx)) {
      const deps = storeDeps(files);
      const writes = writeRoutes(files);
      const use: Seen[] = [...storeImports(files, deps), ...storeConfigFiles(files, deps), ...storeEnvReads(files)];
      if (deps.length === 0 && writes.length === 0 && use.length === 0) continue;
      const label = `service '${service.name}'`;
      const evidence: Evidence[] = [];
      for (const d of deps.slice(0, MAX_EVIDENCE)) evidence.push({ file: d.file.path, span: spanOf(d.dep.span), note: `${label}: ${d.lib.label} ('${d.dep.name}') is a runtime dependency` });
      for (const u of use.slice(0, MAX_EVIDENCE)) evidence.push({ file: u.file, span: u.span, note: `${label}: ${u.note}` });
      for (const w of writes.slice(0, MAX_EVIDENCE)) evidence.push({ file: w.file, span: w.span, note: `${label}: ${w.note} changes state` });
      const subject = serviceSubject(service);
      const at = serviceReportAt(service);
      if (deps.length > 0 && use.length > 0) {
        ctx.verdict({ subject, status: 'pass', evidence });
        continue;
      }
      if (deps.length > 0) {
        evidence.push({ note: `${label}: looked for imports of ${nameList(deps.map((d) => d.dep.name))} in route code, ORM schemas/configs and connection variables (DATABASE_URL …); found none` });
        ctx.verdict({ subject, status: 'partial', evidence, report: { ...at, messageId: 'unused', data: { service: service.name, stores: nameList(deps.map((d) => d.lib.label)) } } });
        continue;
      }
      if (use.length > 0) {
        evidence.push({ note: `${label}: looked for a database client or ORM among the runtime dependencies of its manifests; found none` });
        ctx.verdict({ subject, status: 'partial', evidence, report: { ...at, messageId: 'undeclared', data: { service: service.name, seen: nameList(use.map((u) => u.note), 2) } } });
        continue;
      }
      evidence.push({ note: `${label}: looked for a database client or ORM (pg, mysql2, mongoose, prisma, typeorm, sequelize, knex, redis, SQLAlchemy, Django models, psycopg, pymongo …) in its manifests and code; found none` });
      ctx.verdict({ subject, status: 'fail', evidence, report: { ...at, messageId: 'memory', data: { service: service.name, routes: nameList(writes.map((w) => w.note), 2) } } });
    }
  },
});
