// @ts-check
// The HTML assessment of examples/shop, rendered by headless Chromium: what a tech lead
// opens. The page comes from `readiness scan --format html` and is checked against the
// CLI's JSON report of the same scan: the score, one bar per scored category with a
// length proportional to its score, and the findings-by-severity chart's counts. Nothing
// may be fetched (every request is recorded and aborted). Screenshots:
// test-output/e2e/report.png (the whole page, light) and report-dark.png (the top, dark).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { CLI, OUTPUT, SAMPLE } from '../lib/paths.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** Runs the built CLI on the sample; SOURCE_DATE_EPOCH pins the report's date. */
function scan(/** @type {string} */ format) {
  return execFileSync(process.execPath, [CLI, 'scan', SAMPLE, '--format', format, '--no-progress'], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }, maxBuffer: 64 * 1024 * 1024 });
}

/** Rendered boxes of the elements `selector` matches, with their data attributes. */
async function boxes(/** @type {Page} */ page, /** @type {string} */ selector) {
  return page.$$eval(selector, (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { width: r.width, height: r.height, data: { ...(/** @type {HTMLElement} */ (/** @type {unknown} */ (el)).dataset) } };
    }),
  );
}

describe('HTML report in headless Chromium', function () {
  /** @type {import('../lib/browser.mjs').Workbench | undefined} */
  let browser;
  /** @type {Page} */
  let page;
  /** @type {{ score: { overall: number, grade: string, categories: Record<string, { score: number | null }> }, findings: { severity: 'error' | 'warning' | 'info' }[] }} */
  let json;
  /** @type {string[]} */
  const consoleErrors = [];

  before(async function () {
    json = JSON.parse(scan('json'));
    const html = scan('html');
    browser = await launchBrowser({ viewport: { width: 1100, height: 1400 } });
    page = browser.page;
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setContent(html, { waitUntil: 'load' });
  });

  after(async function () {
    await browser?.close();
  });

  it('shows the overall score and grade of the JSON report', async function () {
    const text = (await page.locator('#overall-score').innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(text, `Overall score: ${json.score.overall}/100 ${json.score.grade}`);
    assert.equal(await page.locator('h1').innerText(), 'Production readiness assessment — shop');
  });

  it('draws one bar per scored category, as long as its score', async function () {
    const scored = Object.entries(json.score.categories).filter(([, c]) => c.score !== null);
    assert.ok(scored.length >= 3, 'the sample scores several categories');
    const bars = await boxes(page, '#category-chart rect.bar');
    assert.equal(bars.length, scored.length, 'one bar per category with a score');
    const tracks = await boxes(page, '#category-chart rect.track');
    assert.equal(tracks.length, Object.keys(json.score.categories).length, 'a track for every category');
    const full = tracks[0]?.width ?? 0;
    assert.ok(full > 100, `the track is drawn (${full}px)`);
    for (const bar of bars) {
      const score = json.score.categories[bar.data.category ?? '']?.score;
      assert.ok(typeof score === 'number', `bar for a scored category: ${bar.data.category}`);
      assert.equal(Number(bar.data.score), score);
      assert.ok(Math.abs(bar.width - (full * score) / 100) < 1, `${bar.data.category}: ${bar.width}px for ${score}/100 of ${full}px`);
      assert.ok(Math.abs(bar.height - (tracks[0]?.height ?? 0)) < 0.5, 'bars as high as their track');
    }
    // The numbers beside the bars, and the table below, say the same.
    const labels = await page.$$eval('#category-chart text.value:not(.na)', (els) => els.map((e) => Number(e.textContent)));
    assert.deepEqual(labels, scored.map(([, c]) => c.score));
  });

  it('charts findings by severity with the JSON report\'s counts', async function () {
    /** @type {Record<string, number>} */
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of json.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
    const bars = await boxes(page, '#severity-chart rect.sev');
    assert.deepEqual(
      bars.map((b) => [b.data.severity, Number(b.data.count)]),
      [['error', counts.error], ['warning', counts.warning], ['info', counts.info]],
    );
    const max = Math.max(counts.error ?? 0, counts.warning ?? 0, counts.info ?? 0);
    const full = (await boxes(page, '#severity-chart rect.track'))[0]?.width ?? 0;
    for (const b of bars) assert.ok(Math.abs(b.width - (full * Number(b.data.count)) / max) < 1, `${b.data.severity}: ${b.width}px`);
    const labels = await page.$$eval('#severity-chart text.value', (els) => els.map((e) => Number(e.textContent)));
    assert.deepEqual(labels, [counts.error, counts.warning, counts.info]);
  });

  it('loads nothing and breaks no policy', async function () {
    assert.deepEqual(browser?.blocked, [], 'no request left the page');
    assert.deepEqual(consoleErrors, [], 'no CSP violation or other error');
    assert.equal(await page.locator('script').count(), 0);
  });

  it('looks right in light and dark (screenshots)', async function () {
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'report.png'), fullPage: true });
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(darkBg, lightBg, 'prefers-color-scheme: dark changes the colours');
    await page.screenshot({ path: path.join(OUTPUT, 'report-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
