// Every theme and every width (issue 14): the dashboard, the sidebar and a file with lenses in VS Code's
// light, dark and high-contrast themes, at a wide window and a narrow one whose editor column is about
// 400 px. Each combination is screenshotted, the dashboard's text is checked for contrast against the
// background it is really drawn on (contrast.ts), and at the narrow width the dashboard must not
// scroll sideways. The theme is picked as a person would, with Preferences: Color Theme (it sets
// `workbench.colorTheme`).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningCodeServer } from '../../scripts/codeServer';
import { contrastFindings, textSamples } from './contrast';
import type { Suite } from './runner';
import { poll } from './workbench';
import type { Workbench } from './workbench';

export const THEMES = [
  // `name` is the workbench.colorTheme value; `label` what the Color Theme picker lists it as.
  { key: 'light', name: 'Default Light Modern', label: 'Light Modern', workbenchClass: 'vs', webviewClass: 'vscode-light' },
  { key: 'dark', name: 'Default Dark Modern', label: 'Dark Modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' },
  { key: 'high-contrast', name: 'Default High Contrast', label: 'Dark High Contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast' },
] as const;

/** Window widths: wide, and narrow enough that the dashboard's column is about 400 px. */
export const WIDTHS = [
  { key: 'wide', viewport: { width: 1400, height: 900 }, sidebar: 420 },
  { key: 'narrow', viewport: { width: 700, height: 900 }, sidebar: 240 },
] as const;

export interface ThemeTestContext {
  suite: Suite;
  bench: Workbench;
  page: Page;
  server: RunningCodeServer;
  /** Where this run's screenshots go (test-results/e2e/themes). */
  resultsDir: string;
  /** A file of the demo with code lenses, and the texts that prove they are drawn. */
  lensFile: string;
  commands: { openDashboard: string };
  container: string;
  dashboardTitle: string;
}

/** Keyboard focus back on the workbench: a webview that has it keeps F1 and Ctrl+P to itself. */
async function focusWorkbench(page: Page): Promise<void> {
  await page.locator('.part.sidebar .composite.title').first().click();
}

/** Preferences: Color Theme, as a person picks one: the picker, the theme's name, Enter. */
async function setTheme(context: ThemeTestContext, theme: (typeof THEMES)[number]): Promise<void> {
  const { bench, page } = context;
  await focusWorkbench(page);
  await bench.runCommand('Preferences: Color Theme');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(theme.label);
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${theme.label}$`) }) }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await poll(`the ${theme.name} theme`, 20_000, async () => ((await page.locator(`.monaco-workbench.${theme.workbenchClass}`).count()) > 0 ? true : undefined));
  await bench.closeQuickInput();
}

/** Shows the file, from its tab when it is open already, else through Quick Open. */
async function showFile(context: ThemeTestContext): Promise<void> {
  const name = context.lensFile.split('/').pop()!;
  const tab = context.page.locator('.part.editor .tab', { hasText: name });
  if ((await tab.count()) > 0) await tab.first().click();
  else await context.bench.openFile(context.lensFile);
  await context.bench.activeTab(name).waitFor({ timeout: 15_000 });
}

export function defineThemeTests(context: ThemeTestContext): void {
  const { suite, bench, page } = context;
  fs.mkdirSync(context.resultsDir, { recursive: true });
  for (const theme of THEMES) {
    for (const width of WIDTHS) {
      const name = `${theme.key}-${width.key}`;
      suite.test(`${theme.name}, ${width.viewport.width} px: the sidebar, a file with lenses and a readable dashboard`, async () => {
        await page.setViewportSize(width.viewport);
        await setTheme(context, theme);
        await bench.openViewContainer(context.container);
        await bench.resizeSidebar(width.sidebar);

        // A file with lenses.
        await showFile(context);
        await bench.goToLine(1);
        await poll('code lenses on the file', 45_000, async () => ((await bench.codeLenses()).length > 0 ? true : undefined));
        await page.waitForTimeout(300);
        await page.locator('.part.editor').screenshot({ path: path.join(context.resultsDir, `lens-${name}.png`) });
        await page.locator('.part.sidebar').screenshot({ path: path.join(context.resultsDir, `sidebar-${name}.png`) });

        // The dashboard, drawn in this theme.
        await focusWorkbench(page);
        await bench.runCommand(context.commands.openDashboard);
        await bench.activeTab(context.dashboardTitle).waitFor({ timeout: 20_000 });
        const view = bench.webview();
        await poll(`the dashboard in ${theme.webviewClass}`, 20_000, async () =>
          ((await view.locator('body').getAttribute('class')) ?? '').split(/\s+/).includes(theme.webviewClass) ? true : undefined,
        );
        await view.locator('.slo-card .chart-burndown canvas').first().waitFor({ timeout: 30_000 });
        await view.locator('.chart-dora-deployments canvas').first().waitFor({ timeout: 30_000 });
        await page.waitForTimeout(500);
        const body = view.locator('body');
        const size = await body.evaluate(() => ({ client: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth }));
        if (width.key === 'narrow') {
          assert.ok(size.client <= 480, `the narrow window gives the dashboard a narrow column: ${size.client} px`);
          assert.ok(size.scroll <= size.client, `no horizontal scrolling at ${size.client} px: the page is ${size.scroll} px wide`);
          // The cards stack: one column.
          const lefts = await view.locator('.slo-card').evaluateAll((cards) => [...new Set(cards.map((card) => Math.round(card.getBoundingClientRect().left)))]);
          assert.equal(lefts.length, 1, `SLO cards in one column at ${size.client} px: ${JSON.stringify(lefts)}`);
        } else {
          // The cards fill the width: the grid's cards reach the right edge of the page's content.
          const fill = await view.locator('.slo-grid').evaluate((grid) => {
            const cards = Array.from(grid.children).map((card) => card.getBoundingClientRect());
            return { right: Math.max(...cards.map((card) => card.right)), grid: grid.getBoundingClientRect().right };
          });
          assert.ok(fill.grid - fill.right <= 2, `the SLO cards fill the grid's width: ${JSON.stringify(fill)}`);
        }
        // Also with the tables and the fitted burn-down showing: everything a user can turn on stays readable.
        await view.locator('.service-head .toggle[aria-pressed]').click();
        await view.locator('.chart-burndown .table-toggle').first().click();
        await page.waitForTimeout(300);
        const samples = await textSamples(body);
        assert.ok(samples.length > 30, `text found in the dashboard: ${samples.length}`);
        const findings = contrastFindings(samples, { r: 255, g: 255, b: 255, a: 1 });
        await page.locator('.part.editor').screenshot({ path: path.join(context.resultsDir, `dashboard-${name}.png`) });
        if (width.key === 'narrow') assert.ok((await body.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)) <= 0, 'no horizontal scrolling with the tables shown');
        // Back as it was for the next combination (the panel remembers the fit).
        await view.locator('.service-head .toggle[aria-pressed]').click();
        assert.deepEqual(
          findings.map((finding) => `${finding.sample.where} "${finding.sample.text}": ${finding.ratio.toFixed(2)}:1 < ${finding.required}:1 (${finding.sample.color} on ${finding.sample.backgrounds.join(' < ')})`),
          [],
          `text below WCAG contrast in ${theme.name}`,
        );
      }, 180_000);
    }
  }
}
