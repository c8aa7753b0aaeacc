// Benchmark of issue 13 (light on the shared Prometheus): what one refresh of 10 SLOs asks of a real
// Prometheus, counted by Prometheus itself. 10 ratio SLOs over 28-day windows, each selector matching
// 10 series scraped every 60 s for 28 days (prometheusData.ts: about 8 million samples, backfilled once
// with promtool into .cache/bench/prometheus-8m/). A recording proxy (prometheusProxy.ts) between the
// engine and Prometheus counts requests and the samples each query touched (`stats=all`).
//
// Measured, each for a background refresh (no burn-down buckets) and with the dashboard visible:
// raw mode; rules mode (the rule file `reliability-lens rules` prints for the workspace, backfilled
// into the same data with promtool); and a second refresh 5 minutes later with the same session.
// Goals: rules mode touches at least 100 times fewer samples than raw mode; a second raw refresh at
// least 20 times fewer than the first.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { SloReport, SourceState } from '../../src/core/model';
import { PrometheusSession } from '../../src/sources/prometheusSession';
import { loadDefinitions } from '../../src/workspace/definitions';
import { computeSloReports } from '../../src/workspace/sloData';
import { startBackfilledPrometheus, temporaryDirectory } from '../unit/sources/support/realServers';
import { DATA_END, NOW, RULES_START, SECOND_REFRESH, SLOS, generatorKey, openMetricsDays, sampleCount, writeWorkspace } from './prometheusData';
import { startRecordingProxy } from './prometheusProxy';
import type { PrometheusLoad, RecordingProxy } from './prometheusProxy';

const RULES_TARGET = 100;
const SECOND_REFRESH_TARGET = 20;
/** The series `reliability-lens rules` records all start with this (src/core/recordingRules.ts). */
const RECORDED_PREFIX = 'reliability_lens:';

export interface RefreshLoad {
  requests: number;
  samples: number;
  /** Queries that read recorded series rather than raw counters. */
  recordedQueries: number;
  ms: number;
}

/** One refresh at NOW with a new session, then one at NOW + 5 minutes with the same session. */
export interface RefreshPair {
  first: RefreshLoad;
  second: RefreshLoad;
  /** The first refresh's reports, to compare the modes. */
  reports: SloReport[];
}

export interface ModeLoads {
  /** A background refresh: no burn-down buckets. */
  background: RefreshPair;
  /** The dashboard is visible: burn-down buckets too. */
  dashboard: RefreshPair;
}

export interface Goal {
  label: string;
  measured: string;
  /** False for a figure reported against a goal's target without being one (the dashboard's). */
  goal: boolean;
  pass: boolean;
}

export interface PrometheusBenchResult {
  samples: number;
  raw: ModeLoads;
  /** Null when rules mode could not be measured; `rulesMissing` says why. */
  rules: ModeLoads | null;
  rulesMissing?: string;
  /** Rules mode against raw mode on the same data, background refresh at NOW. */
  agreement?: { largestSliDifference: number; sameStatuses: boolean };
  goals: Goal[];
  pass: boolean;
}

