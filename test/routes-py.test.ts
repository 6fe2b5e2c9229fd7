// Python route facts (server/src/engine/parse/routes-py.ts): what tree-sitter-python lets us
// read per file for FastAPI, Flask and Django/DRF, before any linking across files.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractFacts } from '../server/src/engine/extract';
import { preparePython, pythonRouteFacts, type PyRouteFacts, type PyValue } from '../server/src/engine/parse/routes-py';
import type { Span } from '../server/src/engine/types';
import { tempDir } from './harness';

const ROOT = path.join(__dirname, '..');

/** The facts without spans, for exact comparison of everything else. */
function bare(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(bare);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'span' && !k.endsWith('Span'))
        .map(([k, x]) => [k, bare(x)]),
    );
  }
  return v;
}

function routesOf(file: string, text: string): PyRouteFacts {
  const facts = extractFacts(file, text).routesPy;
  assert.ok(facts, `no route facts for ${file}`);
  return facts;
}

function at(text: string, span: Span | undefined): string {
  assert.ok(span);
  return text.slice(span.start, span.end);
}

const name = (v: string): PyValue => ({ k: 'name', v }) as PyValue;
const str = (v: string): PyValue => ({ k: 'str', v }) as PyValue;
const call = (fn: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): unknown => ({ k: 'call', fn, args, kwargs });
const depends = (dep: string): unknown => call('Depends', [name(dep)]);

before(async () => {
  await preparePython();
});

