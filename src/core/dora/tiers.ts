// The performance tier of each DORA metric (DOMAIN.md section 3), by the bands of DORA 2023 or 2021.
import type { DoraBands, DoraReport, Tier } from '../model';
import { DAY_MS, HOUR_MS, WEEK_MS } from './window';

export interface TierInput {
  deployments: number;
  windowDays: number;
  leadTimeMedianMs: number | null;
  changeFailureRate: number | null;
  recoveryMedianMs: number | null;
  /** Rated by DORA 2021 only. */
  restoreMedianMs: number | null;
}

type Tiers = DoraReport['tiers'];

/** DORA 2023 (Accelerate State of DevOps 2023), the table in DOMAIN.md section 3. */
function tiers2023(input: TierInput): Tiers {
  const { deployments: n, windowDays: days } = input;
  // Rates compared as cross-multiplied integers: n/days*7 >= 7 is n >= days, and so on, with no rounding.
  const deploymentFrequency: Tier = n >= days ? 'elite' : n * 7 >= days ? 'high' : n * 30 >= days ? 'medium' : 'low';
  const lead = input.leadTimeMedianMs;
  const leadTime: Tier | null =
    lead === null ? null : lead < DAY_MS ? 'elite' : lead < WEEK_MS ? 'high' : lead < 30 * DAY_MS ? 'medium' : 'low';
  const cfr = input.changeFailureRate;
  const changeFailureRate: Tier | null =
    cfr === null ? null : cfr <= 0.05 ? 'elite' : cfr <= 0.1 ? 'high' : cfr <= 0.15 ? 'medium' : 'low';
  const recovery = input.recoveryMedianMs;
  const failedDeploymentRecovery: Tier | null =
    recovery === null ? null : recovery < HOUR_MS ? 'elite' : recovery < DAY_MS ? 'high' : recovery < WEEK_MS ? 'medium' : 'low';
  return { deploymentFrequency, leadTime, changeFailureRate, failedDeploymentRecovery };
}

/**
 * DORA 2021 (Accelerate State of DevOps 2021, "Software delivery performance" table, chapter "How do
 * we compare?"), as we read it:
 *   deployment frequency  elite: on demand, multiple per day | high: once per week to once per month |
 *                         medium: once per month to once every 6 months | low: fewer than once every 6 months
 *   lead time             elite: < 1 hour | high: 1 day to 1 week | medium: 1 to 6 months | low: > 6 months
 *   time to restore       elite: < 1 hour | high: < 1 day | medium: 1 day to 1 week | low: > 6 months
 *   change failure rate   elite: 0-15% | high, medium, low: 16-30%
 * The bands leave gaps and overlaps; each value takes the best tier whose upper bound it meets:
 * frequency elite >= 1 a day, high >= 1 a month, medium >= 1 in 6 months (180 days); lead time
 * elite < 1 hour, high < 1 week, medium < 180 days; restore elite < 1 hour, high < 1 day, medium
 * < 1 week; change failure elite <= 15%, high <= 30% (medium cannot be told from high), low above.
 * DORA 2021 has no failed-deployment recovery metric: its tier rates time to restore (MTTR).
 */
function tiers2021(input: TierInput): Tiers {
  const { deployments: n, windowDays: days } = input;
  const deploymentFrequency: Tier = n >= days ? 'elite' : n * 30 >= days ? 'high' : n * 180 >= days ? 'medium' : 'low';
  const lead = input.leadTimeMedianMs;
  const leadTime: Tier | null =
    lead === null ? null : lead < HOUR_MS ? 'elite' : lead < WEEK_MS ? 'high' : lead < 180 * DAY_MS ? 'medium' : 'low';
  const cfr = input.changeFailureRate;
  const changeFailureRate: Tier | null = cfr === null ? null : cfr <= 0.15 ? 'elite' : cfr <= 0.3 ? 'high' : 'low';
  const restore = input.restoreMedianMs;
  const failedDeploymentRecovery: Tier | null =
    restore === null ? null : restore < HOUR_MS ? 'elite' : restore < DAY_MS ? 'high' : restore < WEEK_MS ? 'medium' : 'low';
  return { deploymentFrequency, leadTime, changeFailureRate, failedDeploymentRecovery };
}

/** The tiers by the chosen bands; DORA 2021 rates time to restore where 2023 rates failed-deployment recovery. */
export function doraTiers(bands: DoraBands, input: TierInput): Tiers {
  return bands === '2021' ? tiers2021(input) : tiers2023(input);
}
