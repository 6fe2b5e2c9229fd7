// The Readiness view: a TreeDataProvider over the nodes treeModel.ts builds from the last
// report. getChildren only reads the built nodes: no disk, no requests, no pop-ups.
import * as vscode from 'vscode';
import type { JsonReport } from '../../server/src/cli/format/json';
import { buildTree, DEFAULT_VIEW_OPTIONS, walk, type NodeRange, type TreeNode, type ViewOptions } from './treeModel';

export function toRange(r: NodeRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export class ReadinessTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private report: JsonReport | undefined;
  private options: ViewOptions = { ...DEFAULT_VIEW_OPTIONS };
  private roots: TreeNode[] = [];
  private parents = new Map<string, TreeNode>();

  get viewOptions(): ViewOptions {
    return { ...this.options };
  }

  /** The nodes on the top level, as last built (for tests and for the view's badge). */
  get topLevel(): readonly TreeNode[] {
    return this.roots;
  }

  setReport(report: JsonReport | undefined): void {
    this.report = report;
    this.refresh();
  }

  setOptions(options: Partial<ViewOptions>): void {
    this.options = { ...this.options, ...options };
    this.refresh();
  }

  /** Rebuilds the nodes from the current report and options and tells the view. */
  refresh(): void {
    this.roots = buildTree(this.report, this.options);
    this.parents = new Map();
    for (const node of walk(this.roots)) for (const child of node.children) this.parents.set(child.id, node);
    this.changed.fire(undefined);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? node.children : this.roots;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state =
      node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.contextValue = node.kind;
    if (node.description !== undefined) item.description = node.description;
    if (node.tooltip !== undefined) item.tooltip = node.tooltip;
    if (node.resourcePath !== undefined) item.resourceUri = vscode.Uri.file(node.resourcePath);
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    else if (node.resourcePath !== undefined) item.iconPath = vscode.ThemeIcon.File;
    if (node.location) {
      const options: vscode.TextDocumentShowOptions = node.location.range ? { selection: toRange(node.location.range), preserveFocus: false } : {};
      item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(node.location.path), options] };
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
