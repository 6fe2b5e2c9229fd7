// service/structured-logging: each service logs structured (JSON or key=value) lines through a
// logger configured for them, rather than only console/print or a plain-text formatter.
// Decided per service from the loggers its code sets up (parse/code-*.ts): pino and bunyan
// write JSON by default; winston writes JSON unless its `format` is plain text (simple, printf,
// cli, prettyPrint without json/logstash); python-json-logger's JsonFormatter, structlog with
// JSONRenderer (or a key=value renderer), loguru with serialize=True. A plain logging.Formatter,
// basicConfig, winston format.simple() or pino-pretty is text, not structured. A logger set up
// in a FastAPI startup hook the framework never runs (the app has `lifespan=`) does not count.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence } from '../../server/src/engine/types';
import { assessable, ev, lookedIn, where, type CodeFile } from '../lib/service-code';
import { serviceReport, serviceSubject } from '../lib/services';

const LOOKED_FOR = 'pino, bunyan, winston (JSON unless a plain-text format), nestjs-pino, python-json-logger JsonFormatter, structlog with JSONRenderer/KeyValueRenderer, loguru serialize=True';

/** The import of the logger's library in its file, cited beside the set-up. */
function importOf(f: CodeFile, lib: string): Evidence | undefined {
  const root = lib.split('.')[0]!;
  const imp = f.code.imports.find((i) => i.module === lib || i.module === root || i.module.startsWith(`${root}.`) || i.module.startsWith(`${root}/`));
  return imp ? ev(f.file, imp.span, `imports ${imp.module}`) : undefined;
}

export default defineRule({
  meta: {
    id: 'service/structured-logging',
    category: 'observability',
    weight: 3,
    severity: 'info',
    scope: 'workspace',
    title: 'Services log structured lines',
    summary: 'a structured logger is used (pino, winston with json format, bunyan, structlog, python-json-logger, loguru serialize) rather than only console/print',
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'service', plural: 'services', passing: 'log structured lines' },
    messages: {
      textOnly: "Service '{service}' sets up logging only with plain-text output ({found}); log JSON lines so that the platform can index and query them",
      none: "Service '{service}' sets up no structured logger (console/print only); log JSON lines with pino, winston format.json(), structlog or python-json-logger",
      unreachable: "Service '{service}' configures structured logging only in code that never runs ({found}); move it where the app starts",
    },
  },
  check(ctx) {
    for (const s of assessable(ctx, 'structured logging')) {
      const name = s.service.name;
      const json: Evidence[] = [];
      const text: Evidence[] = [];
      const unreachable: Evidence[] = [];
      for (const f of s.files) {
        for (const l of f.code.loggers) {
          if (l.hook) {
            unreachable.push(ev(f.file, l.span, `service '${name}': ${l.note} at ${where(f.file, l.span)} does not count: ${l.hook.note}`));
            continue;
          }
          if (l.format === 'json' || l.format === 'logfmt') {
            const imp = importOf(f, l.lib);
            if (imp) json.push({ ...imp, note: `service '${name}': ${imp.note} (${where(f.file, imp.span!)})` });
            json.push(ev(f.file, l.formatSpan ?? l.span, `service '${name}': ${l.note} at ${where(f.file, l.span)}`));
          } else text.push(ev(f.file, l.formatSpan ?? l.span, `service '${name}': ${l.note} at ${where(f.file, l.span)}: plain text, not structured`));
        }
      }
      const subject = serviceSubject(s.service);
      if (json.length > 0) {
        ctx.verdict({ subject, status: 'pass', evidence: [...json, ...text, ...unreachable] });
        continue;
      }
      const looked = { note: `service '${name}': looked for ${LOOKED_FOR} in ${lookedIn(s)}; found no structured logger` };
      const short = (list: readonly Evidence[]): string => [...new Set(list.map((t) => t.note.replace(/^service '[^']*': /, '').replace(/ at .*$/, '')))].slice(0, 2).join('; ');
      const messageId = text.length > 0 ? 'textOnly' : unreachable.length > 0 ? 'unreachable' : 'none';
      const found = text.length > 0 ? short(text) : unreachable.length > 0 ? `${short(unreachable)}, in a startup hook FastAPI does not run` : '';
      const report = serviceReport(s.service, messageId, { found });
      ctx.verdict({ subject, status: 'fail', evidence: [...text, ...unreachable, looked], ...(report ? { report } : {}) });
    }
  },
});
