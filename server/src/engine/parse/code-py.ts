// Python → per-file code facts for the service/* rules (shape in code-facts.ts), parsed with
// the tree-sitter parser that routes-py.ts prepares (undefined until `preparePython()` has
// run). Names are followed within the file only: `import requests as rq`, `from tenacity
// import retry`, `s = requests.Session()`, `client = httpx.Client(timeout=5)`,
// `app = FastAPI(lifespan=lifespan)`.
//
// Startup hooks: FastAPI does not run `@app.on_event("startup"/"shutdown")` handlers when the
// app is created with `lifespan=`; facts found in such handlers carry `hook` saying so.
import { Query, type Node } from 'web-tree-sitter';
import type { Span } from '../types';
import { emptyCodeFacts, type CodeFacts, type LoggerFact, type SetupFact, type SignalFact, type TimeoutState, type Unreachable } from './code-facts';
import { dotted, named, pythonLanguage, spanOf, stringValue, withPythonTree } from './routes-py';

const MAX_NODES = 300_000;
const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream']);
const CLOSING = /^(?:close|aclose|dispose|disconnect|shutdown|stop|terminate|cancel|flush)$/;
const INTERESTING =
  /^(?:requests|httpx|logging|pythonjsonlogger|json_log_formatter|ecs_logging|structlog|loguru|opentelemetry|azure\.monitor|sentry_sdk|ddtrace|jaeger_client|py_zipkin|tenacity|backoff|stamina|pybreaker|aiobreaker|circuitbreaker|purgatory|signal|atexit|uvicorn|django)\b|(?:^|\.)(?:HTTPAdapter|add_signal_handler|add_event_handler|run)$/;
const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/;

interface App {
  kind: 'FastAPI' | 'Flask';
  lifespan?: string;
  lifespanSpan?: Span;
}

interface Client {
  client: 'requests' | 'httpx';
  timeout: TimeoutState;
  span: Span;
}

/** A fact made inside an `on_event("startup")` handler, until the app's lifespan is known. */
interface Pending {
  app: string;
  span: Span;
  event: string;
  target: { hook?: Unreachable };
}

interface Ctx {
  inMain: boolean;
  startup?: { app: string; span: Span; event: string };
}

class PyWalker {
  readonly facts: CodeFacts = emptyCodeFacts('py');
  private readonly locals = new Map<string, string>();
  private readonly clients = new Map<string, Client>();
  private readonly apps = new Map<string, App>();
  private readonly functions = new Map<string, Node>();
  private readonly values = new Map<string, Node>();
  private readonly pending: Pending[] = [];
  private readonly adapters: { span: Span; note: string }[] = [];
  private mounted = false;
  private nodes = 0;

  /** `rq.get` → `requests.get`; `JsonFormatter` → `pythonjsonlogger.jsonlogger.JsonFormatter`. */
  qualify(name: string): string {
    const dot = name.indexOf('.');
    const head = dot < 0 ? name : name.slice(0, dot);
    const q = this.locals.get(head);
    return q ? q + (dot < 0 ? '' : name.slice(dot)) : name;
  }

  run(root: Node, query: Query): void {
    // One query picks the few node types that matter; nothing else is materialised.
    const captures = query.captures(root);
    const later: Node[] = [];
    for (const { name, node } of captures) {
      if (++this.nodes > MAX_NODES) break;
      if (name === 'call' || name === 'decorator') later.push(node);
      else this.bind(node);
    }
    for (const node of later) {
      if (node.type === 'decorator') this.decorator(node);
      else this.call(node);
    }
    this.finish();
  }

  /** The context of a node: under `if __name__ == "__main__":`, inside an `on_event("startup")` handler. */
  private ctxOf(n: Node): Ctx {
    const ctx: Ctx = { inMain: false };
    let child = n;
    for (let p = n.parent, depth = 0; p && depth < 100; child = p, p = p.parent, depth++) {
      if (p.type === 'if_statement' && !ctx.inMain) {
        const cond = p.childForFieldName('condition');
        const body = p.childForFieldName('consequence');
        if (cond && body && child.startIndex >= body.startIndex && child.endIndex <= body.endIndex && MAIN_GUARD.test(cond.text.trim())) ctx.inMain = true;
      } else if (p.type === 'decorated_definition' && !ctx.startup) {
        for (const d of named(p)) {
          if (d.type !== 'decorator') continue;
          const ev = this.onEvent(d);
          if (ev?.event === 'startup') ctx.startup = ev;
        }
      }
    }
    return ctx;
  }

