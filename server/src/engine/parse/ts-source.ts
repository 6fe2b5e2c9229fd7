// One syntax tree per TS/JS file for every kind of TS fact (routes, code, debug switches):
// `ts.createSourceFile` from the compiler ts-morph carries, no project and no type checker,
// the script kind (TS, TSX, JS, JSX) from the file name's extension. Loaded lazily by callers
// (extract.ts requires this module only for files a pre-filter picks).
import { ts } from 'ts-morph';

function scriptKind(relPath: string): ts.ScriptKind {
  const ext = relPath.slice(relPath.lastIndexOf('.')).toLowerCase();
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** The syntax tree of one file (parent pointers set, JSDoc not parsed). Throws only on internal compiler errors. */
export function parseTs(relPath: string, text: string): ts.SourceFile {
  return ts.createSourceFile(relPath, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, scriptKind(relPath));
}
