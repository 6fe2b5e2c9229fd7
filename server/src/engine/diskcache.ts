// A FactsCache that persists between runs in one file under a cache directory, so that a
// later scan (a CI run, the server after a restart) re-extracts only what changed.
//
// File layout: the magic bytes, a 4-byte header length, a JSON header (format, extractor
// and caller versions, payload checksum), then the entries serialised with node:v8 (which
// keeps shared structure, Maps and Sets that YAML values may hold). A file from another
// version, a truncated or altered file, or one that is not a cache at all is ignored:
// load() reports why and the scan simply starts cold. Nothing here throws.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { EXTRACTOR_VERSION, type FactsCache } from './extract';
import type { FileFacts } from './types';

/** Conventional cache directory at a workspace root. */
export const DEFAULT_CACHE_DIR = '.readiness-cache';
export const CACHE_FILE_NAME = 'facts.bin';

const MAGIC = Buffer.from('RDNSFCT\n', 'latin1');
const FORMAT_VERSION = 1;
const DEFAULT_MAX_ENTRIES = 50_000;

interface Header {
  format: 'readiness-facts';
  formatVersion: number;
  extractorVersion: number;
  version: string;
  entries: number;
  sha1: string;
}

export interface DiskFactsCacheOptions {
  /** Anything else whose change must invalidate the cache, e.g. the tool and rule-set version. */
  version?: string;
  /** Most entries save() writes, most recently used first. Default 50,000. */
  maxEntries?: number;
}

export type CacheLoadResult = { ok: true; entries: number } | { ok: false; reason: string };
/** `unchanged`: nothing was stored or dropped since load(), so the file on disk already holds it all and was not rewritten. */
export type CacheSaveResult = { ok: true; entries: number; bytes: number; unchanged?: true } | { ok: false; reason: string };

function isFacts(v: unknown): v is FileFacts {
  if (!v || typeof v !== 'object') return false;
  const f = v as Record<string, unknown>;
  return Array.isArray(f.kinds) && Array.isArray(f.directives) && Array.isArray(f.errors) && Array.isArray(f.lineStarts) && (f.yaml === undefined || (typeof f.yaml === 'object' && f.yaml !== null && Array.isArray((f.yaml as { docs?: unknown }).docs)));
}

function message(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

export class DiskFactsCache implements FactsCache {
  readonly file: string;
  private readonly version: string;
  private readonly maxEntries: number;
  /** Insertion order is recency of use: a hit or a store moves the entry to the end. */
  private readonly entries = new Map<string, FileFacts>();
  private readonly used = new Set<string>();
  /** Entries read by the last load() (0 when it failed): a save() that would write exactly these is skipped. */
  private loadedEntries = 0;
  private loadedBytes = 0;
  /** A new or replaced entry since load(). */
  private dirty = false;

  constructor(
    readonly dir: string,
    options: DiskFactsCacheOptions = {},
  ) {
    this.file = path.join(dir, CACHE_FILE_NAME);
    this.version = options.version ?? '';
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): FileFacts | undefined {
    const facts = this.entries.get(key);
    if (facts !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, facts);
      this.used.add(key);
    }
    return facts;
  }

  set(key: string, facts: FileFacts): void {
    this.dirty = true;
    this.entries.delete(key);
    this.entries.set(key, facts);
    this.used.add(key);
  }

  /** Reads the cache file, replacing what is in memory. A missing, stale or damaged file leaves the cache empty. */
  load(): CacheLoadResult {
    this.entries.clear();
    this.used.clear();
    this.dirty = false;
    this.loadedEntries = 0;
    this.loadedBytes = 0;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.file);
    } catch (e) {
      return { ok: false, reason: `not read: ${message(e)}` };
    }
    try {
      if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { ok: false, reason: 'not a facts cache' };
      const headerLength = bytes.readUInt32LE(MAGIC.length);
      const headerEnd = MAGIC.length + 4 + headerLength;
      if (headerEnd > bytes.length) return { ok: false, reason: 'truncated' };
      const header = JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd).toString('utf8')) as Partial<Header>;
      if (header.format !== 'readiness-facts' || header.formatVersion !== FORMAT_VERSION) return { ok: false, reason: 'another cache format' };
      if (header.extractorVersion !== EXTRACTOR_VERSION || header.version !== this.version) return { ok: false, reason: 'written by another version' };
      const payload = bytes.subarray(headerEnd);
      if (createHash('sha1').update(payload).digest('hex') !== header.sha1) return { ok: false, reason: 'checksum mismatch' };
      const data: unknown = v8.deserialize(payload);
      if (!Array.isArray(data) || data.length !== header.entries) return { ok: false, reason: 'damaged' };
      for (const entry of data as unknown[]) {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || !isFacts(entry[1])) {
          this.entries.clear();
          return { ok: false, reason: 'damaged' };
        }
        this.entries.set(entry[0], entry[1]);
      }
      this.loadedEntries = this.entries.size;
      this.loadedBytes = bytes.length;
      return { ok: true, entries: this.entries.size };
    } catch (e) {
      this.entries.clear();
      return { ok: false, reason: `damaged: ${message(e)}` };
    }
  }

  /**
   * Writes the cache file atomically (a temporary file renamed over it). Keeps the entries
   * used since load() — looked up or stored — so that files that changed or went away do
   * not accumulate; `keepUnused` keeps the rest too. At most `maxEntries`, most recent first.
   * The directory gets a `.gitignore` of `*`: cached facts may hold file contents.
   */
  save(options: { keepUnused?: boolean } = {}): CacheSaveResult {
    const keep: [string, FileFacts][] = [];
    const all = [...this.entries];
    for (let i = all.length - 1; i >= 0 && keep.length < this.maxEntries; i--) {
      const [key] = all[i]!;
      if (options.keepUnused || this.used.has(key)) keep.push(all[i]!);
    }
    keep.reverse();
    // Nothing stored and nothing dropped: the file already says exactly this (recency order aside, which only matters once it overflows).
    if (!this.dirty && this.loadedEntries > 0 && keep.length === this.loadedEntries && fs.existsSync(this.file)) {
      return { ok: true, entries: keep.length, bytes: this.loadedBytes, unchanged: true };
    }
    let tmp: string | undefined;
    try {
      const payload = v8.serialize(keep);
      const header: Header = { format: 'readiness-facts', formatVersion: FORMAT_VERSION, extractorVersion: EXTRACTOR_VERSION, version: this.version, entries: keep.length, sha1: createHash('sha1').update(payload).digest('hex') };
      const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(headerBytes.length);
      // Owner-only: cached facts may hold parts of the files (values, secrets' masked forms).
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const gitignore = path.join(this.dir, '.gitignore');
      if (!fs.existsSync(gitignore)) fs.writeFileSync(gitignore, '# Written by readiness: cached facts stay out of version control.\n*\n');
      tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      fs.writeFileSync(tmp, Buffer.concat([MAGIC, length, headerBytes, payload]), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
      tmp = undefined;
      this.dirty = false;
      this.loadedEntries = keep.length;
      this.loadedBytes = MAGIC.length + 4 + headerBytes.length + payload.length;
      return { ok: true, entries: keep.length, bytes: MAGIC.length + 4 + headerBytes.length + payload.length };
    } catch (e) {
      return { ok: false, reason: message(e) };
    } finally {
      if (tmp !== undefined) {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          // Nothing more to do: the next save writes a new temporary file.
        }
      }
    }
  }
}
