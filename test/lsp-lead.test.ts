// When an edit's diagnostics go out: when its debounce window closes, never before, from an
// analysis that started early enough to be ready then (AnalysisLead); an analysis whose
// window another edit reopens is dropped, not published.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol';
import { AnalysisLead, minLeadFromEnv } from '../server/src/lsp/lead';
import { deployment, tempDir, writeTree } from './harness';
import { fileUriOf, serversStoppedAfterEach, type Client } from './lsp/client';

describe('analysis lead: how early an edit’s analysis starts', () => {
  it('starts the least lead early with no history, then as early as the slowest recent analysis took, with a margin', () => {
    const lead = new AnalysisLead(40);
    assert.equal(lead.leadFor(150), 40);
    lead.record(50);
    assert.equal(lead.leadFor(150), 60);
    lead.record(20);
    assert.equal(lead.leadFor(150), 60, 'the slowest of the recent analyses counts');
    lead.record(100);
    assert.equal(lead.leadFor(150), 120);
  });

  it('never starts before the edit (at most the whole window), and ignores nonsense durations', () => {
    const lead = new AnalysisLead(40);
    lead.record(500);
    assert.equal(lead.leadFor(150), 150);
    assert.equal(lead.leadFor(0), 0);
    lead.record(Number.NaN);
    lead.record(-3);
    assert.equal(lead.leadFor(1000), 600);
  });

  it('forgets all but the last ten analyses', () => {
    const lead = new AnalysisLead(0);
    lead.record(400);
    for (let i = 0; i < 10; i++) lead.record(10);
    assert.equal(lead.leadFor(1000), 12);
  });

  it('reads the least lead from READINESS_MIN_LEAD_MS, falling back on the default', () => {
    assert.equal(minLeadFromEnv({ READINESS_MIN_LEAD_MS: '250' }), 250);
    assert.equal(minLeadFromEnv({ READINESS_MIN_LEAD_MS: '0' }), 0);
    assert.equal(minLeadFromEnv({}), 40);
    assert.equal(minLeadFromEnv({ READINESS_MIN_LEAD_MS: 'soon' }), 40);
    assert.equal(minLeadFromEnv({ READINESS_MIN_LEAD_MS: '-1' }), 40);
  });
});

describe('language server: diagnostics when the debounce window closes', function () {
  this.timeout(60000);
  const DEBOUNCE = 600;
  const start = serversStoppedAfterEach();

  /** A workspace with one Deployment that has findings, opened in the editor. */
  async function open(env: Record<string, string>): Promise<{ c: Client; uri: string; text: string }> {
    const root = tempDir();
    const text = deployment('api');
    writeTree(root, new Map([['deploy/api.yaml', text]]));
    const c = await start(root, { settings: { debounce: DEBOUNCE }, env: { READINESS_TRACE: '1', ...env } });
    const uri = fileUriOf(root, 'deploy/api.yaml');
    await c.waitFor('first diagnostics', () => ((c.diagnostics.get(uri)?.length ?? 0) > 0 ? true : undefined));
    await c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return { c, uri, text };
  }

  /** Inserts a comment line at the top (every finding moves down a line). */
  function insertLine(c: Client, uri: string, version: number): Promise<void> {
    return c.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# edit ${version}\n` }],
    });
  }

  const publishedVersion = (c: Client, uri: string, version: number): true | undefined => (c.history.some((p) => p.uri === uri && p.version === version) ? true : undefined);

  it('publishes no earlier than the window’s end, from an analysis that began before it', async () => {
    const { c, uri } = await open({});
    const lines: number[] = [];
    for (let v = 2; v <= 4; v++) {
      const sent = performance.now();
      await insertLine(c, uri, v);
      await c.waitFor(`version ${v} published`, () => publishedVersion(c, uri, v));
      const waited = performance.now() - sent;
      assert.ok(waited >= DEBOUNCE, `version ${v} published ${waited.toFixed(0)} ms after the edit, inside the ${DEBOUNCE} ms window`);
      const published = c.history.filter((p) => p.uri === uri && p.version === v).at(-1)!;
      lines.push(Math.max(...published.diagnostics.map((d) => d.range.start.line)));
    }
    assert.deepEqual(lines, [lines[0]!, lines[0]! + 1, lines[0]! + 2], 'each edit’s diagnostics are that edit’s: one line lower each time');
    // The trace line follows each publish: the first scan's and the three edits'.
    const traced = (): RegExpExecArray[] => c.logs.map((l) => /analysis began (-?[\d.]+) ms before the window closed/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    const began = await c.waitFor('four traced analyses', () => (traced().length >= 4 ? traced() : undefined));
    for (const m of began.slice(-3)) assert.ok(Number(m[1]) > 0, `the analysis began before the window closed: ${m[0]}`);
  });

  it('drops an analysis held for its window when another edit arrives, and publishes the newer one', async () => {
    // A long least lead holds each analysis ~300 ms: time enough to type over it.
    const { c, uri } = await open({ READINESS_MIN_LEAD_MS: '300' });
    await insertLine(c, uri, 2);
    await c.waitFor('version 2 held', () => (c.logs.some((l) => l.includes('before the window closes: held')) ? true : undefined));
    await insertLine(c, uri, 3);
    await c.waitFor('version 3 published', () => publishedVersion(c, uri, 3));
    assert.equal(publishedVersion(c, uri, 2), undefined, 'the held diagnostics of version 2 were never sent');
    assert.ok(c.logs.some((l) => l.includes('held diagnostics dropped: newer input arrived')));
  });
});
