#!/usr/bin/env node
// @ts-check
// Stands in for the VS Code executable that @vscode/test-electron's runTests() starts
// (its `vscodeExecutablePath`): it understands the flags runTests passes
// (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=, --extensions-dir=,
// a folder), starts code-server and a headless Chromium on the web workbench with the test
// payload, forwards the workbench's log, and exits with the extension host's exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from '../lib/browser.mjs';
import { startCodeServer, workbenchUrl } from '../lib/codeServer.mjs';
import { OUTPUT, requireHarness } from '../lib/paths.mjs';

/** Workbench errors that say nothing about the extension: an offline window without GitHub sign-in. */
const HARMLESS = [/Timed out waiting for authentication provider 'github' to register/];

/** Flags of the desktop executable that mean nothing here. */
const IGNORED = new Set(['--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust', '--disable-extensions', '--new-window']);

/** @param {string[]} argv */
export function parseArgs(argv) {
  /** @type {{ extensionDevelopmentPath: string[], extensionTestsPath?: string, userDataDir?: string, extensionsDir?: string, folder?: string, ignored: string[] }} */
  const out = { extensionDevelopmentPath: [], ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      out.folder = path.resolve(arg);
      continue;
    }
    const [, name, inline] = m;
    const value = () => inline ?? argv[++i] ?? '';
    if (name === 'extensionDevelopmentPath') out.extensionDevelopmentPath.push(path.resolve(value()));
    else if (name === 'extensionTestsPath') out.extensionTestsPath = path.resolve(value());
    else if (name === 'user-data-dir') out.userDataDir = path.resolve(value());
    else if (name === 'extensions-dir') out.extensionsDir = path.resolve(value());
    else if (name === 'folder-uri') out.folder = new URL(value()).pathname;
    else out.ignored.push(arg);
  }
  return out;
}

/** What to undo on the way out, last first: the browser, the server, the log. */
/** @type {(() => Promise<void>)[]} */
const cleanups = [];
let cleaning = false;
async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  for (const c of cleanups.reverse()) await c().catch((/** @type {unknown} */ e) => console.error(`code-server-vscode: cleanup: ${e}`));
}
for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.once(signal, () => {
    console.error(`code-server-vscode: ${signal}, stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  requireHarness();
  const args = parseArgs(process.argv.slice(2));
  const unknown = args.ignored.filter((a) => !IGNORED.has(a.split('=')[0] ?? a));
  if (unknown.length > 0) console.error(`code-server-vscode: ignoring ${unknown.join(' ')}`);
  if (!args.extensionTestsPath || args.extensionDevelopmentPath.length === 0) throw new Error('code-server-vscode: --extensionTestsPath= and --extensionDevelopmentPath= are required');
  const folder = args.folder;
  if (!folder || !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`code-server-vscode: the folder to open does not exist: ${folder}`);
  const timeoutMs = Number(process.env.READINESS_E2E_TIMEOUT_MS ?? 180_000);

  const server = await startCodeServer({ label: 'extension-tests', userDataDir: args.userDataDir, extensionsDir: args.extensionsDir });
  cleanups.push(server.stop);
  const workbench = await launchBrowser();
  cleanups.push(workbench.close);
  const { page } = workbench;

  /** @type {(code: number) => void} */
  let exitWith = () => undefined;
  /** @type {Promise<number>} */
  const exitCode = new Promise((resolve) => (exitWith = resolve));
  // The workbench's log, with the extension host's console (the suites' spec reporter) in it.
  // All of it goes to a file. The reporter's lines (indented or blank), warnings and errors
  // also go to the terminal, unless READINESS_E2E_HOST_OUTPUT=file (the runner reports the
  // host's tests itself) — then they are printed only if the host fails. Everything with
  // READINESS_E2E_VERBOSE=1.
  fs.mkdirSync(OUTPUT, { recursive: true });
  const logFile = path.join(OUTPUT, 'extension-tests-workbench.log');
  const log = fs.createWriteStream(logFile);
  cleanups.push(() => new Promise((resolve) => log.end(resolve)));
  const verbose = process.env.READINESS_E2E_VERBOSE === '1';
  const toFileOnly = process.env.READINESS_E2E_HOST_OUTPUT === 'file' && !verbose;
  /** @type {string[]} */
  const held = [];
  await page.exposeFunction('codeAutomationLog', (/** @type {string} */ level, /** @type {unknown} */ message) => {
    const text = Array.isArray(message) ? format(...message) : typeof message === 'string' ? message : JSON.stringify(message);
    log.write(`${level} ${text}\n`);
    const line = level === 'error' || level === 'warn' ? `[workbench ${level}] ${text}` : verbose || /^(\s|$)/.test(text) ? text : undefined;
    if (line === undefined || (!verbose && HARMLESS.some((re) => re.test(text)))) return;
    if (toFileOnly) held.push(line);
    else (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => exitWith(code));
  page.on('pageerror', (e) => console.error(`workbench page error: ${e.message}`));
  page.on('crash', () => exitWith(70));

  const url = workbenchUrl(server, { folder, extensionDevelopmentPath: args.extensionDevelopmentPath, extensionTestsPath: args.extensionTestsPath });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const result = await Promise.race([exitCode, timedOut]);
  clearTimeout(timer);
  const code = typeof result === 'number' ? result : 1;
  if (result === 'timeout') {
    fs.mkdirSync(OUTPUT, { recursive: true });
    const shot = path.join(OUTPUT, 'extension-tests-timeout.png');
    await page.screenshot({ path: shot }).catch(() => undefined);
    console.error(`code-server-vscode: the extension host did not exit within ${timeoutMs} ms (screenshot: ${shot}, server log: ${server.logFile})`);
  }
  if (code !== 0 && held.length > 0) process.stderr.write(`${held.join('\n')}\n`);
  if (toFileOnly) console.log(`extension host output: ${path.relative(process.cwd(), logFile)}`);
  if (workbench.blocked.length > 0) console.error(`code-server-vscode: blocked ${workbench.blocked.length} request(s) leaving 127.0.0.1, e.g. ${workbench.blocked[0]}`);
  await cleanup();
  process.exitCode = code;
}

main().catch(async (e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  await cleanup();
  process.exit(1);
});
