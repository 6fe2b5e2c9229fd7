// Routes that are public by default (health, metrics, docs, sign-in, static assets) or by the
// configuration's `publicRoutes` globs ("/webhooks/**", "POST /webhooks/**").
import { parsePublicRoute } from '../config';
import type { HttpRoute } from './model';

/** Path segments that make a route public by default, with the reason shown in evidence. */
const DEFAULT_PUBLIC: readonly { test: RegExp; reason: string }[] = [
  { test: /^(health|healthz|healthcheck|health-check|livez|liveness|readyz|readiness|ready|ping|status)$/i, reason: 'health check' },
  { test: /^(metrics|prometheus)$/i, reason: 'metrics' },
  { test: /^(docs|redoc|swagger|swagger-ui|openapi|openapi\.json|openapi\.ya?ml|api-docs|swagger\.json)$/i, reason: 'API docs' },
  { test: /^(login|logout|signin|sign-in|signup|sign-up|register|token|refresh|refresh-token|oauth|callback|forgot-password|reset-password)$/i, reason: 'sign-in' },
  { test: /^(static|assets|public|favicon\.ico|robots\.txt)$/i, reason: 'static assets' },
];

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** The default-public reason for a path, when one of its segments names a public endpoint. */
export function defaultPublicReason(path: string): string | undefined {
  const segs = segments(path);
  // Health/metrics/docs/sign-in endpoints are the last segment (`/api/v1/health`), or any segment for static trees and auth callbacks.
  const last = segs[segs.length - 1];
  for (const p of DEFAULT_PUBLIC) {
    if (last !== undefined && p.test.test(last)) return p.reason;
  }
  for (const s of segs) {
    if (/^(static|assets|public|oauth|auth)$/i.test(s) && segs.length > 1) {
      const r = DEFAULT_PUBLIC.find((p) => p.test.test(s));
      if (r) return r.reason;
    }
  }
  return undefined;
}

/** Glob over `/`-separated paths: `*` one segment (or part of one), `**` any number of segments. */
export function pathGlob(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '/' && glob.slice(i) === '/**') {
      // A trailing `/**` matches the directory itself too: `/webhooks/**` covers `/webhooks`.
      re += '(?:/.*)?';
      break;
    }
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      re += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}/?$`);
}

function normalise(path: string): string {
  return '/' + segments(path).join('/');
}

/** The configured public pattern matching a route ("POST /webhooks/**"), when one does. */
export function configuredPublic(route: Pick<HttpRoute, 'method' | 'path'>, patterns: readonly string[]): string | undefined {
  const path = normalise(route.path);
  for (const pattern of patterns) {
    const { method, path: glob } = parsePublicRoute(pattern);
    // A method-specific pattern covers only that method; a route taking any method is not covered by it.
    if (method && method !== route.method) continue;
    if (pathGlob(glob.startsWith('/') ? glob : `/${glob}`).test(path)) return pattern;
  }
  return undefined;
}
