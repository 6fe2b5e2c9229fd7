// k8s/ingress-tls: every Ingress terminates TLS — a non-empty `spec.tls`, or a certificate
// attached by the cloud load balancer's own annotation.
import { isMap } from 'yaml';
import { defineRule } from '../../server/src/engine/rule';
import { allObjects, documentAt, get, isObj, nodeData, type K8sObject } from '../lib/k8s';
import { objectSubject, quotedList } from '../lib/k8s-links';
import { insertEntriesFirst, setBlockValue } from '../lib/k8s-links-edit';
import { isBlockMapAt } from '../lib/resources';
import type { Path } from '../lib/yaml-edit';
import { pointer } from '../../server/src/engine/parse/yaml';

/** Annotations with which a cloud load balancer terminates TLS without `spec.tls`. */
const CERTIFICATE_ANNOTATIONS = [
  'alb.ingress.kubernetes.io/certificate-arn', // AWS Load Balancer Controller
  'networking.gke.io/managed-certificates', // GKE managed certificates
  'ingress.gcp.kubernetes.io/pre-shared-cert', // GKE pre-shared certificates
  'appgw.ingress.kubernetes.io/appgw-ssl-certificate', // Azure Application Gateway
];

interface TlsFixData {
  docStart: number;
  specPath: Path;
}

function isFixData(v: unknown): v is TlsFixData {
  return typeof v === 'object' && v !== null && typeof (v as TlsFixData).docStart === 'number' && Array.isArray((v as TlsFixData).specPath);
}

function isIngress(o: K8sObject): boolean {
  return o.apiVersion.startsWith('networking.k8s.io/') || o.apiVersion.startsWith('extensions/');
}

/** The distinct `spec.rules[].host` values, in order. */
function hostsOf(spec: unknown): string[] {
  const rules = get(spec, 'rules');
  if (!Array.isArray(rules)) return [];
  const hosts: string[] = [];
  for (const r of rules) {
    const h = get(r, 'host');
    if (typeof h === 'string' && h.trim() !== '' && !hosts.includes(h)) hosts.push(h);
  }
  return hosts;
}

function cloudCertificate(o: K8sObject): boolean {
  const annotations = get(o.value, 'metadata', 'annotations');
  if (!isObj(annotations)) return false;
  return CERTIFICATE_ANNOTATIONS.some((a) => typeof annotations[a] === 'string' && (annotations[a] as string).trim() !== '');
}

export default defineRule({
  meta: {
    id: 'k8s/ingress-tls',
    category: 'security',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Ingresses terminate TLS',
    summary: 'each Ingress has a tls section',
    appliesTo: ['k8s'],
    subjects: { singular: 'Ingress', plural: 'Ingresses', passing: 'configure TLS' },
    messages: {
      missing: "Ingress '{name}' has no spec.tls section: traffic to {what} is not encrypted",
      empty: "Ingress '{name}' has an empty spec.tls list: traffic to {what} is not encrypted",
    },
    fixable: true,
  },
  check(ctx) {
    for (const o of allObjects(ctx.filesOf('k8s'), 'Ingress')) {
      if (!isIngress(o)) continue;
      const subject = objectSubject(o);
      const spec = get(o.value, 'spec');
      const tls = get(spec, 'tls');
      if ((Array.isArray(tls) && tls.length > 0) || cloudCertificate(o)) {
        ctx.subject(subject);
        continue;
      }
      const hosts = hostsOf(spec);
      const what = hosts.length === 0 ? 'any host' : `${hosts.length > 1 ? 'hosts' : 'host'} ${quotedList(hosts)}`;
      const fixData: TlsFixData = { docStart: o.doc.span[0], specPath: [...o.basePath, 'spec'] };
      ctx.report({
        subject,
        messageId: tls === undefined ? 'missing' : 'empty',
        data: { name: o.name, what },
        file: o.file.path,
        span: o.nameSpan,
        // Not safe: the Secret it names may not exist yet, and most controllers start redirecting HTTP to HTTPS.
        // Only into a block spec: block lines inserted into a flow map (`spec: {…}`) are invalid YAML.
        fixes: isBlockMapAt(o.doc, pointer(...fixData.specPath)) ? [{ title: 'Add a spec.tls section', safe: false, kind: 'tls' }] : [],
        fixData,
      });
    }
  },
  fix(finding, kind, ctx) {
    if (kind !== 'tls' || !isFixData(finding.fixData)) return [];
    const { docStart, specPath } = finding.fixData;
    const doc = documentAt(ctx, finding.file, docStart);
    if (!doc) return [];
    const text = ctx.text(finding.file);
    const specNode = doc.getIn(specPath, true);
    const spec: unknown = isMap(specNode) ? nodeData(specNode, doc) : undefined;
    const name = doc.getIn([...specPath.slice(0, -1), 'metadata', 'name']);
    const secretName = `${typeof name === 'string' || typeof name === 'number' ? String(name) : 'ingress'}-tls`;
    const hosts = hostsOf(spec);
    const entry = hosts.length > 0 ? { hosts, secretName } : { secretName };
    if (doc.hasIn([...specPath, 'tls'])) return setBlockValue(text, finding.file, doc, specPath, 'tls', [entry]);
    return [insertEntriesFirst(text, finding.file, doc, specPath, { tls: [entry] })];
  },
});
