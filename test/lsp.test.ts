// Protocol tests: the built language server over stdio, driven by a real JSON-RPC client.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type CodeAction,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { RenderRequest, RescanRequest, ReportRequest } from '../server/src/protocol';
import { normaliseSettings } from '../server/src/lsp/server';
import { applyWorkspaceEditText } from '../server/src/lsp/server';
import { deployment, tempDir, writeTree } from './harness';
import { fileUriOf as uri, startServer, type Client } from './lsp/client';

const DEPLOYMENT = deployment('api');

/** How many times a URI's diagnostics were published. */
function publishes(s: Client, uri: string): number {
  return s.history.filter((p) => p.uri === uri).length;
}

describe('language server over stdio', function () {
  let root: string;
  let s: Client;

  beforeEach(async () => {
    root = tempDir();
    writeTree(root, new Map([['deploy/api.yaml', DEPLOYMENT], ['README.md', '# ws\n']]));
    s = await startServer(root);
  });
  afterEach(async () => s.close());

  it('scans the workspace with progress and publishes diagnostics for files on disk', async () => {
    const diags = await s.waitFor('diagnostics for deploy/api.yaml', () => s.diagnostics.get(uri(root, 'deploy/api.yaml')));
    const tag = diags.find((d) => d.code === 'k8s/image-tag');
    assert.ok(tag, 'k8s/image-tag is reported');
    assert.equal(tag.source, 'readiness');
    assert.deepEqual(tag.range, { start: { line: 10, character: 17 }, end: { line: 10, character: 29 } });
    assert.match(tag.codeDescription!.href, /rules\/k8s\/image-tag\.md$/);
    const kinds = s.progressKinds;
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
  });

  it('analyses unsaved text as the user types and never publishes stale results', async () => {
    await s.waitFor('first diagnostics', () => s.diagnostics.get(uri(root, 'deploy/api.yaml')));
    const u = uri(root, 'deploy/api.yaml');
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: DEPLOYMENT } });
    // Several quick edits: the last one (pinned image) must win.
    for (let v = 2; v <= 5; v++) {
      const text = DEPLOYMENT.replace('nginx:latest', v === 5 ? 'nginx:1.27.2' : `nginx:latest${'#'.repeat(0)}`);
      await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: v }, contentChanges: [{ text }] });
    }
    await s.waitFor('image-tag gone', () => (s.diagnostics.get(u)?.some((d) => d.code === 'k8s/image-tag') === false ? true : undefined));
    assert.equal(fs.readFileSync(path.join(root, 'deploy/api.yaml'), 'utf8'), DEPLOYMENT, 'nothing was written to disk');
  });

  it('publishes again only the files whose diagnostics changed', async () => {
    fs.writeFileSync(path.join(root, 'deploy/other.yaml'), DEPLOYMENT.replace('name: api', 'name: other'));
    await s.close();
    s = await startServer(root);
    const u = uri(root, 'deploy/api.yaml');
    const other = uri(root, 'deploy/other.yaml');
    await s.waitFor('both files', () => (s.diagnostics.get(u) && s.diagnostics.get(other) ? true : undefined));
    const before = publishes(s, other);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: DEPLOYMENT } });
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: 2 }, contentChanges: [{ text: DEPLOYMENT.replace('nginx:latest', 'nginx:1.27.2') }] });
    await s.waitFor('image-tag gone from the edited file', () => (s.diagnostics.get(u)?.some((d) => d.code === 'k8s/image-tag') === false ? true : undefined));
    assert.equal(publishes(s, other), before, 'the unchanged file was not published again');
    // An edit that changes no finding sends no report and no diagnostics. (A rescan first:
    // its answer comes after the notifications of the analysis before it.)
    await s.conn.sendRequest(RescanRequest.type, {});
    const reportsBefore = s.reports.count;
    const publishedBefore = publishes(s, u);
    const fixed = DEPLOYMENT.replace('nginx:latest', 'nginx:1.27.2');
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: 3 }, contentChanges: [{ text: fixed + '# a comment\n' }] });
    const report = await s.conn.sendRequest(RescanRequest.type, {});
    assert.ok(report, 'the analysis ran');
    assert.equal(s.reports.count, reportsBefore, 'no reportChanged for an unchanged report');
    assert.equal(publishes(s, u), publishedBefore, 'no diagnostics resent for unchanged findings');
  });

  it('offers quick fixes whose edits remove the diagnostic, plus ignore and docs actions', async () => {
    const u = uri(root, 'deploy/api.yaml');
    const diags = await s.waitFor('diagnostics', () => s.diagnostics.get(u));
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: DEPLOYMENT } });
    const ignore = diags.find((d) => d.code === 'k8s/image-tag')!;
    const actions = (await s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: u }, range: ignore.range, context: { diagnostics: [ignore] } })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Ignore k8s/image-tag on this line'), titles.join(', '));
    assert.ok(titles.includes('Ignore k8s/image-tag for this workload'), titles.join(', '));
    assert.ok(titles.includes('Show documentation for k8s/image-tag'), titles.join(', '));
    const lineIgnore = actions.find((a) => a.title === 'Ignore k8s/image-tag on this line')!;
    const edited = applyWorkspaceEditText(DEPLOYMENT, lineIgnore.edit!.changes![u] as TextEdit[]);
    assert.match(edited, /\n {10}# readiness-ignore-next-line k8s\/image-tag -- <reason>\n {10}image: nginx:latest/);
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: 2 }, contentChanges: [{ text: edited }] });
    await s.waitFor('image-tag suppressed', () => (s.diagnostics.get(u)?.some((d) => d.code === 'k8s/image-tag') === false ? true : undefined));
  });

  it('reports a broken .readiness.yaml on the config file and keeps analysing', async () => {
    fs.writeFileSync(path.join(root, '.readiness.yaml'), 'rules:\n  k8s/image-tag: loud\n');
    await s.close();
    s = await startServer(root);
    const configDiags = await s.waitFor('config diagnostics', () => s.diagnostics.get(uri(root, '.readiness.yaml')));
    assert.equal(configDiags[0]!.range.start.line, 1);
    assert.match(configDiags[0]!.message, /k8s\/image-tag/);
    await s.waitFor('manifest diagnostics', () => s.diagnostics.get(uri(root, 'deploy/api.yaml')));
  });

  it('answers readiness/report with the JSON report shape', async () => {
    await s.waitFor('diagnostics', () => s.diagnostics.get(uri(root, 'deploy/api.yaml')));
    const report = await s.conn.sendRequest(ReportRequest.type, {});
    assert.ok(report);
    assert.equal(report.version, 1);
    assert.deepEqual(Object.keys(report), ['version', 'tool', 'roots', 'score', 'checks', 'findings', 'services', 'suppressed', 'errors', 'skipped', 'stats']);
    assert.ok(report.findings.some((f) => f.ruleId === 'k8s/image-tag' && f.file === 'deploy/api.yaml'));
  });

  it('rescans on request and answers with the fresh report', async () => {
    await s.waitFor('diagnostics', () => s.diagnostics.get(uri(root, 'deploy/api.yaml')));
    fs.writeFileSync(path.join(root, 'deploy/api.yaml'), DEPLOYMENT.replace('nginx:latest', 'nginx:1.27.2'));
    const report = await s.conn.sendRequest(RescanRequest.type, {});
    assert.ok(report);
    assert.ok(!report.findings.some((f) => f.ruleId === 'k8s/image-tag'), 'the rescan saw the file changed on disk');
  });

  it('renders the current results as Markdown, SARIF and HTML', async () => {
    await s.waitFor('diagnostics', () => s.diagnostics.get(uri(root, 'deploy/api.yaml')));
    const md = await s.conn.sendRequest(RenderRequest.type, { format: 'markdown' });
    assert.match(md!, /^# Production readiness assessment/);
    assert.match(md!, /deploy\/api\.yaml:11/);
    const sarif = JSON.parse((await s.conn.sendRequest(RenderRequest.type, { format: 'sarif' }))!) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === 'k8s/image-tag'));
    assert.match((await s.conn.sendRequest(RenderRequest.type, { format: 'html' }))!, /<svg/);
  });
});

