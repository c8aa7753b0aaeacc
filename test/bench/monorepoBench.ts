// Benchmark of issue 14 "at monorepo scale": a generated workspace with 200 services and 500 SLOs (28
// days of 10-minute CSV rows each, incidents, a release tag every two days) loaded by the engine as
// the editor loads it, then
//   - the dashboard's messages: the overview (every service's summary), one service's details, and
//     all of it in one message as the dashboard sent before (the overview plus every service's
//     details), in bytes of JSON;
//   - the time to build them (the projection, in the extension host);
//   - the time to a drawn dashboard: the built page in Chromium (dashboardHarness.ts) gets the
//     overview, asks for the first service, and draws its SLO cards' burn-downs and the DORA charts;
//     then a pick of another service in the picker until its charts are drawn;
//   - the Services tree: nodes built with every service, and with only those that need attention.
//
//   npx tsx test/bench/monorepoBench.ts
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { FromWebviewMessage, ToWebviewMessage } from '../../src/shared/protocol';
import { toDashboardData, toServiceDetail } from '../../src/views/dashboard/projection';
import { buildServiceNodes } from '../../src/views/tree/serviceNodes';
import type { ViewNode, WorkspaceViewState } from '../../src/views/tree/viewNode';
import { reportQuery } from '../../src/workspace/engine';
import { launchChromium } from '../e2e/workbench';
import { openDashboardHarness } from './dashboardHarness';

const SERVICES = 200;
const SLOS = 500;
const ROW_MS = 10 * 60_000;
const DAYS = 28;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;

/** Targets: the overview and one service's message stay small; the page draws within seconds. */
export const TARGETS = { overviewKb: 100, serviceKb: 150, drawnMs: 3000, switchMs: 1500 };

export interface MonorepoBenchResult {
  services: number;
  slos: number;
  rows: number;
  loadMs: number;
  bytes: { overview: number; service: number; largestService: number; allInOne: number };
  buildMs: { overview: number; service: number };
  browser: { drawnMs: number; switchMs: number; cards: number } | null;
  browserError?: string;
  tree: { all: number; attentionOnly: number; buildMs: number; attentionServices: number };
  pass: boolean;
}

function serviceName(index: number): string {
  return `service-${String(index).padStart(3, '0')}`;
}

