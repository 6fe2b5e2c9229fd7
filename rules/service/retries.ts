// service/retries: each service that calls other services over HTTP retries with backoff —
// p-retry, async-retry, axios-retry, exponential-backoff, cockatiel retry, got's retry option;
// tenacity, backoff, stamina, urllib3 Retry mounted on a requests Session (HTTPAdapter
// max_retries), httpx transport retries. Services without recognised outgoing calls are not asked.
import { defineRule } from '../../server/src/engine/rule';
import { capabilityVerdicts } from '../lib/service-code';

export default defineRule({
  meta: {
    id: 'service/retries',
    category: 'resilience',
    weight: 2,
    severity: 'info',
    scope: 'workspace',
    title: 'Outgoing calls are retried with backoff',
    summary: 'outgoing calls to dependencies use retries with backoff (p-retry, axios-retry, async-retry, got retry, tenacity, backoff, urllib3 Retry)',
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'service', plural: 'services', passing: 'retry outgoing calls with backoff' },
    messages: {
      missing: "Service '{service}' makes {calls} outgoing HTTP call(s) and retries none of them: a dependency's brief hiccup becomes a failed request; retry idempotent calls with backoff",
    },
  },
  check(ctx) {
    capabilityVerdicts(ctx, {
      kind: 'retry',
      what: 'retries',
      messageId: 'missing',
      needsCalls: true,
      lookedFor: 'p-retry, async-retry, axios-retry, exponential-backoff, cockatiel retry, got retry option, tenacity, backoff, stamina, HTTPAdapter(max_retries=Retry(…)) mounted on a Session, httpx transport retries',
    });
  },
});
