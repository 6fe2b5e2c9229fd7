// The language server keeps its facts cache where the client says (the workspace's storage):
// loaded before the first scan, saved after scans and at shutdown, so that the next start
// extracts only what changed. No test depends on timing; timeouts are hang guards only.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ReportRequest } from '../server/src/protocol';
import { tempDir, writeTree } from './harness';
import { deployment, HANG_GUARD_MS, serversStoppedAfterEach, type Client } from './lsp/client';

const firstAnalysis = (c: Client): { hits: number; files: number } | undefined => {
  for (const line of c.logs) {
    const m = /first analysis: (\d+) of (\d+) files' facts from the facts cache/.exec(line);
    if (m) return { hits: Number(m[1]), files: Number(m[2]) };
  }
  return undefined;
};

describe('language server facts cache', function () {
  this.timeout(HANG_GUARD_MS * 2);
  const start = serversStoppedAfterEach();

  it('saves the cache at shutdown and serves the next start from it, re-extracting only what changed', async () => {
    const root = tempDir();
    writeTree(root, new Map([...Array.from({ length: 5 }, (_, i) => [`deploy/app-${i}.yaml`, deployment(`app-${i}`)] as [string, string]), ['README.md', '# shop\n']]));
    const storage = tempDir('readiness-storage-');
    const initializationOptions = { cacheDir: storage };

    const c1 = await start(root, { initializationOptions });
    await c1.waitFor('the cache load log', () => (c1.logs.some((l) => /facts cache .*: starting cold \(not read: ENOENT\)/.test(l)) ? true : undefined));
    const cold = await c1.waitFor('the first analysis', () => firstAnalysis(c1));
    assert.deepEqual(cold, { hits: 0, files: 6 });
    const coldReport = await c1.conn.sendRequest(ReportRequest.type, {});
    await c1.close();
    const facts = path.join(storage, 'facts-cache', 'facts.bin');
    assert.ok(fs.existsSync(facts), 'saved at shutdown');
    if (process.platform !== 'win32') assert.equal(fs.statSync(facts).mode & 0o777, 0o600);

    // One file changed while no server ran.
    fs.writeFileSync(path.join(root, 'deploy/app-0.yaml'), deployment('app-0', 'nginx:1.27.2'));
    const c2 = await start(root, { initializationOptions });
    await c2.waitFor('the cache load log', () => (c2.logs.some((l) => /facts cache .*: \d+ entries loaded/.test(l)) ? true : undefined));
    const warm = await c2.waitFor('the first analysis', () => firstAnalysis(c2));
    assert.deepEqual(warm, { hits: 5, files: 6 });
    const warmReport = await c2.conn.sendRequest(ReportRequest.type, {});
    assert.ok(coldReport && warmReport);
    assert.ok(coldReport.findings.some((f) => f.file === 'deploy/app-0.yaml' && f.ruleId === 'k8s/image-tag'));
    assert.ok(!warmReport.findings.some((f) => f.file === 'deploy/app-0.yaml' && f.ruleId === 'k8s/image-tag'), 'the changed file was analysed again');
    assert.deepEqual(
      warmReport.findings.filter((f) => f.file !== 'deploy/app-0.yaml'),
      coldReport.findings.filter((f) => f.file !== 'deploy/app-0.yaml'),
    );
  });

  it('writes no cache when the client names no place for it', async () => {
    const root = tempDir();
    writeTree(root, new Map([['deploy/api.yaml', deployment('api')]]));
    const c = await start(root);
    await c.waitFor('diagnostics', () => (c.diagnostics.size > 0 ? true : undefined));
    await c.close();
    assert.deepEqual(fs.readdirSync(root), ['deploy']);
    assert.equal(firstAnalysis(c), undefined);
  });
});
