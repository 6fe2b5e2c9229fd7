// CI facts: every provider's jobs and steps with exact spans, the Jenkinsfile tokenizer on
// hostile input, Dependabot/Renovate, and what the CI rules make of steps and test files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { scanSteps, simpleCommands, testFiles, testSteps, type CiFile } from '../rules/lib/ci';
import { kindsByName } from '../server/src/engine/classify';
import { extractFacts } from '../server/src/engine/extract';
import { scan } from '../server/src/engine/index';
import { jenkinsFacts, tokenizeGroovy, type CiFacts, type CiStep } from '../server/src/engine/parse/ci';
import type { SourceFile } from '../server/src/engine/types';
import { tempDir, writeTree } from './harness';

function ci(relPath: string, text: string): { facts: CiFacts; errors: string[] } {
  const f = extractFacts(relPath, text);
  assert.ok(f.ci, `${relPath} has CI facts`);
  return { facts: f.ci, errors: f.errors.map((e) => e.message) };
}

/** Each step as `job: kind text-at-span`, so that spans are checked against the text. */
function steps(facts: CiFacts, text: string): string[] {
  return facts.jobs.flatMap((j) => j.steps.map((s) => `${j.name}: ${s.kind} ${text.slice(s.span.start, s.span.end)}`));
}

function sourceFile(relPath: string, text: string): SourceFile {
  return { root: '.', path: relPath, absPath: `/x/${relPath}`, hash: '', size: text.length, facts: extractFacts(relPath, text) };
}

