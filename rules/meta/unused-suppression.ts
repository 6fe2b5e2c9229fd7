// Every suppression directive suppresses something. The engine decides this rule itself
// (run.ts, META_UNUSED) after every other rule has run, because only then is it known
// which directives matched a finding; this module holds its metadata and messages.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'meta/unused-suppression',
    category: 'security',
    weight: 0,
    severity: 'info',
    scope: 'location',
    title: 'Suppressions suppress something',
    summary: 'every suppression directive suppresses at least one finding',
    appliesTo: ['yaml', 'k8s', 'compose', 'kustomization', 'helm-values', 'dockerfile', 'ts', 'js', 'python', 'dotenv', 'terraform', 'markdown', 'ci', 'package-manifest', 'dockerignore', 'gitignore'],
    subjects: { singular: 'suppression', plural: 'suppressions', passing: 'suppress a finding' },
    messages: { unused: 'Suppression of {rules} suppresses nothing' },
  },
  check() {
    // Decided by the engine after all other rules (run.ts, META_UNUSED).
  },
});
