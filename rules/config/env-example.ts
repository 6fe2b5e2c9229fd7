// config/env-example: a service that reads environment variables ships a template of them
// (`.env.example`, `.env.sample`, `.env.template` …) or documents them in a README, so that
// the next person (or the deploy) knows what to set. One verdict per service: pass when
// every variable it reads is listed, partial when some are, fail when none is; the finding
// lists the missing names (never values).
import type { CheckContext } from '../../server/src/engine/rule';
import { memoFor, type FileMemoEntry } from '../../server/src/engine/rule-memo';
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence, ServiceInfo, SourceFile, Span } from '../../server/src/engine/types';
import { buildOf, composeServices, envEntries, type ComposeService } from '../lib/compose';
import { imageName } from '../lib/image';
import { allWorkloads, type Workload } from '../lib/k8s';
import { baseName, dirOf, filesByService, nameList, serviceReportAt, serviceSubject, spanOf } from '../lib/services';

/** Variables the platform or the toolchain sets: nobody writes them into a template. */
const PROVIDED = new Set(['PATH', 'HOME', 'USER', 'PWD', 'SHELL', 'HOSTNAME', 'TERM', 'LANG', 'TMPDIR', 'CI', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'INIT_CWD']);

const TEMPLATE_NAME = /^(?:\.env\.(?:example|sample|template|dist|defaults)|(?:example|sample|template)\.env|\.env\.local\.example|env\.example)$/i;

export function isEnvTemplateName(name: string): boolean {
  return TEMPLATE_NAME.test(name);
}

/** Tests read variables of their own (a test database); they are not the service's configuration. */
export function isTestFile(path: string): boolean {
  return /(^|\/)(tests?|__tests__|spec)\//.test(path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) || /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(path);
}

interface Read {
  name: string;
  file: string;
  span: Span;
  where: string;
}

/** The names the service reads in code and is given by compose/Kubernetes. */
interface Platform {
  compose: ComposeService[];
  /** The env entries of Kubernetes containers by image name, each with its place in workload order. */
  k8sEnvByImage: Map<string, { seq: number; read: Read }[]>;
}

/** Every Kubernetes container's env names, indexed once per run by the container's image name. */
function k8sEnvByImage(workloads: readonly Workload[]): Map<string, { seq: number; read: Read }[]> {
  const index = new Map<string, { seq: number; read: Read }[]>();
  let seq = 0;
  for (const w of workloads) {
    for (const c of w.containers) {
      if (typeof c.value.image !== 'string') continue;
      const env = c.value.env;
      if (!Array.isArray(env)) continue;
      const image = imageName(c.value.image);
      env.forEach((item: unknown, i) => {
        if (typeof item !== 'object' || item === null || typeof (item as { name?: unknown }).name !== 'string') return;
        const ptr = `${c.ptr}/env/${i}/name`;
        const sp = w.doc.spans[ptr]?.v;
        const read = { name: (item as { name: string }).name, file: w.file.path, span: sp ? { start: sp[0], end: sp[1] } : w.nameSpan, where: `${w.kind} '${w.name}'` };
        let list = index.get(image);
        if (!list) index.set(image, (list = []));
        list.push({ seq: seq++, read });
      });
    }
  }
  return index;
}

const codeReadsMemo = new WeakMap<object, FileMemoEntry<Read[]>>();

/** The variables a file's code reads (none in tests): per file, so that an edit elsewhere does not redo them. */
function codeReads(f: SourceFile): Read[] {
  return memoFor(codeReadsMemo, f, () => (isTestFile(f.path) ? [] : (f.facts.secrets?.envReads ?? []).map((r) => ({ name: r.name, file: f.path, span: spanOf(r.span), where: 'code' }))));
}

