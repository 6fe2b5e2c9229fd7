// @ts-check
// Headless Chromium (Debian's) driven by playwright-core: the window of the web workbench.
// A fresh profile; every request that does not go to 127.0.0.1 is aborted.
import * as path from 'node:path';
import { CHROMIUM, harnessRequire } from './paths.mjs';
import { isolatedHome, removeTemp, tempDir } from './processes.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** @returns {typeof import('playwright-core')} */
export function playwright() {
  return harnessRequire('playwright-core');
}

/** True for URLs the tests may load: the local server, and in-page data. */
export function isLocal(/** @type {string} */ url) {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

/**
 * @typedef {object} Workbench
 * @property {import('playwright-core').BrowserContext} context
 * @property {import('playwright-core').Page} page
 * @property {string[]} blocked  URLs that were aborted
 * @property {() => Promise<void>} close  closes the browser and removes its profile
 */

/**
 * Launches Chromium with a fresh profile and one page.
 * @param {{ viewport?: { width: number, height: number } }} [options]
 * @returns {Promise<Workbench>}
 */
export async function launchBrowser(options = {}) {
  const temp = tempDir('readiness-chromium-');
  const profile = path.join(temp, 'profile');
  const context = await playwright().chromium.launchPersistentContext(profile, {
    // Crash reports, GTK settings and NSS databases go to a home of its own, not ~.
    env: { ...process.env, ...isolatedHome(temp) },
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    // Quick fixes are listed on Ctrl+.; keep the platform Linux so the keybindings are.
    locale: 'en-US',
    timeout: 60_000,
  });
  /** @type {string[]} */
  const blocked = [];
  await context.route('**/*', (/** @type {import('playwright-core').Route} */ route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    blocked,
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      removeTemp(temp);
    },
  };
}
