// k8s/probes: containers of long-running workloads (and native sidecars) define a
// readinessProbe and a livenessProbe. Jobs, CronJobs and run-to-completion Pods are not asked.
import { defineRule } from '../../server/src/engine/rule';
import type { FixOffer } from '../../server/src/engine/types';
import { allWorkloads, containerSubject, isObj, LONG_RUNNING, type Container, type Obj, type Workload } from '../lib/k8s';
import { containerData, containerFixData, containerForFix, ensureEntries, isBlockMapAt, isSet } from '../lib/resources';

const HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const;
const PROBES = ['readinessProbe', 'livenessProbe'] as const;
type ProbeName = (typeof PROBES)[number];

const PATHS: Record<ProbeName, string> = { readinessProbe: '/ready', livenessProbe: '/healthz' };

/** Port names (or their protocol prefix, Istio style: `grpc-api`) that do not speak HTTP. */
const NON_HTTP_NAMES = new Set([
  'grpc', 'grpcs', 'tcp', 'tls', 'mongo', 'mongodb', 'mysql', 'mariadb', 'redis', 'postgres', 'postgresql', 'pg', 'amqp', 'amqps',
  'kafka', 'memcache', 'memcached', 'zk', 'zookeeper', 'nats', 'mqtt', 'ldap', 'ldaps', 'smtp', 'imap', 'dns', 'cql', 'cassandra',
  'thrift', 'db', 'sql', 'ssh', 'ftp',
]);
/** Well-known ports of protocols other than HTTP (databases, brokers, caches, mail, DNS, SSH). */
const NON_HTTP_PORTS = new Set([21, 22, 25, 53, 389, 636, 1433, 1521, 1883, 2181, 3306, 4222, 5432, 5672, 6379, 9042, 9092, 11211, 27017]);
const HTTPS_PORTS = new Set([443, 8443]);

/** A probe counts when it names a handler; `startupProbe` never counts. */
function hasProbe(v: unknown): boolean {
  return isObj(v) && HANDLERS.some((h) => isSet(v[h]));
}

function missingProbes(container: Obj): ProbeName[] {
  return PROBES.filter((p) => !hasProbe(container[p]));
}

/** Pods with `restartPolicy: Never` or `OnFailure` run to completion, like Jobs. */
function isLongRunning(w: Workload): boolean {
  if (!LONG_RUNNING.has(w.kind)) return false;
  return !(w.kind === 'Pod' && (w.podSpec.restartPolicy === 'Never' || w.podSpec.restartPolicy === 'OnFailure'));
}

/** Regular containers, and init containers that keep running beside them (native sidecars). */
function isAsked(c: Container): boolean {
  return !c.init || c.value.restartPolicy === 'Always';
}

interface Target {
  handler: 'httpGet' | 'tcpSocket';
  port: string | number;
  https: boolean;
}

/** Where a probe skeleton points: the container's first TCP port, by name when it has one. */
function targetOf(container: Obj): Target | undefined {
  const ports = Array.isArray(container.ports) ? container.ports : [];
  for (const p of ports) {
    if (!isObj(p) || typeof p.containerPort !== 'number') continue;
    if (typeof p.protocol === 'string' && p.protocol.toUpperCase() !== 'TCP') continue;
    const number = p.containerPort;
    const name = typeof p.name === 'string' && p.name.trim() !== '' ? p.name.trim() : undefined;
    const prefix = name?.toLowerCase().split('-')[0];
    const named = prefix !== undefined && (prefix.startsWith('http') || prefix === 'web' || prefix === 'metrics');
    const nonHttp = prefix !== undefined && NON_HTTP_NAMES.has(prefix);
    const tcp = nonHttp || (!named && NON_HTTP_PORTS.has(number));
    const https = !tcp && (prefix === 'https' || (!named && HTTPS_PORTS.has(number)));
    return { handler: tcp ? 'tcpSocket' : 'httpGet', port: name ?? number, https };
  }
  return undefined;
}

function skeleton(probe: ProbeName, t: Target): Record<string, unknown> {
  if (t.handler === 'tcpSocket') return { tcpSocket: { port: t.port } };
  return { httpGet: { path: PATHS[probe], port: t.port, ...(t.https ? { scheme: 'HTTPS' } : {}) } };
}

function fixTitle(missing: readonly ProbeName[], t: Target): string {
  const what = missing.length === 2 ? 'readinessProbe and livenessProbe skeletons' : `a ${missing[0]} skeleton`;
  const how = t.handler === 'tcpSocket' ? `tcpSocket on port ${t.port}` : `httpGet ${missing.map((m) => PATHS[m]).join(' and ')} on port ${t.port}`;
  return `Add ${what} (${how})`;
}

function messageIdOf(missing: readonly ProbeName[]): string {
  if (missing.length === 2) return 'missing';
  return missing[0] === 'readinessProbe' ? 'missingReadiness' : 'missingLiveness';
}

export default defineRule({
  meta: {
    id: 'k8s/probes',
    category: 'resilience',
    weight: 4,
    severity: 'warning',
    scope: 'location',
    title: 'Long-running containers define readiness and liveness probes',
    summary: 'long-running workload containers define readinessProbe and livenessProbe',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'define readiness and liveness probes' },
    messages: {
      missing: "{role} '{name}' in {kind} '{workload}' defines neither a readinessProbe nor a livenessProbe",
      missingReadiness: "{role} '{name}' in {kind} '{workload}' defines no readinessProbe (it gets traffic before it is ready)",
      missingLiveness: "{role} '{name}' in {kind} '{workload}' defines no livenessProbe (a hung process is never restarted)",
    },
    fixable: true,
  },
  check(ctx) {
    for (const w of allWorkloads(ctx.filesOf('k8s'))) {
      if (!isLongRunning(w)) continue;
      for (const c of w.containers) {
        if (!isAsked(c)) continue;
        const subject = containerSubject(w, c);
        const missing = missingProbes(c.value);
        if (missing.length === 0) {
          ctx.subject(subject);
          continue;
        }
        const target = targetOf(c.value);
        const fixes: FixOffer[] = target && isBlockMapAt(w.doc, c.ptr) ? [{ title: fixTitle(missing, target), safe: false, kind: 'probes' }] : [];
        ctx.report({
          subject,
          messageId: messageIdOf(missing),
          data: containerData(w, c),
          file: w.file.path,
          span: c.nameSpan,
          fixes,
          fixData: containerFixData(c),
          credit: missing.length < PROBES.length ? 0.5 : undefined,
        });
      }
    }
  },
  fix(finding, kind, ctx) {
    if (kind !== 'probes') return [];
    const found = containerForFix(finding, ctx);
    if (!found) return [];
    const target = targetOf(found.value);
    const missing = missingProbes(found.value);
    if (!target || missing.length === 0) return [];
    const entries: Record<string, unknown> = {};
    for (const probe of missing) entries[probe] = skeleton(probe, target);
    return ensureEntries(found.text, finding.file, found.doc, found.data.path, entries);
  },
});
