// SARIF 2.1.0 for code scanning: one run, the catalogue as rules, findings and suppressed
// findings as results (the latter with `suppressions`), relative URIs under %SRCROOT%.
import { pathToFileURL } from 'node:url';
import type { ScanOutcome } from '../../engine/index';
import type { Rule } from '../../engine/rule';
import type { Finding, Severity, SuppressedFinding } from '../../engine/types';
import { ruleDocUrl, TOOL, type ToolInfo } from '../tool';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'readiness/v1';
const SRCROOT = '%SRCROOT%';

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'info' ? 'note' : severity;
}

/** GitHub code scanning ranks security alerts by this score (0.1–10, as a string). */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { error: '8.0', warning: '5.0', info: '2.0' };

export interface SarifOptions {
  /** Absolute directory the relative URIs resolve against; becomes `originalUriBaseIds['%SRCROOT%']`. */
  srcRoot?: string;
  tool?: ToolInfo;
}

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function relativeUri(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolutePath(file)) return { uri: pathToFileURL(file).href };
  return { uri: relativeUri(file), uriBaseId: SRCROOT };
}

function ruleDescriptor(rule: Rule, tool: ToolInfo): Record<string, unknown> {
  const m = rule.meta;
  const domain = m.id.includes('/') ? m.id.slice(0, m.id.indexOf('/')) : m.id;
  const tags = [...new Set([m.category, domain])];
  const properties: Record<string, unknown> = { category: m.category, tags, weight: m.weight, scope: m.scope };
  if (m.category === 'security') properties['security-severity'] = SECURITY_SEVERITY[m.severity];
  return {
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: sentence(m.summary) },
    helpUri: ruleDocUrl(m.id, tool),
    help: { text: `${sentence(m.summary)} See ${ruleDocUrl(m.id, tool)}`, markdown: `${sentence(m.summary)} [Rule documentation](${ruleDocUrl(m.id, tool)})` },
    defaultConfiguration: { level: sarifLevel(m.severity) },
    properties,
  };
}

function result(f: Finding | SuppressedFinding, ruleIndex: Map<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = { ruleId: f.ruleId };
  const index = ruleIndex.get(f.ruleId);
  if (index !== undefined) out.ruleIndex = index;
  out.level = sarifLevel(f.severity);
  out.message = { text: f.message };
  out.locations = [
    {
      physicalLocation: {
        artifactLocation: artifactLocation(f.file),
        region: { startLine: f.range.start.line, startColumn: f.range.start.column, endLine: f.range.end.line, endColumn: f.range.end.column },
      },
    },
  ];
  out.partialFingerprints = { [FINGERPRINT_KEY]: f.fingerprint };
  if ('via' in f) {
    const suppression: Record<string, unknown> = { kind: f.via === 'config' ? 'external' : 'inSource' };
    if (f.reason !== undefined) suppression.justification = f.reason;
    out.suppressions = [suppression];
  }
  const properties: Record<string, unknown> = { category: f.category };
  if (f.service !== undefined) properties.service = f.service;
  out.properties = properties;
  return out;
}

export function toSarif(outcome: ScanOutcome, rules: readonly Rule[], opts: SarifOptions = {}): Record<string, unknown> {
  const tool = opts.tool ?? TOOL;
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const results = [...outcome.findings.map((f) => result(f, ruleIndex)), ...outcome.suppressed.map((f) => result(f, ruleIndex))];
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: tool.name,
        version: tool.version,
        semanticVersion: tool.version,
        ...(tool.repositoryUrl ? { informationUri: tool.repositoryUrl } : {}),
        rules: rules.map((r) => ruleDescriptor(r, tool)),
      },
    },
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: outcome.errors.map((e) => ({
          level: 'error',
          message: { text: e.message },
          locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.file), ...(e.line !== undefined && e.line > 0 ? { region: { startLine: e.line } } : {}) } }],
        })),
      },
    ],
  };
  if (opts.srcRoot) {
    let uri = pathToFileURL(opts.srcRoot).href;
    if (!uri.endsWith('/')) uri += '/';
    run.originalUriBaseIds = { [SRCROOT]: { uri } };
  }
  run.results = results;
  run.columnKind = 'utf16CodeUnits';
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export function formatSarif(outcome: ScanOutcome, rules: readonly Rule[], opts: SarifOptions = {}): string {
  return JSON.stringify(toSarif(outcome, rules, opts), null, 2) + '\n';
}
