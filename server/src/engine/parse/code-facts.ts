// The shape of per-file code facts (TS/JS and Python alike) that the service/* rules read,
// and the cheap textual pre-filters that decide whether a file is parsed at all. Kept apart
// from the extractors so that deciding "nothing here" never loads a parser.
//
//   CodeFacts
//     lang          'ts' (TS/JS) | 'py'
//     imports[]     every imported module as written (`axios`, `@opentelemetry/sdk-node`,
//                   `requests`, `opentelemetry.sdk.trace`), ES/CommonJS/dynamic or Python, + span
//     httpCalls[]   outgoing HTTP calls: { client (axios | fetch | got | node-fetch | requests | httpx),
//                   callee (as written), span (the call), timeout, via? (where an instance's
//                   timeout or its absence was decided, e.g. `axios.create({ timeout })`), note }
//     loggers[]     logger set-ups: { lib, format ('json' | 'logfmt' | 'text'), span, formatSpan?, note, hook? }
//     setups[]      other set-ups: { kind ('tracing' | 'retry' | 'breaker' | 'shutdown' | 'cleanup'
//                   | 'server'), lib, span, note, hook? } — 'shutdown': a library or framework
//                   switch that handles SIGTERM and closes the server (NestJS enableShutdownHooks,
//                   terminus, close-with-grace); 'cleanup': code that closes resources on shutdown
//                   (FastAPI lifespan after `yield`, `on_event("shutdown")`, atexit); 'server':
//                   a managed server that handles SIGTERM itself (`uvicorn.run`)
//     signals[]     signal handlers: { signal, span, closes (closing calls in the handler: server.close,
//                   pool.end, …), exits (calls process.exit / sys.exit), hook? }
//     anchors[]     where a service starts: { kind ('listen' | 'createServer' | 'nest' | 'app' | 'worker'
//                   | 'wsgi'), span, note }
//     runs[]        Python `app.run(...)` / `uvicorn.run(...)`: { kind, receiver, span, underMain, reload }
//
//   hook: the fact sits in a startup hook the framework does not run (`@app.on_event("startup")`
//   on a FastAPI app created with `lifespan=`): { span (the decorator), note }. Rules do not count
//   such facts and say so in evidence.
import type { Span } from '../types';

export type TimeoutState = 'set' | 'missing' | 'disabled' | 'default' | 'unknown';

export interface HttpCallFact {
  client: string;
  callee: string;
  span: Span;
  timeout: TimeoutState;
  /** The instance creation that decided the timeout (set or missing there). */
  via?: Span;
  note: string;
}

export interface Unreachable {
  span: Span;
  note: string;
}

export interface LoggerFact {
  lib: string;
  format: 'json' | 'logfmt' | 'text';
  span: Span;
  formatSpan?: Span;
  note: string;
  hook?: Unreachable;
}

/** 'note': something near a set-up that does not make one (Sentry without tracesSampleRate), for evidence. */
export type SetupKind = 'tracing' | 'retry' | 'breaker' | 'shutdown' | 'cleanup' | 'server' | 'note';

export interface SetupFact {
  kind: SetupKind;
  lib: string;
  span: Span;
  note: string;
  hook?: Unreachable;
}

export interface SignalFact {
  signal: string;
  span: Span;
  closes: string[];
  exits: boolean;
  hook?: Unreachable;
}

export interface AnchorFact {
  kind: 'listen' | 'createServer' | 'nest' | 'app' | 'worker' | 'wsgi';
  span: Span;
  note: string;
}

export interface RunFact {
  kind: 'app.run' | 'uvicorn.run';
  receiver: string;
  span: Span;
  underMain: boolean;
  reload: boolean;
}

export interface ImportFact {
  module: string;
  span: Span;
}

export interface CodeFacts {
  lang: 'ts' | 'py';
  imports: ImportFact[];
  httpCalls: HttpCallFact[];
  loggers: LoggerFact[];
  setups: SetupFact[];
  signals: SignalFact[];
  anchors: AnchorFact[];
  runs: RunFact[];
}

export function emptyCodeFacts(lang: CodeFacts['lang']): CodeFacts {
  return { lang, imports: [], httpCalls: [], loggers: [], setups: [], signals: [], anchors: [], runs: [] };
}

/** A `Procfile` process line: `web: gunicorn app:app` (span: the command). */
export interface ProcfileEntry {
  process: string;
  command: string;
  span: Span;
}

/**
 * Cheap textual pre-filter for TS/JS: may the file hold any code fact? Call-shaped where a word
 * alone is common (`express(` rather than every file importing express), so ordinary route
 * and library files are not parsed again; their imports are recorded only alongside a fact.
 */
export const MAY_HOLD_CODE_TS =
  /\baxios\b|\bfetch\s*\(|\bgot\b|\bpino\b|\bbunyan\b|\bwinston\b|opentelemetry|dd-trace|@sentry\/|\bjaeger|\bzipkin|newrelic|elastic-apm|retry|\bbackOff\b|cockatiel|opossum|CircuitBreaker|\bSIG(?:TERM|INT|QUIT)\b|enableShutdownHooks|terminus|close-with-grace|lightship|\.listen\s*\(|createServer|NestFactory|\bexpress\s*\(|\b[Ff]astify\s*\(|new\s+(?:Koa|Hono|Worker)\b/;

/** Cheap textual pre-filter for Python. */
export const MAY_HOLD_CODE_PY =
  /requests|httpx|basicConfig|Formatter|dictConfig|fileConfig|structlog|loguru|json_log|opentelemetry|sentry_sdk|ddtrace|jaeger|zipkin|tenacity|backoff|stamina|Retry|[Bb]reaker|circuit|purgatory|signal|atexit|lifespan|on_event|FastAPI|Flask|uvicorn|__main__|wsgi|asgi/;

/** Procfile lines `name: command`. */
export function procfileEntries(text: string): ProcfileEntry[] {
  const out: ProcfileEntry[] = [];
  const re = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(\S[^\r\n]*)$/gm;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text)) !== null && n++ < 100) {
    const command = m[2]!.trimEnd();
    const start = m.index + m[0].length - m[2]!.length;
    out.push({ process: m[1]!, command, span: { start, end: start + command.length } });
  }
  return out;
}
