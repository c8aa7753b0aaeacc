// Opening an incident: its page in the incident tool when it has an http(s) URL, otherwise a
// read-only markdown page generated from the snapshot (a virtual document, so nothing is written).
import * as vscode from 'vscode';
import type { IncidentView } from '../workspace/snapshot';
import { Disposable } from './dispose';
import { INCIDENT_DOCUMENT_SCHEME } from './ids';
import { incidentPageMarkdown, missingIncidentMarkdown } from './incidentPage';
import { notificationText, singleLine } from './untrustedText';
import type { WorkspaceStore } from '../state/workspaceStore';

export class IncidentDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(INCIDENT_DOCUMENT_SCHEME, this));
    this._register(
      store.onDidChange(() => {
        for (const document of vscode.workspace.textDocuments) {
          if (document.uri.scheme === INCIDENT_DOCUMENT_SCHEME) this.changed.fire(document.uri);
        }
      }),
    );
  }

  find(root: string, id: string): IncidentView | undefined {
    return this.store.find(root)?.snapshot?.incidents.find((incident) => incident.id === id);
  }

  async open(root: string, id: string): Promise<void> {
    const incident = this.find(root, id);
    if (!incident) {
      void vscode.window.showWarningMessage(notificationText(`Incident ${id} is not in the current data.`));
      return;
    }
    const external = incident.url && safeExternalUri(incident.url);
    if (external) {
      const opened = await vscode.env.openExternal(external);
      if (opened) return;
    }
    await this.showDetails(root, id);
  }

  async showDetails(root: string, id: string): Promise<void> {
    // The id travels in the query, where URLSearchParams round-trips any text; the path is only the
    // tab's title, so an id with `/`, `%` or `#` can neither move it nor fail to decode.
    const uri = vscode.Uri.from({
      scheme: INCIDENT_DOCUMENT_SCHEME,
      path: `/${singleLine(id).replace(/[\\/\s]+/g, '-')}.md`,
      query: new URLSearchParams({ root, id }).toString(),
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

  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const root = query.get('root') ?? '';
    const id = query.get('id') ?? '';
    const workspace = this.store.find(root);
    const incident = workspace?.snapshot?.incidents.find((candidate) => candidate.id === id);
    if (!workspace?.snapshot || !incident) return missingIncidentMarkdown(id).value;
    return incidentPageMarkdown(incident, workspace.snapshot.deployments, workspace.snapshot.now).value;
  }
}

/** Only web pages: an incident URL comes from a remote system and must not run commands or open files. */
function safeExternalUri(url: string): vscode.Uri | undefined {
  try {
    const uri = vscode.Uri.parse(url, true);
    return uri.scheme === 'https' || uri.scheme === 'http' ? uri : undefined;
  } catch {
    return undefined;
  }
}
