// The `reliabilityLens.evaluationTime` setting read as a moment (issue 11, looking back), free of
// `vscode` so the rule is tested on its own: the same reading as the CLI's `--now`.
import { parseIsoTime } from '../core/isoTime';

/** The setting as the views read it: unset, a time, or text that names no time (shown, and ignored). */
export type LookBack = { kind: 'now' } | { kind: 'past'; time: number } | { kind: 'invalid'; text: string };

/** Reads the setting's text by the same rule as `--now` (no zone means UTC; a date that does not exist is no time). */
export function parseLookBack(text: string): LookBack {
  if (text.trim() === '') return { kind: 'now' };
  const time = parseIsoTime(text);
  return time === null ? { kind: 'invalid', text } : { kind: 'past', time };
}

/** The evaluation time the setting asks for, or null to evaluate at now (unset, or not a time). */
export function lookBackTime(text: string): number | null {
  const lookBack = parseLookBack(text);
  return lookBack.kind === 'past' ? lookBack.time : null;
}
