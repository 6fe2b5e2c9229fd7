// docker/dockerignore: each Dockerfile's build context (taken to be the Dockerfile's
// directory) has a .dockerignore — or BuildKit's `<Dockerfile>.dockerignore` beside the
// Dockerfile, which takes precedence — that keeps out `.git`, `.env`, and the dependency
// directories of the context's stack: `node_modules` where a package.json is, a
// virtualenv (`.venv` or `venv`) where a Python manifest is. Patterns are matched the way
// Docker matches them: anchored at the context root, `**` across directories, a pattern
// matching a parent directory excluding its contents, `!` re-including, the last match winning.
import picomatch from 'picomatch';
import { defineRule } from '../../server/src/engine/rule';
import { dockerignoreFacts } from '../../server/src/engine/parse/dockerfile';
import type { Evidence, SourceFile, TextEdit } from '../../server/src/engine/types';
import { dockerfiles, lineEnding } from '../lib/dockerfile';

const PYTHON_MANIFESTS = ['pyproject.toml', 'requirements.txt', 'setup.py', 'setup.cfg', 'Pipfile'];

interface Requirement {
  /** What the message calls it. */
  label: string;
  /** Paths (relative to the context) of which one must be excluded; a trailing `/` means the directory's contents. */
  probes: string[];
  /** Lines the fix adds. */
  lines: string[];
}

const GIT: Requirement = { label: '.git', probes: ['.git/'], lines: ['.git'] };
const DOTENV: Requirement = { label: '.env', probes: ['.env'], lines: ['.env'] };
const NODE: Requirement = { label: 'node_modules', probes: ['node_modules/'], lines: ['node_modules'] };
const VENV: Requirement = { label: '.venv/venv', probes: ['.venv/', 'venv/'], lines: ['.venv', 'venv'] };

/** Docker's cleaning of a pattern: no leading `/` or `./`, no trailing `/`. */
function clean(pattern: string): string {
  let p = pattern.trim();
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  return p === '' ? '.' : p;
}

