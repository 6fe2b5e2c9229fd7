// Python → per-file HTTP route facts, parsed with web-tree-sitter and tree-sitter-python's
// wasm grammar (error-tolerant: malformed files still yield what can be read). Facts are
// plain JSON, cached by content hash; linking across files (imports, mounts, prefixes,
// dependency chains) and deciding what is protected is left to the reader.
//
// tree-sitter initialises asynchronously while extraction is synchronous: `preparePython()`
// (called by `scan()` when Python files are present) loads the runtime and the grammar
// once; until it has finished, `pythonRouteFacts` returns undefined (never throws).
//
// Shape (spans are half-open UTF-16 offsets into the file's text):
//
//   PyRouteFacts
//     imports[]     { module (leading dots kept for relative imports), name? (from-imports; '*'),
//                     local (the name bound here: alias, name, or the dotted module), span }
//     apps[]        `x = FastAPI(...)` / `APIRouter(...)` / `Flask(...)` / `Blueprint(...)`:
//                   { kind, target (the assigned name), call (PyValue 'call': args and kwargs as
//                   written, e.g. prefix=, dependencies=[...], url_prefix=, lifespan=, debug=), span }
//     routes[]      { framework ('fastapi' | 'flask' | 'unknown', from the owner's creation in this
//                   file or the file's imports), owner (the decorated object, dotted: 'app', 'router',
//                   'bp'), via ('decorator' | 'call'), method (the attribute: get, route, api_route,
//                   add_url_rule, add_api_route, add_resource), methods (HTTP methods, upper-case;
//                   [] for add_resource: the Resource class's methods), path?, pathSpan?,
//                   call (the decorator's or call's PyValue), span (the decorator / the call),
//                   handler? (decorator routes) { name, nameSpan, async, class?, decorators (every
//                   decorator of the function, top to bottom, the route's own included), params },
//                   view? (call routes: the view argument as a PyValue) }
//     mounts[]      include_router / register_blueprint / mount: { kind, owner, target (PyValue),
//                   prefix?, call, span }
//     hooks[]       before_request / before_app_request / middleware / add_middleware (decorator
//                   or call): { kind, owner, handler? (function name), call?, span }
//     functions[]   every other function with decorators, with a parameter using Depends /
//                   Security / Annotated[..., Depends(...)], or whose body mentions authentication:
//                   { name, nameSpan, async, class?, decorators, params, body?, span }
//                   body (also on route handlers): { calls, raises, statuses (401/403), returnsNone },
//                   present when the body matches AUTH_HINT (401/403, HTTPException, abort(, jwt,
//                   verify, token, auth, current_user, ...); checksUser when it reads
//                   `.is_authenticated` / `.is_staff` / ...
//     schemes[]     security-scheme objects: `x = OAuth2PasswordBearer(...)`, HTTPBearer, APIKey*,
//                   HTTPBasicAuth / HTTPTokenAuth (Flask-HTTPAuth), LoginManager, JWTManager:
//                   { target, callee, autoError (false only when `auto_error=False`), call, span }
//     aliases[]     `CurrentUser = Annotated[User, Depends(get_current_user)]` (also with a
//                   `TypeAlias` annotation or a `type X = ...` statement): { name, value, span }
//     urlpatterns[] Django `urlpatterns = [...]` / `+=` entries: { kind (path | re_path | url),
//                   route?, view (PyValue; an `include(...)` call when it includes), include?
//                   (the include's first argument), name?, span }; `urlpatterns += router.urls` gives
//                   { kind: 'path', route: '', view and include: the `router.urls` name }
//     classes[]     view-like classes (a base ending in View/ViewSet/Mixin/Resource/Permission, any
//                   base that is not a model/enum/exception/form/serializer/..., class attributes
//                   permission_classes / authentication_classes, or decorators):
//                   { name, nameSpan, bases (dotted), decorators, attrs (permission_classes,
//                   authentication_classes, login_url, ... as PyValue), methods (decorated
//                   methods: { name, decorators }), bodySpan? (first statement after a docstring), span }
//     settings?     Django settings: { restFramework? (the REST_FRAMEWORK dict), defaultPermissionClasses?,
//                   defaultAuthenticationClasses? (dotted strings), middleware? (MIDDLEWARE entries),
//                   rootUrlconf? (ROOT_URLCONF), span }
//     routers[]     DRF `router.register(r'users', UserViewSet)`: { owner, prefix?, view, span }
//     views[]       module-level functions whose first parameter is `request` (Django views,
//                   decorated or not): { name, span (the def statement, decorators excluded) }
//
//   PyValue (a simplified expression, depth-limited):
//     { k: 'str', v } | { k: 'name', v: 'a.b.c' } | { k: 'const', v: 'True' | 'None' | '3' }
//     | { k: 'call', fn: 'Depends' | 'a.b' | text, args: PyValue[], kwargs: Record<string, PyValue> }
//     | { k: 'list', items } (lists, tuples, sets) | { k: 'dict', entries: [key, value][] }
//     | { k: 'sub', value, index: PyValue[] } (`Annotated[User, Depends(x)]`) | { k: 'expr', text }
//     each with `span`.
//   PyParam: { name, span, annotation?, default?, star? ('*' | '**') }
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, Query, type Node, type Tree } from 'web-tree-sitter';
import type { Span } from '../types';

interface PyBase {
  span: Span;
}
export type PyValue =
  | (PyBase & { k: 'str'; v: string })
  | (PyBase & { k: 'name'; v: string })
  | (PyBase & { k: 'const'; v: string })
  | (PyBase & { k: 'call'; fn: string; args: PyValue[]; kwargs: Record<string, PyValue> })
  | (PyBase & { k: 'list'; items: PyValue[] })
  | (PyBase & { k: 'dict'; entries: [PyValue, PyValue][] })
  | (PyBase & { k: 'sub'; value: PyValue; index: PyValue[] })
  | (PyBase & { k: 'expr'; text: string });