describe('CI facts', () => {
  it('classifies CI, Dependabot and GitLab fragment files as ci', () => {
    for (const p of ['.github/workflows/ci.yml', '.github/dependabot.yml', '.gitlab-ci.yml', '.gitlab/ci/test.yml', 'deploy.gitlab-ci.yml', '.circleci/config.yml', 'azure-pipelines.yml', 'Jenkinsfile', 'release.jenkinsfile']) {
      assert.ok(kindsByName(p).includes('ci'), p);
    }
    for (const p of ['ci/workflows.yml', 'docs/.github/workflows/x.yml', 'values.yaml']) assert.ok(!kindsByName(p).includes('ci'), p);
  });

  it('GitHub Actions: run and uses steps, reusable workflows, with the value as span', () => {
    const text = [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - name: Test',
      '        run: npm test',
      '      - run: |',
      '          npm ci',
      '          npm audit',
      '  release:',
      '    uses: ./.github/workflows/release.yml',
      '',
    ].join('\n');
    const { facts } = ci('.github/workflows/ci.yml', text);
    assert.equal(facts.provider, 'github-actions');
    assert.deepEqual(facts.jobs.map((j) => [j.name, text.slice(j.span.start, j.span.end)]), [
      ['test', 'test'],
      ['release', 'release'],
    ]);
    assert.deepEqual(steps(facts, text), [
      'test: uses actions/checkout@v4',
      'test: run npm test',
      'test: run |\n          npm ci\n          npm audit\n',
      'release: uses ./.github/workflows/release.yml',
    ]);
    assert.equal(facts.jobs[0]!.steps[2]!.text, 'npm ci\nnpm audit\n');
  });

  it('GitLab CI: includes, scripts, top-level before_script, job images', () => {
    const text = [
      'include:',
      '  - local: ci/lint.yml',
      '  - template: Security/SAST.gitlab-ci.yml',
      'before_script:',
      '  - echo start',
      'stages: [test]',
      '.base:',
      '  image: python:3.12',
      'unit:',
      '  extends: .base',
      '  script:',
      '    - pip install -r requirements.txt',
      '    - pytest -q',
      'scan:',
      '  image:',
      '    name: aquasec/trivy:0.50.0',
      '  script: trivy fs .',
      '',
    ].join('\n');
    const { facts } = ci('.gitlab-ci.yml', text);
    assert.equal(facts.provider, 'gitlab-ci');
    assert.deepEqual(steps(facts, text), [
      'include: include ci/lint.yml',
      'include: include Security/SAST.gitlab-ci.yml',
      'before_script: run echo start',
      'unit: run pip install -r requirements.txt',
      'unit: run pytest -q',
      'scan: run trivy fs .',
      'scan: uses aquasec/trivy:0.50.0',
    ]);
    assert.deepEqual(facts.jobs[0]!.steps.map((s) => s.text), ['local:ci/lint.yml', 'template:Security/SAST.gitlab-ci.yml']);
  });

  it('CircleCI: run strings and maps, orb commands, workflow job references', () => {
    const text = [
      'version: 2.1',
      'orbs:',
      '  node: circleci/node@5.2.0',
      'jobs:',
      '  build:',
      '    steps:',
      '      - checkout',
      '      - run: npm ci',
      '      - run:',
      '          name: Audit',
      '          command: npm audit',
      '      - node/install-packages',
      'workflows:',
      '  main:',
      '    jobs:',
      '      - build',
      '      - node/test:',
      '          version: "20"',
      '',
    ].join('\n');
    const { facts } = ci('.circleci/config.yml', text);
    assert.deepEqual(steps(facts, text), [
      'build: uses checkout',
      'build: run npm ci',
      'build: run npm audit',
      'build: uses node/install-packages',
      'workflow:main: uses build',
      'workflow:main: uses node/test',
    ]);
  });

  it('Azure Pipelines: stages, jobs, deployment strategies, tasks with the command their inputs give', () => {
    const text = [
      'stages:',
      '  - stage: Build',
      '    jobs:',
      '      - job: Test',
      '        steps:',
      '          - script: python -m pytest',
      '          - task: DotNetCoreCLI@2',
      '            inputs:',
      '              command: test',
      '  - stage: Release',
      '    jobs:',
      '      - deployment: Prod',
      '        strategy:',
      '          runOnce:',
      '            deploy:',
      '              steps:',
      '                - bash: ./deploy.sh',
      '',
    ].join('\n');
    const { facts } = ci('azure-pipelines.yml', text);
    assert.deepEqual(
      facts.jobs.map((j) => j.name),
      ['Build/Test', 'Release/Prod'],
    );
    assert.deepEqual(steps(facts, text), [
      'Build/Test: run python -m pytest',
      'Build/Test: uses DotNetCoreCLI@2',
      'Build/Test: run DotNetCoreCLI@2',
      'Release/Prod: run ./deploy.sh',
    ]);
    assert.equal(facts.jobs[0]!.steps[2]!.text, 'dotnet test');
  });

  it('Jenkinsfile: sh/bat steps in every form, inside their stage; comments and strings are not steps', () => {
    const text = [
      'pipeline {',
      '  agent any',
      '  stages {',
      "    stage('Test') {",
      '      steps {',
      "        sh 'npm test' // sh 'not this'",
      '        /* sh "nor this" */',
      '        echo "sh \'nor this\' ${params.X}"',
      '        sh(script: "pip-audit -r ${env.REQ ?: "requirements.txt"}", returnStatus: true)',
      "        sh label: 'lint', script: 'npm run lint'",
      '      }',
      '    }',
      '    stage("Scan") {',
      "      steps { sh '''",
      '        trivy fs .',
      "      '''",
      "        bat('gradlew.bat test')",
      '        snykSecurity(snykInstallation: "snyk")',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    const { facts, errors } = ci('Jenkinsfile', text);
    assert.deepEqual(errors, []);
    assert.equal(facts.provider, 'jenkins');
    assert.deepEqual(facts.jobs.map((j) => [j.name, text.slice(j.span.start, j.span.end)]), [
      ['Test', "stage('Test')"],
      ['Scan', 'stage("Scan")'],
    ]);
    assert.deepEqual(
      facts.jobs.map((j) => j.steps.map((s) => s.text)),
      [['npm test', 'pip-audit -r ${env.REQ ?: "requirements.txt"}', 'npm run lint'], ['\n        trivy fs .\n      ', 'gradlew.bat test', 'snykSecurity']],
    );
    const first = facts.jobs[0]!.steps[0]!;
    assert.equal(text.slice(first.span.start, first.span.end), "sh 'npm test'");
    const call = facts.jobs[0]!.steps[1]!;
    assert.equal(text.slice(call.span.start, call.span.end), 'sh(script: "pip-audit -r ${env.REQ ?: "requirements.txt"}", returnStatus: true)');
  });

  it('Jenkinsfile: the `sh label:, script:` form is read too', () => {
    // Named arguments without parentheses: the script argument follows `script:`.
    const text = "node {\n  sh script: 'make test'\n}\n";
    const { facts } = ci('Jenkinsfile', text);
    assert.deepEqual(steps(facts, text), ["(pipeline): run sh script: 'make test'"]);
  });

  it('malformed files give error entries, not crashes', () => {
    const broken = extractFacts('.github/workflows/ci.yml', 'jobs:\n  test:\n    steps: [\n');
    assert.ok(broken.errors.length > 0 && broken.errors[0]!.message.startsWith('YAML:'));
    assert.deepEqual(broken.ci, { provider: 'github-actions', jobs: [] });

    const notAMap = extractFacts('.gitlab-ci.yml', '- just\n- a list\n');
    assert.deepEqual(notAMap.ci, { provider: 'gitlab-ci', jobs: [] });

    const weird = extractFacts('.circleci/config.yml', 'jobs:\n  a: 3\n  b:\n    steps: {run: x}\nworkflows: [1]\n');
    assert.deepEqual(weird.errors, []);
    assert.deepEqual(weird.ci!.jobs.map((j) => [j.name, j.steps.length]), [['a', 0], ['b', 0]]);

    for (const text of ["pipeline { sh 'unterminated\n}", 'pipeline { /* never closed', 'stage("x") { sh "${ never closed', '}}} sh', "pipeline {\n stage('a') {\n"]) {
      const r = jenkinsFacts(text);
      assert.ok(r.errors.length > 0, `an error for ${JSON.stringify(text)}`);
      assert.ok(r.errors.every((e) => e.message.startsWith('Jenkinsfile:') && e.offset !== undefined));
    }
  });

  it('the Groovy tokenizer stays linear and never throws on hostile input', () => {
    const pieces = ['"${', '${', "'''", '"""', '{', '}', '(', ')', 'sh ', "'", '"', '\\', '//', '/*', '*/', 'stage(', '\n', 'x'];
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 300; round++) {
      let s = '';
      for (let i = 0; i < 200; i++) s += pieces[next() % pieces.length];
      const r = jenkinsFacts(s);
      for (const j of r.facts.jobs) for (const st of j.steps) assert.ok(st.span.start >= 0 && st.span.end <= s.length && st.span.start <= st.span.end);
    }
    for (const unit of ['"${', '{', "sh '", 'sh(', '"\\', "'''"]) {
      const big = unit.repeat(200_000 / unit.length);
      const started = Date.now();
      tokenizeGroovy(big);
      jenkinsFacts(big);
      assert.ok(Date.now() - started < 3000, `linear on ${JSON.stringify(unit)}`);
    }
  });

  it('Dependabot updates and Renovate configuration', () => {
    const text = 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n  - package-ecosystem: docker\n    directory: /\n';
    const { facts } = ci('.github/dependabot.yml', text);
    assert.equal(facts.provider, 'dependabot');
    assert.deepEqual(facts.updates!.map((u) => text.slice(u.span.start, u.span.end)), ['npm', 'docker']);

    assert.equal(extractFacts('renovate.json', '{}').ci?.provider, 'renovate');
    assert.equal(extractFacts('.github/renovate.json5', '{ extends: ["config:recommended"] }').ci?.provider, 'renovate');
    assert.equal(extractFacts('packages/a/renovate.json', '{}').ci, undefined, 'only where Renovate looks');

    const pkg = '{\n  "name": "x",\n  "devDependencies": { "renovate": "^37.0.0" },\n  "renovate": { "extends": ["config:base"] }\n}\n';
    const r = extractFacts('package.json', pkg).ci!;
    assert.equal(r.provider, 'renovate');
    assert.equal(pkg.slice(r.updates![0]!.span.start, r.updates![0]!.span.end), '"renovate"');
    assert.equal(pkg.slice(0, r.updates![0]!.span.start).split('\n').length, 4, 'the top-level key, not the dependency');
    assert.equal(extractFacts('package.json', '{ "devDependencies": { "renovate": "^37.0.0" } }').ci, undefined);
  });
});

