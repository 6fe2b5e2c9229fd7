// Command-line parsing: `scan`, `rules`, `explain`, `--version`, `--help` (CONTRACTS.md).
// Every mistake is a UsageError naming the problem; the CLI turns it into exit code 2.
import type { Level } from '../engine/types';

export const SCAN_FORMATS = ['text', 'json', 'sarif', 'markdown', 'html'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];
export const RULES_FORMATS = ['text', 'json'] as const;
export type RulesFormat = (typeof RULES_FORMATS)[number];
export const LEVELS: readonly Level[] = ['off', 'info', 'warning', 'error'];
export const FAIL_ON = ['error', 'warning'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ScanArgs {
  command: 'scan';
  paths: string[];
  format: ScanFormat;
  output?: string;
  config?: string;
  rules: Record<string, Level>;
  failUnder?: number;
  failOn?: FailOn;
  progress: boolean;
  /** Keep extracted facts between runs (default true; `--no-cache` turns it off). */
  cache: boolean;
  /** Where the facts cache lives; default `.readiness-cache/` at the first root. */
  cacheDir?: string;
}

export interface RulesArgs {
  command: 'rules';
  format: RulesFormat;
}

export interface ExplainArgs {
  command: 'explain';
  ruleId: string;
}

export type ParsedArgs = ScanArgs | RulesArgs | ExplainArgs | { command: 'help' } | { command: 'version' };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const HELP = `Usage: readiness <command> [options]

Commands:
  scan [PATH ...]        scan the given roots (default: the current directory)
    --format FORMAT      text (default), json, sarif, markdown or html
    --output FILE        write the report there instead of stdout
    --config FILE        use this config instead of .readiness.yaml at each root
    --rule ID=LEVEL      set a rule's level: off, info, warning or error (repeatable)
    --fail-under N       exit 1 when the overall score is below N
    --fail-on LEVEL      exit 1 when a finding of LEVEL (error or warning) or worse remains
    --no-progress        no progress line on stderr
    --no-cache           neither read nor write the facts cache
    --cache-dir DIR      keep the facts cache there (default: .readiness-cache/ at the first root)
  rules [--format text|json]   list every rule: id, category, weight, severity, summary
  explain RULE_ID        print the rule's documentation

Options:
  --version              print the version
  --help                 print this help

Exit codes: 0 done (gates passed), 1 a gate failed, 2 usage or configuration error.
`;

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${what} must be one of ${allowed.join(', ')} (got '${value}')`);
}

/** Splits `--name=value` and `--name value`; flags never take a value. */
function* tokens(argv: readonly string[]): Generator<{ name?: string; inline?: string; value: string; rest: boolean; dash?: boolean }> {
  let rest = false;
  for (const arg of argv) {
    if (rest) yield { value: arg, rest: true };
    else if (arg === '--') rest = true;
    else if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      yield eq < 0 ? { name: arg.slice(2), value: arg, rest: false } : { name: arg.slice(2, eq), inline: arg.slice(eq + 1), value: arg, rest: false };
    } else if (arg === '-h') yield { name: 'help', value: arg, rest: false };
    else if (arg.startsWith('-') && arg.length > 1) yield { value: arg, rest: false, dash: true };
    else yield { value: arg, rest: false };
  }
}

/**
 * Parses the arguments after the program name. `knownRules` holds the catalogue's ids,
 * so that a misspelt `--rule` is an error rather than a silent no-op.
 */
export function parseArgs(argv: readonly string[], knownRules: ReadonlySet<string>): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  if (argv.includes('--version')) return { command: 'version' };
  const list = [...tokens(argv)];
  let i = 0;
  const valueOf = (name: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const next = list[i + 1];
    if (!next || next.name !== undefined) throw new UsageError(`--${name} needs a value`);
    i++;
    return next.value;
  };

  const first = list[0];
  if (!first) throw new UsageError('no command given (scan, rules or explain)');
  if (first.name !== undefined || first.dash) throw new UsageError(`expected a command (scan, rules or explain) before '${first.value}'`);
  const command = first.value;

  if (command === 'scan') {
    const out: ScanArgs = { command: 'scan', paths: [], format: 'text', rules: {}, progress: true, cache: true };
    for (i = 1; i < list.length; i++) {
      const t = list[i]!;
      if (t.name === undefined) {
        if (t.dash) throw new UsageError(`unknown option '${t.value}'`);
        out.paths.push(t.value);
        continue;
      }
      const flag = (): void => {
        if (t.inline !== undefined) throw new UsageError(`--${t.name} takes no value`);
      };
      switch (t.name) {
        case 'format':
          out.format = oneOf(valueOf(t.name, t.inline), SCAN_FORMATS, '--format');
          break;
        case 'output':
          out.output = valueOf(t.name, t.inline);
          if (!out.output) throw new UsageError('--output needs a file name');
          break;
        case 'config':
          out.config = valueOf(t.name, t.inline);
          if (!out.config) throw new UsageError('--config needs a file name');
          break;
        case 'rule': {
          const spec = valueOf(t.name, t.inline);
          const eq = spec.lastIndexOf('=');
          if (eq <= 0) throw new UsageError(`--rule expects ID=LEVEL (got '${spec}')`);
          const id = spec.slice(0, eq);
          if (!knownRules.has(id)) throw new UsageError(`--rule: unknown rule '${id}' (run 'readiness rules' for the list)`);
          out.rules[id] = oneOf(spec.slice(eq + 1), LEVELS, `--rule ${id}: the level`);
          break;
        }
        case 'fail-under': {
          const raw = valueOf(t.name, t.inline);
          const n = Number(raw);
          if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--fail-under expects a number (got '${raw}')`);
          out.failUnder = n;
          break;
        }
        case 'fail-on':
          out.failOn = oneOf(valueOf(t.name, t.inline), FAIL_ON, '--fail-on');
          break;
        case 'no-progress':
          flag();
          out.progress = false;
          break;
        case 'no-cache':
          flag();
          out.cache = false;
          break;
        case 'cache-dir':
          out.cacheDir = valueOf(t.name, t.inline);
          if (!out.cacheDir) throw new UsageError('--cache-dir needs a directory');
          break;
        default:
          throw new UsageError(`unknown option '--${t.name}' for scan`);
      }
    }
    return out;
  }

  if (command === 'rules') {
    const out: RulesArgs = { command: 'rules', format: 'text' };
    for (i = 1; i < list.length; i++) {
      const t = list[i]!;
      if (t.name === 'format') out.format = oneOf(valueOf(t.name, t.inline), RULES_FORMATS, '--format');
      else if (t.name !== undefined || t.dash) throw new UsageError(`unknown option '${t.value}' for rules`);
      else throw new UsageError(`rules takes no arguments (got '${t.value}')`);
    }
    return out;
  }

  if (command === 'explain') {
    const rest = list.slice(1);
    const bad = rest.find((t) => t.name !== undefined || t.dash);
    if (bad) throw new UsageError(`unknown option '${bad.value}' for explain`);
    if (rest.length !== 1) throw new UsageError('explain takes exactly one rule id, e.g. readiness explain k8s/probes');
    return { command: 'explain', ruleId: rest[0]!.value };
  }

  throw new UsageError(`unknown command '${command}' (scan, rules or explain)`);
}