/** SLO `k` belongs to service `k % 200`: the first hundred services get three SLOs, the rest two. */
function generate(dir: string): void {
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  const reliability = path.join(dir, '.reliability');
  fs.mkdirSync(path.join(reliability, 'slos'), { recursive: true });
  fs.mkdirSync(path.join(reliability, 'data'), { recursive: true });
  const services = Array.from({ length: SERVICES }, (_, index) => serviceName(index));
  fs.writeFileSync(
    path.join(reliability, 'config.yaml'),
    `version: 1\nservices:\n${services.map((name) => `  - name: ${name}\n    paths: ["services/${name}/**"]`).join('\n')}\ndeployments:\n  source: git-tags\n  tagPattern: "v*"\n`,
  );
  const rows = (DAYS * DAY_MS) / ROW_MS;
  for (let k = 0; k < SLOS; k++) {
    const index = k % SERVICES;
    const name = `${serviceName(index)}-slo-${Math.floor(k / SERVICES)}`;
    fs.writeFileSync(
      path.join(reliability, 'slos', `${name}.yaml`),
      `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: ${serviceName(index)}
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 28d, isRolling: true }]
  indicator:
    metadata: { name: ${name}-ratio }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: CSV, spec: { path: data/${name}.csv, column: good } } }
        total: { metricSource: { type: CSV, spec: { path: data/${name}.csv, column: total } } }
  objectives:
    - target: 0.999
`,
    );
    // Most SLOs spend a little budget; every 23rd service has a bad day, every 11th a slow burn.
    const lines = ['timestamp,good,total'];
    let seed = k + 1;
    for (let r = rows - 1; r >= 0; r--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const time = NOW - r * ROW_MS;
      const total = 2000 + (seed % 2000);
      const badDay = index % 23 === 0 && time > NOW - 3 * DAY_MS && time < NOW - 2 * DAY_MS;
      const burn = index % 11 === 0 ? 3 : 0;
      const bad = badDay ? Math.floor(total * 0.02) : (seed % 3) + burn;
      lines.push(`${new Date(time).toISOString()},${total - bad},${total}`);
    }
    fs.writeFileSync(path.join(reliability, 'data', `${name}.csv`), `${lines.join('\n')}\n`);
  }
  const incidents = Array.from({ length: 60 }, (_, n) => {
    const index = (n * 37) % SERVICES;
    const started = NOW - (n + 1) * 20 * 3_600_000;
    const open = n % 15 === 0;
    return `  - id: INC-${n + 1}
    title: Errors on ${serviceName(index)} (${n + 1})
    severity: SEV${(n % 4) + 1}
    service: ${serviceName(index)}
    startedAt: ${new Date(started).toISOString()}${open ? '' : `\n    resolvedAt: ${new Date(started + 2 * 3_600_000).toISOString()}`}`;
  });
  fs.writeFileSync(path.join(reliability, 'incidents.yaml'), `incidents:\n${incidents.join('\n')}\n`);
  // A release every two days over 90 days, each touching a few services.
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  for (let release = 0; release < 45; release++) {
    const time = new Date(NOW - (90 - release * 2) * DAY_MS).toISOString();
    const env = { ...process.env, GIT_AUTHOR_DATE: time, GIT_COMMITTER_DATE: time };
    for (let touch = 0; touch < 3; touch++) {
      const file = path.join(dir, 'services', serviceName((release * 7 + touch * 61) % SERVICES), 'main.ts');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, `// release ${release}\n`);
    }
    execFileSync('git', ['add', '-A'], { cwd: dir, env });
    execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', `Release ${release}`], { cwd: dir, env });
    execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'tag', '-a', `v1.${release}.0`, '-m', `v1.${release}.0`], { cwd: dir, env });
  }
  fs.writeFileSync(marker, '');
}

/**
 * The message the dashboard sent before (commit e624b63's projection), rebuilt from the new parts: one
 * snapshot holding every service with all its SLO cards, every deployment once with the services it
 * names and its impact on each, and every incident.
 */
function legacyMessage(state: WorkspaceViewState, overview: ToWebviewMessage, details: readonly ToWebviewMessage[]): unknown {
  const snapshot = state.snapshot!;
  const workspace = (overview as Extract<ToWebviewMessage, { type: 'snapshot' }>).data.workspaces[0];
  const detailOf = (message: ToWebviewMessage) => (message.type === 'serviceDetail' && 'detail' in message ? message.detail : undefined);
  return {
    type: 'snapshot',
    data: {
      workspaces: [
        {
          ...workspace,
          services: workspace.services.map((service, index) => ({ name: service.name, status: service.status, slos: detailOf(details[index])?.slos ?? [], openIncidents: service.openIncidents })),
          deployments: snapshot.deployments
            .filter((deployment) => deployment.time <= snapshot.now)
            .map((deployment) => ({
              name: deployment.name,
              time: deployment.time,
              services: deployment.services,
              changes: deployment.changes.length,
              incidents: deployment.incidents,
              impacts: (snapshot.deploymentImpacts ?? []).filter((entry) => entry.deployment === deployment.name && entry.time === deployment.time),
            })),
          incidents: details.flatMap((message) => detailOf(message)?.incidents ?? []),
        },
      ],
    },
  };
}

function countNodes(nodes: readonly ViewNode[]): number {
  return nodes.reduce((sum, node) => sum + 1 + countNodes(node.children ?? []), 0);
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

/** Best of a few runs: the floor of noise on a shared machine. */
function bestMs(runs: number, run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, timed(run).ms);
  return best;
}

