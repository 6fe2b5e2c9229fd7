// Services: deployable programs (a directory with its own manifest or Dockerfile).
// Libraries in a monorepo are not services.
import type { AnchorFact } from './parse/code-facts';
import { normalisePyName } from './parse/manifest';
import type { ServiceInfo, SourceFile, Span } from './types';

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
  const startFiles = new Map<string, string>();
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
      const start = m.scripts.find((s) => s.name === 'start')?.startFile;
      if (start) startFiles.set(dir, dir ? `${dir}/${start}` : start);
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
  const services = [...byDir.values()].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  // Each source file's service, looked up once (not once per service: monorepos have many).
  const lookup = serviceLookup(services);
  const sources = new Map<string, SourceFile[]>();
  for (const f of files) {
    if (!(f.facts.kinds.includes('ts') || f.facts.kinds.includes('js') || f.facts.kinds.includes('python'))) continue;
    const name = lookup(f.path);
    if (name === undefined) continue;
    const list = sources.get(name) ?? [];
    list.push(f);
    sources.set(name, list);
  }
  for (const s of services) {
    const dir = s.root === '.' ? '' : s.root;
    const anchor = anchorOf(sources.get(s.name) ?? [], [s.entry, startFiles.get(dir)]);
    if (anchor) s.anchor = anchor;
  }
  return services;
}

/** The script a `start` command runs: `node dist/server.js` → dist/server.js. */
/** Built output's source: dist/server.js → src/server.ts and the like. */
function sourceCandidates(file: string): string[] {
  const out = [file];
  const stem = file.replace(/\.[cm]?js$/, '');
  const src = stem.replace(/(^|\/)(?:dist|build|lib|out)\//, '$1src/');
  for (const base of new Set([stem, src])) for (const ext of ['.ts', '.js', '.mts', '.mjs']) out.push(base + ext);
  return out;
}

const ANCHOR_ORDER: readonly AnchorFact['kind'][] = ['listen', 'nest', 'createServer', 'worker', 'app', 'wsgi'];
/** Test code: never a service's entry point, and its calls and set-ups are not the service's. */
export const TEST_FILE = /(?:^|\/)(?:tests?|__tests__|spec|e2e)\/|\.(?:test|spec)\.[cm]?[jt]sx?$|(?:^|\/)test_[^/]*\.py$|_test\.py$|(?:^|\/)conftest\.py$/;

function bestAnchor(f: SourceFile): { rank: number; span: Span } | undefined {
  let best: { rank: number; span: Span } | undefined;
  for (const a of f.facts.code?.anchors ?? []) {
    const rank = ANCHOR_ORDER.indexOf(a.kind);
    if (!best || rank < best.rank) best = { rank, span: a.span };
  }
  return best;
}

/**
 * Where a workspace finding about the service points (DESIGN.md): the entry file's listen
 * or app-creation call (package.json `main` or the `start` script's file), else the
 * service's file with the strongest start fact (listen, NestFactory.create, createServer,
 * a queue worker, app creation, the WSGI/ASGI application), else `manage.py`/`wsgi.py`.
 */
function anchorOf(files: readonly SourceFile[], entries: readonly (string | undefined)[]): { file: string; span: Span } | undefined {
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const entry of entries) {
    if (!entry) continue;
    for (const candidate of sourceCandidates(entry)) {
      const f = byPath.get(candidate);
      const a = f && bestAnchor(f);
      if (f && a) return { file: f.path, span: a.span };
    }
  }
  let best: { file: string; rank: number; span: Span } | undefined;
  for (const f of files) {
    if (TEST_FILE.test(f.path)) continue;
    const a = bestAnchor(f);
    if (a && (!best || a.rank < best.rank)) best = { file: f.path, ...a };
  }
  if (best) return { file: best.file, span: best.span };
  const script = files.find((f) => /(?:^|\/)(?:manage|wsgi|asgi)\.py$/.test(f.path));
  return script ? { file: script.path, span: { start: 0, end: 0 } } : undefined;
}

/** The service whose root is the longest prefix of `path`. */
export function serviceLookup(services: readonly ServiceInfo[]): (path: string) => string | undefined {
  const info = serviceInfoLookup(services);
  return (path) => info(path)?.name;
}

/** The service whose root is the longest prefix of `path` (names may repeat across directories; the service does not). */
export function serviceInfoLookup(services: readonly ServiceInfo[]): (path: string) => ServiceInfo | undefined {
  // Every workspace rule asks for every file: the path and its ancestors are looked up by
  // root (the deepest root wins), so a lookup costs the path's depth, not the service count.
  const byRoot = new Map<string, ServiceInfo>();
  for (const s of services) if (!byRoot.has(s.root)) byRoot.set(s.root, s);
  const top = byRoot.get('.');
  return (path) => {
    for (let p = path; p !== ''; ) {
      const hit = byRoot.get(p);
      if (hit) return hit;
      const slash = p.lastIndexOf('/');
      p = slash < 0 ? '' : p.slice(0, slash);
    }
    return top;
  };
}

/** Where a workspace rule reports about a service: its anchor, else its manifest's first line. */
export function serviceAnchor(service: ServiceInfo): { file: string; span: { start: number; end: number } } | undefined {
  if (service.anchor) return service.anchor;
  if (service.manifest) return { file: service.manifest, span: { start: 0, end: 0 } };
  return undefined;
}
