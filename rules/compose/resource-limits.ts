// compose/resource-limits: every service sets a memory and a CPU limit, with
// `deploy.resources.limits` or the older service-level `mem_limit` / `cpus`.
import { defineRule, type CheckContext } from '../../server/src/engine/rule';
import type { FixOffer, TextEdit } from '../../server/src/engine/types';
import { composeServices, layerSetting, overlayEvidence, overlayNote, serviceSubject, type ComposeService } from '../lib/compose';
import { serviceForFix } from '../lib/compose-edit';
import { get, isObj, type Obj } from '../lib/k8s';
import { ensureEntries, isBlockMapAt, isSet, writableAlong } from '../lib/resources';

type Limit = 'cpus' | 'memory';

const DEFAULTS: Record<Limit, string> = { cpus: '0.50', memory: '512M' };
const LEGACY: Record<Limit, string> = { cpus: 'cpus', memory: 'mem_limit' };
const LEGACY_DEFAULTS: Record<Limit, string> = { cpus: '0.50', memory: '512m' };

/** Where the service sets the limit: `deploy.resources.limits.<limit>` or the legacy key. */
function limitKeys(limit: Limit): string[][] {
  return [['deploy', 'resources', 'limits', limit], [LEGACY[limit]]];
}

function missingLimits(service: Obj): Limit[] {
  return (['cpus', 'memory'] as const).filter((l) => !limitKeys(l).some((keys) => isSet(get(service, ...keys))));
}

/** The other limit is written in the legacy form (and the service has no `deploy.resources.limits`): stay with it. */
function usesLegacy(service: Obj): boolean {
  return (isSet(service.mem_limit) || isSet(service.cpus)) && !isObj(get(service, 'deploy', 'resources', 'limits'));
}

/** What the fix inserts under the service: the missing limits, in the style the service already uses. */
function additions(legacy: boolean, missing: readonly Limit[]): Record<string, unknown> {
  if (legacy) return Object.fromEntries(missing.map((l) => [LEGACY[l], LEGACY_DEFAULTS[l]]));
  return { deploy: { resources: { limits: Object.fromEntries(missing.map((l) => [l, DEFAULTS[l]])) } } };
}

function describe(add: Record<string, unknown>): string {
  const flat: string[] = [];
  const walk = (v: unknown, prefix: string): void => {
    if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
    else flat.push(`${prefix}: ${String(v)}`);
  };
  walk(add, '');
  return flat.join(', ');
}

interface FixData {
  name: string;
  missing: Limit[];
  legacy: boolean;
}

function isFixData(v: unknown): v is FixData {
  return isObj(v) && typeof v.name === 'string' && Array.isArray(v.missing) && typeof v.legacy === 'boolean';
}

function noteSources(ctx: CheckContext, s: ComposeService): void {
  for (const limit of ['cpus', 'memory'] as const) {
    for (const keys of limitKeys(limit)) {
      const layer = layerSetting(s, ...keys);
      if (layer) {
        overlayNote(ctx, s, layer, keys, `${limit === 'cpus' ? 'CPU' : 'memory'} limit (${keys.join('.')})`);
        break;
      }
    }
  }
}

function check(ctx: CheckContext): void {
  const files = ctx.filesOf('compose');
  overlayEvidence(ctx, files);
  for (const s of composeServices(files)) {
    const subject = serviceSubject(s);
    noteSources(ctx, s);
    const missing = missingLimits(s.value);
    if (missing.length === 0) {
      ctx.subject(subject);
      continue;
    }
    const legacy = usesLegacy(s.value);
    const add = additions(legacy, missing);
    const writable = isBlockMapAt(s.doc, s.ptr) && writableAlong(s.doc, s.ptr, legacy ? [] : ['deploy', 'resources', 'limits']);
    const fixes: FixOffer[] = writable ? [{ title: `Add placeholder limits (${describe(add)})`, safe: false, kind: 'limits' }] : [];
    const fixData: FixData = { name: s.name, missing, legacy };
    ctx.report({
      subject,
      messageId: missing.length === 2 ? 'missing' : missing[0] === 'cpus' ? 'missingCpu' : 'missingMemory',
      data: { name: s.name },
      file: s.file.path,
      span: s.keySpan,
      fixes,
      fixData,
      credit: missing.length === 1 ? 0.5 : undefined,
    });
  }
}

export default defineRule({
  meta: {
    id: 'compose/resource-limits',
    category: 'scalability',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Compose services set resource limits',
    summary: 'each service sets memory and CPU limits (deploy.resources.limits, or mem_limit and cpus)',
    appliesTo: ['compose'],
    subjects: { singular: 'service', plural: 'services', passing: 'set memory and CPU limits' },
    messages: {
      missing: "Service '{name}' sets no memory or CPU limit (deploy.resources.limits)",
      missingCpu: "Service '{name}' sets a memory limit but no CPU limit (deploy.resources.limits.cpus or cpus)",
      missingMemory: "Service '{name}' sets a CPU limit but no memory limit (deploy.resources.limits.memory or mem_limit)",
    },
    fixable: true,
  },
  check,
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'limits' || !isFixData(finding.fixData)) return [];
    const found = serviceForFix(ctx, finding.file, finding.span.start, finding.fixData.name);
    if (!found) return [];
    // Only what is still missing in this file: a limit set meanwhile is kept as it is.
    const missing = finding.fixData.missing.filter((l) => missingLimits(found.value).includes(l));
    if (missing.length === 0) return [];
    return ensureEntries(found.text, finding.file, found.doc, found.path, additions(finding.fixData.legacy, missing));
  },
});
