// Terraform (.tf) → the few facts the data rules read: managed-database and backup
// resources with their attributes (nested blocks as dotted paths) and the attributes' spans.
//
// A careful line-level scan, not a full HCL parser. The one well-known HCL→JSON package on
// npm (@cdktf/hcl2json) is a Go program compiled to WebAssembly with an async-only API,
// gives no source positions, and belongs to CDKTF, which is no longer maintained; fact
// extraction here is synchronous and needs positions. The scan understands what the rules
// need: `resource "TYPE" "NAME" {` blocks, `key = value` attributes, nested blocks
// (`backup_configuration { … }`, one-line blocks too), `#`, `//` and `/* */` comments,
// strings (braces inside them do not count) and heredocs (skipped). Expressions are kept as
// written (`var.retention`), not evaluated. Only resources whose type matters are kept.
import type { ParseError } from '../types';

/** Attributes the rules read (engine, versions, anything about backups, retention, snapshots); others are not kept. */
export interface TfAttr {
  /** Dotted path inside the resource: `backup_retention_period`, `settings.backup_configuration.enabled`. */
  path: string;
  /** The value as written on its line, trimmed (at most 200 characters). */
  value: string;
  span: [number, number];
}

export interface TfResource {
  type: string;
  name: string;
  /** The `resource "TYPE" "NAME"` header. */
  span: [number, number];
  attrs: TfAttr[];
  /** Dotted paths of nested blocks (`point_in_time_recovery`). */
  blocks: string[];
}

export interface TerraformFacts {
  resources: TfResource[];
}

/** Resource types the data rules read: managed databases, caches and backup services. */
export const TF_TYPES = /^(aws_db_instance|aws_rds_cluster|aws_docdb_cluster|aws_neptune_cluster|aws_dynamodb_table|aws_elasticache_\w+|aws_memorydb_cluster|aws_backup_\w+|aws_redshift_cluster|google_sql_database_instance|google_alloydb_cluster|google_spanner_\w+|google_firestore_\w+|google_redis_instance|azurerm_(postgresql|mysql|mariadb|mssql|cosmosdb|sql|redis)\w*|azurerm_backup_\w+|azurerm_data_protection_\w+|mongodbatlas_(cluster|advanced_cluster|cloud_backup_schedule)|digitalocean_database_cluster|scaleway_rdb_instance|ovh_cloud_project_database|oci_database_\w+|oci_mysql_\w+)$/;
const PREFILTER = /resource\s+"(aws_|google_|azurerm_|mongodbatlas_|digitalocean_database|scaleway_rdb|ovh_cloud_project_database|oci_)/;
const MAX_RESOURCES = 500;
/** Facts are cached on disk: only attributes the rules read keep their values (never `password = "…"`). */
const KEPT_PATH = /(^|\.)(engine|database_version)$|backup|retention|point_in_time|snapshot/;
const SECRET_KEY = /pass|secret|token|key|credential/i;

export function keepsAttr(path: string): boolean {
  const last = path.slice(path.lastIndexOf('.') + 1);
  return KEPT_PATH.test(path) && !SECRET_KEY.test(last);
}
const MAX_ATTRS = 300;

