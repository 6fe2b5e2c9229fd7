// The Python route linker (server/src/engine/routes/link-py.ts): FastAPI, Flask and Django/DRF
// routes linked across files, with effective paths, guards, unmounted routers and fixes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../server/src/engine/config';
import { extractFacts } from '../server/src/engine/extract';
import { preparePython } from '../server/src/engine/parse/routes-py';
import { linkPython } from '../server/src/engine/routes/link-py';
import { isProtected, type HttpRoute, type RouteTable } from '../server/src/engine/routes/model';
import { configuredPublic, defaultPublicReason } from '../server/src/engine/routes/public';
import { applyEdits } from '../server/src/engine/text';
import type { SourceFile } from '../server/src/engine/types';

const APPS = path.join(__dirname, 'fixtures', 'apps');

function sourceFile(rel: string, text: string): SourceFile {
  return { root: '/mem', path: rel, absPath: `/mem/${rel}`, hash: rel, size: text.length, facts: extractFacts(rel, text) };
}

function filesOf(texts: Record<string, string>): SourceFile[] {
  return Object.entries(texts).map(([rel, text]) => sourceFile(rel, text));
}

function link(texts: Record<string, string>, authGuards: string[] = []): RouteTable {
  return linkPython(filesOf(texts), { authGuards });
}

function loadApp(dir: string): { files: SourceFile[]; texts: Map<string, string> } {
  const files: SourceFile[] = [];
  const texts = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.py')) {
        const rel = path.relative(dir, abs).split(path.sep).join('/');
        const text = fs.readFileSync(abs, 'utf8');
        texts.set(rel, text);
        files.push({ ...sourceFile(rel, text), root: dir, absPath: abs });
      }
    }
  };
  walk(dir);
  return { files, texts };
}

function lineOf(file: SourceFile, offset: number): number {
  let line = 0;
  while (line + 1 < file.facts.lineStarts.length && file.facts.lineStarts[line + 1]! <= offset) line++;
  return line + 1;
}

function show(routes: { method: string; path: string }[]): string[] {
  return routes.map((r) => `${r.method} ${r.path}`);
}

function find(table: RouteTable, method: string, p: string): HttpRoute {
  const r = table.routes.find((x) => x.method === method && x.path === p);
  assert.ok(r, `no ${method} ${p} in ${JSON.stringify(show(table.routes))}`);
  return r;
}

function prf(expected: Set<string>, actual: Set<string>): { precision: number; recall: number } {
  const hit = [...actual].filter((a) => expected.has(a)).length;
  return { precision: actual.size === 0 ? (expected.size === 0 ? 1 : 0) : hit / actual.size, recall: expected.size === 0 ? 1 : hit / expected.size };
}

interface Expected {
  framework: string;
  routes: { method: string; path: string; file: string; line: number; expect: 'protected' | 'unprotected' | 'optional' | 'public' }[];
  unmounted: { file: string; line: number }[];
}

before(async () => {
  await preparePython();
});

describe('link-py: sample apps (precision and recall against routes.expected.json)', () => {
  const apps = fs.existsSync(APPS) ? fs.readdirSync(APPS).filter((d) => /^(fastapi|flask|django)-/.test(d)) : [];
  it('has a sample app per framework', () => {
    for (const fw of ['fastapi', 'flask', 'django']) assert.ok(apps.some((a) => a.startsWith(`${fw}-`)), `no ${fw} app`);
    // Each framework has at least one app of realistic size (smaller apps may add variety).
    const size = (a: string): number => (JSON.parse(fs.readFileSync(path.join(APPS, a, 'routes.expected.json'), 'utf8')) as Expected).routes.length;
    for (const fw of ['fastapi', 'flask', 'django']) assert.ok(apps.some((a) => a.startsWith(`${fw}-`) && size(a) >= 15), `a ${fw} app with at least 15 routes`);
  });
  for (const name of apps) {
    it(`links ${name}`, () => {
      const dir = path.join(APPS, name);
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'routes.expected.json'), 'utf8')) as Expected;
      const { files } = loadApp(dir);
      const publicRoutes = loadConfig(dir).config.publicRoutes;
      const table = linkPython(files, { authGuards: [] });
      const byPath = new Map(files.map((f) => [f.path, f]));
      const key = (r: { method: string; path: string; file: string; line: number }): string => `${r.method} ${r.path} ${r.file}:${r.line}`;
      const actualRoutes = table.routes.map((r) => ({ ...r, line: lineOf(byPath.get(r.file)!, r.span.start) }));
      const routeScore = prf(new Set(expected.routes.map(key)), new Set(actualRoutes.map(key)));
      // Findings: routes without a (non-optional) guard that are not public, with whether the only auth is optional.
      const expFindings = new Set(expected.routes.filter((r) => r.expect === 'unprotected' || r.expect === 'optional').map((r) => `${key(r)} ${r.expect}`));
      const actFindings = new Set(
        actualRoutes
          .filter((r) => !isProtected(r) && !defaultPublicReason(r.path) && !configuredPublic(r, publicRoutes))
          .map((r) => `${key(r)} ${r.guards.length > 0 ? 'optional' : 'unprotected'}`),
      );
      const findingScore = prf(expFindings, actFindings);
      const unmountedScore = prf(new Set(expected.unmounted.map((u) => `${u.file}:${u.line}`)), new Set(table.unmounted.map((u) => `${u.file}:${lineOf(byPath.get(u.file)!, u.span.start)}`)));
      console.log(
        `      ${name}: routes P=${routeScore.precision.toFixed(3)} R=${routeScore.recall.toFixed(3)}; findings P=${findingScore.precision.toFixed(3)} R=${findingScore.recall.toFixed(3)}; ` +
          `unmounted P=${unmountedScore.precision.toFixed(3)} R=${unmountedScore.recall.toFixed(3)}`,
      );
      const missing = [...expected.routes.map(key)].filter((k) => !actualRoutes.some((r) => key(r) === k));
      const extra = actualRoutes.map(key).filter((k) => !expected.routes.some((r) => key(r) === k));
      const fMissing = [...expFindings].filter((k) => !actFindings.has(k));
      const fExtra = [...actFindings].filter((k) => !expFindings.has(k));
      const detail = JSON.stringify({ missing, extra, fMissing, fExtra }, null, 1);
      assert.ok(routeScore.precision >= 0.95 && routeScore.recall >= 0.95, `routes: ${detail}`);
      assert.ok(findingScore.precision >= 0.95 && findingScore.recall >= 0.95, `findings: ${detail}`);
      assert.ok(unmountedScore.precision >= 0.95 && unmountedScore.recall >= 0.95, `unmounted: ${JSON.stringify(table.unmounted)}`);
      for (const r of table.routes) assert.equal(r.framework, expected.framework);
    });
  }
});

