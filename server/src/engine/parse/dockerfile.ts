// Dockerfile → plain facts, parsed with `dockerfile-ast` (the parser behind the Docker
// language server). Nothing here is a hand-written Dockerfile reader: instructions, flags,
// properties and JSON arguments come from the library; its LSP positions (line, UTF-16
// character) are turned into UTF-16 offsets with the file's line starts. The only text
// handling of our own is a small shell-word splitter over RUN/CMD arguments, to see
// `useradd`/`adduser` calls and the words of a shell-form command.
//
// Shape (all spans are half-open UTF-16 offsets into the file's text):
//
//   DockerfileFacts
//     escape          the escape character (`\` or a `# escape=` directive's)
//     globalArgs      ARGs before the first FROM (they are the only ones FROM may use)
//     stages[]        one per FROM, in order; the final stage is `stages.at(-1)`
//       index, span   position among the stages; from the FROM to the stage's last instruction
//       from          { span (the whole FROM instruction), image (as written), imageSpan,
//                       resolved (ARG defaults substituted; variables without one kept as
//                       `${NAME}`), unresolved (those names), platform }
//       name/nameSpan the stage name of `AS name`, lowercased as Docker does
//       base          'image' | 'stage' (FROM names an earlier stage: baseStage) | 'scratch'
//       instructions  every instruction of the stage (FROM first): { keyword, span }
//       user          the stage's last USER: { value, span, valueSpan } (absent: none in this stage)
//       userAdds      RUNs that create a user: { span, name? } (`useradd`/`adduser`, name when it can be told)
//       healthcheck   the stage's last HEALTHCHECK: { none (HEALTHCHECK NONE), span } (absent: none in this stage)
//       expose        EXPOSE ports: { value (as written), port? (number, variables resolved), span }
//       env, args     ENV/ARG properties: { name, nameSpan, value? (unquoted), valueSpan?, span (the property), instruction (span) }
//       copies        COPY/ADD: { keyword, span, from? (--from), sources: {value, span}[], heredoc }
//       cmd, entrypoint  the stage's last CMD / ENTRYPOINT: { keyword, span, form ('exec'|'shell'),
//                        args: {value, span}[] (exec: the JSON strings; shell: the words), text (shell: the command line) }
//
// Inheritance (a stage `FROM <earlier stage>` inherits its USER, HEALTHCHECK, EXPOSE, CMD …)
// is left to the reader: facts describe each stage as written.
import { Add, Arg, Cmd, Copy, DockerfileParser, type Dockerfile, Entrypoint, Env, From, Healthcheck, JSONInstruction, type Instruction, type JSONArgument, type Property } from 'dockerfile-ast';
import type { FileFacts, ParseError, Span } from '../types';

export interface DfText {
  value: string;
  span: Span;
}

export interface DfProperty {
  name: string;
  nameSpan: Span;
  /** The value with quotes removed; absent for `ARG NAME` without a default. */
  value?: string;
  valueSpan?: Span;
  /** The whole `NAME=value` property. */
  span: Span;
  /** The ENV/ARG instruction holding it. */
  instruction: Span;
}

export interface DfFrom {
  /** The whole FROM instruction. */
  span: Span;
  /** The image as written (`node:${NODE_VERSION}-alpine`); '' when the FROM names none. */
  image: string;
  imageSpan?: Span;
  /** The image with global ARG defaults substituted; variables without a default stay `${NAME}`. */
  resolved: string;
  /** Variables of the image that have no default (or are not declared before the first FROM). */
  unresolved: string[];
  platform?: string;
}

export interface DfUser {
  value: string;
  span: Span;
  valueSpan: Span;
}

export interface DfUserAdd {
  /** The RUN instruction. */
  span: Span;
  /** The user it creates, when the command line says so plainly. */
  name?: string;
}

export interface DfHealthcheck {
  /** `HEALTHCHECK NONE`: the check is switched off (also the base image's). */
  none: boolean;
  span: Span;
}

export interface DfExpose {
  value: string;
  port?: number;
  span: Span;
}

