// Facts are kept for as long as a scan (or an editor session) runs, one set per file: their
// strings are most of their memory. Strings cut from a file's text (identifiers, paths, YAML
// values) are views into that text in V8, so one kept name keeps the whole file's text; and
// the same short names (`router`, `req`, `item_id`) recur in thousands of files. This pass
// gives every fact string its own storage and one copy per distinct short string: on the
// 10,000-file benchmark the scan's peak memory drops by about a tenth.

/** Strings up to this long are shared between files; longer ones are only copied out of their file's text. */
const SHARED_MAX = 64;
/** Below this length V8 copies a cut string anyway. */
const VIEW_MIN = 13;
/** The table of shared strings starts over past this many (an editor session sees new names with every keystroke). */
const TABLE_MAX = 100_000;

let table = new Map<string, string>();

/** `s` with storage of its own (never a view into a bigger string). */
function ownCopy(s: string): string {
  return s.length >= VIEW_MIN ? (' ' + s).slice(1) : s;
}

function compactString(s: string): string {
  if (s.length > SHARED_MAX) return ownCopy(s);
  const known = table.get(s);
  if (known !== undefined) return known;
  const own = ownCopy(s);
  if (table.size >= TABLE_MAX) table = new Map();
  table.set(own, own);
  return own;
}

/**
 * Replaces, in place, every string in a plain JSON-like value (objects, arrays) by an equal
 * one that holds no other text alive and is shared with equal short strings. Returns the value.
 */
export function compactStrings<T>(value: T): T {
  return compact(value) as T;
}

function compact(v: unknown): unknown {
  if (typeof v === 'string') return compactString(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    // Arrays that start with a number (line starts, spans) are taken to hold numbers only: a
    // mixed one (a YAML list) keeps its strings as they are, which costs memory, nothing else.
    if (v.length > 0 && typeof v[0] === 'number') return v;
    for (let i = 0; i < v.length; i++) v[i] = compact(v[i]);
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (x !== null && (typeof x === 'string' || typeof x === 'object')) o[k] = compact(x);
  }
  return o;
}
