// Artifact classification by name and a cheap content sniff. Never executes anything.
import { ciProviderOf } from './parse/ci';
import type { ArtifactKind } from './types';

const COMPOSE_NAME = /^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/;
const LOCKFILES = new Set(['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'poetry.lock', 'uv.lock', 'Pipfile.lock', 'npm-shrinkwrap.json', 'bun.lockb', 'bun.lock', 'pdm.lock']);
const MANIFESTS = new Set(['package.json', 'pyproject.toml', 'requirements.txt', 'setup.py', 'setup.cfg', 'Pipfile']);

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

/** Kinds decided by the name alone. */
export function kindsByName(relPath: string): ArtifactKind[] {
  const name = basename(relPath);
  const lower = name.toLowerCase();
  const kinds: ArtifactKind[] = [];
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.')) : '';
  if (name === '.readiness.yaml' || name === '.readiness.yml') return ['readiness-config'];
  if (ext === '.yaml' || ext === '.yml') {
    kinds.push('yaml');
    if (COMPOSE_NAME.test(lower)) kinds.push('compose');
    if (lower === 'kustomization.yaml' || lower === 'kustomization.yml') kinds.push('kustomization');
    if (/^values([.-][\w.-]+)?\.ya?ml$/.test(lower)) kinds.push('helm-values');
    if (ciProviderOf(relPath) !== undefined) kinds.push('ci');
    if (LOCKFILES.has(lower)) kinds.push('lockfile');
  }
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower === 'containerfile') kinds.push('dockerfile');
  if (lower === '.dockerignore') kinds.push('dockerignore');
  if (lower === '.gitignore') kinds.push('gitignore');
  if (lower === 'jenkinsfile' || lower.endsWith('.jenkinsfile')) kinds.push('ci');
  if (['.ts', '.tsx', '.mts', '.cts'].includes(ext) && !lower.endsWith('.d.ts')) kinds.push('ts');
  if (['.js', '.jsx', '.mjs', '.cjs'].includes(ext)) kinds.push('js');
  if (ext === '.py') kinds.push('python');
  if (ext === '.json') kinds.push('json');
  if (ext === '.md' || ext === '.markdown') kinds.push('markdown');
  if (ext === '.tf' || ext === '.tfvars' || lower === 'terraform.tfstate') kinds.push('terraform');
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) kinds.push('dotenv');
  if (MANIFESTS.has(name) || /^requirements[-_.][\w.-]*\.txt$/i.test(name)) kinds.push('package-manifest');
  if (LOCKFILES.has(lower) && !kinds.includes('lockfile')) kinds.push('lockfile');
  if (kinds.length === 0) kinds.push('text');
  return kinds;
}

// Horizontal space only: `\s*` after `^` would run across line breaks and make the sniff
// quadratic on a file of blank lines.
const API_VERSION_KEY = /^[ \t]*(?:-[ \t]+)?["']?apiVersion["']?[ \t]*:/m;
const KIND_KEY = /^[ \t]*(?:-[ \t]+)?["']?kind["']?[ \t]*:/m;

/**
 * Cheap sniff: could this YAML text hold a Kubernetes object? Both `apiVersion:` and
 * `kind:` must appear as keys at the start of some line (a list item's first key counts).
 * Files that fail it are never parsed as k8s. Linear in the text's length.
 */
export function mayBeKubernetes(text: string): boolean {
  return API_VERSION_KEY.test(text) && KIND_KEY.test(text);
}

/** True when no kind of this file is read by any enabled rule, so it need not be parsed. */
export function isInteresting(kinds: readonly ArtifactKind[], wanted: ReadonlySet<ArtifactKind>): boolean {
  return kinds.some((k) => wanted.has(k));
}
