// config/lockfile: each package manifest that declares dependencies has a lockfile beside it
// (or, for workspace members, at the workspace root), so that every install resolves the
// same versions. A requirements file is its own lockfile when every requirement is pinned to
// one version (`==`) or hashed. One subject per manifest, tagged with its service.
import picomatch from 'picomatch';
import type { CheckContext } from '../../server/src/engine/rule';
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence, SourceFile, Span } from '../../server/src/engine/types';
import { baseName, dirOf, joinPath, nameList, spanOf } from '../lib/services';

export const NPM_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];
export const PY_LOCKS = ['poetry.lock', 'uv.lock', 'pdm.lock', 'pylock.toml'];

const START: Span = { start: 0, end: 0 };

interface Answer {
  status: 'pass' | 'partial' | 'fail';
  evidence: Evidence[];
  report?: { file: string; span: Span; messageId: string; data: Record<string, string | number> };
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  let d = dir;
  while (d !== '') {
    d = dirOf(d);
    out.push(d);
  }
  return out;
}

function relativeTo(dir: string, ancestor: string): string {
  return ancestor === '' ? dir : dir.slice(ancestor.length + 1);
}

function lockBeside(ctx: CheckContext, dir: string, names: readonly string[]): string | undefined {
  for (const n of names) if (ctx.exists(joinPath(dir, n))) return joinPath(dir, n);
  return undefined;
}

