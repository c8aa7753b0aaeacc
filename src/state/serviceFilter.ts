// The Services view's filter: all services, or only those that need attention (core/attention.ts).
// Remembered per workspace (workspaceState), so a monorepo opens the way it was left; a context key
// tells the view's title which of its two buttons to show.
import * as vscode from 'vscode';
import { Disposable } from '../views/dispose';
import { CONTEXT_ATTENTION_ONLY } from '../views/ids';

const MEMENTO_KEY = 'reliabilityLens.services.attentionOnly';

export class ServiceFilter extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.publish();
  }

  get attentionOnly(): boolean {
    return this.memento.get<boolean>(MEMENTO_KEY, false) === true;
  }

  async set(attentionOnly: boolean): Promise<void> {
    if (attentionOnly === this.attentionOnly) return;
    await this.memento.update(MEMENTO_KEY, attentionOnly);
    this.publish();
    this.changed.fire();
  }

  private publish(): void {
    vscode.commands.executeCommand('setContext', CONTEXT_ATTENTION_ONLY, this.attentionOnly).then(undefined, (error: unknown) => {
      this.log.warn(`Could not set ${CONTEXT_ATTENTION_ONLY}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}
