// Shared by the service/* rules: each service's own source files and code facts, the commands
// that start it (Dockerfile CMD/ENTRYPOINT, compose `command`, Procfile), and evidence helpers.
import type { CheckContext } from '../../server/src/engine/rule';
import type { CodeFacts } from '../../server/src/engine/parse/code-facts';
import { shellCommands, shellTokens } from '../../server/src/engine/parse/dockerfile';
import { TEST_FILE } from '../../server/src/engine/services';
import { offsetToPos } from '../../server/src/engine/text';
import type { Evidence, ServiceInfo, SourceFile, Span } from '../../server/src/engine/types';
import { commandsOf, simpleCommands } from '../docker/dev-command';
import { composeServices, dirname } from './compose';
import { dockerfiles, effectiveCommands, stageChain } from './dockerfile';
import { isObj, spanAt } from './k8s';
import { filesByService, serviceReport, serviceSubject } from './services';

export { TEST_FILE };

export interface CodeFile {
  file: SourceFile;
  code: CodeFacts;
}

/** A command that starts the service's process. */
export interface StartCommand {
  source: 'Dockerfile' | 'compose' | 'Procfile';
  file: string;
  span: Span;
  /** The simple commands of the line (a `sh -c "…"` script is looked into). */
  commands: string[][];
  text: string;
}

export interface ServiceCode {
  service: ServiceInfo;
  /** Its TS/JS/Python sources (tests excluded). */
  sources: SourceFile[];
  /** Those with code facts. */
  files: CodeFile[];
  commands: StartCommand[];
}

function isSource(f: SourceFile): boolean {
  return f.facts.kinds.includes('ts') || f.facts.kinds.includes('js') || f.facts.kinds.includes('python');
}

function normalise(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/') || '.';
}

function commandWords(v: unknown): { commands: string[][]; text: string } | undefined {
  if (typeof v === 'string') return { commands: shellCommands(shellTokens(v)).flatMap(simpleCommands), text: v };
  if (Array.isArray(v)) {
    const words = v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);
    return { commands: simpleCommands(words), text: words.join(' ') };
  }
  return undefined;
}

function startCommands(ctx: CheckContext): Map<string, StartCommand[]> {
  const out = new Map<string, StartCommand[]>();
  const add = (service: string | undefined, c: StartCommand): void => {
    if (!service) return;
    const list = out.get(service) ?? [];
    list.push(c);
    out.set(service, list);
  };
  for (const { file, facts, final } of dockerfiles(ctx.filesOf('dockerfile'))) {
    const { cmd, entrypoint } = effectiveCommands(stageChain(facts, final));
    const service = ctx.serviceOf(file.path);
    if (entrypoint) add(service, { source: 'Dockerfile', file: file.path, span: entrypoint.span, commands: commandsOf(entrypoint), text: entrypoint.text });
    if (cmd) add(service, { source: 'Dockerfile', file: file.path, span: cmd.span, commands: commandsOf(cmd), text: cmd.text });
  }
  for (const s of composeServices(ctx.filesOf('compose'))) {
    const build = s.value.build;
    const context = typeof build === 'string' ? build : isObj(build) && typeof build.context === 'string' ? build.context : undefined;
    if (context === undefined) continue;
    const dir = normalise(`${dirname(s.file.path)}/${context}`);
    const service = ctx.services.find((x) => x.root === dir)?.name;
    for (const key of ['entrypoint', 'command']) {
      const words = commandWords(s.value[key]);
      if (words) add(service, { source: 'compose', file: s.file.path, span: spanAt(s.doc, `${s.ptr}/${key}`), ...words });
    }
  }
  for (const f of ctx.files) {
    for (const p of f.facts.procfile ?? []) add(ctx.serviceOf(f.path), { source: 'Procfile', file: f.path, span: p.span, ...commandWords(p.command)! });
  }
  return out;
}

/** Every service with its sources, code facts and start commands (computed once per run). */
export function serviceCode(ctx: CheckContext): ServiceCode[] {
  return ctx.shared('service-code', () => computeServiceCode(ctx));
}

function computeServiceCode(ctx: CheckContext): ServiceCode[] {
  const commands = startCommands(ctx);
  const byService = filesByService(ctx);
  const out = ctx.services.map((service) => {
    const sources = (byService.get(service) ?? []).filter((f) => isSource(f) && !TEST_FILE.test(f.path));
    const files = sources.flatMap((f) => (f.facts.code ? [{ file: f, code: f.facts.code }] : []));
    return { service, sources, files, commands: commands.get(service.name) ?? [] };
  });
  return out;
}

/** Services a code rule can assess (they have TS/JS/Python sources); the others go to check evidence. */
export function assessable(ctx: CheckContext, asked: string): ServiceCode[] {
  const out: ServiceCode[] = [];
  for (const s of serviceCode(ctx)) {
    if (s.sources.length > 0) out.push(s);
    else ctx.evidence({ ...(s.service.manifest ? { file: s.service.manifest, span: { start: 0, end: 0 } } : {}), note: `service '${s.service.name}' (${s.service.root}) has no TS/JS/Python sources: ${asked} not assessed` });
  }
  return out;
}