export interface DfCopy {
  keyword: 'COPY' | 'ADD';
  span: Span;
  /** `--from=<stage or image>`: the sources come from there, not from the build context. */
  from?: string;
  sources: DfText[];
  /** `COPY <<EOF`: inline content, no sources from the context. */
  heredoc: boolean;
}

export interface DfCommand {
  keyword: 'CMD' | 'ENTRYPOINT';
  span: Span;
  form: 'exec' | 'shell';
  args: DfText[];
  /** Shell form: the command line with continuations joined; exec form: the strings joined by spaces. */
  text: string;
}

export interface DfInstruction {
  keyword: string;
  span: Span;
}

export interface DfStage {
  index: number;
  span: Span;
  from: DfFrom;
  name?: string;
  nameSpan?: Span;
  base: 'image' | 'stage' | 'scratch';
  /** Index of the stage the FROM names, when base is 'stage'. */
  baseStage?: number;
  instructions: DfInstruction[];
  user?: DfUser;
  userAdds: DfUserAdd[];
  healthcheck?: DfHealthcheck;
  expose: DfExpose[];
  env: DfProperty[];
  args: DfProperty[];
  copies: DfCopy[];
  cmd?: DfCommand;
  entrypoint?: DfCommand;
}

export interface DockerfileFacts {
  escape: string;
  globalArgs: DfProperty[];
  stages: DfStage[];
}

/**
 * Longest file parsed as a Dockerfile. Real ones are a few kilobytes; the library takes
 * about a second per 250 KB of pathological input (one huge RUN line), so larger files
 * are refused with an error entry rather than stalling a scan.
 */
export const MAX_DOCKERFILE_CHARS = 256 * 1024;

interface LspPos {
  line: number;
  character: number;
}
interface LspRange {
  start: LspPos;
  end: LspPos;
}

function offsetAt(lineStarts: readonly number[], textLength: number, p: LspPos): number {
  const start = lineStarts[Math.min(Math.max(p.line, 0), lineStarts.length - 1)] ?? 0;
  const lineEnd = p.line + 1 < lineStarts.length ? lineStarts[p.line + 1]! : textLength;
  return Math.min(start + Math.max(p.character, 0), lineEnd, textLength);
}

// ---- shell words ------------------------------------------------------------------------

/** A shell word, or an operator that ends a simple command (`&&`, `||`, `;`, `|`, `&`, newline). */
export interface ShellToken {
  word?: string;
  op?: string;
}

/**
 * Splits a shell command line into words and command separators. Quotes group words
 * (their characters are kept without the quotes); `$(…)`, redirections and expansions are
 * not interpreted. Enough to find which commands a line runs and their arguments.
 */
export function shellTokens(line: string): ShellToken[] {
  const out: ShellToken[] = [];
  let word = '';
  let inWord = false;
  const flush = (): void => {
    if (inWord) out.push({ word });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      const end = close < 0 ? line.length : close;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      flush();
    } else if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      flush();
      const two = line.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        out.push({ op: two });
        i++;
      } else out.push({ op: c === '\n' ? ';' : c });
    } else {
      word += c;
      inWord = true;
    }
  }
  flush();
  return out;
}

/** The simple commands of a tokenised line: each a list of words. */
export function shellCommands(tokens: readonly ShellToken[]): string[][] {
  const commands: string[][] = [];
  let current: string[] = [];
  for (const t of tokens) {
    if (t.op !== undefined) {
      if (current.length > 0) commands.push(current);
      current = [];
    } else if (t.word !== undefined) current.push(t.word);
  }
  if (current.length > 0) commands.push(current);
  return commands;
}

/** Options of useradd, Debian's adduser and BusyBox's adduser that take a value. */
const USER_OPTS_WITH_VALUE: ReadonlySet<string> = new Set([
  '-b', '-c', '-d', '-e', '-f', '-g', '-G', '-K', '-k', '-p', '-s', '-u', '-Z', '-R', '-P', '-h',
  '--base-dir', '--comment', '--home-dir', '--expiredate', '--inactive', '--gid', '--groups', '--skel', '--key',
  '--password', '--shell', '--uid', '--root', '--prefix', '--selinux-user', '--home', '--ingroup', '--gecos',
  '--conf', '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--extrausers',
]);

