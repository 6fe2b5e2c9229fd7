// YAML → plain facts: each document's value plus the span of every node by JSON pointer.
// Parsing uses the `yaml` library; nothing here is a hand-written YAML reader.
//
// Hostile input is bounded before the library's recursive or quadratic parts run:
// - nesting: the concrete syntax tree (built without recursion) is measured first, and a
//   document nested deeper than MAX_DEPTH is refused before composition, which recurses
//   (a stack overflow there is not reliably recoverable);
// - aliases: recursive aliases are refused, the number of aliases is capped (the library
//   resolves each alias by a scan over the document's anchors and aliases), and the size a
//   document has once every alias is expanded is capped (a "billion laughs" file is tiny
//   but expands exponentially; the library's own maxAliasCount counts uses, not size, and
//   costs a scan of the whole document per anchor);
// - duplicate keys are found here in linear time (the library's check is quadratic in the
//   number of keys of a map).
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type Document, type Node } from 'yaml';
import type { NodeSpan, ParseError, YamlDoc, YamlFacts } from '../types';

/** Deepest collection nesting parsed; real configuration stays far below it. */
export const MAX_DEPTH = 128;
/** Most alias nodes in one document. */
export const MAX_ALIASES = 10_000;
/** Aliases may grow a document to this many times its own node count (plus EXPANSION_SLACK). */
export const MAX_EXPANSION = 10;
export const EXPANSION_SLACK = 10_000;
/** Parse errors reported per file before the rest are summarised in one entry. */
export const MAX_ERRORS = 20;

const OPTIONS = { merge: true, prettyErrors: false, keepSourceTokens: false, uniqueKeys: false } as const;

/** Input the parser refuses to compose; `offset` is where the limit was crossed. */
export class YamlLimitError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'YamlLimitError';
  }
}

interface CstLike {
  type?: string;
  offset?: number;
  items?: unknown[];
  key?: unknown;
  value?: unknown;
}

/** The deepest collection nesting of a concrete syntax tree, and where it first goes too deep. */
function tooDeep(tokens: readonly unknown[]): number | undefined {
  const stack: [unknown, number][] = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token || typeof token !== 'object') continue;
    const t = token as CstLike;
    const d = t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection' ? depth + 1 : depth;
    if (d > MAX_DEPTH) return t.offset ?? 0;
    if (t.key && typeof t.key === 'object') stack.push([t.key, d]);
    if (t.value && typeof t.value === 'object') stack.push([t.value, d]);
    if (Array.isArray(t.items)) for (const item of t.items) stack.push([item, d]);
  }
  return undefined;
}

/**
 * Parses every document of a YAML stream (merge keys on). Throws YamlLimitError when the
 * nesting is too deep to compose safely; other problems are in each document's `errors`.
 */
export function parseYamlDocuments(text: string): Document.Parsed[] {
  const tokens = Array.from(new Parser().parse(text));
  const deep = tooDeep(tokens);
  if (deep !== undefined) throw new YamlLimitError(`nesting deeper than ${MAX_DEPTH} levels`, deep);
  return Array.from(new Composer(OPTIONS).compose(tokens)) as Document.Parsed[];
}

export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + escapePointer(s)).join('');
}

function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

interface Problem {
  message: string;
  offset: number;
}

/**
 * One pass over a composed document, in the order the library resolves aliases: counts
 * nodes and aliases, sizes the alias expansion, and finds recursive aliases and duplicate
 * keys. Returns the first problem, if any.
 */
export function inspectDocument(doc: Document.Parsed): Problem | undefined {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let nodes = 0;
  let aliases = 0;
  let problem: Problem | undefined;

  const at = (node: unknown): number => ((node as Node | null)?.range?.[0] ?? 0);

  // Recursion is bounded: the document's nesting was measured before composition.
  const size = (node: unknown): number => {
    if (problem || node === null || node === undefined) return 0;
    if (isAlias(node)) {
      aliases++;
      nodes++;
      if (aliases > MAX_ALIASES) {
        problem = { message: `more than ${MAX_ALIASES} aliases`, offset: at(node) };
        return 0;
      }
      const target = anchors.get(node.source);
      if (!target) return 1; // reported by the library as an unresolved alias
      if (open.has(target)) {
        problem = { message: `recursive alias *${node.source}`, offset: at(node) };
        return 0;
      }
      return sizes.get(target) ?? 1;
    }
    nodes++;
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    let total = 1;
    if (isMap(n) || isSeq(n)) {
      open.add(n);
      const seen = isMap(n) ? new Set<unknown>() : undefined;
      for (const item of n.items) {
        if (isPair(item)) {
          if (seen && isScalar(item.key) && item.key.value !== '<<') {
            const k = item.key.value;
            if (seen.has(k)) problem ??= { message: 'Map keys must be unique', offset: at(item.key) };
            seen.add(k);
          }
          total += size(item.key) + size(item.value);
        } else {
          total += size(item);
        }
      }
      open.delete(n);
    }
    sizes.set(n, total);
    return total;
  };

  const total = size(doc.contents);
  if (problem) return problem;
  const limit = nodes * MAX_EXPANSION + EXPANSION_SLACK;
  if (total > limit) return { message: `aliases expand the document to more than ${limit} nodes (an alias bomb?)`, offset: doc.range[0] };
  return undefined;
}