  /** `@app.on_event("startup")` → its owner and event. */
  private onEvent(d: Node): Ctx['startup'] {
    const expr = named(d)[0];
    if (expr?.type !== 'call') return undefined;
    const raw = dotted(expr.childForFieldName('function'));
    if (!raw?.endsWith('.on_event')) return undefined;
    const arg = this.kwargs(expr).args[0];
    const event = arg ? stringValue(arg) : undefined;
    return event ? { app: raw.slice(0, raw.lastIndexOf('.')), span: spanOf(d), event } : undefined;
  }

  // Pass 1: imports, functions, assignments of clients and apps.
  private bind(n: Node): void {
    switch (n.type) {
      case 'import_statement':
        for (const c of named(n)) {
          if (c.type === 'dotted_name') {
            this.facts.imports.push({ module: c.text, span: spanOf(n) });
            const head = c.text.split('.')[0]!;
            if (!this.locals.has(head)) this.locals.set(head, head);
          } else if (c.type === 'aliased_import') {
            const mod = c.childForFieldName('name')?.text;
            const alias = c.childForFieldName('alias')?.text;
            if (mod) this.facts.imports.push({ module: mod, span: spanOf(n) });
            if (mod && alias) this.locals.set(alias, mod);
          }
        }
        return;
      case 'import_from_statement': {
        const mod = n.childForFieldName('module_name')?.text;
        if (!mod) return;
        this.facts.imports.push({ module: mod, span: spanOf(n) });
        for (const c of n.childrenForFieldName('name')) {
          if (!c) continue;
          if (c.type === 'dotted_name') this.locals.set(c.text, `${mod}.${c.text}`);
          else if (c.type === 'aliased_import') {
            const name = c.childForFieldName('name')?.text;
            const alias = c.childForFieldName('alias')?.text;
            if (name && alias) this.locals.set(alias, `${mod}.${name}`);
          }
        }
        return;
      }
      case 'function_definition': {
        const name = n.childForFieldName('name')?.text;
        if (name) this.functions.set(name, n);
        break;
      }
      case 'assignment': {
        const left = dotted(n.childForFieldName('left'));
        const right = n.childForFieldName('right');
        if (left && right) {
          this.values.set(left, right);
          if (right.type === 'call') this.bindCall(left, right);
        }
        break;
      }
      case 'with_item': {
        const v = named(n)[0];
        if (v?.type === 'as_pattern') {
          const call = named(v)[0];
          let target: Node | null = v.childForFieldName('alias') ?? named(v)[1] ?? null;
          if (target?.type === 'as_pattern_target') target = target.firstNamedChild;
          const alias = dotted(target);
          if (call?.type === 'call' && alias) this.bindCall(alias, call);
        }
        break;
      }
      default:
        break;
    }
  }

  private kwargs(call: Node): { names: Map<string, Node>; splat: boolean; args: Node[] } {
    const names = new Map<string, Node>();
    const args: Node[] = [];
    let splat = false;
    const list = call.childForFieldName('arguments');
    if (list?.type !== 'argument_list') return { names, splat, args };
    for (const a of named(list)) {
      if (a.type === 'keyword_argument') {
        const k = a.childForFieldName('name')?.text;
        const v = a.childForFieldName('value');
        if (k && v) names.set(k, v);
      } else if (a.type === 'dictionary_splat') splat = true;
      else args.push(a);
    }
    return { names, splat, args };
  }

  private fnName(call: Node): string | undefined {
    const d = dotted(call.childForFieldName('function'));
    return d ? this.qualify(d) : undefined;
  }

  private timeoutOf(call: Node): TimeoutState {
    const { names, splat } = this.kwargs(call);
    const t = names.get('timeout');
    if (t) return t.type === 'none' ? 'disabled' : 'set';
    return splat ? 'unknown' : 'missing';
  }

