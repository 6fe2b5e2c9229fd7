// As-you-type latency of the language server: the bundled server (dist/server.js) over
// stdio, a generated workspace of a few thousand files, and 100 edits each to a 2,000-line
// TypeScript file and a 2,000-line YAML file, spaced beyond the debounce. For each edit it
// records the time from the end of the debounce window (send time + debounce) to the
// publishDiagnostics that carries the edit's version. Prints p50/p95/max and merges the
// figures into bench/results.json under `lspTyping`. Run by bench/run.mjs after the other
// benches (it bundles this file first); alone: `node bench/run.mjs --only-lsp`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { ensureWorkspace, GENERATOR_VERSION, type WorkspaceSpec } from './generate';

const repo = path.resolve(__dirname, '..');
const SPEC: WorkspaceSpec = { services: Number(process.env.LSP_BENCH_SERVICES ?? 40), nodeModulesPackages: 10, distFiles: 20 };
const EDITS = Number(process.env.LSP_BENCH_EDITS ?? 100);
const DEBOUNCE_MS = Number(process.env.LSP_BENCH_DEBOUNCE ?? 150);
/** Hang guard only: no figure depends on it. */
const HANG_GUARD_MS = 10 * 60 * 1000;

/** A 2,000-line Express module: routes (the ts-morph route pass runs on it) and plain functions. */
function bigTs(lines: number): string {
  const out = ["import { Router, type Request, type Response } from 'express';", "import { db } from './db';", '', 'export const router = Router();', ''];
  let i = 0;
  while (out.length + 11 <= lines - 3) {
    out.push(`router.get('/items/${i}', async (req: Request, res: Response) => {`, `  const rows = await db.query('select * from items_${i} where id = $1', [req.query.id]);`, '  res.json(rows);', '});', '');
    out.push(`export function score${i}(values: readonly number[]): number {`, '  let total = 0;', `  for (const v of values) total += v * ${(i % 7) + 1};`, '  return total;', '}', '');
    i++;
  }
  while (out.length < lines - 3) out.push('');
  // A directive without a reason: a finding in this file, so that every edit above it moves it.
  out.push('// readiness-ignore-next-line http/cors', "export const origin = '*';", '');
  return out.join('\n') + '\n';
}