/** Removes comments and string contents' braces; returns the code part of a line and whether a block comment is still open. */
function codeOf(line: string, inComment: boolean): { code: string; inComment: boolean } {
  let out = '';
  let i = 0;
  let comment = inComment;
  let quote = false;
  while (i < line.length) {
    const c = line[i]!;
    if (comment) {
      if (c === '*' && line[i + 1] === '/') {
        comment = false;
        i += 2;
        out += '  ';
        continue;
      }
      out += ' ';
      i++;
      continue;
    }
    if (quote) {
      if (c === '\\') {
        out += '__';
        i += 2;
        continue;
      }
      if (c === '"') quote = false;
      out += c === '"' ? c : c === '{' || c === '}' ? '_' : c;
      i++;
      continue;
    }
    if (c === '"') {
      quote = true;
      out += c;
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && line[i + 1] === '/')) break;
    if (c === '/' && line[i + 1] === '*') {
      comment = true;
      out += '  ';
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return { code: out, inComment: comment };
}

interface Frame {
  name: string;
  /** Brace depth inside the frame. */
  depth: number;
}

export function terraformFacts(text: string): { facts?: TerraformFacts; errors: ParseError[] } {
  if (!PREFILTER.test(text)) return { errors: [] };
  const resources: TfResource[] = [];
  let current: TfResource | undefined;
  let depth = 0; // brace depth in the file
  let resourceDepth = 0;
  let stack: Frame[] = [];
  let inComment = false;
  let heredoc: string | undefined;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const raw = text.slice(pos, nl).replace(/\r$/, '');
    const lineStart = pos;
    pos = nl + 1;
    if (heredoc !== undefined) {
      if (raw.trim() === heredoc) heredoc = undefined;
      if (nl >= text.length) break;
      continue;
    }
    const r = codeOf(raw, inComment);
    inComment = r.inComment;
    const code = r.code;
    const hd = /<<-?\s*([A-Za-z_]\w*)\s*$/.exec(code);
    if (hd) heredoc = hd[1];
    const header = /^\s*resource\s+"([\w-]+)"\s+"([\w-]+)"\s*\{/.exec(code);
    if (header && depth === 0) {
      current = TF_TYPES.test(header[1]!) && resources.length < MAX_RESOURCES ? { type: header[1]!, name: header[2]!, span: [lineStart + code.indexOf('resource'), lineStart + header[0].lastIndexOf('"') + 1], attrs: [], blocks: [] } : undefined;
      if (current) resources.push(current);
      resourceDepth = 1;
      stack = [];
      depth += count(code, '{') - count(code, '}');
      // A one-line resource closes at once.
      if (depth === 0) current = undefined;
      else if (current) scanInline(raw, code, code.indexOf('{') + 1, lineStart, current, stack);
      continue;
    }
    const opens = count(code, '{');
    const closes = count(code, '}');
    if (current && depth >= resourceDepth) {
      const prefix = stack.map((f) => f.name).join('.');
      const attr = /^(\s*)([A-Za-z_][\w-]*)\s*=\s*(.*?)\s*$/.exec(code);
      const block = /^(\s*)([A-Za-z_][\w-]*)((?:\s+"[^"]*")*)\s*\{(.*)$/.exec(code);
      if (attr && !attr[3]!.startsWith('=')) {
        const key = attr[2]!;
        const path = prefix ? `${prefix}.${key}` : key;
        const eq = code.indexOf('=', attr[1]!.length + key.length);
        const vStart = attr[3] ? code.indexOf(attr[3], eq + 1) : eq + 1;
        const value = raw.slice(vStart, vStart + attr[3]!.length);
        if (current.attrs.length < MAX_ATTRS && keepsAttr(path)) current.attrs.push({ path, value: value.slice(0, 200), span: [lineStart + vStart, lineStart + vStart + value.length] });
        if (opens > closes) stack.push({ name: key, depth: depth + 1 });
      } else if (block) {
        const name = block[2]!;
        const path = prefix ? `${prefix}.${name}` : name;
        if (current.blocks.length < MAX_ATTRS) current.blocks.push(path);
        scanInline(raw, code, code.indexOf('{') + 1, lineStart, current, [...stack, { name, depth: depth + 1 }]);
        if (opens > closes) stack.push({ name, depth: depth + 1 });
      }
    }
    depth += opens - closes;
    if (depth < 0) depth = 0;
    while (stack.length > 0 && depth < stack[stack.length - 1]!.depth) stack.pop();
    if (current && depth < resourceDepth) current = undefined;
    if (nl >= text.length) break;
  }
  return { facts: { resources }, errors: [] };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Attributes of a one-line block body: `{ enabled = true }` (matched on the code, values read from the line). */
function scanInline(raw: string, code: string, from: number, lineStart: number, res: TfResource, stack: readonly Frame[]): void {
  const prefix = stack.map((f) => f.name).join('.');
  const re = /([A-Za-z_][\w-]*)\s*=\s*("[^"]*"|[^\s}]+)/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) && res.attrs.length < MAX_ATTRS) {
    if (!keepsAttr(prefix ? `${prefix}.${m[1]}` : m[1]!)) continue;
    const vs = m.index + m[0].length - m[2]!.length;
    res.attrs.push({ path: prefix ? `${prefix}.${m[1]}` : m[1]!, value: raw.slice(vs, vs + m[2]!.length), span: [lineStart + vs, lineStart + vs + m[2]!.length] });
  }
}
