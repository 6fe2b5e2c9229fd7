// TS/JS → per-file HTTP route facts, parsed with ts-morph (the TypeScript parser) without
// type-checking and without a program over the workspace: one in-memory Project, created
// lazily and reused, one source file at a time, removed right after extraction.
//
// The facts describe each file as written; resolving receivers to apps/routers across files
// (imports → exports, mounts, prefixes) and deciding protection is the linking step's job.
//
// Shape (all spans are half-open UTF-16 offsets into the file's text):
//
//   RouteFactsTs
//     imports[]     { module, kind ('import'|'require'|'export-from'), default?, namespace?,
//                     named: {imported, local}[], typeOnly?, span }
//                   `const x = require('m')` binds `default: 'x'` (the value of module.exports);
//                   `const { a: b } = require('m')` binds named { imported: 'a', local: 'b' }.
//     exports[]     { name ('default' for default exports and `module.exports = x`), local?
//                     (the local binding exported, when it is one), kind ('declaration'|'named'|
//                     'default'|'commonjs'|'reexport'), from? (re-exports), value? (a default export's
//                     expression when it is not an identifier: `export default withAuth(handler)`), span }
//     values[]      variables bound to a call/new/member/identifier/array/string, described as TsArg
//                     (`const auth = expressjwt({...})` → { name: 'auth', value: call expressjwt }), any scope
//     apps[]        app/router creations: { name (variable or assigned member text; '' when
//                     unbound), framework, callee, options? (literal options), basePath? (Hono),
//                     span (the creation expression) }
//     routes[]      { receiver (text of the object the method is called on), method (lowercase;
//                     'all'), path? | dynamic: true, pathSpan?, via ('call'|'chain'|'fastify-route'),
//                     args (middleware and handler, after the path; options objects included),
//                     hooks? (Fastify option hooks onRequest/preHandler/preValidation/… → args),
//                     inFunction?, span (the registration call), methodSpan (the method name) }
//     uses[]        `<x>.use([path,] ...args)` and Hono's `<x>.route(path, sub)`:
//                     { receiver, via ('use'|'route'), path?, dynamic?, args, inFunction?, span }
//     hooks[]       Fastify `<x>.addHook('onRequest', fn)`: { receiver, hook, args, inFunction?, span }
//     registers[]   Fastify `<x>.register(plugin, opts)`: { receiver, plugin, prefix?, options?, inFunction?, span }
//     prefixes[]    koa-router `<x>.prefix('/p')`: { receiver, path, span }
//     calls[]       other calls passing an identifier (`registerRoutes(app)`, `require('./r')(app)`):
//                     { callee (TsArg), args, argFns (the enclosing function whose parameter each
//                     identifier argument is, when it is one), inFunction?, span }; first 300
//     decorates[]   Fastify `<x>.decorate('name', value)`: { receiver, name, value, inFunction?, span }
//     functions[]   named functions (declarations, `const f = () => …`, class methods):
//                     { name, span, params, calls (callee texts, first 40), statuses (401/403
//                     literals), throws (`throw new X` class names) } — what a guard does
//     classes[]     { name, span, extends? (text), implements, decorators (names), methods }
//     nest          NestJS: controllers[] { name, span (the @Controller decorator), prefix?,
//                     dynamic?, guards (UseGuards args), decorators (every class decorator),
//                     methods[] { name, method, path?, dynamic?, span (the HTTP decorator),
//                     guards, decorators } }, globalGuards[] (useGlobalGuards calls),
//                     appGuards[] ({ provide: APP_GUARD, useClass|useExisting|useFactory }),
//                     globalPrefixes[], middleware[] (consumer.apply(...).exclude(...).forRoutes(...)),
//                     modules[] (@Module classes: controllers, imported module names — `X.forRoot()`
//                     and `forwardRef(() => X)` give X — class span), bootstraps[] (NestFactory.create:
//                     root module, app variable), versioning[] (enableVersioning options), routerModules[] (RouterModule.register, flattened:
//                     full path → module), metadata[] (decorator factories built on SetMetadata or
//                     Reflector.createDecorator: name, metadata key, guards applied through
//                     applyDecorators(UseGuards(…))), reflectors[] (per class, the metadata keys read
//                     through a reflector: `reflector.getAllAndOverride(KEY, …)`); keys that are string
//                     literals are JSON-quoted (`"isPublic"`), others as written (`IS_PUBLIC_KEY`)
//                   Decorators carry `indent` (the whitespace before them when they start their line)
//                   and `line` (the whole line, newline included, when nothing else is on it).
//     style         import style for inserted code: quote, semicolons, line ending
//     next          Next.js: { kind ('app-route'|'pages-api'|'middleware'), route?, methods[]
//                     (app-route exported HTTP functions, with `wrap`: how to wrap the handler in a
//                     function), defaultExport? (pages-api span), defaultWrap?,
//                     matcher? (literal strings), matcherDynamic?, matcherSpan? }
//
// Arguments are described by `TsArg`: identifiers and member texts by name, calls and `new`
// by callee text with their arguments (depth-limited) and the literal properties of their
// object-literal arguments as `options` (so `jwt({ credentialsRequired: false })` carries
// `options.credentialsRequired === false`), functions by name with the calls inside them.
import { ts } from './typescript';
import { mayHoldRoutes, nextKind } from './routes-ts-filter';
import { parseTs } from './ts-source';

export { mayHoldRoutes };
import type { ParseError, Span } from '../types';

// The compiler's functions as plain properties: its module exports them through getters, which cost a
// call each in the bundle, and the walk below calls them for every node.
const tsf: Pick<typeof ts, { [K in keyof typeof ts]: K extends `${'is' | 'get' | 'for' | 'can'}${string}` ? K : never }[keyof typeof ts]> = { ...ts };
/** The syntax kinds, read once for the same reason. */
const SK = ts.SyntaxKind;

export type TsLiteral = string | number | boolean | null;

export interface TsArg {
  kind: 'identifier' | 'member' | 'call' | 'new' | 'function' | 'string' | 'literal' | 'array' | 'object' | 'other';
  /** identifier name, member text, callee text (call/new), string value, function name ('' anonymous), or source text (other, first 80 chars). */
  text: string;
  span: Span;
  /** call/new arguments, array elements. */
  args?: TsArg[];
  /** call/new: literal properties of object-literal arguments; object: its literal properties. */
  options?: Record<string, TsLiteral>;
  /** object: every named property. */
  props?: Record<string, TsArg>;
  /** literal (number/boolean/null) value; strings use `text`. */
  value?: TsLiteral;
  /** function: callee texts of the calls inside (first 40). */
  calls?: string[];
  /** function: 401/403 literals and `throw new X` class names inside (what a guard does). */
  statuses?: number[];
  throws?: string[];
}

export interface TsImport {
  module: string;
  kind: 'import' | 'require' | 'export-from';
  default?: string;
  namespace?: string;
  named: { imported: string; local: string }[];
  typeOnly?: boolean;
  /** The `{ … }` of named imports, when there is one (where an added name goes). */
  namedSpan?: Span;
  span: Span;
  /** `require`: the whole variable statement (where an import added after it goes). */
  statement?: Span;
}

export interface TsExport {
  name: string;
  local?: string;
  kind: 'declaration' | 'named' | 'default' | 'commonjs' | 'reexport';
  from?: string;
  /** Default exports of an expression that is not a plain identifier (`export default withAuth(handler)`). */
  value?: TsArg;
  span: Span;
}

export type TsFramework = 'express' | 'express-router' | 'fastify' | 'hono' | 'koa' | 'koa-router';

export interface TsApp {
  name: string;
  framework: TsFramework;
  callee: string;
  options?: Record<string, TsLiteral>;
  basePath?: string;
  span: Span;
}

/** Set when the receiver is a parameter of an enclosing function (Fastify plugins, `export default (router) => …`). */
export interface TsInFunction {
  /** Function name, variable or property it is bound to, 'default' for default exports, the assigned member text (`module.exports`), '' when anonymous. */
  name: string;
  param: number;
  span: Span;
}

export interface TsRoute {
  receiver: string;
  method: string;
  path?: string;
  dynamic?: true;
  pathSpan?: Span;
  via: 'call' | 'chain' | 'fastify-route';
  args: TsArg[];
  hooks?: Record<string, TsArg[]>;
  inFunction?: TsInFunction;
  span: Span;
  methodSpan: Span;
}