describe('routes-py: FastAPI', () => {
  const main = `from fastapi import FastAPI, Depends
from contextlib import asynccontextmanager
from .routers import items, users as user_routes
from .core.security import verify_api_key
import app.admin

app = FastAPI(title="shop", dependencies=[Depends(verify_api_key)], lifespan=lifespan, debug=settings.DEBUG)

app.include_router(items.router, prefix="/api/v1/items", dependencies=[Depends(verify_api_key)])
app.include_router(user_routes.router)
app.mount("/static", StaticFiles(directory="static"))

@app.get("/health")
def health():
    return {"ok": True}
`;
  const routers = `from typing import Annotated
from fastapi import APIRouter, Depends, Security
from ..deps import get_current_user, get_current_active_user, CurrentUser
from ..db import get_db

router = APIRouter(prefix="/users", tags=["users"], dependencies=[Depends(get_current_user)])

@router.get("/me")
async def me(user: CurrentUser):
    return user

@router.post(
    "/",
    status_code=201,
)
async def create(payload: UserIn, db = Depends(get_db), user: Annotated[User, Security(get_current_active_user, scopes=["users:write"])] = None):
    ...

@router.api_route("/sync", methods=["GET", "post"])
def sync(): ...
`;
  const deps = `from typing import Annotated, TypeAlias
from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer, HTTPBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/token")
optional_bearer = HTTPBearer(auto_error=False)

async def get_current_user(token: str = Depends(oauth2_scheme)):
    if not token:
        raise HTTPException(status_code=401)
    return decode(token)

async def get_current_active_user(user: Annotated[User, Depends(get_current_user)]):
    return user

def maybe_user(creds = Depends(optional_bearer)):
    return creds and decode(creds.credentials)

CurrentUser = Annotated[User, Depends(get_current_active_user)]
OptionalUser: TypeAlias = Annotated[User | None, Depends(maybe_user)]
type AdminUser = Annotated[User, Security(get_current_active_user, scopes=["admin"])]
`;

  it('reads the app, its mounts and its routes', () => {
    const f = routesOf('app/main.py', main);
    assert.deepEqual(bare(f.imports), [
      { module: 'fastapi', name: 'FastAPI', local: 'FastAPI' },
      { module: 'fastapi', name: 'Depends', local: 'Depends' },
      { module: 'contextlib', name: 'asynccontextmanager', local: 'asynccontextmanager' },
      { module: '.routers', name: 'items', local: 'items' },
      { module: '.routers', name: 'users', local: 'user_routes' },
      { module: '.core.security', name: 'verify_api_key', local: 'verify_api_key' },
      { module: 'app.admin', local: 'app.admin' },
    ]);
    assert.deepEqual(bare(f.apps), [
      {
        kind: 'FastAPI',
        target: 'app',
        call: call('FastAPI', [], { title: str('shop'), dependencies: { k: 'list', items: [depends('verify_api_key')] }, lifespan: name('lifespan'), debug: name('settings.DEBUG') }),
      },
    ]);
    assert.deepEqual(
      f.mounts.map((m) => ({ kind: m.kind, owner: m.owner, target: bare(m.target), prefix: m.prefix, deps: bare(m.call.kwargs.dependencies) })),
      [
        { kind: 'include_router', owner: 'app', target: name('items.router'), prefix: '/api/v1/items', deps: { k: 'list', items: [depends('verify_api_key')] } },
        { kind: 'include_router', owner: 'app', target: name('user_routes.router'), prefix: undefined, deps: undefined },
        { kind: 'mount', owner: 'app', target: call('StaticFiles', [], { directory: str('static') }), prefix: '/static', deps: undefined },
      ],
    );
    assert.equal(at(main, f.mounts[0]!.span), 'app.include_router(items.router, prefix="/api/v1/items", dependencies=[Depends(verify_api_key)])');
    assert.deepEqual(bare(f.routes), [
      {
        framework: 'fastapi',
        owner: 'app',
        via: 'decorator',
        method: 'get',
        methods: ['GET'],
        path: '/health',
        call: call('app.get', [str('/health')]),
        handler: { name: 'health', async: false, decorators: [call('app.get', [str('/health')])], params: [] },
      },
    ]);
    const r = f.routes[0]!;
    assert.equal(at(main, r.span), '@app.get("/health")');
    assert.equal(at(main, r.pathSpan), '"/health"');
    assert.equal(at(main, r.handler?.nameSpan), 'health');
  });

  it('reads a router in another module: prefix, dependencies, parameters with Depends/Security/aliases', () => {
    const f = routesOf('app/routers/users.py', routers);
    assert.deepEqual(bare(f.apps), [
      {
        kind: 'APIRouter',
        target: 'router',
        call: call('APIRouter', [], { prefix: str('/users'), tags: { k: 'list', items: [str('users')] }, dependencies: { k: 'list', items: [depends('get_current_user')] } }),
      },
    ]);
    assert.deepEqual(
      f.routes.map((r) => [r.framework, r.owner, r.method, r.methods, r.path, r.handler?.name, r.handler?.async]),
      [
        ['fastapi', 'router', 'get', ['GET'], '/me', 'me', true],
        ['fastapi', 'router', 'post', ['POST'], '/', 'create', true],
        ['fastapi', 'router', 'api_route', ['GET', 'POST'], '/sync', 'sync', false],
      ],
    );
    assert.deepEqual(bare(f.routes[0]!.handler!.params), [{ name: 'user', annotation: name('CurrentUser') }]);
    assert.deepEqual(bare(f.routes[1]!.handler!.params), [
      { name: 'payload', annotation: name('UserIn') },
      { name: 'db', default: depends('get_db') },
      {
        name: 'user',
        annotation: { k: 'sub', value: name('Annotated'), index: [name('User'), call('Security', [name('get_current_active_user')], { scopes: { k: 'list', items: [str('users:write')] } })] },
        default: { k: 'const', v: 'None' },
      },
    ]);
    // A decorator over several lines: the span is the whole decorator, starting on its line.
    assert.equal(at(routers, f.routes[1]!.span), '@router.post(\n    "/",\n    status_code=201,\n)');
    assert.deepEqual(f.functions, [], 'route handlers are not repeated as functions');
  });

  it('reads dependency functions, security schemes (optional ones) and Annotated aliases', () => {
    const f = routesOf('app/deps.py', deps);
    assert.deepEqual(
      f.schemes.map((s) => [s.target, s.callee, s.autoError]),
      [
        ['oauth2_scheme', 'OAuth2PasswordBearer', true],
        ['optional_bearer', 'HTTPBearer', false],
      ],
    );
    assert.deepEqual(bare(f.functions), [
      {
        name: 'get_current_user',
        async: true,
        decorators: [],
        params: [{ name: 'token', annotation: name('str'), default: depends('oauth2_scheme') }],
        body: { calls: ['HTTPException', 'decode'], raises: ['HTTPException'], statuses: [401], returnsNone: false },
      },
      { name: 'get_current_active_user', async: true, decorators: [], params: [{ name: 'user', annotation: { k: 'sub', value: name('Annotated'), index: [name('User'), depends('get_current_user')] } }] },
      { name: 'maybe_user', async: false, decorators: [], params: [{ name: 'creds', default: depends('optional_bearer') }], body: { calls: ['decode'], raises: [], statuses: [], returnsNone: false } },
    ]);
    assert.deepEqual(
      f.aliases.map((a) => [a.name, bare(a.value)]),
      [
        ['CurrentUser', { k: 'sub', value: name('Annotated'), index: [name('User'), depends('get_current_active_user')] }],
        ['OptionalUser', { k: 'sub', value: name('Annotated'), index: [{ k: 'expr', text: 'User | None' }, depends('maybe_user')] }],
        ['AdminUser', { k: 'sub', value: name('Annotated'), index: [name('User'), call('Security', [name('get_current_active_user')], { scopes: { k: 'list', items: [str('admin')] } })] }],
      ],
    );
    assert.equal(at(deps, f.aliases[0]!.span), 'CurrentUser = Annotated[User, Depends(get_current_active_user)]');
    assert.deepEqual(f.routes, []);
  });

  it('finds routes, mounts and middleware inside an app factory and conditional blocks', () => {
    const text = `from fastapi import FastAPI
def create_app() -> FastAPI:
    app = FastAPI()
    from .api import router
    app.include_router(router, prefix="/api")
    app.add_middleware(AuthMiddleware, secret=KEY)
    if settings.metrics:
        @app.get("/metrics")
        def metrics(): ...
    @app.middleware("http")
    async def check(request, call_next):
        return await call_next(request)
    return app
`;
    const f = routesOf('svc/app.py', text);
    assert.deepEqual(bare(f.imports), [
      { module: 'fastapi', name: 'FastAPI', local: 'FastAPI' },
      { module: '.api', name: 'router', local: 'router' },
    ]);
    assert.deepEqual(
      f.mounts.map((m) => [m.kind, m.owner, m.prefix]),
      [['include_router', 'app', '/api']],
    );
    assert.deepEqual(
      f.hooks.map((h) => [h.kind, h.owner, h.handler]),
      [
        ['add_middleware', 'app', 'AuthMiddleware'],
        ['middleware', 'app', 'check'],
      ],
    );
    assert.deepEqual(
      f.routes.map((r) => [r.owner, r.path]),
      [['app', '/metrics']],
    );
    assert.deepEqual(
      f.functions.map((x) => x.name),
      ['create_app', 'check'],
    );
  });
});

