// scan() on small random workspaces: built and mutated files of every kind side by side.
// The scan finishes, every finding points inside a file of the tree, the result is plain
// JSON data, and a second scan gives the same result.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { allRules } from '../rules/index';
import { MAX_ERROR_MESSAGE } from '../server/src/engine/extract';
import { scan, type ScanOutcome } from '../server/src/engine/index';
import { arbAnyFile, jsonProblems, type FuzzFile } from './fuzz-inputs';
import { tempDir, writeTree } from './harness';

/** One to six files with distinct paths (a path that is also another's directory is dropped). */
export const arbTree: fc.Arbitrary<FuzzFile[]> = fc.uniqueArray(arbAnyFile, { minLength: 1, maxLength: 6, selector: (f) => f.path }).map((files) =>
  files.filter((f) => !files.some((g) => g.path.startsWith(f.path + '/'))),
);

function stable(o: ScanOutcome): unknown {
  const { stats, configs, ...rest } = o;
  void configs;
  return JSON.parse(JSON.stringify({ ...rest, files: o.files.map((f) => ({ ...f, absPath: undefined })), stats: { ...stats, durationMs: 0, cacheHits: 0 } }));
}

export async function checkScan(files: readonly FuzzFile[]): Promise<void> {
  const dir = tempDir('readiness-fuzzscan-');
  try {
    writeTree(dir, new Map(files.map((f) => [f.path, f.text])));
    let first: ScanOutcome;
    try {
      first = await scan({ roots: [dir], rules: [...allRules] });
    } catch (e) {
      assert.fail(`scan threw: ${(e as Error).stack ?? String(e)}`);
    }
    const texts = new Map(files.map((f) => [f.path, fs.readFileSync(path.join(dir, f.path), 'utf8')]));
    for (const f of first.findings) {
      const text = texts.get(f.file);
      if (text === undefined) continue; // workspace findings may point at a file that is missing by design
      assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `${f.ruleId} span [${f.span.start}, ${f.span.end}) within ${f.file} (${text.length})`);
      const { start, end } = f.range;
      assert.ok(start.line >= 1 && start.column >= 1 && (end.line > start.line || (end.line === start.line && end.column >= start.column)), `${f.ruleId} range ordered`);
    }
    for (const e of first.errors) assert.ok(typeof e.message === 'string' && e.message.length > 0 && e.message.length <= MAX_ERROR_MESSAGE, `error entry for ${e.file} is a short message`);
    const { files: _files, ...report } = first;
    void _files;
    assert.deepEqual(jsonProblems(report), [], 'the scan result is JSON data');
    const second = await scan({ roots: [dir], rules: [...allRules] });
    assert.deepEqual(stable(second), stable(first), 'a second scan gives the same result');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
