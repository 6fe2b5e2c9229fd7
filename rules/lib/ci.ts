// What CI steps do: run tests, scan dependencies/images/code/secrets. Steps come from the CI
// facts (server/src/engine/parse/ci.ts); here each shell command is split into simple
// commands (lines, `&&`, `||`, `;`) and matched against short, anchored-by-word patterns, so
// the work stays linear in the command's length.
import { PIPELINE_PROVIDERS, type CiFacts, type CiJob, type CiProvider, type CiStep } from '../../server/src/engine/parse/ci';
import type { SourceFile } from '../../server/src/engine/types';

export interface CiFile {
  file: SourceFile;
  facts: CiFacts;
}

export interface StepMatch {
  file: SourceFile;
  provider: CiProvider;
  job: CiJob;
  step: CiStep;
  /** What the step was recognised as ("npm test", "CodeQL"). */
  label: string;
  /** Scans: what is scanned. */
  scope?: ScanScope;
}

export const PROVIDER_LABELS: Readonly<Record<CiProvider, string>> = {
  'github-actions': 'GitHub Actions',
  'gitlab-ci': 'GitLab CI',
  circleci: 'CircleCI',
  'azure-pipelines': 'Azure Pipelines',
  jenkins: 'Jenkins',
  dependabot: 'Dependabot',
  renovate: 'Renovate',
};

/** Every file with CI facts (any kind: Renovate lives in JSON files and package.json). */
export function ciFiles(files: readonly SourceFile[]): CiFile[] {
  return files.filter((f) => f.facts.ci).map((f) => ({ file: f, facts: f.facts.ci! }));
}

export function pipelineFiles(files: readonly SourceFile[]): CiFile[] {
  return ciFiles(files).filter((c) => PIPELINE_PROVIDERS.includes(c.facts.provider));
}

/** Jobs that run something (GitLab's `include:` entries are kept as a pseudo-job of their own). */
export function workingJobs(facts: CiFacts): CiJob[] {
  return facts.jobs.filter((j) => j.steps.some((s) => s.kind !== 'include'));
}

/** Where a finding about the pipeline points: the first job that runs something, else the first job, of the first pipeline file that has one. */
export function pipelineAnchor(files: readonly CiFile[]): { file: string; span: { start: number; end: number } } | undefined {
  for (const c of files) {
    const job = workingJobs(c.facts)[0] ?? c.facts.jobs[0];
    if (job) return { file: c.file.path, span: job.span };
  }
  return undefined;
}

/**
 * GitLab `include: local` files that have no CI facts: only `.gitlab-ci.yml`, `.gitlab/ci/**`
 * and `*.gitlab-ci.yml` are read as GitLab CI, so steps in other included files are unknown.
 */
