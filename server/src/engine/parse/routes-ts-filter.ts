// The cheap textual pre-filter for TS/JS route facts. It lives apart from the extractor so
// that deciding "no routes here" never loads ts-morph and its TypeScript compiler.
import type { NextFacts } from './routes-ts';

// Word boundaries keep `expression`/`Expression` (any parser or AST code) from matching.
const FRAMEWORK_WORDS = /\b[Ee]xpress\b|\b[Ff]astify\b|\b[Kk]oa\b|@koa\/|\b[Hh]ono\b|@nestjs\/|\bRouter\b|next\/server|\bNext(?:Response|Request|ApiRequest)\b|\bAPP_GUARD\b|\buseGlobalGuards\b|@Controller\b|\.forRoutes\b|\bnext-auth\b|@clerk\/|@auth0\/nextjs/;
const ROUTE_CALL = /\.(?:get|post|put|patch|delete|del|options|head|all|use|route)\s*\(\s*['"`]\/|\.use\s*\(|\.register\s*\(|\.addHook\s*\(|\.route\s*\(\s*\{/;

// Middleware that rejects unauthenticated requests (a guard module that names no framework).
const GUARD_WORDS = /\b(?:status|code|sendStatus|throw)\s*\(\s*40[13]\b|\bUnauthorized|\bjwtVerify\b|\.decorate\s*\(/;

// Barrel modules (`export { api } from './api'`): small, and the linker follows them to routers.
const REEXPORT = /\bexport\s+(?:\*|\{[^}]*\})\s+from\s/;
const BARREL_MAX = 8000;

/** Next.js file-system routes, decided by the path alone. */
export function nextKind(relPath: string): NextFacts['kind'] | undefined {
  const p = '/' + relPath;
  if (/\/middleware\.[cm]?[jt]s$/.test(p) && !/\/(?:node_modules|app|pages)\//.test(p)) return 'middleware';
  if (/\/app\/(?:.*\/)?route\.[cm]?[jt]sx?$/.test(p)) return 'app-route';
  if (/\/pages\/api\/.+\.[cm]?[jt]sx?$/.test(p)) return 'pages-api';
  return undefined;
}

/** Cheap textual check: may this file register HTTP routes? Ordinary TS/JS files say no and are never parsed. */
export function mayHoldRoutes(relPath: string, text: string): boolean {
  if (nextKind(relPath)) return true;
  return FRAMEWORK_WORDS.test(text) || ROUTE_CALL.test(text) || GUARD_WORDS.test(text) || (text.length <= BARREL_MAX && REEXPORT.test(text));
}

