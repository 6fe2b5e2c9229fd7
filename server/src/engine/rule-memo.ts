// Incremental rule runs for the editor: each rule's output is kept with what the rule read,
// and the next run replays it when none of that changed. What a rule reads is observed,
// not declared: the rule sees the root's files through wrappers whose facts (one field at a
// time), content hash and size record (path, field) in the running rule's read set;
// `filesOf(kind)` records the kind. Work shared between rules — through
// `CheckContext.shared`, per file through `memoFor` — keeps its own read set, and every
// rule that uses the result depends on it, so a rule that reuses a table another rule built
// depends on what the table read. Shared values are kept between runs too, while nothing
// they read changed.
//
// A rule is replayed only when the run's other inputs are the same as last time (settings,
// levels, services, skipped paths, the list of paths) and nothing it read changed: for each
// file whose SourceFile object differs from last run's (the editor session keeps the object
// while the text is unchanged), the facts fields that differ, compared by value. scan() has
// no memo: every rule runs.
import { isDeepStrictEqual } from 'node:util';
import type { ArtifactKind, Evidence, FileFacts, ReportInit, SourceFile, Subject, VerdictInit } from './types';

/** Pseudo-fields for what a file carries besides its facts. */
const HASH = '#hash';
const SIZE = '#size';
const KEYS = '#keys';

/** What one rule (or one piece of shared work) read during its run. */
export interface ReadSet {
  /** Path → the facts fields (and #hash, #size) read of that file. */
  files: Map<string, Set<string>>;
  /** Kinds listed with filesOf. */
  kinds: Set<ArtifactKind>;
  /** Shared work used: what it read counts too (kept by reference, not copied). */
  uses: Set<ReadSet>;
}

export interface RuleOutput {
  applicable: boolean;
  subjects: Map<string, Subject>;
  reports: (ReportInit & { ruleId: string })[];
  verdicts: VerdictInit[];
  evidence: Evidence[];
}

interface Kept {
  reads: ReadSet;
  output: RuleOutput;
}

interface Changes {
  /** Each changed path, and whether a field's value changed (compared on first ask: a big file's fields cost a deep comparison). */
  files: { path: string; differs: (field: string) => boolean }[];
  /** Kinds a changed file had before or has now. */
  kinds: Set<ArtifactKind>;
  /** touches() answers of this run. */
  known: WeakMap<ReadSet, boolean>;
}

function newReadSet(): ReadSet {
  return { files: new Map(), kinds: new Set(), uses: new Set() };
}

/**
 * Whether the read set, or shared work it used, read something that changed. Answers are
 * kept in `changed.known` for the run: many rules use the same work (a file's imports, the
 * route table), which is then looked at once.
 */
function touches(reads: ReadSet, changed: Changes): boolean {
  const known = changed.known.get(reads);
  if (known !== undefined) return known;
  // Cycles cannot happen (work uses work computed before it returns), but an answer in progress counts as no change.
  changed.known.set(reads, false);
  let hit = false;
  for (let i = 0; i < changed.files.length && !hit; i++) {
    const { path, differs } = changed.files[i]!;
    const read = reads.files.get(path);
    if (read) for (const f of read) if (differs(f)) hit = true;
  }
  if (!hit) for (const k of changed.kinds) if (reads.kinds.has(k)) hit = true;
  if (!hit) for (const u of reads.uses) if (touches(u, changed)) {
    hit = true;
    break;
  }
  changed.known.set(reads, hit);
  return hit;
}

/** Most paths a memoFor entry is filed under; one that read more is looked at in every run. */
const MAX_PATHS_FILED = 64;

/** The paths a read set read, with the work it used; undefined when it listed kinds or read too many to file it under. */
function pathsRead(reads: ReadSet): Set<string> | undefined {
  const paths = new Set<string>();
  const seen = new Set<ReadSet>();
  const stack = [reads];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if (seen.has(r)) continue;
    seen.add(r);
    if (r.kinds.size > 0) return undefined;
    for (const p of r.files.keys()) paths.add(p);
    if (paths.size > MAX_PATHS_FILED) return undefined;
    for (const u of r.uses) stack.push(u);
  }
  return paths;
}

