// Worker-thread entry: extracts FileFacts for batches of (path, text) pairs sent by the
// pool (pool.ts) and returns them as plain data. Workers receive texts the main thread
// read; they never read, require or execute anything from the workspace. Python route
// facts need tree-sitter's wasm, prepared on the first batch that holds a Python file.
import { parentPort } from 'node:worker_threads';
import { extractForPool, type PoolBatch, type PoolReply } from './extract';
import { preparePython, pythonPrepareError } from './parse/routes-py';

const port = parentPort;
if (port) {
  let python: Promise<void> | undefined;
  // Batches are handled one at a time, in arrival order, so replies never interleave.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (batch: PoolBatch) => {
    queue = queue.then(async () => {
      if (batch.items.some((i) => i.relPath.endsWith('.py'))) await (python ??= preparePython());
      let reply: PoolReply;
      try {
        reply = { id: batch.id, results: batch.items.map((i) => extractForPool(i.relPath, i.text)), pythonError: pythonPrepareError() };
      } catch (e) {
        reply = { id: batch.id, results: [], failure: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      }
      port.postMessage(reply);
    });
  });
}
