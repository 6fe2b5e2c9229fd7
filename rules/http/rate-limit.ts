// http/rate-limit: each HTTP service limits inbound request rates — a rate-limiting
// middleware/guard in its code, or rate-limit annotations on an Ingress. Limiters of
// outgoing calls (bottleneck, p-limit, p-throttle) are not inbound rate limiting.
import type { CheckContext } from '../../server/src/engine/rule';
import type { Span } from '../../server/src/engine/types';
import { allObjects, get, isObj } from '../lib/k8s';
import { capabilityRule } from '../lib/http-capability';

const INGRESS_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/limit-rps',
  'nginx.ingress.kubernetes.io/limit-rpm',
  'nginx.ingress.kubernetes.io/limit-connections',
  'nginx.ingress.kubernetes.io/global-rate-limit',
  'konghq.com/plugins',
  'haproxy.org/rate-limit-requests',
];

export default capabilityRule({
  id: 'http/rate-limit',
  category: 'security',
  weight: 3,
  severity: 'warning',
  title: 'HTTP services limit request rates',
  summary: 'a rate limiter protects each HTTP service (middleware, guard, or Ingress annotations)',
  what: 'inbound rate limiter',
  passing: 'limit request rates',
  libraries: [
    { pkg: 'express-rate-limit', label: 'express-rate-limit' },
    { pkg: 'express-slow-down', label: 'express-slow-down' },
    { pkg: 'rate-limiter-flexible', label: 'rate-limiter-flexible' },
    { pkg: '@fastify/rate-limit', label: '@fastify/rate-limit' },
    { pkg: 'fastify-rate-limit', label: 'fastify-rate-limit' },
    { pkg: '@nestjs/throttler', label: '@nestjs/throttler' },
    { pkg: 'hono-rate-limiter', label: 'hono-rate-limiter' },
    { pkg: 'koa-ratelimit', label: 'koa-ratelimit' },
    { pkg: '@upstash/ratelimit', label: '@upstash/ratelimit' },
    { pkg: 'slowapi', label: 'slowapi' },
    { pkg: 'fastapi_limiter', label: 'fastapi-limiter' },
    { pkg: 'flask_limiter', label: 'Flask-Limiter' },
    { pkg: 'django_ratelimit', label: 'django-ratelimit' },
    { pkg: 'ratelimit.decorators', label: 'django-ratelimit' },
    { pkg: 'rest_framework.throttling', label: 'DRF throttling' },
  ],
  elsewhere(svc, ctx) {
    const limiting = ctx.shared('rate-limiting-ingress', () => rateLimitingIngress(ctx));
    return limiting ? { file: limiting.file, span: limiting.span, note: `Ingress '${limiting.name}' limits request rates (${limiting.annotation}); it may front ${svc.label}` } : undefined;
  },
});

/** The first Ingress whose annotations limit request rates (looked for once per run, not once per service). */
function rateLimitingIngress(ctx: CheckContext): { file: string; span: Span; name: string; annotation: string } | null {
  for (const o of allObjects(ctx.filesOf('k8s'), 'Ingress')) {
    const annotations = get(o.value, 'metadata', 'annotations');
    if (!isObj(annotations)) continue;
    const hit = INGRESS_ANNOTATIONS.find((a) => a in annotations && (a !== 'konghq.com/plugins' || /rate/i.test(String(annotations[a]))));
    if (hit) return { file: o.file.path, span: o.nameSpan, name: o.name, annotation: hit };
  }
  return null;
}
