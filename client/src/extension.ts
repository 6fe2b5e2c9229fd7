// The VS Code extension: starts the language server (dist/server.js over node IPC), shows
// its report in the Readiness view and the status bar, and offers the commands. One
// context object owns every disposable; commands are a table id → handler.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type DocumentSelector,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { JsonReport } from '../../server/src/cli/format/json';
import { ruleDocUrl } from '../../server/src/cli/tool';
import { RenderRequest, RescanRequest, ReportChangedNotification, ReportRequest, type RenderFormat } from '../../server/src/protocol';
import { CLIENT_ID, Commands, ContextKeys, FOCUS_VIEW_COMMAND, OUTPUT_CHANNEL_NAME, VIEW_ID, type CommandId } from './commands';
import { CRASH_LIMIT, CRASH_WINDOW_MS, CrashTracker, crashMessage } from './crashes';
import { SETTINGS_SECTION } from '../../server/src/settings';
import { LatestRender, messageHtml, REPORT_TITLE, REPORT_VIEW_TYPE, webviewHtml } from './reportView';
import { ReadinessTreeProvider } from './tree';
import { failingChecks, statusBarText, type GroupBy, type TreeNode } from './treeModel';

/** What `activate` returns: the state extension-host tests read. */
export interface ReadinessApi {
  client: LanguageClient;
  getReport(): JsonReport | undefined;
  tree: ReadinessTreeProvider;
  /** Fires after each re-analysis the server reports. */
  onDidChangeReport: vscode.Event<JsonReport>;
  /** What the status bar item shows now ("Readiness 62%"). */
  statusText(): string;
  /** The HTML the open report webview shows, if one is open. */
  reportPanelHtml(): string | undefined;
  /** Fires after the report webview's page was replaced (opened, or refreshed after a re-analysis). */
  onDidRenderReportPanel: vscode.Event<string>;
}

/** Sent with `initialize`. */
export interface InitializationOptions {
  /** VS Code's workspace trust: false in Restricted Mode. */
  workspaceTrusted: boolean;
  /** Where the server keeps its facts cache between starts: the workspace's storage folder, when there is one. */
  cacheDir?: string;
}

/** Languages whose files the server analyses as they are typed (plus any file on disk, by pattern). */
export const LANGUAGES = ['yaml', 'dockerfile', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'python', 'dotenv', 'properties', 'markdown', 'json', 'plaintext'];

export const DOCUMENT_SELECTOR: DocumentSelector = [{ scheme: 'file', pattern: '**/*' }, ...LANGUAGES.map((language) => ({ scheme: 'file', language }))];

const STATE_FILTER = 'readiness.view.filterFailing';
const STATE_GROUP_BY = 'readiness.view.groupBy';

type Handler = (ctx: ReadinessContext, ...args: unknown[]) => unknown;

