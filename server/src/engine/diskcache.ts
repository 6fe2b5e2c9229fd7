// A FactsCache that persists between runs under a cache directory, so that a later scan (a
// CI run, the server after a restart) re-extracts only what changed — and, when nothing that
// a scan reads changed at all, returns the last scan's result without running a rule.
//
// facts.bin: the magic bytes, a 4-byte header length, a JSON header (format, extractor and
// caller versions, the index's length and checksum, the data's length), the index (JSON:
// each entry's key, length and checksum), then the entries one after another, each
// serialised on its own with node:v8 (which keeps shared structure, Maps and Sets that YAML
// values may hold). load() reads the header and the index only; get() decodes one entry,
// checking its checksum first, so a warm scan pays only for the facts it uses.
//
// snapshot.bin: the same framing around one scan result and the digest of its inputs
// (index.ts decides what goes into the digest); read only when a scan asks for it.
//
// A file from another version, a truncated or altered file, or one that is not a cache at
// all is ignored: load() reports why and the scan simply starts cold; a damaged entry found
// later is dropped and re-extracted. Nothing here throws.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { EXTRACTOR_VERSION, type FactsCache } from './extract';
import type { FileFacts } from './types';

/** Conventional cache directory at a workspace root. */
export const DEFAULT_CACHE_DIR = '.readiness-cache';
export const CACHE_FILE_NAME = 'facts.bin';
export const SNAPSHOT_FILE_NAME = 'snapshot.bin';

const MAGIC = Buffer.from('RDNSFCT\n', 'latin1');
const SNAPSHOT_MAGIC = Buffer.from('RDNSSNP\n', 'latin1');
const FORMAT_VERSION = 2;
const DEFAULT_MAX_ENTRIES = 50_000;

interface Header {
  format: 'readiness-facts';
  formatVersion: number;
  extractorVersion: number;
  version: string;
  entries: number;
  indexBytes: number;
  indexSha1: string;
  dataBytes: number;
}

interface SnapshotHeader {
  format: 'readiness-snapshot';
  formatVersion: number;
  extractorVersion: number;
  version: string;
  key: string;
  sha1: string;
}

/** One index row: key, byte length of the entry, sha1 of those bytes. Offsets follow from the order. */
type IndexRow = [string, number, string];

export interface DiskFactsCacheOptions {
  /** Anything else whose change must invalidate the cache, e.g. the tool and rule-set version. */
  version?: string;
  /** Most entries save() writes, most recently used first. Default 50,000. */
  maxEntries?: number;
}

export type CacheLoadResult = { ok: true; entries: number } | { ok: false; reason: string };
/** `unchanged`: nothing was stored or dropped since load(), so the files on disk already hold it all and were not rewritten. */
export type CacheSaveResult = { ok: true; entries: number; bytes: number; unchanged?: true } | { ok: false; reason: string };

function isFacts(v: unknown): v is FileFacts {
  if (!v || typeof v !== 'object') return false;
  const f = v as Record<string, unknown>;
  return Array.isArray(f.kinds) && Array.isArray(f.directives) && Array.isArray(f.errors) && Array.isArray(f.lineStarts) && (f.yaml === undefined || (typeof f.yaml === 'object' && f.yaml !== null && Array.isArray((f.yaml as { docs?: unknown }).docs)));
}

function message(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** MAGIC, the header's length, the header: the frame both files share. */
function frame(magic: Buffer, header: object): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  return Buffer.concat([magic, length, headerBytes]);
}

/** Reads a frame's header from the start of `bytes`; a reason when it is not one. */
function unframe(magic: Buffer, bytes: Buffer, what: string): { header: Record<string, unknown>; end: number } | { reason: string } {
  if (bytes.length < magic.length + 4 || !bytes.subarray(0, magic.length).equals(magic)) return { reason: `not a ${what}` };
  const headerLength = bytes.readUInt32LE(magic.length);
  const end = magic.length + 4 + headerLength;
  if (end > bytes.length) return { reason: 'truncated' };
  const header: unknown = JSON.parse(bytes.subarray(magic.length + 4, end).toString('utf8'));
  if (!header || typeof header !== 'object') return { reason: 'damaged' };
  return { header: header as Record<string, unknown>, end };
}