describe('routes-py: Flask', () => {
  const app = `from flask import Flask
from flask_login import LoginManager
from .auth import auth_bp
from .api import api_bp

app = Flask(__name__)
login_manager = LoginManager(app)
app.register_blueprint(auth_bp)
app.register_blueprint(api_bp, url_prefix="/api/v1")

@app.before_request
def load_user():
    g.user = current_user

@app.route("/")
def index():
    return "hi"
`;
  const api = `from flask import Blueprint, jsonify
from flask_login import login_required
from flask_jwt_extended import jwt_required
from flask_httpauth import HTTPTokenAuth

api_bp = Blueprint("api", __name__, url_prefix="/api")
auth = HTTPTokenAuth(scheme="Bearer")

def require_key():
    if request.headers.get("X-Key") != KEY:
        abort(401)

api_bp.before_request(require_key)

@api_bp.route("/orders", methods=["GET", "POST"])
@login_required
def orders():
    return jsonify([])

@api_bp.route("/me")
@jwt_required()
def me(): ...

@api_bp.get("/feed")
@jwt_required(optional=True)
def feed(): ...

@api_bp.route("/tokens/<int:id>", methods=("DELETE",))
@auth.login_required
def revoke(id): ...

api_bp.add_url_rule("/legacy", "legacy", legacy_view, methods=["GET"])
api_bp.add_url_rule("/reports", view_func=ReportView.as_view("reports"), methods=["GET", "POST"])
rest = Api(api_bp)
rest.add_resource(TodoResource, "/todos", "/todos/<int:id>")
`;

  it('reads the app, blueprint registrations with url_prefix and before_request hooks', () => {
    const f = routesOf('shop/__init__.py', app);
    assert.deepEqual(
      f.apps.map((a) => [a.kind, a.target, bare(a.call.args)]),
      [['Flask', 'app', [name('__name__')]]],
    );
    assert.deepEqual(
      f.schemes.map((s) => [s.target, s.callee, s.autoError]),
      [['login_manager', 'LoginManager', true]],
    );
    assert.deepEqual(
      f.mounts.map((m) => [m.kind, m.owner, bare(m.target), m.prefix]),
      [
        ['register_blueprint', 'app', name('auth_bp'), undefined],
        ['register_blueprint', 'app', name('api_bp'), '/api/v1'],
      ],
    );
    assert.deepEqual(
      f.hooks.map((h) => [h.kind, h.owner, h.handler, at(app, h.span)]),
      [['before_request', 'app', 'load_user', '@app.before_request']],
    );
    assert.deepEqual(
      f.routes.map((r) => [r.framework, r.owner, r.methods, r.path, r.handler?.name]),
      [['flask', 'app', ['GET'], '/', 'index']],
    );
  });

  it('reads a blueprint with url_prefix, its routes and every decorator of their functions', () => {
    const f = routesOf('shop/api.py', api);
    assert.deepEqual(bare(f.apps), [{ kind: 'Blueprint', target: 'api_bp', call: call('Blueprint', [str('api'), name('__name__')], { url_prefix: str('/api') }) }]);
    assert.deepEqual(
      f.schemes.map((s) => [s.target, s.callee]),
      [['auth', 'HTTPTokenAuth']],
    );
    assert.deepEqual(
      f.hooks.map((h) => [h.kind, h.owner, h.handler]),
      [['before_request', 'api_bp', 'require_key']],
    );
    assert.deepEqual(
      f.routes.map((r) => [r.framework, r.via, r.owner, r.method, r.methods, r.path, r.handler?.name, bare(r.handler?.decorators.slice(1))]),
      [
        ['flask', 'decorator', 'api_bp', 'route', ['GET', 'POST'], '/orders', 'orders', [name('login_required')]],
        ['flask', 'decorator', 'api_bp', 'route', ['GET'], '/me', 'me', [call('jwt_required')]],
        ['flask', 'decorator', 'api_bp', 'get', ['GET'], '/feed', 'feed', [call('jwt_required', [], { optional: { k: 'const', v: 'True' } })]],
        ['flask', 'decorator', 'api_bp', 'route', ['DELETE'], '/tokens/<int:id>', 'revoke', [name('auth.login_required')]],
        ['flask', 'call', 'api_bp', 'add_url_rule', ['GET'], '/legacy', undefined, undefined],
        ['flask', 'call', 'api_bp', 'add_url_rule', ['GET', 'POST'], '/reports', undefined, undefined],
        ['flask', 'call', 'rest', 'add_resource', [], '/todos', undefined, undefined],
        ['flask', 'call', 'rest', 'add_resource', [], '/todos/<int:id>', undefined, undefined],
      ],
    );
    assert.deepEqual(
      f.routes.slice(4).map((r) => bare(r.view)),
      [name('legacy_view'), call('ReportView.as_view', [str('reports')]), name('TodoResource'), name('TodoResource')],
    );
    assert.equal(at(api, f.routes[0]!.span), '@api_bp.route("/orders", methods=["GET", "POST"])');
    assert.equal(at(api, f.routes[4]!.span), 'api_bp.add_url_rule("/legacy", "legacy", legacy_view, methods=["GET"])');
    // No decorators, no Depends, but a body that rejects with 401: described for guard detection.
    assert.deepEqual(bare(f.functions), [{ name: 'require_key', async: false, decorators: [], params: [], body: { calls: ['request.headers.get', 'abort'], raises: [], statuses: [401], returnsNone: false } }]);
  });
});

