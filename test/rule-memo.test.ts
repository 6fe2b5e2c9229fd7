// The editor session replays a rule's output while nothing the rule read has changed. That is
// only right if every read is seen, including reads through work shared between rules; so a
// long random sequence of edits over a workspace of every framework and artifact kind must
// give, after every step, exactly what a fresh scan of the same texts gives — and the memo
// must have replayed rules along the way (else the test would prove nothing).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { allRules } from '../rules/index';
import { scan } from '../server/src/engine/index';
import { AnalysisSession } from '../server/src/engine/session';
import { comparableOutcome, tempDir } from './harness';

const repo = path.resolve(__dirname, '..');

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('routes.expected.json') });
}

/** Lines an edit may insert, by file type: each moves a rule's answer somewhere. */
const SNIPPETS: Record<string, string[]> = {
  ts: [
    "app.get('/admin/export', (_req, res) => res.json({}));",
    "import helmet from 'helmet';",
    'const key = process.env.PAYMENT_API_KEY;',
    "const token = 'sk_live_' + 'FAKEFAKEFAKEFAKE';",
    '// readiness-ignore-next-line http/route-auth',
    "router.post('/refunds', async (req, res) => res.json(await fetch('https://example.invalid/x')));",
    "import rateLimit from 'express-rate-limit';",
    "process.on('SIGTERM', () => server.close());",
  ],
  py: [
    '@router.get("/admin/export")\ndef export_all():\n    return {}',
    'import os\nDB = os.environ["ORDERS_DB_URL"]',
    'from slowapi import Limiter',
    'app.debug = True',
    '# readiness-ignore-next-line http/route-auth',
  ],
  yaml: ['        image: nginx:latest', '  replicas: 1', '        env:\n        - name: API_TOKEN\n          value: "hunter2hunter2"', '# readiness-ignore-file k8s/probes'],
  other: ['FROM node:latest', 'RUN curl -fsSL https://example.invalid/install.sh | sh', 'DATABASE_URL=postgres://app:app@db/app', '## Runbook'],
};

function snippetsFor(rel: string): string[] {
  if (/\.[cm]?[jt]sx?$/.test(rel)) return SNIPPETS.ts!;
  if (rel.endsWith('.py')) return SNIPPETS.py!;
  if (/\.ya?ml$/.test(rel)) return SNIPPETS.yaml!;
  return SNIPPETS.other!;
}

type Edit = { file: number; op: 'insert' | 'delete' | 'duplicate' | 'revert'; line: number; snippet: number };

const arbEdit: fc.Arbitrary<Edit> = fc.record({
  file: fc.nat(),
  op: fc.constantFrom<Edit['op']>('insert', 'insert', 'delete', 'duplicate', 'revert'),
  line: fc.nat(),
  snippet: fc.nat(),
});

describe('rule memo: replayed outputs equal a fresh scan after random edits', function () {
  this.timeout(300_000);

  it('a workspace of every framework, over random edit sequences', async () => {
    const root = tempDir();
    copyTree(path.join(repo, 'examples', 'shop'), root);
    for (const app of ['express-ledgerly', 'fastapi-fleetdesk', 'nestjs-clinicbook', 'koa-greenhouse', 'next-menuboard']) {
      copyTree(path.join(repo, 'test', 'fixtures', 'apps', app), path.join(root, 'apps', app));
    }
    const files = (fs.readdirSync(root, { recursive: true }) as string[])
      .map((p) => p.split(path.sep).join('/'))
      .filter((p) => fs.statSync(path.join(root, p)).isFile())
      .sort();
    assert.ok(files.length > 60, `${files.length} files`);
    const original = new Map(files.map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]));
    const rules = [...allRules];
    let replayed = 0;
    let ran = 0;
    let steps = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(arbEdit, { minLength: 6, maxLength: 10 }), async (edits) => {
        const session = new AnalysisSession({ roots: [root], rules });
        await session.rescan();
        session.run();
        const overlays = new Map<string, string>();
        for (const e of edits) {
          const rel = files[e.file % files.length]!;
          const abs = path.join(root, rel);
          const lines = (overlays.get(abs) ?? original.get(rel)!).split('\n');
          const at = e.line % (lines.length + 1);
          if (e.op === 'insert') lines.splice(at, 0, ...snippetsFor(rel)[e.snippet % snippetsFor(rel).length]!.split('\n'));
          else if (e.op === 'delete' && lines.length > 1) lines.splice(at % lines.length, 1);
          else if (e.op === 'duplicate' && lines.length > 0) lines.splice(at % lines.length, 0, lines[at % lines.length]!);
          const text = e.op === 'revert' ? original.get(rel)! : lines.join('\n');
          overlays.set(abs, text);
          session.update(abs, text);
          const mine = session.run();
          replayed += session.lastRuleRuns.replayed;
          ran += session.lastRuleRuns.ran;
          steps++;
          const fresh = await scan({ roots: [root], rules, overlays });
          assert.deepEqual(comparableOutcome(mine), comparableOutcome(fresh), `after ${e.op} in ${rel}`);
        }
      }),
      { seed: 20261122, numRuns: 6 },
    );
    // The memo did its job: most rules were replayed after a one-file edit, and rules did re-run.
    assert.ok(steps >= 36, `${steps} steps`);
    assert.ok(replayed > ran, `replayed ${replayed}, ran ${ran}`);
    assert.ok(ran > steps, `ran ${ran} over ${steps} steps`);
  });
});
