// Incremental rule runs for the editor: each rule's output is kept with what the rule read,
// and the next run replays it when none of that changed. What a rule reads is observed,
// not declared: the rule sees the root's files through wrappers whose `facts` and `hash`
// record the file's path in the running rule's read set; `filesOf(kind)` records the kind,
// `files` and `exists` the list of paths. Work shared between rules in one run
// (`CheckContext.shared`) keeps its own read set and adds it to every rule that uses it,
// so a rule that reuses a table another rule built depends on what the table read.
//
// A rule is replayed only when the run's other inputs are the same as last time (settings,
// levels, services, skipped paths, the list of paths) and no file it read changed. A file
// changes when its SourceFile object differs: the editor session keeps the object of every
// file whose text did not change. scan() has no memo: every rule runs.
import type { ArtifactKind, Evidence, ReportInit, SourceFile, Subject, VerdictInit } from './types';

/** What one rule (or one shared computation) read during its run. */
export interface ReadSet {
  /** Paths whose facts or content hash were read. */
  files: Set<string>;
  /** Kinds listed with filesOf. */
  kinds: Set<ArtifactKind>;
  /** Shared computations used: what they read counts too (kept by reference, not copied). */
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

function newReadSet(): ReadSet {
  return { files: new Set(), kinds: new Set(), uses: new Set() };
}

/** Whether the read set, or a shared computation it used, read one of the changed files or kinds. */
function touches(reads: ReadSet, changed: { files: Set<string>; kinds: Set<ArtifactKind> }, seen = new Set<ReadSet>()): boolean {
  if (seen.has(reads)) return false;
  seen.add(reads);
  for (const f of changed.files) if (reads.files.has(f)) return true;
  for (const k of changed.kinds) if (reads.kinds.has(k)) return true;
  for (const u of reads.uses) if (touches(u, changed, seen)) return true;
  return false;
}

/** Kept by the caller per root between runs (the editor session); one run at a time. */
export class RuleMemo {
  private readonly kept = new Map<string, Kept>();
  private readonly wrappers = new WeakMap<SourceFile, SourceFile>();
  /** The read sets being filled: the running rule's, and any shared computation inside it. */
  private readonly stack: ReadSet[] = [];
  /** The top of the stack (read on every facts access, so kept at hand). */
  private current: ReadSet | undefined;
  private previous: { inputs: string; byPath: Map<string, SourceFile> } | undefined;
  /** Per run: paths whose file changed since the previous run, and the kinds they had before or have now. */
  private changed: { files: Set<string>; kinds: Set<ArtifactKind> } | 'all' = 'all';
  /** Runs of the last run, replayed and not: for tests and benchmarks. */
  lastRun = { replayed: 0, ran: 0 };

  /**
   * Starts a run over `files` with everything else the rules see reduced to `inputs` (a
   * string: settings, levels, services, skipped paths). Returns the files as the rules
   * see them (stable wrappers, in the same order).
   */
  begin(files: readonly SourceFile[], inputs: string): SourceFile[] {
    const byPath = new Map(files.map((f) => [f.path, f]));
    const prev = this.previous;
    if (!prev || prev.inputs !== inputs || prev.byPath.size !== byPath.size || files.some((f) => !prev.byPath.has(f.path))) {
      this.changed = 'all';
      this.kept.clear();
    } else {
      const changed = { files: new Set<string>(), kinds: new Set<ArtifactKind>() };
      for (const f of files) {
        const before = prev.byPath.get(f.path)!;
        if (before === f) continue;
        changed.files.add(f.path);
        for (const k of before.facts.kinds) changed.kinds.add(k);
        for (const k of f.facts.kinds) changed.kinds.add(k);
      }
      this.changed = changed;
    }
    this.previous = { inputs, byPath };
    this.lastRun = { replayed: 0, ran: 0 };
    return files.map((f) => this.wrap(f));
  }

  private wrap(f: SourceFile): SourceFile {
    let w = this.wrappers.get(f);
    if (!w) this.wrappers.set(f, (w = new TrackedFile(this, f) as unknown as SourceFile));
    return w;
  }

  /** A wrapper's facts, hash or size was read: the running rule (or shared computation) depends on the file. */
  noteRead(file: TrackedFile): void {
    const current = this.current;
    // A rule reads the same file's facts many times: each wrapper remembers the set it last recorded into.
    if (!current || file.recordedIn === current) return;
    file.recordedIn = current;
    current.files.add(file.path);
  }

  /** Records that the running rule listed the files of a kind. */
  readKind(kind: ArtifactKind): void {
    this.current?.kinds.add(kind);
  }

  private push(reads: ReadSet): void {
    this.stack.push(reads);
    this.current = reads;
  }

  private pop(): void {
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

  /** A shared computation's value, computed once per run; whoever uses it reads what it read. */
  shared<T>(store: Map<string, { value: unknown; reads: ReadSet }>, key: string, compute: () => T): T {
    let hit = store.get(key);
    if (!hit) {
      const reads = newReadSet();
      this.push(reads);
      try {
        hit = { value: compute(), reads };
      } finally {
        this.pop();
      }
      store.set(key, hit);
    }
    this.current?.uses.add(hit.reads);
    return hit.value as T;
  }
}

/**
 * A SourceFile as rules see it under a memo. One class, so that every property access site
 * in the rules stays monomorphic; what can change while the path stays (facts, content
 * hash, size) is read through getters that record the read.
 */
class TrackedFile {
  readonly root: string;
  readonly path: string;
  readonly absPath: string;
  recordedIn: ReadSet | undefined;

  constructor(
    private readonly memo: RuleMemo,
    private readonly file: SourceFile,
  ) {
    this.root = file.root;
    this.path = file.path;
    this.absPath = file.absPath;
  }

  get facts(): SourceFile['facts'] {
    this.memo.noteRead(this);
    return this.file.facts;
  }

  get hash(): string {
    this.memo.noteRead(this);
    return this.file.hash;
  }

  get size(): number {
    this.memo.noteRead(this);
    return this.file.size;
  }
}
