// The linked route table: every HTTP route of a root with its effective path and the
// authentication guards that apply to it, decided across files (imports, router mounts,
// prefixes, dependency chains, global guards). Built from the per-file route facts
// (parse/routes-ts.ts, parse/routes-py.ts) by one linker per framework family; rules read
// only this table. Plain data: spans are half-open UTF-16 offsets into root-relative files.
import type { Span } from '../types';

export type HttpFramework = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs' | 'next' | 'fastapi' | 'flask' | 'django';

export const FRAMEWORK_LABELS: Readonly<Record<HttpFramework, string>> = {
  express: 'Express',
  fastify: 'Fastify',
  koa: 'Koa',
  hono: 'Hono',
  nestjs: 'NestJS',
  next: 'Next.js',
  fastapi: 'FastAPI',
  flask: 'Flask',
  django: 'Django',
};

/** One authentication guard that applies to a route. */
export interface GuardRef {
  /** As the project names it: `requireAuth`, `passport.authenticate('jwt')`, `JwtAuthGuard`, `get_current_user`, `IsAuthenticated`. */
  name: string;
  /** Where it is applied: on the route, its router/blueprint/controller/plugin, a mount, the app, globally, or in settings. */
  level: 'route' | 'router' | 'mount' | 'app' | 'global' | 'settings';
  /** Why it counts as authentication: "passport", "express-jwt", "verifies a token and answers 401", "authGuards setting". */
  why: string;
  /** Optional authentication: requests without credentials still reach the handler. */
  optional?: boolean;
  /** Where the guard is applied (the argument, decorator, `use()` call, dependency). */
  file: string;
  span: Span;
}

export interface ProtectEdit {
  file: string;
  span: Span;
  newText: string;
}

/** How to protect a route with a guard the project already uses: the edits (guard + import when needed). */
export interface ProtectFix {
  guard: string;
  edits: ProtectEdit[];
}

export interface HttpRoute {
  framework: HttpFramework;
  /** Upper-case HTTP method; `ALL` for any method. */
  method: string;
  /** Effective path, prefixes joined, starting with `/`; parameters as written; an unknown (computed) part as `*`. */
  path: string;
  /** The registration: the `router.get(` call expression, or the route decorator. */
  file: string;
  span: Span;
  handler?: string;
  /** The app the route is reachable from, as `file#name`. */
  app?: string;
  /** Every authentication guard that applies, optional ones included (flagged `optional`). */
  guards: GuardRef[];
  /** Present when the route has no (non-optional) guard and the project uses a guard of this framework. */
  protect?: ProtectFix;
}

/** A router/blueprint/controller/plugin that is defined but never mounted: its routes are unreachable and not reported. */
export interface DetachedRouter {
  framework: HttpFramework;
  name: string;
  file: string;
  span: Span;
  routes: number;
}

export interface AppSite {
  framework: HttpFramework;
  name: string;
  file: string;
  /** The app creation (`express()`, `FastAPI(...)`, `NestFactory.create`) or listen call. */
  span: Span;
}

export interface RouteTable {
  routes: HttpRoute[];
  unmounted: DetachedRouter[];
  /** Guards the project applies, per framework, most used first: what the quick fix proposes. */
  guardsUsed: { framework: HttpFramework; name: string; count: number }[];
  apps: AppSite[];
}

export function emptyTable(): RouteTable {
  return { routes: [], unmounted: [], guardsUsed: [], apps: [] };
}

/** Settings the linkers read. */
export interface LinkSettings {
  /** Extra middleware/decorator/dependency names that count as authentication (`.readiness.yaml` authGuards). */
  authGuards: readonly string[];
}

/** True when a non-optional guard applies. */
export function isProtected(route: HttpRoute): boolean {
  return route.guards.some((g) => !g.optional);
}
