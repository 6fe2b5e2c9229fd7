// `.readiness.yaml`: valid settings, every kind of problem at the offending key's line and
// column, loading from a root or --config, the engine's use of it, and the generated JSON
// schema (current, and agreeing with the zod schema it comes from).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { allRules } from '../rules/index';
import { renderSchema, SCHEMA_PATH } from '../scripts/gen-schema';
import { CONFIG_FILE_NAME, DEFAULT_MAX_FILE_SIZE, defaultConfig, loadConfig, parseConfigText, parsePublicRoute, type ConfigIssue } from '../server/src/engine/config';
import { ConfigError, scan } from '../server/src/engine/index';
import { defineRule } from '../server/src/engine/rule';

const FIXTURES = path.join(__dirname, 'fixtures', 'config');
const RULE_IDS: ReadonlySet<string> = new Set(allRules.map((r) => r.meta.id));
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** The issues as `key @line:column message`, the form that is easiest to read in a diff. */
function brief(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => `${i.key} @${i.line}:${i.column} ${i.message}`);
}

function issuesOf(text: string, ids: ReadonlySet<string> | undefined = RULE_IDS): string[] {
  return brief(parseConfigText(text, 'cfg.yaml', ids).issues);
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-config-'));
}

describe('config: valid files', () => {
  it('reads every setting of a valid file', () => {
    const loaded = parseConfigText(fixture('valid.readiness.yaml'), 'valid.readiness.yaml', RULE_IDS);
    assert.deepEqual(loaded.issues, []);
    assert.deepEqual(loaded.config, {
      rules: { 'k8s/probes': 'off', 'k8s/replicas': 'warning', 'meta/suppression-reason': 'error' },
      include: ['vendor/our-lib/**'],
      ignore: ['examples/**', '**/*.generated.ts'],
      maxFileSize: 2097152,
      publicRoutes: ['/webhooks/**', 'POST /public/signup', 'get /status'],
      authGuards: ['requireSession', 'verify_api_key'],
      weights: { security: 40, documentation: 0 },
      failUnder: 80,
    });
  });

  it('treats an empty file, a comment-only file and a bare key as defaults', () => {
    for (const text of ['', '\n\n', '# nothing configured yet\n', '---\n', 'rules:\n  # k8s/probes: off\n']) {
      const loaded = parseConfigText(text, 'cfg.yaml', RULE_IDS);
      assert.deepEqual(loaded.issues, [], JSON.stringify(text));
      assert.deepEqual(loaded.config, defaultConfig(), JSON.stringify(text));
    }
    assert.equal(defaultConfig().maxFileSize, DEFAULT_MAX_FILE_SIZE);
  });

  it('accepts any rule id when no catalogue is given', () => {
    const loaded = parseConfigText('rules:\n  custom/rule: info\n', 'cfg.yaml');
    assert.deepEqual(loaded.issues, []);
    assert.deepEqual(loaded.config.rules, { 'custom/rule': 'info' });
  });

  it('splits public routes into method and path glob', () => {
    assert.deepEqual(parsePublicRoute('/webhooks/**'), { path: '/webhooks/**' });
    assert.deepEqual(parsePublicRoute('post /webhooks/**'), { method: 'POST', path: '/webhooks/**' });
    assert.deepEqual(parsePublicRoute('ALL /health'), { path: '/health' });
    assert.deepEqual(parsePublicRoute('* /health'), { path: '/health' });
  });
});