  private bindCall(target: string, call: Node): void {
    const q = this.fnName(call);
    if (!q) return;
    if (/^requests\.(?:sessions\.)?[Ss]ession$/.test(q)) this.clients.set(target, { client: 'requests', timeout: 'missing', span: spanOf(call) });
    else if (/^httpx\.(?:Async)?Client$/.test(q)) {
      const t = this.timeoutOf(call);
      this.clients.set(target, { client: 'httpx', timeout: t === 'missing' ? 'default' : t, span: spanOf(call) });
    } else if (/^fastapi(?:\.applications)?\.FastAPI$/.test(q) || /^flask(?:\.app)?\.Flask$/.test(q)) {
      const kind = q.endsWith('FastAPI') ? 'FastAPI' : 'Flask';
      const lifespan = this.kwargs(call).names.get('lifespan');
      this.apps.set(target, { kind, ...(lifespan ? { lifespan: lifespan.text, lifespanSpan: spanOf(lifespan) } : {}) });
      this.facts.anchors.push({ kind: 'app', span: spanOf(call), note: `${target} = ${kind}(…)` });
    }
  }

  private setup(kind: SetupFact['kind'], lib: string, span: Span, note: string, ctx: Ctx): void {
    const fact: SetupFact = { kind, lib, span, note };
    this.facts.setups.push(fact);
    if (ctx.startup) this.pending.push({ ...ctx.startup, target: fact });
  }

  private logger(l: LoggerFact, ctx: Ctx): void {
    this.facts.loggers.push(l);
    if (ctx.startup) this.pending.push({ ...ctx.startup, target: l });
  }

  /** Retry/breaker decorators, and `@app.on_event("shutdown")` handlers. */
  private decorator(d: Node): void {
    const expr = named(d)[0];
    if (!expr) return;
    const call = expr.type === 'call' ? expr : undefined;
    const raw = dotted(call ? call.childForFieldName('function') : expr);
    if (!raw) return;
    const q = this.qualify(raw);
    const span = spanOf(d);
    const noCtx: Ctx = { inMain: false };
    if (/^tenacity\.retry$|^stamina\.retry$|^backoff\.on_(?:exception|predicate)$|^retry\.retry$|^retrying\.retry$/.test(q)) {
      this.setup('retry', q.split('.')[0]!, span, `@${raw}(…) retries the decorated function`, noCtx);
    } else if (/^circuitbreaker\.circuit$/.test(q)) this.setup('breaker', 'circuitbreaker', span, `@${raw} guards the decorated function`, noCtx);
    else if (call && raw.endsWith('.on_event')) {
      const owner = raw.slice(0, raw.lastIndexOf('.'));
      const arg = this.kwargs(call).args[0];
      const event = arg ? stringValue(arg) : undefined;
      if (event === 'shutdown') {
        const fact: SetupFact = { kind: 'cleanup', lib: 'FastAPI', span, note: `@${raw}("shutdown") handler` };
        this.facts.setups.push(fact);
        this.pending.push({ app: owner, span, event, target: fact });
      }
    }
  }

  private call(n: Node): void {
    const fnNode = n.childForFieldName('function');
    if (!fnNode || (fnNode.type !== 'identifier' && fnNode.type !== 'attribute')) return;
    const text = fnNode.text;
    const span = spanOf(n);
    const raw = /^[\w.]+$/.test(text) ? text : dotted(fnNode);
    if (!raw) {
      // `FastAPIInstrumentor().instrument()`: the callee is an attribute of a call.
      if (/Instrumentor\s*\([^)]*\)\s*\.\s*instrument(?:_app)?$/.test(text)) this.setup('tracing', 'OpenTelemetry', span, `${text.replace(/\s+/g, '')}(…)`, this.ctxOf(n));
      return;
    }
    const q = this.qualify(raw);
    const recv = raw.includes('.') ? raw.slice(0, raw.lastIndexOf('.')) : '';
    // Most calls are none of ours: decided from the name alone, before any other work.
    if (!INTERESTING.test(q) && !(recv && (this.clients.has(recv) || this.apps.has(recv)))) return;
    const last = q.slice(q.lastIndexOf('.') + 1);
    const ctx = this.ctxOf(n);
    const { names, args } = this.kwargs(n);

