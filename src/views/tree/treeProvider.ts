// Maps ViewNodes to TreeItems; all content decisions live in the node builders.
import * as vscode from 'vscode';
import { toMarkdownString } from '../markdownString';
import type { TreeModel } from './treeModel';
import { treeItemText, type ViewNode } from './viewNode';

export class NodeTreeProvider implements vscode.TreeDataProvider<ViewNode> {
  readonly onDidChangeTreeData: vscode.Event<ViewNode | undefined>;

  constructor(private readonly model: TreeModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  getChildren(element?: ViewNode): ViewNode[] {
    return element ? (element.children ?? []) : [...this.model.nodes];
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    const state = node.children
      ? node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const text = treeItemText(node);
    const item = new vscode.TreeItem(text.label, state);
    item.id = node.id;
    item.description = text.description;
    item.contextValue = node.contextValue;
    if (node.tooltip) item.tooltip = toMarkdownString(node.tooltip);
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.command) item.command = { command: node.command.command, title: node.command.title, arguments: node.command.arguments };
    return item;
  }
}
