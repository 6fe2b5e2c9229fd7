// Every id the extension contributes or listens to, in one place: commands, the view, its
// container, and the context keys that drive the view's toolbar. package.json refers to
// these strings; test/package.test.ts holds the two to each other.
import { SHOW_DOCUMENTATION_COMMAND } from '../../server/src/protocol';

export const Commands = {
  rescan: 'readiness.rescan',
  openReport: 'readiness.openReport',
  exportSarif: 'readiness.exportSarif',
  showOutput: 'readiness.showOutput',
  restartServer: 'readiness.restartServer',
  /** Opens a rule's documentation; the server's "Show documentation" code action sends it with a URL. */
  showDocumentation: SHOW_DOCUMENTATION_COMMAND,
  filterFailing: 'readiness.tree.filterFailing',
  showAll: 'readiness.tree.showAll',
  groupByFile: 'readiness.tree.groupByFile',
  groupByCategory: 'readiness.tree.groupByCategory',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const VIEW_CONTAINER_ID = 'readiness';
export const VIEW_ID = 'readiness.tree';
/** Built by VS Code for every view: reveals and focuses it. */
export const FOCUS_VIEW_COMMAND = `${VIEW_ID}.focus`;

/** Context keys the manifest's `when` clauses read. */
export const ContextKeys = {
  hasReport: 'readiness.hasReport',
  filterFailing: 'readiness.filterFailing',
  groupBy: 'readiness.groupBy',
} as const;

/** The language client's id: VS Code reads `<id>.trace.server` for protocol tracing. */
export const CLIENT_ID = 'readiness';
export const OUTPUT_CHANNEL_NAME = 'Readiness';