/** Whether a facts field (or #hash, #size, #keys) differs between two versions of a file; each field compared once. */
function fieldDiffers(before: SourceFile, after: SourceFile): (field: string) => boolean {
  const known = new Map<string, boolean>();
  const a = before.facts as unknown as Record<string, unknown>;
  const b = after.facts as unknown as Record<string, unknown>;
  const compare = (field: string): boolean => {
    if (field === HASH) return before.hash !== after.hash;
    if (field === SIZE) return before.size !== after.size;
    if (field === KEYS) {
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      return ka.length !== kb.length || ka.some((k) => !(k in b));
    }
    return a[field] !== b[field] && !isDeepStrictEqual(a[field], b[field]);
  };
  return (field) => {
    let d = known.get(field);
    if (d === undefined) known.set(field, (d = compare(field)));
    return d;
  };
}

/** The memo of the run in progress, if any: memoFor and sharedIn record into it. */
let active: RuleMemo | undefined;

/** Kept by the caller per root between runs (the editor session); one run at a time. */
export class RuleMemo {
  private readonly kept = new Map<string, Kept>();
  /** `CheckContext.shared` values, kept between runs while nothing they read changed. */
  readonly shared = new Map<string, FileMemoEntry<unknown>>();
  /** One wrapper per path, showing the path's current file: values kept between runs that hold a file see its current facts. */
  private readonly wrappers = new Map<string, TrackedFile>();
  /** memoFor entries made under this memo, with the cache they sit in: dropped when what they read changes. */
  private readonly fileMemos = new Map<FileMemoEntry<unknown>, { cache: MemoCache<unknown>; key: object }>();
  /** Those entries by the paths they read (most read one file: theirs), so that a run looks only at the entries of changed files… */
  private readonly memoReaders = new Map<string, Set<FileMemoEntry<unknown>>>();
  /** …and these, which listed kinds or read many files, at every run. */
  private readonly memoGeneral = new Set<FileMemoEntry<unknown>>();
  /** The read sets being filled: the running rule's, and any shared work inside it. */
  private readonly stack: ReadSet[] = [];
  /** The top of the stack (read on every facts access, so kept at hand). */
  current: ReadSet | undefined;
  private previous: { inputs: string; byPath: Map<string, SourceFile> } | undefined;
  private changed: Changes | 'all' = 'all';
  /** The objects begin() handed out with the files last run. */
  private given: unknown;
  /** Runs of the last run, replayed and not: for tests and benchmarks. */
  lastRun = { replayed: 0, ran: 0 };

  /**
   * Starts a run over `files` with everything else the rules see reduced to `inputs` (a
   * string: settings, levels, services, skipped paths). Returns the files as the rules see
   * them (stable wrappers, in the same order), and `objects` (the settings and services
   * the rules get) as last run's same objects while `inputs` is unchanged: values kept
   * between runs (a map keyed by service) then still match them. end() closes the run.
   */
  begin<T extends object>(files: readonly SourceFile[], inputs: string, objects: T): { files: SourceFile[]; objects: T } {
    const byPath = new Map(files.map((f) => [f.path, f]));
    const prev = this.previous;
    if (!prev || prev.inputs !== inputs || prev.byPath.size !== byPath.size || files.some((f) => !prev.byPath.has(f.path))) {
      this.changed = 'all';
      this.kept.clear();
      this.shared.clear();
      for (const [entry, at] of this.fileMemos) if (at.cache.get(at.key) === entry) at.cache.delete(at.key);
      this.fileMemos.clear();
      this.memoReaders.clear();
      this.memoGeneral.clear();
      for (const path of this.wrappers.keys()) if (!byPath.has(path)) this.wrappers.delete(path);
    } else {
      const changed: Changes = { files: [], kinds: new Set(), known: new WeakMap() };
      for (const f of files) {
        const before = prev.byPath.get(f.path)!;
        if (before === f) continue;
        const differs = fieldDiffers(before, f);
        changed.files.push({ path: f.path, differs });
        if (differs('kinds')) for (const k of [...before.facts.kinds, ...f.facts.kinds]) changed.kinds.add(k);
      }
      this.changed = changed;
      for (const [key, entry] of this.shared) if (!entry.reads || touches(entry.reads, changed)) this.shared.delete(key);
      for (const { path } of changed.files) {
        const readers = this.memoReaders.get(path);
        if (readers) for (const entry of readers) if (this.dropFileMemo(entry, changed)) readers.delete(entry);
      }
      for (const entry of this.memoGeneral) if (this.dropFileMemo(entry, changed)) this.memoGeneral.delete(entry);
    }
    if (this.changed === 'all' || !this.given) this.given = objects;
    this.previous = { inputs, byPath };
    this.lastRun = { replayed: 0, ran: 0 };
    active = this;
    return { files: files.map((f) => this.wrap(f)), objects: this.given as T };
  }

