// Django and DRF: urlpatterns → linked routes with their guards.
//
// The walk starts at ROOT_URLCONF (resolved from the settings module) or, without one, at every
// urls module that no other includes; `include("app.urls")`, `include(module)` and
// `include(router.urls)` / `urlpatterns += router.urls` are followed across files (bounded,
// cycle-safe). Url modules and DRF routers the walk never reaches are unmounted (only decided
// when ROOT_URLCONF is known). Methods: function views are ALL unless @api_view([...]) /
// @require_http_methods / @require_GET... say otherwise; class views and viewsets are ALL. A DRF
// router registration gives the list route `/<prefix>` and the detail route `/<prefix>/<pk>`,
// plus one route per @action. `path("admin/", admin.site.urls)` is one ALL route guarded by the
// Django admin login.
//
// Guards: login_required / permission_required / user_passes_test / staff_member_required and
// project decorators that reject (403, PermissionDenied); LoginRequiredMixin and the other access
// mixins; `@method_decorator(login_required, ...)` on a class; DRF permission_classes (class
// attribute, through project base classes, or @permission_classes) where AllowAny is explicitly
// public, IsAuthenticatedOrReadOnly is optional and a custom BasePermission counts when it reads
// the request's user; DEFAULT_PERMISSION_CLASSES applies to DRF views that set none.
import type { PyClass, PyUrlPattern, PyValue } from '../parse/routes-py';
import type { Span } from '../types';
import type { GuardRef, HttpRoute, LinkSettings, ProtectEdit, RouteTable } from './model';
import { importLines, joinPaths, lineIndent } from './py-edits';
import { FlaskGuards, lastPart, rejects, settingsGuard, topFunction, type GuardInfo } from './py-guards';
import type { PyFile, PyIndex } from './py-modules';

const MAX_INCLUDE_DEPTH = 12;
const MAX_BASES = 6;
const DRF_BASE = /(APIView|ViewSet|GenericAPIView)$|(^|\.)(generics|viewsets|mixins)\./;
const ACCESS_MIXIN = /^(LoginRequiredMixin|PermissionRequiredMixin|UserPassesTestMixin|AccessMixin|StaffRequiredMixin|SuperuserRequiredMixin)$/;
const DRF_REQUIRED = /^(IsAuthenticated|IsAdminUser|DjangoModelPermissions|DjangoObjectPermissions|TokenHasScope|TokenHasReadWriteScope)$/;
const DRF_OPTIONAL = /^(IsAuthenticatedOrReadOnly|DjangoModelPermissionsOrAnonReadOnly)$/;
const METHOD_DECORATORS: Record<string, string[]> = { require_GET: ['GET'], require_POST: ['POST'], require_safe: ['GET', 'HEAD'] };

interface ClassInfo {
  file: string;
  cls: PyClass;
  drf: boolean;
  mixin?: string;
  /** The nearest permission_classes in the class or its project bases, and the file it is written in. */
  permissions?: { value: PyValue; file: string };
  decorators: { value: PyValue; file: string }[];
}

interface Ctx {
  index: PyIndex;
  settings: LinkSettings;
  decorators: FlaskGuards;
  defaults?: { names: string[]; file: string; span: Span };
  routes: HttpRoute[];
  used: Map<string, { count: number; sites: Set<string> }>;
  reachedFiles: Set<string>;
  reachedRouters: Set<string>;
}

function use(ctx: Ctx, name: string, ref: GuardRef): GuardRef {
  if (ref.optional) return ref;
  let u = ctx.used.get(name);
  if (!u) ctx.used.set(name, (u = { count: 0, sites: new Set() }));
  const site = `${ref.file}:${ref.span.start}`;
  if (!u.sites.has(site)) {
    u.sites.add(site);
    u.count++;
  }
  return ref;
}

/** A Django route string as a path: regexes lose their anchors, `path()` converters stay as written. */
function routePart(p: PyUrlPattern): string {
  const r = p.route ?? '*';
  return p.kind === 'path' ? r : r.replace(/^\^/, '').replace(/\$$/, '');
}

// --- permissions -----------------------------------------------------------------------

function classAt(index: PyIndex, file: string, name: string): { file: string; cls: PyClass } | undefined {
  const sym = index.resolve(file, name);
  if (sym?.kind !== 'def' || sym.rest.length > 0) return undefined;
  const cls = index.files.get(sym.file)?.facts.classes.find((c) => c.name === sym.name);
  return cls ? { file: sym.file, cls } : undefined;
}

