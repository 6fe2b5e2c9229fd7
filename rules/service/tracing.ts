// service/tracing: each service sets up distributed tracing — the OpenTelemetry SDK (NodeSDK,
// a TracerProvider, registered instrumentations, `opentelemetry-instrument` as the start
// command), dd-trace/ddtrace (`init()`, `patch_all()`, `ddtrace-run`), jaeger or zipkin
// clients, Elastic APM/New Relic agents, or Sentry with tracesSampleRate. An API import alone
// (`@opentelemetry/api`) or Sentry without a traces sample rate does not count.
import { defineRule } from '../../server/src/engine/rule';
import { capabilityVerdicts } from '../lib/service-code';

export default defineRule({
  meta: {
    id: 'service/tracing',
    category: 'observability',
    weight: 2,
    severity: 'info',
    scope: 'workspace',
    title: 'Services set up distributed tracing',
    summary: 'distributed tracing is set up (OpenTelemetry SDK, dd-trace, jaeger/zipkin clients, Sentry tracing)',
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'service', plural: 'services', passing: 'set up distributed tracing' },
    messages: {
      missing: "Service '{service}' sets up no distributed tracing: start the OpenTelemetry SDK (or dd-trace, Sentry with tracesSampleRate) so that requests can be followed across services",
    },
  },
  check(ctx) {
    capabilityVerdicts(ctx, {
      kind: 'tracing',
      what: 'tracing',
      messageId: 'missing',
      lookedFor: 'OpenTelemetry NodeSDK/TracerProvider/instrumentations, dd-trace/ddtrace, jaeger/zipkin clients, Elastic APM, New Relic, Sentry with tracesSampleRate, opentelemetry-instrument/ddtrace-run start commands',
      programs: ['opentelemetry-instrument', 'ddtrace-run'],
      notedImports: /^@opentelemetry\/api$|^opentelemetry\.trace$|^opentelemetry$/,
    });
  },
});
