// compose/persistent-volume: database services keep their data directory on a named volume
// or a bind mount, so that the data outlives the container.
import { isMap, isScalar, type Document } from 'yaml';
import { defineRule, type CheckContext } from '../../server/src/engine/rule';
import type { FixOffer, TextEdit } from '../../server/src/engine/types';
import { composeServices, databaseOf, mounts, parseShortVolume, serviceSubject, type ComposeService, type Database, type Mount } from '../lib/compose';
import { appendItem, replaceScalar, serviceForFix } from '../lib/compose-edit';
import { get, isObj, keySpanAt } from '../lib/k8s';
import { ensureEntries, isBlockMapAt, writableAlong } from '../lib/resources';
import { mergeInsertions } from '../lib/yaml-edit';
import { pointer } from '../../server/src/engine/parse/yaml';

/** Whether a mount keeps the database's data: at a data directory, or (Bitnami) at or below its data root. */
function holdsData(db: Database, m: Mount): boolean {
  if (db.dataDirs.includes(m.target)) return true;
  return db.dataRoot !== undefined && (m.target === '/bitnami' || m.target.startsWith(db.dataRoot + '/'));
}

/** Redis run as a pure cache: `--save ""` and no `--appendonly yes` on its command line. */
function redisWithoutPersistence(command: unknown): boolean {
  const words = Array.isArray(command)
    ? command.map((w) => String(w))
    : typeof command === 'string'
      ? command.split(/\s+/).map((w) => w.replace(/^(['"])(.*)\1$/, '$2'))
      : [];
  const save = words.indexOf('--save');
  const aof = words.indexOf('--appendonly');
  return save >= 0 && words[save + 1] === '' && !(aof >= 0 && words[aof + 1] === 'yes');
}

/** A volume name for the service: `<service>-data`, numbered when another service of the project mounts that name. */
function volumeName(s: ComposeService): string {
  const base = `${s.name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'db'}-data`;
  const taken = new Set(s.project.services.filter((o) => o !== s).flatMap((o) => mounts(o).flatMap((m) => (m.type === 'volume' && m.source ? [m.source] : []))));
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (!taken.has(name)) return name;
  }
}

interface FixData {
  name: string;
  volume: string;
  dir: string;
  /** Key path of an anonymous volume item to name, when the data directory has one in this file. */
  item?: (string | number)[];
}

function isFixData(v: unknown): v is FixData {
  return isObj(v) && typeof v.name === 'string' && typeof v.volume === 'string' && typeof v.dir === 'string' && (v.item === undefined || Array.isArray(v.item));
}

function evidenceOf(ctx: CheckContext, s: ComposeService, m: Mount, db: Database): void {
  const what = m.type === 'volume' ? `named volume '${m.source ?? ''}'` : `bind mount ${m.source ?? ''}`;
  ctx.evidence({ file: m.layer.file.path, span: keySpanAt(m.layer.doc, pointer(...m.path)), note: `${db.db.label} service '${s.name}' (${s.file.path}) keeps ${m.target} on ${what}${m.layer.file === s.file ? '' : ` (set in ${m.layer.file.path})`}` });
}

/** Declares the named volume at the top level of the file when it is not declared there yet. */
function declareVolume(text: string, file: string, doc: Document.Parsed, volume: string): TextEdit[] {
  const top = doc.get('volumes', true);
  if (isMap(top) && top.has(volume)) return [];
  if (top !== undefined && top !== null && !isMap(top) && !(isScalar(top) && (top.value === null || top.value === ''))) return [];
  const escaped = volume.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return ensureEntries(text, file, doc, [], { volumes: { [volume]: null } }).map((e) => ({ ...e, newText: e.newText.replace(new RegExp(`(^|\\n)([ \\t]*)${escaped}: null(?=\\r?\\n|$)`), `$1$2${volume}:`) }));
}


export default defineRule({
  meta: {
    id: 'compose/persistent-volume',
    category: 'data',
    weight: 4,
    severity: 'warning',
    scope: 'location',
    title: 'Databases keep their data on a volume',
    summary: 'database services mount a named volume or a bind mount at their data directory',
    appliesTo: ['compose'],
    subjects: { singular: 'database service', plural: 'database services', passing: 'keep their data on a volume' },
    messages: {
      missing: "{db} service '{name}' mounts no volume at its data directory {dir}, so its data is lost when the container is removed",
      anonymous: "{db} service '{name}' keeps its data directory {dir} in an anonymous volume, which a new container does not get back after docker compose down; use a named volume",
      tmpfs: "{db} service '{name}' keeps its data directory {dir} on tmpfs (in memory), so its data is lost whenever the container stops",
    },
    fixable: true,
  },
  check(ctx) {
    for (const s of composeServices(ctx.filesOf('compose'))) {
      const db = databaseOf(s);
      if (!db || db.dataDirs.length === 0) continue;
      if (db.kind === 'redis' && redisWithoutPersistence(s.value.command)) {
        ctx.evidence({ file: s.file.path, span: s.keySpan, note: `Redis service '${s.name}' runs without persistence (--save ""): a cache, not asked for a volume` });
        continue;
      }
      const subject = serviceSubject(s);
      const all = mounts(s);
      const m = [...all].reverse().find((x) => holdsData(db, x));
      if (m && (m.type === 'volume' || m.type === 'bind' || m.type === 'other')) {
        evidenceOf(ctx, s, m, db);
        ctx.subject(subject);
        continue;
      }
      const dir = m?.target ?? db.dataDir ?? db.dataDirs[0]!;
      const messageId = m ? (m.type === 'tmpfs' ? 'tmpfs' : 'anonymous') : 'missing';
      const volume = volumeName(s);
      let fixData: FixData | undefined;
      if (messageId === 'missing' && isBlockMapAt(s.doc, s.ptr) && writableAlong(s.doc, s.ptr, ['volumes'])) fixData = { name: s.name, volume, dir };
      else if (m && m.type === 'anonymous' && m.layer === s.layers[0] && s.doc.spans[pointer(...m.path)]) fixData = { name: s.name, volume, dir, item: m.path };
      const fixes: FixOffer[] = fixData ? [{ title: `Mount named volume '${volume}' at ${dir}`, safe: false, kind: 'volume' }] : [];
      ctx.report({ subject, messageId, data: { db: db.db.label, name: s.name, dir }, file: s.file.path, span: s.keySpan, fixes, fixData });
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'volume' || !isFixData(finding.fixData)) return [];
    const { name, volume, dir, item } = finding.fixData;
    const found = serviceForFix(ctx, finding.file, finding.span.start, name);
    if (!found) return [];
    const { text, doc } = found;
    const edits: TextEdit[] = [];
    if (item) {
      const node = doc.getIn(item, true);
      if (isScalar(node) && typeof node.value === 'string') {
        const v = parseShortVolume(node.value);
        if (v.source !== undefined) return [];
        const edit = replaceScalar(text, finding.file, doc, item, `${volume}:${v.target.trim()}`);
        if (!edit) return [];
        edits.push(edit);
      } else if (isMap(node) && !node.flow && !node.has('source')) {
        edits.push(...ensureEntries(text, finding.file, doc, item, { source: volume }));
      } else return [];
    } else {
      const vols: unknown = get(found.value, 'volumes');
      if (Array.isArray(vols) && vols.some((v) => typeof v === 'string' && parseShortVolume(v).target.trim().replace(/\/+$/, '') === dir)) return [];
      edits.push(...appendItem(text, finding.file, doc, [...found.path, 'volumes'], `${volume}:${dir}`));
    }
    if (edits.length === 0) return [];
    return mergeInsertions([...edits, ...declareVolume(text, finding.file, doc, volume)]);
  },
});