export function where(file: SourceFile, span: Span): string {
  const pos = offsetToPos(file.facts.lineStarts, span.start);
  return `${file.path}:${pos.line}`;
}

export function ev(file: SourceFile | string, span: Span | undefined, note: string): Evidence {
  return { file: typeof file === 'string' ? file : file.path, ...(span ? { span } : {}), note };
}

/** The service's files, shown in a "looked for … in …" note. */
export function lookedIn(s: ServiceCode): string {
  const n = s.sources.length;
  return `${n} source file${n === 1 ? '' : 's'} under ${s.service.root}`;
}

/** True when a command line runs the named program (after wrappers: `exec`, `opentelemetry-instrument`, `python -m`). */
export function runsProgram(c: StartCommand, programs: readonly string[]): string | undefined {
  for (const words of c.commands) {
    for (let i = 0; i < words.length && i < 8; i++) {
      const w = words[i]!;
      const b = w.slice(w.lastIndexOf('/') + 1).toLowerCase();
      if (programs.includes(b)) return b;
      if (/^python(?:\d+(?:\.\d+)?)?$/.test(b) && words[i + 1] === '-m' && words[i + 2] && programs.includes(words[i + 2]!.toLowerCase())) return words[i + 2]!.toLowerCase();
    }
  }
  return undefined;
}

export interface CapabilityOptions {
  kind: 'tracing' | 'retry' | 'breaker';
  /** What the rule looked for, for the fail evidence. */
  lookedFor: string;
  /** "tracing", "retries": the capability in notes. */
  what: string;
  messageId: string;
  /** Only services that make outgoing HTTP calls are asked (retries, breakers). */
  needsCalls?: boolean;
  /** Start commands that provide the capability (`opentelemetry-instrument`, `ddtrace-run`). */
  programs?: readonly string[];
  /** Libraries whose import alone is noted (not counted) on a fail. */
  notedImports?: RegExp;
}

/** One verdict per service: pass when a set-up of the kind is found (with file and line), fail otherwise. */
export function capabilityVerdicts(ctx: CheckContext, o: CapabilityOptions): void {
  for (const s of assessable(ctx, o.what)) {
    const name = s.service.name;
    const calls = s.files.reduce((n, f) => n + f.code.httpCalls.length, 0);
    const found: Evidence[] = [];
    const notes: Evidence[] = [];
    for (const f of s.files) {
      for (const x of f.code.setups) {
        if (x.kind === o.kind && !x.hook) found.push(ev(f.file, x.span, `service '${name}': ${x.note} (${where(f.file, x.span)})`));
        else if (x.kind === o.kind && x.hook) notes.push(ev(f.file, x.span, `service '${name}': ${x.note} at ${where(f.file, x.span)} does not count: ${x.hook.note}`));
        else if (x.kind === 'note' && noteKind(x.lib) === o.kind) notes.push(ev(f.file, x.span, `service '${name}': ${x.note} (${where(f.file, x.span)})`));
      }
      if (o.notedImports) {
        for (const i of f.code.imports) if (o.notedImports.test(i.module)) notes.push(ev(f.file, i.span, `service '${name}': imports ${i.module} (${where(f.file, i.span)}), which sets nothing up by itself`));
      }
    }
    for (const c of s.commands) {
      const p = o.programs ? runsProgram(c, o.programs) : undefined;
      if (p) found.push(ev(c.file, c.span, `service '${name}': its ${c.source} command runs ${p}`));
    }
    if (o.needsCalls && calls === 0 && found.length === 0) {
      ctx.evidence({ note: `service '${name}': makes no outgoing HTTP calls that were recognised: ${o.what} not asked` });
      continue;
    }
    const subject = serviceSubject(s.service);
    if (found.length > 0) {
      ctx.verdict({ subject, status: 'pass', evidence: found });
      continue;
    }
    const report = serviceReport(s.service, o.messageId, { calls: String(calls) });
    const looked = { note: `service '${name}': looked for ${o.lookedFor} in ${lookedIn(s)}${s.commands.length > 0 ? ' and its start commands' : ''}; found none${o.needsCalls ? ` (it makes ${calls} outgoing HTTP call${calls === 1 ? '' : 's'})` : ''}` };
    ctx.verdict({ subject, status: 'fail', evidence: [...notes.slice(0, 10), looked], ...(report ? { report } : {}) });
  }
}

/** Which capability a 'note' set-up is about. */
function noteKind(lib: string): CapabilityOptions['kind'] | undefined {
  if (lib === 'Sentry') return 'tracing';
  if (lib === 'urllib3') return 'retry';
  return undefined;
}