describe('config: problems point at the key', () => {
  it('reports every problem of a file, in file order, with the exact key, line and column', () => {
    const loaded = parseConfigText(fixture('invalid.readiness.yaml'), 'invalid.readiness.yaml', RULE_IDS);
    assert.deepEqual(brief(loaded.issues), [
      'rules.k8s/probes @2:3 expected one of off, info, warning, error, got "sometimes"',
      "rules.k8s/prob @3:3 unknown rule id 'k8s/prob'; did you mean 'k8s/probes'?",
      'include @5:1 expected a list, got "src/**"',
      'maxFileSize @6:1 must be greater than 0',
      'publicRoutes[1] @9:5 expected a path glob starting with "/" like "/webhooks/**", optionally after an HTTP method: "POST /webhooks/**"',
      "weights.secuirty @11:3 unknown category 'secuirty' (expected one of security, resilience, observability, data, scalability, delivery, documentation); did you mean 'security'?",
      'weights.data @12:3 must be at least 0',
      'failUnder @14:1 must be at most 100',
      "colour @15:1 unknown setting 'colour' (expected one of rules, include, ignore, maxFileSize, publicRoutes, authGuards, weights, failUnder)",
    ]);
    for (const issue of loaded.issues) assert.equal(issue.file, 'invalid.readiness.yaml');
    // The valid rest of the file still applies.
    assert.deepEqual(loaded.config.rules, { 'k8s/replicas': 'warning' });
    assert.deepEqual(loaded.config.publicRoutes, ['/webhooks/**']);
    assert.deepEqual(loaded.config.weights, { delivery: 4 });
    assert.equal(loaded.config.maxFileSize, DEFAULT_MAX_FILE_SIZE);
    assert.equal(loaded.config.failUnder, undefined);
  });

  it('gives the end of the offending key too', () => {
    const [issue] = parseConfigText('rules:\n  k8s/probes: sometimes\n', 'cfg.yaml', RULE_IDS).issues;
    assert.deepEqual(issue, {
      file: 'cfg.yaml',
      key: 'rules.k8s/probes',
      line: 2,
      column: 3,
      endLine: 2,
      endColumn: 13,
      message: 'expected one of off, info, warning, error, got "sometimes"',
    });
  });

  it('rejects levels that are not off, info, warning or error', () => {
    assert.deepEqual(issuesOf('rules:\n  k8s/probes: true\n  k8s/replicas:\n'), [
      'rules.k8s/probes @2:3 expected one of off, info, warning, error, got true',
      'rules.k8s/replicas @3:3 expected one of off, info, warning, error, got nothing',
    ]);
    assert.deepEqual(issuesOf('rules: [k8s/probes]\n'), ['rules @1:1 expected a mapping, got a list']);
  });

  it('rejects unknown top-level keys, suggesting the nearest', () => {
    assert.deepEqual(issuesOf('failunder: 50\n'), [
      "failunder @1:1 unknown setting 'failunder' (expected one of rules, include, ignore, maxFileSize, publicRoutes, authGuards, weights, failUnder); did you mean 'failUnder'?",
    ]);
  });

  it('rejects unknown rule ids when the catalogue is known', () => {
    assert.deepEqual(issuesOf('rules:\n  docker/nonexistent: off\n'), ["rules.docker/nonexistent @2:3 unknown rule id 'docker/nonexistent'"]);
  });

  it('rejects unknown categories and negative weights', () => {
    assert.deepEqual(issuesOf('weights: {security: 10, speed: 3}\n'), [
      "weights.speed @1:25 unknown category 'speed' (expected one of security, resilience, observability, data, scalability, delivery, documentation)",
    ]);
    assert.deepEqual(issuesOf('weights:\n  resilience: -0.5\n  data: "x"\n'), ['weights.resilience @2:3 must be at least 0', 'weights.data @3:3 expected a number, got "x"']);
  });

  it('checks numbers: maxFileSize a positive whole number of bytes, failUnder within 0..100', () => {
    assert.deepEqual(issuesOf('maxFileSize: 1.5\n'), ['maxFileSize @1:1 expected a whole number, got 1.5']);
    assert.deepEqual(issuesOf('maxFileSize: 1MB\n'), ['maxFileSize @1:1 expected a number, got "1MB"']);
    assert.deepEqual(issuesOf('maxFileSize: -10\n'), ['maxFileSize @1:1 must be greater than 0']);
    assert.deepEqual(issuesOf('failUnder: -1\n'), ['failUnder @1:1 must be at least 0']);
    assert.deepEqual(issuesOf('failUnder: 100\n'), []);
    assert.deepEqual(issuesOf('failUnder: 0\n'), []);
  });

  it('checks lists: globs, public routes and guard names are non-empty strings', () => {
    assert.deepEqual(issuesOf('ignore:\n  - dist/**\n  - 42\n  - ""\n'), ['ignore[1] @3:5 expected a string, got 42', 'ignore[2] @4:5 must not be empty']);
    assert.deepEqual(issuesOf('authGuards: [requireAuth, ""]\n'), ['authGuards[1] @1:27 must not be empty']);
    assert.deepEqual(issuesOf('publicRoutes: ["/ok", "GET /ok/**", "delete /x", "FETCH /x", "/has space"]\n'), [
      'publicRoutes[3] @1:50 expected a path glob starting with "/" like "/webhooks/**", optionally after an HTTP method: "POST /webhooks/**"',
      'publicRoutes[4] @1:62 expected a path glob starting with "/" like "/webhooks/**", optionally after an HTTP method: "POST /webhooks/**"',
    ]);
  });

  it('reports a file that is not a mapping', () => {
    assert.deepEqual(issuesOf('- rules\n'), [
      ' @1:1 expected a mapping of settings (rules, include, ignore, maxFileSize, publicRoutes, authGuards, weights, failUnder), got a list',
    ]);
  });

  it('reports YAML syntax errors at their position, and keeps no setting', () => {
    const loaded = parseConfigText('rules:\n  k8s/probes: off\nignore: [dist/**\nfailUnder: 50\n', 'cfg.yaml', RULE_IDS);
    assert.equal(loaded.issues.length > 0, true);
    const [first] = loaded.issues;
    assert.equal(first!.key, '');
    assert.match(first!.message, /^invalid YAML: /);
    assert.ok(first!.line >= 3, `the error is at or after the unclosed flow sequence (line ${first!.line})`);
    assert.deepEqual(loaded.config, defaultConfig());

    assert.deepEqual(issuesOf('rules:\n\tk8s/probes: off\n').map((s) => s.slice(0, 19)), [' @2:1 invalid YAML:']);
  });

  it('reports duplicate keys at the second occurrence', () => {
    assert.deepEqual(issuesOf('weights:\n  data: 2\n  data: 3\n'), ["weights.data @3:3 duplicate key 'data'"]);
  });

  it('counts columns in UTF-16 code units and lines across CRLF endings', () => {
    assert.deepEqual(issuesOf('# é😀\r\nauthGuards: ["😀", ""]\r\n'), ['authGuards[1] @2:20 must not be empty']);
  });
});

