// Manifest facts: package.json, requirements files, pyproject.toml and Pipfile give their
// dependencies with exact spans; bad input gives an error entry, never a throw; services
// are detected from these facts.
import * as assert from 'node:assert/strict';
import { extractFacts } from '../server/src/engine/extract';
import { isPinnedSpec, manifestFacts, type ManifestDep, type ManifestFacts } from '../server/src/engine/parse/manifest';
import { detectServices } from '../server/src/engine/services';
import type { SourceFile } from '../server/src/engine/types';

function facts(path: string, text: string): ManifestFacts {
  const r = manifestFacts(path, text);
  assert.deepEqual(r.errors, []);
  assert.ok(r.facts);
  return r.facts;
}

/** Each dependency's name as its span cuts it out of the text. */
function spans(text: string, deps: readonly ManifestDep[]): string[] {
  return deps.map((d) => text.slice(d.span[0], d.span[1]));
}

describe('manifest facts', () => {
  describe('package.json', () => {
    const text = [
      '{',
      '  "name": "@acme/orders",',
      '  "main": "dist/server.js",',
      '  "scripts": { "start": "node dist/server.js", "test": "mocha" },',
      '  "dependencies": { "express": "^4.19.2", "pg": "8.11.3" },',
      '  "optionalDependencies": { "ioredis": "^5" },',
      '  "devDependencies": { "typescript": "~5.4" },',
      '  "workspaces": { "packages": ["packages/*"] }',
      '}',
    ].join('\n');

    it('reads names, dependencies with exact spans, scripts, workspaces and main', () => {
      const f = facts('svc/package.json', text);
      assert.equal(f.format, 'npm');
      assert.equal(f.name, '@acme/orders');
      assert.equal(f.main, 'dist/server.js');
      assert.deepEqual(f.dependencies.map((d) => [d.name, d.spec]), [['express', '^4.19.2'], ['pg', '8.11.3'], ['ioredis', '^5']]);
      assert.deepEqual(spans(text, f.dependencies), ['express', 'pg', 'ioredis']);
      assert.deepEqual(spans(text, f.devDependencies), ['typescript']);
      assert.deepEqual(f.scripts.map((s) => [s.name, text.slice(s.span[0], s.span[1])]), [['start', 'start'], ['test', 'test']]);
      assert.ok(!JSON.stringify(f).includes('node dist/server.js'), 'script commands are not kept');
      assert.equal(f.scripts.find((s) => s.name === 'start')?.startFile, 'dist/server.js', 'the start script keeps only the file it runs');
      assert.deepEqual(f.workspaces, ['packages/*']);
    });

    it('gives an error entry with an offset for invalid JSON, and for JSON that is not an object', () => {
      const bad = manifestFacts('package.json', '{ "name": "x", }');
      assert.equal(bad.facts, undefined);
      assert.equal(bad.errors.length, 1);
      assert.match(bad.errors[0]!.message, /^package\.json: invalid JSON/);
      assert.equal(bad.errors[0]!.offset, 15);
      assert.match(manifestFacts('package.json', '[1, 2]').errors[0]!.message, /not a JSON object/);
      assert.match(manifestFacts('package.json', '').errors[0]!.message, /invalid JSON/);
    });

    it('goes through extractFacts: the manifest is a fact and the error reaches the file errors', () => {
      assert.equal(extractFacts('package.json', text).manifest?.name, '@acme/orders');
      const broken = extractFacts('package.json', '{"dependencies": {"pg": }');
      assert.equal(broken.manifest, undefined);
      assert.equal(broken.errors.length, 1);
    });
  });

  describe('requirements files', () => {
    const text = [
      '# runtime',
      'Flask==3.0.2 \\',
      '    --hash=sha256:0f1e2d3c',
      'requests>=2.31  # loose on purpose',
      'uvicorn[standard] == 0.29.0 ; python_version >= "3.10"',
      'gunicorn==22.*',
      'psycopg @ https://example.test/psycopg-3.1.tar.gz',
      '-r base.txt',
      '--index-url https://pypi.example.test/simple',
      '-e ./libs/common#egg=common',
      '',
    ].join('\r\n');

    it('reads each requirement with its name span, specifier, pinning and hashes', () => {
      const f = facts('api/requirements.txt', text);
      assert.deepEqual(
        f.dependencies.map((d) => [d.name, d.spec ?? null, d.pinned, d.hashed ?? false]),
        [
          ['Flask', '==3.0.2', true, true],
          ['requests', '>=2.31', false, false],
          ['uvicorn', '== 0.29.0', true, false],
          ['gunicorn', '==22.*', false, false],
          ['psycopg', null, false, false],
          ['common', null, false, false],
        ],
      );
      assert.deepEqual(spans(text, f.dependencies), ['Flask', 'requests', 'uvicorn', 'gunicorn', 'psycopg', './libs/common#egg=common']);
      assert.deepEqual(f.includes.map((i) => [i.path, text.slice(i.span[0], i.span[1])]), [['base.txt', 'base.txt']]);
    });

    it('is read for requirements-*.txt names too, never for other .txt files', () => {
      assert.equal(extractFacts('requirements-dev.txt', 'pytest==8.1.1\n').manifest?.dependencies[0]?.name, 'pytest');
      assert.equal(extractFacts('notes.txt', 'pytest==8.1.1\n').manifest, undefined);
    });

    it('decides pinning as pip would install exactly one version', () => {
      assert.equal(isPinnedSpec('==1.2.3'), true);
      assert.equal(isPinnedSpec('===1.0-custom'), true);
      assert.equal(isPinnedSpec('(==1.0)'), true);
      assert.equal(isPinnedSpec('==1.*'), false);
      assert.equal(isPinnedSpec('>=1,<2'), false);
      assert.equal(isPinnedSpec('~=1.2'), false);
      assert.equal(isPinnedSpec(undefined), false);
    });

    it('keeps no URL credentials', () => {
      const f = facts('requirements.txt', '-e git+https://deploy:s3cr3tT0ken@git.example.test/acme/lib.git\n');
      assert.equal(f.dependencies.length, 1);
      assert.ok(!JSON.stringify(f).includes('s3cr3tT0ken'));
      const n = facts('package.json', '{"dependencies": {"lib": "git+https://deploy:s3cr3tT0ken@git.example.test/acme/lib.git"}}');
      assert.ok(!JSON.stringify(n).includes('s3cr3tT0ken'));
    });

    it('never throws on odd lines', () => {
      const f = facts('requirements.txt', '\\\n-r\n[extra]\n==1.0\n--hash\n#\n \\');
      assert.deepEqual(f.dependencies, []);
    });
  });

  describe('pyproject.toml and Pipfile', () => {
    const py = [
      '[project]',
      'name = "billing"',
      'dependencies = [',
      '  "fastapi>=0.110",',
      "  'SQLAlchemy==2.0.29',",
      ']',
      '',
      '[project.optional-dependencies]',
      'test = ["pytest>=8"]',
      '',
      '[project.scripts]',
      'billing = "billing.main:run"',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'alembic = { version = "1.13.1" }',
      '',
      '[tool.ruff]',
      'line-length = 100',
      '',
    ].join('\n');

    it('reads [project] and [tool.poetry] dependencies with exact spans', () => {
      const f = facts('billing/pyproject.toml', py);
      assert.equal(f.format, 'pyproject');
      assert.equal(f.name, 'billing');
      assert.deepEqual(f.dependencies.map((d) => [d.name, d.spec, d.pinned]), [['fastapi', '>=0.110', false], ['SQLAlchemy', '==2.0.29', true], ['alembic', '1.13.1', true]]);
      assert.deepEqual(spans(py, f.dependencies), ['fastapi', 'SQLAlchemy', 'alembic']);
      assert.deepEqual(spans(py, f.devDependencies), ['pytest']);
      assert.deepEqual(f.scripts.map((s) => [s.name, py.slice(s.span[0], s.span[1])]), [['billing', 'billing']]);
      assert.deepEqual(f.tools, ['poetry', 'ruff']);
    });

    it('reads Pipfile packages and dev-packages', () => {
      const text = '[packages]\ndjango = "==5.0.4"\n"psycopg2-binary" = "*"\n\n[dev-packages]\npytest = "*"\n';
      const f = facts('Pipfile', text);
      assert.deepEqual(f.dependencies.map((d) => [d.name, d.pinned]), [['django', true], ['psycopg2-binary', false]]);
      assert.deepEqual(spans(text, f.dependencies), ['django', 'psycopg2-binary']);
      assert.deepEqual(spans(text, f.devDependencies), ['pytest']);
    });

    it('gives an error entry with the offset of the problem for invalid TOML', () => {
      const text = '[project]\nname = "x"\ndependencies = [\n  "flask",\n';
      const r = manifestFacts('pyproject.toml', text);
      assert.equal(r.facts, undefined);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0]!.message, /^pyproject\.toml: invalid TOML/);
      assert.ok(r.errors[0]!.offset !== undefined && r.errors[0]!.offset >= text.indexOf('[\n') && r.errors[0]!.offset <= text.length);
      assert.match(manifestFacts('Pipfile', '[packages\n').errors[0]!.message, /^Pipfile: invalid TOML/);
    });
  });

  describe('services from manifest facts', () => {
    const file = (path: string, text: string): SourceFile => ({ root: '.', path, absPath: `/x/${path}`, hash: '', size: text.length, facts: extractFacts(path, text) });

    it('finds Node and Python services, not libraries, and a Dockerfile-only directory as a container', () => {
      const files = [
        file('apps/api/package.json', '{"name": "api", "main": "src/index.js", "dependencies": {"fastify": "^4"}}'),
        file('apps/worker/package.json', '{"name": "worker", "scripts": {"start": "node worker.js"}}'),
        file('libs/util/package.json', '{"name": "util", "dependencies": {"lodash": "^4"}, "peerDependencies": {"express": "^4"}}'),
        file('py/reports/pyproject.toml', '[project]\nname = "reports"\ndependencies = ["Django>=5"]\n'),
        file('py/tools/requirements.txt', 'requests==2.31.0\n'),
        file('py/tools/Dockerfile', 'FROM python:3.12-slim\n'),
        file('broken/package.json', '{"dependencies": '),
      ];
      const services = detectServices(files, 'repo');
      assert.deepEqual(
        services.map((s) => [s.name, s.root, s.kind, s.manifest, s.entry ?? null]),
        [
          ['api', 'apps/api', 'node', 'apps/api/package.json', 'apps/api/src/index.js'],
          ['worker', 'apps/worker', 'node', 'apps/worker/package.json', null],
          ['reports', 'py/reports', 'python', 'py/reports/pyproject.toml', null],
          ['tools', 'py/tools', 'container', 'py/tools/Dockerfile', null],
        ],
      );
    });
  });
});
