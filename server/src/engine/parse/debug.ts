// Debug switches left on in server code, as facts for http/debug-mode:
//   Python  `app.run(debug=True)`, `Flask/FastAPI/Starlette(debug=True)`, `app.debug = True`,
//           `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`, Django settings
//           `DEBUG = True` (a literal: `DEBUG = os.environ.get(...) == "1"` is an env switch);
//   TS/JS   error handlers that send `err.stack` in a response (`res.json({ stack: err.stack })`,
//           `reply.send(...)`, `ctx.body = ...`) outside a NODE_ENV check, and the `errorhandler`
//           development middleware mounted unconditionally.
// Each fact has the span of the whole switch (where the finding points) and, for Python
// literals, the span of `True` (what the fix replaces). Cheap textual pre-filters keep
// every other file from being parsed.
import type { Span } from '../types';
import type { Node } from 'web-tree-sitter';

export interface DebugFlag {
  kind: 'py-debug-arg' | 'py-debug-assign' | 'django-debug' | 'ts-stack-response' | 'ts-errorhandler';
  /** What the code does, for the message: "Flask app.run(debug=True)". */
  what: string;
  span: Span;
  /** Python: the `True` literal, replaced by an environment switch by the fix. */
  valueSpan?: Span;
}

export const PY_DEBUG_HINT = /\bdebug\s*=\s*True\b|\bDEBUG\b["']?\s*\]?\s*=\s*True\b|\.debug\s*=\s*True\b/;
const TS_STACK = /\.stack\b/;
const TS_RESPONSE = /\b(?:res|response|reply)\.|ctx\.body/;

function span(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}

function isTrue(n: Node | null | undefined): n is Node {
  return n?.type === 'true';
}

const MAX_NODES = 200_000;

/** Debug switches in a parsed Python file (the caller parses once for every kind of Python fact; run it when PY_DEBUG_HINT matches). */
export function pythonDebugFlagsOf(root: Node, text: string, relPath: string): DebugFlag[] | undefined {
  const isSettings = /(^|\/)settings(\/[^/]+)?\.py$|(^|\/)settings\.py$/.test(relPath) || /^\s*INSTALLED_APPS\s*=/m.test(text);
  const out: DebugFlag[] = [];
  let visited = 0;
  const stack: Node[] = [root];
  while (stack.length > 0 && visited++ < MAX_NODES) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const args = n.childForFieldName('arguments');
      for (const a of args?.namedChildren ?? []) {
        if (a?.type !== 'keyword_argument') continue;
        const name = a.childForFieldName('name')?.text;
        const value = a.childForFieldName('value');
        if ((name === 'debug' || name === 'DEBUG') && isTrue(value)) out.push({ kind: 'py-debug-arg', what: `${fn?.text ?? 'call'}(${a.text})`, span: span(a), valueSpan: span(value) });
      }
    } else if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left && isTrue(right)) {
        const t = left.text;
        if (left.type === 'identifier' && t === 'DEBUG' && isSettings && n.parent?.type === 'expression_statement' && n.parent.parent?.type === 'module') {
          out.push({ kind: 'django-debug', what: 'Django settings DEBUG = True', span: span(n), valueSpan: span(right) });
        } else if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'debug') {
          out.push({ kind: 'py-debug-assign', what: `${t} = True`, span: span(n), valueSpan: span(right) });
        } else if (left.type === 'subscript' && /^["']DEBUG["']$/.test(left.childForFieldName('subscript')?.text ?? '') && /config$/.test(left.childForFieldName('value')?.text ?? '')) {
          out.push({ kind: 'py-debug-assign', what: `${t} = True`, span: span(n), valueSpan: span(right) });
        }
      }
    }
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
  return out.length > 0 ? out : undefined;
}

/** Cheap textual check: may this TS/JS file hold a debug switch? Files that fail it are not parsed for one. */
export function mayHoldTsDebug(text: string): boolean {
  return text.includes('errorhandler') || (TS_STACK.test(text) && TS_RESPONSE.test(text));
}

/** Debug switches in a parsed TS/JS file (the caller parses once for every kind of TS fact; run it when mayHoldTsDebug says so). */
export function tsDebugFlagsOf(sf: import('./typescript').ts.SourceFile): DebugFlag[] | undefined {
  // Loaded on first use, like the route extractor: the compiler takes a while to load.
  const { ts } = require('./typescript') as typeof import('./typescript');
  const out: DebugFlag[] = [];
  const errorhandlerLocals = new Set<string>();
  const envGuarded = (node: import('./typescript').ts.Node): boolean => {
    for (let p = node.parent; p; p = p.parent) {
      const condition = ts.isIfStatement(p) ? p.expression : ts.isConditionalExpression(p) ? p.condition : undefined;
      if (condition && /NODE_ENV|isDev|isProduction|isProd|\.env\b|debug/i.test(condition.getText(sf))) return true;
      if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) && /NODE_ENV|isDev|isProd|debug/i.test(p.left.getText(sf))) return true;
    }
    return false;
  };
  const responds = (call: import('./typescript').ts.CallExpression): boolean => {
    const callee = call.expression.getText(sf);
    return /\b(res|response|reply)\b.*\.(json|send|end|write|render)$/.test(callee) || /^(res|response|reply)\.status\(.*\)\.(json|send)$/.test(callee);
  };
  /** A `.stack` read inside `node` that no environment check guards. */
  const unguardedStack = (node: import('./typescript').ts.Node): boolean => {
    let found = false;
    const walk = (n: import('./typescript').ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(n) && n.name.text === 'stack' && !envGuarded(n)) found = true;
      else ts.forEachChild(n, walk);
    };
    walk(node);
    return found;
  };
  let visited = 0;
  const visit = (node: import('./typescript').ts.Node): void => {
    if (visited++ > MAX_NODES) return;
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'errorhandler' && node.importClause?.name) errorhandlerLocals.add(node.importClause.name.text);
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isCallExpression(node.initializer) && node.initializer.expression.getText(sf) === 'require' && ts.isIdentifier(node.name)) {
      const a = node.initializer.arguments[0];
      if (a && ts.isStringLiteral(a) && a.text === 'errorhandler') errorhandlerLocals.add(node.name.text);
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(sf);
      if (/\.use$/.test(callee) && node.arguments.some((a) => ts.isCallExpression(a) && errorhandlerLocals.has(a.expression.getText(sf))) && !envGuarded(node)) {
        out.push({ kind: 'ts-errorhandler', what: 'the errorhandler development middleware', span: { start: node.getStart(sf), end: node.getEnd() } });
      } else if (responds(node) && node.arguments.some((a) => unguardedStack(a))) {
        out.push({ kind: 'ts-stack-response', what: `${callee}(...) with a stack trace`, span: { start: node.getStart(sf), end: node.getEnd() } });
        return;
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && /^ctx\.body$/.test(node.left.getText(sf)) && unguardedStack(node.right)) {
      out.push({ kind: 'ts-stack-response', what: 'ctx.body with a stack trace', span: { start: node.getStart(sf), end: node.getEnd() } });
      return;
    }
    ts.forEachChild(node, visit);
  };
  try {
    visit(sf);
  } catch {
    return undefined;
  }
  return out.length > 0 ? out : undefined;
}
