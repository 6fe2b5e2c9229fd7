// No output shows a secret: a workspace full of generated credentials is scanned with every
// rule, and no report format (text, JSON, SARIF, Markdown, HTML — from the formatters and
// from the CLI binary), no language-server message (diagnostics, code actions, reports, log
// lines) and no cached secret facts contain any of them. Of secrets of 16 or more
// characters, not even the part the mask hides may appear.
import { redactSecrets } from '../server/src/engine/extract';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  WorkDoneProgressCreateRequest,
  type CodeAction,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { allRules as catalogue } from '../rules/index';
import dotenvCommitted from '../rules/secrets/dotenv-committed';
import hardcoded from '../rules/secrets/hardcoded';
import secretManager from '../rules/secrets/secret-manager';
import { formatHtml } from '../server/src/cli/format/html';
import { formatJson } from '../server/src/cli/format/json';
import { formatMarkdown } from '../server/src/cli/format/markdown';
import { formatSarif } from '../server/src/cli/format/sarif';
import { formatText } from '../server/src/cli/format/text';
import { DiskFactsCache } from '../server/src/engine/diskcache';
import { factsKey } from '../server/src/engine/extract';
import { scan, type ScanOutcome } from '../server/src/engine/index';
import { RenderRequest, ReportRequest } from '../server/src/protocol';
import { Gen } from './fixtures/secrets-corpus/generate';
import { tempDir, writeTree } from './harness';
import { stopServer } from './lsp/client';

const DIST = path.join(__dirname, '..', 'dist');
/** Every rule of the catalogue, and the secrets rules whether or not the catalogue lists them yet. */
const allRules = [...catalogue, ...[hardcoded, dotenvCommitted, secretManager].filter((r) => !catalogue.some((c) => c.meta.id === r.meta.id))];

interface Workspace {
  files: Map<string, string>;
  /** Every secret written into the files, and the files whose facts may not hold it. */
  secrets: { value: string; file: string }[];
}

function workspace(seed: number): Workspace {
  const g = new Gen(seed);
  const secrets: { value: string; file: string }[] = [];
  const s = (file: string, value: string): string => {
    secrets.push({ value, file });
    return value;
  };
  const files = new Map<string, string>();
  const put = (file: string, text: (sec: (v: string) => string) => string): void => {
    files.set(file, text((v) => s(file, v)));
  };
  put('src/config.ts', (x) =>
    [
      `export const apiKey = '${x(g.mixed(24))}';`,
      `export const github = "${x(g.github())}";`,
      `export const stripe = '${x(g.stripe())}';`,
      `export const jwtSecret = process.env.JWT_SECRET || '${x('fallback-' + g.mixed(12))}';`,
      `export const db = 'postgres://app:${x(g.password(18))}@db.internal:5432/app';`,
      `export const short = { password: '${x(g.password(10))}' };`,
      '',
    ].join('\n'),
  );
  put('app/settings.py', (x) => [`import os`, `SECRET_KEY = os.getenv("SECRET_KEY", "${x(g.password(20))}")`, `AWS_ACCESS_KEY_ID = "${x(g.awsKeyId())}"`, `AWS_SECRET_ACCESS_KEY = "${x(g.awsSecret())}"`, ''].join('\n'));
  put('config/app.yaml', (x) => `service:\n  password: ${x(g.password(16))}\n  slack_bot: ${x(g.slackBot())}\n`);
  put('deploy/secret.yaml', (x) =>
    [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: api-credentials',
      'stringData:',
      `  DB_PASSWORD: ${x(g.password(20))}`,
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: api',
      'spec:',
      '  selector:',
      '    matchLabels: {app: api}',
      '  template:',
      '    metadata:',
      '      labels: {app: api}',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          image: registry.example.test/api:1.0.0',
      '          env:',
      '            - name: API_TOKEN',
      `              value: ${x(g.mixed(22))}`,
      '',
    ].join('\n'),
  );
  put('docker-compose.yml', (x) => `services:\n  api:\n    image: registry.example.test/api:1.0.0\n    environment:\n      DB_PASSWORD: ${x(g.password(17))}\n`);
  put('Dockerfile', (x) => `FROM node:22-slim\nENV API_TOKEN=${x(g.mixed(26))}\nUSER node\nCMD ["node", "server.js"]\n`);
  put('.env', (x) => `NODE_ENV=production\nDB_PASSWORD=${x(g.password(19))}\nSENDGRID_API_KEY=${x(g.sendgrid())}\n`);
  put('infra/terraform.tfstate', (x) => `{\n  "version": 4,\n  "resources": [{ "instances": [{ "attributes": { "password": "${x(g.password(21))}" } }] }]\n}\n`);
  put('notebooks/explore.ipynb', (x) => JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, source: [`api_key = "${x(g.mixed(28))}"\n`] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1));
  put('docs/ops.md', (x) => `# Ops\n\n\`\`\`\n${x(g.privateKey('RSA PRIVATE KEY'))}\n\`\`\`\n\nPublish with \`${x(g.npm())}\`.\n`);
  put('main.tf', (x) => `resource "aws_db_instance" "db" {\n  password = "${x(g.password(23))}"\n}\n`);
  return { files, secrets };
}

