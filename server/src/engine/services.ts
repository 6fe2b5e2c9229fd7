// Services: deployable programs (a directory with its own manifest or Dockerfile).
// Libraries in a monorepo are not services.
import { normalisePyName } from './parse/manifest';
import type { ServiceInfo, SourceFile } from './types';

const NODE_SERVER_DEPS = ['express', 'fastify', 'koa', '@nestjs/core', 'hono', 'next', '@hapi/hapi', 'restify'];
const PY_SERVER_DEPS = ['fastapi', 'flask', 'django', 'starlette', 'aiohttp', 'sanic', 'uvicorn', 'gunicorn', 'celery'];

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function lastSegment(dir: string, fallback: string): string {
  if (!dir) return fallback;
  return dir.slice(dir.lastIndexOf('/') + 1);
}

/** Python distribution names that make a directory a service (PEP 503-normalised). */
function isPyServerDep(name: string): boolean {
  return PY_SERVER_DEPS.includes(normalisePyName(name).replace(/\[.*$/, ''));
}

/**
 * Services from the manifests' facts (parse/manifest.ts) and Dockerfiles. A package.json
 * is a service with a server dependency or a `start` script (a library in a monorepo has
 * neither); a Python manifest with a server dependency; else a directory with a Dockerfile.
 */
export function detectServices(files: readonly SourceFile[], rootName: string): ServiceInfo[] {
  const byDir = new Map<string, ServiceInfo>();
  for (const f of files) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    const dir = dirOf(f.path);
    if (byDir.has(dir)) continue;
    const m = f.facts.manifest;
    if (!m) continue;
    if (name === 'package.json' && m.format === 'npm') {
      const isServer = m.dependencies.some((d) => NODE_SERVER_DEPS.includes(d.name)) || m.scripts.some((s) => s.name === 'start');
      if (!isServer) continue;
      byDir.set(dir, { name: m.name ?? lastSegment(dir, rootName), root: dir || '.', kind: 'node', manifest: f.path, entry: m.main !== undefined ? (dir ? `${dir}/${m.main}` : m.main) : undefined });
    } else if (name === 'requirements.txt' || name === 'pyproject.toml' || name === 'Pipfile') {
      if (![...m.dependencies, ...m.devDependencies].some((d) => isPyServerDep(d.name))) continue;
      byDir.set(dir, { name: lastSegment(dir, rootName), root: dir || '.', kind: 'python', manifest: f.path });
    }
  }
  for (const f of files) {
    if (!f.facts.kinds.includes('dockerfile')) continue;
    const dir = dirOf(f.path);
    if (!byDir.has(dir)) byDir.set(dir, { name: lastSegment(dir, rootName), root: dir || '.', kind: 'container', manifest: f.path });
  }
  return [...byDir.values()].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
}

/** The service whose root is the longest prefix of `path`. */
export function serviceLookup(services: readonly ServiceInfo[]): (path: string) => string | undefined {
  const sorted = [...services].sort((a, b) => b.root.length - a.root.length);
  // Every rule asks for every file: remembered per path, the lookup stays linear in files × rules.
  const memo = new Map<string, string | undefined>();
  return (path) => {
    if (memo.has(path)) return memo.get(path);
    const name = sorted.find((s) => s.root === '.' || path === s.root || path.startsWith(s.root + '/'))?.name;
    memo.set(path, name);
    return name;
  };
}

/** Where a workspace rule reports about a service: its anchor, else its manifest's first line. */
export function serviceAnchor(service: ServiceInfo): { file: string; span: { start: number; end: number } } | undefined {
  if (service.anchor) return service.anchor;
  if (service.manifest) return { file: service.manifest, span: { start: 0, end: 0 } };
  return undefined;
}