export type PyCall = Extract<PyValue, { k: 'call' }>;

export interface PyParam {
  name: string;
  span: Span;
  annotation?: PyValue;
  default?: PyValue;
  star?: '*' | '**';
}

export interface PyImport {
  module: string;
  name?: string;
  local: string;
  span: Span;
}

export type PyAppKind = 'FastAPI' | 'APIRouter' | 'Flask' | 'Blueprint';
export interface PyApp {
  kind: PyAppKind;
  target: string;
  call: PyCall;
  span: Span;
}

export interface PyFunction {
  name: string;
  nameSpan: Span;
  async: boolean;
  class?: string;
  decorators: PyValue[];
  params: PyParam[];
  /** What the body does, when it mentions authentication at all (see AUTH_HINT). */
  body?: PyBehaviour;
  span: Span;
}

/** What a function body does that tells a guard: nested functions and classes excluded. */
export interface PyBehaviour {
  /** Called names, dotted, in first-seen order (at most 50). */
  calls: string[];
  /** Raised exception names (`raise HTTPException(...)` → HTTPException). */
  raises: string[];
  /** 401/403 seen as integer literals or `HTTP_401_…`/`HTTP_403_…` names. */
  statuses: number[];
  /** A bare `return` or `return None`. */
  returnsNone: boolean;
  /** Reads the request's user state (`request.user.is_authenticated`, `is_staff`, `current_user.is_anonymous`); present only when true. */
  checksUser?: boolean;
}

export interface PyRoute {
  framework: 'fastapi' | 'flask' | 'unknown';
  owner: string;
  via: 'decorator' | 'call';
  method: string;
  methods: string[];
  path?: string;
  pathSpan?: Span;
  call: PyCall;
  span: Span;
  /** Decorator routes: the decorated function. */
  handler?: Omit<PyFunction, 'span'>;
  /** Call routes: the view argument as written (a function name, `View.as_view(...)`, a Resource class). */
  view?: PyValue;
}

export interface PyMount {
  kind: 'include_router' | 'register_blueprint' | 'mount';
  owner: string;
  target: PyValue;
  prefix?: string;
  call: PyCall;
  span: Span;
}

export interface PyHook {
  kind: 'before_request' | 'before_app_request' | 'middleware' | 'add_middleware';
  owner: string;
  handler?: string;
  call?: PyCall;
  span: Span;
}

export interface PyScheme {
  target: string;
  callee: string;
  autoError: boolean;
  call: PyCall;
  span: Span;
}

export interface PyAlias {
  name: string;
  value: PyValue;
  span: Span;
}

export interface PyUrlPattern {
  kind: 'path' | 're_path' | 'url';
  route?: string;
  view: PyValue;
  include?: PyValue;
  name?: string;
  span: Span;
}

export interface PyClass {
  name: string;
  nameSpan: Span;
  bases: string[];
  decorators: PyValue[];
  attrs: Record<string, PyValue>;
  methods: { name: string; decorators: PyValue[] }[];
  /** Where the class body's first statement (after a docstring) starts: where an attribute line can be inserted. */
  bodySpan?: Span;
  span: Span;
}

export interface PySettings {
  restFramework?: PyValue;
  defaultPermissionClasses?: string[];
  defaultAuthenticationClasses?: string[];
  middleware?: string[];
  /** `ROOT_URLCONF = "shop.urls"`. */
  rootUrlconf?: string;
  span: Span;
}

/** A module-level function whose first parameter is `request` (a Django view), decorated or not. */
export interface PyViewDef {
  name: string;
  /** The `def` (or `async def`) statement, decorators excluded: where a decorator line can be inserted. */
  span: Span;
}

export interface PyRouterRegistration {
  owner: string;
  prefix?: string;
  view: PyValue;
  span: Span;
}

export interface PyRouteFacts {
  imports: PyImport[];
  apps: PyApp[];
  routes: PyRoute[];
  mounts: PyMount[];
  hooks: PyHook[];
  functions: PyFunction[];
  schemes: PyScheme[];
  aliases: PyAlias[];
  urlpatterns: PyUrlPattern[];
  classes: PyClass[];
  settings?: PySettings;
  routers: PyRouterRegistration[];
  views: PyViewDef[];
}

// ---------------------------------------------------------------------------------------
// Preparation

let parser: Parser | undefined;
let python: Language | undefined;
let preparing: Promise<void> | undefined;
let prepareError: string | undefined;

/** The first of `here/<file>` (the esbuild bundles in dist/) and the package's own copy. */
function wasmPath(file: string, pkgPath: string): string {
  const local = path.join(__dirname, file);
  if (fs.existsSync(local)) return local;
  return require.resolve(pkgPath);
}

