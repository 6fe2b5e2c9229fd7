// The compose helpers: interpolation, projects and overlays, environment, ports, volumes,
// build context, database images, one-off commands, and the fix writers.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import composeSecretInEnv, { causeOf, variableFor } from '../rules/compose/secret-in-env';
import {
  bindToLoopback,
  buildOf,
  composeProjects,
  composeServices,
  databaseOf,
  databaseOfImage,
  envEntries,
  firstContainerPort,
  interpolationsOf,
  literalDefaults,
  mounts,
  notLongRunning,
  oneOffCommand,
  parseShortPort,
  parseShortVolume,
  portItems,
  publishesOnAllInterfaces,
  resolveInterpolation,
} from '../rules/lib/compose';
import { appendItem, replaceScalar } from '../rules/lib/compose-edit';
import { analyseText } from '../server/src/engine/extract';
import { applyEdits } from '../server/src/engine/text';
import type { SourceFile } from '../server/src/engine/types';
import { runFixture } from './harness';

function sourceFile(p: string, text: string): SourceFile {
  const { hash, facts } = analyseText(p, text);
  return { root: '.', path: p, absPath: '/' + p, hash, size: text.length, facts };
}

function services(files: Record<string, string>): ReturnType<typeof composeServices> {
  return composeServices(Object.entries(files).map(([p, t]) => sourceFile(p, t)));
}

function only(files: Record<string, string>): ReturnType<typeof composeServices>[number] {
  const all = services(files);
  assert.equal(all.length, 1);
  return all[0]!;
}

