// The one place a Markdown value becomes a vscode.MarkdownString, so every tooltip and hover gets the
// same flags: no HTML, no theme icons (`$(name)` in data must stay text), and trust only for the
// extension's own commands its links run.
import * as vscode from 'vscode';
import { markdownTrust } from './markdown';
import type { Markdown } from './markdown';

export function toMarkdownString(markdown: Markdown): vscode.MarkdownString {
  const result = new vscode.MarkdownString(markdown.value, false);
  result.supportHtml = false;
  result.isTrusted = markdownTrust(markdown);
  return result;
}
