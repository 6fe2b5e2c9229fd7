// Edits of Python sources shared by fixes.
import type { TextEdit } from '../../server/src/engine/types';

/** Where `import os` goes in a Python file: after a shebang, encoding line, module docstring and `__future__` imports. */
export function importOsEdit(file: string, text: string): TextEdit | undefined {
  if (/^[ \t]*import[ \t]+os\b|^[ \t]*import[ \t]+[\w., \t]*\bos\b(?!\.)/m.test(text)) return undefined;
  let at = 0;
  const lineEnd = (from: number): number => {
    const nl = text.indexOf('\n', from);
    return nl < 0 ? text.length : nl + 1;
  };
  while (at < text.length && (text.startsWith('#!', at) || /^#.*coding[:=]/.test(text.slice(at, lineEnd(at))))) at = lineEnd(at);
  for (const q of ['"""', "'''"]) {
    if (text.startsWith(q, at)) {
      const close = text.indexOf(q, at + 3);
      if (close >= 0) at = lineEnd(close + 3);
    }
  }
  while (text.startsWith('from __future__ import', at)) at = lineEnd(at);
  return { file, start: at, end: at, newText: 'import os\n' };
}
