// How a deployment's impact reads, in one place for the CLI's table, the merge check's reasons, the
// Delivery tree, the code lens's hover and the dashboard's marks: "burned 8.1% of checkout-availability
// in 6h, 18.7× vs 0.30× before". Pure, so the webview bundles it too.
import type { DeploymentImpact, ImpactVerdict, SloImpact } from './deploymentImpact';
import { formatBurnRate, formatDuration, formatRatioPercent } from './format';

/**
 * The SLO a deployment's impact is told by: a degraded one first, then the one whose after-window
 * spent the most budget, then the one that burned fastest after it.
 */
export function headlineImpact(impact: readonly SloImpact[]): SloImpact | undefined {
  const rank = (entry: SloImpact): [number, number, number] => [entry.verdict === 'degraded' ? 1 : entry.verdict === 'ok' ? 0 : -1, entry.budgetSpent ?? -1, peakBurn(entry)];
  let best: SloImpact | undefined;
  for (const entry of impact) {
    if (best === undefined) best = entry;
    else {
      const [a, b] = [rank(entry), rank(best)];
      if (a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] > b[2])))) best = entry;
    }
  }
  return best;
}

/** The faster of the first hour's burn and the after-window's: what the headline compares with before. */
export function peakBurn(entry: SloImpact): number {
  return Math.max(entry.after1h, entry.after);
}

/** One SLO's impact in words: `burned 8.1% of checkout-availability in 6h, 18.7× vs 0.30× before`. */
export function describeSloImpact(entry: SloImpact, afterMs: number): string {
  if (entry.verdict === 'no-data') return afterMs <= 0 ? `no data after it yet on ${entry.slo}` : `no data on ${entry.slo} in the ${formatDuration(afterMs)} after it`;
  const burns = `${formatBurnRate(peakBurn(entry))} vs ${formatBurnRate(entry.before)} before`;
  if (entry.budgetSpent === null) return `burned ${entry.slo} at ${burns} (${formatDuration(afterMs)} after it)`;
  return `burned ${formatRatioPercent(entry.budgetSpent, 1)} of ${entry.slo} in ${formatDuration(afterMs)}, ${burns}`;
}

/** A deployment's impact in words, told by its headline SLO. */
export function describeImpact(entry: DeploymentImpact): string {
  const headline = headlineImpact(entry.impact);
  if (headline === undefined) return `no SLO of ${entry.service} was read`;
  return describeSloImpact(headline, entry.afterEnd - entry.time);
}

/** The verdict as a word for tables and tooltips. */
export function verdictLabel(verdict: ImpactVerdict, suspect: boolean): string {
  if (verdict === 'degraded') return suspect ? 'degraded (suspect)' : 'degraded';
  return verdict;
}
