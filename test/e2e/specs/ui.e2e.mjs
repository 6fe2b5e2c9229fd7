// @ts-check
// UI smoke test: the real web workbench of code-server in headless Chromium, with the
// extension under development loaded (payload: extensionDevelopmentPath only) on a copy of
// examples/shop. What a user sees: the status bar score, the Problems panel, the Readiness
// view, and a quick fix chosen from Ctrl+. that changes the saved file.
// Screenshots: test-output/e2e/ui-*.png.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startCodeServer, workbenchUrl } from '../lib/codeServer.mjs';
import { CLI, OUTPUT, REPO } from '../lib/paths.mjs';
import { removeTemp } from '../lib/processes.mjs';
import { copySample } from '../runTest.mjs';

/** @typedef {import('playwright-core').Page} Page */

const UI_TIMEOUT = 45_000;
/** Report keys and the labels the Readiness view shows, in order. */
const CATEGORIES = { security: 'Security', resilience: 'Resilience', observability: 'Observability', data: 'Data', scalability: 'Scalability', delivery: 'Delivery', documentation: 'Documentation' };

/** Saves a screenshot under test-output/e2e and returns its path. */
async function shot(/** @type {Page} */ page, /** @type {string} */ name) {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `ui-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs a command by its title through the command palette (F1). */
async function runCommand(/** @type {Page} */ page, /** @type {string} */ title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await item.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Types `text` into the Problems panel's filter box. */
async function filterProblems(/** @type {Page} */ page, /** @type {string} */ text) {
  const input = page.locator('.panel .viewpane-filter input, .panel .markers-panel-action-filter input').first();
  await input.fill(text);
}

/** Polls `read()` until `accept` holds, at most `timeoutMs`: for state on disk, which no page event announces. */
async function until(/** @type {string} */ what, /** @type {() => string} */ read, /** @type {(v: string) => boolean} */ accept, timeoutMs = UI_TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last:\n${value}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('UI smoke: code-server workbench in headless Chromium', function () {
  /** @type {string} */
  let workspace;
  /** @type {import('../lib/codeServer.mjs').CodeServer | undefined} */
  let server;
  /** @type {import('../lib/browser.mjs').Workbench | undefined} */
  let workbench;
  /** @type {Page} */
  let page;
  /** @type {{ score: { overall: number, grade: string, categories: Record<string, { score: number | null }> }, findings: { ruleId: string, file: string, message: string, severity: string }[] }} */
  let cli;

  before(async function () {
    workspace = copySample('readiness-e2e-ui-');
    cli = JSON.parse(execFileSync(process.execPath, [CLI, 'scan', workspace, '--format', 'json', '--no-progress'], { encoding: 'utf8' }));
    server = await startCodeServer({ label: 'ui' });
    workbench = await launchBrowser();
    page = workbench.page;
    page.setDefaultTimeout(UI_TIMEOUT);
    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: [REPO] }));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const file = await shot(page, `failed-${(this.currentTest.title.match(/\w+/g) ?? ['test']).slice(0, 4).join('-')}`).catch(() => undefined);
      if (file) console.error(`    screenshot of the failure: ${path.relative(REPO, file)}`);
    }
  });

  after(async function () {
    await workbench?.close();
    await server?.stop();
    if (workspace) removeTemp(path.dirname(workspace));
  });

  it('shows the readiness score in the status bar', async function () {
    const item = page.locator('.statusbar-item', { hasText: /^Readiness \d+%$/ });
    await item.waitFor({ state: 'visible' });
    assert.equal((await item.innerText()).trim(), `Readiness ${cli.score.overall}%`);
    await shot(page, '1-status-bar');
  });

  it('lists the findings in the Problems panel', async function () {
    await runCommand(page, 'View: Focus Problems');
    await runCommand(page, 'View: Toggle Maximized Panel');
    // Every finding is a problem: the tab's badge and the status bar's counts say how many.
    const total = String(cli.findings.length);
    const badge = page.locator('.panel .composite-bar .action-item', { has: page.locator('[aria-label^="Problems"]') }).locator('.badge-content');
    await page.waitForFunction((n) => Array.from(document.querySelectorAll('.panel .composite-bar .action-item')).some((item) => /^Problems/.test(item.querySelector('[aria-label]')?.getAttribute('aria-label') ?? '') && item.querySelector('.badge-content')?.textContent === n), total);
    assert.equal((await badge.innerText()).trim(), total);
    const count = (/** @type {string} */ severity) => cli.findings.filter((f) => f.severity === severity).length;
    const problems = (await page.locator('.statusbar-item', { has: page.locator('.codicon-error') }).first().innerText()).split(/\s+/).filter(Boolean);
    assert.deepEqual(problems, [String(count('error')), String(count('warning')), String(count('info'))], 'errors, warnings and infos in the status bar');
    await shot(page, '2-problems');
    // File by file (the list only renders the rows that fit): every finding's message is listed.
    for (const file of [...new Set(cli.findings.map((f) => f.file))].sort()) {
      await filterProblems(page, `**/${file}`);
      const messages = cli.findings.filter((f) => f.file === file).map((f) => f.message);
      // Filtered: the file's row, then one row per finding (workspace rules add rows of
      // related information, their evidence, below their finding).
      await page.waitForFunction(
        ([n, name]) => {
          const rows = Array.from(document.querySelectorAll('.markers-panel .monaco-list-row'));
          return rows.length >= Number(n) && (rows[0]?.textContent ?? '').includes(String(name));
        },
        [messages.length + 1, path.posix.basename(file)],
      );
      const text = await page.locator('.markers-panel').innerText();
      for (const message of messages) assert.ok(text.includes(message), `the panel lists for ${file}: ${message}`);
    }
    await filterProblems(page, '');
    await runCommand(page, 'View: Toggle Maximized Panel');
    await runCommand(page, 'View: Hide Panel');
  });

  it('shows the score, the grade and the seven categories in the Readiness view', async function () {
    // The view container's icon in the activity bar; its badge counts the failing checks.
    const icon = page.locator('.activitybar .action-item', { has: page.locator('a.action-label[aria-label^="Readiness"]') });
    assert.match((await icon.locator('a.action-label').getAttribute('aria-label')) ?? '', /^Readiness - \d+ failing checks?$/);
    await icon.click();
    const tree = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Readiness' }) }).locator('.monaco-list').first();
    const overall = tree.locator('.monaco-list-row', { hasText: `Overall ${cli.score.overall}%` });
    await overall.waitFor({ state: 'visible' });
    assert.match(await overall.innerText(), new RegExp(`Overall ${cli.score.overall}%\\s*${cli.score.grade}`));
    // The overall node opens expanded: one row per category, with the CLI's category score.
    for (const [key, label] of Object.entries(CATEGORIES)) {
      const row = tree.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
      await row.waitFor({ state: 'visible' });
      const description = (await row.locator('.label-description').innerText()).trim();
      const score = cli.score.categories[key]?.score;
      if (score === null || score === undefined) assert.equal(description, 'not applicable', label);
      else assert.match(description, new RegExp(`^${score}%`), `${label}: ${description}`);
    }
    await shot(page, '3-readiness-view');
  });

  it('offers the quick fix on Ctrl+. and applying it changes the saved file', async function () {
    const file = path.join(workspace, 'deploy', 'worker.yaml');
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /replicas:/);
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('worker.yaml');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'worker.yaml' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible' });
    await page.locator('.tab.active', { hasText: 'worker.yaml' }).waitFor({ state: 'visible' });
    // Line 5, `name: worker`: k8s/replicas (and k8s/autoscaling) are reported on the name.
    await page.keyboard.press('Control+G');
    await input.waitFor({ state: 'visible' });
    await input.fill(':5:11');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // The squiggle is there before asking for fixes.
    await page.locator('.editor-instance .squiggly-info, .editor-instance .squiggly-warning').first().waitFor({ state: 'attached' });
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
    const fix = menu.locator('.monaco-list-row', { hasText: 'Set replicas: 2' });
    await fix.waitFor({ state: 'visible' });
    const offered = await menu.innerText();
    assert.match(offered, /Ignore k8s\/replicas on this line/);
    await shot(page, '4-quick-fix-menu');
    await fix.click();
    await menu.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+S');
    const saved = await until('the fix to be saved to deploy/worker.yaml', () => fs.readFileSync(file, 'utf8'), (t) => /replicas: 2/.test(t));
    assert.match(saved, /^spec:\n {2}replicas: 2\n/m, saved);
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
    // The finding leaves the Problems panel once the server has re-analysed the saved file;
    // the other findings of worker.yaml stay.
    await runCommand(page, 'View: Focus Problems');
    await filterProblems(page, '**/deploy/worker.yaml');
    await page.waitForFunction(() => {
      const text = document.querySelector('.markers-panel')?.textContent ?? '';
      return text.includes('k8s/image-tag') && text.includes('k8s/secret-in-env') && !text.includes('k8s/replicas');
    });
    // The status bar follows: the score the CLI gives the fixed workspace.
    const after = JSON.parse(execFileSync(process.execPath, [CLI, 'scan', workspace, '--format', 'json', '--no-progress'], { encoding: 'utf8' }));
    await page.locator('.statusbar-item', { hasText: new RegExp(`^Readiness ${after.score.overall}%$`) }).waitFor({ state: 'visible' });
    await shot(page, '5-after-fix');
  });
});
