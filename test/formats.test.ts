// The formatters on a hand-built scan outcome with known values: the JSON projection
// exactly, SARIF against the official 2.1.0 schema, the Markdown and HTML assessments.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { defaultConfig } from '../server/src/engine/config';
import type { ScanOutcome } from '../server/src/engine/index';
import { defineRule, type Rule, type RuleMeta } from '../server/src/engine/rule';
import { scoreChecks } from '../server/src/engine/score';
import { CATEGORIES, type Category, type Check, type Evidence, type Finding, type Range, type SuppressedFinding } from '../server/src/engine/types';
import { reportDate } from '../server/src/cli/format/common';
import * as cheerio from 'cheerio';
import MarkdownIt from 'markdown-it';
import { buildAssessment, effortOf, fileHref, type AssessmentOptions } from '../server/src/cli/format/assessment';
import { CHART, formatHtml } from '../server/src/cli/format/html';
import { formatJson, toJsonReport } from '../server/src/cli/format/json';
import { formatMarkdown, mdText } from '../server/src/cli/format/markdown';
import { toSarif } from '../server/src/cli/format/sarif';
import { formatText } from '../server/src/cli/format/text';
import type { ToolInfo } from '../server/src/cli/tool';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object;
const TOOL: ToolInfo = { name: 'readiness', version: '9.8.7', repositoryUrl: 'https://example.com/org/readiness' };
const DOC = (id: string): string => `https://example.com/org/readiness/blob/main/rules/${id}.md`;

let compiled: ReturnType<Ajv['compile']> | undefined;
function validator(): ReturnType<Ajv['compile']> {
  if (!compiled) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(SCHEMA);
  }
  return compiled;
}

function rule(meta: Partial<RuleMeta> & Pick<RuleMeta, 'id' | 'category' | 'severity'>): Rule {
  return defineRule({
    meta: {
      weight: 3,
      scope: 'location',
      title: `Title of ${meta.id}`,
      summary: `summary of ${meta.id}`,
      appliesTo: ['k8s'],
      subjects: { singular: 'thing', plural: 'things', passing: 'are fine' },
      messages: {},
      ...meta,
    },
    check() {},
  });
}

const RULES: Rule[] = [
  rule({ id: 'sec/leak', category: 'security', severity: 'error', weight: 4, title: 'No leaked keys', summary: 'no key is committed' }),
  rule({ id: 'ops/limits', category: 'scalability', severity: 'warning', weight: 2, title: 'Containers set limits', summary: 'each container sets limits' }),
  rule({ id: 'ws/metrics', category: 'observability', severity: 'info', weight: 1, scope: 'workspace', title: 'Services expose metrics', summary: 'each service exposes metrics' }),
  rule({ id: 'sec/tls', category: 'security', severity: 'warning', weight: 2, title: 'Ingresses use TLS', summary: 'every Ingress terminates TLS' }),
];

