// Express, Koa, Hono and Fastify: route facts → linked routes with their guards.
import type { SourceFile } from '../types';
import { emptyTable, type LinkSettings, type RouteTable } from './model';

export function linkTs(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  void files;
  void settings;
  return emptyTable();
}