const bytes = (message: unknown) => Buffer.byteLength(JSON.stringify(message));

export async function runMonorepoBench(options: { projectRoot: string; log?: (line: string) => void; browser?: Browser }): Promise<MonorepoBenchResult> {
  const log = options.log ?? (() => undefined);
  const dir = path.join(options.projectRoot, '.cache', 'bench', 'monorepo-200x500');
  const generating = !fs.existsSync(path.join(dir, '.complete'));
  if (generating) log('generating the 200-service workspace (once)…');
  generate(dir);
  const load = await timedAsync(() => reportQuery(dir, { now: NOW, allowRemote: false }));
  const snapshot = load.value;
  const state: WorkspaceViewState = { root: dir, name: 'monorepo', snapshot, loading: false, trusted: true, remoteEnabled: true };

  const overviewMessage: ToWebviewMessage = { type: 'snapshot', data: toDashboardData([state]) };
  const ranked = overviewMessage.data.workspaces[0].services;
  const first = ranked[0].name;
  const detailMessage = (service: string): ToWebviewMessage => ({ type: 'serviceDetail', root: dir, service, ...toServiceDetail(state, service) });
  const allDetails = ranked.map((service) => detailMessage(service.name));
  const result: MonorepoBenchResult = {
    services: ranked.length,
    slos: snapshot.sloReports.length,
    rows: SLOS * ((DAYS * DAY_MS) / ROW_MS),
    loadMs: load.ms,
    bytes: {
      overview: bytes(overviewMessage),
      service: bytes(detailMessage(first)),
      largestService: Math.max(...allDetails.map(bytes)),
      allInOne: bytes(legacyMessage(state, overviewMessage, allDetails)),
    },
    buildMs: {
      overview: bestMs(5, () => JSON.stringify(toDashboardData([state]))),
      service: bestMs(5, () => JSON.stringify(detailMessage(first))),
    },
    browser: null,
    tree: {
      all: countNodes(buildServiceNodes(state)),
      attentionOnly: countNodes(buildServiceNodes(state, { attentionOnly: true, pinned: [] })),
      buildMs: bestMs(3, () => buildServiceNodes(state)),
      attentionServices: ranked.filter((service) => service.needsAttention).length,
    },
    pass: false,
  };

  const browser = options.browser ?? (await launchChromium());
  try {
    result.browser = await timeDrawnDashboard(options.projectRoot, browser, state, overviewMessage, ranked[Math.floor(ranked.length / 2)].name);
  } catch (error) {
    result.browserError = error instanceof Error ? error.message : String(error);
  } finally {
    if (!options.browser) await browser.close();
  }
  result.pass =
    result.bytes.overview <= TARGETS.overviewKb * 1024 &&
    result.bytes.largestService <= TARGETS.serviceKb * 1024 &&
    result.browser !== null &&
    result.browser.drawnMs <= TARGETS.drawnMs &&
    result.browser.switchMs <= TARGETS.switchMs;
  return result;
}

async function timedAsync<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

/**
 * From opening the page to its first service's SLO cards with every burn-down canvas drawn (the
 * overview built when the page says ready, the service's details when it asks); then from typing another service's name in the picker and pressing Enter to
 * its cards drawn. The host answers as dashboardPanel.ts does, building each message when asked.
 */
