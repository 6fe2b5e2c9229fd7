// docs/security-policy: the repository says how to report a vulnerability — a SECURITY.md
// (or .rst/.txt) at the root, in .github/ or in docs/, where GitHub and GitLab look for it.
// A policy with nothing but headings is partial. One verdict for the repository.
import { defineRule } from '../../server/src/engine/rule';
import { securityPolicies } from '../lib/docs';
import { firstLine, isProject, REPOSITORY_KINDS, repositoryAnchor } from '../lib/repo';

const LOOKED_FOR = 'looked for SECURITY.md (or .rst/.txt) at the root, in .github/ and in docs/';

export default defineRule({
  meta: {
    id: 'docs/security-policy',
    category: 'documentation',
    weight: 1,
    severity: 'info',
    scope: 'workspace',
    title: 'A security policy says how to report vulnerabilities',
    summary: 'SECURITY.md (or .github/SECURITY.md)',
    appliesTo: REPOSITORY_KINDS,
    subjects: { singular: 'repository', plural: 'repositories', passing: 'have a security policy' },
    messages: {
      missing: 'The repository has no security policy (SECURITY.md): reporters of a vulnerability do not know where to send it',
      empty: '{file} has no text beyond its headings: say how to report a vulnerability and what to expect',
    },
  },
  check(ctx) {
    if (!isProject(ctx)) return;
    const subject = { key: 'repository' };
    const policies = securityPolicies(ctx.files);
    const withText = policies.filter((p) => (p.facts.markdown?.paragraphs ?? 0) > 0 || (p.facts.markdown?.code.length ?? 0) > 0);
    if (withText.length > 0) {
      ctx.verdict({ subject, status: 'pass', evidence: withText.map((p) => ({ file: p.path, span: firstLine(p), note: `security policy ${p.path}` })) });
      return;
    }
    if (policies.length > 0) {
      const p = policies[0]!;
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: [{ file: p.path, span: firstLine(p), note: `${p.path} has headings only` }],
        report: { file: p.path, span: firstLine(p), messageId: 'empty', data: { file: p.path } },
      });
      return;
    }
    const anchor = repositoryAnchor(ctx.files);
    if (!anchor) return;
    ctx.verdict({ subject, status: 'fail', evidence: [{ note: `${LOOKED_FOR}; found none` }], report: { ...anchor, messageId: 'missing' } });
  },
});
