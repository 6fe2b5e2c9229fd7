// docker/non-root-user: the final stage runs as a non-root user. No USER at all is root
// (the implicit default); creating a user without switching to it is still root; the last
// USER decides. A stage built on an earlier stage (`FROM build`) inherits its USER; a
// stage built on an image does not see USERs of other stages.
import { defineRule } from '../../server/src/engine/rule';
import type { DfStage } from '../../server/src/engine/parse/dockerfile';
import type { TextEdit } from '../../server/src/engine/types';
import { currentFacts, dockerfiles, effectiveUser, imageFamily, insertionPoint, insertLines, isRootUser, nonRootByDefault, stageChain, type ImageFamily } from '../lib/dockerfile';

/** Lines that create the `app` user and group, per base image family. */
const CREATE_USER: Record<Exclude<ImageFamily, 'none'>, string> = {
  alpine: 'RUN addgroup -S app && adduser -S app -G app',
  debian: 'RUN groupadd --system app && useradd --system --gid app app',
};

/** The user a stage chain creates with useradd/adduser (the last one named), if any. */
function createdUser(chain: readonly DfStage[]): { found: boolean; name?: string } {
  let found = false;
  for (const s of chain) {
    for (let i = s.userAdds.length - 1; i >= 0; i--) {
      found = true;
      const name = s.userAdds[i]!.name;
      if (name && !isRootUser(name)) return { found, name };
    }
  }
  return { found };
}

type Plan = { kind: 'switch'; user: string } | { kind: 'create'; family: Exclude<ImageFamily, 'none'> } | { kind: 'uid' };

/** What the fix adds: USER for a user the image creates; else create `app` and switch; no shell: a numeric user. */
function planFor(chain: readonly DfStage[]): Plan | undefined {
  const created = createdUser(chain);
  if (created.name) return { kind: 'switch', user: created.name };
  if (created.found) return undefined; // a user is created, but which one cannot be told
  const family = imageFamily(chain);
  return family === 'none' ? { kind: 'uid' } : { kind: 'create', family };
}

function linesOf(plan: Plan): string[] {
  if (plan.kind === 'switch') return [`USER ${plan.user}`];
  if (plan.kind === 'uid') return ['USER 65532:65532'];
  return [CREATE_USER[plan.family], 'USER app'];
}

function titleOf(plan: Plan): string {
  if (plan.kind === 'switch') return `Switch to user '${plan.user}' before the container command`;
  if (plan.kind === 'uid') return 'Run as the unprivileged user 65532 (USER 65532:65532)';
  return "Create user 'app' and switch to it before the container command";
}

export default defineRule({
  meta: {
    id: 'docker/non-root-user',
    category: 'security',
    weight: 4,
    severity: 'warning',
    scope: 'location',
    title: 'Dockerfiles switch to a non-root user',
    summary: 'the final stage switches to a non-root USER (no USER at all runs as root)',
    appliesTo: ['dockerfile'],
    subjects: { singular: 'Dockerfile', plural: 'Dockerfiles', passing: 'run as a non-root user' },
    messages: {
      missing: 'The final stage sets no USER, so the container runs as root',
      createdNotUsed: "The final stage creates user '{user}' but never switches to it with USER, so the container still runs as root",
      createdUnnamed: 'The final stage creates a user but never switches to it with USER, so the container still runs as root',
      root: "The final stage's last USER is '{user}', so the container runs as root",
    },
    fixable: true,
  },
  check(ctx) {
    for (const { file, facts, final } of dockerfiles(ctx.filesOf('dockerfile'))) {
      const subject = { key: `${file.path}#${file.path}/final-stage`, file: file.path, span: final.from.span };
      const chain = stageChain(facts, final);
      const effective = effectiveUser(chain);
      if (effective && !isRootUser(effective.user.value)) {
        ctx.subject(subject);
        continue;
      }
      if (!effective && nonRootByDefault(chain)) {
        ctx.subject(subject);
        continue;
      }
      const plan = planFor(chain);
      const fixes = plan ? [{ title: titleOf(plan), safe: false, kind: 'user' }] : [];
      if (effective) {
        ctx.report({ subject, messageId: 'root', data: { user: effective.user.value }, file: file.path, span: effective.user.span, fixes });
        continue;
      }
      const created = createdUser(chain);
      const messageId = created.name ? 'createdNotUsed' : created.found ? 'createdUnnamed' : 'missing';
      ctx.report({ subject, messageId, data: created.name ? { user: created.name } : {}, file: file.path, span: final.from.span, fixes });
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'user') return [];
    const current = currentFacts(ctx, finding.file);
    if (!current) return [];
    const { text, facts, final } = current;
    const chain = stageChain(facts, final);
    const effective = effectiveUser(chain);
    if (effective && !isRootUser(effective.user.value)) return [];
    const plan = planFor(chain);
    if (!plan) return [];
    // After a root USER of the final stage, so that the new USER is the last one.
    const after = effective && effective.stage === final ? effective.user.span.end : -1;
    return [insertLines(finding.file, text, insertionPoint(text, final, after), linesOf(plan))];
  },
});
