// The words of the "as of …" status bar item, free of `vscode` so they are tested on their own.
import { formatUtc } from '../../core/format';
import type { LookBack } from '../../state/lookBackTime';
import * as l10n from '@vscode/l10n';
import { mdt } from '../markdown';
import type { Markdown } from '../markdown';

export interface LookBackStatus {
  text: string;
  tooltip: Markdown;
  label: string;
  /** The setting names no time: the views show now, and the item says so. */
  invalid: boolean;
}

/** What the item says while looking back; undefined at now (the item is hidden). */
export function lookBackStatus(lookBack: LookBack): LookBackStatus | undefined {
  if (lookBack.kind === 'now') return undefined;
  if (lookBack.kind === 'invalid') {
    return {
      text: `$(history) ${l10n.t('as of: not a time')}`,
      tooltip: mdt(l10n.t('`reliabilityLens.evaluationTime` is "{0}", which is no ISO 8601 time: every view shows now.\n\nClick to clear it.'), lookBack.text),
      label: l10n.t('The evaluation time setting is not a time; click to clear it'),
      invalid: true,
    };
  }
  const when = formatUtc(lookBack.time);
  return {
    text: `$(history) ${l10n.t('as of {0}', when)}`,
    tooltip: mdt(
      l10n.t(
        '**Looking back to {0}**\n\nEvery view shows the numbers as of that moment (`reliabilityLens.evaluationTime`), as `reliability-lens report --now` would. Live refresh is paused; remote sources are asked at that time, and a source without history (Alertmanager) shows what it has now, marked live.\n\nClick to return to now.',
      ),
      when,
    ),
    label: l10n.t('Looking back to {0}; click to return to now', when),
    invalid: false,
  };
}
