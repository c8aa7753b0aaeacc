// The words of the "as of …" status bar item, free of `vscode` so they are tested on their own.
import { formatUtc } from '../../core/format';
import type { LookBack } from '../../state/lookBackTime';
import { md } from '../markdown';
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
      text: '$(history) as of: not a time',
      tooltip: md`\`reliabilityLens.evaluationTime\` is "${lookBack.text}", which is no ISO 8601 time: every view shows now.\n\nClick to clear it.`,
      label: 'The evaluation time setting is not a time; click to clear it',
      invalid: true,
    };
  }
  const when = formatUtc(lookBack.time);
  return {
    text: `$(history) as of ${when}`,
    tooltip: md`**Looking back to ${when}**\n\nEvery view shows the numbers as of that moment (\`reliabilityLens.evaluationTime\`), as \`reliability-lens report --now\` would. Live refresh is paused; remote sources are asked at that time, and a source without history (Alertmanager) shows what it has now, marked live.\n\nClick to return to now.`,
    label: `Looking back to ${when}; click to return to now`,
    invalid: false,
  };
}
