// Opening an incident: its page in the incident tool when it has an http(s) URL, otherwise a
// read-only markdown page generated from the snapshot (a virtual document, so nothing is written).
import * as vscode from 'vscode';
import type { IncidentView } from '../workspace/snapshot';
import { GeneratedPages } from './generatedPages';
import { INCIDENT_DOCUMENT_SCHEME } from './ids';
import { incidentPageMarkdown, missingIncidentMarkdown } from './incidentPage';
import { notificationText } from './untrustedText';
import type { WorkspaceStore } from '../state/workspaceStore';

export class IncidentDocuments extends GeneratedPages {
  constructor(store: WorkspaceStore, log: vscode.LogOutputChannel) {
    super(INCIDENT_DOCUMENT_SCHEME, store, log);
  }

  find(root: string, id: string): IncidentView | undefined {
    return this.store.find(root)?.snapshot?.incidents.find((incident) => incident.id === id);
  }

  async open(root: string, id: string): Promise<void> {
    const incident = this.find(root, id);
    if (!incident) {
      void vscode.window.showWarningMessage(notificationText(vscode.l10n.t('Incident {0} is not in the current data.', id)));
      return;
    }
    const external = incident.url && safeExternalUri(incident.url);
    if (external) {
      const opened = await vscode.env.openExternal(external);
      if (opened) return;
    }
    await this.showDetails(root, id);
  }

  showDetails(root: string, id: string): Promise<void> {
    return this.show(id, { root, id });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const root = query.get('root') ?? '';
    const id = query.get('id') ?? '';
    const workspace = this.store.find(root);
    const incident = workspace?.snapshot?.incidents.find((candidate) => candidate.id === id);
    if (!workspace?.snapshot || !incident) return missingIncidentMarkdown(id).value;
    const { snapshot } = workspace;
    return incidentPageMarkdown(incident, snapshot.deployments, snapshot.now, snapshot.deliveryPending === true).value;
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
