// Benchmark of the extension on a big repository, through the end-to-end harness: code-server with
// the built extension, driven by Chromium, opens a repository that holds a `.reliability/` folder and
// measures
//   - the time from the extension's activation to the early snapshot (incidents and SLOs shown while git
//     still reads delivery history) and to the first complete snapshot, as the extension logs them;
//   - the time from activation until the browser shows the Delivery view's DORA metric rows;
//   - the extension host's memory before the first load, at the early snapshot and after loading.
// The extension logs each stage with the extension host's `process.memoryUsage()` (src/state/loadLog.ts);
// the output channel's own timestamps cannot be used, since it writes its first lines late.
//
// The repository's deployments are dated: the extension host gets RELIABILITY_LENS_NOW, so every load
// evaluates at `now` as the CLI's `--now` does (a faked clock cannot reach it: VS Code drops LD_PRELOAD
// from the extension host's environment). VS Code's git extension is turned off so that the extension
// host's memory and CPU are this extension's.
//
//   npx tsx test/bench/editorBench.ts REPOSITORY [--now ISO]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureAptPackages, ensureCodeServer, startCodeServer } from '../../scripts/codeServer';
import type { RunningCodeServer } from '../../scripts/codeServer';
import { parseLoadLine, parseMemory } from '../../src/state/loadLog';
import type { LoadLine, MemoryFigures } from '../../src/state/loadLog';
import { PINNED_NOW_VARIABLE } from '../../src/state/snapshotLoads';
import { activationLine, extensionErrors, outputChannelLogs } from '../e2e/logs';
import { CHROMIUM_PATH, launchChromium, newLocalPage, poll, Workbench } from '../e2e/workbench';

const HOUR_MS = 3_600_000;

// What the UI is called (package.json contributes, src/views/format.ts, src/views/tree/deliveryNodes.ts).
const UI = {
  container: 'Reliability',
  delivery: 'Delivery',
  incidents: 'Incidents',
  doraRow: 'Deployment frequency',
  readingRow: 'Reading delivery history…',
  // Incident rows read `INC-7 · SEV2 · checkout` (src/views/format.ts formatIncidentLabel).
  incidentRow: /^\S+ · SEV\d · /,
};

export interface EditorBenchOptions {
  /** Project root holding dist/, package.json and .cache/ (code-server). */
  projectRoot: string;
  /** A git repository with a `.reliability/` folder. */
  repository: string;
  /** Evaluation time (ISO); default two hours after the newest commit, as the CLI benchmark does. */
  now?: string;
  log?: (line: string) => void;
  /** How long to wait for the Delivery view; default 10 minutes. */
  timeoutMs?: number;
}

export interface EditorBenchResult {
  repository: string;
  commits: number;
  tags: number;
  now: string;
  /** The extension's early snapshot; null when git finished before the SLOs and incidents were in. */
  early: (LoadLine & { sinceActivationMs: number }) | null;
  /** The first complete snapshot. */
  complete: LoadLine & { sinceActivationMs: number };
  /** The extension host's memory when the workspace was found, before its first load. */
  memoryBeforeLoad: MemoryFigures | null;
  /**
   * In the browser, from VS Code's activation of the extension (the extension host log's line, which
   * comes before the extension's module is even loaded): when the Incidents view first listed an
   * incident, when the Delivery view first read "Reading delivery history…" (null: never seen), and
   * when it showed the DORA metric rows.
   */
  browser: { incidentRowsMs: number; readingRowMs: number | null; doraRowsMs: number; progressBarWhileReading: boolean };
  /** Error lines of the extension in VS Code's logs during the run (should be none). */
  errors: string[];
}