/** One permission class (as written in `file`): a guard, explicitly public (AllowAny), or nothing known. */
function permission(ctx: Ctx, file: string, name: string, depth = 0): GuardInfo | 'public' | undefined {
  const last = lastPart(name);
  if (settingsGuard(name, ctx.settings.authGuards)) return { name: last, why: 'authGuards setting', optional: false };
  if (last === 'AllowAny') return 'public';
  if (DRF_REQUIRED.test(last)) return { name: last, why: `DRF ${last}`, optional: false, module: 'rest_framework.permissions' };
  if (DRF_OPTIONAL.test(last)) return { name: last, why: `DRF ${last}: anonymous reads allowed`, optional: true, module: 'rest_framework.permissions' };
  if (depth > MAX_BASES) return undefined;
  // Dotted settings strings ("shop.permissions.IsMember"): the module part, then the class.
  let found = classAt(ctx.index, file, name);
  if (!found && name.includes('.')) {
    const mod = ctx.index.resolveModule(file, name.slice(0, name.lastIndexOf('.')));
    const cls = mod ? ctx.index.files.get(mod)?.facts.classes.find((c) => c.name === last) : undefined;
    if (mod && cls) found = { file: mod, cls };
  }
  if (!found) return undefined;
  const methods = ctx.index.files.get(found.file)!.facts.functions.filter((f) => f.class === found.cls.name && /^has_(object_)?permission$/.test(f.name));
  if (methods.some((m) => m.body?.checksUser || rejects(m.body))) {
    return { name: found.cls.name, why: 'permission class that checks the request user', optional: false, file: found.file };
  }
  for (const b of found.cls.bases) {
    const g = permission(ctx, found.file, b, depth + 1);
    if (g && g !== 'public') return { ...g, name: found.cls.name, file: found.file };
  }
  return undefined;
}

/** The guards of a permission list; 'public' when it only allows any. */
function permissionList(ctx: Ctx, file: string, v: PyValue): GuardInfo[] | 'public' {
  const items = v.k === 'list' ? v.items : [v];
  const out: GuardInfo[] = [];
  let allowAny = false;
  for (const item of items) {
    if (item.k === 'name') {
      const g = permission(ctx, file, item.v);
      if (g === 'public') allowAny = true;
      else if (g) out.push(g);
    } else if (item.k === 'expr' && /\bIsAuthenticated\b|\bIsAdminUser\b/.test(item.text)) {
      // Composed permissions (`IsAuthenticated & IsOwner`).
      out.push({ name: 'IsAuthenticated', why: 'DRF composed permission requiring authentication', optional: false, module: 'rest_framework.permissions' });
    }
  }
  return out.length === 0 && allowAny ? 'public' : out;
}

function describeClass(ctx: Ctx, file: string, name: string): ClassInfo | undefined {
  const top = classAt(ctx.index, file, name);
  if (!top) return undefined;
  const info: ClassInfo = { file: top.file, cls: top.cls, drf: false, decorators: [] };
  const queue: { file: string; cls: PyClass; depth: number }[] = [{ ...top, depth: 0 }];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const { file: f, cls, depth } = queue.shift()!;
    const key = `${f}#${cls.name}`;
    if (seen.has(key) || depth > MAX_BASES) continue;
    seen.add(key);
    if (!info.permissions && cls.attrs.permission_classes) info.permissions = { value: cls.attrs.permission_classes, file: f };
    for (const d of cls.decorators) info.decorators.push({ value: d, file: f });
    // `@method_decorator(login_required)` on `dispatch` guards every method.
    for (const m of cls.methods) if (m.name === 'dispatch') for (const d of m.decorators) info.decorators.push({ value: d, file: f });
    for (const b of cls.bases) {
      if (DRF_BASE.test(b)) info.drf = true;
      if (ACCESS_MIXIN.test(lastPart(b))) info.mixin ??= lastPart(b);
      const base = classAt(ctx.index, f, b);
      if (base) queue.push({ ...base, depth: depth + 1 });
    }
  }
  return info;
}