describe('compose helpers', () => {
  describe('interpolation', () => {
    it('finds ${VAR}, $VAR and every operator, and honours $$', () => {
      assert.deepEqual(
        interpolationsOf('a ${A} $B ${C:-x} ${D-y} ${E:?err} ${F?e} ${G:+alt} ${H+h} $$I').map((i) => [i.name, i.op, i.arg]),
        [['A', '', ''], ['B', '', ''], ['C', ':-', 'x'], ['D', '-', 'y'], ['E', ':?', 'err'], ['F', '?', 'e'], ['G', ':+', 'alt'], ['H', '+', 'h']],
      );
      assert.deepEqual(interpolationsOf('pa$$word'), []);
      assert.deepEqual(interpolationsOf('${not closed'), []);
      assert.deepEqual(interpolationsOf('$5 and $ alone'), []);
    });
    it('resolves defaults, nested ones too, and leaves unset variables to the caller', () => {
      assert.equal(resolveInterpolation('${HOST:-localhost}:${PORT}'), 'localhost:');
      assert.equal(resolveInterpolation('${A:-${B:-deep}}'), 'deep');
      assert.equal(resolveInterpolation('${A}/x', (n) => `<${n}>`), '<A>/x');
      assert.equal(resolveInterpolation('pa$$word'), 'pa$word');
    });
    it('lists literal defaults and alternatives, not errors or empty defaults', () => {
      assert.deepEqual(literalDefaults('${A:-one} ${B:?two} ${C:-} ${D+four} ${E}'), ['one', 'four']);
    });
  });

  describe('projects and overlays', () => {
    const base = 'services:\n  api:\n    image: a:1\n    ports: ["80:80"]\n    environment: [A=1, B=2]\n';
    const override = 'services:\n  api:\n    restart: always\n    ports: ["81:81"]\n    environment: {B: "3"}\n  extra:\n    image: e:1\n';
    const prod = 'services:\n  api:\n    restart: unless-stopped\n    deploy: {resources: {limits: {memory: 1G}}}\n';
    it('merges overlays onto the base in compose order: override first, then by name', () => {
      const files = [sourceFile('app/docker-compose.prod.yml', prod), sourceFile('app/docker-compose.yml', base), sourceFile('app/docker-compose.override.yml', override)];
      const [p] = composeProjects(files);
      assert.deepEqual(p!.files.map((f) => f.path), ['app/docker-compose.yml', 'app/docker-compose.override.yml', 'app/docker-compose.prod.yml']);
      const api = p!.services.find((s) => s.name === 'api')!;
      assert.equal(api.file.path, 'app/docker-compose.yml');
      assert.equal(api.key, 'app/docker-compose.yml#service/api');
      assert.equal(api.value.restart, 'unless-stopped');
      assert.deepEqual(api.value.ports, ['80:80', '81:81']);
      assert.deepEqual(api.value.environment, { A: '1', B: '3' });
      assert.deepEqual(api.layers.map((l) => l.file.path), ['app/docker-compose.yml', 'app/docker-compose.override.yml', 'app/docker-compose.prod.yml']);
      const extra = p!.services.find((s) => s.name === 'extra')!;
      assert.equal(extra.file.path, 'app/docker-compose.override.yml');
    });
    it('keeps directories apart, and lets files without a base (or a second base) stand alone', () => {
      const ps = composeProjects([sourceFile('a/compose.yaml', base), sourceFile('a/docker-compose.yml', base), sourceFile('b/docker-compose.prod.yml', prod), sourceFile('c/compose.yaml', base)]);
      assert.deepEqual(ps.map((p) => p.files.map((f) => f.path)), [['a/compose.yaml'], ['a/docker-compose.yml'], ['b/docker-compose.prod.yml'], ['c/compose.yaml']]);
    });
    it('folds extends in, from the same file or a named compose file, which is then no overlay', () => {
      const common = 'services:\n  base:\n    image: b:1\n    healthcheck: {test: [CMD, "true"]}\n    volumes: [data:/data]\n';
      const main = 'services:\n  web:\n    extends: {file: docker-compose.common.yml, service: base}\n    image: w:1\n  worker:\n    extends: web\n  a: {extends: b, image: a}\n  b: {extends: a, image: b}\n';
      const ps = composeProjects([sourceFile('docker-compose.yml', main), sourceFile('docker-compose.common.yml', common)]);
      assert.deepEqual(ps.map((p) => p.files.map((f) => f.path)), [['docker-compose.common.yml'], ['docker-compose.yml']]);
      const byName = new Map(ps.flatMap((p) => p.services).map((x) => [x.name, x]));
      const web = byName.get('web')!;
      assert.equal(web.value.image, 'w:1');
      assert.deepEqual(web.value.healthcheck, { test: ['CMD', 'true'] });
      assert.deepEqual(mounts(web).map((m) => [m.source, m.target, m.layer.file.path]), [['data', '/data', 'docker-compose.common.yml']]);
      const worker = byName.get('worker')!;
      assert.equal(worker.value.image, 'w:1');
      assert.deepEqual(worker.inherited.map((l) => `${l.file.path}#${String(l.path[1])}`), ['docker-compose.common.yml#base', 'docker-compose.yml#web']);
      assert.equal(byName.get('a')!.value.image, 'a');
    });
    it('points at the service key, also for quoted keys', () => {
      const text = 'services:\n  "my-api":\n    image: a:1\n';
      const s = only({ 'docker-compose.yml': text });
      assert.equal(text.slice(s.keySpan.start, s.keySpan.end), '"my-api"');
    });
  });

  describe('long-running services', () => {
    const cases: [unknown, unknown, string | undefined][] = [
      [undefined, ['npx', 'prisma', 'migrate', 'deploy'], 'runs migrations'],
      [undefined, 'python manage.py migrate', 'runs migrations'],
      [undefined, 'npm run migrate:latest', 'runs migrations'],
      [undefined, 'bundle exec rails db:migrate', 'runs migrations'],
      [undefined, 'alembic upgrade head', 'runs migrations'],
      [['npm', 'run'], 'db:seed', 'seeds data'],
      [undefined, 'pytest -q', 'runs tests'],
      [undefined, 'npm test', 'runs tests'],
      [undefined, 'sh -c "alembic upgrade head && uvicorn app:app"', undefined],
      [undefined, 'gunicorn app:app', undefined],
      [undefined, ['node', 'migrate-then-serve.js'], undefined],
      [undefined, undefined, undefined],
    ];
    for (const [entrypoint, command, why] of cases) it(`${JSON.stringify([entrypoint, command])} → ${why ?? 'long-running'}`, () => assert.equal(oneOffCommand(entrypoint, command), why));
    it('takes restart: "no" and restart_policy none as not long-running', () => {
      assert.equal(notLongRunning(only({ 'compose.yaml': 'services:\n  a:\n    image: x\n    restart: "no"\n' })), 'restart: "no"');
      assert.equal(notLongRunning(only({ 'compose.yaml': 'services:\n  a:\n    image: x\n    deploy: {restart_policy: {condition: none}}\n' })), 'deploy.restart_policy.condition: none');
      assert.equal(notLongRunning(only({ 'compose.yaml': 'services:\n  a:\n    image: x\n' })), undefined);
    });
  });

  describe('environment', () => {
    it('reads both forms with spans at the value or the item', () => {
      const text = 'services:\n  a:\n    environment:\n      A: one\n      B:\n      C: 3\n  b:\n    environment:\n      - D=four=4\n      - E\n';
      const [a, b] = services({ 'docker-compose.yml': text });
      const show = (s: typeof a): unknown[] => envEntries(s!.layers[0]!).map((e) => [e.name, e.value, e.form, text.slice(e.span.start, e.span.end), e.exact]);
      assert.deepEqual(show(a), [['A', 'one', 'map', 'one', true], ['B', undefined, 'map', '', true], ['C', '3', 'map', '3', true]]);
      assert.deepEqual(show(b), [['D', 'four=4', 'list', 'D=four=4', true], ['E', undefined, 'list', 'E', true]]);
    });
  });

  describe('ports', () => {
    const cases: [string, ReturnType<typeof parseShortPort>][] = [
      ['5432', { target: '5432' }],
      ['5432:5432', { published: '5432', target: '5432' }],
      ['127.0.0.1:5432:5432', { hostIp: '127.0.0.1', published: '5432', target: '5432' }],
      ['127.0.0.1::5432', { hostIp: '127.0.0.1', published: '', target: '5432' }],
      ['[::1]:6001:6001/udp', { hostIp: '::1', published: '6001', target: '6001' }],
      ['${PG_PORT:-5432}:5432', { published: '${PG_PORT:-5432}', target: '5432' }],
      ['9090-9091:8080-8081', { published: '9090-9091', target: '8080-8081' }],
    ];
    for (const [spec, parsed] of cases) it(`parses ${spec}`, () => assert.deepEqual(parseShortPort(spec), parsed));

    it('tells ports on all interfaces from bound ones', () => {
      const text = [
        'services:',
        '  db:',
        '    image: postgres:16',
        '    ports:',
        '      - 5432',
        '      - "5432:5432"',
        '      - "0.0.0.0:5433:5432"',
        '      - "[::]:5434:5432"',
        '      - "127.0.0.1:5435:5432"',
        '      - "[::1]:5436:5432"',
        '      - "localhost:5437:5432"',
        '      - "10.0.0.5:5438:5432"',
        '      - "${BIND:-0.0.0.0}:5439:5432"',
        '      - "${BIND}:5440:5432"',
        '      - "${BIND:-127.0.0.1}:5441:5432"',
        '      - {target: 5432}',
        '      - {target: 5432, host_ip: "::"}',
        '      - {target: 5432, host_ip: 127.0.0.1}',
        '',
      ].join('\n');
      const s = only({ 'docker-compose.yml': text });
      assert.deepEqual(portItems(s.layers[0]!).map(publishesOnAllInterfaces), [true, true, true, true, false, false, false, false, true, false, false, true, true, false]);
    });

    const binds: [string, string | undefined][] = [
      ['5432', '127.0.0.1::5432'],
      ['5432:5432', '127.0.0.1:5432:5432'],
      ['0.0.0.0:5432:5432', '127.0.0.1:5432:5432'],
      ['[::]:5432:5432/tcp', '127.0.0.1:5432:5432/tcp'],
      ['${PG_PORT:-5432}:5432', '127.0.0.1:${PG_PORT:-5432}:5432'],
      ['${BIND:-0.0.0.0}:5432:5432', undefined],
    ];
    for (const [spec, bound] of binds) it(`binds ${spec} → ${String(bound)}`, () => assert.equal(bindToLoopback(spec), bound));

    it('finds the first container port in ports, else expose', () => {
      assert.equal(firstContainerPort({ ports: ['127.0.0.1:8080:3000/tcp'] }), 3000);
      assert.equal(firstContainerPort({ ports: [{ target: 9000 }] }), 9000);
      assert.equal(firstContainerPort({ expose: ['8000-8010'] }), 8000);
      assert.equal(firstContainerPort({ expose: ['${PORT:-7000}'] }), 7000);
      assert.equal(firstContainerPort({}), undefined);
    });
  });

  describe('volumes', () => {
    it('parses the short syntax', () => {
      assert.deepEqual(parseShortVolume('/data/db'), { target: '/data/db' });
      assert.deepEqual(parseShortVolume('db-data:/var/lib/postgresql/data:rw'), { source: 'db-data', target: '/var/lib/postgresql/data' });
      assert.deepEqual(parseShortVolume('${DATA_DIR:-./data}:/data'), { source: '${DATA_DIR:-./data}', target: '/data' });
      assert.deepEqual(parseShortVolume('C:\\data:/data'), { source: 'C:\\data', target: '/data' });
    });
    it('classifies named, bind, anonymous and tmpfs mounts in both syntaxes', () => {
      const text = [
        'services:',
        '  db:',
        '    image: postgres:16',
        '    volumes:',
        '      - db-data:/a/',
        '      - ./data:/b',
        '      - ~/c:/c',
        '      - /d',
        '      - {type: volume, target: /e}',
        '      - {type: volume, source: named, target: /f}',
        '      - {type: bind, source: ./g, target: /g}',
        '      - {type: tmpfs, target: /h}',
        '    tmpfs: /i:size=64m',
        '',
      ].join('\n');
      const s = only({ 'docker-compose.yml': text });
      assert.deepEqual(
        mounts(s).map((m) => [m.type, m.target]),
        [['volume', '/a'], ['bind', '/b'], ['bind', '/c'], ['anonymous', '/d'], ['anonymous', '/e'], ['volume', '/f'], ['bind', '/g'], ['tmpfs', '/h'], ['tmpfs', '/i']],
      );
    });
  });

  describe('build', () => {
    const build = (b: string, file = 'deploy/docker-compose.yml'): ReturnType<typeof buildOf> => buildOf(only({ [file]: `services:\n  a:\n    build: ${b}\n` }));
    it('resolves the Dockerfile relative to the compose file and the context', () => {
      assert.deepEqual(build('.'), { dockerfile: 'deploy/Dockerfile', target: undefined });
      assert.deepEqual(build('../api'), { dockerfile: 'api/Dockerfile', target: undefined });
      assert.deepEqual(build('{context: ./svc, dockerfile: docker/Dockerfile.prod, target: runtime}'), { dockerfile: 'deploy/svc/docker/Dockerfile.prod', target: 'runtime' });
      assert.deepEqual(build('{dockerfile: ../Dockerfile}', 'docker-compose.yml'), { unresolved: 'a build context outside the scanned root (.)', target: undefined });
      assert.ok(build('https://github.com/example/app.git#main')?.unresolved?.startsWith('a remote build context'));
      assert.ok(build('{dockerfile_inline: "FROM alpine"}')?.unresolved?.includes('inline'));
      assert.equal(buildOf(only({ 'compose.yaml': 'services:\n  a:\n    image: x\n' })), undefined);
    });
  });

  describe('database images', () => {
    const kinds: [string, string | undefined][] = [
      ['postgres', 'postgres'],
      ['postgres:16.4-alpine', 'postgres'],
      ['docker.io/library/postgres:16', 'postgres'],
      ['public.ecr.aws/docker/library/postgres:16@sha256:0000', 'postgres'],
      ['postgis/postgis:16-3.4', 'postgres'],
      ['bitnami/postgresql:16', 'postgres'],
      ['registry.example.test:5000/mirror/mysql:8.4', 'mysql'],
      ['mariadb:11.4', 'mariadb'],
      ['mongo:7', 'mongo'],
      ['bitnami/mongodb:7.0', 'mongo'],
      ['redis/redis-stack-server:7.2.0-v11', 'redis'],
      ['valkey/valkey:8', 'redis'],
      ['docker.elastic.co/elasticsearch/elasticsearch:8.15.0', 'elasticsearch'],
      ['mcr.microsoft.com/mssql/server:2022-latest', 'mssql'],
      ['clickhouse/clickhouse-server:24.8', 'clickhouse'],
      ['postgres:${PG_VERSION:-16}', 'postgres'],
      ['${REGISTRY:-docker.io}/redis:7', 'redis'],
      ['registry.example.test/postgres-exporter:0.15', undefined],
      ['node:20', undefined],
      ['', undefined],
    ];
    for (const [image, kind] of kinds) it(`${JSON.stringify(image)} → ${kind ?? 'none'}`, () => assert.equal(databaseOfImage(image)?.kind, kind));

    it('knows where each keeps its data', () => {
      const dirs = (image: string, env = ''): string[] | undefined => databaseOf(only({ 'compose.yaml': `services:\n  db:\n    image: "${image}"\n${env}` }))?.dataDirs;
      assert.deepEqual(dirs('postgres:16.4'), ['/var/lib/postgresql/data']);
      assert.deepEqual(dirs('postgres:18-alpine'), ['/var/lib/postgresql']);
      assert.deepEqual(dirs('postgres:alpine'), ['/var/lib/postgresql', '/var/lib/postgresql/data']);
      assert.deepEqual(dirs('postgres:16', '    environment: [PGDATA=/pgdata/]\n'), ['/var/lib/postgresql/data', '/pgdata']);
      assert.deepEqual(dirs('bitnami/redis:7.4'), ['/bitnami/redis']);
      assert.deepEqual(dirs('memcached:1.6'), []);
    });
  });

  describe('fix writers', () => {
    const apply = (text: string, f: (doc: ReturnType<typeof parseDocument>) => { start: number; end: number; newText: string; file: string }[]): string => {
      const doc = parseDocument(text);
      return applyEdits(text, f(doc));
    };
    it('appends to block and flow sequences, fills an empty key and creates a missing one', () => {
      const at = (text: string): string => apply(text, (doc) => appendItem(text, 'f', doc as never, ['s', 'v'], 'x:/y'));
      assert.equal(at('s:\n  v:\n  - a # one\n  - b\nt: 1\n'), 's:\n  v:\n  - a # one\n  - b\n  - x:/y\nt: 1\n');
      assert.equal(at('s:\n  v: [a, "b"]\n'), 's:\n  v: [a, "b", x:/y]\n');
      assert.equal(at('s:\n  v: []\n'), 's:\n  v: [x:/y]\n');
      assert.equal(at('s:\n  v: # later\n  w: 1\n'), 's:\n  v: # later\n    - x:/y\n  w: 1\n');
      assert.equal(at('s:\n  v: ~\n'), 's:\n  v:\n    - x:/y\n');
      assert.equal(at('s:\n  w: 1\n'), 's:\n  w: 1\n  v:\n    - x:/y\n');
      assert.equal(at('s:\n  v: text\n'), 's:\n  v: text\n');
    });
    it('replaces scalars keeping their quotes, and quotes where flow style needs it', () => {
      const rep = (text: string, p: (string | number)[], v: string, quote = false): string => apply(text, (doc) => [replaceScalar(text, 'f', doc as never, p, v, quote)!]);
      assert.equal(rep('a: "x" # c\n', ['a'], '${A}'), 'a: "${A}" # c\n');
      assert.equal(rep("a: 'x'\n", ['a'], '${A}'), "a: '${A}'\n");
      assert.equal(rep('a: x\n', ['a'], '${A}'), 'a: ${A}\n');
      assert.equal(rep('a: {b: x}\n', ['a', 'b'], '${B}'), 'a: {b: "${B}"}\n');
      assert.equal(rep('a: [5432]\n', ['a', 0], '127.0.0.1::5432', true), 'a: ["127.0.0.1::5432"]\n');
      assert.equal(rep('a: |\n  x\nb: 1\n', ['a'], '${A}'), 'a: ${A}\nb: 1\n');
    });
  });

  describe('compose/secret-in-env causes', () => {
    const cases: [string, string, string | undefined][] = [
      ['DB_PASSWORD', 'hunter2-but-longer', 'literal'],
      ['DB_PASSWORD', 'pa$$word', 'literal'],
      ['DB_PASSWORD', '${DB_PASSWORD}', undefined],
      ['DB_PASSWORD', '$DB_PASSWORD', undefined],
      ['DB_PASSWORD', '${DB_PASSWORD:?required}', undefined],
      ['DB_PASSWORD', '${DB_PASSWORD:-}', undefined],
      ['DB_PASSWORD', '${DB_PASSWORD:-s3cr3t-default}', 'literalDefault'],
      ['DB_PASSWORD', '${DB_PASSWORD-s3cr3t-default}', 'literalDefault'],
      ['DB_PASSWORD', '${DB_PASSWORD:-changeme}', undefined],
      ['DB_PASSWORD', '${DB_PASSWORD:-${FALLBACK}}', undefined],
      ['DB_PASSWORD', 'changeme', 'placeholder'],
      ['DB_PASSWORD', '<your-password>', 'placeholder'],
      ['DB_PASSWORD', '', undefined],
      ['CREDENTIALS_FILE', 'x', undefined],
      ['GOOGLE_APPLICATION_CREDENTIALS', '/run/secrets/gcp_key', undefined],
      ['DATABASE_URL', 'postgres://u:pw-0000@db/x', 'connectionPassword'],
      ['DATABASE_URL', 'postgres://u:pw-0000@${DB_HOST}/x', 'connectionPassword'],
      ['DATABASE_URL', 'postgres://u:${DB_PASSWORD}@db/x', undefined],
      ['DATABASE_URL', 'postgres://u:${DB_PASSWORD:-pw-0000}@db/x', 'literalDefault'],
      ['DATABASE_URL', '${DATABASE_URL:-postgres://u:pw-0000@db/x}', 'literalDefault'],
      ['DATABASE_URL', '${DATABASE_URL:-postgres://u:changeme@db/x}', undefined],
      ['DATABASE_URL', 'postgres://u:changeme@db/x', 'placeholder'],
      ['DATABASE_URL', 'postgres://db/x', undefined],
      ['LOG_LEVEL', 'debug', undefined],
    ];
    for (const [name, value, cause] of cases) it(`${name}=${value} → ${cause ?? 'fine'}`, () => assert.equal(causeOf(name, value), cause));
    it('interpolates names compose can interpolate, and a safe form of others', () => {
      assert.equal(variableFor('DB_PASSWORD'), 'DB_PASSWORD');
      assert.equal(variableFor('api.signing-key'), 'API_SIGNING_KEY');
      assert.equal(variableFor('1st-token'), '_1ST_TOKEN');
      assert.equal(variableFor('...'), 'SECRET');
    });
    it('never puts a value in a message, and reports placeholders at info', async () => {
      const fixture = path.join(__dirname, 'rules', 'compose', 'secret-in-env', 'invalid');
      const run = await runFixture(fixture, [composeSecretInEnv]);
      const findings = run.outcome.findings;
      assert.ok(findings.length > 5);
      for (const f of findings) {
        const text = run.files.get(f.file)!;
        const raw = text.slice(f.span.start, f.span.end).replace(/^["']|["']$/g, '');
        const value = raw.includes('=') && !raw.includes('://') ? raw.slice(raw.indexOf('=') + 1) : raw;
        assert.ok(!f.message.includes(value), `message leaks the value: ${f.message}`);
        assert.ok(!/hunter2|s3cr3t|b1ll1ng|r3pl1ca|w0rk3r|c4ch3|k3y-m4t|r3p0rt/.test(f.message), `message leaks a value: ${f.message}`);
        assert.equal(f.severity, f.messageId === 'placeholder' ? 'info' : 'error', f.message);
      }
      assert.ok(findings.some((f) => f.messageId === 'placeholder'));
    });
  });
});
