// The deterministic test traffic behind the Prometheus tests: 30 days of per-minute request counts
// for `checkout`, with a visible bad day and a burst of errors in the last minutes, written both as
// CSV-like buckets (for the exact expected numbers) and as OpenMetrics counters/gauges sampled at
// each bucket's end (for `promtool tsdb create-blocks-from openmetrics`).

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** The test's evaluation time, on a bucket end. */
export const SERIES_END = Date.parse('2025-10-31T00:00:00Z');
export const SERIES_DAYS = 30;
export const SERIES_START = SERIES_END - SERIES_DAYS * DAY_MS;

export interface Bucket {
  /** End of the minute, epoch ms (the CSV `timestamp`). */
  end: number;
  good: number;
  bad: number;
  total: number;
}

/** Minute `i` (1-based) ends at SERIES_START + i minutes. */
export function checkoutBuckets(): Bucket[] {
  const buckets: Bucket[] = [];
  const minutes = SERIES_DAYS * 24 * 60;
  const badDay = 21; // 2025-10-22, a day the budget visibly burns
  for (let i = 1; i <= minutes; i++) {
    const end = SERIES_START + i * MINUTE_MS;
    const day = Math.floor((i - 1) / 1440);
    // Traffic varies by minute of day and a pseudo-random term, so extrapolation errors are visible.
    const minuteOfDay = (i - 1) % 1440;
    const total = 600 + Math.round(400 * Math.sin((minuteOfDay / 1440) * 2 * Math.PI) ** 2) + ((i * 7919) % 97);
    let bad = (i * 104_729) % 211 === 0 ? 3 : (i * 31) % 17 === 0 ? 1 : 0;
    if (day === badDay && minuteOfDay >= 600 && minuteOfDay < 840) bad = Math.floor(total * 0.08);
    if (i > minutes - 7) bad = 40; // errors right now: the short burn windows see them
    buckets.push({ end, good: total - bad, bad, total });
  }
  return buckets;
}

/**
 * OpenMetrics text: counters `rl_requests_total`, `rl_requests_good_total`, `rl_requests_errors_total`
 * (each starting at 0 on SERIES_START, then one sample per bucket end) and gauges `rl_bucket_good`,
 * `rl_bucket_total` holding each bucket's own counts (the OpenSLO `counter: false` shape).
 */
export function checkoutOpenMetrics(buckets: readonly Bucket[]): string {
  const lines: string[] = [];
  const counter = (family: string, pick: (bucket: Bucket) => number) => {
    lines.push(`# TYPE ${family} counter`);
    let value = 0;
    lines.push(`${family}_total{job="checkout"} 0 ${SERIES_START / 1000}`);
    for (const bucket of buckets) {
      value += pick(bucket);
      lines.push(`${family}_total{job="checkout"} ${value} ${bucket.end / 1000}`);
    }
  };
  const gauge = (family: string, pick: (bucket: Bucket) => number) => {
    lines.push(`# TYPE ${family} gauge`);
    for (const bucket of buckets) lines.push(`${family}{job="checkout"} ${pick(bucket)} ${bucket.end / 1000}`);
  };
  counter('rl_requests', (bucket) => bucket.total);
  counter('rl_requests_good', (bucket) => bucket.good);
  counter('rl_requests_errors', (bucket) => bucket.bad);
  gauge('rl_bucket_good', (bucket) => bucket.good);
  gauge('rl_bucket_total', (bucket) => bucket.total);
  lines.push('# EOF', '');
  return lines.join('\n');
}

/** Exact sums over `now - w < end <= now`, as DOMAIN.md section 2 counts a CSV. */
export function exactWindow(buckets: readonly Bucket[], now: number, windowMs: number): { good: number; total: number; inWindow: Bucket[] } {
  const inWindow = buckets.filter((bucket) => bucket.end > now - windowMs && bucket.end <= now);
  let good = 0;
  let total = 0;
  for (const bucket of inWindow) {
    good += bucket.good;
    total += bucket.total;
  }
  return { good, total, inWindow };
}
