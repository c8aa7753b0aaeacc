// Recording rules for Prometheus (`reliability-lens rules`): each Occurrences ratio SLO's events, recorded
// once by the team's Prometheus (or Thanos/Mimir ruler) at a low resolution, so that every editor's
// refresh sums a few recorded samples instead of every raw sample of a 28-day window.
//
// What is recorded, per distinct indicator (SLOs that ask the same queries share their series), every
// RULE_INTERVAL (5 minutes), for each kind of event the indicator names (good or bad, and total):
//
//   reliability_lens:slo_events:increase5m{reliability_lens_id="<id>", reliability_lens_kind="total"}
//       the events of the 5 minutes ending at the evaluation: the indicator's own query over 5m;
//   reliability_lens:slo_events:increase1h{...}
//       the events of the hour ending at the evaluation: the same query over 1h.
//
// Counts, never ratios: a window's ratio is the ratio of its summed counts (DOMAIN.md section 2), which
// an average of 5-minute ratios (what Sloth records) is not when traffic varies. `<id>` is a digest of
// the queries, so an edited SLO never reads series recorded for its old queries.
//
// How the engine reads them (sources/prometheus.ts with recordedQueries): the events of (T - w, T] are
// the sum of the 5-minute records in that span, and a whole hour step is one 1-hour record; a window is
// then a few recorded samples. Every record covers the 5 minutes (or hour) before its own evaluation
// time, and Prometheus evaluates a group at a fixed phase, so the recorded coverage of a window ends
// at the last evaluation at or before `now`: rules mode sees (T - w, T] with now - 5m < T <= now. The
// difference from raw mode is therefore at most the events of 5 minutes at each end of a window (plus
// whatever evaluations the server missed, which leave gaps); with evaluations on the 5-minute grid
// and `now` on it, the two are equal.
import { createHash } from 'node:crypto';
import { eventQueries, leftOpenRange, PromqlSetupError, promqlDuration, promqlTime, selectorCountQueries } from './promql';
import type { EventKind, EventQueries } from './promql';
import type { SloDefinition } from './model';
import { inertJson, inertLine } from './inertText';
import { readsPrometheus, sloDataReaders } from './compositeSlo';

export const RULE_GROUP_NAME = 'reliability-lens';
export const RULE_INTERVAL_MS = 5 * 60_000;
export const RECORD_HOUR_MS = 3_600_000;
export const RECORD_5M = 'reliability_lens:slo_events:increase5m';
export const RECORD_1H = 'reliability_lens:slo_events:increase1h';
export const RECORD_ID_LABEL = 'reliability_lens_id';
export const RECORD_KIND_LABEL = 'reliability_lens_kind';

/** Why an SLO is, or is not, read from recorded series. */
export type RecordEligibility = { eligible: true; id: string; kinds: readonly EventKind[] } | { eligible: false; reason: string };

/**
 * Whether `def` can be read from recorded counts: an Occurrences SLO whose indicator gives event counts
 * (an OpenSLO ratio metric on Prometheus, a Sloth events SLI). Timeslices need each slice's own
 * counts and value readings (thresholds, raw ratios) are not event counts: those stay raw.
 */
export function recordEligibility(def: SloDefinition): RecordEligibility {
  const indicator = def.indicator;
  if (indicator.type !== 'prometheus' && indicator.type !== 'sloth') {
    return { eligible: false, reason: `its indicator (${indicatorWords(indicator.type)}) is not an event count; it is read raw` };
  }
  if (def.budgeting.method !== 'Occurrences') {
    return { eligible: false, reason: `${def.budgeting.method} budgeting needs each slice's own counts; it is read raw` };
  }
  let queries: EventQueries;
  try {
    queries = eventQueries(indicator);
  } catch (error) {
    if (error instanceof PromqlSetupError) return { eligible: false, reason: error.message };
    throw error;
  }
  return { eligible: true, id: recordId(queries), kinds: queries.kinds };
}

function indicatorWords(type: string): string {
  switch (type) {
    case 'prometheus-values':
      return 'threshold or raw-ratio values';
    case 'sloth-raw':
      return 'a Sloth raw error ratio';
    default:
      return type;
  }
}

/** The recorded series' id: a digest of what the rules record, so edited queries get new series. */
function recordId(queries: EventQueries): string {
  const recorded = queries.kinds.map((kind) => [kind, recordedExpression(queries, kind, RULE_INTERVAL_MS), recordedExpression(queries, kind, RECORD_HOUR_MS)]);
  return createHash('sha256').update(JSON.stringify(recorded)).digest('hex').slice(0, 16);
}

