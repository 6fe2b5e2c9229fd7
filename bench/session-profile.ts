// Where an editor session's time goes after one edit: extraction of the edited file, then
// each rule's check over the cached facts. Run: npx tsx bench/session-profile.ts WORKSPACE FILE
// (EDITS=n edits; PROFILE=out.cpuprofile writes a CPU profile of the edits' runs alone).
import * as fs from 'node:fs';
import { Session as Inspector } from 'node:inspector';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { allRules } from '../rules/index';
import type { Rule } from '../server/src/engine/rule';
import { AnalysisSession } from '../server/src/engine/session';

async function main(): Promise<void> {
  const [root, rel] = process.argv.slice(2) as [string, string];
  const spent = new Map<string, number>();
  const rules: Rule[] = allRules.map((r) => ({
    ...r,
    check: (ctx) => {
      const t = performance.now();
      r.check(ctx);
      spent.set(r.meta.id, (spent.get(r.meta.id) ?? 0) + performance.now() - t);
    },
  }));
  const session = new AnalysisSession({ roots: [root], rules });
  await session.rescan();
  session.run();
  const abs = path.resolve(root, rel);
  const text = fs.readFileSync(abs, 'utf8');
  const runs: number[] = [];
  const updates: number[] = [];
  const cpus: number[] = [];
  const inspector = process.env.PROFILE ? new Inspector() : undefined;
  const post = (method: string): Promise<unknown> => new Promise((resolve, reject) => inspector!.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  if (inspector) {
    inspector.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  for (let i = 0; i < Number(process.env.EDITS ?? 15); i++) {
    spent.clear();
    // Each edit adds a line at the top, as typing a new line does: everything below it moves.
    const edited = `${/\.ya?ml$/.test(rel) ? '#' : '//'} edit\n`.repeat(i + 1) + text;
    let t = performance.now();
    session.update(abs, edited);
    updates.push(performance.now() - t);
    t = performance.now();
    const cpu = process.cpuUsage();
    session.run();
    runs.push(performance.now() - t);
    if (i === 0) console.log('first edit: rules', JSON.stringify(session.lastRuleRuns));
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  if (inspector) {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(process.env.PROFILE!, JSON.stringify(profile));
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`update ${med(updates).toFixed(1)} ms, run ${med(runs).toFixed(1)} ms (cpu ${med(cpus).toFixed(1)} ms)`);
  const top = [...spent].sort((a, b) => b[1] - a[1]).slice(0, 20);
  for (const [id, ms] of top) console.log(ms.toFixed(1).padStart(8), id);
}
void main();
