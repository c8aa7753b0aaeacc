// Problems in `.reliability/` files in the Problems panel, at the position the loader reported.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { isFileProblem, problemPosition } from './format';
import type { WorkspaceStore } from '../state/workspaceStore';

export class ProblemDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('reliabilityLens'));

  constructor(private readonly store: WorkspaceStore) {
    super();
    this._register(store.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const workspace of this.store.workspaces()) {
      for (const problem of workspace.snapshot?.problems ?? []) {
        if (!isFileProblem(problem)) continue;
        const file = path.resolve(workspace.root, problem.file);
        const { line, character } = problemPosition(problem);
        // An empty range: the editor widens it to the word at that position, the token the loader
        // pointed at. A whole-file problem (line 0) marks the first line.
        const range = problem.line > 0 ? new vscode.Range(line, character, line, character) : new vscode.Range(0, 0, 0, 0);
        const diagnostic = new vscode.Diagnostic(
          range,
          problem.message,
          problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = 'Reliability Lens';
        const list = byFile.get(file) ?? [];
        list.push(diagnostic);
        byFile.set(file, list);
      }
    }
    this.collection.clear();
    this.collection.set([...byFile].map(([file, diagnostics]) => [vscode.Uri.file(file), diagnostics]));
  }
}