function range(line: number, column: number, endLine: number, endColumn: number): Range {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

function finding(init: Partial<Finding> & Pick<Finding, 'ruleId' | 'category' | 'severity' | 'file' | 'message' | 'range' | 'fingerprint'>): Finding {
  return { messageId: 'm', root: '.', span: { start: 0, end: 1 }, subjectKey: `${init.file}#subject`, fixes: [], fixData: { internal: 'do-not-leak' }, ...init };
}

const LEAK = finding({
  ruleId: 'sec/leak',
  category: 'security',
  severity: 'error',
  file: 'config/app.env',
  message: "Key AKIA…MPLE committed <script>alert('x')</script> | *bold* [link](http://evil)",
  range: range(3, 5, 3, 25),
  fingerprint: 'aaaa000011112222',
  service: 'api',
  fixes: [{ title: 'Move it to a Secret', safe: false, kind: 'secret' }],
});
const LIMITS: Finding[] = [1, 2, 3, 4, 5, 6, 7].map((n) =>
  finding({ ruleId: 'ops/limits', category: 'scalability', severity: 'warning', file: `deploy/worker-${n}.yaml`, message: `Container 'w${n}' sets no limits`, range: range(10 + n, 11, 10 + n, 20), fingerprint: `bbbb00000000000${n}` }),
);
const METRICS = finding({ ruleId: 'ws/metrics', category: 'observability', severity: 'info', file: 'services/api/src/app.ts', message: "Service 'api' exposes no metrics endpoint", range: range(1, 1, 1, 12), fingerprint: 'cccc000000000000', service: 'api' });
const SPACED = finding({ ruleId: 'ops/limits', category: 'scalability', severity: 'warning', file: 'deploy/my app.yaml', message: "Container 'x' sets no limits", range: range(2, 3, 4, 1), fingerprint: 'dddd000000000000' });

const SUPPRESSED: SuppressedFinding[] = [
  { ...finding({ ruleId: 'ops/limits', category: 'scalability', severity: 'warning', file: 'deploy/batch.yaml', message: "Container 'b' sets no limits", range: range(8, 9, 8, 14), fingerprint: 'eeee000000000000' }), via: 'comment', reason: 'bounded by the queue' },
  { ...finding({ ruleId: 'sec/leak', category: 'security', severity: 'error', file: 'test/keys.env', message: 'Key AKIA…MPLE committed', range: range(1, 1, 1, 9), fingerprint: 'ffff000000000000' }), via: 'config' },
  { ...finding({ ruleId: 'sec/leak', category: 'security', severity: 'error', file: 'deploy/demo.yaml', message: 'Key in a demo', range: range(5, 1, 5, 9), fingerprint: '1111000000000000' }), via: 'annotation', reason: 'demo cluster only' },
];

function resolved(e: Evidence & { range?: Range }): Evidence {
  return e;
}

const CHECKS: Check[] = [
  { id: 'sec/leak', category: 'security', weight: 4, scope: 'location', status: 'fail', score: 0, subjects: 3, failing: 1, summary: '2 of 3 files are clean', evidence: [] },
  {
    id: 'ops/limits',
    category: 'scalability',
    weight: 2,
    scope: 'location',
    status: 'partial',
    score: 0.2,
    subjects: 10,
    failing: 8,
    summary: '2 of 10 containers set limits',
    evidence: [resolved({ file: 'deploy/api.yaml', span: { start: 100, end: 120 }, range: range(18, 11, 22, 30), note: 'limits set' })],
  },
  {
    id: 'ws/metrics',
    category: 'observability',
    weight: 1,
    scope: 'workspace',
    status: 'partial',
    score: 0.5,
    subjects: 1,
    failing: 1,
    summary: '0 of 1 service exposes metrics',
    evidence: [{ note: 'looked for a /metrics route in services/api; found none' }, { file: 'services/api/package.json', note: 'prom-client is a dependency' }],
  },
  { id: 'sec/tls', category: 'security', weight: 2, scope: 'location', status: 'not-applicable', score: null, subjects: 0, failing: 0, summary: 'no Ingresses to check', evidence: [] },
];

function outcome(overrides: Partial<ScanOutcome> = {}): ScanOutcome {
  const checks = overrides.checks ?? CHECKS;
  const scores = scoreChecks(checks);
  return {
    roots: ['.'],
    overall: scores.overall,
    grade: scores.grade,
    categories: scores.categories,
    checks,
    findings: [LEAK, SPACED, ...LIMITS, METRICS].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    suppressed: SUPPRESSED,
    services: [{ name: 'api', root: 'services/api', kind: 'node', entry: 'services/api/src/app.ts' }, { name: 'worker', root: 'services/worker', kind: 'container' }],
    errors: [{ file: 'deploy/broken.yaml', line: 3, message: 'YAML: bad indentation' }, { file: 'deploy/odd.yaml', message: 'YAML: unexpected end' }],
    skipped: [{ file: 'charts/api/templates/deployment.yaml', reason: 'Helm template' }],
    stats: { files: 1234, skipped: 1, durationMs: 850, notAnalysed: { java: 2, go: 41 }, cacheHits: 17 },
    files: [],
    configIssues: [],
    configs: [defaultConfig()],
    ...overrides,
  };
}

describe('JSON report', () => {
  it('projects the outcome exactly onto the version 1 contract', () => {
    const o = outcome();
    const report = toJsonReport(o, RULES, TOOL);
    const expectedFinding = (f: Finding): Record<string, unknown> => ({
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity,
      file: f.file,
      line: f.range.start.line,
      column: f.range.start.column,
      endLine: f.range.end.line,
      endColumn: f.range.end.column,
      message: f.message,
      ...(f.service !== undefined ? { service: f.service } : {}),
      fingerprint: f.fingerprint,
      fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe })),
    });
    assert.deepEqual(report, {
      version: 1,
      tool: { name: 'readiness', version: '9.8.7' },
      roots: ['.'],
      score: {
        overall: o.overall,
        grade: o.grade,
        categories: {
          security: { score: 0, weight: 30, checks: 2, applicable: 1 },
          resilience: { score: null, weight: 15, checks: 0, applicable: 0 },
          observability: { score: 50, weight: 15, checks: 1, applicable: 1 },
          data: { score: null, weight: 15, checks: 0, applicable: 0 },
          scalability: { score: 20, weight: 10, checks: 1, applicable: 1 },
          delivery: { score: null, weight: 10, checks: 0, applicable: 0 },
          documentation: { score: null, weight: 5, checks: 0, applicable: 0 },
        },
      },
      checks: [
        { id: 'sec/leak', category: 'security', weight: 4, scope: 'location', status: 'fail', score: 0, subjects: 3, failing: 1, summary: '2 of 3 files are clean', evidence: [] },
        {
          id: 'ops/limits',
          category: 'scalability',
          weight: 2,
          scope: 'location',
          status: 'partial',
          score: 0.2,
          subjects: 10,
          failing: 8,
          summary: '2 of 10 containers set limits',
          evidence: [{ file: 'deploy/api.yaml', line: 18, column: 11, endLine: 22, endColumn: 30, note: 'limits set' }],
        },
        {
          id: 'ws/metrics',
          category: 'observability',
          weight: 1,
          scope: 'workspace',
          status: 'partial',
          score: 0.5,
          subjects: 1,
          failing: 1,
          summary: '0 of 1 service exposes metrics',
          evidence: [{ note: 'looked for a /metrics route in services/api; found none' }, { file: 'services/api/package.json', note: 'prom-client is a dependency' }],
        },
        { id: 'sec/tls', category: 'security', weight: 2, scope: 'location', status: 'not-applicable', score: null, subjects: 0, failing: 0, summary: 'no Ingresses to check', evidence: [] },
      ],
      findings: o.findings.map(expectedFinding),
      services: [
        { name: 'api', root: 'services/api', kind: 'node', entry: 'services/api/src/app.ts' },
        { name: 'worker', root: 'services/worker', kind: 'container' },
      ],
      suppressed: [
        { ruleId: 'ops/limits', file: 'deploy/batch.yaml', line: 8, reason: 'bounded by the queue' },
        { ruleId: 'sec/leak', file: 'test/keys.env', line: 1 },
        { ruleId: 'sec/leak', file: 'deploy/demo.yaml', line: 5, reason: 'demo cluster only' },
      ],
      errors: [
        { file: 'deploy/broken.yaml', line: 3, message: 'YAML: bad indentation' },
        { file: 'deploy/odd.yaml', message: 'YAML: unexpected end' },
      ],
      skipped: [{ file: 'charts/api/templates/deployment.yaml', reason: 'Helm template' }],
      stats: { files: 1234, skipped: 1, durationMs: 850, notAnalysed: { go: 41, java: 2 } },
    });
  });

  it('keeps the contract key order and leaks no internal field', () => {
    const report = toJsonReport(outcome(), RULES, TOOL);
    assert.deepEqual(Object.keys(report), ['version', 'tool', 'roots', 'score', 'checks', 'findings', 'services', 'suppressed', 'errors', 'skipped', 'stats']);
    const leak = report.findings.find((f) => f.ruleId === 'sec/leak')!;
    assert.deepEqual(Object.keys(leak), ['ruleId', 'category', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'service', 'fingerprint', 'fixes']);
    assert.deepEqual(Object.keys(report.stats.notAnalysed), ['go', 'java'], 'languages sorted for determinism');
    const text = formatJson(outcome(), RULES, TOOL);
    for (const internal of ['"span"', '"subjectKey"', '"fixData"', 'do-not-leak', '"cacheHits"', '"configs"', '"configIssues"', '"messageId"', '"via"', '"kind": "secret"']) {
      assert.ok(!text.includes(internal), `${internal} stays out of the JSON report`);
    }
    assert.ok(text.endsWith('}\n'));
  });

  it('orders checks by the catalogue it is given', () => {
    const reversed = [...RULES].reverse();
    const report = toJsonReport(outcome(), reversed, TOOL);
    assert.deepEqual(
      report.checks.map((c) => c.id),
      ['sec/tls', 'ws/metrics', 'ops/limits', 'sec/leak'],
    );
  });
});

