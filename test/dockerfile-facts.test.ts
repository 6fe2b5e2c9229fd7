// Dockerfile facts: stages, resolved FROM images, the instructions the docker/* rules read,
// exact spans, and .dockerignore patterns.
import * as assert from 'node:assert/strict';
import { dockerfileFacts, dockerignoreFacts, shellCommands, shellTokens, type DockerfileFacts } from '../server/src/engine/parse/dockerfile';
import { devServer } from '../rules/docker/dev-command';
import { isExcluded } from '../rules/docker/dockerignore';
import { extractFacts } from '../server/src/engine/extract';
import { lineStartsOf } from '../server/src/engine/text';
import type { Span } from '../server/src/engine/types';

function parse(text: string): { facts: DockerfileFacts; errors: { message: string }[]; at: (s: Span | undefined) => string } {
  const { facts, errors } = dockerfileFacts(text, lineStartsOf(text));
  return { facts, errors, at: (s) => (s ? text.slice(s.start, s.end) : '<none>') };
}

const MULTI = [
  '# syntax=docker/dockerfile:1',
  'ARG NODE_VERSION=20.11',
  'ARG BASE_TAG',
  'FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS Build',
  'ENV NODE_ENV=production B="two words" \\',
  '    API_KEY=abc',
  'ARG NPM_TOKEN',
  'COPY --chown=app:app package.json .env ./',
  'COPY ["id_rsa", "/root/.ssh/"]',
  'RUN apk add --no-cache curl && \\',
  '    adduser -S -G app -h /home/app appuser',
  'EXPOSE 8080/tcp 9090',
  'HEALTHCHECK NONE',
  'FROM build AS final',
  'USER 1000:1000',
  'HEALTHCHECK --interval=5s CMD wget -qO- http://localhost:8080/ || exit 1',
  'COPY --from=build /app/dist /app',
  'CMD ["node", "dist/server.js"]',
  'ENTRYPOINT npm \\',
  '# a comment inside the continuation',
  '  run dev',
  'FROM node:${BASE_TAG}',
  'FROM scratch',
  '',
].join('\n');

