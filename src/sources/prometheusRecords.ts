// Whether a server holds the series `reliability-lens rules` records (core/recordingRules.ts), and
// for which SLO reading each SLO is then read: recorded series (rules mode) or raw counters.
import { z } from 'zod';
import { recordEligibility, RECORD_1H, RECORD_5M, RECORD_HOUR_MS, RECORD_ID_LABEL, RECORD_KIND_LABEL, recordedQueries, RULE_INTERVAL_MS } from '../core/recordingRules';
import type { EventQueries } from '../core/promql';
import { promqlDuration, promqlTime } from '../core/promql';
import type { SloDefinition, SloReadMode } from '../core/model';
import { sloWindowRange } from '../core/sloCounts';
import type { HttpClient } from './http/httpClient';
import { plainReason } from './http/sourceError';
import type { PrometheusSession } from './prometheusSession';

/** What a server was found to hold, per record id, when the session last asked. */
export interface RecordedSeriesCheck {
  /** Wall-clock-free: the evaluation time the check was made at. */
  at: number;
  /** Earliest recorded hour found within the look-back, per id. */
  since: Map<string, number>;
  /** Newest 5-minute record, per id. */
  latest: Map<string, number>;
  /** Why the server could not be asked (then every SLO is read raw until the next check). */
  error?: string;
  /** The ids asked about, and how far back: a check answers only for those. */
  askedIds: ReadonlySet<string>;
  lookbackMs: number;
}

/** Asked again after this much evaluation time, so rules installed during a session are found. */
const RECHECK_AFTER_MS = 6 * 3_600_000;
/** Records older than this at the evaluation time mean the rules are no longer evaluated. */
const STALE_AFTER_MS = 15 * 60_000;
/** The longest burn window (3d) also reads back from `now`. */
const LONGEST_BURN_WINDOW_MS = 3 * 86_400_000;

const checkResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});

export interface SloReading {
  mode: SloReadMode;
  /** The queries to ask: recorded series in rules mode; undefined for the indicator's own. */
  queries?: EventQueries;
}

/**
 * How each of `slos` is read at `now`. One request per session (and after a refresh error, or every
 * RECHECK_AFTER_MS) asks the server how far back each SLO's records reach; nothing is asked when no
 * SLO could use them or the workspace says `mode: raw`.
 */
export async function chooseSloReadings(
  client: HttpClient,
  slos: readonly SloDefinition[],
  now: number,
  configuredMode: 'auto' | 'raw',
  session: PrometheusSession,
): Promise<SloReading[]> {
  const eligibility = slos.map((def) => recordEligibility(def));
  if (configuredMode === 'raw') {
    return slos.map(() => ({ mode: { mode: 'raw', reason: 'config.yaml sets slis.prometheus.mode: raw' } }));
  }
  const ids = [...new Set(eligibility.flatMap((entry) => (entry.eligible ? [entry.id] : [])))];
  const lookbackMs = Math.max(0, ...slos.map((def) => now - neededStart(def, now)));
  const check = ids.length === 0 ? null : await recordedSeries(client, session, ids, now, lookbackMs);
  return slos.map((def, index) => {
    const entry = eligibility[index];
    if (!entry.eligible) return { mode: { mode: 'raw', reason: entry.reason } };
    const raw = (reason: string): SloReading => ({ mode: { mode: 'raw', reason } });
    if (check === null) return raw('no SLO reads recorded series');
    if (check.error !== undefined) return raw(`could not ask ${client.host} for recorded series: ${check.error}`);
    const since = check.since.get(entry.id);
    const latest = check.latest.get(entry.id);
    if (since === undefined || latest === undefined) {
      return raw(`${client.host} has no series recorded for its queries (reliability_lens_id="${entry.id}"); \`reliability-lens rules\` writes the rules that record them`);
    }
    const start = neededStart(def, now);
    if (since > start + RECORD_HOUR_MS) {
      return raw(`its recorded series start ${new Date(since).toISOString()}, after the start of what it reads (${new Date(start).toISOString()}); raw until they cover it`);
    }
    if (latest < Math.min(now, check.at) - STALE_AFTER_MS) {
      return raw(`its newest recorded sample is from ${new Date(latest).toISOString()}: the rules are not being evaluated`);
    }
    return {
      mode: { mode: 'rules', reason: `recorded series reliability_lens_id="${entry.id}" on ${client.host}, since ${new Date(since).toISOString()}`, recordId: entry.id },
      queries: recordedQueries(entry.id, entry.kinds),
    };
  });
}

