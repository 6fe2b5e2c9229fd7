// The language server: protocol glue over the engine. Documents, debounced analysis
// that never publishes stale results, diagnostics, code actions, progress, the report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type InitializeParams,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { allRules } from '../../../rules/index';
import { docsUrl } from '../engine/docs';
import { computeFix, rootRelative, ScanCancelled, type ScanOutcome } from '../engine/index';
import { AnalysisSession, type FileEvent, type SessionOptions } from '../engine/session';
import type { ResolvedEvidence } from '../engine/run';
import { DiskFactsCache } from '../engine/diskcache';
import { MemoryFactsCache, type FactsCache } from '../engine/extract';
import { ignoreLineEdit, ignoreWorkloadEdits } from '../engine/suppress-edits';
import { applyEdits } from '../engine/text';
import type { Finding, Level, TextEdit } from '../engine/types';
import { DEFAULT_SETTINGS, isRuleLevel, MAX_DEBOUNCE_MS, type ReadinessSettings } from '../settings';
import { reportDate } from '../cli/format/common';
import { formatHtml } from '../cli/format/html';
import { formatMarkdown } from '../cli/format/markdown';
import { formatSarif } from '../cli/format/sarif';
import { toJsonReport } from '../cli/format/json';
import { TOOL } from '../cli/tool';
import { RenderRequest, RescanRequest, ReportChangedNotification, ReportRequest, SHOW_DOCUMENTATION_COMMAND, type DiagnosticData, type JsonReport, type RenderParams } from '../protocol';
import { fileUri, findingPath, toDiagnostic, toLspEdits, toLspRange } from './convert';
import { AnalysisLead, minLeadFromEnv } from './lead';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.readiness`;
/** How long after the last analysis the report (tree, report view) is rebuilt and sent: a pause in typing. */
const REPORT_DELAY_MS = 300;
/** READINESS_TRACE=1 logs where each analysis spent its time (the output channel). */
const TRACE = process.env.READINESS_TRACE === '1';

type Settings = ReadinessSettings;

/** Diagnostics ready to send, and what the server keeps as sent once they are. */
interface Publication {
  sends: PublishDiagnosticsParams[];
  published: Map<string, string>;
  publishedFrom: Map<string, { findings: Finding[]; related: ReadonlyMap<string, string> }>;
}

/** Settings as the client sent them, made safe: unknown shapes fall back to defaults, the debounce is clamped. */
export function normaliseSettings(raw: Partial<ReadinessSettings> | null | undefined): Settings {
  const s = { ...DEFAULT_SETTINGS, ...(raw ?? {}) };
  const debounce = typeof s.debounce === 'number' && Number.isFinite(s.debounce) ? Math.min(Math.max(s.debounce, 0), MAX_DEBOUNCE_MS) : DEFAULT_SETTINGS.debounce;
  const rules: Record<string, Level> = {};
  if (s.rules && typeof s.rules === 'object') for (const [id, level] of Object.entries(s.rules)) if (isRuleLevel(level)) rules[id] = level;
  return {
    ...s,
    enable: s.enable !== false,
    rules,
    exclude: Array.isArray(s.exclude) ? s.exclude.filter((g): g is string => typeof g === 'string') : [],
    maxFileSize: typeof s.maxFileSize === 'number' && s.maxFileSize > 0 ? s.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
    debounce,
  };
}

function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export class ReadinessServer {
  private readonly documents = new TextDocuments(TextDocument);
  private folders: string[] = [];
  private settings = new Map<string, Settings>();
  private cache: FactsCache = new MemoryFactsCache();
  /** The facts cache kept between server starts (under the editor's workspace storage), when the client names a place for it. */
  private diskCache: DiskFactsCache | undefined;
  private cacheSaveTimer: NodeJS.Timeout | undefined;
  /** Discovered files and their facts, kept between analyses: a keystroke re-extracts one file. */
  private session: AnalysisSession | undefined;
  /** What the next analysis must redo beyond re-running the rules. */
  private need: 'run' | 'rediscover' | 'rescan' = 'rescan';
  /** Documents changed or closed since the last analysis: path → URI. */
  private dirty = new Map<string, string>();
  /** File-system events since the last analysis. */
  private fileEventQueue: FileEvent[] = [];
  private outcome: ScanOutcome | undefined;
  /** What each URI was last sent, serialised: unchanged files are not sent again on the next analysis. */
  private published = new Map<string, string>();
  /** What each file's published diagnostics were built from. */
  private publishedFrom = new Map<string, { findings: Finding[]; related: ReadonlyMap<string, string> }>();
  private generation = 0;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private hasConfiguration = false;
  private hasWatchers = false;
  private hasProgress = false;
  private hasFolderEvents = false;
  private firstScanDone = false;
  /** The last report sent, without its timing: an identical one is not sent again. */
  private lastReport: string | undefined;
  /** Rescan requests waiting for the next published analysis. */
  private waiters: ((report: JsonReport) => void)[] = [];
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  /** Edited documents to re-extract before their analysis (extractSoon). */
  private readonly toExtract = new Map<string, string>();
  private extractQueued = false;
  /** When the last input (edit, file event, setting) arrived. */
  private lastInputAt = 0;
  /** When the debounce window of the last input closes (performance.now()): no diagnostics go out before. */
  private windowEnd = 0;
  /** How early an edit's analysis starts, from how long recent ones took. */
  private readonly lead = new AnalysisLead(minLeadFromEnv());
  /** Ends the wait of an analysis whose diagnostics are ready before its window closes. */
  private releaseHold: (() => void) | undefined;

  constructor(private readonly connection: Connection) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onShutdown(() => this.saveCache());
    c.onInitialized(() => {
      this.initialized().catch((e: Error) => c.console.error(`Readiness: start-up failed: ${e.stack ?? e.message}`));
    });
    c.onDidChangeConfiguration(() => void this.reloadSettings().then(() => this.schedule(0, 'rescan')));
    c.onDidChangeWatchedFiles((p) => {
      for (const ch of p.changes) {
        const absPath = uriToPath(ch.uri);
        if (!absPath) continue;
        const type = ch.type === FileChangeType.Created ? 'created' : ch.type === FileChangeType.Deleted ? 'deleted' : 'changed';
        this.fileEventQueue.push({ absPath, type });
      }
      this.schedule();
    });
    c.onCodeAction((p) => this.codeActions(p));
    c.onRequest(ReportRequest.type, (p) => {
      if (!this.outcome) return null;
      if (!p?.folder) return toJsonReport(this.outcome, allRules);
      const folder = uriToPath(p.folder);
      return toJsonReport({ ...this.outcome, findings: this.outcome.findings.filter((f) => path.resolve(f.root) === folder) }, allRules);
    });
    c.onRequest(RescanRequest.type, () => {
      const next = new Promise<JsonReport>((resolve) => this.waiters.push(resolve));
      this.schedule(0, 'rescan');
      return next;
    });
    c.onRequest(RenderRequest.type, (p) => this.render(p));
    this.documents.onDidChangeContent((e) => this.touched(e.document.uri));
    this.documents.onDidClose((e) => this.touched(e.document.uri));
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities;
    this.hasConfiguration = Boolean(caps.workspace?.configuration);
    this.hasWatchers = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    this.hasProgress = Boolean(caps.window?.workDoneProgress);
    this.hasFolderEvents = Boolean(caps.workspace?.workspaceFolders);
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => Boolean(p));
    const root = params.rootUri ? uriToPath(params.rootUri) : (params.rootPath ?? undefined);
    this.folders = folders && folders.length > 0 ? folders : root ? [root] : [];
    const cacheDir = (params.initializationOptions as { cacheDir?: unknown } | null | undefined)?.cacheDir;
    if (typeof cacheDir === 'string' && cacheDir.length > 0) this.openCache(cacheDir);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'readiness-language-server', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    const c = this.connection;
    if (this.hasConfiguration) await c.client.register(DidChangeConfigurationNotification.type, undefined);
    if (this.hasWatchers) await c.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
    if (this.hasFolderEvents) c.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
      this.folders = [...this.folders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => Boolean(p))];
      void this.reloadSettings().then(() => this.schedule(0, 'rescan'));
    });
    await this.reloadSettings();
    this.schedule(0, 'rescan');
  }

  private async reloadSettings(): Promise<void> {
    const next = new Map<string, Settings>();
    for (const folder of this.folders) {
      let s: Partial<Settings> | null = null;
      if (this.hasConfiguration) {
        try {
          s = (await this.connection.workspace.getConfiguration({ scopeUri: fileUri(folder), section: 'readiness' })) as Partial<Settings> | null;
        } catch {
          s = null;
        }
      }
      next.set(folder, normaliseSettings(s));
    }
    this.settings = next;
  }

  private settingsFor(folder: string): Settings {
    return this.settings.get(folder) ?? DEFAULT_SETTINGS;
  }

  private touched(uri: string): void {
    const p = uriToPath(uri);
    if (p) this.dirty.set(p, uri);
    this.schedule();
    if (p) this.extractSoon(p, uri);
  }

  /**
   * Re-extracts an edited document's facts right away, while the debounce waits, so that
   * the analysis at the end of the window has only the rules left to run (it finds the
   * facts in the content-hash cache). Skipped while an analysis runs or a rescan is due:
   * the analysis takes the edit in then.
   */
  private extractSoon(p: string, uri: string): void {
    this.toExtract.set(p, uri);
    if (this.extractQueued) return;
    this.extractQueued = true;
    setImmediate(() => {
      this.extractQueued = false;
      const session = this.session;
      const ready = session?.isReady && this.need === 'run' && !this.running;
      for (const [path, docUri] of this.toExtract) {
        const doc = this.documents.get(docUri);
        if (ready && doc) session.update(path, doc.getText());
      }
      this.toExtract.clear();
    });
  }

  /**
   * Debounced analysis; a change during a run cancels it and triggers another run, never a
   * stale publish. `need` says what the analysis must redo beyond the rules (it only grows
   * until an analysis completes). An input's diagnostics go out when its debounce window
   * closes; its analysis starts as much earlier as recent analyses took (AnalysisLead), and
   * waits for the window with its diagnostics ready.
   */
  private schedule(delay?: number, need?: 'rescan'): void {
    this.lastInputAt = Date.now();
    if (need) this.need = need;
    this.generation++;
    this.releaseHold?.();
    if (this.timer) clearTimeout(this.timer);
    // The shortest window of the folders (each folder's setting, else the default).
    const wait = delay ?? (this.folders.length > 0 ? Math.min(...this.folders.map((f) => this.settingsFor(f).debounce)) : DEFAULT_SETTINGS.debounce);
    this.windowEnd = performance.now() + wait;
    const lead = delay === undefined && this.need === 'run' ? this.lead.leadFor(wait) : 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait - lead);
  }

  /** Waits until the debounce window closes, or until newer input arrives (false then: the diagnostics are stale). */
  private async holdUntilWindowEnd(generation: number): Promise<boolean> {
    const left = this.windowEnd - performance.now();
    if (left > 0 && generation === this.generation) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.releaseHold = done;
      });
      this.releaseHold = undefined;
    }
    return generation === this.generation;
  }

  private async run(): Promise<void> {
    if (this.running) {
      await this.running;
      if (this.timer) return; // a newer change already scheduled another run
    }
    const generation = this.generation;
    this.running = this.analyse(generation).finally(() => (this.running = undefined));
    await this.running;
  }

  private overlays(): Map<string, string> {
    const out = new Map<string, string>();
    for (const d of this.documents.all()) {
      const p = uriToPath(d.uri);
      if (p) out.set(p, d.getText());
    }
    return out;
  }

  private sessionOptions(): SessionOptions {
    const roots = this.folders.filter((f) => this.settingsFor(f).enable);
    const s = roots.length > 0 ? this.settingsFor(roots[0]!) : DEFAULT_SETTINGS;
    return { roots, rules: [...allRules], cache: this.cache, editorRules: s.rules, editorIgnore: s.exclude, editorMaxFileSize: s.maxFileSize };
  }

  /** Brings the session up to date with what changed since the last analysis, then runs the rules. */
  private async analyse(generation: number): Promise<void> {
    const first = !this.firstScanDone;
    const progress = first && this.hasProgress ? await this.connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Readiness', 0, 'Scanning workspace', true);
    const isCancelled = (): boolean => generation !== this.generation || Boolean(progress?.token.isCancellationRequested);
    // What this analysis takes in: inputs that arrive while it runs wait for the next one.
    const dirty = [...this.dirty];
    this.dirty.clear();
    const dirtyPaths = new Set(dirty.map(([p]) => p));
    const events = this.fileEventQueue.splice(0);
    const versions = new Map<string, number>();
    const trace = { update: 0, run: 0, rules: { ran: 0, replayed: 0 } };
    const started = performance.now();
    // Only an edit's analysis (rules over kept facts) tells how early the next edit's should start.
    const timed = this.need === 'run' && Boolean(this.session?.isReady);
    let outcome: ScanOutcome;
    try {
      if (!this.session || this.need === 'rescan') (this.session ??= new AnalysisSession(this.sessionOptions())).setOptions(this.sessionOptions());
      const session = this.session;
      const t0 = performance.now();
      for (const [p, uri] of dirty) session.update(p, this.documents.get(uri)?.getText());
      trace.update = performance.now() - t0;
      for (const d of this.documents.all()) {
        const p = uriToPath(d.uri);
        if (p) {
          versions.set(fileUri(p), d.version);
          // Open documents count before the first scan, and after a rescan they still do.
          if (!session.isReady && !dirtyPaths.has(p)) session.update(p, d.getText());
        }
      }
      const eventNeed = session.fileEvents(events);
      if (eventNeed === 'rescan' || (eventNeed === 'rediscover' && this.need === 'run')) this.need = eventNeed;
      if (this.need === 'rescan' || !session.isReady) await session.rescan(isCancelled);
      else if (this.need === 'rediscover') await session.rediscover(isCancelled);
      this.need = 'run';
      if (isCancelled()) throw new ScanCancelled();
      const t1 = performance.now();
      outcome = session.run();
      trace.run = performance.now() - t1;
      trace.rules = session.lastRuleRuns;
    } catch (e) {
      progress?.done();
      // Cancelled or failed: what this analysis took in is handed to the next one.
      for (const [p, uri] of dirty) if (!this.dirty.has(p)) this.dirty.set(p, uri);
      this.fileEventQueue.unshift(...events);
      if (e instanceof ScanCancelled) this.connection.console.log('Readiness: analysis cancelled: newer input arrived');
      else this.connection.console.error(`Readiness: analysis failed: ${(e as Error).message}`);
      return;
    }
    progress?.done();
    this.firstScanDone = true;
    this.cacheAfterAnalysis(first, outcome.stats.files);
    if (generation !== this.generation) return; // newer input arrived: its run will publish
    const t2 = performance.now();
    const publication = this.diagnosticsToPublish(outcome, versions);
    const ready = performance.now();
    if (timed) this.lead.record(ready - started);
    const early = this.windowEnd - ready;
    if (TRACE && early > 0) this.connection.console.log(`Readiness: trace: diagnostics ready ${early.toFixed(1)} ms before the window closes: held`);
    if (!(await this.holdUntilWindowEnd(generation))) {
      if (TRACE) this.connection.console.log('Readiness: trace: held diagnostics dropped: newer input arrived');
      return;
    }
    this.outcome = outcome;
    const t3 = performance.now();
    await this.sendPublication(publication);
    if (TRACE) {
      const phases = `update ${trace.update.toFixed(1)} ms, run ${trace.run.toFixed(1)} ms (${trace.rules.ran} rules ran, ${trace.rules.replayed} replayed), publish ${(ready - t2 + performance.now() - t3).toFixed(1)} ms`;
      this.connection.console.log(`Readiness: trace: ${phases}; analysis began ${(this.windowEnd - started).toFixed(1)} ms before the window closed`);
    }
    // The report (the tree, the report view) follows when typing pauses: building and sending
    // it costs as much as the analysis of a keystroke, and nobody reads it mid-word. A rescan
    // request waits for it, so it goes at once then.
    if (this.reportTimer) clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    if (this.waiters.length > 0) this.sendReport(outcome);
    else this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      if (this.outcome === outcome && !this.timer && !this.running) this.sendReport(outcome);
    }, REPORT_DELAY_MS);
  }

  private sendReport(outcome: ScanOutcome): void {
    const report = toJsonReport(outcome, allRules);
    // Most keystrokes change no finding and no score: the client's tree is not redrawn for them.
    const key = JSON.stringify({ ...report, stats: { ...report.stats, durationMs: 0 } });
    if (key !== this.lastReport) void this.connection.sendNotification(ReportChangedNotification.type, { report });
    this.lastReport = key;
    for (const resolve of this.waiters.splice(0)) resolve(report);
  }

  /** Loads the facts cache the last server for this workspace saved: the first scan then extracts only what changed. */
  private openCache(storageDir: string): void {
    const disk = new DiskFactsCache(path.join(storageDir, CACHE_SUBDIR), { version: TOOL.version });
    const loaded = disk.load();
    this.connection.console.log(`Readiness: facts cache ${disk.dir}: ${loaded.ok ? `${loaded.entries} entries loaded` : `starting cold (${loaded.reason})`}`);
    this.diskCache = disk;
    this.cache = disk;
  }

  /** After an analysis: says how much the cache served the first one, and saves it a little later (never per keystroke). */
  private cacheAfterAnalysis(first: boolean, files: number): void {
    const disk = this.diskCache;
    if (!disk) return;
    if (first) this.connection.console.log(`Readiness: first analysis: ${disk.hits} of ${files} files' facts from the facts cache`);
    if (this.cacheSaveTimer) return;
    const later = (ms: number): void => {
      this.cacheSaveTimer = setTimeout(() => {
        // Writing the cache blocks for a moment: not while the user types or an analysis is due.
        if (this.timer || this.running || Date.now() - this.lastInputAt < CACHE_SAVE_QUIET_MS) later(CACHE_SAVE_QUIET_MS);
        else this.saveCache();
      }, ms);
      this.cacheSaveTimer.unref();
    };
    later(CACHE_SAVE_DELAY_MS);
  }

  private saveCache(): void {
    if (this.cacheSaveTimer) clearTimeout(this.cacheSaveTimer);
    this.cacheSaveTimer = undefined;
    const saved = this.diskCache?.save();
    if (saved && !saved.ok) this.connection.console.warn(`Readiness: facts cache not saved: ${saved.reason}`);
  }

  private render(p: RenderParams): string | null {
    const outcome = this.outcome;
    if (!outcome) return null;
    const names = outcome.roots.map((r) => path.basename(r));
    switch (p.format) {
      case 'sarif':
        return formatSarif(outcome, allRules, { srcRoot: outcome.roots.length === 1 ? outcome.roots[0] : undefined });
      case 'html':
        return formatHtml(outcome, allRules, { date: reportDate(), names });
      case 'markdown':
        return formatMarkdown(outcome, allRules, { date: reportDate(), names });
      default:
        return null;
    }
  }

  /**
   * The diagnostics of every file whose diagnostics changed; open documents' carry the
   * version analysed and go first (the one being typed in is what the user waits for).
   * Nothing is sent, nor kept as sent, until sendPublication().
   */
  private diagnosticsToPublish(outcome: ScanOutcome, versions: ReadonlyMap<string, number>): Publication {
    const findingsByUri = new Map<string, Finding[]>();
    for (const f of outcome.findings) {
      const uri = fileUri(findingPath(f, outcome.roots));
      let list = findingsByUri.get(uri);
      if (!list) findingsByUri.set(uri, (list = []));
      list.push(f);
    }
    const issuesByUri = new Map<string, Diagnostic[]>();
    for (const issue of outcome.configIssues) {
      const uri = fileUri(path.resolve(issue.file));
      let list = issuesByUri.get(uri);
      if (!list) issuesByUri.set(uri, (list = []));
      const line = Math.max(issue.line - 1, 0);
      const character = Math.max(issue.column - 1, 0);
      const end = issue.endLine !== undefined && issue.endColumn !== undefined ? { line: Math.max(issue.endLine - 1, 0), character: Math.max(issue.endColumn - 1, 0) } : { line, character: character + 1 };
      list.push({ range: { start: { line, character }, end }, severity: 1, source: 'readiness', code: 'config', message: `${issue.key ? `${issue.key}: ` : ''}${issue.message}` });
    }
    const related = relatedEvidence(outcome);
    // A file's diagnostics are rebuilt only when its findings (the same objects while the
    // rule memo replays them) or the related evidence of their rules changed.
    const relatedKey = new Map<string, string>();
    for (const [id, info] of related) relatedKey.set(id, JSON.stringify(info));
    const diagnosticsOf = (uri: string): Diagnostic[] => {
      const out: Diagnostic[] = [];
      for (const f of findingsByUri.get(uri) ?? []) {
        const d = toDiagnostic(f, docsUrl);
        const info = related.get(f.ruleId);
        if (info && info.length > 0) d.relatedInformation = info;
        out.push(d);
      }
      out.push(...(issuesByUri.get(uri) ?? []));
      return out;
    };
    const unchanged = (uri: string): boolean => {
      const before = this.publishedFrom.get(uri);
      const now = findingsByUri.get(uri) ?? [];
      if (!before || issuesByUri.has(uri) || before.findings.length !== now.length) return false;
      return now.every((f, i) => f === before.findings[i] && relatedKey.get(f.ruleId) === before.related.get(f.ruleId));
    };
    const uris = new Set([...findingsByUri.keys(), ...issuesByUri.keys()]);
    const open = [...uris].filter((u) => versions.has(u));
    const sends: PublishDiagnosticsParams[] = [];
    const next = new Map<string, string>();
    for (const uri of [...open, ...[...uris].filter((u) => !versions.has(u))]) {
      if (unchanged(uri) && this.published.has(uri)) {
        next.set(uri, this.published.get(uri)!);
        continue;
      }
      const diagnostics = diagnosticsOf(uri);
      const sent = JSON.stringify(diagnostics);
      next.set(uri, sent);
      if (this.published.get(uri) !== sent) sends.push({ uri, version: versions.get(uri), diagnostics });
    }
    for (const uri of this.published.keys()) if (!uris.has(uri)) sends.push({ uri, version: versions.get(uri), diagnostics: [] });
    return { sends, published: next, publishedFrom: new Map([...findingsByUri].map(([uri, findings]) => [uri, { findings, related: relatedKey }])) };
  }

  /** Sends what diagnosticsToPublish() prepared, and keeps it as what each file was last sent. */
  private async sendPublication(p: Publication): Promise<void> {
    this.published = p.published;
    this.publishedFrom = p.publishedFrom;
    await Promise.all(p.sends.map((params) => this.connection.sendDiagnostics(params)));
  }

  private findingFor(d: Diagnostic): Finding | undefined {
    const data = d.data as DiagnosticData | undefined;
    if (!data?.fingerprint || !this.outcome) return undefined;
    return this.outcome.findings.find((f) => f.fingerprint === data.fingerprint && f.ruleId === d.code);
  }

  private textOf(absPath: string, overlays: Map<string, string>): string | undefined {
    const o = overlays.get(absPath);
    if (o !== undefined) return o;
    try {
      return fs.readFileSync(absPath, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Turns engine edits (files relative to the finding's root) into a WorkspaceEdit. */
  private workspaceEdit(root: string, edits: readonly TextEdit[], overlays: Map<string, string>): WorkspaceEdit | undefined {
    const changes: WorkspaceEdit['changes'] = {};
    const byFile = new Map<string, TextEdit[]>();
    for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const [file, list] of byFile) {
      const abs = path.resolve(root, file);
      const text = this.textOf(abs, overlays) ?? '';
      changes[fileUri(abs)] = toLspEdits(text, list);
    }
    return { changes };
  }

  private fixEdits(f: Finding, index: number, overlays: Map<string, string>): TextEdit[] | undefined {
    try {
      return computeFix(allRules, f, index, this.outcome!.roots, overlays).edits;
    } catch (e) {
      this.connection.console.warn(`Readiness: fix for ${f.ruleId} failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Applies as many fixes as fit without overlapping, in file order. */
  private combinedFix(findings: Finding[], onlySafe: boolean, overlays: Map<string, string>): TextEdit[] {
    const taken: TextEdit[] = [];
    for (const f of findings) {
      const index = f.fixes.findIndex((x) => !onlySafe || x.safe);
      if (index < 0) continue;
      const edits = this.fixEdits(f, index, overlays);
      if (!edits) continue;
      const overlaps = edits.some((e) => taken.some((t) => t.file === e.file && e.start < t.end + (t.start === t.end ? 1 : 0) && t.start < e.end + (e.start === e.end ? 1 : 0)));
      if (!overlaps) taken.push(...edits);
    }
    return taken;
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    const outcome = this.outcome;
    if (!outcome) return [];
    const overlays = this.overlays();
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
    const docPath = uriToPath(params.textDocument.uri);
    const actions: CodeAction[] = [];
    const inFile = (f: Finding): boolean => findingPath(f, outcome.roots) === docPath;

    if (wants(FIX_ALL_KIND) && only) {
      const findings = outcome.findings.filter((f) => inFile(f) && f.fixes.some((x) => x.safe));
      const edits = this.combinedFix(findings, true, overlays);
      if (edits.length > 0) actions.push({ title: 'Fix all safe Readiness problems', kind: FIX_ALL_KIND, edit: this.workspaceEdit(findings[0]!.root, edits, overlays) });
      return actions;
    }
    if (!wants(CodeActionKind.QuickFix)) return actions;
    for (const d of params.context.diagnostics) {
      if (d.source !== 'readiness') continue;
      const f = this.findingFor(d);
      if (!f) continue;
      f.fixes.forEach((offer, i) => {
        const edits = this.fixEdits(f, i, overlays);
        if (edits && edits.length > 0) actions.push({ title: offer.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: i === 0, edit: this.workspaceEdit(f.root, edits, overlays) });
      });
      const sameRule = outcome.findings.filter((x) => x.ruleId === f.ruleId && inFile(x) && x.fixes.length > 0);
      if (sameRule.length > 1) {
        const edits = this.combinedFix(sameRule, false, overlays);
        if (edits.length > 0) actions.push({ title: `Fix all ${f.ruleId} problems in this file`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: this.workspaceEdit(f.root, edits, overlays) });
      }
      const abs = findingPath(f, outcome.roots);
      const text = this.textOf(abs, overlays);
      const rel = rootRelative(f, outcome.roots);
      const file = outcome.files.find((x) => x.absPath === abs);
      if (text !== undefined && file) {
        const line = ignoreLineEdit(text, f, rel, file.facts.kinds);
        if (line) actions.push({ title: `Ignore ${f.ruleId} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: this.workspaceEdit(f.root, [line], overlays) });
        if (f.ruleId.startsWith('k8s/') && file.facts.kinds.includes('k8s')) {
          const edits = ignoreWorkloadEdits(text, f, rel);
          if (edits) actions.push({ title: `Ignore ${f.ruleId} for this workload`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: this.workspaceEdit(f.root, edits, overlays) });
        }
      }
      actions.push({ title: `Show documentation for ${f.ruleId}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Show documentation', command: SHOW_DOCUMENTATION_COMMAND, arguments: [docsUrl(f.ruleId)] } });
    }
    return actions;
  }
}

/** The facts cache's folder under the editor's workspace storage. */
const CACHE_SUBDIR = 'facts-cache';
/** Saves of the facts cache are at least this far apart: a save rewrites the whole file. */
const CACHE_SAVE_DELAY_MS = 10_000;
/** The cache is saved only after this long without input. */
const CACHE_SAVE_QUIET_MS = 2_000;

/** At most this many pieces of evidence ride along with a workspace rule's diagnostic. */
const MAX_RELATED = 10;

/**
 * Workspace rules decide from evidence spread over the workspace (the HPA that targets a
 * Deployment, the Dockerfile a compose service builds): their diagnostics carry that
 * evidence as related information, so one click leads to it.
 */
export function relatedEvidence(outcome: ScanOutcome): Map<string, DiagnosticRelatedInformation[]> {
  const out = new Map<string, DiagnosticRelatedInformation[]>();
  for (const check of outcome.checks) {
    if (check.scope !== 'workspace') continue;
    const info: DiagnosticRelatedInformation[] = [];
    for (const e of check.evidence as ResolvedEvidence[]) {
      if (!e.file || !e.range || info.length >= MAX_RELATED) continue;
      const abs = outcome.roots.length > 1 ? path.resolve(e.file) : path.resolve(outcome.roots[0] ?? '.', e.file);
      info.push({ location: { uri: fileUri(abs), range: toLspRange(e.range) }, message: e.note });
    }
    out.set(check.id, info);
  }
  return out;
}

/** For tests: applies a WorkspaceEdit's changes to one document's text. */
export function applyWorkspaceEditText(text: string, edits: { range: ReturnType<typeof toLspRange>; newText: string }[]): string {
  const doc = TextDocument.create('file:///x', 'plaintext', 0, text);
  return applyEdits(
    text,
    edits.map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), newText: e.newText })),
  );
}
