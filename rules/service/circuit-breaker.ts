// service/circuit-breaker: each service that calls other services over HTTP guards them with
// a circuit breaker — opossum, cockatiel circuitBreaker, brakes; pybreaker, aiobreaker,
// circuitbreaker, purgatory. Services without recognised outgoing calls are not asked.
import { defineRule } from '../../server/src/engine/rule';
import { capabilityVerdicts } from '../lib/service-code';

export default defineRule({
  meta: {
    id: 'service/circuit-breaker',
    category: 'resilience',
    weight: 1,
    severity: 'info',
    scope: 'workspace',
    title: 'Remote dependencies are guarded by a circuit breaker',
    summary: 'a circuit breaker guards remote dependencies (opossum, cockatiel, pybreaker, purgatory, resilience4j-like)',
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'service', plural: 'services', passing: 'guard remote dependencies with a circuit breaker' },
    messages: {
      missing: "Service '{service}' makes {calls} outgoing HTTP call(s) without a circuit breaker: when a dependency is down, every request waits on it and the failure spreads",
    },
  },
  check(ctx) {
    capabilityVerdicts(ctx, {
      kind: 'breaker',
      what: 'circuit breaking',
      messageId: 'missing',
      needsCalls: true,
      lookedFor: 'opossum, cockatiel circuitBreaker, brakes, pybreaker, aiobreaker, circuitbreaker, purgatory',
    });
  },
});
