// The CLI's commands over the engine: parse, scan, format, write, and decide the exit code.
// Everything the outside world provides (streams, environment, directory) comes in `io`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../../rules/index';
import { ConfigError, DEFAULT_CACHE_DIR, DiskFactsCache, scan, type ScanOutcome } from '../engine/index';
import type { ConfigIssue } from '../engine/config';
import type { Rule } from '../engine/rule';
import { HELP, parseArgs, UsageError, type RulesArgs, type ScanArgs } from './args';
import { reportDate, SEVERITY_RANK } from './format/common';
import { formatHtml } from './format/html';
import { formatJson } from './format/json';
import { formatMarkdown } from './format/markdown';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { ruleDocUrl, TOOL } from './tool';

export const EXIT_OK = 0;
export const EXIT_GATE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The package root, where `rules/<id>.md` live. */
  packageRoot: string;
}

/** The directory holding our package.json, searched upwards from `start` (dist/ or server/src/cli/). */
export function findPackageRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (pkg.name === TOOL.name) return dir;
    } catch {
      // not here: keep looking
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start, '..');
    dir = parent;
  }
}

function formatIssue(i: ConfigIssue): string {
  if (!i.line) return `${i.file}: ${i.key ? `${i.key}: ` : ''}${i.message}`;
  return `${i.file}:${i.line}:${i.column}: ${i.key ? `${i.key}: ` : ''}${i.message}`;
}

