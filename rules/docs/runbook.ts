// docs/runbook: operational documentation exists — a runbook, an operations or deployment
// guide (RUNBOOK.md, OPERATIONS.md, DEPLOYMENT.md, docs/runbook*, docs/ops/**, runbooks/ …),
// or a README section about operating the software (Runbook, Operations, Troubleshooting,
// On-call, Incidents, Monitoring). A README whose only operational content is a Deploy
// section is partial: it says how to ship, not how to keep it running. One verdict for the
// repository.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence, SourceFile } from '../../server/src/engine/types';
import { DEPLOY_HEADING, OPS_HEADING, operationalDocs } from '../lib/docs';
import { firstLine, isProject, REPOSITORY_KINDS, repositoryAnchor, rootReadme } from '../lib/repo';

const README = /(?:^|\/)readme(\.(md|markdown|rst|txt))?$/i;
const LOOKED_FOR = 'looked for RUNBOOK.md, OPERATIONS.md, DEPLOYMENT.md, docs/runbook*, docs/ops/**, docs/operations*, docs/deploy*, runbooks/ and README sections Runbook/Operations/Troubleshooting/On-call/Incidents/Monitoring';
const MAX_EVIDENCE = 6;

export default defineRule({
  meta: {
    id: 'docs/runbook',
    category: 'documentation',
    weight: 1,
    severity: 'info',
    scope: 'workspace',
    title: 'Operational documentation exists',
    summary: 'operational docs exist (runbook, deployment guide, docs/ops)',
    appliesTo: REPOSITORY_KINDS,
    subjects: { singular: 'repository', plural: 'repositories', passing: 'have operational documentation' },
    messages: {
      missing: 'The repository has no operational documentation (runbook, operations or deployment guide, troubleshooting section)',
      deployOnly: "{file} says how to deploy ('{heading}') but nothing on operating the software: troubleshooting, on-call, incidents, rollback",
    },
  },
  check(ctx) {
    if (!isProject(ctx)) return;
    const subject = { key: 'repository' };
    const docs = operationalDocs(ctx.files);
    const readmes: SourceFile[] = ctx.files.filter((f) => README.test(f.path) && f.facts.markdown);
    const opsSections = readmes.flatMap((f) => f.facts.markdown!.headings.filter((h) => h.depth > 1 && OPS_HEADING.test(h.text)).map((h) => ({ file: f, heading: h })));
    if (docs.length > 0 || opsSections.length > 0) {
      const evidence: Evidence[] = [
        ...docs.slice(0, MAX_EVIDENCE).map((d) => ({ file: d.path, span: firstLine(d), note: `operational document ${d.path}` })),
        ...opsSections.slice(0, MAX_EVIDENCE).map((s) => ({ file: s.file.path, span: s.heading.span, note: `README section '${s.heading.text}'` })),
      ];
      ctx.verdict({ subject, status: 'pass', evidence });
      return;
    }
    const deploy = readmes.flatMap((f) => f.facts.markdown!.headings.filter((h) => h.depth > 1 && DEPLOY_HEADING.test(h.text)).map((h) => ({ file: f, heading: h })))[0];
    if (deploy) {
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: [{ file: deploy.file.path, span: deploy.heading.span, note: `README section '${deploy.heading.text}' (deployment only)` }, { note: `${LOOKED_FOR}; found none` }],
        report: { file: deploy.file.path, span: deploy.heading.span, messageId: 'deployOnly', data: { file: deploy.file.path, heading: deploy.heading.text } },
      });
      return;
    }
    const readme = rootReadme(ctx.files);
    const anchor = readme ? { file: readme.path, span: firstLine(readme) } : repositoryAnchor(ctx.files);
    if (!anchor) return;
    ctx.verdict({ subject, status: 'fail', evidence: [{ note: `${LOOKED_FOR}; found none` }], report: { ...anchor, messageId: 'missing' } });
  },
});
