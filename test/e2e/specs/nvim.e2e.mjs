// @ts-check
// A second LSP client: headless Neovim (Debian's, 0.7) attaches dist/server.js over stdio to
// every file of a copy of examples/shop the CLI reports findings in (test/e2e/nvim/init.lua)
// and must receive, file by file,
// the diagnostics the CLI reports for the same workspace: same rule ids, same 0-based ranges,
// same severities, with source "readiness" and the rule's documentation link.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, E2E, NVIM, SERVER } from '../lib/paths.mjs';
import { isolatedHome, removeTemp, spawnGroup } from '../lib/processes.mjs';
import { copySample } from '../runTest.mjs';

/** @typedef {{ code: string, source: string, severity: number, message: string, lnum: number, col: number, end_lnum: number, end_col: number, character: number, end_character: number, href: string | null }} NvimDiagnostic */
/** @typedef {{ ruleId: string, severity: 'error' | 'warning' | 'info', file: string, line: number, column: number, endLine: number, endColumn: number, message: string }} CliFinding */

/** vim.diagnostic.severity: ERROR 1, WARN 2, INFO 3 (the LSP numbers). */
const SEVERITY = { error: 1, warning: 2, info: 3 };

describe('Neovim as a second LSP client (stdio)', function () {
  /** @type {string} */
  let workspace;
  /** @type {CliFinding[]} */
  let findings;
  /** @type {string[]} */
  let files;

  before(function () {
    workspace = copySample('readiness-e2e-nvim-');
    const report = JSON.parse(execFileSync(process.execPath, [CLI, 'scan', workspace, '--format', 'json', '--no-progress'], { encoding: 'utf8' }));
    findings = report.findings;
    files = [...new Set(findings.map((f) => f.file))].sort();
    for (const manifest of ['deploy/api.yaml', 'deploy/jobs.yaml', 'deploy/worker.yaml']) assert.ok(files.includes(manifest), `the CLI reports findings in ${manifest}`);
  });

  after(function () {
    if (workspace) removeTemp(path.dirname(workspace));
  });

  it('receives the diagnostics the CLI reports for the same files (rule ids, 0-based ranges, severities)', async function () {
    const out = path.join(path.dirname(workspace), 'nvim-diagnostics.json');
    const nvim = spawnGroup(NVIM, ['--headless', '--clean', '-u', path.join(E2E, 'nvim', 'init.lua')], {
      label: 'neovim',
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...isolatedHome(path.dirname(workspace)), READINESS_NODE: process.execPath, READINESS_SERVER: SERVER, READINESS_ROOT: workspace, READINESS_FILES: files.join('\n'), READINESS_OUT: out, READINESS_TIMEOUT_MS: '30000' },
    });
    let output = '';
    nvim.child.stdout?.on('data', (d) => (output += d));
    nvim.child.stderr?.on('data', (d) => (output += d));
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const code = await Promise.race([nvim.exited, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), 60_000)))]);
    clearTimeout(timer);
    await nvim.stop();
    assert.ok(fs.existsSync(out), `Neovim wrote no result (exit: ${code}); its output:\n${output}`);
    /** @type {{ error?: string, files?: Record<string, NvimDiagnostic[]> }} */
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(result.error, undefined, `init.lua failed: ${result.error}`);
    assert.equal(code, 0, `Neovim exited with ${code}`);
    const received = result.files ?? {};
    assert.deepEqual(Object.keys(received).sort(), files);

    for (const file of files) {
      const got = received[file] ?? [];
      for (const d of got) {
        assert.equal(d.source, 'readiness', `${file}: ${d.code} comes from readiness`);
        assert.match(d.href ?? '', new RegExp(`/rules/${d.code}\\.md$`), `${file}: ${d.code} links its documentation`);
      }
      // Positions in UTF-16 code units, as LSP and the CLI count them (init.lua converts Neovim's bytes).
      const actual = got.map((d) => `${d.code} ${d.lnum}:${d.character}-${d.end_lnum}:${d.end_character} severity=${d.severity} ${d.message}`).sort();
      const expected = findings
        .filter((f) => f.file === file)
        .map((f) => `${f.ruleId} ${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1} severity=${SEVERITY[f.severity]} ${f.message}`)
        .sort();
      assert.deepEqual(actual, expected, `${file}: Neovim's diagnostics equal the CLI findings`);
    }
    // The one the issue names: k8s/image-tag on worker.yaml line 17, 0-based 16:17-16:35.
    assert.ok(
      (received['deploy/worker.yaml'] ?? []).some((d) => d.code === 'k8s/image-tag' && d.lnum === 16 && d.col === 17 && d.end_lnum === 16 && d.end_col === 35),
      'k8s/image-tag at deploy/worker.yaml 16:17-16:35',
    );
  });
});
