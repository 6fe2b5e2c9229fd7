// http/debug-mode: no debug mode left on in server code — Flask/FastAPI/Starlette
// `debug=True`, `app.debug = True`, `app.config["DEBUG"] = True`, Django `DEBUG = True` as a
// literal, Express/Koa/Fastify error responses carrying stack traces, the `errorhandler`
// development middleware mounted unconditionally. The facts come from parse/debug.ts.
import { defineRule } from '../../server/src/engine/rule';
import type { DebugFlag } from '../../server/src/engine/parse/debug';
import type { TextEdit } from '../../server/src/engine/types';
import { importOsEdit } from '../lib/python-edit';

interface FixData {
  start: number;
  end: number;
  env: string;
}

function envName(flag: DebugFlag): string {
  if (flag.kind === 'django-debug') return 'DJANGO_DEBUG';
  if (/\bFlask\b|\.run\(|config/.test(flag.what)) return 'FLASK_DEBUG';
  return 'APP_DEBUG';
}

function isFixData(d: unknown): d is FixData {
  return typeof d === 'object' && d !== null && typeof (d as FixData).start === 'number' && typeof (d as FixData).env === 'string';
}

export default defineRule({
  meta: {
    id: 'http/debug-mode',
    category: 'security',
    weight: 4,
    severity: 'error',
    scope: 'location',
    title: 'No debug mode in server code',
    summary: 'server code does not switch debug mode on unconditionally (debug=True, DEBUG = True, stack traces in error responses)',
    occurrence: true,
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'source file', plural: 'source files', passing: 'leave debug mode off' },
    messages: {
      python: '{what} switches debug mode on unconditionally: the interactive debugger and tracebacks are exposed to clients',
      django: 'DEBUG = True in Django settings: error pages show settings, code and SQL to anyone; read it from the environment',
      stack: '{what}: stack traces in responses reveal code paths and library versions to clients',
      errorhandler: 'The errorhandler middleware is meant for development: it sends stack traces to clients; mount it only outside production',
    },
    fixable: true,
  },
  check(ctx) {
    for (const file of ctx.files) {
      for (const [i, flag] of (file.facts.debug ?? []).entries()) {
        const subject = { key: `${file.path}#debug/${i + 1}`, file: file.path, span: flag.span };
        const messageId = flag.kind === 'django-debug' ? 'django' : flag.kind === 'py-debug-arg' || flag.kind === 'py-debug-assign' ? 'python' : flag.kind === 'ts-errorhandler' ? 'errorhandler' : 'stack';
        const fix = flag.valueSpan ? { start: flag.valueSpan.start, end: flag.valueSpan.end, env: envName(flag) } : undefined;
        ctx.report({
          subject,
          messageId,
          data: { what: flag.what },
          file: file.path,
          span: flag.span,
          fixes: fix ? [{ title: `Read the flag from the environment (${fix.env})`, safe: false, kind: 'env' }] : [],
          fixData: fix,
        });
      }
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'env' || !isFixData(finding.fixData)) return [];
    const d = finding.fixData;
    const text = ctx.text(finding.file);
    if (text.slice(d.start, d.end) !== 'True') return [];
    const edits: TextEdit[] = [{ file: finding.file, start: d.start, end: d.end, newText: `os.environ.get("${d.env}") == "1"` }];
    const imp = importOsEdit(finding.file, text);
    if (imp) edits.unshift(imp);
    return edits;
  },
});
