// The error budget of the service the active file belongs to (or the worst in the workspace), at a
// glance. Colours follow the status: warning and error backgrounds, nothing when healthy.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SloReport } from '../../core/model';
import { affectsSetting, readConfig } from '../../state/config';
import { Disposable } from '../dispose';
import { loadEngine } from '../engineModule';
import { worstSlo } from '../../core/attention';
import { formatSloSummary, formatStatus } from '../format';
import { COMMANDS, STATUS_BAR_ID } from '../ids';
import type { DashboardArgs } from '../ids';
import { toMarkdownString } from '../markdownString';
import type { ReliabilityWorkspace, WorkspaceStore } from '../../state/workspaceStore';
import { budgetStatusText, budgetTooltip } from './budgetText';

export class BudgetStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 50));
  private updateRun = 0;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.item.name = vscode.l10n.t('Reliability Lens: Error Budget');
    this._register(store.onDidChange(() => this.update()));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSetting(event, 'statusBarEnabled')) this.update();
      }),
    );
    this.update();
  }

  private update(): void {
    const run = ++this.updateRun;
    this.pick().then(
      (choice) => {
        if (run === this.updateRun && !this.isDisposed) this.render(choice);
      },
      (error: unknown) => this.log.warn(`Status bar: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** The active file's services when it belongs to some; otherwise every SLO of its (or the first) workspace. */
  private async pick(): Promise<{ workspace: ReliabilityWorkspace; reports: SloReport[] } | undefined> {
    if (!readConfig().statusBarEnabled) return undefined;
    const document = vscode.window.activeTextEditor?.document;
    const workspace = (document && this.store.workspaceFor(document.uri)) ?? this.store.workspaces()[0];
    const snapshot = workspace?.snapshot;
    if (!workspace || !snapshot || snapshot.sloReports.length === 0) return undefined;
    if (document && workspace.contains(document.uri.fsPath)) {
      const engine = await loadEngine();
      const relative = path.relative(workspace.root, document.uri.fsPath).split(path.sep).join('/');
      const services = engine.servicesOfFile(snapshot, relative);
      const reports = snapshot.sloReports.filter((report) => services.includes(report.service));
      if (reports.length) return { workspace, reports };
    }
    return { workspace, reports: snapshot.sloReports };
  }

  private render(choice: { workspace: ReliabilityWorkspace; reports: SloReport[] } | undefined): void {
    const worst = choice && worstSlo(choice.reports);
    if (!choice || !worst) {
      this.item.hide();
      return;
    }
    this.item.text = budgetStatusText(worst);
    this.item.backgroundColor =
      worst.status === 'critical' || worst.status === 'exhausted'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : worst.status === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.tooltip = toMarkdownString(budgetTooltip(choice.workspace.name, choice.reports, choice.workspace.backoffNotice()));
    this.item.accessibilityInformation = { label: vscode.l10n.t('Error budget {0}, {1}', formatSloSummary(worst), formatStatus(worst.status)), role: 'button' };
    this.item.command = {
      command: COMMANDS.openDashboard,
      title: vscode.l10n.t('Open Reliability Dashboard'),
      arguments: [{ root: choice.workspace.root, service: worst.service } satisfies DashboardArgs],
    };
    this.item.show();
  }
}