describe('config: loading', () => {
  it("reads the root's .readiness.yaml, naming it relative to the working directory when inside it", () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, CONFIG_FILE_NAME), 'failUnder: 70\nrules:\n  k8s/probs: off\n');
    const loaded = loadConfig(root, undefined, RULE_IDS);
    assert.equal(loaded.file, path.join(root, CONFIG_FILE_NAME));
    assert.equal(loaded.config.failUnder, 70);
    assert.deepEqual(brief(loaded.issues), ["rules.k8s/probs @3:3 unknown rule id 'k8s/probs'; did you mean 'k8s/probes'?"]);
    const cwd = process.cwd();
    try {
      process.chdir(root);
      assert.equal(loadConfig(root, undefined, RULE_IDS).issues[0]!.file, CONFIG_FILE_NAME);
    } finally {
      process.chdir(cwd);
    }
  });

  it('falls back to .readiness.yml, and to defaults without a file', () => {
    const root = tempDir();
    assert.deepEqual(loadConfig(root), { config: defaultConfig(), issues: [] });
    fs.writeFileSync(path.join(root, '.readiness.yml'), 'maxFileSize: 1000\n');
    assert.equal(loadConfig(root).config.maxFileSize, 1000);
  });

  it('lets --config FILE replace the root file', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, CONFIG_FILE_NAME), 'failUnder: 70\n');
    const other = path.join(tempDir(), 'ci.yaml');
    fs.writeFileSync(other, 'failUnder: 90\n');
    const loaded = loadConfig(root, other, RULE_IDS);
    assert.equal(loaded.config.failUnder, 90);
    assert.equal(loaded.file, other);
  });

  it('reports a missing --config FILE, naming it', () => {
    const root = tempDir();
    const loaded = loadConfig(root, 'no/such/readiness.yaml', RULE_IDS);
    assert.deepEqual(loaded.config, defaultConfig());
    assert.equal(loaded.file, undefined);
    assert.deepEqual(loaded.issues, [{ file: 'no/such/readiness.yaml', key: '', line: 0, column: 0, message: 'config file not found' }]);
    assert.match(loadConfig(root, root).issues[0]!.message, /is a directory/);
  });
});

