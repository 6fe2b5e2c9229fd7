// ci/pipeline: the repository has a CI pipeline — GitHub Actions workflows, GitLab CI,
// CircleCI, Azure Pipelines or a Jenkinsfile — that defines at least one job with steps.
// One verdict for the repository. Dependabot and Renovate configure updates, not a pipeline.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence } from '../../server/src/engine/types';
import { pipelineFiles, PROVIDER_LABELS, workingJobs } from '../lib/ci';
import { isProject, listOf, REPOSITORY_KINDS, repositoryAnchor } from '../lib/repo';

export const CI_LOCATIONS = '.github/workflows/*.yml, .gitlab-ci.yml, .circleci/config.yml, azure-pipelines.yml and Jenkinsfile';

export default defineRule({
  meta: {
    id: 'ci/pipeline',
    category: 'delivery',
    weight: 3,
    severity: 'warning',
    scope: 'workspace',
    title: 'A CI pipeline exists',
    summary: 'a CI pipeline exists (GitHub Actions, GitLab CI, CircleCI, Azure Pipelines, Jenkinsfile)',
    appliesTo: REPOSITORY_KINDS,
    subjects: { singular: 'repository', plural: 'repositories', passing: 'have a CI pipeline' },
    messages: {
      missing: `The repository has no CI pipeline (looked for ${CI_LOCATIONS}): nothing builds, tests or checks a change before it ships`,
      empty: 'CI configuration {files} defines no job with steps, so the pipeline does nothing',
    },
  },
  check(ctx) {
    if (!isProject(ctx)) return;
    const subject = { key: 'repository' };
    const pipelines = pipelineFiles(ctx.files);
    const working = pipelines.filter((p) => workingJobs(p.facts).length > 0);
    if (working.length > 0) {
      const evidence: Evidence[] = working.map((p) => {
        const jobs = workingJobs(p.facts);
        return { file: p.file.path, span: jobs[0]!.span, note: `${PROVIDER_LABELS[p.facts.provider]}: ${jobs.length} job${jobs.length === 1 ? '' : 's'} (${listOf(jobs.map((j) => j.name))})` };
      });
      ctx.verdict({ subject, status: 'pass', evidence });
      return;
    }
    if (pipelines.length > 0) {
      const first = pipelines[0]!;
      const files = listOf(pipelines.map((p) => p.file.path));
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: pipelines.map((p) => ({ file: p.file.path, span: { start: 0, end: 0 }, note: `${PROVIDER_LABELS[p.facts.provider]} configuration without a job that has steps` })),
        report: { file: first.file.path, span: first.facts.jobs[0]?.span ?? { start: 0, end: 0 }, messageId: 'empty', data: { files } },
      });
      return;
    }
    const anchor = repositoryAnchor(ctx.files);
    if (!anchor) return;
    ctx.verdict({ subject, status: 'fail', evidence: [{ note: `looked for ${CI_LOCATIONS}; found none` }], report: { ...anchor, messageId: 'missing' } });
  },
});