function classGuards(ctx: Ctx, info: ClassInfo, permissionsOverride?: PyValue): GuardRef[] {
  const out: GuardRef[] = [];
  const c = info.cls;
  if (info.mixin) out.push(use(ctx, info.mixin, { name: info.mixin, level: 'route', why: `Django ${info.mixin}`, file: info.file, span: c.nameSpan }));
  for (const d of info.decorators) {
    // `@method_decorator(login_required, name="dispatch")`
    if (d.value.k !== 'call' || lastPart(d.value.fn) !== 'method_decorator' || !d.value.args[0]) continue;
    const g = ctx.decorators.decorator(d.file, d.value.args[0]);
    if (g) out.push(use(ctx, g.name, { name: g.name, level: 'route', why: g.why, ...(g.optional ? { optional: true } : {}), file: d.file, span: d.value.span }));
  }
  if (info.drf) {
    const perms = permissionsOverride ? { value: permissionsOverride, file: info.file } : info.permissions;
    if (perms) {
      const list = permissionList(ctx, perms.file, perms.value);
      if (list !== 'public') for (const g of list) out.push(use(ctx, g.name, { name: g.name, level: 'route', why: g.why, ...(g.optional ? { optional: true } : {}), file: perms.file, span: perms.value.span }));
    } else out.push(...defaultGuards(ctx));
  }
  return out;
}

function defaultGuards(ctx: Ctx): GuardRef[] {
  const d = ctx.defaults;
  if (!d) return [];
  const out: GuardRef[] = [];
  for (const name of d.names) {
    const g = permission(ctx, d.file, name);
    if (g && g !== 'public') out.push(use(ctx, g.name, { name: g.name, level: 'settings', why: `DEFAULT_PERMISSION_CLASSES: ${g.why}`, ...(g.optional ? { optional: true } : {}), file: d.file, span: d.span }));
  }
  return out;
}

// --- views -----------------------------------------------------------------------------

interface Emit {
  file: string;
  span: Span;
  prefix: string;
  app: string;
}

function methodsOfDecorators(decorators: PyValue[]): string[] | undefined {
  for (const d of decorators) {
    const fn = d.k === 'name' ? d.v : d.k === 'call' ? d.fn : '';
    const last = lastPart(fn);
    if (METHOD_DECORATORS[last]) return METHOD_DECORATORS[last];
    if (d.k === 'call' && (last === 'api_view' || last === 'require_http_methods')) {
      const list = d.args[0] ?? d.kwargs.http_method_names;
      const methods = list?.k === 'list' ? list.items.flatMap((i) => (i.k === 'str' ? [i.v.toUpperCase()] : [])) : [];
      return methods.length > 0 ? methods : last === 'api_view' ? ['GET'] : undefined;
    }
  }
  return undefined;
}

function functionView(ctx: Ctx, file: string, name: string, e: Emit): boolean {
  const fn = topFunction(ctx.index, file, name);
  const def = ctx.index.files.get(file)?.facts.views.find((v) => v.name === name);
  if (!fn && !def) return false;
  const decorators = fn?.decorators ?? [];
  const guards: GuardRef[] = [];
  const isApiView = decorators.some((d) => d.k === 'call' && lastPart(d.fn) === 'api_view');
  let explicitPermissions = false;
  for (const d of decorators) {
    if (d.k === 'call' && lastPart(d.fn) === 'permission_classes' && d.args[0]) {
      explicitPermissions = true;
      const list = permissionList(ctx, file, d.args[0]);
      if (list !== 'public') for (const g of list) guards.push(use(ctx, g.name, { name: g.name, level: 'route', why: g.why, ...(g.optional ? { optional: true } : {}), file, span: d.span }));
      continue;
    }
    const g = ctx.decorators.decorator(file, d);
    if (g) guards.push(use(ctx, g.name, { name: g.name, level: 'route', why: g.why, ...(g.optional ? { optional: true } : {}), file, span: d.span }));
  }
  if (isApiView && !explicitPermissions) guards.push(...defaultGuards(ctx));
  for (const method of methodsOfDecorators(decorators) ?? ['ALL']) {
    ctx.routes.push({ framework: 'django', method, path: joinPaths(e.prefix), file: e.file, span: e.span, handler: name, app: e.app, guards: [...guards] });
  }
  return true;
}

function classView(ctx: Ctx, file: string, name: string, e: Emit): boolean {
  const info = describeClass(ctx, file, name);
  if (!info) return false;
  ctx.routes.push({ framework: 'django', method: 'ALL', path: joinPaths(e.prefix), file: e.file, span: e.span, handler: info.cls.name, app: e.app, guards: classGuards(ctx, info) });
  return true;
}

