// The Reliability Dashboard webview: one panel, restored after a reload by the serializer. The page
// has no network access: after `ready` it gets the overview of the snapshots (projection.ts), and the
// details of one service at a time when it asks (`requestService`), so a monorepo's 200 services never
// travel in one message. The store hears whether the panel is visible: only then do loads ask
// Prometheus for burn-down buckets.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { parseFromWebviewMessage } from '../../shared/protocol';
import type { FromWebviewMessage, ToWebviewMessage } from '../../shared/protocol';
import { Disposable } from '../dispose';
import { COMMANDS, DASHBOARD_TITLE, DASHBOARD_VIEW_TYPE } from '../ids';
import type { DashboardArgs, FileLocationArgs, SloArgs } from '../ids';
import type { IncidentDocuments } from '../incidentDocuments';
import type { WorkspaceStore } from '../../state/workspaceStore';
import { toDashboardData, toServiceDetail } from './projection';

/** Loads fire several changes in a row (loading, then loaded); one post per burst is enough. */
const POST_DEBOUNCE_MS = 100;

export interface DashboardServices {
  extensionUri: vscode.Uri;
  store: WorkspaceStore;
  incidents: IncidentDocuments;
  openLocation: (location: FileLocationArgs) => Promise<void>;
  log: vscode.LogOutputChannel;
}

export class DashboardController extends Disposable implements vscode.WebviewPanelSerializer {
  private panel: DashboardPanel | undefined;

  constructor(private readonly services: DashboardServices) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, this));
    // Only our listeners: the panel itself belongs to the window, which restores it after a reload.
    this._register({ dispose: () => this.panel?.dispose() });
  }

  open(args?: DashboardArgs): void {
    if (this.panel) {
      this.panel.reveal(args);
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, DASHBOARD_TITLE, vscode.ViewColumn.Active, webviewOptions(this.services.extensionUri));
    this.attach(panel, args);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    // The restored panel comes back without our options; localResourceRoots and scripts must be set
    // again before the HTML loads.
    panel.webview.options = webviewOptions(this.services.extensionUri);
    this.attach(panel, undefined);
  }

  private attach(panel: vscode.WebviewPanel, args: DashboardArgs | undefined): void {
    this.panel?.close();
    const attached = new DashboardPanel(
      panel,
      this.services,
      args,
      () => {
        if (this.panel === attached) this.panel = undefined;
        this.reportVisibility();
      },
      () => this.reportVisibility(),
    );
    this.panel = attached;
    this.reportVisibility();
  }

  /** Only the current panel counts: a replaced one may report its disposal after the new one shows. */
  private reportVisibility(): void {
    this.services.store.setDashboardVisible(this.panel?.visible ?? false);
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

class DashboardPanel extends Disposable {
  private ready = false;
  private pendingSelect: DashboardArgs | undefined;
  private postTimer: NodeJS.Timeout | undefined;
  /** The service the page last asked for: its details follow every new overview. */
  private shownService: { root: string; service: string } | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: DashboardServices,
    select: DashboardArgs | undefined,
    onDisposed: () => void,
    onVisibilityChanged: () => void,
  ) {
    super();
    this.pendingSelect = select;
    panel.title = DASHBOARD_TITLE;
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'icons', 'reliability.svg');
    panel.webview.html = dashboardHtml(panel.webview, services.extensionUri);
    this._register(panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)));
    // A tab in the background, or behind another in its group, is not visible.
    this._register(panel.onDidChangeViewState(() => onVisibilityChanged()));
    this._register(
      services.store.onDidChange(() => {
        clearTimeout(this.postTimer);
        this.postTimer = setTimeout(() => this.postSnapshot(), POST_DEBOUNCE_MS);
      }),
    );
    this._register({ dispose: () => clearTimeout(this.postTimer) });
    this._register(
      panel.onDidDispose(() => {
        onDisposed();
        this.dispose();
      }),
    );
  }

  close(): void {
    this.panel.dispose();
  }

  get visible(): boolean {
    return !this.isDisposed && this.panel.visible;
  }

  reveal(select: DashboardArgs | undefined): void {
    this.panel.reveal();
    if (!select) return;
    if (this.ready) this.post({ type: 'select', root: select.root, service: select.service });
    else this.pendingSelect = select;
  }

  /** Every message is checked against its schema first (shared/protocol.ts): the page is a boundary. */
  private onMessage(value: unknown): void {
    const parsed = parseFromWebviewMessage(value);
    if (!parsed.ok) {
      // Without a valid request id there is nothing to reply to, so the problem goes to the log only.
      this.services.log.warn(`Dashboard sent a message that was ignored: ${parsed.problem}`);
      return;
    }
    const { message } = parsed;
    this.handle(message).catch((error: unknown) => {
      this.services.log.error(`Dashboard action ${message.type} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async handle(message: FromWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.postSnapshot();
        if (this.pendingSelect) {
          this.post({ type: 'select', root: this.pendingSelect.root, service: this.pendingSelect.service });
          this.pendingSelect = undefined;
        }
        return;
      case 'refresh':
        this.services.store.refreshAll('dashboard refresh');
        return;
      case 'requestService':
        this.shownService = { root: message.root, service: message.service };
        this.postServiceDetail(message.requestId);
        return;
      case 'openIncident':
        await this.services.incidents.open(message.root, message.id);
        return;
      case 'openSlo': {
        const snapshot = this.services.store.find(message.root)?.snapshot;
        const definition = snapshot?.slos.find((slo) => slo.name === message.slo && slo.service === message.service);
        const report = snapshot?.sloReports.find((slo) => slo.name === message.slo && slo.service === message.service);
        const file = definition?.file ?? report?.file;
        if (file) await this.services.openLocation({ root: message.root, file, line: definition?.line ?? 0, column: 0 });
        return;
      }
      case 'explainSlo':
        // Through the command, so the page opens the same way as from the tree or the palette.
        await vscode.commands.executeCommand(COMMANDS.explainSlo, { root: message.root, service: message.service, slo: message.slo } satisfies SloArgs);
        return;
    }
  }

  private postSnapshot(): void {
    if (!this.ready || this.isDisposed) return;
    this.post({ type: 'snapshot', data: toDashboardData(this.services.store.viewStates()) });
    if (this.shownService) this.postServiceDetail(undefined);
  }

  /** The shown service's details: the reply to a request, or an update after a change. */
  private postServiceDetail(inReplyTo: number | undefined): void {
    const shown = this.shownService;
    if (!shown || !this.ready || this.isDisposed) return;
    const workspace = this.services.store.viewStates().find((state) => state.root === shown.root);
    const answer = workspace ? toServiceDetail(workspace, shown.service) : { error: 'this folder is no longer open' };
    this.post({ type: 'serviceDetail', inReplyTo, root: shown.root, service: shown.service, ...answer });
  }

  private post(message: ToWebviewMessage): void {
    this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.services.log.warn(`Could not update the dashboard: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}

function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'webview', 'uPlot.min.css')}">
<link rel="stylesheet" href="${asset('media', 'dashboard', 'dashboard.css')}">
<title>${DASHBOARD_TITLE}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="placeholder">Loading reliability data…</p></main>
<script nonce="${nonce}" src="${asset('dist', 'webview', 'dashboard.js')}"></script>
</body>
</html>`;
}
