// The data of the Prometheus load benchmark (prometheusBench.ts): 10 OpenSLO ratio SLOs over 28-day
// rolling windows, each reading a good and a total counter selector that match 10 series each
// (`instance` i0..i9), scraped every 60 s for 28 days: about 8 million samples. Written as OpenMetrics
// one UTC day at a time, so no more than a day of lines (about 290,000) is ever in memory.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SLOS = 10;
export const SERIES_PER_SELECTOR = 10;
export const SCRAPE_MS = 60_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const WINDOW_MS = 28 * DAY_MS;
/** The first refresh's evaluation time: on the scrape grid, so raw and recorded counts can be compared. */
export const NOW = Date.parse('2026-11-20T12:00:00Z');
/** The second refresh, as the editor's 5-minute timer would make it. */
export const SECOND_REFRESH = NOW + 5 * 60_000;
/**
 * Two hours before the window, so that the recording rules' first records (from an hour before the
 * window) have a whole hour of raw data behind them; ten minutes past the second refresh.
 */
export const DATA_START = NOW - WINDOW_MS - 2 * HOUR_MS;
export const DATA_END = SECOND_REFRESH + 10 * 60_000;
/** Recording rules are evaluated from here to DATA_END. */
export const RULES_START = DATA_START + HOUR_MS;

const GOOD_FAMILY = 'bench_requests_good';
const TOTAL_FAMILY = 'bench_requests';

/** Everything the generated data depends on: the cache is reused only while this is unchanged. */
export function generatorKey(): string {
  return JSON.stringify({ version: 1, SLOS, SERIES_PER_SELECTOR, SCRAPE_MS, DATA_START, DATA_END, GOOD_FAMILY, TOTAL_FAMILY });
}

export function sampleCount(): number {
  return 2 * SLOS * SERIES_PER_SELECTOR * scrapeCount();
}

function scrapeCount(): number {
  return Math.floor((DATA_END - DATA_START) / SCRAPE_MS) + 1;
}

const sloName = (slo: number) => `slo-${slo}`;
const selector = (family: string, slo: number) => `${family}_total{slo="${sloName(slo)}"}`;

/**
 * One counter pair per SLO and instance. Requests per minute vary between 50 and 149; the error
 * rate differs by SLO (0.05 % to 0.5 %), and the even SLOs have a bad hour three days before NOW (a
 * tenth of requests fail), so the SLOs' budgets and burn rates differ.
 */
class CounterPair {
  good = 0;
  total = 0;
  private seed: number;
  private readonly errorRate: number;
  private readonly badHour: boolean;

  constructor(slo: number, instance: number) {
    this.seed = slo * 1000 + instance + 1;
    this.errorRate = 0.0005 * (slo + 1);
    this.badHour = slo % 2 === 0;
  }

  /** Moves the counters to the scrape at `t`. */
  advance(t: number): void {
    // A 32-bit linear congruential generator; its high bits are the random ones.
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    const requests = 50 + ((this.seed >>> 16) % 100);
    const inBadHour = this.badHour && t > NOW - 3 * DAY_MS && t <= NOW - 3 * DAY_MS + HOUR_MS;
    const rate = inBadHour ? 0.1 : this.errorRate;
    // Whole events: the fraction carried by chance from the seed's other bits.
    const failed = Math.floor(requests * rate + ((this.seed >>> 8) & 0xff) / 256);
    this.total += requests;
    this.good += requests - failed;
  }
}

/**
 * The raw data as OpenMetrics documents, one per UTC day (the first and last days partial): each
 * holds the good family then the total family, every series' samples of that day in time order.
 */
export function* openMetricsDays(): Generator<string> {
  const pairs: CounterPair[] = [];
  for (let slo = 0; slo < SLOS; slo++) for (let instance = 0; instance < SERIES_PER_SELECTOR; instance++) pairs.push(new CounterPair(slo, instance));
  const labels = pairs.map((_, index) => `slo="${sloName(Math.floor(index / SERIES_PER_SELECTOR))}",instance="i${index % SERIES_PER_SELECTOR}"`);
  for (let dayStart = DATA_START - (DATA_START % DAY_MS); dayStart <= DATA_END; dayStart += DAY_MS) {
    const first = Math.max(DATA_START, dayStart);
    const last = Math.min(DATA_END, dayStart + DAY_MS - SCRAPE_MS);
    const scrapes = Math.floor((last - first) / SCRAPE_MS) + 1;
    // This day's counter values, pair by pair, so that each family can then be written in one piece.
    const good = pairs.map(() => new Float64Array(scrapes));
    const total = pairs.map(() => new Float64Array(scrapes));
    pairs.forEach((pair, p) => {
      for (let i = 0; i < scrapes; i++) {
        pair.advance(first + i * SCRAPE_MS);
        good[p][i] = pair.good;
        total[p][i] = pair.total;
      }
    });
    const lines: string[] = [];
    for (const [family, values] of [
      [GOOD_FAMILY, good],
      [TOTAL_FAMILY, total],
    ] as const) {
      lines.push(`# TYPE ${family} counter`);
      values.forEach((series, p) => {
        for (let i = 0; i < scrapes; i++) lines.push(`${family}_total{${labels[p]}} ${series[i]} ${(first + i * SCRAPE_MS) / 1000}`);
      });
    }
    lines.push('# EOF', '');
    yield lines.join('\n');
  }
}

/**
 * The workspace the engine reads: the 10 SLOs (two services) on Prometheus at `prometheusUrl`, read
 * raw (`mode: raw`) or from recorded series when the server has them (`mode: auto`).
 */
export function writeWorkspace(root: string, prometheusUrl: string, mode: 'raw' | 'auto'): void {
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, '.reliability', 'slos'), { recursive: true });
  fs.writeFileSync(
    path.join(root, '.reliability', 'config.yaml'),
    `version: 1
services:
  - name: checkout
    paths: ["checkout/**"]
  - name: search
    paths: ["search/**"]
slis:
  source: prometheus
  prometheus:
    url: ${prometheusUrl}
    mode: ${mode}
`,
  );
  for (let slo = 0; slo < SLOS; slo++) {
    fs.writeFileSync(
      path.join(root, '.reliability', 'slos', `${sloName(slo)}.yaml`),
      `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${sloName(slo)} }
spec:
  service: ${slo % 2 === 0 ? 'checkout' : 'search'}
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 28d, isRolling: true }]
  indicator:
    metadata: { name: ${sloName(slo)}-availability }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: '${selector(GOOD_FAMILY, slo)}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: '${selector(TOTAL_FAMILY, slo)}' } } }
  objectives:
    - target: 0.995
`,
    );
  }
}
