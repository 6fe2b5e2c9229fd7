// One scan in a fresh process, as the CLI runs it, for the benchmark (bench.ts spawns it):
//   node dist/scan-once.js ROOT [--workers N] [--cache-dir DIR] [--change REL]
// Prints one JSON line: wall times, counts, and this process's peak RSS.
// --change REL scans as if that file (root-relative) had a line appended — given as unsaved
// text, so the workspace on disk stays as it is — for the cost of a warm scan after one edit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { allRules } from '../rules/index';
import { DiskFactsCache } from '../server/src/engine/diskcache';
import { scan } from '../server/src/engine/index';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = argv[0]!;
  const workers = opt('--workers');
  const cacheDir = opt('--cache-dir');
  const change = opt('--change');
  const changed = change ? path.resolve(root, change) : undefined;
  // A line no earlier run appended, so that the edit misses the cache every time.
  const comment = changed && /\.(ts|tsx|js|jsx|mjs|cjs)$/.test(changed) ? '//' : '#';
  const overlays = changed ? new Map([[changed, `${fs.readFileSync(changed, 'utf8')}\n${comment} edited ${process.pid}-${Date.now()}\n`]]) : undefined;
  const start = performance.now();
  const cache = cacheDir ? new DiskFactsCache(cacheDir) : undefined;
  const loaded = cache?.load();
  const loadMs = performance.now() - start;
  const outcome = await scan({ roots: [root], rules: [...allRules], cache, overlays, ...(workers !== undefined ? { workers: Number(workers) } : {}) });
  const scanMs = performance.now() - start - loadMs;
  const saveStart = performance.now();
  const saved = cache?.save();
  const saveMs = performance.now() - saveStart;
  const line = {
    ms: loadMs + scanMs,
    loadMs,
    scanMs,
    saveMs: cache ? saveMs : undefined,
    /** The stored result of the last scan answered: no facts decoded, no rule run. */
    snapshotHit: cache ? cache.snapshotHits > 0 : undefined,
    /** Nothing new to write: the cache files were left as they were. */
    saveUnchanged: saved?.ok ? saved.unchanged === true : undefined,
    cacheEntries: loaded?.ok ? loaded.entries : 0,
    savedBytes: saved?.ok ? saved.bytes : undefined,
    files: outcome.stats.files,
    cacheHits: outcome.stats.cacheHits,
    findings: outcome.findings.length,
    errors: outcome.errors.length,
    overall: outcome.overall,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