/** npm/yarn/pnpm/bun workspace root above `dir` that lists it and has a lockfile. */
function workspaceLock(ctx: CheckContext, byPath: Map<string, SourceFile>, dir: string): { lock: string; root: string; via: string } | undefined {
  for (const a of ancestors(dir)) {
    const lock = lockBeside(ctx, a, NPM_LOCKS);
    if (!lock) continue;
    const rel = relativeTo(dir, a);
    const patterns = byPath.get(joinPath(a, 'package.json'))?.facts.manifest?.workspaces ?? [];
    if (patterns.some((p) => picomatch.isMatch(rel, p.replace(/^\.\//, '').replace(/\/$/, ''), { dot: true }))) return { lock, root: a, via: `listed in the workspaces of '${joinPath(a, 'package.json')}'` };
    if (ctx.exists(joinPath(a, 'pnpm-workspace.yaml'))) return { lock, root: a, via: `a pnpm workspace ('${joinPath(a, 'pnpm-workspace.yaml')}')` };
  }
  return undefined;
}

function npmAnswer(ctx: CheckContext, byPath: Map<string, SourceFile>, f: SourceFile): Answer {
  const dir = dirOf(f.path);
  const lock = lockBeside(ctx, dir, NPM_LOCKS);
  if (lock) return { status: 'pass', evidence: [{ file: lock, span: START, note: `'${f.path}': lockfile '${lock}' beside it` }] };
  const ws = workspaceLock(ctx, byPath, dir);
  if (ws) return { status: 'pass', evidence: [{ file: ws.lock, span: START, note: `'${f.path}': workspace member (${ws.via}); its lockfile '${ws.lock}' covers it` }] };
  const looked = NPM_LOCKS.join(', ');
  return {
    status: 'fail',
    evidence: [{ file: f.path, span: START, note: `'${f.path}': looked for ${looked} in '${dir || '.'}' and at a workspace root above it; found none` }],
    report: { file: f.path, span: START, messageId: 'missing', data: { manifest: f.path, looked: 'package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock' } },
  };
}

/** A requirements file pins everything: every requirement has `==` or hashes. */
function unpinned(f: SourceFile): { all: number; loose: { name: string; span: [number, number] }[] } {
  const deps = f.facts.manifest?.dependencies ?? [];
  return { all: deps.length, loose: deps.filter((d) => !d.pinned && !d.hashed) };
}

function requirementsAnswer(f: SourceFile): Answer | undefined {
  const { all, loose } = unpinned(f);
  if (all === 0) return undefined;
  const first = f.facts.manifest!.dependencies[0]!;
  if (loose.length === 0) return { status: 'pass', evidence: [{ file: f.path, span: spanOf(first.span), note: `'${f.path}': all ${all} requirements are pinned to one version (it is its own lockfile)` }] };
  const names = loose.map((d) => d.name);
  return {
    status: loose.length < all ? 'partial' : 'fail',
    evidence: [
      { file: f.path, span: spanOf(loose[0]!.span), note: `'${f.path}': ${loose.length} of ${all} requirements are not pinned with == or hashes: ${nameList(names, 8)}` },
    ],
    report: { file: f.path, span: spanOf(loose[0]!.span), messageId: 'unpinned', data: { manifest: f.path, count: loose.length, total: all, names: nameList(names) } },
  };
}

function pythonAnswer(ctx: CheckContext, byPath: Map<string, SourceFile>, f: SourceFile): Answer | undefined {
  const m = f.facts.manifest!;
  if (m.dependencies.length + m.devDependencies.length === 0) return undefined;
  const dir = dirOf(f.path);
  const names = baseName(f.path) === 'Pipfile' ? ['Pipfile.lock'] : PY_LOCKS;
  const lock = lockBeside(ctx, dir, names);
  if (lock) return { status: 'pass', evidence: [{ file: lock, span: START, note: `'${f.path}': lockfile '${lock}' beside it` }] };
  if (baseName(f.path) === 'pyproject.toml') {
    // uv keeps one uv.lock at the workspace root.
    for (const a of ancestors(dir)) {
      const uv = joinPath(a, 'uv.lock');
      if (ctx.exists(uv)) return { status: 'pass', evidence: [{ file: uv, span: START, note: `'${f.path}': uv workspace lockfile '${uv}' above it` }] };
    }
    // A fully pinned requirements file beside it (pip-compile output) locks it too.
    for (const other of byPath.values()) {
      if (dirOf(other.path) !== dir || other.facts.manifest?.format !== 'requirements') continue;
      const u = unpinned(other);
      if (u.all > 0 && u.loose.length === 0) return { status: 'pass', evidence: [{ file: other.path, span: START, note: `'${f.path}': '${other.path}' beside it pins all ${u.all} requirements` }] };
    }
  }
  const looked = names.join(', ');
  return {
    status: 'fail',
    evidence: [{ file: f.path, span: START, note: `'${f.path}': looked for ${looked}${names === PY_LOCKS ? ' or a fully pinned requirements file' : ''} in '${dir || '.'}'; found none` }],
    report: { file: f.path, span: START, messageId: 'missing', data: { manifest: f.path, looked } },
  };
}

export default defineRule({
  meta: {
    id: 'config/lockfile',
    category: 'delivery',
    weight: 2,
    severity: 'info',
    scope: 'workspace',
    title: 'Package manifests have a lockfile',
    summary: 'each package manifest has a lockfile (package-lock, yarn.lock, pnpm-lock, poetry.lock, uv.lock, pinned requirements)',
    appliesTo: ['package-manifest'],
    subjects: { singular: 'package manifest', plural: 'package manifests', passing: 'have a lockfile' },
    messages: {
      missing: "'{manifest}' has no lockfile beside it (looked for {looked}): every install resolves its dependency versions anew",
      unpinned: "{count} of {total} requirements in '{manifest}' are not pinned to one version ({names}): pin them with == or compile the file (pip-compile, uv pip compile)",
    },
  },
  check(ctx) {
    const byPath = new Map(ctx.files.map((f) => [f.path, f]));
    for (const f of ctx.filesOf('package-manifest')) {
      const m = f.facts.manifest;
      if (!m) continue;
      let answer: Answer | undefined;
      if (m.format === 'npm') answer = m.dependencies.length + m.devDependencies.length > 0 ? npmAnswer(ctx, byPath, f) : undefined;
      else if (m.format === 'requirements') answer = requirementsAnswer(f);
      else answer = pythonAnswer(ctx, byPath, f);
      if (!answer) continue;
      const service = ctx.serviceOf(f.path);
      const evidence = service ? answer.evidence.map((e) => ({ ...e, note: `service '${service}': ${e.note}` })) : answer.evidence;
      ctx.verdict({ subject: { key: f.path, file: f.path, ...(service ? { service } : {}) }, status: answer.status, evidence, ...(answer.report ? { report: answer.report } : {}) });
    }
  },
});
