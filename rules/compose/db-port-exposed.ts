// compose/db-port-exposed: database and cache services do not publish their ports on every
// host interface (where anyone who can reach the host can reach the database).
import { isMap, isScalar } from 'yaml';
import { defineRule } from '../../server/src/engine/rule';
import type { FixOffer, TextEdit } from '../../server/src/engine/types';
import { bindToLoopback, composeServices, databaseOf, portItems, publishesOnAllInterfaces, serviceSubject, type Layer, type PortItem } from '../lib/compose';
import { replaceScalar } from '../lib/compose-edit';
import { documentAt, isObj, spanAt } from '../lib/k8s';
import { ensureEntries, isBlockMapAt } from '../lib/resources';

function describePort(p: PortItem): string {
  if (typeof p.raw === 'string' || typeof p.raw === 'number') return String(p.raw).trim();
  return p.published ? `${p.published}:${p.target ?? '?'}` : `target ${p.target ?? '?'}`;
}

/** Whether the fix can bind this item: short syntax without an interpolated address, or a block long-syntax item. */
function fixable(layer: Layer, p: PortItem): boolean {
  if (!p.exact) return false;
  if (!p.long) return typeof p.raw === 'number' || (typeof p.raw === 'string' && bindToLoopback(p.raw) !== undefined);
  const ptr = `${layer.ptr}/ports/${p.index}`;
  return isObj(p.raw) && (p.raw.host_ip !== undefined ? layer.doc.spans[`${ptr}/host_ip`] !== undefined : isBlockMapAt(layer.doc, ptr));
}

interface FixData {
  name: string;
  indexes: number[];
}

function isFixData(v: unknown): v is FixData {
  return isObj(v) && typeof v.name === 'string' && Array.isArray(v.indexes) && v.indexes.every((i) => typeof i === 'number');
}

export default defineRule({
  meta: {
    id: 'compose/db-port-exposed',
    category: 'security',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Database ports are not published on all interfaces',
    summary: 'database and cache services do not publish their ports on all host interfaces',
    appliesTo: ['compose'],
    subjects: { singular: 'database service', plural: 'database services', passing: 'keep their ports off public interfaces' },
    messages: {
      exposed: "{db} service '{name}' publishes {ports} on all host interfaces, so anyone who can reach the host can reach it; bind to 127.0.0.1 or use expose",
      hostNetwork: "{db} service '{name}' uses the host's network (network_mode: host), so it listens on every host interface",
    },
    fixable: true,
  },
  check(ctx) {
    for (const s of composeServices(ctx.filesOf('compose'))) {
      const db = databaseOf(s);
      if (!db) continue;
      const subject = serviceSubject(s);
      let fails = false;
      if (s.value.network_mode === 'host') {
        // Where it is set: an own layer, else (inherited through `extends`) the service's key.
        const layer = [...s.layers].reverse().find((l) => l.value.network_mode === 'host');
        const ptr = layer ? `${layer.ptr}/network_mode` : '';
        const at = layer && layer.doc.spans[ptr] ? { file: layer.file.path, span: spanAt(layer.doc, ptr) } : { file: s.file.path, span: s.keySpan };
        ctx.report({ subject, messageId: 'hostNetwork', data: { db: db.db.label, name: s.name }, ...at });
        fails = true;
      }
      const exposed = s.layers.map((layer) => ({ layer, items: portItems(layer).filter(publishesOnAllInterfaces) })).filter((x) => x.items.length > 0);
      const first = exposed[0];
      if (first) {
        const all = exposed.flatMap((x) => x.items);
        const ports = `${all.length === 1 ? 'port' : 'ports'} ${all.map(describePort).join(', ')}`;
        const indexes = first.items.filter((p) => fixable(first.layer, p)).map((p) => p.index);
        const fixes: FixOffer[] = indexes.length > 0 ? [{ title: `Bind ${indexes.length === 1 ? 'the port' : 'the ports'} to 127.0.0.1`, safe: false, kind: 'loopback' }] : [];
        const fixData: FixData = { name: s.name, indexes };
        ctx.report({ subject, messageId: 'exposed', data: { db: db.db.label, name: s.name, ports }, file: first.layer.file.path, span: first.items[0]!.span, fixes, fixData });
        fails = true;
      }
      if (!fails) ctx.subject(subject);
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'loopback' || !isFixData(finding.fixData)) return [];
    const doc = documentAt(ctx, finding.file, finding.span.start);
    if (!doc || doc.errors.length > 0) return [];
    const text = ctx.text(finding.file);
    const portsPath = ['services', finding.fixData.name, 'ports'];
    const edits: TextEdit[] = [];
    for (const i of finding.fixData.indexes) {
      const path = [...portsPath, i];
      const node = doc.getIn(path, true);
      if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
        const bound = bindToLoopback(String(node.value));
        if (bound === undefined || bound === String(node.value)) continue;
        const edit = replaceScalar(text, finding.file, doc, path, bound, typeof node.value === 'number');
        if (edit) edits.push(edit);
      } else if (isMap(node)) {
        const ip: unknown = node.get('host_ip');
        if (ip === '127.0.0.1') continue;
        if (node.has('host_ip')) {
          const edit = replaceScalar(text, finding.file, doc, [...path, 'host_ip'], '127.0.0.1');
          if (edit) edits.push(edit);
        } else if (!node.flow) edits.push(...ensureEntries(text, finding.file, doc, path, { host_ip: '127.0.0.1' }));
      }
    }
    return edits;
  },
});