describe('CI steps as the rules read them', () => {
  const file = (provider: CiFacts['provider'], list: [kind: CiStep['kind'], text: string][]): CiFile => {
    const f = sourceFile('x.yml', '');
    const facts: CiFacts = { provider, jobs: [{ name: 'j', span: { start: 0, end: 0 }, steps: list.map(([kind, text]) => ({ kind, text, span: { start: 0, end: 0 } })) }] };
    return { file: f, facts };
  };

  it('splits shell scripts into simple commands', () => {
    assert.deepEqual(simpleCommands('npm ci && npm test\n# comment\nmake \\\n  test; echo ok | tee x'), ['npm ci', 'npm test', 'make    test', 'echo ok', 'tee x']);
  });

  it('recognises test commands, and not installs or look-alikes', () => {
    const yes = ['npm test', 'npm run test:unit', 'npm t', 'yarn test --ci', 'pnpm -r test', 'npx jest --coverage', './node_modules/.bin/vitest run', 'python -m pytest -q', 'pytest', 'tox -e py312', 'go test ./...', './mvnw -B verify', './gradlew check', 'make test', 'cargo test', 'dotnet test', 'npx nx run-many -t test'];
    const no = ['npm install jest', 'npm ci', 'npm run build', 'pip install pytest', 'echo testing', 'npm run testdata', 'make build', 'mvn -B deploy', 'go build ./...'];
    for (const cmd of yes) assert.equal(testSteps([file('github-actions', [['run', cmd]])]).length, 1, cmd);
    for (const cmd of no) assert.equal(testSteps([file('github-actions', [['run', cmd]])]).length, 0, cmd);
    assert.equal(testSteps([file('circleci', [['uses', 'node/test']])]).length, 1);
  });

  it('recognises scans with what they scan; secrets scanning is labelled as such', () => {
    const cases: [CiStep['kind'], string, string, string][] = [
      ['run', 'npm audit --audit-level=high', 'npm audit', 'dependencies'],
      ['run', 'yarn npm audit', 'yarn audit', 'dependencies'],
      ['run', 'pip-audit -r requirements.txt', 'pip-audit', 'dependencies'],
      ['run', 'safety check', 'safety', 'dependencies'],
      ['run', 'bandit -r src', 'bandit', 'code'],
      ['run', 'trivy image app:1', 'trivy', 'images'],
      ['run', 'grype dir:.', 'grype', 'images'],
      ['run', 'snyk test', 'snyk', 'dependencies'],
      ['run', 'semgrep ci', 'semgrep', 'code'],
      ['run', 'osv-scanner -r .', 'osv-scanner', 'dependencies'],
      ['run', 'gitleaks detect', 'gitleaks', 'secrets'],
      ['uses', 'github/codeql-action/analyze@v3', 'CodeQL', 'code'],
      ['uses', 'aquasecurity/trivy-action@0.24.0', 'trivy', 'images'],
      ['uses', 'gitleaks/gitleaks-action@v2', 'gitleaks', 'secrets'],
      ['include', 'template:Security/Dependency-Scanning.gitlab-ci.yml', 'GitLab dependency scanning', 'dependencies'],
      ['uses', 'image:aquasec/trivy:0.50.0', 'trivy', 'images'],
      ['uses', 'docker://aquasec/trivy:0.50.0', 'trivy', 'images'],
      ['uses', 'snykSecurity', 'snyk', 'dependencies'],
    ];
    for (const [kind, text, label, scope] of cases) {
      const found = scanSteps([file('github-actions', [[kind, text]])]);
      assert.deepEqual(found.map((m) => [m.label, m.scope]), [[label, scope]], text);
    }
    for (const text of ['npm install', 'pip install safety', 'echo audit', 'docker build .']) assert.equal(scanSteps([file('github-actions', [['run', text]])]).length, 0, text);
  });

  it('finds test files by name and directory, not fixtures', () => {
    const paths = ['src/a.test.ts', 'src/b.spec.jsx', 'tests/test_api.py', 'pkg/x_test.go', 'app/models_test.py', 'src/test/java/AppTest.java', 'test/helpers.js', 'test/fixtures/sample.js', 'tests/data/case.py', 'src/app.ts', 'docs/testing.md', 'testdata/x.go'];
    assert.deepEqual(
      testFiles(paths.map((p) => sourceFile(p, ''))).map((f) => f.path),
      ['src/a.test.ts', 'src/b.spec.jsx', 'tests/test_api.py', 'pkg/x_test.go', 'app/models_test.py', 'src/test/java/AppTest.java', 'test/helpers.js'],
    );
  });
});

