// The NestJS linker (server/src/engine/routes/link-nest.ts): controllers reachable from the
// root module, effective paths, global/controller/method guards, @Public() markers, consumer
// middleware, optional authentication, unmounted controllers, and the protect fix.
import * as assert from 'node:assert/strict';
import { extractFacts } from '../server/src/engine/extract';
import { linkNest, nestPattern } from '../server/src/engine/routes/link-nest';
import type { HttpRoute, RouteTable } from '../server/src/engine/routes/model';
import { accuracy, applyProtect, loadApp, project } from './nest-next-apps';

const NO_SETTINGS = { authGuards: [] as string[] };

function link(files: Record<string, string>, settings = NO_SETTINGS): { table: RouteTable; text: (p: string) => string } {
  const p = project(files);
  return { table: linkNest(p.files, settings), text: p.text };
}

const rows = (t: RouteTable): string[] => t.routes.map((r) => `${r.method} ${r.path} ${r.guards.map((g) => `${g.name}@${g.level}${g.optional ? '?' : ''}`).join(',') || '-'}`);
const find = (t: RouteTable, method: string, path: string): HttpRoute => {
  const r = t.routes.find((x) => x.method === method && x.path === path);
  assert.ok(r, `no ${method} ${path} in ${rows(t).join(' | ')}`);
  return r;
};