/** Reads up to `length` bytes at `position` of an open file. */
function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** Writes `bytes` to `file` atomically (a temporary file renamed over it), owner-only. */
function writeAtomic(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, bytes, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } finally {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing more to do: the next save writes a new temporary file.
    }
  }
}

/** An entry: decoded facts, or where its bytes are in the loaded file; `raw` keeps the encoded bytes once read. */
interface Slot {
  facts?: FileFacts;
  raw?: Buffer;
  offset: number;
  length: number;
  sum: string;
}

export class DiskFactsCache implements FactsCache {
  readonly file: string;
  readonly snapshotFile: string;
  private readonly version: string;
  private readonly maxEntries: number;
  /** Insertion order is recency of use: a hit or a store moves the entry to the end. */
  private readonly entries = new Map<string, Slot>();
  private readonly used = new Set<string>();
  /** Entries read by the last load() (0 when it failed): a save() that would write exactly these is skipped. */
  private loadedEntries = 0;
  private loadedBytes = 0;
  /** A new, replaced or dropped (damaged) entry since load(). */
  private dirty = false;
  /** The loaded file's frame and index, to check that the data read later belongs to them. */
  private loadedPrefix: Buffer | undefined;
  private dataStart = 0;
  /** The loaded file's entries, read on the first get() that needs them; null when that read failed. */
  private data: Buffer | null | undefined;
  /** A result stored since load(), encoded, waiting for save(). */
  private pendingSnapshot: { key: string; payload: Buffer } | undefined;
  /** Snapshot lookups that returned a result (for the benchmark and the server's log). */
  snapshotHits = 0;
  /** get() calls that returned facts since this instance was made (for the server's log). */
  hits = 0;

  constructor(
    readonly dir: string,
    options: DiskFactsCacheOptions = {},
  ) {
    this.file = path.join(dir, CACHE_FILE_NAME);
    this.snapshotFile = path.join(dir, SNAPSHOT_FILE_NAME);
    this.version = options.version ?? '';
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): FileFacts | undefined {
    const slot = this.entries.get(key);
    if (slot === undefined) return undefined;
    if (slot.facts === undefined && !this.decode(slot)) {
      this.entries.delete(key);
      this.dirty = true;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, slot);
    this.used.add(key);
    this.hits++;
    return slot.facts;
  }

  set(key: string, facts: FileFacts): void {
    this.dirty = true;
    this.entries.delete(key);
    this.entries.set(key, { facts, offset: 0, length: 0, sum: '' });
    this.used.add(key);
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.dirty = true;
    this.used.delete(key);
  }

