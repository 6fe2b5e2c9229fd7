// Who we are, from package.json: the tool's name and version, and where the rule docs live.
import pkg from '../../../package.json';

export interface ToolInfo {
  name: string;
  version: string;
  /** The repository's web address, without a trailing `.git`. */
  repositoryUrl: string;
}

function repositoryUrl(repo: unknown): string {
  const raw = typeof repo === 'string' ? repo : repo && typeof repo === 'object' ? (repo as { url?: unknown }).url : undefined;
  if (typeof raw !== 'string') return '';
  return raw.replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
}

export const TOOL: ToolInfo = {
  name: 'readiness',
  version: pkg.version,
  repositoryUrl: repositoryUrl((pkg as { repository?: unknown }).repository),
};

/** The rule's doc in the repository: `<repo>/blob/main/rules/<domain>/<name>.md`. */
export function ruleDocUrl(ruleId: string, tool: ToolInfo = TOOL): string {
  return `${tool.repositoryUrl}/blob/main/rules/${ruleId}.md`;
}