function view(ctx: Ctx, file: string, v: PyValue, e: Emit, depth = 0): void {
  // `login_required(views.home)`, `csrf_exempt(View.as_view())`: the wrapped view, with the wrapper's guard when it is one.
  if (v.k === 'call' && !v.fn.endsWith('.as_view') && v.args[0] && depth < 4) {
    const before = ctx.routes.length;
    view(ctx, file, v.args[0], e, depth + 1);
    const g = ctx.decorators.decorator(file, v);
    if (g) {
      const ref = use(ctx, g.name, { name: g.name, level: 'route', why: g.why, ...(g.optional ? { optional: true } : {}), file, span: v.span });
      for (const r of ctx.routes.slice(before)) r.guards.unshift(ref);
    }
    return;
  }
  // `views.home`, `OrderView.as_view()`, `views.OrderView.as_view(template_name=...)`.
  const dotted = v.k === 'name' ? v.v : v.k === 'call' ? v.fn.replace(/\.as_view$/, '') : undefined;
  if (dotted) {
    const sym = ctx.index.resolve(file, dotted);
    if (sym?.kind === 'def' && sym.rest.length === 0) {
      if (v.k === 'call' ? classView(ctx, sym.file, sym.name, e) : functionView(ctx, sym.file, sym.name, e) || classView(ctx, sym.file, sym.name, e)) return;
    }
  }
  ctx.routes.push({ framework: 'django', method: 'ALL', path: joinPaths(e.prefix), file: e.file, span: e.span, ...(dotted ? { handler: dotted } : {}), app: e.app, guards: [] });
}

function routerRoutes(ctx: Ctx, file: string, owner: string, prefix: string, app: string): void {
  ctx.reachedRouters.add(`${file}#${owner}`);
  for (const reg of ctx.index.files.get(file)?.facts.routers ?? []) {
    if (reg.owner !== owner) continue;
    const base = joinPaths(prefix, reg.prefix ?? '*');
    const name = reg.view.k === 'name' ? reg.view.v : undefined;
    // A router registers DRF viewsets: DRF rules apply even when the class (or its base) is not read.
    const described = name ? describeClass(ctx, file, name) : undefined;
    const info = described ? { ...described, drf: true } : undefined;
    const guards = info ? classGuards(ctx, info) : defaultGuards(ctx);
    const handler = info?.cls.name ?? name;
    const push = (path: string, method: string, g: GuardRef[]): void => {
      ctx.routes.push({ framework: 'django', method, path, file, span: reg.span, ...(handler ? { handler } : {}), app, guards: g });
    };
    push(base, 'ALL', guards);
    push(joinPaths(base, '<pk>'), 'ALL', [...guards]);
    for (const m of info?.cls.methods ?? []) {
      const action = m.decorators.find((d): d is Extract<PyValue, { k: 'call' }> => d.k === 'call' && lastPart(d.fn) === 'action');
      if (!action) continue;
      const detail = action.kwargs.detail?.k === 'const' && action.kwargs.detail.v === 'True';
      const urlPath = action.kwargs.url_path?.k === 'str' ? action.kwargs.url_path.v : m.name;
      const methodsV = action.kwargs.methods;
      const methods = methodsV?.k === 'list' ? methodsV.items.flatMap((i) => (i.k === 'str' ? [i.v.toUpperCase()] : [])) : ['GET'];
      const g = action.kwargs.permission_classes && info ? classGuards(ctx, info, action.kwargs.permission_classes) : guards;
      for (const method of methods.length > 0 ? methods : ['GET']) push(joinPaths(base, detail ? '<pk>' : '', urlPath), method, [...g]);
    }
  }
}