  end(): void {
    if (active === this) active = undefined;
  }

  private wrap(f: SourceFile): SourceFile {
    let w = this.wrappers.get(f.path);
    if (!w) this.wrappers.set(f.path, (w = new TrackedFile(this, f)));
    else w.show(f);
    return w as unknown as SourceFile;
  }

  /** Keeps a memoFor entry made under this memo, to drop it when what it read changes. */
  keepFileMemo(cache: MemoCache<unknown>, key: object, entry: FileMemoEntry<unknown>): void {
    this.fileMemos.set(entry, { cache, key });
    const paths = entry.reads && pathsRead(entry.reads);
    if (!paths) {
      this.memoGeneral.add(entry);
      return;
    }
    for (const path of paths) {
      let readers = this.memoReaders.get(path);
      if (!readers) this.memoReaders.set(path, (readers = new Set()));
      readers.add(entry);
    }
  }

  /** Drops a memoFor entry when what it read changed (or it is gone already); true when it is no longer kept. */
  private dropFileMemo(entry: FileMemoEntry<unknown>, changed: Changes): boolean {
    const at = this.fileMemos.get(entry);
    if (!at || at.cache.get(at.key) !== entry) {
      this.fileMemos.delete(entry);
      return true;
    }
    if (entry.reads && !touches(entry.reads, changed)) return false;
    at.cache.delete(at.key);
    this.fileMemos.delete(entry);
    return true;
  }

  /** Records that the running rule listed the files of a kind. */
  readKind(kind: ArtifactKind): void {
    this.current?.kinds.add(kind);
  }

  /** Reads from now on go to `reads` (a rule's, or shared work's inside it) until pop(). */
  push(reads: ReadSet): void {
    this.stack.push(reads);
    this.current = reads;
  }

  pop(): void {
    this.stack.pop();
    this.current = this.stack[this.stack.length - 1];
  }

  /** The rule's output from an earlier run, when nothing it read has changed since. */
  replay(ruleId: string, applicable: boolean): RuleOutput | undefined {
    const kept = this.kept.get(ruleId);
    const changed = this.changed;
    if (!kept || changed === 'all' || kept.output.applicable !== applicable || touches(kept.reads, changed)) return undefined;
    this.lastRun.replayed++;
    return kept.output;
  }

  /** Runs a rule with its reads recorded, and keeps its output. */
  run(ruleId: string, applicable: boolean, check: () => RuleOutput): RuleOutput {
    const reads = newReadSet();
    this.push(reads);
    try {
      const output = check();
      this.kept.set(ruleId, { reads, output: { ...output, applicable } });
      this.lastRun.ran++;
      return output;
    } catch (e) {
      this.kept.delete(ruleId);
      throw e;
    } finally {
      this.pop();
    }
  }
}

/** A per-file memo entry: the value and, when computed under a rule memo, what it read. */
export interface FileMemoEntry<V> {
  value: V;
  reads?: ReadSet;
}

/** Where memoFor keeps its entries: a WeakMap keyed by a file (or a file list). */
type MemoCache<V> = WeakMap<object, FileMemoEntry<V>>;

