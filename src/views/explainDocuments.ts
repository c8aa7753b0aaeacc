// The Explain command's page: a read-only virtual document, shown in the markdown preview, generated
// from the snapshot's explanation of one SLO (core/explain.ts through explainPage.ts), like an
// incident's page (incidentDocuments.ts). Nothing is written to disk; the page follows refreshes.
import * as vscode from 'vscode';
import { explainSloReport } from '../core/explain';
import { GeneratedPages } from './generatedPages';
import { EXPLAIN_DOCUMENT_SCHEME } from './ids';
import type { SloArgs } from './ids';
import { missingSloMarkdown, sloExplanationPageMarkdown } from './explainPage';
import type { WorkspaceStore } from '../state/workspaceStore';

export class ExplainDocuments extends GeneratedPages {
  constructor(store: WorkspaceStore, log: vscode.LogOutputChannel) {
    super(EXPLAIN_DOCUMENT_SCHEME, store, log);
  }

  open(args: SloArgs): Promise<void> {
    return this.show(vscode.l10n.t('Explain {0}', args.slo), { root: args.root, service: args.service, slo: args.slo });
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
