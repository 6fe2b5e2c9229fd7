// service/timeouts: every outgoing HTTP call sets a timeout. Subjects are the calls the code
// facts recognise (axios, fetch, got, node-fetch; requests, httpx), in every TS/JS/Python
// file outside tests; a finding sits on each call without one. A timeout counts when it is in
// the call's own options (`timeout`, fetch's `signal`), on the instance the call goes through
// (`axios.create({ timeout })`, `httpx.Client(timeout=…)`, `axios.defaults.timeout = …`).
// `timeout: 0` / `timeout=None` disable it. httpx calls without one rely on httpx's implicit
// 5-second default, reported apart (`implicitDefault`). Options built elsewhere (a spread,
// `**kwargs`, a variable) are not judged: the call counts as passing.
import { defineRule } from '../../server/src/engine/rule';
import { TEST_FILE } from '../lib/service-code';

export default defineRule({
  meta: {
    id: 'service/timeouts',
    category: 'resilience',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Outgoing HTTP calls set a timeout',
    summary: 'outgoing HTTP calls set a timeout (axios/fetch with AbortSignal.timeout/got/undici; Python requests without timeout= is a finding at the call)',
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'outgoing HTTP call', plural: 'outgoing HTTP calls', passing: 'set a timeout' },
    messages: {
      missing: '{callee}(…) has no timeout: {why}; a slow dependency then holds this request (and its worker) indefinitely',
      disabled: '{callee}(…) disables its timeout: {why}',
      implicitDefault: '{callee}(…) relies on httpx\'s implicit 5-second default timeout; set a timeout chosen for this dependency (timeout=…)',
    },
  },
  check(ctx) {
    for (const file of ctx.files) {
      const code = file.facts.code;
      if (!code || code.httpCalls.length === 0 || TEST_FILE.test(file.path)) continue;
      const seen = new Map<string, number>();
      for (const call of code.httpCalls) {
        const n = seen.get(call.callee) ?? 0;
        seen.set(call.callee, n + 1);
        const service = ctx.serviceOf(file.path);
        const subject = { key: `${file.path}#call/${call.callee}/${n}`, file: file.path, span: call.span, ...(service ? { service } : {}) };
        if (call.timeout === 'set' || call.timeout === 'unknown') {
          ctx.subject(subject);
          continue;
        }
        const messageId = call.timeout === 'disabled' ? 'disabled' : call.timeout === 'default' ? 'implicitDefault' : 'missing';
        ctx.report({ subject, messageId, data: { callee: call.callee, why: call.note }, file: file.path, span: call.span });
      }
    }
  },
});
