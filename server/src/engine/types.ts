// The engine's vocabulary. Plain data only: everything here can be cached, serialised
// and sent over any protocol. Nothing in the engine knows about editors.
import type { DebugFlag } from './parse/debug';
import type { EnvName } from './parse/env-names';
import type { ManifestFacts } from './parse/manifest';
import type { CiFacts } from './parse/ci';
import type { CodeFacts, ProcfileEntry } from './parse/code-facts';
import type { DockerfileFacts, DockerignoreFacts } from './parse/dockerfile';
import type { MarkdownFacts } from './parse/markdown';
import type { OpenApiFacts } from './parse/openapi';
import type { PyRouteFacts } from './parse/routes-py';
import type { RouteFactsTs } from './parse/routes-ts';
import type { SecretFacts } from './parse/secrets';
import type { TerraformFacts } from './parse/terraform';

export const CATEGORIES = ['security', 'resilience', 'observability', 'data', 'scalability', 'delivery', 'documentation'] as const;
export type Category = (typeof CATEGORIES)[number];

/** How categories are named in reports and in the editor. */
export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  security: 'Security',
  resilience: 'Resilience',
  observability: 'Observability',
  data: 'Data',
  scalability: 'Scalability',
  delivery: 'Delivery',
  documentation: 'Documentation',
};

export const DEFAULT_CATEGORY_WEIGHTS: Readonly<Record<Category, number>> = {
  security: 30,
  resilience: 15,
  observability: 15,
  data: 15,
  scalability: 10,
  delivery: 10,
  documentation: 5,
};

export type Severity = 'error' | 'warning' | 'info';
export type Level = Severity | 'off';
export type Scope = 'location' | 'workspace';
export type Status = 'pass' | 'partial' | 'fail' | 'not-applicable';

/** Half-open range of UTF-16 code-unit offsets into a file's decoded text. */
export interface Span {
  start: number;
  end: number;
}

/** 1-based line, 1-based column counted in UTF-16 code units. */
export interface Pos {
  line: number;
  column: number;
}

export interface Range {
  start: Pos;
  /** exclusive */
  end: Pos;
}

/** A text edit computed by the engine; the editor only applies it. */
export interface TextEdit {
  /** Path relative to the scan root, with `/` (the same form as findings' `file`). */
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  /** Safe fixes never change behaviour beyond the finding and join fix-all. */
  safe: boolean;
  edits: TextEdit[];
}

/** What a rule offers for a finding at check time; the edits are computed on demand. */
export interface FixOffer {
  title: string;
  safe: boolean;
  /** Rule-defined key passed back to `rule.fix` (e.g. "limits"). */
  kind: string;
}

/**
 * Artifact kinds, decided by name and a cheap content sniff, never by executing anything.
 * A file may have several (a `.yaml` with k8s documents is `yaml` and `k8s`).
 */
export type ArtifactKind =
  | 'yaml'
  | 'k8s'
  | 'kustomization'
  | 'helm-values'
  | 'compose'
  | 'dockerfile'
  | 'dockerignore'
  | 'ts'
  | 'js'
  | 'python'
  | 'ci'
  | 'package-manifest'
  | 'lockfile'
  | 'markdown'
  | 'dotenv'
  | 'json'
  | 'terraform'
  | 'readiness-config'
  | 'gitignore'
  | 'text';

/** Where a YAML node sits: `v` the value's span, `k` the key's span for map entries. */
export interface NodeSpan {
  v: [number, number];
  k?: [number, number];
  /** Set when the node carries an anchor (`&name`): aliases elsewhere share it. */
  a?: true;
}

/** One YAML document as plain data plus spans by JSON pointer ("" is the root, "/spec/replicas"). */
export interface YamlDoc {
  /** Position among all documents of the file as the `yaml` library parses them (empty ones included). */
  index: number;
  value: unknown;
  spans: Record<string, NodeSpan>;
  /** Span of the whole document in the file. */
  span: [number, number];
}

export interface YamlFacts {
  docs: YamlDoc[];
}

/** An inline suppression directive found in a file's comments. */
export interface Directive {
  kind: 'next-line' | 'line' | 'file';
  rules: string[];
  reason?: string;
  /** The comment's span, where meta findings point. */
  span: Span;
  /** 1-based line the directive applies to (next-line/line); 0 for file. */
  targetLine: number;
}

export interface ParseError {
  message: string;
  /** Offset into the text where the problem is, when known. */
  offset?: number;
}

