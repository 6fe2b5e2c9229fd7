// Custom protocol messages, shared by the language server and the extension (bundled
// into both). One engine, one shape: the report is the CLI's JSON report.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

import type { JsonReport } from './cli/format/json';

export type { JsonReport };

export interface ReportParams {
  /** Restrict to one workspace folder (its URI); all folders when absent. */
  folder?: string;
}

export const ReportRequest = { method: 'readiness/report', type: new RequestType<ReportParams, JsonReport | null, void>('readiness/report') } as const;

export interface ReportChangedParams {
  report: JsonReport;
}

export const ReportChangedNotification = { method: 'readiness/reportChanged', type: new NotificationType<ReportChangedParams>('readiness/reportChanged') } as const;

/** Client-side command a code action may carry to open a rule's documentation. */
export const SHOW_DOCUMENTATION_COMMAND = 'readiness.showDocumentation';

/** Data attached to every diagnostic so code actions can find their finding. */
export interface DiagnosticData {
  fingerprint: string;
}

/** Re-analyses every folder now; answers with the fresh report once it is published. */
export const RescanRequest = { method: 'readiness/rescan', type: new RequestType<ReportParams, JsonReport | null, void>('readiness/rescan') } as const;

export type RenderFormat = 'markdown' | 'sarif' | 'html';

export interface RenderParams {
  format: RenderFormat;
}

/**
 * The current results rendered as the CLI would render them (the Markdown assessment,
 * SARIF, HTML), from the server's analysis: unsaved edits and editor settings included.
 */
export const RenderRequest = { method: 'readiness/render', type: new RequestType<RenderParams, string | null, void>('readiness/render') } as const;
