// The Explain command's page: a read-only virtual document, shown in the markdown preview, generated
// from the snapshot's explanation of one SLO (core/explain.ts through explainPage.ts), like an
// incident's page (incidentDocuments.ts). Nothing is written to disk; the page follows refreshes.
import * as vscode from 'vscode';
import { explainSloReport } from '../core/explain';
import { Disposable } from './dispose';
import { EXPLAIN_DOCUMENT_SCHEME } from './ids';
import type { SloArgs } from './ids';
import { missingSloMarkdown, sloExplanationPageMarkdown } from './explainPage';
import { singleLine } from './untrustedText';
import type { WorkspaceStore } from '../state/workspaceStore';

export class ExplainDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_DOCUMENT_SCHEME, this));
    this._register(
      store.onDidChange(() => {
        for (const document of vscode.workspace.textDocuments) {
          if (document.uri.scheme === EXPLAIN_DOCUMENT_SCHEME) this.changed.fire(document.uri);
        }
      }),
    );
  }

  async open(args: SloArgs): Promise<void> {
    // What to show travels in the query, where URLSearchParams round-trips any text; the path is only
    // the tab's title, so a name with `/`, `%` or `#` can neither move it nor fail to decode.
    const uri = vscode.Uri.from({
      scheme: EXPLAIN_DOCUMENT_SCHEME,
      path: `/Explain ${singleLine(args.slo).replace(/[\\/\s]+/g, '-')}.md`,
      query: new URLSearchParams({ root: args.root, service: args.service, slo: args.slo }).toString(),
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
    const service = query.get('service') ?? '';
    const slo = query.get('slo') ?? '';
    const snapshot = this.store.find(query.get('root') ?? '')?.snapshot;
    const report = snapshot?.sloReports.find((candidate) => candidate.service === service && candidate.name === slo);
    const explanation = snapshot && report && explainSloReport(snapshot, report);
    return explanation ? sloExplanationPageMarkdown(explanation).value : missingSloMarkdown(service, slo).value;
  }
}