export interface TsUse {
  receiver: string;
  via: 'use' | 'route';
  path?: string;
  dynamic?: true;
  args: TsArg[];
  inFunction?: TsInFunction;
  span: Span;
  methodSpan: Span;
}

export interface TsHook {
  receiver: string;
  hook: string;
  args: TsArg[];
  inFunction?: TsInFunction;
  span: Span;
}

export interface TsRegister {
  receiver: string;
  plugin: TsArg;
  prefix?: string;
  options?: TsArg;
  inFunction?: TsInFunction;
  span: Span;
}

/** A call passing apps/routers/instances to a function: `registerRoutes(app)`, `require('./routes')(app)`. */
export interface TsCall {
  callee: TsArg;
  args: TsArg[];
  /** Per argument: the enclosing function whose parameter the identifier argument is. */
  argFns: (TsInFunction | null)[];
  span: Span;
}

export interface TsFunction {
  name: string;
  span: Span;
  params: string[];
  calls: string[];
  statuses: number[];
  throws: string[];
}

export interface TsClass {
  name: string;
  span: Span;
  extends?: string;
  implements: string[];
  decorators: string[];
  methods: string[];
}

export interface TsDecorator {
  name: string;
  args: TsArg[];
  span: Span;
  /** The whitespace before the decorator when it starts its line. */
  indent?: string;
  /** The decorator's whole line (newline included) when nothing else is on it. */
  line?: Span;
}

export interface NestMethod {
  name: string;
  method: string;
  path?: string;
  dynamic?: true;
  span: Span;
  guards: TsArg[];
  decorators: TsDecorator[];
}

export interface NestController {
  name: string;
  span: Span;
  prefix?: string;
  dynamic?: true;
  guards: TsArg[];
  decorators: TsDecorator[];
  methods: NestMethod[];
}

export interface NestFacts {
  controllers: NestController[];
  globalGuards: { receiver: string; args: TsArg[]; span: Span }[];
  appGuards: { provider: TsArg; span: Span }[];
  globalPrefixes: { receiver: string; prefix?: string; args: TsArg[]; span: Span }[];
  middleware: { apply: TsArg[]; exclude: TsArg[]; forRoutes: TsArg[]; span: Span }[];
  modules: NestModule[];
  bootstraps: { module: string; app: string; span: Span }[];
  /** `app.enableVersioning({ type, defaultVersion, prefix })`: the options as written (absent when called without). */
  versioning: { receiver: string; options?: TsArg; span: Span }[];
  routerModules: { path: string; module: string; span: Span }[];
  /** Decorator factories: the metadata key they set, the guards they apply (`applyDecorators(UseGuards(…))`). */
  metadata: { name: string; key?: string; guards?: TsArg[]; span: Span }[];
  reflectors: { cls: string; keys: string[]; span: Span }[];
}

export interface NestModule {
  name: string;
  /** The class declaration. */
  span: Span;
  controllers: string[];
  imports: string[];
  /** Some controllers or imports are not plain names (spreads, computed). */
  dynamic?: true;
}

export interface ImportStyle {
  quote: string;
  semi: boolean;
  eol: string;
}

/** How an exported handler can be wrapped in a higher-order function: a declaration (`export [default] [async] function …`,
 * from its start up to the function itself, then its end) or an expression (`export const GET = …`, `export default handler`). */
export type NextWrap = { kind: 'function'; start: number; fnStart: number; end: number } | { kind: 'expression'; span: Span };

export interface NextFacts {
  kind: 'app-route' | 'pages-api' | 'middleware';
  route?: string;
  methods: { name: string; span: Span; wrap?: NextWrap }[];
  defaultExport?: Span;
  defaultWrap?: NextWrap;
  matcher?: string[];
  matcherDynamic?: true;
  matcherSpan?: Span;
}

export interface RouteFactsTs {
  imports: TsImport[];
  exports: TsExport[];
  /** Variables bound to a call, `new`, member, identifier or array (middleware built once and reused). */
  values: { name: string; value: TsArg; span: Span }[];
  apps: TsApp[];
  routes: TsRoute[];
  uses: TsUse[];
  hooks: TsHook[];
  registers: TsRegister[];
  prefixes: { receiver: string; path: string; span: Span }[];
  calls: TsCall[];
  decorates: { receiver: string; name: string; value: TsArg; inFunction?: TsInFunction; span: Span }[];
  functions: TsFunction[];
  classes: TsClass[];
  nest?: NestFacts;
  next?: NextFacts;
  style?: ImportStyle;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'options', 'head', 'all']);
const NEST_METHODS: Readonly<Record<string, string>> = { Get: 'get', Post: 'post', Put: 'put', Patch: 'patch', Delete: 'delete', Options: 'options', Head: 'head', All: 'all' };
const NEXT_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
const FASTIFY_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse']);
const ARG_DEPTH = 3;
const MAX_CALLS = 300;

// ---- pre-filter: routes-ts-filter.ts (kept apart so that the check never loads ts-morph) ----

// ---- parsing ---------------------------------------------------------------------------

/**
 * Route facts of one TS/JS file; never throws (a failure becomes an error entry). Only the
 * syntax tree is needed, so the file is parsed on its own (no project, no type checker):
 * the script kind (TS, TSX, JS, JSX) follows the file name's extension.
 */