describe('SARIF report', () => {
  const sarif = (o = outcome(), srcRoot: string | null = '/work/repo'): Record<string, unknown> => JSON.parse(JSON.stringify(toSarif(o, RULES, { srcRoot: srcRoot ?? undefined, tool: TOOL }))) as Record<string, unknown>;
  type Result = { ruleId: string; ruleIndex?: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[]; partialFingerprints: Record<string, string>; suppressions?: { kind: string; justification?: string }[] };
  type Run = { tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; name: string; helpUri: string; shortDescription: { text: string }; defaultConfiguration: { level: string }; properties: Record<string, unknown> }[] } }; results: Result[]; originalUriBaseIds?: Record<string, { uri: string }>; columnKind: string };
  const runOf = (doc: Record<string, unknown>): Run => (doc.runs as Run[])[0]!;

  it('passes the official SARIF 2.1.0 schema', () => {
    const validate = validator();
    const doc = sarif();
    assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
    assert.equal(doc.version, '2.1.0');
    assert.equal((doc.runs as unknown[]).length, 1);
    const empty = outcome({ findings: [], suppressed: [], errors: [], checks: [] });
    assert.ok(validate(sarif(empty, null)), JSON.stringify(validate.errors, null, 2));
  });

  it('is rejected by the schema when broken (the validator can fail)', () => {
    const validate = validator();
    const doc = sarif();
    const run = runOf(doc);
    (run.results[0]!.locations[0]!.physicalLocation.region as Record<string, number>).startLine = 0;
    assert.equal(validate(doc), false);
    const doc2 = sarif();
    (runOf(doc2).results[0]! as unknown as Record<string, unknown>).level = 'fatal';
    assert.equal(validate(doc2), false);
  });

  it('describes the catalogue: help links, levels, categories, security-severity', () => {
    const run = runOf(sarif());
    assert.equal(run.tool.driver.name, 'readiness');
    assert.equal(run.tool.driver.version, '9.8.7');
    assert.equal(run.tool.driver.informationUri, 'https://example.com/org/readiness');
    assert.deepEqual(
      run.tool.driver.rules.map((r) => r.id),
      RULES.map((r) => r.meta.id),
    );
    const [leak, limits, metrics, tls] = run.tool.driver.rules;
    assert.equal(leak!.helpUri, DOC('sec/leak'));
    assert.equal(leak!.shortDescription.text, 'No leaked keys');
    assert.equal(leak!.defaultConfiguration.level, 'error');
    assert.equal(limits!.defaultConfiguration.level, 'warning');
    assert.equal(metrics!.defaultConfiguration.level, 'note');
    assert.equal(leak!.properties.category, 'security');
    assert.equal(leak!.properties['security-severity'], '8.0');
    assert.equal(tls!.properties['security-severity'], '5.0');
    assert.ok((leak!.properties.tags as string[]).includes('security'));
    assert.equal(limits!.properties['security-severity'], undefined, 'only security rules carry security-severity');
    assert.equal(metrics!.properties.category, 'observability');
  });

  it('reports findings and suppressed findings with relative locations and fingerprints', () => {
    const o = outcome();
    const run = runOf(sarif(o));
    assert.equal(run.results.length, o.findings.length + o.suppressed.length);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/repo/' } });
    const leak = run.results.find((r) => r.ruleId === 'sec/leak' && !r.suppressions)!;
    assert.equal(leak.ruleIndex, 0);
    assert.equal(leak.level, 'error');
    assert.equal(leak.message.text, LEAK.message);
    assert.deepEqual(leak.locations[0]!.physicalLocation, { artifactLocation: { uri: 'config/app.env', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 25 } });
    assert.deepEqual(leak.partialFingerprints, { 'readiness/v1': 'aaaa000011112222' });
    const metrics = run.results.find((r) => r.ruleId === 'ws/metrics')!;
    assert.equal(metrics.level, 'note');
    assert.equal(metrics.ruleIndex, 2);
    const spaced = run.results.find((r) => r.partialFingerprints['readiness/v1'] === 'dddd000000000000')!;
    assert.equal(spaced.locations[0]!.physicalLocation.artifactLocation.uri, 'deploy/my%20app.yaml');
    for (const r of run.results) assert.ok(!r.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('/'), 'URIs are relative');

    const suppressed = run.results.filter((r) => r.suppressions);
    assert.equal(suppressed.length, 3);
    const byPrint = new Map(suppressed.map((r) => [r.partialFingerprints['readiness/v1'], r.suppressions]));
    assert.deepEqual(byPrint.get('eeee000000000000'), [{ kind: 'inSource', justification: 'bounded by the queue' }]);
    assert.deepEqual(byPrint.get('ffff000000000000'), [{ kind: 'external' }]);
    assert.deepEqual(byPrint.get('1111000000000000'), [{ kind: 'inSource', justification: 'demo cluster only' }]);
  });

  it('omits originalUriBaseIds without a source root', () => {
    assert.equal(runOf(sarif(outcome(), null)).originalUriBaseIds, undefined);
  });
});