describe('routes-py: Django and DRF', () => {
  const urls = `from django.urls import path, include, re_path
from rest_framework.routers import DefaultRouter
from . import views

router = DefaultRouter()
router.register(r"orders", views.OrderViewSet, basename="order")

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include(router.urls)),
    re_path(r"^reports/(?P<year>[0-9]{4})/$", views.ReportView.as_view()),
]
urlpatterns += [path("health/", views.health)]
`;
  const views = `from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.decorators import method_decorator
from rest_framework import viewsets, permissions
from rest_framework.decorators import api_view, permission_classes

@login_required
def home(request):
    return render(request, "home.html")

def health(request):
    return HttpResponse("ok")

class ReportView(LoginRequiredMixin, View):
    login_url = "/login/"
    def get(self, request, year): ...

@method_decorator(login_required, name="dispatch")
class ExportView(View):
    pass

class OrderViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    authentication_classes = (TokenAuthentication,)

@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def ping(request): ...

class Order(models.Model):
    total = models.IntegerField()
`;
  const settings = `INSTALLED_APPS = ["rest_framework"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": ("rest_framework.authentication.TokenAuthentication",),
}
`;

  it('reads urlpatterns with include() and DRF router registrations', () => {
    const f = routesOf('shop/urls.py', urls);
    assert.deepEqual(bare(f.urlpatterns), [
      { kind: 'path', route: '', view: name('views.home'), name: 'home' },
      { kind: 'path', route: 'accounts/', view: call('include', [str('django.contrib.auth.urls')]), include: str('django.contrib.auth.urls') },
      { kind: 'path', route: 'api/', view: call('include', [name('router.urls')]), include: name('router.urls') },
      { kind: 're_path', route: '^reports/(?P<year>[0-9]{4})/$', view: call('views.ReportView.as_view') },
      { kind: 'path', route: 'health/', view: name('views.health') },
    ]);
    assert.equal(at(urls, f.urlpatterns[0]!.span), 'path("", views.home, name="home")');
    assert.deepEqual(bare(f.routers), [{ owner: 'router', prefix: 'orders', view: name('views.OrderViewSet') }]);
  });

  it('reads decorated view functions and view classes with mixins and permission classes', () => {
    const f = routesOf('shop/views.py', views);
    assert.deepEqual(
      f.functions.map((x) => [x.name, bare(x.decorators)]),
      [
        ['home', [name('login_required')]],
        ['ping', [call('api_view', [{ k: 'list', items: [str('GET')] }]), call('permission_classes', [{ k: 'list', items: [name('permissions.AllowAny')] }])]],
      ],
    );
    assert.deepEqual(bare(f.classes), [
      { name: 'ReportView', bases: ['LoginRequiredMixin', 'View'], decorators: [], attrs: { login_url: str('/login/') }, methods: [] },
      { name: 'ExportView', bases: ['View'], decorators: [call('method_decorator', [name('login_required')], { name: str('dispatch') })], attrs: {}, methods: [] },
      {
        name: 'OrderViewSet',
        bases: ['viewsets.ModelViewSet'],
        decorators: [],
        attrs: { permission_classes: { k: 'list', items: [name('permissions.IsAuthenticated')] }, authentication_classes: { k: 'list', items: [name('TokenAuthentication')] } },
        methods: [],
      },
    ]);
    assert.equal(at(views, f.classes[0]!.nameSpan), 'ReportView');
  });

  it('reads REST_FRAMEWORK defaults and MIDDLEWARE from settings', () => {
    const f = routesOf('shop/settings.py', settings);
    assert.deepEqual(f.settings?.defaultPermissionClasses, ['rest_framework.permissions.IsAuthenticated']);
    assert.deepEqual(f.settings?.defaultAuthenticationClasses, ['rest_framework.authentication.TokenAuthentication']);
    assert.deepEqual(f.settings?.middleware, ['django.middleware.security.SecurityMiddleware', 'django.contrib.auth.middleware.LoginRequiredMiddleware']);
    assert.equal(f.settings?.restFramework?.k, 'dict');
  });
});

