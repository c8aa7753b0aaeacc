// A tree's content, separate from its TreeDataProvider: rebuilt from the store when a workspace
// changes, with an event naming what changed (a folder node when several workspaces are shown), and
// the view's progress bar while the content stands for work in flight.
import * as vscode from 'vscode';
import { affectsSetting } from '../../state/config';
import { Disposable } from '../dispose';
import type { ReliabilityWorkspace, WorkspaceStore } from '../../state/workspaceStore';
import { showsProgress, workspaceFolderNode } from './viewNode';
import { ViewProgress } from './viewProgress';
import type { ViewNode, WorkspaceViewState } from './viewNode';

export class TreeModel extends Disposable {
  private roots: ViewNode[] = [];
  /** Folder nodes by root when grouped; kept as the same objects so VS Code can refresh one of them. */
  private folders = new Map<string, ViewNode>();
  private readonly changed = this._register(new vscode.EventEmitter<ViewNode | undefined>());
  readonly onDidChange = this.changed.event;
  private readonly progress: ViewProgress;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly view: string,
    private readonly build: (workspace: WorkspaceViewState) => ViewNode[],
    /** Whether the view shows repositories read without `.reliability/` too (the Delivery view). */
    private readonly zeroConfiguration = false,
    /** Other things the content depends on (a filter, the active file): each change rebuilds every folder. */
    rebuildOn: ReadonlyArray<vscode.Event<unknown>> = [],
  ) {
    super();
    this.progress = this._register(new ViewProgress(view));
    this.rebuildAll();
    for (const event of rebuildOn) {
      this._register(
        event(() => {
          this.rebuildAll();
          this.changed.fire(undefined);
        }),
      );
    }
    this._register(store.onDidChange((workspace) => this.update(workspace)));
    // The recentDays setting changes what the views list without a reload: rebuild from the same snapshots.
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!affectsSetting(event, 'recentDays')) return;
        this.rebuildAll();
        this.changed.fire(undefined);
      }),
    );
  }

  get nodes(): readonly ViewNode[] {
    return this.roots;
  }

  private update(workspace: ReliabilityWorkspace | undefined): void {
    const folder = workspace && this.folders.get(workspace.root);
    if (!folder) {
      this.rebuildAll();
      this.changed.fire(undefined);
      return;
    }
    const state = workspace.viewState();
    const fresh = workspaceFolderNode(state, this.build(state), this.view);
    folder.children = fresh.children;
    folder.description = fresh.description;
    this.progress.busy = showsProgress(this.roots);
    this.changed.fire(folder);
  }

  private rebuildAll(): void {
    const states = this.store.viewStates({ zeroConfiguration: this.zeroConfiguration });
    this.folders.clear();
    if (states.length <= 1) {
      this.roots = states.flatMap((state) => this.build(state));
    } else {
      this.roots = states.map((state) => {
        const folder = workspaceFolderNode(state, this.build(state), this.view);
        this.folders.set(state.root, folder);
        return folder;
      });
    }
    this.progress.busy = showsProgress(this.roots);
  }
}
