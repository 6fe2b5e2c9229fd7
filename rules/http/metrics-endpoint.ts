// http/metrics-endpoint: each HTTP service exposes Prometheus/OpenMetrics metrics — a metrics
// library in its code or a `/metrics` route.
import { capabilityRule } from '../lib/http-capability';

export default capabilityRule({
  id: 'http/metrics-endpoint',
  category: 'observability',
  weight: 4,
  severity: 'warning',
  title: 'HTTP services expose metrics',
  summary: 'each HTTP service exposes Prometheus/OpenMetrics metrics (a metrics library or a /metrics route)',
  what: 'metrics endpoint or metrics library',
  passing: 'expose metrics',
  route: (r) => /(^|\/)(metrics|prometheus)\/?$/i.test(r.path),
  libraries: [
    { pkg: 'prom-client', label: 'prom-client' },
    { pkg: 'express-prom-bundle', label: 'express-prom-bundle' },
    { pkg: 'fastify-metrics', label: 'fastify-metrics' },
    { pkg: '@willsoto/nestjs-prometheus', label: 'nestjs-prometheus' },
    { pkg: '@opentelemetry/exporter-prometheus', label: 'OpenTelemetry Prometheus exporter' },
    { pkg: 'prometheus_client', label: 'prometheus_client' },
    { pkg: 'prometheus_fastapi_instrumentator', label: 'prometheus-fastapi-instrumentator' },
    { pkg: 'starlette_exporter', label: 'starlette-exporter' },
    { pkg: 'prometheus_flask_exporter', label: 'prometheus-flask-exporter' },
    { pkg: 'django_prometheus', label: 'django-prometheus' },
    { pkg: 'opentelemetry.exporter.prometheus', label: 'OpenTelemetry Prometheus exporter' },
  ],
});