describe('routes-py: robustness and cost', () => {
  it('extracts a 1,000-route file with work bounded by its size', () => {
    const lines = ['from fastapi import APIRouter, Depends', 'router = APIRouter()'];
    for (let i = 0; i < 1000; i++) lines.push(`@router.get("/r${i}", dependencies=[Depends(auth)])`, `async def r${i}(q: int = 0, db=Depends(get_db)):`, `    return {"i": ${i}}`, '');
    const work = { nodes: 0 };
    const f = pythonRouteFacts(lines.join('\n'), work);
    assert.ok(f);
    assert.equal(f.routes.length, 1000);
    assert.equal(f.routes[999]!.path, '/r999');
    assert.ok(work.nodes > 1000 && work.nodes < 20 * 1000, `visited ${work.nodes} nodes`);
  });

  it('still reads what it can from malformed Python, and extractFacts never throws', () => {
    const text = `from fastapi import APIRouter, Depends
router = APIRouter(prefix="/x")

@router.get("/ok")
def ok(user = Depends(get_user)):
    return 1

def broken(:
    return [

@router.post("/after")
def after(): ...
`;
    const f = routesOf('bad.py', text);
    assert.deepEqual(
      f.apps.map((a) => a.target),
      ['router'],
    );
    assert.deepEqual(
      f.routes.map((r) => [r.path, r.handler?.name]),
      [
        ['/ok', 'ok'],
        ['/after', 'after'],
      ],
    );
    for (const junk of ['@app.get(', 'def (', 'urlpatterns = [path(', 'class X(:\n  permission_classes = [', '\u0000\uffff route', 'x = Annotated[', '@', 'from . import', 'app.include_router()']) {
      assert.doesNotThrow(() => extractFacts('junk.py', junk));
    }
  });

  it('skips files the pre-filter rules out, and files that are not Python', () => {
    assert.equal(extractFacts('util.py', 'def add(a, b):\n    return a + b\n').routesPy, undefined);
    assert.equal(extractFacts('notes.txt', '@app.get("/x")\n').routesPy, undefined);
    assert.ok(extractFacts('m.py', 'from flask import Flask\napp = Flask(__name__)\n').routesPy);
  });
});

