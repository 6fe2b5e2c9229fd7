// An incremental analysis session for editors: the result of a full scan() kept in memory
// (each root's config, discovered files, their text hashes and facts), so that a keystroke
// re-extracts one file and re-runs the rules over the cached facts instead of walking,
// reading and extracting the whole folder again. run() produces what a fresh scan() of the
// same state (disk plus unsaved texts) produces; test/session.test.ts holds it to that.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES, loadConfig, type ConfigIssue, type ReadinessConfig } from './config';
import { discover, type DiscoveredFile } from './discover';
import { readSource, ResultBuilder } from './assemble';
import { analyseText, factsKey, MemoryFactsCache, type FactsCache } from './extract';
import { assertRootDirectory, effectiveMaxFileSize, rootPrefix, ScanCancelled, type ScanOptions, type ScanOutcome } from './index';
import { preparePython, pythonPrepareError } from './parse/routes-py';
import { RuleMemo } from './rule-memo';
import type { SkippedEntry, SourceFile } from './types';

/** What scan() takes, minus what the session owns (overlays, the cache) or cannot honour (a strict config). */
export type SessionOptions = Omit<ScanOptions, 'overlays' | 'cache' | 'strictConfig' | 'onProgress' | 'isCancelled'> & { cache?: FactsCache };

export type FileEventType = 'created' | 'changed' | 'deleted';

export interface FileEvent {
  absPath: string;
  type: FileEventType;
}

/** One discovered file: analysed (facts) or skipped when read (binary, unreadable). */
interface Entry {
  disc: DiscoveredFile;
  /** Set when the file was read and analysed. */
  file?: SourceFile;
  /** Set when reading it failed or it is not text. */
  skip?: string;
  /** Where the text came from: an editor overlay or the disk. */
  fromOverlay: boolean;
}

interface RootState {
  root: string;
  absRoot: string;
  prefix: string;
  config: ReadinessConfig;
  issues: ConfigIssue[];
  maxFileSize: number;
  /** Discovery order (it decides the order rules see files in). */
  order: string[];
  entries: Map<string, Entry>;
  /** What discovery skipped (too large, Helm templates, symlink trouble). */
  discoverySkipped: SkippedEntry[];
  /** Rule outputs kept between runs, replayed while nothing they read changed. */
  memo: RuleMemo;
}

/** Why a file-system event cannot be applied in place: the session then needs rescan() or rediscover(). */
export type EventOutcome = 'applied' | 'rediscover' | 'rescan';

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Names whose creation, change or deletion changes what discovery keeps: the walk runs again. */
const DISCOVERY_INPUTS = new Set(['.gitignore', 'Chart.yaml', 'pyvenv.cfg']);

/** A scan gives the event loop a turn this often, so that a newer input can cancel it. */
const YIELD_EVERY_MS = 25;

export class AnalysisSession {
  private readonly cache: FactsCache;
  private readonly overlays = new Map<string, string>();
  private states: RootState[] = [];
  private ready = false;
  private pythonError: string | undefined;

  constructor(private opts: SessionOptions) {
    this.cache = opts.cache ?? new MemoryFactsCache();
  }

  /** Whether rescan() has run: before it, update() and fileEvents() only record. */
  get isReady(): boolean {
    return this.ready;
  }

  /** New options (editor settings changed): the caller follows with rescan(). */
  setOptions(opts: SessionOptions): void {
    this.opts = { ...opts, cache: this.cache };
    this.ready = false;
  }

  /** Unsaved text of a file (undefined: the editor closed it, the disk counts again). Re-extracts that file only. */
  update(absPath: string, text: string | undefined): void {
    const abs = path.resolve(absPath);
    if (text === undefined) this.overlays.delete(abs);
    else this.overlays.set(abs, text);
    if (!this.ready) return;
    const found = this.find(abs);
    if (found) this.analyse(found.state, found.entry);
  }

