// The read-only page for an incident without a web page of its own: a virtual document shown in the
// markdown preview (incidentDocuments.ts). The preview renders raw HTML and remote https images, so
// every value here goes through markdown.ts like any tooltip.
import type { DeploymentView, IncidentView } from '../workspace/snapshot';
import { formatUtc, shortSha } from '../core/format';
import { formatIncidentDeployment, formatIncidentDuration } from './format';
import { commitId, joinMarkdown, md, webLink } from './markdown';
import type { Markdown } from './markdown';

export function incidentPageMarkdown(incident: IncidentView, deployments: readonly DeploymentView[], now: number, deliveryPending = false): Markdown {
  const lines: Markdown[] = [
    md`# ${incident.id}: ${incident.title}`,
    md``,
    md`| | |`,
    md`|---|---|`,
    md`| Severity | ${incident.severity} |`,
    md`| Service | ${incident.service} |`,
    md`| Started | ${formatUtc(incident.startedAt)} |`,
    md`| Resolved | ${incident.resolvedAt === null ? 'open' : formatUtc(incident.resolvedAt)} |`,
    md`| Duration | ${formatIncidentDuration(incident, now)} |`,
    md`| Deployment | ${formatIncidentDeployment(incident, deliveryPending)} |`,
    md`| Source | ${incident.source} |`,
  ];
  if (incident.url) lines.push(md`| Incident page | ${webLink(incident.url)} |`);
  if (incident.postmortem) lines.push(md`| Postmortem | ${webLink(incident.postmortem)} |`);
  if (incident.commits.length) {
    lines.push(md``, md`## Root-cause commits`, md``, ...incident.commits.map((sha) => md`- ${commitId(shortSha(sha))}`));
  }
  if (incident.files.length) {
    lines.push(md``, md`## Files`, md``, ...incident.files.map((file) => md`- ${file}`));
  }
  const deployment = incident.deployment ? deployments.find((d) => d.name === incident.deployment) : undefined;
  if (deployment && deployment.changes.length) {
    lines.push(md``, md`## Changes shipped by ${deployment.name}`, md``);
    for (const change of deployment.changes) lines.push(md`- ${commitId(shortSha(change.sha))} ${change.subject}`);
  }
  return md`${joinMarkdown(lines)}\n`;
}

/** The page for an id the current data no longer has (the incident left the source, or a stale tab). */
export function missingIncidentMarkdown(id: string): Markdown {
  return md`# ${id}\n\nThis incident is not in the current data.\n`;
}
