// Drives yaml-language-server 1.x over stdio with the LSP protocol, for the benchmark's side
// by side: opens every given YAML file and measures the time until the server has published
// diagnostics for each. Offline by construction: the schema store and the CRD store are off,
// and the only schema is a small local one (apiVersion, kind, metadata required) for the
// Kubernetes files, so nothing is fetched from the network.
//   node bench/yaml-ls.mjs ROOT LISTFILE     (LISTFILE: root-relative paths, one a line)
// Prints one JSON line. YAML_LS_DIR points at another install of the package.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node.js';

const require = createRequire(import.meta.url);
const [root, listFile] = process.argv.slice(2);
const files = fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const pkgDir = process.env.YAML_LS_DIR ?? path.dirname(require.resolve('yaml-language-server/package.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const bin = path.join(pkgDir, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['yaml-language-server']);

const schemaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-ls-schema-'));
const schemaFile = path.join(schemaDir, 'k8s-object.schema.json');
fs.writeFileSync(
  schemaFile,
  JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, spec: { type: 'object' } },
  }),
);
const settings = {
  yaml: {
    validate: true,
    hover: false,
    completion: false,
    format: { enable: false },
    schemaStore: { enable: false },
    kubernetesCRDStore: { enable: false },
    schemas: { [pathToFileURL(schemaFile).href]: ['**/k8s/*.yaml'] },
  },
};

const child = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
conn.onRequest('workspace/configuration', (params) => params.items.map((i) => (i.section === 'yaml' ? settings.yaml : i.section ? (settings[i.section] ?? null) : settings)));
conn.onRequest('client/registerCapability', () => null);
conn.onRequest('window/workDoneProgress/create', () => null);
const uris = files.map((f) => pathToFileURL(path.join(root, f)).href);
const pending = new Set(uris);
let diagnostics = 0;
let resolveAll;
const all = new Promise((r) => (resolveAll = r));
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  if (pending.delete(p.uri)) diagnostics += p.diagnostics.length;
  if (pending.size === 0) resolveAll();
});
conn.listen();

const spawned = performance.now();
await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(root).href,
  capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: {}, synchronization: { didSave: false } } },
  initializationOptions: {},
  workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
});
conn.sendNotification('initialized', {});
conn.sendNotification('workspace/didChangeConfiguration', { settings });
const initMs = performance.now() - spawned;
const start = performance.now();
for (const [i, uri] of uris.entries()) {
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(path.join(root, files[i]), 'utf8') } });
}
const timeout = setTimeout(() => resolveAll('timeout'), 600_000);
const outcome = await all;
clearTimeout(timeout);
const ms = performance.now() - start;
console.log(JSON.stringify({ version: pkg.version, files: files.length, published: files.length - pending.size, diagnostics, initMs: Math.round(initMs), ms: Math.round(ms), timedOut: outcome === 'timeout' }));
conn.dispose();
child.kill();
fs.rmSync(schemaDir, { recursive: true, force: true });
process.exit(0);