function git(repository: string, args: string[]): string {
  return execFileSync('git', args, { cwd: repository, encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
}

/** `2026-12-02 04:05:10.088 [info] ...`: VS Code's log timestamps, in the local time of the writer. */
function logTime(line: string): number {
  const match = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(line);
  if (!match) throw new Error(`no timestamp in log line: ${line}`);
  const [year, month, day, hour, minute, second, ms] = match.slice(1).map(Number);
  return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
}

function extensionLogLines(logsDir: string, extensionId: string): string[] {
  return outputChannelLogs(logsDir, extensionId).flatMap((file) => fs.readFileSync(file, 'utf8').split('\n'));
}

export async function runEditorBench(options: EditorBenchOptions): Promise<EditorBenchResult> {
  const log = options.log ?? (() => undefined);
  const projectRoot = path.resolve(options.projectRoot);
  const repository = path.resolve(options.repository);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { publisher: string; name: string };
  const extensionId = `${manifest.publisher}.${manifest.name}`;
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  if (!fs.existsSync(path.join(repository, '.reliability'))) throw new Error(`${repository} has no .reliability/ folder`);

  const now = options.now ? Date.parse(options.now) : Number(git(repository, ['log', '-1', '--format=%ct', 'HEAD'])) * 1000 + 2 * HOUR_MS;
  if (!Number.isFinite(now)) throw new Error(`--now ${options.now} is not a date`);
  const commits = Number(git(repository, ['rev-list', '--count', 'HEAD']));
  const tags = git(repository, ['for-each-ref', '--format=x', 'refs/tags']).split('\n').filter(Boolean).length;

  await ensureAptPackages(['chromium'], { log });
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}`);
  await ensureCodeServer({ log });

  const results = path.join(projectRoot, 'test-results', 'editor-bench', path.basename(repository));
  fs.rmSync(results, { recursive: true, force: true });
  fs.mkdirSync(results, { recursive: true });
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const started = Date.now();
  try {
    server = await startCodeServer({
      workspaceFolder: repository,
      extensionPath: projectRoot,
      userDataDir: path.join(results, 'user-data'),
      extensionsDir: path.join(results, 'extensions'),
      settings: {
        // One load, the one measured: no periodic refresh.
        'reliabilityLens.refreshIntervalMinutes': 0,
        'git.enabled': false,
        'git.autoRepositoryDetection': false,
      },
      env: { [PINNED_NOW_VARIABLE]: new Date(now).toISOString() },
      log,
    });
    log(`code-server at ${server.baseUrl}, the extension evaluating at ${new Date(now).toISOString()}`);
    browser = await launchChromium();
    const page = await newLocalPage(browser);
    const bench = new Workbench(page);
    await bench.open(server.url);
    await bench.openViewContainer(UI.container);
    await bench.expandPane(UI.delivery);
    await bench.expandPane(UI.incidents);

    const rows = bench.pane(UI.delivery).locator('.monaco-list-rows > .monaco-list-row .label-name');
    const progressBar = bench.pane(UI.delivery).locator('.monaco-progress-container.active');
    const incidentRows = bench.pane(UI.incidents).locator('.monaco-list-rows > .monaco-list-row .label-name');
    let incidentsShownAt: number | undefined;
    let readingShownAt: number | undefined;
    let progressBarWhileReading = false;
    const deliveryShownAt = await poll('DORA rows in the Delivery view', timeoutMs, async () => {
      const labels = (await rows.allTextContents()).map((text) => text.trim());
      const seenAt = Date.now();
      if (incidentsShownAt === undefined && (await incidentRows.allTextContents()).some((text) => UI.incidentRow.test(text.trim()))) incidentsShownAt = seenAt;
      if (labels.includes(UI.readingRow)) {
        readingShownAt ??= seenAt;
        // The view's own progress bar shows after a short delay of VS Code's.
        if ((await progressBar.count()) > 0) progressBarWhileReading = true;
      }
      return labels.includes(UI.doraRow) ? seenAt : undefined;
    });
    await page.screenshot({ path: path.join(results, 'delivery.png') });

    const activation = activationLine(server.logsDir, extensionId);
    if (!activation) throw new Error('no activation line in the extension host log');
    const activatedAt = logTime(activation);
    if (activatedAt < started - 1000 || activatedAt > deliveryShownAt) throw new Error(`the activation line's time is outside this run: ${activation}`);
    const lines = await poll('the first complete load in the extension log', 30_000, async () => {
      const found = extensionLogLines(server!.logsDir, extensionId);
      return found.some((line) => parseLoadLine(line)?.stage === 'complete') ? found : undefined;
    });
    const loads = lines.map(parseLoadLine).filter((line): line is LoadLine => line !== undefined);
    const complete = loads.find((line) => line.stage === 'complete');
    const early = loads.find((line) => line.stage === 'early');
    if (complete?.sinceActivationMs === undefined) throw new Error(`the first complete load does not say when it came: ${JSON.stringify(complete)}`);
    const memoryLine = lines.find((line) => line.includes('Reliability workspaces:'));
    return {
      repository,
      commits,
      tags,
      now: new Date(now).toISOString(),
      early: early?.sinceActivationMs === undefined ? null : { ...early, sinceActivationMs: early.sinceActivationMs },
      complete: { ...complete, sinceActivationMs: complete.sinceActivationMs },
      memoryBeforeLoad: (memoryLine ? parseMemory(memoryLine) : undefined) ?? null,
      browser: {
        // Listed with the DORA rows at the latest, when the poll saw both at once.
        incidentRowsMs: (incidentsShownAt ?? deliveryShownAt) - activatedAt,
        readingRowMs: readingShownAt === undefined ? null : readingShownAt - activatedAt,
        doraRowsMs: deliveryShownAt - activatedAt,
        progressBarWhileReading,
      },
      errors: extensionErrors(server.logsDir, extensionId, projectRoot),
    };
  } finally {
    await browser?.close().catch(() => undefined);
    // VS Code's logs stay in test-results/editor-bench/ for a look afterwards.
    await server?.stop({ keepDirs: true });
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const memory = (m: MemoryFigures) => `rss ${m.rssMb} MB, heap ${m.heapMb} MB`;

/** The lines `npm run bench` prints: plain figures, no ratio (the editor has no floor of its own). */
export function printEditorBench(result: EditorBenchResult, print: (line: string) => void = console.log): void {
  print(
    `The extension on ${result.commits.toLocaleString('en')} commits and ${result.tags.toLocaleString('en')} tags ` +
      `(${path.basename(result.repository)}, evaluated at ${result.now}; code-server, VS Code's git extension off)`,
  );
  const row = (label: string, value: string) => print(`  ${label.padEnd(62)} ${value}`);
  print('  seen in the browser, from VS Code activating the extension:');
  row('    Incidents view lists incidents', seconds(result.browser.incidentRowsMs));
  row(
    '    Delivery view reads "Reading delivery history…"',
    result.browser.readingRowMs === null
      ? 'never: delivery was ready first'
      : `${seconds(result.browser.readingRowMs)}${result.browser.progressBarWhileReading ? ', with its progress bar' : ', its progress bar not seen'}`,
  );
  row('    Delivery view shows the DORA metrics', seconds(result.browser.doraRowsMs));
  print('  logged by the extension, from its activate():');
  row('    incidents and SLOs shown (early snapshot)', result.early ? seconds(result.early.sinceActivationMs) : 'none: delivery was ready first');
  row('    complete snapshot (delivery in)', `${seconds(result.complete.sinceActivationMs)} (the load itself ${seconds(result.complete.loadMs)})`);
  row(`deployments in the snapshot`, `${result.complete.deployments}${result.complete.deployments === 0 ? ' (none: is the evaluation time within the history?)' : ''}`);
  if (result.memoryBeforeLoad) row('extension host memory before the first load', memory(result.memoryBeforeLoad));
  if (result.early) row('extension host memory at the early snapshot', memory(result.early.memory));
  row('extension host memory after loading', memory(result.complete.memory));
  if (result.errors.length) {
    print(`  ${result.errors.length} error line(s) from the extension:`);
    for (const error of result.errors.slice(0, 5)) print(`    ${error.split('\n')[0]}`);
  }
}

// `npx tsx test/bench/editorBench.ts REPOSITORY [--now ISO]`: run it on one repository, print, and the result as JSON.
if (require.main === module) {
  const args = process.argv.slice(2);
  const nowIndex = args.indexOf('--now');
  const now = nowIndex >= 0 ? args[nowIndex + 1] : undefined;
  const repository = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--now');
  if (!repository) {
    console.error('usage: npx tsx test/bench/editorBench.ts REPOSITORY [--now ISO]');
    process.exit(2);
  }
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  runEditorBench({ projectRoot: path.resolve(__dirname, '..', '..'), repository, now, log: (line) => console.error(`  ${line}`) })
    .then((result) => {
      printEditorBench(result);
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    });
}