function rulesText(rules: readonly Rule[]): string {
  const rows = rules.map((r) => [r.meta.id, r.meta.category, String(r.meta.weight), r.meta.severity, r.meta.summary]);
  const head = ['ID', 'CATEGORY', 'WEIGHT', 'SEVERITY', 'SUMMARY'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export function rulesJson(rules: readonly Rule[]): string {
  const list = rules.map((r) => ({
    id: r.meta.id,
    category: r.meta.category,
    weight: r.meta.weight,
    severity: r.meta.severity,
    scope: r.meta.scope,
    title: r.meta.title,
    summary: r.meta.summary,
    fixable: r.meta.fixable === true,
    helpUri: ruleDocUrl(r.meta.id),
  }));
  return JSON.stringify({ version: 1, tool: { name: TOOL.name, version: TOOL.version }, rules: list }, null, 2) + '\n';
}

function rulesCommand(args: RulesArgs, io: CliIo, rules: readonly Rule[]): number {
  io.stdout.write(args.format === 'json' ? rulesJson(rules) : rulesText(rules));
  return EXIT_OK;
}

function explainCommand(ruleId: string, io: CliIo, rules: readonly Rule[]): number {
  if (!rules.some((r) => r.meta.id === ruleId)) {
    io.stderr.write(`readiness: unknown rule '${ruleId}' (run 'readiness rules' for the list)\n`);
    return EXIT_USAGE;
  }
  const doc = path.join(io.packageRoot, 'rules', ...ruleId.split('/')) + '.md';
  let text: string;
  try {
    text = fs.readFileSync(doc, 'utf8');
  } catch (e) {
    io.stderr.write(`readiness: cannot read the doc of ${ruleId} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); it is online at ${ruleDocUrl(ruleId)}\n`);
    return EXIT_USAGE;
  }
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT_OK;
}

/**
 * Where the report's file links start, relative to where the report is written (the
 * `--output` file's folder, else the current directory, where a redirect would put it).
 * One root: its files are relative to it. Several: they start with the root as given, so
 * relative to the current directory, unless a root was given as an absolute path.
 */
export function reportLinkBase(roots: readonly string[], cwd: string, output: string | undefined): string | undefined {
  const from = output ? path.dirname(path.resolve(cwd, output)) : cwd;
  let to: string;
  if (roots.length === 1) to = path.resolve(cwd, roots[0]!);
  else if (roots.every((r) => !path.isAbsolute(r))) to = cwd;
  else return undefined;
  const rel = path.relative(from, to).split(path.sep).join('/');
  return rel === '' ? '' : `${rel}/`;
}

/** Renders the outcome in the chosen format. */
export function render(outcome: ScanOutcome, args: ScanArgs, io: CliIo, rules: readonly Rule[], color: boolean): string {
  const absRoots = outcome.roots.map((r) => path.resolve(io.cwd, r));
  switch (args.format) {
    case 'json':
      return formatJson(outcome, rules);
    case 'sarif':
      return formatSarif(outcome, rules, { srcRoot: absRoots.length === 1 ? absRoots[0] : io.cwd });
    case 'markdown':
    case 'html': {
      const names = absRoots.map((r, i) => path.basename(r) || outcome.roots[i]!);
      const base = reportLinkBase(outcome.roots, io.cwd, args.output);
      const opts = { date: reportDate(io.env), names, ...(base !== undefined ? { linkBase: base } : {}) };
      return args.format === 'markdown' ? formatMarkdown(outcome, rules, opts) : formatHtml(outcome, rules, opts);
    }
    default:
      return formatText(outcome, { color });
  }
}

/** The gates: `--fail-under` (or the config's `failUnder`) and `--fail-on`. Returns the messages of failed gates. */
export function gateFailures(outcome: ScanOutcome, args: ScanArgs, notes: string[]): string[] {
  const failed: string[] = [];
  const fromConfig = outcome.configs.map((c) => c.failUnder).filter((n): n is number => typeof n === 'number');
  const failUnder = args.failUnder ?? (fromConfig.length > 0 ? Math.max(...fromConfig) : undefined);
  const source = args.failUnder !== undefined ? '--fail-under' : 'failUnder in the config';
  if (failUnder !== undefined) {
    if (outcome.overall === null) notes.push(`${source} ${failUnder} not applied: no enabled check applies to this workspace, so there is no score`);
    else if (outcome.overall < failUnder) failed.push(`overall score ${outcome.overall} is below ${source} ${failUnder}`);
  }
  if (args.failOn) {
    const min = SEVERITY_RANK[args.failOn];
    const hits = outcome.findings.filter((f) => SEVERITY_RANK[f.severity] >= min).length;
    if (hits > 0) failed.push(`${hits} finding${hits === 1 ? '' : 's'} of severity ${args.failOn}${args.failOn === 'error' ? '' : ' or worse'} (--fail-on ${args.failOn})`);
  }
  return failed;
}

async function scanCommand(args: ScanArgs, io: CliIo, rules: readonly Rule[]): Promise<number> {
  const progress = args.progress && io.stderr.isTTY === true;
  let shown = false;
  let outcome: ScanOutcome;
  const roots = args.paths.length > 0 ? args.paths : ['.'];
  // Facts of unchanged files come from the last run's cache (keyed by content hash, extractor and tool version).
  const cache = args.cache ? new DiskFactsCache(path.resolve(args.cacheDir ?? path.join(roots[0]!, DEFAULT_CACHE_DIR)), { version: TOOL.version }) : undefined;
  cache?.load();
  try {
    outcome = await scan({
      cache,
      roots,
      rules: [...rules],
      configFile: args.config,
      ruleOverrides: args.rules,
      strictConfig: true,
      onProgress: progress
        ? (done, total) => {
            shown = true;
            io.stderr.write(`\r\x1b[Kreadiness: scanning ${done}/${total} files`);
          }
        : undefined,
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      if (shown) io.stderr.write('\r\x1b[K');
      for (const issue of e.issues) io.stderr.write(`${formatIssue(issue)}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (shown) io.stderr.write('\r\x1b[K');
  // A cache that cannot be written (a read-only checkout) only makes the next run slower.
  cache?.save();

  const color = args.format === 'text' && !args.output && io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
  const text = render(outcome, args, io, rules, color);
  if (args.output) {
    try {
      fs.writeFileSync(path.resolve(io.cwd, args.output), text);
    } catch (e) {
      io.stderr.write(`readiness: cannot write ${args.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT_USAGE;
    }
  } else io.stdout.write(text);

  const notes: string[] = [];
  const failed = gateFailures(outcome, args, notes);
  for (const n of notes) io.stderr.write(`readiness: ${n}\n`);
  for (const f of failed) io.stderr.write(`readiness: gate failed: ${f}\n`);
  return failed.length > 0 ? EXIT_GATE : EXIT_OK;
}

/** Runs one command line (without the program name) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIo, rules: readonly Rule[] = allRules): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, new Set(rules.map((r) => r.meta.id)));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`readiness: ${e.message}\nRun 'readiness --help' for usage.\n`);
    return EXIT_USAGE;
  }
  switch (args.command) {
    case 'help':
      io.stdout.write(HELP);
      return EXIT_OK;
    case 'version':
      io.stdout.write(`${TOOL.version}\n`);
      return EXIT_OK;
    case 'rules':
      return rulesCommand(args, io, rules);
    case 'explain':
      return explainCommand(args.ruleId, io, rules);
    case 'scan':
      return scanCommand(args, io, rules);
  }
}