const GUARDS = {
  'src/auth/public.decorator.ts': ["import { SetMetadata } from '@nestjs/common';", "export const IS_PUBLIC_KEY = 'isPublic';", 'export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);', ''].join('\n'),
  'src/auth/jwt.guard.ts': [
    "import { ExecutionContext, Injectable } from '@nestjs/common';",
    "import { Reflector } from '@nestjs/core';",
    "import { AuthGuard } from '@nestjs/passport';",
    "import { IS_PUBLIC_KEY } from './public.decorator';",
    '@Injectable()',
    "export class JwtGuard extends AuthGuard('jwt') {",
    '  constructor(private reflector: Reflector) { super(); }',
    '  canActivate(ctx: ExecutionContext) {',
    '    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [ctx.getHandler(), ctx.getClass()])) return true;',
    '    return super.canActivate(ctx);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/auth/roles.guard.ts': [
    "import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';",
    '@Injectable()',
    'export class RolesGuard implements CanActivate {',
    '  canActivate(ctx: ExecutionContext) {',
    '    const { user } = ctx.switchToHttp().getRequest();',
    "    if (!user?.roles?.includes('admin')) throw new ForbiddenException();",
    '    return true;',
    '  }',
    '}',
    '',
  ].join('\n'),
};

describe('NestJS linker', () => {
  it('facts: modules, bootstrap, RouterModule, metadata decorators, reflector keys, decorator lines, import style', () => {
    const SRC = [
      'import { Module, SetMetadata } from "@nestjs/common"',
      'import { NestFactory, RouterModule } from "@nestjs/core"',
      '@Module({ imports: [UsersModule.forRoot({}), forwardRef(() => OrdersModule), RouterModule.register([{ path: "v", module: UsersModule, children: [{ path: "o", module: OrdersModule }] }])], controllers: [AppController] })',
      'export class AppModule {}',
      'export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);',
      'export function Admin() { return applyDecorators(SetMetadata("roles", ["admin"]), UseGuards(JwtGuard)); }',
      'export const Open = Reflector.createDecorator<boolean>();',
      'class G { canActivate(c) { return this.reflector.getAllAndOverride(IS_PUBLIC_KEY, [c.getHandler()]) || this.reflector.get(Open, c.getClass()); } }',
      '@Controller("x") class X {',
      '  @Public()',
      '  @Get() a() {}',
      '}',
      'async function main() { const server = await NestFactory.create<App>(AppModule, { cors: true }); }',
      '',
    ].join('\n');
    const f = extractFacts('src/app.module.ts', SRC).routesTs;
    const nest = f?.nest;
    assert.ok(nest);
    assert.deepEqual(nest.modules.map((m) => [m.name, m.controllers, m.imports, m.dynamic]), [['AppModule', ['AppController'], ['UsersModule', 'OrdersModule'], undefined]]);
    assert.deepEqual(nest.bootstraps.map((b) => [b.module, b.app]), [['AppModule', 'server']]);
    assert.deepEqual(nest.routerModules.map((r) => [r.path, r.module]), [['/v', 'UsersModule'], ['/v/o', 'OrdersModule']]);
    assert.deepEqual(nest.metadata.map((m) => [m.name, m.key, m.guards?.map((g) => g.text)]), [['Public', 'IS_PUBLIC_KEY', undefined], ['Admin', '"roles"', ['JwtGuard']], ['Open', 'Open', undefined]]);
    assert.deepEqual(nest.reflectors.map((r) => [r.cls, r.keys]), [['G', ['IS_PUBLIC_KEY', 'Open']]]);
    const d = nest.controllers[0]!.methods[0]!.decorators;
    assert.deepEqual(d.map((x) => [x.name, x.indent, x.line && SRC.slice(x.line.start, x.line.end)]), [['Public', '  ', '  @Public()\n'], ['Get', '  ', undefined]]);
    assert.deepEqual(f.style, { quote: '"', semi: false, eol: '\n' });
    assert.deepEqual(f.imports[0]!.namedSpan && SRC.slice(f.imports[0]!.namedSpan.start, f.imports[0]!.namedSpan.end), '{ Module, SetMetadata }');
  });

  it('paths: controller prefix, path arrays, { path } objects, global prefix with exclude, RouterModule children', () => {
    const { table } = link({
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { RequestMethod } from '@nestjs/common';",
        "import { AppModule } from './app.module';",
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule);',
        "  app.setGlobalPrefix('v2', { exclude: ['ping', { path: 'docs/(.*)', method: RequestMethod.GET }] });",
        '  await app.listen(3000);',
        '}',
        '',
      ].join('\n'),
      'src/app.module.ts': [
        "import { Module } from '@nestjs/common';",
        "import { RouterModule } from '@nestjs/core';",
        "import { ShopModule } from './shop/shop.module';",
        "import { PingController } from './ping.controller';",
        'const routes = [{ path: \'store\', module: ShopModule, children: [{ path: \'cart\', module: CartModule }] }];',
        '@Module({ imports: [ShopModule, forwardRef(() => CartModule), RouterModule.register(routes)], controllers: [PingController] })',
        'export class AppModule {}',
        "@Module({ controllers: [CartController] })",
        'export class CartModule {}',
        "@Controller('items')",
        'export class CartController { @Delete(\':sku\') drop() {} }',
        '',
      ].join('\n'),
      'src/ping.controller.ts': [
        "import { Controller, Get } from '@nestjs/common';",
        '@Controller()',
        'export class PingController {',
        "  @Get('ping') ping() {}",
        "  @Get(['docs/openapi', 'docs/ui']) docs() {}",
        "  @Post('docs/openapi') upload() {}",
        '}',
        '',
      ].join('\n'),
      'src/shop/shop.module.ts': ["import { Module } from '@nestjs/common';", "import { ProductsController } from './products.controller';", '@Module({ controllers: [ProductsController] })', 'export class ShopModule {}', ''].join('\n'),
      'src/shop/products.controller.ts': [
        "import { Controller, Get, All } from '@nestjs/common';",
        "@Controller({ path: ['products', 'goods'], version: '1' })",
        'export class ProductsController {',
        "  @Get(':id') one() {}",
        '  @All(someComputedPath) any() {}',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(table.routes.map((r) => `${r.method} ${r.path} ${r.handler}`).sort(), [
      'ALL /v2/store/goods/* any',
      'ALL /v2/store/products/* any',
      'DELETE /v2/store/cart/items/:sku drop',
      'GET /docs/openapi docs',
      'GET /docs/ui docs',
      'GET /ping ping',
      'GET /v2/store/goods/:id one',
      'GET /v2/store/products/:id one',
      'POST /v2/docs/openapi upload',
    ]);
    assert.deepEqual(table.apps.map((a) => [a.name, a.file]), [['app', 'src/main.ts']]);
    assert.ok(table.routes.every((r) => r.app === 'src/main.ts#app'));
  });

  it('URI versioning: default version, controller version, @Version lists with VERSION_NEUTRAL; header versioning leaves paths alone', () => {
    const files = (enable: string): Record<string, string> => ({
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { VersioningType } from '@nestjs/common';",
        "import { AppModule } from './app.module';",
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule);',
        "  app.setGlobalPrefix('api');",
        `  ${enable}`,
        '}',
        '',
      ].join('\n'),
      'src/app.module.ts': [
        "import { Module, Controller, Get, Version, VERSION_NEUTRAL } from '@nestjs/common';",
        "@Controller('cats') export class Cats { @Get() list() {} @Version(['3', VERSION_NEUTRAL]) @Get(':id') one() {} }",
        "@Controller({ path: 'dogs', version: '2' }) export class Dogs { @Get() list() {} }",
        '@Module({ controllers: [Cats, Dogs] })',
        'export class AppModule {}',
        '',
      ].join('\n'),
    });
    const uri = link(files("app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });")).table;
    assert.deepEqual(uri.routes.map((r) => `${r.method} ${r.path}`), ['GET /api/v1/cats', 'GET /api/v3/cats/:id', 'GET /api/cats/:id', 'GET /api/v2/dogs']);
    const bare = link(files("app.enableVersioning({ prefix: 'version-' });")).table;
    assert.deepEqual(bare.routes.map((r) => r.path), ['/api/cats', '/api/version-3/cats/:id', '/api/cats/:id', '/api/version-2/dogs']);
    const header = link(files("app.enableVersioning({ type: VersioningType.HEADER, header: 'X-Version' });")).table;
    assert.deepEqual(header.routes.map((r) => r.path), ['/api/cats', '/api/cats/:id', '/api/dogs']);
  });

  it('reachability: controllers of modules the root does not import, and of no module, are unmounted', () => {
    const { table } = link({
      'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule).then((app) => app.listen(3000));\n",
      'src/app.module.ts': [
        "import { Module } from '@nestjs/common';",
        "import { AModule } from './a';",
        '@Module({ imports: [AModule] })',
        'export class AppModule {}',
        '',
      ].join('\n'),
      // A and B import each other: the walk must stop.
      'src/a.ts': ["import { Module, Controller, Get } from '@nestjs/common';", "import { BModule } from './b';", "@Controller('a') export class AController { @Get() a() {} }", '@Module({ imports: [BModule], controllers: [AController] })', 'export class AModule {}', ''].join('\n'),
      'src/b.ts': ["import { Module, Controller, Get } from '@nestjs/common';", "import { AModule } from './a';", "@Controller('b') export class BController { @Get() b() {} }", '@Module({ imports: [AModule, TypeOrmModule.forFeature([])], controllers: [BController] })', 'export class BModule {}', ''].join('\n'),
      'src/orphan.ts': ["import { Module, Controller, Get, Post } from '@nestjs/common';", "@Controller('orphan') export class OrphanController { @Get() x() {} @Post() y() {} }", "@Controller('lost') export class LostController { @Get() z() {} }", '@Module({ controllers: [OrphanController] })', 'export class OrphanModule {}', ''].join('\n'),
    });
    assert.deepEqual(rows(table), ['GET /a -', 'GET /b -']);
    assert.deepEqual(table.unmounted.map((u) => [u.name, u.file, u.routes]), [
      ['OrphanController', 'src/orphan.ts', 2],
      ['LostController', 'src/orphan.ts', 1],
    ]);
  });

  it('without NestFactory.create every module counts as reachable', () => {
    const { table } = link({
      'libs/x.ts': ["import { Module, Controller, Get } from '@nestjs/common';", "@Controller('x') export class XController { @Get() x() {} }", "@Controller('y') export class YController { @Get() y() {} }", '@Module({ controllers: [XController] })', 'export class XModule {}', ''].join('\n'),
    });
    assert.deepEqual(rows(table), ['GET /x -']);
    assert.deepEqual(table.unmounted.map((u) => u.name), ['YController']);
    assert.equal(table.routes[0]!.app, undefined);
  });

  const APP = {
    ...GUARDS,
    'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function main() { const app = await NestFactory.create(AppModule); await app.listen(3000); }\n",
    'src/app.module.ts': [
      "import { Module } from '@nestjs/common';",
      "import { APP_GUARD } from '@nestjs/core';",
      "import { JwtGuard } from './auth/jwt.guard';",
      "import { OrdersController } from './orders.controller';",
      '@Module({ controllers: [OrdersController], providers: [{ provide: APP_GUARD, useClass: JwtGuard }, { provide: APP_GUARD, useClass: RolesGuard }] })',
      'export class AppModule {}',
      '',
    ].join('\n'),
    'src/orders.controller.ts': [
      "import { Controller, Get, Post } from '@nestjs/common';",
      "import { Public } from './auth/public.decorator';",
      '',
      "@Controller('orders')",
      'export class OrdersController {',
      '  @Get()',
      '  list() {}',
      '',
      '  @Public()',
      "  @Get('catalog')",
      '  catalog() {}',
      '',
      "  @SetMetadata('isPublic', true) @Post('quote') quote() {}",
      '}',
      '',
    ].join('\n'),
  };

  it('APP_GUARD applies to every reachable route except those with a metadata marker the guard reads', () => {
    const { table } = link(APP);
    assert.deepEqual(rows(table), ['GET /orders JwtGuard@global', 'GET /orders/catalog -', 'POST /orders/quote -']);
    const g = find(table, 'GET', '/orders').guards[0]!;
    assert.equal(g.why, "passport AuthGuard('jwt')");
    assert.equal(g.file, 'src/app.module.ts');
    // RolesGuard only authorizes (reads request.user, throws ForbiddenException): not authentication.
    assert.deepEqual(table.guardsUsed.map((u) => [u.name, u.count]), [['JwtGuard', 1]]);
  });

  it('a guard on the controller that reads the marker is switched off by @Public() on the method too', () => {
    const { table } = link({
      ...APP,
      'src/app.module.ts': ["import { Module } from '@nestjs/common';", "import { OrdersController } from './orders.controller';", '@Module({ controllers: [OrdersController] })', 'export class AppModule {}', ''].join('\n'),
      'src/orders.controller.ts': APP['src/orders.controller.ts'].replace("@Controller('orders')", "@Controller('orders')\n@UseGuards(JwtGuard)").replace("import { Public } from './auth/public.decorator';", "import { Public } from './auth/public.decorator';\nimport { JwtGuard } from './auth/jwt.guard';"),
    });
    assert.deepEqual(rows(table), ['GET /orders JwtGuard@router', 'GET /orders/catalog -', 'POST /orders/quote -']);
    assert.deepEqual(find(table, 'GET', '/orders/catalog').protect?.edits.map((e) => e.newText), ['']);
  });

  it('a marker the global guard does not read changes nothing; useGlobalGuards(new Guard(...)) in main.ts', () => {
    const { table } = link({
      ...APP,
      'src/app.module.ts': ["import { Module } from '@nestjs/common';", "import { OrdersController } from './orders.controller';", '@Module({ controllers: [OrdersController] })', 'export class AppModule {}', ''].join('\n'),
      'src/main.ts': [
        "import { NestFactory, Reflector } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        "import { SessionGuard } from './auth/session.guard';",
        'async function main() {',
        '  const app = await NestFactory.create(AppModule);',
        '  app.useGlobalGuards(new SessionGuard(app.get(Reflector)), new ThrottlerGuard());',
        '  await app.listen(3000);',
        '}',
        '',
      ].join('\n'),
      'src/auth/session.guard.ts': [
        "import { CanActivate, Injectable, UnauthorizedException } from '@nestjs/common';",
        "import { ThrottlerGuard } from '@nestjs/throttler';",
        'export class SessionGuard implements CanActivate {',
        '  async canActivate(ctx) {',
        '    const req = ctx.switchToHttp().getRequest();',
        '    if (!req.session?.userId) throw new UnauthorizedException();',
        '    return true;',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(rows(table), ['GET /orders SessionGuard@global', 'GET /orders/catalog SessionGuard@global', 'POST /orders/quote SessionGuard@global']);
    assert.equal(table.routes[0]!.guards[0]!.why, 'rejects unauthenticated requests with 401');
  });

  it('controller and method guards: classes, AuthGuard(), new X(), optional guards, composed decorators, settings names', () => {
    const files = {
      ...GUARDS,
      'src/auth/optional.guard.ts': [
        "import { AuthGuard } from '@nestjs/passport';",
        "export class MaybeUserGuard extends AuthGuard('jwt') {",
        '  handleRequest(err, user) { return user ?? null; }',
        '}',
        "export class StrictGuard extends AuthGuard('jwt') {",
        '  handleRequest(err, user) { if (err || !user) throw err || new UnauthorizedException(); return user; }',
        '}',
        '',
      ].join('\n'),
      'src/auth/auth.decorator.ts': [
        "import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';",
        "import { JwtGuard } from './jwt.guard';",
        "import { RolesGuard } from './roles.guard';",
        "export function Auth(...roles: string[]) { return applyDecorators(SetMetadata('roles', roles), UseGuards(JwtGuard, RolesGuard)); }",
        '',
      ].join('\n'),
      'src/m.ts': [
        "import { Module, Controller, Get, Post, Put, Delete, Patch, UseGuards } from '@nestjs/common';",
        "import { AuthGuard } from '@nestjs/passport';",
        "import { MaybeUserGuard, StrictGuard } from './auth/optional.guard';",
        "import { Auth } from './auth/auth.decorator';",
        "import { RolesGuard } from './auth/roles.guard';",
        "import { JwtGuard } from './auth/jwt.guard';",
        "@Controller('a') @UseGuards(AuthGuard('bearer'))",
        'export class AController { @Get() a() {} @Post() @UseGuards(RolesGuard) b() {} }',
        "@Controller('b')",
        'export class BController {',
        '  @Get() @UseGuards(MaybeUserGuard) maybe() {}',
        "  @Get('anon') @UseGuards(AuthGuard(['jwt', 'anonymous'])) anon() {}",
        "  @Put() @UseGuards(StrictGuard) strict() {}",
        "  @Delete() @Auth('admin') composed() {}",
        '  @Patch() @UseGuards(new JwtGuard(null)) instance() {}',
        "  @Post() @UseGuards(HouseGuard) house() {}",
        '}',
        '@Module({ controllers: [AController, BController] })',
        'export class M {}',
        '',
      ].join('\n'),
    };
    const { table } = link(files);
    assert.deepEqual(rows(table), [
      "GET /a AuthGuard('bearer')@router",
      "POST /a AuthGuard('bearer')@router",
      'GET /b MaybeUserGuard@route?',
      "GET /b/anon AuthGuard(['jwt', 'anonymous'])@route?",
      'PUT /b StrictGuard@route',
      'DELETE /b JwtGuard@route',
      'PATCH /b JwtGuard@route',
      'POST /b -',
    ]);
    const withSetting = link(files, { authGuards: ['HouseGuard'] }).table;
    assert.deepEqual(find(withSetting, 'POST', '/b').guards.map((g) => [g.name, g.why]), [['HouseGuard', 'authGuards setting']]);
  });

  it('consumer middleware: forRoutes(controller | path | { path, method }) with exclude; only authenticating middleware counts', () => {
    const { table } = link({
      'src/auth.middleware.ts': [
        "import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';",
        "import * as jwt from 'jsonwebtoken';",
        'export class AuthMiddleware implements NestMiddleware {',
        '  use(req, res, next) {',
        "    try { req.user = jwt.verify(req.headers.authorization?.slice(7), process.env.KEY); } catch { throw new UnauthorizedException(); }",
        '    next();',
        '  }',
        '}',
        'export function audit(req, res, next) { console.log(req.url); next(); }',
        'export function apiKey(req, res, next) { if (req.headers["x-key"] !== process.env.KEY) return res.status(401).end(); next(); }',
        '',
      ].join('\n'),
      'src/app.module.ts': [
        "import { Module, MiddlewareConsumer, RequestMethod, Controller, Get, Post } from '@nestjs/common';",
        "import { AuthMiddleware, audit, apiKey } from './auth.middleware';",
        "@Controller('users') export class UsersController { @Get() list() {} @Get(':id') one() {} @Post() create() {} }",
        "@Controller('files') export class FilesController { @Get('public/:name') pub() {} @Post('upload') up() {} }",
        "@Controller('jobs') export class JobsController { @Get() list() {} @Post() run() {} }",
        '@Module({ controllers: [UsersController, FilesController, JobsController] })',
        'export class AppModule {',
        '  configure(consumer: MiddlewareConsumer) {',
        "    consumer.apply(audit, AuthMiddleware).exclude({ path: 'users', method: RequestMethod.GET }).forRoutes(UsersController);",
        "    consumer.apply(cors(), AuthMiddleware).exclude('files/public/(.*)').forRoutes('files/*');",
        "    consumer.apply(apiKey).forRoutes({ path: 'jobs', method: RequestMethod.POST });",
        '    consumer.apply(audit).forRoutes(\'*\');',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(rows(table), [
      'GET /users -',
      'GET /users/:id AuthMiddleware@app',
      'POST /users AuthMiddleware@app',
      'GET /files/public/:name -',
      'POST /files/upload AuthMiddleware@app',
      'GET /jobs -',
      'POST /jobs apiKey@app',
    ]);
    assert.equal(find(table, 'POST', '/users').guards[0]!.why, 'verifies credentials and answers 401');
    // Middleware is the only guard the project uses: it cannot go in @UseGuards, so no fix is offered.
    assert.equal(table.guardsUsed[0]?.name, 'AuthMiddleware');
    assert.ok(table.routes.every((r) => r.protect === undefined));
  });

  it('route patterns: wildcards, params, (.*), {*splat}', () => {
    assert.ok(nestPattern('users/*').test('/users'));
    assert.ok(nestPattern('users/*').test('/users/1/avatar'));
    assert.ok(!nestPattern('users').test('/users/1'));
    assert.ok(nestPattern('users/:id').test('/users/:id'));
    assert.ok(nestPattern('(.*)').test('/anything/at/all'));
    assert.ok(nestPattern('/files/{*rest}').test('/files/a/b'));
    assert.ok(!nestPattern('files/*').test('/filesystem'));
  });

  it('bad input: unresolved imports, dynamic modules and computed paths never throw', () => {
    const { table } = link({
      'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { Root } from '@scope/missing';\nNestFactory.create(Root);\n",
      'src/x.ts': "import { Controller, Get, Module } from '@nestjs/common';\n@Controller(prefixFromEnv()) export class X { @Get(`${a}`) x() {} }\n@Module({ controllers: [...all], imports: computed() })\nexport class XM {}\n",
    });
    // The root module cannot be found: only it is reachable, so the controller is unmounted.
    assert.deepEqual(rows(table), []);
    assert.deepEqual(table.unmounted.map((u) => u.name), ['X']);
  });

  it('barrels: guards and modules through `export *` and `export { X } from`, cyclic barrels terminate', () => {
    const { table } = link({
      ...GUARDS,
      'src/auth/index.ts': "export * from './jwt.guard';\nexport * from './index';\nexport { RolesGuard as Roles } from './roles.guard';\n",
      'src/shared/index.ts': "export * from '../auth';\nexport * from './index';\n",
      'src/m.ts': [
        "import { Module, Controller, Get, UseGuards } from '@nestjs/common';",
        "import { JwtGuard, Roles } from './shared';",
        "@Controller('z') export class Z { @Get() @UseGuards(JwtGuard, Roles) z() {} @Get('missing') @UseGuards(NotThere) m() {} }",
        '@Module({ controllers: [Z] })',
        'export class M {}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(rows(table), ['GET /z JwtGuard@route', 'GET /z/missing -']);
    assert.equal(table.routes[0]!.guards[0]!.why, "passport AuthGuard('jwt')");
  });

  describe('protect fix', () => {
    it('removes a method-level @Public() line so that the global guard applies again', () => {
      const { table, text } = link(APP);
      const r = find(table, 'GET', '/orders/catalog');
      assert.equal(r.protect?.guard, 'JwtGuard');
      const out = applyProtect(r, text).get('src/orders.controller.ts');
      assert.equal(out, APP['src/orders.controller.ts'].replace("  @Public()\n", ''));
      // @SetMetadata on the same line as other code: no line to remove; JwtGuard reads the key, so no other guard fits.
      assert.equal(find(table, 'POST', '/orders/quote').protect, undefined);
    });

    it('adds @UseGuards(Guard) above the HTTP decorator and the imports', () => {
      const files = {
        ...GUARDS,
        'src/app.module.ts': "import { Module } from '@nestjs/common';\nimport { A } from './a/a.controller';\n@Module({ controllers: [A] })\nexport class AppModule {}\n",
        'src/a/a.controller.ts': [
          'import { Controller, Get, Post, UseGuards } from "@nestjs/common"',
          'import { JwtGuard } from "../auth/jwt.guard"',
          '',
          '@Controller("a")',
          'export class A {',
          '  @Get()',
          '  @UseGuards(JwtGuard)',
          '  list() {}',
          '',
          '  @Post()',
          '  create() {}',
          '}',
          '',
        ].join('\n'),
        'src/b/b.controller.ts': [
          "import { Controller, Get } from '@nestjs/common';",
          "import { Throttle } from '@nestjs/throttler';",
          '',
          "@Controller('b')",
          'export class B {',
          '    @Throttle(5)',
          "    @Get(':id')",
          '    one() {}',
          '}',
          '',
        ].join('\n'),
        'src/c.controller.ts': [
          "import { Controller, Delete, UseGuards } from '@nestjs/common';",
          "import { RolesGuard } from './auth/roles.guard';",
          "@Controller('c')",
          'export class C {',
          "  @Delete(':id') @UseGuards(RolesGuard) remove() {}",
          '}',
          '',
        ].join('\n'),
      };
      files['src/app.module.ts'] = [
        "import { Module } from '@nestjs/common';",
        "import { A } from './a/a.controller';",
        "import { B } from './b/b.controller';",
        "import { C } from './c.controller';",
        '@Module({ controllers: [A, B, C] })',
        'export class AppModule {}',
        '',
      ].join('\n');
      const { table, text } = link(files);
      assert.deepEqual(table.guardsUsed.map((u) => u.name), ['JwtGuard']);
      // Same file, UseGuards and the guard already imported: just the decorator line, double quotes kept.
      const post = find(table, 'POST', '/a');
      assert.equal(applyProtect(post, text).get('src/a/a.controller.ts'), files['src/a/a.controller.ts'].replace('  @Post()\n', '  @UseGuards(JwtGuard)\n  @Post()\n'));
      // Another folder: UseGuards joins the @nestjs/common import, the guard is imported relatively, indentation kept.
      const one = find(table, 'GET', '/b/:id');
      assert.equal(
        applyProtect(one, text).get('src/b/b.controller.ts'),
        [
          "import { UseGuards, Controller, Get } from '@nestjs/common';",
          "import { Throttle } from '@nestjs/throttler';",
          "import { JwtGuard } from '../auth/jwt.guard';",
          '',
          "@Controller('b')",
          'export class B {',
          '    @Throttle(5)',
          '    @UseGuards(JwtGuard)',
          "    @Get(':id')",
          '    one() {}',
          '}',
          '',
        ].join('\n'),
      );
      // An existing @UseGuards on the method gets the guard appended; the decorator shares its line.
      const del = find(table, 'DELETE', '/c/:id');
      assert.equal(
        applyProtect(del, text).get('src/c.controller.ts'),
        files['src/c.controller.ts'].replace('@UseGuards(RolesGuard)', '@UseGuards(RolesGuard, JwtGuard)').replace("import { RolesGuard } from './auth/roles.guard';", "import { RolesGuard } from './auth/roles.guard';\nimport { JwtGuard } from './auth/jwt.guard';"),
      );
    });

    it("AuthGuard('jwt') as the most used guard: imported from @nestjs/passport", () => {
      const files = {
        'src/m.ts': [
          "import { Module, Controller, Get, Post, UseGuards } from '@nestjs/common';",
          "import { AuthGuard } from '@nestjs/passport';",
          "@Controller('p') export class P {",
          "  @Get() @UseGuards(AuthGuard('jwt')) a() {}",
          '}',
          '@Module({ controllers: [P, Q] })',
          'export class M {}',
          '',
        ].join('\n'),
        'src/q.ts': ["import { Controller, Post } from '@nestjs/common';", '', "@Controller('q')", 'export class Q {', '  @Post()', '  b() {}', '}', ''].join('\n'),
      };
      files['src/m.ts'] = files['src/m.ts'].replace("import { AuthGuard } from '@nestjs/passport';", "import { AuthGuard } from '@nestjs/passport';\nimport { Q } from './q';");
      const { table, text } = link(files);
      const r = find(table, 'POST', '/q');
      assert.equal(r.protect?.guard, "AuthGuard('jwt')");
      assert.equal(
        applyProtect(r, text).get('src/q.ts'),
        ["import { UseGuards, Controller, Post } from '@nestjs/common';", "import { AuthGuard } from '@nestjs/passport';", '', "@Controller('q')", 'export class Q {', "  @UseGuards(AuthGuard('jwt'))", '  @Post()', '  b() {}', '}', ''].join('\n'),
      );
    });
  });

  describe('sample app', () => {
    it('nestjs-fleetdesk: routes and findings match routes.expected.json', () => {
      const app = loadApp('nestjs-fleetdesk');
      const table = linkNest(app.files, NO_SETTINGS);
      accuracy('nestjs-fleetdesk', table, app.texts, app.publicRoutes);
    });

    it('nestjs-clinicbook: global guard from main.ts, URI versions, RouterModule children, barrels, middleware exclude', () => {
      const app = loadApp('nestjs-clinicbook');
      accuracy('nestjs-clinicbook', linkNest(app.files, NO_SETTINGS), app.texts, app.publicRoutes);
    });

    it('nestjs-fleetdesk: the fix for an unprotected route gives the expected code', () => {
      const app = loadApp('nestjs-fleetdesk');
      const table = linkNest(app.files, NO_SETTINGS);
      const r = find(table, 'GET', '/api/billing/plans');
      const before = app.texts.get('src/billing/billing.controller.ts')!;
      assert.equal(applyProtect(r, (f) => app.texts.get(f) ?? '').get('src/billing/billing.controller.ts'), before.replace("  @Public()\n  @Get('plans')", "  @Get('plans')"));
      assert.deepEqual(table.unmounted.map((u) => u.name).sort(), ['ExperimentsController', 'LegacyExportController']);
    });
  });
});
