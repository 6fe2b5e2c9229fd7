// ci/tests: tests exist and the pipeline runs them. Test files are recognised by name
// (`*.test.ts`, `*.spec.js`, `test_*.py`, `*_test.py`, `*_test.go`, `*Test.java` …) or by a
// tests/ directory; a pipeline step runs tests when its command is a test runner or a test
// script (`npm test`, `pytest`, `go test`, `mvn verify` …) or it uses a test action/orb job.
// One verdict for the repository: pass when both hold, partial when only one does (tests
// nobody runs, or a test step with no tests to find), fail when neither.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence } from '../../server/src/engine/types';
import { pipelineAnchor, pipelineFiles, PROVIDER_LABELS, unreadIncludes, testFiles, testSteps } from '../lib/ci';
import { isProject, listOf, REPOSITORY_KINDS, repositoryAnchor } from '../lib/repo';
import { CI_LOCATIONS } from './pipeline';

const MAX_EVIDENCE = 8;
const LOOKED_FOR_STEPS = 'looked for pipeline steps running npm/yarn/pnpm/bun test, jest, vitest, mocha, pytest, python -m pytest/unittest, tox, nox, go test, mvn test/verify, gradle test/check, make test, cargo test, dotnet test, rspec, phpunit';
const LOOKED_FOR_FILES = 'looked for test files (*.test.*, *.spec.*, test_*.py, *_test.py, *_test.go, *Test.java, sources under tests/, test/, __tests__/, spec/)';

export default defineRule({
  meta: {
    id: 'ci/tests',
    category: 'delivery',
    weight: 3,
    severity: 'warning',
    scope: 'workspace',
    title: 'The pipeline runs the tests',
    summary: 'the pipeline runs the tests, and tests exist',
    appliesTo: REPOSITORY_KINDS,
    subjects: { singular: 'repository', plural: 'repositories', passing: 'run their tests in CI' },
    messages: {
      notRun: 'Tests exist ({tests}) but no CI pipeline step runs them',
      noPipeline: `Tests exist ({tests}) but the repository has no CI pipeline to run them (looked for ${CI_LOCATIONS})`,
      noTests: "The pipeline runs '{step}' but the repository has no test files it could run",
      none: 'The repository has no tests, and no pipeline step runs any',
    },
  },
  check(ctx) {
    if (!isProject(ctx)) return;
    const subject = { key: 'repository' };
    const pipelines = pipelineFiles(ctx.files);
    const steps = testSteps(pipelines);
    const tests = testFiles(ctx.files);
    const stepEvidence: Evidence[] = steps.slice(0, MAX_EVIDENCE).map((s) => ({ file: s.file.path, span: s.step.span, note: `${PROVIDER_LABELS[s.provider]} job '${s.job.name}' runs ${s.label}` }));
    const testEvidence: Evidence[] = [];
    const byService = new Map<string, number>();
    for (const t of tests) {
      const service = ctx.serviceOf(t.path) ?? '(no service)';
      byService.set(service, (byService.get(service) ?? 0) + 1);
    }
    if (tests.length > 0) {
      testEvidence.push({ file: tests[0]!.path, span: { start: 0, end: 0 }, note: `${tests.length} test file${tests.length === 1 ? '' : 's'} (${[...byService].map(([s, n]) => `${s}: ${n}`).join(', ')})` });
    }
    const testNames = listOf(tests.map((t) => t.path), 2);
    if (steps.length > 0 && tests.length > 0) {
      ctx.verdict({ subject, status: 'pass', evidence: [...stepEvidence, ...testEvidence] });
      return;
    }
    if (steps.length > 0) {
      const first = steps[0]!;
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: [...stepEvidence, { note: `${LOOKED_FOR_FILES}; found none` }],
        report: { file: first.file.path, span: first.step.span, messageId: 'noTests', data: { step: first.label } },
      });
      return;
    }
    const atPipeline = pipelineAnchor(pipelines);
    const unread = unreadIncludes(pipelines, ctx.files);
    const unreadNote: Evidence[] = unread.length > 0 ? [{ note: `GitLab includes not read (only .gitlab-ci.yml, .gitlab/ci/** and *.gitlab-ci.yml are): ${listOf(unread)}` }] : [];
    const where = pipelines.length > 0 ? `in ${listOf(pipelines.map((p) => p.file.path))}` : `(no pipeline: looked for ${CI_LOCATIONS})`;
    const anchor = atPipeline ?? repositoryAnchor(ctx.files);
    if (!anchor) return;
    if (tests.length > 0) {
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: [...testEvidence, { note: `${LOOKED_FOR_STEPS} ${where}; found none` }, ...unreadNote],
        report: { ...anchor, messageId: pipelines.length > 0 ? 'notRun' : 'noPipeline', data: { tests: testNames } },
      });
      return;
    }
    ctx.verdict({
      subject,
      status: 'fail',
      evidence: [{ note: `${LOOKED_FOR_FILES}; found none` }, { note: `${LOOKED_FOR_STEPS} ${where}; found none` }, ...unreadNote],
      report: { ...anchor, messageId: 'none' },
    });
  },
});
