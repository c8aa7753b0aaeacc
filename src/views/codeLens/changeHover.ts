// The hover on a line a recent commit owns: the commit, who and when, where it shipped, and the
// incidents linked to it, each a link that opens it. Commit subjects and author names come from git
// and incident text from remote systems, so all of it is escaped data (markdown.ts).
import type { FileChange } from '../../core/model';
import type { IncidentView } from '../../workspace/snapshot';
import { formatAge, formatUtc, shortSha } from '../../core/format';
import { formatIncidentDuration, formatIncidentLabel, formatLinkReason } from '../format';
import { COMMANDS } from '../ids';
import type { IncidentArgs } from '../ids';
import { commandLink, commitId, joinMarkdown, md } from '../markdown';
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
    change.deployment === null ? md`Not yet deployed` : md`Shipped in **${change.deployment}**`,
  ];
  // How the deployment that shipped it did on the SLOs (DOMAIN.md section 6), when it degraded one.
  const degraded = impacts.filter((entry) => entry.deployment === change.deployment && entry.verdict === 'degraded');
  if (degraded.length) {
    lines.push(md``, md`**${change.deployment ?? ''} degraded**${degraded.some((entry) => entry.suspect) ? md` (no incident linked: a suspect)` : md``}`, md``);
    for (const entry of degraded) {
      for (const slo of entry.impact.filter((candidate) => candidate.verdict === 'degraded')) {
        lines.push(md`- ${entry.service} · ${describeSloImpact(slo, entry.afterEnd - entry.time)}`);
      }
    }
  }
  if (change.incidents.length) {
    lines.push(md``, md`**Incidents**`, md``);
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
