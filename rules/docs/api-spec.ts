// docs/api-spec: each service that serves HTTP publishes a description of its API:
// - an OpenAPI/Swagger document (a YAML or JSON file with a top-level `openapi:`/`swagger:`
//   key) in the service's directory — or anywhere in the repository when it has one HTTP
//   service (with several, a document outside every service directory is partial credit:
//   which API it describes cannot be told);
// - FastAPI, which serves /openapi.json (and /docs) unless `openapi_url=None`;
// - NestJS `SwaggerModule.setup(...)` (importing @nestjs/swagger without it is partial);
// - a library that serves or generates one: swagger-ui-express, @fastify/swagger,
//   express-openapi, tsoa, swagger-jsdoc, @hono/zod-openapi, flasgger, flask-smorest,
//   flask-restx, apispec, drf-spectacular, drf-yasg, django-ninja, connexion …
// Services that serve no HTTP (no app or route facts in their files) are not asked.
import { defineRule, type CheckContext } from '../../server/src/engine/rule';
import { serviceAnchor } from '../../server/src/engine/services';
import type { Evidence, ServiceInfo, SourceFile, Span } from '../../server/src/engine/types';
import { filesByService, serviceSubject } from '../lib/services';

const TS_SPEC_LIBS: Readonly<Record<string, string>> = {
  'swagger-ui-express': 'swagger-ui-express',
  '@fastify/swagger': '@fastify/swagger',
  '@fastify/swagger-ui': '@fastify/swagger-ui',
  'fastify-swagger': 'fastify-swagger',
  'express-openapi': 'express-openapi',
  'express-openapi-validator': 'express-openapi-validator',
  tsoa: 'tsoa',
  'swagger-jsdoc': 'swagger-jsdoc',
  '@hono/zod-openapi': '@hono/zod-openapi',
  '@hono/swagger-ui': '@hono/swagger-ui',
  'koa2-swagger-ui': 'koa2-swagger-ui',
  '@asteasolutions/zod-to-openapi': 'zod-to-openapi',
  'next-swagger-doc': 'next-swagger-doc',
};
const PY_SPEC_LIBS: Readonly<Record<string, string>> = {
  flasgger: 'flasgger',
  flask_smorest: 'flask-smorest',
  flask_restx: 'flask-restx',
  flask_restplus: 'flask-restplus',
  flask_openapi3: 'flask-openapi3',
  apispec: 'apispec',
  spectree: 'spectree',
  drf_spectacular: 'drf-spectacular',
  drf_yasg: 'drf-yasg',
  ninja: 'django-ninja',
  connexion: 'connexion',
};

interface Found {
  status: 'pass' | 'partial';
  file: string;
  span: Span;
  note: string;
}

function rootModule(module: string): string {
  if (module.startsWith('@')) return module.split('/').slice(0, 2).join('/');
  return module.split('/')[0]!;
}

/** True when the file holds an HTTP app, router or route. */
function servesHttp(f: SourceFile): boolean {
  const ts = f.facts.routesTs;
  if (ts && (ts.apps.length > 0 || ts.routes.length > 0 || (ts.nest?.controllers.length ?? 0) > 0 || ts.next !== undefined)) return true;
  const py = f.facts.routesPy;
  return !!py && (py.apps.length > 0 || py.routes.length > 0 || py.urlpatterns.length > 0);
}

function codeDescriptions(f: SourceFile): Found[] {
  const out: Found[] = [];
  const ts = f.facts.routesTs;
  if (ts) {
    for (const imp of ts.imports) {
      const lib = TS_SPEC_LIBS[rootModule(imp.module)] ?? TS_SPEC_LIBS[imp.module];
      if (lib) out.push({ status: 'pass', file: f.path, span: imp.span, note: `${lib} imported` });
    }
    const setup = ts.functions.find((fn) => fn.calls.some((c) => c === 'SwaggerModule.setup'));
    if (setup) out.push({ status: 'pass', file: f.path, span: setup.span, note: `NestJS SwaggerModule.setup in ${setup.name || 'a function'}` });
    else {
      const nest = ts.imports.find((i) => i.module === '@nestjs/swagger');
      if (nest) out.push({ status: 'partial', file: f.path, span: nest.span, note: '@nestjs/swagger imported, but SwaggerModule.setup is not called here' });
    }
  }
  const py = f.facts.routesPy;
  if (py) {
    for (const app of py.apps) {
      if (app.kind !== 'FastAPI') continue;
      const url = app.call.kwargs.openapi_url;
      const disabled = url?.k === 'const' && url.v === 'None';
      if (!disabled) out.push({ status: 'pass', file: f.path, span: app.span, note: `FastAPI app '${app.target}' serves its OpenAPI document${app.call.kwargs.docs_url?.k === 'const' ? '' : ' and /docs'}` });
    }
    for (const imp of py.imports) {
      const lib = PY_SPEC_LIBS[imp.module.split('.')[0]!];
      if (lib) out.push({ status: 'pass', file: f.path, span: imp.span, note: `${lib} imported` });
    }
  }
  return out;
}

