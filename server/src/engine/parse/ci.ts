// CI configuration → plain facts: the provider, its jobs, and each job's steps as written
// (a shell command, or a reference to an action/orb/task/template), with exact spans.
//
// YAML providers are read from the file's YAML facts (value + spans by JSON pointer), so
// nothing here parses YAML. Jenkinsfiles are Groovy, for which no well-kept parser exists on
// npm: `jenkinsSteps` runs a small tokenizer (strings, comments, brace nesting) instead of
// regular expressions over the whole file. Nothing is executed or resolved; rules decide what
// a step means (runs tests, scans dependencies).
//
// Shape (spans are half-open UTF-16 offsets into the file's text):
//
//   CiFacts
//     provider   'github-actions' | 'gitlab-ci' | 'circleci' | 'azure-pipelines' | 'jenkins'
//                | 'dependabot' | 'renovate'
//     jobs[]     { name, span (the job's key, or its `stage(...)` call), steps[] }; besides real
//                jobs: GitLab's `include` entries and top-level `before_script`/`after_script`,
//                CircleCI's reusable `command:<name>` and `workflow:<name>` (the jobs a
//                workflow runs, orb jobs included), Azure's top-level `(pipeline)` steps, and a
//                Jenkinsfile's `(pipeline)` for steps outside every stage
//     steps[]    { kind: 'run' (a shell command: run/script/sh/bash …) | 'uses' (an action,
//                  orb command or job, Azure task, reusable workflow, Jenkins plugin step)
//                  | 'include' (GitLab `include:` entry: `local:<path>`, `template:<name>`,
//                  `project:<path>`, `remote:<url>`, `component:<ref>`),
//                  text, span (the command's or reference's value) }
//     updates?   dependency-update configuration (Dependabot `updates` entries, Renovate's
//                config): { text (ecosystem, or 'renovate'), span }
import type { ParseError, Span, YamlDoc } from '../types';

export type CiProvider = 'github-actions' | 'gitlab-ci' | 'circleci' | 'azure-pipelines' | 'jenkins' | 'dependabot' | 'renovate';

export interface CiStep {
  kind: 'run' | 'uses' | 'include';
  text: string;
  span: Span;
}

export interface CiJob {
  name: string;
  span: Span;
  steps: CiStep[];
}

export interface CiFacts {
  provider: CiProvider;
  jobs: CiJob[];
  updates?: { text: string; span: Span }[];
}

/** Pipeline providers (Dependabot and Renovate configure updates, they run no pipeline). */
export const PIPELINE_PROVIDERS: readonly CiProvider[] = ['github-actions', 'gitlab-ci', 'circleci', 'azure-pipelines', 'jenkins'];

/** Steps kept per job and jobs per file: real pipelines stay far below. */
const MAX_STEPS = 500;
const MAX_JOBS = 500;