/** The user a `useradd`/`adduser` command creates: its first operand. */
function createdUser(words: readonly string[]): string | undefined {
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-')) {
      if (!w.includes('=') && USER_OPTS_WITH_VALUE.has(w)) i++;
      continue;
    }
    return /^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/.test(w) ? w : undefined;
  }
  return undefined;
}

function userAddsIn(text: string): { found: boolean; name?: string } {
  let found = false;
  let name: string | undefined;
  for (const words of shellCommands(shellTokens(text))) {
    // Skip wrappers in command position: `sudo useradd`, `exec`, `env X=1 …`.
    let i = 0;
    while (i < words.length && (words[i] === 'sudo' || words[i] === 'exec' || words[i] === 'env' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!))) i++;
    const cmd = words[i];
    if (cmd === undefined) continue;
    const base = cmd.slice(cmd.lastIndexOf('/') + 1);
    if (base !== 'useradd' && base !== 'adduser') continue;
    found = true;
    name ??= createdUser(words.slice(i));
  }
  return { found, name };
}

// ---- variables ----------------------------------------------------------------------------

/** Docker variable references in a word: `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+alt}`. */
function substitute(text: string, lookup: (name: string) => string | null | undefined, unresolved: string[]): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const inner = text.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])(.*))?$/s.exec(inner);
      if (!m) {
        out += text.slice(i, close + 1);
      } else {
        const name = m[1]!;
        const value = lookup(name);
        const has = value !== null && value !== undefined && value !== '';
        if (m[2] === '-') out += has ? value : m[3]!;
        else if (m[2] === '+') out += has ? m[3]! : '';
        else if (has) out += value;
        else {
          out += `\${${name}}`;
          if (!unresolved.includes(name)) unresolved.push(name);
        }
      }
      i = close;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!m) {
      out += c;
      continue;
    }
    const name = m[0];
    const value = lookup(name);
    if (value !== null && value !== undefined && value !== '') out += value;
    else {
      out += `\${${name}}`;
      if (!unresolved.includes(name)) unresolved.push(name);
    }
    i += name.length;
  }
  return out;
}

// ---- the parse --------------------------------------------------------------------------

