// Driving the VS Code workbench (as served by code-server) through its DOM, the way a person uses it:
// the activity bar, the command palette, tree views, notifications, editor tabs and webviews.
// Selectors are VS Code's own class names (stable across many releases; checked against 1.139).
import { chromium } from 'playwright-core';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A page whose requests never leave the machine: anything not addressed to the loopback interface is
 * aborted (tests that follow an outside link fulfil it themselves with `context.route`).
 */
export async function newLocalPage(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.route(
    (url) => (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:') && !LOOPBACK.has(url.hostname),
    (route) => route.abort('blockedbyclient'),
  );
  return context.newPage();
}

export interface TreeRow {
  label: string;
  description: string;
  level: number;
  expanded: boolean | undefined;
}

export interface PixelStats {
  width: number;
  height: number;
  /** Pixels with any opacity. */
  painted: number;
  /** Distinct colours among painted pixels (quantised to 4 bits per channel). */
  colours: number;
}

const poll = async <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

export { poll };

export class Workbench {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 30_000 });
  }

  /** The activity-bar entry of a view container, by its title. */
  activityItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`);
  }

  async openViewContainer(title: string): Promise<void> {
    const item = this.activityItem(title);
    await item.waitFor({ timeout: 30_000 });
    const isOpen = await this.page
      .locator('.part.sidebar .composite.title h2')
      .first()
      .textContent()
      .catch(() => null);
    if (isOpen?.trim().toLowerCase() !== title.toLowerCase()) await item.click();
    await poll(`the ${title} side bar`, 10_000, async () => {
      const heading = await this.page.locator('.part.sidebar .composite.title h2').first().textContent();
      return heading?.trim().toLowerCase() === title.toLowerCase() ? true : undefined;
    });
  }

  /** A view's pane in the side bar, by the view's title. */
  pane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator('.pane-header h3.title', { hasText: title }) });
  }

  /** Drags the sash between the side bar and the editor so the side bar is `width` pixels wide. */
  async resizeSidebar(width: number): Promise<void> {
    const sidebar = await this.page.locator('.part.sidebar').boundingBox();
    if (!sidebar) return;
    const y = sidebar.y + sidebar.height / 2;
    const from = sidebar.x + sidebar.width;
    await this.page.mouse.move(from, y);
    await this.page.mouse.down();
    await this.page.mouse.move(from + (width - sidebar.width) / 2, y, { steps: 5 });
    await this.page.mouse.move(sidebar.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  async paneTitles(): Promise<string[]> {
    return (await this.page.locator('.part.sidebar .pane-header h3.title').allTextContents()).map((t) => t.trim());
  }

  async expandPane(title: string): Promise<void> {
    const header = this.pane(title).locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  }

  /**
   * Every row of a view's tree. Lists render only the rows in view, so this scrolls the pane from top
   * to bottom and collects rows by their list index.
   */
  async treeRows(title: string): Promise<TreeRow[]> {
    const body = this.pane(title).locator('.pane-body');
    const box = await body.boundingBox();
    if (!box) return [];
    const read = () =>
      this.pane(title)
        // Not the sticky-scroll copies of parent rows pinned at the top of the tree.
        .locator('.monaco-list-rows > .monaco-list-row')
        .evaluateAll((rows) =>
          rows.map((row) => ({
            index: Number(row.getAttribute('data-index') ?? -1),
            label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
            description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
            level: Number(row.getAttribute('aria-level') ?? 0),
            expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
          })),
        );
    const seen = new Map<number, TreeRow>();
    const collect = async (): Promise<number> => {
      const before = seen.size;
      for (const { index, ...row } of await read()) seen.set(index, row);
      return seen.size - before;
    };
    const atTop = async () => (await read()).some((row) => row.index === 0);
    const toTop = async () => {
      for (let step = 0; step < 100 && !(await atTop()); step++) {
        await this.page.mouse.wheel(0, -box.height);
        await this.page.waitForTimeout(50);
      }
      // Row 0 is rendered as soon as part of it shows; one more step brings it fully into view.
      await this.page.mouse.wheel(0, -box.height);
      await this.page.waitForTimeout(50);
    };
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await toTop();
    await collect();
    for (let step = 0, idle = 0; step < 100 && idle < 2; step++) {
      await this.page.mouse.wheel(0, Math.max(44, box.height / 2));
      await this.page.waitForTimeout(80);
      idle = (await collect()) === 0 ? idle + 1 : 0;
    }
    await toTop();
    return [...seen.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
  }

  /** Waits until a view shows rows that satisfy `ready` (the extension fills views asynchronously). */
  async waitForTree(title: string, ready: (rows: TreeRow[]) => boolean, timeoutMs = 60_000): Promise<TreeRow[]> {
    let last: TreeRow[] = [];
    return poll(`the "${title}" view`, timeoutMs, async () => {
      last = await this.treeRows(title);
      return ready(last) ? last : undefined;
    }).catch((error) => {
      throw new Error(`${String(error)}; rows shown: ${JSON.stringify(last.map((r) => `${'  '.repeat(r.level)}${r.label} | ${r.description}`), null, 1)}`);
    });
  }

  /** Runs a command from the palette by its title, e.g. `Reliability: Open Dashboard`. */
  async runCommand(title: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    await row.first().waitFor({ timeout: 15_000 });
    await row.first().click();
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  async quickInputTitle(): Promise<string> {
    return ((await this.page.locator('.quick-input-widget .quick-input-title').textContent()) ?? '').trim();
  }

  async quickPickRows(): Promise<Array<{ label: string; description: string; detail: string }>> {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((rows) =>
      rows.map((row) => ({
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        detail: row.querySelector('.quick-input-list-label-meta, .monaco-icon-label-container + .monaco-highlighted-label, .quick-input-list-detail')?.textContent?.trim() ?? '',
      })),
    );
  }

  /** Toasts currently shown, newest last. */
  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notifications-toasts .notification-list-item-message').allTextContents()).map((t) => t.trim());
  }

  async waitForNotification(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    return poll(`a notification matching ${pattern}`, timeoutMs, async () => (await this.notifications()).find((text) => pattern.test(text)));
  }

  async clearNotifications(): Promise<void> {
    const toasts = this.page.locator('.notifications-toasts .notification-toast');
    for (let i = 0; i < 10 && (await toasts.count()) > 0; i++) {
      await toasts.first().hover();
      const close = toasts.first().locator('.codicon-notifications-clear, .codicon-close').first();
      if (await close.isVisible()) await close.click();
      else break;
    }
  }

  async statusBarTexts(): Promise<string[]> {
    return (await this.page.locator('.part.statusbar .statusbar-item').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Opens a workspace file through Quick Open, the way a person would. */
  async openFile(relativePath: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(relativePath);
    const name = relativePath.split('/').pop()!;
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name });
    await row.first().waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.activeTab(name).waitFor({ timeout: 15_000 });
  }

  /** Go to Line (Ctrl+G) in the active editor; the line is revealed in the middle of the view. */
  async goToLine(line: number): Promise<void> {
    await this.closeQuickInput();
    await this.page.locator('.part.editor .monaco-editor textarea').first().focus();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  activeTab(titleContains: string): Locator {
    return this.page.locator('.part.editor .tab.active', { hasText: titleContains });
  }

  async tabTitles(): Promise<string[]> {
    return (await this.page.locator('.part.editor .tab .label-name').allTextContents()).map((t) => t.trim());
  }

  /** Code lens titles shown in the visible editor. */
  async codeLenses(): Promise<string[]> {
    const texts = await this.page.locator('.part.editor .monaco-editor .codelens-decoration').allTextContents();
    // One decoration joins several lenses on a line with " | ".
    return texts.flatMap((t) => t.split(' | ')).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
  }

  /**
   * The code lenses drawn in the active editor, each with the 1-based line it sits above: the line
   * whose number is the first drawn below the lens. Only what is on screen is drawn; `withTallWindow`
   * shows a whole file.
   */
  async codeLensesByLine(): Promise<Array<{ line: number; titles: string[] }>> {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor') ?? document.querySelector('.part.editor .monaco-editor');
      if (!editor) return [];
      const numbers = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers'))
        .map((element) => ({ line: Number((element.textContent ?? '').trim()), top: element.getBoundingClientRect().top }))
        .filter((entry) => Number.isInteger(entry.line) && entry.line > 0)
        .sort((a, b) => a.top - b.top);
      return Array.from(editor.querySelectorAll('.codelens-decoration')).map((element) => {
        const bottom = element.getBoundingClientRect().bottom;
        const below = numbers.find((entry) => entry.top >= bottom - 2);
        const titles = (element.textContent ?? '').split(' | ').map((title: string) => title.replace(/\s+/g, ' ').trim()).filter(Boolean);
        return { line: below ? below.line : -1, titles };
      });
    });
  }

  /**
   * Text decorations add after the end of lines in the active editor (an inline blame). VS Code draws
   * a decoration's `after.contentText` as the CSS content of an `::after` pseudo-element.
   */
  async lineEndAnnotations(): Promise<string[]> {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor') ?? document.querySelector('.part.editor .monaco-editor');
      if (!editor) return [];
      const texts: string[] = [];
      for (const element of Array.from(editor.querySelectorAll('.view-lines .view-line span'))) {
        const content = getComputedStyle(element, '::after').content;
        if (content && content !== 'none' && content !== 'normal') texts.push(content.replace(/^"|"$/g, '').replace(/\\"/g, '"'));
      }
      return texts;
    });
  }

  /** Runs `action` with the browser window `height` pixels tall (every line of a long file drawn), then restores it. */
  async withTallWindow<T>(height: number, action: () => Promise<T>): Promise<T> {
    const before = this.page.viewportSize() ?? { width: 1440, height: 900 };
    await this.page.setViewportSize({ width: before.width, height });
    try {
      return await action();
    } finally {
      await this.page.setViewportSize(before);
    }
  }

  /**
   * The document inside a webview. VS Code nests two iframes: an outer `iframe.webview` (the host page
   * with the service worker) and the extension's page in `#active-frame` inside it.
   */
  webview(index = 0): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
  }

  /** How much of a canvas is painted, read with getImageData inside its frame. */
  async canvasPixels(canvas: Locator): Promise<PixelStats> {
    return canvas.evaluate((element) => {
      const c = element as HTMLCanvasElement;
      const context = c.getContext('2d');
      if (!context || c.width === 0 || c.height === 0) return { width: c.width, height: c.height, painted: 0, colours: 0 };
      const { data } = context.getImageData(0, 0, c.width, c.height);
      let painted = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        painted++;
        colours.add(((data[i] >> 4) << 12) | ((data[i + 1] >> 4) << 8) | ((data[i + 2] >> 4) << 4) | (data[i + 3] >> 4));
      }
      return { width: c.width, height: c.height, painted, colours: colours.size };
    });
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
