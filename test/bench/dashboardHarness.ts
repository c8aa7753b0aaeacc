// The dashboard page outside VS Code, for the benchmark: the built webview script and stylesheets in
// Chromium, with `acquireVsCodeApi` replaced by a bridge to node, which answers the page's messages
// the way the extension host does (src/views/dashboard/dashboardPanel.ts) from the same projection.
// Every request of the page is answered from the project's files; nothing else is reachable.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FromWebviewMessage, ToWebviewMessage } from '../../src/shared/protocol';

const ORIGIN = 'https://dashboard.harness';

/** What the page asks for and what the host answers, one message in, any number out. */
export type HarnessHost = (message: FromWebviewMessage) => ToWebviewMessage[];

export interface DashboardHarness {
  page: Page;
  /** Posts a message to the page as the extension host would (structured clone through the page's window). */
  post(message: ToWebviewMessage): Promise<void>;
  /** Every message the page sent, in order. */
  received: FromWebviewMessage[];
  close(): Promise<void>;
}

/** A few of the theme's variables so the page is drawn with real colours (VS Code's Dark Modern). */
const DARK_THEME = `
  --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d;
  --vscode-editorWidget-background: #202020; --vscode-widget-border: #313131; --vscode-panel-border: #2b2b2b;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-input-background: #313131;
  --vscode-input-foreground: #cccccc; --vscode-focusBorder: #0078d4; --vscode-errorForeground: #f85149;
  --vscode-editorWarning-foreground: #cca700; --vscode-testing-iconPassed: #73c991; --vscode-charts-blue: #3794ff;
  --vscode-charts-red: #f14c4c; --vscode-charts-green: #89d185; --vscode-charts-orange: #d18616; --vscode-charts-purple: #b180d7;
  --vscode-charts-lines: #80808080; --vscode-textLink-foreground: #4daafc; --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px;
`;

export async function openDashboardHarness(browser: Browser, options: { projectRoot: string; viewport: { width: number; height: number }; host: HarnessHost }): Promise<DashboardHarness> {
  const context = await browser.newContext({ viewport: options.viewport });
  const files: Record<string, { file: string; type: string }> = {
    '/dist/webview/dashboard.js': { file: path.join(options.projectRoot, 'dist', 'webview', 'dashboard.js'), type: 'text/javascript' },
    '/dist/webview/uPlot.min.css': { file: path.join(options.projectRoot, 'dist', 'webview', 'uPlot.min.css'), type: 'text/css' },
    '/media/dashboard/dashboard.css': { file: path.join(options.projectRoot, 'media', 'dashboard', 'dashboard.css'), type: 'text/css' },
  };
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<link rel="stylesheet" href="/dist/webview/uPlot.min.css"><link rel="stylesheet" href="/media/dashboard/dashboard.css">
<style>html { ${DARK_THEME} }</style>
<script>
  let state;
  window.acquireVsCodeApi = () => ({ postMessage: (message) => window.harnessFromPage(message), getState: () => state, setState: (next) => { state = next; } });
</script></head>
<body class="vscode-dark"><main id="app"></main><script src="/dist/webview/dashboard.js"></script></body></html>`;
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
    if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: html });
    const served = files[url.pathname];
    return served ? route.fulfill({ contentType: served.type, body: fs.readFileSync(served.file) }) : route.fulfill({ status: 404, body: '' });
  });
  const page = await context.newPage();
  const received: FromWebviewMessage[] = [];
  const post = (message: ToWebviewMessage) => page.evaluate((data) => window.postMessage(data, '*'), message);
  await page.exposeFunction('harnessFromPage', async (message: FromWebviewMessage) => {
    received.push(message);
    for (const answer of options.host(message)) await post(answer);
  });
  await page.goto(`${ORIGIN}/`);
  return { page, post, received, close: () => context.close() };
}
