// Ownership of disposables: a class registers what it creates and releases all of it in dispose(),
// so nothing outlives deactivation (the pattern of vscode-hexeditor and the PR extension).
import type * as vscode from 'vscode';

export function disposeAll(disposables: vscode.Disposable[]): void {
  // Reverse order: later registrations may depend on earlier ones.
  while (disposables.length) disposables.pop()?.dispose();
}

export abstract class Disposable implements vscode.Disposable {
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.disposables);
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.disposables.push(value);
    return value;
  }
}

/** Holds at most one disposable, disposing the previous one when replaced. */
export class DisposableSlot<T extends vscode.Disposable> implements vscode.Disposable {
  private current: T | undefined;

  get value(): T | undefined {
    return this.current;
  }

  set value(next: T | undefined) {
    if (this.current === next) return;
    this.current?.dispose();
    this.current = next;
  }

  dispose(): void {
    this.value = undefined;
  }
}
