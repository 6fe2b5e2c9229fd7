// Workspace discovery: which files are scanned, which are skipped and why.
//
// - `.gitignore` files at every level, with git's semantics (nested files apply to their
//   subtree, later and deeper patterns win, a directory that is ignored is not entered),
//   plus the repository's `.git/info/exclude` and the `.gitignore` files between the
//   repository root and the scanned root. No git process is started.
// - Default excludes (`DEFAULT_EXCLUDED_DIRS`, and any directory holding a `pyvenv.cfg`)
//   apply even when nothing ignores them.
// - The config's `include` globs re-include what the default excludes or `.gitignore`
//   would drop; its `ignore` globs drop files whatever else says.
// - Helm chart templates (`templates/` beside a `Chart.yaml`), files over `maxFileSize`,
//   special files, unreadable directories, broken symlinks and symlink loops are reported
//   in `skipped` with a reason; quietly excluded paths (node_modules, ignored files) are not.
// - Symlinks whose target lies inside the root are followed; every directory is entered
//   at most once (by real path), so loops end. Real directories win over links to them.
//
// Output is sorted by path and does not depend on timing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { DEFAULT_MAX_FILE_SIZE } from './config';
import type { SkippedEntry } from './types';

export interface DiscoveredFile {
  /** Path relative to the root, with `/`. */
  path: string;
  absPath: string;
  size: number;
}

export interface DiscoverOptions {
  /** Globs (relative to the root) that re-include paths the default excludes or `.gitignore` drop. */
  include?: string[];
  /** Globs (relative to the root) of paths never scanned. */
  ignore?: string[];
  /** Files larger than this many bytes are skipped with a reason. Default 1 MiB. */
  maxFileSize?: number;
}

export interface DiscoverResult {
  files: DiscoveredFile[];
  skipped: SkippedEntry[];
}

/** Directory names never entered unless `include` asks for something inside them. */
export const DEFAULT_EXCLUDED_DIRS = ['node_modules', '.git', 'venv', '.venv', 'dist', 'build', 'out', 'coverage', '__pycache__', '.next', 'third_party', 'vendor', '.readiness-cache'];

const EXCLUDED = new Set(DEFAULT_EXCLUDED_DIRS);
const STAT_CHUNK = 512;
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** The `.gitignore` rules in force in one directory: its ancestors' patterns, then its own. */
interface GitRules {
  patterns: readonly string[];
  ig: Ignore | undefined;
}

interface DirState {
  abs: string;
  rel: string;
  /** Real path of the directory: the identity used to enter each directory once. */
  real: string;
  rules: GitRules;
  /** Inside a default-excluded or git-ignored directory: only `include` matches are kept. */
  excluded: boolean;
  /** Inside a Helm chart's `templates/`. */
  helm: boolean;
}

interface Candidate {
  rel: string;
  abs: string;
  helm: boolean;
  size?: number;
}