    // Outgoing HTTP.
    if (/^requests(?:\.api)?\.(?:get|post|put|patch|delete|head|options|request)$/.test(q)) {
      const t = this.timeoutOf(n);
      this.facts.httpCalls.push({ client: 'requests', callee: raw, span, timeout: t, note: httpNote('requests', t, false) });
      return;
    }
    if (/^httpx\.(?:get|post|put|patch|delete|head|options|request|stream)$/.test(q)) {
      const t = this.timeoutOf(n);
      const state = t === 'missing' ? 'default' : t;
      this.facts.httpCalls.push({ client: 'httpx', callee: raw, span, timeout: state, note: httpNote('httpx', state, false) });
      return;
    }
    const client = recv ? this.clients.get(recv) : undefined;
    if (client && HTTP_VERBS.has(last)) {
      let t = this.timeoutOf(n);
      let via: Span | undefined;
      if (t === 'missing') {
        t = client.timeout;
        via = client.span;
      }
      this.facts.httpCalls.push({ client: client.client, callee: raw, span, timeout: t, ...(via ? { via } : {}), note: httpNote(client.client, t, via !== undefined) });
      return;
    }

    // Loggers.
    if (q === 'logging.basicConfig') {
      if (!names.has('handlers')) this.logger({ lib: 'logging', format: 'text', span, note: 'logging.basicConfig(…): plain-text lines' }, ctx);
      return;
    }
    if (q === 'logging.Formatter') return this.logger({ lib: 'logging', format: 'text', span, note: 'logging.Formatter(…): plain-text lines' }, ctx);
    if (/^pythonjsonlogger\..*JsonFormatter$|^json_log_formatter\.\w*JSONFormatter$|^ecs_logging\.StdlibFormatter$/.test(q)) {
      return this.logger({ lib: q.split('.')[0]!, format: 'json', span, note: `${raw}(…): JSON lines` }, ctx);
    }
    if (q === 'logging.config.dictConfig' || q === 'logging.config.fileConfig') {
      let cfg: Node | undefined = args[0];
      if (cfg?.type === 'identifier') cfg = this.values.get(cfg.text) ?? cfg;
      const text = cfg?.text.slice(0, 20_000) ?? '';
      const json = /pythonjsonlogger|JsonFormatter|json_log_formatter|JSONFormatter|ecs_logging/.test(text);
      return this.logger({ lib: 'logging', format: json ? 'json' : 'text', span, note: json ? `${raw}(…) with a JSON formatter` : `${raw}(…) without a JSON formatter: plain-text lines` }, ctx);
    }
    if (q === 'structlog.configure') {
      const processors = names.get('processors');
      let text = processors?.text ?? '';
      if (processors?.type === 'identifier') text = this.values.get(processors.text)?.text ?? text;
      const fmt = /JSONRenderer/.test(text) ? 'json' : /KeyValueRenderer|LogfmtRenderer/.test(text) ? 'logfmt' : 'text';
      const note =
        fmt === 'json' ? 'structlog.configure with JSONRenderer' : fmt === 'logfmt' ? 'structlog.configure with a key=value renderer (logfmt)' : 'structlog.configure without a JSON or key=value renderer (console output for people)';
      return this.logger({ lib: 'structlog', format: fmt, span, ...(processors ? { formatSpan: spanOf(processors) } : {}), note }, ctx);
    }
    if (q === 'loguru.logger.add') {
      const s = names.get('serialize');
      const json = s?.type === 'true';
      return this.logger({ lib: 'loguru', format: json ? 'json' : 'text', span, ...(s ? { formatSpan: spanOf(s) } : {}), note: json ? 'loguru logger.add(…, serialize=True): JSON lines' : 'loguru logger.add(…) without serialize=True: plain-text lines' }, ctx);
    }

    // Tracing.
    if (q.startsWith('opentelemetry') && last === 'TracerProvider') return this.setup('tracing', 'OpenTelemetry', span, `${raw}(…)`, ctx);
    if (q === 'opentelemetry.trace.set_tracer_provider') return this.setup('tracing', 'OpenTelemetry', span, 'trace.set_tracer_provider(…)', ctx);
    if (q.startsWith('opentelemetry.instrumentation') && (last === 'instrument_app' || last === 'instrument')) return this.setup('tracing', 'OpenTelemetry', span, `${raw}(…)`, ctx);
    if (q === 'azure.monitor.opentelemetry.configure_azure_monitor') return this.setup('tracing', 'OpenTelemetry', span, 'configure_azure_monitor(…)', ctx);
    if (q === 'sentry_sdk.init') {
      if (names.has('traces_sample_rate') || names.has('traces_sampler')) return this.setup('tracing', 'Sentry', span, 'sentry_sdk.init with traces_sample_rate (performance tracing)', ctx);
      return this.setup('note', 'Sentry', span, 'sentry_sdk.init without traces_sample_rate: error reporting only, no tracing', ctx);
    }
    if (q === 'ddtrace.patch_all' || q === 'ddtrace.patch') return this.setup('tracing', 'ddtrace', span, `${raw}(…)`, ctx);
    if (q === 'jaeger_client.Config' || q.startsWith('py_zipkin.')) return this.setup('tracing', q.startsWith('jaeger') ? 'jaeger' : 'zipkin', span, `${raw}(…)`, ctx);

