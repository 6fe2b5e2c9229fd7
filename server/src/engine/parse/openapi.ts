// OpenAPI/Swagger documents: a YAML or JSON file whose top level has an `openapi:` (3.x) or
// `swagger:` (2.0) key. YAML files are read from their YAML facts (the sniff below decides
// that they are parsed at all); JSON files are parsed with JSON.parse after a textual sniff.
import type { ParseError, Span, YamlDoc } from '../types';

export interface OpenApiFacts {
  key: 'openapi' | 'swagger';
  version: string;
  /** The key's span. */
  span: Span;
  title?: string;
}

/** A top-level `openapi:`/`swagger:` key at the start of a line (YAML); horizontal space only, so linear. */
const YAML_SNIFF = /^["']?(openapi|swagger)["']?[ \t]*:/m;
const JSON_SNIFF = /"(openapi|swagger)"[ \t\r\n]*:/;
/** JSON documents larger than this are not parsed for the sniff. */
const MAX_JSON = 5_000_000;

export function mayBeOpenApiYaml(text: string): boolean {
  return YAML_SNIFF.test(text);
}

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

export function openApiFromYaml(docs: readonly YamlDoc[]): OpenApiFacts | undefined {
  const doc = docs[0];
  const v = doc?.value;
  if (!doc || typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const obj = v as Record<string, unknown>;
  for (const key of ['openapi', 'swagger'] as const) {
    const version = scalar(obj[key]);
    if (version === undefined) continue;
    const s = doc.spans[`/${key}`];
    const info = obj.info as Record<string, unknown> | undefined;
    return { key, version, span: s?.k ? { start: s.k[0], end: s.k[1] } : { start: 0, end: 0 }, ...(scalar(info?.title) ? { title: scalar(info?.title) } : {}) };
  }
  return undefined;
}

export function openApiFromJson(text: string): { facts?: OpenApiFacts; errors: ParseError[] } {
  const head = text.slice(0, 4000);
  if (!JSON_SNIFF.test(head) || text.length > MAX_JSON) return { errors: [] };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { errors: [{ message: `OpenAPI JSON: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { errors: [] };
  const obj = v as Record<string, unknown>;
  for (const key of ['openapi', 'swagger'] as const) {
    const version = scalar(obj[key]);
    if (version === undefined) continue;
    // The first occurrence in the head is the top-level key in any ordinary document.
    const m = new RegExp(`"${key}"`).exec(text);
    const start = m ? m.index : 0;
    const info = obj.info as Record<string, unknown> | undefined;
    return { facts: { key, version, span: { start, end: m ? start + key.length + 2 : 0 }, ...(scalar(info?.title) ? { title: scalar(info?.title) } : {}) }, errors: [] };
  }
  return { errors: [] };
}
