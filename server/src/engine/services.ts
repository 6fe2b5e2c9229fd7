// Services: deployable programs (a directory with its own manifest or Dockerfile).
// Libraries in a monorepo are not services.
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

export function detectServices(files: readonly SourceFile[], readText: (f: SourceFile) => string, rootName: string): ServiceInfo[] {
  const byDir = new Map<string, ServiceInfo>();
  for (const f of files) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    const dir = dirOf(f.path);
    if (byDir.has(dir)) continue;
    if (name === 'package.json') {
      let pkg: { name?: unknown; dependencies?: Record<string, unknown>; scripts?: Record<string, unknown>; main?: unknown } = {};
      try {
        pkg = JSON.parse(readText(f)) as typeof pkg;
      } catch {
        continue;
      }
      const deps = Object.keys(pkg.dependencies ?? {});
      const isServer = deps.some((d) => NODE_SERVER_DEPS.includes(d)) || typeof pkg.scripts?.start === 'string';
      if (!isServer) continue;
      byDir.set(dir, { name: typeof pkg.name === 'string' ? pkg.name : lastSegment(dir, rootName), root: dir || '.', kind: 'node', manifest: f.path, entry: typeof pkg.main === 'string' ? (dir ? `${dir}/${pkg.main}` : pkg.main) : undefined });
    } else if (name === 'requirements.txt' || name === 'pyproject.toml' || name === 'Pipfile') {
      const text = readText(f).toLowerCase();
      if (!PY_SERVER_DEPS.some((d) => text.includes(d))) continue;
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
  return (path) => sorted.find((s) => s.root === '.' || path === s.root || path.startsWith(s.root + '/'))?.name;
}

/** Where a workspace rule reports about a service: its anchor, else its manifest's first line. */
export function serviceAnchor(service: ServiceInfo): { file: string; span: { start: number; end: number } } | undefined {
  if (service.anchor) return service.anchor;
  if (service.manifest) return { file: service.manifest, span: { start: 0, end: 0 } };
  return undefined;
}
