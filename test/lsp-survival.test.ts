// The language server under rough conditions, over stdio: files vanishing mid-scan, huge
// files, a branch switch, a config that breaks and heals, scans overtaken by edits, and a
// client that goes away. No test depends on timing; timeouts are hang guards only.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol';
import { ReportRequest } from '../server/src/protocol';
import { tempDir, writeTree } from './harness';
import { deployment, fileUriOf, HANG_GUARD_MS, serversStoppedAfterEach, startServer, type Client } from './lsp/client';

/** `n` manifests under deploy/, each with findings: enough work that a scan takes a while. */
function manifests(n: number): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < n; i++) files.set(`deploy/app-${String(i).padStart(4, '0')}.yaml`, deployment(`app-${i}`));
  return files;
}

const hasTagFinding = (c: Client, uri: string): boolean | undefined => c.diagnostics.get(uri)?.some((d) => d.code === 'k8s/image-tag');

describe('language server survival', function () {
  this.timeout(HANG_GUARD_MS * 2);
  const start = serversStoppedAfterEach();

  it('survives a file deleted mid-scan and forgets it', async () => {
    const root = tempDir();
    writeTree(root, new Map([...manifests(300), ['deploy/doomed.yaml', deployment('doomed')], ['deploy/marker.yaml', deployment('marker')]]));
    const doomed = path.join(root, 'deploy/doomed.yaml');
    const marker = path.join(root, 'deploy/marker.yaml');
    const c = await start(root, {
      // As soon as the first scan starts: the file goes, and the watcher says so (with another change in the same batch).
      onScanBegin: async (c) => {
        fs.rmSync(doomed);
        fs.writeFileSync(marker, deployment('marker', 'nginx:1.27.2'));
        await c.fileEvents([
          { path: doomed, type: 'deleted' },
          { path: marker, type: 'changed' },
        ]);
      },
    });
    await c.waitFor('the marker change analysed', () => (hasTagFinding(c, fileUriOf(root, 'deploy/marker.yaml')) === false ? true : undefined));
    const report = await c.conn.sendRequest(ReportRequest.type, {});
    assert.ok(report);
    assert.ok(!report.findings.some((f) => f.file === 'deploy/doomed.yaml'), 'no finding for the deleted file');
    assert.ok(!report.skipped.some((s) => s.file === 'deploy/doomed.yaml'), 'the deleted file is not reported as unreadable');
    assert.equal(c.diagnostics.get(fileUriOf(root, 'deploy/doomed.yaml'))?.length ?? 0, 0, 'its diagnostics are absent or cleared');
    assert.ok(report.findings.some((f) => f.file === 'deploy/app-0000.yaml'), 'the rest was analysed');
  });

  it('skips a 100 MB file with a reason and stays responsive', async () => {
    const root = tempDir();
    writeTree(root, new Map([['deploy/api.yaml', deployment('api')]]));
    const huge = path.join(root, 'data/huge.yaml');
    fs.mkdirSync(path.dirname(huge), { recursive: true });
    const fd = fs.openSync(huge, 'w');
    fs.ftruncateSync(fd, 100 * 1024 * 1024); // sparse: 100 MB by size, no disk use
    fs.closeSync(fd);
    const c = await start(root);
    await c.waitFor('diagnostics of the small file', () => c.diagnostics.get(fileUriOf(root, 'deploy/api.yaml')));
    const report = await c.conn.sendRequest(ReportRequest.type, {});
    const skip = report?.skipped.find((s) => s.file === 'data/huge.yaml');
    assert.ok(skip, 'the huge file is listed as skipped');
    assert.match(skip.reason, /larger than maxFileSize/);
    // Still answering and still analysing edits.
    const u = fileUriOf(root, 'deploy/api.yaml');
    await c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: deployment('api', 'nginx:1.27.2') } });
    await c.waitFor('the edit analysed', () => (hasTagFinding(c, u) === false ? true : undefined));
    await c.fileEvents([{ path: huge, type: 'changed' }]);
    const again = await c.conn.sendRequest(ReportRequest.type, {});
    assert.ok(again, 'answers after a change event for the huge file');
  });

  it('takes 1,000 changed files (a branch switch) in one analysis and republishes only what changed', async () => {
    const root = tempDir();
    const files = manifests(1000);
    writeTree(root, files);
    const c = await start(root);
    const paths = [...files.keys()];
    const changedPaths = paths.filter((_, i) => i % 100 === 7); // 10 files really change
    await c.waitFor('first analysis', () => (c.reports.count > 0 && paths.every((p) => c.diagnostics.has(fileUriOf(root, p))) ? true : undefined));
    const reportsBefore = c.reports.count;
    const publishesBefore = c.history.length;
    for (const p of paths) fs.writeFileSync(path.join(root, p), changedPaths.includes(p) ? files.get(p)!.replace('nginx:latest', 'nginx:1.27.2') : files.get(p)!);
    await c.fileEvents(paths.map((p) => ({ path: path.join(root, p), type: 'changed' as const })));
    await c.waitFor('the changed files analysed', () => (changedPaths.every((p) => hasTagFinding(c, fileUriOf(root, p)) === false) ? true : undefined));
    // A rescan request answers after the next analysis: anything the batch caused has arrived by then.
    const report = await c.conn.sendRequest('readiness/rescan', {});
    assert.ok(report);
    assert.equal(c.reports.count - reportsBefore, 1, 'one report for the whole batch');
    const republished = new Set(c.history.slice(publishesBefore).map((p) => p.uri));
    assert.deepEqual([...republished].sort(), changedPaths.map((p) => fileUriOf(root, p)).sort(), 'only the changed files were published again');
    for (const p of paths.filter((x) => !changedPaths.includes(x)).slice(0, 20)) assert.equal(hasTagFinding(c, fileUriOf(root, p)), true, `${p} keeps its finding`);
  });

  it('reports a config that turns invalid while open at the key, keeps analysing, and recovers', async () => {
    const root = tempDir();
    const good = 'rules:\n  k8s/image-tag: off\n';
    writeTree(root, new Map([['deploy/api.yaml', deployment('api')], ['.readiness.yaml', good]]));
    const c = await start(root);
    const api = fileUriOf(root, 'deploy/api.yaml');
    const cfg = fileUriOf(root, '.readiness.yaml');
    await c.waitFor('first analysis', () => (c.diagnostics.get(api) && c.reports.count > 0 ? true : undefined));
    assert.equal(hasTagFinding(c, api), false, 'the config turns k8s/image-tag off');
    await c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: cfg, languageId: 'yaml', version: 1, text: good } });

    const bad = 'rules:\n  k8s/probes: off\n  k8s/image-tag: loud\n';
    await c.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: cfg, version: 2 }, contentChanges: [{ text: bad }] });
    fs.writeFileSync(path.join(root, '.readiness.yaml'), bad);
    await c.fileEvents([{ path: path.join(root, '.readiness.yaml'), type: 'changed' }]);
    const issue = await c.waitFor('config diagnostic', () => c.diagnostics.get(cfg)?.find((d) => d.code === 'config'));
    assert.equal(issue.range.start.line, 2, 'on the line of the bad key');
    assert.match(issue.message, /k8s\/image-tag/);
    // The analysis goes on (with the defaults for what the file no longer says validly).
    await c.waitFor('manifest analysed under the fallback config', () => (hasTagFinding(c, api) === true ? true : undefined));

    const healed = 'rules:\n  k8s/image-tag: off\n  k8s/probes: off\n';
    await c.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: cfg, version: 3 }, contentChanges: [{ text: healed }] });
    fs.writeFileSync(path.join(root, '.readiness.yaml'), healed);
    await c.fileEvents([{ path: path.join(root, '.readiness.yaml'), type: 'changed' }]);
    await c.waitFor('config diagnostic cleared', () => (c.diagnostics.get(cfg)?.some((d) => d.code === 'config') === false ? true : undefined)).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(c.diagnostics.get(cfg))} ${c.logs.join(' | ')}`);
    });
    await c.waitFor('the healed config applied', () => (c.diagnostics.get(api)?.some((d) => d.code === 'k8s/image-tag' || d.code === 'k8s/probes') === false ? true : undefined));
  });

  it('cancels a running scan when newer input arrives and never publishes its stale result', async () => {
    const root = tempDir();
    writeTree(root, new Map([...manifests(1500), ['deploy/api.yaml', deployment('api')]]));
    const u = fileUriOf(root, 'deploy/api.yaml');
    const c = await start(root, {
      // The first scan reads api.yaml from disk (latest tag); the editor's text, sent as the scan starts, pins it.
      onScanBegin: (c) =>
        c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: deployment('api', 'nginx:1.27.2') } }),
    });
    await c.waitFor('diagnostics for the open document', () => c.diagnostics.get(u));
    await c.waitFor('the cancellation logged', () => c.logs.find((l) => /analysis cancelled/.test(l)));
    const forDoc = c.history.filter((p) => p.uri === u);
    assert.ok(forDoc.length > 0);
    for (const p of forDoc) {
      assert.equal(p.version, 1, 'every publish for the document is of the version the editor holds');
      assert.ok(!p.diagnostics.some((d) => d.code === 'k8s/image-tag'), 'the disk text (latest tag) was never published');
    }
    assert.deepEqual(c.progressKinds.slice(0, 2), ['begin', 'end'], 'the cancelled scan ended its progress');
    assert.equal(c.progressKinds.filter((k) => k === 'end').length, c.progressKinds.filter((k) => k === 'begin').length, 'every progress that began ended');
  });

  it('exits promptly when the client closes stdin without shutdown', async () => {
    const root = tempDir();
    writeTree(root, new Map([['deploy/api.yaml', deployment('api')]]));
    const c = await startServer(root);
    await c.waitFor('first diagnostics', () => c.diagnostics.get(fileUriOf(root, 'deploy/api.yaml')));
    c.proc.stdin!.end();
    const code = await c.exited;
    assert.notEqual(code, undefined);
    assert.equal(c.proc.exitCode !== null || c.proc.signalCode !== null, true, 'the process is gone');
    c.conn.dispose();
  });

  it('exits on exit without shutdown', async () => {
    const root = tempDir();
    writeTree(root, new Map([['deploy/api.yaml', deployment('api')]]));
    const c = await startServer(root);
    await c.waitFor('first diagnostics', () => c.diagnostics.get(fileUriOf(root, 'deploy/api.yaml')));
    await c.conn.sendNotification('exit');
    const code = await c.exited;
    assert.equal(code, 1, 'exit before shutdown is an error exit, as the protocol says');
    c.conn.dispose();
  });
});