describe('dockerfile facts', () => {
  it('splits stages and resolves FROM images from global ARG defaults', () => {
    const { facts, errors, at } = parse(MULTI);
    assert.deepEqual(errors, []);
    assert.equal(facts.stages.length, 4);
    assert.deepEqual(facts.globalArgs.map((a) => [a.name, a.value]), [['NODE_VERSION', '20.11'], ['BASE_TAG', undefined]]);
    const [build, final, third, fourth] = facts.stages;
    assert.equal(build!.from.image, 'node:${NODE_VERSION}-alpine');
    assert.equal(at(build!.from.imageSpan), 'node:${NODE_VERSION}-alpine');
    assert.equal(build!.from.resolved, 'node:20.11-alpine');
    assert.deepEqual(build!.from.unresolved, []);
    assert.equal(build!.from.platform, '$BUILDPLATFORM');
    assert.equal(build!.name, 'build');
    assert.equal(at(build!.nameSpan), 'Build');
    assert.equal(build!.base, 'image');
    assert.ok(at(build!.from.span).startsWith('FROM --platform'));
    assert.equal(final!.base, 'stage');
    assert.equal(final!.baseStage, 0);
    assert.equal(third!.from.resolved, 'node:${BASE_TAG}');
    assert.deepEqual(third!.from.unresolved, ['BASE_TAG']);
    assert.equal(fourth!.base, 'scratch');
    assert.equal(at(fourth!.span), 'FROM scratch');
  });

  it('reads ENV/ARG properties with value spans across continuations', () => {
    const { facts, at } = parse(MULTI);
    const build = facts.stages[0]!;
    assert.deepEqual(build.env.map((p) => [p.name, p.value, at(p.valueSpan)]), [
      ['NODE_ENV', 'production', 'production'],
      ['B', 'two words', '"two words"'],
      ['API_KEY', 'abc', 'abc'],
    ]);
    assert.equal(at(build.env[2]!.span), 'API_KEY=abc');
    assert.ok(at(build.env[2]!.instruction).startsWith('ENV NODE_ENV'));
    assert.deepEqual(build.args.map((p) => [p.name, p.value, p.valueSpan]), [['NPM_TOKEN', undefined, undefined]]);
  });

  it('reads COPY sources in both forms, --from, user creation, EXPOSE and HEALTHCHECK', () => {
    const { facts, at } = parse(MULTI);
    const [build, final] = facts.stages;
    assert.deepEqual(build!.copies.map((c) => [c.keyword, c.from, c.sources.map((s) => s.value)]), [
      ['COPY', undefined, ['package.json', '.env']],
      ['COPY', undefined, ['id_rsa']],
    ]);
    assert.equal(at(build!.copies[1]!.sources[0]!.span), '"id_rsa"');
    assert.equal(final!.copies[0]!.from, 'build');
    assert.equal(build!.userAdds.length, 1);
    assert.equal(build!.userAdds[0]!.name, 'appuser');
    assert.deepEqual(build!.expose.map((e) => [e.value, e.port]), [['8080/tcp', 8080], ['9090', 9090]]);
    assert.deepEqual(build!.healthcheck && { none: build!.healthcheck.none, text: at(build!.healthcheck.span) }, { none: true, text: 'HEALTHCHECK NONE' });
    assert.equal(build!.user, undefined);
    assert.equal(final!.healthcheck?.none, false);
    assert.equal(final!.user?.value, '1000:1000');
    assert.equal(at(final!.user?.valueSpan), '1000:1000');
  });

  it('reads CMD and ENTRYPOINT in exec and shell form', () => {
    const { facts, at } = parse(MULTI);
    const final = facts.stages[1]!;
    assert.equal(final.cmd?.form, 'exec');
    assert.deepEqual(final.cmd?.args.map((a) => a.value), ['node', 'dist/server.js']);
    assert.equal(at(final.cmd?.args[1]?.span), '"dist/server.js"');
    assert.equal(final.entrypoint?.form, 'shell');
    assert.deepEqual(final.entrypoint?.args.map((a) => a.value), ['npm', 'run', 'dev']);
    assert.equal(final.entrypoint?.text.replace(/\s+/g, ' '), 'npm run dev');
    assert.ok(at(final.entrypoint?.span).endsWith('run dev'));
    assert.deepEqual(final.instructions.map((i) => i.keyword), ['FROM', 'USER', 'HEALTHCHECK', 'COPY', 'CMD', 'ENTRYPOINT']);
  });

  it('exec-form strings keep their spaces and escapes', () => {
    const { facts, at } = parse('FROM alpine:3.19\nCMD ["sh", "-c", "a  b\\t\\"c\\" && d"]\nCOPY ["my file.txt", "/x y/"]\n');
    const stage = facts.stages[0]!;
    assert.deepEqual(stage.cmd?.args.map((a) => a.value), ['sh', '-c', 'a  b\t"c" && d']);
    assert.equal(at(stage.cmd?.args[2]?.span), '"a  b\\t\\"c\\" && d"');
    assert.deepEqual(stage.copies[0]!.sources.map((s) => s.value), ['my file.txt']);
  });

  it('a JSON-looking argument that is not JSON is shell form', () => {
    const { facts } = parse("FROM alpine:3.19\nCMD ['sh', 'x']\n");
    assert.equal(facts.stages[0]!.cmd?.form, 'shell');
  });

  it('spans are UTF-16 offsets, with CRLF line ends and astral characters', () => {
    const text = 'FROM alpine:3.19\r\n# 😀 comment\r\nLABEL x="😀"\r\nUSER app\r\n';
    const { facts, at } = parse(text);
    assert.equal(at(facts.stages[0]!.user?.span), 'USER app');
    assert.equal(at(facts.stages[0]!.user?.valueSpan), 'app');
  });

  it('resolves ${VAR:-default}, $VAR and keeps unknown variables', () => {
    const { facts } = parse('ARG TAG=3.19\nARG REG\nFROM ${REG:-docker.io}/alpine:$TAG\nFROM $REG/app:1\nFROM alpine:${NOPE}\n');
    assert.deepEqual(facts.stages.map((s) => [s.from.resolved, s.from.unresolved]), [
      ['docker.io/alpine:3.19', []],
      ['${REG}/app:1', ['REG']],
      ['alpine:${NOPE}', ['NOPE']],
    ]);
  });

  it('resolves EXPOSE ports through stage ARG/ENV', () => {
    const { facts } = parse('ARG PORT=8000\nFROM python:3.12\nARG PORT\nENV OTHER=9000\nEXPOSE ${PORT} $OTHER/udp 7000-7010 $UNKNOWN\n');
    assert.deepEqual(facts.stages[0]!.expose.map((e) => e.port), [8000, 9000, 7000, undefined]);
  });

  it('finds useradd/adduser calls and the user they create', () => {
    const cases: [string, string | undefined][] = [
      ['RUN useradd -r -u 1001 -g app appuser', 'appuser'],
      ['RUN groupadd --system app && useradd --system --gid app app', 'app'],
      ['RUN addgroup -S app && adduser -S app -G app', 'app'],
      ['RUN adduser --system --ingroup app --disabled-password --gecos "" web', 'web'],
      ['RUN set -e; /usr/sbin/useradd --uid=10001 svc', 'svc'],
      ['RUN ["useradd", "-m", "builder"]', 'builder'],
      ['RUN <<EOF\nset -e\nuseradd app2\nEOF', 'app2'],
    ];
    for (const [run, name] of cases) {
      const { facts } = parse(`FROM debian:12\n${run}\n`);
      assert.equal(facts.stages[0]!.userAdds.length, 1, run);
      assert.equal(facts.stages[0]!.userAdds[0]!.name, name, run);
    }
    const { facts } = parse('FROM debian:12\nRUN echo useradd-is-not-run && groupadd app\n');
    assert.deepEqual(facts.stages[0]!.userAdds, []);
  });

  it('shell words keep quotes together and split on operators', () => {
    assert.deepEqual(shellCommands(shellTokens(`a "b c" 'd'&&e|f; g\nh`)), [['a', 'b c', 'd'], ['e'], ['f'], ['g'], ['h']]);
  });

  it('the escape directive changes the continuation character', () => {
    const { facts } = parse('# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser\nCMD cmd `\n  /c dir\n');
    assert.equal(facts.escape, '`');
    assert.deepEqual(facts.stages[0]!.cmd?.args.map((a) => a.value), ['cmd', '/c', 'dir']);
  });

  it('reports instructions before the first FROM and files without FROM', () => {
    assert.match(parse('RUN echo hi\nFROM alpine:3.19\n').errors[0]!.message, /RUN before the first FROM/);
    assert.match(parse('RUN echo hi\n').errors.at(-1)!.message, /no FROM/);
    assert.deepEqual(parse('').errors, []);
    assert.deepEqual(parse('# only a comment\n').facts.stages, []);
  });

  it('extraction adds Dockerfile facts to dockerfiles only, and errors only for pure Dockerfiles', () => {
    const df = extractFacts('svc/Dockerfile', 'FROM alpine:3.19\nUSER app\n');
    assert.equal(df.dockerfile?.stages.at(-1)?.user?.value, 'app');
    assert.equal(extractFacts('svc/main.py', 'FROM = 1\n').dockerfile, undefined);
    const md = extractFacts('docs/Dockerfile.md', '# Notes\nSome text\n');
    assert.deepEqual(md.errors, []);
  });

  it('.dockerignore files, also BuildKit per-Dockerfile ones, get patterns and the dockerignore kind', () => {
    assert.deepEqual(dockerignoreFacts('# comment\n.git\n\n  node_modules/  \r\n!keep.env\n').patterns, ['.git', 'node_modules/', '!keep.env']);
    for (const name of ['.dockerignore', 'Dockerfile.dockerignore', 'api.Dockerfile.dockerignore', 'svc/Dockerfile.prod.dockerignore']) {
      const f = extractFacts(name, '.git\n');
      assert.deepEqual(f.kinds, ['dockerignore'], name);
      assert.deepEqual(f.dockerignore?.patterns, ['.git'], name);
      assert.equal(f.dockerfile, undefined, name);
    }
  });

  it('bad input: huge lines and many instructions parse quickly or are refused', () => {
    const t0 = Date.now();
    parse('FROM alpine:3.19\nRUN ' + 'a'.repeat(250_000) + '\n');
    parse('FROM alpine:3.19\n' + 'ENV A=1 \\\n'.repeat(20_000) + 'B=2\n');
    parse('FROM alpine:3.19\n' + 'RUN echo hi\n'.repeat(20_000));
    assert.ok(Date.now() - t0 < 20_000);
    const huge = parse('FROM alpine:3.19\nRUN ' + 'a '.repeat(200_000) + '\n');
    assert.match(huge.errors[0]!.message, /larger than/);
    assert.deepEqual(huge.facts.stages, []);
  });

  it('docker/dev-command tells development servers from production commands', () => {
    const dev: [string, string][] = [
      ['flask run --host=0.0.0.0', 'flask run'],
      ['python -m flask run', 'flask run'],
      ['python3 -m uvicorn app:app --reload', 'uvicorn --reload'],
      ['uvicorn app:app --reload-dir=src --reload', 'uvicorn --reload'],
      ['gunicorn --reload app:app', 'gunicorn --reload'],
      ['fastapi dev main.py', 'fastapi dev'],
      ['python manage.py runserver 0.0.0.0:8000', 'manage.py runserver'],
      ['nodemon src/index.js', 'nodemon'],
      ['npx nodemon', 'nodemon'],
      ['npm run dev', 'npm run dev'],
      ['npm run start:dev', 'npm run start:dev'],
      ['yarn dev', 'yarn dev'],
      ['pnpm run dev', 'pnpm run dev'],
      ['next dev -p 3000', 'next dev'],
      ['next', 'next dev'],
      ['ng serve --host 0.0.0.0', 'ng serve'],
      ['vite --host', 'vite (dev server)'],
      ['vite preview --port 8080', 'vite preview'],
      ['webpack-dev-server --mode development', 'webpack-dev-server'],
      ['ts-node-dev src/main.ts', 'ts-node-dev'],
      ['node --watch server.js', 'node --watch'],
      ['exec env PORT=3000 dumb-init -- npm run dev', 'npm run dev'],
      ['gosu app npm run dev', 'npm run dev'],
    ];
    for (const [line, what] of dev) assert.equal(devServer(line.split(' ')), what, line);
    for (const line of ['python app.py', 'gunicorn app:app', 'uvicorn app:app --host 0.0.0.0', 'npm start', 'node dist/server.js', 'vite build', 'next start', 'yarn start', 'flask db upgrade', 'python manage.py migrate']) {
      assert.equal(devServer(line.split(' ')), undefined, line);
    }
  });

  it('docker/dockerignore matches patterns the way Docker does', () => {
    const yes: [string[], string][] = [
      [['.git'], '.git/'],
      [['.git/'], '.git/'],
      [['/.git'], '.git/'],
      [['./.git'], '.git/'],
      [['.git/**'], '.git/'],
      [['**/.git'], '.git/'],
      [['*'], '.git/'],
      [['*', '!src'], '.env'],
      [['.env*', '!.env.example'], '.env'],
      [['**/node_modules'], 'node_modules/'],
      [['node_modules/'], 'node_modules/'],
      [['.v*'], '.venv/'],
    ];
    for (const [patterns, probe] of yes) assert.equal(isExcluded(patterns, probe), true, `${patterns.join(' ')} excludes ${probe}`);
    const no: [string[], string][] = [
      [[], '.git/'],
      [['.gitignore'], '.git/'],
      [['src/.git'], '.git/'],
      [['.env', '!.env'], '.env'],
      [['*', '!.env*'], '.env'],
      [['node_modules/*/x'], 'node_modules/'],
      [['[invalid'], '.env'],
    ];
    for (const [patterns, probe] of no) assert.equal(isExcluded(patterns, probe), false, `${patterns.join(' ')} keeps ${probe}`);
  });
});