/** Everything extracted from one file: plain data, cached by content hash. */
export interface FileFacts {
  kinds: ArtifactKind[];
  yaml?: YamlFacts;
  /** Dockerfiles: stages and the instructions rules read (shape in parse/dockerfile.ts). */
  dockerfile?: DockerfileFacts;
  /** .dockerignore files (and BuildKit's `<Dockerfile>.dockerignore`): their patterns. */
  dockerignore?: DockerignoreFacts;
  /** Secret candidates, env reads, secret stores, `.env` entries (shape in parse/secrets.ts); absent when none. */
  secrets?: SecretFacts;
  /** TS/JS files that may hold HTTP routes: imports/exports, apps/routers, routes, mounts, hooks, NestJS and Next.js facts (shape in parse/routes-ts.ts); absent when the pre-filter says no routes. */
  routesTs?: RouteFactsTs;
  /** Python files that may hold HTTP routes: imports, apps/routers, routes, mounts, guards (shape in parse/routes-py.ts); absent when the Python parser is not prepared. */
  routesPy?: PyRouteFacts;
  /** Debug switches left on in server code (shape in parse/debug.ts); absent when none. */
  debug?: DebugFlag[];
  /** Package manifests (package.json, requirements*.txt, pyproject.toml, Pipfile): dependencies with spans, scripts, workspaces (shape in parse/manifest.ts). */
  manifest?: ManifestFacts;
  /** `.env`-style files: their keys; READMEs: the upper-case names they mention (first span each; never values). */
  envNames?: EnvName[];
  /** Terraform files: managed-database and backup resources with their attributes (shape in parse/terraform.ts); absent when none. */
  terraform?: TerraformFacts;
  /** CI configuration (pipelines, Dependabot, Renovate incl. package.json's `renovate`): provider, jobs, steps with spans (shape in parse/ci.ts). */
  ci?: CiFacts;
  /** READMEs, SECURITY, runbook/operations/deployment docs and docs/ Markdown: headings, code blocks, prose (shape in parse/markdown.ts). */
  markdown?: MarkdownFacts;
  /** YAML/JSON files with a top-level `openapi:`/`swagger:` key. */
  openapi?: OpenApiFacts;
  /** TS/JS and Python files the code pre-filter picks: imports, outgoing HTTP calls, loggers, tracing/retry/breaker set-ups, signal handlers, where the service starts (shape in parse/code-facts.ts). */
  code?: CodeFacts;
  /** `Procfile`: its process lines. */
  procfile?: ProcfileEntry[];
  directives: Directive[];
  errors: ParseError[];
  /** Offsets where each line starts (index 0 = line 1). */
  lineStarts: number[];
}

export interface SourceFile {
  /** Root as given by the caller (used to prefix paths when several roots are scanned). */
  root: string;
  /** Path relative to the root, with `/`. */
  path: string;
  absPath: string;
  hash: string;
  size: number;
  facts: FileFacts;
}

export interface Evidence {
  file?: string;
  span?: Span;
  note: string;
}

export interface Subject {
  /** Stable identity within the rule, e.g. "deploy/api.yaml#Deployment/api/container/web". Feeds fingerprints. */
  key: string;
  file?: string;
  span?: Span;
  /** Rule ids exempted for this subject (k8s `readiness.dev/ignore`), with a reason. */
  exempt?: { rules: string[]; reason?: string };
  service?: string;
}

/** What a rule reports. */
export interface ReportInit {
  subject: Subject;
  messageId: string;
  data?: Record<string, string | number>;
  file: string;
  span: Span;
  fixes?: FixOffer[];
  /** Overrides the rule's severity for this finding (e.g. "example key" at info). */
  severity?: Severity;
  /** Rule-private plain data handed back to `fix`. */
  fixData?: unknown;
  /** Partial credit for this subject, 0 < credit < 1 (default 0: a failing subject). */
  credit?: number;
}

/** A workspace rule's answer for one subject (a service, the repository, a Deployment). */
export interface VerdictInit {
  subject: Subject;
  status: 'pass' | 'partial' | 'fail';
  evidence: Evidence[];
  /** Where a developer would act when the status is not pass. */
  report?: Omit<ReportInit, 'subject'>;
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  messageId: string;
  message: string;
  /** Path relative to its root, prefixed with the root when several roots are scanned. */
  file: string;
  root: string;
  span: Span;
  range: Range;
  subjectKey: string;
  fingerprint: string;
  service?: string;
  fixes: FixOffer[];
  fixData?: unknown;
}

export interface SuppressedFinding extends Finding {
  reason?: string;
  via: 'comment' | 'annotation' | 'config';
}

export interface Check {
  id: string;
  category: Category;
  weight: number;
  scope: Scope;
  status: Status;
  score: number | null;
  subjects: number;
  failing: number;
  summary: string;
  evidence: Evidence[];
}

export interface CategoryScore {
  /** 0–100 rounded, null when no check of the category applies. */
  score: number | null;
  weight: number;
  /** Enabled checks of the category. */
  checks: number;
  /** Enabled checks that had subjects. */
  applicable: number;
}

export interface ServiceInfo {
  name: string;
  root: string;
  kind: 'node' | 'python' | 'container' | 'other';
  entry?: string;
  /** The manifest that made the directory a service (package.json, pyproject.toml, requirements.txt, Dockerfile). */
  manifest?: string;
  /** Where a workspace rule's finding about this service points (DESIGN.md): the entry file's app creation or listen call, else the manifest's first line. */
  anchor?: { file: string; span: Span };
}

export interface ErrorEntry {
  file: string;
  line?: number;
  message: string;
}

export interface SkippedEntry {
  file: string;
  reason: string;
}

/** The engine's complete answer: the JSON report (CONTRACTS.md) is a projection of it. */
export interface ScanResult {
  roots: string[];
  overall: number | null;
  grade: string;
  categories: Record<Category, CategoryScore>;
  checks: Check[];
  findings: Finding[];
  suppressed: SuppressedFinding[];
  services: ServiceInfo[];
  errors: ErrorEntry[];
  skipped: SkippedEntry[];
  stats: { files: number; skipped: number; durationMs: number; notAnalysed: Record<string, number>; cacheHits: number };
  /** The files that were analysed, for fix computation and the editor (not part of the JSON output). */
  files: SourceFile[];
}