/** Forgets the server's check, so the next refresh asks again (after a refresh error). */
export function forgetRecordedSeries(session: PrometheusSession, client: HttpClient): void {
  session.recorded.delete(client.baseUrl);
}

/** The earliest time an SLO's reading needs data from: its window's start, or 3 days back for the 3d burn window. */
function neededStart(def: SloDefinition, now: number): number {
  return Math.min(sloWindowRange(def, now).start, now - LONGEST_BURN_WINDOW_MS);
}

async function recordedSeries(client: HttpClient, session: PrometheusSession, ids: readonly string[], now: number, lookbackMs: number): Promise<RecordedSeriesCheck> {
  const known = session.recorded.get(client.baseUrl);
  const coversIds = known !== undefined && ids.every((id) => known.askedIds.has(id));
  if (known && coversIds && Math.abs(now - known.at) < RECHECK_AFTER_MS && known.lookbackMs >= lookbackMs) return known;
  const check: RecordedSeriesCheck = { at: now, since: new Map(), latest: new Map(), askedIds: new Set(ids), lookbackMs };
  try {
    const matcher = `${RECORD_ID_LABEL}=~${JSON.stringify(ids.join('|'))},${RECORD_KIND_LABEL}="total"`;
    // Hour by hour over the look-back: the earliest hour that had a 1-hour record. One sample per hour and id.
    const range = `${promqlDuration(Math.ceil(lookbackMs / RECORD_HOUR_MS) * RECORD_HOUR_MS + RECORD_HOUR_MS)}:${promqlDuration(RECORD_HOUR_MS)}`;
    const since = `min by (${RECORD_ID_LABEL}) (min_over_time(timestamp(${RECORD_1H}{${matcher}})[${range}]))`;
    const latest = `max by (${RECORD_ID_LABEL}) (max_over_time(timestamp(${RECORD_5M}{${matcher}})[${promqlDuration(RULE_INTERVAL_MS * 3)}:${promqlDuration(RULE_INTERVAL_MS)}]))`;
    const query = `label_replace(${since}, "rl_check", "since", "", "") or label_replace(${latest}, "rl_check", "latest", "", "")`;
    const response = await client.request({ method: 'POST', path: 'api/v1/query', form: { query, time: promqlTime(now) } }, checkResponse);
    for (const sample of response.data.data.result) {
      const id = sample.metric[RECORD_ID_LABEL];
      const seconds = Number(sample.value[1]);
      if (id === undefined || !ids.includes(id) || !Number.isFinite(seconds)) continue;
      const into = sample.metric.rl_check === 'since' ? check.since : sample.metric.rl_check === 'latest' ? check.latest : null;
      into?.set(id, Math.round(seconds * 1000));
    }
  } catch (error) {
    check.error = plainReason(error, 'Prometheus');
  }
  session.recorded.set(client.baseUrl, check);
  return check;
}

/** Plain words for how a refresh read its SLOs: `8 of 10 SLOs read recorded series (rules mode), 2 raw counters`. */
export function readModeSummary(modes: readonly SloReadMode[]): string {
  const rules = modes.filter((mode) => mode.mode === 'rules').length;
  if (modes.length === 0) return 'no SLO reads Prometheus';
  if (rules === modes.length) return `${plural(rules, 'SLO')} read recorded series (rules mode)`;
  const firstRaw = modes.find((mode) => mode.mode === 'raw') as SloReadMode;
  if (rules === 0) return `${plural(modes.length, 'SLO')} read raw counters (first reason: ${firstRaw.reason})`;
  return `${rules} of ${plural(modes.length, 'SLO')} read recorded series (rules mode), ${modes.length - rules} raw counters (first reason: ${firstRaw.reason})`;
}

/** Advice when SLOs that could read recorded series do not find them. */
export function recordingRulesHint(modes: readonly SloReadMode[]): string | undefined {
  const missing = modes.filter((mode) => mode.mode === 'raw' && mode.reason.includes('reliability-lens rules')).length;
  if (missing === 0) return undefined;
  return `${plural(missing, 'SLO')} could read recorded series: install the rules \`reliability-lens rules\` writes, so each refresh reads a few recorded samples instead of every raw sample of the window`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