const LOOKED_FOR = 'looked for an OpenAPI/Swagger document (openapi:/swagger: at the top of a YAML or JSON file), FastAPI apps with their OpenAPI URL on, NestJS SwaggerModule.setup, and swagger-ui-express, @fastify/swagger, express-openapi, tsoa, swagger-jsdoc, flasgger, flask-smorest, drf-spectacular and similar libraries';

function httpServices(ctx: CheckContext): { service: ServiceInfo; files: SourceFile[] }[] {
  const out: { service: ServiceInfo; files: SourceFile[] }[] = [];
  for (const [service, files] of filesByService(ctx)) if (files.some(servesHttp)) out.push({ service, files });
  return out;
}

export default defineRule({
  meta: {
    id: 'docs/api-spec',
    category: 'documentation',
    weight: 2,
    severity: 'info',
    scope: 'workspace',
    title: 'HTTP services publish an API description',
    summary: 'HTTP services publish an API description (OpenAPI file, FastAPI/NestJS swagger, express swagger setup)',
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'HTTP service', plural: 'HTTP services', passing: 'publish an API description' },
    messages: {
      missing: "Service '{service}' serves HTTP but publishes no API description (OpenAPI document, FastAPI/NestJS docs, a swagger setup)",
      partial: "Service '{service}': {why}",
    },
  },
  check(ctx) {
    const services = httpServices(ctx);
    if (services.length === 0) return;
    const specs = ctx.files.filter((f) => f.facts.openapi);
    for (const { service, files } of services) {
      const subject = serviceSubject(service);
      const found: Found[] = [];
      for (const f of files) {
        if (f.facts.openapi) found.push({ status: 'pass', file: f.path, span: f.facts.openapi.span, note: `${f.facts.openapi.key === 'openapi' ? 'OpenAPI' : 'Swagger'} ${f.facts.openapi.version} document` });
        found.push(...codeDescriptions(f));
      }
      for (const f of specs) {
        if (ctx.serviceOf(f.path) !== undefined) continue;
        const alone = services.length === 1;
        found.push({
          status: alone ? 'pass' : 'partial',
          file: f.path,
          span: f.facts.openapi!.span,
          note: alone ? `${f.facts.openapi!.key === 'openapi' ? 'OpenAPI' : 'Swagger'} ${f.facts.openapi!.version} document (outside the service's directory; the repository's only HTTP service)` : `${f.path} is an API description outside every service's directory, so whose API it describes is unknown`,
        });
      }
      const evidence: Evidence[] = found.map((x) => ({ file: x.file, span: x.span, note: x.note }));
      const anchor = serviceAnchor(service) ?? { file: files.find(servesHttp)!.path, span: { start: 0, end: 0 } };
      if (found.some((x) => x.status === 'pass')) {
        ctx.verdict({ subject, status: 'pass', evidence: evidence.filter((_, i) => found[i]!.status === 'pass') });
      } else if (found.length > 0) {
        ctx.verdict({ subject, status: 'partial', evidence, report: { ...anchor, messageId: 'partial', data: { service: service.name, why: found[0]!.note } } });
      } else {
        ctx.verdict({ subject, status: 'fail', evidence: [{ note: `${LOOKED_FOR} in ${service.root}; found none` }], report: { ...anchor, messageId: 'missing', data: { service: service.name } } });
      }
    }
  },
});