/** A 2,000-line multi-document Kubernetes file: Deployments with findings (latest tags, no probes). */
function bigYaml(lines: number): string {
  const out: string[] = [];
  let i = 0;
  while (out.length < lines) {
    const tag = i % 3 === 0 ? 'latest' : `1.${i}.0`;
    out.push(
      ...(i > 0 ? ['---'] : []),
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: typing-${i}`,
      'spec:',
      '  replicas: 2',
      '  selector:',
      `    matchLabels: {app: typing-${i}}`,
      '  template:',
      '    metadata:',
      `      labels: {app: typing-${i}}`,
      '    spec:',
      '      containers:',
      `        - name: typing-${i}`,
      `          image: registry.example.com/typing-${i}:${tag}`,
      '          resources:',
      '            requests: {cpu: 100m, memory: 128Mi}',
    );
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

interface Figures {
  edits: number;
  p50: number;
  p95: number;
  max: number;
}

function figures(xs: number[]): Figures {
  const s = [...xs].sort((a, b) => a - b);
  return { edits: s.length, p50: round(quantile(s, 0.5)), p95: round(quantile(s, 0.95)), max: round(s[s.length - 1] ?? NaN) };
}

async function main(): Promise<void> {
  const workspace = path.join(os.tmpdir(), `readiness-lsp-bench-${GENERATOR_VERSION}-${SPEC.services}`);
  const gen = ensureWorkspace(workspace, SPEC);
  const files = { ts: 'typing/src/routes.ts', yaml: 'typing/k8s/deployments.yaml' };
  const texts = { ts: bigTs(2000), yaml: bigYaml(2000) };
  for (const k of ['ts', 'yaml'] as const) {
    fs.mkdirSync(path.dirname(path.join(workspace, files[k])), { recursive: true });
    fs.writeFileSync(path.join(workspace, files[k]), texts[k]);
  }
  console.log(`lsp typing: workspace ${workspace} (${gen.files.toLocaleString('en-US')} files generated${gen.generated ? ' now' : ' before'}), debounce ${DEBOUNCE_MS} ms`);

  // The server traces each analysis (READINESS_TRACE=1): how long its rules and publishing took, and how long before the window closed it began.
  const proc = spawn(process.execPath, [path.join(repo, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, READINESS_TRACE: '1' } });
  const guard = setTimeout(() => {
    console.error('lsp typing: hang guard reached');
    proc.kill();
    process.exit(1);
  }, HANG_GUARD_MS);
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const waiting = new Map<string, (p: PublishDiagnosticsParams) => void>();
  const lastPublished = new Map<string, unknown[]>();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    lastPublished.set(p.uri, p.diagnostics);
    const key = `${p.uri}#${p.version ?? ''}`;
    const w = waiting.get(key);
    if (w) {
      waiting.delete(key);
      w(p);
    }
  });
  let firstReport: () => void = () => undefined;
  const firstScan = new Promise<void>((resolve) => (firstReport = resolve));
  conn.onNotification('readiness/reportChanged', () => firstReport());
  // READINESS_TRACE=1 here too: print the server's trace.
  const traces: string[] = [];
  conn.onNotification('window/logMessage', (m: { message: string }) => {
    if (m.message.includes('analysis began')) traces.push(m.message);
    if (process.env.READINESS_TRACE === '1') process.stderr.write(m.message + '\n');
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ debounce: DEBOUNCE_MS })));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const rootUri = pathToFileURL(workspace).toString();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  const started = performance.now();
  await conn.sendNotification(InitializedNotification.type, {});
  await firstScan;
  const firstScanMs = performance.now() - started;
  console.log(`lsp typing: first scan published after ${Math.round(firstScanMs).toLocaleString('en-US')} ms`);

  const latencies: Record<'ts' | 'yaml', number[]> = { ts: [], yaml: [] };
  /** Per edit, from the server's trace: its analysis's rules and publishing (ms), and how long before the window closed it began. */
  const analysis: Record<'ts' | 'yaml', number[]> = { ts: [], yaml: [] };
  const began: Record<'ts' | 'yaml', number[]> = { ts: [], yaml: [] };
  const uris = { ts: pathToFileURL(path.join(workspace, files.ts)).toString(), yaml: pathToFileURL(path.join(workspace, files.yaml)).toString() };
  const published = (uri: string, version: number): Promise<PublishDiagnosticsParams> => new Promise((resolve) => waiting.set(`${uri}#${version}`, resolve));
  // Every edit below moves the findings of its file: each file needs some for an edit to publish.
  for (const k of ['ts', 'yaml'] as const) {
    if (!(lastPublished.get(uris[k])?.length ?? 0)) throw new Error(`${files[k]} has no diagnostics after the first scan: its edits would publish nothing`);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uris[k], languageId: k === 'ts' ? 'typescript' : 'yaml', version: 1, text: texts[k] } });
  }
  // Alternate the two files; each edit inserts a line at the top (as typing a new line does),
  // which moves every finding below it, so each edit's analysis publishes.
  const version = { ts: 1, yaml: 1 };
  for (let n = 0; n < EDITS * 2; n++) {
    const k = n % 2 === 0 ? 'ts' : 'yaml';
    const v = ++version[k];
    const line = k === 'ts' ? `// edit ${v}\n` : `# edit ${v}\n`;
    const done = published(uris[k], v);
    const traced = traces.length;
    const sent = performance.now();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uris[k], version: v },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: line }],
    });
    await done;
    latencies[k].push(performance.now() - (sent + DEBOUNCE_MS));
    // Spaced beyond the debounce: the next edit starts a fresh window.
    await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS + 50));
    const m = traces.length > traced ? /run ([\d.]+) ms .*publish ([\d.]+) ms; analysis began (-?[\d.]+) ms/.exec(traces[traces.length - 1]!) : null;
    if (m) {
      analysis[k].push(Number(m[1]) + Number(m[2]));
      began[k].push(Number(m[3]));
    }
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  clearTimeout(guard);

  const result = {
    debounceMs: DEBOUNCE_MS,
    workspaceFiles: gen.files,
    firstScanMs: Math.round(firstScanMs),
    ts2000Lines: { ...figures(latencies.ts), analysis: figures(analysis.ts), beganBeforeWindowEnd: figures(began.ts) },
    yaml2000Lines: { ...figures(latencies.yaml), analysis: figures(analysis.yaml), beganBeforeWindowEnd: figures(began.yaml) },
    all: figures([...latencies.ts, ...latencies.yaml]),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    note:
      'ms from the end of the debounce window (send time + debounce) to the publishDiagnostics carrying the edit version; analysis: the rules and publishing of the edit (server trace; extraction runs when the edit arrives); beganBeforeWindowEnd: how long before the window closed the analysis started (AnalysisLead)',
  };
  const row = (name: string, f: Figures): string => `${name.padEnd(22)} ${String(f.edits).padStart(5)} ${String(f.p50).padStart(8)} ${String(f.p95).padStart(8)} ${String(f.max).padStart(8)}`;
  console.log(`${'file (edits)'.padEnd(22)} ${'n'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  console.log(row('2,000-line TypeScript', result.ts2000Lines));
  console.log(row('2,000-line YAML', result.yaml2000Lines));
  console.log(row('all', result.all));
  for (const [name, k] of [['TypeScript', 'ts'], ['YAML', 'yaml']] as const) {
    const a = figures(analysis[k]);
    console.log(`${name}: the analysis itself (rules + publish) p50 ${a.p50} ms, p95 ${a.p95} ms; it began p50 ${figures(began[k]).p50} ms before the window closed`);
  }
  const resultsPath = path.join(repo, 'bench', 'results.json');
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(fs.readFileSync(resultsPath, 'utf8')) as Record<string, unknown>;
  } catch {
    // no results yet: this bench's key is the first
  }
  results.lspTyping = result;
  fs.writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
  console.log('merged lspTyping into bench/results.json');
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