describe('Markdown assessment', () => {
  const md = (o = outcome()): string => formatMarkdown(o, RULES, { date: '2024-02-29', names: ['shop'], tool: TOOL });

  it('has the title, date, score, grade and category table', () => {
    const o = outcome();
    const text = md(o);
    assert.ok(text.startsWith('# Production readiness assessment — shop\n'));
    assert.match(text, /^\*\*Date:\*\* 2024-02-29 {2}$/m);
    assert.ok(o.overall !== null);
    assert.ok(text.includes(`**Overall score:** ${o.overall}/100 — ${o.grade}`));
    assert.ok(text.includes('| Category | Score | Weight | Checks applicable | Ready | Partial | Missing |'));
    assert.ok(text.includes('| Security | 0/100 | 30 | 1 of 2 | 0 | 0 | 1 |'));
    assert.ok(text.includes('| Scalability | 20/100 | 10 | 1 of 1 | 0 | 1 | 0 |'));
    assert.ok(text.includes('| Resilience | n/a | 15 | 0 of 0 | 0 | 0 | 0 |'));
    assert.ok(text.endsWith('\n'));
  });

  it('checklists cite evidence with file:line and cap long lists', () => {
    const text = md();
    assert.ok(text.includes('## Security — 0/100'));
    assert.ok(text.includes(`- ❌ MISSING · **No leaked keys** ([\`sec/leak\`](${DOC('sec/leak')})) — 2 of 3 files are clean (2 suppressed)`));
    assert.ok(text.includes('- ➖ N/A · **Ingresses use TLS**'));
    assert.ok(text.includes('- ⚠️ PARTIAL · **Containers set limits**'));
    assert.ok(text.includes('  - `config/app.env:3` — Key AKIA…MPLE committed'));
    // ops/limits: 8 findings + 1 evidence entry, 5 shown.
    const section = text.slice(text.indexOf('- ⚠️ PARTIAL · **Containers set limits**'), text.indexOf('## Action plan'));
    assert.equal((section.match(/^ {2}- `deploy\/[^`]+:\d+` — /gm) ?? []).length, 5);
    assert.ok(section.includes('  - and 4 more items'));
    // Workspace checks lead with what was looked for.
    assert.ok(text.includes('  - looked for a /metrics route in services/api; found none'));
    assert.ok(text.includes('  - `services/api/package.json` — prom-client is a dependency'));
  });

  it('has a prioritised action plan linking to rule docs', () => {
    const text = md();
    const plan = text.slice(text.indexOf('## Action plan'));
    const p0 = plan.indexOf('### P0');
    const p1 = plan.indexOf('### P1');
    const p2 = plan.indexOf('### P2');
    assert.ok(p0 > 0 && p1 > p0 && p2 > p1, 'P0, P1, P2 in order');
    assert.ok(plan.slice(p0, p1).includes(`**[No leaked keys](${DOC('sec/leak')})** (\`sec/leak\`, security) — 1 error`));
    assert.ok(plan.slice(p1, p2).includes(`**[Containers set limits](${DOC('ops/limits')})** (\`ops/limits\`, scalability) — 8 warnings`));
    assert.ok(plan.slice(p2).includes(`**[Services expose metrics](${DOC('ws/metrics')})** (\`ws/metrics\`, observability) — 1 info`));
    assert.ok(plan.includes('   - and 3 more findings'));
    assert.ok(plan.includes('   Goal: each container sets limits.'));
  });

  it('puts a failing security check without findings in P0', () => {
    const checks = CHECKS.map((c) => (c.id === 'sec/tls' ? { ...c, status: 'fail' as const, score: 0, subjects: 1, failing: 1, evidence: [{ note: 'looked for tls: in ingress.yaml; found none' }] } : c));
    const text = md(outcome({ checks, findings: [] }));
    const p0 = text.slice(text.indexOf('### P0'), text.indexOf('## Suppressed'));
    assert.ok(p0.includes(`**[Ingresses use TLS](${DOC('sec/tls')})** (\`sec/tls\`, security) — failing security check`));
    assert.ok(p0.includes('   - looked for tls: in ingress.yaml; found none'));
  });

  it('lists suppressed findings, parse errors, skipped files and languages not analysed', () => {
    const text = md();
    assert.ok(text.includes('## Suppressed findings'));
    assert.ok(text.includes('| `deploy/batch.yaml:8` | comment | bounded by the queue |'));
    assert.ok(text.includes('| `test/keys.env:1` | config | _no reason given_ |'));
    assert.ok(text.includes('## Files that could not be parsed'));
    assert.ok(text.includes('- `deploy/broken.yaml:3` — YAML: bad indentation'));
    assert.ok(text.includes('- `deploy/odd.yaml` — YAML: unexpected end'));
    assert.ok(text.includes('- `charts/api/templates/deployment.yaml` — Helm template'));
    assert.ok(text.includes('- go: 41 files'));
    assert.ok(text.includes('Not analysed: 41 go files, 2 java files'));
  });

  it('escapes Markdown and HTML in messages', () => {
    const text = md();
    assert.ok(!text.includes('<script>'));
    assert.ok(text.includes('&lt;script&gt;'));
    assert.ok(text.includes('\\| \\*bold\\* \\[link\\](http://evil)'));
    assert.equal(mdText('a_b`c'), 'a\\_b\\`c');
  });

  it('is deterministic, and says "Not assessed" when nothing applies', () => {
    assert.equal(md(), md());
    const none = outcome({ checks: [], findings: [], suppressed: [], errors: [], skipped: [], stats: { files: 0, skipped: 0, durationMs: 1, notAnalysed: {}, cacheHits: 0 } });
    const text = md(none);
    assert.equal(none.overall, null);
    assert.ok(text.includes('**Overall score:** Not assessed'));
    assert.ok(text.includes('no enabled check applies') || text.includes('No enabled check applies'));
    assert.ok(text.includes('Nothing to do'));
    assert.ok(!text.includes('## Suppressed findings'));
  });

  it('builds the same model for both renderings', () => {
    const a = buildAssessment(outcome(), RULES, { date: '2024-02-29', tool: TOOL });
    assert.equal(a.title, 'Production readiness assessment — .');
    assert.deepEqual(
      a.plan.map((i) => `${i.priority} ${i.ruleId}`),
      ['P0 sec/leak', 'P1 ops/limits', 'P2 ws/metrics'],
    );
    const leak = a.plan[0]!;
    assert.ok(leak.impact !== null && leak.impact > 0);
  });
});

describe('Markdown assessment: executive summary, links, effort, escaping', () => {
  const md = (o = outcome(), extra: Partial<AssessmentOptions> = {}): string => formatMarkdown(o, RULES, { date: '2024-02-29', names: ['shop'], tool: TOOL, ...extra });
  const render = (text: string): cheerio.CheerioAPI => cheerio.load(new MarkdownIt({ html: false, linkify: false }).render(text));

  it('has its sections in order, one per category with checks', () => {
    const $ = render(md());
    assert.deepEqual(
      $('h2').map((_, el) => $(el).text()).get(),
      ['Executive summary', 'Category scores', 'Security — 0/100', 'Observability — 50/100', 'Scalability — 20/100', 'Action plan', 'Suppressed findings', 'Files that could not be parsed', 'Skipped files', 'Not analysed'],
    );
    assert.deepEqual(
      $('h3').map((_, el) => $(el).text()).get(),
      ['The 3 most important gaps', 'Scan overview', 'P0 — fix before going to production', 'P1 — fix soon', 'P2 — worth doing'],
    );
    // The category table: a header and one row per category plus the overall row.
    assert.equal($('table').first().find('tbody tr').length, CATEGORIES.length + 1);
  });

  it('ranks gaps by category weight × rule weight × severity × failing subjects', () => {
    const a = buildAssessment(outcome(), RULES, { date: '2024-02-29', tool: TOOL });
    // sec/leak 30×4×3×1, ops/limits 10×2×2×8, ws/metrics 15×1×1×1.
    assert.deepEqual(
      a.gaps.map((g) => [g.ruleId, g.importance]),
      [['sec/leak', 360], ['ops/limits', 320], ['ws/metrics', 15]],
    );
    // More failing subjects move a gap up.
    const checks = CHECKS.map((c) => (c.id === 'ops/limits' ? { ...c, subjects: 30, failing: 20 } : c));
    const b = buildAssessment(outcome({ checks }), RULES, { date: '2024-02-29', tool: TOOL });
    assert.deepEqual(b.gaps.map((g) => g.ruleId), ['ops/limits', 'sec/leak', 'ws/metrics']);
    // Passing and not-applicable checks are no gaps; at most three are shown.
    const c = buildAssessment(outcome(), RULES, { date: '2024-02-29', tool: TOOL, maxGaps: 2 });
    assert.deepEqual(c.gaps.map((g) => g.ruleId), ['sec/leak', 'ops/limits']);
  });

  it('writes each gap as one paragraph from its check and findings', () => {
    const text = md(outcome(), { linkBase: '' });
    const summary = text.slice(text.indexOf('## Executive summary'), text.indexOf('## Category scores'));
    const o = outcome();
    assert.ok(summary.includes(`Overall score **${o.overall}/100**, grade **${o.grade}**. 3 applicable checks: 0 ready, 2 partial, 1 missing.`));
    const items = summary.split('\n').filter((l) => /^\d\. /.test(l));
    assert.equal(items.length, 3);
    assert.equal(
      items[0],
      `1. **No leaked keys** — Security, MISSING ([\`sec/leak\`](${DOC('sec/leak')})). 2 of 3 files are clean. ` +
        `1 finding (1 error): [\`config/app.env:3\`](config/app.env#L3) — ${mdText(LEAK.message)}. Passing means: no key is committed. ` +
        'Ranked by category weight 30 × rule weight 4 × severity error (3) × 1 failing subject = 360; P0 in the action plan.',
    );
    assert.ok(items[1]!.startsWith('2. **Containers set limits** — Scalability, PARTIAL'));
    assert.ok(items[1]!.includes('8 findings (8 warnings): [`deploy/my app.yaml:2`](deploy/my%20app.yaml#L2) — Container \'x\' sets no limits (and 7 more).'));
  });

  it('cites evidence as file:line links relative to the report, encoded', () => {
    const $ = render(md(outcome(), { linkBase: '../shop/', maxCitations: 20 }));
    const hrefs = $('a').map((_, el) => $(el).attr('href')).get();
    assert.ok(hrefs.includes('../shop/config/app.env#L3'));
    assert.ok(hrefs.includes('../shop/deploy/my%20app.yaml#L2'));
    assert.ok(hrefs.includes('../shop/deploy/api.yaml#L18'), 'evidence of a check');
    assert.ok(hrefs.includes('../shop/services/api/package.json'), 'evidence without a line links to the file');
    assert.ok(hrefs.includes('../shop/deploy/batch.yaml#L8'), 'suppressed findings');
    assert.ok(hrefs.includes('../shop/deploy/broken.yaml#L3'), 'parse errors');
    // Without a link base (the editor's render), places are plain code.
    assert.ok(!render(md()).root().html()!.includes('href="config/app.env'));
    assert.equal(fileHref('', 'a b/c#d?.yaml', 7), 'a%20b/c%23d%3F.yaml#L7');
    assert.equal(fileHref('..', 'x.yaml'), '../x.yaml');
  });

  it('escapes Markdown-special characters in file names and messages', () => {
    const weird = finding({
      ruleId: 'ops/limits',
      category: 'scalability',
      severity: 'warning',
      file: 'deploy/we|ird [x](y) *z*_q.yaml',
      message: '- starts like a list, has <b>tags</b>, a `tick`, | pipes | and [a](javascript:alert(1))',
      range: range(4, 1, 4, 2),
      fingerprint: '9999000000000000',
    });
    const ticked = finding({ ruleId: 'sec/leak', category: 'security', severity: 'error', file: 'odd`name.env', message: '1. looks numbered', range: range(2, 1, 2, 2), fingerprint: '8888000000000000' });
    const suppressed: SuppressedFinding[] = [{ ...weird, fingerprint: '7777000000000000', via: 'comment', reason: 'a | b' }];
    const o = outcome({ findings: [weird, ticked], suppressed });
    const text = md(o, { linkBase: '' });
    const $ = render(text);
    const body = $.root().text();
    assert.ok(body.includes('deploy/we|ird [x](y) *z*_q.yaml:4'), 'the file name reads as written');
    assert.ok(body.includes(weird.message), 'the message reads as written');
    assert.ok(body.includes('odd`name.env:2'));
    assert.ok(body.includes('1. looks numbered'));
    assert.equal($('b, em, script').length, 0, 'no markup from the scan');
    assert.ok(!$('a').map((_, el) => $(el).attr('href')).get().some((h) => h.startsWith('javascript') || h === 'y'), 'no link from the scan');
    assert.ok($('a').map((_, el) => $(el).attr('href')).get().includes('deploy/we%7Cird%20%5Bx%5D%28y%29%20%2Az%2A_q.yaml#L4'));
    // The suppressed table keeps its four columns despite the pipes.
    const row = $('table').last().find('tbody tr').first();
    assert.equal(row.find('td').length, 4);
    assert.equal(row.find('td').eq(1).text(), 'deploy/we|ird [x](y) *z*_q.yaml:4');
    assert.equal(row.find('td').eq(3).text(), 'a | b');
  });

  it('gives each action an effort hint read off its findings and check', () => {
    const check = (over: Partial<Check>): Check => ({ ...CHECKS[1]!, ...over });
    assert.deepEqual(effortOf([LEAK], CHECKS[0]), { kind: 'quick fix', label: 'quick fix available', basis: 'the finding offers a quick fix (Move it to a Secret)' });
    const safe = { ...LIMITS[0]!, fixes: [{ title: 'Add limits', safe: true, kind: 'limits' }] };
    assert.equal(effortOf([safe, LIMITS[1]!], CHECKS[1]).basis, '1 of 2 findings offer a quick fix (Add limits)');
    assert.equal(effortOf([safe], CHECKS[1]).label, 'safe quick fix available');
    assert.deepEqual(effortOf(LIMITS.slice(0, 4), CHECKS[1]), { kind: 'config change', label: 'config change', basis: 'in deploy/worker-1.yaml, deploy/worker-2.yaml, deploy/worker-3.yaml and 1 more' });
    assert.equal(effortOf([METRICS], CHECKS[2]).kind, 'code change');
    assert.equal(effortOf([{ ...METRICS, file: 'README.md' }], CHECKS[2]).kind, 'docs change');
    const ws = check({ scope: 'workspace', status: 'fail', subjects: 2, failing: 2 });
    assert.deepEqual(effortOf([], ws), { kind: 'new component', label: 'new component', basis: 'the workspace check fails for 2 of 2 subjects: what it looks for is to be added' });
    assert.equal(effortOf([], check({ evidence: [{ note: 'looked for x; found none' }] })).kind, 'new component');
    const text = md();
    assert.ok(text.includes('   Effort: config change — in deploy/my app.yaml, deploy/worker-1.yaml, deploy/worker-2.yaml and 5 more.'));
  });

  it('orders the action plan by priority, then by the points a fix gains', () => {
    const extra = rule({ id: 'ops/replicas', category: 'scalability', severity: 'warning', weight: 5, title: 'Replicas', summary: 'more than one replica' });
    const rules = [...RULES, extra];
    const checks: Check[] = [...CHECKS, { id: 'ops/replicas', category: 'scalability', weight: 5, scope: 'location', status: 'fail', score: 0, subjects: 1, failing: 1, summary: '0 of 1', evidence: [] }];
    const rep = finding({ ruleId: 'ops/replicas', category: 'scalability', severity: 'warning', file: 'deploy/z.yaml', message: 'one replica', range: range(1, 1, 1, 2), fingerprint: '6666000000000000' });
    const o = outcome({ checks, findings: [...outcome().findings, rep] });
    const a = buildAssessment(o, rules, { date: '2024-02-29', tool: TOOL });
    assert.deepEqual(a.plan.map((i) => `${i.priority} ${i.ruleId}`), ['P0 sec/leak', 'P1 ops/replicas', 'P1 ops/limits', 'P2 ws/metrics']);
    const impacts = a.plan.filter((i) => i.priority === 'P1').map((i) => i.impact!);
    assert.ok(impacts[0]! > impacts[1]!, 'ops/replicas (weight 5, score 0) gains more than ops/limits (weight 2, score 0.2)');
    const text = formatMarkdown(o, rules, { date: '2024-02-29', tool: TOOL });
    assert.ok(text.indexOf('(`ops/replicas`') < text.indexOf('(`ops/limits`, scalability) — 8 warnings'));
  });

  it('is byte-identical across runs on equal input', () => {
    const a = md(outcome(), { linkBase: '' });
    const b = md(outcome(), { linkBase: '' });
    assert.equal(a, b);
    assert.ok(!/\d{4}-\d{2}-\d{2}T/.test(a), 'no timestamps');
  });
});

describe('HTML assessment', () => {
  const html = (extra: Partial<AssessmentOptions> = {}): string => formatHtml(outcome(), RULES, { date: '2024-02-29', names: ['shop'], tool: TOOL, ...extra });

  it('escapes everything from the scan', () => {
    const text = html();
    assert.ok(!text.includes("<script>alert('x')</script>"));
    assert.ok(text.includes('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;'));
    assert.ok(!/<script/i.test(text), 'no script element at all');
  });

  it('is one self-contained page with a strict CSP: no scripts, nothing fetched, links only to rule docs and files', () => {
    const text = html({ linkBase: '' });
    assert.ok(text.startsWith('<!DOCTYPE html>'));
    for (const external of ['<link', '<img', '<iframe', '<object', '<embed', 'src=', 'url(', '@import', '<script']) assert.ok(!text.includes(external), `no ${external}`);
    const $ = cheerio.load(text);
    const csp = $('meta[http-equiv="Content-Security-Policy"]').attr('content') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'unsafe-inline'/);
    assert.ok(!/script-src|unsafe-eval|https?:/.test(csp), csp);
    const hrefs = $('[href]').map((_, el) => $(el).attr('href')).get();
    assert.ok(hrefs.length > 10);
    for (const h of hrefs) {
      if (/^https?:/i.test(h)) assert.ok(h.startsWith('https://example.com/org/readiness/blob/main/rules/'), `only rule docs are absolute links: ${h}`);
      else assert.ok(!/^[a-z][a-z0-9+.-]*:/i.test(h) && !h.startsWith('//'), `other links are relative file links: ${h}`);
    }
    assert.ok(hrefs.includes('config/app.env#L3'));
    assert.ok(hrefs.includes('deploy/my%20app.yaml#L2'));
    assert.equal($('[src]').length, 0);
  });

  it('draws one category bar per scored category, its width proportional to the score', () => {
    const o = outcome();
    const $ = cheerio.load(html());
    const scored = CATEGORIES.filter((c) => o.categories[c].score !== null);
    assert.equal(scored.length, 3);
    const bars = $('#category-chart rect.bar');
    assert.equal(bars.length, scored.length);
    bars.each((_, el) => {
      const cat = $(el).attr('data-category') as Category;
      const score = o.categories[cat].score;
      assert.ok(score !== null, cat);
      assert.equal(Number($(el).attr('data-score')), score);
      assert.equal(Number($(el).attr('width')), (CHART.barWidth * score) / 100, `${cat} bar width`);
    });
    // Every category has a track and a label, scored or not; the chart names itself for screen readers.
    assert.equal($('#category-chart rect.track').length, CATEGORIES.length);
    assert.equal($('#category-chart text.value.na').length, CATEGORIES.length - scored.length);
    assert.equal($('#category-chart > title').text(), 'Category scores');
    assert.match($('#category-chart > desc').text(), /Security 0 of 100; Resilience not scored;/);
    assert.equal($('#category-chart').attr('aria-labelledby'), 'category-chart-title category-chart-desc');
    // The table beside it holds the same numbers.
    assert.equal($('#category-table tbody tr').first().find('td').eq(1).text(), '0/100');
  });

  it('draws findings by severity with the JSON report\'s counts, lengths proportional to them', () => {
    const o = outcome();
    const report = toJsonReport(o, RULES, TOOL);
    const expected: Record<string, number> = { error: 0, warning: 0, info: 0 };
    for (const f of report.findings) expected[f.severity]!++;
    assert.deepEqual({ ...expected }, { error: 1, warning: 8, info: 1 });
    const $ = cheerio.load(html());
    const bars = $('#severity-chart rect.sev');
    assert.equal(bars.length, 3);
    const max = Math.max(...Object.values(expected));
    bars.each((_, el) => {
      const sev = $(el).attr('data-severity')!;
      assert.equal(Number($(el).attr('data-count')), expected[sev], sev);
      assert.ok(Math.abs(Number($(el).attr('width')) - (CHART.barWidth * expected[sev]!) / max) < 0.01, `${sev} bar length`);
    });
    assert.deepEqual(
      $('#severity-table tbody tr').map((_, tr) => $(tr).find('td').eq(1).text()).get(),
      ['1', '8', '1'],
    );
    assert.match($('#severity-chart > desc').text(), /1 error, 8 warnings, 1 info finding/);
  });

  it('draws no severity bar lengths when there are no findings', () => {
    const $ = cheerio.load(formatHtml(outcome({ findings: [] }), RULES, { date: '2024-02-29', tool: TOOL }));
    $('#severity-chart rect.sev').each((_, el) => assert.equal(Number($(el).attr('width')), 0));
  });

  it('carries the Markdown report content', () => {
    const text = html();
    const $ = cheerio.load(text);
    assert.equal($('h1').text(), 'Production readiness assessment — shop');
    assert.ok(text.includes('Date: 2024-02-29'));
    assert.ok($('#overall-score').text().includes(`Overall score: ${outcome().overall}/100`));
    assert.deepEqual(
      $('ol.gaps > li > strong').map((_, el) => $(el).text()).get(),
      ['No leaked keys', 'Containers set limits', 'Services expose metrics'],
    );
    assert.ok(text.includes(`<a href="${DOC('sec/leak')}">No leaked keys</a>`));
    assert.ok(text.includes('<code>config/app.env:3</code>'));
    assert.ok(text.includes('P0 — fix before going to production'));
    assert.deepEqual($('ol.plan').map((_, el) => $(el).attr('data-priority')).get(), ['P0', 'P1', 'P2']);
    assert.ok($('ol.plan[data-priority="P0"] .effort').text().includes('Effort: quick fix available — the finding offers a quick fix (Move it to a Secret)'));
    assert.ok(text.includes('bounded by the queue'));
    assert.ok(text.includes('<code>deploy/broken.yaml:3</code> — YAML: bad indentation'));
    assert.deepEqual(
      $('ul.checks .badge').map((_, el) => $(el).text()).get(),
      ['✗ MISSING', '– N/A', '⚠ PARTIAL', '⚠ PARTIAL'],
    );
  });

  it('styles for dark mode and for print', () => {
    const style = cheerio.load(html())('style').text();
    assert.match(style, /@media \(prefers-color-scheme: dark\)/);
    assert.match(style, /@media print/);
  });

  it('is deterministic', () => {
    assert.equal(html(), html());
  });
});