describe('language server: workspace rules carry their evidence', () => {
  it('attaches the evidence of workspace checks as related information', async () => {
    const root = tempDir();
    writeTree(
      root,
      new Map([
        ['deploy/api.yaml', DEPLOYMENT.replace('replicas: 2', 'replicas: 3') + '  selector:\n    matchLabels: {app: api}\n'],
        ['deploy/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n'],
        ['deploy/hpa.yaml', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 3\n  maxReplicas: 6\n'],
      ]),
    );
    const s = await startServer(root);
    try {
      const diags = await s.waitFor('disruption-budget diagnostic', () => s.diagnostics.get(uri(root, 'deploy/api.yaml'))?.find((d) => d.code === 'k8s/disruption-budget'));
      assert.ok(diags.relatedInformation && diags.relatedInformation.length > 0, 'evidence rides along');
      assert.ok(diags.relatedInformation.every((r) => r.location.uri.startsWith('file://') && r.message.length > 0));
    } finally {
      await s.close();
    }
  });
});

describe('language server settings', () => {
  it('normalises what the client sends: defaults, clamped debounce, valid rule levels only', () => {
    const s = normaliseSettings({ debounce: 99999, rules: { 'k8s/probes': 'off', 'k8s/replicas': 'loud' as never }, exclude: ['a/**', 3 as never] });
    assert.equal(s.debounce, 1000);
    assert.deepEqual(s.rules, { 'k8s/probes': 'off' });
    assert.deepEqual(s.exclude, ['a/**']);
    assert.equal(s.enable, true);
    assert.equal(normaliseSettings(null).debounce, 150);
    assert.equal(normaliseSettings({ debounce: -5 }).debounce, 0);
  });
});