describe('routes-py: the built CLI', function () {
  this.timeout(180_000);
  it('loads the wasm files from beside the bundle (npm run build)', () => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    const ws = tempDir();
    fs.writeFileSync(path.join(ws, 'main.py'), 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/items")\ndef items(): ...\n');
    // --no-cache: each run must load the parser itself, not reuse the facts of the run before.
    const run = (cli: string): { errors: { file: string; message: string }[] } =>
      JSON.parse(execFileSync(process.execPath, [cli, 'scan', ws, '--format', 'json', '--no-cache'], { cwd: path.dirname(cli), encoding: 'utf8' })) as { errors: { file: string; message: string }[] };
    assert.deepEqual(run(path.join(ROOT, 'dist/cli.js')).errors, []);
    // A copy of the bundle outside the project cannot fall back on node_modules:
    // without the wasm files beside it the parser is reported missing, with them it loads.
    const alone = tempDir();
    fs.copyFileSync(path.join(ROOT, 'dist/cli.js'), path.join(alone, 'cli.js'));
    const missing = run(path.join(alone, 'cli.js')).errors;
    assert.equal(missing.length, 1);
    assert.equal(missing[0]!.file, 'main.py');
    assert.match(missing[0]!.message, /^Python route facts unavailable: tree-sitter did not load/);
    for (const wasm of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) fs.copyFileSync(path.join(ROOT, 'dist', wasm), path.join(alone, wasm));
    assert.deepEqual(run(path.join(alone, 'cli.js')).errors, []);
  });
});

describe('routes-py: what dependency bodies do', () => {
  it('tells a rejecting dependency from one that returns None without a token', () => {
    const text = `from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPBearer

bearer = HTTPBearer(auto_error=False)

def optional_user(creds = Depends(bearer)):
    if creds is None:
        return None
    return lookup(creds.credentials)

def required_user(creds = Depends(bearer)):
    if creds is None:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Not authenticated")
    def helper():
        raise ValueError()
    return jwt.decode(creds.credentials, KEY)
`;
    const f = routesOf('deps.py', text);
    assert.deepEqual(
      f.functions.map((x) => [x.name, x.body]),
      [
        ['optional_user', { calls: ['lookup'], raises: [], statuses: [], returnsNone: true }],
        ['required_user', { calls: ['HTTPException', 'jwt.decode'], raises: ['HTTPException'], statuses: [403], returnsNone: false }],
      ],
    );
  });
});
