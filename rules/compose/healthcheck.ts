// compose/healthcheck: every long-running service has a healthcheck, in compose or as a
// HEALTHCHECK in the Dockerfile it builds from.
import { Document as YamlDocument, isScalar, type YAMLSeq } from 'yaml';
import type { DfHealthcheck, DfStage } from '../../server/src/engine/parse/dockerfile';
import { defineRule, type CheckContext } from '../../server/src/engine/rule';
import type { Evidence, FixOffer, SourceFile, TextEdit } from '../../server/src/engine/types';
import { buildOf, databaseOf, firstContainerPort, layerSetting, longRunningServices, overlayNote, serviceSubject, type ComposeService } from '../lib/compose';
import { serviceForFix } from '../lib/compose-edit';
import { get, isObj } from '../lib/k8s';
import { ensureEntries, isBlockMapAt, isSet } from '../lib/resources';

const TIMING = { interval: '10s', timeout: '5s', retries: 5 };

/** The stage a build produces: `build.target` when given, else the last one. */
function builtStage(stages: readonly DfStage[], target: string | undefined): DfStage | undefined {
  if (target === undefined) return stages[stages.length - 1];
  return stages.find((s) => s.name === target.toLowerCase());
}

/** The HEALTHCHECK in effect in a stage: its own last one, else the one of the stage it is built on. */
function stageHealthcheck(stages: readonly DfStage[], stage: DfStage): { hc: DfHealthcheck; stage: DfStage } | undefined {
  let cur: DfStage | undefined = stage;
  for (let hops = 0; cur && hops <= stages.length; hops++) {
    if (cur.healthcheck) return { hc: cur.healthcheck, stage: cur };
    cur = cur.base === 'stage' && cur.baseStage !== undefined ? stages[cur.baseStage] : undefined;
  }
  return undefined;
}

interface DockerfileVerdict {
  /** The Dockerfile's HEALTHCHECK that applies (not NONE). */
  found?: { file: SourceFile; hc: DfHealthcheck; stage: DfStage };
  /** Path of the Dockerfile looked at, when it is among the scanned files. */
  path?: string;
  /** What was looked for and why it did not count. */
  evidence?: Evidence;
}

function stageLabel(stages: readonly DfStage[], stage: DfStage): string {
  if (stage.name) return `stage '${stage.name}'`;
  return stage.index === stages.length - 1 ? 'its final stage' : `stage ${stage.index + 1}`;
}

function dockerfileVerdict(ctx: CheckContext, s: ComposeService): DockerfileVerdict | undefined {
  const build = buildOf(s);
  if (!build) return undefined;
  if (!build.dockerfile) return { evidence: { note: `service '${s.name}' builds from ${build.unresolved ?? 'a Dockerfile that cannot be resolved'}: its HEALTHCHECK cannot be read` } };
  const path = build.dockerfile;
  const file = ctx.files.find((f) => f.path === path);
  const facts = file?.facts.dockerfile;
  if (!file || !facts) return { evidence: { note: `service '${s.name}' builds from ${path}, which is not among the scanned files` } };
  const stage = builtStage(facts.stages, build.target);
  if (!stage) return { path, evidence: { file: path, span: { start: 0, end: 0 }, note: `service '${s.name}' builds ${build.target ? `stage '${build.target}' of ` : ''}${path}, which has no such stage` } };
  const found = stageHealthcheck(facts.stages, stage);
  const at = { file: path, span: stage.from.span };
  if (!found) return { path, evidence: { ...at, note: `service '${s.name}' builds from ${path}: no HEALTHCHECK in ${stageLabel(facts.stages, stage)}` } };
  if (found.hc.none) return { path, evidence: { file: path, span: found.hc.span, note: `service '${s.name}' builds from ${path}: HEALTHCHECK NONE switches it off in ${stageLabel(facts.stages, stage)}` } };
  return { path, found: { file, ...found } };
}

/** `healthcheck.disable: true`, or `test: ["NONE"]`. */
function disabled(hc: unknown): boolean {
  if (!isObj(hc)) return false;
  if (hc.disable === true) return true;
  const test = hc.test;
  return (Array.isArray(test) && test[0] === 'NONE') || test === 'NONE';
}

