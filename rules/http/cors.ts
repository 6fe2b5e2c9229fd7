// http/cors: a CORS configuration does not let any origin make credentialed requests, and
// an authenticated API does not allow every origin. Each CORS setup in code is a subject:
// Express/Koa/Hono `cors(...)` middleware, Fastify's `@fastify/cors` plugin, Starlette/FastAPI
// `CORSMiddleware`.
import { defineRule, type CheckContext } from '../../server/src/engine/rule';
import type { PyValue } from '../../server/src/engine/parse/routes-py';
import type { TsArg } from '../../server/src/engine/parse/routes-ts';
import type { SourceFile, Span } from '../../server/src/engine/types';
import { httpServiceViews } from '../lib/code';
import { isProtected } from '../lib/routes';

const CORS_MODULES = ['cors', '@koa/cors', 'koa-cors', 'koa2-cors', 'hono/cors', '@fastify/cors', 'fastify-cors'];

/** What a CORS setup allows: `any` covers `*`, `true` (reflect the request's origin) and regexes matching everything. */
interface CorsSetup {
  file: string;
  span: Span;
  anyOrigin: boolean;
  credentials: boolean;
  /** How the origin was decided, for the message. */
  origin: string;
}

function corsLocals(file: SourceFile): Set<string> {
  const out = new Set<string>();
  for (const i of file.facts.routesTs?.imports ?? []) {
    if (!CORS_MODULES.includes(i.module)) continue;
    if (i.default) out.add(i.default);
    if (i.namespace) out.add(i.namespace);
    for (const n of i.named) out.add(n.local);
  }
  return out;
}

function tsOptions(arg: TsArg | undefined): { origin?: TsArg; credentials?: TsArg } {
  if (!arg || arg.kind !== 'object') return {};
  return { origin: arg.props?.origin, credentials: arg.props?.credentials };
}

function tsSetup(file: string, span: Span, options: TsArg | undefined): CorsSetup {
  const { origin, credentials } = tsOptions(options);
  // The cors packages default to `*` when no origin is given.
  const anyOrigin = !origin || (origin.kind === 'string' && origin.text === '*') || (origin.kind === 'literal' && origin.value === true);
  const originText = !origin ? 'default origin *' : origin.kind === 'string' ? `origin '${origin.text}'` : origin.kind === 'literal' ? `origin: ${String(origin.value)} (reflects any origin)` : 'origin';
  return { file, span, anyOrigin, credentials: credentials?.kind === 'literal' && credentials.value === true, origin: originText };
}

function tsSetups(file: SourceFile): CorsSetup[] {
  const facts = file.facts.routesTs;
  if (!facts) return [];
  const locals = corsLocals(file);
  if (locals.size === 0) return [];
  const out: CorsSetup[] = [];
  for (const use of facts.uses) {
    for (const arg of use.args) {
      if (arg.kind === 'call' && locals.has(arg.text)) out.push(tsSetup(file.path, arg.span, arg.args?.[0]));
    }
  }
  for (const reg of facts.registers) {
    if ((reg.plugin.kind === 'identifier' || reg.plugin.kind === 'member') && locals.has(reg.plugin.text)) out.push(tsSetup(file.path, reg.span, reg.options));
  }
  return out;
}

function pyAny(v: PyValue | undefined): boolean {
  if (!v) return false;
  if (v.k === 'str') return v.v === '*';
  if (v.k === 'list') return v.items.some((i) => i.k === 'str' && i.v === '*');
  return false;
}

function pySetups(file: SourceFile): CorsSetup[] {
  const out: CorsSetup[] = [];
  for (const hook of file.facts.routesPy?.hooks ?? []) {
    if (hook.kind !== 'add_middleware' || !hook.call) continue;
    const first = hook.call.args[0];
    if (!first || first.k !== 'name' || !/(^|\.)CORSMiddleware$/.test(first.v)) continue;
    const kw = hook.call.kwargs;
    const regex = kw.allow_origin_regex;
    const anyRegex = regex?.k === 'str' && /^\^?\.[*+]\$?$/.test(regex.v);
    const anyOrigin = pyAny(kw.allow_origins) || anyRegex;
    out.push({ file: file.path, span: hook.span, anyOrigin, credentials: kw.allow_credentials?.k === 'const' && kw.allow_credentials.v === 'True', origin: anyRegex ? `allow_origin_regex '${regex.k === 'str' ? regex.v : ''}'` : "allow_origins ['*']" });
  }
  return out;
}

function authenticatedServices(ctx: CheckContext): Set<string> {
  return new Set(httpServiceViews(ctx).filter((s) => s.routes.some(isProtected)).map((s) => s.name));
}

export default defineRule({
  meta: {
    id: 'http/cors',
    category: 'security',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'CORS does not open the API to every origin',
    summary: 'CORS does not allow any origin together with credentials, and does not allow * on an authenticated API',
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'CORS configuration', plural: 'CORS configurations', passing: 'restrict origins' },
    messages: {
      credentials: 'CORS allows any origin ({origin}) with credentials: any website can make authenticated requests as the signed-in user',
      authenticated: 'CORS allows any origin ({origin}) on an authenticated API: list the origins that may call it',
    },
  },
  check(ctx) {
    const authed = authenticatedServices(ctx);
    for (const file of ctx.files) {
      const setups = [...tsSetups(file), ...pySetups(file)];
      for (const [i, s] of setups.entries()) {
        const subject = { key: `${s.file}#cors/${i + 1}`, file: s.file, span: s.span };
        if (s.anyOrigin && s.credentials) ctx.report({ subject, messageId: 'credentials', data: { origin: s.origin }, file: s.file, span: s.span });
        else if (s.anyOrigin && authed.has(ctx.serviceOf(s.file) ?? '')) ctx.report({ subject, messageId: 'authenticated', data: { origin: s.origin }, file: s.file, span: s.span });
        else ctx.subject(subject);
      }
    }
  },
});
