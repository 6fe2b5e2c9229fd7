// @ts-check
// Starts code-server (the VS Code server and its web workbench) on 127.0.0.1, offline:
// Node 24 from the harness, --auth none, a fresh user-data and extensions dir, no gallery,
// telemetry, update checks or experiments; its own process group, stopped with the group.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { CODE_SERVER, NODE24, OUTPUT } from './paths.mjs';
import { isolatedHome, removeTemp, spawnGroup, tempDir } from './processes.mjs';

/** User settings of every test profile: nothing that phones home or gets in the way. */
export const SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
  'github.gitAuthentication': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'typescript.tsserver.web.projectWideIntellisense.enabled': false,
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  // The web workbench saves after a delay by default; tests save when they mean to.
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  // The protocol trace lands in the Readiness output channel, kept in <label>-logs/.
  'readiness.trace.server': 'verbose',
};

/** Writes SETTINGS as the user settings of `userDataDir`, unless it has settings already. */
export function writeSettings(/** @type {string} */ userDataDir) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(SETTINGS, null, 2));
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {string} origin  http://127.0.0.1:PORT
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} logFile  code-server's stdout and stderr
 * @property {() => Promise<void>} stop  stops the process group and removes the temporary dirs
 */

/**
 * @param {{ label: string, userDataDir?: string, extensionsDir?: string, env?: NodeJS.ProcessEnv, extraArgs?: string[] }} options
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options) {
  const temp = tempDir('readiness-code-server-');
  const userDataDir = options.userDataDir ?? path.join(temp, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(temp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeSettings(userDataDir);
  // Its own config file, so that code-server never writes ~/.config/code-server/config.yaml.
  const config = path.join(temp, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  fs.mkdirSync(OUTPUT, { recursive: true });
  const logFile = path.join(OUTPUT, `${options.label}-code-server.log`);
  const log = fs.openSync(logFile, 'w');
  const port = await freePort();
  const args = [
    CODE_SERVER,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--config', config,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver',
    ...(options.extraArgs ?? []),
  ];
  const env = {
    ...process.env,
    ...options.env,
    EXTENSIONS_GALLERY: '{}',
    // The extension host and the language server it starts run on this Node.
    PATH: `${path.dirname(NODE24)}${path.delimiter}${process.env.PATH ?? ''}`,
    ...isolatedHome(temp),
  };
  const group = spawnGroup(NODE24, args, { label: `${options.label} code-server`, env, cwd: temp, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await group.stop();
    // Keep the server's and the extension host's logs (output channels included) as artifacts.
    const logs = path.join(userDataDir, 'logs');
    const kept = path.join(OUTPUT, `${options.label}-logs`);
    fs.rmSync(kept, { recursive: true, force: true });
    if (fs.existsSync(logs)) fs.cpSync(logs, kept, { recursive: true });
    removeTemp(temp);
  };
  try {
    await waitHealthy(origin, group.exited, 30_000);
  } catch (e) {
    await stop();
    throw new Error(`${/** @type {Error} */ (e).message}\n--- ${logFile} ---\n${fs.readFileSync(logFile, 'utf8')}`);
  }
  return { port, origin, userDataDir, extensionsDir, logFile, stop };
}

/**
 * Polls /healthz until the server answers, the process exits, or the time is up.
 * @param {string} origin
 * @param {Promise<number | null>} exited
 * @param {number} timeoutMs
 */
async function waitHealthy(origin, exited, timeoutMs) {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error('code-server exited before it was ready');
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs} ms`);
}

/**
 * The workbench URL for a folder, with the test payload VS Code's smoke-test driver reads:
 * the extension under development and, for extension tests, the tests' entry point.
 * @param {CodeServer} server
 * @param {{ folder: string, extensionDevelopmentPath?: string[], extensionTestsPath?: string }} options
 */
export function workbenchUrl(server, options) {
  const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;
  /** @type {[string, string][]} */
  const payload = [];
  for (const p of options.extensionDevelopmentPath ?? []) payload.push(['extensionDevelopmentPath', remote(p)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: path.resolve(options.folder) });
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${query.toString()}`;
}
