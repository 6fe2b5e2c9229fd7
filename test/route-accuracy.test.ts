// Route accuracy on the sample apps (test/fixtures/apps/*): each app's routes.expected.json
// was written by reading its code. Per framework, the linked route table is compared with
// the expected routes (method, path, file, line), and http/route-auth's findings with the
// routes expected to be reported (unprotected, optional). Precision and recall must both
// be at least 95% for each framework.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import routeAuth from '../rules/http/route-auth';
import { scan } from '../server/src/engine/index';
import { loadConfig } from '../server/src/engine/config';
import { routeTable } from '../server/src/engine/routes/index';

interface ExpectedRoute {
  method: string;
  path: string;
  file: string;
  line: number;
  expect: 'protected' | 'unprotected' | 'optional' | 'public';
}

interface ExpectedApp {
  framework: string;
  routes: ExpectedRoute[];
  unmounted?: { file: string; line: number }[];
}

const APPS = path.join(__dirname, 'fixtures', 'apps');
const THRESHOLD = 0.95;

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

function ratio(t: Tally): { precision: number; recall: number } {
  return { precision: t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp), recall: t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn) };
}

/** Counts matches between two multisets of keys. */
function tally(actual: string[], expected: string[], into: Tally, misses: string[], label: string): void {
  const left = new Map<string, number>();
  for (const e of expected) left.set(e, (left.get(e) ?? 0) + 1);
  for (const a of actual) {
    const n = left.get(a) ?? 0;
    if (n > 0) {
      into.tp++;
      left.set(a, n - 1);
    } else {
      into.fp++;
      misses.push(`${label} unexpected: ${a}`);
    }
  }
  for (const [k, n] of left) {
    for (let i = 0; i < n; i++) {
      into.fn++;
      misses.push(`${label} missed: ${k}`);
    }
  }
}

const apps = fs.existsSync(APPS) ? fs.readdirSync(APPS).filter((d) => fs.existsSync(path.join(APPS, d, 'routes.expected.json'))).sort() : [];

describe('route accuracy on the sample apps', function () {
  this.timeout(120_000);
  const routesBy = new Map<string, Tally>();
  const findingsBy = new Map<string, Tally>();
  const misses = new Map<string, string[]>();

  it('has sample apps for every major framework', () => {
    const frameworks = new Set(apps.map((a) => (JSON.parse(fs.readFileSync(path.join(APPS, a, 'routes.expected.json'), 'utf8')) as ExpectedApp).framework));
    for (const f of ['express', 'fastify', 'nestjs', 'fastapi', 'flask', 'django']) assert.ok(frameworks.has(f), `a sample app for ${f}`);
  });

  for (const app of apps) {
    it(`${app}: routes and findings`, async () => {
      const dir = path.join(APPS, app);
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'routes.expected.json'), 'utf8')) as ExpectedApp;
      const outcome = await scan({ roots: [dir], rules: [routeAuth] });
      assert.deepEqual(outcome.errors, [], 'the app parses');
      const config = loadConfig(dir).config;
      const table = routeTable(outcome.files, { authGuards: config.authGuards });
      const lineOf = (file: string, offset: number): number => {
        const f = outcome.files.find((x) => x.path === file)!;
        let line = 0;
        while (line + 1 < f.facts.lineStarts.length && f.facts.lineStarts[line + 1]! <= offset) line++;
        return line + 1;
      };
      const fw = expected.framework;
      const r = routesBy.get(fw) ?? { tp: 0, fp: 0, fn: 0 };
      const f = findingsBy.get(fw) ?? { tp: 0, fp: 0, fn: 0 };
      routesBy.set(fw, r);
      findingsBy.set(fw, f);
      const m = misses.get(fw) ?? [];
      misses.set(fw, m);
      // Route identity ignores a trailing slash: `/api/vessels/` (Flask keeps the rule's slash) and `/api/vessels` name the same route.
      const key = (x: { method: string; path: string; file: string; line: number }): string => `${x.method} ${x.path.length > 1 ? x.path.replace(/\/+$/, '') : x.path} ${x.file}:${x.line}`;
      tally(
        table.routes.map((x) => key({ method: x.method, path: x.path, file: x.file, line: lineOf(x.file, x.span.start) })),
        expected.routes.map(key),
        r,
        m,
        `${app} route`,
      );
      const reported = outcome.findings.filter((x) => x.ruleId === 'http/route-auth').map((x) => `${x.file}:${x.range.start.line} ${x.messageId}`);
      const wanted = expected.routes.filter((x) => x.expect === 'unprotected' || x.expect === 'optional').map((x) => `${x.file}:${x.line} ${x.expect === 'optional' ? 'optional' : 'unprotected'}`);
      tally(reported, wanted, f, m, `${app} finding`);
      for (const u of expected.unmounted ?? []) {
        assert.ok(table.unmounted.some((x) => x.file === u.file && lineOf(x.file, x.span.start) === u.line), `${app}: unmounted router at ${u.file}:${u.line} is listed`);
      }
      // Every finding names its method and effective path.
      for (const x of outcome.findings) assert.match(x.message, /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL) \//);
    });
  }

  it('precision and recall are at least 95% per framework', () => {
    const lines: string[] = [];
    const failures: string[] = [];
    for (const [fw, r] of [...routesBy].sort()) {
      const rr = ratio(r);
      const ff = ratio(findingsBy.get(fw)!);
      lines.push(`${fw.padEnd(8)} routes P ${(rr.precision * 100).toFixed(1)}% R ${(rr.recall * 100).toFixed(1)}% (${r.tp} of ${r.tp + r.fn})   findings P ${(ff.precision * 100).toFixed(1)}% R ${(ff.recall * 100).toFixed(1)}%`);
      for (const [what, v] of [['route precision', rr.precision], ['route recall', rr.recall], ['finding precision', ff.precision], ['finding recall', ff.recall]] as const) {
        if (v < THRESHOLD) failures.push(`${fw} ${what} ${(v * 100).toFixed(1)}%:\n    ${misses.get(fw)!.join('\n    ')}`);
      }
    }
    console.log(`      ${lines.join('\n      ')}`);
    assert.deepEqual(failures, []);
  });
});
