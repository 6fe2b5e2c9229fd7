// The long fuzz run (`npm run fuzz [-- SECONDS]`, default 60): the property checks of
// test/property-*.test.ts with fresh random seeds until the time is up. Each failing input is
// written to test-output/fuzz/ (the shrunk counterexample, the error and the seed that
// reproduces it), and so is any input that takes longer than SLOW_MS to extract.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { preparePython } from '../server/src/engine/parse/routes-py';
import { arbFixCase, checkFixes } from '../test/fuzz-fixes';
import { arbAnyFile, checkExtraction, type FuzzFile } from '../test/fuzz-inputs';
import { arbTree, checkScan } from '../test/fuzz-scan';


// Generous: this 2-core machine is shared, and a 200 KB one-line Dockerfile takes ~0.4 s when idle.
const SLOW_MS = 10_000;

/** What a run reports (fast-check's RunDetails, whatever the property's arguments). */
interface Outcome {
  failed: boolean;
  numRuns: number;
  counterexample: unknown;
  errorInstance: unknown;
}
const OUT = path.join(__dirname, '..', 'test-output', 'fuzz');

function parseSeconds(argv: readonly string[]): number {
  const arg = argv.find((a) => /^\d+$/.test(a)) ?? process.env.FUZZ_SECONDS ?? '60';
  return Number(arg);
}

function save(kind: string, seed: number, details: { counterexample: unknown; error: unknown }): string {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${kind}-${seed}.json`);
  const error = details.error instanceof Error ? (details.error.stack ?? details.error.message) : String(details.error);
  fs.writeFileSync(file, JSON.stringify({ kind, seed, error, counterexample: details.counterexample }, null, 2) + '\n');
  return file;
}

/** Extraction, timed: a slow input is a finding too (an editor waits on it). */
function timedExtraction(file: FuzzFile): void {
  const started = Date.now();
  checkExtraction(file);
  const took = Date.now() - started;
  if (took > SLOW_MS) throw new Error(`extraction of ${file.path} took ${took} ms`);
}

async function main(): Promise<void> {
  const seconds = parseSeconds(process.argv.slice(2));
  const deadline = Date.now() + seconds * 1000;
  await preparePython();
  const counts = { extraction: 0, fixes: 0, scan: 0 };
  const failures: string[] = [];
  const round = async (kind: keyof typeof counts, run: (seed: number) => Promise<Outcome> | Outcome): Promise<void> => {
    const seed = Math.floor(Math.random() * 0x7fffffff);
    const details = await run(seed);
    counts[kind] += details.numRuns;
    if (details.failed) {
      const file = save(kind, seed, { counterexample: details.counterexample, error: details.errorInstance });
      failures.push(file);
      console.error(`FAIL ${kind} (seed ${seed}): ${file}\n${String(details.errorInstance).slice(0, 600)}`);
    }
  };
  while (Date.now() < deadline) {
    await round('extraction', (seed) => fc.check(fc.property(arbAnyFile, timedExtraction), { seed, numRuns: 200 }));
    if (Date.now() >= deadline) break;
    await round('fixes', (seed) => fc.check(fc.asyncProperty(arbFixCase, async (c) => void (await checkFixes(c))), { seed, numRuns: 10 }));
    if (Date.now() >= deadline) break;
    await round('scan', (seed) => fc.check(fc.asyncProperty(arbTree, checkScan), { seed, numRuns: 4 }));
  }
  console.log(`fuzz: ${counts.extraction} extractions, ${counts.fixes} fix workspaces, ${counts.scan} scans in ${seconds} s; ${failures.length} failing input(s)${failures.length ? ` in ${OUT}` : ''}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

void main();