/** Loads tree-sitter and the Python grammar once; later calls wait for the same work. Never rejects. */
export function preparePython(): Promise<void> {
  if (!preparing) {
    preparing = (async () => {
      try {
        const runtime = wasmPath('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
        // Bytes rather than paths: the bundles are CommonJS, where the library's own file lookup fails.
        await Parser.init({ wasmBinary: fs.readFileSync(runtime), locateFile: () => runtime } as unknown as Parameters<typeof Parser.init>[0]);
        const language = await Language.load(fs.readFileSync(wasmPath('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm')));
        const p = new Parser();
        p.setLanguage(language);
        python = language;
        parser = p;
      } catch (e) {
        parser = undefined;
        prepareError = e instanceof Error ? e.message : String(e);
      }
    })();
  }
  return preparing;
}

/** Why `preparePython()` failed (the wasm files were not found or did not load); undefined otherwise. */
export function pythonPrepareError(): string | undefined {
  return prepareError;
}

/** True once `preparePython()` has succeeded. */
export function pythonReady(): boolean {
  return parser !== undefined;
}

/** The Python grammar, for queries (undefined until `preparePython()` succeeded). */
export function pythonLanguage(): Language | undefined {
  return python;
}

/** Cheap textual pre-filter: may this Python file hold routes, guards or their wiring? */
export const MAY_HOLD_ROUTES =
  /fastapi|flask|django|rest_framework|starlette|Middleware|APIRouter|Blueprint|urlpatterns|route|Depends|Security\(|permission_classes|REST_FRAMEWORK|login_required|before_request|include_router|register_blueprint|OAuth2|HTTPBearer|Annotated|jwt_required/;

// ---------------------------------------------------------------------------------------
// Extraction

const MAX_DEPTH = 8;
const MAX_TEXT = 200;
const HTTP_METHODS = new Set(['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'trace']);
const APP_KINDS: ReadonlySet<string> = new Set(['FastAPI', 'APIRouter', 'Flask', 'Blueprint']);
const SCHEMES = new Set([
  'OAuth2PasswordBearer',
  'OAuth2AuthorizationCodeBearer',
  'OAuth2',
  'OpenIdConnect',
  'HTTPBearer',
  'HTTPBasic',
  'HTTPDigest',
  'APIKeyHeader',
  'APIKeyQuery',
  'APIKeyCookie',
  'HTTPBasicAuth',
  'HTTPTokenAuth',
  'HTTPDigestAuth',
  'MultiAuth',
  'LoginManager',
  'JWTManager',
]);
const CLASS_ATTRS = new Set(['permission_classes', 'authentication_classes', 'login_url', 'permission_required', 'raise_exception', 'decorators', 'method_decorators']);
const VIEW_BASE = /(View|ViewSet|Mixin|Resource|Handler|Permission)$/;
/** Bases of classes that are never views (models, enums, exceptions, forms, serializers, tests, typing helpers). */
const NOT_VIEW_BASE = /(^|\.)(object|\w*Model|\w*Enum|\w*Exception|\w*Error|TypedDict|NamedTuple|Protocol|Generic|ABC|\w*Schema|\w*Serializer|\w*Form|\w*TestCase|\w*Admin|AppConfig|Migration|\w*Command|\w*Config|Settings|BaseSettings|Field|Struct)$|\[/;
/** Function bodies matching this are described (PyBehaviour); others are not walked for it. */
const AUTH_HINT = /\b(401|403)\b|HTTP_40[13]|Unauthori[sz]ed|Forbidden|PermissionDenied|AuthenticationFailed|NotAuthenticated|HTTPException|abort\s*\(|jwt|verify|token|auth|credential|api_key|apikey|current_user|login/i;
const MAX_CALLS = 50;
/**
 * Every fact a function body's statements can give names one of these words (or a decorator):
 * imports, nested definitions, app/router/scheme assignments, dependency aliases, Django
 * settings and urlpatterns, and the wiring calls `callStatement` reads. A body without any is
 * not walked statement by statement (most handler bodies: walking them was most of the cost).
 */
const BODY_MAY_HOLD_FACTS = new RegExp(
  `@|\\b(?:import|def|async|class|Annotated|urlpatterns|REST_FRAMEWORK|ROOT_URLCONF|MIDDLEWARE|include_router|register_blueprint|mount|before_request|before_app_request|add_middleware|add_url_rule|add_api_route|add_resource|register|${[...APP_KINDS, ...SCHEMES].join('|')})\\b`,
);

const USER_CHECK = /\.(?:is_authenticated|is_anonymous|is_staff|is_superuser|is_active)/;
const USER_CHECK_ATTR = /\.(is_authenticated|is_anonymous|is_staff|is_superuser|is_active)$/;

/** What a function body does: the callee of every call, raise and return statements, and the nested scopes to leave out. */
const BEHAVIOUR_QUERY = `
(call function: (_) @call)
(raise_statement) @raise
(return_statement) @return
[(function_definition) (class_definition) (lambda)] @skip
`;
/** Integer literals (401/403), names (HTTP_401_…) and attributes (`.is_authenticated`), by letter. */
const DETAIL_PATTERNS: Record<string, string> = { i: '(integer) @int', n: '(identifier) @name', a: '(attribute) @attr' };
let behaviourQueryCache: Query | undefined;
const detailQueries = new Map<string, Query>();

function behaviourQuery(): Query {
  return (behaviourQueryCache ??= new Query(python!, BEHAVIOUR_QUERY));
}

function detailQuery(wanted: string): Query {
  let q = detailQueries.get(wanted);
  if (!q) {
    q = new Query(python!, [...wanted].map((c) => DETAIL_PATTERNS[c]).join('\n'));
    detailQueries.set(wanted, q);
  }
  return q;
}

/** Work counter, for tests that bound the work on large files. */
export interface PyWork {
  nodes: number;
}

// Every read of a node's type or end is a round trip into wasm (the node is copied in, the answer
// copied out): the walkers read the same few nodes many times, so each tree keeps what was read,
// by node id (unique within a tree), and text is sliced from the source instead of asked for.
interface TreeMemo {
  tree: Tree;
  source?: string;
  types: Map<number, string>;
  ends: Map<number, number>;
}
let memo: TreeMemo | undefined;

function memoOf(n: Node): TreeMemo {
  if (memo?.tree !== n.tree) memo = { tree: n.tree, types: new Map(), ends: new Map() };
  return memo;
}

/** `n.type`, read once per node. */
export function typeOf(n: Node): string;
export function typeOf(n: Node | null | undefined): string | undefined;
export function typeOf(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  const types = memoOf(n).types;
  let t = types.get(n.id);
  if (t === undefined) {
    t = n.type;
    types.set(n.id, t);
  }
  return t;
}

/** `n.endIndex`, read once per node. */
export function endOf(n: Node): number {
  const ends = memoOf(n).ends;
  let e = ends.get(n.id);
  if (e === undefined) {
    e = n.endIndex;
    ends.set(n.id, e);
  }
  return e;
}

/** `n.text`, sliced from the parsed source when it is known. */
export function textOf(n: Node): string;
export function textOf(n: Node | null | undefined): string | undefined;
export function textOf(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  const source = memoOf(n).source;
  return source === undefined ? n.text : source.slice(n.startIndex, endOf(n));
}

export function spanOf(n: Node): Span {
  return { start: n.startIndex, end: endOf(n) };
}

export function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null && typeOf(c) !== 'comment');
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** `a.b.c` for identifiers and attribute chains; undefined otherwise. */
export function dotted(n: Node | null): string | undefined {
  if (!n) return undefined;
  if (typeOf(n) === 'identifier') return textOf(n);
  if (typeOf(n) === 'attribute') {
    const obj = dotted(n.childForFieldName('object'));
    const attr = n.childForFieldName('attribute');
    return obj && attr ? `${obj}.${textOf(attr)}` : undefined;
  }
  return undefined;
}

export function stringValue(n: Node): string | undefined {
  if (typeOf(n) === 'concatenated_string') {
    let out = '';
    for (const c of named(n)) {
      const v = stringValue(c);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (typeOf(n) !== 'string') return undefined;
  let out = '';
  for (const c of named(n)) {
    if (typeOf(c) === 'interpolation') return undefined;
    if (typeOf(c) === 'string_content' || typeOf(c) === 'escape_sequence') out += typeOf(c) === 'escape_sequence' ? unescape(textOf(c)) : textOf(c);
  }
  return out;
}

function unescape(seq: string): string {
  const map: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\\\': '\\', "\\'": "'", '\\"': '"' };
  return map[seq] ?? seq;
}

class Extractor {
  readonly facts: PyRouteFacts = { imports: [], apps: [], routes: [], mounts: [], hooks: [], functions: [], schemes: [], aliases: [], urlpatterns: [], classes: [], routers: [], views: [] };
  private readonly appKinds = new Map<string, PyAppKind>();
  private settings: PySettings | undefined;
  private inFunction = 0;

  constructor(private readonly work: PyWork) {}

  value(n: Node, depth = 0): PyValue {
    this.work.nodes++;
    const span = spanOf(n);
    if (depth > MAX_DEPTH) return { k: 'expr', text: clip(textOf(n)), span };
    switch (typeOf(n)) {
      case 'string':
      case 'concatenated_string': {
        const v = stringValue(n);
        return v === undefined ? { k: 'expr', text: clip(textOf(n)), span } : { k: 'str', v, span };
      }
      case 'identifier':
      case 'attribute': {
        const d = dotted(n);
        return d ? { k: 'name', v: d, span } : { k: 'expr', text: clip(textOf(n)), span };
      }
      case 'true':
      case 'false':
      case 'none':
      case 'integer':
      case 'float':
        return { k: 'const', v: textOf(n), span };
      case 'call':
        return this.call(n, depth);
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return { k: 'list', items: named(n).map((c) => this.value(c, depth + 1)), span };
      case 'parenthesized_expression': {
        const inner = named(n)[0];
        return inner ? this.value(inner, depth) : { k: 'expr', text: clip(textOf(n)), span };
      }
      case 'dictionary': {
        const entries: [PyValue, PyValue][] = [];
        for (const pair of named(n)) {
          const key = pair.childForFieldName('key');
          const val = pair.childForFieldName('value');
          if (typeOf(pair) === 'pair' && key && val) entries.push([this.value(key, depth + 1), this.value(val, depth + 1)]);
        }
        return { k: 'dict', entries, span };
      }
      case 'subscript': {
        const v = n.childForFieldName('value');
        const index = n.childrenForFieldName('subscript').filter((c): c is Node => c !== null);
        return v ? { k: 'sub', value: this.value(v, depth + 1), index: index.map((c) => this.value(c, depth + 1)), span } : { k: 'expr', text: clip(textOf(n)), span };
      }
      case 'generic_type': {
        // In annotations tree-sitter reads `Annotated[User, Depends(x)]` as a generic type.
        const [head, params] = named(n);
        if (head && typeOf(params) === 'type_parameter') {
          return { k: 'sub', value: this.value(head, depth + 1), index: named(params).map((c) => this.value(c, depth + 1)), span };
        }
        return { k: 'expr', text: clip(textOf(n)), span };
      }
      case 'type': {
        const inner = named(n)[0];
        return inner && named(n).length === 1 ? this.value(inner, depth) : { k: 'expr', text: clip(textOf(n)), span };
      }
      default:
        return { k: 'expr', text: clip(textOf(n)), span };
    }
  }

  call(n: Node, depth = 0): PyCall {
    const fnNode = n.childForFieldName('function');
    const argsNode = n.childForFieldName('arguments');
    const args: PyValue[] = [];
    const kwargs: Record<string, PyValue> = {};
    if (argsNode && typeOf(argsNode) === 'argument_list') {
      for (const a of named(argsNode)) {
        if (typeOf(a) === 'keyword_argument') {
          const name = a.childForFieldName('name');
          const val = a.childForFieldName('value');
          if (name && val) kwargs[textOf(name)] = this.value(val, depth + 1);
        } else args.push(this.value(a, depth + 1));
      }
    } else if (argsNode) args.push(this.value(argsNode, depth + 1));
    return { k: 'call', fn: (fnNode && dotted(fnNode)) ?? clip(textOf(fnNode) ?? ''), args, kwargs, span: spanOf(n) };
  }

  params(fn: Node): PyParam[] {
    const out: PyParam[] = [];
    const ps = fn.childForFieldName('parameters');
    if (!ps) return out;
    for (const p of named(ps)) {
      this.work.nodes++;
      const span = spanOf(p);
      switch (typeOf(p)) {
        case 'identifier':
          out.push({ name: textOf(p), span });
          break;
        case 'typed_parameter': {
          const inner = named(p)[0];
          const type = p.childForFieldName('type');
          const star = typeOf(inner) === 'list_splat_pattern' ? '*' : typeOf(inner) === 'dictionary_splat_pattern' ? '**' : undefined;
          const name = star ? textOf(named(inner!)[0]) : textOf(inner);
          if (name) out.push({ name, span, ...(type ? { annotation: this.value(type) } : {}), ...(star ? { star } : {}) });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = p.childForFieldName('name');
          const type = p.childForFieldName('type');
          const val = p.childForFieldName('value');
          if (name) out.push({ name: textOf(name), span, ...(type ? { annotation: this.value(type) } : {}), ...(val ? { default: this.value(val) } : {}) });
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern': {
          const name = textOf(named(p)[0]);
          if (name) out.push({ name, span, star: typeOf(p) === 'list_splat_pattern' ? '*' : '**' });
          break;
        }
        default:
          break;
      }
    }
    return out;
  }

  // --- statements -----------------------------------------------------------------------

  block(n: Node, cls?: string): void {
    for (const s of named(n)) this.statement(s, cls);
  }

  statement(s: Node, cls?: string): void {
    this.work.nodes++;
    switch (typeOf(s)) {
      case 'import_statement':
        return this.importStatement(s);
      case 'import_from_statement':
        return this.importFrom(s);
      case 'expression_statement':
        for (const e of named(s)) this.expression(e);
        return;
      case 'decorated_definition':
        return this.decorated(s, cls);
      case 'function_definition':
        return this.functionDef(s, [], cls);
      case 'class_definition':
        return this.classDef(s, []);
      case 'type_alias_statement': {
        const [left, right] = named(s);
        if (left && right && this.isDependsAlias(right)) this.facts.aliases.push({ name: textOf(left), value: this.value(right), span: spanOf(s) });
        return;
      }
      case 'if_statement':
      case 'for_statement':
      case 'while_statement':
      case 'try_statement':
      case 'with_statement':
      case 'elif_clause':
      case 'else_clause':
      case 'except_clause':
      case 'finally_clause':
        for (const c of named(s)) {
          if (typeOf(c) === 'block') this.block(c, cls);
          else if (typeOf(c).endsWith('_clause')) this.statement(c, cls);
        }
        return;
      case 'block':
      case 'ERROR':
      case 'module':
        return this.block(s, cls);
      default:
        return;
    }
  }

  importStatement(s: Node): void {
    for (const c of named(s)) {
      if (typeOf(c) === 'dotted_name') this.facts.imports.push({ module: textOf(c), local: textOf(c), span: spanOf(s) });
      else if (typeOf(c) === 'aliased_import') {
        const name = c.childForFieldName('name');
        const alias = c.childForFieldName('alias');
        if (name && alias) this.facts.imports.push({ module: textOf(name), local: textOf(alias), span: spanOf(s) });
      }
    }
  }

  importFrom(s: Node): void {
    const mod = s.childForFieldName('module_name');
    if (!mod) return;
    const module = textOf(mod).replace(/\s+/g, '');
    for (const c of named(s)) {
      if (c.id === mod.id) continue;
      if (typeOf(c) === 'wildcard_import') this.facts.imports.push({ module, name: '*', local: '*', span: spanOf(s) });
      else if (typeOf(c) === 'dotted_name') this.facts.imports.push({ module, name: textOf(c), local: textOf(c), span: spanOf(s) });
      else if (typeOf(c) === 'aliased_import') {
        const name = c.childForFieldName('name');
        const alias = c.childForFieldName('alias');
        if (name && alias) this.facts.imports.push({ module, name: textOf(name), local: textOf(alias), span: spanOf(s) });
      }
    }
  }

  expression(e: Node): void {
    if (typeOf(e) === 'assignment') return this.assignment(e);
    if (typeOf(e) === 'augmented_assignment') {
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      if (textOf(left) === 'urlpatterns' && right) this.urlpatterns(right);
      return;
    }
    if (typeOf(e) === 'call') this.callStatement(e);
  }

  assignment(e: Node): void {
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    const type = e.childForFieldName('type');
    if (!left || !right) return;
    const target = dotted(left);
    if (!target) return;
    if (typeOf(right) === 'call') {
      const fn = dotted(right.childForFieldName('function')) ?? '';
      const last = fn.slice(fn.lastIndexOf('.') + 1);
      if (APP_KINDS.has(last)) {
        const kind = last as PyAppKind;
        this.appKinds.set(target, kind);
        this.facts.apps.push({ kind, target, call: this.call(right), span: spanOf(e) });
        return;
      }
      if (SCHEMES.has(last)) {
        const call = this.call(right);
        const ae = call.kwargs.auto_error;
        this.facts.schemes.push({ target, callee: fn, autoError: !(ae?.k === 'const' && ae.v === 'False'), call, span: spanOf(e) });
        return;
      }
    }
    if ((typeOf(right) === 'subscript' || textOf(type) === 'TypeAlias') && this.isDependsAlias(right)) {
      this.facts.aliases.push({ name: target, value: this.value(right), span: spanOf(e) });
      return;
    }
    if (target === 'urlpatterns') return this.urlpatterns(right);
    if (target === 'REST_FRAMEWORK' && typeOf(right) === 'dictionary') {
      const v = this.value(right);
      const s = this.settingsOf(e);
      s.restFramework = v;
      if (v.k === 'dict') {
        for (const [key, val] of v.entries) {
          if (key.k !== 'str') continue;
          if (key.v === 'DEFAULT_PERMISSION_CLASSES') s.defaultPermissionClasses = strings(val);
          if (key.v === 'DEFAULT_AUTHENTICATION_CLASSES') s.defaultAuthenticationClasses = strings(val);
        }
      }
      return;
    }
    if (target === 'ROOT_URLCONF') {
      const v = stringValue(right);
      if (v !== undefined) this.settingsOf(e).rootUrlconf = v;
      return;
    }
    if (target === 'MIDDLEWARE' && (typeOf(right) === 'list' || typeOf(right) === 'tuple')) {
      this.settingsOf(e).middleware = strings(this.value(right));
    }
  }

  settingsOf(e: Node): PySettings {
    if (!this.settings) {
      this.settings = { span: spanOf(e) };
      this.facts.settings = this.settings;
    }
    return this.settings;
  }

  /** `Annotated[X, Depends(...)]` / `Security(...)` anywhere within the subscript. */
  isDependsAlias(n: Node): boolean {
    const t = textOf(n);
    return /^\s*(typing\.|typing_extensions\.)?Annotated\s*\[/.test(t) && /\b(Depends|Security)\s*\(/.test(t);
  }

  urlpatterns(right: Node): void {
    const list = typeOf(right) === 'binary_operator' ? named(right) : [right];
    for (const l of list) {
      if (typeOf(l) === 'binary_operator') {
        this.urlpatterns(l);
        continue;
      }
      const d = dotted(l);
      if (d?.endsWith('.urls')) {
        // `urlpatterns += router.urls`: the router's routes at the root of this module.
        const v = this.value(l);
        this.facts.urlpatterns.push({ kind: 'path', route: '', view: v, include: v, span: spanOf(l) });
        continue;
      }
      if (typeOf(l) !== 'list' && typeOf(l) !== 'tuple') continue;
      for (const item of named(l)) {
        this.work.nodes++;
        if (typeOf(item) !== 'call') continue;
        const fn = dotted(item.childForFieldName('function')) ?? '';
        const last = fn.slice(fn.lastIndexOf('.') + 1);
        if (last !== 'path' && last !== 're_path' && last !== 'url') continue;
        const call = this.call(item);
        const [route, view] = call.args;
        const name = call.kwargs.name;
        const viewValue = view ?? call.kwargs.view;
        if (!viewValue) continue;
        const include = viewValue.k === 'call' && viewValue.fn.replace(/^.*\./, '') === 'include' ? viewValue.args[0] : undefined;
        this.facts.urlpatterns.push({
          kind: last,
          ...(route?.k === 'str' ? { route: route.v } : {}),
          view: viewValue,
          ...(include ? { include } : {}),
          ...(name?.k === 'str' ? { name: name.v } : {}),
          span: call.span,
        });
      }
    }
  }

  callStatement(e: Node): void {
    const fnNode = e.childForFieldName('function');
    if (!fnNode || typeOf(fnNode) !== 'attribute') return;
    const owner = dotted(fnNode.childForFieldName('object'));
    const method = textOf(fnNode.childForFieldName('attribute'));
    if (!owner || !method) return;
    switch (method) {
      case 'include_router':
      case 'register_blueprint':
      case 'mount': {
        const call = this.call(e);
        const target = method === 'mount' ? (call.args[1] ?? call.kwargs.app) : (call.args[0] ?? call.kwargs.router ?? call.kwargs.blueprint);
        if (!target) return;
        const prefixArg = method === 'include_router' ? call.kwargs.prefix : method === 'register_blueprint' ? call.kwargs.url_prefix : (call.args[0] ?? call.kwargs.path);
        this.facts.mounts.push({ kind: method, owner, target, ...(prefixArg?.k === 'str' ? { prefix: prefixArg.v } : {}), call, span: spanOf(e) });
        return;
      }
      case 'before_request':
      case 'before_app_request':
      case 'add_middleware': {
        const call = this.call(e);
        const h = call.args[0];
        this.facts.hooks.push({ kind: method, owner, ...(h?.k === 'name' ? { handler: h.v } : {}), call, span: spanOf(e) });
        return;
      }
      case 'add_url_rule':
      case 'add_api_route': {
        const call = this.call(e);
        const p = call.args[0] ?? call.kwargs.rule ?? call.kwargs.path;
        const view = method === 'add_url_rule' ? (call.kwargs.view_func ?? call.args[2]) : (call.args[1] ?? call.kwargs.endpoint);
        this.facts.routes.push({
          framework: method === 'add_api_route' ? 'fastapi' : 'flask',
          owner,
          via: 'call',
          method,
          methods: methodsOf(call, ['GET']),
          ...(p?.k === 'str' ? { path: p.v, pathSpan: p.span } : {}),
          call,
          span: spanOf(e),
          ...(view ? { view } : {}),
        });
        return;
      }
      case 'add_resource': {
        // Flask-RESTful / Flask-RESTX: `api.add_resource(Resource, '/a', '/b')`; the methods are the class's.
        const call = this.call(e);
        const [view, ...paths] = call.args;
        if (!view) return;
        for (const p of paths) {
          if (p.k !== 'str') continue;
          this.facts.routes.push({ framework: 'flask', owner, via: 'call', method, methods: [], path: p.v, pathSpan: p.span, call, span: spanOf(e), view });
        }
        return;
      }
      case 'register': {
        const call = this.call(e);
        const [prefix, view] = call.args;
        if (view) this.facts.routers.push({ owner, ...(prefix?.k === 'str' ? { prefix: prefix.v } : {}), view, span: spanOf(e) });
        return;
      }
      default:
        return;
    }
  }

  decorated(s: Node, cls?: string): void {
    const decorators: Node[] = [];
    let def: Node | undefined;
    for (const c of named(s)) {
      if (typeOf(c) === 'decorator') decorators.push(c);
      else def = c;
    }
    if (def && typeOf(def) === 'function_definition') this.functionDef(def, decorators, cls);
    else if (def && typeOf(def) === 'class_definition') this.classDef(def, decorators);
  }

  functionDef(def: Node, decoratorNodes: Node[], cls?: string): void {
    const nameNode = def.childForFieldName('name');
    if (!nameNode) return;
    const decorators = decoratorNodes.map((d) => {
      const expr = named(d)[0];
      return expr ? this.value(expr) : ({ k: 'expr', text: '', span: spanOf(d) } as PyValue);
    });
    const params = this.params(def);
    const isAsync = typeOf(def.firstChild) === 'async';
    const fn: Omit<PyFunction, 'span'> = { name: textOf(nameNode), nameSpan: spanOf(nameNode), async: isAsync, ...(cls ? { class: cls } : {}), decorators, params };
    let isRoute = false;
    decoratorNodes.forEach((d, i) => {
      const v = decorators[i]!;
      const route = this.routeDecorator(v, spanOf(d), fn);
      if (route) {
        this.facts.routes.push(route);
        isRoute = true;
        return;
      }
      const hookOwner = hookOf(v);
      if (hookOwner) this.facts.hooks.push({ kind: hookOwner.kind, owner: hookOwner.owner, handler: fn.name, ...(v.k === 'call' ? { call: v } : {}), span: spanOf(d) });
    });
    const body = def.childForFieldName('body');
    const bodyText = body ? textOf(body) : '';
    if (body && AUTH_HINT.test(bodyText)) fn.body = this.behaviour(body, bodyText);
    if (!isRoute && ((!cls && decorators.length > 0) || params.some(usesDepends) || fn.body)) this.facts.functions.push({ ...fn, span: spanOf(def) });
    if (!cls && !this.inFunction && params[0]?.name === 'request') this.facts.views.push({ name: fn.name, span: spanOf(def) });
    if (!body || !BODY_MAY_HOLD_FACTS.test(bodyText)) return;
    this.inFunction++;
    try {
      this.block(body);
    } finally {
      this.inFunction--;
    }
  }

  behaviour(body: Node, bodyText: string): PyBehaviour {
    const calls = new Set<string>();
    const raises: string[] = [];
    const statuses = new Set<number>();
    let returnsNone = false;
    let checksUser = false;
    // Queries run inside tree-sitter: only the few nodes that matter reach JavaScript. Nested
    // functions, classes and lambdas are not this body's behaviour: whatever lies inside one is dropped.
    const skipped: Span[] = [];
    let skipEnd = -1;
    for (const { name, node } of behaviourQuery().captures(body)) {
      this.work.nodes++;
      const start = node.startIndex;
      if (start < skipEnd) continue;
      switch (name) {
        case 'skip':
          skipEnd = endOf(node);
          skipped.push({ start, end: skipEnd });
          break;
        case 'call': {
          const fn = dotted(node);
          if (fn && calls.size < MAX_CALLS) calls.add(fn);
          break;
        }
        case 'raise': {
          const e = named(node)[0];
          const name = typeOf(e) === 'call' ? dotted(e.childForFieldName('function')) : dotted(e ?? null);
          if (name && !raises.includes(name)) raises.push(name);
          break;
        }
        case 'return': {
          const v = named(node)[0];
          if (!v || typeOf(v) === 'none') returnsNone = true;
          break;
        }
        default:
          break;
      }
    }
    // Integers, names and attributes are everywhere: looked at only when the text holds what is looked for.
    const wanted = (/40[13]/.test(bodyText) ? 'i' : '') + (/HTTP_40[13]_/.test(bodyText) ? 'n' : '') + (USER_CHECK.test(bodyText) ? 'a' : '');
    if (wanted) {
      let k = 0;
      for (const { name, node } of detailQuery(wanted).captures(body)) {
        this.work.nodes++;
        const start = node.startIndex;
        while (k < skipped.length && skipped[k]!.end <= start) k++;
        if (k < skipped.length && start >= skipped[k]!.start) continue;
        const text = textOf(node);
        if (name === 'int') {
          if (text === '401' || text === '403') statuses.add(Number(text));
        } else if (name === 'attr') {
          if (USER_CHECK_ATTR.test(text)) checksUser = true;
        } else {
          const m = /^HTTP_(401|403)_/.exec(text);
          if (m) statuses.add(Number(m[1]));
        }
      }
    }
    return { calls: [...calls], raises, statuses: [...statuses].sort(), returnsNone, ...(checksUser ? { checksUser } : {}) };
  }

  routeDecorator(v: PyValue, span: Span, handler: Omit<PyFunction, 'span'>): PyRoute | undefined {
    if (v.k !== 'call') return undefined;
    const dot = v.fn.lastIndexOf('.');
    if (dot < 0) return undefined;
    const owner = v.fn.slice(0, dot);
    const method = v.fn.slice(dot + 1);
    let methods: string[];
    if (HTTP_METHODS.has(method)) methods = [method.toUpperCase()];
    else if (method === 'route') methods = methodsOf(v, ['GET']);
    else if (method === 'api_route') methods = methodsOf(v, ['GET']);
    else if (method === 'websocket' || method === 'websocket_route') methods = ['WEBSOCKET'];
    else return undefined;
    const p = v.args[0] ?? v.kwargs.path ?? v.kwargs.rule;
    if (!p) return undefined;
    return { framework: this.frameworkOf(owner), owner, via: 'decorator', method, methods, ...(p.k === 'str' ? { path: p.v, pathSpan: p.span } : {}), call: v, span, handler };
  }

  frameworkOf(owner: string): PyRoute['framework'] {
    const kind = this.appKinds.get(owner);
    if (kind === 'FastAPI' || kind === 'APIRouter') return 'fastapi';
    if (kind === 'Flask' || kind === 'Blueprint') return 'flask';
    const mods = this.facts.imports.map((i) => i.module.split('.')[0]);
    if (mods.includes('fastapi')) return 'fastapi';
    if (mods.includes('flask')) return 'flask';
    return 'unknown';
  }

  classDef(def: Node, decoratorNodes: Node[]): void {
    const nameNode = def.childForFieldName('name');
    const body = def.childForFieldName('body');
    if (!nameNode) return;
    const supers = def.childForFieldName('superclasses');
    const bases = supers ? named(supers).map((b) => dotted(b)).filter((b): b is string => b !== undefined) : [];
    const decorators = decoratorNodes.map((d) => this.value(named(d)[0] ?? d));
    const attrs: Record<string, PyValue> = {};
    const methods: { name: string; decorators: PyValue[] }[] = [];
    if (body) {
      for (const s of named(body)) {
        this.work.nodes++;
        if (typeOf(s) === 'expression_statement') {
          const a = named(s)[0];
          if (typeOf(a) === 'assignment') {
            const left = a.childForFieldName('left');
            const right = a.childForFieldName('right');
            if (left && right && CLASS_ATTRS.has(textOf(left))) attrs[textOf(left)] = this.value(right);
          }
        } else if (typeOf(s) === 'decorated_definition') {
          const fnDef = named(s).find((c) => typeOf(c) === 'function_definition');
          const fnName = textOf(fnDef?.childForFieldName('name'));
          if (fnName) methods.push({ name: fnName, decorators: named(s).filter((c) => typeOf(c) === 'decorator').map((d) => this.value(named(d)[0] ?? d)) });
        }
      }
      this.block(body, textOf(nameNode));
    }
    const bodySpan = body ? firstStatement(body) : undefined;
    // Any other subclass may be a view through a project base class (`class Orders(SecureBase)`); data classes are not.
    const viewLike =
      bases.some((b) => VIEW_BASE.test(b)) || Object.keys(attrs).length > 0 || decorators.length > 0 || bases.some((b) => !NOT_VIEW_BASE.test(b));
    if (viewLike) this.facts.classes.push({ name: textOf(nameNode), nameSpan: spanOf(nameNode), bases, decorators, attrs, methods, ...(bodySpan ? { bodySpan } : {}), span: spanOf(def) });
  }
}

/** The first statement of a class body that is not its docstring (the docstring when it is alone). */
function firstStatement(body: Node): Span | undefined {
  const stmts = named(body);
  const isDoc = (s: Node | undefined): boolean => s !== undefined && typeOf(s) === 'expression_statement' && typeOf(named(s)[0]) === 'string';
  const s = isDoc(stmts[0]) && stmts[1] ? stmts[1] : stmts[0];
  return s ? spanOf(s) : undefined;
}

function methodsOf(call: PyCall, fallback: string[]): string[] {
  const m = call.kwargs.methods;
  if (m?.k !== 'list') return fallback;
  const out = m.items.filter((i): i is Extract<PyValue, { k: 'str' }> => i.k === 'str').map((i) => i.v.toUpperCase());
  return out.length > 0 ? out : fallback;
}

function hookOf(v: PyValue): { kind: PyHook['kind']; owner: string } | undefined {
  const fn = v.k === 'name' ? v.v : v.k === 'call' ? v.fn : undefined;
  if (!fn) return undefined;
  const dot = fn.lastIndexOf('.');
  if (dot < 0) return undefined;
  const attr = fn.slice(dot + 1);
  if (attr === 'before_request' || attr === 'before_app_request' || attr === 'middleware') return { kind: attr, owner: fn.slice(0, dot) };
  return undefined;
}

function mentionsDepends(v: PyValue | undefined): boolean {
  if (!v) return false;
  switch (v.k) {
    case 'call': {
      const last = v.fn.slice(v.fn.lastIndexOf('.') + 1);
      return last === 'Depends' || last === 'Security';
    }
    case 'sub':
      return v.index.some(mentionsDepends);
    default:
      return false;
  }
}

function usesDepends(p: PyParam): boolean {
  return mentionsDepends(p.default) || mentionsDepends(p.annotation);
}

function strings(v: PyValue): string[] {
  if (v.k === 'list') return v.items.flatMap((i) => (i.k === 'str' || i.k === 'name' ? [i.v] : []));
  if (v.k === 'str' || v.k === 'name') return [v.v];
  return [];
}

/**
 * The route facts of one Python file, or undefined when the parser is not prepared (see
 * `preparePython`) or parsing failed. Never throws.
 */
export function pythonRouteFacts(text: string, work: PyWork = { nodes: 0 }): PyRouteFacts | undefined {
  return withPythonTree(text, (root) => pythonRouteFactsOf(root, work));
}

/** The route facts of an already parsed file (the extractor parses once for route and code facts). Never throws. */
export function pythonRouteFactsOf(root: Node, work: PyWork = { nodes: 0 }): PyRouteFacts | undefined {
  try {
    const x = new Extractor(work);
    x.block(root);
    return x.facts;
  } catch {
    return undefined;
  }
}

/** Parses `text` once and hands the root to `use`; undefined when the parser is not prepared or parsing failed. The tree is freed after. */
export function withPythonTree<T>(text: string, use: (root: Node) => T): T | undefined {
  if (!parser) return undefined;
  let tree;
  try {
    tree = parser.parse(text);
  } catch {
    return undefined;
  }
  if (!tree) return undefined;
  try {
    memo = { tree, source: text, types: new Map(), ends: new Map() };
    return use(tree.rootNode);
  } catch {
    return undefined;
  } finally {
    memo = undefined;
    tree.delete();
  }
}
