// Code lenses cost a git log and blame per opened file, so the provider is loaded and registered only
// while `reliabilityLens.codeLens.enabled` is on (as GitLens does), and dropped when it is turned off.
import * as vscode from 'vscode';
import { affectsSetting, readConfig } from '../../state/config';
import { Disposable, DisposableSlot } from '../dispose';
import type { WorkspaceStore } from '../../state/workspaceStore';

export class CodeLensFeature extends Disposable {
  private readonly provider = this._register(new DisposableSlot<vscode.Disposable>());
  private generation = 0;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSetting(event, 'codeLensEnabled')) this.apply();
      }),
    );
    this.apply();
  }

  private apply(): void {
    const generation = ++this.generation;
    if (!readConfig().codeLensEnabled) {
      this.provider.value = undefined;
      return;
    }
    if (this.provider.value) return;
    import('./incidentLenses').then(
      ({ IncidentLensProvider }) => {
        if (generation !== this.generation || this.isDisposed || this.provider.value) return;
        this.provider.value = new IncidentLensProvider(this.store, this.log);
      },
      (error: unknown) => this.log.error(`Could not load code lenses: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}
