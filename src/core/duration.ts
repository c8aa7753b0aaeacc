// Durations as SLO specs and the CLI write them: `5m`, `1h`, `28d`, `1w`. Calendar units (`M`, `Q`, `y`)
// have no fixed length and are handled by calendar.ts; fixedDurationMs rejects them.

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const DURATION = /^(\d+)(s|m|h|d|w|M|Q|y)$/;

export interface ParsedDuration {
  count: number;
  unit: 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'y';
}

export function parseDuration(text: string): ParsedDuration | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const count = Number(match[1]);
  if (!Number.isSafeInteger(count) || count <= 0) return null;
  return { count, unit: match[2] as ParsedDuration['unit'] };
}

/** Milliseconds of a fixed-length duration (`s m h d w`), or null for calendar units and bad text. */
export function fixedDurationMs(text: string): number | null {
  const parsed = parseDuration(text);
  if (!parsed || !(parsed.unit in UNIT_MS)) return null;
  return parsed.count * UNIT_MS[parsed.unit];
}

/** `86400000` -> `1d`, `300000` -> `5m`: the largest unit that divides evenly. */
export function formatDurationLabel(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's']) {
    const size = UNIT_MS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
