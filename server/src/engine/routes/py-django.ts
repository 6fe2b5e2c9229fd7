// Django and DRF: urlpatterns → linked routes with their guards.
import type { LinkSettings, RouteTable } from './model';
import type { PyIndex } from './py-modules';

export function linkDjango(index: PyIndex, settings: LinkSettings, table: RouteTable): void {
  void index;
  void settings;
  void table;
}
