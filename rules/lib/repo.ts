// Helpers for repository-level workspace rules (CI, documentation): whether the root is a
// project at all, and where a finding about the repository points.
import type { CheckContext } from '../../server/src/engine/rule';
import type { ArtifactKind, SourceFile, Span } from '../../server/src/engine/types';

/** Kinds a repository rule must see to run at all (the engine's cheap gate); `isProject` decides. */
export const REPOSITORY_KINDS: ArtifactKind[] = ['ts', 'js', 'python', 'package-manifest', 'dockerfile', 'compose', 'k8s', 'terraform', 'ci', 'markdown', 'text', 'yaml', 'json'];

const PROJECT_KINDS: ReadonlySet<ArtifactKind> = new Set(['ts', 'js', 'python', 'package-manifest', 'dockerfile', 'compose', 'k8s', 'terraform', 'ci']);
/** Sources and manifests of languages no rule family reads yet: still a project. */
const OTHER_PROJECT = /\.(go|java|kt|rb|php|cs|rs|scala)$|(^|\/)(go\.mod|pom\.xml|build\.gradle(\.kts)?|Cargo\.toml|Gemfile|composer\.json)$/;

/** True when the root holds something buildable or deployable (code, a manifest, deploy or CI configuration). */
export function isProject(ctx: CheckContext): boolean {
  if (ctx.services.length > 0) return true;
  return ctx.files.some((f) => f.facts.kinds.some((k) => PROJECT_KINDS.has(k)) || OTHER_PROJECT.test(f.path));
}

const README = /^readme(\.(md|markdown|rst|txt))?$/i;
const ROOT_MANIFESTS = ['package.json', 'pyproject.toml', 'requirements.txt', 'setup.py', 'Pipfile', 'go.mod', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'Cargo.toml', 'Gemfile', 'composer.json'];

/** The root README (README.md first, then other spellings), if any. */
export function rootReadme(files: readonly SourceFile[]): SourceFile | undefined {
  const candidates = files.filter((f) => !f.path.includes('/') && README.test(f.path));
  return candidates.find((f) => /\.(md|markdown)$/i.test(f.path)) ?? candidates[0];
}

/**
 * The span of a file's first line, without its line break. A one-line file gets an empty span
 * at its start (its length in UTF-16 units is not in the facts). A CRLF file's span ends
 * before the `\n` and so keeps the `\r`, unless Markdown facts give the line's exact extent.
 */
export function firstLine(file: SourceFile): Span {
  const heading = file.facts.markdown?.headings[0];
  if (heading && heading.span.start === 0) return heading.span;
  const starts = file.facts.lineStarts;
  return { start: 0, end: starts.length > 1 ? Math.max(0, starts[1]! - 1) : 0 };
}

/**
 * Where a finding about the repository points (DESIGN.md: where a developer would act): the
 * root README's first line, else the root manifest's first line, else the first file at the
 * root, else the first file.
 */
export function repositoryAnchor(files: readonly SourceFile[]): { file: string; span: Span } | undefined {
  const readme = rootReadme(files);
  const manifest = ROOT_MANIFESTS.map((m) => files.find((f) => f.path === m)).find((f) => f !== undefined);
  const file = readme ?? manifest ?? files.find((f) => !f.path.includes('/')) ?? files[0];
  if (!file) return undefined;
  return { file: file.path, span: firstLine(file) };
}

/** Up to `max` items joined with commas, "and N more" after. */
export function listOf(items: readonly string[], max = 3): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, max).join(', ');
  return unique.length > max ? `${shown} and ${unique.length - max} more` : shown;
}