describe('link-py: FastAPI', () => {
  const security = `from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer, HTTPBearer
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
maybe_bearer = HTTPBearer(auto_error=False)

def current_user(token: str = Depends(oauth2)):
    return token

def optional_user(creds=Depends(maybe_bearer)):
    if creds is None:
        return None
    return creds

def paginate(page: int = 1):
    return page
`;

  it('joins include_router and APIRouter prefixes, nested routers included', () => {
    const t = link({
      'svc/main.py': `from fastapi import FastAPI\nfrom svc.api import api\napp = FastAPI()\napp.include_router(api, prefix="/api")\n`,
      'svc/api.py': `from fastapi import APIRouter\nfrom .items import router as items\napi = APIRouter(prefix="/v1")\napi.include_router(items, prefix="/shop")\n`,
      'svc/items.py': `from fastapi import APIRouter\nrouter = APIRouter(prefix="/items")\n@router.get("/{item_id}/")\ndef one(item_id: int): ...\n@router.get(PATH)\ndef dyn(): ...\n`,
    });
    assert.deepEqual(show(t.routes), ['GET /api/v1/shop/items/{item_id}', 'GET /api/v1/shop/items/*']);
    assert.equal(t.routes[0]!.app, 'svc/main.py#app');
    assert.deepEqual(t.apps.map((a) => `${a.framework} ${a.file}#${a.name}`), ['fastapi svc/main.py#app']);
  });

  it('finds guards in handler params, decorator, router, include_router and app dependencies, at their levels', () => {
    const t = link({
      'app/security.py': security,
      'app/main.py': `from fastapi import FastAPI, APIRouter, Depends
from .security import current_user, paginate
app = FastAPI(dependencies=[Depends(paginate)])
r = APIRouter(dependencies=[Depends(current_user)])
m = APIRouter()
@app.get("/a")
def a(user=Depends(current_user)): ...
@app.get("/b", dependencies=[Depends(current_user)])
def b(): ...
@app.get("/c")
def c(page=Depends(paginate)): ...
@r.get("/d")
def d(): ...
@m.get("/e")
def e(): ...
app.include_router(r)
app.include_router(m, dependencies=[Depends(current_user)])
`,
    });
    const levels = (p: string): string[] => find(t, 'GET', p).guards.map((g) => `${g.name}@${g.level}`);
    assert.deepEqual(levels('/a'), ['current_user@route']);
    assert.deepEqual(levels('/b'), ['current_user@route']);
    assert.deepEqual(levels('/c'), [], 'a pagination dependency is not authentication');
    assert.deepEqual(levels('/d'), ['current_user@router']);
    assert.deepEqual(levels('/e'), ['current_user@mount']);
    assert.match(find(t, 'GET', '/a').guards[0]!.why, /OAuth2PasswordBearer/);
    assert.deepEqual(t.guardsUsed, [{ framework: 'fastapi', name: 'current_user', count: 4 }]);
  });

  it('global guard: FastAPI(dependencies=[Depends(guard)]) protects every route of the app', () => {
    const t = link({ 'app/security.py': security, 'app/main.py': `from fastapi import FastAPI, Depends\nfrom app.security import current_user\napp = FastAPI(dependencies=[Depends(current_user)])\n@app.get("/x")\ndef x(): ...\n` });
    assert.deepEqual(find(t, 'GET', '/x').guards.map((g) => `${g.name}@${g.level}`), ['current_user@app']);
  });

  it('Annotated aliases imported across files, dependency chains, auto_error=False and None-returning dependencies are optional', () => {
    const t = link({
      'app/security.py': security,
      'app/deps.py': `from typing import Annotated
from fastapi import Depends, HTTPException
from app.security import current_user, optional_user
def active_user(user=Depends(current_user)):
    return user
def must_have(user=Depends(optional_user)):
    if user is None:
        raise HTTPException(status_code=401)
    return user
Active = Annotated[dict, Depends(active_user)]
Maybe = Annotated[dict, Depends(optional_user)]
Must = Annotated[dict, Depends(must_have)]
`,
      'app/main.py': `from fastapi import FastAPI, Depends
from app.deps import Active, Maybe, Must
from app.security import maybe_bearer
app = FastAPI()
@app.get("/active")
def a(u: Active): ...
@app.get("/maybe")
def b(u: Maybe): ...
@app.get("/must")
def c(u: Must): ...
@app.get("/scheme")
def d(creds=Depends(maybe_bearer)): ...
`,
    });
    assert.ok(isProtected(find(t, 'GET', '/active')));
    assert.match(find(t, 'GET', '/active').guards[0]!.why, /depends on current_user/);
    const maybe = find(t, 'GET', '/maybe');
    assert.ok(!isProtected(maybe) && maybe.guards.length === 1 && maybe.guards[0]!.optional);
    assert.ok(isProtected(find(t, 'GET', '/must')), 'a dependency that rejects when the optional user is missing is a guard');
    assert.ok(find(t, 'GET', '/scheme').guards[0]!.optional);
  });

  it('recognises a guard by behaviour (reads a key, answers 401) and by the authGuards setting, not by name alone', () => {
    const files = {
      'app/main.py': `from fastapi import FastAPI, Depends, Header, HTTPException
app = FastAPI()
def check_key(x_key: str = Header(...)):
    if x_key != "k":
        raise HTTPException(status_code=401)
def require_auth():
    return True
def tenant_gate():
    pass
@app.get("/a")
def a(_=Depends(check_key)): ...
@app.get("/b")
def b(_=Depends(require_auth)): ...
@app.get("/c")
def c(_=Depends(tenant_gate)): ...
`,
    };
    const t = link(files, ['tenant_gate']);
    assert.ok(isProtected(find(t, 'GET', '/a')));
    assert.ok(!isProtected(find(t, 'GET', '/b')), 'a name is not enough');
    assert.equal(find(t, 'GET', '/c').guards[0]!.why, 'authGuards setting');
  });

  it('callable class dependencies and HTTP middleware that rejects are guards', () => {
    const t = link({
      'app/main.py': `from fastapi import FastAPI, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
app = FastAPI()
sub = FastAPI()
app.mount("/sub", sub)
class RoleChecker:
    def __init__(self, roles):
        self.roles = roles
    def __call__(self, user=Depends(lookup)):
        if user.role not in self.roles:
            raise HTTPException(status_code=403)
@app.get("/a", dependencies=[Depends(RoleChecker(["admin"]))])
def a(): ...
@sub.middleware("http")
async def gate(request: Request, call_next):
    if "authorization" not in request.headers:
        return JSONResponse({"detail": "no"}, status_code=401)
    return await call_next(request)
@sub.get("/b")
def b(): ...
`,
    });
    assert.deepEqual(find(t, 'GET', '/a').guards.map((g) => g.name), ['RoleChecker']);
    assert.deepEqual(find(t, 'GET', '/sub/b').guards.map((g) => `${g.name}@${g.level}`), ['gate@app']);
    assert.match(find(t, 'GET', '/sub/b').guards[0]!.why, /middleware/);
  });

  it('add_middleware with a project middleware class that answers 401; add_api_route endpoints read where they are defined', () => {
    const t = link({
      'app/security.py': security,
      'app/mw.py': `from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse
class ApiKeyGate(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        if request.headers.get("x-api-key") != "k":
            return JSONResponse({"detail": "unauthorized"}, status_code=401)
        return await call_next(request)
class Timing(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        return await call_next(request)
`,
      'app/ep.py': `from fastapi import Depends\nfrom app.security import current_user\ndef me(u=Depends(current_user)): ...\n`,
      'app/main.py': `from fastapi import FastAPI\nfrom app.mw import ApiKeyGate, Timing\nfrom app.ep import me\napp = FastAPI()\nbare = FastAPI()\napp.add_middleware(ApiKeyGate)\nbare.add_middleware(Timing)\n@app.get("/a")\ndef a(): ...\n@bare.get("/b")\ndef b(): ...\nbare.add_api_route("/me", me)\n`,
    });
    assert.deepEqual(find(t, 'GET', '/a').guards.map((g) => `${g.name}@${g.level}`), ['ApiKeyGate@app']);
    assert.deepEqual(find(t, 'GET', '/b').guards, []);
    assert.deepEqual(find(t, 'GET', '/me').guards.map((g) => g.name), ['current_user']);
  });

  it('routers that no app includes are unmounted and their routes are not listed', () => {
    const t = link({
      'app/main.py': `from fastapi import FastAPI\napp = FastAPI()\n@app.get("/x")\ndef x(): ...\n`,
      'app/old.py': `from fastapi import APIRouter\nold = APIRouter()\n@old.get("/gone")\ndef gone(): ...\n@old.post("/gone")\ndef gone2(): ...\n`,
    });
    assert.deepEqual(show(t.routes), ['GET /x']);
    assert.deepEqual(t.unmounted.map((u) => [u.name, u.file, u.routes]), [['old', 'app/old.py', 2]]);
  });

  it('api_route gives one route per method; import cycles and unresolved imports do not break linking', () => {
    const t = link({
      'a.py': `from fastapi import FastAPI\nfrom b import r\nfrom missing.pkg import thing\napp = FastAPI()\napp.include_router(r)\n@app.api_route("/m", methods=["GET", "PUT"])\ndef m(x=Depends(thing)): ...\n`,
      'b.py': `from fastapi import APIRouter\nfrom a import app\nr = APIRouter()\nr.include_router(r)\n@r.get("/b")\ndef b(): ...\n`,
    });
    assert.deepEqual(show(t.routes).sort(), ['GET /b', 'GET /m', 'PUT /m']);
  });

  it('protect: adds dependencies=[Depends(guard)] (or appends to the list) and the imports the file lacks', () => {
    const texts = {
      'app/security.py': security,
      'app/routes/users.py': `from fastapi import APIRouter, Depends
from ..security import current_user
router = APIRouter()
@router.get("/me", dependencies=[Depends(current_user)])
def me(): ...
@router.get("/other")
def other(): ...
`,
      'app/routes/orders.py': `from fastapi import APIRouter

router = APIRouter()
@router.post(
    "/orders",
    status_code=201,
)
def create(): ...
@router.get("/orders", dependencies=[])
def list_(): ...
`,
      'app/main.py': `from fastapi import FastAPI\nfrom .routes import users, orders\napp = FastAPI()\napp.include_router(users.router)\napp.include_router(orders.router)\n`,
    };
    const t = link(texts);
    const other = find(t, 'GET', '/other');
    assert.equal(other.protect?.guard, 'current_user');
    assert.equal(
      applyEdits(texts['app/routes/users.py'], other.protect!.edits.map((e) => ({ ...e.span, newText: e.newText }))),
      texts['app/routes/users.py'].replace('@router.get("/other")', '@router.get("/other", dependencies=[Depends(current_user)])'),
    );
    assert.equal(find(t, 'GET', '/me').protect, undefined);
    const create = find(t, 'POST', '/orders');
    assert.equal(
      applyEdits(texts['app/routes/orders.py'], create.protect!.edits.map((e) => ({ ...e.span, newText: e.newText }))),
      `from fastapi import APIRouter
from ..security import current_user
from fastapi import Depends

router = APIRouter()
@router.post(
    "/orders",
    status_code=201, dependencies=[Depends(current_user)],
)
def create(): ...
@router.get("/orders", dependencies=[])
def list_(): ...
`,
    );
    const list = find(t, 'GET', '/orders');
    assert.match(applyEdits(texts['app/routes/orders.py'], list.protect!.edits.map((e) => ({ ...e.span, newText: e.newText }))), /dependencies=\[Depends\(current_user\)\]\)\ndef list_/);
  });
});

