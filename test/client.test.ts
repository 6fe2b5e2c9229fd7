// The extension's editor-free parts: the readiness tree built from a report (order, counts,
// icons, filtering, grouping), the status bar text and the crash policy.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { JsonCheck, JsonFinding, JsonReport } from '../server/src/cli/format/json';
import { CATEGORIES } from '../server/src/engine/types';
import { CRASH_LIMIT, CRASH_WINDOW_MS, CrashTracker, crashMessage } from '../client/src/crashes';
import { LatestRender, messageHtml, WEBVIEW_CSP, webviewHtml } from '../client/src/reportView';
import { buildTree, resolveReportPath, statusBarText, walk, type TreeNode } from '../client/src/treeModel';
import { formatHtml, REPORT_CSP } from '../server/src/cli/format/html';
import type { ScanOutcome } from '../server/src/engine/index';

const ROOT = path.resolve('/work/shop');

function finding(ruleId: string, file: string, line: number, extra: Partial<JsonFinding> = {}): JsonFinding {
  return {
    ruleId,
    category: 'scalability',
    severity: 'warning',
    file,
    line,
    column: 11,
    endLine: line,
    endColumn: 24,
    message: `${ruleId} at ${file}:${line}`,
    fingerprint: `${ruleId}-${file}-${line}`,
    fixes: [],
    ...extra,
  };
}

function check(id: string, category: JsonCheck['category'], status: JsonCheck['status'], extra: Partial<JsonCheck> = {}): JsonCheck {
  const score = status === 'pass' ? 1 : status === 'partial' ? 0.5 : status === 'fail' ? 0 : null;
  return { id, category, weight: 5, scope: 'location', status, score, subjects: status === 'not-applicable' ? 0 : 2, failing: 0, summary: `${id} summary`, evidence: [], ...extra };
}

function sampleReport(): JsonReport {
  const categories = {} as JsonReport['score']['categories'];
  for (const c of CATEGORIES) categories[c] = { score: null, weight: 10, checks: 0, applicable: 0 };
  categories.security = { score: 40, weight: 30, checks: 2, applicable: 2 };
  categories.scalability = { score: 75, weight: 10, checks: 3, applicable: 2 };
  return {
    version: 1,
    tool: { name: 'readiness', version: '0.1.0' },
    roots: [ROOT],
    score: { overall: 62, grade: 'MVP', categories },
    checks: [
      check('k8s/resource-limits', 'scalability', 'partial', {
        evidence: [
          { file: 'deploy/api.yaml', line: 18, column: 11, endLine: 22, endColumn: 30, note: 'limits set' },
          { note: 'looked for a LimitRange in deploy/**; found none' },
        ],
      }),
      check('k8s/replicas', 'scalability', 'pass'),
      check('k8s/autoscaling', 'scalability', 'not-applicable'),
      check('k8s/non-root', 'security', 'fail'),
      check('k8s/image-tag', 'security', 'pass'),
    ],
    findings: [
      finding('k8s/non-root', 'deploy/api.yaml', 9, { category: 'security', severity: 'error' }),
      finding('k8s/resource-limits', 'deploy/worker.yaml', 21),
      finding('k8s/non-root', 'deploy/worker.yaml', 4, { category: 'security', severity: 'error', fixes: [{ title: 'Set runAsNonRoot', safe: true }] }),
      // Two findings with one fingerprint (same subject reported twice) still get distinct ids.
      finding('k8s/non-root', 'deploy/worker.yaml', 30, { category: 'security', severity: 'error', fingerprint: 'same' }),
      finding('k8s/non-root', 'deploy/worker.yaml', 31, { category: 'security', severity: 'error', fingerprint: 'same' }),
    ],
    services: [],
    suppressed: [],
    errors: [{ file: 'deploy/broken.yaml', line: 3, message: 'YAML: bad indentation' }],
    skipped: [],
    stats: { files: 4, skipped: 0, durationMs: 12, notAnalysed: {} },
  };
}

function child(node: TreeNode, label: string): TreeNode {
  const found = node.children.find((c) => c.label === label);
  assert.ok(found, `no child "${label}" under "${node.label}" (has ${node.children.map((c) => c.label).join(', ')})`);
  return found;
}

