// Regenerates committed, generated files: docs/rules.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { renderRuleTable } from './rule-table';

const root = path.join(__dirname, '..');
fs.writeFileSync(path.join(root, 'docs', 'rules.md'), renderRuleTable(allRules));
console.log('wrote docs/rules.md');
