// Compares the secrets pass (secrets/hardcoded on the engine) with secretlint 10 and its
// recommended preset, on the same generated tree, in one run: time, findings, and recall
// and precision against the tree's labels (the corpus of test/secrets-corpus.test.ts, several
// copies with different seeds). Prints counts only, never a secret.
//   node bench/secrets-compare.mjs [--copies N] [--keep]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const copies = Number(arg('--copies', '5'));
const keep = process.argv.includes('--keep');

// The engine side, bundled as the CLI ships it: generate the tree, scan it, count.
const entry = `
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCorpus } from './test/fixtures/secrets-corpus/generate';
import { scan } from './server/src/engine/index';
import hardcoded from './rules/secrets/hardcoded';
const [cmd, dir, n] = process.argv.slice(2);
if (cmd === 'generate') {
  const labels = [];
  for (let k = 0; k < Number(n); k++) {
    for (const c of generateCorpus(1000 + k)) {
      const rel = 'copy' + k + '/' + c.id + '/' + c.file;
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), c.text);
      const at = c.secret ? c.text.indexOf(c.secret) : -1;
      const others = (c.others ?? []).map((o) => [c.text.indexOf(o), c.text.indexOf(o) + o.length]);
      labels.push({ dir: 'copy' + k + '/' + c.id, file: rel, provider: c.provider, label: c.label, span: at >= 0 ? [at, at + c.secret.length] : null, others });
    }
  }
  process.stdout.write(JSON.stringify(labels));
} else {
  const t = process.hrtime.bigint();
  scan({ roots: [dir], rules: [hardcoded] }).then((outcome) => {
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const findings = outcome.findings.map((f) => ({ file: f.file, start: f.span.start, end: f.span.end, info: f.severity === 'info', rule: f.messageId }));
    process.stdout.write(JSON.stringify({ ms, files: outcome.stats.files, findings }));
  });
}
`;
const bundle = path.join(repo, 'dist', 'secrets-compare.js');
await esbuild.build({ stdin: { contents: entry, resolveDir: repo, loader: 'ts' }, outfile: bundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', loader: { '.md': 'text' }, preserveSymlinks: true, alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs', 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' } });

const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-secrets-bench-'));
const gen = spawnSync(process.execPath, [bundle, 'generate', tree, String(copies)], { encoding: 'utf8', maxBuffer: 1 << 28 });
if (gen.status !== 0) throw new Error(gen.stderr);
const labels = JSON.parse(gen.stdout);

// Readiness.
const oursStarted = process.hrtime.bigint();
const ours = spawnSync(process.execPath, [bundle, 'scan', tree], { encoding: 'utf8', maxBuffer: 1 << 28 });
const oursProcessMs = Number(process.hrtime.bigint() - oursStarted) / 1e6;
if (ours.status !== 0) throw new Error(ours.stderr);
const readiness = JSON.parse(ours.stdout);
const readinessWall = readiness.ms;

// secretlint, with its recommended preset, on the same files.
const rc = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secretlintrc-')), '.secretlintrc.json');
fs.writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
const bin = path.join(repo, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
// Its report goes to a file: written to a pipe, it is cut short when the process exits.
const report = path.join(path.dirname(rc), 'report.json');
const started = process.hrtime.bigint();
const sl = spawnSync(process.execPath, [bin, '**/*', '--secretlintrc', rc, '--format', 'json', '--no-color', '--output', report], { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 28 });
const secretlintMs = Number(process.hrtime.bigint() - started) / 1e6;
if (sl.status !== 0 && sl.status !== 1) throw new Error(`secretlint failed (${sl.status})`);
/** secretlint's JSON echoes file contents; on a parse failure say where, never what. */
function parseSecretlint(out) {
  try {
    return JSON.parse(out || '[]');
  } catch (e) {
    throw new Error(`secretlint's output is not JSON (${out.length} characters): ${String(e.message).replace(/[A-Za-z0-9+/=_-]{8,}/g, '…').slice(0, 120)}`);
  }
}
const slFindings = [];
for (const result of parseSecretlint(fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '')) {
  const file = path.relative(tree, result.filePath).split(path.sep).join('/');
  for (const m of result.messages ?? []) slFindings.push({ file, start: m.range?.[0] ?? 0, end: m.range?.[1] ?? 0, info: m.severity === 'info', rule: m.ruleId });
}

/** Recall and precision against the labels: a credential is found when a non-info finding overlaps it. */
function score(findings) {
  const byDir = new Map();
  for (const f of findings) {
    if (f.info) continue;
    const d = f.file.split('/').slice(0, 2).join('/');
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  let tp = 0;
  let fn = 0;
  let fp = 0;
  const overlaps = (f, s) => s && f.start < s[1] && s[0] < f.end;
  for (const l of labels) {
    const reported = byDir.get(l.dir) ?? [];
    if (l.label === 'secret') {
      if (reported.some((f) => overlaps(f, l.span))) tp++;
      else fn++;
      fp += reported.filter((f) => !overlaps(f, l.span) && !l.others.some((o) => overlaps(f, o))).length;
    } else fp += reported.length;
  }
  return { tp, fn, fp, recall: tp / Math.max(1, tp + fn), precision: tp / Math.max(1, tp + fp) };
}

/** Share of each provider's credentials a tool found. */
function recallByProvider(findings) {
  const byDir = new Map();
  for (const f of findings) {
    if (f.info) continue;
    const d = f.file.split('/').slice(0, 2).join('/');
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  const out = new Map();
  for (const l of labels) {
    if (l.label !== 'secret') continue;
    const [hit, all] = out.get(l.provider) ?? [0, 0];
    const ok = (byDir.get(l.dir) ?? []).some((f) => l.span && f.start < l.span[1] && l.span[0] < f.end);
    out.set(l.provider, [hit + (ok ? 1 : 0), all + 1]);
  }
  return out;
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const rows = [
  ['tool', 'time', 'files', 'findings', 'TP', 'FN', 'FP', 'recall', 'precision'],
  ['readiness secrets/hardcoded', `${oursProcessMs.toFixed(0)} ms (process; scan ${readinessWall.toFixed(0)} ms)`, String(readiness.files), String(readiness.findings.length), ...(() => { const s = score(readiness.findings); return [s.tp, s.fn, s.fp, pct(s.recall), pct(s.precision)].map(String); })()],
  ['secretlint 10 (recommend preset)', `${secretlintMs.toFixed(0)} ms (process)`, String(new Set(labels.map((l) => l.file)).size), String(slFindings.length), ...(() => { const s = score(slFindings); return [s.tp, s.fn, s.fp, pct(s.recall), pct(s.precision)].map(String); })()],
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`\nSecrets: ${labels.length} labelled cases (${labels.filter((l) => l.label === 'secret').length} credentials) in ${copies} copies of the corpus\n`);
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
const ourRecall = recallByProvider(readiness.findings);
const theirRecall = recallByProvider(slFindings);
console.log('\nrecall by provider (credentials found / credentials): readiness | secretlint');
for (const [p, [hit, all]] of ourRecall) console.log(`  ${p.padEnd(16)} ${String(hit).padStart(4)}/${all} | ${String(theirRecall.get(p)?.[0] ?? 0).padStart(4)}/${all}`);
console.log('time: each tool as one process over the tree, start-up included (for readiness, the scan alone in parentheses: discovery, extraction, the rule).');
console.log('coverage: the recommended preset has rules for AWS, GCP, GitHub, npm, Slack, SendGrid, Shopify, 1Password, Linear, private keys and basic-auth URLs; the rest of the corpus (secret-named assignments, fallback defaults and other providers) is outside it, which its recall reflects.');
fs.rmSync(path.dirname(rc), { recursive: true, force: true });
if (!keep) fs.rmSync(tree, { recursive: true, force: true });
else console.log(`tree kept at ${tree}`);