function walk(node: Node | null | undefined, ptr: string, spans: Record<string, NodeSpan>): void {
  if (!node) return;
  const r = node.range;
  if (r) spans[ptr] = { ...(spans[ptr] ?? {}), v: [r[0], r[1]], ...(node.anchor ? { a: true as const } : {}) };
  if (isAlias(node)) return;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = keyString(item.key);
      const childPtr = ptr + '/' + escapePointer(k);
      const keyNode = item.key as Node | null;
      const valueNode = item.value as Node | null;
      if (keyNode && keyNode.range) spans[childPtr] = { v: [keyNode.range[1], keyNode.range[1]], k: [keyNode.range[0], keyNode.range[1]] };
      if (valueNode) walk(valueNode, childPtr, spans);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(item as Node, ptr + '/' + i, spans));
  }
}

/**
 * The documents of the texts parsed last, kept to be reused when the same file is parsed
 * again (the editor parses a file on every keystroke; a keystroke changes one document).
 * Keyed by a document's source text, from its `---` line to the next: the library starts a
 * document at every `---` at the start of a line, whatever the context (a quoted or block
 * scalar there ends first), and each document parses on its own (anchors, tags, keys), so a
 * document's facts depend on its text alone, and on where it sits (offsets, index).
 */
export class YamlReuse {
  /** Per file key (the path): document text (and whether it was the last) → its facts where they were last. */
  private readonly files = new Map<string, Map<string, PartFacts>>();

  constructor(private readonly maxFiles = 8) {}

  /** What `key`'s last parse kept (empty for a new key). */
  take(key: string): Map<string, PartFacts> {
    const parts = this.files.get(key) ?? new Map<string, PartFacts>();
    this.files.delete(key);
    return parts;
  }

  /** Keeps `key`'s parts of this parse (the most recent files only). */
  keep(key: string, parts: Map<string, PartFacts>): void {
    this.files.set(key, parts);
    while (this.files.size > this.maxFiles) this.files.delete(this.files.keys().next().value!);
  }
}

/** One part's documents (index from the part's first document, offsets from the file's start with the part at `base`). */
interface PartFacts {
  base: number;
  docs: YamlDoc[];
  /** Documents the library parsed in the part, those without facts (empty ones) included. */
  count: number;
}

/** Lines (after a line feed: a lone carriage return does not start one) holding a document start marker: `---`, then a space, a tab or the line's end. */
const DOC_START = /\n---(?=[ \t\n]|\r\n|$)/g;
/** Directives and document end markers change how the next document parses: such texts are parsed whole. */
const NOT_SPLIT = /^\uFEFF?(?:%|\.\.\.(?=[ \t\r\n]|$))/m;

/** Where the text splits into independently parsed parts: 0, then each `---` line's start. */
function partStarts(text: string): number[] | undefined {
  if (NOT_SPLIT.test(text)) return undefined;
  const starts = [0];
  DOC_START.lastIndex = 0;
  for (let m = DOC_START.exec(text); m; m = DOC_START.exec(text)) starts.push(m.index + 1);
  return starts.length > 1 ? starts : undefined;
}

function shiftPair(p: [number, number], by: number): [number, number] {
  return [p[0] + by, p[1] + by];
}

/** A document moved by `by` characters (its spans copied). */
function moved(doc: YamlDoc, by: number): YamlDoc {
  const spans: Record<string, NodeSpan> = {};
  for (const ptr in doc.spans) {
    const s = doc.spans[ptr]!;
    spans[ptr] = { v: shiftPair(s.v, by), ...(s.k ? { k: shiftPair(s.k, by) } : {}), ...(s.a ? { a: true as const } : {}) };
  }
  return { index: doc.index, value: doc.value, spans, span: shiftPair(doc.span, by) };
}

/**
 * yamlFacts, reusing the documents of `key`'s last parse whose text is unchanged. The result
 * equals yamlFacts(text) (document values are shared between the two results, never
 * changed). Where that cannot be assured part by part — directives, `...` markers, a part
 * with errors, a part after the first that is not exactly one document — the text is parsed
 * whole.
 */