describe('config: in the engine', () => {
  const probe = defineRule({
    meta: {
      id: 'test/probe',
      category: 'delivery',
      weight: 1,
      severity: 'warning',
      scope: 'location',
      title: 'Test probe',
      summary: 'a test rule',
      appliesTo: ['python'],
      subjects: { singular: 'file', plural: 'files', passing: 'pass' },
      messages: { bad: 'bad file' },
    },
    check(ctx) {
      for (const f of ctx.filesOf('python')) ctx.report({ subject: { key: f.path, file: f.path }, messageId: 'bad', file: f.path, span: { start: 0, end: 1 } });
    },
  });

  it('rejects rule ids that are not among the scanned rules, strictly or as issues', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'app.py'), 'x = 1\n');
    fs.writeFileSync(path.join(root, CONFIG_FILE_NAME), 'rules:\n  test/prob: off\n');
    await assert.rejects(scan({ roots: [root], rules: [probe], strictConfig: true }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(brief(e.issues), ["rules.test/prob @2:3 unknown rule id 'test/prob'; did you mean 'test/probe'?"]);
      return true;
    });
    const outcome = await scan({ roots: [root], rules: [probe] });
    assert.deepEqual(brief(outcome.configIssues), ["rules.test/prob @2:3 unknown rule id 'test/prob'; did you mean 'test/probe'?"]);
    assert.equal(outcome.findings.length, 1, 'the rule still runs with the defaults');
  });

  it("applies the file's rule levels: off leaves the checks, a level sets the severity", async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'app.py'), 'x = 1\n');
    fs.writeFileSync(path.join(root, CONFIG_FILE_NAME), 'rules:\n  test/probe: error\n');
    const outcome = await scan({ roots: [root], rules: [probe], strictConfig: true });
    assert.deepEqual(outcome.findings.map((f) => f.severity), ['error']);
    fs.writeFileSync(path.join(root, CONFIG_FILE_NAME), 'rules:\n  test/probe: off\n');
    const off = await scan({ roots: [root], rules: [probe], strictConfig: true });
    assert.deepEqual(off.findings, []);
    assert.deepEqual(off.checks, []);
  });
});

describe('config: JSON schema', () => {
  it('is current (npm run gen:schema)', () => {
    const committed = fs.readFileSync(SCHEMA_PATH, 'utf8');
    assert.equal(committed, renderSchema(), 'schemas/readiness.schema.json is stale: run npm run gen:schema');
  });

  it('describes every setting and lists every rule id of the catalogue', () => {
    const schema = JSON.parse(renderSchema()) as { properties: Record<string, { description?: string; properties?: Record<string, unknown> }>; additionalProperties: boolean };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(Object.keys(schema.properties), ['rules', 'include', 'ignore', 'maxFileSize', 'publicRoutes', 'authGuards', 'weights', 'failUnder']);
    for (const [key, prop] of Object.entries(schema.properties)) assert.ok(prop.description && prop.description.length > 10, `${key} has a description`);
    assert.deepEqual(Object.keys(schema.properties.rules!.properties ?? {}), [...RULE_IDS].sort());
  });

  it('agrees with the loader on valid and invalid files', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(renderSchema()) as object);
    assert.equal(validate(parseYaml(fixture('valid.readiness.yaml'))), true, JSON.stringify(validate.errors));
    assert.equal(validate(parseYaml(fixture('invalid.readiness.yaml'))), false);
    const paths = new Set((validate.errors ?? []).map((e) => e.instancePath + (e.params && 'additionalProperty' in e.params ? `/${String(e.params.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}` : '')));
    for (const p of ['/rules/k8s~1probes', '/rules/k8s~1prob', '/include', '/maxFileSize', '/publicRoutes/1', '/weights/secuirty', '/weights/data', '/failUnder', '/colour']) {
      assert.ok(paths.has(p), `the JSON schema rejects ${p} too (got ${[...paths].join(', ')})`);
    }
  });

  it('reports a hostile config (deep nesting, alias bomb) as an issue instead of crashing', () => {
    const deep = parseConfigText('rules: ' + '['.repeat(5000), '.readiness.yaml');
    assert.equal(deep.issues.length, 1);
    assert.match(deep.issues[0]!.message, /nesting deeper than/);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill('*' + String.fromCharCode(97 + i)).join(',')}]`);
    const aliases = parseConfigText(bomb.join('\n') + '\n', '.readiness.yaml');
    assert.equal(aliases.issues.length, 1);
    assert.match(aliases.issues[0]!.message, /invalid YAML/);
  });
});
