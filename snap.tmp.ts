import * as v8 from 'node:v8';
import { allRules } from './rules/index';
import { scan } from './server/src/engine/index';
async function main() {
  const out = await scan({ roots: [process.argv[2]!], rules: [...allRules] } as any);
  (globalThis as any).keep = out;
  (global as any).gc();
  console.log(v8.writeHeapSnapshot('/tmp/h1k.heapsnapshot'), process.memoryUsage().heapUsed / 1e6);
}
main();