/** The secret itself, and for long ones the middle the mask hides, each as a needle. */
function needles(secrets: readonly { value: string }[]): string[] {
  const out = new Set<string>();
  for (const { value } of secrets) {
    out.add(value);
    if (value.length >= 16) out.add(value.slice(4, -4));
    // Private keys: any one body line is a secret too.
    for (const line of value.split('\n')) if (line.length >= 32 && !line.startsWith('-----')) out.add(line);
  }
  return [...out];
}

function assertClean(what: string, text: string, list: readonly string[]): void {
  const leaked = list.filter((n) => text.includes(n));
  assert.deepEqual(
    leaked.map((n) => `${n.slice(0, 3)}… (${n.length} characters)`),
    [],
    `${what} contains secrets`,
  );
}

describe('secrets are masked in every output', function () {
  this.timeout(120_000);
  const ws = workspace(7);
  const all = needles(ws.secrets);
  let dir: string;
  let outcome: ScanOutcome;

  before(async () => {
    dir = tempDir('readiness-masking-');
    writeTree(dir, ws.files);
    outcome = await scan({ roots: [dir], rules: [...allRules] });
  });

  it('the fixture workspace does hold the secrets, and the scan reports them', () => {
    const text = [...ws.files.values()].join('\n');
    for (const n of all) assert.ok(text.includes(n));
    const secretFindings = outcome.findings.filter((f) => f.ruleId.startsWith('secrets/') || f.ruleId.endsWith('secret-in-env') || f.ruleId === 'docker/secret-in-build');
    assert.ok(secretFindings.length >= 15, `${secretFindings.length} secret findings`);
    assert.ok(secretFindings.some((f) => /…/.test(f.message)), 'long secrets are shown masked');
  });

  it('in text, JSON, SARIF, Markdown and HTML reports', () => {
    const opts = { date: '2024-11-22' };
    assertClean('text', formatText(outcome), all);
    assertClean('json', formatJson(outcome, allRules), all);
    assertClean('sarif', formatSarif(outcome, allRules), all);
    assertClean('markdown', formatMarkdown(outcome, allRules, opts), all);
    assertClean('html', formatHtml(outcome, allRules, opts), all);
    const { files: _files, ...rest } = outcome;
    assertClean('the scan result (without file facts)', JSON.stringify(rest), all);
  });

  it('in the CLI binary’s output, every format, stdout and stderr', () => {
    assert.ok(fs.existsSync(path.join(DIST, 'cli.js')), 'dist/cli.js is built (npm run build)');
    for (const format of ['text', 'json', 'sarif', 'markdown', 'html']) {
      const r = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'scan', dir, '--format', format, '--no-progress'], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1732233600' } });
      assert.ok(r.stdout.length > 100, `${format}: output (${r.stderr})`);
      assertClean(`cli ${format} stdout`, r.stdout, all);
      assertClean(`cli ${format} stderr`, r.stderr, all);
    }
  });

  it('in the cached secret facts, and in the disk cache for files whose facts keep no values', () => {
    for (const f of outcome.files) if (f.facts.secrets) assertClean(`secret facts of ${f.path}`, JSON.stringify(f.facts.secrets), all);
    const cacheDir = tempDir('readiness-masking-cache-');
    const cache = new DiskFactsCache(cacheDir);
    for (const f of outcome.files) cache.set(factsKey(f.path, f.hash), f.facts);
    const saved = cache.save();
    assert.ok(saved.ok, 'the cache is written');
    const bytes = fs.readFileSync(cache.file).toString('latin1') + fs.readFileSync(cache.file).toString('utf8');
    // YAML facts keep every scalar's value and Dockerfile facts their instructions (the
    // rules of those files read them); every other file's facts keep no values at all.
    const kept = new Set(outcome.files.filter((f) => f.facts.yaml !== undefined || f.facts.dockerfile !== undefined).map((f) => f.path));
    const others = needles(ws.secrets.filter((s) => !kept.has(s.file)));
    assert.ok(others.length > 20);
    assertClean('the disk cache', bytes, others);
  });

  it('in the language server’s diagnostics, code actions, reports and log messages', async () => {
    const server = path.join(DIST, 'server.js');
    assert.ok(fs.existsSync(server), 'dist/server.js is built (npm run build)');
    const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const seen: string[] = [];
    const diagnostics = new Map<string, Diagnostic[]>();
    let notify: () => void = () => undefined;
    conn.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
      diagnostics.set(p.uri, p.diagnostics);
      seen.push(JSON.stringify(p));
      notify();
    });
    for (const method of ['window/logMessage', 'window/showMessage', 'telemetry/event', '$/progress', 'readiness/reportChanged']) {
      conn.onNotification(method, (params: unknown) => {
        seen.push(`${method} ${JSON.stringify(params)}`);
        notify();
      });
    }
    conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    try {
      const root = pathToFileURL(dir).toString();
      await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'ws' }], capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } } });
      await conn.sendNotification(InitializedNotification.type, {});
      const configUri = pathToFileURL(path.join(dir, 'src/config.ts')).toString();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no diagnostics for src/config.ts')), 60_000);
        notify = () => {
          if (diagnostics.get(configUri)?.some((d) => d.code === 'secrets/hardcoded')) {
            clearTimeout(timer);
            resolve();
          }
        };
        notify();
      });
      for (const [uri, diags] of diagnostics) {
        for (const d of diags) {
          const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
          seen.push(JSON.stringify(actions));
        }
      }
      seen.push(JSON.stringify(await conn.sendRequest(ReportRequest.type, {})));
      for (const format of ['markdown', 'sarif', 'html'] as const) seen.push(String(await conn.sendRequest(RenderRequest.type, { format })));
      assert.ok(seen.some((s) => s.includes('secrets/hardcoded')), 'the server reported the secrets');
      assertClean('language server messages', seen.join('\n'), all);
      assertClean('language server stderr', stderr, all);
    } finally {
      await stopServer(conn, proc);
    }
  });
});

describe('parse error messages never quote a secret whole', () => {
  const text = 'token: "ghp_R4nd0mFak3T0k3nV4lu3ForT3st1ngOnly00"\n';
  const start = text.indexOf('ghp_');
  const value = 'ghp_R4nd0mFak3T0k3nV4lu3ForT3st1ngOnly00';
  const candidates = [{ span: [start, start + value.length] as [number, number], masked: 'ghp_…ly00' }];

  it('masks a secret quoted anywhere in the message', () => {
    const e = redactSecrets({ message: `bad line: token: "${value}" here`, offset: 3 }, text, candidates);
    assert.equal(e.message, 'bad line: token: "ghp_…ly00" here');
    assert.equal(e.offset, 3);
  });

  it('masks a secret the message was cut inside', () => {
    const e = redactSecrets({ message: `bad line: token: "${value.slice(0, 20)}` }, text, candidates);
    assert.equal(e.message, 'bad line: token: "ghp_…ly00');
  });

  it('leaves other messages as they are', () => {
    const e = { message: 'Nested mappings are not allowed in compact mappings' };
    assert.equal(redactSecrets(e, text, candidates), e);
    assert.equal(redactSecrets(e, text, undefined), e);
  });
});