/**
 * A value computed from files a rule was given (one file's imports or Kubernetes objects,
 * the compose projects of a file list) and kept while `key` — that SourceFile or list — is,
 * and under a rule memo (where a file is its path's wrapper) while nothing it read changed.
 */
export function memoFor<V>(cache: MemoCache<V>, key: object, compute: () => V): V {
  const hit = cache.get(key);
  const value = remembered(cache, key, compute);
  const entry = cache.get(key);
  // Only entries keyed by a file outlive a run: a list (filesOf) is new each run, and keeping its entries would keep every run's.
  if (active && entry && entry !== hit && key instanceof TrackedFile) active.keepFileMemo(cache as MemoCache<unknown>, key, entry as FileMemoEntry<unknown>);
  return value;
}

/**
 * `CheckContext.shared`: a value computed once under `key` in `store` (the run's, or the
 * memo's, kept between runs), with its reads, like memoFor.
 */
export function sharedIn<V>(store: Map<string, FileMemoEntry<unknown>>, key: string, compute: () => V): V {
  return remembered(store as Map<string, FileMemoEntry<V>>, key, compute);
}

/** The value kept under `key`, else computed and kept: under a rule memo with the reads of its computation, which count for every caller. */
function remembered<K, V>(cache: { get(key: K): FileMemoEntry<V> | undefined; set(key: K, entry: FileMemoEntry<V>): unknown }, key: K, compute: () => V): V {
  const memo = active;
  const hit = cache.get(key);
  if (hit && (!memo || hit.reads)) {
    if (memo && hit.reads) memo.current?.uses.add(hit.reads);
    return hit.value;
  }
  if (!memo) {
    const value = compute();
    cache.set(key, { value });
    return value;
  }
  const reads = newReadSet();
  memo.push(reads);
  let value: V;
  try {
    value = compute();
  } finally {
    memo.pop();
  }
  cache.set(key, { value, reads });
  memo.current?.uses.add(reads);
  return value;
}

/**
 * A SourceFile as rules see it under a memo: one per path, showing the path's current file.
 * One class, so that property access sites in the rules stay monomorphic; what can change
 * while the path stays is read through getters that record the read: the facts through a
 * proxy that records each field.
 */
class TrackedFile {
  readonly root: string;
  readonly path: string;
  readonly absPath: string;
  /** The path's current file. */
  private file: SourceFile;
  /** The read set this file last recorded into, and the fields recorded there. */
  private recordedIn: ReadSet | undefined;
  private recordedFields: Set<string> | undefined;
  private view: FileFacts | undefined;

  constructor(
    private readonly memo: RuleMemo,
    file: SourceFile,
  ) {
    this.root = file.root;
    this.path = file.path;
    this.absPath = file.absPath;
    this.file = file;
  }

  /** From now on the wrapper shows `file` (the path's text changed). */
  show(file: SourceFile): void {
    if (file === this.file) return;
    this.file = file;
    this.view = undefined;
  }

  note(field: string): void {
    const current = this.memo.current;
    if (!current) return;
    if (this.recordedIn !== current) {
      this.recordedIn = current;
      let fields = current.files.get(this.path);
      if (!fields) current.files.set(this.path, (fields = new Set()));
      this.recordedFields = fields;
    }
    this.recordedFields!.add(field);
  }

  get facts(): FileFacts {
    if (!this.view) {
      const note = (field: string): void => this.note(field);
      this.view = new Proxy(this.file.facts, {
        get(target, key, receiver) {
          if (typeof key === 'string') note(key);
          return Reflect.get(target, key, receiver) as unknown;
        },
        has(target, key) {
          if (typeof key === 'string') note(key);
          return Reflect.has(target, key);
        },
        ownKeys(target) {
          // Listing the fields reads them all, and which there are.
          note(KEYS);
          for (const key of Object.keys(target)) note(key);
          return Reflect.ownKeys(target);
        },
      });
    }
    return this.view;
  }

  get hash(): string {
    this.note(HASH);
    return this.file.hash;
  }

  get size(): number {
    this.note(SIZE);
    return this.file.size;
  }
}
