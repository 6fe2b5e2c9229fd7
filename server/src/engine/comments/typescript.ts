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
  compiler ??= (require('../parse/typescript') as typeof import('../parse/typescript')).ts as unknown as typeof TS;
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

/**
 * Every comment of a TS/JS file. The parser's nodes cover identifiers, literals, regular
 * expressions, templates and JSX text; what lies between a node's children (and before a
 * leaf's token) is trivia and plain tokens — keywords and punctuation — which the scanner
 * reads unambiguously. So the tree is walked once with `forEachChild` and only those gaps
 * are scanned, never the inside of a literal. `tree`, when given, is the file's tree from
 * the shared parse (parse/ts-source.ts) and saves parsing again.
 */
export function typescriptComments(text: string, path: string | undefined, js: boolean, tree?: TS.SourceFile): Comment[] {
  const ts = typescript();
  const kind = scriptKind(ts, path, js);
  const name = path ?? (kind === ts.ScriptKind.JS ? 'file.js' : 'file.ts');
  const sf =
    tree && tree.text === text && (tree as { scriptKind?: TS.ScriptKind }).scriptKind === kind
      ? tree
      : ts.createSourceFile(name, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
  const found: Comment[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  const record = (token: TS.SyntaxKind): void => {
    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    const block = token === ts.SyntaxKind.MultiLineCommentTrivia;
    found.push({ start, end, bodyStart: start + 2, bodyEnd: block ? Math.max(start + 2, end - 2) : end });
  };
  /** Comments in the trivia from `pos` up to the first token (whatever that token is: it is not scanned further). */
  const leading = (pos: number): void => {
    scanner.resetTokenState(pos);
    for (;;) {
      const token = scanner.scan();
      if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) record(token);
      else if (token !== ts.SyntaxKind.WhitespaceTrivia && token !== ts.SyntaxKind.NewLineTrivia && token !== ts.SyntaxKind.ShebangTrivia && token !== ts.SyntaxKind.ConflictMarkerTrivia) return;
    }
  };
  /** Comments in [from, to): trivia and plain tokens only. */
  const gap = (from: number, to: number): void => {
    if (to <= from) return;
    scanner.resetTokenState(from);
    for (;;) {
      const token = scanner.scan();
      if (token === ts.SyntaxKind.EndOfFileToken || scanner.getTokenEnd() > to) break;
      if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) record(token);
      if (scanner.getTokenEnd() >= to) break;
    }
  };
  const visit = (node: TS.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstToken && node.kind <= ts.SyntaxKind.LastToken) {
      // A token (identifier, keyword, literal, template part, JSX text): only its leading trivia.
      if (node.kind !== ts.SyntaxKind.JsxText && node.kind !== ts.SyntaxKind.JsxTextAllWhiteSpaces) leading(node.pos);
      return;
    }
    let cursor = node.pos;
    const child = (c: TS.Node): void => {
      gap(cursor, c.pos);
      visit(c);
      cursor = c.end;
    };
    ts.forEachChild(node, child, (list) => {
      for (const c of list) child(c);
    });
    gap(cursor, node.end);
  };
  visit(sf);
  return found;
}