  /**
   * File-system events. Changes and deletions of known files are applied in place; a created
   * file goes through discovery's ignore rules (nested .gitignore, include globs, Helm charts,
   * virtualenvs), so creations ask for rediscover(), which walks again but re-reads only what
   * changed. A config file asks for rescan().
   */
  fileEvents(events: readonly FileEvent[]): EventOutcome {
    let outcome: EventOutcome = 'applied';
    const worse = (o: EventOutcome): void => {
      if (o === 'rescan' || (o === 'rediscover' && outcome === 'applied')) outcome = o;
    };
    for (const ev of events) {
      const abs = path.resolve(ev.absPath);
      const name = path.basename(abs);
      if ((CONFIG_FILE_NAMES as readonly string[]).includes(name) || (this.opts.configFile && path.resolve(this.opts.configFile) === abs)) {
        worse('rescan');
        continue;
      }
      if (!this.ready) continue;
      if (DISCOVERY_INPUTS.has(name)) {
        worse('rediscover');
        continue;
      }
      const found = this.find(abs);
      if (ev.type === 'created' && !found) {
        worse('rediscover');
        continue;
      }
      if (ev.type === 'deleted') {
        if (found) this.remove(found.state, found.entry.disc.path);
        else this.removeUnder(abs); // a deleted directory, or a file discovery skipped
        continue;
      }
      // changed (or created again)
      if (found) {
        if (!this.restat(found.state, found.entry)) worse('rediscover');
        else this.analyse(found.state, found.entry);
      } else if (this.skippedByDiscovery(abs)) worse('rediscover'); // e.g. a too-large file that shrank
    }
    return outcome;
  }

  /** Full rescan: config, discovery, reading (extraction comes from the content-hash cache). */
  async rescan(isCancelled?: () => boolean): Promise<void> {
    this.ready = false;
    const roots = this.opts.roots.length > 0 ? this.opts.roots : ['.'];
    const states: RootState[] = [];
    for (const root of roots) {
      const absRoot = path.resolve(root);
      const loaded = loadConfig(absRoot, this.opts.configFile, new Set(this.opts.rules.map((r) => r.meta.id)));
      const config = loaded.config;
      assertRootDirectory(root, absRoot);
      const maxFileSize = effectiveMaxFileSize(config, this.opts.editorMaxFileSize);
      states.push({ root, absRoot, prefix: rootPrefix(root, roots.length), config, issues: loaded.issues, maxFileSize, order: [], entries: new Map(), discoverySkipped: [], memo: new RuleMemo() });
    }
    for (const state of states) await this.discoverInto(state, isCancelled);
    this.states = states;
    this.ready = true;
  }

  /** Walks every root again; files whose size and text did not change keep their facts. */
  async rediscover(isCancelled?: () => boolean): Promise<void> {
    if (!this.ready) return this.rescan(isCancelled);
    for (const state of this.states) await this.discoverInto(state, isCancelled);
  }

  private async discoverInto(state: RootState, isCancelled?: () => boolean): Promise<void> {
    const { config } = state;
    const found = await discover(state.absRoot, { include: config.include, ignore: [...config.ignore, ...(this.opts.editorIgnore ?? [])], maxFileSize: state.maxFileSize });
    if (found.files.some((f) => f.path.endsWith('.py'))) await this.preparePython();
    const entries = new Map<string, Entry>();
    let slice = Date.now();
    for (const disc of found.files) {
      if (Date.now() - slice > YIELD_EVERY_MS) {
        // Let the editor's messages in (edits, cancellation) during a long scan.
        await new Promise<void>((resolve) => setImmediate(resolve));
        slice = Date.now();
      }
      if (isCancelled?.()) throw new ScanCancelled();
      // Every file is read again (a file may change without an event reaching us); reading is
      // cheap, and extraction comes from the content-hash cache.
      const entry: Entry = { disc, fromOverlay: false };
      entries.set(disc.path, entry);
      this.analyse(state, entry);
    }
    state.order = found.files.map((f) => f.path);
    state.entries = entries;
    state.discoverySkipped = found.skipped;
  }

  private async preparePython(): Promise<void> {
    await preparePython();
    this.pythonError = pythonPrepareError();
  }

  /** Refreshes a known file's size; false when discovery would now decide differently (grown past the limit). */
  private restat(state: RootState, entry: Entry): boolean {
    try {
      const size = fs.statSync(entry.disc.absPath).size;
      if (size > state.maxFileSize) return false;
      entry.disc = { ...entry.disc, size };
    } catch {
      // Gone or unreadable: reading says which, as in a scan.
    }
    return true;
  }

