// Environment variable names that a file documents: the keys of a `.env`-style file
// (`.env.example`, `.env.sample` …) and the upper-case names a README mentions. The
// config/env-example rule compares them with the variables a service reads. Only names and
// their first span are kept, never values. Linear in the text: one pass per line, bounded.
import type { ArtifactKind } from '../types';

export interface EnvName {
  name: string;
  /** The first occurrence. */
  span: [number, number];
}

const MAX_NAMES = 2000;
const DOTENV_KEY = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*[=:]/d;
// Upper-case words of two or more characters: `DATABASE_URL`, `PORT`.
const UPPER_WORD = /\b[A-Z][A-Z0-9_]*[A-Z0-9]\b/g;

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function isReadme(relPath: string): boolean {
  return /^readme(\.[\w-]+)?$/i.test(basename(relPath));
}

/** Names a dotenv file defines or a README mentions; undefined for other files. */
export function envNames(relPath: string, kinds: readonly ArtifactKind[], text: string): EnvName[] | undefined {
  const dotenv = kinds.includes('dotenv');
  if (!dotenv && !(kinds.includes('markdown') && isReadme(relPath))) return undefined;
  const seen = new Set<string>();
  const out: EnvName[] = [];
  let pos = 0;
  while (pos < text.length && out.length < MAX_NAMES) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl);
    if (dotenv) {
      const m = DOTENV_KEY.exec(line);
      if (m && !seen.has(m[1]!)) {
        seen.add(m[1]!);
        const s = pos + m.indices![1]![0];
        out.push({ name: m[1]!, span: [s, s + m[1]!.length] });
      }
    } else {
      for (const m of line.matchAll(UPPER_WORD)) {
        if (seen.has(m[0]) || out.length >= MAX_NAMES) continue;
        seen.add(m[0]);
        out.push({ name: m[0], span: [pos + m.index, pos + m.index + m[0].length] });
      }
    }
    pos = nl + 1;
  }
  return out;
}
