// TS/JS → per-file code facts for the service/* rules (shape in code-facts.ts): imports,
// outgoing HTTP calls and their timeouts, logger set-ups and their format, tracing, retry and
// circuit-breaker set-ups, signal handlers and shutdown hooks, and where the service starts.
// Parsed with the TypeScript compiler that ts-morph carries (`ts.createSourceFile`: no
// project, no type-checking); names are followed only within the file (`const api =
// axios.create({ timeout })`, `const log = pino()`), nothing is resolved across files.
// Load this module lazily: the compiler takes about half a second to load.
import { ts } from './typescript';
import type { Span } from '../types';
import { parseTs } from './ts-source';
import { emptyCodeFacts, type CodeFacts, type HttpCallFact, type LoggerFact, type SetupFact, type TimeoutState } from './code-facts';

/** Nodes visited per file at most: a pathological file yields what was seen so far. */
const MAX_NODES = 400_000;
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
/** Axios verbs whose config is the second argument (the others take data first). */
const AXIOS_CONFIG_SECOND = new Set(['get', 'delete', 'head', 'options']);
const CLOSING = /^(?:close|end|disconnect|destroy|quit|stop|shutdown|\$disconnect|drain|terminate|closeAllConnections|flush)$/;
const LOGGER_TEXT_FORMATS = new Set(['simple', 'printf', 'cli', 'prettyPrint', 'colorize', 'align']);
const LOGGER_JSON_FORMATS = new Set(['json', 'logstash']);

/** The string value of a literal (plain or no-substitution template). */
function literal(n: ts.Node | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  return undefined;
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  if (!p.name) return undefined;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return p.name.text;
  return undefined;
}

class Walker {
  readonly facts: CodeFacts = emptyCodeFacts('ts');
  /** Local name → module (`axios`, `pino`) or `module#export` for named imports. */
  private readonly modules = new Map<string, string>();
  /** Local name → an HTTP client instance: its client and timeout state. */
  private readonly instances = new Map<string, { client: string; timeout: TimeoutState; span: Span }>();
  /** Local const/let name → its initializer (one level of indirection for options and formats). */
  private readonly values = new Map<string, ts.Expression>();
  /** Local function name → its body, for handlers passed by name. */
  private readonly functions = new Map<string, ts.Node>();
  private nodes = 0;

  constructor(private readonly sf: ts.SourceFile) {}

  span(n: ts.Node): Span {
    return { start: n.getStart(this.sf), end: n.getEnd() };
  }

  text(n: ts.Node): string {
    return n.getText(this.sf);
  }

  run(): void {
    // Bindings first, so that uses before a declaration (hoisted functions) resolve.
    this.bindings(this.sf);
    this.nodes = 0;
    this.visit(this.sf);
  }

