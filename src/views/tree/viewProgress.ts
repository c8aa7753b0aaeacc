// A view's own progress bar (the thin line under its title), shown while its tree holds a node that
// stands for work in flight (ViewNode.inProgress: the first load, delivery history still reading).
import * as vscode from 'vscode';

export class ViewProgress implements vscode.Disposable {
  private end: (() => void) | undefined;

  constructor(private readonly viewId: string) {}

  set busy(busy: boolean) {
    if (busy === (this.end !== undefined)) return;
    if (!busy) {
      this.end?.();
      this.end = undefined;
      return;
    }
    let resolve!: () => void;
    const done = new Promise<void>((settle) => (resolve = settle));
    this.end = resolve;
    // The bar stays until `done` settles; withProgress itself reports nothing worth logging.
    vscode.window.withProgress({ location: { viewId: this.viewId } }, () => done).then(undefined, () => undefined);
  }

  dispose(): void {
    this.busy = false;
  }
}