function walk(ctx: Ctx, file: string, prefix: string, app: string, depth: number, seen: Set<string>): void {
  if (depth > MAX_INCLUDE_DEPTH || seen.has(file)) return;
  const here = new Set(seen).add(file);
  ctx.reachedFiles.add(file);
  for (const p of ctx.index.files.get(file)?.facts.urlpatterns ?? []) {
    const path = `${prefix}/${routePart(p)}`;
    if (p.include) {
      let target = p.include;
      if (target.k === 'list' && target.items[0]) target = target.items[0];
      if (target.k === 'str') {
        const mod = ctx.index.resolveModule(file, target.v);
        if (mod) walk(ctx, mod, path, app, depth + 1, here);
        continue;
      }
      if (target.k === 'name') {
        const sym = ctx.index.resolve(file, target.v);
        if (sym?.kind === 'module') walk(ctx, sym.file, path, app, depth + 1, here);
        else if (sym?.kind === 'def' && sym.rest.join('.') === 'urls') routerRoutes(ctx, sym.file, sym.name, path, app);
        else if (sym?.kind === 'def' && sym.rest.length === 0 && sym.name === 'urlpatterns') walk(ctx, sym.file, path, app, depth + 1, here);
      }
      continue;
    }
    if (p.view.k === 'name' && /(^|\.)site\.urls$/.test(p.view.v)) {
      const ref = use(ctx, 'admin.site', { name: 'admin.site', level: 'route', why: 'Django admin login', file, span: p.view.span });
      ctx.routes.push({ framework: 'django', method: 'ALL', path: joinPaths(path), file, span: p.span, handler: 'admin.site.urls', app, guards: [ref] });
      continue;
    }
    view(ctx, file, p.view, { file, span: p.span, prefix: path, app });
  }
}

// --- fixes -----------------------------------------------------------------------------

function functionFix(ctx: Ctx, file: PyFile, name: string): ProtectEdit[] | undefined {
  const def = file.facts.views.find((v) => v.name === name);
  const fn = topFunction(ctx.index, file.path, name);
  const at = def?.span ?? fn?.span;
  if (!at) return undefined;
  const indent = lineIndent(file, at.start);
  const decorators = fn?.decorators ?? [];
  if (decorators.some((d) => d.k === 'call' && lastPart(d.fn) === 'api_view')) {
    const existing = decorators.find((d): d is Extract<PyValue, { k: 'call' }> => d.k === 'call' && lastPart(d.fn) === 'permission_classes');
    const edit: ProtectEdit = existing?.args[0]
      ? { file: file.path, span: existing.args[0].span, newText: '[IsAuthenticated]' }
      : { file: file.path, span: { start: at.start, end: at.start }, newText: `@permission_classes([IsAuthenticated])\n${indent}` };
    return [
      edit,
      ...importLines(ctx.index, file, [
        ...(existing ? [] : [{ module: 'rest_framework.decorators', name: 'permission_classes' }]),
        { module: 'rest_framework.permissions', name: 'IsAuthenticated' },
      ]),
    ];
  }
  return [{ file: file.path, span: { start: at.start, end: at.start }, newText: `@login_required\n${indent}` }, ...importLines(ctx.index, file, [{ module: 'django.contrib.auth.decorators', name: 'login_required' }])];
}

function classFix(ctx: Ctx, info: ClassInfo): { guard: string; edits: ProtectEdit[] } | undefined {
  const file = ctx.index.files.get(info.file);
  if (!file) return undefined;
  if (info.drf) {
    const own = info.cls.attrs.permission_classes;
    let edit: ProtectEdit | undefined;
    if (own) edit = { file: file.path, span: own.span, newText: '[IsAuthenticated]' };
    else if (info.cls.bodySpan) edit = { file: file.path, span: { start: info.cls.bodySpan.start, end: info.cls.bodySpan.start }, newText: `permission_classes = [IsAuthenticated]\n${lineIndent(file, info.cls.bodySpan.start)}` };
    if (!edit) return undefined;
    return { guard: 'IsAuthenticated', edits: [edit, ...importLines(ctx.index, file, [{ module: 'rest_framework.permissions', name: 'IsAuthenticated' }])] };
  }
  const at = info.cls.span.start;
  return {
    guard: 'login_required',
    edits: [
      { file: file.path, span: { start: at, end: at }, newText: `@method_decorator(login_required, name="dispatch")\n${lineIndent(file, at)}` },
      ...importLines(ctx.index, file, [
        { module: 'django.utils.decorators', name: 'method_decorator' },
        { module: 'django.contrib.auth.decorators', name: 'login_required' },
      ]),
    ],
  };
}

