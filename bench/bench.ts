// The benchmark: scans a generated 10,000-file workspace cold (one thread and with the
// worker pool) and warm from the disk cache, each in a fresh process, against the floor of
// just reading the files; a growth series from 1k to 20k files; secretlint on the same files. Prints a table and writes
// bench/results.json. Run with `npm run bench` (bench/run.mjs bundles this file first).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { discover } from '../server/src/engine/discover';
import { defaultWorkerCount } from '../server/src/engine/pool';
import { DEFAULT_SPEC, ensureWorkspace, GENERATOR_VERSION, specForFiles } from './generate';
import { routesBench } from './routes';

interface Row {
  phase: string;
  ms: number;
  files?: number;
  bytes?: number;
  note?: string;
}

const repo = path.resolve(__dirname, '..');
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

interface Child {
  ms: number;
  loadMs: number;
  scanMs: number;
  saveMs?: number;
  snapshotHit?: boolean;
  saveUnchanged?: boolean;
  cacheEntries: number;
  savedBytes?: number;
  files: number;
  cacheHits: number;
  findings: number;
  errors: number;
  overall: number;
  peakRssMB: number;
}

/** One scan in a fresh process (dist/scan-once.js), so that each figure starts cold, as the CLI does. */
function child(root: string, args: string[] = []): Child {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'scan-once.js'), root, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`scan-once failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Child;
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function workspaceFor(files: number): string {
  return path.join(repo, 'bench', 'workspace', `files-${files}`);
}

async function main(): Promise<void> {
  const repeats = Number(process.env.BENCH_REPEATS ?? 1);
  const sizes = (process.env.BENCH_SIZES ?? '1000,5000,10000,20000').split(',').map(Number);
  // Other work on the machine skews every number: the load average is recorded with them.
  const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const machine = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    ramGB: Math.round((os.totalmem() / 1e9) * 10) / 10,
    loadAverageAtStart: loadAtStart,
  };
  console.log(`machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.ramGB} GB RAM, Node ${machine.node}; load average at start ${loadAtStart.join(' ')}`);
  const workspace = workspaceFor(10_000);
  const gen = await timed(() => ensureWorkspace(workspace, DEFAULT_SPEC));
  console.log(`workspace: ${workspace} (${gen.value.generated ? `generated in ${fmt(gen.ms)} ms` : 'up to date'}; ${fmt(gen.value.files)} files written in all, ${fmt(gen.value.bytes / 1e6, 1)} MB)`);

  const rows: Row[] = [];

  // Discovery alone, and what it keeps out.
  const disc = await timed(() => discover(workspace, {}));
  const found = disc.value.files;
  const bytes = found.reduce((s, f) => s + f.size, 0);
  const leaked = found.filter((f) => /(^|\/)(node_modules|dist|__pycache__|tmp)\//.test(f.path) || f.path.endsWith('.log') || f.path.includes('/templates/'));
  if (leaked.length > 0) throw new Error(`discovery kept files it must skip: ${leaked.slice(0, 5).map((f) => f.path).join(', ')}`);
  if (found.length < 9000) throw new Error(`the workspace should have about 10,000 scanned files, found ${found.length}`);
  rows.push({ phase: 'discover', ms: disc.ms, files: found.length, bytes, note: `${disc.value.skipped.length} skipped with a reason` });

  // The floor: reading the same files and nothing else. `rg --files | xargs cat` when ripgrep is
  // installed; otherwise `xargs cat` over the discovered list, and a Node read of it.
  const list = path.join(os.tmpdir(), `readiness-bench-list-${process.pid}`);
  fs.writeFileSync(list, found.map((f) => f.absPath).join('\0'));
  const hasRg = onPath('rg');
  const floorCmd = hasRg ? `cd '${workspace}' && rg --files -0 | xargs -0 cat > /dev/null` : `xargs -0 cat < '${list}' > /dev/null`;
  const shellTimes: number[] = [];
  const nodeTimes: number[] = [];
  for (let i = 0; i < Math.max(3, repeats); i++) {
    shellTimes.push((await timed(() => spawnSync('sh', ['-c', floorCmd]))).ms);
    nodeTimes.push(
      (
        await timed(() => {
          let n = 0;
          for (const f of found) n += fs.readFileSync(f.absPath).length;
          return n;
        })
      ).ms,
    );
  }
  fs.rmSync(list, { force: true });
  const floorMs = median(shellTimes);
  rows.push({ phase: hasRg ? 'read floor: rg --files | xargs cat' : 'read floor: xargs cat (no rg here)', ms: floorMs, files: found.length, bytes, note: `median of ${shellTimes.length}; a process` });
  rows.push({ phase: 'read floor: Node readFileSync', ms: median(nodeTimes), files: found.length, bytes, note: `median of ${nodeTimes.length}; in process` });

  // Cold scans, each in a fresh process: one thread, then with the worker pool.
  const runs = (args: string[]): Child[] => Array.from({ length: repeats }, () => child(workspace, args));
  const pick = (cs: Child[]): Child => [...cs].sort((a, b) => a.ms - b.ms)[Math.floor(cs.length / 2)]!;
  const single = pick(runs(['--workers', '0']));
  rows.push({ phase: 'cold scan, one thread', ms: single.ms, files: single.files, bytes, note: `${single.findings} findings; peak RSS ${single.peakRssMB} MB` });
  // The pool as this machine's default sizes it, and at least one worker (the default on two cores is none).
  const poolWorkers = Math.max(1, defaultWorkerCount());
  const pooled = pick(runs(['--workers', String(poolWorkers)]));
  rows.push({ phase: `cold scan, worker pool (${poolWorkers} worker${poolWorkers > 1 ? 's' : ''} + main thread)`, ms: pooled.ms, files: pooled.files, bytes, note: `${pooled.findings} findings; peak RSS ${pooled.peakRssMB} MB${defaultWorkerCount() === 0 ? '; not the default here' : ''}` });
  if (pooled.findings !== single.findings || pooled.overall !== single.overall) throw new Error('the pooled scan disagrees with the single-threaded one');
  const cold = pooled.ms <= single.ms ? pooled : single;

  // Warm: fill the disk cache in one process, then scan with it from another.
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const fill = child(workspace, ['--cache-dir', cacheDir]);
  rows.push({ phase: 'disk cache save', ms: fill.saveMs ?? 0, note: `${fmt((fill.savedBytes ?? 0) / 1e6, 1)} MB` });
  const warmRuns = Array.from({ length: Math.max(3, repeats) }, () => child(workspace, ['--cache-dir', cacheDir]));
  // The CLI saves after every scan: the warm figure includes it (nothing to write when nothing changed).
  const withSave = (c: Child): Child => ({ ...c, ms: c.ms + (c.saveMs ?? 0) });
  const warm = withSave(pick(warmRuns));
  if (warm.cacheHits !== warm.files) throw new Error(`disk-warm scan missed the cache: ${warm.cacheHits} of ${warm.files}`);
  rows.push({
    phase: 'warm scan, disk cache (load + scan + save)',
    ms: warm.ms,
    files: warm.files,
    bytes,
    note: `load ${fmt(warm.loadMs)} + scan ${fmt(warm.scanMs)} + save ${fmt(warm.saveMs ?? 0)} ms; ${warm.snapshotHit ? 'stored result' : 'rules run'}${warm.saveUnchanged ? ', nothing written' : ''}; median of ${warmRuns.length}`,
  });
  // One file edited (given as unsaved text, so the workspace stays as generated): its facts are
  // extracted, every other file's decoded from the cache, and the rules run.
  const edited = found.find((f) => f.path.endsWith('.ts'))?.path ?? found[0]!.path;
  const editRuns = Array.from({ length: Math.max(3, repeats) }, () => child(workspace, ['--cache-dir', cacheDir, '--change', edited]));
  const warmEdit = withSave(pick(editRuns));
  rows.push({ phase: 'warm scan, one file changed', ms: warmEdit.ms, files: warmEdit.files, bytes, note: `load ${fmt(warmEdit.loadMs)} + scan ${fmt(warmEdit.scanMs)} + save ${fmt(warmEdit.saveMs ?? 0)} ms; median of ${editRuns.length}` });
  fs.rmSync(cacheDir, { recursive: true, force: true });

  // Growth: cold scans with the default workers (none on two cores) of workspaces of about 1k to 20k files.
  const growth: { target: number; files: number; ms: number; filesPerSecond: number; msPerFile: number; peakRssMB: number }[] = [];
  for (const n of sizes) {
    const dir = workspaceFor(n);
    ensureWorkspace(dir, n === 10_000 ? DEFAULT_SPEC : specForFiles(n));
    const c = n === 10_000 ? (defaultWorkerCount() === 0 ? single : pooled) : child(dir);
    growth.push({ target: n, files: c.files, ms: Math.round(c.ms), filesPerSecond: Math.round((c.files / c.ms) * 1000), msPerFile: Math.round((c.ms / c.files) * 1000) / 1000, peakRssMB: c.peakRssMB });
    console.log(`growth: ${fmt(c.files)} files, ${fmt(c.ms)} ms, ${fmt((c.files / c.ms) * 1000)} files/s, peak RSS ${c.peakRssMB} MB`);
  }
  const first = growth[0];
  const last = growth[growth.length - 1];
  const perFileRatio = first && last ? Math.round((last.msPerFile / first.msPerFile) * 100) / 100 : undefined;

  // Side by side on the same tree: secretlint (secrets only) over the same files.
  const rc = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secretlintrc-')), '.secretlintrc.json');
  fs.writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const bin = path.join(repo, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  const sl = await timed(() => spawnSync(process.execPath, [bin, ...found.map((f) => f.path), '--secretlintrc', rc, '--format', 'json', '--no-color', '--output', path.join(path.dirname(rc), 'out.json')], { cwd: workspace, encoding: 'utf8', maxBuffer: 1 << 28 }));
  fs.rmSync(path.dirname(rc), { recursive: true, force: true });
  const secretlint = { ms: Math.round(sl.ms), status: sl.value.status, files: found.length };
  rows.push({ phase: 'secretlint (secrets only), same files', ms: sl.ms, files: found.length, bytes, note: `exit ${sl.value.status}; ${fmt(sl.ms / cold.ms, 2)}× Readiness's cold scan with every rule` });

  // Side by side: yaml-language-server validating the same tree's Kubernetes files (offline, local schema).
  const k8sFiles = found.filter((f) => /(^|\/)k8s\/[^/]+\.ya?ml$/.test(f.path)).map((f) => f.path);
  const k8sList = path.join(os.tmpdir(), `readiness-bench-k8s-${process.pid}`);
  fs.writeFileSync(k8sList, k8sFiles.join('\n'));
  const yls = spawnSync(process.execPath, [path.join(repo, 'bench', 'yaml-ls.mjs'), workspace, k8sList], { encoding: 'utf8', timeout: 900_000 });
  fs.rmSync(k8sList, { force: true });
  let yamlLanguageServer: Record<string, unknown> = { measured: false, reason: (yls.stderr || `exit ${yls.status}`).split('\n')[0]!.slice(0, 200) };
  if (yls.status === 0) {
    const y = JSON.parse(yls.stdout.trim().split('\n').pop()!) as { version: string; files: number; published: number; ms: number; initMs: number; diagnostics: number; timedOut: boolean };
    yamlLanguageServer = { measured: true, ...y, readinessOverYamlLs: Math.round((cold.ms / y.ms) * 100) / 100 };
    rows.push({ phase: `yaml-language-server ${y.version}, Kubernetes files only`, ms: y.ms, files: y.files, note: `${y.published}/${y.files} published, ${y.diagnostics} diagnostics; + ${fmt(y.initMs)} ms start; Readiness (every rule, every file) ${fmt(cold.ms / y.ms, 2)}× its time` });
  }

  // Route extraction and linking: generated 1,000-route Express and Fastify apps (in process).
  const routes = routesBench(3);
  for (const r of routes) {
    rows.push({ phase: `routes: ${r.framework} facts`, ms: r.extractMs, files: r.files, note: `median of 3; ${fmt(r.expectedRoutes)}-route app` });
    rows.push({ phase: `routes: ${r.framework} linking`, ms: r.linkMs, note: `median of 3; ${fmt(r.routesFound)} routes found, ${fmt(r.protectedRoutes)} protected` });
  }

  const header = ['phase', 'wall ms', 'files/s', 'MB/s', 'note'];
  const table = rows.map((r) => [r.phase, fmt(r.ms), r.files ? fmt((r.files / r.ms) * 1000) : '', r.bytes ? fmt(r.bytes / 1e6 / (r.ms / 1000), 1) : '', r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  console.log('');
  const targets = {
    coldVsReadFloor: Math.round((cold.ms / floorMs) * 10) / 10,
    coldUnder5s: cold.ms < 5000,
    coldWithin10xFloor: cold.ms <= 10 * floorMs,
    warmShareOfCold: Math.round((warm.ms / cold.ms) * 1000) / 1000,
    warmUnder10Percent: warm.ms < 0.1 * cold.ms,
    peakRssMB: cold.peakRssMB,
    peakRssUnder400MB: cold.peakRssMB < 400,
    secretlintOverReadiness: Math.round((sl.ms / cold.ms) * 100) / 100,
    perFileCost20kOver1k: perFileRatio,
  };
  console.log(`cold ${fmt(cold.ms)} ms = ${targets.coldVsReadFloor}× the read floor; warm (disk) ${fmt(warm.ms)} ms = ${fmt(targets.warmShareOfCold * 100, 1)}% of cold; peak RSS ${cold.peakRssMB} MB; secretlint/Readiness ${targets.secretlintOverReadiness}; per-file cost ${last?.target}/${first?.target} files: ${perFileRatio}`);
  console.log(`load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const results = {
    generatorVersion: GENERATOR_VERSION,
    spec: DEFAULT_SPEC,
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100), shared: loadAtStart[0]! > machine.cpus * 0.5 },
    workspace: { scannedFiles: found.length, scannedBytes: bytes, skippedWithReason: disc.value.skipped.length, filesWritten: gen.value.files },
    readFloor: { tool: hasRg ? 'rg --files | xargs cat' : 'xargs cat (ripgrep not installed)', ms: Math.round(floorMs), nodeReadMs: Math.round(median(nodeTimes)) },
    cold: { singleThread: single, workerPool: pooled },
    warm,
    warmOneChange: warmEdit,
    targets,
    growth,
    secretlint,
    yamlLanguageServer,
    routes,
    phases: rows.map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10, filesPerSecond: r.files ? Math.round((r.files / r.ms) * 1000) : undefined, mbPerSecond: r.bytes ? Math.round((r.bytes / 1e6 / (r.ms / 1000)) * 10) / 10 : undefined })),
    peakRssMB: cold.peakRssMB,
  };
  fs.writeFileSync(path.join(repo, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/results.json');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