function readsOf(platform: Platform, service: ServiceInfo, files: readonly SourceFile[]): Read[] {
  const out: Read[] = [];
  for (const f of files) for (const r of codeReads(f)) out.push(r);
  // compose services built from the service's directory.
  for (const s of platform.compose) {
    const df = buildOf(s)?.dockerfile;
    if (!df || dirOf(df) !== (service.root === '.' ? '' : service.root)) continue;
    for (const layer of s.layers) for (const e of envEntries(layer)) out.push({ name: e.name, file: layer.file.path, span: e.span, where: `compose service '${s.name}'` });
  }
  // Kubernetes containers whose image is named after the service, in workload order.
  const names = new Set([service.name.replace(/^@[^/]+\//, ''), baseName(service.root)]);
  const k8s = [...names].flatMap((n) => platform.k8sEnvByImage.get(n) ?? []);
  if (names.size > 1) k8s.sort((a, b) => a.seq - b.seq);
  for (const { read } of k8s) out.push(read);
  return out.filter((r) => !PROVIDED.has(r.name) && !r.name.startsWith('npm_'));
}

interface Doc {
  file: SourceFile;
  template: boolean;
  names: Map<string, Span>;
  /** Position in the root's file list. */
  at: number;
}

/** The env templates and Markdown files that name variables, by directory (once per run). */
function docsByDir(ctx: CheckContext): Map<string, Doc[]> {
  return ctx.shared('env-docs-by-dir', () => indexDocs(ctx));
}

function indexDocs(ctx: CheckContext): Map<string, Doc[]> {
  const index = new Map<string, Doc[]>();
  ctx.files.forEach((f, at) => {
    if (!f.facts.envNames) return;
    const template = isEnvTemplateName(baseName(f.path));
    if (!template && !f.facts.kinds.includes('markdown')) return;
    const dir = dirOf(f.path);
    const doc: Doc = { file: f, template, names: new Map(f.facts.envNames.map((n) => [n.name, spanOf(n.span)])), at };
    const list = index.get(dir);
    if (list) list.push(doc);
    else index.set(dir, [doc]);
  });
  return index;
}

/** Templates and READMEs in the service's directory, its ancestors, and the repository root. */
function docsFor(ctx: CheckContext, service: ServiceInfo): Doc[] {
  const root = service.root === '.' ? '' : service.root;
  const dirs = new Set<string>([root]);
  for (let d = root; d !== ''; ) dirs.add((d = dirOf(d)));
  const index = docsByDir(ctx);
  const out: Doc[] = [];
  for (const dir of dirs) out.push(...(index.get(dir) ?? []));
  // Templates first, nearest directory first; files in discovery order otherwise (as the list was built).
  return out.sort((a, b) => Number(b.template) - Number(a.template) || b.file.path.length - a.file.path.length || a.at - b.at);
}

const LOOKED = '.env.example, .env.sample, .env.template (or the variables named in a README)';

export default defineRule({
  meta: {
    id: 'config/env-example',
    category: 'delivery',
    weight: 1,
    severity: 'info',
    scope: 'workspace',
    title: 'Services document the environment variables they read',
    summary: 'services that read env vars ship a .env.example (or document the variables) listing them; missing names are listed',
    appliesTo: ['ts', 'js', 'python', 'compose', 'k8s'],
    subjects: { singular: 'service', plural: 'services', passing: 'list the environment variables they read' },
    messages: {
      missing: "Service '{service}' reads {count} environment variables that no .env.example or README lists: {names}",
      noTemplate: "Service '{service}' reads environment variables ({names}) but ships no .env.example and no README lists them",
    },
  },
  check(ctx) {
    const platform: Platform = { compose: composeServices(ctx.filesOf('compose')), k8sEnvByImage: k8sEnvByImage(allWorkloads(ctx.filesOf('k8s'))) };
    for (const [service, files] of filesByService(ctx)) {
      const reads = readsOf(platform, service, files);
      if (reads.length === 0) continue;
      const byName = new Map<string, Read>();
      for (const r of reads) if (!byName.has(r.name)) byName.set(r.name, r);
      const docs = docsFor(ctx, service);
      const documented = new Map<string, { doc: Doc; span: Span }>();
      for (const doc of docs) for (const [n, span] of doc.names) if (byName.has(n) && !documented.has(n)) documented.set(n, { doc, span });
      const missing = [...byName.values()].filter((r) => !documented.has(r.name));
      const subject = serviceSubject(service);
      const label = `service '${service.name}'`;
      const evidence: Evidence[] = [];
      const usedDocs = new Set<Doc>();
      for (const d of documented.values()) usedDocs.add(d.doc);
      for (const doc of usedDocs) {
        const listed = [...documented.entries()].filter(([, d]) => d.doc === doc);
        evidence.push({ file: doc.file.path, span: listed[0]![1].span, note: `${label}: '${doc.file.path}' lists ${nameList(listed.map(([n]) => n), 8)}` });
      }
      if (missing.length === 0) {
        ctx.verdict({ subject, status: 'pass', evidence });
        continue;
      }
      for (const r of missing.slice(0, 12)) evidence.push({ file: r.file, span: r.span, note: `${label}: '${r.name}' is read (${r.where}) but not listed` });
      const at = serviceReportAt(service);
      if (documented.size === 0) {
        const templates = docs.filter((d) => d.template).map((d) => d.file.path);
        evidence.push({ note: `${label}: looked for ${LOOKED} in '${service.root}'${service.root !== '.' ? ' and the directories above it' : ''}; ${templates.length ? `found ${templates.join(', ')}, which list none of them` : 'found none that lists them'}` });
        ctx.verdict({ subject, status: 'fail', evidence, report: { ...at, messageId: 'noTemplate', data: { service: service.name, names: nameList(missing.map((r) => r.name)) } } });
        continue;
      }
      ctx.verdict({ subject, status: 'partial', evidence, report: { ...at, messageId: 'missing', data: { service: service.name, count: missing.length, names: nameList(missing.map((r) => r.name), 8) } } });
    }
  },
});
