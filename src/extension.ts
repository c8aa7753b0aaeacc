// Builds the extension's parts and hands every disposable to VS Code. Nothing here waits for data:
// the store starts loading in the background and the views fill in as snapshots arrive.
import './zodSetup';
import * as vscode from 'vscode';
import { CodeLensFeature } from './views/codeLens/codeLensFeature';
import { Commands, openLocation } from './views/commands';
import { DashboardController } from './views/dashboard/dashboardPanel';
import { OUTPUT_CHANNEL_NAME, VIEWS } from './views/ids';
import { IncidentDocuments } from './views/incidentDocuments';
import { shareEditorTranslations } from './views/localization';
import { ProblemDiagnostics } from './views/problemDiagnostics';
import { TokenStore } from './state/secrets';
import { BudgetStatusBar } from './views/statusBar/budgetStatusBar';
import { LookBackStatusBar } from './views/statusBar/lookBackStatusBar';
import { buildDeliveryNodes } from './views/tree/deliveryNodes';
import { buildIncidentNodes } from './views/tree/incidentNodes';
import { buildServiceNodes } from './views/tree/serviceNodes';
import { TreeModel } from './views/tree/treeModel';
import { NodeTreeProvider } from './views/tree/treeProvider';
import type { ViewNode, WorkspaceViewState } from './views/tree/viewNode';
import { ActiveFileServices } from './views/activeFileServices';
import { ServiceFilter } from './state/serviceFilter';
import { WorkspaceStore, messageOf } from './state/workspaceStore';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(log);
  try {
    shareEditorTranslations();
    const tokens = new TokenStore(context.secrets);
    const store = new WorkspaceStore(tokens, log);
    const incidents = new IncidentDocuments(store, log);
    const dashboard = new DashboardController({ extensionUri: context.extensionUri, store, incidents, openLocation, log });
    const serviceFilter = new ServiceFilter(context.workspaceState, log);
    const activeFile = new ActiveFileServices(store, log);
    context.subscriptions.push(
      tokens,
      store,
      incidents,
      dashboard,
      serviceFilter,
      activeFile,
      new Commands({ store, tokens, incidents, dashboard, serviceFilter, log }),
      ...registerTree(
        store,
        VIEWS.services,
        (state) => buildServiceNodes(state, { attentionOnly: serviceFilter.attentionOnly, pinned: activeFile.servicesIn(state.root) }),
        false,
        [serviceFilter.onDidChange, activeFile.onDidChange],
      ),
      // Delivery also shows a repository without .reliability/, from its tags (zero configuration).
      ...registerTree(store, VIEWS.delivery, buildDeliveryNodes, true),
      ...registerTree(store, VIEWS.incidents, buildIncidentNodes),
      new ProblemDiagnostics(store),
      new BudgetStatusBar(store, log),
      new LookBackStatusBar(),
      new CodeLensFeature(store, log),
    );
    store.start();
    log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);
  } catch (error) {
    const message = messageOf(error);
    log.error(`Activation failed: ${message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Reliability Lens failed to start: {0}', message));
    throw error;
  }
}

export function deactivate(): void {
  // Everything is in context.subscriptions; VS Code disposes it.
}

function registerTree(
  store: WorkspaceStore,
  view: string,
  build: (workspace: WorkspaceViewState) => ViewNode[],
  zeroConfiguration = false,
  rebuildOn: ReadonlyArray<vscode.Event<unknown>> = [],
): vscode.Disposable[] {
  const model = new TreeModel(store, view, build, zeroConfiguration, rebuildOn);
  const provider = new NodeTreeProvider(model);
  const treeView = vscode.window.createTreeView(view, { treeDataProvider: provider, showCollapseAll: true });
  return [model, treeView];
}