describe('link-py: Flask', () => {
  const decorators = `from functools import wraps
from flask import abort, request

def token_needed(f):
    @wraps(f)
    def inner(*a, **k):
        if not request.headers.get("Authorization"):
            abort(401)
        return f(*a, **k)
    return inner

def timed(f):
    @wraps(f)
    def inner(*a, **k):
        return f(*a, **k)
    return inner
`;

  it('one route per method; GET by default; add_url_rule; blueprint prefixes joined through nested registrations', () => {
    const t = link({
      'web/app.py': `from flask import Flask\nfrom web.bp import outer\napp = Flask(__name__)\napp.register_blueprint(outer, url_prefix="/o")\n@app.route("/x", methods=["GET", "POST"])\ndef x(): ...\napp.add_url_rule("/y", view_func=x)\n`,
      'web/bp.py': `from flask import Blueprint\nouter = Blueprint("outer", __name__, url_prefix="/ignored")\ninner = Blueprint("inner", __name__, url_prefix="/i")\nouter.register_blueprint(inner)\n@inner.route("/<int:n>/")\ndef n(n): ...\n`,
    });
    assert.deepEqual(show(t.routes), ['GET /x', 'POST /x', 'GET /y', 'GET /o/i/<int:n>']);
    assert.equal(t.routes[0]!.span.start, t.routes[1]!.span.start, 'one span for every method of one decorator');
  });

  it('only decorators below the route decorator apply; library decorators, optional=True and Flask-HTTPAuth', () => {
    const t = link({
      'web/app.py': `from flask import Flask
from flask_login import login_required
from flask_jwt_extended import jwt_required
from flask_httpauth import HTTPTokenAuth
tok = HTTPTokenAuth()
app = Flask(__name__)
@login_required
@app.route("/above")
def above(): ...
@app.route("/below")
@login_required
def below(): ...
@app.get("/jwt")
@jwt_required()
def jwt(): ...
@app.get("/jwt-optional")
@jwt_required(optional=True)
def jwt_opt(): ...
@app.get("/tok")
@tok.login_required
def t1(): ...
@app.get("/tok-optional")
@tok.login_required(optional=True)
def t2(): ...
`,
    });
    assert.ok(!isProtected(find(t, 'GET', '/above')), 'a decorator above @app.route does not wrap the registered view');
    assert.equal(find(t, 'GET', '/below').guards[0]!.why, 'Flask-Login');
    assert.ok(isProtected(find(t, 'GET', '/jwt')));
    assert.ok(find(t, 'GET', '/jwt-optional').guards[0]!.optional);
    assert.equal(find(t, 'GET', '/tok').guards[0]!.why, 'Flask-HTTPAuth');
    assert.ok(find(t, 'GET', '/tok-optional').guards[0]!.optional);
  });

  it('custom decorators count by behaviour (a wrapper that aborts 401), not a pass-through wrapper', () => {
    const t = link({
      'web/deco.py': decorators,
      'web/app.py': `from flask import Flask\nfrom .deco import token_needed, timed\napp = Flask(__name__)\n@app.get("/a")\n@token_needed\ndef a(): ...\n@app.get("/b")\n@timed\ndef b(): ...\n`,
    });
    assert.match(find(t, 'GET', '/a').guards[0]!.why, /aborts with 401/);
    assert.deepEqual(find(t, 'GET', '/b').guards, []);
  });

  it('before_request hooks: app hooks protect every route of the app, blueprint hooks only the blueprint', () => {
    const hook = `    if not session.get("uid"):\n        abort(401)\n`;
    const t = link({
      'web/app.py': `from flask import Flask, abort, session\nfrom web.bp import bp, open_bp\napp = Flask(__name__)\napp.register_blueprint(bp)\napp.register_blueprint(open_bp)\n@app.get("/home")\ndef home(): ...\n`,
      'web/bp.py': `from flask import Blueprint, abort, session\nbp = Blueprint("bp", __name__)\nopen_bp = Blueprint("open", __name__)\n@bp.before_request\ndef gate():\n${hook}@bp.get("/in")\ndef i(): ...\n@open_bp.get("/out")\ndef o(): ...\n`,
      'ops/app.py': `from flask import Flask, abort, session\nops = Flask("ops")\ndef gate2():\n${hook}ops.before_request(gate2)\n@ops.get("/jobs")\ndef jobs(): ...\n`,
    });
    assert.deepEqual(find(t, 'GET', '/in').guards.map((g) => `${g.name}@${g.level}`), ['gate@router']);
    assert.deepEqual(find(t, 'GET', '/out').guards, []);
    assert.deepEqual(find(t, 'GET', '/home').guards, []);
    assert.deepEqual(find(t, 'GET', '/jobs').guards.map((g) => `${g.name}@${g.level}`), ['gate2@app']);
  });

  it('call routes: add_url_rule view functions with their decorators, wrapped views, MethodView decorators, Flask-RESTful method_decorators', () => {
    const t = link({
      'web/app.py': `from flask import Flask
from flask.views import MethodView
from flask_login import login_required
from flask_restful import Resource
app = Flask(__name__)
@login_required
def guarded(): ...
def plain(): ...
class Items(MethodView):
    decorators = [login_required]
    def get(self): ...
class Things(Resource):
    method_decorators = [login_required]
app.add_url_rule("/a", view_func=guarded)
app.add_url_rule("/b", view_func=login_required(plain))
app.add_url_rule("/c", view_func=plain)
app.add_url_rule("/d", view_func=Items.as_view("items"), methods=["GET", "POST"])
`,
    });
    assert.ok(isProtected(find(t, 'GET', '/a')));
    assert.ok(isProtected(find(t, 'GET', '/b')));
    assert.ok(!isProtected(find(t, 'GET', '/c')));
    assert.ok(isProtected(find(t, 'POST', '/d')));
  });

  it('before_app_request on a blueprint covers every route of the app it is registered on', () => {
    const t = link({
      'web/app.py': `from flask import Flask\nfrom web.gate import gate_bp\napp = Flask(__name__)\napp.register_blueprint(gate_bp)\n@app.get("/x")\ndef x(): ...\n`,
      'web/gate.py': `from flask import Blueprint, abort, g\ngate_bp = Blueprint("gate", __name__)\n@gate_bp.before_app_request\ndef load_user():\n    if g.get("user") is None:\n        abort(403)\n`,
      'other/app.py': `from flask import Flask\nother = Flask("other")\n@other.get("/y")\ndef y(): ...\n`,
    });
    assert.deepEqual(find(t, 'GET', '/x').guards.map((g) => `${g.name}@${g.level}`), ['load_user@app']);
    assert.deepEqual(find(t, 'GET', '/y').guards, []);
  });

  it('protect: inserts the most-used guard decorator under the route decorator, at its indentation, with its import', () => {
    const texts = {
      'web/views.py': `from flask import Blueprint
from flask_login import login_required
bp = Blueprint("v", __name__)
@bp.get("/a")
@login_required
def a(): ...
@bp.get("/b")
@login_required
def b(): ...
`,
      'web/app.py': `from flask import Flask
from web.views import bp

def create_app():
    app = Flask(__name__)
    app.register_blueprint(bp)

    @app.route("/open", methods=["POST"])
    def open_(): ...
    return app
`,
    };
    const t = link(texts);
    const r = find(t, 'POST', '/open');
    assert.equal(r.protect?.guard, 'login_required');
    assert.equal(
      applyEdits(texts['web/app.py'], r.protect!.edits.map((e) => ({ ...e.span, newText: e.newText }))),
      texts['web/app.py']
        .replace('from web.views import bp', 'from web.views import bp\nfrom flask_login import login_required')
        .replace('@app.route("/open", methods=["POST"])', '@app.route("/open", methods=["POST"])\n    @login_required'),
    );
    assert.deepEqual(t.guardsUsed, [{ framework: 'flask', name: 'login_required', count: 2 }]);
  });
});

