// Readiness in a real VS Code: these run inside the extension host (code-server's here, or
// desktop VS Code's where one can be downloaded) on a fresh copy of examples/shop, and use
// only the `vscode` API and what the extension's `activate` returns.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReadinessApi } from '../../../client/src/extension';
import type { JsonFinding, JsonReport } from '../../../server/src/cli/format/json';
import { statusBarText } from '../../../client/src/treeModel';

const EXTENSION_ID = 'readiness.readiness';
const SEVEN_CATEGORIES = ['Security', 'Resilience', 'Observability', 'Data', 'Scalability', 'Delivery', 'Documentation'];
const CATEGORY_KEYS = ['security', 'resilience', 'observability', 'data', 'scalability', 'delivery', 'documentation'] as const;
const WAIT_MS = 45_000;

/**
 * Resolves with `probe()`'s first defined value, checked now and after each of `events`;
 * rejects after `timeoutMs` with what was last seen. No fixed sleeps.
 */
function waitFor<T>(what: string, probe: () => T | undefined, events: vscode.Event<unknown>[], timeoutMs = WAIT_MS, lastSeen: () => string = () => ''): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const done = (): void => {
      clearTimeout(timer);
      subscriptions.forEach((s) => s.dispose());
    };
    const check = (): boolean => {
      let value: T | undefined;
      try {
        value = probe();
      } catch (e) {
        done();
        reject(e instanceof Error ? e : new Error(String(e)));
        return true;
      }
      if (value === undefined) return false;
      done();
      resolve(value);
      return true;
    };
    const timer = setTimeout(() => {
      done();
      const seen = lastSeen();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen:\n${seen}` : ''}`));
    }, timeoutMs);
    if (check()) return;
    for (const event of events) subscriptions.push(event(() => void check()));
  });
}

/** For state no event announces (an extension's activation): a bounded polling loop. */
async function poll<T>(what: string, probe: () => T | undefined, timeoutMs = WAIT_MS, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

function readinessDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'readiness');
}

const SEVERITY: Record<JsonFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** One line per diagnostic: rule, 0-based range, severity; sorted. */
function describeDiagnostics(list: readonly vscode.Diagnostic[]): string[] {
  return list.map((d) => `${codeOf(d)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} severity=${d.severity}`).sort();
}

/** The same lines for the CLI's findings (1-based, end column exclusive → 0-based). */
function describeFindings(list: readonly JsonFinding[]): string[] {
  return list.map((f) => `${f.ruleId} ${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1} severity=${SEVERITY[f.severity]}`).sort();
}

