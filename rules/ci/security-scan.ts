// ci/security-scan: the pipeline scans dependencies, images or code for known
// vulnerabilities (npm/yarn/pnpm audit, pip-audit, safety, bandit, trivy, grype, snyk,
// CodeQL, semgrep, osv-scanner, GitLab security templates …), or Dependabot/Renovate keeps
// dependencies updated. Secrets scanning (gitleaks, trufflehog, GitLab secret detection)
// counts too, and the evidence says it is secrets scanning. One verdict for the repository.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence } from '../../server/src/engine/types';
import { ciFiles, pipelineAnchor, pipelineFiles, PROVIDER_LABELS, unreadIncludes, scanSteps } from '../lib/ci';
import { isProject, listOf, REPOSITORY_KINDS, repositoryAnchor } from '../lib/repo';

const MAX_EVIDENCE = 8;
const LOOKED_FOR = 'looked for pipeline steps running npm/yarn/pnpm audit, pip-audit, safety, bandit, trivy, grype, snyk, CodeQL, semgrep, osv-scanner, gitleaks (and other scanners), GitLab security templates, and for Dependabot (.github/dependabot.yml) or Renovate (renovate.json, .renovaterc, .github/renovate.json, package.json "renovate") configuration';

const SCOPE_NOTES: Record<string, string> = {
  dependencies: 'dependency scan',
  images: 'image scan',
  code: 'code scan (SAST)',
  secrets: 'secrets scanning',
  infrastructure: 'infrastructure-as-code scan',
};

export default defineRule({
  meta: {
    id: 'ci/security-scan',
    category: 'security',
    weight: 3,
    severity: 'warning',
    scope: 'workspace',
    title: 'The pipeline scans for vulnerabilities',
    summary: 'the pipeline scans dependencies or images, or Dependabot/Renovate is configured',
    appliesTo: REPOSITORY_KINDS,
    subjects: { singular: 'repository', plural: 'repositories', passing: 'scan dependencies, images or code' },
    messages: {
      missing: 'No pipeline step scans dependencies, images or code for known vulnerabilities, and neither Dependabot nor Renovate is configured',
      noUpdates: 'Dependabot is configured ({file}) but lists no updates, and no pipeline step scans dependencies, images or code',
    },
  },
  check(ctx) {
    if (!isProject(ctx)) return;
    const subject = { key: 'repository' };
    const pipelines = pipelineFiles(ctx.files);
    const scans = scanSteps(pipelines);
    const updaters = ciFiles(ctx.files).filter((c) => c.facts.provider === 'dependabot' || c.facts.provider === 'renovate');
    const configured = updaters.filter((u) => (u.facts.updates ?? []).length > 0);
    const evidence: Evidence[] = scans.slice(0, MAX_EVIDENCE).map((s) => ({
      file: s.file.path,
      span: s.step.span,
      note: `${PROVIDER_LABELS[s.provider]} job '${s.job.name}' runs ${s.label} (${SCOPE_NOTES[s.scope ?? 'dependencies']})`,
    }));
    for (const u of configured) {
      const updates = u.facts.updates!;
      const what = u.facts.provider === 'dependabot' ? `Dependabot updates ${[...new Set(updates.map((x) => x.text))].join(', ')}` : 'Renovate is configured';
      evidence.push({ file: u.file.path, span: updates[0]!.span, note: what });
    }
    if (evidence.length > 0) {
      ctx.verdict({ subject, status: 'pass', evidence });
      return;
    }
    const atPipeline = pipelineAnchor(pipelines);
    const idle = updaters[0];
    if (idle) {
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: [{ file: idle.file.path, span: { start: 0, end: 0 }, note: `${PROVIDER_LABELS[idle.facts.provider]} configuration lists no updates` }, { note: `${LOOKED_FOR}; found none` }],
        report: { file: idle.file.path, span: { start: 0, end: 0 }, messageId: 'noUpdates', data: { file: idle.file.path } },
      });
      return;
    }
    const anchor = atPipeline ?? repositoryAnchor(ctx.files);
    if (!anchor) return;
    const unread = unreadIncludes(pipelines, ctx.files);
    const evidenceFail: Evidence[] = [{ note: `${LOOKED_FOR}; found none` }];
    if (unread.length > 0) evidenceFail.push({ note: `GitLab includes not read (only .gitlab-ci.yml, .gitlab/ci/** and *.gitlab-ci.yml are): ${listOf(unread)}` });
    ctx.verdict({ subject, status: 'fail', evidence: evidenceFail, report: { ...anchor, messageId: 'missing' } });
  },
});