describe('CI and documentation rules on whole workspaces', () => {
  const rules = allRules.filter((r) => r.meta.id.startsWith('ci/') || r.meta.id.startsWith('docs/'));
  const run = async (files: Record<string, string>): Promise<Awaited<ReturnType<typeof scan>>> => {
    const dir = tempDir();
    writeTree(dir, new Map(Object.entries(files)));
    return scan({ roots: [dir], rules });
  };
  const status = (o: Awaited<ReturnType<typeof scan>>, id: string): string | undefined => o.checks.find((c) => c.id === id)?.status;

  it('discovery reads .github and .circleci', async () => {
    const o = await run({ 'package.json': '{"name":"a","scripts":{"start":"node ."}}', '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    steps:\n      - run: npm test\n', '.circleci/config.yml': 'jobs:\n  b:\n    steps:\n      - run: npm audit\n' });
    assert.ok(o.files.some((f) => f.path === '.github/workflows/ci.yml'));
    assert.ok(o.files.some((f) => f.path === '.circleci/config.yml'));
    assert.equal(status(o, 'ci/pipeline'), 'pass');
    assert.equal(status(o, 'ci/security-scan'), 'pass');
    const scanEvidence = o.checks.find((c) => c.id === 'ci/security-scan')!.evidence[0]!;
    assert.equal(scanEvidence.file, '.circleci/config.yml');
    assert.match(scanEvidence.note, /CircleCI job 'b' runs npm audit/);
  });

  it('a workflow without steps is a partial pipeline; nothing at all is not applicable', async () => {
    const o = await run({ 'requirements.txt': 'flask\n', '.github/workflows/ci.yml': 'on: push\njobs: {}\n' });
    assert.equal(status(o, 'ci/pipeline'), 'partial');
    const empty = await run({ 'notes/ideas.md': '# Ideas\n' });
    assert.equal(status(empty, 'ci/pipeline'), 'not-applicable');
    assert.equal(status(empty, 'docs/readme'), 'not-applicable');
  });

  it('tests without a pipeline are partial; a README with only a title fails', async () => {
    const o = await run({ 'package.json': '{"name":"a","scripts":{"start":"node ."}}', 'README.md': '# a\n', 'src/a.test.js': 'test("x", () => {});\n' });
    assert.equal(status(o, 'ci/tests'), 'partial');
    assert.equal(o.findings.find((f) => f.ruleId === 'ci/tests')?.messageId, 'noPipeline');
    assert.equal(status(o, 'docs/readme'), 'fail');
    assert.equal(o.findings.find((f) => f.ruleId === 'docs/readme')?.messageId, 'titleOnly');
  });

  it('a README file directive suppresses the repository-level findings that point at it', async () => {
    const o = await run({ 'package.json': '{"name":"a","scripts":{"start":"node ."}}', 'README.md': '<!-- readiness-ignore-file ci/pipeline, docs/security-policy -- handled elsewhere -->\n# a\n\n## Usage\n\n    npm start\n' });
    assert.deepEqual(o.findings.filter((f) => f.ruleId === 'ci/pipeline' || f.ruleId === 'docs/security-policy'), []);
    assert.deepEqual(o.suppressed.map((f) => f.ruleId).sort(), ['ci/pipeline', 'docs/security-policy']);
    assert.equal(status(o, 'docs/readme'), 'pass');
  });

  it('Dependabot without updates is partial; with updates it passes', async () => {
    const base = { 'requirements.txt': 'django\n' };
    assert.equal(status(await run({ ...base, '.github/dependabot.yml': 'version: 2\nupdates: []\n' }), 'ci/security-scan'), 'partial');
    assert.equal(status(await run({ ...base, '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n' }), 'ci/security-scan'), 'pass');
    assert.equal(status(await run({ 'package.json': '{"name":"a","renovate":{"extends":["config:base"]}}' }), 'ci/security-scan'), 'pass');
  });

  it('an OpenAPI document beside the service passes docs/api-spec; runbook files pass docs/runbook', async () => {
    const o = await run({
      'package.json': '{"name":"api","dependencies":{"express":"^4"}}',
      'src/app.js': "const express = require('express');\nconst app = express();\napp.get('/x', (q, r) => r.end());\napp.listen(3000);\n",
      'openapi.yaml': 'openapi: 3.0.3\ninfo: {title: api, version: "1"}\npaths: {}\n',
      'docs/RUNBOOK.md': '# Runbook\n\nRestart with kubectl.\n',
    });
    assert.equal(status(o, 'docs/api-spec'), 'pass');
    assert.match(o.checks.find((c) => c.id === 'docs/api-spec')!.evidence[0]!.note, /OpenAPI 3\.0\.3 document/);
    assert.equal(status(o, 'docs/runbook'), 'pass');
  });

  it('docs/readme names services with a README of their own; without a root README that is partial', async () => {
    const files = {
      'services/api/package.json': '{"name":"api","dependencies":{"express":"^4"}}',
      'services/api/README.md': '# api\n\n## Running\n\nnpm start\n',
      'services/worker/requirements.txt': 'celery\n',
    };
    const o = await run(files);
    assert.equal(status(o, 'docs/readme'), 'partial');
    const check = o.checks.find((c) => c.id === 'docs/readme')!;
    assert.ok(check.evidence.some((e) => e.file === 'services/api/README.md' && /service 'api' has its own README/.test(e.note)));
    const withRoot = await run({ ...files, 'README.md': '# Shop\n\n## Getting started\n\n```sh\ndocker compose up\n```\n' });
    assert.equal(status(withRoot, 'docs/readme'), 'pass');
  });

  it('docs/api-spec: @nestjs/swagger without SwaggerModule.setup is partial; a service without HTTP is not asked', async () => {
    const o = await run({
      'api/package.json': '{"name":"api","dependencies":{"@nestjs/core":"^10"}}',
      'api/src/cats.controller.ts': "import { Controller, Get } from '@nestjs/common';\nimport { ApiTags } from '@nestjs/swagger';\n\n@ApiTags('cats')\n@Controller('cats')\nexport class CatsController {\n  @Get()\n  list() {\n    return [];\n  }\n}\n",
      'jobs/requirements.txt': 'celery\n',
      'jobs/tasks.py': 'from celery import Celery\n\napp = Celery("jobs")\n',
    });
    const check = o.checks.find((c) => c.id === 'docs/api-spec')!;
    assert.equal(check.subjects, 1, 'only the HTTP service');
    assert.equal(check.status, 'partial');
    assert.match(o.findings.find((f) => f.ruleId === 'docs/api-spec')!.message, /SwaggerModule\.setup is not called/);
  });

  it('example workspace: the shop has no pipeline', async () => {
    const shop = path.join(__dirname, '..', 'examples', 'shop');
    assert.ok(fs.existsSync(shop));
    const o = await scan({ roots: [shop], rules });
    assert.equal(status(o, 'ci/pipeline'), 'fail');
  });
});
