// service/graceful-shutdown: each service handles SIGTERM/SIGINT and closes its listener and
// pools. Pass: a signal handler that closes something (server.close, app.close, pool.end,
// $disconnect …, followed into same-file helpers), or a library/framework switch that does it
// (NestJS enableShutdownHooks, @godaddy/terminus, close-with-grace, lightship); for Python, a
// server that handles SIGTERM itself (uvicorn, gunicorn, hypercorn, daphne as the start command,
// or uvicorn.run) together with cleanup code (FastAPI lifespan code after `yield`, a reachable
// on_event("shutdown") handler, atexit). Partial: only half of that — a handler that just
// exits, a managed server with nothing closing pools, cleanup code nothing triggers. Fail: none.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence } from '../../server/src/engine/types';
import { assessable, ev, lookedIn, runsProgram, where } from '../lib/service-code';
import { serviceReport, serviceSubject } from '../lib/services';

const MANAGED = ['uvicorn', 'gunicorn', 'hypercorn', 'daphne', 'granian'];

export default defineRule({
  meta: {
    id: 'service/graceful-shutdown',
    category: 'resilience',
    weight: 4,
    severity: 'warning',
    scope: 'workspace',
    title: 'Services shut down gracefully',
    summary: "the server handles SIGTERM/SIGINT and closes the listener and pools (Node process.on('SIGTERM'), framework shutdown hooks, NestJS enableShutdownHooks, uvicorn/gunicorn managed, FastAPI lifespan/shutdown)",
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'service', plural: 'services', passing: 'shut down gracefully' },
    messages: {
      missing: "Service '{service}' does not handle SIGTERM: on every deploy or scale-down, in-flight requests are cut off and connections are dropped; close the server and pools on SIGTERM",
      partial: "Service '{service}' shuts down only in part: {why}",
    },
  },
  check(ctx) {
    for (const s of assessable(ctx, 'graceful shutdown')) {
      const name = s.service.name;
      const full: Evidence[] = [];
      const exitsOnly: Evidence[] = [];
      const cleanup: Evidence[] = [];
      const managed: Evidence[] = [];
      const ignored: Evidence[] = [];
      for (const f of s.files) {
        for (const sig of f.code.signals) {
          const at = where(f.file, sig.span);
          if (sig.hook) ignored.push(ev(f.file, sig.span, `service '${name}': ${sig.signal} handler at ${at} does not count: ${sig.hook.note}`));
          else if (sig.closes.length > 0) full.push(ev(f.file, sig.span, `service '${name}': ${sig.signal} handler at ${at} closes ${sig.closes.slice(0, 3).join(', ')}`));
          else exitsOnly.push(ev(f.file, sig.span, `service '${name}': ${sig.signal} handler at ${at} ${sig.exits ? 'exits' : 'runs'} without closing the server or pools`));
        }
        for (const x of f.code.setups) {
          const at = where(f.file, x.span);
          if (x.hook && (x.kind === 'cleanup' || x.kind === 'shutdown')) ignored.push(ev(f.file, x.span, `service '${name}': ${x.note} at ${at} does not count: ${x.hook.note}`));
          else if (x.kind === 'shutdown') full.push(ev(f.file, x.span, `service '${name}': ${x.note} (${at})`));
          else if (x.kind === 'cleanup' && x.lib !== 'Sentry') cleanup.push(ev(f.file, x.span, `service '${name}': ${x.note} (${at})`));
          else if (x.kind === 'server') managed.push(ev(f.file, x.span, `service '${name}': ${x.note} (${at})`));
          else if (x.kind === 'note' && x.lib === 'FastAPI') ignored.push(ev(f.file, x.span, `service '${name}': ${x.note} (${at})`));
        }
      }
      for (const c of s.commands) {
        const p = runsProgram(c, MANAGED);
        if (p) managed.push(ev(c.file, c.span, `service '${name}': its ${c.source} command runs ${p}, which handles SIGTERM and drains in-flight requests`));
      }
      const subject = serviceSubject(s.service);
      if (full.length > 0) {
        ctx.verdict({ subject, status: 'pass', evidence: [...full, ...cleanup, ...managed] });
        continue;
      }
      if (managed.length > 0 && cleanup.length > 0) {
        ctx.verdict({ subject, status: 'pass', evidence: [...managed, ...cleanup, ...ignored] });
        continue;
      }
      const why =
        managed.length > 0
          ? 'its server handles SIGTERM, but nothing closes pools or connections on shutdown (no lifespan cleanup after yield, no reachable shutdown handler)'
          : cleanup.length > 0
            ? 'it has cleanup code, but no signal handler or SIGTERM-aware server runs it'
            : exitsOnly.length > 0
              ? 'its signal handler exits without closing the server or pools, so in-flight requests are cut off'
              : undefined;
      if (why) {
        const report = serviceReport(s.service, 'partial', { why });
        ctx.verdict({ subject, status: 'partial', evidence: [...managed, ...cleanup, ...exitsOnly, ...ignored], ...(report ? { report } : {}) });
        continue;
      }
      const looked = {
        note: `service '${name}': looked for process.on('SIGTERM'|'SIGINT') handlers that close the server or pools, enableShutdownHooks, terminus, close-with-grace, lightship, signal.signal, uvicorn/gunicorn start commands, FastAPI lifespan or shutdown handlers in ${lookedIn(s)}${s.commands.length > 0 ? ' and its start commands' : ''}; found none`,
      };
      const report = serviceReport(s.service, 'missing', {});
      ctx.verdict({ subject, status: 'fail', evidence: [...ignored, looked], ...(report ? { report } : {}) });
    }
  },
});
