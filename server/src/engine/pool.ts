// Parallel fact extraction: a few worker threads (worker.ts, bundled as dist/worker.js)
// plus the main thread share batches of files. The main thread keeps discovery, reading,
// hashing, the cache, rules and scoring; workers only turn (path, text) into FileFacts,
// which come back as plain data (structured clone), in the order the files were given.
// Spawning a worker costs loading the engine bundle again, so small scans stay on one
// thread (see SPAWN_THRESHOLD).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { extractForPool, type PoolBatch, type PoolItem, type PoolReply, type PoolResult } from './extract';
import { preparePython, pythonPrepareError } from './parse/routes-py';

/**
 * Fewest files to extract before workers pay off. Measured with the benchmark's workspace on a
 * 2-core machine: a worker is ready after ~0.3–0.5 s (loading the bundle; the TypeScript
 * compiler and tree-sitter load on first use), in which the main thread alone extracts a few hundred files.
 */
export const SPAWN_THRESHOLD = 1500;
const BATCH_SIZE = 24;
/** Batches queued per worker, so that a worker never waits for the main thread to feed it. */
const IN_FLIGHT = 3;

/**
 * Workers for this machine: one per core beyond the main thread's, at most four — and none on
 * two cores or fewer. Measured on a 2-core machine (shared with other work), the pool was
 * slower than one thread at every size (10k files: 35.8 s against 26.0 s, peak RSS 666 against
 * 521 MB): with one spare core at best, the worker's start-up, a second set of parser heaps and
 * cloning the facts back cost more than the parallel extraction saves.
 */
export function defaultWorkerCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores <= 2 ? 0 : Math.min(4, cores - 1);
}

/** The bundled worker beside this file (dist/worker.js), or the TypeScript source when run from source with tsx. */
export function defaultWorkerScript(): string | undefined {
  for (const name of ['worker.js', 'worker.ts']) {
    const p = path.join(__dirname, name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export interface PoolOptions {
  workers: number;
  script: string;
  /** Polled between batches; throwing from it abandons the extraction (workers are stopped). */
  checkCancelled?: () => void;
  /** Called with the number of files finished so far. */
  onDone?: (done: number) => void;
  /** The main thread extracts batches too (default true): on two cores it is the second extractor. */
  mainShares?: boolean;
}

export interface PoolOutcome {
  results: PoolResult[];
  pythonError?: string;
  /** Batches extracted by the workers and by the main thread. */
  batches: { workers: number; main: number };
}

interface Slot {
  worker: Worker;
  inFlight: Set<number>;
  dead: boolean;
}

/** Starts a worker; the TypeScript entry (tests, running from source) goes through tsx's require hook. */
function spawn(script: string): Worker {
  if (!script.endsWith('.ts')) return new Worker(script);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true });
}

/** Extracts every item's facts, on the main thread and `workers` worker threads. */
export async function extractInPool(items: readonly PoolItem[], opts: PoolOptions): Promise<PoolOutcome> {
  const batches: PoolBatch[] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push({ id: batches.length, items: items.slice(i, i + BATCH_SIZE) });
  const results: PoolResult[] = new Array<PoolResult>(items.length);
  const finished = new Set<number>();
  const count = { workers: 0, main: 0 };
  let pythonError: string | undefined;
  let next = 0;
  let doneFiles = 0;
  /** Batches given back by a worker that failed or died: redone on the main thread. */
  const redo: number[] = [];
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const store = (id: number, rs: PoolResult[]): void => {
    if (finished.has(id)) return;
    finished.add(id);
    const base = id * BATCH_SIZE;
    for (let k = 0; k < rs.length; k++) results[base + k] = rs[k]!;
    doneFiles += rs.length;
    opts.onDone?.(doneFiles);
  };

  const slots: Slot[] = [];
  const feed = (slot: Slot): void => {
    while (!slot.dead && slot.inFlight.size < IN_FLIGHT && next < batches.length) {
      const b = batches[next++]!;
      slot.inFlight.add(b.id);
      slot.worker.postMessage(b);
    }
  };
  const retire = (slot: Slot): void => {
    if (slot.dead) return;
    slot.dead = true;
    redo.push(...slot.inFlight);
    slot.inFlight.clear();
    void slot.worker.terminate();
    signal();
  };
  for (let n = 0; n < opts.workers && batches.length > 1; n++) {
    let worker: Worker;
    try {
      worker = spawn(opts.script);
    } catch {
      break;
    }
    const slot: Slot = { worker, inFlight: new Set(), dead: false };
    worker.on('message', (reply: PoolReply) => {
      slot.inFlight.delete(reply.id);
      if (reply.failure !== undefined) redo.push(reply.id);
      else {
        store(reply.id, reply.results);
        count.workers++;
        if (reply.pythonError) pythonError ??= reply.pythonError;
      }
      feed(slot);
      signal();
    });
    worker.on('error', () => retire(slot));
    worker.on('exit', () => retire(slot));
    slots.push(slot);
  }

  const onMain = async (id: number): Promise<void> => {
    const b = batches[id]!;
    if (b.items.some((i) => i.relPath.endsWith('.py'))) {
      await preparePython();
      pythonError ??= pythonPrepareError();
    }
    store(
      id,
      b.items.map((i) => extractForPool(i.relPath, i.text)),
    );
    count.main++;
  };
  const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  try {
    const mainShares = opts.mainShares ?? true;
    const live = (): Slot[] => slots.filter((s) => !s.dead);
    while (finished.size < batches.length) {
      opts.checkCancelled?.();
      for (const s of live()) feed(s);
      const mine = redo.shift() ?? (mainShares || live().length === 0 ? (next < batches.length ? next++ : undefined) : undefined);
      if (mine !== undefined) {
        if (!finished.has(mine)) await onMain(mine);
        await yieldToEvents();
        continue;
      }
      if (finished.size >= batches.length) break;
      // Nothing for this thread: wait for a worker's reply (or its death).
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    for (const s of slots) {
      s.dead = true;
      void s.worker.terminate();
    }
  }
  return { results, pythonError, batches: count };
}