  private bindings(node: ts.Node): void {
    if (++this.nodes > MAX_NODES) return;
    if (ts.isImportDeclaration(node)) {
      const module = literal(node.moduleSpecifier);
      if (module !== undefined) {
        this.facts.imports.push({ module, span: this.span(node) });
        const clause = node.importClause;
        if (clause?.name) this.modules.set(clause.name.text, module);
        const nb = clause?.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) this.modules.set(nb.name.text, module);
        if (nb && ts.isNamedImports(nb)) {
          for (const el of nb.elements) {
            const exported = (el.propertyName ?? el.name).text;
            this.modules.set(el.name.text, exported === 'default' ? module : `${module}#${exported}`);
          }
        }
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const module = literal(node.moduleReference.expression);
      if (module !== undefined) {
        this.facts.imports.push({ module, span: this.span(node) });
        this.modules.set(node.name.text, module);
      }
    } else if (ts.isVariableDeclaration(node) && node.initializer) {
      const init = node.initializer;
      const req = this.requireOf(init);
      if (req !== undefined) {
        if (ts.isIdentifier(node.name)) this.modules.set(node.name.text, req);
        else if (ts.isObjectBindingPattern(node.name)) {
          for (const el of node.name.elements) {
            if (!ts.isIdentifier(el.name)) continue;
            const exported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
            this.modules.set(el.name.text, exported === 'default' ? req : `${req}#${exported}`);
          }
        }
      } else if (ts.isIdentifier(node.name)) {
        this.values.set(node.name.text, init);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) this.functions.set(node.name.text, init.body);
      }
    } else if (ts.isFunctionDeclaration(node) && node.name && node.body) {
      this.functions.set(node.name.text, node.body);
    } else if (ts.isCallExpression(node) && this.isRequire(node)) {
      // `require('dd-trace').init()`, `require('newrelic')`: imports used in place.
      const module = literal(node.arguments[0]);
      if (module !== undefined) this.facts.imports.push({ module, span: this.span(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const module = literal(node.arguments[0]);
      if (module !== undefined) this.facts.imports.push({ module, span: this.span(node) });
    }
    ts.forEachChild(node, (c) => this.bindings(c));
  }

  private isRequire(n: ts.CallExpression): boolean {
    return ts.isIdentifier(n.expression) && n.expression.text === 'require' && n.arguments.length === 1 && literal(n.arguments[0]) !== undefined;
  }

  /** `require('m')` or `require('m').x` → 'm' / 'm#x'. */
  private requireOf(n: ts.Expression): string | undefined {
    if (ts.isCallExpression(n) && this.isRequire(n)) return literal(n.arguments[0]);
    if (ts.isPropertyAccessExpression(n) && ts.isCallExpression(n.expression) && this.isRequire(n.expression)) {
      const m = literal(n.expression.arguments[0])!;
      return n.name.text === 'default' ? m : `${m}#${n.name.text}`;
    }
    if (ts.isAwaitExpression(n)) return undefined;
    return undefined;
  }

  /** What a callee expression names: `axios.get` → module 'axios' + member 'get'; `pino` → 'pino'. */
  private resolve(expr: ts.Expression): { module?: string; base: string; member?: string } {
    if (ts.isIdentifier(expr)) return { module: this.modules.get(expr.text), base: expr.text };
    if (ts.isPropertyAccessExpression(expr)) {
      const member = expr.name.text;
      const obj = expr.expression;
      if (ts.isIdentifier(obj)) return { module: this.modules.get(obj.text), base: obj.text, member };
      const req = this.requireOf(obj as ts.Expression);
      if (req !== undefined) return { module: req, base: this.text(obj), member };
      if (ts.isCallExpression(obj) && this.isRequire(obj)) return { module: literal(obj.arguments[0]), base: this.text(obj), member };
      return { base: this.text(obj), member };
    }
    if (ts.isCallExpression(expr) && this.isRequire(expr)) return { module: literal(expr.arguments[0]), base: this.text(expr) };
    return { base: this.text(expr) };
  }

  /** An object literal behind an argument (directly, or a const in this file). */
  private object(n: ts.Node | undefined): ts.ObjectLiteralExpression | undefined {
    if (!n) return undefined;
    if (ts.isObjectLiteralExpression(n)) return n;
    if (ts.isIdentifier(n)) {
      const v = this.values.get(n.text);
      if (v && ts.isObjectLiteralExpression(v)) return v;
    }
    return undefined;
  }

  private prop(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
    return obj.properties.find((p) => propName(p) === name || (ts.isShorthandPropertyAssignment(p) && p.name.text === name));
  }

  /** Timeout state of an options argument that may carry `timeout` (or `signal` for fetch). */
  private timeoutIn(arg: ts.Node | undefined, keys: readonly string[]): TimeoutState {
    if (!arg) return 'missing';
    const obj = this.object(arg);
    if (!obj) return 'unknown';
    for (const key of keys) {
      const p = this.prop(obj, key);
      if (!p) continue;
      if (ts.isPropertyAssignment(p)) {
        const v = p.initializer;
        if (v.kind === ts.SyntaxKind.NumericLiteral && (v as ts.NumericLiteral).text === '0') return 'disabled';
        if (v.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(v) && v.text === 'undefined') || v.kind === ts.SyntaxKind.NullKeyword) return 'missing';
      }
      return 'set';
    }
    return obj.properties.some((p) => ts.isSpreadAssignment(p)) ? 'unknown' : 'missing';
  }

  private visit(node: ts.Node): void {
    if (++this.nodes > MAX_NODES) return;
    if (ts.isCallExpression(node)) this.call(node);
    else if (ts.isNewExpression(node)) this.construct(node);
    else if (ts.isImportDeclaration(node)) this.sideEffectImport(node);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) this.assignment(node);
    ts.forEachChild(node, (c) => this.visit(c));
  }

  private setup(kind: SetupFact['kind'], lib: string, n: ts.Node, note: string): void {
    this.facts.setups.push({ kind, lib, span: this.span(n), note });
  }

