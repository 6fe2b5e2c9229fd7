// The built CLI (dist/cli.js) as a child process on small workspaces in temp dirs:
// commands, exit codes, the JSON contract's shape, SARIF validity, reproducible reports.
// Rule bodies change often, so these tests hold the structure, not particular findings.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { allRules } from '../rules/index';
import { parseArgs, UsageError } from '../server/src/cli/args';
import { reportLinkBase } from '../server/src/cli/run';
import { DiskFactsCache } from '../server/src/engine/diskcache';
import { CATEGORIES } from '../server/src/engine/types';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const IDS = allRules.map((r) => r.meta.id);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (!opts.env || !('SOURCE_DATE_EPOCH' in opts.env)) delete env.SOURCE_DATE_EPOCH;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];
function workspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-cli-'));
  temps.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return dir;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
          env:
            - name: DB_PASSWORD
              value: hunter2hunter2hunter2
`;

const BROKEN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data:
  a: [1, 2
  b: {
`;

/** A workspace with a manifest full of gaps, a parse error, a binary file and a Go file. */
function richWorkspace(): string {
  return workspace({
    'deploy/web.yaml': DEPLOYMENT,
    'deploy/broken.yaml': BROKEN,
    'assets/logo.bin': Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02, 0x00]),
    'tools/main.go': 'package main\n\nfunc main() {}\n',
    'README.md': '# Demo\n',
  });
}

