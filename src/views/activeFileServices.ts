// The services the active editor's file belongs to (config.yaml's paths, engine servicesOfFile), per
// workspace, for the Services view to pin first. Recomputed when the editor or a snapshot changes;
// fires only when the answer changed, so switching between files of one service rebuilds nothing.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { loadEngine } from './engineModule';
import type { WorkspaceStore } from '../state/workspaceStore';

export class ActiveFileServices extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private current: { root: string; services: string[] } | undefined;
  private run = 0;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this._register(store.onDidChange(() => this.update()));
    this.update();
  }

  /** The active file's services when it lies in the workspace at `root`; empty otherwise. */
  servicesIn(root: string): readonly string[] {
    return this.current?.root === root ? this.current.services : [];
  }

  private update(): void {
    const run = ++this.run;
    this.compute().then(
      (next) => {
        if (run !== this.run || this.isDisposed) return;
        const same = next?.root === this.current?.root && next?.services.join('\n') === this.current?.services.join('\n');
        this.current = next;
        if (!same) this.changed.fire();
      },
      (error: unknown) => this.log.warn(`Active file's services: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private async compute(): Promise<{ root: string; services: string[] } | undefined> {
    const document = vscode.window.activeTextEditor?.document;
    // The dashboard or an output panel taking focus keeps the last file's services pinned.
    if (!document) return this.current;
    if (document.uri.scheme !== 'file') return this.current;
    const workspace = this.store.workspaceFor(document.uri);
    const snapshot = workspace?.snapshot;
    if (!workspace || !snapshot || !workspace.contains(document.uri.fsPath)) return undefined;
    const relative = path.relative(workspace.root, document.uri.fsPath).split(path.sep).join('/');
    const engine = await loadEngine();
    const services = engine.servicesOfFile(snapshot, relative);
    return services.length ? { root: workspace.root, services } : undefined;
  }
}
