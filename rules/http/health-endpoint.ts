// http/health-endpoint: each HTTP service exposes a health/readiness route (or mounts a
// health-check library that serves one), so orchestrators and load balancers can tell a
// working instance from a broken one.
import { capabilityRule } from '../lib/http-capability';

const HEALTH = /^(health|healthz|healthcheck|health-check|health_check|livez|liveness|live|readyz|readiness|ready|ping|status)$/i;

function isHealthPath(path: string): boolean {
  return path.split('/').filter(Boolean).some((s) => HEALTH.test(s));
}

export default capabilityRule({
  id: 'http/health-endpoint',
  category: 'observability',
  weight: 4,
  severity: 'warning',
  title: 'HTTP services expose a health endpoint',
  summary: 'each HTTP service exposes a health or readiness route',
  what: 'health or readiness route',
  passing: 'expose a health endpoint',
  route: (r) => (r.method === 'GET' || r.method === 'ALL' || r.method === 'HEAD') && isHealthPath(r.path),
  libraries: [
    { pkg: '@godaddy/terminus', label: '@godaddy/terminus' },
    { pkg: '@nestjs/terminus', label: '@nestjs/terminus' },
    { pkg: 'fastify-healthcheck', label: 'fastify-healthcheck' },
    { pkg: 'express-healthcheck', label: 'express-healthcheck' },
    { pkg: 'health_check', label: 'django-health-check' },
    { pkg: 'fastapi_health', label: 'fastapi-health' },
    { pkg: 'healthcheck', label: 'healthcheck' },
  ],
});
