// The explanation of an SLO's numbers (core/explain.ts) as markdown: the whole page the Explain command
// opens (explainDocuments.ts), and the parts the Services tree's number nodes show as tooltips. Every
// value goes through markdown.ts's `md`, like any tooltip: SLO names, queries and file names are data.
import type { BurnWindow } from '../core/model';
import { formulaNumber } from '../core/explain';
import type { SloExplanation, SourceExplanation, WindowExplanation } from '../core/explain';
import { formatBudgetPercent, formatBurnRate, formatCount, formatPerWeek, formatRatioPercent, formatSeconds, formatThreshold, formatUtc } from '../core/format';
import type { DoraExplanation } from '../core/doraExplain';
import type { DoraMetricKey } from './format';
import { joinMarkdown, md } from './markdown';
import type { Markdown } from './markdown';

/** The SLI node's tooltip: the SLO window, its bounds and counts. */
export function sliExplanationMarkdown(explanation: SloExplanation): Markdown {
  const window = explanation.windows[0];
  const lines = [
    md`**SLI ${formatRatioPercent(explanation.sli)}** over ${window.label}`,
    md``,
    windowLine(window),
  ];
  if (explanation.timeslices) lines.push(md``, md`${explanation.timeslices.goodSlices} good of ${explanation.timeslices.slicesWithData} slices with events. ${explanation.timeslices.note}`);
  return joinMarkdown(lines);
}

/** The budget node's tooltip: the formula with the values put in. */
export function budgetExplanationMarkdown(explanation: SloExplanation): Markdown {
  return joinMarkdown([
    md`**Budget ${formatBudgetPercent(explanation.budget.remaining)} left**`,
    md``,
    md`${explanation.budget.formula}`,
    md``,
    md`${explanation.budget.withValues}`,
    md``,
    md`Status: ${explanation.statusReason}`,
  ]);
}

/** A burn-rate node's tooltip: the window's counts, its rate, and the alert rules that read it. */
export function burnRateExplanationMarkdown(explanation: SloExplanation, label?: BurnWindow): Markdown {
  const windows = explanation.windows.filter((window) => window.role === 'burn' && (label === undefined || window.label === label));
  const allowed = explanation.budget.allowedErrorRatio;
  const lines: Markdown[] = [md`**Burn rate = error ratio / (1 − objective) = error ratio / ${formulaNumber(allowed)}**`, md``];
  for (const window of windows) lines.push(md`- ${window.label}: ${formatBurnRate(explanation.burnRates[window.label as BurnWindow])} from ${formatCount(window.total - window.good)} bad of ${formatCount(window.total)} events`);
  const rules = explanation.alerts.filter((alert) => label === undefined || alert.long === label || alert.short === label);
  if (rules.length > 0) {
    lines.push(md``, md`Alert rules (fire when both windows burn faster than the threshold):`, md``);
    for (const rule of rules) lines.push(alertLine(rule));
  }
  return joinMarkdown(lines);
}

/** The full page: everything `reliability-lens explain SLO` prints, in the same order. */
export function sloExplanationPageMarkdown(explanation: SloExplanation): Markdown {
  const lines: Markdown[] = [
    md`# ${explanation.slo} (${explanation.service})`,
    md``,
    md`Evaluated at ${formatUtc(explanation.now)}: objective ${formatRatioPercent(explanation.objective)} over ${explanation.window}, ${explanation.budgetingMethod}.`,
    md``,
    md`**Status**: ${explanation.statusReason}`,
  ];
  if (explanation.error) lines.push(md``, md`**Error**: ${explanation.error}`);
  lines.push(
    md``,
    md`## Windows`,
    md``,
    md`| window | start (exclusive) | end | good | total | excluded | SLI / burn rate |`,
    md`|---|---|---|--:|--:|--:|--:|`,
    ...explanation.windows.map(
      (window) =>
        md`| ${window.role === 'slo' ? `${window.label} (SLO)` : window.label} | ${formatUtc(window.start)} | ${formatUtc(window.end)} | ${formatCount(window.good)} | ${formatCount(window.total)} | ${formatCount(window.excludedTotal)} | ${window.role === 'burn' ? formatBurnRate(explanation.burnRates[window.label as BurnWindow]) : formatRatioPercent(explanation.sli)} |`,
    ),
    md``,
    md`## Error budget`,
    md``,
    md`${explanation.budget.formula}`,
    md``,
    md`${explanation.budget.withValues}`,
    md``,
    md`${formatBudgetPercent(explanation.budget.remaining)} left.`,
  );
  if (explanation.timeslices) lines.push(md``, md`${explanation.timeslices.note}`);
  lines.push(md``, md`## Alert rules`, md``, md`A rule fires when both its windows burn faster than its threshold.`, md``);
  for (const rule of explanation.alerts) lines.push(alertLine(rule));
  lines.push(
    md``,
    md`## Time to exhaustion`,
    md``,
    md`${explanation.status === 'exhausted' ? 'now' : formatUtc(explanation.exhaustion.eta)}: ${explanation.exhaustion.rule}`,
    md``,
    md`## Source`,
    md``,
    ...sourceLines(explanation.source),
  );
  if (explanation.notes.length > 0) lines.push(md``, md`## Notes`, md``, ...explanation.notes.map((note) => md`- ${note}`));
  return md`${joinMarkdown(lines)}\n`;
}