function json(run: Run): Record<string, unknown> {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function keys(o: unknown): string[] {
  assert.ok(o && typeof o === 'object' && !Array.isArray(o), `expected an object, got ${JSON.stringify(o)}`);
  return Object.keys(o);
}

function assertKeys(o: unknown, required: string[], optional: string[] = [], where = ''): void {
  const k = keys(o);
  for (const r of required) assert.ok(k.includes(r), `${where}: missing '${r}' in ${JSON.stringify(o)}`);
  for (const x of k) assert.ok(required.includes(x) || optional.includes(x), `${where}: unexpected key '${x}'`);
}

const isInt = (n: unknown): boolean => Number.isInteger(n);

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run 'npm run build' first (npm test does it)`);
});

after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

describe('readiness CLI', () => {
  describe('help and version', () => {
    it('--help prints usage and exits 0', () => {
      const r = cli(['--help']);
      assert.equal(r.code, 0);
      for (const s of ['Usage: readiness', 'scan [PATH ...]', '--format', '--fail-under', '--fail-on', '--rule ID=LEVEL', '--no-progress', 'rules', 'explain RULE_ID']) assert.ok(r.stdout.includes(s), s);
      assert.equal(cli(['scan', '--help']).code, 0);
    });

    it('--version prints the package version', () => {
      const r = cli(['--version']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${PKG.version}\n`);
    });

    it('no command, an unknown command or an unknown option exits 2 with a message', () => {
      // The parser's cases are unit-tested below; here, that the process turns them into exit 2.
      for (const args of [[], ['frobnicate'], ['scan', '--format', 'xml']]) {
        const r = cli(args);
        assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}`);
        assert.match(r.stderr, /^readiness: /, args.join(' '));
        assert.equal(r.stdout, '');
      }
    });
  });

  describe('rules', () => {
    it('lists every catalogue rule with id, category, weight, severity and summary', () => {
      const r = cli(['rules']);
      assert.equal(r.code, 0);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^ID\s+CATEGORY\s+WEIGHT\s+SEVERITY\s+SUMMARY$/);
      assert.equal(lines.length, IDS.length + 1);
      allRules.forEach((rule, i) => {
        const cells = lines[i + 1]!.split(/\s{2,}/);
        assert.deepEqual(cells, [rule.meta.id, rule.meta.category, String(rule.meta.weight), rule.meta.severity, rule.meta.summary]);
      });
    });

    it('--format json lists the same rules in catalogue order', () => {
      const out = json(cli(['rules', '--format', 'json']));
      assert.equal(out.version, 1);
      const rules = out.rules as Record<string, unknown>[];
      assert.deepEqual(
        rules.map((r) => r.id),
        IDS,
      );
      for (const [i, r] of rules.entries()) {
        const m = allRules[i]!.meta;
        assert.equal(r.category, m.category);
        assert.equal(r.weight, m.weight);
        assert.equal(r.severity, m.severity);
        assert.equal(r.summary, m.summary);
        assert.match(String(r.helpUri), new RegExp(`/blob/main/rules/${m.id}\\.md$`));
      }
    });
  });

  describe('explain', () => {
    it('prints the rule doc, which starts with its title', () => {
      // One rule per domain: every doc's presence and title is the catalogue test's job.
      const sample = [...new Map(allRules.map((r) => [r.meta.id.split('/')[0], r])).values()];
      for (const rule of sample) {
        const r = cli(['explain', rule.meta.id]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.split('\n')[0], `# ${rule.meta.title}`);
        assert.equal(r.stdout.trimEnd(), fs.readFileSync(path.join(ROOT, 'rules', `${rule.meta.id}.md`), 'utf8').trimEnd());
      }
    });

    it('works from any working directory', () => {
      const r = cli(['explain', IDS[0]!], { cwd: os.tmpdir() });
      assert.equal(r.code, 0, r.stderr);
    });

    it('exits 2 on an unknown rule id', () => {
      for (const id of ['k8s/nope', '../package', 'k8s']) {
        const r = cli(['explain', id]);
        assert.equal(r.code, 2);
        assert.ok(r.stderr.includes(`unknown rule '${id}'`), r.stderr);
        assert.equal(r.stdout, '');
      }
      assert.equal(cli(['explain']).code, 2);
    });
  });

  describe('scan --format json', () => {
    it('matches the version 1 contract key by key', () => {
      const dir = richWorkspace();
      const report = json(cli(['scan', dir, '--format', 'json']));
      assertKeys(report, ['version', 'tool', 'roots', 'score', 'checks', 'findings', 'services', 'suppressed', 'errors', 'skipped', 'stats'], [], 'report');
      assert.deepEqual(keys(report), ['version', 'tool', 'roots', 'score', 'checks', 'findings', 'services', 'suppressed', 'errors', 'skipped', 'stats'], 'contract key order');
      assert.equal(report.version, 1);
      assert.deepEqual(report.tool, { name: 'readiness', version: PKG.version });
      assert.deepEqual(report.roots, [dir]);

      const score = report.score as Record<string, unknown>;
      assertKeys(score, ['overall', 'grade', 'categories'], [], 'score');
      assert.ok(score.overall === null || (isInt(score.overall) && (score.overall as number) >= 0 && (score.overall as number) <= 100));
      assert.ok(['Production ready', 'Ready with gaps', 'MVP', 'Not ready', 'Not assessed'].includes(score.grade as string));
      assert.deepEqual(keys(score.categories), [...CATEGORIES]);
      for (const [cat, c] of Object.entries(score.categories as Record<string, Record<string, unknown>>)) {
        assertKeys(c, ['score', 'weight', 'checks', 'applicable'], [], `categories.${cat}`);
        assert.ok(c.score === null || isInt(c.score));
        assert.ok(isInt(c.checks) && isInt(c.applicable) && (c.applicable as number) <= (c.checks as number));
      }

      const checks = report.checks as Record<string, unknown>[];
      assert.deepEqual(
        checks.map((c) => c.id),
        IDS,
        'every enabled rule is a check, in catalogue order',
      );
      for (const c of checks) {
        assertKeys(c, ['id', 'category', 'weight', 'scope', 'status', 'score', 'subjects', 'failing', 'summary', 'evidence'], [], `check ${String(c.id)}`);
        assert.ok(['pass', 'partial', 'fail', 'not-applicable'].includes(c.status as string));
        assert.ok(['location', 'workspace'].includes(c.scope as string));
        assert.ok(c.score === null || ((c.score as number) >= 0 && (c.score as number) <= 1));
        assert.equal(c.score === null, c.status === 'not-applicable');
        for (const e of c.evidence as Record<string, unknown>[]) {
          if ('line' in e) assertKeys(e, ['file', 'line', 'column', 'endLine', 'endColumn', 'note'], [], 'evidence');
          else assertKeys(e, ['note'], ['file'], 'evidence');
        }
      }

      const findings = report.findings as Record<string, unknown>[];
      assert.ok(findings.length > 0, 'a manifest with a latest image, a privileged container and a literal password has findings');
      for (const f of findings) {
        assertKeys(f, ['ruleId', 'category', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fingerprint', 'fixes'], ['service'], `finding ${String(f.ruleId)}`);
        assert.ok(IDS.includes(f.ruleId as string));
        assert.ok(['error', 'warning', 'info'].includes(f.severity as string));
        assert.ok(!path.isAbsolute(f.file as string) && !(f.file as string).includes('\\'), 'relative paths with /');
        for (const k of ['line', 'column', 'endLine', 'endColumn']) assert.ok(isInt(f[k]) && (f[k] as number) >= 1, k);
        assert.match(f.fingerprint as string, /^[0-9a-f]{16}$/);
        for (const fix of f.fixes as unknown[]) assertKeys(fix, ['title', 'safe'], [], 'fix');
        assert.ok(!(f.message as string).includes('hunter2hunter2hunter2'), 'secret values never appear');
      }
      const order = findings.map((f) => [f.file, f.line, f.column, f.ruleId] as [string, number, number, string]);
      const sorted = [...order].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0)));
      assert.deepEqual(order, sorted, 'findings sorted by file, line, column, ruleId');

      for (const s of report.services as unknown[]) assertKeys(s, ['name', 'root', 'kind'], ['entry'], 'service');
      for (const s of report.suppressed as unknown[]) assertKeys(s, ['ruleId', 'file', 'line'], ['reason'], 'suppressed');
      const errors = report.errors as Record<string, unknown>[];
      for (const e of errors) assertKeys(e, ['file', 'message'], ['line'], 'error');
      assert.ok(
        errors.some((e) => e.file === 'deploy/broken.yaml'),
        'the broken manifest is a parse error',
      );
      const skipped = report.skipped as Record<string, unknown>[];
      for (const s of skipped) assertKeys(s, ['file', 'reason'], [], 'skipped');
      assert.ok(
        skipped.some((s) => s.file === 'assets/logo.bin'),
        'the binary file is skipped',
      );
      const stats = report.stats as Record<string, unknown>;
      assertKeys(stats, ['files', 'skipped', 'durationMs', 'notAnalysed'], [], 'stats');
      assert.ok(isInt(stats.files) && (stats.files as number) >= 3);
      assert.equal(stats.skipped, skipped.length);
      assert.ok(typeof stats.durationMs === 'number' && stats.durationMs >= 0);
      assert.deepEqual(stats.notAnalysed, { go: 1 });

      for (const internal of ['"span"', '"subjectKey"', '"fixData"', '"cacheHits"', '"configs"', '"configIssues"', '"messageId"', '"absPath"', 'hunter2hunter2hunter2']) {
        assert.ok(!JSON.stringify(report).includes(internal), `${internal} stays out`);
      }
    });

    it('is deterministic apart from stats.durationMs', () => {
      const dir = richWorkspace();
      const strip = (s: string): string => s.replace(/"durationMs": \d+/, '"durationMs": 0');
      const a = cli(['scan', dir, '--format', 'json']);
      const b = cli(['scan', dir, '--format', 'json']);
      assert.equal(a.code, 0);
      assert.equal(strip(a.stdout), strip(b.stdout));
    });

    it('scans the current directory by default', () => {
      const dir = richWorkspace();
      const report = json(cli(['scan', '--format', 'json'], { cwd: dir }));
      assert.deepEqual(report.roots, ['.']);
      assert.ok((report.findings as unknown[]).length > 0);
    });
  });

  describe('scan options', () => {
    it('--output writes the report to the file and nothing to stdout', () => {
      const dir = richWorkspace();
      const out = path.join(dir, 'out', 'report.json');
      fs.mkdirSync(path.dirname(out));
      const r = cli(['scan', dir, '--format', 'json', '--output', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { version: number; checks: unknown[] };
      assert.equal(report.version, 1);
      assert.equal(report.checks.length, IDS.length);
    });

    it('--output to an unwritable place exits 2', () => {
      const dir = richWorkspace();
      const r = cli(['scan', dir, '--output', path.join(dir, 'no', 'such', 'dir', 'r.txt')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot write/);
    });

    it('--rule validates ids and levels, and turning a rule off drops its check', () => {
      const dir = richWorkspace();
      let r = cli(['scan', dir, '--rule', 'bogus/rule=error']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown rule 'bogus\/rule'/);
      r = cli(['scan', dir, '--rule', `${IDS[0]!}=loud`]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /off, info, warning, error/);
      r = cli(['scan', dir, '--rule', 'no-equals-sign']);
      assert.equal(r.code, 2);
      const off = IDS[0]!;
      const report = json(cli(['scan', dir, '--format', 'json', '--rule', `${off}=off`, `--rule=${IDS[1]!}=info`]));
      const ids = (report.checks as { id: string }[]).map((c) => c.id);
      assert.ok(!ids.includes(off), 'a rule turned off is left out of checks');
      assert.deepEqual(ids, IDS.slice(1));
      for (const f of report.findings as { ruleId: string; severity: string }[]) {
        assert.notEqual(f.ruleId, off);
        if (f.ruleId === IDS[1]) assert.equal(f.severity, 'info', 'the flag sets the level of every finding');
      }
    });

    it('--fail-under gates on the overall score', () => {
      const dir = richWorkspace();
      const overall = (json(cli(['scan', dir, '--format', 'json'])).score as { overall: number | null }).overall;
      assert.notEqual(overall, null, 'the workspace has applicable checks');
      let r = cli(['scan', dir, '--fail-under', '101']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /below --fail-under 101/);
      assert.ok(r.stdout.startsWith('Readiness:'), 'the report is still printed');
      r = cli(['scan', dir, '--fail-under', '0']);
      assert.equal(r.code, 0, r.stderr);
      r = cli(['scan', dir, `--fail-under=${overall!}`]);
      assert.equal(r.code, 0, 'a score equal to the threshold passes');
    });

    it('--fail-on gates on the worst remaining finding', () => {
      const dir = richWorkspace();
      const report = json(cli(['scan', dir, '--format', 'json', '--rule', 'k8s/image-tag=error']));
      const severities = new Set((report.findings as { severity: string }[]).map((f) => f.severity));
      assert.ok(severities.has('error'), 'k8s/image-tag=error turns its finding on nginx:latest into an error');
      let r = cli(['scan', dir, '--rule', 'k8s/image-tag=error', '--fail-on', 'error']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /gate failed: \d+ findings? of severity error/);
      r = cli(['scan', dir, '--rule', 'k8s/image-tag=error', '--fail-on', 'warning']);
      assert.equal(r.code, 1);
      const quiet = workspace({ 'README.md': '# Nothing to deploy\n' });
      r = cli(['scan', quiet, '--fail-on', 'warning']);
      assert.equal(r.code, 0, r.stderr);
    });

    it('an empty workspace is "Not assessed" and --fail-under does not fail it', () => {
      // Only a binary file, which is skipped: nothing any rule reads.
      const quiet = workspace({ 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) });
      const report = json(cli(['scan', quiet, '--format', 'json']));
      assert.deepEqual(report.score, { ...(report.score as object), overall: null, grade: 'Not assessed' });
      const r = cli(['scan', quiet, '--fail-under', '80']);
      assert.equal(r.code, 0);
      assert.match(r.stderr, /not applied/);
      assert.ok(r.stdout.startsWith('Readiness: Not assessed'));
    });

    it('a nonexistent path exits 2 naming it', () => {
      const missing = path.join(os.tmpdir(), 'readiness-no-such-dir-4b1d');
      const r = cli(['scan', missing]);
      assert.equal(r.code, 2);
      assert.ok(r.stderr.includes(missing), r.stderr);
      assert.equal(r.stdout, '');
    });

    it('a config error exits 2 with file:line:column and the key', () => {
      const dir = richWorkspace();
      fs.writeFileSync(path.join(dir, '.readiness.yaml'), 'rules:\n  k8s/image-tag: loud\n');
      const r = cli(['scan', dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\.readiness\.yaml:2:\d+: rules\.k8s\/image-tag: /);
      assert.equal(r.stdout, '');
      const missing = cli(['scan', dir, '--config', path.join(dir, 'nope.yaml')]);
      assert.equal(missing.code, 2);
      assert.ok(missing.stderr.includes('nope.yaml'));
    });

    it('falls back to the config failUnder when the flag is absent', () => {
      const dir = richWorkspace();
      fs.writeFileSync(path.join(dir, '.readiness.yaml'), 'failUnder: 100\n');
      const report = json(cli(['scan', dir, '--format', 'json', '--fail-under', '0']));
      const overall = (report.score as { overall: number }).overall;
      assert.ok(overall < 100, 'the workspace has gaps');
      const r = cli(['scan', dir]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /below failUnder in the config 100/);
    });

    it('prints no progress line when stderr is not a terminal', () => {
      const dir = richWorkspace();
      const r = cli(['scan', dir]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
    });

    it('text output is plain when stdout is not a terminal', () => {
      const dir = richWorkspace();
      const r = cli(['scan', dir]);
      assert.ok(!r.stdout.includes('\x1b['));
      assert.match(r.stdout, /^Readiness: (\d+\/100 — .+|Not assessed.*)$/m);
      assert.match(r.stdout, /^deploy\/web\.yaml$/m);
      assert.match(r.stdout, /^ {2}\d+:\d+ +(error|warning|info) +.+ {2}[a-z0-9-]+\/[a-z0-9-]+$/m);
      assert.match(r.stdout, /^\d+ problems? \(/m);
    });
  });

  describe('multiple roots', () => {
    it('prefixes every path with its root as given', () => {
      const parent = workspace({ 'a/deploy/web.yaml': DEPLOYMENT, 'a/deploy/broken.yaml': BROKEN, 'b/k8s/web.yaml': DEPLOYMENT, 'b/bin/blob.bin': Buffer.from([0, 1, 2, 0]) });
      const report = json(cli(['scan', 'a', 'b', '--format', 'json'], { cwd: parent }));
      assert.deepEqual(report.roots, ['a', 'b']);
      const findings = report.findings as { file: string; fingerprint: string }[];
      assert.ok(findings.some((f) => f.file.startsWith('a/deploy/')));
      assert.ok(findings.some((f) => f.file.startsWith('b/k8s/')));
      for (const f of findings) assert.ok(f.file.startsWith('a/') || f.file.startsWith('b/'), f.file);
      const prints = findings.map((f) => f.fingerprint);
      assert.equal(new Set(prints).size, prints.length, 'the same manifest under two roots gives distinct fingerprints');
      for (const e of report.errors as { file: string }[]) assert.ok(e.file.startsWith('a/') || e.file.startsWith('b/'), e.file);
      assert.ok((report.errors as { file: string }[]).some((e) => e.file === 'a/deploy/broken.yaml'));
      assert.ok((report.skipped as { file: string }[]).some((s) => s.file === 'b/bin/blob.bin'));
      for (const c of report.checks as { evidence: { file?: string }[] }[]) {
        for (const e of c.evidence) if (e.file) assert.ok(e.file.startsWith('a/') || e.file.startsWith('b/'), e.file);
      }
    });
  });

  describe('scan --format sarif', () => {
    it('validates against the SARIF 2.1.0 schema and mirrors the JSON report', () => {
      const dir = richWorkspace();
      fs.writeFileSync(path.join(dir, 'deploy/ignored.yaml'), DEPLOYMENT.replace('image: nginx:latest', '# readiness-ignore-next-line k8s/image-tag -- pinned by the platform team\n          image: nginx:latest').replace(/name: web/g, 'name: quiet'));
      const r = cli(['scan', dir, '--format', 'sarif']);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; suppressions?: unknown[]; partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[]; originalUriBaseIds: Record<string, { uri: string }> }[] };
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object);
      assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
      assert.equal(doc.runs.length, 1);
      const run = doc.runs[0]!;
      assert.deepEqual(
        run.tool.driver.rules.map((x) => x.id),
        IDS,
      );
      for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, new RegExp(`^https://.+/blob/main/rules/${rule.id}\\.md$`));
      assert.equal(run.originalUriBaseIds['%SRCROOT%']!.uri, pathToFileURL(dir + '/').href);

      const report = json(cli(['scan', dir, '--format', 'json']));
      const findings = report.findings as { fingerprint: string }[];
      const suppressed = report.suppressed as unknown[];
      assert.equal(run.results.length, findings.length + suppressed.length);
      assert.equal(run.results.filter((x) => x.suppressions).length, suppressed.length);
      assert.deepEqual(
        run.results.filter((x) => !x.suppressions).map((x) => x.partialFingerprints['readiness/v1']),
        findings.map((f) => f.fingerprint),
      );
      for (const res of run.results) {
        const loc = res.locations[0]!.physicalLocation.artifactLocation;
        assert.equal(loc.uriBaseId, '%SRCROOT%');
        assert.ok(!loc.uri.startsWith('/') && !loc.uri.includes('\\'));
      }
    });
  });

  describe('scan --format markdown and html', () => {
    it('markdown is byte-for-byte reproducible with SOURCE_DATE_EPOCH and shows the date', () => {
      const dir = richWorkspace();
      const env = { SOURCE_DATE_EPOCH: '1700000000' };
      const a = cli(['scan', dir, '--format', 'markdown'], { env });
      const b = cli(['scan', dir, '--format', 'markdown'], { env });
      assert.equal(a.code, 0, a.stderr);
      assert.equal(a.stdout, b.stdout);
      assert.ok(a.stdout.startsWith(`# Production readiness assessment — ${path.basename(dir)}\n`));
      assert.ok(a.stdout.includes('**Date:** 2023-11-14'));
      assert.ok(a.stdout.includes('## Category scores'));
      assert.ok(a.stdout.includes('## Action plan'));
      assert.ok(a.stdout.includes('## Files that could not be parsed'));
      assert.ok(!a.stdout.includes('hunter2hunter2hunter2'));
      const later = cli(['scan', dir, '--format', 'markdown'], { env: { SOURCE_DATE_EPOCH: '1800000000' } });
      assert.ok(later.stdout.includes('**Date:** 2027-01-15'));
    });

    it('html is one self-contained, reproducible page', () => {
      const dir = richWorkspace();
      const env = { SOURCE_DATE_EPOCH: '1700000000' };
      const a = cli(['scan', dir, '--format', 'html'], { env });
      const b = cli(['scan', dir, '--format', 'html'], { env });
      assert.equal(a.code, 0, a.stderr);
      assert.equal(a.stdout, b.stdout);
      assert.ok(a.stdout.startsWith('<!DOCTYPE html>'));
      assert.ok(a.stdout.includes('<svg'));
      assert.ok(a.stdout.includes('2023-11-14'));
      for (const external of ['<script', '<link', '<img', 'src=']) assert.ok(!a.stdout.includes(external), external);
    });

    it('links cited files relative to where the report is written', () => {
      const dir = richWorkspace();
      const out = path.join(dir, 'reports', 'readiness.md');
      fs.mkdirSync(path.dirname(out));
      const r = cli(['scan', dir, '--format', 'markdown', '--output', out], { env: { SOURCE_DATE_EPOCH: '1700000000' } });
      assert.equal(r.code, 0, r.stderr);
      const text = fs.readFileSync(out, 'utf8');
      const links = [...text.matchAll(/\]\((\.\.\/[^)#]+)(?:#L(\d+))?\)/g)];
      assert.ok(links.length > 0, 'file links');
      for (const [, rel, line] of links) {
        const file = path.resolve(path.dirname(out), decodeURIComponent(rel!));
        assert.ok(fs.existsSync(file), `${rel} resolves to a file beside the report`);
        if (line) assert.ok(Number(line) <= fs.readFileSync(file, 'utf8').split('\n').length, `${rel}#L${line} is within the file`);
      }
    });
  });

  describe('reportLinkBase', () => {
    it('is the way from the report\'s folder to the root the paths are relative to', () => {
      const cwd = path.resolve('/w/repo');
      assert.equal(reportLinkBase(['examples/shop'], cwd, undefined), 'examples/shop/');
      assert.equal(reportLinkBase(['.'], cwd, undefined), '');
      assert.equal(reportLinkBase(['examples/shop'], cwd, 'out/report.md'), '../examples/shop/');
      assert.equal(reportLinkBase(['.'], cwd, path.resolve('/w/repo/report.html')), '');
      assert.equal(reportLinkBase(['a', 'b/c'], cwd, 'docs/r.md'), '../', 'several roots: paths start with the root as given');
      assert.equal(reportLinkBase(['a', path.resolve('/elsewhere')], cwd, undefined), undefined);
    });
  });
});

describe('the facts cache', () => {
  const mode = (p: string): number => fs.statSync(p).mode & 0o777;

  it('is written to .readiness-cache/ at the root, owner-only, and gives the same report on the next run', () => {
    const dir = workspace({ 'k8s/deploy.yaml': DEPLOYMENT, 'app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' });
    const first = cli(['scan', dir, '--format', 'json'], { env: { SOURCE_DATE_EPOCH: '1700000000' } });
    const file = path.join(dir, '.readiness-cache', 'facts.bin');
    assert.ok(fs.existsSync(file), 'the cache file should exist after a scan');
    if (process.platform !== 'win32') {
      assert.equal(mode(path.dirname(file)), 0o700);
      assert.equal(mode(file), 0o600);
    }
    const stamp = fs.statSync(file).mtimeMs;
    const second = cli(['scan', dir, '--format', 'json'], { env: { SOURCE_DATE_EPOCH: '1700000000' } });
    assert.equal(second.code, first.code);
    const strip = (out: string): unknown => {
      const j = JSON.parse(out) as { stats: Record<string, unknown> };
      return { ...j, stats: { ...j.stats, durationMs: 0 } };
    };
    assert.deepEqual(strip(second.stdout), strip(first.stdout));
    const saved = new DiskFactsCache(path.dirname(file), { version: PKG.version });
    assert.deepEqual(saved.load(), { ok: true, entries: 2 }, 'the cache should hold both files, written for this version');
    assert.ok(fs.statSync(file).mtimeMs >= stamp);
  });

  it('goes where --cache-dir says, and nowhere with --no-cache', () => {
    const dir = workspace({ 'k8s/deploy.yaml': DEPLOYMENT });
    const elsewhere = path.join(dir, 'elsewhere', 'cache');
    cli(['scan', dir, '--cache-dir', elsewhere, '--no-progress']);
    assert.ok(fs.existsSync(path.join(elsewhere, 'facts.bin')));
    assert.ok(!fs.existsSync(path.join(dir, '.readiness-cache')));
    const other = workspace({ 'k8s/deploy.yaml': DEPLOYMENT });
    cli(['scan', other, '--no-cache']);
    assert.deepEqual(fs.readdirSync(other), ['k8s']);
  });
});

describe('parseArgs', () => {
  const known = new Set(IDS);
  it('reads scan options in both --name value and --name=value forms', () => {
    const args = parseArgs(['scan', 'a', '--format=sarif', '--output', 'o.sarif', '--rule', `${IDS[0]!}=off`, '--fail-under', '80', '--fail-on=warning', '--no-progress', '--', '--odd-dir'], known);
    assert.deepEqual(args, { command: 'scan', paths: ['a', '--odd-dir'], format: 'sarif', output: 'o.sarif', rules: { [IDS[0]!]: 'off' }, failUnder: 80, failOn: 'warning', progress: false, cache: true });
    assert.deepEqual(parseArgs(['scan', '--no-cache', '--cache-dir=c'], known), { command: 'scan', paths: [], format: 'text', rules: {}, progress: true, cache: false, cacheDir: 'c' });
  });

  it('rejects what it does not understand with a UsageError', () => {
    const bad = [
      [],
      ['frobnicate'],
      ['scan', '--colour'],
      ['scan', '-x'],
      ['scan', '--format'],
      ['scan', '--format', 'xml'],
      ['scan', '--rule', 'x=error'],
      ['scan', '--rule', `${IDS[0]!}=loud`],
      ['scan', '--rule', 'no-equals-sign'],
      ['scan', '--fail-under', 'high'],
      ['scan', '--fail-under', ''],
      ['scan', '--fail-on', 'info'],
      ['scan', '--no-progress=yes'],
      ['scan', '--no-cache=1'],
      ['scan', '--cache-dir'],
      ['scan', '--cache-dir='],
      ['rules', '--format', 'sarif'],
      ['rules', 'extra'],
      ['explain'],
      ['explain', 'a', 'b'],
      ['--fail-under', '3'],
    ];
    for (const argv of bad) {
      assert.throws(() => parseArgs(argv, known), UsageError, argv.join(' '));
    }
  });
});
