// Reading the free-form `options` of an incident source in config.yaml, and the severity words the
// providers use. Values arrive as YAML scalars or lists; these helpers accept both spellings people
// write (`serviceIds: [A, B]` or `serviceIds: A,B`).
import { SEVERITIES } from '../../core/model';
import type { IncidentSourceConfig, Severity } from '../../core/model';

type Options = IncidentSourceConfig['options'];

export function optionString(options: Options, key: string): string | undefined {
  const value = options[key];
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function optionStrings(options: Options, key: string): string[] {
  const value = options[key];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

export function optionNumber(options: Options, key: string, fallback: number): number {
  const value = options[key];
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(number) && number > 0 ? number : fallback;
}

/**
 * `from=to` pairs, e.g. `serviceMap: ["PXYZ123=checkout", "Payments API=payments"]`. A map is written
 * as a list because options values are scalars or lists of scalars.
 */
export function optionMapping(options: Options, key: string): Map<string, string> {
  const mapping = new Map<string, string>();
  for (const entry of optionStrings(options, key)) {
    const equals = entry.lastIndexOf('=');
    if (equals <= 0 || equals === entry.length - 1) continue;
    mapping.set(entry.slice(0, equals).trim().toLowerCase(), entry.slice(equals + 1).trim());
  }
  return mapping;
}

/** Looks a key up in a mapping built by optionMapping (keys compare case-insensitively). */
export function mapped(mapping: ReadonlyMap<string, string>, ...keys: Array<string | undefined>): string | undefined {
  for (const key of keys) {
    if (key === undefined) continue;
    const value = mapping.get(key.trim().toLowerCase());
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * A severity named outright: `SEV2`, `sev-2`, `Sev 2`, `P2` (PagerDuty and Opsgenie priorities), or a
 * bare `2`. Null for anything else, so callers can fall back to their own word lists.
 */
export function explicitSeverity(text: string | undefined): Severity | null {
  if (text === undefined) return null;
  const match = /^(?:sev|p)?[\s_-]?([1-5])$/i.exec(text.trim());
  if (!match) return null;
  return SEVERITIES[Number(match[1]) - 1];
}
