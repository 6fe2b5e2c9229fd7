// Every suppression directive says why: a directive without a reason after `--` still
// suppresses, and this rule reports it (info, weight 0: it never moves the score).
import { defineRule } from '../../server/src/engine/rule';
import { directiveSubjectKey } from '../../server/src/engine/suppress';

export default defineRule({
  meta: {
    id: 'meta/suppression-reason',
    category: 'security',
    weight: 0,
    severity: 'info',
    scope: 'location',
    title: 'Suppressions say why',
    summary: 'every suppression directive gives a reason after --',
    appliesTo: ['yaml', 'k8s', 'compose', 'kustomization', 'helm-values', 'dockerfile', 'ts', 'js', 'python', 'dotenv', 'terraform', 'markdown', 'ci', 'package-manifest', 'dockerignore', 'gitignore'],
    subjects: { singular: 'suppression', plural: 'suppressions', passing: 'give a reason' },
    messages: { missing: 'Suppression of {rules} gives no reason after --' },
  },
  check(ctx) {
    for (const file of ctx.files) {
      const directives = file.facts.directives;
      directives.forEach((d, i) => {
        const subject = { key: directiveSubjectKey(file.path, directives, i), file: file.path, span: d.span };
        if (d.reason) ctx.subject(subject);
        else ctx.report({ subject, messageId: 'missing', data: { rules: d.rules.join(', ') }, file: file.path, span: d.span });
      });
    }
  },
});