/** A healthcheck test that fits the service: its database's own probe, else an HTTP probe on its first port. */
function suggestedTest(s: ComposeService): string[] | undefined {
  const db = databaseOf(s);
  if (db) return db.db.healthcheck;
  const port = firstContainerPort(s.value);
  return port === undefined ? undefined : ['CMD-SHELL', `wget -qO- http://localhost:${port}/healthz || exit 1`];
}

interface FixData {
  name: string;
  test: string[];
}

function isFixData(v: unknown): v is FixData {
  return isObj(v) && typeof v.name === 'string' && Array.isArray(v.test) && v.test.every((t) => typeof t === 'string');
}

function flowSeq(items: readonly string[]): YAMLSeq {
  const seq = new YamlDocument().createNode(items) as YAMLSeq;
  seq.flow = true;
  for (const item of seq.items) if (isScalar(item)) item.type = 'QUOTE_DOUBLE';
  return seq;
}

export default defineRule({
  meta: {
    id: 'compose/healthcheck',
    category: 'resilience',
    weight: 2,
    severity: 'info',
    scope: 'location',
    title: 'Compose services define a healthcheck',
    summary: 'each long-running service has a healthcheck, in compose or in the Dockerfile it builds from',
    appliesTo: ['compose'],
    subjects: { singular: 'long-running service', plural: 'long-running services', passing: 'define a healthcheck' },
    messages: {
      missing: "Service '{name}' has no healthcheck, so compose cannot tell when it is ready or hung",
      missingDockerfile: "Service '{name}' has no healthcheck, and its Dockerfile {dockerfile} has none in the stage it builds",
      disabled: "Service '{name}' disables its healthcheck (healthcheck.disable: true or test: [\"NONE\"])",
    },
    fixable: true,
  },
  check(ctx) {
    const files = ctx.filesOf('compose');
    for (const s of longRunningServices(ctx, files, 'no healthcheck asked for')) {
      const subject = serviceSubject(s);
      const hc = s.value.healthcheck;
      const base = { subject, data: { name: s.name }, file: s.file.path, span: s.keySpan };
      if (disabled(hc)) {
        ctx.report({ ...base, messageId: 'disabled' });
        continue;
      }
      const hasTest = isObj(hc) && isSet(hc.test);
      if (hasTest) {
        overlayNote(ctx, s, layerSetting(s, 'healthcheck', 'test'), ['healthcheck', 'test'], 'healthcheck');
        ctx.subject(subject);
        continue;
      }
      const df = dockerfileVerdict(ctx, s);
      if (df?.found) {
        const where = stageLabel(df.found.file.facts.dockerfile?.stages ?? [], df.found.stage);
        ctx.evidence({ file: df.found.file.path, span: df.found.hc.span, note: `service '${s.name}' (${s.file.path}): HEALTHCHECK inherited from ${df.found.file.path} (${where})` });
        ctx.subject(subject);
        continue;
      }
      // Timing options without a test tune the image's own check, which cannot be seen here.
      if (isObj(hc) && !df) {
        ctx.evidence({ file: s.file.path, span: s.keySpan, note: `service '${s.name}' tunes its image's healthcheck (healthcheck without test)` });
        ctx.subject(subject);
        continue;
      }
      if (df?.evidence) ctx.evidence(df.evidence);
      const test = suggestedTest(s);
      const fixes: FixOffer[] = test && isBlockMapAt(s.doc, s.ptr) ? [{ title: `Add a healthcheck (${test.slice(1).join(' ')})`, safe: false, kind: 'healthcheck' }] : [];
      const fixData: FixData | undefined = test ? { name: s.name, test } : undefined;
      if (df?.path) ctx.report({ ...base, data: { name: s.name, dockerfile: df.path }, messageId: 'missingDockerfile', fixes, fixData });
      else ctx.report({ ...base, messageId: 'missing', fixes, fixData });
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'healthcheck' || !isFixData(finding.fixData)) return [];
    const found = serviceForFix(ctx, finding.file, finding.span.start, finding.fixData.name);
    if (!found || isSet(get(found.value, 'healthcheck', 'test')) || disabled(found.value.healthcheck)) return [];
    return ensureEntries(found.text, finding.file, found.doc, found.path, { healthcheck: { test: flowSeq(finding.fixData.test), ...TIMING } });
  },
});
