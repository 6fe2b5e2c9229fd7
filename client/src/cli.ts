// Reports the language server does not serve (Markdown, SARIF) come from our own CLI
// bundle, `dist/cli.js` in the extension's install folder, run as a Node process. Nothing
// from the workspace is executed: the CLI only reads files, as the server does.
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { isRuleLevel, type RuleLevel } from './settings';

export interface CliRun {
  code: number | null;
  stderr: string;
}

/**
 * The roots to pass and the directory to run in. Report paths are relative to the roots
 * as given: folders that share a parent are passed by name from that parent, so that a
 * report (and SARIF's artifact URIs) names `api/deploy.yaml`, not an absolute path.
 */
export function scanRoots(folders: readonly string[]): { cwd: string; roots: string[] } {
  if (folders.length === 0) return { cwd: process.cwd(), roots: [] };
  const parents = new Set(folders.map((f) => path.dirname(f)));
  const names = folders.map((f) => path.basename(f));
  if (parents.size === 1 && new Set(names).size === names.length && names.every((n) => n.length > 0)) {
    return { cwd: [...parents][0]!, roots: names };
  }
  return { cwd: folders[0]!, roots: [...folders] };
}

/** `--rule id=level` for the editor's rule settings, so the report agrees with the tree. */
export function ruleArgs(rules: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  for (const [id, level] of Object.entries(rules ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (isRuleLevel(level)) out.push('--rule', `${id}=${level satisfies RuleLevel}`);
  }
  return out;
}

export function scanArgs(roots: readonly string[], format: 'markdown' | 'sarif', output: string, rules?: Record<string, unknown>): string[] {
  return ['scan', ...roots, '--format', format, '--output', output, '--no-progress', ...ruleArgs(rules)];
}

/**
 * Runs `dist/cli.js` with the extension host's own runtime (as the language client starts
 * the server): in desktop VS Code that is Electron, told to behave as Node.
 */
export function runCli(cliPath: string, args: readonly string[], cwd: string, log: (line: string) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = fork(cliPath, [...args], {
      cwd,
      execArgv: [],
      silent: true,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' },
    });
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => log(d.toString('utf8').trimEnd()));
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