async function timeDrawnDashboard(
  projectRoot: string,
  browser: Browser,
  state: WorkspaceViewState,
  overview: ToWebviewMessage,
  other: string,
): Promise<{ drawnMs: number; switchMs: number; cards: number }> {
  const host = (message: FromWebviewMessage): ToWebviewMessage[] => {
    if (message.type === 'ready') return [{ type: 'snapshot', data: toDashboardData([state]) }];
    if (message.type === 'requestService') return [{ type: 'serviceDetail', inReplyTo: message.requestId, root: message.root, service: message.service, ...toServiceDetail(state, message.service) }];
    return [];
  };
  const harness = await openDashboardHarness(browser, { projectRoot, viewport: { width: 1400, height: 900 }, host });
  try {
    const cardsDrawn = (service: string) =>
      harness.page.waitForFunction(
        (name) => {
          const section = document.querySelector<HTMLElement>('.service-panel');
          if (!section || section.dataset.service !== name) return false;
          const canvases = Array.from(section.querySelectorAll<HTMLCanvasElement>('.chart-burndown canvas'));
          return canvases.length > 0 && canvases.length === section.querySelectorAll('.slo-card').length && canvases.every((canvas) => canvas.width > 0);
        },
        service,
        { polling: 'raf', timeout: 30_000 },
      );
    const firstService = (overview as Extract<ToWebviewMessage, { type: 'snapshot' }>).data.workspaces[0].services[0].name;
    await cardsDrawn(firstService);
    // Opening the dashboard: the page loads, says ready, gets the overview the host builds then, asks
    // for the first (worst) service and draws it. Best of three reloads (the first load warmed caches).
    let drawnMs = Infinity;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      await harness.page.reload();
      await cardsDrawn(firstService);
      drawnMs = Math.min(drawnMs, performance.now() - start);
    }
    const cards = await harness.page.locator('.slo-card').count();

    const input = harness.page.locator('.picker-input');
    await input.click();
    await input.fill(other);
    const switchStart = performance.now();
    await input.press('Enter');
    await cardsDrawn(other);
    const switchMs = performance.now() - switchStart;
    return { drawnMs, switchMs, cards };
  } finally {
    await harness.close();
  }
}

const kb = (value: number) => `${(value / 1024).toFixed(1)} kB`;

export function printMonorepoBench(result: MonorepoBenchResult): void {
  console.log(`Dashboard and Services view at monorepo scale: ${result.services} services, ${result.slos} SLOs, ${result.rows.toLocaleString('en')} CSV rows`);
  console.log(`  engine load (report, offline)                          ${result.loadMs.toFixed(0).padStart(7)} ms`);
  console.log(`  overview message (every service's summary)             ${kb(result.bytes.overview).padStart(10)}  built in ${result.buildMs.overview.toFixed(1)} ms`);
  console.log(`  one service's message (the worst, 3 SLOs)              ${kb(result.bytes.service).padStart(10)}  built in ${result.buildMs.service.toFixed(1)} ms; largest ${kb(result.bytes.largestService)}`);
  console.log(`  all in one message (as before)                         ${kb(result.bytes.allInOne).padStart(10)}  (${(result.bytes.allInOne / (result.bytes.overview + result.bytes.service)).toFixed(0)}x overview + one service)`);
  if (result.browser) {
    console.log(`  drawn dashboard in Chromium (overview -> ${result.browser.cards} cards drawn) ${result.browser.drawnMs.toFixed(0).padStart(7)} ms`);
    console.log(`  picking another service -> its cards drawn             ${result.browser.switchMs.toFixed(0).padStart(7)} ms`);
  } else {
    console.log(`  drawn dashboard: not measured (${result.browserError ?? 'no browser'})`);
  }
  console.log(`  Services tree: ${result.tree.all.toLocaleString('en')} nodes with every service, ${result.tree.attentionOnly.toLocaleString('en')} with the ${result.tree.attentionServices} that need attention; built in ${result.tree.buildMs.toFixed(0)} ms`);
  console.log(
    `  targets: overview under ${TARGETS.overviewKb} kB, a service under ${TARGETS.serviceKb} kB, drawn under ${TARGETS.drawnMs} ms, a pick under ${TARGETS.switchMs} ms -> ${result.pass ? 'PASS' : 'FAIL'}`,
  );
}

if (require.main === module) {
  runMonorepoBench({ projectRoot: path.resolve(__dirname, '..', '..'), log: (line) => console.log(`  ${line}`) }).then(
    (result) => {
      printMonorepoBench(result);
      if (!result.pass) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    },
  );
}