/** The project's CLI on the same folder: the reference the editor must agree with. */
function scanWithCli(folder: string): Promise<JsonReport> {
  const cli = process.env.READINESS_E2E_CLI ?? path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
  return new Promise((resolve, reject) => {
    // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it Node.
    execFile(process.execPath, [cli, 'scan', folder, '--format', 'json', '--no-progress'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && error.code !== 1) reject(new Error(`readiness scan failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as JsonReport);
    });
  });
}

/** A report's findings as sorted lines: rule, file, position, severity. */
function findingLines(report: JsonReport | undefined): string[] {
  return (report?.findings ?? []).map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity}`).sort();
}

function sameFindings(a: JsonReport | undefined, b: JsonReport): boolean {
  return a !== undefined && JSON.stringify(findingLines(a)) === JSON.stringify(findingLines(b));
}

function byFile(findings: readonly JsonFinding[]): Map<string, JsonFinding[]> {
  const out = new Map<string, JsonFinding[]>();
  for (const f of findings) out.set(f.file, [...(out.get(f.file) ?? []), f]);
  return out;
}

/** Declares the suites; called by index.ts once mocha has set up describe/it. */
export function defineTests(): void {
  describe('Readiness extension in VS Code', function () {
    let api: ReadinessApi;
    let folder: vscode.Uri;
    let cli: JsonReport;
    let worker: vscode.Uri;

    before(async function () {
      const workspace = vscode.workspace.workspaceFolders?.[0];
      assert.ok(workspace, 'the test run opens the sample workspace folder');
      folder = workspace.uri;
      worker = vscode.Uri.joinPath(folder, 'deploy', 'worker.yaml');
      cli = await scanWithCli(folder.fsPath);
      assert.ok(cli.findings.length > 0, 'the CLI finds something in the sample workspace');
    });

    it('activates from the workspace contents and returns its API', async function () {
      const extension = vscode.extensions.getExtension<ReadinessApi>(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is loaded as the extension under development`);
      // The workspace holds Kubernetes YAML: `workspaceContains` activates it without any command.
      api = await poll('the extension to activate', () => (extension.isActive ? extension.exports : undefined));
      assert.equal(typeof api.getReport, 'function');
      assert.ok(api.tree, 'the API exposes the tree provider');
      assert.ok(api.client.isRunning(), 'the language server is running');
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['readiness.rescan', 'readiness.openReport', 'readiness.exportSarif', 'readiness.showOutput', 'readiness.restartServer']) {
        assert.ok(commands.includes(id), `command ${id} is registered`);
      }
    });

    it('publishes diagnostics for files on disk that are not open, at the finding (k8s/image-tag on deploy/worker.yaml line 17)', async function () {
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === worker.toString()), 'worker.yaml is not open');
      const diagnostic = await waitFor(
        'the k8s/image-tag diagnostic on deploy/worker.yaml',
        () => readinessDiagnostics(worker).find((d) => codeOf(d) === 'k8s/image-tag'),
        [vscode.languages.onDidChangeDiagnostics],
        WAIT_MS,
        () => describeDiagnostics(readinessDiagnostics(worker)).join('\n'),
      );
      // `image: shop/worker:latest` is line 17 (1-based), the value from column 18 to 36.
      assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character], [16, 17, 16, 35]);
      assert.equal(diagnostic.source, 'readiness');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(diagnostic.message, /latest/);
      const code = diagnostic.code;
      assert.ok(typeof code === 'object' && code !== null, 'the code carries the rule documentation link');
      assert.equal(code.value, 'k8s/image-tag');
      assert.match(code.target.toString(), /rules\/k8s\/image-tag\.md$/);
    });

    it('shows the same diagnostics as the CLI reports, file by file', async function () {
      const expected = byFile(cli.findings);
      for (const manifest of ['deploy/api.yaml', 'deploy/jobs.yaml', 'deploy/worker.yaml']) assert.ok(expected.has(manifest), `the CLI reports findings in ${manifest}`);
      const actual = (): Map<string, string[]> => new Map([...expected.keys()].map((file) => [file, describeDiagnostics(readinessDiagnostics(vscode.Uri.joinPath(folder, file)))]));
      const wanted = new Map([...expected].map(([file, list]) => [file, describeFindings(list)]));
      const same = (): boolean => [...wanted].every(([file, lines]) => JSON.stringify(actual().get(file)) === JSON.stringify(lines));
      await waitFor('every file to carry the CLI findings', () => (same() ? true : undefined), [vscode.languages.onDidChangeDiagnostics], WAIT_MS, () => JSON.stringify([...actual()], null, 1));
      assert.deepEqual(actual(), wanted);
      // Files without findings carry none.
      const clean = (await vscode.workspace.findFiles('**/*')).filter((uri) => !expected.has(path.relative(folder.fsPath, uri.fsPath).split(path.sep).join('/')));
      assert.ok(clean.length > 0, 'the sample has files without findings');
      for (const uri of clean) assert.deepEqual(describeDiagnostics(readinessDiagnostics(uri)), [], `${uri.fsPath} has no findings`);
    });

    it('fills the Readiness tree: the overall score, the seven categories, their checks and finding counts', async function () {
      const report = await waitFor('the first report', () => api.getReport(), [api.onDidChangeReport]);
      assert.equal(report.score.overall, cli.score.overall, 'the editor scores the workspace as the CLI does');
      const tree = api.tree;
      const top = await tree.getChildren();
      assert.ok(Array.isArray(top) && top.length >= 1);
      const overall = top[0]!;
      const overallItem = await tree.getTreeItem(overall);
      assert.equal(overallItem.label, `Overall ${cli.score.overall}%`);
      assert.equal(overallItem.description, cli.score.grade);
      const categories = (await tree.getChildren(overall)) ?? [];
      const labels = await Promise.all(categories.map(async (c) => (await tree.getTreeItem(c)).label));
      assert.deepEqual(labels, SEVEN_CATEGORIES);
      let findingNodes = 0;
      for (const [i, node] of categories.entries()) {
        const key = CATEGORY_KEYS[i]!;
        const summary = cli.score.categories[key];
        const item = await tree.getTreeItem(node);
        const description = String(item.description);
        if (summary.score === null) assert.equal(description, 'not applicable', `${key} has nothing to assess`);
        else assert.ok(description.startsWith(`${summary.score}%`), `${key}: "${description}" starts with ${summary.score}%`);
        const checks = (await tree.getChildren(node)) ?? [];
        assert.equal(checks.length, summary.checks, `${key} holds ${summary.checks} checks`);
        for (const check of checks) {
          const ruleId = String((await tree.getTreeItem(check)).label);
          const findings = cli.findings.filter((f) => f.ruleId === ruleId);
          const children = (await tree.getChildren(check)) ?? [];
          const findingChildren = children.filter((c) => c.kind === 'finding');
          assert.equal(findingChildren.length, findings.length, `${ruleId} lists ${findings.length} findings`);
          if (findings.length > 0) assert.equal((await tree.getTreeItem(check)).description, `${findings.length} finding${findings.length === 1 ? '' : 's'}`);
          findingNodes += findingChildren.length;
        }
      }
      assert.equal(findingNodes, cli.findings.length, 'every finding is in the tree once');
      // A finding opens its exact range.
      const imageTag = categories[CATEGORY_KEYS.indexOf('delivery')]!;
      const check = ((await tree.getChildren(imageTag)) ?? []).find((c) => c.ruleId === 'k8s/image-tag');
      assert.ok(check, 'Delivery holds k8s/image-tag');
      const finding = ((await tree.getChildren(check)) ?? [])[0]!;
      const command = (await tree.getTreeItem(finding)).command;
      assert.equal(command?.command, 'vscode.open');
      const [target, options] = command.arguments as [vscode.Uri, vscode.TextDocumentShowOptions];
      assert.equal(target.fsPath, worker.fsPath);
      const selection = options.selection as vscode.Range;
      assert.deepEqual([selection.start.line, selection.start.character, selection.end.line, selection.end.character], [16, 17, 16, 35]);
    });

    it('shows the score in the status bar', async function () {
      const report = api.getReport();
      assert.ok(report);
      assert.equal(api.statusText(), `Readiness ${cli.score.overall}%`);
      assert.equal(statusBarText(report).text, api.statusText());
      assert.equal(report.score.grade, cli.score.grade);
    });

    it('opens the HTML report in a webview and refreshes it when the report changes', async function () {
      const panel = await vscode.commands.executeCommand<vscode.WebviewPanel | undefined>('readiness.openReport');
      assert.ok(panel, 'the command resolves with the webview panel');
      try {
        assert.equal(panel.viewType, 'readiness.report');
        assert.equal(panel.webview.options.enableScripts, false, 'the page runs no script');
        const html = api.reportPanelHtml() ?? '';
        assert.ok(html.includes(`Overall score: ${cli.score.overall}/100`), 'the score the CLI gives');
        assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';[^"]*">/);
        assert.ok(!/<script/i.test(html));
        const tagFinding = 'uses image &#39;shop/worker:latest&#39;';
        assert.ok(html.includes(tagFinding), 'the k8s/image-tag finding is cited');
        // An unsaved edit changes the report: the open page follows without being asked.
        const document = await vscode.workspace.openTextDocument(worker);
        const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
        const line = document.lineAt(16);
        const at = line.text.indexOf('latest');
        await editor.edit((b) => b.replace(new vscode.Range(16, at, 16, at + 'latest'.length), '1.4.2'));
        await waitFor('the report page to drop the fixed finding', () => (api.reportPanelHtml()?.includes(tagFinding) === false ? true : undefined), [api.onDidRenderReportPanel], WAIT_MS, () => String(api.reportPanelHtml()?.length));
        await vscode.commands.executeCommand('workbench.action.files.revert');
        await waitFor('the finding to come back on the page after revert', () => (api.reportPanelHtml()?.includes(tagFinding) ? true : undefined), [api.onDidRenderReportPanel]);
      } finally {
        panel.dispose();
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
      assert.equal(api.reportPanelHtml(), undefined, 'closed');
    });

    it('follows unsaved edits: fixing the image tag in the editor clears k8s/image-tag before saving', async function () {
      assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off', 'the test profile saves only when asked');
      const document = await vscode.workspace.openTextDocument(worker);
      const editor = await vscode.window.showTextDocument(document);
      const line = document.lineAt(16);
      const at = line.text.indexOf('latest');
      assert.ok(at > 0, line.text);
      await editor.edit((b) => b.replace(new vscode.Range(16, at, 16, at + 'latest'.length), '1.4.2'));
      assert.ok(document.isDirty);
      await waitFor('k8s/image-tag to go away on unsaved text', () => (readinessDiagnostics(worker).some((d) => codeOf(d) === 'k8s/image-tag') ? undefined : true), [vscode.languages.onDidChangeDiagnostics], WAIT_MS, () =>
        describeDiagnostics(readinessDiagnostics(worker)).join('\n'),
      );
      assert.match(fs.readFileSync(worker.fsPath, 'utf8'), /shop\/worker:latest/, 'the file on disk is unchanged');
      // Back to the text on disk: the finding returns.
      await vscode.commands.executeCommand('workbench.action.files.revert');
      assert.equal(document.isDirty, false);
      await waitFor('k8s/image-tag to come back after revert', () => readinessDiagnostics(worker).find((d) => codeOf(d) === 'k8s/image-tag'), [vscode.languages.onDidChangeDiagnostics]);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('applies a quick fix from the code action provider: the saved file changes and the diagnostic goes away', async function () {
      const secret = await waitFor('the k8s/secret-in-env diagnostic', () => readinessDiagnostics(worker).find((d) => codeOf(d) === 'k8s/secret-in-env'), [vscode.languages.onDidChangeDiagnostics]);
      assert.equal(secret.range.start.line, 21, 'SMTP_PASSWORD value on line 22');
      const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', worker, secret.range)) ?? [];
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes('Ignore k8s/secret-in-env on this line'), titles.join('\n'));
      assert.ok(titles.includes('Show documentation for k8s/secret-in-env'), titles.join('\n'));
      const fix = actions.find((a): a is vscode.CodeAction => a.title === "Take 'SMTP_PASSWORD' from Secret 'worker-secrets' (key 'smtp-password')");
      assert.ok(fix, `the rule's fix is offered among:\n${titles.join('\n')}`);
      assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.equal(fix.isPreferred, true);
      assert.ok(fix.edit, 'the fix carries its edit');

      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      const document = await vscode.workspace.openTextDocument(worker);
      assert.ok(document.isDirty, 'the edit is applied to the document');
      assert.equal(await document.save(), true);
      const saved = fs.readFileSync(worker.fsPath, 'utf8');
      assert.doesNotMatch(saved, /example-smtp-pass-1234/, 'the literal secret is gone from the file');
      assert.match(saved, /secretKeyRef:\s*\n\s*name: worker-secrets\s*\n\s*key: smtp-password/);

      await waitFor('k8s/secret-in-env to leave deploy/worker.yaml', () => (readinessDiagnostics(worker).some((d) => codeOf(d) === 'k8s/secret-in-env') ? undefined : true), [vscode.languages.onDidChangeDiagnostics], WAIT_MS, () =>
        describeDiagnostics(readinessDiagnostics(worker)).join('\n'),
      );
      assert.ok(readinessDiagnostics(worker).some((d) => codeOf(d) === 'k8s/image-tag'), 'the other findings stay');
      // The editor's report agrees with the CLI on the saved workspace.
      const after = await scanWithCli(folder.fsPath);
      assert.equal(after.findings.filter((f) => f.ruleId === 'k8s/secret-in-env' && f.file === 'deploy/worker.yaml').length, 0, 'the CLI no longer finds it either');
      await waitFor('a report equal to the CLI scan of the saved file', () => (sameFindings(api.getReport(), after) ? true : undefined), [api.onDidChangeReport], WAIT_MS, () =>
        findingLines(api.getReport()).join('\n'),
      );
    });

    it('rescans the workspace on Readiness: Rescan Workspace', async function () {
      const report = await vscode.commands.executeCommand<JsonReport | undefined>('readiness.rescan');
      assert.ok(report, 'the command resolves with the fresh report');
      const cliNow = await scanWithCli(folder.fsPath);
      assert.deepEqual(findingLines(report), findingLines(cliNow));
      assert.deepEqual(report.score, cliNow.score);
      assert.deepEqual(api.getReport()?.score, report.score);
    });
  });
}
