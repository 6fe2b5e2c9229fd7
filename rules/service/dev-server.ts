// service/dev-server: the production entry point does not run a development server. Looks at
// what starts each service — Dockerfile CMD/ENTRYPOINT, compose `command`/`entrypoint` of the
// service built from its directory, Procfile lines — for `flask run`, `uvicorn --reload`,
// `manage.py runserver`, `nodemon`, `ts-node-dev`, `npm run dev` … (the same list as
// docker/dev-command, which owns the Dockerfile spans: this rule defers to it there), and
// follows `python app.py` / `python -m pkg.app` into the script: Flask's `app.run()` or
// `uvicorn.run(reload=True)` under `if __name__ == "__main__":` in the file the container runs
// is a finding at that call. An `app.run()` in a file nothing starts is not judged.
import { defineRule } from '../../server/src/engine/rule';
import type { SourceFile } from '../../server/src/engine/types';
import { devServer } from '../docker/dev-command';
import { serviceCode, type StartCommand } from '../lib/service-code';

function base(w: string): string {
  return w.slice(w.lastIndexOf('/') + 1).toLowerCase();
}

/** The Python script a command runs: `python app.py` → ['app.py'], `python -m pkg.app` → ['pkg/app.py', 'pkg/app/__main__.py']. */
function pythonScript(words: readonly string[]): string[] {
  let i = 0;
  while (i < words.length && (words[i] === 'exec' || /^[A-Za-z_]\w*=/.test(words[i]!) || base(words[i]!) === 'env')) i++;
  if (!/^python(?:\d+(?:\.\d+)?)?$/.test(base(words[i] ?? ''))) return [];
  const rest = words.slice(i + 1);
  for (let j = 0; j < rest.length; j++) {
    const w = rest[j]!;
    if (w === '-m' && rest[j + 1]) {
      const mod = rest[j + 1]!.replace(/\./g, '/');
      return [`${mod}.py`, `${mod}/__main__.py`];
    }
    if (w.startsWith('-')) continue;
    return [w.replace(/^\.\//, '')];
  }
  return [];
}

/** The service file a script path names: the longest suffix of the path that matches a file (WORKDIR prefixes differ). */
function fileFor(script: string, files: readonly SourceFile[]): SourceFile | undefined {
  const segs = script.split('/').filter((s) => s && s !== '.');
  for (let k = 0; k < segs.length; k++) {
    const suffix = segs.slice(k).join('/');
    const hit = files.find((f) => f.path === suffix || f.path.endsWith(`/${suffix}`));
    if (hit) return hit;
  }
  return undefined;
}

function at(c: StartCommand): string {
  return `${c.source} command in ${c.file}`;
}

export default defineRule({
  meta: {
    id: 'service/dev-server',
    category: 'security',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Services do not run a development server in production',
    summary: 'the production entry point does not run a dev server (Flask app.run() under __main__ as the container command, uvicorn --reload)',
    occurrence: true,
    appliesTo: ['dockerfile', 'compose', 'python', 'text'],
    subjects: { singular: 'file', plural: 'files', passing: 'start no development server' },
    messages: {
      command: "Service '{service}' is started with a development server ({server}) by its {source} command; run a production server (gunicorn, uvicorn without --reload, node)",
      appRun: "{call} starts {server}, and this file is what service '{service}' runs ({via}); serve the app with a production server (gunicorn, uvicorn) instead",
    },
    defersTo: ['docker/dev-command'],
  },
  check(ctx) {
    for (const s of serviceCode(ctx)) {
      const service = s.service.name;
      const reported = new Set<string>();
      for (const c of s.commands) {
        const server = c.commands.map((w) => devServer(w)).find((x) => x !== undefined);
        if (server) {
          ctx.report({ subject: { key: `${c.file}#command/${service}/${c.source}`, file: c.file, span: c.span, service }, messageId: 'command', data: { service, server, source: c.source }, file: c.file, span: c.span });
          continue;
        }
        for (const words of c.commands) {
          for (const script of pythonScript(words)) {
            const file = fileFor(script, s.sources);
            if (!file?.facts.code) continue;
            for (const run of file.facts.code.runs) {
              if (!run.underMain || (run.kind === 'uvicorn.run' && !run.reload)) continue;
              const key = `${file.path}#${run.kind}/${run.receiver}`;
              if (reported.has(key)) continue;
              reported.add(key);
              const server = run.kind === 'app.run' ? "Flask's development server (werkzeug)" : 'uvicorn with reload=True';
              ctx.report({
                subject: { key, file: file.path, span: run.span, service },
                messageId: 'appRun',
                data: { call: run.kind === 'app.run' ? `${run.receiver}.run()` : 'uvicorn.run(reload=True)', server, service, via: at(c) },
                file: file.path,
                span: run.span,
              });
            }
          }
        }
      }
    }
  },
});