export async function runPrometheusBench(options: { projectRoot: string; log?: (line: string) => void }): Promise<PrometheusBenchResult> {
  const log = options.log ?? (() => undefined);
  const scratch = temporaryDirectory('rl-prometheus-bench-');
  let stopPrometheus: (() => Promise<void>) | undefined;
  let proxy: RecordingProxy | undefined;
  try {
    // The rule file depends on the SLOs' queries only, never on the server's address.
    writeWorkspace(path.join(scratch.path, 'rules'), 'http://127.0.0.1:9', 'auto');
    const rules = ruleFile(options.projectRoot, path.join(scratch.path, 'rules'));
    const prometheus = await startBackfilledPrometheus(openMetricsDays(), 'rl-prometheus-bench-tsdb-', {
      cache: { directory: path.join(options.projectRoot, '.cache', 'bench', 'prometheus-8m'), key: generatorKey() },
      rules: rules.text === null ? undefined : { text: rules.text, start: RULES_START, end: DATA_END, fileName: 'reliability-lens.rules.yml' },
      log,
    });
    stopPrometheus = () => prometheus.stop();
    proxy = await startRecordingProxy(prometheus.baseUrl);

    const raw = await measureMode(proxy, path.join(scratch.path, 'raw'), 'raw');
    const measuredRules = rules.text === null ? null : await measureMode(proxy, path.join(scratch.path, 'auto'), 'auto');
    const ratio = (more: number, fewer: number) => (fewer === 0 ? Infinity : more / fewer);
    // The goals are the background refresh's, the one every open editor makes every few minutes; the
    // dashboard's extra burn-down queries are reported against the same figures.
    const goals: Goal[] = [];
    for (const variant of ['background', 'dashboard'] as const) {
      const words = variant === 'background' ? 'background refresh' : 'dashboard visible';
      const goal = variant === 'background';
      const rulesLabel = `rules mode touches ${RULES_TARGET}x fewer samples than raw mode (${words})`;
      if (measuredRules) {
        const times = ratio(raw[variant].first.samples, measuredRules[variant].first.samples);
        goals.push({ label: rulesLabel, measured: formatTimes(times), goal, pass: times >= RULES_TARGET });
      } else {
        goals.push({ label: rulesLabel, measured: `not measured: ${rules.missing}`, goal, pass: false });
      }
      const times = ratio(raw[variant].first.samples, raw[variant].second.samples);
      goals.push({ label: `a second raw refresh 5 minutes later touches ${SECOND_REFRESH_TARGET}x fewer (${words})`, measured: formatTimes(times), goal, pass: times >= SECOND_REFRESH_TARGET });
    }
    const result: PrometheusBenchResult = { samples: sampleCount(), raw, rules: measuredRules, goals, pass: goals.every((goal) => goal.pass || !goal.goal) };
    if (rules.text === null) result.rulesMissing = rules.missing;
    if (measuredRules) result.agreement = compareReports(raw.background.reports, measuredRules.background.reports);
    return result;
  } finally {
    await proxy?.close();
    await stopPrometheus?.();
    scratch.remove();
  }
}

/** `reliability-lens rules` for the workspace, or why there is none (the command failed). */
function ruleFile(projectRoot: string, workspace: string): { text: string; missing?: undefined } | { text: null; missing: string } {
  const result = spawnSync('node', [path.join(projectRoot, 'dist', 'cli.js'), 'rules', '--workspace', workspace], { encoding: 'utf8' });
  if (result.status === 0 && result.stdout.includes(RECORDED_PREFIX)) return { text: result.stdout };
  const said = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
  return { text: null, missing: `\`reliability-lens rules\` gave no rule file (exit ${result.status}${said ? `: ${said}` : ''})` };
}

async function measureMode(proxy: RecordingProxy, root: string, mode: 'raw' | 'auto'): Promise<ModeLoads> {
  writeWorkspace(root, proxy.baseUrl, mode);
  const definitions = await loadDefinitions(root);
  if (definitions.slos.length !== SLOS) throw new Error(`the ${mode} workspace has ${definitions.slos.length} SLOs, not ${SLOS}: ${JSON.stringify(definitions.problems)}`);
  const refresh = async (session: PrometheusSession, now: number, burnDown: boolean) => {
    proxy.take();
    const start = process.hrtime.bigint();
    const result = await computeSloReports(root, definitions.config, definitions.slos, { now, allowRemote: true, burnDown, prometheusSession: session });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const load = proxy.take();
    assertRead(`${mode} mode at ${new Date(now).toISOString()}`, result.reports, result.sources);
    return { load: summarize(load, ms), reports: result.reports };
  };
  const pair = async (burnDown: boolean): Promise<RefreshPair> => {
    const session = new PrometheusSession();
    const first = await refresh(session, NOW, burnDown);
    const second = await refresh(session, SECOND_REFRESH, burnDown);
    return { first: first.load, second: second.load, reports: first.reports };
  };
  return { background: await pair(false), dashboard: await pair(true) };
}

