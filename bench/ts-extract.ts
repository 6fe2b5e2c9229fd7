// Per-file extraction over every non-Python file of a workspace, as the scan's workers run it
// (extractForPool), timed apart from discovery, reading and rules:
//   npx tsx bench/ts-extract.ts [ROOT] [--runs N] [--dump FILE] [--secrets-only]
// ROOT defaults to bench/workspace (generate it with the benchmark). Prints, for the best of N
// runs, the total and the split by TS/JS and other files, plus the secrets pass alone (wall
// time), and the process CPU time of the whole extraction (steadier than wall time on a busy
// machine); --dump writes every file's facts as JSON, to check that a speed-up leaves the
// facts byte-identical. --secrets-only times the secrets pass alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { kindsByName } from '../server/src/engine/classify';
import { discover } from '../server/src/engine/discover';
import { extractForPool } from '../server/src/engine/extract';
import { secretFacts } from '../server/src/engine/parse/secrets';

interface Item {
  relPath: string;
  text: string;
  tsjs: boolean;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = path.resolve(argv[0] && !argv[0].startsWith('--') ? argv[0] : path.join(__dirname, 'workspace'));
  const runs = Number(opt('--runs') ?? 3);
  const dump = opt('--dump');
  const secretsOnly = argv.includes('--secrets-only');
  const found = await discover(root);
  const items: Item[] = [];
  for (const f of found.files) {
    const kinds = kindsByName(f.path);
    if (kinds.includes('python')) continue;
    const buf = fs.readFileSync(f.absPath);
    if (buf.includes(0)) continue; // binary: the scan skips it before extraction
    items.push({ relPath: f.path, text: buf.toString('utf8'), tsjs: kinds.includes('ts') || kinds.includes('js') });
  }
  const best = { total: Infinity, tsjs: Infinity, other: Infinity, secrets: Infinity, cpu: Infinity, secretsCpu: Infinity };
  let facts: Record<string, unknown> = {};
  for (let run = 0; run < runs; run++) {
    facts = {};
    let tsjs = 0;
    let other = 0;
    const cpu0 = process.cpuUsage();
    for (const it of secretsOnly ? [] : items) {
      const t0 = performance.now();
      const r = extractForPool(it.relPath, it.text);
      const dt = performance.now() - t0;
      if (it.tsjs) tsjs += dt;
      else other += dt;
      facts[it.relPath] = r;
    }
    const cpu = process.cpuUsage(cpu0);
    const s0 = performance.now();
    const scpu0 = process.cpuUsage();
    for (const it of items) secretFacts(it.text, kindsByName(it.relPath), it.relPath);
    const secrets = performance.now() - s0;
    const scpu = process.cpuUsage(scpu0);
    best.total = Math.min(best.total, tsjs + other);
    best.tsjs = Math.min(best.tsjs, tsjs);
    best.other = Math.min(best.other, other);
    best.secrets = Math.min(best.secrets, secrets);
    best.cpu = Math.min(best.cpu, (cpu.user + cpu.system) / 1000);
    best.secretsCpu = Math.min(best.secretsCpu, (scpu.user + scpu.system) / 1000);
  }
  const round = (n: number): number => Math.round(n);
  const line = {
    files: items.length,
    tsjsFiles: items.filter((i) => i.tsjs).length,
    runs,
    totalMs: round(best.total),
    tsjsMs: round(best.tsjs),
    otherMs: round(best.other),
    secretsMs: round(best.secrets),
    cpuMs: round(best.cpu),
    secretsCpuMs: round(best.secretsCpu),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
  if (dump) fs.writeFileSync(dump, JSON.stringify(facts, null, 1) + '\n');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
