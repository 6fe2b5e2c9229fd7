// Renders docs/rules.md, the generated rule table (checked for staleness by a test).
import type { Rule } from '../server/src/engine/rule';

export function renderRuleTable(rules: readonly Rule[]): string {
  const lines = [
    '# Rules',
    '',
    '<!-- Generated from the rule catalogue by `npm run gen`; do not edit by hand. -->',
    '',
    '| id | category | weight | severity | scope | fix | what it decides |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const { meta } of rules) {
    const scope = meta.scope === 'workspace' ? 'workspace' : meta.occurrence ? 'occurrence' : 'location';
    lines.push(`| [${meta.id}](../rules/${meta.id}.md) | ${meta.category} | ${meta.weight} | ${meta.severity} | ${scope} | ${meta.fixable ? 'yes' : '—'} | ${meta.summary.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}