function summarize(load: PrometheusLoad, ms: number): RefreshLoad {
  return {
    requests: load.requests,
    samples: load.samples,
    recordedQueries: load.log.filter((entry) => entry.query?.includes(RECORDED_PREFIX)).length,
    ms,
  };
}

/** A refresh that failed to read an SLO measures nothing worth reporting. */
function assertRead(what: string, reports: readonly SloReport[], sources: readonly SourceState[]): void {
  const unread = reports.filter((report) => report.error !== undefined || !(report.total > 0));
  if (unread.length > 0) throw new Error(`${what}: ${unread.length} SLOs were not read (${unread[0].name}: ${unread[0].error ?? 'no events'})`);
  const prometheus = sources.find((source) => source.name === 'prometheus');
  if (prometheus && prometheus.state !== 'ok') throw new Error(`${what}: the Prometheus source is ${prometheus.state}: ${prometheus.message ?? ''}`);
}

function compareReports(raw: readonly SloReport[], rules: readonly SloReport[]): { largestSliDifference: number; sameStatuses: boolean } {
  let largestSliDifference = 0;
  let sameStatuses = true;
  raw.forEach((report, index) => {
    const other = rules[index];
    largestSliDifference = Math.max(largestSliDifference, Math.abs((report.sli ?? 0) - (other.sli ?? 0)));
    if (report.status !== other.status) sameStatuses = false;
  });
  return { largestSliDifference, sameStatuses };
}

function formatTimes(times: number): string {
  return times === Infinity ? 'no samples touched' : `${times >= 100 ? times.toFixed(0) : times.toFixed(1)}x`;
}

export function printPrometheusBench(result: PrometheusBenchResult): void {
  console.log(`Prometheus load of one refresh: ${SLOS} SLOs, 10 series per selector, one sample a minute for 28 days (${result.samples.toLocaleString('en')} samples)`);
  console.log(`  ${''.padEnd(52)} ${'requests'.padStart(8)} ${'samples touched'.padStart(16)} ${'ms'.padStart(7)}`);
  const row = (label: string, load: RefreshLoad) => {
    const recorded = load.recordedQueries > 0 ? `  (${load.recordedQueries} read recorded series)` : '';
    console.log(`  ${label.padEnd(52)} ${String(load.requests).padStart(8)} ${load.samples.toLocaleString('en').padStart(16)} ${load.ms.toFixed(0).padStart(7)}${recorded}`);
  };
  const modes: Array<[string, ModeLoads | null]> = [
    ['raw', result.raw],
    ['rules', result.rules],
  ];
  for (const [mode, loads] of modes) {
    if (!loads) {
      console.log(`  ${mode} mode: not measured: ${result.rulesMissing}`);
      continue;
    }
    row(`${mode}, background refresh`, loads.background.first);
    row(`${mode}, background refresh 5 minutes later`, loads.background.second);
    row(`${mode}, dashboard visible`, loads.dashboard.first);
    row(`${mode}, dashboard visible 5 minutes later`, loads.dashboard.second);
  }
  if (result.agreement) {
    const { largestSliDifference, sameStatuses } = result.agreement;
    console.log(`  rules mode against raw mode: largest SLI difference ${largestSliDifference.toExponential(2)}, ${sameStatuses ? 'same statuses' : 'statuses differ'}`);
  }
  for (const goal of result.goals) {
    const verdict = goal.goal ? (goal.pass ? 'PASS' : 'FAIL') : `${goal.pass ? 'met' : 'not met'} (reported, not a goal)`;
    console.log(`  ${goal.goal ? 'target' : 'also'}: ${goal.label}: ${goal.measured} -> ${verdict}`);
  }
}
