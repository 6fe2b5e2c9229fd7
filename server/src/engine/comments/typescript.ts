// TS/JS comments from the TypeScript parser. A scanner alone cannot tell a regular
// expression from a division or find where a template literal resumes after `}`, and
// JSX text is not code: so the file is parsed, and the trivia before each token of the
// tree is read with the compiler's own comment scanner. JSX text and JSDoc are skipped.
import type * as TS from 'typescript';
import type { Comment } from './types';

let compiler: typeof TS | undefined;

/** The compiler loads on first use: it takes about half a second, and only files that hold a directive need it. */
function typescript(): typeof TS {
  // The compiler that ts-morph carries: one copy in the bundles, shared with the route facts.
  compiler ??= (require('ts-morph') as typeof import('ts-morph')).ts as unknown as typeof TS;
  return compiler;
}

function scriptKind(ts: typeof TS, path: string | undefined, js: boolean): TS.ScriptKind {
  const ext = path ? path.slice(path.lastIndexOf('.')).toLowerCase() : '';
  switch (ext) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    case '.ts':
    case '.mts':
    case '.cts':
      return ts.ScriptKind.TS;
    default:
      return js ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  }
}

/** `parsed` when it is the tree createSourceFile below would build (same name, text, script kind and options); parent pointers do not matter. */
function sameParse(ts: typeof TS, parsed: object | undefined, name: string, text: string, kind: TS.ScriptKind): TS.SourceFile | undefined {
  const sf = parsed as (TS.SourceFile & { scriptKind?: TS.ScriptKind; jsDocParsingMode?: TS.JSDocParsingMode }) | undefined;
  if (!sf || sf.kind !== ts.SyntaxKind.SourceFile || sf.fileName !== name || sf.text !== text || sf.scriptKind !== kind) return undefined;
  if (sf.languageVersion !== ts.ScriptTarget.Latest || sf.jsDocParsingMode !== ts.JSDocParsingMode.ParseNone) return undefined;
  return sf;
}

function isJsDoc(ts: typeof TS, node: TS.Node): boolean {
  return node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode;
}

/**
 * The comments of a TS/JS text. `parsed` is a tree the caller already has for the same text
 * (engine/parse/ts-source.ts): used when it was parsed as this would parse it, which saves
 * a second parse of the file.
 */
export function typescriptComments(text: string, path: string | undefined, js: boolean, parsed?: object): Comment[] {
  const ts = typescript();
  const kind = scriptKind(ts, path, js);
  const name = path ?? (kind === ts.ScriptKind.JS ? 'file.js' : 'file.ts');
  const sf = sameParse(ts, parsed, name, text, kind) ?? ts.createSourceFile(name, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
  const found = new Map<number, Comment>();
  const add = (pos: number, end: number, commentKind: TS.CommentKind): void => {
    if (found.has(pos)) return;
    const block = commentKind === ts.SyntaxKind.MultiLineCommentTrivia;
    found.set(pos, { start: pos, end, bodyStart: pos + 2, bodyEnd: block ? Math.max(pos + 2, end - 2) : end });
  };
  const visit = (node: TS.Node): void => {
    if (node.kind === ts.SyntaxKind.JsxText || isJsDoc(ts, node)) return;
    const children = node.getChildren(sf);
    if (children.length === 0) {
      // A token: the trivia between the previous token and this one. "Trailing" ranges are
      // the comments on the previous token's line, "leading" ones the comments after it.
      ts.forEachTrailingCommentRange(text, node.pos, add);
      ts.forEachLeadingCommentRange(text, node.pos, add);
      return;
    }
    for (const child of children) visit(child);
  };
  visit(sf);
  return [...found.values()].sort((a, b) => a.start - b.start);
}