    // Retries and breakers.
    if (/^tenacity\.(?:Retrying|AsyncRetrying|retry)$|^backoff\.on_(?:exception|predicate)$|^stamina\.(?:retry|retry_context)$/.test(q)) return this.setup('retry', q.split('.')[0]!, span, `${raw}(…)`, ctx);
    if (last === 'HTTPAdapter' && names.has('max_retries')) {
      this.adapters.push({ span, note: `${raw}(max_retries=${names.get('max_retries')!.text.slice(0, 60)}) mounted on a session` });
      return;
    }
    if (last === 'mount' && recv && this.clients.get(recv)?.client === 'requests') this.mounted = true;
    if (/^httpx\.(?:Async)?HTTPTransport$/.test(q) && names.has('retries')) return this.setup('retry', 'httpx', span, `${raw}(retries=…) (connection retries)`, ctx);
    if (/^(?:pybreaker|aiobreaker|circuitbreaker)\.CircuitBreaker$|^purgatory\.(?:Async|Sync)CircuitBreakerFactory$|^circuitbreaker\.circuit$/.test(q)) return this.setup('breaker', q.split('.')[0]!, span, `${raw}(…)`, ctx);

    // Shutdown.
    if (q === 'signal.signal' || last === 'add_signal_handler') {
      const sig = args[0]?.text ?? '';
      const m = /SIG(?:TERM|INT|QUIT)/.exec(sig);
      if (m) this.signal(m[0], span, args[1], ctx);
      return;
    }
    if (q === 'atexit.register') return this.setup('cleanup', 'atexit', span, `atexit.register(${args[0]?.text.slice(0, 40) ?? ''})`, ctx);
    if (last === 'add_event_handler' && recv && this.apps.has(recv) && args[0] && stringValue(args[0]) === 'shutdown') {
      const fact: SetupFact = { kind: 'cleanup', lib: 'FastAPI', span, note: `${raw}("shutdown", …)` };
      this.facts.setups.push(fact);
      this.pending.push({ app: recv, span, event: 'shutdown', target: fact });
      return;
    }
    if (q === 'uvicorn.run') {
      const reload = names.get('reload')?.type === 'true';
      this.facts.runs.push({ kind: 'uvicorn.run', receiver: args[0]?.text.slice(0, 60) ?? '', span, underMain: ctx.inMain, reload });
      this.setup('server', 'uvicorn', span, 'uvicorn.run(…): uvicorn handles SIGTERM and drains requests', ctx);
      return;
    }
    if (last === 'run' && recv && (this.apps.get(recv)?.kind === 'Flask' || (!this.apps.has(recv) && recv === 'app' && this.facts.imports.some((i) => i.module === 'flask')))) {
      const reload = names.get('debug')?.type === 'true' || names.get('use_reloader')?.type === 'true';
      this.facts.runs.push({ kind: 'app.run', receiver: recv, span, underMain: ctx.inMain, reload });
      return;
    }
    if (/^django\.core\.(?:wsgi\.get_wsgi|asgi\.get_asgi)_application$/.test(q)) this.facts.anchors.push({ kind: 'wsgi', span, note: `${raw}()` });
  }

  private signal(sig: string, span: Span, handler: Node | undefined, ctx: Ctx): void {
    const closes: string[] = [];
    let exits = false;
    const body = handler?.type === 'identifier' ? this.functions.get(handler.text) : handler;
    const walk = (m: Node, depth: number): void => {
      if (depth > 60 || closes.length > 10) return;
      if (m.type === 'call') {
        const d = dotted(m.childForFieldName('function'));
        if (d) {
          const last = d.slice(d.lastIndexOf('.') + 1);
          if (CLOSING.test(last)) closes.push(d);
          if (d === 'sys.exit' || d === 'os._exit' || d === 'exit') exits = true;
        }
      }
      for (const c of named(m)) walk(c, depth + 1);
    };
    if (body) walk(body, 0);
    const fact: SignalFact = { signal: sig, span, closes, exits };
    this.facts.signals.push(fact);
    if (ctx.startup) this.pending.push({ ...ctx.startup, target: fact });
  }

  private finish(): void {
    for (const a of this.adapters) {
      if (this.mounted) this.facts.setups.push({ kind: 'retry', lib: 'urllib3', span: a.span, note: a.note });
      else this.facts.setups.push({ kind: 'note', lib: 'urllib3', span: a.span, note: `${a.note.replace(' mounted on a session', '')}, but never mounted on a requests Session in this file` });
    }
    // FastAPI lifespan: cleanup is the code after `yield`.
    for (const [name, app] of this.apps) {
      if (!app.lifespan || !app.lifespanSpan) continue;
      const fn = this.functions.get(app.lifespan);
      if (!fn) {
        this.facts.setups.push({ kind: 'cleanup', lib: 'FastAPI', span: app.lifespanSpan, note: `${name} = FastAPI(lifespan=${app.lifespan}) (defined in another module)` });
        continue;
      }
      const after = afterYield(fn);
      const nameNode = fn.childForFieldName('name')!;
      if (after === undefined) this.facts.setups.push({ kind: 'note', lib: 'FastAPI', span: spanOf(nameNode), note: `lifespan ${app.lifespan}() never yields` });
      else if (after) this.facts.setups.push({ kind: 'cleanup', lib: 'FastAPI', span: spanOf(nameNode), note: `lifespan ${app.lifespan}() cleans up after yield` });
      else this.facts.setups.push({ kind: 'note', lib: 'FastAPI', span: spanOf(nameNode), note: `lifespan ${app.lifespan}() does nothing after yield` });
    }
    for (const p of this.pending) {
      const app = this.apps.get(p.app);
      if (app?.kind === 'FastAPI' && app.lifespan) {
        p.target.hook = { span: p.span, note: `in an @${p.app}.on_event("${p.event}") handler, which FastAPI never runs because ${p.app} is created with lifespan=${app.lifespan}` };
      }
    }
  }
}