/** The page for an SLO the current data no longer has (renamed, or a stale tab). */
export function missingSloMarkdown(service: string, slo: string): Markdown {
  return md`# ${slo} (${service})\n\nThis SLO is not in the current data.\n`;
}

function windowLine(window: WindowExplanation): Markdown {
  const excluded = window.excludedTotal > 0 ? md` (${formatCount(window.excludedTotal)} left out for maintenance)` : md``;
  return md`${formatCount(window.good)} good of ${formatCount(window.total)} events${excluded}, from ${formatUtc(window.start)} (exclusive) to ${formatUtc(window.end)}`;
}

function alertLine(rule: SloExplanation['alerts'][number]): Markdown {
  return md`- ${rule.severity} ${rule.long}/${rule.short} > ${formatThreshold(rule.threshold)}: ${rule.long} ${formatBurnRate(rule.longBurnRate)}, ${rule.short} ${formatBurnRate(rule.shortBurnRate)}: ${rule.fires ? 'fires' : 'does not fire'}`;
}

function sourceLines(source: SourceExplanation): Markdown[] {
  const lines = [md`- type: ${source.type}`];
  for (const [key, value] of Object.entries(source)) {
    if (key === 'type' || value === undefined || value === null) continue;
    lines.push(md`- ${key}: ${String(value)}`);
  }
  return lines;
}

/** At most this many items listed in a DORA tooltip; the Explain page and `explain --dora` list all. */
const DORA_TOOLTIP_ITEMS = 8;

function listed(items: readonly string[]): Markdown[] {
  const shown = items.slice(0, DORA_TOOLTIP_ITEMS).map((item) => md`- ${item}`);
  if (items.length > DORA_TOOLTIP_ITEMS) shown.push(md`- and ${items.length - DORA_TOOLTIP_ITEMS} more (reliability-lens explain --dora lists all)`);
  return shown;
}

/**
 * A DORA metric node's tooltip: the inputs the metric was computed from (core/doraExplain.ts), so the
 * number can be checked by hand: which deployments counted, which failed or were reworked, which
 * lead times, recoveries and restores went into the median.
 */
export function doraMetricExplanationMarkdown(key: DoraMetricKey, explanation: DoraExplanation): Markdown {
  const { deployments } = explanation;
  const days = Math.round((explanation.windowEnd - explanation.windowStart) / 86_400_000);
  const header = md`${explanation.rules[key]}`;
  switch (key) {
    case 'deploymentFrequency':
      return joinMarkdown([header, md``, md`${deployments.length} deployments in ${days} days: ${deployments.length} / ${days} × 7 = ${formatPerWeek((deployments.length / days) * 7)}`, md``, ...listed(deployments.map((d) => `${d.name} · ${formatUtc(d.time)}`).reverse())]);
    case 'leadTime': {
      const leadTimes = deployments.flatMap((d) => d.changes.filter((c) => c.leadTimeSeconds !== null).map((c) => ({ deployment: d.name, seconds: c.leadTimeSeconds as number })));
      const sorted = [...leadTimes].sort((a, b) => a.seconds - b.seconds);
      return joinMarkdown([header, md``, md`${leadTimes.length} changes with a lead time, shortest first:`, md``, ...listed(sorted.map((l) => `${formatSeconds(l.seconds)} (${l.deployment})`))]);
    }
    case 'changeFailureRate': {
      const failed = deployments.filter((d) => d.failed);
      return joinMarkdown([header, md``, md`${failed.length} of ${deployments.length} deployments failed:`, md``, ...listed(failed.map((d) => `${d.name}: ${d.incidents.map((i) => i.id).join(', ')}`))]);
    }
    case 'failedDeploymentRecovery': {
      const recovered = deployments.filter((d) => d.recoverySeconds !== null);
      return joinMarkdown([header, md``, md`${recovered.length} failed deployments recovered:`, md``, ...listed(recovered.map((d) => `${d.name}: ${formatSeconds(d.recoverySeconds)}`))]);
    }
    case 'timeToRestore':
      return joinMarkdown([header, md``, md`${explanation.restores.length} incidents started in the window and resolved:`, md``, ...listed(explanation.restores.map((r) => `${r.id}: ${formatSeconds(r.seconds)}`))]);
    case 'reworkRate': {
      const reworked = deployments.filter((d) => d.reworked);
      return joinMarkdown([header, md``, md`${reworked.length} of ${deployments.length} deployments shipped a revert or a change naming an incident:`, md``, ...listed(reworked.map((d) => d.name))]);
    }
  }
}