/** The rule's expression: the indicator's own query over the window, as an event count. */
function recordedExpression(queries: EventQueries, kind: EventKind, windowMs: number): string {
  const scale = queries.scale(windowMs);
  const expression = queries.expression(kind, windowMs);
  return scale === 1 ? expression : `(${expression}) * ${scale}`;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface RuleFile {
  groups: Array<{ name: string; interval: string; rules: RecordingRule[] }>;
}

export interface RuleFilePlan {
  file: RuleFile;
  /** Every SLO read from Prometheus: which series it reads, or why it stays raw. */
  slos: Array<{ service: string; slo: string; id?: string; reason?: string }>;
}

/** The rule file for `slos` (composites contribute their objectives); Prometheus SLOs only. */
export function planRuleFile(slos: readonly SloDefinition[]): RuleFilePlan {
  const rules: RecordingRule[] = [];
  const recorded = new Set<string>();
  const planned: RuleFilePlan['slos'] = [];
  for (const def of sloDataReaders(slos).filter(readsPrometheus)) {
    const eligibility = recordEligibility(def);
    if (!eligibility.eligible) {
      planned.push({ service: def.service, slo: def.name, reason: eligibility.reason });
      continue;
    }
    planned.push({ service: def.service, slo: def.name, id: eligibility.id });
    if (recorded.has(eligibility.id)) continue;
    recorded.add(eligibility.id);
    const queries = eventQueries(def.indicator);
    for (const [record, windowMs] of [[RECORD_5M, RULE_INTERVAL_MS], [RECORD_1H, RECORD_HOUR_MS]] as const) {
      for (const kind of queries.kinds) {
        rules.push({ record, expr: recordedExpression(queries, kind, windowMs), labels: { [RECORD_ID_LABEL]: eligibility.id, [RECORD_KIND_LABEL]: kind } });
      }
    }
  }
  const groups = rules.length === 0 ? [] : [{ name: RULE_GROUP_NAME, interval: promqlDuration(RULE_INTERVAL_MS), rules }];
  return { file: { groups }, slos: planned };
}

/**
 * The rule file as Prometheus reads it (`rule_files`), with a comment naming the SLOs each id serves.
 * Every scalar is written as a JSON string (control and bidi characters escaped), which YAML reads as
 * the same double-quoted string, so a query or name holding quotes, colons or newlines cannot change
 * the file's structure; a comment is one inert line.
 */
export function renderRuleFileYaml(plan: RuleFilePlan): string {
  const lines = ['# Recording rules for Reliability Lens (written by `reliability-lens rules`).', '# Series: see README.md, "Load on Prometheus".'];
  if (plan.file.groups.length === 0) {
    lines.push('# No SLO of this workspace is an Occurrences ratio SLO read from Prometheus: nothing to record.', 'groups: []');
    return `${lines.join('\n')}\n`;
  }
  lines.push('groups:');
  for (const group of plan.file.groups) {
    lines.push(`  - name: ${inertJson(group.name)}`, `    interval: ${inertJson(group.interval)}`, '    rules:');
    let lastId = '';
    for (const rule of group.rules) {
      const id = rule.labels[RECORD_ID_LABEL];
      if (id !== lastId) {
        const users = plan.slos.filter((slo) => slo.id === id).map((slo) => `${slo.service}/${slo.slo}`);
        lines.push(`      # ${inertLine(`${id}: ${users.join(', ')}`)}`);
        lastId = id;
      }
      lines.push(`      - record: ${inertJson(rule.record)}`, `        expr: ${inertJson(rule.expr)}`, '        labels:');
      for (const [name, value] of Object.entries(rule.labels)) lines.push(`          ${name}: ${inertJson(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * How the engine reads an SLO from its recorded series: the same questions as raw mode (the events of
 * kind K in (end - w, end]), answered from the records. A whole hour ending at `end` is one 1-hour
 * record (at most one sample), and a run of whole hours one sample per hour; any other span sums the
 * 5-minute records whose evaluation time lies in it (the range is shortened by 1 ms because
 * Prometheus 2.x ranges include their left edge). A 28-day window is then about 700 samples per kind
 * of event however many series the indicator's selectors match.
 */
export function recordedQueries(id: string, kinds: readonly EventKind[]): EventQueries {
  const selector = (record: string, kind: EventKind) => `${record}{${RECORD_ID_LABEL}=${JSON.stringify(id)},${RECORD_KIND_LABEL}=${JSON.stringify(kind)}}`;
  const events = (kind: EventKind, windowMs: number, at: string) =>
    windowMs === RECORD_HOUR_MS
      ? `sum(${selector(RECORD_1H, kind)}${at})`
      : `sum(sum_over_time(${selector(RECORD_5M, kind)}[${leftOpenRange(windowMs)}]${at}))`;
  return {
    ...selectorCountQueries(kinds, events),
    // One sample per hour: the 1-hour record at each whole hour, by a subquery whose steps Prometheus
    // aligns to whole hours; the range is 1 ms short of reaching the hour before firstEnd.
    wholeHours: (kind, firstEnd, lastEnd) =>
      `sum(sum_over_time(${selector(RECORD_1H, kind)}[${leftOpenRange(lastEnd - firstEnd + RECORD_HOUR_MS)}:${promqlDuration(RECORD_HOUR_MS)}] @ ${promqlTime(lastEnd)}))`,
  };
}