interface PendingLink {
  rel: string;
  abs: string;
  name: string;
  parent: DirState;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

function isInside(parentReal: string, childReal: string): boolean {
  return childReal === parentReal || childReal.startsWith(parentReal.endsWith(path.sep) ? parentReal : parentReal + path.sep);
}

/** Escapes a path so that it matches itself literally inside a gitignore pattern. */
function escapeGitignore(p: string): string {
  return p.replace(/[\\*?[\]!#]/g, '\\$&');
}

/**
 * Rewrites the patterns of the `.gitignore` in `dir` (relative to the matching base, `''`
 * for the base itself) so that they match paths relative to the base: anchored patterns
 * (a `/` at the start or in the middle) get the directory in front, the others match at
 * any depth below it. Together with last-match-wins this gives git's precedence.
 */
/** Longer pattern lines are dropped: no path is that long (git's own limit is PATH_MAX), and huge ones overflow the matcher's regex. */
const MAX_PATTERN = 4096;

export function rebaseGitignore(content: string, dir: string): string[] {
  const out: string[] = [];
  const lines = content.split(/\r?\n|\r/);
  if (lines[0]?.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  for (const line of lines) {
    if (line.trim() === '' || line.startsWith('#') || line.length > MAX_PATTERN) continue;
    if (!dir) {
      out.push(line);
      continue;
    }
    const negated = line.startsWith('!');
    const body = negated ? line.slice(1) : line;
    const core = body.endsWith('\\ ') ? body : body.trimEnd();
    const withoutTrailingSlash = core.endsWith('/') ? core.slice(0, -1) : core;
    const anchored = withoutTrailingSlash.includes('/');
    const rebased = `${escapeGitignore(dir)}/${anchored ? body.replace(/^\/+/, '') : `**/${body}`}`;
    out.push((negated ? '!' : '') + rebased);
  }
  return out;
}

function gitRules(patterns: readonly string[]): GitRules {
  return { patterns, ig: patterns.length > 0 ? ignore({ ignorecase: IGNORE_CASE }).add(patterns as string[]) : undefined };
}

/** Normalises config globs: `./x` and `/x` are `x`; `dir/` and a plain `dir` also cover the contents. */
function normaliseGlobs(globs: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const raw of globs ?? []) {
    let g = raw.trim();
    while (g.startsWith('./')) g = g.slice(2);
    g = g.replace(/^\/+/, '');
    if (!g) continue;
    if (g.endsWith('/')) {
      out.push(g + '**');
      continue;
    }
    out.push(g);
    if (!picomatch.scan(g).isGlob) out.push(g + '/**');
  }
  return out;
}

function fileSizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

async function readTextIfFile(p: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Finds the enclosing repository's root and the `info/exclude` file of its git directory. */
async function findRepository(absRoot: string): Promise<{ root: string; exclude?: string } | undefined> {
  let dir = absRoot;
  for (;;) {
    const dotGit = path.join(dir, '.git');
    let st: fs.Stats | undefined;
    try {
      st = await fs.promises.stat(dotGit);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) return { root: dir, exclude: path.join(dotGit, 'info', 'exclude') };
    if (st?.isFile()) {
      // A worktree or submodule: `.git` is a file naming the git directory.
      const text = (await readTextIfFile(dotGit)) ?? '';
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
      if (!m) return { root: dir };
      const gitDir = path.resolve(dir, m[1]!);
      const common = (await readTextIfFile(path.join(gitDir, 'commondir')))?.trim();
      return { root: dir, exclude: path.join(common ? path.resolve(gitDir, common) : gitDir, 'info', 'exclude') };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The rules that apply at the root: `.git/info/exclude` and the `.gitignore` files of the
 * directories between the repository root and the scanned root. Paths are matched relative
 * to the repository root (`prefix` + path relative to the scanned root). When those rules
 * ignore the scanned root itself, the user asked for an ignored tree: they are dropped.
 */
async function outerRules(absRoot: string): Promise<{ prefix: string; patterns: string[] }> {
  const repo = await findRepository(absRoot);
  if (!repo) return { prefix: '', patterns: [] };
  const relRoot = toPosix(path.relative(repo.root, absRoot));
  const prefix = relRoot ? relRoot + '/' : '';
  const patterns: string[] = [];
  if (repo.exclude) patterns.push(...rebaseGitignore((await readTextIfFile(repo.exclude)) ?? '', ''));
  if (relRoot) {
    const parts = relRoot.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dirRel = parts.slice(0, i).join('/');
      const text = await readTextIfFile(path.join(repo.root, ...parts.slice(0, i), '.gitignore'));
      if (text !== undefined) patterns.push(...rebaseGitignore(text, dirRel));
    }
    if (patterns.length > 0 && gitRules(patterns).ig?.ignores(prefix)) return { prefix, patterns: [] };
  }
  return { prefix, patterns };
}

export async function discover(root: string, opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  const absRoot = path.resolve(root);
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const includeGlobs = normaliseGlobs(opts.include);
  const ignoreGlobs = normaliseGlobs(opts.ignore);
  const isIncluded = includeGlobs.length > 0 ? picomatch(includeGlobs, { dot: true }) : (): boolean => false;
  const isConfigIgnored = ignoreGlobs.length > 0 ? picomatch(ignoreGlobs, { dot: true }) : (): boolean => false;
  const includeBases = includeGlobs.map((g) => picomatch.scan(g).base);
  /** Could some `include` glob match a path inside `dirRel`? */
  const mayInclude = (dirRel: string): boolean =>
    includeBases.some((b) => b === '' || b === dirRel || b.startsWith(dirRel + '/') || dirRel.startsWith(b + '/'));

  const files: Candidate[] = [];
  const skipped: SkippedEntry[] = [];
  const visited = new Map<string, string>(); // real path → rel path of directories entered
  const links: PendingLink[] = [];

  let rootReal: string;
  try {
    rootReal = await fs.promises.realpath(absRoot);
  } catch (e) {
    return { files: [], skipped: [{ file: '.', reason: `unreadable directory: ${errCode(e)}` }] };
  }
  const outer = await outerRules(absRoot);
  const prefix = outer.prefix;
  const gitIgnored = (rules: GitRules, rel: string, isDir: boolean): boolean => {
    try {
      return rules.ig !== undefined && rules.ig.ignores(prefix + rel + (isDir ? '/' : ''));
    } catch {
      return false; // patterns the matcher cannot compile (too many, too long) ignore nothing
    }
  };

  const keepFile = (state: DirState, rel: string): boolean => {
    if (isConfigIgnored(rel)) return false;
    if (state.excluded || gitIgnored(state.rules, rel, false)) return isIncluded(rel);
    return true;
  };
  /** undefined: do not enter; otherwise whether the directory is entered for `include` only. */
  const enterDir = (state: DirState, name: string, rel: string): { excluded: boolean } | undefined => {
    if (isConfigIgnored(rel) || isConfigIgnored(rel + '/')) return undefined;
    if (state.excluded || EXCLUDED.has(name) || gitIgnored(state.rules, rel, true)) return mayInclude(rel) ? { excluded: true } : undefined;
    return { excluded: false };
  };

  const walk = async (state: DirState): Promise<void> => {
    visited.set(state.real, state.rel);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(state.abs, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: state.rel || '.', reason: `unreadable directory: ${errCode(e)}` });
      return;
    }
    let excluded = state.excluded;
    if (state.rel && !excluded && entries.some((e) => e.name === 'pyvenv.cfg' && !e.isDirectory())) {
      // A virtualenv, whatever its name.
      if (!mayInclude(state.rel)) return;
      excluded = true;
    }
    let rules = state.rules;
    if (!excluded) {
      const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
      if (gi) {
        const giRel = state.rel ? `${state.rel}/.gitignore` : '.gitignore';
        try {
          const text = await fs.promises.readFile(path.join(state.abs, '.gitignore'), 'utf8');
          const own = rebaseGitignore(text, state.rel ? prefix + state.rel : prefix.slice(0, -1));
          if (own.length > 0) rules = gitRules([...rules.patterns, ...own]);
        } catch (e) {
          skipped.push({ file: giRel, reason: `unreadable .gitignore, its patterns are not applied: ${errCode(e)}` });
        }
      }
    }
    const isChart = !state.helm && entries.some((e) => e.name === 'Chart.yaml' && !e.isDirectory());
    const here: DirState = { ...state, rules, excluded };
    const subdirs: Promise<void>[] = [];
    const absPrefix = state.abs.endsWith(path.sep) ? state.abs : state.abs + path.sep;
    const realPrefix = state.real.endsWith(path.sep) ? state.real : state.real + path.sep;
    for (const entry of entries) {
      const name = entry.name;
      const rel = state.rel ? `${state.rel}/${name}` : name;
      const abs = absPrefix + name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        links.push({ rel, abs, name, parent: here });
        continue;
      }
      if (!isDir && !isFile && !entry.isFIFO() && !entry.isSocket() && !entry.isBlockDevice() && !entry.isCharacterDevice()) {
        // The file system did not say what this is (DT_UNKNOWN): ask.
        try {
          const st = await fs.promises.lstat(abs);
          if (st.isSymbolicLink()) {
            links.push({ rel, abs, name, parent: here });
            continue;
          }
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) {
        const enter = enterDir(here, name, rel);
        if (!enter) continue;
        const real = realPrefix + name;
        subdirs.push(walk({ abs, rel, real, rules, excluded: enter.excluded, helm: here.helm || (isChart && name === 'templates') }));
      } else if (isFile) {
        // A worktree's or submodule's `.git` file is git's, not the project's.
        if (name === '.git') continue;
        if (keepFile(here, rel)) files.push({ rel, abs, helm: here.helm });
      } else if (keepFile(here, rel)) {
        skipped.push({ file: rel, reason: 'not a regular file' });
      }
    }
    await Promise.all(subdirs);
  };

  await walk({ abs: absRoot, rel: '', real: rootReal, rules: gitRules(outer.patterns), excluded: false, helm: false });

  // Symlinks, after every real directory is known. Their targets are resolved concurrently,
  // round by round; each round is then decided in path order, one directory at a time, so
  // that which path a directory is scanned under does not depend on timing. Links found
  // inside a followed directory make the next round.
  while (links.length > 0) {
    const round = links.splice(0).sort((a, b) => cmp(a.rel, b.rel));
    const targets = await Promise.all(round.map(resolveLink));
    for (let i = 0; i < round.length; i++) await followLink(round[i]!, targets[i]!);
  }

  async function resolveLink(link: PendingLink): Promise<{ st: fs.Stats; real: string } | { code: string }> {
    try {
      const st = await fs.promises.stat(link.abs);
      return { st, real: await fs.promises.realpath(link.abs) };
    } catch (e) {
      return { code: errCode(e) };
    }
  }

  async function followLink(link: PendingLink, target: { st: fs.Stats; real: string } | { code: string }): Promise<void> {
    const { rel, abs, name, parent } = link;
    if ('code' in target) {
      const code = target.code;
      if (!keepFile(parent, rel)) return;
      skipped.push({ file: rel, reason: code === 'ELOOP' ? 'symlink loop (ELOOP)' : code === 'ENOENT' ? 'broken symlink (ENOENT)' : `unreadable symlink: ${code}` });
      return;
    }
    const { st, real } = target;
    if (st.isDirectory()) {
      const enter = enterDir(parent, name, rel);
      if (!enter) return;
      if (!isInside(rootReal, real)) {
        skipped.push({ file: rel, reason: 'symlink to a directory outside the root' });
        return;
      }
      const seen = visited.get(real);
      if (seen !== undefined) {
        const loop = isInside(real, parent.real);
        skipped.push({ file: rel, reason: loop ? `symlink loop: points back to ${seen || '.'}` : `symlink to a directory already scanned as ${seen || '.'}` });
        return;
      }
      await walk({ abs, rel, real, rules: parent.rules, excluded: enter.excluded, helm: parent.helm });
    } else if (st.isFile()) {
      if (!keepFile(parent, rel)) return;
      if (!isInside(rootReal, real)) {
        skipped.push({ file: rel, reason: 'symlink to a file outside the root' });
        return;
      }
      files.push({ rel, abs, helm: parent.helm, size: st.size });
    } else if (keepFile(parent, rel)) {
      skipped.push({ file: rel, reason: 'not a regular file' });
    }
  }

  // Sizes: one stat per file that survived the filters. Synchronous stats are several times
  // faster than promise-based ones on a local disk; taking them in chunks with a yield in
  // between keeps the event loop (the language server) responsive on huge trees.
  files.sort((a, b) => cmp(a.rel, b.rel));
  const out: DiscoveredFile[] = [];
  const needSize = files.filter((f) => !f.helm && f.size === undefined);
  for (let i = 0; i < needSize.length; i += STAT_CHUNK) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const f of needSize.slice(i, i + STAT_CHUNK)) {
      try {
        f.size = fs.statSync(f.abs).size;
      } catch (e) {
        skipped.push({ file: f.rel, reason: `unreadable: ${errCode(e)}` });
      }
    }
  }
  for (const f of files) {
    if (f.helm) skipped.push({ file: f.rel, reason: 'Helm template' });
    else if (f.size === undefined) continue;
    else if (f.size > maxFileSize) skipped.push({ file: f.rel, reason: `larger than maxFileSize: ${fileSizeLabel(f.size)} (${f.size} bytes; the limit is ${maxFileSize})` });
    else out.push({ path: f.rel, absPath: f.abs, size: f.size });
  }
  skipped.sort((a, b) => cmp(a.file, b.file) || cmp(a.reason, b.reason));
  return { files: out, skipped };
}