/** True when the path (a file, or with a trailing `/` some file inside the directory) is excluded. */
export function isExcluded(patterns: readonly string[], probe: string): boolean {
  const path = probe.endsWith('/') ? `${probe}probe` : probe;
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = clean(negated ? raw.slice(1) : raw);
    let matches: (s: string) => boolean;
    try {
      matches = picomatch(pattern, { dot: true });
    } catch {
      continue;
    }
    if (candidates.some((c) => matches(c))) excluded = !negated;
  }
  return excluded;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function inDir(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

interface FixData {
  ignoreFile: string;
  requirements: string[];
}

function isFixData(v: unknown): v is FixData {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Record<string, unknown>;
  return typeof d.ignoreFile === 'string' && Array.isArray(d.requirements) && d.requirements.every((r) => typeof r === 'string');
}

const BY_LABEL = new Map([GIT, DOTENV, NODE, VENV].map((r) => [r.label, r]));

function missingOf(patterns: readonly string[], requirements: readonly Requirement[]): Requirement[] {
  return requirements.filter((r) => !r.probes.some((p) => isExcluded(patterns, p)));
}

export default defineRule({
  meta: {
    id: 'docker/dockerignore',
    category: 'delivery',
    weight: 1,
    severity: 'info',
    scope: 'workspace',
    title: 'Build contexts have a .dockerignore',
    summary: 'a .dockerignore beside each build context excludes .git, dependency directories (node_modules, virtualenvs) and .env',
    appliesTo: ['dockerfile'],
    subjects: { singular: 'build context', plural: 'build contexts', passing: 'have a complete .dockerignore' },
    messages: {
      missing: "Build context '{context}' has no .dockerignore, so docker build sends {entries} along with the sources (slow builds, secrets in the image)",
      incomplete: "The .dockerignore of build context '{context}' ({file}) does not exclude {entries}",
    },
    fixable: true,
  },
  check(ctx) {
    const present = new Set(ctx.files.map((f) => f.path));
    const ignoreFiles = new Map<string, SourceFile>();
    for (const f of ctx.filesOf('dockerignore')) ignoreFiles.set(f.path, f);
    // Dockerfiles grouped by the ignore file that applies to them.
    const groups = new Map<string, { dir: string; ignore: string; dockerfiles: ReturnType<typeof dockerfiles> }>();
    for (const d of dockerfiles(ctx.filesOf('dockerfile'))) {
      const dir = dirOf(d.file.path);
      const own = `${d.file.path}.dockerignore`;
      const ignore = ignoreFiles.has(own) ? own : inDir(dir, '.dockerignore');
      const g = groups.get(ignore) ?? { dir, ignore, dockerfiles: [] };
      g.dockerfiles.push(d);
      groups.set(ignore, g);
    }
    for (const { dir, ignore, dockerfiles: dfs } of groups.values()) {
      const context = dir || '.';
      const requirements: Requirement[] = [GIT];
      if (present.has(inDir(dir, 'package.json'))) requirements.push(NODE);
      if (PYTHON_MANIFESTS.some((m) => present.has(inDir(dir, m)))) requirements.push(VENV);
      requirements.push(DOTENV);
      const first = dfs[0]!;
      const subject = { key: `${ignore}#build-context/${context}`, file: first.file.path, span: first.facts.stages[0]!.from.span };
      const file = ignoreFiles.get(ignore);
      const where = { file: first.file.path, span: first.facts.stages[0]!.from.span };
      const fixFor = (reqs: Requirement[]): { fixes: { title: string; safe: boolean; kind: string }[]; fixData: FixData } => ({
        fixes: [{ title: file ? `Add ${reqs.map((r) => r.lines.join(', ')).join(', ')} to ${ignore}` : `Create ${ignore}`, safe: false, kind: 'dockerignore' }],
        fixData: { ignoreFile: ignore, requirements: requirements.map((r) => r.label) },
      });
      if (!file) {
        const evidence: Evidence[] = [{ ...where, note: `looked for ${ignore}${dfs.map((d) => ` or ${d.file.path}.dockerignore`).join('')}; found none` }];
        ctx.verdict({
          subject,
          status: 'fail',
          evidence,
          report: { ...where, messageId: 'missing', data: { context, entries: requirements.map((r) => r.label).join(', ') }, ...fixFor(requirements) },
        });
        continue;
      }
      const patterns = file.facts.dockerignore?.patterns ?? [];
      const missing = missingOf(patterns, requirements);
      const covered = requirements.filter((r) => !missing.includes(r)).map((r) => r.label);
      if (missing.length === 0) {
        ctx.verdict({ subject, status: 'pass', evidence: [{ file: ignore, span: { start: 0, end: 0 }, note: `${ignore} excludes ${covered.join(', ')}` }] });
        continue;
      }
      const entries = missing.map((r) => r.label).join(', ');
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: [{ file: ignore, span: { start: 0, end: 0 }, note: `${ignore} ${covered.length ? `excludes ${covered.join(', ')} but ` : ''}does not exclude ${entries}` }],
        report: { ...where, messageId: 'incomplete', data: { context, file: ignore, entries }, ...fixFor(missing) },
      });
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'dockerignore' || !isFixData(finding.fixData)) return [];
    const { ignoreFile, requirements } = finding.fixData;
    let text: string | undefined;
    try {
      text = ctx.text(ignoreFile);
    } catch {
      text = undefined;
    }
    const reqs = requirements.map((l) => BY_LABEL.get(l)).filter((r): r is Requirement => r !== undefined);
    const missing = missingOf(text === undefined ? [] : dockerignoreFacts(text).patterns, reqs);
    if (missing.length === 0) return [];
    const lines = missing.flatMap((r) => r.lines);
    if (text === undefined || text === '') {
      return [{ file: ignoreFile, start: 0, end: 0, newText: lines.join('\n') + '\n' }];
    }
    const nl = lineEnding(text);
    const prefix = /[\r\n]$/.test(text) ? '' : nl;
    return [{ file: ignoreFile, start: text.length, end: text.length, newText: prefix + lines.join(nl) + nl }];
  },
});
