// docker/dev-command: the command the image runs (the final stage's CMD/ENTRYPOINT, own or
// inherited through a stage reference) is not a development server: `flask run`,
// `uvicorn --reload`, `manage.py runserver`, `nodemon`, `npm run dev`, `next dev`,
// `ng serve`, `vite` … A plain `python app.py` is not evidence enough (the script may
// start a production server); `service/dev-server` judges what such code does.
import { defineRule } from '../../server/src/engine/rule';
import { shellCommands, shellTokens, type DfCommand } from '../../server/src/engine/parse/dockerfile';
import { dockerfiles, effectiveCommands, stageChain } from '../lib/dockerfile';

function base(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1).toLowerCase();
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
/** Programs that run the rest of the line: skipped to find the real command. */
const WRAPPERS = new Set(['exec', 'env', 'dumb-init', 'tini', 'tini-static', 'nice', 'npx', 'bunx', 'time']);

/** The simple commands a command line runs (a `sh -c "…"` script is looked into). */
export function simpleCommands(words: readonly string[]): string[][] {
  if (words.length >= 3 && SHELLS.has(base(words[0]!))) {
    const c = words.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w));
    if (c > 0 && words[c + 1] !== undefined) return shellCommands(shellTokens(words[c + 1]!));
  }
  return [[...words]];
}

export function commandsOf(cmd: DfCommand): string[][] {
  if (cmd.form === 'exec') return simpleCommands(cmd.args.map((a) => a.value));
  return shellCommands(shellTokens(cmd.text)).flatMap(simpleCommands);
}

/** Drops wrappers, their options and `VAR=value` assignments in front of the real command. */
function unwrap(words: readonly string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    const b = base(w);
    if (WRAPPERS.has(b) || w === '--' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (b === 'gosu' || b === 'su-exec') i += 2;
    else if (w.startsWith('-') && i > 0 && WRAPPERS.has(base(words[i - 1]!))) i++;
    else break;
  }
  return words.slice(i);
}

function isDevScript(name: string | undefined): boolean {
  return name !== undefined && /^(?:dev|develop|start:dev|serve:dev|dev:[\w:-]+)$/.test(name);
}

/** What development server a simple command starts, or undefined. */
export function devServer(raw: readonly string[]): string | undefined {
  const words = unwrap(raw);
  if (words.length === 0) return undefined;
  let b = base(words[0]!);
  let rest = words.slice(1);
  if (/^python(?:\d+(?:\.\d+)?)?$/.test(b)) {
    const m = rest.indexOf('-m');
    if (m >= 0 && rest[m + 1] !== undefined) {
      b = rest[m + 1]!.toLowerCase();
      rest = rest.slice(m + 2);
    } else {
      const script = rest.find((w) => !w.startsWith('-'));
      if (script && base(script) === 'manage.py' && rest.includes('runserver')) return 'manage.py runserver';
      return undefined;
    }
  }
  const has = (flag: string): boolean => rest.some((w) => w === flag || w.startsWith(`${flag}=`));
  switch (b) {
    case 'flask':
      return rest[0] === 'run' ? 'flask run' : undefined;
    case 'uvicorn':
    case 'gunicorn':
    case 'hypercorn':
      return has('--reload') ? `${b} --reload` : undefined;
    case 'fastapi':
      return rest[0] === 'dev' ? 'fastapi dev' : undefined;
    case 'django-admin':
      return rest.includes('runserver') ? 'django-admin runserver' : undefined;
    case 'nodemon':
    case 'ts-node-dev':
    case 'tsnd':
    case 'webpack-dev-server':
      return b;
    case 'webpack':
      return rest[0] === 'serve' ? 'webpack serve' : undefined;
    case 'node':
      return has('--watch') ? 'node --watch' : undefined;
    case 'tsx':
      return rest[0] === 'watch' ? 'tsx watch' : undefined;
    case 'npm':
      return (rest[0] === 'run' || rest[0] === 'run-script') && isDevScript(rest[1]) ? `npm run ${rest[1]}` : undefined;
    case 'yarn':
    case 'pnpm':
    case 'bun': {
      const script = rest[0] === 'run' ? rest[1] : rest[0];
      return isDevScript(script) ? `${b} ${rest[0] === 'run' ? 'run ' : ''}${script}` : undefined;
    }
    case 'next':
    case 'nuxt':
    case 'nuxi':
      // `next` without a command is `next dev`.
      return rest[0] === 'dev' || (b === 'next' && (rest.length === 0 || rest[0]!.startsWith('-'))) ? `${b} dev` : undefined;
    case 'ng':
      return rest[0] === 'serve' || rest[0] === 's' ? 'ng serve' : undefined;
    case 'vite':
      // `vite preview` serves a build for a local look, and says it is no production server.
      if (rest[0] === 'preview') return 'vite preview';
      return rest.length === 0 || rest[0] === 'dev' || rest[0] === 'serve' || rest[0]!.startsWith('-') ? 'vite (dev server)' : undefined;
    case 'react-scripts':
      return rest[0] === 'start' ? 'react-scripts start' : undefined;
    case 'vue-cli-service':
      return rest[0] === 'serve' ? 'vue-cli-service serve' : undefined;
    default:
      return undefined;
  }
}

function devServerOf(commands: readonly string[][]): string | undefined {
  for (const c of commands) {
    const found = devServer(c);
    if (found) return found;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'docker/dev-command',
    category: 'security',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Images do not run a development server',
    summary: 'the CMD/ENTRYPOINT the image runs is not a development server (flask run, uvicorn --reload, nodemon, npm run dev, next dev …)',
    occurrence: true,
    appliesTo: ['dockerfile'],
    subjects: { singular: 'Dockerfile', plural: 'Dockerfiles', passing: 'run a production server' },
    messages: {
      devServer: '{keyword} runs a development server ({server}): it is built for reloading and debugging on a laptop, not for production traffic',
    },
  },
  check(ctx) {
    for (const { file, facts, final } of dockerfiles(ctx.filesOf('dockerfile'))) {
      const { cmd, entrypoint } = effectiveCommands(stageChain(facts, final));
      const report = (at: DfCommand, server: string): void =>
        ctx.report({ subject: { key: `${file.path}#final/${at.keyword}`, file: file.path, span: at.span }, messageId: 'devServer', data: { keyword: at.keyword, server }, file: file.path, span: at.span });
      const ep = entrypoint ? devServerOf(commandsOf(entrypoint)) : undefined;
      const c = cmd ? devServerOf(commandsOf(cmd)) : undefined;
      if (entrypoint && ep) report(entrypoint, ep);
      if (cmd && c) report(cmd, c);
      if (ep || c || !entrypoint || !cmd || entrypoint.form !== 'exec') continue;
      // ENTRYPOINT ["npm", "run"] + CMD ["dev"]: the two make one command line.
      const joined = devServer([...entrypoint.args.map((a) => a.value), ...(cmd.form === 'exec' ? cmd.args.map((a) => a.value) : shellTokens(cmd.text).flatMap((t) => (t.word !== undefined ? [t.word] : [])))]);
      if (joined) report(cmd, joined);
    }
  },
});