describe('link-py: Django and DRF', () => {
  const settings = `ROOT_URLCONF = "site_cfg.urls"\nREST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}\n`;

  it('follows include() across modules from ROOT_URLCONF; modules it never reaches are unmounted', () => {
    const t = link({
      'site_cfg/settings.py': settings,
      'site_cfg/urls.py': `from django.urls import include, path\nfrom shop import urls as shop_urls\nurlpatterns = [\n    path("shop/", include(shop_urls)),\n    path("blog/", include(("blog.urls", "blog"))),\n]\n`,
      'shop/urls.py': `from django.urls import path, re_path\nfrom . import views\nurlpatterns = [\n    path("items/<int:pk>/", views.item),\n    re_path(r"^tags/(?P<t>\\w+)/$", views.item),\n]\n`,
      'shop/views.py': `def item(request, pk=None):\n    return None\n`,
      'blog/urls.py': `from django.urls import path\nfrom .views import post\nurlpatterns = [path("<slug:s>/", post)]\n`,
      'blog/views.py': `from django.contrib.auth.decorators import login_required\n@login_required\ndef post(request, s):\n    return None\n`,
      'old/urls.py': `from django.urls import path\nurlpatterns = [path("x/", lambda r: None)]\n`,
    });
    assert.deepEqual(show(t.routes), ['ALL /shop/items/<int:pk>', 'ALL /shop/tags/(?P<t>\\w+)', 'ALL /blog/<slug:s>']);
    assert.ok(isProtected(find(t, 'ALL', '/blog/<slug:s>')));
    assert.deepEqual(t.unmounted.map((u) => u.file), ['old/urls.py']);
    assert.deepEqual(t.apps.map((a) => `${a.framework} ${a.file}`), ['django site_cfg/urls.py']);
  });

  it('without ROOT_URLCONF the roots are the urls modules nobody includes; admin.site.urls is guarded by the admin login', () => {
    const t = link({
      'proj/urls.py': `from django.contrib import admin\nfrom django.urls import include, path\nurlpatterns = [path("admin/", admin.site.urls), path("a/", include("app.urls"))]\n`,
      'app/urls.py': `from django.urls import path\nfrom app.views import v\nurlpatterns = [path("v/", v)]\n`,
      'app/views.py': `def v(request):\n    return None\n`,
    });
    assert.deepEqual(show(t.routes), ['ALL /admin', 'ALL /a/v']);
    assert.equal(find(t, 'ALL', '/admin').guards[0]!.why, 'Django admin login');
    assert.deepEqual(t.unmounted, []);
  });

  it('DRF: permission_classes (AllowAny public, OrReadOnly optional, custom permission by behaviour), defaults from settings, routers and @action', () => {
    const t = link({
      'site_cfg/settings.py': settings,
      'site_cfg/urls.py': `from django.urls import include, path\nfrom rest_framework.routers import DefaultRouter\nfrom api import views\nrouter = DefaultRouter()\nrouter.register(r"notes", views.NoteViewSet)\nrouter.register("boards", views.BoardViewSet)\nurlpatterns = [\n    path("open/", views.OpenView.as_view()),\n    path("plain/", views.PlainView.as_view()),\n    path("ro/", views.ReadOnlyView.as_view()),\n    path("fn/", views.fn),\n]\nurlpatterns += router.urls\n`,
      'api/perms.py': `from rest_framework.permissions import BasePermission\nclass IsOwner(BasePermission):\n    def has_permission(self, request, view):\n        return request.user.is_authenticated\nclass Anything(BasePermission):\n    def has_permission(self, request, view):\n        return True\n`,
      'api/views.py': `from rest_framework import viewsets, generics
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.views import APIView
from .perms import IsOwner, Anything
class NoteViewSet(viewsets.ModelViewSet):
    permission_classes = [IsOwner]
    @action(detail=False, methods=["get"], url_path="recent-ones", permission_classes=[AllowAny])
    def recent(self, request): ...
class BoardViewSet(viewsets.ModelViewSet):
    permission_classes = [Anything]
class OpenView(APIView):
    permission_classes = [AllowAny]
class PlainView(APIView):
    pass
class ReadOnlyView(generics.ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
@api_view(["GET", "POST"])
def fn(request): ...
`,
    });
    assert.deepEqual(show(t.routes).sort(), [
      'ALL /boards',
      'ALL /boards/<pk>',
      'ALL /notes',
      'ALL /notes/<pk>',
      'ALL /open',
      'ALL /plain',
      'ALL /ro',
      'GET /fn',
      'GET /notes/recent-ones',
      'POST /fn',
    ]);
    assert.equal(find(t, 'ALL', '/notes/<pk>').guards[0]!.name, 'IsOwner');
    assert.ok(!isProtected(find(t, 'GET', '/notes/recent-ones')), 'the action overrides the viewset with AllowAny');
    assert.ok(!isProtected(find(t, 'ALL', '/boards')), 'a permission class that allows everyone is not a guard');
    assert.deepEqual(find(t, 'ALL', '/open').guards, [], 'AllowAny overrides the settings default');
    assert.deepEqual(find(t, 'ALL', '/plain').guards.map((g) => g.level), ['settings']);
    assert.deepEqual(find(t, 'POST', '/fn').guards.map((g) => g.level), ['settings']);
    assert.ok(find(t, 'ALL', '/ro').guards[0]!.optional);
  });

  it('class views: mixins and method_decorator; a custom decorator raising PermissionDenied; require_http_methods gives the methods', () => {
    const t = link({
      'p/urls.py': `from django.urls import path\nfrom p import views\nurlpatterns = [\n    path("a/", views.A.as_view()),\n    path("b/", views.B.as_view()),\n    path("c/", views.c),\n    path("d/", views.D.as_view()),\n]\n`,
      'p/views.py': `from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods
from django.contrib.auth.decorators import login_required
from django.views import View
def staff_only(fn):
    def inner(request, *a):
        if not request.user.is_staff:
            raise PermissionDenied
        return fn(request, *a)
    return inner
class Base(LoginRequiredMixin, View):
    pass
class A(Base):
    pass
@method_decorator(login_required, name="dispatch")
class B(View):
    pass
@require_http_methods(["GET", "POST"])
@staff_only
def c(request): ...
class D(View):
    pass
`,
    });
    assert.equal(find(t, 'ALL', '/a').guards[0]!.name, 'LoginRequiredMixin', 'a mixin inherited through a project base class');
    assert.ok(isProtected(find(t, 'ALL', '/b')));
    assert.deepEqual(show(t.routes.filter((r) => r.path === '/c')), ['GET /c', 'POST /c']);
    assert.ok(isProtected(find(t, 'GET', '/c')));
    assert.deepEqual(find(t, 'ALL', '/d').guards, []);
  });

  it('views wrapped in urls.py (login_required(view), csrf_exempt(view)) and method_decorator on dispatch', () => {
    const t = link({
      'p/urls.py': `from django.urls import path\nfrom django.contrib.auth.decorators import login_required\nfrom django.views.decorators.csrf import csrf_exempt\nfrom p import views\nurlpatterns = [\n    path("a/", login_required(views.a)),\n    path("b/", csrf_exempt(views.a)),\n    path("c/", login_required(views.C.as_view())),\n    path("d/", views.D.as_view()),\n]\n`,
      'p/views.py': `from django.views import View
from django.utils.decorators import method_decorator
from django.contrib.auth.decorators import login_required
def a(request): ...
class C(View):
    pass
class D(View):
    @method_decorator(login_required)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)
`,
    });
    assert.deepEqual(find(t, 'ALL', '/a').guards.map((g) => g.name), ['login_required']);
    assert.deepEqual(find(t, 'ALL', '/b').guards, []);
    assert.deepEqual(find(t, 'ALL', '/c').guards.map((g) => g.name), ['login_required']);
    assert.deepEqual(find(t, 'ALL', '/d').guards.map((g) => g.name), ['login_required']);
  });

  it('protect: @login_required on function views, permission_classes on DRF classes (replacing AllowAny), with imports', () => {
    const texts = {
      'p/urls.py': `from django.urls import path\nfrom p import views\nurlpatterns = [\n    path("a/", views.a),\n    path("b/", views.B.as_view()),\n    path("c/", views.C.as_view()),\n    path("d/", views.d),\n    path("e/", views.e),\n]\n`,
      'p/views.py': `from django.contrib.auth.decorators import login_required
from rest_framework.views import APIView
from rest_framework.permissions import AllowAny
from rest_framework.decorators import api_view


def a(request):
    return None


class B(APIView):
    """Public for now."""

    def get(self, request): ...


class C(APIView):
    permission_classes = [AllowAny]


@login_required
def d(request):
    return None


@api_view(["GET"])
def e(request): ...
`,
    };
    const t = link(texts);
    const apply = (r: HttpRoute): string => applyEdits(texts['p/views.py'], r.protect!.edits.map((e) => ({ ...e.span, newText: e.newText })));
    assert.equal(find(t, 'ALL', '/d').protect, undefined);
    assert.equal(apply(find(t, 'ALL', '/a')), texts['p/views.py'].replace('\ndef a(request)', '\n@login_required\ndef a(request)'));
    assert.equal(
      apply(find(t, 'ALL', '/b')),
      texts['p/views.py']
        .replace('from rest_framework.decorators import api_view', 'from rest_framework.decorators import api_view\nfrom rest_framework.permissions import IsAuthenticated')
        .replace('"""Public for now."""\n\n    def get', '"""Public for now."""\n\n    permission_classes = [IsAuthenticated]\n    def get'),
    );
    assert.match(apply(find(t, 'ALL', '/c')), /permission_classes = \[IsAuthenticated\]\n/);
    assert.match(apply(find(t, 'GET', '/e')), /@api_view\(\["GET"\]\)\n@permission_classes\(\[IsAuthenticated\]\)\ndef e/);
    assert.match(apply(find(t, 'GET', '/e')), /from rest_framework\.decorators import permission_classes\nfrom rest_framework\.permissions import IsAuthenticated/);
  });
});

