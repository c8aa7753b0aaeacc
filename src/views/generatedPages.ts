// Read-only markdown pages generated from the snapshot (an incident's page, an SLO's explanation):
// virtual documents under a scheme of their own, nothing written to disk. Open pages follow refreshes.
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { singleLine } from './untrustedText';
import type { WorkspaceStore } from '../state/workspaceStore';

export abstract class GeneratedPages extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly scheme: string,
    protected readonly store: WorkspaceStore,
    protected readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(scheme, this));
    this._register(
      store.onDidChange(() => {
        for (const document of vscode.workspace.textDocuments) {
          if (document.uri.scheme === scheme) this.changed.fire(document.uri);
        }
      }),
    );
  }

  /** The page's markdown for what its URI's query selects. */
  abstract provideTextDocumentContent(uri: vscode.Uri): string;

  /**
   * Shows the page titled `title` whose content `query` selects, in the markdown preview. What to show
   * travels in the query, where URLSearchParams round-trips any text; the path is only the tab's title,
   * so a name with `/`, `%` or `#` can neither move it nor fail to decode.
   */
  protected async show(title: string, query: Record<string, string>): Promise<void> {
    const uri = vscode.Uri.from({
      scheme: this.scheme,
      path: `/${singleLine(title).replace(/[\\/]+/g, '-')}.md`,
      query: new URLSearchParams(query).toString(),
    });
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch (error) {
      // The markdown extension can be disabled; the source text is still readable.
      this.log.warn(`Markdown preview unavailable, showing the text: ${error instanceof Error ? error.message : String(error)}`);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true });
    }
  }
}
