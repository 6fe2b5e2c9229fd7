// One syntax tree per TS/JS file for every kind of TS fact (routes, code, debug switches):
// `ts.createSourceFile` from the compiler ts-morph carries, no project and no type checker,
// the script kind (TS, TSX, JS, JSX) from the file name's extension. Loaded lazily by callers
// (extract.ts requires this module only for files a pre-filter picks).
import { ts } from './typescript';

function scriptKind(relPath: string): ts.ScriptKind {
  const ext = relPath.slice(relPath.lastIndexOf('.')).toLowerCase();
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

// The compiler's forEachChild as a plain function: its module exports it through a getter.
const forEachChild = ts.forEachChild;

/**
 * Sets every node's `parent`, as `createSourceFile(…, setParentNodes: true)` does, in one
 * iterative walk: the compiler's own pass gathers each node's children into a fresh array
 * and queues them, which costs about a quarter of the parse. Iterative, so that deep trees
 * (long operator chains) cannot overflow the stack.
 */
function setParents(sf: ts.SourceFile): void {
  const stack: ts.Node[] = [sf];
  let parent: ts.Node = sf;
  const bind = (child: ts.Node): undefined => {
    (child as { parent: ts.Node }).parent = parent;
    stack.push(child);
    return undefined;
  };
  while (stack.length > 0) {
    parent = stack.pop()!;
    forEachChild(parent, bind);
    // JSDoc is not parsed (ParseNone), but bind any the compiler attaches all the same.
    const docs = (parent as { jsDoc?: ts.Node[] }).jsDoc;
    if (docs) for (const d of docs) bind(d);
  }
}

/** The syntax tree of one file (parent pointers set, JSDoc not parsed). Throws only on internal compiler errors. */
export function parseTs(relPath: string, text: string): ts.SourceFile {
  const sf = ts.createSourceFile(relPath, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKind(relPath));
  setParents(sf);
  return sf;
}