export function unreadIncludes(pipelines: readonly CiFile[], files: readonly SourceFile[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out: string[] = [];
  for (const p of pipelines) {
    if (p.facts.provider !== 'gitlab-ci') continue;
    for (const job of p.facts.jobs) {
      for (const s of job.steps) {
        if (s.kind !== 'include' || !s.text.startsWith('local:')) continue;
        const target = s.text.slice('local:'.length).replace(/^\/+/, '');
        if (!byPath.get(target)?.facts.ci) out.push(target);
      }
    }
  }
  return out;
}

/** Simple commands of a shell step: lines (backslash continuations joined), then `&&`, `||`, `;`, `|`. Bounded. */
export function simpleCommands(text: string): string[] {
  const out: string[] = [];
  const joined = text.slice(0, 100_000).replace(/\\\r?\n/g, ' ');
  for (const line of joined.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    for (const part of trimmed.split(/&&|\|\||;|\|/)) {
      const p = part.trim();
      if (p) out.push(p.slice(0, 2000));
    }
    if (out.length > 5000) break;
  }
  return out;
}

/** Commands that install tools rather than run them (`npm install jest` runs no tests). */
const INSTALL = /^(?:sudo\s+)?(?:npm|pnpm|yarn|bun|pip\d?|pipx|python\d?(?:\.\d+)?\s+-m\s+pip|uv\s+pip|poetry|apt-get|apt|apk|brew|go|gem|cargo|choco|curl|wget)\s+(?:install|i|add|ci|get)\b/;

interface Pattern {
  label: string;
  re: RegExp;
  scope?: ScanScope;
  /** When set, the command must also have one of these words after the tool (build tools run tests as one of their goals). */
  goals?: ReadonlySet<string>;
}

const TEST_COMMANDS: Pattern[] = [
  { label: 'npm test', re: /\bnpm\s+(?:run\s+|run-script\s+)?(?:test|t|tst|it|cit|install-test|install-ci-test|test[:\-.][\w:.-]*)(?=\s|$)/ },
  { label: 'yarn test', re: /\byarn\s+(?:run\s+|workspaces\s+(?:foreach\s+(?:-\S+\s+)*)?run\s+)?test[\w:.-]*(?=\s|$)/ },
  { label: 'pnpm test', re: /\bpnpm\s+(?:(?:-r|--recursive|--filter\s+\S+)\s+)*(?:run\s+)?test[\w:.-]*(?=\s|$)/ },
  { label: 'bun test', re: /\bbun\s+(?:run\s+)?test\b/ },
  { label: 'jest', re: /(?:^|[\s/])jest(?=\s|$)/ },
  { label: 'vitest', re: /(?:^|[\s/])vitest(?=\s|$)/ },
  { label: 'mocha', re: /(?:^|[\s/])mocha(?=\s|$)/ },
  { label: 'playwright test', re: /\bplaywright\s+test\b/ },
  { label: 'cypress run', re: /\bcypress\s+run\b/ },
  { label: 'pytest', re: /(?:^|[\s/])(?:py\.test|pytest)(?=\s|$)|\bpython[\d.]*\s+-m\s+(?:pytest|unittest)\b/ },
  { label: 'tox', re: /(?:^|\s)(?:tox|nox)(?=\s|$)/ },
  { label: 'go test', re: /\bgo\s+test\b/ },
  { label: 'mvn test', re: /(?:^|[\s/])mvnw?(?=\s)/, goals: new Set(['test', 'verify', 'install', 'package']) },
  { label: 'gradle test', re: /(?:^|[\s/])gradlew?(?=\s)/, goals: new Set(['test', 'check', 'build']) },
  { label: 'make test', re: /(?:^|\s)make(?=\s)/, goals: new Set(['test', 'check', 'tests', 'test-all', 'unit-test', 'unittest']) },
  { label: 'cargo test', re: /\bcargo\s+(?:test|nextest)\b/ },
  { label: 'dotnet test', re: /\bdotnet\s+test\b/ },
  { label: 'rspec', re: /(?:^|\s)rspec(?=\s|$)|\brake\s+(?:test|spec)\b/ },
  { label: 'phpunit', re: /\bphpunit\b/ },
  { label: 'monorepo test task', re: /\b(?:turbo|nx|lerna)\s+(?:run\s+|run-many\s+(?:-t|--target[= ])\s*)?test\b/ },
];

/** Actions, orb jobs and tasks that run tests. */
const TEST_USES: Pattern[] = [
  { label: 'Cypress', re: /^cypress-io\/github-action\b/ },
  { label: 'orb test job', re: /^[\w-]+\/test$/ },
  { label: 'Azure test task', re: /^(?:VSTest|DotNetCoreCLI)@/ },
];

export type ScanScope = 'dependencies' | 'images' | 'code' | 'secrets' | 'infrastructure';

const SCAN_COMMANDS: Pattern[] = [
  { label: 'yarn audit', re: /\byarn\s+(?:npm\s+)?audit\b/, scope: 'dependencies' },
  { label: 'npm audit', re: /\b(?:npm|pnpm)\s+audit\b|\bnpx\s+audit-ci\b|(?:^|\s)(?:audit-ci|better-npm-audit)(?=\s|$)/, scope: 'dependencies' },
  { label: 'pip-audit', re: /\bpip-audit\b/, scope: 'dependencies' },
  { label: 'safety', re: /\bsafety\s+(?:check|scan)\b/, scope: 'dependencies' },
  { label: 'osv-scanner', re: /\bosv-scanner\b/, scope: 'dependencies' },
  { label: 'govulncheck', re: /\bgovulncheck\b/, scope: 'dependencies' },
  { label: 'OWASP Dependency-Check', re: /\bdependency-check(?:\.sh)?\s/, scope: 'dependencies' },
  { label: 'cargo audit', re: /\bcargo\s+(?:audit|deny)\b/, scope: 'dependencies' },
  { label: 'bundler-audit', re: /\bbundle(?:r)?[-\s]audit\b/, scope: 'dependencies' },
  { label: 'snyk', re: /\bsnyk\s+(?:test|monitor|container|iac|code)\b/, scope: 'dependencies' },
  { label: 'trivy', re: /(?:^|[\s/])trivy(?=\s|$)/, scope: 'images' },
  { label: 'grype', re: /(?:^|[\s/])grype(?=\s|$)/, scope: 'images' },
  { label: 'docker scout', re: /\bdocker\s+scout\s+(?:cves|quickview|recommendations)\b/, scope: 'images' },
  { label: 'bandit', re: /(?:^|[\s/])bandit(?=\s|$)/, scope: 'code' },
  { label: 'semgrep', re: /(?:^|[\s/])semgrep(?=\s|$)/, scope: 'code' },
  { label: 'CodeQL', re: /\bcodeql\s+database\b/, scope: 'code' },
  { label: 'gosec', re: /(?:^|[\s/])gosec(?=\s|$)/, scope: 'code' },
  { label: 'checkov', re: /(?:^|[\s/])checkov(?=\s|$)/, scope: 'infrastructure' },
  { label: 'tfsec', re: /(?:^|[\s/])tfsec(?=\s|$)/, scope: 'infrastructure' },
  { label: 'gitleaks', re: /(?:^|[\s/])gitleaks(?=\s|$)/, scope: 'secrets' },
  { label: 'trufflehog', re: /(?:^|[\s/])trufflehog(?=\s|$)/, scope: 'secrets' },
];

/** Actions (GitHub), orb jobs/commands (CircleCI), tasks (Azure), plugin steps (Jenkins), job images and templates (GitLab). */
const SCAN_USES: Pattern[] = [
  { label: 'CodeQL', re: /^github\/codeql-action\//, scope: 'code' },
  { label: 'dependency review', re: /^actions\/dependency-review-action\b/, scope: 'dependencies' },
  { label: 'trivy', re: /^aquasecurity\/trivy-action\b|^image:(?:docker\.io\/)?aquasec\/trivy\b|^trivy\//, scope: 'images' },
  { label: 'grype', re: /^anchore\/scan-action\b|^image:(?:docker\.io\/)?anchore\/grype\b|^grypeScan$/, scope: 'images' },
  { label: 'docker scout', re: /^docker\/scout-action\b/, scope: 'images' },
  { label: 'snyk', re: /^snyk\/actions\/|^snyk\/|^SnykSecurityScan@|^snykSecurity$|^image:(?:docker\.io\/)?snyk\/snyk\b/, scope: 'dependencies' },
  { label: 'semgrep', re: /^(?:returntocorp|semgrep)\/semgrep-action\b|^image:(?:docker\.io\/)?(?:returntocorp|semgrep)\/semgrep\b/, scope: 'code' },
  { label: 'osv-scanner', re: /^google\/osv-scanner(?:-action)?\//, scope: 'dependencies' },
  { label: 'pip-audit', re: /^pypa\/gh-action-pip-audit\b/, scope: 'dependencies' },
  { label: 'OWASP Dependency-Check', re: /^dependency-check\/Dependency-Check_Action\b|^dependency-check-build-task@|^dependencyCheck$|^image:(?:docker\.io\/)?owasp\/dependency-check\b/i, scope: 'dependencies' },
  { label: 'Microsoft Security DevOps', re: /^MicrosoftSecurityDevOps@|^AdvancedSecurity-(?:Codeql|Dependency-Scanning)/i, scope: 'code' },
  { label: 'Mend', re: /^(?:WhiteSource|Mend)\w*@/i, scope: 'dependencies' },
  { label: 'checkov', re: /^bridgecrewio\/checkov-action\b/, scope: 'infrastructure' },
  { label: 'tfsec', re: /^aquasecurity\/tfsec-action\b/, scope: 'infrastructure' },
  { label: 'gosec', re: /^securego\/gosec\b/, scope: 'code' },
  { label: 'GitLab SAST', re: /^template:(?:Security|Jobs)\/SAST(?:-IaC)?(?:\.latest)?\.gitlab-ci\.yml$/, scope: 'code' },
  { label: 'GitLab dependency scanning', re: /^template:(?:Security|Jobs)\/Dependency-Scanning(?:\.latest)?\.gitlab-ci\.yml$/, scope: 'dependencies' },
  { label: 'GitLab container scanning', re: /^template:(?:Security|Jobs)\/Container-Scanning(?:\.latest)?\.gitlab-ci\.yml$/, scope: 'images' },
  { label: 'GitLab secret detection', re: /^template:(?:Security|Jobs)\/Secret-Detection(?:\.latest)?\.gitlab-ci\.yml$/, scope: 'secrets' },
  { label: 'gitleaks', re: /^gitleaks\/gitleaks-action\b|^image:(?:docker\.io\/)?zricethezav\/gitleaks\b|^image:(?:docker\.io\/)?gitleaks\//, scope: 'secrets' },
  { label: 'trufflehog', re: /^trufflesecurity\/trufflehog\b/, scope: 'secrets' },
];

function matchStep(step: CiStep, commands: readonly Pattern[], uses: readonly Pattern[]): Pattern | undefined {
  if (step.kind === 'run') {
    for (const cmd of simpleCommands(step.text)) {
      if (INSTALL.test(cmd)) continue;
      const hit = commands.find((p) => p.re.test(cmd) && (!p.goals || cmd.split(/\s+/).some((w) => p.goals!.has(w.replace(/^:/, '')))));
      if (hit) return hit;
    }
    return undefined;
  }
  // GitHub's `uses: docker://image` runs an image, as a GitLab job's `image:` does.
  const ref = step.text.trim().replace(/^docker:\/\//, 'image:');
  return uses.find((p) => p.re.test(ref));
}

function matches(files: readonly CiFile[], commands: readonly Pattern[], uses: readonly Pattern[]): StepMatch[] {
  const out: StepMatch[] = [];
  for (const { file, facts } of files) {
    for (const job of facts.jobs) {
      for (const step of job.steps) {
        const hit = matchStep(step, commands, uses);
        if (hit) out.push({ file, provider: facts.provider, job, step, label: hit.label, ...(hit.scope ? { scope: hit.scope } : {}) });
      }
    }
  }
  return out;
}

/** Pipeline steps that run tests. */
export function testSteps(files: readonly CiFile[]): StepMatch[] {
  return matches(files, TEST_COMMANDS, TEST_USES);
}

/** Pipeline steps that run a security scan, with what they scan. */
export function scanSteps(files: readonly CiFile[]): StepMatch[] {
  return matches(files, SCAN_COMMANDS, SCAN_USES);
}

const SOURCE = /\.(?:[cm]?[jt]sx?|py|go|java|kt|rb|php|cs|rs|scala)$/;
const TEST_NAME = /\.(?:test|spec|e2e-spec)\.[cm]?[jt]sx?$|(?:^|\/)test_[^/]*\.py$|_test\.(?:py|go)$|(?:^|\/)[^/]*Tests?\.(?:java|kt|cs)$|_spec\.rb$|(?:^|\/)conftest\.py$/;
const TEST_DIR = /(?:^|\/)(?:__tests__|tests?|spec|specs|e2e|integration[-_]tests?)\//;
/** Directories under a test directory that hold data, not tests. */
const NOT_TESTS = /(?:^|\/)(?:fixtures?|__fixtures__|__snapshots__|__mocks__|testdata|data|snapshots)\//;

/** Test files: `*.test.ts`, `*.spec.js`, `test_*.py`, `*_test.py`, `*_test.go`, `*Test.java`, or sources under a tests/ directory. */
export function testFiles(files: readonly SourceFile[]): SourceFile[] {
  return files.filter((f) => SOURCE.test(f.path) && !NOT_TESTS.test(f.path) && (TEST_NAME.test(f.path) || TEST_DIR.test(f.path)));
}
