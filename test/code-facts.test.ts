// Code facts (server/src/engine/parse/code-ts.ts, code-py.ts): what the service rules read
// from one TS/JS or Python file — outgoing calls and their timeouts, loggers and their
// format, set-ups, signal handlers, startup hooks that never run, `__main__` runs.
import * as assert from 'node:assert/strict';
import { extractFacts } from '../server/src/engine/extract';
import { procfileEntries, type CodeFacts } from '../server/src/engine/parse/code-facts';
import { codeFactsPy } from '../server/src/engine/parse/code-py';
import { codeFactsTs } from '../server/src/engine/parse/code-ts';
import { preparePython } from '../server/src/engine/parse/routes-py';
import type { Span } from '../server/src/engine/types';

function ts(text: string, file = 'src/app.ts'): CodeFacts {
  const facts = codeFactsTs(file, text);
  assert.ok(facts);
  return facts;
}

function py(text: string): CodeFacts {
  const facts = codeFactsPy(text);
  assert.ok(facts, 'python facts (is the parser prepared?)');
  return facts;
}

function at(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

describe('code facts: TS/JS', () => {
  it('outgoing calls: timeouts on the call, on the axios/got instance, axios defaults, fetch signals; spans are the calls', () => {
    const src = [
      "import axios from 'axios';",
      "import got from 'got';",
      "const fast = axios.create({ timeout: 1000 });",
      "const slow = axios.create({ baseURL: 'http://x' });",
      "const g = got.extend({ timeout: { request: 500 } });",
      'async function run(opts: object) {',
      "  await axios.get('/a');",
      "  await axios.get('/a', { timeout: 10 });",
      "  await axios.post('/a', { timeout: 10 });", // the data, not the config
      "  await axios.post('/a', {}, { timeout: 0 });",
      "  await axios({ url: '/a', timeout: 5 });",
      "  await axios('/a');",
      "  await fast.get('/b');",
      "  await slow.put('/b', {});",
      "  await g('/c');",
      "  await got('/c');",
      "  await fetch('/d');",
      "  await fetch('/d', { signal: AbortSignal.timeout(100) });",
      "  await fetch('/d', opts);",
      "  await axios.get('/e', { ...opts });",
      '}',
    ].join('\n');
    const f = ts(src);
    assert.deepEqual(
      f.httpCalls.map((c) => [at(src, c.span), c.client, c.timeout]),
      [
        ["axios.get('/a')", 'axios', 'missing'],
        ["axios.get('/a', { timeout: 10 })", 'axios', 'set'],
        ["axios.post('/a', { timeout: 10 })", 'axios', 'missing'],
        ["axios.post('/a', {}, { timeout: 0 })", 'axios', 'disabled'],
        ["axios({ url: '/a', timeout: 5 })", 'axios', 'set'],
        ["axios('/a')", 'axios', 'missing'],
        ["fast.get('/b')", 'axios', 'set'],
        ["slow.put('/b', {})", 'axios', 'missing'],
        ["g('/c')", 'got', 'set'],
        ["got('/c')", 'got', 'missing'],
        ["fetch('/d')", 'fetch', 'missing'],
        ["fetch('/d', { signal: AbortSignal.timeout(100) })", 'fetch', 'set'],
        ["fetch('/d', opts)", 'fetch', 'unknown'],
        ["axios.get('/e', { ...opts })", 'axios', 'unknown'],
      ],
    );
    assert.equal(at(src, f.httpCalls[6]!.via!), 'axios.create({ timeout: 1000 })', 'the instance that decided it');
  });

  it('axios.defaults.timeout and CommonJS require count; a non-HTTP member of axios is not a call', () => {
    const src = "const axios = require('axios');\naxios.defaults.timeout = 2000;\naxios.get('/a');\naxios.isCancel(e);\n";
    assert.deepEqual(ts(src, 'x.js').httpCalls.map((c) => [c.callee, c.timeout]), [['axios.get', 'set']]);
  });

  it('loggers: pino and bunyan are JSON; pino-pretty is text; winston by its format (default JSON, simple/printf text, json() JSON)', () => {
    const src = [
      "import pino from 'pino';",
      "import bunyan from 'bunyan';",
      "import winston, { format, createLogger } from 'winston';",
      'const a = pino();',
      "const b = pino({ transport: { target: 'pino-pretty' } });",
      "const c = bunyan.createLogger({ name: 'x' });",
      'const d = winston.createLogger({ transports: [new winston.transports.Console()] });',
      'const e = createLogger({ format: format.combine(format.timestamp(), format.printf((i) => i.message)) });',
      'const f = winston.createLogger({ format: winston.format.json() });',
      'const plain = format.simple();',
      'const g = createLogger({ format: plain });',
    ].join('\n');
    assert.deepEqual(
      ts(src).loggers.map((l) => [l.lib, l.format]),
      [
        ['pino', 'json'],
        ['pino', 'text'],
        ['bunyan', 'json'],
        ['winston', 'json'],
        ['winston', 'text'],
        ['winston', 'json'],
        ['winston', 'text'],
      ],
    );
  });

  it('signal handlers: what they close (following a same-file helper), or that they only exit; shutdown libraries', () => {
    const src = [
      'const server = app.listen(3000);',
      'async function stopAll() { await db.$disconnect(); server.close(); }',
      "process.on('SIGTERM', () => { void stopAll(); });",
      "process.once('SIGINT', () => process.exit(0));",
      "['SIGTERM', 'SIGINT'].forEach((sig) => process.on(sig, () => server.close()));",
      'app.enableShutdownHooks();',
    ].join('\n');
    const f = ts(src);
    assert.deepEqual(
      f.signals.map((s) => [s.signal, s.closes, s.exits]),
      [
        ['SIGTERM', ['db.$disconnect', 'server.close'], false],
        ['SIGINT', [], true],
        ['sig', ['server.close'], false],
      ],
    );
    assert.deepEqual(f.setups.map((s) => [s.kind, s.lib]), [['shutdown', 'NestJS']]);
    assert.deepEqual(f.anchors.map((a) => [a.kind, at(src, a.span)]), [['listen', 'app.listen(3000)']]);
  });

  it('tracing, retries and breakers need a set-up call, not just an import; Sentry without tracesSampleRate is a note', () => {
    const src = [
      "import { trace } from '@opentelemetry/api';",
      "import * as Sentry from '@sentry/node';",
      "import pRetry from 'p-retry';",
      "import CircuitBreaker from 'opossum';",
      "Sentry.init({ dsn: 'x' });",
      'await pRetry(() => work(), { retries: 3 });',
      'const breaker = new CircuitBreaker(work);',
      "require('dd-trace').init();",
    ].join('\n');
    assert.deepEqual(
      ts(src).setups.map((s) => [s.kind, s.lib]),
      [
        ['note', 'Sentry'],
        ['retry', 'p-retry'],
        ['breaker', 'opossum'],
        ['tracing', 'dd-trace'],
      ],
    );
  });

  it('a fetch function of the file is not the global fetch', () => {
    assert.deepEqual(ts("function fetch(id: string) { return db.get(id); }\nfetch('a');\n").httpCalls, []);
  });

  it('files the pre-filter rejects are not parsed; broken files do not throw', () => {
    assert.equal(extractFacts('src/math.ts', 'export const add = (a: number, b: number) => a + b;\n').code, undefined);
    const broken = ts("import axios from 'axios';\naxios.get('/a', { timeout: ;\nfunction (", 'b.ts');
    assert.equal(broken.httpCalls.length, 1);
  });
});

describe('code facts: Python', () => {
  before(async () => {
    await preparePython();
  });

  it('requests, sessions, httpx module calls and clients: timeout= on the call or the client; **kwargs is unknown', () => {
    const src = [
      'import httpx',
      'import requests as rq',
      'from requests import get',
      's = rq.Session()',
      'c = httpx.Client(timeout=3)',
      'd = httpx.Client()',
      'rq.get("http://a")',
      'get("http://a", timeout=2)',
      'rq.post("http://a", timeout=None)',
      's.get("http://a")',
      's.get("http://a", timeout=1)',
      'httpx.get("http://a")',
      'c.get("/x")',
      'd.post("/x")',
      'rq.request("GET", "http://a", **opts)',
      'with httpx.Client(timeout=None) as e:',
      '    e.get("/y")',
    ].join('\n');
    assert.deepEqual(
      py(src).httpCalls.map((c) => [at(src, c.span), c.client, c.timeout]),
      [
        ['rq.get("http://a")', 'requests', 'missing'],
        ['get("http://a", timeout=2)', 'requests', 'set'],
        ['rq.post("http://a", timeout=None)', 'requests', 'disabled'],
        ['s.get("http://a")', 'requests', 'missing'],
        ['s.get("http://a", timeout=1)', 'requests', 'set'],
        ['httpx.get("http://a")', 'httpx', 'default'],
        ['c.get("/x")', 'httpx', 'set'],
        ['d.post("/x")', 'httpx', 'default'],
        ['rq.request("GET", "http://a", **opts)', 'requests', 'unknown'],
        ['e.get("/y")', 'httpx', 'disabled'],
      ],
    );
  });

  it('loggers: plain Formatter/basicConfig are text; JsonFormatter, dictConfig with it, structlog JSONRenderer, loguru serialize=True are JSON', () => {
    const src = [
      'import logging, logging.config',
      'import structlog',
      'from loguru import logger',
      'from pythonjsonlogger import jsonlogger',
      'logging.basicConfig(level=logging.INFO)',
      'h.setFormatter(logging.Formatter("%(message)s"))',
      'h.setFormatter(jsonlogger.JsonFormatter())',
      'CONFIG = {"formatters": {"json": {"()": "pythonjsonlogger.jsonlogger.JsonFormatter"}}}',
      'logging.config.dictConfig(CONFIG)',
      'structlog.configure(processors=[structlog.dev.ConsoleRenderer()])',
      'structlog.configure(processors=[structlog.processors.JSONRenderer()])',
      'structlog.configure(processors=[structlog.processors.KeyValueRenderer()])',
      'logger.add(sys.stdout)',
      'logger.add(sys.stdout, serialize=True)',
    ].join('\n');
    assert.deepEqual(
      py(src).loggers.map((l) => [l.lib, l.format]),
      [
        ['logging', 'text'],
        ['logging', 'text'],
        ['pythonjsonlogger', 'json'],
        ['logging', 'json'],
        ['structlog', 'text'],
        ['structlog', 'json'],
        ['structlog', 'logfmt'],
        ['loguru', 'text'],
        ['loguru', 'json'],
      ],
    );
  });

  it('FastAPI: startup/shutdown hooks are marked as never run when the app has lifespan=, and the lifespan cleanup is read after yield', () => {
    const src = [
      'from contextlib import asynccontextmanager',
      'from fastapi import FastAPI',
      'import structlog, signal',
      '@asynccontextmanager',
      'async def lifespan(app):',
      '    yield',
      '    await engine.dispose()',
      'app = FastAPI(lifespan=lifespan)',
      '@app.on_event("startup")',
      'async def boot():',
      '    structlog.configure(processors=[structlog.processors.JSONRenderer()])',
      '@app.on_event("shutdown")',
      'async def bye():',
      '    await pool.close()',
    ].join('\n');
    const f = py(src);
    assert.equal(f.loggers.length, 1);
    assert.match(f.loggers[0]!.hook?.note ?? '', /never runs because app is created with lifespan=lifespan/);
    assert.equal(at(src, f.loggers[0]!.hook!.span), '@app.on_event("startup")');
    const cleanup = f.setups.filter((s) => s.kind === 'cleanup');
    assert.deepEqual(
      cleanup.map((s) => [s.note, s.hook !== undefined]),
      [
        ['@app.on_event("shutdown") handler', true],
        ['lifespan lifespan() cleans up after yield', false],
      ],
    );
    // Without lifespan= the same hooks run.
    const plain = py(src.replace('FastAPI(lifespan=lifespan)', 'FastAPI()'));
    assert.equal(plain.loggers[0]!.hook, undefined);
  });

  it('app.run / uvicorn.run: under __main__ or not, with reload; signal handlers; retry/breaker decorators; the urllib3 adapter needs a mount', () => {
    const src = [
      'import signal, sys, uvicorn, requests',
      'from flask import Flask',
      'from tenacity import retry',
      'import pybreaker',
      'from requests.adapters import HTTPAdapter',
      'app = Flask(__name__)',
      'breaker = pybreaker.CircuitBreaker()',
      's = requests.Session()',
      's.mount("https://", HTTPAdapter(max_retries=3))',
      '@retry',
      'def call(): pass',
      'def stop(signum, frame):',
      '    db.close()',
      '    sys.exit(0)',
      'signal.signal(signal.SIGTERM, stop)',
      'app.run()',
      'if __name__ == "__main__":',
      '    app.run(debug=True)',
      '    uvicorn.run("m:app", reload=True)',
    ].join('\n');
    const f = py(src);
    assert.deepEqual(
      f.runs.map((r) => [r.kind, r.underMain, r.reload]),
      [
        ['app.run', false, false],
        ['app.run', true, true],
        ['uvicorn.run', true, true],
      ],
    );
    assert.deepEqual(f.signals.map((s) => [s.signal, s.closes, s.exits]), [['SIGTERM', ['db.close'], true]]);
    assert.deepEqual(
      f.setups.map((s) => [s.kind, s.lib]),
      [
        ['breaker', 'pybreaker'],
        ['retry', 'tenacity'],
        ['server', 'uvicorn'],
        ['retry', 'urllib3'],
      ],
    );
    assert.deepEqual(f.anchors.map((a) => [a.kind, at(src, a.span)]), [['app', 'Flask(__name__)']]);
    const unmounted = py('from requests.adapters import HTTPAdapter\na = HTTPAdapter(max_retries=3)\n');
    assert.deepEqual(unmounted.setups.map((s) => s.kind), ['note']);
  });

  it('Procfile lines', () => {
    const text = 'web: gunicorn app:app\nworker:  celery -A tasks worker\n# comment\n';
    assert.deepEqual(
      procfileEntries(text).map((e) => [e.process, e.command, at(text, e.span)]),
      [
        ['web', 'gunicorn app:app', 'gunicorn app:app'],
        ['worker', 'celery -A tasks worker', 'celery -A tasks worker'],
      ],
    );
  });
});
