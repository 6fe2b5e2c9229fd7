// Dockerfiles as the docker/* rules see them: the parsed facts of each Dockerfile, the
// final stage and the stages it inherits from (`FROM <earlier stage>` inherits USER,
// HEALTHCHECK, EXPOSE, CMD and ENTRYPOINT), the base image family (which decides the
// commands a fix may use), and text helpers for fix writers (insertion points, line ends).
import type { FixContext } from '../../server/src/engine/rule';
import { dockerfileFacts, type DfCommand, type DfStage, type DockerfileFacts } from '../../server/src/engine/parse/dockerfile';
import { lineStartsOf } from '../../server/src/engine/text';
import type { SourceFile, Span } from '../../server/src/engine/types';
import { parseImageRef } from './image';

export interface DockerfileFile {
  file: SourceFile;
  facts: DockerfileFacts;
  final: DfStage;
}

/** Every Dockerfile of the check that parsed into at least one stage. */
export function dockerfiles(files: readonly SourceFile[]): DockerfileFile[] {
  const out: DockerfileFile[] = [];
  for (const file of files) {
    const facts = file.facts.dockerfile;
    const final = facts?.stages.at(-1);
    if (facts && final) out.push({ file, facts, final });
  }
  return out;
}

/** The stage and the earlier stages it is built on (`FROM build`), nearest first. */
export function stageChain(facts: DockerfileFacts, stage: DfStage): DfStage[] {
  const chain = [stage];
  let s = stage;
  while (s.base === 'stage' && s.baseStage !== undefined && s.baseStage < s.index) {
    const next = facts.stages[s.baseStage];
    if (!next) break;
    chain.push(next);
    s = next;
  }
  return chain;
}

/** The external image (or scratch) at the bottom of a stage chain. */
export function rootImage(chain: readonly DfStage[]): { base: 'image' | 'scratch'; image: string } {
  const last = chain[chain.length - 1]!;
  return { base: last.base === 'scratch' ? 'scratch' : 'image', image: last.from.resolved };
}

/** What a fix may run in an image: BusyBox tools (Alpine), GNU/Debian tools, or no shell at all. */
export type ImageFamily = 'alpine' | 'debian' | 'none';

/**
 * The family of a base image, by its name and tag: `scratch` and distroless images have no
 * shell (`none`); Alpine, BusyBox and `-alpine` tags are `alpine`; everything else
 * (Debian, Ubuntu, the official language images, UBI, Amazon Linux) takes the
 * `groupadd`/`useradd`/`curl` forms (`debian`).
 */
export function imageFamily(chain: readonly DfStage[]): ImageFamily {
  const root = rootImage(chain);
  if (root.base === 'scratch') return 'none';
  const ref = parseImageRef(root.image.toLowerCase());
  const name = ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
  if (ref.repository.includes('distroless') || (ref.registry === 'cgr.dev' && name === 'static')) return 'none';
  if (name === 'alpine' || name === 'busybox' || (ref.tag ?? '').includes('alpine')) return 'alpine';
  return 'debian';
}

/** The USER in effect in a stage: its own last USER, else the one it inherits from an earlier stage. */
export function effectiveUser(chain: readonly DfStage[]): { stage: DfStage; user: NonNullable<DfStage['user']> } | undefined {
  for (const s of chain) if (s.user) return { stage: s, user: s.user };
  return undefined;
}

export function effectiveHealthcheck(chain: readonly DfStage[]): { stage: DfStage; healthcheck: NonNullable<DfStage['healthcheck']> } | undefined {
  for (const s of chain) if (s.healthcheck) return { stage: s, healthcheck: s.healthcheck };
  return undefined;
}

/** The first port the image exposes (its own EXPOSE first, then inherited ones). */
export function exposedPort(chain: readonly DfStage[]): number | undefined {
  for (const s of chain) for (const e of s.expose) if (e.port !== undefined) return e.port;
  return undefined;
}

