// "as of …" in the status bar while every view looks back to a past moment (the
// `reliabilityLens.evaluationTime` setting, state/lookBack.ts); a click returns to now. Hidden at now.
import * as vscode from 'vscode';
import { affectsSetting, readConfig } from '../../state/config';
import { parseLookBack } from '../../state/lookBackTime';
import { Disposable } from '../dispose';
import { COMMANDS, LOOK_BACK_STATUS_BAR_ID } from '../ids';
import { toMarkdownString } from '../markdownString';
import { lookBackStatus } from './lookBackText';

export class LookBackStatusBar extends Disposable {
  // Left of the budget item (priority 50): the moment first, then the numbers as of it.
  private readonly item = this._register(vscode.window.createStatusBarItem(LOOK_BACK_STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 51));

  constructor() {
    super();
    this.item.name = vscode.l10n.t('Reliability Lens: Looking Back');
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSetting(event, 'evaluationTime')) this.update();
      }),
    );
    this.update();
  }

  private update(): void {
    const status = lookBackStatus(parseLookBack(readConfig().evaluationTime));
    if (!status) {
      this.item.hide();
      return;
    }
    this.item.text = status.text;
    this.item.tooltip = toMarkdownString(status.tooltip);
    this.item.backgroundColor = new vscode.ThemeColor(status.invalid ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.accessibilityInformation = { label: status.label, role: 'button' };
    this.item.command = { command: COMMANDS.returnToNow, title: vscode.l10n.t('Return to Now'), arguments: [] };
    this.item.show();
  }
}
