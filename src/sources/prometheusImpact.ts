// Deployment impact in Prometheus mode (DOMAIN.md section 6): the events of each span a deployment's
// impact reads (before, first hour, after-window, its part in the SLO window), by PromQL evaluated at
// the deployment's time. ONE instant query per deployment and SLO: every span is a series of the one
// result vector, told apart by a label (prometheus.ts combinedInstantQuery); a span that ends after
// the deployment is read at its end with `@`, and its parts in maintenance ride along to be subtracted,
// exactly as fetchSloCounts reads the SLO windows. Always from the raw series the SLO names: a span of
// a deployment's hours matches no recorded rule's window.
//
// How exact it is, against file mode's sums over the same buckets: a span `(s, e]` is
// `increase(counter[e - s] @ e)`. With the counters sampled at the CSV's bucket ends and `s`, `e` on
// bucket ends (a deployment on a bucket boundary), increase() extrapolates nothing on Prometheus 2.x
// and the counts agree to floating-point rounding. A deployment between two bucket ends puts both
// ends of each span between samples: increase() sees the buckets whose ends lie inside and stretches
// them to the span, so each span is off by at most one bucket's events at each end (the CSV counts
// the bucket ending just after `s` wholly, Prometheus a share of it), and a burn rate over a span of
// n buckets by at most about 2/n of itself (1h of 1-minute buckets: 3%). The verdict can then differ
// only for a deployment within those margins of its threshold. test/unit/sources/prometheusImpact.test.ts
// checks both cases against a real server.
//
// A deployment whose after-window has closed (the next deployment came, or six hours passed) can no
// longer change: its spans' counts are kept for good in the session's cache, and asked again never.
import type { ImpactSpans } from '../core/deploymentImpact';
import type { TimeSpan } from '../core/maintenance';
import type { SloDefinition, WindowCounts } from '../core/model';
import type { HttpClient } from './http/httpClient';
import { indicatorQueries, instantCounts, MaintenancePlan, netCounts } from './prometheus';

/** Requests for different deployments in flight at once (the client also caps requests per host). */
export const IMPACT_QUERY_CONCURRENCY = 4;

/** One deployment's spans for one SLO. `closed`: its after-window can no longer change, so its counts may be kept for good. */
export interface ImpactQuestion {
  def: SloDefinition;
  /** The deployment's time: the instant query's evaluation time. */
  time: number;
  spans: ImpactSpans;
  closed: boolean;
  /** Maintenance spans of the SLO's service (core/maintenance.ts), subtracted as for the SLO windows. */
  maintenance: readonly TimeSpan[];
}

/** The answers: the counts of each span asked (or cached), and why the questions that failed did. */
export interface ImpactAnswers {
  countsIn(def: SloDefinition, span: TimeSpan): WindowCounts | null;
  failures: Array<{ question: ImpactQuestion; reason: unknown }>;
  /** Requests sent (0 when the cache answered everything). */
  requests: number;
}

/**
 * Counts kept between refreshes (the editor keeps one per folder in its PrometheusSession), keyed by
 * the server, the SLO's indicator, its maintenance and the span, so a changed definition never reads
 * an old answer.
 */
export type ImpactCountsCache = Map<string, WindowCounts>;

/** The counts of every question's spans: cached ones from `cache`, the rest one instant query per question, bounded in parallel. */
export async function fetchImpactCounts(client: HttpClient, questions: readonly ImpactQuestion[], cache: ImpactCountsCache = new Map()): Promise<ImpactAnswers> {
  const found = new Map<string, WindowCounts>();
  const failures: ImpactAnswers['failures'] = [];
  let requests = 0;
  const pending = questions.filter((question) => {
    const spans = distinctSpans(question.spans);
    const cached = spans.map((span) => cache.get(cacheKey(client, question, span)));
    if (cached.some((counts) => counts === undefined)) return true;
    spans.forEach((span, index) => found.set(answerKey(question.def, span), cached[index] as WindowCounts));
    return false;
  });
  await eachBounded(pending, IMPACT_QUERY_CONCURRENCY, async (question) => {
    try {
      requests++;
      const counts = await fetchQuestion(client, question);
      for (const [span, value] of counts) {
        found.set(answerKey(question.def, span), value);
        if (question.closed) cache.set(cacheKey(client, question, span), value);
      }
    } catch (error) {
      failures.push({ question, reason: error });
    }
  });
  return {
    countsIn: (def, span) => (span.end <= span.start ? { good: 0, total: 0 } : (found.get(answerKey(def, span)) ?? null)),
    failures,
    requests,
  };
}

/** One instant query at the deployment's time for every non-empty span of one question. */
async function fetchQuestion(client: HttpClient, question: ImpactQuestion): Promise<Array<[TimeSpan, WindowCounts]>> {
  const queries = indicatorQueries(client, question.def.indicator);
  const spans = distinctSpans(question.spans);
  const plan = new MaintenancePlan(question.maintenance);
  const exclusions = spans.map((span) => plan.exclusion(span));
  const asked = spans.map((span, index) => ({
    name: `span${index}`,
    lengthMs: span.end - span.start,
    end: span.end,
    words: `from ${new Date(span.start).toISOString()} to ${new Date(span.end).toISOString()}`,
  }));
  const instant = await instantCounts(client, queries, [...asked, ...plan.parts()], question.time);
  return spans.map((span, index) => {
    const { good, total } = netCounts(queries, instant.get(`span${index}`) ?? {}, exclusions[index], instant);
    return [span, { good, total }];
  });
}

/** The non-empty spans of a question, each once (the first hour is often the after-window, and that its part in the SLO window). */
function distinctSpans(spans: ImpactSpans): TimeSpan[] {
  const byKey = new Map<string, TimeSpan>();
  for (const span of [spans.before, spans.first, spans.after, spans.inBudgetWindow]) {
    if (span.end > span.start) byKey.set(spanKey(span), span);
  }
  return [...byKey.values()];
}

const spanKey = (span: TimeSpan): string => `${span.start}:${span.end}`;

/** An SLO is known by its service and name (as `explain` names it). */
function answerKey(def: SloDefinition, span: TimeSpan): string {
  return `${def.service}\u0000${def.name}\u0000${spanKey(span)}`;
}

function cacheKey(client: HttpClient, question: ImpactQuestion, span: TimeSpan): string {
  return JSON.stringify([client.host, question.def.indicator, question.maintenance, spanKey(span)]);
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function eachBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
