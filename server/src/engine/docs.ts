// Where a rule's documentation lives: `rules/<id>.md` under the repository URL.
import pkg from '../../../package.json';

const repository = (typeof pkg.repository === 'string' ? pkg.repository : pkg.repository.url).replace(/^git\+/, '').replace(/\.git$/, '');

export function docsUrl(ruleId: string): string {
  return `${repository}/blob/main/rules/${ruleId}.md`;
}

export const TOOL_VERSION: string = pkg.version;
