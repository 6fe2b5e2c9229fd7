// An untrusted workspace: every file that some tool would execute or load (package scripts,
// JS configs, a tsconfig extending a plugin, Python conftest/setup, CI steps) carries a payload
// that writes a marker file, and the config is hostile YAML. The CLI in every format, scan()
// and the language server analyse it, and nothing runs: no marker appears, no process is
// spawned, no workspace module is loaded, and Object.prototype is untouched.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { allRules } from '../rules/index';
import { scan } from '../server/src/engine/index';
import { RescanRequest } from '../server/src/protocol';
import { tempDir, writeTree } from './harness';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SERVER = path.join(ROOT, 'dist', 'server.js');

/** The nine-level alias bomb: a few hundred bytes that expand to a billion nodes. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
  return lines.join('\n') + '\n';
}

function hostileWorkspace(markers: string): Map<string, string> {
  const js = (name: string): string => `require('fs').writeFileSync(${JSON.stringify(path.join(markers, name))}, 'ran');\nmodule.exports = {};\n`;
  const py = (name: string): string => `open(${JSON.stringify(path.join(markers, name))}, "w").write("ran")\n`;
  const sh = (name: string): string => `node -e "require('fs').writeFileSync(process.argv[1], 'ran')" ${JSON.stringify(path.join(markers, name))}`;
  const scripts = Object.fromEntries(['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'test', 'start', 'build', 'lint', 'pretest'].map((s) => [s, sh(`script-${s}`)]));
  return new Map([
    [
      '.readiness.yaml',
      [
        'rules: !!js/function "function () { require(\'fs\').writeFileSync(process.env.HOME + \'/pwned\', \'x\') }"',
        'ignore: !!js/regexp /.*/',
        '__proto__:',
        '  polluted: yes',
        'constructor:',
        '  prototype:',
        '    polluted: yes',
        'weights: &w { security: 5, __proto__: { polluted: yes } }',
        'other: *w',
        aliasBomb().replace(/^/gm, ''),
      ].join('\n'),
    ],
    // Written as text: in an object literal `__proto__` would set the prototype, not a key.
    ['package.json', JSON.stringify({ name: 'ledgerly-api', version: '1.0.0', main: 'server.js', scripts, dependencies: { express: '^4.19.2' } }, null, 2).replace(/^\{/, '{\n  "__proto__": { "polluted": true },\n  "constructor": { "prototype": { "polluted": true } },')],
    ['server.js', `const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(3000);\n${js('server-js')}`],
    ['readiness.config.js', js('readiness-config-js')],
    ['.readiness.js', js('dot-readiness-js')],
    ['.eslintrc.js', js('eslintrc-js')],
    ['eslint.config.mjs', `import fs from 'fs';\nfs.writeFileSync(${JSON.stringify(path.join(markers, 'eslint-config-mjs'))}, 'ran');\nexport default [];\n`],
    ['jest.config.js', js('jest-config-js')],
    ['next.config.js', js('next-config-js')],
    ['tsconfig.json', JSON.stringify({ extends: './evil-plugin/tsconfig.js', compilerOptions: { plugins: [{ name: 'evil-plugin' }], strict: true } })],
    ['evil-plugin/tsconfig.js', js('tsconfig-extends')],
    ['evil-plugin/index.js', js('ts-plugin')],
    ['src/app.ts', `import express from 'express';\nconst app = express();\napp.get('/orders', (req, res) => res.json([]));\nexport default app;\n`],
    ['conftest.py', py('conftest-py')],
    ['setup.py', `from setuptools import setup\n${py('setup-py')}setup(name="ledgerly")\n`],
    ['app/__init__.py', `import os\n${py('init-py')}`],
    ['app/main.py', `from fastapi import FastAPI\n${py('main-py')}app = FastAPI()\n\n@app.get("/items")\ndef items():\n    return []\n`],
    ['requirements.txt', `fastapi==0.115.0\n-e .\n-r ${path.join(markers, 'nonexistent.txt')}\n`],
    ['pyproject.toml', `[build-system]\nrequires = ["setuptools"]\nbuild-backend = "evil_backend"\nbackend-path = ["."]\n[project]\nname = "ledgerly"\ndependencies = ["fastapi"]\n`],
    ['evil_backend.py', py('build-backend')],
    ['Makefile', `all:\n\t${sh('makefile')}\n`],
    ['Dockerfile', `FROM node:20\nRUN ${sh('dockerfile')}\nCMD ["node", "server.js"]\n`],
    ['docker-compose.yml', `services:\n  api:\n    build: .\n    command: ${JSON.stringify(sh('compose'))}\n`],
    ['.github/workflows/ci.yml', `on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(sh('workflow'))}\n`],
    ['Jenkinsfile', `pipeline { agent any; stages { stage('x') { steps { sh '${sh('jenkins').replace(/'/g, '')}' } } } }\n`],
    ['.env', `NODE_OPTIONS=--require ${path.join(markers, '..', 'evil-preload.js')}\nPYTHONSTARTUP=${path.join(markers, 'startup.py')}\n`],
    ['.npmrc', 'node-options=--require ./evil-plugin/index.js\n'],
    ['deploy/bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: lol }\ndata:\n${aliasBomb().replace(/^/gm, '  ')}`],
    ['deploy/tags.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tags\n  __proto__: { polluted: yes }\ndata:\n  f: !!js/function "function () { return 1 }"\n  u: !!js/undefined ""\n'],
  ]);
}

