// Documentation facts as the docs/* rules read them: which files are which documents, and
// which headings and code blocks say how to run, deploy or operate the software.
import type { MarkdownCode, MarkdownHeading } from '../../server/src/engine/parse/markdown';
import type { SourceFile } from '../../server/src/engine/types';

/** Headings of run/deploy instructions. */
export const RUN_HEADING = /\b(?:install(?:ation|ing)?|usage|run(?:ning)?|getting[\s-]+started|quick[\s-]*start|set[\s-]*up|setup|deploy(?:ment|ing)?|develop(?:ment|ing)?|build(?:ing)?|local(?:ly)?|start(?:ing)?|how\s+to\s+(?:use|run|start))\b/i;
/** Headings of operational documentation inside a README. */
export const OPS_HEADING = /\b(?:runbooks?|operations?|operating|troubleshoot(?:ing)?|on[\s-]?call|incidents?|monitoring|alerts?|disaster\s+recovery|rollbacks?)\b/i;
export const DEPLOY_HEADING = /\bdeploy(?:ment|ing)?\b/i;

const SHELL_LANGS = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh', 'shell-session', 'shellsession', 'powershell', 'ps1', 'pwsh', 'cmd', 'bat', 'terminal', 'text']);
/** First words of commands that run, build or deploy something. */
const RUN_COMMAND = /^(?:\$\s*)?(?:sudo\s+)?(?:npm|npx|yarn|pnpm|bun|node|deno|pip\d?|pipx|python\d?(?:\.\d+)?|poetry|uv|uvicorn|gunicorn|flask|django-admin|docker(?:-compose)?|podman|kubectl|helm|kustomize|skaffold|terraform|make|go|mvn|\.\/mvnw|gradle|\.\/gradlew|cargo|dotnet|java|bundle|rails|php|composer|\.\/[\w.-]+|bash|sh)\b/;

/** A code block that shows a command to install, run, build or deploy. */
export function isRunBlock(code: MarkdownCode): boolean {
  return SHELL_LANGS.has(code.lang.toLowerCase()) && RUN_COMMAND.test(code.firstLine);
}

/** Headings of run/deploy sections (the document's title, its first level-1 heading, does not count). */
export function runHeadings(headings: readonly MarkdownHeading[]): MarkdownHeading[] {
  return headings.filter((h, i) => !(i === 0 && h.depth === 1) && RUN_HEADING.test(h.text));
}

function name(f: SourceFile): string {
  return f.path.slice(f.path.lastIndexOf('/') + 1);
}

const SECURITY_NAME = /^security(\.(md|markdown|rst|txt))?$/i;
/** SECURITY.md at the root, in .github/ or in docs/ (where GitHub looks for it). */
export function securityPolicies(files: readonly SourceFile[]): SourceFile[] {
  return files.filter((f) => SECURITY_NAME.test(name(f)) && (/^(\.github\/|docs\/)?[^/]+$/i.test(f.path)));
}

/** Operational documents by path: runbooks, operations and deployment guides, docs/ops. */
const OPS_FILE = /^(?:runbooks?|operations|ops|on-?call|oncall|deploy(?:ment|ing)?|troubleshooting|disaster-recovery)(?:[._-][\w.-]*)?\.(?:md|markdown|rst|txt|adoc)$/i;
const OPS_DIR = /(?:^|\/)(?:runbooks?|ops|operations|on-?call|playbooks)\//i;
const DOC_EXT = /\.(?:md|markdown|rst|txt|adoc)$/i;

export function operationalDocs(files: readonly SourceFile[]): SourceFile[] {
  return files.filter((f) => DOC_EXT.test(f.path) && (OPS_FILE.test(name(f)) || (OPS_DIR.test(f.path) && !/(?:^|\/)(?:node_modules|test|tests|fixtures)\//.test(f.path))));
}
