// Looking back (issue 11): every view evaluated at a past moment instead of now, as `--now` does for the
// CLI. The moment lives in the `reliabilityLens.evaluationTime` setting, so a screenshot or a review
// can be reproduced from the settings alone; "Look Back To…" writes it, "Return to Now" clears it.
// While it is set, the periodic refresh pauses (nothing changes at a fixed moment but late data), and
// remote sources are asked at that time; a source without history (Alertmanager) shows what it has
// now, marked live.
import * as vscode from 'vscode';
import { CONFIG_SECTION, SETTING_KEYS } from './config';

/**
 * Writes the setting: in the workspace's settings when a folder is open (a review of that repository
 * sees the same moment), else the user's. `undefined` returns to now, wherever it was set.
 */
export async function setEvaluationTime(time: number | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  if (time === undefined) {
    const inspected = config.inspect(SETTING_KEYS.evaluationTime);
    if (inspected?.workspaceValue !== undefined) await config.update(SETTING_KEYS.evaluationTime, undefined, vscode.ConfigurationTarget.Workspace);
    if (inspected?.globalValue !== undefined) await config.update(SETTING_KEYS.evaluationTime, undefined, vscode.ConfigurationTarget.Global);
    return;
  }
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(SETTING_KEYS.evaluationTime, new Date(time).toISOString(), target);
}