const COMMANDS: Record<CommandId, Handler> = {
  [Commands.rescan]: (ctx) => ctx.rescan(),
  [Commands.openReport]: (ctx) => ctx.openReport(),
  [Commands.exportSarif]: (ctx, target) => ctx.exportSarif(target instanceof vscode.Uri ? target : undefined),
  [Commands.showOutput]: (ctx) => ctx.output.show(true),
  [Commands.restartServer]: (ctx) => ctx.restartServer(),
  [Commands.showDocumentation]: (ctx, arg) => ctx.showDocumentation(arg),
  [Commands.filterFailing]: (ctx) => ctx.setViewOptions({ filterFailing: true }),
  [Commands.showAll]: (ctx) => ctx.setViewOptions({ filterFailing: false }),
  [Commands.groupByFile]: (ctx) => ctx.setViewOptions({ groupBy: 'file' }),
  [Commands.groupByCategory]: (ctx) => ctx.setViewOptions({ groupBy: 'category' }),
};

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class ReadinessContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly output: vscode.OutputChannel;
  readonly client: LanguageClient;
  readonly tree = new ReadinessTreeProvider();
  private readonly treeView: vscode.TreeView<TreeNode>;
  private readonly status: vscode.StatusBarItem;

  statusText(): string {
    return this.status.text;
  }
  private readonly reportChanged = new vscode.EventEmitter<JsonReport>();
  readonly onDidChangeReport = this.reportChanged.event;
  private readonly crashes = new CrashTracker();
  private report: JsonReport | undefined;
  private reportPanel: vscode.WebviewPanel | undefined;
  private readonly panelRenders = new LatestRender();
  private readonly panelRendered = new vscode.EventEmitter<string>();
  readonly onDidRenderReportPanel = this.panelRendered.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = this.own(vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME));
    this.own(this.reportChanged);
    this.own(this.panelRendered);
    this.own(this.tree);
    this.treeView = this.own(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true }));
    this.status = this.own(vscode.window.createStatusBarItem('readiness.status', vscode.StatusBarAlignment.Left, 0));
    this.status.name = 'Readiness';
    this.status.command = FOCUS_VIEW_COMMAND;
    this.client = this.createClient();
    this.own(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restartServer()));
    for (const [id, handler] of Object.entries(COMMANDS)) this.own(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(this, ...args)));
    const state = extension.workspaceState;
    this.setViewOptions({ filterFailing: state.get<boolean>(STATE_FILTER, false), groupBy: state.get<GroupBy>(STATE_GROUP_BY, 'category') });
    this.showReport(undefined);
    this.status.show();
  }

  private own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  getReport(): JsonReport | undefined {
    return this.report;
  }

  private createClient(): LanguageClient {
    const module = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      synchronize: { configurationSection: SETTINGS_SECTION },
      // Read at start: in an untrusted workspace the server ignores config that could run code.
      // Granting trust restarts the server (see the constructor), so this is never stale.
      initializationOptions: (): InitializationOptions => ({ workspaceTrusted: vscode.workspace.isTrusted, cacheDir: this.extension.storageUri?.fsPath }),
      outputChannel: this.output,
      errorHandler: {
        error: (_error, _message, count): ErrorHandlerResult => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: (): CloseHandlerResult => this.serverClosed(),
      },
    };
    const client = new LanguageClient(CLIENT_ID, 'Readiness', serverOptions, clientOptions);
    this.own(client.onNotification(ReportChangedNotification.type, (p) => this.showReport(p.report)));
    return client;
  }

  /** The server went away without being asked to: restart it, unless it keeps crashing. */
  private serverClosed(): CloseHandlerResult {
    if (this.crashes.crashed() === 'restart') {
      return { action: CloseAction.Restart, message: `Readiness server stopped unexpectedly; restarting it (${this.crashes.recent} of ${CRASH_LIMIT} crashes allowed in ${CRASH_WINDOW_MS / 60000} minutes).`, handled: true };
    }
    const message = crashMessage();
    void vscode.window.showErrorMessage(message, 'Show output', 'Restart').then((choice) => {
      if (choice === 'Show output') this.output.show(true);
      else if (choice === 'Restart') void this.restartServer();
    });
    return { action: CloseAction.DoNotRestart, message, handled: true };
  }

  async start(): Promise<void> {
    try {
      await this.client.start();
      const report = await this.client.sendRequest(ReportRequest.type, {});
      if (report && !this.report) this.showReport(report);
    } catch (e) {
      this.output.appendLine(`Readiness server failed to start: ${errorText(e)}`);
      void vscode.window.showErrorMessage(`Readiness server failed to start: ${errorText(e)}`, 'Show output').then((choice) => {
        if (choice) this.output.show(true);
      });
    }
  }

  private showReport(report: JsonReport | undefined): void {
    this.report = report;
    this.tree.setReport(report);
    const { text, tooltip } = statusBarText(report);
    this.status.text = text;
    this.status.tooltip = tooltip;
    const failing = failingChecks(report);
    this.treeView.badge = failing > 0 ? { value: failing, tooltip: `${failing} failing check${failing === 1 ? '' : 's'}` } : undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.hasReport, report !== undefined);
    if (report) this.reportChanged.fire(report);
    if (report && this.reportPanel) void this.renderReportPanel();
  }

  setViewOptions(options: { filterFailing?: boolean; groupBy?: GroupBy }): void {
    this.tree.setOptions(options);
    const { filterFailing, groupBy } = this.tree.viewOptions;
    void this.extension.workspaceState.update(STATE_FILTER, filterFailing);
    void this.extension.workspaceState.update(STATE_GROUP_BY, groupBy);
    void vscode.commands.executeCommand('setContext', ContextKeys.filterFailing, filterFailing);
    void vscode.commands.executeCommand('setContext', ContextKeys.groupBy, groupBy);
    this.treeView.message = filterFailing ? 'Showing failing and partial checks only.' : undefined;
  }

  /** Re-analyses the whole workspace; resolves with the fresh report. */
  async rescan(): Promise<JsonReport | undefined> {
    if (!this.client.isRunning()) {
      await this.restartServer();
      return this.report;
    }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Readiness: rescanning' }, async () => (await this.client.sendRequest(RescanRequest.type, {})) ?? undefined);
  }

  async restartServer(): Promise<void> {
    this.crashes.reset();
    try {
      if (this.client.isRunning()) await this.client.restart();
      else await this.start();
    } catch (e) {
      void vscode.window.showErrorMessage(`Readiness server could not be restarted: ${errorText(e)}`);
    }
  }

  showDocumentation(arg: unknown): Thenable<boolean> | undefined {
    const url = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && typeof (arg as TreeNode).ruleId === 'string' ? ruleDocUrl((arg as TreeNode).ruleId!) : undefined;
    if (!url || !/^https?:\/\//.test(url)) return undefined;
    return vscode.env.openExternal(vscode.Uri.parse(url));
  }

  /** Enabled file-system folders of the workspace. */
  private scanFolders(): vscode.WorkspaceFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' && vscode.workspace.getConfiguration(SETTINGS_SECTION, f.uri).get<boolean>('enable', true));
  }

  /** A local directory for generated reports. */
  private async storageDir(): Promise<string> {
    const uri = this.extension.globalStorageUri;
    const dir = uri.scheme === 'file' ? uri.fsPath : path.join(os.tmpdir(), 'readiness-reports');
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * Writes the server's current results as `format` to `output`: the same analysis as the
   * tree and the diagnostics, unsaved edits and editor settings included.
   */
  private async writeReport(format: RenderFormat, output: string): Promise<boolean> {
    if (this.scanFolders().length === 0) {
      void vscode.window.showInformationMessage('Readiness: open a folder (with Readiness enabled) to produce a report.');
      return false;
    }
    try {
      const text = await this.client.sendRequest(RenderRequest.type, { format });
      if (text === null) {
        void vscode.window.showInformationMessage('Readiness: the first analysis has not finished yet.');
        return false;
      }
      await fs.writeFile(output, text);
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(`Readiness report failed: ${errorText(e)}`, 'Show output').then((choice) => {
        if (choice) this.output.show(true);
      });
      return false;
    }
  }

  /**
   * Shows the HTML assessment in a webview (the same page as `readiness scan --format html`,
   * from the server's analysis), refreshed after each re-analysis while it is open.
   */
  async openReport(): Promise<vscode.WebviewPanel | undefined> {
    if (this.scanFolders().length === 0) {
      void vscode.window.showInformationMessage('Readiness: open a folder (with Readiness enabled) to produce a report.');
      return undefined;
    }
    let panel = this.reportPanel;
    if (panel) {
      panel.reveal();
    } else {
      // No scripts, no command links, no local files: the page is static HTML and inline SVG.
      panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, REPORT_TITLE, vscode.ViewColumn.Active, { enableScripts: false, enableCommandUris: false, enableFindWidget: true, localResourceRoots: [] });
      const opened = panel;
      this.reportPanel = opened;
      opened.onDidDispose(() => {
        if (this.reportPanel === opened) this.reportPanel = undefined;
      });
    }
    await this.renderReportPanel();
    return panel;
  }

  reportPanelHtml(): string | undefined {
    return this.reportPanel?.webview.html;
  }

  /** Asks the server for the HTML report and shows it, unless a newer render started meanwhile. */
  private async renderReportPanel(): Promise<void> {
    const panel = this.reportPanel;
    if (!panel) return;
    const current = this.panelRenders.begin();
    let page: string;
    try {
      const html = this.client.isRunning() ? await this.client.sendRequest(RenderRequest.type, { format: 'html' }) : null;
      page = html === null ? messageHtml('Readiness is analysing the workspace; the report appears here when the first analysis is done.') : webviewHtml(html);
    } catch (e) {
      page = messageHtml(`Readiness could not render the report: ${errorText(e)}`);
    }
    if (!current() || this.reportPanel !== panel) return;
    panel.webview.html = page;
    this.panelRendered.fire(page);
  }

  /** Writes SARIF to `target`, or where the user says. Resolves with the file written. */
  async exportSarif(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const folder = this.scanFolders()[0];
    const destination =
      target ??
      (await vscode.window.showSaveDialog({
        title: 'Export Readiness findings as SARIF',
        saveLabel: 'Export SARIF',
        defaultUri: folder ? vscode.Uri.joinPath(folder.uri, 'readiness.sarif') : undefined,
        filters: { SARIF: ['sarif'], JSON: ['json'] },
      }));
    if (!destination) return undefined;
    const file = path.join(await this.storageDir(), 'readiness.sarif');
    if (!(await this.writeReport('sarif', file))) return undefined;
    await vscode.workspace.fs.writeFile(destination, await fs.readFile(file));
    if (!target) {
      void vscode.window.showInformationMessage(`Readiness: SARIF written to ${vscode.workspace.asRelativePath(destination)}`, 'Open').then((choice) => {
        if (choice) void vscode.window.showTextDocument(destination);
      });
    }
    return destination;
  }

  async dispose(): Promise<void> {
    try {
      if (this.client.isRunning()) await this.client.stop();
    } catch (e) {
      this.output.appendLine(`Readiness server did not stop cleanly: ${errorText(e)}`);
    }
    this.reportPanel?.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}

let context: ReadinessContext | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<ReadinessApi> {
  const ctx = (context = new ReadinessContext(extension));
  await ctx.start();
  return {
    client: ctx.client,
    getReport: () => ctx.getReport(),
    tree: ctx.tree,
    onDidChangeReport: ctx.onDidChangeReport,
    statusText: () => ctx.statusText(),
    reportPanelHtml: () => ctx.reportPanelHtml(),
    onDidRenderReportPanel: ctx.onDidRenderReportPanel,
  };
}

export function deactivate(): Promise<void> | undefined {
  const ctx = context;
  context = undefined;
  return ctx?.dispose();
}
