// What the budget status bar item says: its text and its tooltip, as pure functions of the reports.
// Service and SLO names come from the repository: the text draws `$(name)` icons and the tooltip is
// markdown, so both escape them.
import type { SloReport } from '../../core/model';
import { backoffNoticeText } from '../../state/refreshPressure';
import type { BackoffNotice } from '../../state/refreshPressure';
import { formatBudgetGlance, formatSloSummary, formatStatus } from '../format';
import * as l10n from '@vscode/l10n';
import { joinMarkdown, md, mdt } from '../markdown';
import type { Markdown } from '../markdown';
import { escapeIcons } from '../untrustedText';

/** `$(pulse) checkout 62% budget`. */
export function budgetStatusText(worst: SloReport): string {
  return `$(pulse) ${escapeIcons(formatBudgetGlance(worst))}`;
}

/**
 * Every SLO of the chosen services, by service and name, and what a click does; while the workspace's
 * refreshes back off from Prometheus, why and when the numbers are next refreshed.
 */
export function budgetTooltip(workspaceName: string, reports: readonly SloReport[], backoff?: BackoffNotice): Markdown {
  const sorted = [...reports].sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
  return joinMarkdown([
    mdt(l10n.t('**Error budget** · {0}'), workspaceName),
    md``,
    ...sorted.map((report) => md`- ${report.service} / ${report.name}: ${formatSloSummary(report)} (${formatStatus(report.status)})`),
    md``,
    ...(backoff ? [md`${backoffNoticeText(backoff)}`, md``] : []),
    mdt(l10n.t('Click to open the Reliability Dashboard.')),
  ]);
}
