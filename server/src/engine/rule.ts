// The shape of a rule: data plus pure functions. A rule reads facts and reports; it never
// reads the disk, never parses, never knows who is asking (CLI or editor).
import type { Document } from 'yaml';
import type {
  ArtifactKind,
  Category,
  Evidence,
  Finding,
  ReportInit,
  Scope,
  ServiceInfo,
  Severity,
  SourceFile,
  Subject,
  TextEdit,
  VerdictInit,
} from './types';

export interface RuleMeta {
  /** `<domain>/<name>`, equal to the rule's path under `rules/`. */
  id: string;
  category: Category;
  /** 0–5; 0 never moves the score (meta rules). */
  weight: number;
  severity: Severity;
  scope: Scope;
  /** The doc page's title (the first heading of `rules/<id>.md`). */
  title: string;
  /** One line: what the rule decides. */
  summary: string;
  /**
   * Occurrence rules hunt for occurrences rather than inspect things: binary score,
   * 1 with no unsuppressed finding, 0 with any.
   */
  occurrence?: boolean;
  /** Files the rule reads; the engine skips the rule when the workspace has none. */
  appliesTo: ArtifactKind[];
  /** Words for the check summary: "2 of 4 containers set CPU and memory limits". */
  subjects: { singular: string; plural: string; passing: string };
  /** messageId → template with `{placeholders}` filled from the report's `data`. */
  messages: Record<string, string>;
  /** True when the rule offers at least one quick fix. */
  fixable?: boolean;
  /**
   * Specific rules this general rule yields to: where one of them reports on an
   * overlapping span of the same file, this rule's finding is dropped (one finding per span).
   */
  defersTo?: string[];
}

/** Settings from `.readiness.yaml` that rules may read. */
export interface RuleSettings {
  publicRoutes: string[];
  authGuards: string[];
}

export interface CheckContext {
  /** Every file of the root being checked, in path order. */
  readonly files: readonly SourceFile[];
  /** Files that have the given kind. */
  filesOf(kind: ArtifactKind): readonly SourceFile[];
  readonly settings: RuleSettings;
  /** The root's services (paths relative to the root), in root order. */
  readonly services: readonly ServiceInfo[];
  /** True when the walk found this path (relative to the root), including files skipped for their size or binary content (a large package-lock.json, bun.lockb). */
  exists(path: string): boolean;
  /** The service a file belongs to (the service whose root is the longest prefix of its path). */
  serviceOf(path: string): string | undefined;
  /** Location rules: one applicable thing inspected (a container, an Ingress, a Dockerfile). */
  subject(subject: Subject): void;
  /** Location rules: a failing subject (registers the subject too). */
  report(report: ReportInit): void;
  /** Workspace rules: the answer for one subject. */
  verdict(verdict: VerdictInit): void;
  /** Check-level evidence (what was looked for, what was found). */
  evidence(evidence: Evidence): void;
  /**
   * A value several rules of one run share (the route table, services' files): computed by
   * the first rule that asks, under `key`, and returned to the others. Use it, not a
   * module-level memo keyed by the file list: in the editor a rule that reuses a value is
   * re-run when what the value was computed from changes. The editor keeps the value for
   * later runs while what it read is unchanged, so `compute` reads only through the context
   * and its files, and nobody mutates the value.
   */
  shared<T>(key: string, compute: () => T): T;
}

export interface FixContext {
  /** The file's current text. */
  text(file: string): string;
  /** The file's YAML documents, parsed with the `yaml` library (CST-preserving). */
  yamlDocuments(file: string): Document.Parsed[];
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: CheckContext): void;
  /** Computes the edits of one offered fix (`kind` from the finding's `fixes`). */
  fix?(finding: Finding, kind: string, ctx: FixContext): TextEdit[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
