// Shared by the http/* rules: the root's linked route table, route labels, and the
// services that serve HTTP.
import type { CheckContext } from '../../server/src/engine/rule';
import { routeTable, type HttpRoute, type RouteTable } from '../../server/src/engine/routes/index';
import type { ServiceInfo } from '../../server/src/engine/types';

export { FRAMEWORK_LABELS, isProtected, type HttpRoute, type RouteTable, type GuardRef } from '../../server/src/engine/routes/index';

export function routesOf(ctx: CheckContext): RouteTable {
  return ctx.shared('route-table', () => routeTable(ctx.files, ctx.settings));
}

/** `GET /api/orders/:id` */
export function routeLabel(route: Pick<HttpRoute, 'method' | 'path'>): string {
  return `${route.method === 'ALL' ? 'ALL' : route.method} ${route.path}`;
}

/** The services that serve HTTP (an app or a route in their tree), with their routes and app sites. */
export function httpServices(ctx: CheckContext): { service: ServiceInfo | undefined; routes: HttpRoute[]; apps: RouteTable['apps'] }[] {
  const table = routesOf(ctx);
  const groups = new Map<string, { service: ServiceInfo | undefined; routes: HttpRoute[]; apps: RouteTable['apps'] }>();
  const byName = new Map(ctx.services.map((s) => [s.name, s]));
  const group = (file: string): { service: ServiceInfo | undefined; routes: HttpRoute[]; apps: RouteTable['apps'] } => {
    const name = ctx.serviceOf(file) ?? '';
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { service: byName.get(name), routes: [], apps: [] }));
    return g;
  };
  for (const app of table.apps) group(app.file).apps.push(app);
  for (const r of table.routes) group(r.file).routes.push(r);
  return [...groups.values()].sort((a, b) => ((a.service?.root ?? '') < (b.service?.root ?? '') ? -1 : 1));
}