describe('text report', () => {
  it('shows the score, categories, findings grouped by file and a summary', () => {
    const o = outcome();
    const text = formatText(o);
    const lines = text.split('\n');
    assert.equal(lines[0], `Readiness: ${o.overall}/100 — ${o.grade}`);
    assert.ok(lines.some((l) => /^ {2}Security +0 {2}weight 30, 1 of 2 checks applicable$/.test(l)));
    assert.ok(lines.some((l) => /^ {2}Data +n\/a {2}weight 15, no checks$/.test(l)));
    const header = lines.indexOf('config/app.env');
    assert.ok(header > 0);
    assert.equal(lines[header + 1], `  3:5      error    ${LEAK.message}  sec/leak`);
    assert.equal(lines.filter((l) => l === 'deploy/worker-1.yaml').length, 1);
    assert.ok(text.includes('10 problems (1 error, 8 warnings, 1 info), 3 suppressed'));
    assert.ok(text.includes('1234 files scanned, 1 skipped, 2 parse errors, not analysed: 41 go, 2 java'));
    assert.ok(!text.includes('\x1b['), 'no colour unless asked');
    assert.ok(formatText(o, { color: true }).includes('\x1b[31m'), 'colour when asked');
  });

  it('says when nothing is assessed', () => {
    const text = formatText(outcome({ checks: [], findings: [], suppressed: [] }));
    assert.ok(text.startsWith('Readiness: Not assessed'));
    assert.ok(text.includes('No problems'));
  });
});

describe('report date', () => {
  it('comes from SOURCE_DATE_EPOCH when set, else from now', () => {
    assert.equal(reportDate({ SOURCE_DATE_EPOCH: '1700000000' }, new Date('2030-01-01T00:00:00Z')), '2023-11-14');
    assert.equal(reportDate({}, new Date('2030-01-01T12:00:00Z')), '2030-01-01');
    assert.equal(reportDate({ SOURCE_DATE_EPOCH: 'yesterday' }, new Date('2030-01-01T12:00:00Z')), '2030-01-01');
  });
});
