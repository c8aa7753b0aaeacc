// The weekly trend of a DORA report: per ISO week (Monday 00:00 UTC) overlapping the window, its
// deployments, their median lead time and their change failure rate, by the same per-deployment rules.
import type { Deployment, WeeklyDora } from '../model';
import { median } from '../stats';
import { WEEK_MS, secondsOrNull, type DoraWindow } from './window';

/** Monday 00:00 UTC of the ISO week holding `time`. */
export function isoWeekStart(time: number): number {
  const date = new Date(time);
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - daysSinceMonday);
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** `counted` are the window's deployments; `leadTimesOf` and `failed` the per-deployment rules of the window's metrics. */
export function weeklyTrend(
  counted: readonly Deployment[],
  window: DoraWindow,
  leadTimesOf: (deployment: Deployment) => number[],
  failed: (deployment: Deployment) => boolean,
): WeeklyDora[] {
  const weekly: WeeklyDora[] = [];
  for (let week = isoWeekStart(window.start + 1); week <= window.now; week += WEEK_MS) {
    const inWeek = counted.filter((deployment) => deployment.time >= week && deployment.time < week + WEEK_MS);
    weekly.push({
      weekStart: isoDate(week),
      deployments: inWeek.length,
      leadTimeSecondsMedian: secondsOrNull(median(inWeek.flatMap(leadTimesOf))),
      changeFailureRate: inWeek.length === 0 ? null : inWeek.filter(failed).length / inWeek.length,
    });
  }
  return weekly;
}