function assertUniqueIds(nodes: TreeNode[]): void {
  const ids = [...walk(nodes)].map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`);
}

describe('client: readiness tree model', () => {
  it('has nothing to show without a report', () => {
    assert.deepEqual(buildTree(undefined), []);
  });

  it('puts the overall score and grade on top, with parse errors beside it', () => {
    const roots = buildTree(sampleReport());
    assert.deepEqual(
      roots.map((n) => [n.kind, n.label, n.description]),
      [
        ['overall', 'Overall 62%', 'MVP'],
        ['errors', 'Files that could not be read', '1'],
      ],
    );
    assert.equal(roots[0]!.icon?.id, 'warning', '62 is between 50 and 90');
    assert.equal(roots[0]!.expanded, true);
    const error = roots[1]!.children[0]!;
    assert.equal(error.label, 'YAML: bad indentation');
    assert.deepEqual(error.location, { path: path.join(ROOT, 'deploy/broken.yaml'), range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } } });
  });

  it('lists the seven categories in catalogue order with their scores', () => {
    const overall = buildTree(sampleReport())[0]!;
    assert.deepEqual(
      overall.children.map((c) => c.label),
      ['Security', 'Resilience', 'Observability', 'Data', 'Scalability', 'Delivery', 'Documentation'],
    );
    const descriptions = Object.fromEntries(overall.children.map((c) => [c.label, c.description]));
    assert.equal(descriptions.Security, '40% · 1 failing');
    assert.equal(descriptions.Scalability, '75% · 1 failing');
    assert.equal(descriptions.Resilience, 'not applicable');
    assert.deepEqual(
      overall.children.map((c) => c.icon?.id),
      ['error', 'circle-slash', 'circle-slash', 'circle-slash', 'warning', 'circle-slash', 'circle-slash'],
    );
    assert.ok(overall.children.every((c) => c.kind === 'category'));
  });

  it('shows checks in report order with a status icon and the finding count', () => {
    const overall = buildTree(sampleReport())[0]!;
    const scalability = child(overall, 'Scalability');
    assert.deepEqual(
      scalability.children.map((c) => [c.label, c.icon?.id, c.icon?.color, c.description]),
      [
        ['k8s/resource-limits', 'warning', 'problemsWarningIcon.foreground', '1 finding'],
        ['k8s/replicas', 'pass', 'testing.iconPassed', 'passed'],
        ['k8s/autoscaling', 'circle-slash', 'disabledForeground', 'not applicable'],
      ],
    );
    const security = child(overall, 'Security');
    assert.deepEqual(
      security.children.map((c) => [c.label, c.icon?.id, c.description]),
      [
        ['k8s/non-root', 'error', '4 findings'],
        ['k8s/image-tag', 'pass', 'passed'],
      ],
    );
    assert.ok(security.children.every((c) => c.kind === 'check' && c.ruleId === c.label));
  });

  it('puts findings (with their exact range) and evidence under a check', () => {
    const limits = child(child(buildTree(sampleReport())[0]!, 'Scalability'), 'k8s/resource-limits');
    assert.deepEqual(
      limits.children.map((c) => [c.kind, c.label, c.description, c.icon?.id]),
      [
        ['finding', 'k8s/resource-limits at deploy/worker.yaml:21', 'deploy/worker.yaml:21', 'warning'],
        ['evidence', 'limits set', 'deploy/api.yaml:18', 'location'],
        ['evidence', 'looked for a LimitRange in deploy/**; found none', undefined, 'search'],
      ],
    );
    const [f, located, statement] = limits.children as [TreeNode, TreeNode, TreeNode];
    // 1-based report positions with an exclusive end column → 0-based editor positions.
    assert.deepEqual(f.location, { path: path.join(ROOT, 'deploy/worker.yaml'), range: { start: { line: 20, character: 10 }, end: { line: 20, character: 23 } } });
    assert.equal(f.ruleId, 'k8s/resource-limits');
    assert.deepEqual(located.location, { path: path.join(ROOT, 'deploy/api.yaml'), range: { start: { line: 17, character: 10 }, end: { line: 21, character: 29 } } });
    assert.equal(statement.location, undefined, 'evidence without a file opens nothing');
    assert.deepEqual(statement.children, []);
  });

  it('gives findings severity icons and a tooltip naming rule, place and fixes', () => {
    const nonRoot = child(child(buildTree(sampleReport())[0]!, 'Security'), 'k8s/non-root');
    assert.deepEqual(
      nonRoot.children.map((c) => c.description),
      ['deploy/api.yaml:9', 'deploy/worker.yaml:4', 'deploy/worker.yaml:30', 'deploy/worker.yaml:31'],
    );
    assert.ok(nonRoot.children.every((c) => c.icon?.id === 'error' && c.icon.color === 'problemsErrorIcon.foreground'));
    assert.match(nonRoot.children[1]!.tooltip ?? '', /error · k8s\/non-root[\s\S]*deploy\/worker\.yaml:4:11[\s\S]*quick fix: Set runAsNonRoot/);
  });

  it('gives every node a unique, stable id and a context value per kind', () => {
    const a = buildTree(sampleReport());
    const b = buildTree(sampleReport());
    assertUniqueIds(a);
    assertUniqueIds(buildTree(sampleReport(), { filterFailing: false, groupBy: 'file' }));
    assert.deepEqual([...walk(a)].map((n) => n.id), [...walk(b)].map((n) => n.id));
    const kinds = new Set([...walk(a)].map((n) => n.kind));
    assert.deepEqual([...kinds].sort(), ['category', 'check', 'error', 'errors', 'evidence', 'finding', 'overall']);
  });

  it('filters to failing and partial checks, dropping categories with none', () => {
    const overall = buildTree(sampleReport(), { filterFailing: true, groupBy: 'category' })[0]!;
    assert.deepEqual(
      overall.children.map((c) => [c.label, c.children.map((k) => k.label)]),
      [
        ['Security', ['k8s/non-root']],
        ['Scalability', ['k8s/resource-limits']],
      ],
    );
    assert.equal(overall.label, 'Overall 62%', 'the score is the score, filtered or not');
  });

  it('groups findings by file, files in path order, findings in line order', () => {
    const overall = buildTree(sampleReport(), { filterFailing: false, groupBy: 'file' })[0]!;
    assert.deepEqual(
      overall.children.map((c) => [c.kind, c.label, c.description, c.resourcePath]),
      [
        ['file', 'deploy/api.yaml', '1 finding', path.join(ROOT, 'deploy/api.yaml')],
        ['file', 'deploy/worker.yaml', '4 findings', path.join(ROOT, 'deploy/worker.yaml')],
      ],
    );
    const worker = overall.children[1]!;
    assert.deepEqual(
      worker.children.map((c) => c.description),
      ['Ln 4 · k8s/non-root', 'Ln 21 · k8s/resource-limits', 'Ln 30 · k8s/non-root', 'Ln 31 · k8s/non-root'],
    );
    assert.equal(worker.icon, undefined, 'file nodes take the file icon theme');
  });

  it('scores nothing assessed as a dash', () => {
    const report = sampleReport();
    report.score.overall = null;
    report.score.grade = 'Not assessed';
    const overall = buildTree(report)[0]!;
    assert.equal(overall.label, 'Overall —');
    assert.equal(overall.description, 'Not assessed');
    assert.equal(overall.icon?.id, 'circle-slash');
  });

  it('resolves report paths: relative to the one root, absolute with several', () => {
    assert.equal(resolveReportPath({ roots: [ROOT] }, 'deploy/a.yaml'), path.join(ROOT, 'deploy/a.yaml'));
    const other = path.resolve('/work/other/deploy/a.yaml');
    assert.equal(resolveReportPath({ roots: [ROOT, path.resolve('/work/other')] }, other), other);
  });
});

describe('client: status bar text', () => {
  it('shows the score, or a dash when nothing is assessed yet', () => {
    const report = sampleReport();
    assert.equal(statusBarText(report).text, 'Readiness 62%');
    assert.match(statusBarText(report).tooltip, /MVP/);
    assert.equal(statusBarText(undefined).text, 'Readiness —');
    report.score.overall = null;
    report.score.grade = 'Not assessed';
    assert.equal(statusBarText(report).text, 'Readiness —');
    assert.match(statusBarText(report).tooltip, /Not assessed/);
  });
});

describe('client: crash policy', () => {
  it(`restarts until the ${CRASH_LIMIT}th crash within the window, then gives up`, () => {
    let now = 0;
    const tracker = new CrashTracker(CRASH_LIMIT, CRASH_WINDOW_MS, () => now);
    const verdicts: string[] = [];
    for (let i = 0; i < CRASH_LIMIT; i++) {
      verdicts.push(tracker.crashed());
      now += 10_000;
    }
    assert.deepEqual(verdicts, ['restart', 'restart', 'restart', 'restart', 'give-up']);
    assert.match(crashMessage(), /crashed 5 times in the last 3 minutes/);
  });

  it('forgets crashes older than the window and after a deliberate restart', () => {
    let now = 0;
    const tracker = new CrashTracker(CRASH_LIMIT, CRASH_WINDOW_MS, () => now);
    for (let i = 0; i < 20; i++) {
      assert.equal(tracker.crashed(), 'restart', `crash ${i + 1}, one a minute`);
      now += 60_000;
    }
    assert.equal(tracker.recent, 2, "the crashes at minutes 18 and 19, seen at minute 20");
    tracker.reset();
    assert.equal(tracker.recent, 0);
    for (let i = 0; i < CRASH_LIMIT - 1; i++) assert.equal(tracker.crashed(), 'restart');
    assert.equal(tracker.crashed(), 'give-up');
  });
});


describe('client: report webview page', () => {
  const cspOf = (html: string): string[] => [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/gi)].map((m) => m[1]!);

  it('uses the HTML report\'s own policy: inline styles only, no script, nothing loaded', () => {
    assert.equal(WEBVIEW_CSP, REPORT_CSP);
    assert.match(WEBVIEW_CSP, /default-src 'none'/);
    assert.match(WEBVIEW_CSP, /style-src 'unsafe-inline'/);
    assert.ok(!/script-src|https?:|\*/.test(WEBVIEW_CSP), WEBVIEW_CSP);
  });

  it('replaces any policy the page carries with the webview\'s, first in <head>', () => {
    const page = webviewHtml('<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="content-security-policy" content="default-src *"><title>t</title></head><body><p>x</p></body></html>');
    assert.deepEqual(cspOf(page), [WEBVIEW_CSP]);
    assert.ok(page.indexOf('Content-Security-Policy') < page.indexOf('<meta charset'), 'before anything it governs');
    assert.ok(!page.includes('default-src *'));
    assert.ok(page.includes('<p>x</p>'));
  });

  it('wraps a fragment without <head> into a page with the policy', () => {
    const page = webviewHtml('<p>bare</p>');
    assert.deepEqual(cspOf(page), [WEBVIEW_CSP]);
    assert.ok(page.includes('<body>\n<p>bare</p>'));
  });

  it('keeps the server\'s HTML report whole, with exactly one policy', () => {
    const outcome: ScanOutcome = {
      roots: [ROOT],
      overall: 50,
      grade: 'MVP',
      categories: Object.fromEntries(CATEGORIES.map((c) => [c, { score: c === 'security' ? 50 : null, weight: 10, checks: c === 'security' ? 1 : 0, applicable: c === 'security' ? 1 : 0 }])) as ScanOutcome['categories'],
      checks: [{ id: 'k8s/non-root', category: 'security', weight: 5, scope: 'location', status: 'partial', score: 0.5, subjects: 2, failing: 1, summary: '1 of 2 containers run as non-root', evidence: [] }],
      findings: [],
      suppressed: [],
      services: [],
      errors: [],
      skipped: [],
      stats: { files: 3, skipped: 0, durationMs: 1, notAnalysed: {}, cacheHits: 0 },
      files: [],
      configIssues: [],
      configs: [],
    };
    const html = formatHtml(outcome, [], { date: '2024-01-02' });
    const page = webviewHtml(html);
    assert.deepEqual(cspOf(page), [WEBVIEW_CSP]);
    assert.equal(page.replace(/\n<meta http-equiv="Content-Security-Policy"[^>]*>/, ''), html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n/, ''));
    assert.ok(page.includes('Overall score: 50/100'));
  });

  it('shows messages escaped', () => {
    const page = messageHtml('could not render: <b>boom</b> & "more"');
    assert.ok(page.includes('<p>could not render: &lt;b&gt;boom&lt;/b&gt; &amp; &quot;more&quot;</p>'));
    assert.deepEqual(cspOf(page), [WEBVIEW_CSP]);
  });

  it('lets only the newest render through', () => {
    const renders = new LatestRender();
    const first = renders.begin();
    assert.equal(first(), true);
    const second = renders.begin();
    assert.equal(first(), false, 'a report change started a newer render');
    assert.equal(second(), true);
  });
});