/** True when the function does something after its first `yield` (cleanup); undefined when it never yields. */
function afterYield(fn: Node): boolean | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  let yieldEnd = -1;
  const find = (m: Node, depth: number): void => {
    if (yieldEnd >= 0 || depth > 60) return;
    if (m.type === 'yield') {
      yieldEnd = m.endIndex;
      return;
    }
    if (m.type === 'function_definition' || m.type === 'class_definition') return;
    for (const c of named(m)) find(c, depth + 1);
  };
  find(body, 0);
  if (yieldEnd < 0) return undefined;
  const rest = fn.text.slice(yieldEnd - fn.startIndex).replace(/#[^\n]*/g, '');
  return /\w\s*\(|\bawait\b|\bdel\b|\.close\b/.test(rest);
}

function httpNote(client: 'requests' | 'httpx', t: TimeoutState, viaInstance: boolean): string {
  switch (t) {
    case 'set':
      return viaInstance ? `${client} call through a client with a timeout` : `${client} call with timeout=`;
    case 'disabled':
      return `${client} call with timeout=None (waits forever)`;
    case 'default':
      return 'httpx call relying on the implicit default timeout (5 s), not one chosen for this dependency';
    case 'unknown':
      return `${client} call whose keyword arguments are built elsewhere (**kwargs)`;
    default:
      return viaInstance ? 'call through a requests Session, which has no timeout setting: pass timeout= on each call' : `${client} call without timeout= (requests waits forever by default)`;
  }
}

const QUERY = `
(import_statement) @bind
(import_from_statement) @bind
(function_definition) @bind
(assignment) @bind
(with_item) @bind
(call) @call
(decorator) @decorator
`;
let query: Query | undefined;

function codeQuery(): Query | undefined {
  const language = pythonLanguage();
  if (!query && language) query = new Query(language, QUERY);
  return query;
}

/** The code facts of one Python file; undefined when the parser is not prepared or parsing failed. Never throws. */
export function codeFactsPy(text: string): CodeFacts | undefined {
  return withPythonTree(text, codeFactsPyOf);
}

/** The code facts of an already parsed Python file. Never throws. */
export function codeFactsPyOf(root: Node): CodeFacts | undefined {
  try {
    const q = codeQuery();
    if (!q) return undefined;
    const w = new PyWalker();
    w.run(root, q);
    return w.facts;
  } catch {
    return undefined;
  }
}