export function routeFactsTs(relPath: string, text: string, parsed?: ts.SourceFile): { facts?: RouteFactsTs; errors: ParseError[] } {
  try {
    const sf = parsed ?? parseTs(relPath, text);
    return { facts: new Extractor(sf, relPath).run(), errors: [] };
  } catch (e) {
    return { errors: [{ message: `route facts: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}

// ---- extraction --------------------------------------------------------------------------

function stringValue(n: ts.Node): string | undefined {
  if (tsf.isStringLiteral(n) || tsf.isNoSubstitutionTemplateLiteral(n)) return n.text;
  return undefined;
}

function propName(n: ts.PropertyName): string | undefined {
  if (tsf.isIdentifier(n) || tsf.isStringLiteral(n) || tsf.isNumericLiteral(n) || tsf.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

function literalOf(n: ts.Node): { ok: true; value: TsLiteral } | { ok: false } {
  const s = stringValue(n);
  if (s !== undefined) return { ok: true, value: s };
  if (tsf.isNumericLiteral(n)) return { ok: true, value: Number(n.text) };
  if (n.kind === SK.TrueKeyword) return { ok: true, value: true };
  if (n.kind === SK.FalseKeyword) return { ok: true, value: false };
  if (n.kind === SK.NullKeyword) return { ok: true, value: null };
  if (tsf.isPrefixUnaryExpression(n) && n.operator === SK.MinusToken && tsf.isNumericLiteral(n.operand)) return { ok: true, value: -Number(n.operand.text) };
  return { ok: false };
}

function unwrap(n: ts.Expression): ts.Expression {
  let e = n;
  while (tsf.isParenthesizedExpression(e) || tsf.isAsExpression(e) || tsf.isNonNullExpression(e) || tsf.isTypeAssertionExpression(e) || tsf.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

type FnLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

function isFnLike(n: ts.Node): n is FnLike {
  return tsf.isFunctionDeclaration(n) || tsf.isFunctionExpression(n) || tsf.isArrowFunction(n) || tsf.isMethodDeclaration(n);
}

class Extractor {
  private readonly facts: RouteFactsTs = { imports: [], exports: [], values: [], apps: [], routes: [], uses: [], hooks: [], registers: [], prefixes: [], calls: [], decorates: [], functions: [], classes: [] };
  private nest?: NestFacts;
  /** local name → module it was imported from (and the imported name). */
  private readonly bindings = new Map<string, { module: string; imported: string }>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly relPath: string,
  ) {}

  run(): RouteFactsTs {
    for (const st of this.sf.statements) this.topLevel(st);
    this.visit(this.sf);
    // Registration order is source order (a chain's outer call is visited before its inner ones).
    this.facts.routes.sort((a, b) => a.methodSpan.start - b.methodSpan.start);
    this.facts.uses.sort((a, b) => a.methodSpan.start - b.methodSpan.start);
    if (this.nest) this.facts.nest = this.nest;
    const style = this.style();
    if (style) this.facts.style = style;
    const next = this.nextFacts();
    if (next) this.facts.next = next;
    return this.facts;
  }

  private span(n: ts.Node): Span {
    return { start: this.start(n), end: n.end };
  }

  private text(n: ts.Node): string {
    return this.sf.text.substring(this.start(n), n.end);
  }

  /**
   * `n.getStart(sf)`: where the node's first token starts, after its leading trivia. Blanks
   * and line breaks are skipped here; anything else the compiler's trivia scan may consume
   * (comments, conflict markers, a shebang, `*` in JSDoc, non-ASCII blanks) is left to it.
   */
  private start(n: ts.Node): number {
    const text = this.sf.text;
    let p = n.pos;
    if (p < 0) return n.getStart(this.sf);
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else if (c > 32 && c < 127 && c !== 47 && c !== 60 && c !== 61 && c !== 62 && c !== 124 && c !== 35 && c !== 42) return p;
      else return n.getStart(this.sf);
    }
  }

  private nestFacts(): NestFacts {
    this.nest ??= { controllers: [], globalGuards: [], appGuards: [], globalPrefixes: [], middleware: [], modules: [], bootstraps: [], versioning: [], routerModules: [], metadata: [], reflectors: [] };
    return this.nest;
  }

  // -- imports and exports --

  private topLevel(st: ts.Statement): void {
    if (tsf.isImportDeclaration(st) && tsf.isStringLiteral(st.moduleSpecifier)) {
      const imp: TsImport = { module: st.moduleSpecifier.text, kind: 'import', named: [], span: this.span(st) };
      const c = st.importClause;
      if (c) {
        if (c.isTypeOnly) imp.typeOnly = true;
        if (c.name) imp.default = c.name.text;
        const nb = c.namedBindings;
        if (nb && tsf.isNamespaceImport(nb)) imp.namespace = nb.name.text;
        if (nb && tsf.isNamedImports(nb)) {
          for (const el of nb.elements) imp.named.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text });
          imp.namedSpan = this.span(nb);
        }
      }
      this.addImport(imp);
      return;
    }
    if (tsf.isExportDeclaration(st)) {
      const from = st.moduleSpecifier && tsf.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (st.exportClause && tsf.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text;
          this.facts.exports.push({ name: el.name.text, local, kind: from ? 'reexport' : 'named', ...(from ? { from } : {}), span: this.span(el) });
        }
      } else if (from) {
        const name = st.exportClause && tsf.isNamespaceExport(st.exportClause) ? st.exportClause.name.text : '*';
        this.facts.exports.push({ name, kind: 'reexport', from, span: this.span(st) });
      }
      return;
    }
    if (tsf.isExportAssignment(st)) {
      const e = unwrap(st.expression);
      this.facts.exports.push({ name: 'default', ...(tsf.isIdentifier(e) ? { local: e.text } : { value: this.describe(e) }), kind: 'default', span: this.span(st) });
      return;
    }
    const mods = tsf.canHaveModifiers(st) ? tsf.getModifiers(st) : undefined;
    const exported = mods?.some((m) => m.kind === SK.ExportKeyword) ?? false;
    const isDefault = mods?.some((m) => m.kind === SK.DefaultKeyword) ?? false;
    if (exported && (tsf.isFunctionDeclaration(st) || tsf.isClassDeclaration(st))) {
      const local = st.name?.text;
      // An anonymous `export default function (app) {…}` is described by its span (a registering function).
      const value: TsArg | undefined = !local && tsf.isFunctionDeclaration(st) ? { kind: 'function', text: '', span: this.span(st), calls: st.body ? this.callsIn(st.body) : [] } : undefined;
      this.facts.exports.push({ name: isDefault ? 'default' : (local ?? 'default'), ...(local ? { local } : {}), ...(value ? { value } : {}), kind: isDefault ? 'default' : 'declaration', span: this.span(st) });
    }
    if (tsf.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (exported && tsf.isIdentifier(d.name)) this.facts.exports.push({ name: d.name.text, local: d.name.text, kind: 'declaration', span: this.span(d) });
      }
    }
    if (tsf.isExpressionStatement(st)) this.commonJsExport(st.expression);
  }

  private addImport(imp: TsImport): void {
    this.facts.imports.push(imp);
    if (imp.default) this.bindings.set(imp.default, { module: imp.module, imported: 'default' });
    if (imp.namespace) this.bindings.set(imp.namespace, { module: imp.module, imported: '*' });
    for (const n of imp.named) this.bindings.set(n.local, { module: imp.module, imported: n.imported });
  }

  private commonJsExport(expr: ts.Expression): void {
    if (!tsf.isBinaryExpression(expr) || expr.operatorToken.kind !== SK.EqualsToken) return;
    const left = this.text(expr.left);
    const right = unwrap(expr.right);
    const local = tsf.isIdentifier(right) ? right.text : undefined;
    if (left === 'module.exports') {
      this.facts.exports.push({ name: 'default', ...(local ? { local } : tsf.isObjectLiteralExpression(right) ? {} : { value: this.describe(right) }), kind: 'commonjs', span: this.span(expr) });
      if (tsf.isObjectLiteralExpression(right)) {
        for (const p of right.properties) {
          if (tsf.isShorthandPropertyAssignment(p)) this.facts.exports.push({ name: p.name.text, local: p.name.text, kind: 'commonjs', span: this.span(p) });
          else if (tsf.isPropertyAssignment(p)) {
            const name = propName(p.name);
            const v = unwrap(p.initializer);
            if (name) this.facts.exports.push({ name, ...(tsf.isIdentifier(v) ? { local: v.text } : {}), kind: 'commonjs', span: this.span(p) });
          }
        }
      }
      return;
    }
    const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
    if (m) this.facts.exports.push({ name: m[1], ...(local ? { local } : {}), kind: 'commonjs', span: this.span(expr) });
  }

  private requireOf(e: ts.Expression): string | undefined {
    const u = unwrap(e);
    if (tsf.isCallExpression(u) && tsf.isIdentifier(u.expression) && u.expression.text === 'require' && u.arguments.length === 1) return stringValue(u.arguments[0]);
    return undefined;
  }

  private variable(d: ts.VariableDeclaration): void {
    if (!d.initializer) return;
    const mod = this.requireOf(d.initializer);
    if (mod !== undefined) {
      const imp: TsImport = { module: mod, kind: 'require', named: [], span: this.span(d) };
      const stmt = d.parent.parent;
      if (tsf.isVariableStatement(stmt) && stmt.parent === this.sf) imp.statement = this.span(stmt);
      if (tsf.isIdentifier(d.name)) imp.default = d.name.text;
      else if (tsf.isObjectBindingPattern(d.name)) {
        for (const el of d.name.elements) {
          if (!tsf.isIdentifier(el.name)) continue;
          const imported = el.propertyName ? propName(el.propertyName) : el.name.text;
          if (imported) imp.named.push({ imported, local: el.name.text });
        }
      }
      this.addImport(imp);
      return;
    }
    // const auth = expressjwt({ credentialsRequired: false }); const guards = [a, b]
    const init = unwrap(d.initializer);
    // export const Public = Reflector.createDecorator<boolean>(): the decorator is its own metadata key.
    if (tsf.isIdentifier(d.name) && tsf.isCallExpression(init) && this.text(init.expression) === 'Reflector.createDecorator') {
      this.nestFacts().metadata.push({ name: d.name.text, key: d.name.text, span: this.span(d) });
    }
    if (tsf.isIdentifier(d.name) && (tsf.isCallExpression(init) || tsf.isNewExpression(init) || tsf.isPropertyAccessExpression(init) || tsf.isIdentifier(init) || tsf.isArrayLiteralExpression(init) || stringValue(init) !== undefined)) {
      const value = this.describe(init);
      if (value.kind !== 'other') this.facts.values.push({ name: d.name.text, value, span: this.span(d) });
    }
  }

  // -- walking --

  /** The walk's callback, made once (a closure per node is most of the walk's garbage). */
  private readonly visitChild = (c: ts.Node): undefined => {
    this.visit(c);
    return undefined;
  };

  private visit(n: ts.Node): void {
    switch (n.kind) {
      case SK.VariableDeclaration:
        this.variable(n as ts.VariableDeclaration);
        break;
      case SK.CallExpression:
        this.call(n as ts.CallExpression);
        break;
      case SK.NewExpression:
        this.creation(n as ts.NewExpression);
        break;
      case SK.ClassDeclaration:
      case SK.ClassExpression:
        this.klass(n as ts.ClassDeclaration | ts.ClassExpression);
        break;
      case SK.ObjectLiteralExpression:
        this.provider(n as ts.ObjectLiteralExpression);
        break;
      case SK.FunctionDeclaration:
        this.fn(n as ts.FunctionDeclaration);
        this.metadataFactory(n as ts.FunctionDeclaration);
        break;
      case SK.MethodDeclaration:
        this.fn(n as ts.MethodDeclaration);
        break;
      case SK.ArrowFunction:
      case SK.FunctionExpression:
        if (tsf.isVariableDeclaration(n.parent)) {
          this.fn(n as ts.ArrowFunction | ts.FunctionExpression);
          this.metadataFactory(n as ts.ArrowFunction | ts.FunctionExpression);
        }
        break;
    }
    tsf.forEachChild(n, this.visitChild);
  }

  private frameworkOf(callee: ts.Expression, isNew: boolean): TsFramework | undefined {
    const e = unwrap(callee);
    if (tsf.isIdentifier(e)) {
      const b = this.bindings.get(e.text);
      const mod = b?.module;
      const name = e.text;
      if (mod === 'express') return b?.imported === 'Router' ? 'express-router' : 'express';
      if (mod === 'fastify') return 'fastify';
      if (mod === 'hono' || mod?.startsWith('hono/')) return isNew && (b?.imported === 'Hono' || b?.imported === 'default') ? 'hono' : undefined;
      if (mod === 'koa') return 'koa';
      if (mod === 'koa-router' || mod === '@koa/router') return 'koa-router';
      if (mod !== undefined) return undefined;
      if (!isNew && name === 'express') return 'express';
      if (!isNew && (name === 'fastify' || name === 'Fastify')) return 'fastify';
      if (isNew && name === 'Hono') return 'hono';
      if (isNew && name === 'Koa') return 'koa';
      return undefined;
    }
    if (tsf.isPropertyAccessExpression(e) && e.name.text === 'Router') {
      const base = unwrap(e.expression);
      if (tsf.isIdentifier(base)) {
        const mod = this.bindings.get(base.text)?.module;
        if (mod === 'express' || (mod === undefined && base.text === 'express')) return 'express-router';
      }
      if (this.requireOf(base) === 'express') return 'express-router';
    }
    if (!isNew) {
      // require('express')(), require('fastify')({ … })
      const mod = this.requireOf(e);
      if (mod === 'express') return 'express';
      if (mod === 'fastify') return 'fastify';
    }
    return undefined;
  }

  private creation(n: ts.CallExpression | ts.NewExpression): boolean {
    const framework = this.frameworkOf(n.expression, tsf.isNewExpression(n));
    if (!framework) return false;
    const app: TsApp = { name: '', framework, callee: this.text(n.expression), span: this.span(n) };
    const options = this.literalOptions(n.arguments ?? []);
    if (options) app.options = options;
    let top: ts.Node = n;
    // new Hono().basePath('/api')
    while (tsf.isPropertyAccessExpression(top.parent) && top.parent.expression === top && tsf.isCallExpression(top.parent.parent) && top.parent.name.text === 'basePath') {
      const call = top.parent.parent;
      const bp = call.arguments[0] ? stringValue(call.arguments[0]) : undefined;
      if (bp !== undefined) app.basePath = bp;
      top = call;
    }
    while (tsf.isParenthesizedExpression(top.parent) || tsf.isAsExpression(top.parent) || tsf.isSatisfiesExpression(top.parent)) top = top.parent;
    const parent = top.parent;
    if (tsf.isVariableDeclaration(parent) && parent.initializer === top && tsf.isIdentifier(parent.name)) app.name = parent.name.text;
    else if (tsf.isBinaryExpression(parent) && parent.operatorToken.kind === SK.EqualsToken && parent.right === top) app.name = this.text(parent.left);
    else if (tsf.isPropertyDeclaration(parent) && parent.initializer === top) app.name = 'this.' + (propName(parent.name) ?? '');
    this.facts.apps.push(app);
    return true;
  }

  private literalOptions(args: readonly ts.Expression[]): Record<string, TsLiteral> | undefined {
    let out: Record<string, TsLiteral> | undefined;
    for (const a of args) {
      const u = unwrap(a);
      if (!tsf.isObjectLiteralExpression(u)) continue;
      for (const p of u.properties) {
        if (!tsf.isPropertyAssignment(p)) continue;
        const name = propName(p.name);
        const lit = literalOf(unwrap(p.initializer));
        if (name && lit.ok) (out ??= {})[name] = lit.value;
      }
    }
    return out;
  }

  private describe(n: ts.Expression, depth = 0): TsArg {
    const e = unwrap(n);
    const span = this.span(e);
    if (tsf.isIdentifier(e)) return { kind: 'identifier', text: e.text, span };
    if (tsf.isPropertyAccessExpression(e) || tsf.isElementAccessExpression(e) || e.kind === SK.ThisKeyword) return { kind: 'member', text: this.text(e), span };
    const s = stringValue(e);
    if (s !== undefined) return { kind: 'string', text: s, span };
    const lit = literalOf(e);
    if (lit.ok) return { kind: 'literal', text: this.text(e), value: lit.value, span };
    if (tsf.isCallExpression(e) || tsf.isNewExpression(e)) {
      const arg: TsArg = { kind: tsf.isCallExpression(e) ? 'call' : 'new', text: this.text(e.expression), span };
      const args = e.arguments ?? [];
      if (depth < ARG_DEPTH && args.length) arg.args = args.map((a) => this.describe(a, depth + 1));
      const options = this.literalOptions(args);
      if (options) arg.options = options;
      return arg;
    }
    if (tsf.isFunctionExpression(e) || tsf.isArrowFunction(e)) {
      const { calls, statuses, throws } = this.summary(e, e.body);
      const arg: TsArg = { kind: 'function', text: tsf.isFunctionExpression(e) && e.name ? e.name.text : '', span, calls };
      if (statuses.length) arg.statuses = statuses;
      if (throws.length) arg.throws = throws;
      return arg;
    }
    if (tsf.isArrayLiteralExpression(e)) {
      return { kind: 'array', text: '', span, ...(depth < ARG_DEPTH ? { args: e.elements.filter((x) => !tsf.isOmittedExpression(x)).map((x) => this.describe(x, depth + 1)) } : {}) };
    }
    if (tsf.isObjectLiteralExpression(e)) {
      const arg: TsArg = { kind: 'object', text: '', span };
      const options = this.literalOptions([e]);
      if (options) arg.options = options;
      if (depth < ARG_DEPTH) {
        const props: Record<string, TsArg> = {};
        for (const p of e.properties) {
          if (tsf.isPropertyAssignment(p)) {
            const name = propName(p.name);
            if (name) props[name] = this.describe(p.initializer, depth + 1);
          } else if (tsf.isShorthandPropertyAssignment(p)) props[p.name.text] = { kind: 'identifier', text: p.name.text, span: this.span(p.name) };
          else if (tsf.isMethodDeclaration(p)) {
            const name = propName(p.name);
            if (name) props[name] = { kind: 'function', text: name, span: this.span(p), calls: this.callsIn(p) };
          }
        }
        arg.props = props;
      }
      return arg;
    }
    const t = this.text(e);
    return { kind: 'other', text: t.length > 80 ? t.slice(0, 80) : t, span };
  }

  /** Callee texts of the calls below `fn` (not `fn` itself): the first 40 distinct, of at most 80 characters. */
  private callsIn(fn: ts.Node): string[] {
    return this.summary(fn, undefined).calls;
  }

  // What one summary walk collects (the walk never re-enters itself).
  private readonly sumCalls = new Set<string>();
  private readonly sumStatuses = new Set<number>();
  private readonly sumThrows = new Set<string>();
  private sumRejectRoot: ts.Node | undefined;
  private sumRejecting = false;

  /**
   * One walk for what a function does: the callee texts of the calls below `callsRoot` (as
   * callsIn), and the 401/403 literals and `throw new X` classes in `rejectRoot` (itself
   * included; `callsRoot` or a node below it), as two separate walks would find them.
   */
  private summary(callsRoot: ts.Node, rejectRoot: ts.Node | undefined): { calls: string[]; statuses: number[]; throws: string[] } {
    this.sumCalls.clear();
    this.sumStatuses.clear();
    this.sumThrows.clear();
    this.sumRejectRoot = rejectRoot;
    this.sumRejecting = false;
    if (rejectRoot === callsRoot) {
      this.rejection(callsRoot);
      this.sumRejecting = true;
    }
    tsf.forEachChild(callsRoot, this.summaryChild);
    this.sumRejecting = false;
    this.sumRejectRoot = undefined;
    return { calls: [...this.sumCalls], statuses: [...this.sumStatuses], throws: [...this.sumThrows] };
  }

  private readonly summaryChild = (x: ts.Node): undefined => {
    this.summaryNode(x);
    return undefined;
  };

  private summaryNode(x: ts.Node): void {
    if ((x.kind === SK.CallExpression || x.kind === SK.NewExpression) && this.sumCalls.size < 40) {
      const t = this.text((x as ts.CallExpression | ts.NewExpression).expression);
      if (t.length <= 80) this.sumCalls.add(t);
    }
    if (x === this.sumRejectRoot) {
      this.sumRejecting = true;
      this.rejection(x);
      tsf.forEachChild(x, this.summaryChild);
      this.sumRejecting = false;
      return;
    }
    if (this.sumRejecting) this.rejection(x);
    tsf.forEachChild(x, this.summaryChild);
  }

  /** A 401/403 literal or a `throw new X` (what a guard does). */
  private rejection(x: ts.Node): void {
    if (tsf.isNumericLiteral(x) && (x.text === '401' || x.text === '403')) this.sumStatuses.add(Number(x.text));
    if (tsf.isThrowStatement(x) && x.expression && tsf.isNewExpression(unwrap(x.expression))) this.sumThrows.add(this.text((unwrap(x.expression) as ts.NewExpression).expression));
  }

  /** The enclosing function whose parameter is `receiver`, when there is one. */
  private inFunction(n: ts.Node, receiver: ts.Expression): TsInFunction | undefined {
    const r = unwrap(receiver);
    if (!tsf.isIdentifier(r)) return undefined;
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
      if (!isFnLike(p)) continue;
      const i = p.parameters.findIndex((x) => tsf.isIdentifier(x.name) && x.name.text === r.text);
      if (i < 0) continue;
      return { name: this.fnName(p), param: i, span: this.span(p) };
    }
    return undefined;
  }

  private fnName(fn: FnLike): string {
    if ((tsf.isFunctionDeclaration(fn) || tsf.isFunctionExpression(fn)) && fn.name) return fn.name.text;
    if (tsf.isFunctionDeclaration(fn) && tsf.getModifiers(fn)?.some((m) => m.kind === SK.DefaultKeyword)) return 'default';
    if (tsf.isMethodDeclaration(fn)) return propName(fn.name) ?? '';
    let p: ts.Node = fn.parent;
    while (tsf.isParenthesizedExpression(p) || tsf.isAsExpression(p)) p = p.parent;
    if (tsf.isVariableDeclaration(p) && tsf.isIdentifier(p.name)) return p.name.text;
    if (tsf.isPropertyAssignment(p)) return propName(p.name) ?? '';
    if (tsf.isExportAssignment(p)) return 'default';
    if (tsf.isBinaryExpression(p) && p.operatorToken.kind === SK.EqualsToken) return this.text(p.left);
    return '';
  }

  private call(n: ts.CallExpression): void {
    const callee = unwrap(n.expression);
    if (this.creation(n)) return;
    if (tsf.isIdentifier(callee) && (callee.text === 'require' || callee.text === 'import')) return;
    this.plainCall(n, callee);
    if (!tsf.isPropertyAccessExpression(callee)) {
      if (n.expression.kind === SK.ImportKeyword) {
        const mod = n.arguments[0] ? stringValue(n.arguments[0]) : undefined;
        if (mod !== undefined) this.facts.imports.push({ module: mod, kind: 'import', named: [], span: this.span(n) });
      }
      return;
    }
    const name = callee.name.text;
    const recvExpr = callee.expression;
    const args = n.arguments;
    if ((name === 'create' || name === 'register' || name === 'forRoutes') && args.length >= 1 && /^(?:NestFactory|RouterModule)$/.test(this.text(recvExpr))) {
      if (name === 'create' && this.text(recvExpr) === 'NestFactory') this.bootstrap(n);
      else if (name !== 'create' && this.text(recvExpr) === 'RouterModule') this.routerModule(args[0]!);
      return;
    }
    if (HTTP_METHODS.has(name)) return this.routeCall(n, callee, name);
    if (name === 'on' && args.length >= 3) return this.honoOn(n, callee);
    if (name === 'route') {
      // Hono app.route('/api', sub) mounts; Express `.route('/p')` chains are read from the chained method calls.
      if (args.length === 2) this.use(n, callee, 'route');
      else if (args.length === 1 && tsf.isObjectLiteralExpression(unwrap(args[0]))) this.fastifyRoute(n, recvExpr, unwrap(args[0]) as ts.ObjectLiteralExpression, callee);
      return;
    }
    if (name === 'use') return this.use(n, callee, 'use');
    if (name === 'addHook' && args.length >= 2) {
      const hook = stringValue(args[0]);
      if (hook !== undefined) this.facts.hooks.push({ receiver: this.text(recvExpr), hook, args: args.slice(1).map((a) => this.describe(a)), ...this.inFn(n, recvExpr), span: this.span(n) });
      return;
    }
    if (name === 'register' && args.length >= 1) {
      const reg: TsRegister = { receiver: this.text(recvExpr), plugin: this.describe(args[0]), ...this.inFn(n, recvExpr), span: this.span(n) };
      if (args[1]) {
        reg.options = this.describe(args[1]);
        const prefix = reg.options.options?.prefix;
        if (typeof prefix === 'string') reg.prefix = prefix;
      }
      this.facts.registers.push(reg);
      return;
    }
    if (name === 'decorate' && args.length >= 2) {
      const dname = stringValue(args[0]);
      if (dname !== undefined) this.facts.decorates.push({ receiver: this.text(recvExpr), name: dname, value: this.describe(args[1]), ...this.inFn(n, recvExpr), span: this.span(n) });
      return;
    }
    if (name === 'prefix' && args.length === 1) {
      const path = stringValue(args[0]);
      if (path !== undefined) this.facts.prefixes.push({ receiver: this.text(recvExpr), path, span: this.span(n) });
      return;
    }
    if (name === 'useGlobalGuards') {
      this.nestFacts().globalGuards.push({ receiver: this.text(recvExpr), args: args.map((a) => this.describe(a)), span: this.span(n) });
      return;
    }
    if (name === 'setGlobalPrefix' && args.length >= 1) {
      const prefix = stringValue(args[0]);
      this.nestFacts().globalPrefixes.push({ receiver: this.text(recvExpr), ...(prefix !== undefined ? { prefix } : {}), args: args.map((a) => this.describe(a)), span: this.span(n) });
      return;
    }
    if (name === 'forRoutes') this.nestMiddleware(n);
    if (name === 'enableVersioning') this.nestFacts().versioning.push({ receiver: this.text(recvExpr), ...(args[0] ? { options: this.describe(args[0]) } : {}), span: this.span(n) });
  }

  /** Calls that pass an identifier along (an app, router or instance handed to a registering function). */
  private plainCall(n: ts.CallExpression, callee: ts.Expression): void {
    if (this.facts.calls.length >= MAX_CALLS) return;
    if (!tsf.isIdentifier(callee) && !tsf.isPropertyAccessExpression(callee) && !tsf.isCallExpression(callee)) return;
    if (tsf.isPropertyAccessExpression(callee) && (HTTP_METHODS.has(callee.name.text) || callee.name.text === 'use' || callee.name.text === 'route')) return;
    const args = n.arguments.map(unwrap);
    if (!args.some((a) => tsf.isIdentifier(a) || a.kind === SK.ThisKeyword || tsf.isPropertyAccessExpression(a))) return;
    this.facts.calls.push({
      callee: this.describe(callee),
      args: args.map((a) => this.describe(a)),
      argFns: args.map((a) => this.inFunction(n, a) ?? null),
      span: this.span(n),
    });
  }

  private inFn(n: ts.Node, recv: ts.Expression): { inFunction?: TsInFunction } {
    const f = this.inFunction(n, recv);
    return f ? { inFunction: f } : {};
  }

  private pathOf(a: ts.Expression | undefined): { path?: string; dynamic?: true; pathSpan?: Span } {
    if (!a) return {};
    const s = stringValue(unwrap(a));
    if (s !== undefined) return { path: s, pathSpan: this.span(a) };
    return { dynamic: true, pathSpan: this.span(a) };
  }

  private routeCall(n: ts.CallExpression, callee: ts.PropertyAccessExpression, name: string): void {
    const method = name === 'del' ? 'delete' : name;
    // Walk chained calls: router.route('/p').get(a).post(b) and app.get(...).post(...)
    let base: ts.Expression = unwrap(callee.expression);
    let chainPath: ts.CallExpression | undefined;
    while (tsf.isCallExpression(base) && tsf.isPropertyAccessExpression(unwrap(base.expression))) {
      const inner = unwrap(base.expression) as ts.PropertyAccessExpression;
      if (inner.name.text === 'route' && base.arguments.length === 1 && !tsf.isObjectLiteralExpression(unwrap(base.arguments[0]))) {
        chainPath = base;
        base = unwrap(inner.expression);
        break;
      }
      if (!HTTP_METHODS.has(inner.name.text) && inner.name.text !== 'use') break;
      base = unwrap(inner.expression);
    }
    const args = n.arguments;
    const common = { receiver: this.text(base), method, ...this.inFn(n, base), span: this.span(n), methodSpan: this.span(callee.name) };
    if (chainPath) {
      this.facts.routes.push({ ...common, ...this.pathOf(chainPath.arguments[0]), via: 'chain', args: args.map((a) => this.describe(a)) });
      return;
    }
    // One argument is a getter (`app.get('env')`, `map.get(key)`), not a route.
    if (args.length < 2) return;
    const first = unwrap(args[0]);
    // Looks like a route only when the first argument is a path-like expression.
    if (tsf.isArrowFunction(first) || tsf.isFunctionExpression(first) || tsf.isObjectLiteralExpression(first) || tsf.isNumericLiteral(first)) return;
    const route: TsRoute = { ...common, ...this.pathOf(args[0]), via: 'call', args: args.slice(1).map((a) => this.describe(a)) };
    // Fastify shorthand with an options object: app.get('/p', { preHandler: [auth] }, handler)
    const opts = args.length >= 3 ? unwrap(args[1]) : undefined;
    if (opts && tsf.isObjectLiteralExpression(opts)) {
      const hooks = this.hooksOf(opts);
      if (hooks) route.hooks = hooks;
    }
    this.facts.routes.push(route);
  }

  /** Hono `app.on('PURGE', '/p', ...handlers)` and `app.on(['GET', 'POST'], '/p', ...)`. */
  private honoOn(n: ts.CallExpression, callee: ts.PropertyAccessExpression): void {
    const [m, p, ...rest] = n.arguments;
    const mu = unwrap(m);
    const methods = (tsf.isArrayLiteralExpression(mu) ? mu.elements.map((x) => stringValue(unwrap(x))) : [stringValue(mu)]);
    const pu = unwrap(p);
    if (!methods.length || methods.some((x) => x === undefined) || !(stringValue(pu) !== undefined || tsf.isTemplateExpression(pu))) return;
    const recv = unwrap(callee.expression);
    for (const method of methods as string[]) {
      this.facts.routes.push({ receiver: this.text(recv), method: method.toLowerCase(), ...this.pathOf(p), via: 'call', args: rest.map((a) => this.describe(a)), ...this.inFn(n, recv), span: this.span(n), methodSpan: this.span(callee.name) });
    }
  }

  private hooksOf(o: ts.ObjectLiteralExpression): Record<string, TsArg[]> | undefined {
    let hooks: Record<string, TsArg[]> | undefined;
    for (const p of o.properties) {
      const name = p.name ? propName(p.name) : undefined;
      if (!name || !FASTIFY_HOOKS.has(name)) continue;
      let list: TsArg[];
      if (tsf.isPropertyAssignment(p)) {
        const v = unwrap(p.initializer);
        list = tsf.isArrayLiteralExpression(v) ? v.elements.map((x) => this.describe(x)) : [this.describe(v)];
      } else if (tsf.isShorthandPropertyAssignment(p)) list = [{ kind: 'identifier', text: p.name.text, span: this.span(p.name) }];
      else if (tsf.isMethodDeclaration(p)) list = [{ kind: 'function', text: name, span: this.span(p), calls: this.callsIn(p) }];
      else continue;
      (hooks ??= {})[name] = list;
    }
    return hooks;
  }

  private fastifyRoute(n: ts.CallExpression, recv: ts.Expression, o: ts.ObjectLiteralExpression, callee: ts.PropertyAccessExpression): void {
    let methods: string[] = [];
    let path: { path?: string; dynamic?: true; pathSpan?: Span } = {};
    for (const p of o.properties) {
      if (!tsf.isPropertyAssignment(p)) continue;
      const name = propName(p.name);
      const v = unwrap(p.initializer);
      if (name === 'method') {
        const vals = tsf.isArrayLiteralExpression(v) ? v.elements.map((x) => stringValue(x)) : [stringValue(v)];
        methods = vals.filter((x): x is string => x !== undefined).map((x) => x.toLowerCase());
        if (!methods.length) methods = ['dynamic'];
      } else if (name === 'url' || name === 'path') path = this.pathOf(p.initializer);
    }
    if (!methods.length) return;
    const hooks = this.hooksOf(o);
    for (const method of methods) {
      const route: TsRoute = { receiver: this.text(recv), method, ...path, via: 'fastify-route', args: [this.describe(o)], ...this.inFn(n, recv), span: this.span(n), methodSpan: this.span(callee.name) };
      if (hooks) route.hooks = hooks;
      this.facts.routes.push(route);
    }
  }

  private use(n: ts.CallExpression, callee: ts.PropertyAccessExpression, via: 'use' | 'route'): void {
    const args = n.arguments;
    if (!args.length) return;
    // app.use(a).use(b), app.get(...).use(...): the receiver is the chain's base.
    let recv: ts.Expression = unwrap(callee.expression);
    while (tsf.isCallExpression(recv) && tsf.isPropertyAccessExpression(unwrap(recv.expression))) {
      const inner = unwrap(recv.expression) as ts.PropertyAccessExpression;
      if (inner.name.text !== 'use' && !HTTP_METHODS.has(inner.name.text)) break;
      recv = unwrap(inner.expression);
    }
    const first = unwrap(args[0]);
    const firstIsPath = stringValue(first) !== undefined || tsf.isTemplateExpression(first) || (via === 'route' && args.length === 2);
    const use: TsUse = { receiver: this.text(recv), via, ...(firstIsPath ? this.pathOfNoSpan(args[0]) : {}), args: (firstIsPath ? args.slice(1) : args).map((a) => this.describe(a)), ...this.inFn(n, recv), span: this.span(n), methodSpan: this.span(callee.name) };
    this.facts.uses.push(use);
  }

  private pathOfNoSpan(a: ts.Expression): { path?: string; dynamic?: true } {
    const { path, dynamic } = this.pathOf(a);
    return path !== undefined ? { path } : dynamic ? { dynamic } : {};
  }

  // -- NestJS --

  private decorators(n: ts.Node): TsDecorator[] {
    const ds = tsf.canHaveDecorators(n) ? (tsf.getDecorators(n) ?? []) : [];
    return ds.map((d) => {
      const e = unwrap(d.expression);
      const base = tsf.isCallExpression(e) ? { name: this.text(e.expression), args: e.arguments.map((a) => this.describe(a)), span: this.span(d) } : { name: this.text(e), args: [], span: this.span(d) };
      return { ...base, ...this.lineOf(base.span) };
    });
  }

  /** The indentation before a span that starts its line, and the whole line when the span is alone on it. */
  private lineOf(span: Span): { indent?: string; line?: Span } {
    const text = this.sf.text;
    const start = text.lastIndexOf('\n', span.start - 1) + 1;
    const before = text.slice(start, span.start);
    if (!/^[ \t]*$/.test(before)) return {};
    const nl = text.indexOf('\n', span.end);
    const after = text.slice(span.end, nl < 0 ? text.length : nl);
    return /^[ \t]*\r?$/.test(after) ? { indent: before, line: { start, end: nl < 0 ? text.length : nl + 1 } } : { indent: before };
  }

  private style(): ImportStyle | undefined {
    const first = this.sf.statements.find((st) => tsf.isImportDeclaration(st));
    if (!first || !tsf.isImportDeclaration(first)) return undefined;
    const q = this.text(first.moduleSpecifier)[0];
    return { quote: q === '"' ? '"' : "'", semi: this.text(first).trimEnd().endsWith(';'), eol: this.sf.text.includes('\r\n') ? '\r\n' : '\n' };
  }

  /** `@Module({ controllers, imports })`: the names, unwrapping `X.forRoot()` and `forwardRef(() => X)`. */
  private nestModule(n: ts.ClassDeclaration | ts.ClassExpression, name: string): void {
    const d = (tsf.getDecorators(n) ?? []).find((x) => tsf.isCallExpression(x.expression) && this.text(x.expression.expression) === 'Module');
    if (!d || !tsf.isCallExpression(d.expression)) return;
    const mod: NestModule = { name, span: this.span(n), controllers: [], imports: [] };
    const o = d.expression.arguments[0] ? unwrap(d.expression.arguments[0]) : undefined;
    if (o && tsf.isObjectLiteralExpression(o)) {
      for (const p of o.properties) {
        if (!tsf.isPropertyAssignment(p)) continue;
        const key = propName(p.name);
        if (key !== 'controllers' && key !== 'imports') continue;
        const v = unwrap(p.initializer);
        if (!tsf.isArrayLiteralExpression(v)) {
          mod.dynamic = true;
          continue;
        }
        for (const el of v.elements) {
          const ref = this.moduleRef(el, 0);
          if (ref) mod[key].push(ref);
          else if (!tsf.isCallExpression(unwrap(el as ts.Expression))) mod.dynamic = true;
        }
      }
    }
    this.nestFacts().modules.push(mod);
  }

  private moduleRef(el: ts.Expression, depth: number): string | undefined {
    const e = unwrap(el);
    if (depth > 3) return undefined;
    if (tsf.isIdentifier(e)) return e.text;
    if (tsf.isCallExpression(e)) {
      const c = unwrap(e.expression);
      if (tsf.isIdentifier(c) && c.text === 'forwardRef' && e.arguments[0]) {
        const f = unwrap(e.arguments[0]);
        if (tsf.isArrowFunction(f) && !tsf.isBlock(f.body)) return this.moduleRef(f.body, depth + 1);
        return undefined;
      }
      // UsersModule.forRoot(...), ConfigModule.forFeature(...): the module is the receiver (RouterModule is read apart).
      if (tsf.isPropertyAccessExpression(c) && tsf.isIdentifier(unwrap(c.expression)) && this.text(c.expression) !== 'RouterModule') return this.text(c.expression);
    }
    return undefined;
  }

  /** const app = await NestFactory.create(AppModule, …) */
  private bootstrap(n: ts.CallExpression): void {
    const m = unwrap(n.arguments[0]!);
    let top: ts.Node = n;
    while (tsf.isAwaitExpression(top.parent) || tsf.isParenthesizedExpression(top.parent) || tsf.isAsExpression(top.parent)) top = top.parent;
    const app = tsf.isVariableDeclaration(top.parent) && tsf.isIdentifier(top.parent.name) ? top.parent.name.text : '';
    this.nestFacts().bootstraps.push({ module: tsf.isIdentifier(m) ? m.text : this.text(m), app, span: this.span(n) });
  }

  /** RouterModule.register([{ path, module, children }]), the routes inline or in a variable of this file. */
  private routerModule(arg: ts.Expression): void {
    let e = unwrap(arg);
    if (tsf.isIdentifier(e)) {
      const id = e.text;
      for (const st of this.sf.statements) {
        if (!tsf.isVariableStatement(st)) continue;
        const d = st.declarationList.declarations.find((x) => tsf.isIdentifier(x.name) && x.name.text === id && x.initializer);
        if (d?.initializer) e = unwrap(d.initializer);
      }
    }
    const walk = (list: ts.Expression, prefix: string, depth: number): void => {
      if (!tsf.isArrayLiteralExpression(list) || depth > 5) return;
      for (const el of list.elements) {
        const o = unwrap(el as ts.Expression);
        if (!tsf.isObjectLiteralExpression(o)) continue;
        let path = '';
        let module: string | undefined;
        let children: ts.Expression | undefined;
        for (const p of o.properties) {
          if (!tsf.isPropertyAssignment(p)) continue;
          const key = propName(p.name);
          const v = unwrap(p.initializer);
          if (key === 'path') path = stringValue(v) ?? '*';
          else if (key === 'module' && tsf.isIdentifier(v)) module = v.text;
          else if (key === 'children') children = v;
        }
        const full = `${prefix}/${path}`.replace(/\/+/g, '/');
        if (module) this.nestFacts().routerModules.push({ path: full, module, span: this.span(o) });
        if (children) walk(children, full, depth + 1);
      }
    };
    walk(e, '', 0);
  }

  /** `const Public = () => SetMetadata(IS_PUBLIC_KEY, true)`, `function Roles(...r) { return SetMetadata('roles', r) }`, `applyDecorators(SetMetadata(...))`. */
  private metadataFactory(n: FnLike): void {
    const name = this.fnName(n);
    if (!name || !n.body) return;
    // Cheap textual check first: most functions build no decorator.
    const body = this.sf.text.slice(n.body.pos, n.body.end);
    if (!body.includes('SetMetadata') && !body.includes('UseGuards')) return;
    let key: string | undefined;
    const guards: TsArg[] = [];
    let seen = 0;
    const walk = (x: ts.Node): void => {
      if (++seen > 2000) return;
      if (tsf.isCallExpression(x) && this.text(x.expression) === 'SetMetadata' && x.arguments[0] && key === undefined) {
        key = this.metaKey(x.arguments[0]);
      }
      if (tsf.isCallExpression(x) && this.text(x.expression) === 'UseGuards') guards.push(...x.arguments.map((a) => this.describe(a)));
      tsf.forEachChild(x, walk);
    };
    walk(n.body);
    if (key !== undefined || guards.length) this.nestFacts().metadata.push({ name, ...(key !== undefined ? { key } : {}), ...(guards.length ? { guards } : {}), span: this.span(n) });
  }

  /** A metadata key as written: a string literal JSON-quoted (`"isPublic"`), anything else as its text (`IS_PUBLIC_KEY`). */
  private metaKey(arg: ts.Expression): string {
    const a = unwrap(arg);
    const s = stringValue(a);
    return s !== undefined ? JSON.stringify(s) : this.text(a);
  }

  /** Metadata keys a class reads through a reflector (`this.reflector.getAllAndOverride(IS_PUBLIC_KEY, …)`). */
  private reflectorKeys(n: ts.ClassDeclaration | ts.ClassExpression, name: string): void {
    if (!/reflector/i.test(this.sf.text.slice(n.pos, n.end))) return;
    const keys = new Set<string>();
    const walk = (x: ts.Node): void => {
      if (tsf.isCallExpression(x) && tsf.isPropertyAccessExpression(unwrap(x.expression)) && x.arguments[0]) {
        const pa = unwrap(x.expression) as ts.PropertyAccessExpression;
        if (/^(get|getAll|getAllAndOverride|getAllAndMerge)$/.test(pa.name.text) && /reflector/i.test(this.text(pa.expression))) {
          keys.add(this.metaKey(x.arguments[0]));
        }
      }
      tsf.forEachChild(x, walk);
    };
    for (const m of n.members) walk(m);
    if (keys.size) this.nestFacts().reflectors.push({ cls: name, keys: [...keys], span: this.span(n) });
  }

  private klass(n: ts.ClassDeclaration | ts.ClassExpression): void {
    const decorators = this.decorators(n);
    const name = n.name?.text ?? '';
    const ext = n.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword)?.types[0];
    const impl = n.heritageClauses?.find((h) => h.token === SK.ImplementsKeyword)?.types ?? [];
    const methods = n.members.filter(tsf.isMethodDeclaration).map((m) => propName(m.name) ?? '').filter((x) => x);
    this.facts.classes.push({ name, span: this.span(n), ...(ext ? { extends: this.text(ext) } : {}), implements: impl.map((t) => this.text(t)), decorators: decorators.map((d) => d.name), methods });
    if (decorators.some((d) => d.name === 'Module')) this.nestModule(n, name);
    this.reflectorKeys(n, name);
    const ctrl = decorators.find((d) => d.name === 'Controller');
    if (!ctrl) return;
    const c: NestController = { name, span: ctrl.span, guards: guardsOf(decorators), decorators, methods: [] };
    const first = ctrl.args[0];
    if (first?.kind === 'string') c.prefix = first.text;
    else if (first?.kind === 'object' && first.props?.path) {
      if (first.props.path.kind === 'string') c.prefix = first.props.path.text;
      else c.dynamic = true;
    } else if (first) c.dynamic = true;
    for (const m of n.members) {
      if (!tsf.isMethodDeclaration(m)) continue;
      const md = this.decorators(m);
      for (const d of md) {
        const method = NEST_METHODS[d.name];
        if (!method) continue;
        const nm: NestMethod = { name: propName(m.name) ?? '', method, span: d.span, guards: guardsOf(md), decorators: md };
        const a = d.args[0];
        if (a?.kind === 'string') nm.path = a.text;
        else if (a) nm.dynamic = true;
        c.methods.push(nm);
      }
    }
    this.nestFacts().controllers.push(c);
  }

  /** `{ provide: APP_GUARD, useClass: X }` providers. */
  private provider(o: ts.ObjectLiteralExpression): void {
    let isGuard = false;
    let provider: ts.Expression | undefined;
    for (const p of o.properties) {
      if (!tsf.isPropertyAssignment(p)) continue;
      const name = propName(p.name);
      if (name === 'provide' && this.text(p.initializer) === 'APP_GUARD') isGuard = true;
      if (name === 'useClass' || name === 'useExisting' || name === 'useFactory' || name === 'useValue') provider = p.initializer;
    }
    if (isGuard) this.nestFacts().appGuards.push({ provider: provider ? this.describe(provider) : { kind: 'other', text: '', span: this.span(o) }, span: this.span(o) });
  }

  /** consumer.apply(A, B).exclude(...).forRoutes(...) */
  private nestMiddleware(n: ts.CallExpression): void {
    const entry: NestFacts['middleware'][number] = { apply: [], exclude: [], forRoutes: n.arguments.map((a) => this.describe(a)), span: this.span(n) };
    let e: ts.Expression = unwrap((n.expression as ts.PropertyAccessExpression).expression);
    while (tsf.isCallExpression(e) && tsf.isPropertyAccessExpression(unwrap(e.expression))) {
      const pa = unwrap(e.expression) as ts.PropertyAccessExpression;
      if (pa.name.text === 'apply') entry.apply = e.arguments.map((a) => this.describe(a));
      else if (pa.name.text === 'exclude') entry.exclude = e.arguments.map((a) => this.describe(a));
      e = unwrap(pa.expression);
    }
    this.nestFacts().middleware.push(entry);
  }

  // -- functions --

  private fn(n: FnLike): void {
    const name = this.fnName(n);
    if (!name || !n.body) return;
    const span = this.span(n);
    const params = n.parameters.map((p) => (tsf.isIdentifier(p.name) ? p.name.text : this.text(p.name)));
    const { calls, statuses, throws } = this.summary(n.body, n.body);
    this.facts.functions.push({ name, span, params, calls, statuses, throws });
  }

  // -- Next.js --

  /** Exported handlers by name ('default' included) and how each can be wrapped. */
  private nextWraps(): Map<string, NextWrap> {
    const out = new Map<string, NextWrap>();
    for (const st of this.sf.statements) {
      if (tsf.isExportAssignment(st)) {
        out.set('default', { kind: 'expression', span: this.span(st.expression) });
        continue;
      }
      const mods = tsf.canHaveModifiers(st) ? (tsf.getModifiers(st) ?? []) : [];
      if (!mods.some((m) => m.kind === SK.ExportKeyword)) continue;
      const isDefault = mods.some((m) => m.kind === SK.DefaultKeyword);
      if (tsf.isFunctionDeclaration(st) && st.body) {
        const name = isDefault ? 'default' : st.name?.text;
        const asyncMod = mods.find((m) => m.kind === SK.AsyncKeyword);
        const fnKw = st.getChildren(this.sf).find((c) => c.kind === SK.FunctionKeyword);
        const fnStart = asyncMod ? asyncMod.getStart(this.sf) : fnKw?.getStart(this.sf);
        if (name && fnStart !== undefined) out.set(name, { kind: 'function', start: st.getStart(this.sf), fnStart, end: st.end });
      } else if (tsf.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (tsf.isIdentifier(d.name) && d.initializer) out.set(d.name.text, { kind: 'expression', span: this.span(d.initializer) });
        }
      }
    }
    return out;
  }

  private nextFacts(): NextFacts | undefined {
    const kind = nextKind(this.relPath);
    if (!kind) return undefined;
    // A root middleware.ts that is not Next's (an Express middleware module) has no `next…` import and no matcher config.
    const nextish = (m: string): boolean => /next/i.test(m);
    if (kind === 'middleware' && !this.facts.imports.some((i) => nextish(i.module)) && !this.facts.exports.some((e) => (e.from && nextish(e.from)) || e.name === 'config' || e.name === 'middleware')) return undefined;
    const next: NextFacts = { kind, methods: [] };
    const p = '/' + this.relPath;
    if (kind === 'app-route') {
      const rest = p.slice(p.lastIndexOf('/app/') + 4);
      const segs = rest.split('/').slice(0, -1).filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
      next.route = '/' + segs.join('/');
      const wraps = this.nextWraps();
      for (const e of this.facts.exports) {
        if (!NEXT_METHODS.has(e.name)) continue;
        const wrap = wraps.get(e.name);
        next.methods.push({ name: e.name, span: e.span, ...(wrap ? { wrap } : {}) });
      }
    } else if (kind === 'pages-api') {
      const rest = p.slice(p.lastIndexOf('/pages/api/') + 6).replace(/\.[cm]?[jt]sx?$/, '');
      next.route = rest.replace(/\/index$/, '') || '/api';
      const d = this.facts.exports.find((e) => e.name === 'default');
      if (d) next.defaultExport = d.span;
      const wrap = this.nextWraps().get('default');
      if (wrap) next.defaultWrap = wrap;
    } else {
      for (const st of this.sf.statements) {
        if (!tsf.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) {
          if (!tsf.isIdentifier(d.name) || d.name.text !== 'config' || !d.initializer) continue;
          const o = unwrap(d.initializer);
          if (!tsf.isObjectLiteralExpression(o)) continue;
          for (const prop of o.properties) {
            if (!tsf.isPropertyAssignment(prop) || propName(prop.name) !== 'matcher') continue;
            const v = unwrap(prop.initializer);
            next.matcherSpan = this.span(v);
            const items = tsf.isArrayLiteralExpression(v) ? v.elements : [v];
            next.matcher = [];
            for (const it of items) {
              const s = stringValue(unwrap(it));
              if (s !== undefined) next.matcher.push(s);
              else {
                const o2 = unwrap(it);
                const src = tsf.isObjectLiteralExpression(o2) ? o2.properties.find((q) => tsf.isPropertyAssignment(q) && propName(q.name) === 'source') : undefined;
                const sv = src && tsf.isPropertyAssignment(src) ? stringValue(unwrap(src.initializer)) : undefined;
                if (sv !== undefined) next.matcher.push(sv);
                else next.matcherDynamic = true;
              }
            }
          }
        }
      }
      for (const e of this.facts.exports) if (e.name === 'middleware' || e.name === 'default') next.methods.push({ name: e.name, span: e.span });
    }
    return next;
  }
}

function guardsOf(ds: TsDecorator[]): TsArg[] {
  return ds.filter((d) => d.name === 'UseGuards').flatMap((d) => d.args);
}
