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

function isJsDoc(ts: typeof TS, node: TS.Node): boolean {
  return node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode;
}

export function typescriptComments(text: string, path: string | undefined, js: boolean): Comment[] {
  const ts = typescript();
  const kind = scriptKind(ts, path, js);
  const name = path ?? (kind === ts.ScriptKind.JS ? 'file.js' : 'file.ts');
  const sf = ts.createSourceFile(name, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
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