function addFixes(ctx: Ctx): void {
  for (const r of ctx.routes) {
    if (r.guards.some((g) => !g.optional) || !r.handler || r.handler === 'admin.site.urls') continue;
    const regFile = ctx.index.files.get(r.file);
    if (!regFile) continue;
    // The view as the registration names it: resolve from the registering file.
    const p = regFile.facts.urlpatterns.find((x) => x.span.start === r.span.start);
    const reg = regFile.facts.routers.find((x) => x.span.start === r.span.start);
    const v = p?.view ?? reg?.view;
    const dotted = v?.k === 'name' ? v.v : v?.k === 'call' ? v.fn.replace(/\.as_view$/, '') : undefined;
    const sym = dotted ? ctx.index.resolve(r.file, dotted) : undefined;
    if (sym?.kind !== 'def' || sym.rest.length > 0) continue;
    const target = ctx.index.files.get(sym.file);
    if (!target) continue;
    const isCall = v?.k === 'call' || !!reg;
    const fnEdits = !isCall ? functionFix(ctx, target, sym.name) : undefined;
    if (fnEdits) {
      r.protect = { guard: fnEdits[0]!.newText.startsWith('@login') ? 'login_required' : 'IsAuthenticated', edits: fnEdits };
      continue;
    }
    const info = describeClass(ctx, sym.file, sym.name);
    const fix = info ? classFix(ctx, info) : undefined;
    if (fix) r.protect = fix;
  }
}

// ---------------------------------------------------------------------------------------

export function linkDjango(index: PyIndex, settings: LinkSettings, table: RouteTable): void {
  const files = [...index.files.values()];
  const urlFiles = files.filter((f) => f.facts.urlpatterns.length > 0);
  if (urlFiles.length === 0) return;
  const settingsFile = files.find((f) => f.facts.settings?.rootUrlconf) ?? files.find((f) => f.facts.settings);
  const s = settingsFile?.facts.settings;
  // Split settings (base.py / production.py): the REST_FRAMEWORK defaults may live in another module than ROOT_URLCONF.
  const drfFile = files.find((f) => f.facts.settings?.defaultPermissionClasses);
  const drf = drfFile?.facts.settings;
  const ctx: Ctx = {
    index,
    settings,
    decorators: new FlaskGuards(index, settings.authGuards),
    ...(drf?.defaultPermissionClasses && drfFile ? { defaults: { names: drf.defaultPermissionClasses, file: drfFile.path, span: drf.restFramework?.span ?? drf.span } } : {}),
    routes: [],
    used: new Map(),
    reachedFiles: new Set(),
    reachedRouters: new Set(),
  };
  const rootFile = s?.rootUrlconf && settingsFile ? index.resolveModule(settingsFile.path, s.rootUrlconf) : undefined;
  let roots: PyFile[];
  if (rootFile && index.files.get(rootFile)?.facts.urlpatterns.length) roots = [index.files.get(rootFile)!];
  else {
    // No ROOT_URLCONF: every urls module that no other one includes.
    const included = new Set<string>();
    for (const f of urlFiles) {
      for (const p of f.facts.urlpatterns) {
        const t = p.include?.k === 'list' ? p.include.items[0] : p.include;
        const mod = t?.k === 'str' ? index.resolveModule(f.path, t.v) : t?.k === 'name' ? index.resolve(f.path, t.v) : undefined;
        const target = typeof mod === 'string' ? mod : mod?.kind === 'module' ? mod.file : undefined;
        if (target && target !== f.path) included.add(target);
      }
    }
    roots = urlFiles.filter((f) => !included.has(f.path));
  }
  for (const root of roots) {
    const app = `${root.path}#urlpatterns`;
    table.apps.push({ framework: 'django', name: 'urlpatterns', file: root.path, span: root.facts.urlpatterns[0]!.span });
    walk(ctx, root.path, '', app, 0, new Set());
  }
  if (rootFile) {
    for (const f of urlFiles) {
      if (!ctx.reachedFiles.has(f.path)) table.unmounted.push({ framework: 'django', name: 'urlpatterns', file: f.path, span: f.facts.urlpatterns[0]!.span, routes: f.facts.urlpatterns.length });
    }
    for (const f of files) {
      const owners = new Map<string, { span: Span; n: number }>();
      for (const r of f.facts.routers) {
        const o = owners.get(r.owner);
        if (o) o.n++;
        else owners.set(r.owner, { span: r.span, n: 1 });
      }
      for (const [owner, o] of owners) {
        if (!ctx.reachedRouters.has(`${f.path}#${owner}`)) table.unmounted.push({ framework: 'django', name: owner, file: f.path, span: o.span, routes: o.n });
      }
    }
  }
  if (ctx.used.size > 0) addFixes(ctx);
  table.routes.push(...ctx.routes);
  for (const [name, u] of ctx.used) table.guardsUsed.push({ framework: 'django', name, count: u.count });
}
