// A monorepo with three services in different states — a TS API that does most things right,
// a Python FastAPI service that does some, a Node queue worker that does none — scanned as a
// whole: each service/* check answers per service, names every service in its evidence, and
// rolls the answers up (partial when services differ).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { scan, type ScanOutcome } from '../server/src/engine/index';
import type { Check, Finding } from '../server/src/engine/types';

const ROOT = path.join(__dirname, 'fixtures', 'monorepo');
const SERVICE_RULES = allRules.filter((r) => r.meta.id.startsWith('service/'));

function check(out: ScanOutcome, id: string): Check {
  const c = out.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} ran`);
  return c;
}

function notesOf(c: Check, service: string): string[] {
  return c.evidence.filter((e) => e.note.startsWith(`service '${service}'`)).map((e) => `${e.file ?? ''}:${e.note}`);
}

function findings(out: ScanOutcome, id: string): Finding[] {
  return out.findings.filter((f) => f.ruleId === id);
}

function where(f: Finding): string {
  return `${f.file}:${f.range.start.line}:${f.range.start.column}`;
}

describe('monorepo: per-service verdicts of the service rules', function () {
  this.timeout(60_000);
  let out: ScanOutcome;

  before(async () => {
    out = await scan({ roots: [ROOT], rules: [...allRules] });
  });

  it('finds the three services (not the shared library or the workspace root) and anchors each at its start', () => {
    assert.deepEqual(
      out.services.map((s) => [s.name, s.root, s.kind]),
      [
        ['api', 'services/api', 'node'],
        ['catalog', 'services/catalog', 'python'],
        ['worker', 'services/worker', 'node'],
      ],
    );
    const text = (file: string, span: { start: number; end: number }): string => {
      const f = out.files.find((x) => x.path === file);
      assert.ok(f, file);
      return fs.readFileSync(f.absPath, 'utf8').slice(span.start, span.end);
    };
    const anchors = Object.fromEntries(out.services.map((s) => [s.name, s.anchor && { file: s.anchor.file, text: text(s.anchor.file, s.anchor.span).split('\n')[0] }]));
    // package.json main dist/server.js → its source, at the listen call.
    assert.deepEqual(anchors.api, { file: 'services/api/src/server.ts', text: "app.listen(8080, () => log.info({ port: 8080 }, 'listening'))" });
    assert.deepEqual(anchors.catalog, { file: 'services/catalog/main.py', text: 'FastAPI(lifespan=lifespan)' });
    assert.deepEqual(anchors.worker, { file: 'services/worker/worker.js', text: "new Worker('emails', async (job) => {" });
    assert.equal(out.errors.length, 0, JSON.stringify(out.errors));
  });

  it('structured logging: api (pino) and catalog (structlog JSONRenderer) pass, the worker fails: partial', () => {
    const c = check(out, 'service/structured-logging');
    assert.equal(c.status, 'partial');
    assert.equal(c.subjects, 3);
    assert.ok(Math.abs(c.score! - 2 / 3) < 1e-9);
    assert.ok(notesOf(c, 'api').some((n) => n.startsWith('services/api/src/server.ts:') && n.includes('imports pino')), 'cites the pino import');
    assert.ok(notesOf(c, 'api').some((n) => n.includes('pino(…) (JSON lines by default) at services/api/src/server.ts:8')), 'cites the pino set-up with its line');
    assert.ok(notesOf(c, 'catalog').some((n) => n.includes('structlog.configure with JSONRenderer at services/catalog/main.py:9')));
    assert.ok(notesOf(c, 'worker').some((n) => n.includes('looked for pino') && n.includes('services/worker')));
    assert.deepEqual(findings(out, 'service/structured-logging').map(where), ['services/worker/worker.js:3:16']);
  });

  it('tracing: only the api starts the OpenTelemetry SDK: partial, with a finding per failing service at its anchor', () => {
    const c = check(out, 'service/tracing');
    assert.equal(c.status, 'partial');
    assert.ok(Math.abs(c.score! - 1 / 3) < 1e-9);
    assert.ok(notesOf(c, 'api').some((n) => n.startsWith('services/api/src/tracing.ts:') && n.includes('NodeSDK') && n.includes('tracing.ts:4')));
    assert.ok(notesOf(c, 'catalog').some((n) => n.includes('found none')));
    assert.ok(notesOf(c, 'worker').some((n) => n.includes('found none')));
    assert.deepEqual(findings(out, 'service/tracing').map(where), ['services/catalog/main.py:20:7', 'services/worker/worker.js:3:16']);
  });

  it('graceful shutdown: api closes its server on SIGTERM, catalog runs under uvicorn with lifespan cleanup, the worker does nothing', () => {
    const c = check(out, 'service/graceful-shutdown');
    assert.equal(c.status, 'partial');
    assert.ok(Math.abs(c.score! - 2 / 3) < 1e-9);
    assert.ok(notesOf(c, 'api').some((n) => n.includes('SIGTERM handler at services/api/src/server.ts:18 closes server.close')));
    assert.ok(notesOf(c, 'catalog').some((n) => n.startsWith('services/catalog/Dockerfile:') && n.includes('runs uvicorn')));
    assert.ok(notesOf(c, 'catalog').some((n) => n.includes('lifespan lifespan() cleans up after yield (services/catalog/main.py:14)')));
    assert.ok(notesOf(c, 'worker').some((n) => n.includes("looked for process.on('SIGTERM'")));
    assert.deepEqual(findings(out, 'service/graceful-shutdown').map(where), ['services/worker/worker.js:3:16']);
  });

  it('timeouts: the api call goes through a client with a timeout; the catalog requests.get and the worker fetch are findings at the call', () => {
    const c = check(out, 'service/timeouts');
    assert.equal(c.status, 'partial');
    assert.equal(c.subjects, 3);
    const f = findings(out, 'service/timeouts');
    assert.deepEqual(f.map(where), ['services/catalog/main.py:25:12', 'services/worker/worker.js:5:9']);
    assert.deepEqual(f.map((x) => x.service), ['catalog', 'worker']);
  });

  it('retries: axios-retry and tenacity pass, the worker fails', () => {
    const c = check(out, 'service/retries');
    assert.equal(c.status, 'partial');
    assert.ok(Math.abs(c.score! - 2 / 3) < 1e-9);
    assert.ok(notesOf(c, 'api').some((n) => n.includes('axios-retry') && n.includes('server.ts:10')));
    assert.ok(notesOf(c, 'catalog').some((n) => n.includes('@retry(…)') && n.includes('main.py:23')));
    assert.ok(notesOf(c, 'worker').some((n) => n.includes('found none (it makes 1 outgoing HTTP call)')));
  });

  it('circuit breaker: only the api uses one (opossum)', () => {
    const c = check(out, 'service/circuit-breaker');
    assert.equal(c.status, 'partial');
    assert.ok(Math.abs(c.score! - 1 / 3) < 1e-9);
    assert.ok(notesOf(c, 'api').some((n) => n.includes('opossum') && n.includes('server.ts:11')));
    assert.deepEqual(findings(out, 'service/circuit-breaker').map((f) => f.service), ['catalog', 'worker']);
  });

  it('dev server: the compose --reload command is a finding; the worker Dockerfile nodemon CMD is reported once, by docker/dev-command', async () => {
    assert.equal(check(out, 'service/dev-server').status, 'fail');
    assert.deepEqual(findings(out, 'service/dev-server').map(where), ['docker-compose.yml:7:14']);
    assert.deepEqual(findings(out, 'docker/dev-command').map(where), ['services/worker/Dockerfile:4:1']);
    // Alone, the rule does report the Dockerfile span: it is the deferral that keeps one finding per span.
    const alone = await scan({ roots: [ROOT], rules: SERVICE_RULES.filter((r) => r.meta.id === 'service/dev-server') });
    assert.deepEqual(findings(alone, 'service/dev-server').map(where), ['docker-compose.yml:7:14', 'services/worker/Dockerfile:4:1']);
  });
});