  private find(abs: string): { state: RootState; entry: Entry } | undefined {
    for (const state of this.states) {
      const rel = path.relative(state.absRoot, abs);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const entry = state.entries.get(toPosix(rel));
      if (entry) return { state, entry };
    }
    return undefined;
  }

  private skippedByDiscovery(abs: string): boolean {
    return this.states.some((s) => {
      const rel = toPosix(path.relative(s.absRoot, abs));
      return s.discoverySkipped.some((k) => k.file === rel || k.file.startsWith(rel + '/'));
    });
  }

  private remove(state: RootState, rel: string): void {
    state.entries.delete(rel);
    state.order = state.order.filter((p) => p !== rel);
  }

  /** Forgets everything at or under a deleted path (a directory, or a file discovery skipped). */
  private removeUnder(abs: string): void {
    for (const state of this.states) {
      const rel = toPosix(path.relative(state.absRoot, abs));
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const inside = (p: string): boolean => rel === '' || p === rel || p.startsWith(rel + '/');
      const gone = state.order.filter(inside);
      for (const p of gone) state.entries.delete(p);
      if (gone.length > 0) state.order = state.order.filter((p) => !inside(p));
      state.discoverySkipped = state.discoverySkipped.filter((s) => !inside(s.file));
    }
  }

  /** Reads (overlay first) and analyses one entry. */
  private analyse(state: RootState, entry: Entry): void {
    const abs = entry.disc.absPath;
    const overlay = this.overlays.get(abs);
    const src = overlay !== undefined ? { text: overlay } : readSource(abs);
    const before = entry.fromOverlay ? entry.file : undefined;
    entry.fromOverlay = overlay !== undefined;
    if ('skip' in src) {
      entry.file = undefined;
      entry.skip = src.skip;
      return;
    }
    entry.skip = undefined;
    const { hash, facts } = analyseText(entry.disc.path, src.text, this.cache);
    // Every keystroke is a new text: the facts of the unsaved text typed over are dropped, so
    // that a long editing session does not keep one set of facts per keystroke.
    if (before && before.hash !== hash) this.cache.delete?.(factsKey(entry.disc.path, before.hash));
    if (entry.file && entry.file.hash === hash && entry.file.size === entry.disc.size) return;
    entry.file = { root: state.root, path: entry.disc.path, absPath: abs, hash, size: entry.disc.size, facts };
  }

  /** In the last run(): rules replayed from the memo, and rules that ran. */
  get lastRuleRuns(): { replayed: number; ran: number } {
    return this.states.reduce((sum, s) => ({ replayed: sum.replayed + s.memo.lastRun.replayed, ran: sum.ran + s.memo.lastRun.ran }), { replayed: 0, ran: 0 });
  }

  /** Runs the rules over the cached facts: the same result as scan() over the same state. */
  run(): ScanOutcome {
    const started = Date.now();
    const roots = this.opts.roots.length > 0 ? this.opts.roots : ['.'];
    const result = new ResultBuilder(this.opts);
    for (const state of this.states) result.addConfig(state.config, state.issues);
    const firstPy = this.states.flatMap((s) => s.order.filter((p) => p.endsWith('.py')).map((p) => (s.prefix ? `${s.prefix}/${p}` : p)))[0];
    if (firstPy !== undefined && this.pythonError) result.errors.push({ file: firstPy, message: `Python route facts unavailable: tree-sitter did not load (${this.pythonError})` });

    for (const state of this.states) {
      const { root, absRoot, prefix, config } = state;
      const out = (p: string): string => (prefix ? `${prefix}/${p}` : p);
      for (const s of state.discoverySkipped) result.skipped.push({ ...s, file: out(s.file) });
      const skippedPaths = new Set(state.discoverySkipped.map((s) => s.file));
      const files: SourceFile[] = [];
      for (const p of state.order) {
        const entry = state.entries.get(p)!;
        if (!entry.file) {
          result.skipped.push({ file: out(p), reason: entry.skip ?? 'unreadable' });
          skippedPaths.add(p);
          continue;
        }
        files.push(entry.file);
      }
      result.runRoot({ root, absRoot, prefix, config, files, skippedPaths, memo: state.memo });
    }
    // Every file's facts came from the session's own store.
    return result.finish(roots, started, result.fileCount);
  }
}