export function dockerfileFacts(text: string, lineStarts: readonly number[]): { facts: DockerfileFacts; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const facts: DockerfileFacts = { escape: '\\', globalArgs: [], stages: [] };
  if (text.length > MAX_DOCKERFILE_CHARS) {
    errors.push({ message: `Dockerfile: larger than ${MAX_DOCKERFILE_CHARS} characters, not parsed` });
    return { facts, errors };
  }
  let df: Dockerfile;
  try {
    df = DockerfileParser.parse(text);
  } catch (e) {
    errors.push({ message: `Dockerfile: ${e instanceof Error ? e.message : String(e)}` });
    return { facts, errors };
  }
  facts.escape = df.getEscapeCharacter();
  const off = (p: LspPos): number => offsetAt(lineStarts, text.length, p);
  const span = (r: LspRange): Span => ({ start: off(r.start), end: off(r.end) });

  const properties = (ins: Arg | Env): DfProperty[] =>
    ins.getProperties().map((p: Property): DfProperty => {
      const valueRange = p.getValueRange();
      const value = p.getValue();
      return {
        name: p.getName(),
        nameSpan: span(p.getNameRange()),
        ...(value !== null && valueRange ? { value, valueSpan: span(valueRange) } : {}),
        span: span(p.getRange()),
        instruction: span(ins.getRange()),
      };
    });

  const globals = new Map<string, string | null>();
  const jsonStrings = (ins: JSONInstruction): DfText[] => ins.getJSONStrings().map((s) => jsonText(text, s, span(s.getRange())));
  const command = (ins: Cmd | Entrypoint, keyword: 'CMD' | 'ENTRYPOINT'): DfCommand => {
    const exec = ins.getOpeningBracket() !== null && ins.getClosingBracket() !== null;
    if (exec) {
      const args = jsonStrings(ins);
      return { keyword, span: span(ins.getRange()), form: 'exec', args, text: args.map((a) => a.value).join(' ') };
    }
    return {
      keyword,
      span: span(ins.getRange()),
      form: 'shell',
      args: ins.getArguments().map((a) => ({ value: a.getValue(), span: span(a.getRange()) })),
      text: ins.getArgumentsContent() ?? '',
    };
  };

  let stage: DfStage | undefined;
  let scope = new Map<string, string | null>();
  for (const ins of df.getInstructions()) {
    const keyword = ins.getKeyword();
    const insSpan = span(ins.getRange());
    if (ins instanceof From) {
      const imageRange = ins.getImageRange();
      const image = ins.getImage() ?? '';
      const unresolved: string[] = [];
      const resolved = substitute(image, (n) => globals.get(n), unresolved);
      const platform = ins.getPlatformFlag()?.getValue() ?? undefined;
      const nameRaw = ins.getBuildStage();
      const nameRange = ins.getBuildStageRange();
      const lower = resolved.toLowerCase();
      const baseStage = unresolved.length === 0 ? facts.stages.findIndex((s) => s.name !== undefined && s.name === lower) : -1;
      stage = {
        index: facts.stages.length,
        span: { ...insSpan },
        from: { span: insSpan, image, ...(imageRange ? { imageSpan: span(imageRange) } : {}), resolved, unresolved, ...(platform ? { platform } : {}) },
        ...(nameRaw ? { name: nameRaw.toLowerCase() } : {}),
        ...(nameRange ? { nameSpan: span(nameRange) } : {}),
        base: baseStage >= 0 ? 'stage' : lower === 'scratch' ? 'scratch' : 'image',
        ...(baseStage >= 0 ? { baseStage } : {}),
        instructions: [{ keyword, span: insSpan }],
        userAdds: [],
        expose: [],
        env: [],
        args: [],
        copies: [],
      };
      facts.stages.push(stage);
      scope = new Map();
      continue;
    }
    if (!stage) {
      if (ins instanceof Arg) {
        for (const p of properties(ins)) {
          facts.globalArgs.push(p);
          globals.set(p.name, p.value ?? null);
        }
      } else if (keyword !== '') {
        errors.push({ message: `Dockerfile: ${keyword} before the first FROM`, offset: insSpan.start });
      }
      continue;
    }
    stage.instructions.push({ keyword, span: insSpan });
    stage.span.end = insSpan.end;
    const lookup = (n: string): string | null | undefined => scope.get(n);
    if (ins instanceof Arg) {
      for (const p of properties(ins)) {
        stage.args.push(p);
        // `ARG NAME` inside a stage brings the global default into scope.
        scope.set(p.name, p.value ?? globals.get(p.name) ?? null);
      }
    } else if (ins instanceof Env) {
      for (const p of properties(ins)) {
        stage.env.push(p);
        scope.set(p.name, p.value ?? null);
      }
    } else if (ins instanceof Healthcheck) {
      stage.healthcheck = { none: ins.getSubcommand()?.getValue().toUpperCase() === 'NONE', span: insSpan };
    } else if (ins instanceof Cmd) {
      stage.cmd = command(ins, 'CMD');
    } else if (ins instanceof Entrypoint) {
      stage.entrypoint = command(ins, 'ENTRYPOINT');
    } else if (ins instanceof Copy || ins instanceof Add) {
      stage.copies.push(copyOf(ins, ins instanceof Copy ? 'COPY' : 'ADD', insSpan, span, jsonStrings));
    } else if (keyword === 'USER') {
      const arg = ins.getArguments()[0];
      if (arg) stage.user = { value: arg.getValue(), span: insSpan, valueSpan: span(arg.getRange()) };
    } else if (keyword === 'EXPOSE') {
      for (const a of ins.getArguments()) {
        const value = a.getValue();
        const portText = substitute(value, lookup, []).split('/')[0]!;
        const port = /^\d{1,5}$/.test(portText) ? Number(portText) : /^\d{1,5}-\d{1,5}$/.test(portText) ? Number(portText.split('-')[0]) : undefined;
        stage.expose.push({ value, ...(port !== undefined && port > 0 && port < 65536 ? { port } : {}), span: span(a.getRange()) });
      }
    } else if (keyword === 'RUN') {
      const adds = userAddsIn(runText(ins, jsonStrings));
      if (adds.found) stage.userAdds.push({ span: insSpan, ...(adds.name ? { name: adds.name } : {}) });
    }
  }
  if (facts.stages.length === 0 && df.getInstructions().length > 0) errors.push({ message: 'Dockerfile: no FROM instruction' });
  return { facts, errors };
}