const RENOVATE_FILES = new Set(['renovate.json', 'renovate.json5', '.renovaterc', '.renovaterc.json', '.renovaterc.json5']);

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The CI provider a path belongs to, by name alone (undefined: not CI configuration). */
export function ciProviderOf(relPath: string): CiProvider | undefined {
  const name = basename(relPath);
  const lower = name.toLowerCase();
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(relPath)) return 'github-actions';
  if (relPath === '.github/dependabot.yml' || relPath === '.github/dependabot.yaml') return 'dependabot';
  if (lower === '.gitlab-ci.yml' || lower === '.gitlab-ci.yaml' || lower.endsWith('.gitlab-ci.yml') || /^\.gitlab\/ci\/.*\.ya?ml$/.test(relPath)) return 'gitlab-ci';
  if (relPath === '.circleci/config.yml' || relPath === '.circleci/config.yaml') return 'circleci';
  if (lower === 'azure-pipelines.yml' || lower === 'azure-pipelines.yaml' || /^\.azure-pipelines\/.*\.ya?ml$/.test(relPath)) return 'azure-pipelines';
  if (lower === 'jenkinsfile' || lower.endsWith('.jenkinsfile')) return 'jenkins';
  if (RENOVATE_FILES.has(lower) && (!relPath.includes('/') || /^\.(github|gitlab)\/[^/]+$/.test(relPath))) return 'renovate';
  return undefined;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function esc(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

function spanOf(doc: YamlDoc, ptr: string): Span {
  const s = doc.spans[ptr];
  if (s) return { start: s.v[0], end: s.v[1] };
  return { start: doc.span[0], end: doc.span[0] };
}

function keySpanOf(doc: YamlDoc, ptr: string): Span {
  const s = doc.spans[ptr];
  if (s?.k) return { start: s.k[0], end: s.k[1] };
  return spanOf(doc, ptr);
}

function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

class JobList {
  readonly jobs: CiJob[] = [];
  add(name: string, span: Span): CiJob {
    const job: CiJob = { name, span, steps: [] };
    if (this.jobs.length < MAX_JOBS) this.jobs.push(job);
    return job;
  }
}

function push(job: CiJob, step: CiStep): void {
  if (job.steps.length < MAX_STEPS) job.steps.push(step);
}

/** A `script:`-like value: a string, or a list of strings (nested lists are flattened one level, as GitLab does). */
function scriptSteps(doc: YamlDoc, ptr: string, value: unknown, job: CiJob): void {
  if (typeof value === 'string') {
    push(job, { kind: 'run', text: value, span: spanOf(doc, ptr) });
    return;
  }
  if (!Array.isArray(value)) return;
  value.forEach((item: unknown, i) => {
    const p = `${ptr}/${i}`;
    if (typeof item === 'string') push(job, { kind: 'run', text: item, span: spanOf(doc, p) });
    else if (Array.isArray(item)) item.forEach((inner: unknown, j) => typeof inner === 'string' && push(job, { kind: 'run', text: inner, span: spanOf(doc, `${p}/${j}`) }));
  });
}

function githubActions(doc: YamlDoc, list: JobList): void {
  const root = doc.value;
  if (!isObj(root) || !isObj(root.jobs)) return;
  for (const [id, j] of Object.entries(root.jobs)) {
    const ptr = `/jobs/${esc(id)}`;
    const job = list.add(id, keySpanOf(doc, ptr));
    if (!isObj(j)) continue;
    if (typeof j.uses === 'string') push(job, { kind: 'uses', text: j.uses, span: spanOf(doc, `${ptr}/uses`) });
    if (!Array.isArray(j.steps)) continue;
    j.steps.forEach((s: unknown, i) => {
      if (!isObj(s)) return;
      const sp = `${ptr}/steps/${i}`;
      if (typeof s.uses === 'string') push(job, { kind: 'uses', text: s.uses, span: spanOf(doc, `${sp}/uses`) });
      const run = scalarText(s.run);
      if (run !== undefined) push(job, { kind: 'run', text: run, span: spanOf(doc, `${sp}/run`) });
    });
  }
}

const GITLAB_RESERVED = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'spec', 'types']);
const GITLAB_INCLUDE_KEYS = ['local', 'template', 'project', 'remote', 'component'] as const;