/**
 * The CMD and ENTRYPOINT the image runs: the nearest stage's own, else inherited. An
 * ENTRYPOINT set in a stage clears the CMD it would inherit (Docker's rule).
 */
export function effectiveCommands(chain: readonly DfStage[]): { cmd?: DfCommand; entrypoint?: DfCommand } {
  let cmd: DfCommand | undefined;
  let entrypoint: DfCommand | undefined;
  let cmdCleared = false;
  for (const s of chain) {
    if (!cmd && !cmdCleared && s.cmd) cmd = s.cmd;
    if (!entrypoint && s.entrypoint) {
      entrypoint = s.entrypoint;
      if (!cmd) cmdCleared = true;
    }
  }
  return { ...(cmd ? { cmd } : {}), ...(entrypoint ? { entrypoint } : {}) };
}

/** True when the user part of a USER value (`user[:group]`) is root. */
export function isRootUser(value: string): boolean {
  const user = value.split(':')[0]!.trim().toLowerCase();
  return user === 'root' || /^0+$/.test(user);
}

/** Images that run as a non-root user by default: distroless `nonroot` tags. */
export function nonRootByDefault(chain: readonly DfStage[]): boolean {
  const root = rootImage(chain);
  if (root.base === 'scratch') return false;
  const ref = parseImageRef(root.image.toLowerCase());
  return ref.repository.includes('distroless') && /(^|-)nonroot$/.test(ref.tag ?? '');
}

// ---- fix writers ---------------------------------------------------------------------------

/** The file's current Dockerfile facts, re-parsed from its text. */
export function currentFacts(ctx: FixContext, file: string): { text: string; facts: DockerfileFacts; final: DfStage } | undefined {
  const text = ctx.text(file);
  const { facts } = dockerfileFacts(text, lineStartsOf(text));
  const final = facts.stages.at(-1);
  return final ? { text, facts, final } : undefined;
}

export function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/**
 * Where lines go so that they run before the stage's CMD/ENTRYPOINT (the first of them
 * after `after`): the start of that instruction's line, with the instruction's indentation;
 * else after the stage's last instruction.
 */
export function insertionPoint(text: string, stage: DfStage, after = -1): { offset: number; before: boolean; indent: string } {
  const target = stage.instructions.find((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && i.span.start > after);
  if (target) {
    let start = lineStartOf(text, target.span.start);
    const indent = /^[ \t]*/.exec(text.slice(start, target.span.start))![0];
    // Above the comment lines right over the instruction: they describe it.
    const floor = stage.instructions.filter((i) => i.span.end <= target.span.start).reduce((m, i) => Math.max(m, i.span.end), 0);
    for (;;) {
      if (start <= floor || start === 0) break;
      const prev = lineStartOf(text, start - 1 - (text[start - 1] === '\n' && text[start - 2] === '\r' ? 1 : 0));
      if (prev < floor || !/^[ \t]*#/.test(text.slice(prev, start))) break;
      start = prev;
    }
    return { offset: start, before: true, indent };
  }
  return { offset: stage.span.end, before: false, indent: '' };
}

/** Edits that insert whole lines at an insertion point. */
export function insertLines(file: string, text: string, at: { offset: number; before: boolean; indent: string }, lines: readonly string[]): { file: string; start: number; end: number; newText: string } {
  const nl = lineEnding(text);
  const body = lines.map((l) => at.indent + l).join(nl);
  if (at.before) return { file, start: at.offset, end: at.offset, newText: body + nl };
  // After the last instruction: on a line of its own.
  const rest = text.slice(at.offset);
  const lineEnd = /^[^\r\n]*/.exec(rest)![0].length;
  const pos = at.offset + lineEnd;
  const hasBreak = pos < text.length;
  return hasBreak ? { file, start: pos, end: pos, newText: nl + body } : { file, start: pos, end: pos, newText: nl + body + nl };
}

/** A stage's subject key part: its name, else its position. */
export function stageLabel(stage: DfStage): string {
  return stage.name ?? String(stage.index);
}

export function spanText(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}