/**
 * A JSON string of an exec-form instruction: the source text (quotes included) read with
 * JSON.parse, since the library's own value drops the string's spaces and tabs; its value
 * when the source is no plain JSON string (a string broken by a line continuation).
 */
function jsonText(text: string, s: JSONArgument, at: Span): DfText {
  try {
    const parsed: unknown = JSON.parse(text.slice(at.start, at.end));
    if (typeof parsed === 'string') return { value: parsed, span: at };
  } catch {
    // fall through
  }
  return { value: s.getJSONValue(), span: at };
}

function runText(ins: Instruction, jsonStrings: (ins: JSONInstruction) => DfText[]): string {
  if (ins instanceof JSONInstruction && ins.getOpeningBracket() !== null && ins.getClosingBracket() !== null) {
    return jsonStrings(ins)
      .map((s) => s.value)
      .join(' ');
  }
  return ins.getArgumentsContent() ?? '';
}

function copyOf(ins: Copy | Add, keyword: 'COPY' | 'ADD', insSpan: Span, span: (r: LspRange) => Span, jsonStrings: (ins: JSONInstruction) => DfText[]): DfCopy {
  const from = ins.getFlags().find((f) => f.getName().toLowerCase() === 'from')?.getValue() ?? undefined;
  const heredoc = ins.getArguments().some((a) => a.getValue().startsWith('<<'));
  let all: DfText[];
  if (ins.getOpeningBracket() !== null && ins.getClosingBracket() !== null) {
    all = jsonStrings(ins);
  } else {
    all = ins.getArguments().map((a) => ({ value: a.getValue(), span: span(a.getRange()) }));
  }
  // The last argument is the destination.
  const sources = heredoc ? [] : all.slice(0, -1);
  return { keyword, span: insSpan, ...(from ? { from } : {}), sources, heredoc };
}

// ---- .dockerignore -------------------------------------------------------------------------

export interface DockerignoreFacts {
  /** Patterns in file order (comments and blank lines dropped, surrounding space trimmed; `!` kept). */
  patterns: string[];
}

/** A .dockerignore is a line format: one pattern per line, `#` comments at the start of a line. */
export function dockerignoreFacts(text: string): DockerignoreFacts {
  const patterns: string[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    patterns.push(line);
  }
  return { patterns };
}

// ---- extraction entry point ------------------------------------------------------------------

/**
 * Adds Docker build facts to a file's facts: a Dockerfile's stages, a .dockerignore's
 * patterns. A name ending in `.dockerignore` (BuildKit's `Dockerfile.dockerignore`,
 * `api.Dockerfile.dockerignore`) is an ignore file, never a Dockerfile, whatever the
 * name-based kinds said.
 */
export function addDockerFacts(relPath: string, text: string, facts: FileFacts): void {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.dockerignore')) {
    const kinds = facts.kinds.filter((k) => k !== 'dockerfile' && k !== 'text');
    if (!kinds.includes('dockerignore')) kinds.push('dockerignore');
    facts.kinds.splice(0, facts.kinds.length, ...kinds);
    facts.dockerignore = dockerignoreFacts(text);
    return;
  }
  if (!facts.kinds.includes('dockerfile')) return;
  const { facts: df, errors } = dockerfileFacts(text, facts.lineStarts);
  facts.dockerfile = df;
  // A file that is also something else by name (`Dockerfile.md`) need not parse as one.
  if (facts.kinds.every((k) => k === 'dockerfile')) facts.errors.push(...errors);
}
