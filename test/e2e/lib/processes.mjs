// @ts-check
// Child processes in their own process groups, stopped with the group. Every group that is
// started is also recorded as a file in $READINESS_E2E_GROUPS (set by test/e2e/run.mjs), so
// that the runner can stop whatever a crashed test process left behind.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** @type {Set<number>} process group ids started by this process and not yet stopped */
const live = new Set();
/** @type {Set<string>} temporary directories not yet removed */
const temps = new Set();

/** A new directory under the system's temp dir, removed at exit at the latest. */
export function tempDir(/** @type {string} */ prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.add(dir);
  return dir;
}

/** Removes a directory made by tempDir. */
export function removeTemp(/** @type {string} */ dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  temps.delete(dir);
}

function recordFile(/** @type {number} */ pgid) {
  const dir = process.env.READINESS_E2E_GROUPS;
  return dir ? path.join(dir, String(pgid)) : undefined;
}

/** Sends a signal to a whole process group; false when the group is gone. */
export function signalGroup(/** @type {number} */ pgid, /** @type {NodeJS.Signals} */ signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group is alive. */
export function groupAlive(/** @type {number} */ pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

process.on('exit', () => {
  // Last resort (normal exit, uncaught error, process.exit): nothing we started outlives us.
  for (const pgid of live) {
    signalGroup(pgid, 'SIGKILL');
    const file = recordFile(pgid);
    if (file) fs.rmSync(file, { force: true });
  }
  // An interrupted run skips the after hooks: the temporary workspaces and profiles go here.
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
});

/**
 * Environment variables that give a child its own home under `dir`, so that browsers,
 * editors and servers write their caches, crash reports and state there, not in ~.
 * @param {string} dir
 */
export function isolatedHome(dir) {
  const home = path.join(dir, 'home');
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache'), XDG_DATA_HOME: path.join(home, '.local', 'share'), XDG_STATE_HOME: path.join(home, '.local', 'state') };
  for (const d of Object.values(env)) fs.mkdirSync(d, { recursive: true });
  return env;
}

/**
 * Spawns `command` as the leader of a new process group.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions & { label: string }} options
 */
export function spawnGroup(command, args, options) {
  const { label, ...rest } = options;
  const child = spawn(command, args, { ...rest, detached: true });
  if (child.pid === undefined) throw new Error(`${label}: could not start ${command}`);
  const pgid = child.pid;
  live.add(pgid);
  const file = recordFile(pgid);
  if (file) fs.writeFileSync(file, `${label}\n${command} ${args.join(' ')}\n`);
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(null));
  });
  return {
    child,
    pgid,
    exited,
    /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when no process of it is left. */
    async stop(graceMs = 3000) {
      signalGroup(pgid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
      while (groupAlive(pgid) && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 50));
      live.delete(pgid);
      if (file) fs.rmSync(file, { force: true });
    },
  };
}

/**
 * Stops the groups recorded in `dir` that are still alive; returns their labels. A group
 * whose record is still there was neither stopped nor killed on its starter's exit.
 * @param {string} dir
 */
export function stopRecordedGroups(dir) {
  /** @type {string[]} */
  const stopped = [];
  if (!fs.existsSync(dir)) return stopped;
  for (const name of fs.readdirSync(dir)) {
    const pgid = Number(name);
    if (Number.isInteger(pgid) && pgid > 1 && groupAlive(pgid)) {
      signalGroup(pgid, 'SIGKILL');
      stopped.push(`${fs.readFileSync(path.join(dir, name), 'utf8').split('\n')[0]} (process group ${pgid})`);
    }
    fs.rmSync(path.join(dir, name), { force: true });
  }
  return stopped;
}

/** Waits up to `ms` for a process group to be gone; true if it is. */
export async function groupGone(/** @type {number} */ pgid, ms = 3000) {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !groupAlive(pgid);
}