  /** Reads the cache file's index, replacing what is in memory. A missing, stale or damaged file leaves the cache empty. */
  load(): CacheLoadResult {
    this.entries.clear();
    this.used.clear();
    this.dirty = false;
    this.loadedEntries = 0;
    this.loadedBytes = 0;
    this.loadedPrefix = undefined;
    this.data = undefined;
    this.pendingSnapshot = undefined;
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (e) {
      return { ok: false, reason: `not read: ${message(e)}` };
    }
    try {
      const size = fs.fstatSync(fd).size;
      // The header is small: read a little, then the rest of it if it is longer.
      let head = readAt(fd, 0, Math.min(size, 4096));
      if (head.length >= MAGIC.length + 4 && head.subarray(0, MAGIC.length).equals(MAGIC)) {
        const want = MAGIC.length + 4 + head.readUInt32LE(MAGIC.length);
        if (want > head.length && want <= size) head = readAt(fd, 0, want);
      }
      const framed = unframe(MAGIC, head, 'facts cache');
      if ('reason' in framed) return { ok: false, reason: framed.reason };
      const header = framed.header as Partial<Header>;
      if (header.format !== 'readiness-facts' || header.formatVersion !== FORMAT_VERSION) return { ok: false, reason: 'another cache format' };
      if (header.extractorVersion !== EXTRACTOR_VERSION || header.version !== this.version) return { ok: false, reason: 'written by another version' };
      const { indexBytes, dataBytes } = header;
      if (typeof indexBytes !== 'number' || typeof dataBytes !== 'number' || indexBytes < 0 || dataBytes < 0) return { ok: false, reason: 'damaged' };
      if (size !== framed.end + indexBytes + dataBytes) return { ok: false, reason: 'truncated' };
      const indexRaw = readAt(fd, framed.end, indexBytes);
      if (sha1(indexRaw) !== header.indexSha1) return { ok: false, reason: 'checksum mismatch' };
      const index: unknown = JSON.parse(indexRaw.toString('utf8'));
      if (!Array.isArray(index) || index.length !== header.entries) return { ok: false, reason: 'damaged' };
      let offset = 0;
      for (const row of index as unknown[]) {
        const [key, length, sum] = Array.isArray(row) ? (row as Partial<IndexRow>) : [];
        if (typeof key !== 'string' || typeof length !== 'number' || !Number.isInteger(length) || length < 0 || typeof sum !== 'string' || offset + length > dataBytes) {
          this.entries.clear();
          return { ok: false, reason: 'damaged' };
        }
        this.entries.set(key, { offset, length, sum });
        offset += length;
      }
      this.loadedPrefix = Buffer.concat([head.subarray(0, framed.end), indexRaw]);
      this.dataStart = framed.end + indexBytes;
      this.loadedEntries = this.entries.size;
      this.loadedBytes = size;
      return { ok: true, entries: this.entries.size };
    } catch (e) {
      this.entries.clear();
      return { ok: false, reason: `damaged: ${message(e)}` };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The loaded file's entries, read once; null when the file is gone or is no longer the one whose index was loaded. */
  private loadedData(): Buffer | null {
    if (this.data !== undefined) return this.data;
    this.data = null;
    if (!this.loadedPrefix) return null;
    try {
      const bytes = fs.readFileSync(this.file);
      // Another process may have saved in between: its entries do not match this index.
      if (bytes.length >= this.dataStart && bytes.subarray(0, this.dataStart).equals(this.loadedPrefix)) this.data = bytes.subarray(this.dataStart);
    } catch {
      // Unreadable now: the entries not decoded yet become misses.
    }
    return this.data;
  }

  /** The entry's encoded bytes, checked against its checksum; undefined when they are not to be had. */
  private rawOf(slot: Slot): Buffer | undefined {
    if (slot.raw) return slot.raw;
    const data = this.loadedData();
    if (!data || slot.offset + slot.length > data.length) return undefined;
    const raw = data.subarray(slot.offset, slot.offset + slot.length);
    if (sha1(raw) !== slot.sum) return undefined;
    slot.raw = raw;
    return raw;
  }

  private decode(slot: Slot): boolean {
    const raw = this.rawOf(slot);
    if (!raw) return false;
    try {
      const facts: unknown = v8.deserialize(raw);
      if (!isFacts(facts)) return false;
      slot.facts = facts;
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The result stored under `key` by an earlier scan, when every facts entry it names is still
   * here: those entries then count as used, so that save() keeps them without decoding them.
   */
  snapshot(key: string): { outcome: unknown } | undefined {
    if (this.pendingSnapshot?.key === key) return this.openSnapshot(this.pendingSnapshot.payload);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.snapshotFile);
      const framed = unframe(SNAPSHOT_MAGIC, bytes, 'snapshot');
      if ('reason' in framed) return undefined;
      const header = framed.header as Partial<SnapshotHeader>;
      if (header.format !== 'readiness-snapshot' || header.formatVersion !== FORMAT_VERSION || header.extractorVersion !== EXTRACTOR_VERSION || header.version !== this.version) return undefined;
      if (header.key !== key) return undefined;
      const payload = bytes.subarray(framed.end);
      if (sha1(payload) !== header.sha1) return undefined;
      return this.openSnapshot(payload);
    } catch {
      return undefined;
    }
  }

  private openSnapshot(payload: Buffer): { outcome: unknown } | undefined {
    try {
      const value: unknown = v8.deserialize(payload);
      if (!value || typeof value !== 'object') return undefined;
      const { outcome, factKeys } = value as { outcome?: unknown; factKeys?: unknown };
      if (!Array.isArray(factKeys) || !factKeys.every((k) => typeof k === 'string' && this.entries.has(k))) return undefined;
      for (const k of factKeys as string[]) this.used.add(k);
      this.snapshotHits++;
      return { outcome };
    } catch {
      return undefined;
    }
  }

  /** Keeps a scan's result for save(); encoded now, so that later changes to the objects do not leak in. */
  storeSnapshot(key: string, outcome: unknown, factKeys: readonly string[]): void {
    try {
      this.pendingSnapshot = { key, payload: v8.serialize({ outcome, factKeys: [...factKeys] }) };
    } catch {
      // Not serialisable: the next scan simply runs the rules.
      this.pendingSnapshot = undefined;
    }
  }

  /**
   * Writes the cache files atomically (a temporary file renamed over each). Keeps the entries
   * used since load() — looked up or stored — so that files that changed or went away do
   * not accumulate; `keepUnused` keeps the rest too. At most `maxEntries`, most recent first.
   * Entries never decoded are copied as they were read. The facts file is rewritten only when
   * an entry was stored, replaced or dropped; the snapshot only when a scan stored a new one.
   * The directory gets a `.gitignore` of `*`: cached facts may hold file contents.
   */
  save(options: { keepUnused?: boolean } = {}): CacheSaveResult {
    const keep: [string, Slot][] = [];
    const all = [...this.entries];
    for (let i = all.length - 1; i >= 0 && keep.length < this.maxEntries; i--) {
      const [key] = all[i]!;
      if (options.keepUnused || this.used.has(key)) keep.push(all[i]!);
    }
    keep.reverse();
    const factsUnchanged = !this.dirty && this.loadedEntries > 0 && keep.length === this.loadedEntries && fs.existsSync(this.file);
    if (factsUnchanged && !this.pendingSnapshot) return { ok: true, entries: keep.length, bytes: this.loadedBytes, unchanged: true };
    try {
      // Owner-only: cached facts may hold parts of the files (values, secrets' masked forms).
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const gitignore = path.join(this.dir, '.gitignore');
      if (!fs.existsSync(gitignore)) fs.writeFileSync(gitignore, '# Written by readiness: cached facts stay out of version control.\n*\n');
      let bytes = this.loadedBytes;
      let written = keep.length;
      if (!factsUnchanged) {
        const rows: IndexRow[] = [];
        const chunks: Buffer[] = [];
        const kept = new Set<string>();
        for (const [key, slot] of keep) {
          let raw = slot.raw ?? (slot.facts === undefined ? this.rawOf(slot) : undefined);
          if (raw === undefined && slot.facts !== undefined) raw = v8.serialize(slot.facts);
          if (raw === undefined) continue; // unreadable now: dropped
          // A slot's sum, when it has one, is that of its bytes (read and checked, or written before).
          if (!slot.sum || !slot.raw) slot.sum = sha1(raw);
          slot.raw = raw;
          rows.push([key, raw.length, slot.sum]);
          chunks.push(raw);
          kept.add(key);
        }
        // Entries not written stay usable in memory only if their bytes are at hand: the loaded file is replaced now.
        for (const [key, slot] of this.entries) if (!kept.has(key) && slot.facts === undefined && !slot.raw) this.entries.delete(key);
        const indexRaw = Buffer.from(JSON.stringify(rows), 'utf8');
        const dataBytes = chunks.reduce((n, c) => n + c.length, 0);
        const header: Header = { format: 'readiness-facts', formatVersion: FORMAT_VERSION, extractorVersion: EXTRACTOR_VERSION, version: this.version, entries: rows.length, indexBytes: indexRaw.length, indexSha1: sha1(indexRaw), dataBytes };
        const head = frame(MAGIC, header);
        writeAtomic(this.file, Buffer.concat([head, indexRaw, ...chunks]));
        bytes = head.length + indexRaw.length + dataBytes;
        written = rows.length;
        this.loadedPrefix = undefined;
        this.data = null;
        this.dirty = false;
        this.loadedEntries = rows.length;
        this.loadedBytes = bytes;
      }
      if (this.pendingSnapshot) {
        const { key, payload } = this.pendingSnapshot;
        const header: SnapshotHeader = { format: 'readiness-snapshot', formatVersion: FORMAT_VERSION, extractorVersion: EXTRACTOR_VERSION, version: this.version, key, sha1: sha1(payload) };
        writeAtomic(this.snapshotFile, Buffer.concat([frame(SNAPSHOT_MAGIC, header), payload]));
        this.pendingSnapshot = undefined;
      }
      return { ok: true, entries: written, bytes };
    } catch (e) {
      return { ok: false, reason: message(e) };
    }
  }
}