function gitlabIncludes(doc: YamlDoc, value: unknown, list: JobList): void {
  if (value === undefined) return;
  const job = list.add('include', keySpanOf(doc, '/include'));
  const one = (item: unknown, ptr: string): void => {
    if (typeof item === 'string') {
      // A bare string is a local path, or a remote URL.
      push(job, { kind: 'include', text: /^https?:\/\//.test(item) ? `remote:${item}` : `local:${item}`, span: spanOf(doc, ptr) });
      return;
    }
    if (!isObj(item)) return;
    for (const k of GITLAB_INCLUDE_KEYS) {
      const v = scalarText(item[k]);
      if (v !== undefined) push(job, { kind: 'include', text: `${k}:${v}`, span: spanOf(doc, `${ptr}/${k}`) });
    }
  };
  if (Array.isArray(value)) value.forEach((item: unknown, i) => one(item, `/include/${i}`));
  else one(value, '/include');
}

function gitlabCi(doc: YamlDoc, list: JobList): void {
  const root = doc.value;
  if (!isObj(root)) return;
  gitlabIncludes(doc, root.include, list);
  for (const [name, j] of Object.entries(root)) {
    const ptr = `/${esc(name)}`;
    if (GITLAB_RESERVED.has(name) && name !== 'default') {
      // Top-level before_script/after_script run around every job.
      if (name === 'before_script' || name === 'after_script') scriptSteps(doc, ptr, j, list.add(name, keySpanOf(doc, ptr)));
      continue;
    }
    if (!isObj(j)) continue;
    const hasWork = ['script', 'before_script', 'after_script', 'trigger', 'extends'].some((k) => k in j);
    if (!hasWork && name !== 'default') continue;
    const job = list.add(name, keySpanOf(doc, ptr));
    for (const k of ['before_script', 'script', 'after_script']) scriptSteps(doc, `${ptr}/${k}`, j[k], job);
    // A job's image names the tool it runs (a scanner image runs a scan even with a bare script).
    const image = isObj(j.image) ? scalarText(j.image.name) : scalarText(j.image);
    if (image !== undefined) push(job, { kind: 'uses', text: `image:${image}`, span: spanOf(doc, isObj(j.image) ? `${ptr}/image/name` : `${ptr}/image`) });
  }
}

/** CircleCI: `jobs.<name>.steps` (strings, `run`, orb commands) and workflow job references (orb jobs). */
function circleci(doc: YamlDoc, list: JobList): void {
  const root = doc.value;
  if (!isObj(root)) return;
  const stepsOf = (steps: unknown, ptr: string, job: CiJob): void => {
    if (!Array.isArray(steps)) return;
    steps.forEach((s: unknown, i) => {
      const sp = `${ptr}/${i}`;
      if (typeof s === 'string') {
        push(job, { kind: 'uses', text: s, span: spanOf(doc, sp) });
        return;
      }
      if (!isObj(s)) return;
      for (const [k, v] of Object.entries(s)) {
        if (k === 'run') {
          const text = scalarText(v) ?? (isObj(v) ? scalarText(v.command) : undefined);
          if (text !== undefined) push(job, { kind: 'run', text, span: spanOf(doc, isObj(v) ? `${sp}/run/command` : `${sp}/run`) });
        } else push(job, { kind: 'uses', text: k, span: keySpanOf(doc, `${sp}/${esc(k)}`) });
      }
    });
  };
  if (isObj(root.jobs)) {
    for (const [name, j] of Object.entries(root.jobs)) {
      const ptr = `/jobs/${esc(name)}`;
      const job = list.add(name, keySpanOf(doc, ptr));
      if (isObj(j)) stepsOf(j.steps, `${ptr}/steps`, job);
    }
  }
  if (isObj(root.commands)) {
    for (const [name, c] of Object.entries(root.commands)) {
      const ptr = `/commands/${esc(name)}`;
      const job = list.add(`command:${name}`, keySpanOf(doc, ptr));
      if (isObj(c)) stepsOf(c.steps, `${ptr}/steps`, job);
    }
  }
  if (isObj(root.workflows)) {
    for (const [wf, w] of Object.entries(root.workflows)) {
      if (!isObj(w) || !Array.isArray(w.jobs)) continue;
      const ptr = `/workflows/${esc(wf)}/jobs`;
      const job = list.add(`workflow:${wf}`, keySpanOf(doc, `/workflows/${esc(wf)}`));
      w.jobs.forEach((ref: unknown, i) => {
        if (typeof ref === 'string') push(job, { kind: 'uses', text: ref, span: spanOf(doc, `${ptr}/${i}`) });
        else if (isObj(ref)) for (const k of Object.keys(ref)) push(job, { kind: 'uses', text: k, span: keySpanOf(doc, `${ptr}/${i}/${esc(k)}`) });
      });
    }
  }
}

/** What an Azure task runs, when its inputs say so (`Npm@1` with `command: custom`, `DotNetCoreCLI@2` …). */
function azureTaskCommand(task: string, inputs: Obj): string | undefined {
  const name = task.split('@')[0]!.toLowerCase();
  const s = (k: string): string | undefined => scalarText(inputs[k]);
  if (name === 'npm') return `npm ${s('command') === 'custom' ? (s('customCommand') ?? '') : (s('command') ?? 'install')}`.trim();
  if (name === 'dotnetcorecli') return `dotnet ${s('command') ?? 'build'}`;
  if (name === 'maven') return `mvn ${s('goals') ?? 'package'}`;
  if (name === 'gradle') return `gradle ${s('tasks') ?? 'build'}`;
  if (name === 'yarn') return `yarn ${s('arguments') ?? ''}`.trim();
  return s('script') ?? s('inlineScript');
}

function azurePipelines(doc: YamlDoc, list: JobList): void {
  const root = doc.value;
  if (!isObj(root)) return;
  const stepsOf = (steps: unknown, ptr: string, job: CiJob): void => {
    if (!Array.isArray(steps)) return;
    steps.forEach((s: unknown, i) => {
      if (!isObj(s)) return;
      const sp = `${ptr}/${i}`;
      for (const k of ['script', 'bash', 'pwsh', 'powershell']) {
        const text = scalarText(s[k]);
        if (text !== undefined) push(job, { kind: 'run', text, span: spanOf(doc, `${sp}/${k}`) });
      }
      for (const k of ['task', 'template']) {
        const ref = scalarText(s[k]);
        if (ref === undefined) continue;
        push(job, { kind: 'uses', text: ref, span: spanOf(doc, `${sp}/${k}`) });
        const cmd = k === 'task' && isObj(s.inputs) ? azureTaskCommand(ref, s.inputs) : undefined;
        if (cmd !== undefined) push(job, { kind: 'run', text: cmd, span: spanOf(doc, `${sp}/${k}`) });
      }
    });
  };
  const jobsOf = (jobs: unknown, ptr: string, prefix: string): void => {
    if (!Array.isArray(jobs)) return;
    jobs.forEach((j: unknown, i) => {
      if (!isObj(j)) return;
      const jp = `${ptr}/${i}`;
      const idKey = ['job', 'deployment', 'template'].find((k) => scalarText(j[k]) !== undefined);
      const id = idKey ? scalarText(j[idKey])! : `job ${i + 1}`;
      const job = list.add(prefix + id, spanOf(doc, idKey ? `${jp}/${idKey}` : jp));
      if (typeof j.template === 'string') push(job, { kind: 'uses', text: j.template, span: spanOf(doc, `${jp}/template`) });
      stepsOf(j.steps, `${jp}/steps`, job);
      // Deployment jobs nest their steps under a strategy (runOnce.deploy.steps and the like).
      if (isObj(j.strategy)) {
        for (const [strategy, phases] of Object.entries(j.strategy)) {
          if (!isObj(phases)) continue;
          for (const [phase, body] of Object.entries(phases)) {
            if (isObj(body)) stepsOf(body.steps, `${jp}/strategy/${esc(strategy)}/${esc(phase)}/steps`, job);
          }
        }
      }
    });
  };
  if (Array.isArray(root.steps)) stepsOf(root.steps, '/steps', list.add('(pipeline)', keySpanOf(doc, '/steps')));
  jobsOf(root.jobs, '/jobs', '');
  if (Array.isArray(root.stages)) {
    root.stages.forEach((st: unknown, i) => {
      if (!isObj(st)) return;
      const stage = scalarText(st.stage) ?? `stage ${i + 1}`;
      if (typeof st.template === 'string') push(list.add(stage, spanOf(doc, `/stages/${i}/template`)), { kind: 'uses', text: st.template, span: spanOf(doc, `/stages/${i}/template`) });
      jobsOf(st.jobs, `/stages/${i}/jobs`, `${stage}/`);
    });
  }
}

function dependabot(doc: YamlDoc): CiFacts['updates'] {
  const root = doc.value;
  if (!isObj(root) || !Array.isArray(root.updates)) return [];
  const out: NonNullable<CiFacts['updates']> = [];
  root.updates.forEach((u: unknown, i) => {
    if (!isObj(u)) return;
    const eco = scalarText(u['package-ecosystem']);
    if (eco !== undefined) out.push({ text: eco, span: spanOf(doc, `/updates/${i}/package-ecosystem`) });
  });
  return out;
}

/**
 * CI facts of a YAML file of a CI provider, from its YAML facts. Returns undefined for paths
 * that are no CI configuration.
 */
export function yamlCiFacts(relPath: string, docs: readonly YamlDoc[]): CiFacts | undefined {
  const provider = ciProviderOf(relPath);
  if (!provider || provider === 'jenkins' || provider === 'renovate') return undefined;
  const list = new JobList();
  const facts: CiFacts = { provider, jobs: list.jobs };
  for (const doc of docs) {
    if (provider === 'github-actions') githubActions(doc, list);
    else if (provider === 'gitlab-ci') gitlabCi(doc, list);
    else if (provider === 'circleci') circleci(doc, list);
    else if (provider === 'azure-pipelines') azurePipelines(doc, list);
    else if (provider === 'dependabot') facts.updates = [...(facts.updates ?? []), ...(dependabot(doc) ?? [])];
  }
  return facts;
}

/**
 * Renovate configuration: a Renovate config file (any content: Renovate reads it, an empty
 * object means the defaults), or a package.json whose top-level `renovate` is an object.
 * The span is the file's start, or the `"renovate"` key of the package.json.
 */
export function renovateFacts(relPath: string, text: string): { facts?: CiFacts; errors: ParseError[] } {
  if (ciProviderOf(relPath) === 'renovate') return { facts: { provider: 'renovate', jobs: [], updates: [{ text: 'renovate', span: { start: 0, end: 0 } }] }, errors: [] };
  if (basename(relPath) !== 'package.json' || !text.includes('"renovate"')) return { errors: [] };
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return { errors: [] }; // a broken package.json is reported by whoever reads manifests
  }
  if (!isObj(pkg) || !isObj(pkg.renovate)) return { errors: [] };
  // The top-level key is the `"renovate"` followed by `:` and `{` (a dependency named renovate has a string value).
  const key = /"renovate"\s*:\s*\{/g.exec(text);
  const start = key ? key.index : 0;
  return { facts: { provider: 'renovate', jobs: [], updates: [{ text: 'renovate', span: { start, end: key ? start + '"renovate"'.length : 0 } }] }, errors: [] };
}

// ---------------------------------------------------------------------------------------
// Jenkinsfile: a tokenizer for the Groovy a declarative (or scripted) pipeline is written in.
//
// Tokens: identifiers, strings ('…', "…", '''…''', """…""", with `${…}` interpolations in
// double-quoted ones skipped by brace depth), punctuation ({ } ( ) , :), and everything
// else as single characters. Comments (// and /* */) are skipped. Every loop advances by at
// least one character, and no position is visited twice except by the O(1) look-behind, so
// the work is linear in the file's length whatever the input. Unterminated strings and
// comments, and unbalanced braces, give ParseErrors; the steps found so far are kept.

interface Token {
  t: 'id' | 'str' | 'punct';
  /** identifier name, punctuation character, or the string's content (quotes removed, escapes kept). */
  v: string;
  start: number;
  end: number;
}

const RUN_STEPS = new Set(['sh', 'bat', 'powershell', 'pwsh']);
/** Plugin steps that run a tool by themselves (recorded as `uses`). */
const PLUGIN_STEPS = new Set(['snykSecurity', 'dependencyCheck', 'dependencyCheckPublisher', 'grypeScan', 'recordIssues', 'withSonarQubeEnv', 'junit']);
/** Tokens of a step's argument list searched for its command. */
const MAX_ARG_TOKENS = 64;
/** Tokens per Jenkinsfile: beyond it the file is cut short with an error entry. */
const MAX_TOKENS = 200_000;

export function tokenizeGroovy(text: string): { tokens: Token[]; errors: ParseError[] } {
  const tokens: Token[] = [];
  const errors: ParseError[] = [];
  const n = text.length;
  let i = 0;
  const isIdStart = (c: string): boolean => /[A-Za-z_$]/.test(c);
  const isId = (c: string): boolean => /[A-Za-z0-9_$]/.test(c);
  while (i < n) {
    if (tokens.length >= MAX_TOKENS) {
      errors.push({ message: `Jenkinsfile: more than ${MAX_TOKENS} tokens; the rest is not read`, offset: i });
      break;
    }
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        errors.push({ message: 'Jenkinsfile: unterminated /* comment', offset: i });
        break;
      }
      i = close + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const start = i;
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      const contentStart = i;
      let closed = false;
      let depth = 0; // inside `${ … }` of a double-quoted string
      while (i < n) {
        const d = text[i]!;
        if (d === '\\') {
          i += 2;
          continue;
        }
        if (c === '"' && depth === 0 && d === '$' && text[i + 1] === '{') {
          depth = 1;
          i += 2;
          continue;
        }
        if (depth > 0) {
          if (d === '{') depth++;
          else if (d === '}') depth--;
          i++;
          continue;
        }
        if (!triple && d === '\n') break; // a single-line string cannot span lines
        if (text.startsWith(quote, i)) {
          closed = true;
          break;
        }
        i++;
      }
      if (!closed) {
        errors.push({ message: 'Jenkinsfile: unterminated string', offset: start });
        tokens.push({ t: 'str', v: text.slice(contentStart, Math.min(i, n)), start, end: Math.min(i, n) });
        continue;
      }
      tokens.push({ t: 'str', v: text.slice(contentStart, i), start, end: i + quote.length });
      i += quote.length;
      continue;
    }
    if (isIdStart(c)) {
      const start = i;
      while (i < n && isId(text[i]!)) i++;
      tokens.push({ t: 'id', v: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    tokens.push({ t: 'punct', v: c, start: i, end: i + 1 });
    i++;
  }
  return { tokens, errors };
}

/**
 * Steps of a Jenkinsfile: `sh '…'`, `sh "…"`, `sh '''…'''`, `sh(script: '…')`, `sh(…)`, and
 * `bat`/`powershell`/`pwsh` alike, plus a few plugin steps; each belongs to the innermost
 * enclosing `stage('name') { … }` (else to "(pipeline)"). The step's span runs from the step
 * name to the end of its command string.
 */
export function jenkinsFacts(text: string): { facts: CiFacts; errors: ParseError[] } {
  const { tokens, errors } = tokenizeGroovy(text);
  const list = new JobList();
  const top = list.add('(pipeline)', { start: 0, end: 0 });
  // Open braces: the job they open (a stage's body) or undefined.
  const braces: (CiJob | undefined)[] = [];
  let pendingStage: CiJob | undefined;
  // Matching parentheses, found in one pass with a stack (so no step rescans the file).
  const closeOf = new Map<number, number>();
  const open: number[] = [];
  tokens.forEach((t, idx) => {
    if (t.t !== 'punct') return;
    if (t.v === '(') open.push(idx);
    else if (t.v === ')' && open.length > 0) closeOf.set(open.pop()!, idx);
  });
  const current = (): CiJob => {
    for (let k = braces.length - 1; k >= 0; k--) if (braces[k]) return braces[k]!;
    return top;
  };
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (tok.t === 'punct') {
      if (tok.v === '{') {
        braces.push(pendingStage);
        pendingStage = undefined;
      } else if (tok.v === '}') {
        if (braces.length === 0) errors.push({ message: "Jenkinsfile: unbalanced '}'", offset: tok.start });
        else braces.pop();
      }
      continue;
    }
    if (tok.t !== 'id') continue;
    const prev = tokens[k - 1];
    // `x.sh` or `def sh` are not steps.
    if (prev && prev.t === 'punct' && prev.v === '.') continue;
    if (tok.v === 'stage') {
      // stage('name') {  or  stage "name" {  (scripted pipelines)
      let j = k + 1;
      const paren = tokens[j]?.t === 'punct' && tokens[j]!.v === '(';
      if (paren) j++;
      const name = tokens[j];
      if (name?.t === 'str') {
        pendingStage = list.add(name.v, { start: tok.start, end: (paren && tokens[j + 1]?.v === ')' ? tokens[j + 1]!.end : name.end) });
      }
      continue;
    }
    if (!RUN_STEPS.has(tok.v) && !PLUGIN_STEPS.has(tok.v)) continue;
    const next = tokens[k + 1];
    if (!next) continue;
    if (RUN_STEPS.has(tok.v)) {
      let command: Token | undefined;
      let end = 0;
      if (next.t === 'str') {
        command = next;
        end = next.end;
      } else if (next.t === 'punct' && next.v === '(') {
        // sh('…') or sh(script: '…', returnStdout: true): the `script` argument, else the first
        // string among the first arguments. The closing parenthesis comes from one pass (closeOf).
        const close = closeOf.get(k + 1);
        end = close !== undefined ? tokens[close]!.end : next.end;
        const limit = Math.min(close ?? tokens.length, k + 2 + MAX_ARG_TOKENS);
        let depth = 0;
        for (let j = k + 2; j < limit; j++) {
          const t = tokens[j]!;
          if (t.t === 'punct' && (t.v === '(' || t.v === '[' || t.v === '{')) depth++;
          else if (t.t === 'punct' && (t.v === ')' || t.v === ']' || t.v === '}')) depth--;
          else if (depth === 0 && t.t === 'str' && !(tokens[j + 1]?.t === 'punct' && tokens[j + 1]!.v === ':')) {
            const before = tokens[j - 1];
            const label = before?.t === 'punct' && before.v === ':' ? tokens[j - 2] : undefined;
            if (!label || label.v === 'script') {
              command = t;
              break;
            }
          }
        }
      } else if (next.t === 'id') {
        // Named arguments without parentheses: sh label: 'lint', script: 'npm run lint'
        for (let j = k + 1; j < Math.min(tokens.length, k + 40); j += 3) {
          const [name, colon, value] = [tokens[j], tokens[j + 1], tokens[j + 2]];
          if (name?.t !== 'id' || colon?.v !== ':' || !value) break;
          if (name.v === 'script' && value.t === 'str') {
            command = value;
            end = value.end;
            break;
          }
          if (tokens[j + 3]?.v !== ',') break;
          j++;
        }
      }
      if (command) push(current(), { kind: 'run', text: command.v, span: { start: tok.start, end } });
      continue;
    }
    // Plugin steps: `snykSecurity(...)`, `dependencyCheck additionalArguments: …`.
    if ((next.t === 'punct' && (next.v === '(' || next.v === '{')) || next.t === 'id' || next.t === 'str') push(current(), { kind: 'uses', text: tok.v, span: { start: tok.start, end: tok.end } });
  }
  if (braces.length > 0) errors.push({ message: `Jenkinsfile: ${braces.length} unclosed '{'`, offset: text.length });
  // The pipeline-level pseudo job is kept only when it holds steps (scripted pipelines).
  const jobs = list.jobs.filter((j) => j !== top || j.steps.length > 0);
  return { facts: { provider: 'jenkins', jobs }, errors };
}