export function yamlFactsReusing(text: string, reuse: YamlReuse, key: string): { facts: YamlFacts; errors: ParseError[] } {
  const starts = partStarts(text);
  const before = reuse.take(key);
  if (!starts) return yamlFacts(text);
  const parts = new Map<string, PartFacts>();
  const docs: YamlDoc[] = [];
  let index = 0;
  for (let i = 0; i < starts.length; i++) {
    const base = starts[i]!;
    const last = i === starts.length - 1;
    const part = text.slice(base, last ? text.length : starts[i + 1]);
    // A document's end depends on what follows it (the library ends one before the next
    // `---` differently from at the end of the text): a part is parsed with the marker that
    // follows it, and kept under its text and whether it is the last.
    const key = (last ? 'last\u0000' : 'next\u0000') + part;
    let known = before.get(key) ?? parts.get(key);
    if (!known) {
      const r = parseFacts(last ? part : part + '---\n');
      const count = last ? r.count : r.count - 1;
      if (r.errors.length > 0 || (i > 0 && count !== 1)) return yamlFacts(text);
      // The marker's own document is empty: it has no facts.
      known = { base: 0, docs: r.facts.docs.filter((d) => d.index < count), count };
    }
    const from = known.base;
    const here = from === base ? known.docs : known.docs.map((d) => moved(d, base - from));
    parts.set(key, { base, docs: here, count: known.count });
    for (const d of here) docs.push({ ...d, index: index + d.index });
    index += known.count;
  }
  reuse.keep(key, parts);
  return { facts: { docs }, errors: [] };
}

export function yamlFacts(text: string): { facts: YamlFacts; errors: ParseError[] } {
  const { facts, errors } = parseFacts(text);
  return { facts, errors };
}

/** yamlFacts, and how many documents the library parsed (empty and failed ones included). */
function parseFacts(text: string): { facts: YamlFacts; errors: ParseError[]; count: number } {
  const errors: ParseError[] = [];
  const mayHoldNonJson = NON_JSON.test(text);
  const docs: YamlDoc[] = [];
  let dropped = 0;
  const report = (message: string, offset: number | undefined): void => {
    if (errors.length < MAX_ERRORS) errors.push({ message: `YAML: ${firstLine(message)}`, ...(offset !== undefined ? { offset } : {}) });
    else dropped++;
  };
  let parsed: Document.Parsed[];
  try {
    parsed = parseYamlDocuments(text);
  } catch (e) {
    report(describe(e), e instanceof YamlLimitError ? e.offset : undefined);
    return { facts: { docs }, errors, count: 0 };
  }
  for (const [index, doc] of parsed.entries()) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) report(err.message, err.pos[0]);
      continue;
    }
    const problem = inspectDocument(doc);
    if (problem) {
      report(problem.message, problem.offset);
      continue;
    }
    let value: unknown;
    const spans: Record<string, NodeSpan> = {};
    try {
      // Expansion is bounded by inspectDocument; the library's own count is not needed.
      value = doc.toJS({ maxAliasCount: -1 });
      if (value === null || value === undefined) continue;
      if (mayHoldNonJson) value = jsonData(value, new Map());
      walk(doc.contents as Node | null, '', spans);
    } catch (e) {
      report(describe(e), doc.range[0]);
      continue;
    }
    docs.push({ index, value, spans, span: [doc.range[0], doc.range[2]] });
  }
  if (dropped > 0) errors.push({ message: `YAML: ${dropped} more error${dropped === 1 ? '' : 's'} not shown` });
  return { facts: { docs }, errors, count: parsed.length };
}

/** Tags and scalars whose values are not JSON data (`!!binary`, `!!timestamp`, `!!set`, `!!omap`, `.nan`, `.inf`). */
const NON_JSON = /!!|\.(?:nan|inf)\b/i;

/**
 * Facts are cached as JSON: a tagged value becomes its JSON form (binary as base64, a
 * timestamp as ISO text, a set as a list, an ordered map as a map, `.nan`/`.inf` as their
 * YAML spelling). `seen` keeps aliased nodes shared, and the expansion was bounded before.
 */
function jsonData(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  if (v === null || typeof v !== 'object') return v;
  const known = seen.get(v);
  if (known !== undefined) return known;
  let out: unknown;
  if (v instanceof Uint8Array) out = Buffer.from(v).toString('base64');
  else if (v instanceof Date) out = Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  else if (Array.isArray(v) || v instanceof Set) {
    const list: unknown[] = [];
    seen.set(v, list);
    for (const x of v) list.push(jsonData(x, seen));
    out = list;
  } else {
    const obj: Record<string, unknown> = {};
    seen.set(v, obj);
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    for (const [k, x] of entries) obj[String(k)] = jsonData(x, seen);
    out = obj;
  }
  seen.set(v, out);
  return out;
}

function describe(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'too deeply nested to parse';
  return e instanceof Error ? e.message : String(e);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
