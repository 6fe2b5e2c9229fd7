// secrets/dotenv-committed: a `.env`-style file with real values for secret-named keys is
// in the repository without being git-ignored. Discovery already skips git-ignored files,
// so a `.env` file that reaches this rule is not ignored (unless the config's `include`
// brought it back). Templates (`.env.example`, `.env.sample` …) are fine and expected.
import { defineRule } from '../../server/src/engine/rule';
import type { FixOffer, SourceFile, TextEdit } from '../../server/src/engine/types';
import { isObj } from '../lib/k8s';
import { isEnvTemplate, isTestPath } from '../lib/secret-files';

const GITIGNORE = '.gitignore';

interface FixData {
  /** The `.gitignore` line that ignores the file. */
  entry: string;
  /** Where a `.env.example` would go, when none exists beside the file. */
  example?: string;
}

function isFixData(v: unknown): v is FixData {
  return isObj(v) && typeof v.entry === 'string' && (v.example === undefined || typeof v.example === 'string');
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The line that ignores the file: its name for a file at the root (`.env` then ignores every
 * `.env` of the repository, as projects usually want), its path for a nested one
 * (`services/api/.env`, which git anchors at the root because it holds a slash).
 */
export function gitignoreEntry(path: string): string {
  return path.includes('/') ? path : nameOf(path);
}

/** A template beside the file already lists its keys. */
function hasTemplateBeside(file: SourceFile, dotenvFiles: readonly SourceFile[]): boolean {
  const dir = dirOf(file.path);
  return dotenvFiles.some((f) => f !== file && dirOf(f.path) === dir && isEnvTemplate(f.path));
}

function quoted(keys: readonly string[]): string {
  const first = `'${keys[0]}'`;
  return keys.length === 1 ? first : `${first} and ${keys.length - 1} more`;
}

/** `.env.example` text: the keys of the file, in order, with empty values. */
export function exampleText(envText: string): string {
  const keys: string[] = [];
  for (const line of envText.split(/\r?\n/)) {
    if (line.length > 4096) continue;
    const m = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=/.exec(line);
    if (m && !keys.includes(m[1]!)) keys.push(m[1]!);
  }
  return ['# Copy to .env and fill in the values; never commit the real ones.', ...keys.map((k) => `${k}=`), ''].join('\n');
}

export default defineRule({
  meta: {
    id: 'secrets/dotenv-committed',
    category: 'security',
    weight: 4,
    severity: 'error',
    scope: 'location',
    title: '.env files with real values are not committed',
    summary: '.env-style files with real values are git-ignored',
    occurrence: true,
    appliesTo: ['dotenv'],
    subjects: { singular: 'env file', plural: 'env files', passing: 'are git-ignored or hold no real values' },
    messages: {
      committed: "'{file}' holds real values ({keys}) and is not git-ignored; ignore it, remove it from the repository (git rm --cached) and rotate what it held",
    },
    fixable: true,
  },
  check(ctx) {
    const files = ctx.filesOf('dotenv');
    for (const file of files) {
      if (isEnvTemplate(file.path) || isTestPath(file.path)) continue;
      const real = (file.facts.secrets?.dotenv ?? []).filter((e) => e.real);
      if (real.length === 0) continue;
      const first = real[0]!;
      const span = { start: first.span[0], end: first.span[1] };
      const fixes: FixOffer[] = [{ title: `Add '${gitignoreEntry(file.path)}' to .gitignore`, safe: false, kind: 'gitignore' }];
      const data: FixData = { entry: gitignoreEntry(file.path) };
      if (!hasTemplateBeside(file, files)) {
        data.example = dirOf(file.path) ? `${dirOf(file.path)}/.env.example` : '.env.example';
        fixes.push({ title: `Create ${data.example} with the keys and empty values`, safe: true, kind: 'example' });
      }
      ctx.report({
        subject: { key: `${file.path}#dotenv`, file: file.path, span },
        messageId: 'committed',
        data: { file: nameOf(file.path), keys: quoted([...new Set(real.map((e) => e.key))]) },
        file: file.path,
        span,
        fixes,
        fixData: data,
      });
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (!isFixData(finding.fixData)) return [];
    const { entry, example } = finding.fixData;
    if (kind === 'gitignore') {
      let text: string | undefined;
      try {
        text = ctx.text(GITIGNORE);
      } catch {
        text = undefined;
      }
      if (text === undefined) return [{ file: GITIGNORE, start: 0, end: 0, newText: `${entry}\n` }];
      const lines = text.split(/\r?\n/).map((l) => l.trim());
      if (lines.includes(entry) || lines.includes(`/${entry}`)) return [];
      const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
      return [{ file: GITIGNORE, start: text.length, end: text.length, newText: `${sep}${entry}\n` }];
    }
    if (kind === 'example' && example) {
      try {
        ctx.text(example);
        return []; // it exists by now
      } catch {
        return [{ file: example, start: 0, end: 0, newText: exampleText(ctx.text(finding.file)) }];
      }
    }
    return [];
  },
});