describe('link-py: edge cases', () => {
  it('split Django settings; a viewset the linker cannot read still gets the DRF default', () => {
    const t = link({
      'cfg/settings/base.py': `REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}\n`,
      'cfg/settings/prod.py': `from .base import *\nROOT_URLCONF = "cfg.urls"\n`,
      'cfg/urls.py': `from django.urls import include, path\nfrom rest_framework.routers import SimpleRouter\nfrom thirdparty.views import ExternalViewSet\nrouter = SimpleRouter()\nrouter.register("ext", ExternalViewSet)\nurlpatterns = [path("api/", include(router.urls))]\n`,
    });
    assert.deepEqual(show(t.routes), ['ALL /api/ext', 'ALL /api/ext/<pk>']);
    assert.ok(t.routes.every((r) => r.guards[0]?.level === 'settings'));
  });

  it('fix imports in a script outside any package name the module from the script directory', () => {
    const t = link({
      'svc/core/__init__.py': '',
      'svc/core/auth.py': `from fastapi import Depends\nfrom fastapi.security import HTTPBearer\nbearer = HTTPBearer()\ndef guard(c=Depends(bearer)):\n    return c\n`,
      'svc/core/routes.py': `from fastapi import APIRouter, Depends\nfrom .auth import guard\nrouter = APIRouter()\n@router.get("/a", dependencies=[Depends(guard)])\ndef a(): ...\n`,
      'svc/main.py': `from fastapi import FastAPI\nfrom core.routes import router\napp = FastAPI()\napp.include_router(router)\n@app.get("/b")\ndef b(): ...\n`,
    });
    assert.equal(find(t, 'GET', '/b').protect?.edits[1]?.newText, '\nfrom core.auth import guard\nfrom fastapi import Depends');
  });

  it('no FastAPI fix when dependencies= is not a list literal (a second keyword would not compile)', () => {
    const t = link({
      'a.py': `from fastapi import FastAPI, Depends\nfrom fastapi.security import HTTPBearer\nbearer = HTTPBearer()\napp = FastAPI()\nDEPS = []\n@app.get("/a", dependencies=[Depends(bearer)])\ndef a(): ...\n@app.get("/b", dependencies=DEPS)\ndef b(): ...\n@app.get("/c")\ndef c(): ...\n`,
    });
    assert.equal(find(t, 'GET', '/b').protect, undefined);
    assert.equal(find(t, 'GET', '/c').protect?.guard, 'bearer');
  });

  it('links a large project in bounded time (150 router files of 10 routes, chained imports)', () => {
    const texts: Record<string, string> = {};
    const mains: string[] = ['from fastapi import FastAPI, Depends', 'from app.auth import user', 'app = FastAPI()'];
    for (let i = 0; i < 150; i++) {
      const routes = Array.from({ length: 10 }, (_, j) => `@router.get("/r${j}/{id}")\ndef h${j}(id: int, u=Depends(user)): ...\n`).join('');
      texts[`app/routes/m${i}.py`] = `from fastapi import APIRouter, Depends\nfrom app.auth import user\nrouter = APIRouter(prefix="/m${i}")\n${routes}`;
      mains.push(`from app.routes import m${i}`, `app.include_router(m${i}.router, prefix="/v1")`);
    }
    texts['app/main.py'] = mains.join('\n') + '\n';
    texts['app/auth.py'] = `from fastapi import Depends\nfrom fastapi.security import OAuth2PasswordBearer\nscheme = OAuth2PasswordBearer(tokenUrl="t")\ndef user(t=Depends(scheme)):\n    return t\n`;
    const files = filesOf(texts);
    const started = Date.now();
    const t = linkPython(files, { authGuards: [] });
    const ms = Date.now() - started;
    assert.equal(t.routes.length, 1500);
    assert.ok(t.routes.every(isProtected));
    assert.ok(ms < 5000, `took ${ms} ms`);
  });
});

