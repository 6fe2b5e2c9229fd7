// A protocol-level client for the built language server (dist/server.js over stdio), for
// tests that watch what the server publishes, in what order, and whether it survives.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  WorkDoneProgressCreateRequest,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

export const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');

/** Hang guard for every wait: generous, no test depends on it for timing. */
export const HANG_GUARD_MS = 60000;

export interface Client {
  conn: ProtocolConnection;
  proc: ChildProcess;
  /** The latest diagnostics per URI. */
  diagnostics: Map<string, Diagnostic[]>;
  /** Every publish, in arrival order. */
  history: PublishDiagnosticsParams[];
  reports: { count: number };
  logs: string[];
  progressKinds: string[];
  exited: Promise<number | null>;
  waitFor<T>(what: string, probe: () => T | undefined): Promise<T>;
  fileEvents(changes: { path: string; type: 'created' | 'changed' | 'deleted' }[]): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  settings?: Record<string, unknown>;
  /** Called once, on the first progress notification of the first scan (`begin`). */
  onScanBegin?: (client: Client) => void | Promise<void>;
  /** Sent with `initialize`, as the extension does (e.g. `cacheDir`). */
  initializationOptions?: Record<string, unknown>;
  /** Added to the server process's environment (READINESS_TRACE, READINESS_MIN_LEAD_MS). */
  env?: Record<string, string>;
}

/**
 * `waitFor(what, probe)`: resolves with probe()'s first defined value, checked now and each
 * time a listener fires (a notification arrived); rejects after `timeoutMs`.
 */
export function waiter(listeners: Set<() => void>, timeoutMs: number): <T>(what: string, probe: () => T | undefined) => Promise<T> {
  return <T>(what: string, probe: () => T | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const v = probe();
        if (v === undefined) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
}

/** Shuts a server down politely (shutdown, exit), then makes sure its process is gone. */
export async function stopServer(conn: ProtocolConnection, proc: ChildProcess): Promise<void> {
  try {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } catch {
    // already gone: the test that ended it says why
  }
  conn.dispose();
  proc.kill();
}

export function fileUriOf(root: string, rel: string): string {
  return pathToFileURL(path.join(root, rel)).toString();
}

export async function startServer(root: string, opts: StartOptions = {}): Promise<Client> {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...opts.env } });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const listeners = new Set<() => void>();
  const changed = (): void => listeners.forEach((l) => l());
  let began = false;
  const client: Client = {
    conn,
    proc,
    diagnostics: new Map(),
    history: [],
    reports: { count: 0 },
    logs: [],
    progressKinds: [],
    exited,
    waitFor: waiter(listeners, HANG_GUARD_MS),
    fileEvents: (changes) =>
      conn.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: changes.map((c) => ({
          uri: pathToFileURL(c.path).toString(),
          type: c.type === 'created' ? FileChangeType.Created : c.type === 'deleted' ? FileChangeType.Deleted : FileChangeType.Changed,
        })),
      }),
    close: () => stopServer(conn, proc),
  };
  conn.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
    client.diagnostics.set(p.uri, p.diagnostics);
    client.history.push(p);
    changed();
  });
  conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
  conn.onNotification('$/progress', (p: { value: { kind: string } }) => {
    client.progressKinds.push(p.value.kind);
    if (!began && p.value.kind === 'begin') {
      began = true;
      void opts.onScanBegin?.(client);
    }
    changed();
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    client.logs.push(p.message);
    changed();
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => opts.settings ?? {}));
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('readiness/reportChanged', () => {
    client.reports.count++;
    changed();
  });
  conn.listen();
  const rootUri = pathToFileURL(root).toString();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'ws' }],
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
    ...(opts.initializationOptions ? { initializationOptions: opts.initializationOptions } : {}),
  });
  await conn.sendNotification(InitializedNotification.type, {});
  return client;
}

/**
 * For a describe block: starts servers as startServer does and shuts down, after each test,
 * every one the test left running.
 */
export function serversStoppedAfterEach(): (root: string, opts?: StartOptions) => Promise<Client> {
  const running = new Set<Client>();
  afterEach(async () => {
    for (const c of running) await c.close();
  });
  return async (root, opts) => {
    const c = await startServer(root, opts);
    running.add(c);
    const close = c.close;
    c.close = () => {
      running.delete(c);
      return close();
    };
    return c;
  };
}

/** A Deployment with findings (latest tag, no probes, no limits) under a given name. */
export { deployment } from '../harness';
