// Inline suppression directives, read from each file's comments with the file's own
// tokenizer. OWNER NOTE: not yet implemented; see docs/engine.md.
import type { ArtifactKind, Directive } from './types';

export function findDirectives(text: string, kinds: readonly ArtifactKind[]): Directive[] {
  void text;
  void kinds;
  return [];
}