describe('link-py: robustness', () => {
  it('never throws on odd input and bounds its work on include cycles and self-mounts', () => {
    const t = link({
      'x/urls.py': `from django.urls import include, path\nurlpatterns = [path("a/", include("y.urls"))]\n`,
      'y/urls.py': `from django.urls import include, path\nurlpatterns = [path("b/", include("x.urls")), path("c/", include(f"{d}.urls"))]\n`,
      'z.py': `from flask import Flask, Blueprint\napp = Flask(__name__)\nbp = Blueprint("b", __name__)\nbp.register_blueprint(bp)\napp.register_blueprint(bp, url_prefix=PREFIX)\n@bp.route(f"/{x}")\ndef f(): ...\n`,
      'broken.py': `from fastapi import (\n@app.get("/x"\ndef (:\n`,
    });
    assert.deepEqual(show(t.routes), ['GET /*/*']);
  });
});

describe('link-py: routes on objects that are not known apps', () => {
  it('links them at the root (an app made by a factory, a Flask-RESTful Api) instead of dropping them', () => {
    const t = link({
      'svc/app.py': `from flask import Flask\nfrom flask_restful import Api\nfrom svc.factory import create_app\napp = create_app()\napi = Api(app)\n@app.route("/ping-me")\ndef p(): ...\napi.add_resource(Thing, "/things/<int:id>")\n`,
    });
    assert.deepEqual(show(t.routes), ['GET /ping-me', 'ALL /things/<int:id>']);
    assert.equal(t.routes[0]!.app, undefined);
  });
});
