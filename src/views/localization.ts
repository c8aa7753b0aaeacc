// The views' pure text modules (format.ts, the tree node builders, lens models) cannot import vscode:
// the unit tests run them without an editor and the dashboard's webview bundles format.ts. They call
// @vscode/l10n's t() instead, and here the extension host hands it the translations VS Code loaded
// for the display language (vscode.l10n.bundle: none for English, or when the extension ships no
// bundle for that language), so both halves of the views speak the same language.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function shareEditorTranslations(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) l10n.config({ contents: bundle });
}
