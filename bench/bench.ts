// The benchmark: scans a generated workspace cold, warm from memory, and warm from the
// disk cache, against a baseline of just reading the files. Prints a table and writes
// bench/results.json. Run with `npm run bench` (bench/run.mjs bundles this file first).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { allRules } from '../rules/index';
import { discover } from '../server/src/engine/discover';
import { DiskFactsCache } from '../server/src/engine/diskcache';
import { MemoryFactsCache } from '../server/src/engine/extract';
import { scan, type ScanOutcome } from '../server/src/engine/index';
import { DEFAULT_SPEC, ensureWorkspace, GENERATOR_VERSION } from './generate';
import { routesBench } from './routes';

interface Row {
  phase: string;
  ms: number;
  files?: number;
  bytes?: number;
  note?: string;
}

const repo = path.resolve(__dirname, '..');
const workspace = path.join(repo, 'bench', 'workspace');
const cacheDir = path.join(os.tmpdir(), `readiness-bench-cache-${process.pid}`);
const gc = (globalThis as { gc?: () => void }).gc;

function collect(): void {
  gc?.();
  gc?.();
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  collect();
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  // Other work on the machine skews every number: the load average is recorded with them.
  const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const gen = await timed(() => ensureWorkspace(workspace));
  console.log(`workspace: ${workspace} (${gen.value.generated ? `generated in ${fmt(gen.ms)} ms` : 'up to date'}; ${fmt(gen.value.files)} files written in all, ${fmt(gen.value.bytes / 1e6, 1)} MB)`);

  const rows: Row[] = [];
  const rules = [...allRules];

  // Discovery alone, and what it keeps out.
  const disc = await timed(() => discover(workspace, {}));
  const found = disc.value.files;
  const bytes = found.reduce((s, f) => s + f.size, 0);
  const leaked = found.filter((f) => /(^|\/)(node_modules|dist|__pycache__|tmp)\//.test(f.path) || f.path.endsWith('.log') || f.path.includes('/templates/'));
  if (leaked.length > 0) throw new Error(`discovery kept files it must skip: ${leaked.slice(0, 5).map((f) => f.path).join(', ')}`);
  if (found.length < 5000) throw new Error(`the workspace should have at least 5,000 scanned files, found ${found.length}`);
  rows.push({ phase: 'discover', ms: disc.ms, files: found.length, bytes, note: `${disc.value.skipped.length} skipped with a reason` });

  // Baseline: read every discovered file, nothing else.
  const readTimes: number[] = [];
  for (let i = 0; i < repeats; i++) {
    readTimes.push(
      (
        await timed(() => {
          let n = 0;
          for (const f of found) n += fs.readFileSync(f.absPath).length;
          return n;
        })
      ).ms,
    );
  }
  rows.push({ phase: 'read only (baseline)', ms: median(readTimes), files: found.length, bytes, note: `median of ${repeats}` });

  // Cold: a fresh memory cache. The first scan in the process also pays for JIT warm-up.
  let outcome: ScanOutcome | undefined;
  const coldFirst = await timed(() => scan({ roots: [workspace], rules, cache: new MemoryFactsCache() }));
  outcome = coldFirst.value;
  rows.push({ phase: 'cold scan (first in process)', ms: coldFirst.ms, files: outcome.stats.files, bytes, note: `${outcome.findings.length} findings, ${outcome.errors.length} errors` });
  const coldTimes: number[] = [];
  let memory = new MemoryFactsCache();
  for (let i = 0; i < repeats; i++) {
    memory = new MemoryFactsCache();
    const cache = memory;
    coldTimes.push((await timed(() => scan({ roots: [workspace], rules, cache }))).ms);
  }
  rows.push({ phase: 'cold scan (repeat)', ms: median(coldTimes), files: outcome.stats.files, bytes, note: `median of ${repeats}` });

  // Warm: the same memory cache again; every file is a cache hit.
  const warmTimes: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const r = await timed(() => scan({ roots: [workspace], rules, cache: memory }));
    if (r.value.stats.cacheHits !== r.value.stats.files) throw new Error(`warm scan missed the cache: ${r.value.stats.cacheHits} of ${r.value.stats.files}`);
    warmTimes.push(r.ms);
  }
  rows.push({ phase: 'warm scan (memory cache)', ms: median(warmTimes), files: outcome.stats.files, bytes, note: `median of ${repeats}` });

  // Disk: fill a disk cache, save it, then load it into a fresh instance and scan.
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const filling = new DiskFactsCache(cacheDir);
  filling.load();
  await scan({ roots: [workspace], rules, cache: filling });
  const save = await timed(() => filling.save());
  if (!save.value.ok) throw new Error(`saving the disk cache failed: ${save.value.reason}`);
  rows.push({ phase: 'disk cache save', ms: save.ms, note: `${fmt(save.value.bytes / 1e6, 1)} MB, ${fmt(save.value.entries)} entries` });
  const loadTimes: number[] = [];
  const diskTimes: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const fresh = new DiskFactsCache(cacheDir);
    const load = await timed(() => fresh.load());
    if (!load.value.ok) throw new Error(`loading the disk cache failed: ${load.value.reason}`);
    loadTimes.push(load.ms);
    const r = await timed(() => scan({ roots: [workspace], rules, cache: fresh }));
    if (r.value.stats.cacheHits !== r.value.stats.files) throw new Error(`disk-warm scan missed the cache: ${r.value.stats.cacheHits} of ${r.value.stats.files}`);
    diskTimes.push(r.ms);
  }
  rows.push({ phase: 'disk cache load', ms: median(loadTimes), note: `median of ${repeats}` });
  rows.push({ phase: 'warm scan (disk cache)', ms: median(diskTimes), files: outcome.stats.files, bytes, note: `median of ${repeats}; load + scan ${fmt(median(loadTimes) + median(diskTimes))} ms` });
  fs.rmSync(cacheDir, { recursive: true, force: true });

  // Route extraction and linking: generated 1,000-route Express and Fastify apps.
  const routes = routesBench(repeats);
  for (const r of routes) {
    rows.push({ phase: `routes: ${r.framework} facts`, ms: r.extractMs, files: r.files, note: `median of ${repeats}; ${fmt(r.expectedRoutes)}-route app` });
    rows.push({ phase: `routes: ${r.framework} linking`, ms: r.linkMs, note: `median of ${repeats}; ${fmt(r.routesFound)} routes found, ${fmt(r.protectedRoutes)} protected` });
  }

  collect();
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  const heapMB = process.memoryUsage().heapUsed / 1e6;

  const header = ['phase', 'wall ms', 'files/s', 'MB/s', 'note'];
  const table = rows.map((r) => [r.phase, fmt(r.ms), r.files ? fmt((r.files / r.ms) * 1000) : '', r.bytes ? fmt(r.bytes / 1e6 / (r.ms / 1000), 1) : '', r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  console.log('');
  console.log(`scanned ${fmt(found.length)} files, ${fmt(bytes / 1e6, 1)} MB; peak RSS ${fmt(maxRssMB)} MB; heap after GC ${fmt(heapMB)} MB; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}); Node ${process.version}; load average at start ${loadAtStart.join(' ')}`);

  const results = {
    generatorVersion: GENERATOR_VERSION,
    spec: DEFAULT_SPEC,
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', loadAverageAtStart: loadAtStart },
    workspace: { scannedFiles: found.length, scannedBytes: bytes, skippedWithReason: disc.value.skipped.length, filesWritten: gen.value.files },
    scan: { findings: outcome.findings.length, errors: outcome.errors.length, overall: outcome.overall },
    routes,
    phases: rows.map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10, filesPerSecond: r.files ? Math.round((r.files / r.ms) * 1000) : undefined, mbPerSecond: r.bytes ? Math.round((r.bytes / 1e6 / (r.ms / 1000)) * 10) / 10 : undefined })),
    peakRssMB: Math.round(maxRssMB),
    heapAfterGcMB: Math.round(heapMB),
  };
  fs.writeFileSync(path.join(repo, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/results.json');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