/** Loaded into the CLI and server processes with --require: records any child process and any workspace module loaded. */
function watchdog(log: string, workspace: string): string {
  return `
const fs = require('fs');
const cp = require('child_process');
const Module = require('module');
const note = (what) => fs.appendFileSync(${JSON.stringify(log)}, what + '\\n');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const real = cp[name];
  cp[name] = function (...args) { note('child_process.' + name + ' ' + String(args[0])); return real.apply(this, args); };
}
const load = Module._load;
Module._load = function (request, parent, isMain) {
  let resolved = request;
  try { resolved = Module._resolveFilename(request, parent, isMain); } catch {}
  if (String(resolved).startsWith(${JSON.stringify(workspace + path.sep)})) note('require ' + resolved);
  return load.apply(this, arguments);
};
const keys = Object.getOwnPropertyNames(Object.prototype).join(',');
process.on('exit', () => {
  if (Object.getOwnPropertyNames(Object.prototype).join(',') !== keys || ({}).polluted !== undefined) note('Object.prototype polluted');
});
`;
}

describe('untrusted workspace: nothing from it runs', function () {
  this.timeout(180_000);
  let base: string;
  let ws: string;
  let markers: string;
  let log: string;
  let preload: string;
  let benignConfig: string;

  const markersFound = (): string[] => fs.readdirSync(markers);
  const logged = (): string[] => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

  before(() => {
    base = tempDir('readiness-untrusted-');
    ws = path.join(base, 'ws');
    markers = path.join(base, 'markers');
    fs.mkdirSync(markers);
    writeTree(ws, hostileWorkspace(markers));
    log = path.join(base, 'watchdog.log');
    preload = path.join(base, 'watchdog.js');
    fs.writeFileSync(preload, watchdog(log, ws));
    benignConfig = path.join(base, 'benign.yaml');
    fs.writeFileSync(benignConfig, 'maxFileSize: 1048576\n');
  });
  afterEach(() => {
    assert.deepEqual(markersFound(), [], 'no payload ran');
  });

  it('the payloads are live: run by hand, they write their markers (then cleared)', () => {
    const r = spawnSync(process.execPath, [path.join(ws, 'readiness.config.js')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const pkg = JSON.parse(fs.readFileSync(path.join(ws, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const s = spawnSync('/bin/sh', ['-c', pkg.scripts.postinstall!], { encoding: 'utf8' });
    assert.equal(s.status, 0, s.stderr);
    const py = spawnSync('python3', [path.join(ws, 'conftest.py')], { encoding: 'utf8' });
    const expected = ['readiness-config-js', 'script-postinstall', ...(py.status === 0 ? ['conftest-py'] : [])].sort();
    assert.deepEqual(markersFound().sort(), expected);
    for (const m of markersFound()) fs.rmSync(path.join(markers, m));
  });

  it('the watchdog sees a spawned process and a loaded workspace module', () => {
    fs.rmSync(log, { force: true });
    const probe = `require('child_process').spawnSync('true'); require(${JSON.stringify(path.join(ws, '.eslintrc.js'))});`;
    const r = spawnSync(process.execPath, ['--require', preload, '-e', probe], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(logged(), ['child_process.spawnSync true', `require ${path.join(ws, '.eslintrc.js')}`]);
    assert.deepEqual(markersFound(), ['eslintrc-js']);
    fs.rmSync(path.join(markers, 'eslintrc-js'));
    fs.rmSync(log);
  });

  it('scan() analyses it without spawning, loading workspace modules or polluting Object.prototype', async () => {
    const cp = require('node:child_process') as Record<string, unknown>;
    const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
    const saved = names.map((n) => cp[n]);
    const calls: string[] = [];
    for (const n of names) {
      cp[n] = (...args: unknown[]): never => {
        calls.push(`${n} ${String(args[0])}`);
        throw new Error(`child_process.${n} called during scan`);
      };
    }
    const protoBefore = Object.getOwnPropertyNames(Object.prototype);
    let outcome;
    try {
      outcome = await scan({ roots: [ws], rules: [...allRules] });
      // The same workspace with the hostile config replaced, as the CLI's --config does.
      await scan({ roots: [ws], rules: [...allRules], configFile: benignConfig });
    } finally {
      names.forEach((n, i) => (cp[n] = saved[i]));
    }
    assert.deepEqual(calls, [], 'no child process');
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype), protoBefore, 'Object.prototype keeps its keys');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype unpolluted');
    assert.deepEqual(Object.keys(require.cache).filter((k) => k.startsWith(ws + path.sep)), [], 'no workspace module loaded');
    assert.ok(outcome.configIssues.length > 0, 'the hostile config is reported, not obeyed');
    assert.ok(outcome.files.some((f) => f.path === 'Dockerfile') && outcome.files.some((f) => f.path === 'package.json'), 'the workspace was analysed');
    assert.ok(outcome.errors.some((e) => e.file === 'deploy/bomb.yaml'), 'the alias bomb is an error entry');
  });

  for (const format of ['text', 'json', 'sarif', 'markdown', 'html']) {
    it(`the CLI (--format ${format}) runs nothing from it`, () => {
      fs.rmSync(log, { force: true });
      const env = { ...process.env, NODE_OPTIONS: `--require ${preload}` };
      if (format === 'text') {
        // With the workspace's own (hostile) config: refused as a configuration error, no crash.
        const own = spawnSync(process.execPath, [CLI, 'scan', '.', '--no-progress'], { cwd: ws, env, encoding: 'utf8', timeout: 120_000 });
        assert.equal(own.status, 2, `exit ${own.status}: ${own.stderr}`);
        assert.doesNotMatch(own.stderr, /TypeError|RangeError|at .+\.js:\d+/, 'no crash');
      }
      // With a benign config: the whole workspace is analysed and reported.
      const r = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', format, '--no-progress', '--config', benignConfig], { cwd: ws, env, encoding: 'utf8', timeout: 120_000 });
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0, 'a report');
      if (format === 'json') assert.ok((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length > 0, 'findings reported');
      assert.deepEqual(logged(), [], 'the CLI spawned nothing, loaded no workspace module and left Object.prototype alone');
    });
  }

  it('the language server over stdio runs nothing from it', async () => {
    fs.rmSync(log, { force: true });
    const proc = spawn(process.execPath, ['--require', preload, SERVER, '--stdio'], { cwd: ws, stdio: ['pipe', 'pipe', 'inherit'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const published = new Set<string>();
    conn.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => void published.add(p.uri));
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    try {
      const folder = pathToFileURL(ws).toString();
      await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'ws' }], capabilities: { workspace: { configuration: true } } });
      await conn.sendNotification(InitializedNotification.type, {});
      const report = await conn.sendRequest(RescanRequest.type, {});
      assert.ok(report, 'the workspace was analysed');
      const deadline = Date.now() + 20_000;
      while (!published.has(pathToFileURL(path.join(ws, 'Dockerfile')).toString()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(published.has(pathToFileURL(path.join(ws, 'Dockerfile')).toString()), 'diagnostics were published');
      const children = fs.existsSync(`/proc/${proc.pid}/task/${proc.pid}/children`) ? fs.readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim() : '';
      assert.equal(children, '', 'the server has no child process');
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      await new Promise<void>((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', () => resolve())));
    } finally {
      conn.dispose();
      proc.kill();
    }
    assert.deepEqual(logged(), [], 'the server spawned nothing, loaded no workspace module and left Object.prototype alone');
  });
});