  private sideEffectImport(node: ts.ImportDeclaration): void {
    const module = literal(node.moduleSpecifier);
    if (module === 'dd-trace/init') this.setup('tracing', 'dd-trace', node, "imports 'dd-trace/init', which starts the tracer");
    else if (module === '@opentelemetry/auto-instrumentations-node/register') this.setup('tracing', 'OpenTelemetry', node, 'registers OpenTelemetry auto-instrumentation');
    else if (module === 'newrelic' && !node.importClause) this.setup('tracing', 'New Relic', node, "imports 'newrelic', which starts the agent");
    else if (module === 'elastic-apm-node/start') this.setup('tracing', 'Elastic APM', node, "imports 'elastic-apm-node/start'");
  }

  /** `axios.defaults.timeout = 5000` / `api.defaults.timeout = …`: every call through it has one. */
  private assignment(node: ts.BinaryExpression): void {
    const left = node.left;
    if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'timeout') return;
    const defaults = left.expression;
    if (!ts.isPropertyAccessExpression(defaults) || defaults.name.text !== 'defaults') return;
    const owner = this.text(defaults.expression);
    if (this.modules.get(owner) === 'axios') this.instances.set(`${owner}`, { client: 'axios', timeout: 'set', span: this.span(node) });
    else if (this.instances.has(owner)) this.instances.set(owner, { ...this.instances.get(owner)!, timeout: 'set', span: this.span(node) });
  }

  private construct(node: ts.NewExpression): void {
    const { module, base, member } = this.resolve(node.expression);
    const name = member ?? base;
    const from = module?.split('#')[0];
    if (name === 'NodeSDK' || (from === '@opentelemetry/sdk-node' && member === 'NodeSDK')) this.setup('tracing', 'OpenTelemetry', node, 'creates the OpenTelemetry NodeSDK');
    else if (/^(?:Node|Basic|Web)TracerProvider$/.test(name)) this.setup('tracing', 'OpenTelemetry', node, `creates an OpenTelemetry ${name}`);
    else if (from === 'zipkin' && name === 'Tracer') this.setup('tracing', 'zipkin', node, 'creates a zipkin Tracer');
    else if (from === 'opossum' || (name === 'CircuitBreaker' && from !== undefined)) this.setup('breaker', from ?? 'opossum', node, `creates a circuit breaker (${from ?? name})`);
    else if (from === 'brakes') this.setup('breaker', 'brakes', node, 'creates a brakes circuit breaker');
    else if ((from === 'bullmq' || from === 'bull' || from === 'bee-queue') && name === 'Worker') this.facts.anchors.push({ kind: 'worker', span: this.span(node), note: `${from} Worker` });
    else if ((from === 'koa' || from === 'hono') && (member === undefined || name === 'Koa' || name === 'Hono')) this.facts.anchors.push({ kind: 'app', span: this.span(node), note: `new ${this.text(node.expression)}()` });
  }

  private call(node: ts.CallExpression): void {
    const callee = node.expression;
    const { module, base, member } = this.resolve(callee);
    const from = module?.split('#')[0];
    const exported = module?.includes('#') ? module.slice(module.indexOf('#') + 1) : undefined;
    const args = node.arguments;

    // Outgoing HTTP.
    if (this.httpCall(node, module, base, member)) return;

    // Instances: `const api = axios.create({...})`, `got.extend({...})`.
    if ((from === 'axios' && member === 'create') || (from === 'got' && member === 'extend')) {
      const decl = node.parent;
      const state = this.timeoutIn(args[0], ['timeout']);
      if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) this.instances.set(decl.name.text, { client: from, timeout: state, span: this.span(node) });
      else if (decl && ts.isBinaryExpression(decl) && decl.operatorToken.kind === ts.SyntaxKind.EqualsToken) this.instances.set(this.text(decl.left), { client: from, timeout: state, span: this.span(node) });
      if (from === 'got' && this.object(args[0]) && this.prop(this.object(args[0])!, 'retry')) this.setup('retry', 'got', node, 'got instance with a retry option');
      return;
    }

    // Loggers.
    if (from === 'pino' || from === 'pino-http' || from === 'express-pino-logger' || from === 'hono-pino') return this.pino(node, from);
    if (from === 'nestjs-pino' && base === 'LoggerModule') return this.logger({ lib: 'nestjs-pino', format: 'json', span: this.span(node), note: 'nestjs-pino LoggerModule (pino: JSON lines)' });
    if (from === 'bunyan' && (member === 'createLogger' || exported === 'createLogger')) return this.logger({ lib: 'bunyan', format: 'json', span: this.span(node), note: 'bunyan.createLogger (JSON lines by default)' });
    if (from === 'winston' && (member === 'createLogger' || exported === 'createLogger')) return this.winston(node);

    // Tracing.
    if (from === 'dd-trace' && member === 'init') return this.setup('tracing', 'dd-trace', node, 'dd-trace init()');
    if (from === '@opentelemetry/instrumentation' && (exported === 'registerInstrumentations' || member === 'registerInstrumentations')) return this.setup('tracing', 'OpenTelemetry', node, 'registers OpenTelemetry instrumentations');
    if (from === '@vercel/otel' && exported === 'registerOTel') return this.setup('tracing', 'OpenTelemetry', node, '@vercel/otel registerOTel()');
    if (from === 'jaeger-client' && (member === 'initTracer' || exported === 'initTracer')) return this.setup('tracing', 'jaeger', node, 'jaeger-client initTracer()');
    if (from === 'elastic-apm-node' && member === 'start') return this.setup('tracing', 'Elastic APM', node, 'elastic-apm-node start()');
    if (from?.startsWith('@sentry/') && member === 'init') return this.sentry(node);
    if (from === 'newrelic' && member === undefined) return;

    // Retries and breakers.
    if (from === 'p-retry' || from === 'async-retry' || from === 'axios-retry' || from === 'exponential-backoff' || from === 'retry' || from === 'promise-retry' || from === 'fetch-retry') {
      return this.setup('retry', from, node, `${from} (${this.text(callee)})`);
    }
    if (from === 'cockatiel' && (exported === 'retry' || member === 'retry')) return this.setup('retry', 'cockatiel', node, 'cockatiel retry policy');
    if (from === 'cockatiel' && (exported === 'circuitBreaker' || member === 'circuitBreaker')) return this.setup('breaker', 'cockatiel', node, 'cockatiel circuit breaker policy');

    // Shutdown.
    if (member === 'enableShutdownHooks') return this.setup('shutdown', 'NestJS', node, 'enableShutdownHooks(): NestJS closes the app on SIGTERM');
    if (from === '@godaddy/terminus' && (exported === 'createTerminus' || member === 'createTerminus')) return this.setup('shutdown', 'terminus', node, 'createTerminus(): closes the server on SIGTERM');
    if (from === 'close-with-grace') return this.setup('shutdown', 'close-with-grace', node, 'close-with-grace: closes on SIGTERM/SIGINT');
    if (from === 'lightship' && (exported === 'createLightship' || member === 'createLightship')) return this.setup('shutdown', 'lightship', node, 'createLightship(): handles SIGTERM');
    if (from === 'http-terminator' || from === 'stoppable') this.facts.setups.push({ kind: 'cleanup', lib: from, span: this.span(node), note: `${from}: closes connections when asked (needs a signal handler to be asked)` });
    if (member !== undefined && (member === 'on' || member === 'once' || member === 'addListener') && (base === 'process' || base === 'globalThis.process')) return this.signal(node);

    // Where a service starts.
    if (member === 'listen' && args.length > 0) this.facts.anchors.push({ kind: 'listen', span: this.span(node), note: `${this.text(callee)}(…)` });
    else if (member === 'create' && base === 'NestFactory') this.facts.anchors.push({ kind: 'nest', span: this.span(node), note: 'NestFactory.create(…)' });
    else if ((member === 'createServer' || exported === 'createServer') && (from === 'http' || from === 'https' || from === 'node:http' || from === 'node:https' || from === 'http2'))
      this.facts.anchors.push({ kind: 'createServer', span: this.span(node), note: `${this.text(callee)}(…)` });
    else if (from === 'express' && member === undefined && exported === undefined) this.facts.anchors.push({ kind: 'app', span: this.span(node), note: 'express()' });
    else if (from === 'fastify' && member === undefined) this.facts.anchors.push({ kind: 'app', span: this.span(node), note: `${this.text(callee)}()` });
  }

  private logger(l: LoggerFact): void {
    this.facts.loggers.push(l);
  }

  private pino(node: ts.CallExpression, lib: string): void {
    const opts = this.object(node.arguments[0]);
    const transport = opts ? this.prop(opts, 'transport') : undefined;
    const pretty = transport ? /pino-pretty/.test(this.text(transport)) : false;
    this.logger(
      pretty
        ? { lib, format: 'text', span: this.span(node), formatSpan: this.span(transport!), note: `${lib} with the pino-pretty transport (human-readable text)` }
        : { lib, format: 'json', span: this.span(node), note: `${lib}(…) (JSON lines by default)` },
    );
  }

  /** The format calls named in a winston format expression (`combine(timestamp(), json())`). */
  private formatNames(n: ts.Node, depth = 0): string[] {
    const out: string[] = [];
    const walk = (m: ts.Node, d: number): void => {
      if (d > 6) return;
      if (ts.isCallExpression(m)) {
        const c = m.expression;
        const name = ts.isPropertyAccessExpression(c) ? c.name.text : ts.isIdentifier(c) ? c.text : undefined;
        if (name) out.push(name);
      }
      if (ts.isIdentifier(m) && depth === 0) {
        const v = this.values.get(m.text);
        if (v) out.push(...this.formatNames(v, depth + 1));
      }
      ts.forEachChild(m, (k) => walk(k, d + 1));
    };
    walk(n, 0);
    return out;
  }

  private winston(node: ts.CallExpression): void {
    const span = this.span(node);
    const opts = this.object(node.arguments[0]);
    const format = opts ? this.prop(opts, 'format') : undefined;
    const value = format && ts.isPropertyAssignment(format) ? format.initializer : format;
    if (!format || !value) {
      // Transports may carry their own format; winston's own default is format.json().
      const transports = opts ? this.prop(opts, 'transports') : undefined;
      const names = transports ? this.formatNames(transports) : [];
      const text = names.find((n) => LOGGER_TEXT_FORMATS.has(n));
      if (text && !names.some((n) => LOGGER_JSON_FORMATS.has(n))) {
        this.logger({ lib: 'winston', format: 'text', span, formatSpan: this.span(transports!), note: `winston.createLogger with transports formatted by ${text}() (plain text)` });
      } else this.logger({ lib: 'winston', format: 'json', span, note: 'winston.createLogger without a format option (winston defaults to format.json())' });
      return;
    }
    const names = this.formatNames(value);
    const json = names.find((n) => LOGGER_JSON_FORMATS.has(n));
    const text = names.find((n) => LOGGER_TEXT_FORMATS.has(n));
    if (json) this.logger({ lib: 'winston', format: 'json', span, formatSpan: this.span(format), note: `winston.createLogger with format ${json}()` });
    else this.logger({ lib: 'winston', format: 'text', span, formatSpan: this.span(format), note: `winston.createLogger with format ${text ? `${text}()` : this.text(value).slice(0, 60)} (plain text, not JSON)` });
  }

  private sentry(node: ts.CallExpression): void {
    const opts = this.object(node.arguments[0]);
    const traced = opts && (this.prop(opts, 'tracesSampleRate') || this.prop(opts, 'tracesSampler'));
    if (traced) this.setup('tracing', 'Sentry', node, 'Sentry.init with tracesSampleRate/tracesSampler (performance tracing)');
    else this.facts.setups.push({ kind: 'note', lib: 'Sentry', span: this.span(node), note: 'Sentry.init without tracesSampleRate: error reporting only, no tracing' });
  }

  private httpCall(node: ts.CallExpression, module: string | undefined, base: string, member: string | undefined): boolean {
    const args = node.arguments;
    const from = module?.split('#')[0];
    const push = (call: Omit<HttpCallFact, 'span' | 'callee'>): boolean => {
      this.facts.httpCalls.push({ ...call, callee: this.text(node.expression), span: this.span(node) });
      return true;
    };
    // fetch: global (Node 18+, undici) or node-fetch / undici imports.
    const isFetch = (member === undefined && base === 'fetch' && ((from === undefined && !this.functions.has('fetch') && !this.values.has('fetch')) || from === 'node-fetch' || from === 'undici' || from === 'cross-fetch')) || (member === 'fetch' && base === 'globalThis') || (from === 'undici' && member === 'fetch');
    if (isFetch) {
      const keys = from === 'node-fetch' ? ['signal', 'timeout'] : ['signal'];
      const state = this.timeoutIn(args[1], keys);
      return push({ client: from === 'node-fetch' ? 'node-fetch' : 'fetch', timeout: state, note: state === 'set' ? 'fetch with a signal (AbortSignal.timeout or an abort controller)' : 'fetch without a signal: no timeout (fetch has none by default)' });
    }
    // axios(config) / axios(url, config) / axios.get(url, config) / axios.post(url, data, config).
    const inst = this.instances.get(member === undefined ? base : base);
    const axiosLike = from === 'axios' || inst?.client === 'axios';
    if (axiosLike && (member === undefined || HTTP_METHODS.has(member))) {
      if (from === 'axios' && module!.includes('#')) return false;
      let config: ts.Node | undefined;
      if (member === undefined || member === 'request') config = args.length === 1 && member === undefined ? args[0] : member === 'request' ? args[0] : args[1];
      else config = AXIOS_CONFIG_SECOND.has(member) ? args[1] : args[2];
      let state = this.timeoutIn(config, ['timeout']);
      if (member === undefined && args.length === 1 && !this.object(args[0])) state = 'missing';
      const global = this.instances.get(base);
      let via: Span | undefined;
      if (state === 'missing' && global) {
        state = global.timeout === 'set' ? 'set' : global.timeout;
        via = global.span;
      }
      const note =
        state === 'set' ? (via ? `axios call through an instance with a timeout` : 'axios call with a timeout') : state === 'disabled' ? 'axios call with timeout: 0 (no timeout)' : state === 'unknown' ? 'axios call whose config is built elsewhere' : 'axios call without a timeout (axios has none by default)';
      return push({ client: 'axios', timeout: state, ...(via ? { via } : {}), note });
    }
    const gotLike = from === 'got' || inst?.client === 'got';
    if (gotLike && (member === undefined || HTTP_METHODS.has(member) || member === 'stream')) {
      if (from === 'got' && module!.includes('#')) return false;
      const opts = args[1] ?? (args[0] && this.object(args[0]) ? args[0] : undefined);
      let state = this.timeoutIn(opts, ['timeout']);
      let via: Span | undefined;
      if (state === 'missing' && inst) {
        state = inst.timeout;
        via = inst.span;
      }
      const o = this.object(opts);
      if (o && this.prop(o, 'retry')) this.setup('retry', 'got', node, 'got call with a retry option');
      return push({ client: 'got', timeout: state, ...(via ? { via } : {}), note: state === 'set' ? 'got call with a timeout' : state === 'unknown' ? 'got call whose options are built elsewhere' : 'got call without a timeout (got has none by default)' });
    }
    return false;
  }

  private signal(node: ts.CallExpression): void {
    const [sigArg, handler] = node.arguments;
    let signal = literal(sigArg);
    if (signal === undefined && sigArg && ts.isIdentifier(sigArg)) signal = `${sigArg.text} (variable)`;
    if (!signal || !/^SIG|variable/.test(signal)) return;
    if (/variable/.test(signal) && !/\bSIGTERM\b/.test(this.sf.text)) return;
    let body: ts.Node | undefined;
    if (handler && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) body = handler.body;
    else if (handler && ts.isIdentifier(handler)) body = this.functions.get(handler.text);
    const closes: string[] = [];
    let exits = false;
    const seen = new Set<ts.Node>();
    const walk = (n: ts.Node, depth: number): void => {
      if (depth > 40 || closes.length > 10) return;
      if (ts.isCallExpression(n)) {
        const c = n.expression;
        if (ts.isPropertyAccessExpression(c)) {
          if (CLOSING.test(c.name.text)) closes.push(this.text(c));
          if (c.name.text === 'exit' && this.text(c.expression) === 'process') exits = true;
        } else if (ts.isIdentifier(c)) {
          // A helper of this file (`shutdown()`): follow it once.
          const fn = this.functions.get(c.text);
          if (fn && !seen.has(fn)) {
            seen.add(fn);
            walk(fn, depth + 1);
          }
          if (/^(?:close|shutdown|stop|terminate)/i.test(c.text) && !fn) closes.push(c.text);
        }
      }
      ts.forEachChild(n, (k) => walk(k, depth + 1));
    };
    if (body) walk(body, 0);
    this.facts.signals.push({ signal: signal.replace(' (variable)', ''), span: this.span(node), closes, exits });
  }
}

/** The code facts of one TS/JS file, or undefined when parsing failed. Never throws. */
export function codeFactsTs(relPath: string, text: string, parsed?: ts.SourceFile): CodeFacts | undefined {
  try {
    const sf = parsed ?? parseTs(relPath, text);
    const w = new Walker(sf);
    w.run();
    return w.facts;
  } catch {
    return undefined;
  }
}
