// The hover on a line a recent commit owns: the commit, who and when, where it shipped, and the
// incidents linked to it, each a link that opens it. Commit subjects and author names come from git
// and incident text from remote systems, so all of it is escaped data (markdown.ts).
import type { FileChange } from '../../core/model';
import type { IncidentView } from '../../workspace/snapshot';
import { formatAge, formatUtc, shortSha } from '../../core/format';
import { formatIncidentDuration, formatIncidentLabel, formatLinkReason } from '../format';
import { COMMANDS } from '../ids';
import type { IncidentArgs } from '../ids';
import * as l10n from '@vscode/l10n';
import { commandLink, commitId, joinMarkdown, md, mdt } from '../markdown';
import type { Markdown } from '../markdown';
import type { DeploymentImpact } from '../../core/deploymentImpact';
import { describeSloImpact } from '../../core/impactText';

export function changeHoverMarkdown(
  change: FileChange,
  incidents: ReadonlyMap<string, IncidentView>,
  root: string,
  now: number,
  impacts: readonly DeploymentImpact[] = [],
): Markdown {
  const when = `${formatAge(change.time, now)} (${formatUtc(change.time)})`;
  const lines = [
    md`**${commitId(shortSha(change.commit))}** ${change.subject}`,
    md``,
    change.author ? md`${change.author}, ${when}` : md`${when}`,
    md``,
    change.deployment === null ? mdt(l10n.t('Not yet deployed')) : mdt(l10n.t('Shipped in **{0}**'), change.deployment),
  ];
  // How the deployment that shipped it did on the SLOs (DOMAIN.md section 6), when it degraded one.
  const degraded = impacts.filter((entry) => entry.deployment === change.deployment && entry.verdict === 'degraded');
  if (degraded.length) {
    const suspect = degraded.some((entry) => entry.suspect);
    lines.push(md``, mdt(suspect ? l10n.t('**{0} degraded** (no incident linked: a suspect)') : l10n.t('**{0} degraded**'), change.deployment ?? ''), md``);
    for (const entry of degraded) {
      for (const slo of entry.impact.filter((candidate) => candidate.verdict === 'degraded')) {
        lines.push(md`- ${entry.service} · ${describeSloImpact(slo, entry.afterEnd - entry.time)}`);
      }
    }
  }
  if (change.incidents.length) {
    lines.push(md``, mdt(l10n.t('**Incidents**')), md``);
    for (const link of change.incidents) {
      const incident = incidents.get(link.id);
      const open = commandLink(incident ? formatIncidentLabel(incident) : link.id, COMMANDS.openIncident, [
        { root, ids: [link.id] } satisfies IncidentArgs,
      ]);
      lines.push(
        incident
          ? md`- ${open}: ${incident.title} (${formatIncidentDuration(incident, now)}): ${formatLinkReason(link.reason)}`
          : md`- ${open}: ${formatLinkReason(link.reason)}`,
      );
    }
  }
  return joinMarkdown(lines);
}
