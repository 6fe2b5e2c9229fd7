// Python fact extraction on its own: every .py file of a workspace through the engine's
// per-file extraction (as the worker pool runs it), timed best of N, with a JSON dump of the
// facts so that a change to the Python walkers can be checked for byte-identical output.
//
//   npx tsx bench/py-extract.ts [--root bench/workspace] [--runs 3] [--out /tmp/py-facts.json] [--phases parse,walk,extract]
//
// Reported: `parse` (tree-sitter parse and free only), `walk` (route, code and debug facts of
// the parsed tree, as extract.ts asks for them) and `extract` (the whole per-file extraction,
// other fact kinds included). Not part of `npm test`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractForPool } from '../server/src/engine/extract';
import { MAY_HOLD_CODE_PY } from '../server/src/engine/parse/code-facts';
import { codeFactsPyOf } from '../server/src/engine/parse/code-py';
import { PY_DEBUG_HINT, pythonDebugFlagsOf } from '../server/src/engine/parse/debug';
import { MAY_HOLD_ROUTES, preparePython, pythonPrepareError, pythonRouteFactsOf, withPythonTree } from '../server/src/engine/parse/routes-py';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** Every .py file under `root`: not discover(), because the corpora worth checking (site-packages, vendored trees) are what a scan skips. */
function pyFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Best of `runs`, by CPU time (user + system): on a shared machine wall time mostly measures the neighbours. */
function best(runs: number, fn: () => void): { cpu: number; wall: number } {
  let cpu = Infinity;
  let wall = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall = Math.min(wall, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return { cpu, wall };
}

const ms = (t: { cpu: number; wall: number }): string => `${t.cpu.toFixed(0)} ms (wall ${t.wall.toFixed(0)})`;

async function main(): Promise<void> {
  const root = path.resolve(arg('root', 'bench/workspace'));
  const runs = Number(arg('runs', '3'));
  const out = arg('out', '');
  const phases = new Set(arg('phases', 'parse,walk,extract').split(','));
  if (out) phases.add('extract');
  await preparePython();
  const err = pythonPrepareError();
  if (err) throw new Error(`tree-sitter did not load: ${err}`);
  const files = pyFiles(root).map((abs) => ({ relPath: path.relative(root, abs).split(path.sep).join('/'), text: fs.readFileSync(abs, 'utf8') }));
  const bytes = files.reduce((n, f) => n + f.text.length, 0);

  // Warm-up: the first run pays for JIT compilation and the lazily built query.
  for (const f of files) extractForPool(f.relPath, f.text);

  const none = { cpu: NaN, wall: NaN };
  const parseMs = !phases.has('parse') ? none : best(runs, () => {
    for (const f of files) withPythonTree(f.text, () => undefined);
  });
  // The walkers alone, timed inside each file's parse (wall time: short enough to be seldom preempted).
  let walkOnly = Infinity;
  const walkMs = !phases.has('walk') ? none : best(runs, () => {
    let sum = 0;
    for (const f of files) {
      const routes = MAY_HOLD_ROUTES.test(f.text);
      const code = MAY_HOLD_CODE_PY.test(f.text);
      const debug = PY_DEBUG_HINT.test(f.text);
      withPythonTree(f.text, (rootNode) => {
        const t0 = performance.now();
        if (routes) pythonRouteFactsOf(rootNode);
        if (code) codeFactsPyOf(rootNode);
        if (debug) pythonDebugFlagsOf(rootNode, f.text, f.relPath);
        sum += performance.now() - t0;
      });
    }
    walkOnly = Math.min(walkOnly, sum);
  });
  const dump: Record<string, unknown> = {};
  const extractMs = !phases.has('extract') ? none : best(runs, () => {
    for (const f of files) dump[f.relPath] = extractForPool(f.relPath, f.text);
  });
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  console.log(`${files.length} .py files (${(bytes / 1024).toFixed(0)} KB), best of ${runs}, CPU time:`);
  console.log(`  parse       ${ms(parseMs)}`);
  console.log(`  parse+walk  ${ms(walkMs)}; the walkers alone ${walkOnly.toFixed(0)} ms (wall)`);
  console.log(`  extract     ${ms(extractMs)}`);
  console.log(`  rss ${rssMb.toFixed(0)} MB`);
  if (out) {
    fs.writeFileSync(out, `${JSON.stringify(dump, null, 1)}\n`);
    console.log(`facts written to ${out}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
